"""The e-mail edition of the one-pagers: one HTML file per theme and language, styles inline, nothing loaded."""

from __future__ import annotations

import html as htmllib
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefgen.audiences.select import select_targets
from briefgen.cli import app
from briefgen.content.load import load_content
from briefgen.render.localize import Localizer

CONTENT = Path(__file__).resolve().parents[1] / "content"
BUDGET = 100_000  # bytes: Gmail clips a message past 102 KB
runner = CliRunner()


class Mail(HTMLParser):
    """Collect what a mail client would see: tags, styles, languages, links, and the text."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.in_head = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self.in_head = self.in_head or tag == "head"

    def handle_endtag(self, tag):
        if tag == "head":
            self.in_head = False

    def handle_data(self, data):
        if not self.in_head:
            self.text.append(data)

    def plain(self) -> str:
        return re.sub(r"\s+", " ", "".join(self.text))


def parse(path: Path) -> Mail:
    mail = Mail()
    mail.feed(path.read_text(encoding="utf-8"))
    return mail


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("email")
    result = runner.invoke(app, ["build", "--content", str(CONTENT), "--format", "email", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def content():
    return load_content(CONTENT)


def sheets(content):
    for theme in content.report.themes:
        for lang in content.report.info.languages:
            yield theme, lang, f"onepager/{theme.number:02d}-{theme.id}.{lang}.email.html"


def test_format_email_alone_builds_one_mail_per_theme_and_language(out, content):
    made = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.email.*"))
    expected = sorted(name for _, _, name in sheets(content))
    assert made == sorted(expected + [n.removesuffix(".html") + ".txt" for n in expected])
    assert not list(out.rglob("*.pdf"))  # --format email alone builds only what makes e-mail


def test_each_mail_is_small_and_loads_nothing(out, content):
    url = content.report.info.url
    for _, _, name in sheets(content):
        path = out / name
        assert path.stat().st_size <= BUDGET
        mail = parse(path)
        tags = {tag for tag, _ in mail.tags}
        assert not tags & {"link", "script", "style", "img", "iframe", "object", "table"}
        assert not any("src" in attrs or "srcset" in attrs for _, attrs in mail.tags)
        source = path.read_text(encoding="utf-8")
        assert "url(" not in source and "@import" not in source
        links = {attrs["href"] for tag, attrs in mail.tags if tag == "a"}
        assert url in links  # the sheet's QR code, as a plain link
        assert all(href == url or href.startswith("mailto:") for href in links), links


def test_styles_are_inline(out, content):
    for _, _, name in sheets(content):
        mail = parse(out / name)
        styled = {tag: attrs.get("style", "") for tag, attrs in mail.tags}
        assert "font-size: 24px" in styled["h1"]
        assert "font-family" in next(attrs["style"] for tag, attrs in mail.tags if tag == "div")
        unstyled = [tag for tag, attrs in mail.tags if tag in ("h1", "h2", "p", "li", "ul", "a") and "style" not in attrs]
        assert unstyled == []


def test_every_recommendation_is_in_the_html_and_the_text(out, content):
    for theme, lang, name in sheets(content):
        L = Localizer(content, lang)
        html_text = parse(out / name).plain()
        text = re.sub(r"\s+", " ", (out / name.replace(".html", ".txt")).read_text(encoding="utf-8"))
        assert L.plain(theme.title) in html_text and L.plain(theme.title) in text
        for rec in theme.recommendations:
            for words in [L.plain(rec.title), *(L.plain(p) for p in rec.key_points)]:
                assert words in html_text, (name, words)
                assert words in text, (name, words)


def test_language_is_marked_on_the_page_and_the_pasted_part(out, content):
    for _, lang, name in sheets(content):
        mail = parse(out / name)
        assert mail.tags[0] == ("html", {"lang": lang})
        wrapper = next(attrs for tag, attrs in mail.tags if tag == "div")
        assert wrapper["lang"] == lang  # pasting a page into a message keeps the body, not <html>


def test_plain_text_part_is_text(out, content):
    info = content.report.info
    for _, lang, name in sheets(content):
        text = (out / name.replace(".html", ".txt")).read_text(encoding="utf-8")
        assert not re.search(r"<[a-z/]", text) and htmllib.unescape(text) == text
        assert info.url in text


def test_a_template_that_loads_something_is_refused(tmp_path):
    templates = tmp_path / "templates"
    (templates / "email").mkdir(parents=True)
    (templates / "email" / "onepager.html").write_text('<html lang="en"><body><img src="https://example.org/t.gif" alt=""></body></html>', encoding="utf-8")
    result = runner.invoke(app, ["build", "--content", str(CONTENT), "-f", "email", "-l", "en", "-t", "1",
                                 "--templates", str(templates), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "the e-mail edition must load nothing, but its template has '<img'; remove it from email/onepager.html" in result.output
    assert "Traceback" not in result.output
    assert not list((tmp_path / "out").rglob("*.email.*"))


def test_format_alone_picks_the_audiences_that_make_it(content):
    report = content.report
    assert {t.audience for t in select_targets(report, formats=["docx"])} == {"congress", "ministry"}
    assert "email" not in {t.format for t in select_targets(report)}  # not in the default build
    result = runner.invoke(app, ["build", "--content", str(CONTENT), "-f", "html", "--out", "unused"])
    assert result.exit_code == 2
    assert "--format html: no audience of the default build makes it; name one with --audience (web)" in result.output


def test_a_mail_over_the_budget_warns_and_strict_refuses_it(tmp_path):
    templates = tmp_path / "templates"
    (templates / "email").mkdir(parents=True)
    # The built-in mail with 110 KB of padding in a comment: too big for Gmail, loads nothing.
    (templates / "email" / "onepager.html").write_text('{% include "builtin/email/onepager.html" %}<!--' + "x" * 110_000 + "-->",
                                                       encoding="utf-8")
    args = ["build", "--content", str(CONTENT), "-f", "email", "-l", "en", "-t", "1", "--templates", str(templates), "--out", str(tmp_path / "out")]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "01-soft-power.en.email.html: warning: 113 KB: Gmail clips messages past 102 KB; shorten the theme or the template" in result.output
    strict = runner.invoke(app, [*args, "--strict", "--force", "--out", str(tmp_path / "strict")])
    assert strict.exit_code == 1
    assert "not written: --strict refuses warnings" in strict.output
    assert not list((tmp_path / "strict").rglob("*.email.*"))
