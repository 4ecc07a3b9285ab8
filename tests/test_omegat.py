"""A translator's round trip through a real CAT tool: Debian's OmegaT, headless.

An OmegaT project is built around an export, as a translator would set it up: the XLIFF in
`source/`, a translation memory in `tm/auto/` that holds translations for some segments and
not for others. `omegat --mode=console-translate` writes the translated XLIFF to `target/`,
and briefgen imports it.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from typer.testing import CliRunner

from briefgen.cli import app
from briefgen.content.load import load_content
from briefgen.i18n.status import LOCK_NAME, field_states

from .conftest import REPORT, require_tool, write_content

runner = CliRunner()

THEME = """\
# Energy: comments and layout must survive the round trip.
id: energy
number: 1
title:
  ja: エネルギー安全保障   # as printed
  en: Energy security
short_title: {ja: エネルギー}
notes:
  - id: "1"
    text: World Bank Data
    url: https://data.worldbank.org/
challenges:
  - title: {ja: 課題, en: The challenge}
    body:
      # The first paragraph has no English yet.
      - ja: エネルギーは**日米協力**の中核である[^1]。
      - ja: 二段落目は[JFIR](https://www.jfir.or.jp/)の*報告*による。
      - ja: 三段落目。
    authors: [tanaka]
recommendations:
  - number: 1
    id: diversify
    title:
      ja: 調達先を多角化せよ
      en: Diversify suppliers
    authors: [tanaka]
    addressed_to: both
    summary:
      ja: 日米は調達先を多角化すべきである。
    key_points:
      - {ja: 多角化, en: Diversify}
    body:
      - ja: 日本は石油輸入の94%を中東に依存している。
        en: Japan relies on the Middle East for 94% of its oil imports.
"""

# What the translation memory knows: source text -> English, with inline tags as OmegaT shows
# them (<g0>…</g0>, <x1/>: the element's name and its place in the segment) and the translator
# moved them. The third paragraph and the summary are not in it: OmegaT leaves them untranslated.
MEMORY = {
    "エネルギー": "Energy",
    "エネルギーは<g0>日米協力</g0>の中核である<x1/>。": "Energy is at the heart of <g0>US-Japan cooperation</g0>.<x1/>",
    "二段落目は<g0>JFIR</g0>の<g1>報告</g1>による。": "The second paragraph follows the <g1>report</g1> of <g0>JFIR</g0>.",
}

PROJECT = """\
<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<omegat>
  <project version="1.0">
    <source_dir>__DEFAULT__</source_dir>
    <source_dir_excludes/>
    <target_dir>__DEFAULT__</target_dir>
    <tm_dir>__DEFAULT__</tm_dir>
    <glossary_dir>__DEFAULT__</glossary_dir>
    <glossary_file>__DEFAULT__</glossary_file>
    <dictionary_dir>__DEFAULT__</dictionary_dir>
    <source_lang>ja</source_lang>
    <target_lang>en</target_lang>
    <sentence_seg>false</sentence_seg>
    <support_default_translations>true</support_default_translations>
    <remove_tags>false</remove_tags>
  </project>
</omegat>
"""


def tmx(memory: dict[str, str]) -> str:
    """Return a TMX 1.4 translation memory; OmegaT fills matching segments from tm/auto/."""
    # OmegaT stores its tags in a TMX as text: <seg>…&lt;g0&gt;…</seg>.
    units = "".join(f'<tu><tuv xml:lang="ja"><seg>{escape(ja)}</seg></tuv><tuv xml:lang="en"><seg>{escape(en)}</seg></tuv></tu>\n'
                    for ja, en in memory.items())
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4">\n'
            '<header creationtool="briefgen-tests" creationtoolversion="1" segtype="paragraph" o-tmf="none"'
            ' adminlang="en" srclang="ja" datatype="plaintext"/>\n'
            f"<body>\n{units}</body>\n</tmx>\n")


def cli(*args: str):
    result = runner.invoke(app, ["i18n", *args])
    assert "Traceback" not in result.output, result.output
    return result


def omegat_translate(project: Path, config: Path) -> None:
    """Run OmegaT headless over PROJECT, bounded in time, and fail the test on any error."""
    omegat = require_tool("omegat")
    # No display, and its settings, logs and Java preferences in CONFIG, not the user's home.
    env = {**os.environ, "HOME": str(config), "JAVA_TOOL_OPTIONS": "-Djava.awt.headless=true"}
    env.pop("DISPLAY", None)
    config.mkdir(exist_ok=True)
    run = subprocess.run([omegat, str(project), "--mode=console-translate", f"--config-dir={config}"],
                         capture_output=True, text=True, timeout=300, env=env)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]


def omegat_round(content: Path, tmp_path: Path, memory: dict[str, str], sentences: bool = False) -> Path:
    """Export CONTENT into a new OmegaT project with MEMORY as its translation memory, let OmegaT
    translate it, and return the translated XLIFF. SENTENCES: split paragraphs into sentences."""
    project = tmp_path / "omegat-project"
    for folder in ("source", "target", "tm/auto", "glossary", "dictionary", "omegat"):
        (project / folder).mkdir(parents=True)
    settings = PROJECT.replace("<sentence_seg>false", f"<sentence_seg>{str(sentences).lower()}")
    (project / "omegat.project").write_text(settings, encoding="utf-8")
    (project / "tm" / "auto" / "memory.tmx").write_text(tmx(memory), encoding="utf-8")
    export = cli("export", "--copy-source", "--content", str(content), "-o", str(project / "source" / "energy-en.xlf"))
    assert export.exit_code == 0, export.output
    assert "5 units (5 missing)" in export.output
    omegat_translate(project, tmp_path / "omegat-config")
    translated = project / "target" / "energy-en.xlf"
    assert translated.is_file()
    return translated


@pytest.fixture
def content(tmp_path: Path) -> Path:
    root = write_content(tmp_path / "content", REPORT, {"01-energy.yaml": THEME})
    assert cli("confirm", "--all", "--content", str(root)).exit_code == 0
    return root


def test_omegat_translates_an_export_and_briefgen_imports_it(content, tmp_path):
    theme = content / "themes" / "01-energy.yaml"
    before = theme.read_text(encoding="utf-8")
    lock_before = (content / LOCK_NAME).read_text(encoding="utf-8")

    translated = omegat_round(content, tmp_path, MEMORY)

    result = cli("import", str(translated), "--content", str(content))
    assert result.exit_code == 0, result.output
    assert "imported 3 en translations, confirmed 0 unchanged ones; 2 units untranslated, 0 unchanged" in result.output

    # Only the translated values changed, with their markup where the translator put the tags;
    # comments, quoting and layout stay as they were.
    assert theme.read_text(encoding="utf-8") == before.replace(
        "short_title: {ja: エネルギー}", "short_title: {ja: エネルギー, en: Energy}").replace(
        "      - ja: エネルギーは**日米協力**の中核である[^1]。\n",
        "      - ja: エネルギーは**日米協力**の中核である[^1]。\n"
        "        en: Energy is at the heart of **US-Japan cooperation**.[^1]\n").replace(
        "      - ja: 二段落目は[JFIR](https://www.jfir.or.jp/)の*報告*による。\n",
        "      - ja: 二段落目は[JFIR](https://www.jfir.or.jp/)の*報告*による。\n"
        "        en: The second paragraph follows the *report* of [JFIR](https://www.jfir.or.jp/).\n")
    states = {s.field.name: s.state for s in field_states(load_content(content), ["en"])}
    assert [states[f"challenges[0].body[{i}]"] for i in range(3)] == ["current", "current", "missing"]
    assert (states["short_title"], states["recommendations[0].summary"]) == ("current", "missing")
    lock = (content / LOCK_NAME).read_text(encoding="utf-8")
    assert lock != lock_before
    assert '"themes/01-energy.yaml#short_title": {en: "' in lock
    assert '"themes/01-energy.yaml#challenges[0].body[0]": {en: "' in lock
    assert "recommendations[0].summary" not in lock and "challenges[0].body[2]" not in lock


def test_a_paragraph_omegat_translated_only_in_part_is_refused(content, tmp_path):
    """OmegaT splits paragraphs into sentences by default and writes back untranslated ones as they were."""
    theme = content / "themes" / "01-energy.yaml"
    theme.write_text(theme.read_text(encoding="utf-8").replace("ja: 三段落目。", "ja: 三段落目の第一文である。第二文は訳されない。"),
                     encoding="utf-8")
    before = {p: p.read_bytes() for p in content.rglob("*") if p.is_file()}
    translated = omegat_round(content, tmp_path, {"三段落目の第一文である。": "This is the first sentence of the third paragraph."},
                              sentences=True)
    assert ">This is the first sentence of the third paragraph. 第二文は訳されない。</target>" in translated.read_text(encoding="utf-8")

    result = cli("import", str(translated), "--content", str(content))
    assert result.exit_code == 1
    line = next(i for i, text in enumerate(translated.read_text(encoding="utf-8").splitlines(), 1) if "第二文は訳されない。</target>" in text)
    assert result.output.startswith(
        f"{translated}:{line}: themes/01-energy.yaml#challenges[0].body[2]: part of the translation is still the ja text"
        " (“第二文は訳されない。”) — translate it, or empty the segment to leave it untranslated\n")
    assert {p: p.read_bytes() for p in content.rglob("*") if p.is_file()} == before
