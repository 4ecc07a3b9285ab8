"""The briefgen command line: assembles the Typer app from one module per command group.

Each module under cli/ defines its command(s), calls briefgen.api (or a library function) and
prints; a new command is a new module here plus one line below.
"""

from __future__ import annotations

from typing import Optional

import typer

from .. import __version__
from . import build, check, diff, dump, schema, serve, watch
from .common import CONTEXT, Group
from .i18n import i18n_app

app = typer.Typer(
    help="Render a report's bilingual policy recommendations into the documents each audience reads.",
    cls=Group,
    context_settings=CONTEXT,
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,  # draft policy text must never land in a CI log
    rich_markup_mode=None,
)
app.add_typer(i18n_app, name="i18n")
app.command()(diff.diff)
app.command()(serve.serve)
app.command()(check.check)
app.command()(dump.dump)
app.command()(schema.schema)
app.command()(build.build)
app.command()(watch.watch)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"briefgen {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Optional[bool] = typer.Option(None, "--version", callback=_version, is_eager=True, help="Print the version and exit."),
) -> None:
    """briefgen turns one body of bilingual recommendations into briefs, memos and handouts."""


def main() -> None:
    app()
