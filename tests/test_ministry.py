"""The ministry memo as officials get it: a Word file (and its PDF), read back."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from docx.shared import Pt
from pypdf import PdfReader
from typer.testing import CliRunner

from briefgen.cli import app
from briefgen.content.load import load_content
from briefgen.content.markup import plain_text

from .conftest import CONTENT, ROOT
from .libreoffice import embedded_fonts, shipped_fonts, to_pdf
from .pdfcheck import ascii_punctuation_in_japanese, page_sizes, pdf_facts, pdf_text, squash

runner = CliRunner()
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def memo(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("out")
    result = runner.invoke(app, ["build", "--content", str(CONTENT), "-a", "ministry", "-f", "docx", "-f", "pdf", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out / "ministry"


@pytest.fixture(scope="module")
def report():
    return load_content(CONTENT).report


def paragraphs(path: Path) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in docx.Document(str(path)).paragraphs if p.text.strip()]


def test_memo_has_the_letter_blocks_gist_and_every_title_in_order(memo, report):
    paras = paragraphs(memo / "memo.ja.docx")
    styles = [s for s, _ in paras]
    assert paras[0] == ("Date Line", "令和8年5月31日")
    assert ("Addressee", "関係府省庁 御中") in paras
    assert ("Title", "非軍事的側面からの日米協力の深化について（提言）") in paras
    assert styles.index("Record") < styles.index("Heading 1")
    # 以上 right after the last item, then the contact block (担当, telephone, e-mail).
    closing = paras.index(("Closing", "以上"))
    assert paras[closing - 1][0] == "Note Text"
    contact = "\n".join(t for s, t in paras[closing + 1:] if s == "Contact")
    assert "【連絡先】" in contact and "担当：伊藤 和歌子" in contact
    assert "電話：03-3584-2190" in contact and "E-mail：info@jfir.or.jp" in contact
    gist = [t for s, t in paras if s == "Gist Item"]
    assert len(gist) == 18
    text = "\n".join(t for _, t in paras)
    positions = [text.index(plain_text(rec.title.get("ja"), "ja")) for _, rec in report.recommendations()]
    assert positions == sorted(positions)
    headings = [t for s, t in paras if s == "Heading 1"]
    assert headings[1] == "第1　" + report.themes[0].title.get("ja")  # 第1, full-width space, no period
    # One numbering: the body's recommendation headings are the gist's 1-18, no restart per 第N.
    numbers = [t.split("　")[0] for s, t in paras if s == "Heading 2"]
    assert numbers == [t.split("　")[0] for t in gist] == [str(n) for n in range(1, 19)]
    assert any(s == "Heading 3" and t.startswith("(1)　") for s, t in paras)
    assert any(s == "Key Point" and t.startswith("ア　") for s, t in paras)


def test_memo_subject_says_teigen_once_and_the_cover_is_polite(memo):
    titles = [t for s, t in paragraphs(memo / "memo.ja.docx") if s == "Title"]
    titles += [line for line in pdf_text(memo / "memo.ja.a4.pdf").split("\n") if line.endswith("（提言）")]
    assert len(titles) == 2
    for text in titles:
        assert text.endswith("について（提言）") and text.count("提言") == 1, text
    lead = next(t for s, t in paragraphs(memo / "memo.ja.docx") if s == "Body Text")
    assert lead.endswith("いたします。")  # 敬体, not 送付する


def test_memo_has_no_ascii_comma_or_colon_in_japanese(memo):
    assert ascii_punctuation_in_japanese(pdf_text(memo / "memo.ja.a4.pdf")) == []
    assert ascii_punctuation_in_japanese("\n".join(t for _, t in paragraphs(memo / "memo.ja.docx"))) == []


def test_memo_last_page_holds_more_than_the_closing(memo):
    last = PdfReader(memo / "memo.ja.a4.pdf").pages[-1].extract_text()
    assert "以上" in last and "連絡先" in last and "担当" in last
    assert len(squash(last.replace("以上", "")).replace("-", "")) > 40  # a note or more and the contact block


def test_memo_notes_are_latin_text_in_word(memo):
    document = docx.Document(str(memo / "memo.ja.docx"))
    note = next(p for p in document.paragraphs if p.style.name == "Note Text" and "Axios" in p.text)
    run = next(r for r in note.runs if "Axios" in r.text)
    assert run._r.find(f"{W}rPr/{W}lang").get(f"{W}val") == "en-US"
    fonts = run._r.find(f"{W}rPr/{W}rFonts")
    assert fonts is None or fonts.get(f"{W}ascii") is None  # the style's Latin face, not the Japanese one
    assert "“Exclusive" in run.text  # Latin quotes kept as typed


def test_memo_pdf_sets_english_notes_in_a_latin_face(memo):
    # A Japanese document's faces are BIZ UD only (fonts.css); Noto Serif comes in for the English notes alone.
    fonts = {str(f.get_object()["/BaseFont"]).split("+")[-1]
             for page in PdfReader(memo / "memo.ja.a4.pdf").pages for f in page["/Resources"]["/Font"].values()}
    assert "Noto-Serif" in fonts, fonts


def test_memo_figure_tables_fit_their_columns_to_the_text(memo):
    document = docx.Document(str(memo / "memo.ja.docx"))
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["数値", "内容", "出典"]
    widths = [int(w) for w in table._tbl.xpath("./w:tblGrid/w:gridCol/@w:w")]
    size = 9.5 * 20  # Table Text, in twips
    assert widths[2] >= 2 * size + 2 * 108 and widths[2] >= 5.5 * size  # 「出典」 and 「2024年」 whole
    assert widths[1] > widths[0] and widths[1] > widths[2]  # the label column takes the room
    first = [c.text for c in table.rows[1].cells]
    assert widths[0] >= 0.55 * len(first[0]) * size


def test_memo_date_line_is_set_solid(memo):
    document = docx.Document(str(memo / "memo.ja.docx"))
    ppr = document.styles["Date Line"].element.find(f"{W}pPr")
    assert ppr.find(f"{W}snapToGrid").get(f"{W}val") == "0"  # no character-grid cells round the digits
    assert ppr.find(f"{W}autoSpaceDN").get(f"{W}val") == "0"  # no extra space between 令和 and 8


def test_memo_page_fonts_footer_and_properties(memo):
    document = docx.Document(str(memo / "memo.ja.docx"))
    section = document.sections[0]
    assert (section.page_width.twips, section.page_height.twips) == (11906, 16838)
    grid = section._sectPr.find(f"{W}docGrid")
    assert grid is not None and grid.get(f"{W}type") == "linesAndChars"
    footer_xml = section.footer._element.xml
    assert "PAGE" in footer_xml and "- " in footer_xml
    body = next(p for p in document.paragraphs if p.style.name == "Body Text Indent 3")
    style = body.style
    fonts = None
    while style is not None and fonts is None:
        fonts = style.element.find(f"{W}rPr/{W}rFonts")
        style = style.base_style
    assert fonts.get(f"{W}eastAsia") == "BIZ UD明朝"
    assert document.core_properties.title == "非軍事的側面からの日米協力の深化"
    assert document.core_properties.language == "ja-JP"


@pytest.mark.parametrize("style,expected", [("western", "2026年5月31日"), ("both", "令和8年(2026年)5月31日")])
def test_date_styles(tmp_path, style, expected):
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", "--content", str(CONTENT), "-a", "ministry", "-f", "docx", "--date-style", style, "--out", str(out)])
    assert result.exit_code == 0, result.output
    name = "memo.ja.docx" if style == "wareki" else f"memo.ja.{style}.docx"  # a date-style variant has its own name
    assert paragraphs(out / "ministry" / name)[0] == ("Date Line", expected)


def test_styles_come_from_the_reference_document(tmp_path):
    reference = tmp_path / "ministry-reference.docx"
    shutil.copy(ROOT / "templates" / "word" / "reference.docx", reference)
    restyled = docx.Document(str(reference))
    restyled.styles["Heading 1"].font.size = Pt(16)
    restyled.save(str(reference))
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", "--content", str(CONTENT), "-a", "ministry", "--reference-docx", str(reference),
                                 "--addressee", "外務省北米局 御中", "--out", str(out)])
    assert result.exit_code == 0, result.output
    document = docx.Document(str(out / "ministry" / "memo.ja.docx"))
    assert document.styles["Heading 1"].font.size == Pt(16)
    assert ("Addressee", "外務省北米局 御中") in paragraphs(out / "ministry" / "memo.ja.docx")


def test_memo_pdf_is_a4_tagged_japanese_with_every_title(memo, report):
    path = memo / "memo.ja.a4.pdf"
    assert set(page_sizes(path)) == {(595, 842)}
    facts = pdf_facts(path)
    assert facts["lang"] == "ja" and facts["marked"]
    text = squash(pdf_text(path))
    for _, rec in report.recommendations():
        assert squash(plain_text(rec.title.get("ja"), "ja")) in text


def test_congress_brief_as_an_editable_word_copy(tmp_path, report):
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", "--content", str(CONTENT), "-a", "congress", "-f", "docx", "--out", str(out)])
    assert result.exit_code == 0, result.output
    document = docx.Document(str(out / "congress" / "brief-short.en.docx"))
    text = "\n".join(p.text for p in document.paragraphs)
    for _, rec in report.recommendations():
        assert plain_text(rec.title.get("en")) in text
    assert document.core_properties.language == "en-US"
    # It names Times New Roman and Arial; LibreOffice shows them in the shipped Noto faces.
    fonts = embedded_fonts(to_pdf(out / "congress" / "brief-short.en.docx", tmp_path))
    assert "NotoSerif-Regular" in fonts and fonts <= set(shipped_fonts())


def test_libreoffice_converts_the_memo_with_all_titles(memo, report, tmp_path):
    pdf = to_pdf(memo / "memo.ja.docx", tmp_path)
    text = squash(pdf_text(pdf))
    for _, rec in report.recommendations():
        assert squash(plain_text(rec.title.get("ja"), "ja")) in text
    # The faces the memo names, found in templates/fonts: body in Mincho, headings in Gothic (bold);
    # English notes name Times New Roman, which fonts.conf shows as Noto Serif. Nothing else.
    fonts = embedded_fonts(pdf)
    assert {"BIZUDMincho-Regular", "BIZUDGothic-Regular", "BIZUDGothic-Bold"} <= fonts <= set(shipped_fonts())


def test_open_xml_sdk_validates_the_memo(memo):
    validator = ROOT / "tools" / "node_modules" / ".bin" / "ooxml-validator"
    if not validator.exists():
        if os.environ.get("CI"):
            pytest.fail("ooxml-validator is not installed; `make test` installs it into tools/")
        pytest.skip("ooxml-validator is not installed (run `make test` once)")
    result = subprocess.run([str(validator), str(memo / "memo.ja.docx")], capture_output=True, text=True, timeout=120)
    report = json.loads(result.stdout)
    assert report["errors"] == [] and report["ok"]
