"""`briefgen check`: validate the content and list every problem."""

from __future__ import annotations

from pathlib import Path

import typer

from ..errors import BriefgenError
from .common import ContentOpt, fail, plural


def check(
    content: Path = ContentOpt,
    allow_missing: bool = typer.Option(False, "--allow-missing", help="Report missing translations as warnings, not errors."),
) -> None:
    """Validate the content: schema, cross-references, translations. Lists every problem."""
    from .. import api  # loaded on use: help and completion stay fast

    try:
        loaded = api.check(content, allow_missing=allow_missing)
    except BriefgenError as exc:
        fail(exc)
    for warning in loaded.warnings:
        typer.echo(str(warning), err=True)
    report = loaded.report
    recs = sum(len(t.recommendations) for t in report.themes)
    typer.echo(f"{content}: ok ({plural(len(report.themes), 'theme')}, {plural(recs, 'recommendation')}, "
               f"{plural(len(report.info.people), 'person', 'people')})")
