"""The one entry point: check, dump, build and watch a content folder with plain arguments.

The CLI, `make bench` and tests call these; they load the content, select the targets and
assemble the render options in one place, and return what happened instead of printing it.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Callable, ContextManager

from .audiences.declaration import Target
from .audiences.select import select_targets
from .build.runner import BuildResult, Outcome, build_targets
from .content.load import load_content
from .content.model import Report
from .content.source import Content
from .errors import BriefgenError, unknown_value
from .render.options import DATE_STYLES, RenderOptions, Since

OnOutcome = Callable[[Outcome], None]


def check(content: Path, *, allow_missing: bool = False) -> Content:
    """Load and validate CONTENT; return it with its warnings, or raise BriefgenError listing every problem."""
    return load_content(content, allow_missing=allow_missing)


def dump(content: Path) -> dict:
    """Return the validated content as plain JSON-ready data (format briefgen-dump/1)."""
    report = load_content(content).report
    return {"format": "briefgen-dump/1", **report.model_dump(mode="json", exclude_none=True)}


def render_options(*, templates: Path | None = None, reference_docx: Path | None = None, date_style: str = "wareki", **settings) -> RenderOptions:
    """Return the RenderOptions for these settings, with folders and files made absolute; raise on an unknown date style."""
    if date_style not in DATE_STYLES:
        raise unknown_value("--date-style", date_style, "unknown date style", list(DATE_STYLES))
    return RenderOptions(date_style=date_style, templates=templates.resolve() if templates else None,
                         reference_docx=reference_docx.resolve() if reference_docx else None, **settings)


def select(report: Report, *, print_marks: bool = False, date_style: str = "wareki", archive: bool = False,
           **selection: list[str] | None) -> list[Target]:
    """Return the targets SELECTION picks from REPORT (audiences, langs, formats, papers, lengths, themes; none: the default set)."""
    # Options that make a variant of a document give it its own file name (Target.variant_words).
    variants = {"print_marks": "1" if print_marks else "", "date_style": date_style, "archive": "1" if archive else ""}
    return select_targets(report, options={k: v for k, v in variants.items() if v}, **selection)


def _silent(total: int) -> ContextManager[OnOutcome]:
    return contextlib.nullcontext(lambda outcome: None)


def build(
    content: Path,
    out: Path,
    *,
    templates: Path | None = None,
    reference_docx: Path | None = None,
    date_style: str = "wareki",
    addressee: str | None = None,
    print_marks: bool = False,
    archive: bool = False,
    allow_missing: bool = False,
    strict: bool = False,
    editor_asks: bool = False,
    since: str | None = None,
    author: str | None = None,
    jobs: int | None = None,
    force: bool = False,
    progress: Callable[[int], ContextManager[OnOutcome]] = _silent,
    notify: Callable[[str], None] | None = None,
    **selection: list[str] | None,
) -> BuildResult:
    """Build the selected targets of CONTENT into OUT; return each target's outcome (built, skipped, failed).

    SELECTION is select()'s audiences, langs, formats, papers, lengths and themes. SINCE (a
    content folder or REV:path) marks each document's changes since that edition, by AUTHOR
    (default: the report's publisher): Word tracked changes, a changes section in PDFs.
    PROGRESS(total) gives a context holding the callback told of each finished target; NOTIFY
    receives one-off messages (e.g. a folder cleaned). Raises BriefgenError for bad input.
    """
    if author is not None and since is None:
        raise BriefgenError("--author names who made the tracked changes: use it with --since OLD")
    options = render_options(templates=templates, reference_docx=reference_docx, allow_missing=allow_missing, date_style=date_style,
                             print_marks=print_marks, archive=archive, addressee=addressee, strict=strict, editor_asks=editor_asks,
                             since=_since(since, author))
    loaded = load_content(content, allow_missing=True)
    targets = select(loaded.report, print_marks=print_marks, date_style=date_style, archive=archive, **selection)
    if reference_docx is not None:
        from .render.word import open_reference

        open_reference(reference_docx)  # a bad reference fails once, before anything is built
    with progress(len(targets)) as report:
        return build_targets(loaded, targets, out, options, jobs=jobs, force=force, report=report, notify=notify)


def _since(spec: str | None, author: str | None) -> Since | None:
    """Load the earlier edition SPEC (a problem names it) and return what the renderers need of it."""
    if spec is None:
        return None
    from .content.revision import load_baseline

    _, digest = load_baseline(spec)
    return Since(spec, digest, author)


def build_recipients(
    content: Path,
    out: Path,
    *,
    recipients_file: Path | None = None,
    only: list[str] | None = None,
    audiences: list[str] | None = None,
    templates: Path | None = None,
    date_style: str = "wareki",
    allow_missing: bool = False,
    strict: bool = False,
    editor_asks: bool = False,
    jobs: int | None = None,
    force: bool = False,
    progress: Callable[[int], ContextManager[OnOutcome]] = _silent,
    notify: Callable[[str], None] | None = None,
):
    """Build each recipient's documents into OUT/recipients/ (those ONLY names; the AUDIENCES' kinds of document, if given).

    Without ONLY, also the index and the print sets. Returns a RecipientsBuild: the plan (each
    recipient's targets, or why it has none), the build's outcomes, and the files written after.
    """
    from .build.recipients import build_recipients as build_them, plan_recipients
    from .content.recipients import load_recipients

    options = render_options(templates=templates, allow_missing=allow_missing, date_style=date_style, strict=strict, editor_asks=editor_asks)
    loaded = load_content(content, allow_missing=True)
    book = load_recipients(loaded, recipients_file)
    plan = plan_recipients(loaded, book, only=only, audiences=audiences)
    with progress(sum(len(p.targets) for p in plan)) as report:
        return build_them(loaded, plan, out, options, whole=not only, jobs=jobs, force=force, report=report, notify=notify or (lambda m: None))


def watch(
    content: Path,
    out: Path,
    *,
    templates: Path | None = None,
    allow_missing: bool = True,
    report: Callable[[object], None] = lambda item: None,
    stop_event=None,
    **selection: list[str] | None,
) -> None:
    """Build the selected targets now and after every change to the content or templates, until STOP_EVENT is set.

    SELECTION is select()'s audiences, langs, formats, papers, lengths and themes. REPORT receives status lines (str), each target's Outcome, and Problems that stop a rebuild.
    """
    from .build.watch import watch_and_rebuild

    def pick(report: Report) -> list[Target]:
        return select(report, **selection)

    options = render_options(templates=templates, allow_missing=allow_missing)
    watch_and_rebuild(content, pick, out, options, report, stop_event=stop_event)


def serve(
    content: Path,
    *,
    langs: list[str] | None = None,
    host: str = "127.0.0.1",
    port: int = 8000,
    out: Path | None = None,
    templates: Path | None = None,
    report: Callable[[object], None] = lambda item: None,
    stop_event=None,
) -> None:
    """Serve a live preview of the web edition in LANGS on loopback, rebuilt on every save, until STOP_EVENT is set.

    OUT is the folder built into (default: a temporary folder, removed at the end); REPORT
    receives what `watch` reports, and first the address served.
    """
    from .audiences.web import preview
    from .build.serve import serve as serve_preview

    pick, landing = preview(langs)
    serve_preview(content, pick, render_options(templates=templates, allow_missing=True), host=host, port=port, out=out,
                  landing=landing, report=report, stop_event=stop_event)


__all__ = ["BriefgenError", "BuildResult", "DATE_STYLES", "Outcome", "build", "build_recipients", "check", "dump", "render_options",
           "select", "serve", "watch"]
