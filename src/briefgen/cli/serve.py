"""`briefgen serve`: a live preview of the web edition for editors and translators."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ..errors import BriefgenError
from .common import ContentOpt, fail


def serve(
    content: Path = ContentOpt,
    port: int = typer.Option(8000, "--port", "-p", min=0, max=65535, metavar="N", help="Port to listen on (0: any free port)."),
    lang: Optional[list[str]] = typer.Option(None, "--lang", "-l", metavar="LANG", help="Languages to preview (repeatable). Default: every language."),
    host: str = typer.Option("127.0.0.1", "--host", metavar="HOST", help="127.0.0.1, ::1 or localhost: the preview is never served to other computers."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", metavar="DIR", help="Folder to build into (default: a temporary folder, removed on exit)."),
    templates: Optional[Path] = typer.Option(None, "--templates", metavar="DIR", help="Folder of templates overriding the built-in ones (watched too)."),
) -> None:
    """Serve the web edition on this computer, rebuild it on every save and reload open pages (Ctrl-C to stop)."""
    from .. import api
    from .progress import live_report

    try:
        api.serve(content, langs=lang, host=host, port=port, out=out, templates=templates, report=live_report())
    except BriefgenError as exc:
        fail(exc)
    except KeyboardInterrupt:
        typer.echo("stopped")
        raise typer.Exit(130) from None
