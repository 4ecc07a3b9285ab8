"""The congressional brief, read as its reader gets it."""

from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefgen.cli import app
from briefgen.content.load import load_content
from briefgen.content.markup import plain_text

from .conftest import CONTENT
from .pdfcheck import internal_links, named_destinations, page_sizes, pdf_facts, pdf_lines, pdf_text, squash

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
    return [plain_text(rec.title.get(lang), lang) for _, rec in report.recommendations()]  # [sic] printed as LANG marks it


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
    assert "AbouttheStudyGrouponUS-JapanCooperationinNon-MilitaryAreas" in text and "KazuhiroMaeshima" in text
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


BODY_FONT = "Noto-Serif"
HEADING_FONT = "Noto-Sans-Bold"  # headings, badges, labels and table heads: never a page's last line
FOOTER_Y = 30  # points from the page's foot: the running head and page number sit below this


def text_lines(page):
    """Return a page's lines without the running footer."""
    return [line for line in page if line.y > FOOTER_Y]


def test_full_brief_sets_the_body_at_65_to_80_characters_a_line(briefs):
    lengths = sorted(len(line.text.strip()) for page in pdf_lines(briefs / "brief-full.en.letter.pdf")
                     for line in page if line.font == BODY_FONT and line.size >= 9.5)
    assert len(lengths) > 500  # the full text, not a summary
    full = lengths[len(lengths) // 4:]  # the last lines of paragraphs are short by nature
    assert 65 <= full[len(full) // 2] <= 80, full[len(full) // 2]
    assert full[-1] <= 90


def test_full_brief_prints_every_recommendation_in_full(briefs, report):
    text = squash(pdf_text(briefs / "brief-full.en.letter.pdf")).replace("‐", "")  # soft hyphens as drawn
    for _, rec in report.recommendations():
        for para in rec.body:
            words = plain_text(para.get("en")).split()
            assert squash(" ".join(words[:12])).replace("-", "") in text.replace("-", ""), (rec.number, words[:12])


def test_full_brief_note_callouts_and_notes_link_both_ways(briefs, report):
    path = briefs / "brief-full.en.letter.pdf"
    dests = named_destinations(path)
    links = internal_links(path)
    cited = sum(len(rec.notes) for _, rec in report.recommendations())
    notes = sorted(d for d in dests if d.startswith("note-"))
    assert len(notes) == cited > 0
    to_notes = {d for _, d, _ in links if d.startswith("note-")}
    back = {d for _, d, _ in links if d.startswith("ref-")}
    assert to_notes == set(notes)
    assert back == {n.replace("note-", "ref-") for n in notes} and back <= set(dests)
    assert all(height >= 5 for _, _, height in links)  # something a reader can click
    for name in notes:  # each callout comes before its note
        assert dests[name.replace("note-", "ref-")] <= dests[name]


def test_full_brief_never_ends_a_page_with_a_heading(briefs):
    for number, page in enumerate(pdf_lines(briefs / "brief-full.en.letter.pdf")[:-1]):
        last = text_lines(page)[-1]
        assert last.font != HEADING_FONT, (number + 1, last.text)
        assert not last.text.startswith("Addressed to:"), (number + 1, last.text)


def test_full_brief_keeps_figure_tables_with_their_recommendation(briefs):
    for number, page in enumerate(pdf_lines(briefs / "brief-full.en.letter.pdf")):
        lines = text_lines(page)
        caption = next((i for i, line in enumerate(lines) if line.text.startswith("Key figures (Recommendation")), None)
        if caption is not None:
            assert caption > 0, f"page {number + 1} opens with a figure table cut off from its text"


def test_full_brief_gives_sources_with_their_year(briefs):
    text = squash(pdf_text(briefs / "brief-full.en.letter.pdf"))
    assert "Gallup,2026" in text and "ChicagoCouncilonGlobalAffairs,2024" in text
    assert "Reporttext,2024" in text  # a number the authors state without naming its source
