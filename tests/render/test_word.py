"""The Word writer, tested on what a reader gets: reopen the .docx, convert it, validate it."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Pt

from briefgen.errors import BriefgenError, display_path
from briefgen.render.word import REFERENCE_DOCX, REFERENCE_DOCX_EN, default_reference, render_docx, write_docx

from ..conftest import CONTENT, ROOT
from ..libreoffice import embedded_fonts, shipped_fonts, to_pdf

EPOCH = 1780185600  # 2026-05-31T00:00:00Z

MEMO = """<!DOCTYPE html>
<html lang="ja">
<head>
<title>エネルギー安全保障について（提言）</title>
<meta name="author" content="日本国際フォーラム">
<meta name="subject" content="政策提言">
<meta name="keywords" content="日米, エネルギー">
</head>
<body>
<p data-style="Title">エネルギー安全保障について（提言）</p>
<h1>第1　エネルギー安全保障</h1>
<p data-style="Body Text Indent 1">日本は石油輸入の94%を中東に依存している<sup class="noteref">1</sup>。
詳しくは<a href="https://data.worldbank.org/">世界銀行のデータ</a>を参照。</p>
<h2>1　現状</h2>
<ul><li>中東</li><li>北米<ul><li>米国</li></ul></li></ul>
<table>
<thead><tr><th>国</th><th>依存度</th></tr></thead>
<tbody><tr><td>日本</td><td>94%</td></tr></tbody>
</table>
<p data-style="Closing">以上</p>
</body>
</html>
"""


def page(body: str, lang: str = "ja") -> str:
    return f'<html lang="{lang}"><head><title>t</title></head><body>{body}</body></html>'


def write(tmp_path: Path, html: str, name: str = "out.docx", **kwargs) -> docx.document.Document:
    out = tmp_path / name
    write_docx(html, out, **kwargs)
    return docx.Document(str(out))


def inherited(style, xpath: str):
    """Return what XPATH finds in STYLE or the styles it is based on (as Word resolves it)."""
    while style is not None:
        found = style.element.xpath(xpath)
        if found:
            return found[0]
        style = style.base_style
    return None


def test_memo_reads_back_as_styled_paragraphs(tmp_path):
    doc = write(tmp_path, MEMO)
    assert [(p.style.name, p.text) for p in doc.paragraphs] == [
        ("Title", "エネルギー安全保障について（提言）"),
        ("Heading 1", "第1　エネルギー安全保障"),
        ("Body Text Indent 1", "日本は石油輸入の94%を中東に依存している1。詳しくは世界銀行のデータを参照。"),
        ("Heading 2", "1　現状"),
        ("List Bullet", "中東"),
        ("List Bullet", "北米"),
        ("List Bullet 2", "米国"),
        ("Closing", "以上"),
    ]
    body = doc.paragraphs[2]
    (note,) = [r for r in body.runs if r.text == "1"]
    assert note.font.superscript
    (link,) = body.hyperlinks
    assert (link.text, link.address) == ("世界銀行のデータ", "https://data.worldbank.org/")


def test_memo_table_has_a_repeating_bold_header_row(tmp_path):
    doc = write(tmp_path, MEMO)
    (table,) = doc.tables
    assert table.style.name == "Table Grid"
    assert [[c.text for c in row.cells] for row in table.rows] == [["国", "依存度"], ["日本", "94%"]]
    header, first = table.rows
    assert header._tr.xpath("./w:trPr/w:tblHeader") and not first._tr.xpath("./w:trPr/w:tblHeader")
    assert all(r.bold for c in header.cells for r in c.paragraphs[0].runs)
    assert {c.paragraphs[0].style.name for row in table.rows for c in row.cells} == {"Table Text"}


def test_memo_page_is_a4_with_the_japanese_grid_and_page_number(tmp_path):
    doc = write(tmp_path, MEMO)
    section = doc.sections[0]
    assert (section.page_width.twips, section.page_height.twips) == (11906, 16838)
    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "linesAndChars"
    footer = section.footer._element.xml
    assert "- " in footer
    assert 'w:instr="PAGE"' in footer or "PAGE" in "".join(section.footer._element.xpath(".//w:instrText/text()"))
    # "- " comes before the field and " -" after it.
    texts = section.footer._element.xpath(".//w:t/text() | .//w:instrText/text() | .//@w:instr")
    joined = "".join(texts)
    assert joined.index("- ") < joined.index("PAGE") < joined.index(" -")


def test_memo_body_prints_in_biz_ud_mincho_with_japanese_defaults(tmp_path):
    doc = write(tmp_path, MEMO)
    body = doc.paragraphs[2]
    fonts = inherited(body.style, "./w:rPr/w:rFonts[@w:eastAsia]")
    assert fonts.get(qn("w:eastAsia")) == "BIZ UD明朝"
    heading_fonts = inherited(doc.paragraphs[1].style, "./w:rPr/w:rFonts[@w:eastAsia]")
    assert heading_fonts.get(qn("w:eastAsia")) == "BIZ UDゴシック"
    # Half-width digits in a Japanese memo match the Mincho rather than the Latin style font.
    (digits,) = [r for r in body.runs if "94%" in r.text]
    assert digits.element.rPr.rFonts.get(qn("w:ascii")) == "BIZ UD明朝"
    lang = doc.styles.element.xpath("./w:docDefaults/w:rPrDefault/w:rPr/w:lang")[0]
    assert lang.get(qn("w:eastAsia")) == "ja-JP"
    settings = doc.settings.element
    assert settings.xpath("./w:characterSpacingControl/@w:val") == ["compressPunctuation"]


def test_memo_carries_document_properties(tmp_path):
    props = write(tmp_path, MEMO, epoch=EPOCH).core_properties
    assert (props.title, props.author, props.subject, props.keywords, props.language) == (
        "エネルギー安全保障について（提言）", "日本国際フォーラム", "政策提言", "日米, エネルギー", "ja-JP")
    assert props.created == props.modified == dt.datetime(2026, 5, 31, tzinfo=dt.timezone.utc)


def test_restyled_reference_changes_the_output(tmp_path):
    assert write(tmp_path, MEMO, "builtin.docx").styles["Heading 1"].font.size == Pt(12)
    reference = tmp_path / "mine.docx"
    shutil.copy(REFERENCE_DOCX, reference)
    ref = docx.Document(str(reference))
    ref.styles["Heading 1"].font.size = Pt(20)
    ref.save(str(reference))

    doc = write(tmp_path, MEMO, reference=reference)
    assert doc.paragraphs[1].style.name == "Heading 1"
    assert doc.styles["Heading 1"].font.size == Pt(20)


def test_unknown_data_style_falls_back_and_warns(tmp_path):
    html = page('<p data-style="No Such Style">本文</p><p data-style="No Such Style">再び</p>')
    result = render_docx(html)
    (tmp_path / "memo.docx").write_bytes(result.data)
    doc = docx.Document(str(tmp_path / "memo.docx"))
    assert [(p.style.name, p.text) for p in doc.paragraphs] == [("Body Text", "本文"), ("Body Text", "再び")]
    assert [str(p) for p in result.problems] == [  # once per document, placed at the reference
        f"{display_path(REFERENCE_DOCX)}: "
        "warning: the reference document has no paragraph style 'No Such Style'; used 'Body Text' instead "
        "(add the style in Word to control its look)"
    ]
    assert [p.kind for p in result.problems] == ["style"]


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda p: None, "reference document not found; pass an existing .docx to --reference-docx, or leave the option out to use the built-in one"),
        (lambda p: p.write_text("not a zip"), "not a .docx file (not a zip archive); open it in Word and save it as 'Word Document (*.docx)'"),
        (lambda p: zipfile.ZipFile(p, "w").writestr("hello.txt", "hi"), "not a Word document; open it in Word and save it as 'Word Document (*.docx)'"),
    ],
    ids=["missing", "not-a-zip", "zip-but-not-word"],
)
def test_bad_reference_is_one_clear_error_and_writes_nothing(tmp_path, make, message):
    reference = tmp_path / "ref.docx"
    make(reference)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    with pytest.raises(BriefgenError) as info:
        write_docx(MEMO, out_dir / "memo.docx", reference=reference)
    assert str(info.value) == f"{reference}: {message}"
    assert list(out_dir.iterdir()) == []


def test_control_characters_are_dropped(tmp_path):
    html = page("<h1>見出し\x00\x0b</h1><p>本文\x01です\x1f。<b>\x0c強調</b></p>").replace("<title>t", "<title>題\x00名")
    doc = write(tmp_path, html)
    assert [p.text for p in doc.paragraphs] == ["見出し", "本文です。強調"]
    assert doc.core_properties.title == "題名"


def test_html_white_space_collapses_like_a_browser(tmp_path):
    doc = write(tmp_path, page("<p>  日本は\n    石油の<b>94%</b>を\n輸入。 Energy\n  security  matters. 全角\u3000空白</p>"))
    assert doc.paragraphs[0].text == "日本は石油の94%を輸入。 Energy security matters. 全角\u3000空白"


def test_output_is_byte_reproducible_with_an_epoch(tmp_path):
    write_docx(MEMO, tmp_path / "a.docx", epoch=EPOCH)
    write_docx(MEMO, tmp_path / "b.docx", epoch=EPOCH)
    assert (tmp_path / "a.docx").read_bytes() == (tmp_path / "b.docx").read_bytes()
    assert {i.date_time for i in zipfile.ZipFile(tmp_path / "a.docx").infolist()} == {(2026, 5, 31, 0, 0, 0)}
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_each_ordered_list_starts_again_at_one(tmp_path):
    doc = write(tmp_path, page("<ol><li>一</li><li>二</li></ol><p>間</p><ol><li>一</li></ol>"))
    num_ids = [p._p.xpath("./w:pPr/w:numPr/w:numId/@w:val") for p in doc.paragraphs if p.style.name == "List Number"]
    assert num_ids[0] == num_ids[1] != num_ids[2]
    numbering = doc.part.numbering_part.element
    for num_id in {n[0] for n in num_ids}:
        assert numbering.xpath(f'./w:num[@w:numId="{num_id}"]/w:lvlOverride/w:startOverride/@w:val') == ["1"]


def test_page_break_keep_next_and_language_marks(tmp_path):
    doc = write(tmp_path, page(
        '<p>一</p><div class="page-break"></div><h2 data-keep-next>二</h2>'
        '<p>法律 <span lang="en">Inflation Reduction Act</span></p>'
    ))
    first, second, third = doc.paragraphs
    assert not first.paragraph_format.page_break_before
    assert second.paragraph_format.page_break_before and second.paragraph_format.keep_with_next
    (english,) = [r for r in third.runs if "Inflation" in r.text]
    assert english.element.xpath("./w:rPr/w:lang/@w:val") == ["en-US"]


def test_english_document_keeps_the_latin_style_fonts(tmp_path):
    doc = write(tmp_path, page("<h1>Energy</h1><p>Japan imports 94% of its oil.</p>", lang="en"), lang="en")
    assert doc.core_properties.language == "en-US"
    body = doc.paragraphs[1]
    assert all(r.element.rPr is None or r.element.rPr.rFonts is None for r in body.runs)
    assert inherited(body.style, "./w:rPr/w:rFonts[@w:ascii]").get(qn("w:ascii")) == "Times New Roman"  # on every Office install; see docs/word-styles.md


def test_page_estimate_counts_page_breaks(tmp_path):
    assert write_docx(page("<p>一</p>"), tmp_path / "one.docx") == 1
    assert write_docx(page('<p>一</p><div class="page-break"></div><p>二</p>'), tmp_path / "two.docx") == 2
    long = "".join(f"<p>{'長い本文。' * 16}</p>" for _ in range(80))  # 80 paragraphs of two lines
    assert write_docx(page(long), tmp_path / "long.docx") >= 4


def test_libreoffice_prints_the_headings(tmp_path):
    from pypdf import PdfReader

    src = tmp_path / "memo.docx"
    write_docx(MEMO, src)
    pdf = to_pdf(src, tmp_path)
    text = "".join("".join(page.extract_text().split()) for page in PdfReader(pdf).pages)
    for heading in ("第1", "エネルギー安全保障", "1　現状".replace("　", ""), "以上"):
        assert heading in text
    assert embedded_fonts(pdf) <= set(shipped_fonts())
    assert "BIZUDMincho-Regular" in embedded_fonts(pdf)


def test_open_xml_sdk_finds_no_errors(tmp_path):
    validator = ROOT / "tools" / "node_modules" / ".bin" / "ooxml-validator"
    if not validator.exists():
        if os.environ.get("CI"):
            pytest.fail("ooxml-validator is not installed; `make test` installs it into tools/")
        pytest.skip("ooxml-validator is not installed (run `make test` once)")
    html = MEMO.replace(
        "</body>",
        '<div class="page-break"></div><ol><li>一<ol><li>二</li></ol></li></ol><blockquote>引用</blockquote>'
        '<table><caption>表1</caption><tr><td colspan="2">結合</td></tr><tr><td>a<br>b</td><td><p>c</p><ul><li>d</li></ul></td></tr></table>'
        '<p data-style="Contact">連絡先<br><a href="mailto:a@example.org">a@example.org</a> <span lang="en">English</span></p>'
        '<p data-style="Note Text">注1　<a href="https://example.org/日本 語">リンク</a></p></body>',
    )
    out = tmp_path / "memo.docx"
    write_docx(html, out, epoch=EPOCH)
    result = subprocess.run([str(validator), str(out)], capture_output=True, text=True, timeout=120)
    report = json.loads(result.stdout)
    assert report["errors"] == []
    assert report["ok"] and result.returncode == 0


def test_english_documents_default_to_the_letter_reference_without_a_grid(tmp_path):
    assert default_reference("ja") == REFERENCE_DOCX and default_reference("en") == REFERENCE_DOCX_EN
    doc = write(tmp_path, page("<h1>Energy</h1><p>Japan imports 94% of its oil.</p>", lang="en"), lang="en")
    section = doc.sections[0]
    assert (section.page_width.twips, section.page_height.twips) == (12240, 15840)
    assert {m.twips for m in (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)} == {1080}  # 0.75 in: the two-page brief's copy in three pages
    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid is None or grid.get(qn("w:type")) in (None, "default")
    assert "linesAndChars" not in doc.element.xml
    body = doc.paragraphs[1]
    assert body.style.name == "Body Text"
    assert inherited(body.style, "./w:pPr/w:jc/@w:val") == "left"
    assert not body.style.element.xpath(".//w:ind/@w:leftChars | .//w:ind/@w:firstLineChars")
    lang = doc.styles.element.xpath("./w:docDefaults/w:rPrDefault/w:rPr/w:lang")[0]
    assert lang.get(qn("w:val")) == "en-US"
    # The page number is a real field, bottom right: "Page { PAGE } of { NUMPAGES }".
    footer = section.footer
    assert footer.paragraphs[0].style.name == "Footer"
    assert inherited(footer.paragraphs[0].style, "./w:pPr/w:jc/@w:val") == "right"
    assert [t.strip() for t in footer._element.xpath(".//w:instrText/text()")] == ["PAGE", "NUMPAGES"]
    # Japanese documents keep the A4 memo reference.
    memo = write(tmp_path, MEMO, "memo.docx", lang="ja").sections[0]
    assert (memo.page_width.twips, memo.page_height.twips) == (11906, 16838)


def test_both_references_have_the_same_style_names(tmp_path):
    names = [{s.name for s in docx.Document(str(ref)).styles} for ref in (REFERENCE_DOCX, REFERENCE_DOCX_EN)]
    assert names[0] == names[1]
    assert {"Title", "Heading 1", "Heading 4", "Body Text Indent 4", "Box Title", "Box Text", "Date Line",
            "Caption", "Note Text", "Contact", "Table Grid", "List Bullet"} <= names[1]


def test_a_list_styled_as_a_whole_keeps_its_bullets(tmp_path):
    doc = write(tmp_path, page(
        '<ul data-style="Box Text"><li>kept</li></ul><ol class="gist"><li data-style="Gist Item">1. typed</li></ol>', lang="en"), lang="en")
    kept, typed = doc.paragraphs
    assert kept.style.name == "Box Text" and kept._p.xpath("./w:pPr/w:numPr/w:numId")
    bullet = doc.styles["List Bullet"].element.xpath("./w:pPr/w:numPr/w:numId/@w:val")
    assert kept._p.xpath("./w:pPr/w:numPr/w:numId/@w:val") == bullet
    assert typed.style.name == "Gist Item" and not typed._p.xpath("./w:pPr/w:numPr")


def test_congress_word_copy_from_the_cli_uses_the_english_styles(tmp_path):
    from typer.testing import CliRunner

    from briefgen.cli import app
    from briefgen.content.load import load_content
    from briefgen.content.markup import plain_text

    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["build", "--content", str(CONTENT), "-a", "congress", "-f", "docx", "-l", "en",
                                      "--length", "short", "--out", str(out), "--strict"])
    assert result.exit_code == 0, result.output
    doc = docx.Document(str(out / "congress" / "brief-short.en.docx"))
    report = load_content(CONTENT).report
    pairs = [(p.style.name, p.text) for p in doc.paragraphs]
    by_style = {}
    for style, text in pairs:
        by_style.setdefault(style, []).append(text)

    assert doc.sections[0].page_width.twips == 12240
    (kicker,) = by_style["Date Line"]
    assert kicker.startswith("JFIR Policy Brief · ")
    assert by_style["Title"] == [plain_text((report.info.short_title or report.info.title).get("en"))]  # the display title
    assert by_style["Box Title"] == ["Bottom line · editor's summary", "Key figures", "Addressed to Japan's government"]
    assert by_style["Heading 1"] == ["Issues for Congress", "The report's 18 recommendations", "Author information"]
    ranked = sorted((ask for _, rec in report.recommendations() for ask in rec.asks.congress if ask.priority),
                    key=lambda ask: ask.priority)
    assert by_style["Heading 2"] == [f"{i}. {plain_text(ask.text.get('en'))}" for i, ask in enumerate(ranked, start=1)]
    themes = [t for t in report.themes if any(r.addressed_to != "japan-government" for r in t.recommendations)]
    assert by_style["Heading 3"] == [plain_text(t.short_title.get("en")) for t in themes]
    assert any(t.startswith("Committees: ") for t in by_style["Note Text"])
