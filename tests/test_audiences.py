"""Audiences are declarations: a new one is a module and a template folder, and everything else reads the registry."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from briefgen.audiences.declaration import Audience, audiences, register, unregister
from briefgen.audiences.select import select_targets
from briefgen.cli import app
from briefgen.content.load import load_content
from briefgen.content.markup import plain_text

CONTENT = Path(__file__).resolve().parents[1] / "content"
runner = CliRunner()

# The whole of a throwaway audience: this declaration, its context builder, and the template below.
LEAFLET_TEMPLATE = """{% extends "base.html" %}
{% block body %}<h1>{{ L.plain(info.title) }}</h1>
<p>Leaflet for {{ addressee }}: {{ themes | length }} themes.</p>
{% for theme in themes %}<h2>{{ L.plain(theme.title) }}</h2>{% endfor %}
{% endblock %}
"""


def leaflet_context(content, target, options, kit) -> dict:
    return {"addressee": kit.words(target.lang)("memo_addressee"), "themes": content.report.themes}


def leaflet_pages(target, pages: int) -> str | None:
    return None if pages <= 3 else f"the leaflet runs to {pages} pages; at most 3"


@pytest.fixture
def leaflet(tmp_path):
    register(Audience(
        name="leaflet", description="a throwaway test audience", template="leaflet/leaflet.html", stem="leaflet-{variant}",
        rank=60, langs="each", lengths=("tiny",), context=leaflet_context, check_pages=leaflet_pages,
    ))
    templates = tmp_path / "templates"
    (templates / "leaflet").mkdir(parents=True)
    (templates / "leaflet" / "leaflet.html").write_text(LEAFLET_TEMPLATE, encoding="utf-8")
    yield templates
    unregister("leaflet")


def test_a_throwaway_audience_builds_from_its_declaration_alone(leaflet, tmp_path):
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", "-a", "leaflet", "--templates", str(leaflet), "--out", str(out), "-j", "2"])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    report = load_content(CONTENT).report
    for lang, paper, size in (("ja", "a4", (595, 842)), ("en", "letter", (612, 792))):
        path = out / "leaflet" / f"leaflet-tiny.{lang}.{paper}.pdf"
        pdf = PdfReader(path)
        box = pdf.pages[0].mediabox
        assert (round(float(box.width)), round(float(box.height))) == size  # paper from the language
        text = "".join(page.extract_text() for page in pdf.pages).replace("\n", "")
        assert plain_text(report.themes[-1].title.get(lang)).replace(" ", "") in text.replace(" ", "")
        assert f"{len(report.themes)} themes" in text  # the audience's own context reached its template
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert sorted(e["path"] for e in manifest["artifacts"]) == ["leaflet/leaflet-tiny.en.letter.pdf", "leaflet/leaflet-tiny.ja.a4.pdf"]
    again = runner.invoke(app, ["build", "-a", "leaflet", "--templates", str(leaflet), "--out", str(out)])
    assert "built 0, skipped 2, failed 0" in again.output  # fingerprints work for it too


def test_the_registry_drives_selection_and_errors(leaflet):
    report = load_content(CONTENT).report
    assert "leaflet" in audiences()
    assert "leaflet" not in {t.audience for t in select_targets(report)}  # not in the default set unless it says so
    names = [t.name for t in select_targets(report, audiences=["leaflet"], langs=["en"], papers=["a4", "letter"])]
    assert names == ["leaflet/leaflet-tiny.en.a4.pdf", "leaflet/leaflet-tiny.en.letter.pdf"]
    result = runner.invoke(app, ["build", "-a", "pamphlet"])
    assert "--audience pamphlet: unknown audience; choose one of congress, ministry, onepager, handout, web, proof, leaflet" in result.output
    result = runner.invoke(app, ["build", "-a", "leaflet", "-f", "docx"])
    assert "--format docx: the leaflet audience makes pdf only" in result.output


def test_a_declared_page_check_fails_the_target(leaflet, tmp_path):
    register(Audience(name="leaflet", description="", template="leaflet/leaflet.html", stem="leaflet", rank=60,
                      context=leaflet_context, check_pages=lambda target, pages: f"{pages} pages is too many"))
    result = runner.invoke(app, ["build", "-a", "leaflet", "--templates", str(leaflet), "--out", str(tmp_path / "out"), "-j", "1"])
    assert result.exit_code == 1
    assert "failed leaflet/leaflet.ja.a4.pdf: 1 pages is too many" in result.output  # the path said once
    assert not (tmp_path / "out" / "leaflet").exists() or not list((tmp_path / "out" / "leaflet").iterdir())


def test_cli_help_lists_the_registered_audiences():
    result = runner.invoke(app, ["build", "--help"], terminal_width=200)
    builtin = [name for name in audiences() if name != "leaflet"]
    assert f"{', '.join(builtin)} (repeatable)" in result.output
