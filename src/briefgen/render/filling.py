"""The short brief fills its two pages: the loosest type that still fits them.

A CRS In Focus is two full pages. How much text the content gives varies, so the build tries
type from loose to tight (English: 11 pt on 1.42 leading down to 10 pt on 1.32; Japanese from
23 to 25 characters a column, 10.9 to 10 pt, each on four leadings) and
keeps the loosest setting that fits. The last page's two columns are balanced, so at that
setting both end near the foot of the page. Content too long for two pages at the tightest
setting fails the build, naming what to shorten; never smaller type than 10 pt.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import BriefgenError, Problem

PAGES = 2
STEPS = 21  # settings between the loosest and the tightest, both included
MAX_GAP_MM = 15  # a column may end this far above the bottom margin (a heading kept with its text moves on)
LOOKAHEAD = 3  # tighter settings tried when the loosest that fits leaves a column short


@dataclass(frozen=True)
class Fill:
    """The body type of the short brief: size in points and line height (unitless)."""

    size: float
    leading: float


JA_COLUMN_PT = 250  # the Japanese short brief's column width (templates/css/brief.css)


def fill_steps(lang: str) -> list[Fill]:
    """Return the settings to try, loosest first.

    Japanese lines end flush only when the column is a whole number of characters wide, so
    Japanese sizes are the column width divided by 23, 24 or 25 characters, each with three
    leadings.
    """
    if lang in ("ja", "zh", "ko"):
        return [Fill(round(JA_COLUMN_PT / chars, 3), leading) for chars in (23, 24, 25) for leading in (2.1, 1.95, 1.8, 1.65)]
    steps = []
    for i in range(STEPS):
        t = i / (STEPS - 1)
        steps.append(Fill(round(11.0 - 1.0 * t, 2), round(1.42 - 0.1 * t, 3)))
    return steps


def fill_pages(render, lang: str, name: str):
    """Return (document, fill) for the loosest setting at which RENDER(fill) gives two pages at most.

    RENDER lays the brief out with one Fill; a binary search over the settings, then up to
    LOOKAHEAD tighter ones, keeps the number of layouts to about eight.
    """
    steps = fill_steps(lang)
    lo, hi = 0, len(steps) - 1
    docs = {}
    while lo < hi:  # the answer lies in steps[lo..hi]
        mid = (lo + hi) // 2
        docs[mid] = render(steps[mid])
        if len(docs[mid].pages) <= PAGES:
            hi = mid
        else:
            lo = mid + 1
    if hi not in docs:
        docs[hi] = render(steps[hi])
    if len(docs[hi].pages) > PAGES:
        raise BriefgenError([Problem(name, 0, f"the short brief runs to {len(docs[hi].pages)} pages even at {steps[hi].size:g} pt "
                                              f"(at most {PAGES}); give fewer asks a priority or shorten the bottom line")])
    # Headings kept with their text can leave a column short; a slightly tighter setting often
    # moves the break. Of the loosest fitting setting and a few tighter ones, keep one where
    # every page has a column reaching its foot (MAX_GAP_MM), preferring the one whose
    # shortest column (the brief's last excepted, where it ends) is longest, then the loosest.
    tried = []
    for i in range(hi, min(hi + LOOKAHEAD + 1, len(steps))):
        doc = docs.get(i) or render(steps[i])
        pages = column_gaps_mm(doc)
        filled = all(min(page) <= MAX_GAP_MM for page in pages if page)
        worst = max([gap for page in pages for gap in page][:-1], default=0.0)
        tried.append((not filled, round(worst), i, doc))
        if filled and worst <= MAX_GAP_MM:
            break
    *_, i, doc = min(tried, key=lambda t: t[:3])
    return doc, steps[i]


def column_gaps_mm(document) -> list[list[float]]:
    """Return, page by page, how far above the bottom margin each column's last line ends, in mm."""
    from weasyprint.formatting_structure.boxes import LineBox, MarginBox

    pages = []
    for page in document.pages:
        box = page._page_box
        bottom = box.margin_height() - box.margin_bottom - box.padding_bottom - box.border_bottom_width
        middle = box.margin_width() / 2
        ends: dict[bool, float] = {}
        content = [child for child in box.children if not isinstance(child, MarginBox)]  # not the footer
        for child in (d for c in content for d in c.descendants()):
            if isinstance(child, LineBox) and child.children:
                right = child.position_x >= middle
                ends[right] = max(ends.get(right, 0.0), child.position_y + child.margin_height())
        pages.append([(bottom - ends[side]) * 25.4 / 96 for side in sorted(ends)])  # CSS px to mm
    return pages
