"""Assemble a document from other documents' pages: the handout pack from the one-pagers.

The pack's pages are the one-pagers' own (each fitted and laid out once, whichever target asked
first): the build hands them over (build/runner.py), or they are rendered here when the pack is
rendered alone. The pack's template gives only its title and language; print marks are drawn
round the whole pack, with its page numbers in the slug lines.
"""

from __future__ import annotations

import html as html_lib
import re
from pathlib import Path

from ..audiences.declaration import Target
from ..content.source import Content
from .html import Artifact, build_html
from .options import RenderOptions

_TITLE = re.compile(r"<title>(.*?)</title>", re.S)
_LANG = re.compile(r'<html lang="([^"]+)"')


def render_assembled(content: Content, target: Target, out: Path, options: RenderOptions, pages: list[bytes],
                     warnings: list = (), notes: list[str] = ()) -> Artifact:
    """Join PAGES (the PDFs of TARGET's `page_targets`, in order) into OUT; WARNINGS and NOTES are theirs."""
    from ..audiences.select import page_targets
    from ..files import atomic_write
    from .archive import add_pdfua_identifier
    from .fitting import slug_lines
    from .joining import Page, join_pages
    from .printmarks import add_print_marks

    sources = page_targets(content.report, target)
    head, _ = build_html(content, target, options, sheets=[], qr=None, print_area=None)
    title = " ".join(html_lib.unescape(_TITLE.search(head).group(1)).split()) if _TITLE.search(head) else ""
    lang = _LANG.search(head).group(1) if _LANG.search(head) else target.lang
    themes = [content.report.theme(s.theme) for s in sources]
    data = join_pages([Page(pdf, s.lang, f"{theme.number}-{s.lang}", theme.id) for pdf, s, theme in zip(pages, sources, themes)],
                      title=title, lang=lang)
    if options.print_marks:
        data = add_print_marks(data, slug_lines(content, target.paper, [(theme, s.lang) for s, theme in zip(sources, themes)]))
    if options.archive:
        data = add_pdfua_identifier(data)
    atomic_write(out, data)
    return Artifact(target, out, len(sources), list(warnings), list(notes))
