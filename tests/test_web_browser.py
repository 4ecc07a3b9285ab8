"""The web edition in a real browser: Debian's chromium driven by Playwright, checked by axe-core.

No browser is downloaded: Playwright drives the system chromium (scripts/system-deps.sh installs
it, tools/package.json brings axe-core). Screenshots go to $BRIEFGEN_SCREENSHOTS when set, so a
person can look at them.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefgen.cli import app

from .conftest import require_tool

ROOT = Path(__file__).resolve().parents[1]
CONTENT = ROOT / "content"
AXE = ROOT / "tools" / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
PAGES = ["index.html", "report.en.html", "report.ja.html"]

# WCAG 1.4.12: the user's text spacing must not clip or hide text.
TEXT_SPACING = """* { line-height: 1.5 !important; letter-spacing: 0.12em !important; word-spacing: 0.16em !important; }
p { margin-bottom: 2em !important; }"""


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """Build the web edition of the real report into a folder that also holds one built PDF."""
    out = tmp_path_factory.mktemp("web")
    pdf = out / "congress" / "brief-short.en.letter.pdf"
    pdf.parent.mkdir()
    pdf.write_bytes(b"%PDF-1.7\n" + b"0" * 2048)
    (out / "manifest.json").write_text(json.dumps({"artifacts": [
        {"path": "congress/brief-short.en.letter.pdf", "format": "pdf", "lang": "en", "pages": 2},
    ]}), encoding="utf-8")
    result = CliRunner().invoke(app, ["build", "--content", str(CONTENT), "--audience", "web", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out / "web"


@pytest.fixture(scope="module")
def browser():
    chromium = require_tool("chromium")
    if not AXE.is_file():
        pytest.fail("axe-core is not installed: run `cd tools && npm install` (make test does)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=ARGS)
        yield browser
        browser.close()


def open_page(browser, url: str, width: int):
    """Open URL at WIDTH CSS px; return the page and the list of URLs it requested."""
    page = browser.new_page(viewport={"width": width, "height": 900})
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(url)
    return page, requested


def axe_violations(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
    return [{"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]} for v in result["violations"]]


def horizontal_overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


def screenshot(page, name: str) -> None:
    folder = os.environ.get("BRIEFGEN_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / name), full_page=False)


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("width", [1280, 320])
def test_page_passes_axe_makes_no_requests_and_reflows(site, browser, name, width):
    url = (site / name).as_uri()
    page, requested = open_page(browser, url, width)
    try:
        assert requested == [url]  # self-contained: no stylesheet, font, image or script fetched
        assert axe_violations(page) == []
        assert horizontal_overflow(page) <= 0
        screenshot(page, f"{Path(name).stem}-{width}.png")
    finally:
        page.close()


def test_axe_check_can_fail(browser):
    page = browser.new_page()
    try:
        page.set_content("<html><body><img src='data:,'><a href='#x'></a></body></html>")
        assert {"html-has-lang", "image-alt", "link-name"} <= {v["id"] for v in axe_violations(page)}
    finally:
        page.close()


@pytest.mark.parametrize("name", ["report.en.html", "report.ja.html"])
def test_text_spacing_override_neither_clips_nor_scrolls(site, browser, name):
    page, _ = open_page(browser, (site / name).as_uri(), 320)
    try:
        page.add_style_tag(content=TEXT_SPACING)
        assert horizontal_overflow(page) <= 0
        clipped = page.evaluate("""[...document.querySelectorAll('body *')].filter(e => {
            const s = getComputedStyle(e);
            return /hidden|clip/.test(s.overflow + s.overflowY) && e.scrollHeight > e.clientHeight + 1;
        }).map(e => e.tagName + '.' + e.className)""")
        assert clipped == []
    finally:
        page.close()


def test_skip_link_is_first_visible_on_focus_and_moves_to_main(site, browser):
    page, _ = open_page(browser, (site / "report.en.html").as_uri(), 1280)
    try:
        page.keyboard.press("Tab")
        focused = page.evaluate("""(() => { const e = document.activeElement, r = e.getBoundingClientRect(), s = getComputedStyle(e);
            return {text: e.textContent, top: r.top, outline: s.outlineStyle, width: parseFloat(s.outlineWidth)}; })()""")
        assert focused["text"] == "Skip to content"
        assert focused["top"] >= 0 and focused["outline"] != "none" and focused["width"] >= 2  # visible focus
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "main"
    finally:
        page.close()


def test_every_note_links_both_ways_and_every_internal_link_lands(site, browser):
    page, _ = open_page(browser, (site / "report.en.html").as_uri(), 1280)
    try:
        broken = page.evaluate("""[...document.querySelectorAll('a[href^="#"]')]
            .filter(a => !document.getElementById(decodeURIComponent(a.hash.slice(1)))).map(a => a.outerHTML)""")
        assert broken == []
        pairs = page.evaluate("""[...document.querySelectorAll('ol.notes li')].map(li => {
            const back = li.querySelector('a.backref'), ref = document.getElementById(back.hash.slice(1));
            return [li.id, ref && ref.getAttribute('href')]; })""")
        callouts = page.evaluate("document.querySelectorAll('sup.noteref a[id]').length")
        assert pairs and len(pairs) == callouts  # each note once, each with its first callout
        assert all(ref == f"#{note}" for note, ref in pairs)  # the callout the note returns to points at the note
        page.click("sup.noteref a >> nth=0")
        assert page.evaluate("location.hash") == "#note-1"
        page.click("#note-1 a.backref")
        assert page.evaluate("location.hash") == "#ref-1"
    finally:
        page.close()


def test_japanese_page_typography(site, browser):
    page, _ = open_page(browser, (site / "report.ja.html").as_uri(), 1280)
    try:
        style = page.evaluate("""(() => { const p = document.querySelector('main section.theme p'), s = getComputedStyle(p),
            h = getComputedStyle(document.querySelector('main h2'));
            return {ratio: parseFloat(s.lineHeight) / parseFloat(s.fontSize), lang: p.closest('[lang]').lang, wordBreak: h.wordBreak}; })()""")
        assert style["lang"] == "ja"
        assert style["ratio"] >= 1.7
        assert style["wordBreak"] == "auto-phrase"
        other = page.get_attribute("nav.languages a", "lang")
        assert other == "en"
    finally:
        page.close()


@pytest.fixture(scope="module")
def mail(tmp_path_factory) -> Path:
    """Build the e-mail edition of the first theme's one-pager, in both languages."""
    out = tmp_path_factory.mktemp("email")
    result = CliRunner().invoke(app, ["build", "--content", str(CONTENT), "--format", "email", "--theme", "1", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out / "onepager"


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("width", [1280, 320])
def test_email_passes_axe_makes_no_requests_and_reflows(mail, browser, lang, width):
    path = next(mail.glob(f"01-*.{lang}.email.html"))
    page, requested = open_page(browser, path.as_uri(), width)
    try:
        assert requested == [path.as_uri()]
        assert axe_violations(page) == []
        assert horizontal_overflow(page) <= 0
        screenshot(page, f"email-{lang}-{width}.png")
    finally:
        page.close()


@pytest.mark.parametrize("name", ["report.en.html", "report.ja.html"])
def test_a_key_figure_is_never_split_on_a_phone(site, browser, name):
    page, _ = open_page(browser, (site / name).as_uri(), 320)
    try:
        # Each place a value's text moves to a new line, and whether that was at a space.
        breaks = page.evaluate("""[...document.querySelectorAll('table.figures td.value')].flatMap(td => {
            const walker = document.createTreeWalker(td, NodeFilter.SHOW_TEXT), found = [];
            let previous = null, top = null;
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                for (let i = 0; i < node.length; i++) {
                    const range = document.createRange(); range.setStart(node, i); range.setEnd(node, i + 1);
                    const rect = range.getClientRects()[0];
                    if (!rect) continue;
                    if (top !== null && Math.abs(rect.top - top) > 2) found.push([td.textContent, /\s/.test(previous)]);
                    top = rect.top; previous = node.data[i];
                }
            }
            return found; })""")
        assert page.evaluate("document.querySelectorAll('table.figures td.value').length") > 0
        assert [value for value, at_space in breaks if not at_space] == []  # "1.48 points", never "1.4 / 8 p / oin / ts"
    finally:
        page.close()
