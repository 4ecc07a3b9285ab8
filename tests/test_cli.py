"""Commands as users call them: version, help, dump, schema, template overrides, translations."""

import json
from pathlib import Path

from typer.testing import CliRunner

from briefgen import __version__
from briefgen.cli import app
from briefgen.content.schema import schema_texts

from .conftest import CONTENT, ROOT, THEME, write_content
from .pdfcheck import pdf_text, squash

runner = CliRunner()


def test_version_and_help():
    assert runner.invoke(app, ["--version"]).output.strip() == f"briefgen {__version__}"
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("build", "check", "dump", "schema", "watch", "i18n"):
        assert command in result.output
    assert "--audience" in runner.invoke(app, ["build", "--help"]).output


def test_help_does_not_import_weasyprint():
    import subprocess
    import sys

    code = "import sys; from briefgen.cli import app; import briefgen.content.load; print('weasyprint' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_dump_mirrors_the_yaml(mini):
    result = runner.invoke(app, ["dump", "--content", str(mini)])
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["format"] == "briefgen-dump/1"
    assert data["info"]["title"] == {"ja": "小さな報告書", "en": "A small report"}
    rec = data["themes"][0]["recommendations"][0]
    assert rec["number"] == 1 and rec["id"] == "diversify"
    assert rec["figures"][0]["value"] == "94%"  # a plain string stays a plain string


def test_committed_schemas_are_current():
    for name, text in schema_texts().items():
        assert (ROOT / "schema" / name).read_text(encoding="utf-8") == text, f"run `briefgen schema` to update schema/{name}"
    for path in (CONTENT / "themes").glob("*.yaml"):
        assert path.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=../../schema/theme.schema.json")


def test_template_override_and_extension(mini, tmp_path):
    templates = tmp_path / "tpl"
    (templates / "partials").mkdir(parents=True)
    (templates / "partials" / "contact.html").write_text("<p>Call the desk officer</p>", encoding="utf-8")
    (templates / "css").mkdir()
    (templates / "css" / "brief.css").write_text('@import url("../../tpl-unused.css");', encoding="utf-8")
    (templates / "congress").mkdir()
    (templates / "congress" / "brief-full.html").write_text(
        '{% extends "builtin/congress/brief-full.html" %}{% block title %}Custom title{% endblock %}', encoding="utf-8"
    )
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", "--content", str(mini), "-a", "congress", "--length", "full", "--templates", str(templates), "--out", str(out)])
    assert result.exit_code == 1  # the overriding stylesheet reaches outside the templates: refused
    (templates / "css" / "brief.css").write_text("h1 { color: red; }", encoding="utf-8")
    result = runner.invoke(app, ["build", "--content", str(mini), "-a", "congress", "--length", "full", "--templates", str(templates), "--out", str(out)])
    assert result.exit_code == 0, result.output
    path = out / "congress" / "brief-full.en.letter.pdf"
    assert "Callthedeskofficer" in squash(pdf_text(path))
    from .pdfcheck import pdf_facts

    assert pdf_facts(path)["title"] == "Custom title"


def test_missing_translation_fails_the_build_unless_allowed(tmp_path):
    theme = THEME.replace("      en: Diversify suppliers\n", "")
    root = write_content(tmp_path / "c", themes={"01-energy.yaml": theme})
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", "--content", str(root), "-a", "onepager", "-l", "en", "--out", str(out)])
    assert result.exit_code == 1
    assert "01-energy.yaml:23: missing translation: recommendations[0].title has no 'en' text; add it, or build with --allow-missing" in result.output
    result = runner.invoke(app, ["build", "--content", str(root), "-a", "onepager", "-l", "en", "--allow-missing", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "printed in 'ja'" in result.output
    assert "調達先を多角化せよ" in pdf_text(next((out / "onepager").glob("*.pdf")))


def test_characters_missing_from_the_fonts_are_named(tmp_path):
    # BIZ UD has no superscript digits (footnote markers must be [^n]); no shipped font has emoji.
    theme = THEME.replace("ja: 調達先を多角化せよ", "ja: 調達先を多角化せよ⁵").replace("en: Diversify suppliers", "en: Diversify suppliers 😀")
    root = write_content(tmp_path / "c", themes={"01-energy.yaml": theme})
    result = runner.invoke(app, ["build", "--content", str(root), "-a", "congress", "-l", "ja", "-l", "en", "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "01-energy.yaml:23: recommendations[0].title: '⁵' (U+2075 SUPERSCRIPT FIVE) is not in the ja fonts; replace it (write footnote markers as [^n])" in result.output
    assert "'😀' (U+1F600 GRINNING FACE) is not in the en fonts" in result.output
    assert not list((tmp_path / "out").rglob("*.pdf"))


def test_dates_per_language(mini, tmp_path):
    out = tmp_path / "out"
    assert runner.invoke(app, ["build", "--content", str(mini), "-a", "congress", "-l", "en", "-l", "ja", "--out", str(out)]).exit_code == 0
    assert "May31,2026" in squash(pdf_text(out / "congress" / "brief-short.en.letter.pdf"))
    assert "令和8年5月31日" in squash(pdf_text(out / "congress" / "brief-short.ja.letter.pdf"))
