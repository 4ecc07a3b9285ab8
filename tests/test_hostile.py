"""Hostile and broken input that the case corpus (tests/bad_inputs) cannot express.

Each test names the class of input it stands for: text compared in two Unicode forms, markup
the docs do not promise, line endings a round trip must keep, a disk that fills during an
import, and what may reach a terminal.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
import time
import unicodedata
from pathlib import Path

from lxml import etree
from typer.testing import CliRunner

from briefgen.cli import app
from briefgen.content.load import load_content
from briefgen.content.markup import to_html
from briefgen.errors import Problem, printable
from briefgen.i18n.status import check_terms

from .conftest import write_content

runner = CliRunner()
NS = {"x": "urn:oasis:names:tc:xliff:document:1.2"}


def invoke(*args: str):
    result = runner.invoke(app, list(args))
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# -- text compared in two Unicode forms ---------------------------------------------------------


def test_terms_match_a_glossary_term_typed_in_nfd(tmp_path):
    """ガス typed as カ + combining dakuten (NFD, as macOS file names and some IMEs give it)."""
    root = write_content(tmp_path / "c")
    theme = root / "themes" / "01-energy.yaml"
    theme.write_text(theme.read_text(encoding="utf-8").replace("ja: 日本は石油輸入の94%", "ja: 日本はガスと石油輸入の94%"), encoding="utf-8")
    nfd = unicodedata.normalize("NFD", "ガス")
    assert nfd != "ガス"
    (root / "glossary.yaml").write_text(f"terms:\n  - ja: {nfd}\n    en: natural gas\n", encoding="utf-8")
    (problem,) = check_terms(load_content(root))
    assert problem.message.startswith(f'{nfd} → expected "natural gas" in recommendations[0].body[0]')


# -- markup the docs do not promise -------------------------------------------------------------


def test_only_asterisks_mark_emphasis():
    assert to_html("call __init__ or _private_ names") == "call __init__ or _private_ names"
    assert to_html("**bold** and *italic*") == "<strong>bold</strong> and <em>italic</em>"
    assert to_html("**bold __init__ inside**") == "<strong>bold __init__ inside</strong>"


# -- line endings kept on the XLIFF round trip --------------------------------------------------


def test_import_keeps_crlf_line_endings(tmp_path):
    root = write_content(tmp_path / "c")
    theme = root / "themes" / "01-energy.yaml"
    lf = theme.read_text(encoding="utf-8").replace("      en: The United States and Japan should diversify suppliers.\n", "")
    theme.write_bytes(lf.replace("\n", "\r\n").encode("utf-8"))
    xlf = tmp_path / "en.xlf"
    assert invoke("i18n", "export", "--content", str(root), "-o", str(xlf), "--only", "missing").exit_code == 0
    tree = etree.parse(str(xlf))
    (unit,) = tree.iterfind(".//x:trans-unit", NS)
    target = etree.SubElement(unit, f"{{{NS['x']}}}target")
    target.text = "The allies should diversify suppliers."
    tree.write(str(xlf), xml_declaration=True, encoding="UTF-8")

    result = invoke("i18n", "import", "--content", str(root), str(xlf))

    assert result.exit_code == 0, result.output
    data = theme.read_bytes()
    assert data.count(b"\r\n") == data.count(b"\n") == lf.count("\n") + 1  # one line more: the new en:
    assert b"en: The allies should diversify suppliers.\r\n" in data
    assert load_content(root).report.themes[0].recommendations[0].summary.get("en") == "The allies should diversify suppliers."


# -- a disk that fills up -----------------------------------------------------------------------


def on_full_disk(monkeypatch):
    """Make every temporary file briefgen writes fail with ENOSPC, as a full disk does."""
    real_mkstemp = tempfile.mkstemp

    def full(*args, **kwargs):
        fd, path = real_mkstemp(*args, **kwargs)
        os.close(fd)
        return os.open("/dev/full", os.O_WRONLY), path

    monkeypatch.setattr(tempfile, "mkstemp", full)


def test_import_on_a_full_disk_changes_nothing(tmp_path, monkeypatch):
    root = write_content(tmp_path / "c")
    theme = root / "themes" / "01-energy.yaml"
    theme.write_text(theme.read_text(encoding="utf-8").replace("      en: Diversify suppliers\n", ""), encoding="utf-8")
    xlf = tmp_path / "en.xlf"
    assert invoke("i18n", "export", "--content", str(root), "-o", str(xlf), "--only", "missing").exit_code == 0
    tree = etree.parse(str(xlf))
    (unit,) = tree.iterfind(".//x:trans-unit", NS)
    etree.SubElement(unit, f"{{{NS['x']}}}target").text = "Diversify suppliers"
    tree.write(str(xlf), xml_declaration=True, encoding="UTF-8")
    before = snapshot(root)
    on_full_disk(monkeypatch)

    result = invoke("i18n", "import", "--content", str(root), str(xlf))

    assert result.exit_code == 1
    assert result.output.strip() == f"{theme}: cannot write: No space left on device; nothing was imported, no file changed"
    assert snapshot(root) == before  # and no temporary file is left beside the content


def test_export_on_a_full_disk_leaves_no_file(tmp_path, monkeypatch):
    root = write_content(tmp_path / "c")
    out = tmp_path / "x"
    out.mkdir()
    on_full_disk(monkeypatch)

    result = invoke("i18n", "export", "--content", str(root), "-o", str(out / "en.xlf"), "--only", "all")

    assert result.exit_code == 1
    assert result.output.strip() == f"briefgen: -o {out / 'en.xlf'}: cannot write: No space left on device; nothing was written"
    assert list(out.iterdir()) == []


def test_export_refuses_a_link_into_the_content_folder(tmp_path):
    root = write_content(tmp_path / "c")
    (tmp_path / "en.xlf").symlink_to(root / "report.yaml")
    before = snapshot(root)

    result = invoke("i18n", "export", "--content", str(root), "-o", str(tmp_path / "en.xlf"), "--only", "all")

    assert result.exit_code == 1
    assert "is inside the content folder" in result.output
    assert snapshot(root) == before


# -- what may reach a terminal ------------------------------------------------------------------


def test_messages_show_terminal_controls_as_escapes():
    osc = "\x1b]8;;https://example.com\x07link\x1b]8;;\x07 \u202eevil"
    shown = str(Problem("themes/x.yaml", 3, f"unknown field '{osc}'"))
    assert shown == "themes/x.yaml:3: unknown field '\\x1b]8;;https://example.com\\x07link\\x1b]8;;\\x07 \\u202eevil'"
    assert printable("tab\tand newline\nstay") == "tab\tand newline\nstay"


# -- watch: its own output, a replaced folder ----------------------------------------------------


def wait_for(condition, timeout=30.0) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.05)
    return False


def run_watch(content: Path, out: Path, messages: list, templates: Path | None = None):
    from briefgen import api

    stop = threading.Event()
    thread = threading.Thread(target=api.watch, args=(content, out), kwargs={"audiences": ["onepager"], "langs": ["en"], "themes": ["energy"],
                                                                          "templates": templates, "report": messages.append, "stop_event": stop})
    thread.start()
    return stop, thread


def changes(messages: list) -> list[str]:
    return [m for m in messages if isinstance(m, str) and m.startswith("changed:")]


def test_watch_ignores_its_own_output_inside_the_templates_folder(tmp_path):
    root = write_content(tmp_path / "c")
    templates = tmp_path / "tpl"
    templates.mkdir()
    out = templates / "out"
    messages: list = []
    stop, thread = run_watch(root, out, messages, templates)
    try:
        pdf = out / "onepager" / "01-energy.en.letter.pdf"
        assert wait_for(pdf.exists)
        first = pdf.read_bytes()
        theme = root / "themes" / "01-energy.yaml"
        theme.write_text(theme.read_text(encoding="utf-8").replace("en: Diversify suppliers", "en: Diversify suppliers now"), encoding="utf-8")
        assert wait_for(lambda: pdf.read_bytes() != first)
        time.sleep(2)  # time for a rebuild loop to show, were the output's own changes seen as edits
        assert len(changes(messages)) == 1, changes(messages)
    finally:
        stop.set()
        thread.join(timeout=10)
    assert not thread.is_alive()


def test_watch_follows_a_replaced_content_folder(tmp_path):
    root = write_content(tmp_path / "c")
    out = tmp_path / "out"
    messages: list = []
    stop, thread = run_watch(root, out, messages)
    try:
        pdf = out / "onepager" / "01-energy.en.letter.pdf"
        assert wait_for(pdf.exists)
        first = pdf.read_bytes()
        fresh = tmp_path / "fresh"  # what git checkout, rsync or a deploy script puts in place
        shutil.copytree(root, fresh)
        theme = fresh / "themes" / "01-energy.yaml"
        theme.write_text(theme.read_text(encoding="utf-8").replace("en: Diversify suppliers", "en: Diversify suppliers now"), encoding="utf-8")
        root.rename(tmp_path / "old")
        fresh.rename(root)
        assert wait_for(lambda: pdf.read_bytes() != first)
        second = pdf.read_bytes()
        theme = root / "themes" / "01-energy.yaml"  # and edits inside the new folder are seen too
        theme.write_text(theme.read_text(encoding="utf-8").replace("suppliers now", "suppliers soon"), encoding="utf-8")
        assert wait_for(lambda: pdf.read_bytes() != second)
        assert thread.is_alive()
    finally:
        stop.set()
        thread.join(timeout=10)
    assert not thread.is_alive()


# -- fitting work is bounded --------------------------------------------------------------------


def test_a_theme_that_cannot_fit_fails_after_two_renders(tmp_path, monkeypatch):
    import briefgen.render.pdf

    root = write_content(tmp_path / "c")
    theme = root / "themes" / "01-energy.yaml"
    huge = "      - {ja: 長い, en: " + "a very long point that goes on " * 90 + "}\n"
    theme.write_text(theme.read_text(encoding="utf-8").replace("      - {ja: 多角化, en: Diversify}\n", huge * 5), encoding="utf-8")
    renders = []
    real = briefgen.render.pdf.render_document
    monkeypatch.setattr(briefgen.render.pdf, "render_document", lambda *a, **k: renders.append(1) or real(*a, **k))

    result = invoke("build", "--content", str(root), "--out", str(tmp_path / "out"), "-a", "onepager", "-l", "en", "-t", "energy", "-j", "1")

    assert result.exit_code == 1
    assert "theme 'energy' (en, letter) does not fit on one page even at 8 pt" in result.output
    assert len(renders) == 2  # the first step and the last; before, every one of the 13 steps


def test_web_edition_prints_hostile_content_as_text(tmp_path):
    # Markup in content is text: no element, attribute or javascript: link reaches the page.
    from .conftest import THEME

    hostile = ('<script>alert(1)</script> <img src=x onerror=alert(2)> [link](javascript:alert(3)) '
               '<a href="javascript:alert(4)">x</a> "quoted" & more')
    theme = THEME.replace("en: Dependence on the Middle East is high.[^1]", "en: '" + hostile.replace("'", "''") + "[^1]'")
    theme = theme.replace("en: Diversify suppliers", "en: '</title><script>alert(5)</script>'")
    content = write_content(tmp_path / "content", themes={"01-energy.yaml": theme})
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", "--content", str(content), "-a", "web", "--out", str(out), "-j", "1"])
    assert result.exit_code == 0, result.output
    page = (out / "web" / "report.en.html").read_text(encoding="utf-8")
    assert "<script" not in page.lower() and "<img" not in page.lower() and 'href="javascript:' not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "&lt;img src=x onerror=alert(2)&gt;" in page
    assert "&lt;/title&gt;&lt;script&gt;alert(5)" in page
    # The browser sees no element the content wrote: parse it and look.
    tree = etree.HTML(page.encode("utf-8"))
    assert tree.xpath("//script|//img|//iframe|//*[@onerror]") == []
    assert [a for a in tree.xpath("//a/@href") if a.lower().lstrip().startswith(("javascript:", "data:"))] == []


def test_web_downloads_list_only_files_inside_the_output_folder(tmp_path):
    # An edited manifest naming /etc/passwd (absolute) or ../ paths must not become a download link.
    content = write_content(tmp_path / "content")
    out = tmp_path / "out"
    out.mkdir()
    (out / "manifest.json").write_text('{"artifacts": [{"path": "/etc/passwd", "format": "pdf", "pages": 3, "lang": "en"},'
                                       ' {"path": "../../etc/hostname", "format": "docx"}]}', encoding="utf-8")
    result = runner.invoke(app, ["build", "--content", str(content), "-a", "web", "--out", str(out), "-j", "1"])
    assert result.exit_code == 0, result.output
    page = (out / "web" / "report.en.html").read_text(encoding="utf-8")
    assert "passwd" not in page and "hostname" not in page
