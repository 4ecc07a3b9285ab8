"""The briefgen command line. Thin: every command calls a library function and prints."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer

from . import __version__
from .errors import BriefgenError

app = typer.Typer(
    help="Render the JFIR policy recommendations into briefs for each audience.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,  # draft policy text must never land in a CI log
    add_completion=False,
    rich_markup_mode=None,
)

ContentOpt = typer.Option(Path("content"), "--content", help="Content folder (report.yaml, themes/, glossary.yaml).")


def fail(exc: BriefgenError) -> None:
    for problem in exc.problems:
        typer.echo(str(problem), err=True)
    errors = sum(p.severity == "error" for p in exc.problems)
    if errors > 1:
        typer.echo(f"{errors} problems found.", err=True)
    raise typer.Exit(1)


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
    from .load import load_content

    try:
        loaded = load_content(content, allow_missing=allow_missing)
    except BriefgenError as exc:
        fail(exc)
    for warning in loaded.warnings:
        typer.echo(str(warning), err=True)
    report = loaded.report
    recs = sum(len(t.recommendations) for t in report.themes)
    typer.echo(f"{content}: ok ({len(report.themes)} themes, {recs} recommendations, {len(report.info.people)} people)")


@app.command()
def dump(content: Path = ContentOpt) -> None:
    """Print the validated content as JSON (stable keys mirroring the YAML; see docs/dump.md)."""
    from .load import load_content

    try:
        loaded = load_content(content)
    except BriefgenError as exc:
        fail(exc)
    data = {"format": "briefgen-dump/1", **loaded.report.model_dump(mode="json", exclude_none=True)}
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


@app.command()
def schema(out: Path = typer.Option(Path("schema"), "--out", help="Folder for the JSON Schema files.")) -> None:
    """Write JSON Schemas for the content files (for editors' YAML validation and completion)."""
    from .schema import write_schemas

    for path in write_schemas(out):
        typer.echo(f"wrote {path}")


def main() -> None:
    app()
