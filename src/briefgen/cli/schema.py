"""`briefgen schema`: write JSON Schemas for the content files."""

from __future__ import annotations

from pathlib import Path

import typer


def schema(out: Path = typer.Option(Path("schema"), "--out", metavar="DIR", help="Folder for the JSON Schema files.")) -> None:
    """Write JSON Schemas for the content files (for editors' YAML validation and completion)."""
    from ..content.schema import write_schemas

    for path in write_schemas(out):
        typer.echo(f"wrote {path}")
