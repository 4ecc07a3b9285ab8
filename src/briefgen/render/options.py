"""How to render: the options every renderer receives, kept light so a no-op build stays fast."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..content.source import Content

DATE_STYLES = ("wareki", "western", "both")
"""How Japanese dates may be written: 令和8年, 2026年, or both."""


@dataclass(frozen=True)
class Since:
    """The earlier edition a build marks its changes against (build --since)."""

    spec: str
    """A content folder or REV:path, as `briefgen diff` takes it."""
    digest: str
    """Of that edition's content: a different baseline rebuilds what it marks."""
    author: str | None = None
    """Of the tracked changes; None: the report's publisher."""


@dataclass
class RenderOptions:
    """How to render: everything the CLI passes down, in one place."""

    templates: Path | None = None
    allow_missing: bool = False
    date_style: str = "wareki"
    reference_docx: Path | None = None
    epoch: int | None = None
    print_marks: bool = False
    archive: bool = False
    """PDFs as PDF/A-2a that are still PDF/UA-1, for public archives."""
    addressee: str | None = None
    strict: bool = False
    editor_asks: bool = False
    """Print asks with basis: editor too, labelled as the editor's suggestions."""
    since: Since | None = None
    """Mark the changes since this edition: Word tracked changes, a changes section in PDFs."""

    def template_view(self) -> dict[str, object]:
        """Return the options templates may see: the plain settings, never a folder or file."""
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        return {name: value for name, value in values.items() if isinstance(value, (bool, int, str, type(None)))}


def source_date(content: Content, options: RenderOptions) -> int:
    """Return the timestamp documents carry: SOURCE_DATE_EPOCH, else the report's date."""
    if options.epoch is not None:
        return options.epoch
    env = os.environ.get("SOURCE_DATE_EPOCH")
    if env and env.isdigit():
        return int(env)
    day = content.report.info.date
    return int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc).timestamp())
