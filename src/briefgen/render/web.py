"""The HTML writer for the web edition: a page per language, the index that links them, and the download list."""

from __future__ import annotations

import json
from pathlib import Path

from ..audiences.declaration import Target
from ..content.source import Content
from ..files import atomic_write
from .html import Artifact, asset_roots, build_html
from .references import refuse_loads
from .words import Words, load_words
from .options import RenderOptions
from .templates import BUILTIN_TEMPLATES, make_environment, render_template

MANIFEST = "manifest.json"  # build/runner.py's; read here, never written


def write_page(content: Content, target: Target, out_dir: Path, options: RenderOptions, extra: dict) -> Artifact:
    """Write TARGET's page and the index beside it; return what was written."""
    out = out_dir / target.name
    words = Words(load_words(BUILTIN_TEMPLATES, options.templates), target.lang, content.report.info.source_lang)
    html, L = build_html(content, target, options, downloads=downloads(out_dir, out.parent, target.lang, words), **extra)
    refuse_loads(html, asset_roots(options), BUILTIN_TEMPLATES, target.declaration.template_name(target))
    index = _index_html(content, target, options)  # checked before either file is written
    out.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(out, html.encode("utf-8"))
    atomic_write(out.parent / "index.html", index.encode("utf-8"))
    return Artifact(target, out, 1, L.fallbacks)


def downloads(out_dir: Path, page_dir: Path, lang: str, W: Words) -> list[dict]:
    """Return the PDFs and Word files the output folder's manifest records, with size and pages, as links from PAGE_DIR."""
    try:
        entries = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8")).get("artifacts", [])
    except (OSError, ValueError, AttributeError):
        return []  # nothing built yet: the page simply has no download list
    found = []
    for entry in entries:
        if not isinstance(entry, dict) or entry.get("format") not in ("pdf", "docx"):
            continue
        path = out_dir / str(entry.get("path", ""))
        if ".." in Path(str(entry.get("path", ""))).parts or Path(str(entry.get("path", ""))).is_absolute() or not path.is_file():
            continue  # only files the build wrote, inside the output folder (never /etc/passwd from an edited manifest)
        pages = entry.get("pages") if entry.get("format") == "pdf" else None  # a Word file has no fixed page count
        meta = W("download_meta", format=entry["format"].upper() if entry["format"] == "pdf" else "Word (.docx)", size=human_size(path.stat().st_size))
        if isinstance(pages, int) and pages > 0:
            meta += ", " if lang != "ja" else "、"
            meta += W("download_page") if pages == 1 else W("download_pages", n=pages)
        langs = str(entry.get("lang") or "").split("+")
        found.append({
            "href": Path("..", *Path(str(entry["path"])).parts).as_posix() if page_dir != out_dir else str(entry["path"]),
            "name": path.name,
            "meta": meta,
            "hreflang": langs[0] if len(langs) == 1 else "",
        })
    return sorted(found, key=lambda d: d["href"])


def human_size(size: int) -> str:
    """Return SIZE in bytes as a reader reads it: 840 KB, 1.2 MB."""
    if size < 1_000_000:
        return f"{max(1, round(size / 1000))} KB"
    return f"{size / 1_000_000:.1f} MB"


def _index_html(content: Content, target: Target, options: RenderOptions) -> str:
    """Return index.html: a page in the source language that links every language's page."""
    info = content.report.info
    table = load_words(BUILTIN_TEMPLATES, options.templates)
    from .localize import Localizer

    pages = []
    for lang in info.languages:
        L = Localizer(content, lang, allow_missing=True)
        pages.append({"lang": lang, "href": f"{target.declaration.stem}.{lang}.html",
                      "name": Words(table, lang, info.source_lang)("language_name"), "title": L.plain(info.title)})
    W = Words(table, info.source_lang, info.source_lang)
    context = {"lang": info.source_lang, "pages": pages, "W": W, "title": pages[[p["lang"] for p in pages].index(info.source_lang)]["title"]}
    html = render_template(make_environment(options.templates), "web/index.html", context)
    refuse_loads(html, asset_roots(options), BUILTIN_TEMPLATES, "web/index.html")
    return html
