"""The web edition: the whole report as one accessible, self-contained HTML page per language."""

from __future__ import annotations

from typing import Callable

from .declaration import Audience, RenderKit, Target, register


def web_context(content, target: Target, options, kit: RenderKit) -> dict:
    """Return the links to the report's other languages, each named in its own language."""
    info = content.report.info
    others = [
        {"lang": lang, "href": page_name(lang), "name": kit.words(lang)("language_name")}
        for lang in info.languages if lang != target.lang
    ]
    return {"other_langs": others}


def page_name(lang: str) -> str:
    """Return the file name of the page in LANG, beside index.html (matches Target.name)."""
    return f"report.{lang}.html"


def preview(langs: list[str] | None) -> tuple[Callable, str]:
    """Return what `briefgen serve` builds for LANGS (a report → targets function) and the page it opens first.

    One language opens its page; several, the index that links them.
    """
    from .select import select_targets

    def select(report):
        return select_targets(report, audiences=[WEB.name], langs=langs)

    one = len(set(langs or [])) == 1
    return select, f"{WEB.name}/{page_name(langs[0]) if one else 'index.html'}"


WEB = register(Audience(
    name="web",
    description="accessible web edition: one self-contained page per language",
    template="web/page.html",
    stem="report",
    rank=45,
    formats=("html",),
    default_formats=("html",),
    langs="each",
    # Built only when named: its download list reads the manifest of the PDFs and Word files
    # already built, so it comes after them (`briefgen build` then `briefgen build --audience web`).
    default_set=None,
    context=web_context,
))
