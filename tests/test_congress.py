"""The congressional brief, read as its reader gets it."""

from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefgen.cli import app
from briefgen.content.load import load_content
from briefgen.content.markup import plain_text

from .conftest import CONTENT
from .pdfcheck import page_sizes, pdf_facts, pdf_text, squash

LETTER = (612, 792)


@pytest.fixture(scope="module")
def briefs(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("out")
    result = CliRunner().invoke(
        app, ["build", "--content", str(CONTENT), "--audience", "congress", "--lang", "en", "--lang", "ja",
              "--length", "short", "--length", "full", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    return out / "congress"


@pytest.fixture(scope="module")
def report():
    return load_content(CONTENT).report


def titles(report, lang):
    return [plain_text(rec.title.get(lang)) for _, rec in report.recommendations()]


def test_short_brief_is_two_pages_of_us_letter(briefs):
    sizes = page_sizes(briefs / "brief-short.en.letter.pdf")
    assert 1 <= len(sizes) <= 2
    assert set(sizes) == {LETTER}


def test_short_brief_leads_with_the_bottom_line_and_lists_every_recommendation(briefs, report):
    text = squash(pdf_text(briefs / "brief-short.en.letter.pdf"))
    assert text.index("KEYTAKEAWAYS") < text.index(squash(titles(report, "en")[0]))
    assert squash(plain_text(report.info.bottom_line.get("en"))) in text
    positions = [text.index(squash(t)) for t in titles(report, "en")]
    assert positions == sorted(positions)
    assert "WhatCongresscando" in text
    assert "HouseForeignAffairsCommittee" in text
    assert "info@jfir.or.jp" in text and squash(report.info.url) in text


def test_full_brief_has_every_title_in_order_with_endnotes_and_the_study_group(briefs, report):
    path = briefs / "brief-full.en.letter.pdf"
    text = squash(pdf_text(path))
    positions = [text.index(squash(t)) for t in titles(report, "en")]
    assert positions == sorted(positions)
    for _, rec in report.recommendations():
        for note in rec.notes:
            assert squash(note.url) in text
    assert "Aboutthestudygroup" in text and "KazuhiroMaeshima" in text
    assert len(page_sizes(path)) > 2
    assert set(page_sizes(path)) == {LETTER}


@pytest.mark.parametrize("name,lang", [("brief-short.en.letter.pdf", "en"), ("brief-full.en.letter.pdf", "en"),
                                       ("brief-short.ja.letter.pdf", "ja"), ("brief-full.ja.letter.pdf", "ja")])
def test_brief_is_an_accessible_tagged_pdf(briefs, report, name, lang):
    facts = pdf_facts(briefs / name)
    assert facts["marked"] and facts["struct_tree"]
    assert facts["lang"] == lang
    assert facts["display_title"]
    assert facts["title"] == plain_text(report.info.title.get(lang))
    assert facts["fonts"] and all(facts["fonts"].values()), facts["fonts"]
    top = [title for depth, title in facts["outline"] if depth == 0]
    assert len(top) >= 7  # one bookmark per theme at least


def test_full_brief_outline_has_each_recommendation(briefs, report):
    outline = " ".join(t for _, t in pdf_facts(briefs / "brief-full.en.letter.pdf")["outline"])
    for title in titles(report, "en"):
        assert title[:30] in outline


def test_japanese_brief_has_every_japanese_title(briefs, report):
    for name in ("brief-short.ja.letter.pdf", "brief-full.ja.letter.pdf"):
        text = squash(pdf_text(briefs / name))
        for title in titles(report, "ja"):
            assert squash(title) in text, title
        # Kinsoku: no line of the extracted text starts with 、 or 。
        lines = pdf_text(briefs / name).splitlines()
        assert not [line for line in lines if line[:1] in "、。」）"], name
