"""`briefgen build --since OLD`: the Word documents carry the changes as real tracked changes."""

from __future__ import annotations

import copy
import json
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
import yaml
from lxml import etree
from typer.testing import CliRunner

from briefgen.cli import app

from .conftest import CONTENT, ROOT
from .libreoffice import to_pdf
from .pdfcheck import pdf_text, squash
from .test_editions import first_edition, second_edition

runner = CliRunner()
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MEMO = Path("ministry") / "memo.ja.docx"


def edition_pair(tmp_path: Path) -> tuple[Path, Path]:
    """The planted editions of test_editions, plus a Japanese edit inside a sentence the memo prints."""
    old, new = first_edition(tmp_path / "v1"), second_edition(tmp_path / "v2")
    theme = new / "themes" / "02-mobility.yaml"
    data = yaml.safe_load(theme.read_text(encoding="utf-8"))
    data["recommendations"][1]["summary"]["ja"] = "日米間の人材移動は、両国の経済にとって不可欠な基盤である。"
    data["recommendations"][1]["key_points"][0]["ja"] = "査証の発給を迅速化せよ"
    theme.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return old, new


def build(content: Path, out: Path, *args: str):
    result = runner.invoke(app, ["build", "--content", str(content), "--out", str(out), "--jobs", "1", *args])
    assert result.exit_code == 0, result.output
    return result


def document(path: Path):
    with zipfile.ZipFile(path) as z:
        return etree.fromstring(z.read("word/document.xml"))


def marked(root, kind: str) -> list[str]:
    """Return the text of each run-level w:ins or w:del (paragraph-mark revisions have none)."""
    return ["".join(el.itertext()) for el in root.iter(W + kind) if el.getparent().tag != W + "rPr"]


def resolve(root, keep: str):
    """Return a copy of ROOT with every revision accepted (KEEP="ins") or rejected (KEEP="del"), as Word would."""
    root = copy.deepcopy(root)
    drop = "del" if keep == "ins" else "ins"
    # Paragraphs and rows whose mark is dropped go whole (the writer marks them only when all their text goes too).
    for mark in list(root.iter(W + drop)):
        parent = mark.getparent()
        if parent.tag == W + "rPr" and parent.getparent().tag == W + "pPr":
            paragraph = parent.getparent().getparent()
            paragraph.getparent().remove(paragraph)
        elif parent.tag == W + "trPr":
            row = parent.getparent()
            row.getparent().remove(row)
    for mark in list(root.iter(W + drop)):
        mark.getparent().remove(mark)
    for mark in list(root.iter(W + keep)):
        parent = mark.getparent()
        for child in list(mark):
            mark.addprevious(child)
        parent.remove(mark)
    for t in root.iter(W + "delText"):
        t.tag = W + "t"
    return root


def paragraphs(root) -> list[str]:
    """Return the text of every paragraph of the body, table cells included, in reading order."""
    out = []
    for p in root.iter(W + "p"):
        out.append("".join(node.text or "" if node.tag == W + "t" else "\n" for node in p.iter(W + "t", W + "br")))
    return out


@pytest.fixture(scope="module")
def memos(tmp_path_factory):
    """The memo of each edition, and the second edition's memo redlined against the first."""
    tmp = tmp_path_factory.mktemp("redline")
    old, new = edition_pair(tmp)
    build(old, tmp / "old", "-a", "ministry", "-f", "docx")
    build(new, tmp / "new", "-a", "ministry", "-f", "docx")
    build(new, tmp / "red", "-a", "ministry", "-f", "docx", "--since", str(old))
    return {name: tmp / name / MEMO for name in ("old", "new", "red")}


def test_the_memo_tracks_the_planted_changes(memos):
    root = document(memos["red"])
    inserted, deleted = marked(root, "ins"), marked(root, "del")
    # A changed figure, and a Japanese edit inside a sentence as whole phrases, not characters.
    assert "94%" in deleted and "90%" in inserted
    assert "重要な" in deleted and "不可欠な" in inserted
    assert "査証を" in deleted and "査証の発給を" in inserted  # a key point (ア)
    # Added and removed recommendations, in the gist and as whole sections; the edition line.
    assert "2\u3000水素で協力せよ" in inserted and "3\u3000送電網を強化せよ" in deleted
    assert "水素は有望である。（提言先：日米両政府）" in inserted and "送電網は古い。（提言先：日米両政府）" in deleted
    assert "改訂 令和8年6月30日（第2版）" in inserted
    # The moved recommendation leaves its theme and arrives in the other.
    assert "2\u3000備蓄を増やせ" in deleted and "3\u3000備蓄を増やせ" in inserted
    # Unchanged text is untouched: the first recommendation's title is not marked.
    assert not [t for t in inserted + deleted if "調達先" in t]
    marks = [el for el in root.iter(W + "ins", W + "del")]
    assert {el.get(W + "author") for el in marks} == {"日本国際フォーラム"}  # the publisher, by default
    assert {el.get(W + "date") for el in marks} == {"2026-06-30T00:00:00Z"}  # the new edition's date
    ids = [el.get(W + "id") for el in marks]
    assert len(ids) == len(set(ids))


def test_accepting_all_gives_the_new_memo_and_rejecting_all_the_old(memos):
    red = document(memos["red"])
    assert paragraphs(resolve(red, "ins")) == paragraphs(document(memos["new"]))
    assert paragraphs(resolve(red, "del")) == paragraphs(document(memos["old"]))


def test_accept_and_reject_through_python_docx(memos, tmp_path):
    """python-docx reads the resolved documents: the paragraphs are the editions' own."""
    import docx

    for keep, edition in (("ins", "new"), ("del", "old")):
        with zipfile.ZipFile(memos["red"]) as src, zipfile.ZipFile(tmp_path / f"{keep}.docx", "w") as dst:
            for item in src.infolist():
                data = src.read(item)
                if item.filename == "word/document.xml":
                    data = etree.tostring(resolve(etree.fromstring(data), keep), xml_declaration=True, encoding="UTF-8", standalone=True)
                dst.writestr(item, data)
        got = [p.text for p in docx.Document(str(tmp_path / f"{keep}.docx")).paragraphs]
        assert got == [p.text for p in docx.Document(str(memos[edition])).paragraphs]


def test_author_option_and_git_revision(tmp_path):
    """--author names the reviser; --since takes REV:path, read from git without touching the tree."""
    old, new = edition_pair(tmp_path)
    repo = tmp_path / "repo"
    repo.mkdir()
    git = lambda *args: subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)
    git("init", "-q")
    subprocess.run(["cp", "-r", str(old), str(repo / "content")], check=True)
    git("add", ".")
    git("-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "first edition")
    subprocess.run(["rm", "-r", str(repo / "content")], check=True)
    subprocess.run(["cp", "-r", str(new), str(repo / "content")], check=True)
    cwd = os.getcwd()
    os.chdir(repo)
    try:
        build(Path("content"), tmp_path / "out", "-a", "ministry", "-f", "docx", "--since", "HEAD:content", "--author", "政策調整室")
    finally:
        os.chdir(cwd)
    root = document(tmp_path / "out" / MEMO)
    assert {el.get(W + "author") for el in root.iter(W + "ins", W + "del")} == {"政策調整室"}
    assert "不可欠な" in marked(root, "ins")


def test_english_word_brief_is_redlined_too(tmp_path):
    old, new = edition_pair(tmp_path)
    name = Path("congress") / "brief-short.en.docx"
    build(old, tmp_path / "old", "-a", "congress", "-f", "docx", "--length", "short")
    build(new, tmp_path / "new", "-a", "congress", "-f", "docx", "--length", "short")
    build(new, tmp_path / "red", "-a", "congress", "-f", "docx", "--length", "short", "--since", str(old))
    red = document(tmp_path / "red" / name)
    assert "oil " in marked(red, "ins")  # "Diversify {+oil +}suppliers": word level
    assert paragraphs(resolve(red, "ins")) == paragraphs(document(tmp_path / "new" / name))
    assert paragraphs(resolve(red, "del")) == paragraphs(document(tmp_path / "old" / name))


def test_open_xml_sdk_validates_the_redlined_memo(memos):
    validator = ROOT / "tools" / "node_modules" / ".bin" / "ooxml-validator"
    if not validator.exists():
        if os.environ.get("CI"):
            pytest.fail("ooxml-validator is not installed; `make test` installs it into tools/")
        pytest.skip("ooxml-validator is not installed (run `make test` once)")
    result = subprocess.run([str(validator), str(memos["red"])], capture_output=True, text=True, timeout=120)
    report = json.loads(result.stdout)
    assert report["errors"] == [] and report["ok"]


def test_libreoffice_opens_the_redlined_memo_and_shows_both_texts(memos, tmp_path):
    """LibreOffice shows tracked changes in place: deleted and inserted text both appear."""
    text = squash(pdf_text(to_pdf(memos["red"], tmp_path)))
    for phrase in ("重要な", "不可欠な", "送電網を強化せよ", "水素で協力せよ", "94%", "90%"):
        assert phrase in text


def test_since_errors_are_one_line(tmp_path):
    old, new = edition_pair(tmp_path)
    result = runner.invoke(app, ["build", "--content", str(new), "--out", str(tmp_path / "o"), "--since", str(tmp_path / "nope")])
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert f"{tmp_path / 'nope'}: no such content folder or git revision; pass a folder or REV:path (e.g. HEAD~1:content)" in result.output
    assert not (tmp_path / "o").exists()
    result = runner.invoke(app, ["build", "--content", str(new), "--out", str(tmp_path / "o"), "--author", "x"])
    assert result.exit_code != 0
    assert "--author names who made the tracked changes: use it with --since OLD" in result.output


def test_a_marked_document_is_rebuilt_when_the_earlier_edition_changes(tmp_path):
    """--since and --author are inputs of the document: the same ones skip it, others rebuild it."""
    old, new = edition_pair(tmp_path)
    out = tmp_path / "out"
    runs = [(), ("--since", str(old)), ("--since", str(old)), ("--since", str(old), "--author", "x"), ()]
    summaries = [build(new, out, "-a", "ministry", "-f", "docx", *args).output.splitlines()[-1] for args in runs]
    assert [s.split(" in ")[0] for s in summaries] == ["built 1, skipped 0, failed 0", "built 1, skipped 0, failed 0",
                                                      "built 0, skipped 1, failed 0", "built 1, skipped 0, failed 0",
                                                      "built 1, skipped 0, failed 0"]
    (old / "themes" / "02-mobility.yaml").write_text((old / "themes" / "02-mobility.yaml").read_text(encoding="utf-8").replace("査証", "ビザ"), encoding="utf-8")
    again = build(new, out, "-a", "ministry", "-f", "docx", "--since", str(old), "--author", "x").output.splitlines()[-1]
    assert again.startswith("built 1, skipped 0")  # the earlier edition changed: so do the marks


def test_the_real_memo_resolves_both_ways(tmp_path):
    """On the shipped content: a phrase edited in a summary and a key point dropped, tracked exactly."""
    old = tmp_path / "old"
    shutil.copytree(CONTENT, old)
    new = tmp_path / "new"
    shutil.copytree(CONTENT, new)
    theme = sorted((new / "themes").glob("*.yaml"))[0]
    data = yaml.safe_load(theme.read_text(encoding="utf-8"))
    first, second = data["recommendations"][:2]
    first["summary"]["ja"] = first["summary"]["ja"].replace("、", "、改めて", 1)
    dropped = second["key_points"].pop(0)["ja"]
    theme.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    for name, content, args in (("old", old, ()), ("new", new, ()), ("red", new, ("--since", str(old)))):
        build(content, tmp_path / f"out-{name}", "-a", "ministry", "-f", "docx", *args)
    red = document(tmp_path / "out-red" / MEMO)
    assert "改めて" in marked(red, "ins") and any(dropped in text for text in marked(red, "del"))
    assert paragraphs(resolve(red, "ins")) == paragraphs(document(tmp_path / "out-new" / MEMO))
    assert paragraphs(resolve(red, "del")) == paragraphs(document(tmp_path / "out-old" / MEMO))
