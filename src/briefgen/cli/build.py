"""`briefgen build`: build the selected documents, or each recipient's edition."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ..audiences.declaration import all_lengths, audiences
from ..errors import BriefgenError
from ..render.options import DATE_STYLES
from .common import ContentOpt, FormatOpt, OutOpt, PaperOpt, complete, complete_audience, complete_length, fail, plural


def build(
    content: Path = ContentOpt,
    audience: Optional[list[str]] = typer.Option(None, "--audience", "-a", metavar="AUDIENCE", autocompletion=complete_audience, help=f"{', '.join(audiences())} (repeatable)."),
    lang: Optional[list[str]] = typer.Option(None, "--lang", "-l", metavar="LANG", help="Language code from report.yaml's languages (repeatable). Default: the audience's."),
    format: Optional[list[str]] = FormatOpt,
    paper: Optional[list[str]] = PaperOpt,
    length: Optional[list[str]] = typer.Option(None, "--length", metavar="LENGTH", autocompletion=complete_length, help=f"{' or '.join(all_lengths())}, for {', '.join(a.name for a in audiences().values() if a.lengths)} (repeatable)."),
    theme: Optional[list[str]] = typer.Option(None, "--theme", "-t", metavar="THEME", help="Theme id or number (repeatable); default every theme."),
    out: Path = OutOpt,
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
    recipients: bool = typer.Option(False, "--recipients", help="Build each recipient's documents (content/recipients.yaml) into out/recipients/, with an index and print sets."),
    recipients_file: Optional[Path] = typer.Option(None, "--recipients-file", metavar="FILE", help="Recipients file other than the content folder's recipients.yaml (implies --recipients)."),
    only: Optional[list[str]] = typer.Option(None, "--only", metavar="ID", help="With --recipients: only this recipient's documents (repeatable); the index and print sets are left as they were."),
    since: Optional[str] = typer.Option(None, "--since", metavar="OLD", help="Mark the changes since the edition OLD (a content folder or REV:path): tracked changes in .docx, a changes section in PDFs."),
    author: Optional[str] = typer.Option(None, "--author", metavar="NAME", help="With --since: author of the tracked changes (default: the report's publisher)."),
) -> None:
    """Build briefs into the output folder. With no options, the default set for every audience."""
    from .. import api
    from .progress import Reporter

    if only and not (recipients or recipients_file):
        fail(BriefgenError("--only picks recipients: use it with --recipients"))
    if since is not None and (recipients or recipients_file):
        fail(BriefgenError("--since marks the main build's documents; build the recipients' editions without it"))
    if recipients or recipients_file:
        _build_recipients(content, recipients_file, only, audience, out, templates, allow_missing, date_style, strict, editor_asks, jobs, force, quiet, verbose)
        return
    try:
        result = api.build(content, out, audiences=audience, langs=lang, formats=format, papers=paper, lengths=length, themes=theme,
                           templates=templates, reference_docx=reference_docx, date_style=date_style, addressee=addressee,
                           print_marks=print_marks, archive=archive, allow_missing=allow_missing, strict=strict, editor_asks=editor_asks,
                           since=since, author=author, jobs=jobs, force=force, progress=lambda total: Reporter(total, quiet=quiet, verbose=verbose),
                           notify=lambda m: typer.echo(m, err=True))
    except BriefgenError as exc:
        fail(exc)
    typer.echo(result.summary())
    if result.failed:
        raise typer.Exit(1)


def _build_recipients(content: Path, file: Path | None, only, audience, out: Path, templates, allow_missing, date_style, strict, editor_asks, jobs, force, quiet, verbose) -> None:
    """Build the recipients' documents, index and print sets; say what became of each."""
    from .. import api
    from .progress import Reporter

    try:
        done = api.build_recipients(content, out, recipients_file=file, only=only, audiences=audience, templates=templates, date_style=date_style,
                                    allow_missing=allow_missing, strict=strict, editor_asks=editor_asks, jobs=jobs, force=force,
                                    progress=lambda total: Reporter(total, quiet=quiet, verbose=verbose), notify=lambda m: typer.echo(m, err=True))
    except BriefgenError as exc:
        fail(exc)
    for planned in done.plan:
        if planned.message:
            typer.echo(planned.message)
    for path in done.written if not quiet else []:
        typer.echo(f"wrote {out / path}")
    if only:
        typer.echo("index and print sets not updated: they cover every recipient (build without --only)")
    typer.echo(done.summary())
    if done.result.failed:
        raise typer.Exit(1)
