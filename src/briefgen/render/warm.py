"""Load once what every render needs, so build workers forked afterwards start warm.

A cold worker pays about a second before its first page: importing WeasyPrint, loading the
font files named by @font-face, parsing the stylesheets, compiling the Jinja templates. The
build runner calls `warm_up` in the parent just before it forks its workers (only when there is
something to render, so a no-op build still never imports WeasyPrint); each worker inherits the
loaded state instead of repeating it.
"""

from __future__ import annotations

import logging

from .html import asset_roots
from .options import RenderOptions
from .templates import BUILTIN_TEMPLATES, make_environment


def warm_up(options: RenderOptions, template_names: list[str], content=None, langs: tuple[str, ...] = ()) -> bool:
    """Import WeasyPrint, load the fonts and stylesheets, and compile TEMPLATE_NAMES into this process's caches.

    With CONTENT, also what each render of it would work out first: the fonts' coverage of its
    LANGS and the index of its texts (kept with the content, which forked workers share).

    Return True when this made the process's font configuration (and so its font folder in the
    temp directory), which `cool_down` then releases.
    """
    from weasyprint.urls import FatalURLFetchingError

    from . import pdf

    created = pdf._font_config is None
    pdf.font_config()
    roots = asset_roots(options)
    links = sorted({f"css/{p.name}" for root in roots for p in (root / "css").glob("*.css")})
    logger = logging.getLogger("weasyprint")
    handler = pdf._Collect()
    logger.addHandler(handler)
    logger.propagate = False
    try:
        pdf._stylesheets("".join(f'<link rel="stylesheet" href="{href}">' for href in links), BUILTIN_TEMPLATES, pdf.make_fetcher(roots))
    except (Exception, FatalURLFetchingError):  # noqa: BLE001 - a refused or unreadable stylesheet is reported by the render that uses it
        pass
    finally:
        logger.removeHandler(handler)
    if handler.messages:  # a sheet with warnings is parsed again by the render, which reports them
        pdf._css_cache.clear()
    env = make_environment(options.templates)
    for name in template_names:
        try:
            env.get_template(name)
        except Exception:  # noqa: BLE001 - a broken template is reported by the render that uses it, with its line
            pass
    if content is not None:
        from ..errors import BriefgenError
        from .localize import Localizer
        from .target import require_coverage

        Localizer(content, content.report.info.source_lang)  # builds the report's text index once
        try:
            require_coverage(content, list(langs), options.templates)
        except BriefgenError:
            pass  # the render that prints it reports the character, with its field
    return created


def cool_down() -> None:
    """Release the font configuration and stylesheets warm_up loaded, removing their font folder."""
    from . import pdf

    pdf._release_font_config()
