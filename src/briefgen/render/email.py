"""The e-mail edition of a one-pager: one HTML file with every style inline, and its plain-text part.

Mail clients drop <style> blocks (Gmail in many views) or ignore much of CSS (Outlook), never load
what a message links to without asking, and Gmail clips a message past 102 KB. So the page is
rendered from email/onepager.html, its stylesheet copied into style attributes by css-inline
(never fetching anything), checked to load nothing, and kept under EMAIL_BUDGET.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..audiences.declaration import Target
from ..content.source import Content
from ..errors import BriefgenError, Problem, strict_failures
from ..files import atomic_write
from .html import Artifact, build_html
from .options import RenderOptions

HTML_TEMPLATE = "email/onepager.html"
TEXT_TEMPLATE = "email/onepager.txt"
EMAIL_BUDGET = 100 * 1024  # bytes; Gmail clips a message's HTML past 102 KB behind "View entire message"

# What would make a mail client load something or run something: an image or frame source, a
# stylesheet link, a script, a CSS url() or @import.
_LOADS = re.compile(r"<(?:script|link|img|iframe|object|embed|video|audio|source)\b|\ssrc\s*=|url\s*\(|@import", re.IGNORECASE)


def text_name(target: Target) -> str:
    """Return the path of TARGET's plain-text part, beside its HTML file."""
    return target.name.removesuffix(".html") + ".txt"


def write_email(content: Content, target: Target, out_dir: Path, options: RenderOptions, extra: dict) -> Artifact:
    """Write TARGET's e-mail HTML and its plain-text part; return what was written."""
    out = out_dir / target.name
    html, L = build_html(content, target, options, template=HTML_TEMPLATE, **extra)
    data = inline_styles(html, out).encode("utf-8")
    loads = _LOADS.search(data.decode("utf-8"))
    if loads:
        from .html import asset_roots
        from .references import find_pattern

        # Name the template (or its stylesheet) and line that holds it; else the output it would be.
        where = find_pattern(_LOADS, asset_roots(options), [HTML_TEMPLATE, "email/email.css"]) or (out, 0)
        raise BriefgenError([Problem(str(where[0]), where[1], f"not written: the e-mail edition must load nothing, but its template has {loads.group().strip()!r}; "
                                     f"remove it from {HTML_TEMPLATE}")])
    text, _ = build_html(content, target, options, template=TEXT_TEMPLATE, **extra)
    warnings = list(L.fallbacks)
    if len(data) > EMAIL_BUDGET:
        warnings.append(Problem(str(out), 0, f"{len(data) / 1024:.0f} KB: Gmail clips messages past 102 KB; shorten the theme or the template",
                                severity="warning", kind="size"))
    refused = strict_failures(warnings) if options.strict else []
    if refused:
        raise BriefgenError(refused + [Problem(str(out), 0, "not written: --strict refuses warnings")])
    out.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(out_dir / text_name(target), _tidy_text(text).encode("utf-8"))
    atomic_write(out, data)
    return Artifact(target, out, 1, warnings)


def inline_styles(html: str, out: Path) -> str:
    """Return HTML with its <style> rules copied into style attributes and the <style> blocks removed."""
    import css_inline

    inliner = css_inline.CSSInliner(load_remote_stylesheets=False, keep_style_tags=False, keep_link_tags=False)
    try:
        return inliner.inline(html)
    except (css_inline.InlineError, ValueError) as exc:
        raise BriefgenError([Problem(str(out), 0, f"not written: cannot inline the e-mail styles: {exc}")]) from None


def _tidy_text(text: str) -> str:
    """Return TEXT with trailing spaces dropped and at most one blank line in a row."""
    lines = [line.rstrip() for line in text.strip().splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)) + "\n"
