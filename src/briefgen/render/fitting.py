"""Fit sheets on one page each: render, and if a theme does not fit, fit it.

Fitting first tries the series' type size with extras, then without, then smaller type within
bounds (never below 8 pt), then leaves out optional parts in a declared order. If the theme still does not fit, the build fails, naming the theme,
language, paper and the overflow: a handout is never clipped silently.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from ..audiences.declaration import Target
from ..content.source import Content
from ..errors import BriefgenError, Problem
from .fitsearch import first_fitting
from .html import Artifact, asset_roots, build_html, layout_problem
from .options import RenderOptions
from .printmarks import BLEED_MM, MEDIA_MM, add_print_marks
from .templates import BUILTIN_TEMPLATES

# One type size per language and paper across the series (a reader laying the sheets side by
# side sees one design): the size at which the longest theme of the built-in content fits without
# leaving anything out. A theme that does not fit at it is shrunk (reported with --verbose, and
# the only way the series breaks); a theme with room gets its recommendations' summaries, and
# the room still left is shared out between its blocks.
SERIES_SIZE = {("ja", "a4"): 10.0, ("ja", "letter"): 9.5, ("en", "a4"): 10.5, ("en", "letter"): 10.0}
DEFAULT_SIZE = 10.0  # pt, for a language the table does not name
MIN_SIZE = 8.0  # pt: below this, handouts stop being readable
STEP = 0.5  # pt per shrinking step
EXTRAS = ("summaries",)  # added where they fit, richest first
SPREAD_MAX_MM = 12.0  # the most room added between two blocks of a short theme
FOOT_SPACE_MM, FOOTER_MM = 34.0, 32.0  # onepager.css: .foot-space and .sheet-foot heights
DROP_ORDER = ("figure-sources", "framing", "notice", "authors")  # least missed first
CONTENT_WIDTH_MM = {"a4": 210 - 28, "letter": 215.9 - 28}  # page width less the 14 mm margins
# The page area less 0.5 mm, so rounding never pushes a sheet of exactly this height over.
CONTENT_HEIGHT_MM = {"a4": 297 - 24 - 0.5, "letter": 279.4 - 24 - 0.5}


@dataclass(frozen=True)
class Fit:
    shrink: float = 0.0  # pt below the series size
    extras: tuple[str, ...] = ()
    drop: tuple[str, ...] = ()
    paper: str = "a4"

    def size(self, lang: str) -> float:
        """Return the type size of a LANG sheet at this step."""
        return max(MIN_SIZE, SERIES_SIZE.get((lang, self.paper), DEFAULT_SIZE) - self.shrink)

    def ja_em(self, lang: str) -> int:
        """Return how many whole characters per Japanese line fit the text column at this step's size."""
        return math.floor(CONTENT_WIDTH_MM[self.paper] * 72 / 25.4 / self.size(lang))

    @property
    def height_mm(self) -> float:
        return CONTENT_HEIGHT_MM[self.paper]

    def plain(self) -> dict:
        """Return what templates read of this step, as plain values."""
        return {"extras": list(self.extras), "drop": list(self.drop), "height_mm": self.height_mm}

    def describe(self) -> str:
        parts = [f"type {self.shrink:g} pt below the series size"] if self.shrink else []
        parts += [f"without {e}" for e in EXTRAS if e not in self.extras]
        parts += [f"without {d}" for d in self.drop]
        return ", ".join(parts) or "the series design"

    def template_view(self) -> dict[str, object]:
        """Return what templates see of this step: its plain values (each sheet carries its size and ja_em)."""
        return {"shrink": self.shrink, "extras": self.extras, "drop": self.drop, "paper": self.paper, "height_mm": self.height_mm}


def fits(paper: str):
    """Yield the fitting steps in order: the series size with extras, without, then smaller type, then fewer parts."""
    for i in range(len(EXTRAS), -1, -1):
        yield Fit(0.0, EXTRAS[:i], (), paper)
    shrink = STEP
    while max(SERIES_SIZE.values()) - shrink >= MIN_SIZE:
        yield Fit(shrink, (), (), paper)
        shrink += STEP
    for i in range(1, len(DROP_ORDER) + 1):
        yield Fit(shrink, (), DROP_ORDER[:i], paper)


def render_fitted(content: Content, target: Target, out: Path, options: RenderOptions, context: dict) -> Artifact:
    """Render CONTEXT's sheets (a one-pager's) each on one page, and write them.

    Each theme is laid out and fitted on its own; several themes' pages are joined into one
    PDF. The artifact keeps the PDF before print marks: the page a handout pack joins.
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
    notes = [f"{theme}: fitted, {steps[i].describe()}" for theme, i in chosen.items() if i]
    problems = [p for s in sheets for p in s["L"].fallbacks]
    problems += list(dict.fromkeys(p for d in docs for p in d.briefgen_problems))
    problems += [Problem(str(content.theme_file(theme).path), 0, f"to fit theme '{theme}' on one page, left out {', '.join(steps[i].drop)} "
                         f"({steps[i].describe()}); shorten its key points to keep them", "warning", "dropped")
                 for theme, i in chosen.items() if steps[i].drop]
    doc.briefgen_problems, doc.briefgen_source = problems, docs[0].briefgen_source
    unmarked: list[bytes] = []
    slugs = slug_lines(content, target.paper, [(s["theme"], s["L"].lang) for s in sheets]) if options.print_marks else None

    def finish(data: bytes) -> bytes:
        unmarked.append(data)  # the page a pack joins: its marks are drawn round the whole pack
        return add_print_marks(data, slugs) if slugs else data

    pages = write_pdf(doc, out, strict=options.strict, finish=finish, archive=options.archive)
    return Artifact(target, out, pages, doc.briefgen_problems, notes, pdf=unmarked[0])


def _fit_theme(content: Content, target: Target, options: RenderOptions, group: list[dict], steps: list[Fit], qr):
    """Return the rendering of GROUP's sheets at the first fitting step where each is one page."""
    from .pdf import render_document

    theme = group[0]["theme"].id
    anchors = [f"sheet-{theme}-{i}" for i in range(len(group))]

    def prepare(step: int) -> None:
        for sheet, anchor in zip(group, anchors):
            fit, lang = steps[step], sheet["L"].lang
            sheet.update(fit=fit.plain(), anchor=anchor, size=fit.size(lang), ja_em=fit.ja_em(lang), spread_mm=0)

    def attempt(step: int):
        prepare(step)
        html, _ = build_html(content, target, options, sheets=group, qr=qr, print_area=_print_area(options))
        doc = render_document(html, base_url=BUILTIN_TEMPLATES, roots=asset_roots(options), source=target.declaration.template_name(target))
        return not _spilled_sheets(doc, anchors), doc

    # Always from the first step: a pure function of its inputs, so a warm process (watch) makes
    # the bytes a cold build makes (starting from the step that fitted last time did not, after
    # a theme was shortened). The search predicts the step from the first render's overrun.
    # The steps that only leave extras out keep the type size: tried in order, then the size predicted.
    ordered = sum(1 for fit in steps if not fit.shrink)
    first_drop = next((i for i, fit in enumerate(steps) if fit.drop), len(steps) - 1)
    step, doc = first_fitting(len(steps), attempt, lambda last: _predicted_step(last, group, anchors, steps, ordered - 1), ordered,
                              hopeless=lambda first: _predicted_step(first, group, anchors, steps, 0) >= first_drop)
    if step is None:
        overflow = _overflow_mm(doc, len(group))
        langs = "/".join(s["L"].lang for s in group)
        raise BriefgenError([layout_problem(
            target,
            f"theme '{theme}' ({langs}, {target.paper}) does not fit on one page even at {MIN_SIZE:g} pt "
            f"without {', '.join(DROP_ORDER)}: about {overflow:.0f} mm over; shorten its key points",
            options,
        )])
    prepare(step)  # the last render may have tried another step
    return _spread(content, target, options, group, steps[step], qr, doc), step


def _predicted_step(doc, group: list[dict], anchors: list[str], steps: list[Fit], rendered: int) -> int:
    """Return the step expected to fit first, from how far the sheets of DOC (rendered at step RENDERED) run over.

    Height grows as a power of the type size: Japanese columns hold a whole number of em, so
    lines get taller and fewer characters fit a line (the square); English measured on the
    shipped content runs closer to the cube (word wrap, headings that take a second line). A
    guess one step too large costs no more renders than an exact one, so the exponents lean
    that way. Past the smallest type, the first step that leaves a part out is the guess.
    """
    guess = rendered + 1
    for sheet, overrun in zip(group, _overruns(doc, anchors)):
        lang = sheet["L"].lang
        if overrun <= 1.0:
            continue
        wanted = steps[rendered].size(lang) / overrun ** (1 / (2.0 if lang == "ja" else 3.2))
        sizes = [step.size(lang) for step in steps]
        first = next((i for i, size in enumerate(sizes) if size <= wanted), None)
        if first is None:  # smaller than the smallest type: the first step that leaves a part out
            first = next((i for i, step in enumerate(steps) if step.drop), len(steps) - 1)
        guess = max(guess, first)
    return guess


def _overruns(doc, anchors: list[str]) -> list[float]:
    """Return, for each sheet in DOC, the height its flowing content needs over the height it has.

    Measured at the sheet's `foot-space` block (the room kept for the footer, which closes the
    flow): its top, counted from the sheet's first page across any pages it spilled onto. A
    template without one gives the number of pages the sheet took.
    """
    first_page: dict[str, int] = {}
    for number, page in enumerate(doc.pages):
        for anchor in page.anchors:
            first_page.setdefault(anchor, number)
    starts = [first_page.get(a, 0) for a in anchors] + [len(doc.pages)]
    ratios = []
    for i in range(len(anchors)):
        ratio, used = float(starts[i + 1] - starts[i]), 0.0
        for number in range(starts[i], starts[i + 1]):
            box = doc.pages[number]._page_box
            space = next((b for b in box.descendants() if "foot-space" in _classes(b)), None)
            if space is not None and box.height > space.margin_height():
                ratio = (used + space.position_y - box.content_box_y()) / (box.height - space.margin_height())
                break
            # A page the sheet spilled from: count the height its blocks take, not the room a
            # block too tall for the rest of the page left empty.
            sheet = next((b for b in box.descendants() if "sheet" in _classes(b)), None)
            bottoms = [c.position_y + c.margin_height() for c in getattr(sheet, "children", ())]
            used += max(bottoms, default=box.content_box_y() + box.height) - box.content_box_y()
        ratios.append(ratio)
    return ratios


def _classes(box) -> list[str]:
    element = getattr(box, "element", None)
    return (element.get("class") or "").split() if element is not None and hasattr(element, "get") else []


def slug_lines(content: Content, paper: str, pages: list[tuple]) -> list[str]:
    """Return the slug line of each page, given as (theme, language): report, theme, language, date, paper, page (ASCII, for the print shop)."""
    info = content.report.info
    return [
        f"{info.id}  |  {theme.number:02d}-{theme.id}  |  {lang}  |  {info.date.isoformat()}  |  "
        f"{paper.upper()} trim, {BLEED_MM:g} mm bleed  |  page {i} of {len(pages)}"
        for i, (theme, lang) in enumerate(pages, start=1)
    ]


def _print_area(options: RenderOptions) -> dict | None:
    """Return the bleed and the room for marks that the templates lay out, with --print-marks."""
    return {"bleed_mm": BLEED_MM, "media_mm": MEDIA_MM} if options.print_marks else None


def _spread(content: Content, target: Target, options: RenderOptions, group: list[dict], fit: Fit, qr, doc):
    """Return DOC re-rendered with the room a short theme leaves shared out between its blocks.

    A theme of two recommendations would otherwise end half-way down its sheet: the sheets of a
    series keep one type size, so the room goes into the space between header, recommendations
    and figures (at most SPREAD_MAX_MM per gap), and the content reaches down to the footer.
    """
    from .pdf import render_document

    rooms = [_room_mm(page) for page in doc.pages]
    if len(rooms) != len(group) or max(rooms, default=0) < 3:
        return doc
    for sheet, room in zip(group, rooms):
        gaps = len(sheet["theme"].recommendations) + 1
        sheet["spread_mm"] = round(min(SPREAD_MAX_MM, max(0.0, room - 1) / gaps), 1)  # 1 mm to spare for rounding
    html, _ = build_html(content, target, options, sheets=group, qr=qr, print_area=_print_area(options))
    spread = render_document(html, base_url=BUILTIN_TEMPLATES, roots=asset_roots(options), source=target.declaration.template_name(target))
    if _spilled_sheets(spread, [s["anchor"] for s in group]) or len(spread.pages) != len(doc.pages):
        for sheet in group:
            sheet["spread_mm"] = 0
        return doc
    return spread


def _room_mm(page) -> float:
    """Return the free height between a sheet's content and its footer, in millimetres."""
    tops = {}
    for box in page._page_box.descendants():
        element = getattr(box, "element", None)
        classes = (element.get("class") or "").split() if element is not None and hasattr(element, "get") else []
        for name in ("foot-space", "sheet-foot"):
            if name in classes and name not in tops:
                tops[name] = box.position_y
    if len(tops) != 2:
        return 0.0
    return max(0.0, (tops["sheet-foot"] - tops["foot-space"]) * 25.4 / 96 - (FOOT_SPACE_MM - FOOTER_MM))


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
