"""The brief for US congressional staff: English, US Letter, a two-page short brief and a full one."""

from __future__ import annotations

from .declaration import Audience, Printed, RenderKit, Target, register
from .editions import EditionKind, register_edition

SHORT_PAGES = 2  # staff read two pages


def check_pages(target: Target, pages: int) -> str | None:
    """Return why a rendering is too long: the short brief must fit on two pages."""
    if target.variant == "short" and pages > SHORT_PAGES:
        return f"the short brief runs to {pages} pages (at most {SHORT_PAGES}); give fewer asks a priority or shorten the bottom line"
    return None


def brief_context(content, target: Target, options, kit: RenderKit) -> dict:
    """Return the short brief's choices as the content ranks them: the priority asks and key figures.

    Only the authors' asks of Congress can carry a priority (`briefgen check` enforces it); the
    template prints them in rank order, each with its recommendation. `fill` (the body type)
    is left to the build, which fills the two pages of the PDF (render/filling.py).
    """
    if target.variant != "short":
        return {}
    report = content.report
    asks = [(ask.priority, rec.number, {"ask": ask, "rec": rec})
            for _, rec in report.recommendations() for ask in rec.asks.congress
            if ask.priority is not None and ask.basis == "authors"]
    figures = [(fig.priority, rec.number, fig) for _, rec in report.recommendations() for fig in rec.figures if fig.priority is not None]
    return {
        "priority_asks": [item for *_, item in sorted(asks, key=lambda a: a[:2])],
        "key_figures": [fig for *_, fig in sorted(figures, key=lambda f: f[:2])],
        "fill": None,
    }


register(Audience(
    name="congress",
    description="brief for US congressional staff (US Letter)",
    template="congress/brief-{variant}.html",
    stem="brief-{variant}",
    rank=10,
    formats=("pdf", "docx"),
    default_formats=("pdf",),
    lang="en",
    paper="letter",
    lengths=("short", "full"),
    # `briefgen build` with no options: both briefs, and the short one also as an editable Word copy.
    default_set={"pdf": ("short", "full"), "docx": ("short",)},
    check_pages=check_pages,
    context=brief_context,
    fitting="fill-pages",
    cost=1,
    variant_options=("date_style",),
    printed=Printed(frozenset({"title", "body"}), asks="congress"),  # the full brief's, which has the changes section
))

# A recipient's edition: its committees' recommendations first, in full and marked; the rest by title.
register_edition(EditionKind(audience="congress", template="recipients/brief.html", stem="brief",
                             follows="us_committees", what="committee", paper="letter"))
