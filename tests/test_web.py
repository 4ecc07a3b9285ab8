"""The web edition's HTML, read as a parser reads it: structure, languages, links, size, self-containment."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefgen.cli import app

CONTENT = Path(__file__).resolve().parents[1] / "content"
BUDGET = 300_000  # bytes per page, everything included (the page loads nothing else)
runner = CliRunner()


class Outline(HTMLParser):
    """Collect headings, landmarks, lang attributes and every URL a page refers to."""

    def __init__(self):
        super().__init__()
        self.headings: list[int] = []
        self.tags: list[str] = []
        self.langs: list[tuple[str, str]] = []
        self.urls: list[tuple[str, str]] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append(tag)
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if "lang" in a:
            self.langs.append((tag, a["lang"]))
        if "id" in a:
            self.ids.add(a["id"])
        for key in ("src", "href", "srcset", "poster", "data"):
            if a.get(key):
                self.urls.append((tag, a[key]))


def outline(path: Path) -> Outline:
    parser = Outline()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("out")
    (out / "ministry").mkdir()
    (out / "ministry" / "memo.ja.docx").write_bytes(b"x" * 23_456)
    (out / "congress").mkdir()
    (out / "congress" / "brief-full.en.letter.pdf").write_bytes(b"x" * 1_234_567)
    (out / "manifest.json").write_text(json.dumps({"artifacts": [
        {"path": "ministry/memo.ja.docx", "format": "docx", "lang": "ja", "pages": 15},
        {"path": "congress/brief-full.en.letter.pdf", "format": "pdf", "lang": "en", "pages": 12},
        {"path": "../../etc/passwd", "format": "pdf", "lang": "en", "pages": 1},
        {"path": "gone/away.pdf", "format": "pdf", "lang": "en", "pages": 1},
    ]}), encoding="utf-8")
    result = runner.invoke(app, ["build", "--content", str(CONTENT), "--audience", "web", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "built web/report.en.html" in result.output and "built web/report.ja.html" in result.output
    return out / "web"


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_page_structure(built, lang):
    page = built / f"report.{lang}.html"
    o = outline(page)
    assert page.stat().st_size <= BUDGET
    assert o.langs[0] == ("html", lang)
    assert o.headings.count(1) == 1 and o.headings[0] == 1
    assert all(b - a <= 1 for a, b in zip(o.headings, o.headings[1:]))  # no level skipped
    for landmark in ("header", "nav", "main", "footer"):
        assert landmark in o.tags
    other = "ja" if lang == "en" else "en"
    assert ("a", other) in o.langs  # the link to the other language says which language it is in
    assert ("a", f"report.{other}.html") in o.urls


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_page_is_self_contained(built, lang):
    text = (built / f"report.{lang}.html").read_text(encoding="utf-8")
    o = outline(built / f"report.{lang}.html")
    assert not [(tag, url) for tag, url in o.urls if tag not in ("a", "link")]  # only links; nothing is loaded
    assert 'rel="stylesheet"' not in text and "<script" not in text and "url(" not in text and "@import" not in text
    for tag, url in o.urls:
        if url.startswith("#"):
            assert url[1:] in o.ids, url  # every in-page link lands


def test_page_holds_every_recommendation_and_note(built):
    from briefgen.content.load import load_content
    from briefgen.content.markup import plain_text

    report = load_content(CONTENT).report
    text = (built / "report.en.html").read_text(encoding="utf-8")
    for _, rec in report.recommendations():
        assert f'id="rec-{rec.number}"' in text
        last = plain_text(rec.body[-1].get("en"), "en")[-40:]
        assert last.replace("’", "&#39;") in text.replace("’", "&#39;") or last in text
    notes = re.findall(r'<li id="note-(\d+)"><a class="backref" href="#ref-\1"', text)
    callouts = re.findall(r'<a href="#note-(\d+)" id="ref-\1">', text)
    assert notes and notes == callouts  # linked both ways, numbered in order of first citation
    assert '<table class="figures">' in text and '<th scope="col">' in text


def test_downloads_list_what_the_manifest_records(built):
    text = (built / "report.en.html").read_text(encoding="utf-8")
    assert '<a href="../congress/brief-full.en.letter.pdf" download hreflang="en">brief-full.en.letter.pdf</a> <span class="meta">(PDF, 1.2 MB, 12 pages)</span>' in text
    assert '<a href="../ministry/memo.ja.docx" download hreflang="ja">memo.ja.docx</a> <span class="meta">(Word (.docx), 23 KB)</span>' in text
    assert "passwd" not in text and "away.pdf" not in text  # outside the folder, or no longer there
    ja = (built / "report.ja.html").read_text(encoding="utf-8")
    assert "(PDF、1.2 MB、12ページ)" in ja


def test_index_links_each_language(built):
    o = outline(built / "index.html")
    assert o.langs[0] == ("html", "ja")  # the content's source language
    assert ("a", "report.en.html") in o.urls and ("a", "report.ja.html") in o.urls
    assert ("li", "en") in o.langs


def test_web_is_built_only_when_named(tmp_path):
    from briefgen.audiences.select import select_targets
    from briefgen.content.load import load_content

    report = load_content(CONTENT).report
    assert "web" not in {t.audience for t in select_targets(report)}
    assert [t.name for t in select_targets(report, audiences=["web"])] == ["web/report.ja.html", "web/report.en.html"]
