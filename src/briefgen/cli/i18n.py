"""`briefgen i18n`: the translators' commands. Thin: each calls i18n.py or xliff.py and prints."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from .common import ContentOpt, Group, fail, plural
from ..errors import BriefgenError, UsageError, display_path

i18n_app = typer.Typer(
    help="Translations: what is missing or stale, confirming, glossary terms, XLIFF for CAT tools.",
    cls=Group,
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,  # draft policy text must never land in a CI log
    add_completion=False,
    rich_markup_mode=None,
)

LangOpt = typer.Option(None, "--lang", "-l", metavar="LANG", help="Language (repeatable). Default: every language but the source.")


def _load(content: Path):
    from ..content.load import load_content

    return load_content(content, allow_missing=True)


@i18n_app.command()
def status(
    content: Path = ContentOpt,
    lang: Optional[list[str]] = LangOpt,
    strict: bool = typer.Option(False, "--strict", help="Exit 1 when any translation is missing, stale or unconfirmed (for CI)."),
) -> None:
    """List missing, stale and unconfirmed translations per file and field, with coverage."""
    from ..i18n.status import coverage, field_states

    try:
        loaded = _load(content)
        states = field_states(loaded, lang)
    except BriefgenError as exc:
        fail(exc)
    source_lang = loaded.report.info.source_lang
    open_states = [s for s in states if s.state != "current"]
    for s in open_states:
        typer.echo(str(s.problem(source_lang)))
    if open_states:
        typer.echo("")
    for code, files in coverage(states).items():
        width = max(len(name) for name in files) + 2
        typer.echo(f"{code:<{width}} {'fields':>7} {'missing':>8} {'stale':>6} {'unconf.':>8} {'coverage':>9}")
        for name, c in [*((n, c) for n, c in files.items() if n), ("all files", files[""])]:
            typer.echo(f"{name:<{width}} {c.fields:>7} {c.missing:>8} {c.stale:>6} {c.unconfirmed:>8} {c.percent:>8.1f}%")
    if not states:
        typer.echo("no translatable fields")
    if strict and open_states:
        counts = {k: sum(s.state == k for s in open_states) for k in ("missing", "stale", "unconfirmed")}
        summary = ", ".join(f"{n} {k}" for k, n in counts.items() if n)
        typer.echo(f"--strict: {summary} — translate, check, then run briefgen i18n confirm", err=True)
        raise typer.Exit(1)


@i18n_app.command()
def confirm(
    paths: Optional[list[str]] = typer.Argument(None, metavar="PATH", show_default=False, help="Content files, folders or field keys (themes/04-energy.yaml#recommendations[0].summary)."),
    all_: bool = typer.Option(False, "--all", help="Confirm every translation in the content folder."),
    content: Path = ContentOpt,
    lang: Optional[list[str]] = LangOpt,
) -> None:
    """Record that translations match today's source text, so later source edits show as stale."""
    from ..i18n.status import confirm as confirm_translations

    if bool(paths) == all_:
        fail(UsageError("give the files or fields to confirm, or --all (not both)"))
    try:
        loaded = _load(content)
        result = confirm_translations(loaded, None if all_ else paths, lang)
    except BriefgenError as exc:
        fail(exc)
    missing = f"; {result.missing} without a translation (nothing to confirm)" if result.missing else ""
    typer.echo(f"confirmed {plural(result.confirmed, 'translation')} ({result.unchanged} {'was' if result.unchanged == 1 else 'were'} current){missing}")
    if result.wrote:
        from ..i18n.status import lock_path

        typer.echo(f"wrote {display_path(lock_path(loaded.root))}")


@i18n_app.command()
def terms(content: Path = ContentOpt) -> None:
    """Find English that lacks the glossary's rendering of a Japanese term its source uses."""
    from ..i18n.status import check_terms

    try:
        loaded = _load(content)
        problems = check_terms(loaded)
    except BriefgenError as exc:
        fail(exc)
    for problem in problems:
        typer.echo(str(problem))
    if problems:
        typer.echo(f"{plural(len(problems), 'field')} {'lacks' if len(problems) == 1 else 'lack'} a glossary term's English.", err=True)
        raise typer.Exit(1)
    typer.echo(f"glossary terms: ok ({plural(len(loaded.report.glossary.terms), 'term')})")


@i18n_app.command()
def export(
    out: Path = typer.Option(..., "--out", "-o", metavar="FILE", help="The XLIFF file to write (FILE.xlf)."),
    lang: Optional[str] = typer.Option(None, "--lang", "-l", metavar="LANG", help="Target language. Default: the first that is not the source."),
    only: Optional[list[str]] = typer.Option(None, "--only", metavar="WHICH", help="missing, stale or all (repeatable). Default: missing and stale."),
    copy_source: bool = typer.Option(False, "--copy-source", help='Start every target as a copy of the source (state "new"), for OmegaT, which translates targets.'),
    changed_since: Optional[str] = typer.Option(None, "--changed-since", metavar="OLD", help="Only fields whose source text changed since OLD (a content folder or REV:path), with the old source as a note."),
    content: Path = ContentOpt,
) -> None:
    """Write fields to translate into an XLIFF 1.2 file for a CAT tool."""
    from ..i18n.xliff import export_xliff

    try:
        loaded = _load(content)
        if changed_since is not None:
            from ..content.revision import load_side

            earlier = load_side(changed_since)
        else:
            earlier = None
        result = export_xliff(loaded, out, lang, only or ("missing", "stale"), copy_source, changed_since=earlier)
    except BriefgenError as exc:
        fail(exc)
    if not result.units:
        typer.echo(f"nothing to export: no {result.lang} translation is {' or '.join(only or ('missing', 'stale'))}; {out} not written")
        return
    parts = ", ".join(f"{n} {state}" for state, n in sorted(result.counts.items()))
    typer.echo(f"wrote {display_path(result.path)}: {plural(result.units, 'unit')} ({parts})")


@i18n_app.command("import")
def import_(
    file: Path = typer.Argument(..., metavar="FILE.xlf", help="The XLIFF file with the translations (as exported, targets filled)."),
    content: Path = ContentOpt,
) -> None:
    """Write an XLIFF file's translations into the YAML files; all or nothing."""
    from ..i18n.xliff import import_xliff

    try:
        loaded = _load(content)
        result = import_xliff(loaded, file)
    except BriefgenError as exc:
        fail(exc)
    typer.echo(f"imported {plural(len(result.written), result.lang + ' translation')}, confirmed {result.confirmed} unchanged"
               f" {'one' if result.confirmed == 1 else 'ones'}; {plural(result.untranslated, 'unit')} untranslated, {result.unchanged} unchanged")
    for path in result.files:
        typer.echo(f"wrote {display_path(path)}")
