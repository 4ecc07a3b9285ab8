"""XLIFF export and import: a CAT tool's round trip leaves every other byte of the YAML as it was."""

from __future__ import annotations

import copy
import difflib
import re
import shutil
import textwrap
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from typer.testing import CliRunner

from briefgen.i18n import xliff
from briefgen.cli import app
from briefgen.i18n.status import LOCK_NAME, field_states
from briefgen.content.load import load_content
from briefgen.errors import BriefgenError
from briefgen.i18n.xliff import XLIFF_NS, rewrite_yaml

from .conftest import CONTENT, REPORT, write_content

runner = CliRunner()
NS = {"x": XLIFF_NS}

# Comments, flow maps, folded and quoted English, and fields without English.
THEME = """\
# Energy: a theme for the XLIFF round trip (comments, flow maps, folded and quoted English).
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
      - ja: エネルギーは、安全保障、経済、環境、技術が交差する戦略領域であり、近年の日米協力において重要性を増している[^1]。
      - ja: 二段落目。
        en: >-
          The second paragraph, folded
          over two lines.
    authors: [tanaka]
recommendations:
  - number: 1
    id: diversify
    title:
      ja: 調達先を多角化せよ
      en: "Diversify suppliers"
    authors: [tanaka, smith]
    addressed_to: both
    summary:
      ja: 日米は調達先を多角化すべきである。
    key_points:
      - {ja: 多角化}
      - {ja: 経済安全保障, en: 'Economic security'}
    body:
      - ja: 日本は石油輸入の94%を中東に依存している。
        # translators: "Middle East", not "Near East"
        en: Japan relies on the Middle East for 94% of its oil imports.
    figures:
      - value: 94%
        label: {ja: 中東依存度, en: oil imports from the Middle East}
        year: 2024
        quote: 石油輸入の94%
"""

GLOSSARY = """\
terms:
  - ja: 多角化
    en: diversify
    note: A verb in titles.
"""

TRANSLATIONS = {
    "short_title": "Energy",
    "challenges[0].body[0]": "Energy is a strategic domain where security, the economy, the environment, and"
    " technology intersect, and it has become increasingly important to US-Japan cooperation in recent years.[^1]",
    "recommendations[0].title": "Diversify suppliers without delay",
    "recommendations[0].summary": "The United States and Japan should diversify suppliers.",
    "recommendations[0].key_points[0]": "Diversify",
}


def cli(*args: str):
    result = runner.invoke(app, ["i18n", *args])
    assert "Traceback" not in result.output, result.output
    return result


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """A content folder with four missing translations and one stale one."""
    root = write_content(tmp_path / "content", REPORT, {"01-energy.yaml": THEME})
    (root / "glossary.yaml").write_text(GLOSSARY, encoding="utf-8")
    assert cli("confirm", "--all", "--content", str(root)).exit_code == 0
    theme = root / "themes" / "01-energy.yaml"
    theme.write_text(theme.read_text(encoding="utf-8").replace("ja: 調達先を多角化せよ", "ja: 調達先を早急に多角化せよ"), encoding="utf-8")
    return root


def export(root: Path, out: Path, *options: str) -> Path:
    result = cli("export", "--content", str(root), "-o", str(out), *options)
    assert result.exit_code == 0, result.output
    return out


def units(xlf: Path) -> dict[str, etree._Element]:
    tree = etree.parse(str(xlf))
    return {u.get("id"): u for u in tree.iterfind(".//x:trans-unit", NS)}


def fill(xlf: Path, translations: dict[str, str], out: Path | None = None, state: str | None = None) -> Path:
    """Do what a translator's CAT tool does: write targets, keep everything else."""
    tree = etree.parse(str(xlf))
    for unit in tree.iterfind(".//x:trans-unit", NS):
        if unit.get("id") not in translations:
            continue
        target = unit.find("x:target", NS)
        if target is None:
            target = etree.Element(f"{{{XLIFF_NS}}}target")
            unit.find("x:source", NS).addnext(target)
        _write_with_tags(target, translations[unit.get("id")], unit.find("x:source", NS))
        if state:
            target.set("state", state)
    out = out or xlf
    tree.write(str(out), xml_declaration=True, encoding="UTF-8")
    return out


def _write_with_tags(target: etree._Element, text: str, source: etree._Element) -> None:
    """Write TEXT into TARGET, each `[^n]` as the source's tag for it, as a CAT tool does."""
    for child in list(target):
        target.remove(child)
    tags = {tag.get("equiv-text"): tag for tag in source.iter(f"{{{XLIFF_NS}}}x")}
    parts = re.split(r"(\[\^[^\]]+\])", text)
    target.text = parts[0]
    for marker, after in zip(parts[1::2], parts[2::2]):
        if marker not in tags:  # a marker the source does not have stays text
            if len(target):
                target[-1].tail += marker + after
            else:
                target.text += marker + after
            continue
        tag = copy.deepcopy(tags[marker])
        tag.tail = after
        target.append(tag)


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


# -- export -------------------------------------------------------------------------------------


def test_export_writes_xliff_1_2_one_unit_per_field(content, tmp_path):
    xlf = export(content, tmp_path / "en.xlf")
    root = etree.parse(str(xlf)).getroot()
    assert (root.tag, root.get("version")) == (f"{{{XLIFF_NS}}}xliff", "1.2")
    (file,) = root.iterfind("x:file", NS)
    assert (file.get("original"), file.get("source-language"), file.get("target-language")) == ("themes/01-energy.yaml", "ja", "en")
    found = units(xlf)
    assert list(found) == ["short_title", "challenges[0].body[0]", "recommendations[0].title",
                           "recommendations[0].summary", "recommendations[0].key_points[0]"]
    unit = found["recommendations[0].title"]
    assert unit.get("resname") == "themes/01-energy.yaml#recommendations[0].title"
    assert unit.findtext("x:source", namespaces=NS) == "調達先を早急に多角化せよ"
    target = unit.find("x:target", NS)  # a stale translation comes with the old English to revise
    assert (target.text, target.get("state")) == ("Diversify suppliers", "needs-review-translation")
    notes = {n.get("from"): n.text for n in unit.iterfind("x:note", NS)}
    assert notes["glossary"] == "Glossary: 多角化 → diversify — A verb in titles."
    assert notes["briefgen"].startswith("themes/01-energy.yaml:26 recommendations[0].title — the ja text changed")
    contexts = {c.get("context-type"): c.text for c in unit.iterfind(".//x:context", NS)}
    assert (contexts["sourcefile"], contexts["linenumber"]) == ("themes/01-energy.yaml", "26")
    assert found["short_title"].find("x:target", NS) is None  # missing: nothing to start from


def test_export_is_stable(content, tmp_path):
    assert export(content, tmp_path / "a.xlf").read_bytes() == export(content, tmp_path / "b.xlf").read_bytes()


@pytest.mark.parametrize("only, expected", [
    (["--only", "missing"], 4),
    (["--only", "stale"], 1),
    (["--only", "missing", "--only", "stale"], 5),
    (["--only", "all"], 17),  # 6 in report.yaml, 11 in the theme
])
def test_export_only(content, tmp_path, only, expected):
    xlf = export(content, tmp_path / "en.xlf", *only)
    assert len(etree.parse(str(xlf)).findall(".//x:trans-unit", NS)) == expected


def test_nothing_to_export_writes_nothing(mini, tmp_path):
    cli("confirm", "--all", "--content", str(mini))
    result = cli("export", "--content", str(mini), "-o", str(tmp_path / "en.xlf"))
    assert result.exit_code == 0
    assert f"nothing to export: no en translation is missing or stale; {tmp_path / 'en.xlf'} not written" in result.output
    assert not (tmp_path / "en.xlf").exists()


def test_export_refuses_the_source_language(content, tmp_path):
    result = cli("export", "--lang", "ja", "--content", str(content), "-o", str(tmp_path / "x.xlf"))
    assert result.exit_code == 1
    assert "--lang ja: that is the source language; export a language to translate into" in result.output


def test_copy_source_starts_every_target_as_the_source_marked_new(content, tmp_path):
    """For OmegaT, whose XLIFF filter translates the text of <target>."""
    found = units(export(content, tmp_path / "en.xlf", "--copy-source"))
    assert len(found) == 5
    for unit in found.values():
        target = unit.find("x:target", NS)
        assert (target.text, target.get("state")) == (unit.findtext("x:source", namespaces=NS), "new")
    notes = [n.text for n in found["recommendations[0].title"].iterfind("x:note", NS)]
    assert "Current en: Diversify suppliers" in notes  # the stale English, to revise from


@pytest.mark.parametrize("state", ["new", "translated", None])
def test_a_target_that_is_still_its_source_is_untranslated(content, tmp_path, state):
    xlf = export(content, tmp_path / "en.xlf", "--copy-source")
    if state != "new":
        text = xlf.read_text(encoding="utf-8")
        xlf.write_text(text.replace(' state="new"', f' state="{state}"' if state else ""), encoding="utf-8")
    before = snapshot(content)
    result = cli("import", str(xlf), "--content", str(content))
    assert result.exit_code == 0, result.output
    assert "imported 0 en translations, confirmed 0 unchanged ones; 5 units untranslated, 0 unchanged" in result.output
    assert snapshot(content) == before


def test_a_translated_target_in_state_new_is_a_translation(content, tmp_path):
    """OmegaT writes its translation into the target and keeps the exported state="new"."""
    xlf = fill(export(content, tmp_path / "en.xlf", "--copy-source"), {"short_title": "Energy"})
    assert 'state="new">Energy</target>' in xlf.read_text(encoding="utf-8")
    result = cli("import", str(xlf), "--content", str(content))
    assert "imported 1 en translation, confirmed 0 unchanged ones; 4 units untranslated, 0 unchanged" in result.output
    assert "short_title: {ja: エネルギー, en: Energy}" in (content / "themes" / "01-energy.yaml").read_text(encoding="utf-8")


# -- import -------------------------------------------------------------------------------------


def test_round_trip_changes_only_the_translated_values(content, tmp_path):
    theme = content / "themes" / "01-energy.yaml"
    before = theme.read_text(encoding="utf-8")
    report_before = (content / "report.yaml").read_bytes()
    xlf = fill(export(content, tmp_path / "en.xlf"), TRANSLATIONS)

    result = cli("import", str(xlf), "--content", str(content))
    assert result.exit_code == 0, result.output
    assert "imported 5 en translations, confirmed 0 unchanged ones; 0 units untranslated, 0 unchanged" in result.output

    expected = before.replace(
        "short_title: {ja: エネルギー}", "short_title: {ja: エネルギー, en: Energy}").replace(
        "重要性を増している[^1]。\n", "重要性を増している[^1]。\n" + textwrap.indent(textwrap.dedent("""\
        en: >-
          Energy is a strategic domain where security, the economy, the environment, and
          technology intersect, and it has become increasingly important to US-Japan
          cooperation in recent years.[^1]
        """), " " * 8)).replace(
        'en: "Diversify suppliers"', 'en: "Diversify suppliers without delay"').replace(
        "      ja: 日米は調達先を多角化すべきである。\n",
        "      ja: 日米は調達先を多角化すべきである。\n      en: The United States and Japan should diversify suppliers.\n").replace(
        "- {ja: 多角化}", "- {ja: 多角化, en: Diversify}")
    assert theme.read_text(encoding="utf-8") == expected
    assert (content / "report.yaml").read_bytes() == report_before
    assert cli("status", "--strict", "--content", str(content)).exit_code == 0  # imported = confirmed


def test_a_second_import_changes_nothing(content, tmp_path):
    xlf = fill(export(content, tmp_path / "en.xlf"), TRANSLATIONS)
    cli("import", str(xlf), "--content", str(content))
    before = snapshot(content)
    result = cli("import", str(xlf), "--content", str(content))
    assert result.exit_code == 0
    assert "imported 0 en translations, confirmed 0 unchanged ones; 0 units untranslated, 5 unchanged" in result.output
    assert snapshot(content) == before


def test_untranslated_units_are_left_alone(content, tmp_path):
    xlf = fill(export(content, tmp_path / "en.xlf"), {"recommendations[0].summary": "Diversify."})
    result = cli("import", str(xlf), "--content", str(content))
    assert "imported 1 en translation, confirmed 0 unchanged ones; 3 units untranslated, 1 unchanged" in result.output
    states = {s.field.name: s.state for s in field_states(load_content(content), ["en"])}
    assert states["recommendations[0].summary"] == "current"
    assert states["short_title"] == "missing"
    assert states["recommendations[0].title"] == "stale"


@pytest.mark.parametrize("state, after", [("translated", "current"), ("needs-review-translation", "stale")])
def test_an_unchanged_stale_translation_is_confirmed_only_when_accepted(content, tmp_path, state, after):
    xlf = fill(export(content, tmp_path / "en.xlf", "--only", "stale"), {"recommendations[0].title": "Diversify suppliers"}, state=state)
    before = (content / "themes" / "01-energy.yaml").read_bytes()
    assert cli("import", str(xlf), "--content", str(content)).exit_code == 0
    assert (content / "themes" / "01-energy.yaml").read_bytes() == before
    states = {s.field.name: s.state for s in field_states(load_content(content), ["en"])}
    assert states["recommendations[0].title"] == after


def replace_in(xlf: Path, old: str, new: str) -> None:
    text = xlf.read_text(encoding="utf-8")
    assert old in text, old
    xlf.write_text(text.replace(old, new, 1), encoding="utf-8")


def tamper_source(xlf, content):
    replace_in(xlf, "<source>日米は調達先を多角化すべきである。</source>", "<source>日米は調達先を多角化すべきでない。</source>")
    return 'themes/01-energy.yaml#recommendations[0].summary: the ja source was edited in the XLIFF (it no longer matches its fingerprint) — the source must stay as exported; export again'


def outdated_source(xlf, content):
    theme = content / "themes" / "01-energy.yaml"
    theme.write_text(theme.read_text(encoding="utf-8").replace("日米は調達先を多角化すべきである。", "日米は調達先を多角化すべきだ。"), encoding="utf-8")
    return "themes/01-energy.yaml#recommendations[0].summary: the ja text changed in the content since export — export again and translate the new text"


def english_edited_since_export(xlf, content):
    theme = content / "themes" / "01-energy.yaml"
    theme.write_text(theme.read_text(encoding="utf-8").replace('en: "Diversify suppliers"', 'en: "Diversify all suppliers"'), encoding="utf-8")
    return "themes/01-energy.yaml#recommendations[0].title: the en text in the content was edited since export — merge the two by hand, or export again"


def malformed(xlf, content):
    text = xlf.read_text(encoding="utf-8")
    xlf.write_text(text[: len(text) // 2], encoding="utf-8")
    return "not well-formed XML ("


def renamed_unit(xlf, content):
    replace_in(xlf, 'id="recommendations[0].summary"', 'id="recommendations[7].summary"')
    return "themes/01-energy.yaml#recommendations[7].summary: no such field in the content (moved, renamed, or the id was edited) — export again"


def duplicate_unit(xlf, content):
    tree = etree.parse(str(xlf))
    unit = tree.find(".//x:trans-unit", NS)
    unit.addnext(etree.fromstring(etree.tostring(unit)))
    tree.write(str(xlf), xml_declaration=True, encoding="UTF-8")
    return "themes/01-energy.yaml#short_title: appears twice (first at line 5) — keep one unit per field"


NOTE_TAG = '<x id="1" ctype="x-note" equiv-text="[^1]"/>'


def dropped_footnote(xlf, content):
    replace_in(xlf, f"in recent years.{NOTE_TAG}</target>", "in recent years.</target>")
    return ("challenges[0].body[0]: the translation lost the tag <x id=\"1\"/> (footnote marker [^1]) of the source"
            " — put it back where the text needs it")


def doubled_footnote(xlf, content):
    replace_in(xlf, f"in recent years.{NOTE_TAG}</target>", f"in{NOTE_TAG} recent years.{NOTE_TAG}</target>")
    return "challenges[0].body[0]: the translation has the tag <x id=\"1\"/> (footnote marker [^1]) twice — keep each tag of the source once"


def typed_footnote(xlf, content):
    replace_in(xlf, f"in recent years.{NOTE_TAG}</target>", f"in recent years.{NOTE_TAG}[^2]</target>")
    return "challenges[0].body[0]: the translation must keep the source's footnote markers ([^1]); it has ([^1], [^2])"


def invented_tag(xlf, content):
    replace_in(xlf, "<target>Diversify</target>", '<target><g id="1" ctype="bold">Diversify</g></target>')
    return 'key_points[0]: the translation has a tag <g id="1"> that the source does not have — remove it; use only the tags of the source'


def inline_markup(xlf, content):
    replace_in(xlf, "<target>Diversify</target>", '<target><bpt id="1">&lt;b&gt;</bpt>Diversify</target>')
    return "key_points[0]: the translation contains inline markup <bpt> that briefgen did not export — remove it, and keep only the tags of the source"


def wrong_language(xlf, content):
    replace_in(xlf, 'target-language="en"', 'target-language="fr"')
    return "target-language 'fr' is not a language to translate into ['en'] — export again from briefgen"


def xliff_2(xlf, content):
    xlf.write_text(f'<?xml version="1.0"?>\n<xliff version="2.0" xmlns="urn:oasis:names:tc:xliff:document:2.0" srcLang="ja" trgLang="en"/>\n', encoding="utf-8")
    return f"{xlf}:2: this is XLIFF 2.0; briefgen reads XLIFF 1.2 — save the translation as XLIFF 1.2 (the format briefgen exported)"


def not_xliff(xlf, content):
    xlf.write_text("<html><body>translated</body></html>", encoding="utf-8")
    return f"{xlf}:1: not an XLIFF file (the root element is <html>) — import the .xlf file that briefgen exported"


def external_entity(xlf, content):
    text = xlf.read_text(encoding="utf-8").replace("<xliff ", '<!DOCTYPE xliff [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n<xliff ', 1)
    xlf.write_text(text.replace("<target>Diversify</target>", "<target>&e;</target>"), encoding="utf-8")
    return "key_points[0]: the translation contains XML that is not text (&e;) — remove it and use plain text"


@pytest.mark.parametrize("spoil", [tamper_source, outdated_source, english_edited_since_export, malformed, renamed_unit,
                                   duplicate_unit, dropped_footnote, doubled_footnote, typed_footnote, invented_tag, inline_markup, wrong_language, xliff_2, not_xliff,
                                   external_entity])
def test_a_bad_xliff_is_refused_and_changes_no_file(content, tmp_path, spoil):
    xlf = fill(export(content, tmp_path / "en.xlf"), TRANSLATIONS)
    expected = spoil(xlf, content)
    before = snapshot(content)
    result = cli("import", str(xlf), "--content", str(content))
    assert result.exit_code == 1, result.output
    assert expected in result.output, result.output
    assert snapshot(content) == before
    assert not [p for p in content.rglob("*.tmp")]


def test_every_bad_unit_is_reported_with_its_line(content, tmp_path):
    xlf = fill(export(content, tmp_path / "en.xlf"), TRANSLATIONS)
    tamper_source(xlf, content)
    dropped_footnote(xlf, content)
    line = {uid: unit.sourceline for uid, unit in units(xlf).items()}
    target_line = units(xlf)["challenges[0].body[0]"].find("x:target", NS).sourceline  # the tag was lost there
    assert target_line > line["challenges[0].body[0]"]
    lines = cli("import", str(xlf), "--content", str(content)).output.splitlines()
    assert lines[0].startswith(f"{xlf}:{target_line}: themes/01-energy.yaml#challenges[0].body[0]: the translation lost the tag")
    assert lines[1].startswith(f"{xlf}:{line['recommendations[0].summary']}: themes/01-energy.yaml#recommendations[0].summary: the ja source was edited")
    assert lines[2] == "2 problems found."


def test_a_failure_while_writing_leaves_every_file_as_it_was(content, tmp_path, monkeypatch):
    """Files are staged first and renamed into place only when all are written."""
    report = content / "report.yaml"
    report.write_text(report.read_text(encoding="utf-8").replace("  en: A small report\n", ""), encoding="utf-8")
    xlf = fill(export(content, tmp_path / "en.xlf"), {**TRANSLATIONS, "title": "A small report"})
    before = snapshot(content)
    calls = []
    real_stage = xliff.stage

    def failing_stage(path, text):
        calls.append(path)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return real_stage(path, text)

    monkeypatch.setattr(xliff, "stage", failing_stage)
    with pytest.raises(BriefgenError, match="cannot write: No space left on device; nothing was imported, no file changed"):
        xliff.import_xliff(load_content(content), xlf)
    assert snapshot(content) == before
    assert not [p for p in content.rglob("*.tmp")]


# -- inline markup ------------------------------------------------------------------------------

MARKED = "日米は**調達先**を[JFIR](https://www.jfir.or.jp/)の*提言*どおり多角化すべきである[^1]。"


@pytest.fixture
def marked(content: Path) -> Path:
    """The content, with markup of every kind in the summary (which has no English yet)."""
    theme = content / "themes" / "01-energy.yaml"
    theme.write_text(theme.read_text(encoding="utf-8").replace("日米は調達先を多角化すべきである。", MARKED), encoding="utf-8")
    return content


def test_markup_travels_as_protected_tags(marked, tmp_path):
    unit = units(export(marked, tmp_path / "en.xlf"))["recommendations[0].summary"]
    source = etree.tostring(unit.find("x:source", NS), encoding="unicode", with_tail=False)
    assert source.endswith('>日米は<g id="1" ctype="bold">調達先</g>を<g id="2" ctype="link">JFIR</g>の'
                           '<g id="3" ctype="italic">提言</g>どおり多角化すべきである<x id="4" ctype="x-note" equiv-text="[^1]"/>。</source>')
    assert "Tag 2 links to https://www.jfir.or.jp/" in [n.text for n in unit.iterfind("x:note", NS)]


def translate_summary(xlf: Path, target_xml: str) -> None:
    text = xlf.read_text(encoding="utf-8")
    source_end = text.index("</source>", text.index('id="recommendations[0].summary"')) + len("</source>")
    xlf.write_text(text[:source_end] + f"<target>{target_xml}</target>" + text[source_end:], encoding="utf-8")


def test_markup_comes_back_where_the_translator_put_the_tags(marked, tmp_path):
    xlf = export(marked, tmp_path / "en.xlf")
    # The tags moved and nested differently; the translator typed italics the source lacks.
    translate_summary(xlf, 'As <g id="2" ctype="link">JFIR</g> <g id="3" ctype="italic">recommends</g>, the two should'
                           ' diversify <g id="1" ctype="bold">suppliers</g><x id="4" ctype="x-note" equiv-text="[^1]"/>'
                           ' (see *Energy Outlook*).')
    result = cli("import", str(xlf), "--content", str(marked))
    assert result.exit_code == 0, result.output
    data = yaml.safe_load((marked / "themes" / "01-energy.yaml").read_text(encoding="utf-8"))
    assert data["recommendations"][0]["summary"]["en"] == (
        "As [JFIR](https://www.jfir.or.jp/) *recommends*, the two should diversify **suppliers**[^1] (see *Energy Outlook*).")


def test_an_unchanged_translation_with_markup_reads_back_as_it_is(marked, tmp_path):
    theme = marked / "themes" / "01-energy.yaml"
    english = "The two should diversify **suppliers** as [JFIR](https://www.jfir.or.jp/) *urges*.[^1]"
    theme.write_text(theme.read_text(encoding="utf-8").replace(MARKED, f"{MARKED}\n      en: {english}"), encoding="utf-8")
    xlf = export(marked, tmp_path / "en.xlf", "--only", "all")
    target = units(xlf)["recommendations[0].summary"].find("x:target", NS)
    assert [(t.get("id"), t.text) for t in target] == [("1", "suppliers"), ("2", "JFIR"), ("3", "urges"), ("4", None)]
    before = snapshot(marked)
    result = cli("import", str(xlf), "--content", str(marked))
    assert result.exit_code == 0, result.output
    assert "imported 0 en translations" in result.output
    assert snapshot(marked) == before


def test_segment_marks_around_the_text_change_nothing(marked, tmp_path):
    """Tools that split a unit into sentences wrap each in <mrk mtype="seg">: its text is the translation."""
    xlf = export(marked, tmp_path / "en.xlf")
    translate_summary(xlf, '<mrk mtype="seg" mid="1">Diversify <g id="1">suppliers</g> as <g id="2">JFIR</g>'
                           ' <g id="3">urges</g>.</mrk><mrk mtype="seg" mid="2"><x id="4"/></mrk>')
    result = cli("import", str(xlf), "--content", str(marked))
    assert result.exit_code == 0, result.output
    data = yaml.safe_load((marked / "themes" / "01-energy.yaml").read_text(encoding="utf-8"))
    assert data["recommendations"][0]["summary"]["en"] == "Diversify **suppliers** as [JFIR](https://www.jfir.or.jp/) *urges*.[^1]"


def test_a_source_copy_in_segment_marks_is_untranslated(marked, tmp_path):
    xlf = export(marked, tmp_path / "en.xlf", "--copy-source")
    text = xlf.read_text(encoding="utf-8")
    start = text.index("<target", text.index('id="recommendations[0].summary"'))
    start = text.index(">", start) + 1
    end = text.index("</target>", start)
    xlf.write_text(text[:start] + '<mrk mtype="seg" mid="1">' + text[start:end] + "</mrk>" + text[end:], encoding="utf-8")
    before = snapshot(marked)
    result = cli("import", str(xlf), "--content", str(marked))
    assert "imported 0 en translations, confirmed 0 unchanged ones; 5 units untranslated" in result.output
    assert snapshot(marked) == before


def test_a_translation_that_still_holds_a_source_sentence_is_refused(marked, tmp_path):
    """OmegaT writes back the sentences nobody translated as they were, next to the translated ones."""
    theme = marked / "themes" / "01-energy.yaml"
    theme.write_text(theme.read_text(encoding="utf-8").replace(MARKED, "第一文である。" + MARKED), encoding="utf-8")
    xlf = export(marked, tmp_path / "en.xlf", "--copy-source")
    text = xlf.read_text(encoding="utf-8")
    start = text.index("<target", text.index('id="recommendations[0].summary"'))
    xlf.write_text(text[:start] + text[start:].replace(">第一文である。", ">This is the first sentence. ", 1), encoding="utf-8")
    before = snapshot(marked)
    result = cli("import", str(xlf), "--content", str(marked))
    assert result.exit_code == 1
    assert ("recommendations[0].summary: part of the translation is still the ja text (“日米は調達先をJFIRの提言どおり多角化すべきである。”)"
            " — translate it, or empty the segment to leave it untranslated") in result.output
    assert snapshot(marked) == before


def test_a_tag_of_the_wrong_kind_is_refused_with_its_line(marked, tmp_path):
    xlf = export(marked, tmp_path / "en.xlf")
    translate_summary(xlf, '\n<g id="1" ctype="bold">Diversify</g> <g id="2">as</g> <g id="3">urged</g>'
                           '\n<g id="4">now</g>.')
    result = cli("import", str(xlf), "--content", str(marked))
    assert result.exit_code == 1
    line = units(xlf)["recommendations[0].summary"].find("x:target", NS).sourceline + 2
    assert (f'{xlf}:{line}: themes/01-energy.yaml#recommendations[0].summary: the translation has a tag <g id="4">'
            " that the source does not have — remove it; use only the tags of the source") in result.output


# -- the shipped content ------------------------------------------------------------------------


def en_value_lines(text: str) -> set[int]:
    """Return the 0-based lines that hold `en:` keys and their values."""
    lines: set[int] = set()

    def walk(node):
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if key.value == "en" and isinstance(value, yaml.ScalarNode):
                    end = value.end_mark.line - (value.end_mark.column == 0)
                    lines.update(range(key.start_mark.line, max(end, key.start_mark.line) + 1))
                walk(value)
        elif isinstance(node, yaml.SequenceNode):
            for item in node.value:
                walk(item)

    walk(yaml.compose(text, Loader=yaml.SafeLoader))
    return lines


def test_shipped_content_round_trip_touches_only_english_lines(tmp_path):
    root = shutil.copytree(CONTENT, tmp_path / "content")
    before = {p: p.read_text(encoding="utf-8") for p in root.rglob("*.yaml")}
    xlf = export(root, tmp_path / "all.xlf", "--only", "all")
    tree = etree.parse(str(xlf))
    count = len(tree.findall(".//x:trans-unit", NS))
    for unit in tree.iterfind(".//x:trans-unit", NS):
        unit.find("x:target", NS).text += " Revised."
    tree.write(str(xlf), xml_declaration=True, encoding="UTF-8")

    result = cli("import", str(xlf), "--content", str(root))
    assert result.exit_code == 0, result.output
    assert f"imported {count} en translations" in result.output
    changed = 0
    for path, old in before.items():
        new = path.read_text(encoding="utf-8")
        if path.name in (LOCK_NAME, "glossary.yaml"):
            assert new == old
            continue
        allowed = en_value_lines(old)
        old_lines, new_lines = old.splitlines(), new.splitlines()
        for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False).get_opcodes():
            if tag != "equal":
                changed += 1
                assert set(range(i1, i2)) <= allowed, f"{path.name}:{i1 + 1}: {old_lines[i1:i2]} -> {new_lines[j1:j2]}"
        assert [l for l in old_lines if l.lstrip().startswith("#")] == [l for l in new_lines if l.lstrip().startswith("#")]
    assert changed
    loaded = load_content(root)
    assert all(s.state == "current" for s in field_states(loaded, ["en"]))
    assert loaded.report.info.title.get("en").endswith(" Revised.")


# -- writing one value --------------------------------------------------------------------------

SMALL = """\
# comment
items:
  - ja: 一
    en: one   # trailing comment
  - {ja: 二}
  - ja: 三
after: [1, 2]
"""

english = st.one_of(
    st.text(st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufeff\u2028\u2029\x85",
                          whitelist_characters="\n"), min_size=1, max_size=200).map(str.strip).filter(bool),
    # words that mean something to YAML, at the start, in the middle and at line ends
    st.lists(st.sampled_from(["word", "-", "#", ":", "'", '"', "? x", "*", "&", "!", "%", "@", "{", "}", "[", "]",
                              ",", "|", ">", "0", "1.5", "yes", "null", "~", "- item", "[^1]", "longer-words-here"]),
             min_size=1, max_size=40).map(" ".join),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(a=english, b=english, c=english)
def test_any_english_survives_the_round_trip(a, b, c):
    new = rewrite_yaml(SMALL, [(("items", 0), "en", a), (("items", 1), "en", b), (("items", 2), "en", c)], "ja")
    data = yaml.safe_load(new)
    assert [item["en"] for item in data["items"]] == [a, b, c]
    assert new.startswith("# comment\nitems:\n  - ja: 一\n")
    assert new.endswith("after: [1, 2]\n")
