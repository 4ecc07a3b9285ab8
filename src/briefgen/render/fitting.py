"""Fit sheets on one page each: render, and if a theme does not fit, fit it.

Fitting first tries smaller type within bounds (never below 8 pt), then leaves out optional parts
in a declared order. If the theme still does not fit, the build fails, naming the theme,
language, paper and the overflow: a handout is never clipped silently.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from ..audiences.declaration import Target
from ..content.source import Content
from ..errors import BriefgenError, Problem
from .html import Artifact, asset_roots, build_html
from .options import RenderOptions
from .templates import BUILTIN_TEMPLATES

BASE_SIZE = 12.0  # pt, the root size every one-pager size is relative to
MIN_SIZE = 8.0  # pt: below this, handouts stop being readable
SIZES = (12.0, 11.5, 11.0, 10.5, 10.0, 9.5, 9.0, 8.5, 8.0)
DROP_ORDER = ("figure-sources", "framing", "notice", "authors")  # least missed first
CONTENT_WIDTH_MM = {"a4": 210 - 28, "letter": 215.9 - 28}  # page width less the 14 mm margins
# The page area less 0.5 mm, so rounding never pushes a sheet of exactly this height over.
CONTENT_HEIGHT_MM = {"a4": 297 - 24 - 0.5, "letter": 279.4 - 24 - 0.5}


@dataclass(frozen=True)
class Fit:
    size: float
    drop: tuple[str, ...] = ()
    paper: str = "a4"

    @property
    def ja_em(self) -> int:
        """Whole characters per Japanese line that fit the text column at this size."""
        return math.floor(CONTENT_WIDTH_MM[self.paper] * 72 / 25.4 / self.size)

    @property
    def height_mm(self) -> float:
        return CONTENT_HEIGHT_MM[self.paper]

    def describe(self) -> str:
        parts = [] if self.size == BASE_SIZE else [f"type {self.size:g} pt"]
        parts += [f"without {d}" for d in self.drop]
        return ", ".join(parts) or "fits as designed"

    def template_view(self) -> dict[str, object]:
        """Return what templates see of this step: its plain values."""
        return {"size": self.size, "drop": self.drop, "paper": self.paper, "ja_em": self.ja_em, "height_mm": self.height_mm}


def fits(paper: str):
    """Yield the fitting steps in order: smaller type first, then fewer optional parts."""
    for size in SIZES:
        yield Fit(size, (), paper)
    for i in range(1, len(DROP_ORDER) + 1):
        yield Fit(MIN_SIZE, DROP_ORDER[:i], paper)


def render_fitted(content: Content, target: Target, out: Path, options: RenderOptions, context: dict) -> Artifact:
    """Render CONTEXT's sheets (a one-pager, or a pack of them) each on one page, and write them.

    Each theme (both faces of its sheet, in a pack) is laid out and fitted on its own, and a
    pack joins the fitted pages into one PDF: a theme that needs smaller type costs a re-render
    of its own two pages, not of the whole pack.
    """
    from .pdf import write_pdf

    sheets, qr = context["sheets"], context.get("qr")
    steps = list(fits(target.paper))
    docs, chosen = [], {}
    for theme in dict.fromkeys(s["theme"].id for s in sheets):
        group = [s for s in sheets if s["theme"].id == theme]
        doc, chosen[theme] = _fit_theme(content, target, options, group, steps, qr)
        docs.append(doc)
    doc = docs[0] if len(docs) == 1 else docs[0].copy([page for d in docs for page in d.pages])
    pages = write_pdf(doc, out)
    notes = [f"{theme}: fitted, {steps[i].describe()}" for theme, i in chosen.items() if i]
    warnings = [p for s in sheets for p in s["L"].fallbacks]
    warnings += [Problem(str(out), 0, f"WeasyPrint: {m}", "warning") for m in dict.fromkeys(m for d in docs for m in d.briefgen_warnings)]
    if options.strict and any(steps[i].drop for i in chosen.values()):
        raise BriefgenError([Problem(target.name, 0, f"needed to leave parts out ({'; '.join(notes)}); --strict forbids it")])
    return Artifact(target, out, pages, warnings, notes)


def _fit_theme(content: Content, target: Target, options: RenderOptions, group: list[dict], steps: list[Fit], qr):
    """Return the rendering of GROUP's sheets at the first fitting step where each is one page."""
    from .pdf import render_document

    theme = group[0]["theme"].id
    # Always from the first step: a pure function of its inputs, so a warm process (watch) makes
    # the bytes a cold build makes (starting from the step that fitted last time did not, after
    # a theme was shortened).
    step = 0
    while True:
        for i, sheet in enumerate(group):
            sheet["fit"], sheet["anchor"] = steps[step], f"sheet-{theme}-{i}"
        html, _ = build_html(content, target, options, sheets=group, fit=steps[step], qr=qr)
        doc = render_document(html, base_url=BUILTIN_TEMPLATES, roots=asset_roots(options))
        if not _spilled_sheets(doc, [s["anchor"] for s in group]):
            return doc, step
        if step == len(steps) - 1:
            overflow = _overflow_mm(doc, len(group))
            langs = "/".join(s["L"].lang for s in group)
            raise BriefgenError([Problem(
                target.name, 0,
                f"theme '{theme}' ({langs}, {target.paper}) does not fit on one page even at {MIN_SIZE:g} pt "
                f"without {', '.join(DROP_ORDER)}: about {overflow:.0f} mm over; shorten its key points",
            )])
        step += 1


def _spilled_sheets(doc, anchors: list[str]) -> list[int]:
    """Return the indexes of the sheets that run over one page, from the anchors on each page."""
    first_page = {}
    for number, page in enumerate(doc.pages):
        for anchor in page.anchors:
            first_page.setdefault(anchor, number)
    starts = [first_page.get(a, 0) for a in anchors] + [len(doc.pages)]
    return [i for i in range(len(anchors)) if starts[i + 1] - starts[i] > 1]


def _overflow_mm(doc, expected: int) -> float:
    """Return roughly how far the content runs past the pages allowed, in millimetres."""
    extra = doc.pages[expected:]
    total = 0.0
    for page in extra:
        box = page._page_box
        bottoms = [b.position_y + b.margin_height() for b in box.descendants() if hasattr(b, "margin_height")]
        top = box.content_box_y() if hasattr(box, "content_box_y") else 0
        total += max(bottoms, default=top) - top
    return total * 25.4 / 96  # CSS px to mm
