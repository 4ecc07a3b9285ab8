"""`briefgen watch`: rebuild the selected outputs whenever content or templates change."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ..audiences.declaration import all_lengths
from ..errors import BriefgenError
from .common import ContentOpt, FormatOpt, OutOpt, PaperOpt, complete_audience, complete_length, fail


def watch(
    content: Path = ContentOpt,
    audience: Optional[list[str]] = typer.Option(None, "--audience", "-a", metavar="AUDIENCE", autocompletion=complete_audience, help="Audiences to rebuild (repeatable)."),
    lang: Optional[list[str]] = typer.Option(None, "--lang", "-l", metavar="LANG", help="Languages (repeatable)."),
    format: Optional[list[str]] = FormatOpt,
    paper: Optional[list[str]] = PaperOpt,
    length: Optional[list[str]] = typer.Option(None, "--length", metavar="LENGTH", autocompletion=complete_length, help=f"{' or '.join(all_lengths())} (repeatable)."),
    theme: Optional[list[str]] = typer.Option(None, "--theme", "-t", metavar="THEME", help="Theme id or number (repeatable)."),
    out: Path = OutOpt,
    templates: Optional[Path] = typer.Option(None, "--templates", metavar="DIR", help="Folder of templates overriding the built-in ones."),
    allow_missing: bool = typer.Option(True, "--allow-missing/--no-allow-missing", help="Print missing translations marked (default on while editing)."),
) -> None:
    """Rebuild the selected outputs whenever content or templates change (Ctrl-C to stop)."""
    from .. import api
    from .progress import live_report

    try:
        api.watch(content, out, audiences=audience, langs=lang, formats=format, papers=paper, lengths=length, themes=theme,
                  templates=templates, allow_missing=allow_missing, report=live_report())
    except BriefgenError as exc:
        fail(exc)
    except KeyboardInterrupt:
        typer.echo("stopped")
        raise typer.Exit(130) from None  # the shell convention for a command ended by Ctrl-C
