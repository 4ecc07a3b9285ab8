"""One-page handouts: a sheet per theme and language, and the print-ready pack of them (source front, translation back)."""

from __future__ import annotations

import json
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from .declaration import Audience, ForRecipient, RenderKit, Target, register


def qr_svg(url: str | None, error: str = "m") -> str | None:
    """Return URL as a vector QR code (error correction ERROR, M unless said; 4-module quiet zone).

    It is an SVG data URL for an <img>, not inline SVG, so the tagged PDF gets a Figure with
    the alt text that screen readers announce.
    """
    if not url:
        return None
    import segno

    return segno.make(url, error=error, boost_error=False).svg_data_uri(scale=1, border=4, omitsize=True)


def tagged(url: str, tags: dict[str, str]) -> str:
    """Return URL with TAGS added to its query string (replacing tags of the same name)."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in tags] + sorted(tags.items())
    return urlunsplit(parts._replace(query=urlencode(query)))


def sheets_context(content, target: Target, options, kit: RenderKit) -> dict:
    """Return one sheet per (theme, language) the target prints, in print order, and the QR code."""
    report = content.report
    langs = target.declaration.printed_langs(report.info, target)
    themes = [report.theme(t) for t in target.theme_ids]
    localizers = {lang: kit.localizer(lang, date_style="western") for lang in langs}
    sheets = []
    for theme in themes:
        authors: list[str] = []
        for rec in theme.recommendations:
            authors += [a for a in rec.authors if a not in authors]
        figures = [f for rec in theme.recommendations for f in rec.figures][:4]
        for lang in langs:
            sheets.append({"theme": theme, "L": localizers[lang], "W": kit.words(lang), "authors": authors, "figures": figures})
    if report.info.url and target.recipient:
        # A recipient's set: the link says whom it was printed for (campaign tags). The longer
        # link takes level L error correction, so its modules stay as large as they can in the
        # same 21 mm (about 0.4 mm; at level M, 0.35 mm failed to decode from a 150 dpi scan).
        return {"sheets": sheets, "qr": qr_svg(tagged(report.info.url, json.loads(target.recipient)["utm"]), error="l")}
    return {"sheets": sheets, "qr": qr_svg(report.info.url)}


register(Audience(
    name="onepager",
    description="one-page handout per theme",
    template="onepager/onepager.html",
    stem="{variant}",
    rank=30,
    formats=("pdf", "email"),  # email: one HTML file with inline styles, to paste into a message (render/email.py)
    langs="each",
    themes="each",
    default_set={"pdf": ()},
    fitting="one-page",
    context=sheets_context,
    variant_options=("print_marks",),
    # Every recipient also gets the one-pagers of its themes; their QR code carries its campaign tags.
    recipient=ForRecipient(stem="onepagers"),
))

# The pack's sheets are the one-pagers themselves, joined: a theme's front is its source-language
# one-pager on the pack's paper, its back the translation's; a build that makes both lays each
# page out once.
register(Audience(
    name="handout",
    description="print-ready pack: source language front, translation back",
    template="handout/pack.html",
    stem="handout-pack",
    rank=40,
    langs="bilingual",
    paper="a4",
    themes="pack",
    default_set={"pdf": ()},
    pages_from="onepager",
    variant_options=("print_marks",),
))
