"""The briefgen command line. Thin: every command calls a library function and prints."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer

from .. import __version__
from ..audiences.declaration import FORMATS, PAPERS, all_lengths, audiences
from ..errors import BriefgenError, unknown_value
from .common import CONTEXT, ContentOpt, Group, complete, fail, plural
from .diff import diff
from .i18n import i18n_app
from .serve import serve

app = typer.Typer(
    help="Render a report's bilingual policy recommendations into the documents each audience reads.",
    cls=Group,
    context_settings=CONTEXT,
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,  # draft policy text must never land in a CI log
    rich_markup_mode=None,
)
app.add_typer(i18n_app, name="i18n")
app.command()(diff)
app.command()(serve)


DATE_STYLES = ("wareki", "western", "both")


complete_audience = complete(lambda: list(audiences()))
complete_format = complete(lambda: FORMATS)
complete_paper = complete(lambda: list(PAPERS))
complete_length = complete(all_lengths)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"briefgen {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Optional[bool] = typer.Option(None, "--version", callback=_version, is_eager=True, help="Print the version and exit."),
) -> None:
    """briefgen turns one body of bilingual recommendations into briefs, memos and handouts."""


@app.command()
def check(
    content: Path = ContentOpt,
    allow_missing: bool = typer.Option(False, "--allow-missing", help="Report missing translations as warnings, not errors."),
) -> None:
    """Validate the content: schema, cross-references, translations. Lists every problem."""
    from ..content.load import load_content

    try:
        loaded = load_content(content, allow_missing=allow_missing)
    except BriefgenError as exc:
        fail(exc)
    for warning in loaded.warnings:
        typer.echo(str(warning), err=True)
    report = loaded.report
    recs = sum(len(t.recommendations) for t in report.themes)
    typer.echo(f"{content}: ok ({plural(len(report.themes), 'theme')}, {plural(recs, 'recommendation')}, "
               f"{plural(len(report.info.people), 'person', 'people')})")


@app.command()
def dump(content: Path = ContentOpt) -> None:
    """Print the validated content as JSON (stable keys mirroring the YAML; see docs/dump.md)."""
    from ..content.load import load_content

    try:
        loaded = load_content(content)
    except BriefgenError as exc:
        fail(exc)
    data = {"format": "briefgen-dump/1", **loaded.report.model_dump(mode="json", exclude_none=True)}
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


@app.command()
def schema(out: Path = typer.Option(Path("schema"), "--out", metavar="DIR", help="Folder for the JSON Schema files.")) -> None:
    """Write JSON Schemas for the content files (for editors' YAML validation and completion)."""
    from ..content.schema import write_schemas

    for path in write_schemas(out):
        typer.echo(f"wrote {path}")


@app.command()
def build(
    content: Path = ContentOpt,
    audience: Optional[list[str]] = typer.Option(None, "--audience", "-a", metavar="AUDIENCE", autocompletion=complete_audience, help=f"{', '.join(audiences())} (repeatable)."),
    lang: Optional[list[str]] = typer.Option(None, "--lang", "-l", metavar="LANG", help="Language code from report.yaml's languages (repeatable). Default: the audience's."),
    format: Optional[list[str]] = typer.Option(None, "--format", "-f", metavar="FORMAT", autocompletion=complete_format, help="pdf, docx or html (repeatable)."),
    paper: Optional[list[str]] = typer.Option(None, "--paper", metavar="PAPER", autocompletion=complete_paper, help="a4 or letter (repeatable)."),
    length: Optional[list[str]] = typer.Option(None, "--length", metavar="LENGTH", autocompletion=complete_length, help=f"{' or '.join(all_lengths())}, for {', '.join(a.name for a in audiences().values() if a.lengths)} (repeatable)."),
    theme: Optional[list[str]] = typer.Option(None, "--theme", "-t", metavar="THEME", help="Theme id or number (repeatable); default every theme."),
    out: Path = typer.Option(Path("out"), "--out", "-o", metavar="DIR", help="Output folder."),
    templates: Optional[Path] = typer.Option(None, "--templates", metavar="DIR", help="Folder of templates/stylesheets overriding the built-in ones."),
    reference_docx: Optional[Path] = typer.Option(None, "--reference-docx", metavar="FILE", help="Word document whose styles the .docx output uses."),
    date_style: str = typer.Option("wareki", "--date-style", metavar="STYLE", autocompletion=complete(lambda: DATE_STYLES), help="Japanese dates: wareki (令和8年), western (2026年) or both."),
    addressee: Optional[str] = typer.Option(None, "--addressee", metavar="TEXT", help="Addressee of documents that name one (default: the memo_addressee label in words.yaml)."),
    print_marks: bool = typer.Option(False, "--print-marks", help="Print-shop packs: 3 mm bleed and crop marks."),
    archive: bool = typer.Option(False, "--archive", help="PDFs as PDF/A-2a (archival) that are still PDF/UA-1 (accessible)."),
    allow_missing: bool = typer.Option(False, "--allow-missing", help="Print missing translations in the source language, marked."),
    strict: bool = typer.Option(False, "--strict", help="Fail a target on any warning (stale translations, ignored CSS, unresolved links, unknown Word styles, dropped parts) and keep its previous file."),
    editor_asks: bool = typer.Option(False, "--editor-asks", help="Also print the editor's asks (basis: editor), labelled as the editor's suggestions."),
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", min=1, metavar="N", help="Parallel workers (default: number of cores)."),
    force: bool = typer.Option(False, "--force", help="Rebuild even what is up to date."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print only problems and the summary line."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Say more: skipped artifacts, what the one-pager fitting did."),
    recipients: bool = typer.Option(False, "--recipients", help="Build each recipient's edition (content/recipients.yaml) into out/recipients/."),
    recipients_file: Optional[Path] = typer.Option(None, "--recipients-file", metavar="FILE", help="Recipients file other than the content folder's recipients.yaml (implies --recipients)."),
    only: Optional[list[str]] = typer.Option(None, "--only", metavar="ID", help="With --recipients: only this recipient (repeatable)."),
    since: Optional[str] = typer.Option(None, "--since", metavar="OLD", help="Mark the changes since the edition OLD (a content folder or REV:path): tracked changes in .docx, a changes section in PDFs."),
    author: Optional[str] = typer.Option(None, "--author", metavar="NAME", help="With --since: author of the tracked changes (default: the report's publisher)."),
) -> None:
    """Build briefs into the output folder. With no options, the default set for every audience."""
    from ..audiences.select import select_targets
    from ..build.runner import build_targets
    from ..render.options import RenderOptions
    from ..content.load import load_content
    from .progress import Reporter

    if date_style not in DATE_STYLES:
        fail(unknown_value("--date-style", date_style, "unknown date style", list(DATE_STYLES)))
    if only and not (recipients or recipients_file):
        fail(BriefgenError("--only picks recipients: use it with --recipients"))
    if author is not None and since is None:
        fail(BriefgenError("--author names who made the tracked changes: use it with --since OLD"))
    if since is not None and (recipients or recipients_file):
        fail(BriefgenError("--since marks the main build's documents; build the recipients' editions without it"))
    if recipients or recipients_file:
        _build_recipients(content, recipients_file, only, out, templates, allow_missing, date_style, strict, editor_asks, quiet)
        return
    try:
        loaded = load_content(content, allow_missing=True)
        # Options that make a variant of a document give it its own file name (Target.variant_words).
        variants = {"print_marks": "1" if print_marks else "", "date_style": date_style, "archive": "1" if archive else ""}
        targets = select_targets(loaded.report, audiences=audience, langs=lang, formats=format, papers=paper, lengths=length, themes=theme,
                                 options={k: v for k, v in variants.items() if v})
        if reference_docx is not None:
            from ..render.word import open_reference

            open_reference(reference_docx)  # a bad reference fails once, before anything is built
        options = RenderOptions(templates=templates.resolve() if templates else None, allow_missing=allow_missing, date_style=date_style,
                                reference_docx=reference_docx.resolve() if reference_docx else None, print_marks=print_marks,
                                archive=archive, addressee=addressee, strict=strict, editor_asks=editor_asks,
                                since=_since(since, author))
        with Reporter(len(targets), quiet=quiet, verbose=verbose) as reporter:
            result = build_targets(loaded, targets, out, options, jobs=jobs, force=force, report=reporter, notify=lambda m: typer.echo(m, err=True))
    except BriefgenError as exc:
        fail(exc)
    typer.echo(result.summary())
    if result.failed:
        raise typer.Exit(1)


def _since(spec: str | None, author: str | None):
    """Load the edition --since names (errors name it) and return what the renderers need of it."""
    if spec is None:
        return None
    from ..content.revision import load_baseline
    from ..render.options import Since

    _, digest = load_baseline(spec)
    return Since(spec, digest, author)


def _build_recipients(content: Path, file: Path | None, only, out: Path, templates, allow_missing, date_style, strict, editor_asks, quiet) -> None:
    """Build the recipients' editions and print one line per recipient."""
    from ..build.editions import build_editions
    from ..content.load import load_content
    from ..content.recipients import load_recipients
    from ..render.options import RenderOptions

    def report(edition) -> None:
        if edition.message:
            typer.echo(edition.message)
        elif not quiet:
            for f in edition.files:
                typer.echo(f"built {out / f['path']} ({f['pages']} pages)")

    try:
        loaded = load_content(content, allow_missing=True)
        people = load_recipients(loaded, file)
        options = RenderOptions(templates=templates.resolve() if templates else None, allow_missing=allow_missing,
                                date_style=date_style, strict=strict, editor_asks=editor_asks)
        editions = build_editions(loaded, people, out, options, only=only, report=report)
    except BriefgenError as exc:
        fail(exc)
    built = sum(bool(e.files) for e in editions)
    typer.echo(f"{built} editions for {len(editions)} recipients; index in {out / 'recipients' / 'index.csv'}")


@app.command()
def watch(
    content: Path = ContentOpt,
    audience: Optional[list[str]] = typer.Option(None, "--audience", "-a", metavar="AUDIENCE", autocompletion=complete_audience, help="Audiences to rebuild (repeatable)."),
    lang: Optional[list[str]] = typer.Option(None, "--lang", "-l", metavar="LANG", help="Languages (repeatable)."),
    format: Optional[list[str]] = typer.Option(None, "--format", "-f", metavar="FORMAT", autocompletion=complete_format, help="pdf, docx or html (repeatable)."),
    paper: Optional[list[str]] = typer.Option(None, "--paper", metavar="PAPER", autocompletion=complete_paper, help="a4 or letter (repeatable)."),
    length: Optional[list[str]] = typer.Option(None, "--length", metavar="LENGTH", autocompletion=complete_length, help=f"{' or '.join(all_lengths())} (repeatable)."),
    theme: Optional[list[str]] = typer.Option(None, "--theme", "-t", metavar="THEME", help="Theme id or number (repeatable)."),
    out: Path = typer.Option(Path("out"), "--out", "-o", metavar="DIR", help="Output folder."),
    templates: Optional[Path] = typer.Option(None, "--templates", metavar="DIR", help="Folder of templates overriding the built-in ones."),
    allow_missing: bool = typer.Option(True, "--allow-missing/--no-allow-missing", help="Print missing translations marked (default on while editing)."),
) -> None:
    """Rebuild the selected outputs whenever content or templates change (Ctrl-C to stop)."""
    from ..audiences.select import select_targets
    from ..render.options import RenderOptions
    from .progress import Reporter
    from ..build.watch import watch_and_rebuild

    def select(report):
        return select_targets(report, audiences=audience, langs=lang, formats=format, papers=paper, lengths=length, themes=theme)

    options = RenderOptions(templates=templates.resolve() if templates else None, allow_missing=allow_missing)
    reporter = Reporter(0, quiet=False, verbose=False, bar=False)

    def report(item):
        if isinstance(item, str):
            typer.echo(item)
        elif hasattr(item, "target"):
            reporter(item)
        else:
            typer.echo(str(item), err=True)

    try:
        watch_and_rebuild(content, select, out, options, report)
    except BriefgenError as exc:
        fail(exc)
    except KeyboardInterrupt:
        typer.echo("stopped")
        raise typer.Exit(130) from None  # the shell convention for a command ended by Ctrl-C


def main() -> None:
    app()
