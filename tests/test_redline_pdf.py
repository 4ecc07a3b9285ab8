"""`briefgen build --since OLD`: the full brief and the memo PDF end with the changes in this edition."""

from __future__ import annotations

from pathlib import Path

import pytest
from page import validate_pdf
from pypdf import PdfReader

from .pdfcheck import squash
from .test_redline import build, edition_pair

MEMO = Path("ministry") / "memo.ja.a4.pdf"
BRIEF = Path("congress") / "brief-full.en.letter.pdf"


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("redline-pdf")
    old, new = edition_pair(tmp)
    build(new, tmp / "red", "-a", "ministry", "-a", "congress", "-f", "pdf", "--length", "full", "--since", str(old))
    build(new, tmp / "plain", "-a", "ministry", "-a", "congress", "-f", "pdf", "--length", "full")
    return tmp


def section(path: Path, title: str) -> tuple[str, int]:
    """Return the squashed text from the section headed TITLE to the end, and the page it starts on."""
    pages = [page.extract_text() or "" for page in PdfReader(path).pages]
    start = next(i for i, text in enumerate(pages) if text.lstrip().startswith(title))
    return squash("\n".join(pages[start:])), start


def links(path: Path, first: int) -> list[tuple[str, int]]:
    """Return the internal links on pages from FIRST on as (destination name, page it leads to)."""
    reader = PdfReader(path)
    dests = {name: reader.get_destination_page_number(dest) for name, dest in reader.named_destinations.items()}
    found = []
    for page in reader.pages[first:]:
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            if annot["/Subtype"] == "/Link" and "/Dest" in annot:
                found.append((str(annot["/Dest"]), dests[str(annot["/Dest"])]))
    return found


def test_memo_lists_every_planted_change_marked_in_words(pdfs):
    text, start = section(pdfs / "red" / MEMO, "今回の改訂箇所")
    # Each change by the memo's own names, struck and underlined text announced as ［削除：…］［追加：…］.
    for line in ("提言1の数値1　調達先を多角化せよ（修正）", "数値：［削除：94%］［追加：90%］",
                 "提言2（追加）", "表題：［追加：水素で協力せよ］",
                 "注1（修正）", "URL：https://data.worldbank.org/［追加：indicator］",
                 "提言3　備蓄を増やせ（移動）", "第1から第2へ移動（旧2→新3）。",
                 "提言4　査証を迅速化せよ（修正）", "要旨：日米間の人材移動は、両国の経済にとって［削除：重要な］［追加：不可欠な］基盤である。",
                 "ポイント（ア）：［削除：査証を］［追加：査証の発給を］迅速化せよ",
                 "提言3（削除）", "表題：［削除：送電網を強化せよ］"):
        assert squash(line) in text
    # The English-only title change and the body (which the memo does not print) are not listed.
    assert "Diversify" not in text and "本文（第1段落）" not in text


def test_brief_lists_every_planted_change_marked_in_words(pdfs):
    text, _ = section(pdfs / "red" / BRIEF, "Changes in this edition")
    for line in ("Recommendation 1: Diversify oil suppliers now (changed)", "Title: Diversify [inserted: oil] suppliers [inserted: now]",
                 "Text, paragraph 1: Japan relies on the Middle East for [deleted: 94%][inserted: 90%] of its oil imports.",
                 "Figure 1 of Recommendation 1: Diversify oil suppliers now (changed)", "Figure: [deleted: 94%][inserted: 90%]",
                 "Recommendation 2 (added)", "Title: [inserted: Cooperate on hydrogen]",
                 "Note 1 (changed)", "URL: https://data.worldbank.org/[inserted: indicator]",
                 "Recommendation 3: Expand reserves (moved)", "Moved from Theme 1 to Theme 2 (number 2 is now 3).",
                 "Recommendation 3 (removed)", "Title: [deleted: Strengthen the grid]"):
        assert squash(line) in text
    assert "重要な" not in text  # a change to the Japanese text only is not the English brief's


@pytest.mark.parametrize("name, entries", [(MEMO, 5), (BRIEF, 5)])
def test_each_change_links_to_its_place(pdfs, name, entries):
    path = pdfs / "red" / name
    _, start = section(path, "今回の改訂箇所" if name == MEMO else "Changes in this edition")
    found = links(path, start)
    # Every change that has a place in this edition links there (the removed one has none).
    assert len(found) == entries
    assert {dest for dest, _ in found} == {"rec-diversify", "rec-hydrogen", "theme-energy", "rec-storage",
                                         "rec-visas" if name == MEMO else "rec-diversify"}
    assert all(page < start for _, page in found)  # into the document, not the section itself


@pytest.mark.parametrize("name", [MEMO, BRIEF])
def test_the_first_page_links_to_the_section(pdfs, name):
    """The memo's 改訂 line, and a line under the brief's head, lead to the changes on the last page."""
    reader = PdfReader(pdfs / "red" / name)
    assert {link for link in links(pdfs / "red" / name, 0) if link[0] == "changes"} == {("changes", len(reader.pages) - 1)}
    if name == BRIEF:
        assert squash(f"Revised since the edition of May 31, 2026; see Changes in this edition (p. {len(reader.pages)})") in squash(reader.pages[0].extract_text())


def test_without_since_there_is_no_changes_section(pdfs):
    for name, title in ((MEMO, "今回の改訂箇所"), (BRIEF, "Changes in this edition")):
        text = squash("".join(p.extract_text() for p in PdfReader(pdfs / "plain" / name).pages))
        assert squash(title) not in text
        assert len(PdfReader(pdfs / "plain" / name).pages) == len(PdfReader(pdfs / "red" / name).pages) - 1


@pytest.mark.parametrize("name", [MEMO, BRIEF])
def test_redlined_pdfs_pass_pdf_ua_1(pdfs, name):
    report = validate_pdf(pdfs / "red" / name, profile="ua1")
    assert [f"{f.rule_id}: {f.message}" for f in report.failures] == [] and report.is_compliant
