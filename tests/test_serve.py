"""`briefgen serve`: the web edition on loopback, rebuilt on save, open pages reloaded, errors shown in the page."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from typer.testing import CliRunner

from briefgen.cli import app

from .conftest import THEME, require_tool

BRIEFGEN = Path(sys.executable).parent / "briefgen"
ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
runner = CliRunner()


class Served:
    def __init__(self, proc: subprocess.Popen):
        self.proc, self.lines, self.url = proc, [], ""

    def output(self) -> str:
        return "".join(self.lines)

    def get(self, path: str, host: str | None = None) -> tuple[int, str]:
        """Send PATH exactly as written (no client-side normalising of `..`); return status and body."""
        where = urlsplit(self.url)
        with socket.create_connection((where.hostname, where.port), timeout=10) as sock:
            sock.sendall(f"GET {path} HTTP/1.1\r\nHost: {host or where.netloc}\r\nConnection: close\r\n\r\n".encode())
            data = b""
            while chunk := sock.recv(65536):
                data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        return int(head.split()[1]), body.decode("utf-8", "replace")


@contextmanager
def serving(cwd: Path, *args: str, stop: int = signal.SIGINT):
    """Run `briefgen serve --port 0 ARGS` in CWD until its first build is served; Ctrl-C it (or send STOP) afterwards."""
    proc = subprocess.Popen([str(BRIEFGEN), "serve", "--port", "0", *args], cwd=cwd, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, start_new_session=True)
    served = Served(proc)
    reader = threading.Thread(target=lambda: served.lines.extend(proc.stdout), daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + 90
        while not served.url:
            assert time.monotonic() < deadline and proc.poll() is None, served.output()
            found = re.search(r"serving (http://\S+/)", served.output())
            served.url = found.group(1) if found else ""
            time.sleep(0.05)
        while served.get("/web/index.html")[0] == 503:  # the first build is still running
            assert time.monotonic() < deadline, served.output()
            time.sleep(0.1)
        yield served
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, stop)
        proc.wait(timeout=60)
        reader.join(timeout=10)
        proc.stdout.close()


def test_serve_refuses_a_host_other_than_loopback(mini):
    result = runner.invoke(app, ["serve", "-c", str(mini), "--host", "0.0.0.0"])
    assert result.exit_code == 2
    assert result.output.startswith("briefgen: --host 0.0.0.0: serve answers on this computer only (127.0.0.1, ::1, localhost): "
                                    "it shows unpublished drafts to anyone who can reach the port")
    assert "Traceback" not in result.output


def test_serve_refuses_an_unknown_language_before_serving(mini):
    result = runner.invoke(app, ["serve", "-c", str(mini), "-l", "fr", "--port", "0"])
    assert result.exit_code == 2
    assert "--lang fr: the content has no 'fr'; choose ja or en" in result.output
    assert "serving" not in result.output


def test_serves_only_files_inside_the_output_folder(mini, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "leak.txt").symlink_to(secret)
    with serving(mini.parent, "-c", "content", "--out", str(out)) as served:
        for path in ["/../secret.txt", "/web/../../secret.txt", "/web/%2e%2e/%2E%2E/secret.txt", "/web/..%2f..%2fsecret.txt",
                     "/leak.txt", "/web/..\\..\\secret.txt", "/.briefgen.lock", "/web/%00"]:
            status, body = served.get(path)
            assert status == 403, path
            assert "TOP SECRET" not in body
        assert served.get("/web/report.en.html", host="attacker.example:80")[0] == 403  # DNS rebinding
        status, page = served.get("/web/report.en.html")
        assert status == 200 and "Diversify suppliers" in page
        assert page.count("EventSource(") == 1
        assert "EventSource" not in (out / "web" / "report.en.html").read_text(encoding="utf-8")  # served only, never built
        assert served.get("/web/missing.html")[0] == 404
        assert served.get("/manifest.json")[0] == 200


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM])
def test_ctrl_c_or_kill_stops_serve_and_removes_its_temporary_folder(mini, stop):
    with serving(mini.parent, "-c", "content", "-l", "en", stop=stop) as served:
        folder = Path(re.search(r"from (\S+)", served.output()).group(1))
        assert (folder / "web" / "report.en.html").is_file()
        assert not (folder / "web" / "report.ja.html").exists()  # --lang en builds English only
        status, _ = served.get("/")
        assert status == 302
    assert served.proc.returncode == 130
    assert "Traceback" not in served.output() and served.output().rstrip().endswith("stopped")
    assert not folder.exists()


@pytest.fixture(scope="module")
def browser():
    chromium = require_tool("chromium")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=ARGS)
        yield browser
        browser.close()


def body_text(page) -> str:
    """Return the page's text; "" while a reload is under way."""
    try:
        return page.inner_text("body", timeout=500)
    except Exception:  # the page is navigating: its old document is gone, the new one not yet there
        return ""


def wait_for_text(page, text: str, seconds: float) -> str:
    """Poll the open page until its text contains TEXT; fail after SECONDS."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        shown = body_text(page)
        if text in shown:
            return shown
        time.sleep(0.05)
    pytest.fail(f"the page did not show {text!r} within {seconds} s; it shows: {body_text(page)[:300]!r}")


def test_an_open_page_reloads_on_save_shows_errors_and_recovers(mini, browser):
    theme = mini / "themes" / "01-energy.yaml"
    with serving(mini.parent, "-c", "content") as served:
        page = browser.new_page()
        try:
            page.goto(served.url + "web/report.en.html")
            assert "Diversify suppliers" in body_text(page)

            theme.write_text(THEME.replace("en: Diversify suppliers", "en: Spread purchases across suppliers"), encoding="utf-8")
            wait_for_text(page, "Spread purchases across suppliers", 2.0)  # the reload the issue asks for: within 2 s of the save

            theme.write_text(THEME.replace("title:\n  ja: エネルギー安全保障", "title: [\n  ja: エネルギー安全保障"), encoding="utf-8")
            shown = wait_for_text(page, "The build failed", 10.0)
            assert re.search(r"content/themes/01-energy\.yaml:\d+: ", shown), shown

            theme.write_text(THEME.replace("en: Diversify suppliers", "en: Buy from many suppliers"), encoding="utf-8")
            shown = wait_for_text(page, "Buy from many suppliers", 10.0)
            assert "The build failed" not in shown
        finally:
            page.close()
    assert "Traceback" not in served.output()
