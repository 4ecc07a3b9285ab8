"""Recipients' editions: the recipients file is checked with file:line, each edition leads with what its recipient follows."""

from __future__ import annotations

import csv
import json
import textwrap
from pathlib import Path

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from briefgen.cli import app
from briefgen.content.load import load_content

from .conftest import CONTENT
from .pdfcheck import pdf_text, squash

runner = CliRunner()


@pytest.fixture(scope="module")
def content():
    return load_content(CONTENT, allow_missing=True)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Build three editions of the shipped example: a Senate committee, a ministry, and one that follows nothing."""
    out = tmp_path_factory.mktemp("out")
    result = runner.invoke(app, ["build", "--content", str(CONTENT), "--recipients", "--out", str(out),
                                 "--only", "senate-energy-and-natural-resources", "--only", "the-environment", "--only", "jfir-members"])
    assert result.exit_code == 0, result.output
    return out, result.output


def flat(text: str) -> str:
    """Return TEXT without whitespace and with straight quotes (the PDF prints typographic ones)."""
    return squash(text).translate(str.maketrans({"“": '"', "”": '"', "’": "'", "‘": "'"}))


def recs_following(content, field: str, name: str) -> list[int]:
    return [rec.number for _, rec in content.report.recommendations() if any(name in t.root.values() for t in getattr(rec, field))]


def test_committee_brief_leads_with_its_recommendations(built, content):
    out, _ = built
    text = flat(pdf_text(out / "recipients/senate-energy-and-natural-resources/brief.en.letter.pdf"))
    mine = recs_following(content, "us_committees", "Senate Energy and Natural Resources Committee")
    assert mine == [8, 9, 10, 11, 12]
    assert text.index("SenateEnergyandNaturalResourcesCommittee") < text.index("Underyourcommittees(5)")
    rest_at = text.index("Thereport'sotherrecommendations")
    # Each of its recommendations, marked, before the others; every other one after, in report order.
    positions = {}
    for _, rec in content.report.recommendations():
        title = flat(rec.title.get("en"))[:30]
        positions[rec.number] = text.index(f"{rec.number}.{title}", 0 if rec.number in mine else rest_at)
    assert all(positions[n] < rest_at for n in mine)
    assert text.count("YOURCOMMITTEE") == len(mine)
    others = [n for n in positions if n not in mine]
    assert all(positions[n] > rest_at for n in others)
    assert [positions[n] for n in others] == sorted(positions[n] for n in others)


def test_committee_brief_prints_only_its_asks_of_congress(built, content):
    out, _ = built
    text = flat(pdf_text(out / "recipients/senate-energy-and-natural-resources/brief.en.letter.pdf"))
    for _, rec in content.report.recommendations():
        for ask in rec.asks.congress:
            if ask.basis == "authors":
                assert (flat(ask.text.get("en"))[:40] in text) == (rec.number in (8, 9, 10, 11, 12)), rec.number


def test_ministry_memo_is_addressed_to_it_and_its_first_section_holds_its_recommendations(built, content):
    out, _ = built
    text = pdf_text(out / "recipients/the-environment/memo.ja.a4.pdf")
    whole = squash(text)
    assert whole.index("環境省御中") < whole.index("記")
    mine = recs_following(content, "jp_ministries", "環境省")
    assert mine == [9, 10]
    first = whole[whole.index("第1貴所管に関する提言（2件）"):whole.index("第2参考（その他の提言）")]
    second = whole[whole.index("第2参考（その他の提言）"):]
    for _, rec in content.report.recommendations():
        title = squash(rec.title.get("ja")).split("[sic]")[0]  # the memo prints [sic] as ［ママ］
        # Numbered as in the report, so a reader can cite them: "9　…" under 第1.
        assert (f"{rec.number}{title}" in first) == (rec.number in mine), rec.number
        assert (f"{rec.number}{title}" in second) == (rec.number not in mine), rec.number


def test_a_recipient_who_follows_nothing_gets_a_message_not_a_document(built):
    out, output = built
    assert "jfir-members: follows no committee this report addresses; no edition written (list its committees under follows:)" in output
    assert not (out / "recipients/jfir-members").exists()


def test_index_matches_the_files(built):
    out, _ = built
    index = json.loads((out / "recipients/index.json").read_text(encoding="utf-8"))["recipients"]
    assert [r["id"] for r in index] == ["senate-energy-and-natural-resources", "the-environment", "jfir-members"]
    files = [f for r in index for f in r["files"]]
    assert sorted(str(p.relative_to(out)) for p in (out / "recipients").rglob("*.pdf")) == sorted(f["path"] for f in files)
    for f in files:
        assert len(PdfReader(out / f["path"]).pages) == f["pages"] > 0
    rows = list(csv.DictReader((out / "recipients/index.csv").read_text(encoding="utf-8").splitlines()))
    assert [(r["id"], r["file"], int(r["pages"])) for r in rows] == [
        (r["id"], f["path"], f["pages"]) for r in index for f in (r["files"] or [{"path": "", "pages": 0}])]
    assert index[2]["message"].startswith("jfir-members: follows no committee")


BAD = """\
recipients:
  - id: senate-finance
    kind: committee
    name: {en: Senate Finance Committee}
    language: en
    follows: [Senate Finance Committee, Senate Finanse Committee]
  - id: senate-finance
    kind: committee
    name: {en: Senate Finance Committee}
    language: en
  - id: mofa
    kind: embassy
    name: {ja: 外務省}
    language: ja
    salutation: 各位
    follows: [外務省]
"""


def test_recipients_file_errors_name_file_and_line(tmp_path):
    path = tmp_path / "people.yaml"
    path.write_text(BAD, encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", "--content", str(CONTENT), "--recipients-file", str(path), "--out", str(out)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    lines = result.output.splitlines()
    assert f"{path}:12: recipients[2].kind: Input should be 'member-office', 'committee', 'ministry' or 'organisation'" in lines
    assert not out.exists()
    # With the kind fixed, the checks against the content run and report every problem at once.
    path.write_text(BAD.replace("embassy", "ministry"), encoding="utf-8")
    result = runner.invoke(app, ["build", "--content", str(CONTENT), "--recipients-file", str(path), "--out", str(out)])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"{path}:6: recipients[0].follows[1]: 'Senate Finanse Committee' is no committee (us_committees) the content names; spell it as in the theme files",
        f"{path}:7: recipients[1].id: 'senate-finance' is already used on line 2; give each recipient its own id",
        f"{path}:15: recipients[2].salutation: '各位' is not 御中, 殿 or 様; write one of them",
        "3 problems found.",
    ]
    assert not out.exists()


def test_unknown_recipient_and_stray_only_are_one_line_errors(tmp_path):
    result = runner.invoke(app, ["build", "--content", str(CONTENT), "--recipients", "--only", "nobody", "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert result.output.startswith("briefgen: --only nobody: no such recipient; choose from ")
    result = runner.invoke(app, ["build", "--content", str(CONTENT), "--only", "nobody", "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert result.output.strip() == "briefgen: --only picks recipients: use it with --recipients"
    assert not (tmp_path / "out").exists()


def test_shipped_example_covers_every_committee_and_ministry(content):
    from briefgen.content.recipients import bodies, load_recipients

    people = load_recipients(content)
    followed = {name for r in people for name in r.follows}
    for field in ("us_committees", "jp_ministries"):
        for _, rec in content.report.recommendations():
            for t in getattr(rec, field):
                assert set(t.root.values()) & followed, t.root
    assert bodies(content, "jp_ministries") >= {"外務省", "環境省"}
