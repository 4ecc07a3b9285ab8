"""The brief for US congressional staff: English, US Letter, a two-page short brief and a full one."""

from __future__ import annotations

from .declaration import Audience, Target, register

SHORT_PAGES = 2  # staff read two pages


def check_pages(target: Target, pages: int) -> str | None:
    """Return why a rendering is too long: the short brief must fit on two pages."""
    if target.variant == "short" and pages > SHORT_PAGES:
        return f"the short brief runs to {pages} pages (at most {SHORT_PAGES}); shorten asks or key takeaways"
    return None


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
    cost=1,
    variant_options=("date_style",),
))
