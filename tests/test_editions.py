"""Editions: the edition line in outputs, and `briefgen diff` between two editions."""

from __future__ import annotations

import copy
import json
import subprocess
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from briefgen.cli import app
from briefgen.content.inline_diff import inline_diff, tokens

from .conftest import REPORT

runner = CliRunner()


def _rec(number, rid, title_ja, title_en, body_ja, body_en, **extra):
    return {"number": number, "id": rid, "title": {"ja": title_ja, "en": title_en}, "authors": ["tanaka"],
            "addressed_to": "both", "summary": {"ja": body_ja, "en": body_en},
            "key_points": [{"ja": title_ja, "en": title_en}], "body": [{"ja": body_ja, "en": body_en}], **extra}


DIVERSIFY = _rec(1, "diversify", "調達先を多角化せよ", "Diversify suppliers",
                 "日本は石油輸入の94%を中東に依存している。", "Japan relies on the Middle East for 94% of its oil imports.",
                 figures=[{"value": "94%", "label": {"ja": "中東依存度", "en": "oil imports from the Middle East"}, "year": 2024,
                           "quote": "石油輸入の94%"}])
STORAGE = _rec(2, "storage", "備蓄を増やせ", "Expand reserves", "備蓄は重要である。", "Reserves matter.")
GRID = _rec(3, "grid", "送電網を強化せよ", "Strengthen the grid", "送電網は古い。", "The grid is old.")
VISAS = _rec(4, "visas", "査証を迅速化せよ", "Speed up visas",
             "日米間の人材移動は、両国の経済にとって重要な基盤である。", "Mobility between the two countries underpins both economies.")
HYDROGEN = _rec(2, "hydrogen", "水素で協力せよ", "Cooperate on hydrogen", "水素は有望である。", "Hydrogen is promising.")


def _theme(tid, number, recs, notes=()):
    return {"id": tid, "number": number, "title": {"ja": tid, "en": tid.title()}, "short_title": {"ja": tid, "en": tid.title()},
            "notes": list(notes), "recommendations": recs,
            **({"challenges": [{"title": {"ja": "課題", "en": "The challenge"}, "authors": ["tanaka"],
                                "body": [{"ja": "中東への依存が高い[^1]。", "en": "Dependence on the Middle East is high.[^1]"}]}]} if notes else {})}


def write_edition(root: Path, themes: list[dict], edition: dict | None = None) -> Path:
    (root / "themes").mkdir(parents=True, exist_ok=True)
    report = REPORT + (yaml.safe_dump({"edition": edition}, allow_unicode=True) if edition else "")
    (root / "report.yaml").write_text(report, encoding="utf-8")
    for theme in themes:
        (root / "themes" / f"{theme['number']:02d}-{theme['id']}.yaml").write_text(yaml.safe_dump(theme, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return root


NOTE = {"id": "1", "text": "World Bank Data", "url": "https://data.worldbank.org/"}


def first_edition(root: Path) -> Path:
    return write_edition(root, [_theme("energy", 1, [DIVERSIFY, STORAGE, GRID], [NOTE]), _theme("mobility", 2, [VISAS])])


def second_edition(root: Path) -> Path:
    """The first edition with one planted change of each kind."""
    diversify = copy.deepcopy(DIVERSIFY)
    diversify["title"]["en"] = "Diversify oil suppliers now"  # reworded
    diversify["body"] = [{"ja": "日本は石油輸入の90%を中東に依存している。", "en": "Japan relies on the Middle East for 90% of its oil imports."}]
    diversify["summary"] = DIVERSIFY["summary"]
    diversify["figures"][0].update(value="90%", quote="石油輸入の90%")  # changed figure
    storage = dict(STORAGE, number=3)  # moved to mobility
    visas = copy.deepcopy(VISAS)
    visas["body"][0]["ja"] = "日米間の人材移動は、両国の経済にとって不可欠な基盤である。"  # edit inside a sentence
    note = dict(NOTE, url="https://data.worldbank.org/indicator")
    return write_edition(root, [_theme("energy", 1, [diversify, HYDROGEN], [note]), _theme("mobility", 2, [storage, visas])],
                         edition={"number": 2, "date": "2026-06-30", "note": {"ja": "数値を更新", "en": "Figures updated"}})


def run_diff(*args: str):
    return runner.invoke(app, ["diff", *args])


def test_diff_lists_exactly_the_planted_changes(tmp_path):
    old, new = first_edition(tmp_path / "v1"), second_edition(tmp_path / "v2")
    result = run_diff(str(old), str(new), "--json")
    assert result.exit_code == 1, result.output
    data = json.loads(result.stdout)
    found = {(c["kind"], c["change"], c["recommendation"]): c for c in data["changes"]}
    assert sorted(found) == sorted([
        ("report", "changed", None),
        ("recommendation", "changed", "diversify"),
        ("figure", "changed", "diversify"),
        ("note", "changed", None),
        ("recommendation", "added", "hydrogen"),
        ("recommendation", "moved", "storage"),
        ("recommendation", "changed", "visas"),
        ("recommendation", "removed", "grid"),
    ])
    assert len(data["changes"]) == len(found)
    fields = lambda key: {(f["field"], f["lang"]) for f in found[key]["fields"]}
    assert fields(("recommendation", "changed", "diversify")) == {("title", "en"), ("body[1]", "ja"), ("body[1]", "en")}
    assert fields(("figure", "changed", "diversify")) == {("value", None), ("quote", None)}
    assert fields(("note", "changed", None)) == {("url", None)}
    assert fields(("recommendation", "changed", "visas")) == {("body[1]", "ja")}
    moved = found[("recommendation", "moved", "storage")]
    assert (moved["old_place"], moved["new_place"]) == ("energy #2 (number 2)", "mobility #1 (number 3)")
    # Word level in English: the unchanged words stay whole, the new ones are one insertion.
    title = next(f for f in found[("recommendation", "changed", "diversify")]["fields"] if f["field"] == "title")
    assert title["inline"] == [["=", "Diversify "], ["+", "oil "], ["=", "suppliers"], ["+", " now"]]
    # Phrase level in Japanese: the edited phrase, not single characters.
    body = found[("recommendation", "changed", "visas")]["fields"][0]
    assert [s for s in body["inline"] if s[0] != "="] == [["-", "重要な"], ["+", "不可欠な"]]
    assert data["summary"] == {"added": 1, "removed": 1, "moved": 1, "changed": 5}


def test_diff_text_listing(tmp_path):
    old, new = first_edition(tmp_path / "v1"), second_edition(tmp_path / "v2")
    result = run_diff(str(old), str(new))
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert "changed recommendation 1 diversify (energy): 調達先を多角化せよ" in lines
    assert "  title [en]: Diversify {+oil +}suppliers{+ now+}" in lines
    assert "  body[1] [ja]: 日米間の人材移動は、両国の経済にとって[-重要な-]{+不可欠な+}基盤である。" in lines
    assert "moved recommendation 3 storage (mobility): 備蓄を増やせ [energy #2 (number 2) → mobility #1 (number 3)]" in lines
    assert "removed recommendation 3 grid (energy): 送電網を強化せよ" in lines
    assert lines[-1] == f"8 changes between {old} and {new}: 1 added, 1 removed, 1 moved, 5 changed"


def test_same_edition_exits_0(tmp_path):
    old = first_edition(tmp_path / "v1")
    result = run_diff(str(old), str(old))
    assert result.exit_code == 0
    assert result.stdout == f"no changes between {old} and {old}\n"


def test_japanese_is_compared_by_phrase():
    parts = tokens("日米間の人材移動は、両国の経済にとって重要な基盤である。", "ja")
    assert "".join(parts) == "日米間の人材移動は、両国の経済にとって重要な基盤である。"
    assert 3 < len(parts) < 12  # phrases: neither one token nor one per character
    assert inline_diff("両国にとって重要だ。", "両国にとって重要だ。", "ja") == [("=", "両国にとって重要だ。")]


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True).stdout


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """A git repository whose first commit holds the first edition and whose work tree holds the second."""
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q")
    first_edition(repo / "content")
    _git(repo, "add", "content")
    _git(repo, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-m", "first edition")
    _git(repo, "tag", "v1")
    import shutil

    shutil.rmtree(repo / "content")
    second_edition(repo / "content")
    monkeypatch.chdir(repo)
    return repo


def test_git_revision_as_a_side(repo, tmp_path):
    before = _git(repo, "status", "--porcelain")
    from_git = run_diff("v1:content", "content", "--json")
    assert from_git.exit_code == 1, from_git.output
    from_folder = run_diff(str(first_edition(tmp_path / "copy")), "content", "--json")
    strip = lambda out: json.loads(out)["changes"]
    assert strip(from_git.stdout) == strip(from_folder.stdout)
    assert json.loads(from_git.stdout)["old"] == "v1:content"
    assert _git(repo, "status", "--porcelain") == before  # nothing checked out or written
    # Both sides from git: the same commit twice has no changes.
    assert run_diff("v1:content", "HEAD:content").exit_code == 0


@pytest.mark.parametrize(("old", "message"), [
    ("v9:content", "v9:content: unknown git revision 'v9'; check it with git log"),
    ("v1:nowhere", "v1:nowhere: no content folder at 'nowhere' in v1; give the folder's path, e.g. v1:content"),
    ("--output=x:content", "--output=x:content: '--output=x' is not a git revision; write REV:path, e.g. HEAD~1:content"),
    ("missing", "missing: no such content folder or git revision; pass a folder or REV:path (e.g. HEAD~1:content)"),
])
def test_bad_side_exits_2(repo, old, message):
    result = run_diff("--", old, "content")  # after --, even a dash-led argument reaches briefgen
    assert result.exit_code == 2
    assert result.stderr.strip() == f"briefgen: {message}"
    assert "Traceback" not in result.output


def test_invalid_edition_at_a_revision_is_named(repo):
    (repo / "content" / "themes" / "01-energy.yaml").write_text("id: [\n", encoding="utf-8")
    _git(repo, "add", "content")
    _git(repo, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-m", "broken")
    result = run_diff("HEAD:content", "v1:content")
    assert result.exit_code == 2
    assert result.stderr.startswith("HEAD:content/themes/01-energy.yaml:")
    assert "briefgen-rev-" not in result.stderr


@pytest.fixture(scope="module")
def reissued(tmp_path_factory) -> Path:
    """The memo, the short brief and a one-pager of a second edition."""
    root = tmp_path_factory.mktemp("reissued")
    content = second_edition(root / "content")
    out = root / "out"
    for args in (["-a", "ministry", "-f", "docx"], ["-a", "congress", "--length", "short"], ["-a", "onepager", "-t", "energy"]):
        result = runner.invoke(app, ["build", "--content", str(content), *args, "--out", str(out), "-q"])
        assert result.exit_code == 0, result.output
    return out


def test_memo_date_block_has_the_revision_line(reissued):
    import docx

    lines = [p.text for p in docx.Document(reissued / "ministry" / "memo.ja.docx").paragraphs[:3]]
    assert lines[:2] == ["令和8年5月31日", "改訂 令和8年6月30日（第2版）"]


def test_brief_says_updated_and_keeps_the_product_id(reissued):
    from .pdfcheck import pdf_text, squash

    text = squash(pdf_text(reissued / "congress" / "brief-short.en.letter.pdf"))
    assert text.startswith(squash("POLICY BRIEF UPDATED JUNE 30, 2026"))  # the kicker (built-in series label: the fixture names none), in capitals, where the date stands
    assert squash("mini · Edition 2 · Updated June 30, 2026 — Figures updated") in text


def test_one_pager_footer_names_the_edition(reissued):
    from .pdfcheck import pdf_text, squash

    ja = squash(pdf_text(next((reissued / "onepager").glob("*.ja.*.pdf"))))
    en = squash(pdf_text(next((reissued / "onepager").glob("*.en.*.pdf"))))
    assert squash("（2026年5月31日、改訂 2026年6月30日・第2版）") in ja
    assert squash("(May 31, 2026; updated June 30, 2026, edition 2)") in en


def test_edition_cannot_predate_the_report(tmp_path):
    content = write_edition(tmp_path / "c", [_theme("energy", 1, [DIVERSIFY])], edition={"number": 2, "date": "2026-01-01"})
    result = runner.invoke(app, ["check", "--content", str(content)])
    assert result.exit_code == 1
    assert result.stderr.strip() == (f"{content}/report.yaml:21: edition.date 2026-01-01 is before the report's date 2026-05-31;"
                                      " an edition cannot predate the report")


def _resolve(paragraph, accept: bool) -> str:
    """Return PARAGRAPH's text with every tracked change accepted (or rejected), as Word would."""
    from docx.oxml.ns import qn

    out = []
    for child in paragraph._p:
        if child.tag == qn("w:r"):
            out += [t.text for t in child.iter(qn("w:t"))]
        elif child.tag == qn("w:ins") and accept:
            out += [t.text for t in child.iter(qn("w:t"))]
        elif child.tag == qn("w:del") and not accept:
            out += [t.text for t in child.iter(qn("w:delText"))]
    return "".join(out)


def test_changes_docx_has_tracked_changes_that_accept_to_new_and_reject_to_old(tmp_path):
    import docx
    from docx.oxml.ns import qn

    old, new = first_edition(tmp_path / "v1"), second_edition(tmp_path / "v2")
    out = tmp_path / "changes.docx"
    result = run_diff(str(old), str(new), "--docx", str(out), "--author", "Desk editor", "--json")
    assert result.exit_code == 1, result.output
    fields = [f for c in json.loads(result.stdout)["changes"] for f in c["fields"] if f["inline"]]
    paragraphs = docx.Document(out).paragraphs
    tracked = [p for p in paragraphs if p._p.find(qn("w:ins")) is not None or p._p.find(qn("w:del")) is not None]
    resolved = {(_resolve(p, False), _resolve(p, True)) for p in tracked}
    for field in fields:  # every reworded field: reject all → old text, accept all → new text
        assert (field["old"], field["new"]) in resolved
    assert ("", "水素で協力せよ") in resolved and ("送電網を強化せよ", "") in resolved  # added and removed recommendations
    marks = [m for p in tracked for m in p._p if m.tag in (qn("w:ins"), qn("w:del"))]
    assert {m.get(qn("w:author")) for m in marks} == {"Desk editor"}
    assert {m.get(qn("w:date")) for m in marks} == {"2026-06-30T00:00:00Z"}
    assert len({m.get(qn("w:id")) for m in marks}) == len(marks)
    assert paragraphs[0].text == "Changes in this edition"
    # LibreOffice loads it and prints the deleted text (struck through) beside the inserted.
    from .libreoffice import to_pdf
    from .pdfcheck import pdf_text, squash

    text = squash(pdf_text(to_pdf(out, tmp_path / "pdf")))
    assert squash("Diversify oil suppliers now") in text and "重要な不可欠な" in text


def test_i18n_export_changed_since_holds_only_changed_sources(tmp_path):
    from lxml import etree

    old, new = first_edition(tmp_path / "v1"), second_edition(tmp_path / "v2")
    out = tmp_path / "changed.xlf"
    result = runner.invoke(app, ["i18n", "export", "--content", str(new), "--changed-since", str(old), "-l", "en", "-o", str(out)])
    assert result.exit_code == 0, result.output
    ns = {"x": "urn:oasis:names:tc:xliff:document:1.2"}
    units = {u.get("resname"): u for u in etree.parse(str(out)).iterfind(".//x:trans-unit", ns)}
    visas = units["themes/02-mobility.yaml#recommendations[1].body[0]"]
    notes = [n.text for n in visas.iterfind("x:note", ns)]
    assert "Previous ja: 日米間の人材移動は、両国の経済にとって重要な基盤である。" in notes
    assert "Changed: 日米間の人材移動は、両国の経済にとって[-重要な-]{+不可欠な+}基盤である。" in notes
    assert "themes/01-energy.yaml#recommendations[0].body[0]" in units  # 94% → 90%
    # Unchanged sources are left out, whatever the state of their translation.
    assert "themes/01-energy.yaml#title" not in units
    assert "themes/01-energy.yaml#recommendations[0].title" not in units  # only its English changed
    assert "themes/01-energy.yaml#challenges[0].body[0]" not in units
