"""Recipients' sets: the one-pagers' tagged QR code, the duplex-safe print sets, incremental and reproducible builds, the manifest."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from briefgen.cli import app
from briefgen.content.load import load_content

from .conftest import CONTENT, require_tool
from .pdfcheck import squash
from .test_recipients import CHOSEN, small_book

runner = CliRunner()
BLANK = {"en": "Thispageintentionallyleftblank.", "ja": "（このページは白紙です）"}


def build(book: Path, out: Path, *extra: str):
    result = runner.invoke(app, ["build", "--content", str(CONTENT), "--recipients-file", str(book), "--out", str(out), *extra])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("set")
    book = small_book(tmp / "recipients.yaml")
    output = build(book, tmp / "out")
    return tmp, book, tmp / "out", output


def page_text(reader: PdfReader, i: int) -> str:
    return squash(reader.pages[i].extract_text() or "")


@pytest.mark.parametrize("rid, path", [("senate-energy-and-natural-resources", "onepagers.en.letter.pdf"), ("the-environment", "onepagers.ja.a4.pdf")])
def test_one_pagers_qr_code_decodes_to_the_tagged_report_url(built, rid, path):
    zbarimg = require_tool("zbarimg")
    _, _, out, _ = built
    pdf = out / "recipients" / rid / path
    report = load_content(CONTENT, allow_missing=True).report
    # The recipient's themes, one page each: theme 4 (energy) holds recs 8-12 and 9-10.
    assert len(PdfReader(pdf).pages) == {"senate-energy-and-natural-resources": 2, "the-environment": 1}[rid]
    subprocess.run(["pdftoppm", "-r", "300", "-png", "-f", "1", "-l", "1", str(pdf), str(out.parent / f"qr-{rid}")], check=True)
    (png,) = out.parent.glob(f"qr-{rid}*.png")
    decoded = subprocess.run([zbarimg, "--raw", "-q", str(png)], capture_output=True, text=True).stdout.split()
    assert len(decoded) == 1, decoded
    url = urlsplit(decoded[0])
    assert f"{url.scheme}://{url.netloc}{url.path}" == report.info.url
    assert parse_qs(url.query) == {"utm_source": ["onepager"], "utm_medium": ["print"], "utm_campaign": [report.info.id], "utm_content": [rid]}


def test_print_sets_start_every_recipient_on_a_new_sheet(built):
    _, _, out, _ = built
    index = json.loads((out / "recipients/index.json").read_text(encoding="utf-8"))["recipients"]
    for paper, lang in (("letter", "en"), ("a4", "ja")):
        reader = PdfReader(out / f"recipients/print-set.{paper}.pdf")
        parts = [f for r in index for f in r["files"] if f["path"].endswith(f".{paper}.pdf")]
        assert parts, paper
        at = 0
        for part in parts:
            # Each document starts on an odd page (the front of a sheet) and is its own file's pages.
            assert at % 2 == 0, (paper, part["path"], at)
            first = squash(PdfReader(out / part["path"]).pages[0].extract_text())
            assert page_text(reader, at) == first, part["path"]
            at += part["pages"]
            if part["pages"] % 2:  # the back of its last sheet is blank, and says so
                assert page_text(reader, at) == BLANK[lang]
                at += 1
        assert at == len(reader.pages)
        # One paper per set, blank backs included: a print job runs on one paper.
        assert {(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in reader.pages} == {{"letter": (612, 792), "a4": (595, 842)}[paper]}


def test_manifest_lists_each_recipient_document_and_the_print_sets(built):
    _, _, out, _ = built
    artifacts = {a["path"]: a for a in json.loads((out / "manifest.json").read_text(encoding="utf-8"))["artifacts"]}
    index = json.loads((out / "recipients/index.json").read_text(encoding="utf-8"))["recipients"]
    for row in index:
        for f in row["files"]:
            assert artifacts[f["path"]]["recipient"] == row["id"]
            assert artifacts[f["path"]]["pages"] == f["pages"]
    assert artifacts["recipients/print-set.letter.pdf"]["recipients"] == ["senate-energy-and-natural-resources"]
    assert artifacts["recipients/print-set.a4.pdf"]["recipients"] == ["the-environment"]
    assert artifacts["recipients/print-set.a4.pdf"]["pages"] == len(PdfReader(out / "recipients/print-set.a4.pdf").pages)


def test_editing_one_recipient_rebuilds_only_its_documents(built):
    tmp, book, out, _ = built
    work = tmp / "incremental"
    shutil.copytree(out, work)
    files = sorted(p for p in (work / "recipients").glob("*/*.pdf"))
    before = {p: p.stat().st_mtime_ns for p in files}
    text = book.read_text(encoding="utf-8")
    edited = tmp / "edited.yaml"
    # A note for the ministry only: its memo and one-pagers change, the committee's do not.
    edited.write_text(text.replace("follows:\n  - 環境省", "note: 先日のご説明の資料です。\n  follows:\n  - 環境省"), encoding="utf-8")
    assert edited.read_text(encoding="utf-8") != text
    output = build(edited, work)
    rebuilt = sorted(line.split()[1] for line in output.splitlines() if line.startswith("built "))
    assert rebuilt == ["recipients/the-environment/memo.ja.a4.pdf", "recipients/the-environment/onepagers.ja.a4.pdf"]
    changed = sorted(str(p.relative_to(work)) for p in files if p.stat().st_mtime_ns != before[p])
    assert changed == rebuilt
    assert "先日のご説明の資料です。" in squash(PdfReader(work / rebuilt[0]).pages[0].extract_text())
    assert f"wrote {work / 'recipients/print-set.a4.pdf'}" in output
    assert f"wrote {work / 'recipients/print-set.letter.pdf'}" not in output  # its parts are unchanged


def test_the_same_input_makes_the_same_bytes(built):
    tmp, book, out, _ = built
    again = tmp / "again"
    build(book, again, "--jobs", "1")  # the first build ran in parallel: the bytes do not depend on it
    made = sorted(p.relative_to(out) for p in (out / "recipients").rglob("*") if p.is_file())
    assert len(made) == 4 + 2 + 2  # four documents, two print sets, the index twice
    assert [p for p in made if (out / p).read_bytes() != (again / p).read_bytes()] == []


def test_an_example_entry_says_so_where_the_reader_sees_it(tmp_path):
    book = small_book(tmp_path / "recipients.yaml", ids=("the-environment",))
    book.write_text(book.read_text(encoding="utf-8").replace("  kind: ministry", "  kind: ministry\n  example: true"), encoding="utf-8")
    out = tmp_path / "out"
    build(book, out, "--audience", "ministry")
    assert not (out / "recipients/the-environment/onepagers.ja.a4.pdf").exists()  # --audience picks the documents
    first = squash(PdfReader(out / "recipients/the-environment/memo.ja.a4.pdf").pages[0].extract_text())
    assert "（例示の宛先：書式を示すためのものです。送付前に宛先を確認してください。）" in first
    assert first.index("例示の宛先") < first.index("記")


def test_a_long_print_set_joined_in_chunks_has_the_same_pages(built, monkeypatch):
    from briefgen.build import recipients

    tmp, book, out, _ = built
    work = tmp / "chunked"
    shutil.copytree(out, work)
    for path in (work / "recipients").glob("print-set.*.pdf"):
        path.unlink()
    monkeypatch.setattr(recipients, "CHUNK", 1)  # every document and blank page its own chunk
    output = build(book, work)
    assert not [line for line in output.splitlines() if line.startswith("built ")]  # the documents are up to date
    for paper in ("letter", "a4"):
        joined, whole = PdfReader(work / f"recipients/print-set.{paper}.pdf"), PdfReader(out / f"recipients/print-set.{paper}.pdf")
        assert len(joined.pages) == len(whole.pages) > 2
        assert [page_text(joined, i) for i in range(len(joined.pages))] == [page_text(whole, i) for i in range(len(whole.pages))]
