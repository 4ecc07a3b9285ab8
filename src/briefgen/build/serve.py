"""Preview the web edition while editing: build it, serve it on loopback, rebuild on save, reload open tabs.

Like `mkdocs serve` and sphinx-autobuild, with the standard library's HTTP server and
server-sent events: every HTML response gets a small script (added to the response only; the
built files never hold it) that listens on EVENTS and reloads the page when a build finishes.
A build that fails turns every page into an error page with the `file:line` messages until the
next good save. The server answers only on loopback, only for its Host names, and only with
regular files inside the output folder.
"""

from __future__ import annotations

import html
import mimetypes
import os
import shutil
import signal
import socket
import tempfile
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path, PurePosixPath
from typing import Callable
from urllib.parse import parse_qs, unquote, urlsplit

from ..errors import BriefgenError, Problem, UsageError
from ..render.options import RenderOptions
from .runner import BuildResult
from .watch import watch_and_rebuild

LOOPBACK = ("127.0.0.1", "::1", "localhost")
EVENTS = "/__briefgen/events"
KEEPALIVE = 10.0  # seconds between comments on an idle event stream; a closed tab is noticed then

RELOAD_SCRIPT = """<script>/* briefgen serve: reload when a build finishes (added by the server, not in the built file) */
(function () {{ var s = new EventSource("{events}?since={generation}");
  s.addEventListener("reload", function () {{ s.close(); location.reload(); }}); }})();
</script>"""

ERROR_PAGE = """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} — briefgen serve</title>
<style>
body {{ margin: 0; font: 1rem/1.5 system-ui, sans-serif; color: #1b1b1b; background: #fff; }}
main {{ max-width: 48rem; margin: 0 auto; padding: 1rem; }}
h1 {{ font-size: 1.5rem; color: #8a1c1c; }}
pre {{ white-space: pre-wrap; overflow-wrap: anywhere; background: #fdf0f0; border-left: 4px solid #8a1c1c; padding: 0.75rem 1rem; }}
</style>
</head>
<body><main><h1>{title}</h1>
<p>{advice}</p>
{problems}
</main>
{script}
</body>
</html>
"""


def check_host(host: str) -> str:
    """Return HOST if it names this computer's loopback; otherwise refuse, saying why."""
    if host not in LOOPBACK:
        raise UsageError(f"--host {host}: serve answers on this computer only ({', '.join(LOOPBACK)}): it shows unpublished drafts "
                         "to anyone who can reach the port, with no password; to share a preview, build with "
                         "`briefgen build --audience web` and publish out/web")
    return host


class Preview:
    """What the server shows: the output folder, and the latest build's number and errors."""

    def __init__(self, root: Path, landing: str):
        self.root = Path(os.path.realpath(root))
        self.landing = landing  # where / leads, relative to ROOT
        self.generation = 0  # builds finished; 0 while the first one runs
        self.errors: list[str] = []
        self.closing = False
        self._changed = threading.Condition()

    def publish(self, errors: list[str]) -> None:
        """Record a finished build and wake every open event stream."""
        with self._changed:
            self.generation += 1
            self.errors = errors
            self._changed.notify_all()

    def wait(self, seen: int, timeout: float) -> int:
        """Return the build number once it differs from SEEN, or after TIMEOUT seconds."""
        with self._changed:
            self._changed.wait_for(lambda: self.generation != seen or self.closing, timeout)
            return self.generation

    def close(self) -> None:
        with self._changed:
            self.closing = True
            self._changed.notify_all()

    def resolve(self, url_path: str) -> Path | None:
        """Return the file URL_PATH names inside the output folder, or None if it would lie outside it.

        Refused: `..` segments (also percent-encoded), backslashes, NUL, hidden names (the build's
        lock and temporary files), and links that lead out of the folder.
        """
        path = unquote(url_path)
        if "\\" in path or "\x00" in path:
            return None
        parts = PurePosixPath(path).parts[1:]  # without the leading "/"
        if any(part in ("..", ".") or part.startswith(".") for part in parts):
            return None
        found = Path(os.path.realpath(self.root.joinpath(*parts)))
        if found != self.root and self.root not in found.parents:
            return None
        if found.is_dir():
            found = found / "index.html"
        return found


def make_handler(preview: Preview, allowed_hosts: set[str]):
    """Return the request handler class that serves PREVIEW."""

    class Handler(BaseHTTPRequestHandler):
        server_version = "briefgen-serve"
        protocol_version = "HTTP/1.1"

        def log_message(self, format, *args):  # noqa: A002 - the base class's name
            pass  # the terminal shows builds and problems, not every request

        def do_HEAD(self):
            self.do_GET(head=True)

        def do_GET(self, head: bool = False):
            # A page on another site can make the browser ask 127.0.0.1 under its own name (DNS
            # rebinding); answering only to our own names keeps the drafts on this computer.
            host = (self.headers.get("Host") or "").rsplit(":", 1)[0].strip("[]")
            if host not in allowed_hosts:
                return self.plain(HTTPStatus.FORBIDDEN, "briefgen serve answers only to 127.0.0.1, localhost and [::1]\n", head)
            url = urlsplit(self.path)
            if url.path == EVENTS:
                return self.events(url.query)
            if url.path == "/":
                self.send_response(HTTPStatus.FOUND)
                self.send_header("Location", "/" + preview.landing)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return None
            path = preview.resolve(url.path)
            if path is None:
                return self.plain(HTTPStatus.FORBIDDEN, "outside the served folder\n", head)
            is_page = path.suffix == ".html"
            if is_page and (preview.generation == 0 or preview.errors):
                return self.page(*self.status_page(), head)
            try:
                data = path.read_bytes() if path.is_file() else None
            except OSError:
                data = None
            if data is None:
                if is_page:
                    return self.page(HTTPStatus.NOT_FOUND, self.error_page("Not built", f"{url.path} is not part of this preview.", []), head)
                return self.plain(HTTPStatus.NOT_FOUND, "not found\n", head)
            if is_page:
                return self.page(HTTPStatus.OK, inject(data.decode("utf-8", "replace"), preview.generation), head)
            kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return self.send(HTTPStatus.OK, kind, data, head)

        def status_page(self) -> tuple[HTTPStatus, str]:
            if preview.generation == 0:
                return HTTPStatus.SERVICE_UNAVAILABLE, self.error_page("Building…", "The first build is running; this page reloads when it ends.", [])
            return HTTPStatus.INTERNAL_SERVER_ERROR, self.error_page(
                "The build failed", "Fix what these lines name and save: this page reloads by itself.", preview.errors)

        def error_page(self, title: str, advice: str, problems: list[str]) -> str:
            listing = "<pre>" + "\n".join(html.escape(p) for p in problems) + "</pre>" if problems else ""
            return ERROR_PAGE.format(title=html.escape(title), advice=html.escape(advice), problems=listing,
                                     script=RELOAD_SCRIPT.format(events=EVENTS, generation=preview.generation))

        def events(self, query: str) -> None:
            """Stream server-sent events: `reload` once a build newer than ?since= finishes."""
            try:
                seen = int(parse_qs(query).get("since", ["0"])[0])
            except ValueError:
                seen = 0
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.send_header("Connection", "close")
            self.end_headers()
            self.close_connection = True
            try:
                self.wfile.write(b"retry: 500\n\n")
                self.wfile.flush()
                while not preview.closing:
                    now = preview.wait(seen, KEEPALIVE)
                    if now != seen:
                        self.wfile.write(f"event: reload\ndata: {now}\n\n".encode())
                        self.wfile.flush()
                        return
                    self.wfile.write(b": still here\n\n")
                    self.wfile.flush()
            except OSError:  # the tab was closed or reloaded
                return

        def page(self, status: HTTPStatus, text: str, head: bool) -> None:
            self.send(status, "text/html; charset=utf-8", text.encode("utf-8"), head)

        def plain(self, status: HTTPStatus, text: str, head: bool) -> None:
            self.send(status, "text/plain; charset=utf-8", text.encode("utf-8"), head)

        def send(self, status: HTTPStatus, kind: str, data: bytes, head: bool) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            self.send_header("X-Content-Type-Options", "nosniff")
            self.end_headers()
            if not head:
                self.wfile.write(data)

    return Handler


def inject(page: str, generation: int) -> str:
    """Return PAGE with the reload script before its </body> (or at its end)."""
    script = RELOAD_SCRIPT.format(events=EVENTS, generation=generation)
    at = page.lower().rfind("</body>")
    return page[:at] + script + page[at:] if at >= 0 else page + script


def open_server(host: str, port: int, handler) -> ThreadingHTTPServer:
    """Bind HOST:PORT (0: a free port) or fail with a one-line error."""

    class Server(ThreadingHTTPServer):
        daemon_threads = True  # an open event stream never holds up Ctrl-C
        address_family = socket.AF_INET6 if ":" in host else socket.AF_INET

    try:
        return Server((host, port), handler)
    except OSError as exc:
        if exc.errno in (98, 48):  # EADDRINUSE on Linux, macOS
            raise UsageError(f"--port {port}: already in use; choose another port, or --port 0 for a free one") from None
        raise BriefgenError(f"--host {host} --port {port}: cannot listen: {exc.strerror or exc}") from None


def _check_selection(content_dir: Path, select: Callable) -> None:
    """Refuse a selection that can never build (an unknown --lang) before serving anything."""
    from ..content.load import load_content

    try:
        report = load_content(content_dir, allow_missing=True).report
    except BriefgenError:
        return  # broken content: the error page shows it, and the next good save recovers
    select(report)  # raises UsageError for what no save can fix


def serve(content_dir: Path, select: Callable, options: RenderOptions, *, host: str = "127.0.0.1", port: int = 8000,
          out: Path | None = None, landing: str = "", report=print, stop_event=None) -> None:
    """Serve the web edition of CONTENT_DIR at http://HOST:PORT/ and rebuild it on every save until stopped.

    OUT is the folder built into (default: a temporary folder, removed at the end). REPORT gets
    each message, problem and outcome, as for watch_and_rebuild.
    """
    check_host(host)
    if not Path(content_dir).is_dir():
        raise BriefgenError([Problem(str(content_dir), 0, "no such content folder; pass --content DIR")])
    _check_selection(content_dir, select)
    scratch = out is None
    folder = Path(tempfile.mkdtemp(prefix="briefgen-serve-")) if scratch else Path(out)
    # Stopped by `kill` as by Ctrl-C: the temporary folder goes either way.
    main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _interrupt) if main else None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        preview = Preview(folder, landing)
        server = open_server(host, port, make_handler(preview, {host, "localhost", "127.0.0.1", "::1"}))
        shown = f"[{host}]" if ":" in host else host
        report(f"serving http://{shown}:{server.server_address[1]}/ from {folder}")
        thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True)
        thread.start()
        errors: list[str] = []

        def collect(item) -> None:
            if isinstance(item, Problem):
                if item.severity == "error":
                    errors.append(str(item))
            elif hasattr(item, "target") and item.status == "failed":
                errors.extend(str(p) for p in item.problems if p.severity == "error")
            report(item)

        def built(result: BuildResult | None) -> None:
            preview.publish(list(dict.fromkeys(errors)) or ([] if result is not None else ["the build failed; see the terminal"]))
            errors.clear()

        try:
            watch_and_rebuild(content_dir, select, folder, options, collect, stop_event=stop_event, on_build=built)
        finally:
            preview.close()
            server.shutdown()
            server.server_close()
    finally:
        if main:
            signal.signal(signal.SIGTERM, previous)
        if scratch:
            shutil.rmtree(folder, ignore_errors=True)


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt
