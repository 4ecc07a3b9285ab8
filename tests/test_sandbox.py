"""Rendering reads only the project's own assets: no network, no files elsewhere."""

import http.server
import threading
from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefgen.cli import app

runner = CliRunner()


@pytest.fixture
def server():
    hits = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()

        def log_message(self, *args):
            pass

    httpd = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", hits
    httpd.shutdown()
    httpd.server_close()


def build_with_template(mini: Path, tmp_path: Path, body: str):
    templates = tmp_path / "tpl"
    (templates / "congress").mkdir(parents=True)
    (templates / "congress" / "brief-short.html").write_text(
        '{% extends "builtin/congress/brief-short.html" %}{% block body %}' + body + "{{ super() }}{% endblock %}", encoding="utf-8"
    )
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", "--content", str(mini), "-a", "congress", "-f", "pdf", "--length", "short", "--templates", str(templates), "--out", str(out)])
    assert "Traceback" not in result.output
    return result, out


@pytest.mark.parametrize("kind", ["img", "css", "import"])
def test_template_cannot_reach_the_network(mini, tmp_path, server, kind):
    url, hits = server
    body = {
        "img": f'<img src="{url}/pixel.png" alt="x">',
        "css": f'<div style="background: url({url}/bg.png)">x</div>',
        "import": f'<style>@import url("{url}/evil.css");</style>',
    }[kind]
    result, out = build_with_template(mini, tmp_path, body)
    assert result.exit_code == 1
    assert "refused to fetch http://127.0.0.1" in result.output
    assert "rendering never uses the network" in result.output
    assert hits == []
    assert not list(out.rglob("*.pdf"))


def test_template_cannot_read_local_files(mini, tmp_path):
    result, out = build_with_template(mini, tmp_path, '<img src="file:///etc/passwd" alt="x"><link rel="stylesheet" href="../../../../etc/passwd">')
    assert result.exit_code == 1
    assert "refused to read file:///etc/passwd" in result.output
    assert not list(out.rglob("*.pdf"))


def test_large_data_url_is_refused(mini, tmp_path):
    big = "A" * 300_000
    result, _ = build_with_template(mini, tmp_path, f'<img src="data:image/png;base64,{big}" alt="x">')
    assert result.exit_code == 1
    assert "refused a data: URL" in result.output


def test_content_links_are_never_fetched(tmp_path, server):
    from .conftest import THEME, write_content

    url, hits = server
    theme = THEME.replace("en: Diversify suppliers", f"en: Diversify suppliers [see]({url}/x) [local](file:///etc/passwd)")
    root = write_content(tmp_path / "c", themes={"01-energy.yaml": theme})
    result = runner.invoke(app, ["build", "--content", str(root), "-a", "congress", "--length", "full", "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert hits == []


def test_template_code_is_sandboxed(mini, tmp_path):
    result, _ = build_with_template(mini, tmp_path, "{{ report.__class__.__mro__ }}{{ ''.__class__.__subclasses__() }}")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
