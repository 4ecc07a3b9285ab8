"""Warnings are Problems with a place: printed once, and --strict fails on each kind it promises."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from typer.testing import CliRunner

import briefgen.render.fitting
from briefgen.cli import app
from briefgen.paths import BUILTIN_TEMPLATES

runner = CliRunner()
CONTENT = Path(__file__).resolve().parents[1] / "content"


def build(out: Path, *args: str):
    result = runner.invoke(app, ["build", "--content", str(CONTENT), "--out", str(out), "-j", "1", *args])  # a later --content wins
    assert "Traceback" not in result.output
    return result


def override(templates: Path, name: str, old: str, new: str) -> None:
    """Copy built-in template NAME into TEMPLATES with OLD replaced by NEW."""
    text = (BUILTIN_TEMPLATES / name).read_text(encoding="utf-8")
    assert old in text
    (templates / name).parent.mkdir(parents=True, exist_ok=True)
    (templates / name).write_text(text.replace(old, new, 1), encoding="utf-8")


def strict_refuses(out: Path, artifact: str, args: list[str], warning: str) -> None:
    """Check ARGS build ARTIFACT with WARNING printed once, and that --strict fails without replacing it."""
    lenient = build(out, *args)
    assert lenient.exit_code == 0, lenient.output
    assert lenient.output.count(warning) == 1, lenient.output
    before = (out / artifact).read_bytes()
    strict = build(out, *args, "--strict", "--force")
    assert strict.exit_code == 1, strict.output
    assert warning in strict.output and "not written: --strict refuses warnings" in strict.output
    assert (out / artifact).read_bytes() == before  # the previous file is kept
    assert not [p for p in (out / artifact).parent.iterdir() if p.name.endswith(".tmp")]


def test_ignored_css_is_a_warning_at_its_stylesheet_line_and_strict_fails(tmp_path):
    templates = tmp_path / "templates"
    (templates / "css").mkdir(parents=True)
    css = (BUILTIN_TEMPLATES / "css" / "onepager.css").read_text(encoding="utf-8")
    (templates / "css" / "onepager.css").write_text(css + "\n.sheet { colour: red; }\n", encoding="utf-8")
    line = css.count("\n") + 2
    # Seven one-pagers share the stylesheet: the warning is printed once, placed at its line.
    warning = f"css/onepager.css:{line}: warning: WeasyPrint: Ignored `colour: red` at {line}:10, unknown property."
    strict_refuses(tmp_path / "out", "onepager/04-energy.en.letter.pdf",
                   ["-a", "onepager", "-l", "en", "--templates", str(templates)], warning)


def test_an_unresolved_link_is_a_warning_and_strict_fails(tmp_path):
    templates = tmp_path / "templates"
    override(templates, "onepager/sheet.html", "</header>", '<p><a href="#nowhere">see below</a></p></header>')
    warning = "onepager/onepager.html: warning: WeasyPrint: No anchor #nowhere for internal URI reference"
    strict_refuses(tmp_path / "out", "onepager/04-energy.en.letter.pdf",
                   ["-a", "onepager", "-t", "energy", "-l", "en", "--templates", str(templates)], warning)


def test_an_unknown_word_style_is_a_warning_and_strict_fails(tmp_path):
    templates = tmp_path / "templates"
    override(templates, "ministry/memo.html", "<p", '<p data-style="No Such Style"')
    warning = "warning: the reference document has no paragraph style 'No Such Style'; used"
    strict_refuses(tmp_path / "out", "ministry/memo.ja.docx", ["-a", "ministry", "-f", "docx", "--templates", str(templates)], warning)


def test_a_part_dropped_to_fit_is_a_warning_at_the_theme_and_strict_fails(tmp_path, monkeypatch):
    # No smaller type than the series size, and longer key points: the energy theme must leave a part out.
    monkeypatch.setattr(briefgen.render.fitting, "MIN_SIZE", 10.0)
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    theme = content / "themes" / "04-energy.yaml"
    data = yaml.safe_load(theme.read_text(encoding="utf-8"))
    for point in data["recommendations"][0]["key_points"]:
        point["en"] += " " + point["en"][: len(point["en"]) // 2]
    theme.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    warning = "themes/04-energy.yaml: warning: to fit theme 'energy' on one page, left out figure-sources ("
    strict_refuses(tmp_path / "out", "onepager/04-energy.en.letter.pdf",
                   ["--content", str(content), "-a", "onepager", "-t", "energy", "-l", "en"], warning)
