"""One-page handouts and the handout pack, checked as a printer and a reader get them."""

import subprocess
from pathlib import Path

import pikepdf
import pytest
from typer.testing import CliRunner

from briefgen.cli import app
from briefgen.content.load import load_content
from briefgen.content.markup import plain_text

from .conftest import CONTENT, crowded_theme, REPORT, require_tool, write_content
from .pdfcheck import ascii_punctuation_in_japanese, figure_alts, page_sizes, pdf_facts, pdf_lines, pdf_text, squash, text_pieces

runner = CliRunner()
SIZES = {"a4": (595, 842), "letter": (612, 792)}


@pytest.fixture(scope="module")
def onepagers(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("out")
    result = runner.invoke(app, ["build", "--content", str(CONTENT), "-a", "onepager", "--paper", "a4", "--paper", "letter", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out / "onepager"


@pytest.fixture(scope="module")
def report():
    return load_content(CONTENT).report


def test_every_theme_language_and_paper_is_exactly_one_page(onepagers, report):
    files = sorted(onepagers.glob("*.pdf"))
    assert len(files) == len(report.themes) * 2 * 2 == 28
    for theme in report.themes:
        for lang in ("ja", "en"):
            for paper, size in SIZES.items():
                path = onepagers / f"{theme.number:02d}-{theme.id}.{lang}.{paper}.pdf"
                assert page_sizes(path) == [size], path.name
                text = squash(pdf_text(path))
                for rec in theme.recommendations:
                    assert squash(plain_text(rec.title.get(lang), lang)) in text, (path.name, rec.number)
                assert squash(plain_text(theme.title.get(lang), lang)) in text
                assert pdf_facts(path)["lang"] == lang


MM = 72 / 25.4
FOOTER_TOP = (12 + 32) * MM  # onepager.css: 12 mm page margin, 32 mm footer; PDF y grows upwards


def body_size(lines) -> float:
    """Return the type size most of a page's text (above the footer) is set in."""
    chars: dict[float, int] = {}
    for line in lines:
        if line.y > FOOTER_TOP:
            chars[line.size] = chars.get(line.size, 0) + len(line.text)
    return max(chars, key=chars.get)


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_the_series_has_one_body_size_and_no_half_empty_sheet(onepagers, report, lang, paper):
    sizes = {}
    for theme in report.themes:
        path = onepagers / f"{theme.number:02d}-{theme.id}.{lang}.{paper}.pdf"
        (lines,) = pdf_lines(path)
        sizes[theme.id] = body_size(lines)
        height = page_sizes(path)[0][1]
        lowest = min(line.y for line in lines if line.y > FOOTER_TOP + 2)
        assert (lowest - FOOTER_TOP) / height < 0.2, f"{path.name}: {(lowest - FOOTER_TOP) / height:.0%} of the page blank"
    assert len(set(sizes.values())) == 1, sizes
    assert min(sizes.values()) >= 9.5


def test_figures_badges_and_punctuation(onepagers, report):
    for lang in ("ja", "en"):
        for paper in ("a4", "letter"):
            value_sizes = set()
            for theme in report.themes:
                path = onepagers / f"{theme.number:02d}-{theme.id}.{lang}.{paper}.pdf"
                (lines,) = pdf_lines(path)
                values = {plain_text(f.value.get(lang)) for rec in theme.recommendations for f in rec.figures}
                value_sizes |= {line.size for line in lines if line.text.strip() in values}
                badge_texts = {f"提言{rec.number}" if lang == "ja" else f"Recommendation {rec.number}" for rec in theme.recommendations}
                (pieces,) = text_pieces(path)
                badges = [p for p in pieces if p.text.strip() in badge_texts]
                assert len(badges) == len(theme.recommendations), (path.name, badges)
                assert all(p.size >= 9 and "Bold" in p.font for p in badges), (path.name, badges)  # legible at arm's length
                if lang == "ja":
                    assert ascii_punctuation_in_japanese(pdf_text(path)) == [], path.name
            assert len(value_sizes) == 1, (lang, paper, value_sizes)  # figures in one size across the series


def test_footer_notice_stands_on_its_own_and_the_qr_code_is_labelled(onepagers, report):
    text = squash(pdf_text(onepagers / "02-mobility.ja.a4.pdf"))
    group = "「非軍事的側面からの日米協力」研究会"
    # The footer prints the standalone disclaimer, which names the group itself (no 「上記研究会」).
    assert group in text and squash(report.info.disclaimer.get("ja")) in text and "上記研究会" not in text
    assert "報告書全文" + report.info.url in text  # the QR code's label and the address under it
    text = squash(pdf_text(onepagers / "02-mobility.en.letter.pdf"))
    assert "Fullreport" + report.info.url in text


def test_qr_code_decodes_to_the_report_url(onepagers, report, tmp_path):
    zbarimg = require_tool("zbarimg")
    path = onepagers / "04-energy.ja.a4.pdf"
    assert report.info.url in pdf_facts(path)["annots_uris"]
    subprocess.run(["pdftoppm", "-r", "150", "-png", str(path), str(tmp_path / "page")], check=True)
    (png,) = tmp_path.glob("page*.png")
    decoded = subprocess.run([zbarimg, "--raw", "-q", str(png)], capture_output=True, text=True).stdout.split()
    assert report.info.url in decoded
    assert figure_alts(path) == [f"報告書全文へのQRコード：{report.info.url}"]  # tagged, with alt text


def test_no_url_means_no_qr_code(mini, tmp_path):
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", "--content", str(mini), "-a", "onepager", "--lang", "en", "--out", str(out)])
    assert result.exit_code == 0, result.output
    (path,) = (out / "onepager").glob("*.pdf")
    with pikepdf.open(path) as pdf:
        assert not pdf.pages[0].obj.get("/Annots")  # no link: neither URL text nor QR
    assert "Full report" not in pdf_text(path)


def test_oversized_theme_fails_naming_the_overflow_and_writes_nothing(tmp_path):
    theme = crowded_theme(8, 5, 60, 30, "with a long title that goes on and on", without_notes=True)
    root = write_content(tmp_path / "c", REPORT, {"01-energy.yaml": theme})
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", "--content", str(root), "-a", "onepager", "--lang", "en", "--paper", "letter", "--out", str(out)])
    assert result.exit_code == 1, result.output
    assert "theme 'energy' (en, letter) does not fit on one page even at 8 pt" in result.output
    assert "mm over" in result.output
    assert "Traceback" not in result.output
    assert not list(out.rglob("*.pdf")) and not list(out.rglob("*.tmp"))


def test_handout_pack_is_duplex_japanese_front_english_back(report, tmp_path):
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", "--content", str(CONTENT), "-a", "handout", "-t", "energy", "-t", "2", "--out", str(out)])
    assert result.exit_code == 0, result.output
    path = out / "handout" / "handout-pack.a4.pdf"
    from pypdf import PdfReader

    pages = [squash(p.extract_text()) for p in PdfReader(path).pages]
    assert len(pages) == 4
    assert ascii_punctuation_in_japanese(pages[0] + pages[2]) == []  # the Japanese fronts
    themes = [report.theme("2"), report.theme("energy")]
    for i, theme in enumerate(themes):
        front, back = pages[2 * i], pages[2 * i + 1]
        assert squash(plain_text(theme.title.get("ja"), "ja")) in front
        assert squash(plain_text(theme.title.get("en"))) in back
        for rec in theme.recommendations:
            assert squash(plain_text(rec.title.get("ja"), "ja")) in front
            assert squash(plain_text(rec.title.get("en"))) in back


def test_print_marks_give_a_real_bleed_marks_outside_it_and_a_slug(tmp_path):
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", "--content", str(CONTENT), "-a", "handout", "-t", "1", "--print-marks", "--out", str(out)])
    assert result.exit_code == 0, result.output
    path = out / "handout" / "handout-pack.a4.print.pdf"  # the print-shop variant has its own name
    mm = 72 / 25.4
    with pikepdf.open(path) as pdf:
        assert len(pdf.pages) == 2
        for page in pdf.pages:
            media = [float(v) for v in page.mediabox]
            trim = [float(v) for v in page.obj.TrimBox]
            bleed = [float(v) for v in page.obj.BleedBox]
            assert [float(v) for v in page.obj.ArtBox] == trim
            assert (round(trim[2] - trim[0]), round(trim[3] - trim[1])) == (595, 842)  # the trimmed sheet is A4
            for side in range(4):
                sign = -1 if side < 2 else 1
                assert sign * (bleed[side] - trim[side]) == pytest.approx(3 * mm, abs=0.01)  # 3 mm bleed round the trim
                assert sign * (media[side] - bleed[side]) >= 8 * mm  # room for marks outside the bleed
            # Every mark is drawn outside the bleed box (a print shop trims at TrimBox, prints to BleedBox).
            ops = pikepdf.parse_content_stream(page.obj.Contents[-1] if isinstance(page.obj.Contents, pikepdf.Array) else page.obj.Contents)
            points = [[float(v) for v in operands] for operands, op in ops if str(op) in ("m", "l")]
            assert len(points) >= 16 * 2 + 8
            for x, y in points:
                assert not (bleed[0] < x < bleed[2] and bleed[1] < y < bleed[3]), (x, y)
    from pypdf import PdfReader

    assert "page 1 of 2" in PdfReader(path).pages[0].extract_text()  # the slug line
    # The top band bleeds: its colour reaches past the trim on top; nothing is printed past the bottom.
    subprocess.run(["pdftoppm", "-r", "72", "-f", "1", "-l", "1", "-png", str(path), str(tmp_path / "p")], check=True)
    from PIL import Image

    (png,) = tmp_path.glob("p*.png")
    image = Image.open(png).convert("RGB")
    top_bleed = image.getpixel((image.width // 3, round((13 - 1.5) * mm)))  # 1.5 mm above the trim, inside the bleed
    bottom_bleed = image.getpixel((image.width // 3, image.height - round((13 - 1.5) * mm)))
    assert sum(top_bleed) < 200 and bottom_bleed == (255, 255, 255), (top_bleed, bottom_bleed)
