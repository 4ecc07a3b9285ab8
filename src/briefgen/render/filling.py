"""The short brief fills its two pages: the loosest type that still fits them.

A CRS In Focus is two full pages. How much text the content gives varies, so the build tries
type from loose to tight (English: 11 pt on 1.42 leading down to 10 pt on 1.32; Japanese keeps
10 pt, whose columns are a whole number of characters wide, and tightens only the leading) and
keeps the loosest setting that fits. The last page's two columns are balanced, so at that
setting both end near the foot of the page. Content too long for two pages at the tightest
setting fails the build, naming what to shorten; never smaller type than 10 pt.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import BriefgenError, Problem

PAGES = 2
STEPS = 11  # settings between the loosest and the tightest, both included


@dataclass(frozen=True)
class Fill:
    """The body type of the short brief: size in points and line height (unitless)."""

    size: float
    leading: float


def fill_steps(lang: str) -> list[Fill]:
    """Return the settings to try, loosest first."""
    steps = []
    for i in range(STEPS):
        t = i / (STEPS - 1)
        if lang in ("ja", "zh", "ko"):
            steps.append(Fill(10.0, round(1.9 - 0.3 * t, 3)))
        else:
            steps.append(Fill(round(11.0 - 1.0 * t, 2), round(1.42 - 0.1 * t, 3)))
    return steps


def fill_pages(render, lang: str, name: str):
    """Return (document, fill) for the loosest setting at which RENDER(fill) gives two pages at most.

    RENDER lays the brief out with one Fill; a binary search over the settings keeps the number
    of layouts to four or five.
    """
    steps = fill_steps(lang)
    lo, hi = 0, len(steps) - 1
    tightest = render(steps[hi])
    if len(tightest.pages) > PAGES:
        raise BriefgenError([Problem(name, 0, f"the short brief runs to {len(tightest.pages)} pages even at {steps[hi].size:g} pt "
                                              f"(at most {PAGES}); give fewer asks a priority or shorten the key takeaways")])
    best = (tightest, steps[hi])
    while lo < hi:  # invariant: steps[hi] fits
        mid = (lo + hi) // 2
        doc = render(steps[mid])
        if len(doc.pages) <= PAGES:
            hi, best = mid, (doc, steps[mid])
        else:
            lo = mid + 1
    return best
