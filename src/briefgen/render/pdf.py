"""The PDF writer: HTML + CSS through WeasyPrint, sandboxed, tagged, with subset fonts.

WeasyPrint is imported lazily (about 0.7 s) so `briefgen check` and `--help` stay fast, and
one font configuration is shared by every document this process renders.
"""

from __future__ import annotations

import atexit
import base64
import logging
import re
import warnings
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

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

    from ..files import folder_file, read_regular

    allowed = [r.resolve() for r in roots]

    def locate(path: Path, url: str) -> Path | None:
        """Return the first regular file for PATH's place in any root, or None; refuse links out and special files."""
        for root in allowed:
            if path.is_relative_to(root):
                rel = path.relative_to(root).as_posix()
                for folder in allowed:
                    try:
                        found = folder_file(folder, rel)
                    except BriefgenError as exc:
                        raise refuse(url, exc.problems[0].message) from None
                    if found is not None:
                        return found
        return None

    def refuse(url: str, message: str):
        error = FatalURLFetchingError(message)
        error.briefgen_url = url  # render_document finds who refers to it
        return error

    class SandboxFetcher(URLFetcher):
        def read_file(self, url: str) -> tuple[Path, bytes]:
            """Return the path and bytes a file: URL stands for, or refuse it."""
            wanted = Path(unquote(urlsplit(url).path)).resolve()
            path = locate(wanted, url)
            if path is not None:
                try:
                    return path, read_regular(path)
                except OSError as exc:
                    raise refuse(url, f"cannot read {path.name}: {exc.strerror}") from None
            inside = next((wanted.relative_to(r) for r in allowed if wanted.is_relative_to(r)), None)
            if inside is not None:
                raise refuse(url, f"no such file {inside.as_posix()[:200]} in the templates folders; "
                                  "add it to your --templates folder or remove the reference")
            raise refuse(url, f"refused to read {_shown(wanted.as_uri())}: briefgen reads only files in the templates folders; "
                              "copy the file into your --templates folder and refer to it by a relative path")

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
                raise refuse(url, f"refused a data: URL of {len(url):,} bytes ({_shown(header, 40)}): only images of up to "
                                  f"{MAX_DATA_URL // 1024} KB are inlined; put the file in your --templates folder and refer to it by a relative path")
            raise refuse(url, f"refused to fetch {_shown(url)}: rendering never uses the network; "
                              "put the file in your --templates folder and refer to it by a relative path")

    return SandboxFetcher()


def _shown(text: str, limit: int = 120) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


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
    """Collect WeasyPrint's warnings (ignored CSS, unresolved links, missing glyphs) while it works."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())

    def __enter__(self):
        logger = logging.getLogger("weasyprint")
        logger.addHandler(self)
        logger.propagate = False
        return self

    def __exit__(self, *exc):
        logging.getLogger("weasyprint").removeHandler(self)


_AT = re.compile(r" at (\d+):\d+")


def warning_problem(message: str, path: str) -> Problem:
    """Return a WeasyPrint warning as a Problem placed at PATH (a stylesheet, a template), with its kind."""
    lower = message.lower()
    if lower.startswith("ignored") or "invalid" in lower or "unknown property" in lower:
        kind = "css"
    elif "anchor" in lower or "failed to load" in lower or "url" in lower:
        kind = "url"
    else:
        kind = "weasyprint"
    at = _AT.search(message) if kind == "css" and path.endswith(".css") else None
    return Problem(path, int(at.group(1)) if at else 0, f"WeasyPrint: {message}", "warning", kind)


_LINK = re.compile(r'<link rel="stylesheet" href="([^":]+)">')
_css_cache: dict[tuple, tuple[object, list[Problem]]] = {}


def _stylesheets(html: str, base_url: Path, fetcher) -> tuple[str, list, list[Problem]]:
    """Take the templates' own stylesheet links out of HTML and return them parsed, from a cache, with their warnings.

    Parsing the same stylesheets (and their @font-face rules) for every document costs more
    than laying out a one-pager; a process parses each file once, and keeps the warnings the
    parse gave so every document that uses the sheet reports them (warm or cold alike). Only
    relative links to the template folders are taken; anything else stays in the HTML for the
    sandboxed fetcher.
    """
    import weasyprint

    sheets, problems = [], []
    for href in _LINK.findall(html):
        url = urljoin(base_url.as_uri() + "/", href)
        path, body = fetcher.read_file(url)
        key = (str(path), body)
        if key not in _css_cache:
            try:
                text = body.decode("utf-8")
            except UnicodeDecodeError as exc:
                line = body[: exc.start].count(b"\n") + 1
                raise BriefgenError([Problem(str(path), line, f"not UTF-8 text ({exc.reason} at byte {exc.start}); save the stylesheet as UTF-8")]) from None
            with _Collect() as parse:
                css = weasyprint.CSS(string=text, base_url=url, url_fetcher=fetcher, font_config=font_config())
            _css_cache[key] = css, [warning_problem(m, str(path)) for m in dict.fromkeys(parse.messages)]
        css, found = _css_cache[key]
        sheets.append(css)
        problems += found
    return _LINK.sub("", html), sheets, problems


def render_document(html: str, *, base_url: Path, roots: list[Path], source: str = ""):
    """Lay out HTML and return WeasyPrint's Document (pages can be counted before writing).

    Its warnings are in `document.briefgen_problems`, placed at the stylesheet they come from,
    else at SOURCE (the template's name).
    """
    import weasyprint
    from weasyprint.urls import FatalURLFetchingError

    fetcher = make_fetcher(roots)
    try:
        with _Collect() as layout:
            html, sheets, problems = _stylesheets(html, base_url, fetcher)
            doc = weasyprint.HTML(string=html, base_url=base_url.as_uri() + "/", url_fetcher=fetcher).render(
                stylesheets=sheets, font_config=font_config(), pdf_variant="pdf/ua-1", pdf_tags=True
            )
    except FatalURLFetchingError as exc:
        raise BriefgenError([_refused_at(exc, roots, base_url, source)]) from None
    doc.briefgen_problems = list(dict.fromkeys(problems + [warning_problem(m, source) for m in layout.messages]))
    doc.briefgen_source = source
    return doc


def _refused_at(error, roots: list[Path], base_url: Path, source: str) -> Problem:
    """Return a refused fetch as a Problem at the template or stylesheet (and line) that refers to its URL.

    When no file spells the URL out (a template computes it), the document's template is named.
    """
    from .references import find_reference

    url = getattr(error, "briefgen_url", None)
    found = find_reference(url, roots, base_url) if url else None
    if found is None and source:
        found = next(((root / source, 0) for root in roots if (root / source).is_file()), (Path(source), 0))
    path, line = found or (Path(""), 0)
    return Problem(str(path) if found else "", line, str(error))


def write_pdf(document, out: Path, *, strict: bool = False, finish=None, archive: bool = False) -> int:
    """Write a rendered DOCUMENT to OUT atomically and return its page count.

    FINISH, if given, takes the PDF's bytes and returns them changed (print marks). ARCHIVE
    writes PDF/A-2a that also declares PDF/UA-1 (see archive.py); otherwise PDF/UA-1. Warnings
    WeasyPrint gives while drawing join `document.briefgen_problems`; with STRICT, any warning
    (from layout or drawing) leaves the previous file in place and fails.
    """
    from ..errors import strict_failures
    from ..files import atomic_output
    from .archive import ARCHIVE_VARIANT, add_pdfua_identifier

    # Glyphs are looked up while drawing, so a character no font has is only noticed here: refuse
    # it (tofu) before the file replaces the previous one.
    problems = getattr(document, "briefgen_problems", [])
    with _Collect() as draw, atomic_output(out) as fh:
        if finish is None and not archive:
            document.write_pdf(fh, pdf_variant="pdf/ua-1", pdf_tags=True)
        else:
            with warnings.catch_warnings():
                # WeasyPrint reads its sRGB output intent (PDF/A) through a file it never closes (70.0).
                warnings.simplefilter("ignore", ResourceWarning)
                data = document.write_pdf(pdf_variant=ARCHIVE_VARIANT if archive else "pdf/ua-1", pdf_tags=True)
            data = finish(data) if finish is not None else data
            fh.write(add_pdfua_identifier(data) if archive else data)
        tofu = [m for m in dict.fromkeys(draw.messages) if m.startswith(".notdef glyph")]
        if tofu:
            raise BriefgenError([Problem(str(out), 0, f"WeasyPrint: {m}; no font has this character: replace it in the content") for m in tofu])
        source = getattr(document, "briefgen_source", "") or str(out)
        problems += [p for p in (warning_problem(m, source) for m in dict.fromkeys(draw.messages)) if p not in problems]
        refused = strict_failures(problems) if strict else []
        if refused:
            raise BriefgenError(refused + [Problem(str(out), 0, "not written: --strict refuses warnings")])
    document.briefgen_problems = problems
    return len(document.pages)
