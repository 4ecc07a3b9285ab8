"""What every briefgen command shares: the --content option and how a user error is printed."""

from __future__ import annotations

from pathlib import Path

import typer

from ..errors import BriefgenError

ContentOpt = typer.Option(Path("content"), "--content", metavar="DIR", help="Content folder (report.yaml, themes/, glossary.yaml).")


def fail(exc: BriefgenError) -> None:
    """Print each problem as `file:line: message` and exit 1, without a traceback."""
    for problem in exc.problems:
        typer.echo(str(problem), err=True)
    errors = sum(p.severity == "error" for p in exc.problems)
    if errors > 1:
        typer.echo(f"{errors} problems found.", err=True)
    raise typer.Exit(1)
