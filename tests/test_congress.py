"""The congressional brief, read as its reader gets it."""

import re
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefgen.cli import app
from briefgen.content.load import load_content
from briefgen.content.markup import plain_text

from .conftest import CONTENT
from .libreoffice import to_pdf
from .pdfcheck import internal_links, named_destinations, page_sizes, pdf_facts, pdf_lines, pdf_text, squash

LETTER = (612, 792)


@pytest.fixture(scope="module")
def briefs(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("out")
    result = CliRunner().invoke(
        app, ["build", "--content", str(CONTENT), "--audience", "congress", "--lang", "en", "--lang", "ja",
              "--length", "short", "--length", "full", "--format", "pdf", "--out", str(out)]
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


def test_short_brief_leads_with_a_bottom_line_for_congress_and_lists_every_recommendation(briefs, report):
    text = squash(pdf_text(briefs / "brief-short.en.letter.pdf"))
    bottom_line = plain_text(report.info.bottom_line.get("en"))
    assert "Congress" in bottom_line and bottom_line.count(". ") == 0  # one sentence on what Congress can do
    assert text.index("BOTTOMLINE") < text.index(squash(bottom_line)) < text.index("IssuesforCongress")
    listed = text[text.index(f"Thereport's{len(titles(report, 'en'))}recommendations"):]
    others = [plain_text(rec.title.get("en")) for _, rec in report.recommendations() if rec.addressed_to != "japan-government"]
    positions = [listed.index(squash(title)) for title in others]
    assert positions == sorted(positions)
    assert "info@jfir.or.jp" in text and squash(report.info.url) in text


def priority_asks(report):
    """Return (ask, recommendation) for the asks the content ranks for the short brief, in rank order."""
    ranked = [(ask, rec) for _, rec in report.recommendations() for ask in rec.asks.congress if ask.priority]
    return sorted(ranked, key=lambda pair: pair[0].priority)


def test_short_brief_has_one_issues_for_congress_section_with_the_asks_the_content_ranks_first(briefs, report):
    text = squash(pdf_text(briefs / "brief-short.en.letter.pdf"))
    chosen = priority_asks(report)
    assert 4 <= len(chosen) <= 6
    assert all(ask.basis == "authors" for ask, _ in chosen)
    assert text.count("IssuesforCongress") == 1 and "WhatCongresscando" not in text
    section = text[text.index("IssuesforCongress"):]
    positions = []
    for ask, rec in chosen:
        where = section.index(squash(plain_text(ask.text.get("en"))))
        after = section[where:]
        assert after.index(f"Recommendation{rec.number}:") < after.index("Committees:")
        for committee in rec.us_committees:
            assert squash(plain_text(committee.get("en"))) in after
        positions.append(where)
    assert positions == sorted(positions)  # in rank order
    for _, rec in report.recommendations():  # the editor's asks never pass for the authors'
        for ask in rec.asks.congress:
            if ask.basis == "editor":
                assert squash(plain_text(ask.text.get("en"))) not in text


def test_short_brief_puts_japan_only_recommendations_in_a_box_without_committees(briefs, report):
    lines = [line.text for page in pdf_lines(briefs / "brief-short.en.letter.pdf", SPLIT)
             for column in columns(page) for line in column]
    japan = [rec for _, rec in report.recommendations() if rec.addressed_to == "japan-government"]
    assert [rec.number for rec in japan] == [10, 16, 18]
    start = next(i for i, line in enumerate(lines) if "addressed to japan" in line.lower())
    box = squash(" ".join(lines[start:start + 12]))
    for rec in japan:
        assert squash(plain_text(rec.title.get("en")))[:40] in box
    end = box.index(squash(plain_text(japan[-1].title.get("en"))))
    assert "Committee" not in box[:end]


def test_short_brief_has_key_figures_with_their_sources(briefs, report):
    text = squash(pdf_text(briefs / "brief-short.en.letter.pdf"))
    figures = [fig for _, rec in report.recommendations() for fig in rec.figures if fig.priority]
    assert 3 <= len(figures) <= 6
    box = text[text.index("KEYFIGURES"):]
    for fig in figures:
        value = squash(plain_text(fig.value.get("en")))
        source = squash(plain_text(fig.source.get("en"))) if fig.source else "Reporttext"
        assert value in box and source in box[box.index(value):]


def test_short_brief_ends_with_the_authors_and_a_contact(briefs, report):
    text = squash(pdf_text(briefs / "brief-short.en.letter.pdf"))
    block = text[text.index("Authorinformation"):]
    chair = next(p for p in report.info.people if p.role == "chair")
    assert squash(plain_text(chair.name.get("en"))) in block
    assert "Contact:" in block and report.info.contact.email in block


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


BOTTOM_MARGIN = 0.55 * 72  # the brief's @page bottom margin (templates/css/brief.css), in points
MM = 72 / 25.4


SPLIT = 612 / 2  # between the short brief's two columns


def columns(page):
    """Split a page's lines (footer excluded) into its left and right column."""
    lines = text_lines(page)
    return [[l for l in lines if l.column == 0], [l for l in lines if l.column == 1]]


def test_short_brief_body_type_is_at_least_10_pt(briefs):
    lines = [line for page in pdf_lines(briefs / "brief-short.en.letter.pdf") for line in page]
    body = [line.size for line in lines if line.font == BODY_FONT]
    assert sorted(body)[len(body) // 2] >= 10  # the body
    assert min(line.size for line in lines) >= 8  # nothing that carries meaning below 8 pt


def test_short_brief_fills_both_columns_of_both_pages(briefs):
    pages = [columns(page) for page in pdf_lines(briefs / "brief-short.en.letter.pdf", SPLIT)]
    assert len(pages) == 2
    flow = [column for page in pages for column in page]
    for number, page in enumerate(pages):
        short = [(column[-1].y - BOTTOM_MARGIN) / MM for column in page]
        assert min(short) <= 15, f"page {number + 1}: both columns end more than 15 mm above the bottom margin ({short})"
        for side, (gap, column) in enumerate(zip(short, page)):
            index = flow.index(column)
            if gap > 15 and index < len(flow) - 1:  # only where an item or section ends, or the brief
                following = flow[index + 1][0]
                assert "Bold" in following.font, f"page {number + 1} column {side + 1} ends {gap:.0f} mm short mid-item"


def test_short_brief_never_ends_a_page_or_column_with_a_heading(briefs):
    for number, page in enumerate(pdf_lines(briefs / "brief-short.en.letter.pdf", SPLIT)):
        for column in columns(page):
            assert column[-1].font != HEADING_FONT, (number + 1, column[-1].text)


UNIT_BREAK = re.compile(r"(?:^|\s)[$]?\d[\d,.]*\+?%?$")
STOPWORDS = {"a", "an", "and", "are", "as", "at", "by", "for", "from", "in", "is", "of", "on", "or", "than", "that", "the",
             "to", "was", "were", "with"}


@pytest.mark.parametrize("name,split", [("brief-short.en.letter.pdf", SPLIT), ("brief-full.en.letter.pdf", None)])
def test_no_line_breaks_inside_compounds_amounts_or_a_number_and_its_unit(briefs, name, split):
    for page in pdf_lines(briefs / name, split):
        for column in columns(page):
            for before, after in zip(column, column[1:]):
                head, tail = before.text.rstrip(), after.text.strip()
                if not tail or not (before.font == after.font == BODY_FONT and before.size == after.size >= 9.5):
                    continue  # not two lines of running text (a table row, a label, a heading)
                assert not (re.search(r"\b[A-Z][A-Za-z]*-$", head) and tail[0].isupper()), (head, tail)
                first = tail.split()[0].strip(",.;:")
                assert not (UNIT_BREAK.search(head) and first[:1].islower() and first not in STOPWORDS), (head, tail)


# Faces every Windows 10/11 and Mac Office install has (BIZ UD: Windows 10 and later).
OFFICE_FONTS = {"Times New Roman", "Arial", "BIZ UD明朝", "BIZ UDゴシック", "BIZ UDMincho", "BIZ UDGothic"}


@pytest.fixture(scope="module")
def word_copies(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("docx")
    result = CliRunner().invoke(app, ["build", "--content", str(CONTENT), "-a", "congress", "-l", "en", "-f", "docx", "-f", "pdf",
                                      "--length", "short", "--length", "full", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out / "congress"


def named_fonts(path: Path) -> set[str]:
    """Return every font name the .docx's parts name (styles, document, font table, numbering)."""
    names = set()
    with zipfile.ZipFile(path) as docx_zip:
        for part in docx_zip.namelist():
            if part.startswith("word/") and part.endswith(".xml"):
                xml = docx_zip.read(part).decode("utf-8")
                for attrs in re.findall(r"<w:rFonts\b([^>]*)>", xml):
                    names |= set(re.findall(r'w:(?:ascii|hAnsi|eastAsia|cs)="([^"]+)"', attrs))
                names |= set(re.findall(r'<w:font w:name="([^"]+)"', xml))
    return names


@pytest.mark.parametrize("length", ["short", "full"])
def test_word_copy_names_only_fonts_an_office_install_has(word_copies, length):
    assert named_fonts(word_copies / f"brief-{length}.en.docx") <= OFFICE_FONTS


@pytest.mark.parametrize("length", ["short", "full"])
def test_word_copy_in_libreoffice_is_at_most_one_page_longer_than_the_pdf(word_copies, length, tmp_path):
    pdf_pages = len(page_sizes(word_copies / f"brief-{length}.en.letter.pdf"))
    word_pages = len(page_sizes(to_pdf(word_copies / f"brief-{length}.en.docx", tmp_path)))
    assert word_pages <= pdf_pages + 1, (word_pages, pdf_pages)
