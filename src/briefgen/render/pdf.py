"""The PDF writer: HTML + CSS through WeasyPrint, sandboxed, tagged, with subset fonts.

WeasyPrint is imported lazily (about 0.7 s) so `briefgen check` and `--help` stay fast, and
one font configuration is shared by every document this process renders.
"""

from __future__ import annotations

import atexit
import base64
import logging
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..errors import BriefgenError, Problem

MAX_DATA_URL = 256 * 1024  # a small inline image (a logo, a QR code); anything bigger is refused

_font_config = None


def font_config():
    """Return the process-wide WeasyPrint font configuration."""
    global _font_config
    if _font_config is None:
        from weasyprint.text.fonts import FontConfiguration

        _font_config = FontConfiguration()
        # Release it before interpreter shutdown tears down the C bindings its __del__ needs.
        atexit.register(_release_font_config)
    return _font_config


def _release_font_config() -> None:
    global _font_config
    _css_cache.clear()  # parsed stylesheets hold the configuration too
    _font_config = None


def make_fetcher(roots: list[Path]):
    """Return a URL fetcher that serves only files under ROOTS and small data: images.

    ROOTS are searched in order for the path relative to whichever root a URL points into,
    so a stylesheet of the same name in the user's --templates folder overrides the built-in.
    """
    from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

    allowed = [r.resolve() for r in roots]

    def locate(path: Path) -> Path | None:
        for root in allowed:
            if path.is_relative_to(root):
                rel = path.relative_to(root)
                for candidate in (r / rel for r in allowed):
                    if candidate.is_file() and candidate.resolve().is_relative_to(candidate.parent.resolve()):
                        return candidate
        return None

    class SandboxFetcher(URLFetcher):
        def read_file(self, url: str) -> tuple[Path, bytes]:
            """Return the path and bytes a file: URL stands for, or refuse it."""
            wanted = Path(unquote(urlsplit(url).path)).resolve()
            path = locate(wanted)
            if path is not None and any(path.resolve().is_relative_to(r) for r in allowed):
                return path, path.read_bytes()
            raise FatalURLFetchingError(f"refused to read {wanted.as_uri()[:200]}: only files under the templates folders are allowed")

        def fetch(self, url, headers=None):
            parts = urlsplit(url)
            if parts.scheme == "file":
                path, body = self.read_file(url)
                return URLFetcherResponse(url, body=body, headers={"Content-Type": _mime(path)})
            if parts.scheme == "data":
                header, _, payload = url.partition(",")
                if len(url) <= MAX_DATA_URL and header.startswith("data:image/"):
                    body = base64.b64decode(payload) if header.endswith(";base64") else unquote(payload).encode()
                    return URLFetcherResponse(url, body=body, headers={"Content-Type": header[5:].split(";")[0]})
                raise FatalURLFetchingError(f"refused a data: URL ({len(url)} bytes, {header[:40]}): only small images are allowed")
            raise FatalURLFetchingError(f"refused to fetch {url[:200]}: rendering never uses the network")

    return SandboxFetcher()


def _mime(path: Path) -> str:
    return {
        ".css": "text/css",
        ".ttf": "font/ttf",
        ".otf": "font/otf",
        ".woff2": "font/woff2",
        ".svg": "image/svg+xml",
        ".png": "image/png",
        ".jpg": "image/jpeg",
    }.get(path.suffix.lower(), "application/octet-stream")


class _Collect(logging.Handler):
    """Collect WeasyPrint's warnings (ignored CSS, missing glyphs) so --strict can fail on them."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())


_LINK = re.compile(r'<link rel="stylesheet" href="([^":]+)">')
_css_cache: dict[tuple, object] = {}


def _stylesheets(html: str, base_url: Path, fetcher) -> tuple[str, list]:
    """Take the templates' own stylesheet links out of HTML and return them parsed, from a cache.

    Parsing the same stylesheets (and their @font-face rules) for every document costs more
    than laying out a one-pager; a process parses each file once. Only relative links to the
    template folders are taken; anything else stays in the HTML for the sandboxed fetcher.
    """
    import weasyprint

    sheets = []
    for href in _LINK.findall(html):
        url = base_url.as_uri() + "/" + href
        path, body = fetcher.read_file(url)
        key = (str(path), hash(body))
        if key not in _css_cache:
            _css_cache[key] = weasyprint.CSS(string=body.decode("utf-8"), base_url=url, url_fetcher=fetcher, font_config=font_config())
        sheets.append(_css_cache[key])
    return _LINK.sub("", html), sheets


def render_document(html: str, *, base_url: Path, roots: list[Path]):
    """Lay out HTML and return WeasyPrint's Document (pages can be counted before writing)."""
    import weasyprint
    from weasyprint.urls import FatalURLFetchingError

    handler = _Collect()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    logger.propagate = False
    fetcher = make_fetcher(roots)
    try:
        html, sheets = _stylesheets(html, base_url, fetcher)
        doc = weasyprint.HTML(string=html, base_url=base_url.as_uri() + "/", url_fetcher=fetcher).render(
            stylesheets=sheets, font_config=font_config(), pdf_variant="pdf/ua-1", pdf_tags=True
        )
    except FatalURLFetchingError as exc:
        raise BriefgenError([Problem("", 0, str(exc))]) from None
    finally:
        logger.removeHandler(handler)
    doc.briefgen_warnings = handler.messages
    return doc


def write_pdf(document, out: Path, finish=None) -> int:
    """Write a rendered DOCUMENT to OUT atomically and return its page count.

    FINISH, if given, takes the PDF's bytes and returns them changed (print marks).
    """
    from ..files import atomic_output

    # Glyphs are looked up while drawing, so a character no font has is only noticed here: refuse
    # it (tofu) before the file replaces the previous one, and keep the other warnings for --strict.
    handler = _Collect()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    try:
        with atomic_output(out) as fh:
            if finish is None:
                document.write_pdf(fh, pdf_variant="pdf/ua-1", pdf_tags=True)
            else:
                fh.write(finish(document.write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True)))
            tofu = [m for m in dict.fromkeys(handler.messages) if m.startswith(".notdef glyph")]
            if tofu:
                raise BriefgenError([Problem(str(out), 0, f"WeasyPrint: {m}; no font has this character: replace it in the content") for m in tofu])
    finally:
        logger.removeHandler(handler)
    if hasattr(document, "briefgen_warnings"):
        document.briefgen_warnings += [m for m in handler.messages if m not in document.briefgen_warnings]
    return len(document.pages)
