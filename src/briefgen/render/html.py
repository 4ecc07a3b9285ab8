"""Render a target's template to HTML with the context every template gets; what a render returns."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from .. import __version__
from ..audiences.declaration import PAPERS, Target
from ..content.source import Content
from ..errors import Problem
from .localize import Localizer, kanji_number, katakana_label
from .options import RenderOptions, source_date
from .templates import BUILTIN_TEMPLATES, make_environment, render_template
from .typeset import tighten_punctuation
from .words import Words, load_words


@dataclass
class Artifact:
    target: Target
    path: Path
    pages: int
    warnings: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # e.g. what the one-pager fitting did
    pdf: bytes | None = None  # a one-pager's PDF before print marks: the page a handout pack joins


def build_html(content: Content, target: Target, options: RenderOptions, *, template: str | None = None, **extra) -> tuple[str, Localizer]:
    """Render TARGET's template (or TEMPLATE, for a recipient's edition) to HTML, with the helpers templates use."""
    env = make_environment(options.templates)
    lang = target.lang
    L = Localizer(content, lang, allow_missing=options.allow_missing, date_style=options.date_style if lang == "ja" else "western")
    W = Words(load_words(BUILTIN_TEMPLATES, options.templates), lang, content.report.info.source_lang)
    width, height = PAPERS[target.paper]
    epoch = source_date(content, options)
    context = {
        "report": content.report,
        "info": content.report.info,
        "target": target,
        "lang": lang,
        "L": L,
        "W": W,
        "page": {"width": width, "height": height, "name": target.paper},
        "version": __version__,
        "created": dt.datetime.fromtimestamp(epoch, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "extra_styles": [],
        "kanji": kanji_number,
        "iroha": katakana_label,
        "options": options,
        "editor_asks": options.editor_asks,
        "changes": None,  # build --since, PDFs: the changes since the earlier edition (render/changes.py)
        **extra,
    }
    html = render_template(env, template or target.declaration.template_name(target), context)
    if target.format == "pdf":  # Word compresses Japanese punctuation itself
        html = tighten_punctuation(html)
    return html, L


class Kit:
    """The localizers and labels a context builder asks for (see audiences.declaration.RenderKit)."""

    def __init__(self, content: Content, options: RenderOptions):
        self.content, self.options = content, options

    def localizer(self, lang: str, *, date_style: str | None = None) -> Localizer:
        return Localizer(self.content, lang, allow_missing=self.options.allow_missing, date_style=date_style or self.options.date_style)

    def words(self, lang: str) -> Words:
        return Words(load_words(BUILTIN_TEMPLATES, self.options.templates), lang, self.content.report.info.source_lang)


def asset_roots(options: RenderOptions) -> list[Path]:
    """Folders rendering may read from: the user's templates first, then the built-in ones."""
    return [p for p in (options.templates, BUILTIN_TEMPLATES) if p is not None]


def layout_problem(target: Target, message: str, options: RenderOptions) -> Problem:
    """Return the problem for a document that does not fit its pages, naming the template overrides in play.

    The built-in templates are made to fit; with --templates, an override is the likelier cause
    (a stylesheet of the same name replaces the built-in one entirely), so say so first.
    """
    folder = options.templates
    files = sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()) if folder and folder.is_dir() else []
    if not files:
        return Problem(target.name, 0, message)
    from ..errors import display_path

    shown = ", ".join(files[:5]) + (f" and {len(files) - 5} more" if len(files) > 5 else "")
    return Problem(target.name, 0, f"{message.split('; ')[0]} with the template overrides in {display_path(folder)} ({shown}); "
                                   "an override of the same name replaces the built-in file entirely: extend it instead "
                                   "(docs/templates.md), or if the overrides are right, shorten the content")

