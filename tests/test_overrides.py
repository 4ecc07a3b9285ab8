"""Template overrides: the documented extend-one-block pattern works; a breaking override is named."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from briefgen.cli import app

from .conftest import CONTENT
from .pdfcheck import page_sizes, pdf_text, squash

runner = CliRunner()


def build_short_brief(templates: Path, out: Path):
    return runner.invoke(app, ["build", "-c", str(CONTENT), "-a", "congress", "-f", "pdf", "--length", "short",
                               "--templates", str(templates), "--out", str(out)])


def test_extending_one_block_adds_a_stylesheet_and_keeps_the_layout(tmp_path):
    (tmp_path / "t" / "congress").mkdir(parents=True)
    (tmp_path / "t" / "css").mkdir()
    (tmp_path / "t" / "congress" / "brief-short.html").write_text(
        '{% extends "builtin/congress/brief-short.html" %}\n'
        '{% block styles %}{{ super() }}<link rel="stylesheet" href="css/house.css">{% endblock %}\n', encoding="utf-8")
    (tmp_path / "t" / "css" / "house.css").write_text(".brief h1::after { content: ' (house style)'; }\n", encoding="utf-8")
    result = build_short_brief(tmp_path / "t", tmp_path / "out")
    assert result.exit_code == 0, result.output
    pdf = tmp_path / "out" / "congress" / "brief-short.en.letter.pdf"
    assert len(page_sizes(pdf)) == 2  # the built-in brief.css still applies
    assert "(housestyle)" in squash(pdf_text(pdf))  # and so does the added stylesheet


def test_an_override_that_breaks_the_layout_is_named(tmp_path):
    (tmp_path / "t" / "css").mkdir(parents=True)
    (tmp_path / "t" / "css" / "brief.css").write_text("h2 { color: red; }\n", encoding="utf-8")
    result = build_short_brief(tmp_path / "t", tmp_path / "out")
    assert result.exit_code == 1
    line = next(line for line in result.output.splitlines() if line.startswith("failed "))
    assert line.startswith("failed congress/brief-short.en.letter.pdf: the short brief runs to ")
    assert f"with the template overrides in {tmp_path / 't'} (css/brief.css)" in line
    assert "extend it instead (docs/templates.md)" in line
    assert line.count("brief-short.en.letter.pdf") == 1 and "Traceback" not in result.output
