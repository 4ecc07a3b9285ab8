"""Warnings are Problems with a place: printed once, and --strict fails on each kind it promises."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

import briefgen.render.fitting
from briefgen.cli import app
from briefgen.paths import BUILTIN_TEMPLATES

runner = CliRunner()
CONTENT = Path(__file__).resolve().parents[1] / "content"


def build(out: Path, *args: str):
    result = runner.invoke(app, ["build", "--content", str(CONTENT), "--out", str(out), "-j", "1", *args])
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
    # Fitting may not shrink the type below 11 pt: the energy theme (10.5 pt as designed) must leave parts out.
    monkeypatch.setattr(briefgen.render.fitting, "SIZES", (11.0,))
    monkeypatch.setattr(briefgen.render.fitting, "MIN_SIZE", 11.0)
    warning = ("content/themes/04-energy.yaml: warning: to fit theme 'energy' on one page, left out figure-sources, framing "
               "(at 11 pt); shorten its key points to keep them")
    strict_refuses(tmp_path / "out", "onepager/04-energy.en.letter.pdf", ["-a", "onepager", "-t", "energy", "-l", "en"], warning)
