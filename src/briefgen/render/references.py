"""Find where a template or stylesheet refers to a URL, so a refused fetch can name the file and line.

WeasyPrint tells the URL fetcher only the absolute URL it wants, not who asked for it. When a
fetch is refused, the template folders (the user's first) are searched for a reference that
resolves to that URL the way the renderer resolves it: a stylesheet's relative URLs against the
stylesheet's own place in the folders, a template's against the folders' root (the document's
base URL). Only the refusal pays for the search.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urljoin

from ..files import read_regular

# url(...), @import "...", and the HTML attributes whose URL a renderer or browser loads by itself.
_REFERENCE = re.compile(
    r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)\s]*))"""
    r"""|@import\s+(?:"([^"]*)"|'([^']*)')"""
    r"""|\b(?:src|href|srcset|poster|data|background)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""",
    re.IGNORECASE,
)
MAX_SEARCHED = 2_000_000  # bytes per file; a template bigger than this is not searched


def references(text: str):
    """Yield (line number, URL) for every URL TEXT refers to, in order."""
    for number, line in enumerate(text.splitlines(), 1):
        for match in _REFERENCE.finditer(line):
            url = next(g for g in match.groups() if g is not None).strip()
            for part in url.split(",") if "srcset" in match.group(0)[:7].lower() else [url]:
                if part.strip():
                    yield number, part.strip().split()[0]


def find_reference(url: str, roots: list[Path], base: Path) -> tuple[Path, int] | None:
    """Return the template or stylesheet under ROOTS (searched in order) and the line that refers to URL, if any.

    BASE is the folder the document's relative URLs are resolved against.
    """
    wanted = {url, unquote(url)}
    base_uri = base.resolve().as_uri() + "/"
    for root in roots:
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*")):
            if path.suffix.lower() not in (".html", ".css", ".htm", ".svg"):
                continue
            try:
                text = read_regular(path, MAX_SEARCHED).decode("utf-8", "replace")
            except OSError:
                continue
            # A template's URLs resolve against the document; a stylesheet's or an image's against itself.
            own = base_uri if path.suffix.lower() in (".html", ".htm") else urljoin(base_uri, path.relative_to(root).as_posix())
            for number, ref in references(text):
                if ref in wanted or {urljoin(own, ref), unquote(urljoin(own, ref))} & wanted:
                    return path, number
    return None


# Attributes a browser loads by itself (a link the reader follows, <a href>, is not one of them).
_LOADS = {"src", "srcset", "poster", "data", "background", "imagesrcset"}
_LINK_LOADS = {"stylesheet", "icon", "preload", "prefetch", "modulepreload", "manifest", "apple-touch-icon", "mask-icon"}
_CSS_URL = re.compile(r"""url\(\s*["']?([^"')\s]+)|@import\s+["']([^"']+)""", re.IGNORECASE)


def loaded_urls(html: str) -> list[str]:
    """Return every URL in HTML a browser would load on its own from another place (not data:, not in the page)."""
    from html.parser import HTMLParser

    found: list[str] = []

    class Scan(HTMLParser):
        def handle_starttag(self, tag, attrs):
            values = dict(attrs)
            for name, value in attrs:
                if value is None:
                    continue
                if name in _LOADS or (tag == "link" and name == "href" and _LINK_LOADS & set((values.get("rel") or "").lower().split())):
                    found.extend(part.strip().split()[0] for part in (value.split(",") if "srcset" in name else [value]) if part.strip())
                elif name == "style":
                    found.extend(next(g for g in m.groups() if g) for m in _CSS_URL.finditer(value))

        def handle_data(self, data):
            if self.lasttag == "style":
                found.extend(next(g for g in m.groups() if g) for m in _CSS_URL.finditer(data))

    Scan(convert_charrefs=True).feed(html)
    return [url for url in dict.fromkeys(found) if not url.lower().startswith("data:") and not url.startswith("#")]


def refuse_loads(html: str, roots: list[Path], base: Path, template: str) -> None:
    """Fail, naming the template and line, if HTML would make a reader's browser load anything from another site or a file."""
    from ..errors import BriefgenError, Problem

    outside = [url for url in loaded_urls(html) if url.startswith("//") or re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", url)]
    problems = []
    for url in outside:
        path, line = find_reference(url, roots, base) or next(((r / template, 0) for r in roots if (r / template).is_file()), (Path(template), 0))
        shown = url if len(url) <= 120 else url[:120] + "…"
        problems.append(Problem(str(path), line, f"the page would load {shown} from elsewhere, but a web edition loads nothing "
                                                 "from other sites (its readers' privacy); inline it as a data: URL or remove it"))
    if problems:
        raise BriefgenError(problems)


def find_pattern(pattern: re.Pattern, roots: list[Path], names: list[str]) -> tuple[Path, int] | None:
    """Return the first of NAMES (template paths, the user's folder searched first) and the line where PATTERN matches."""
    for root in roots:
        for name in names:
            path = root / name
            try:
                text = read_regular(path, MAX_SEARCHED).decode("utf-8", "replace")
            except OSError:
                continue
            for number, line in enumerate(text.splitlines(), 1):
                if pattern.search(line):
                    return path, number
    return None
