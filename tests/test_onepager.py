"""One-page handouts and the handout pack, checked as a printer and a reader get them."""

import subprocess
from pathlib import Path

import pikepdf
import pytest
from typer.testing import CliRunner

from briefgen.cli import app
from briefgen.content.load import load_content
from briefgen.content.markup import plain_text

from .conftest import CONTENT, REPORT, THEME, require_tool, write_content
from .pdfcheck import figure_alts, page_sizes, pdf_facts, pdf_text, squash

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
    points = "\n".join(f"      - {{ja: 長い要点{i}、" + "あ" * 60 + f", en: Long point {i} " + "word " * 30 + "}" for i in range(5))
    recs = ""
    for n in range(1, 9):
        recs += f"""  - number: {n}
    id: rec-{n}
    title: {{ja: 提言{n}, en: Recommendation {n} with a long title that goes on and on}}
    addressed_to: both
    summary: {{ja: 要旨。, en: Summary.}}
    key_points:
{points}
    body:
      - {{ja: 本文。, en: Body.}}
"""
    theme = THEME.split("recommendations:")[0].replace("notes:\n  - id: \"1\"\n    text: World Bank Data\n    url: https://data.worldbank.org/\n", "")
    theme = theme.replace("        en: Dependence on the Middle East is high.[^1]", "        en: Dependence on the Middle East is high.").replace("高い[^1]", "高い")
    root = write_content(tmp_path / "c", REPORT, {"01-energy.yaml": theme + "recommendations:\n" + recs})
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
    themes = [report.theme("2"), report.theme("energy")]
    for i, theme in enumerate(themes):
        front, back = pages[2 * i], pages[2 * i + 1]
        assert squash(plain_text(theme.title.get("ja"), "ja")) in front
        assert squash(plain_text(theme.title.get("en"))) in back
        for rec in theme.recommendations:
            assert squash(plain_text(rec.title.get("ja"), "ja")) in front
            assert squash(plain_text(rec.title.get("en"))) in back


def test_print_marks_add_bleed(tmp_path):
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", "--content", str(CONTENT), "-a", "handout", "-t", "1", "--print-marks", "--out", str(out)])
    assert result.exit_code == 0, result.output
    with pikepdf.open(out / "handout" / "handout-pack.a4.pdf") as pdf:
        page = pdf.pages[0]
        media = [float(v) for v in page.mediabox]
        trim = [float(v) for v in page.obj.get("/TrimBox", page.mediabox)]
        bleed = [float(v) for v in page.obj.get("/BleedBox", page.mediabox)]
    assert round(trim[2] - trim[0]) == 595  # the trimmed sheet is still A4
    assert round((trim[0] - bleed[0]) * 25.4 / 72) == 3  # 3 mm bleed on each side
    assert media == bleed  # WeasyPrint draws the crop marks in the bleed area
