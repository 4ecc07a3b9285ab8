"""Build each recipient's edition: the brief or memo re-ordered for what the recipient follows.

A congress recipient's brief leads with the recommendations under its committees (marked, in
full, with their asks of Congress) and condenses the rest; a ministry's memo is addressed
「<ministry> 御中」 and holds the recommendations within its 所管 in 第1, the rest in 第2 as 参考.
Files go to out/recipients/<id>/, with an index (CSV and JSON) of recipient → files → pages.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ..audiences.declaration import Target
from ..audiences.editions import edition_kind
from ..content.recipients import Recipient
from ..content.source import Content
from ..errors import BriefgenError, Problem
from ..files import atomic_write
from ..render.options import RenderOptions

FOLDER = "recipients"


@dataclass
class Edition:
    """What one recipient got: its files and their pages, or why it got nothing."""

    recipient: Recipient
    files: list[dict] = field(default_factory=list)  # {"path": ..., "pages": ...}
    message: str | None = None


def split(content: Content, recipient: Recipient) -> tuple[list, list]:
    """Return the (theme, rec) pairs under what RECIPIENT follows, and the others, in report order."""
    follows = set(recipient.follows)
    attr = edition_kind(recipient.edition).follows
    mine, rest = [], []
    for theme, rec in content.report.recommendations():
        names = {v for t in getattr(rec, attr) for v in ([t.root] if isinstance(t.root, str) else t.root.values())}
        (mine if names & follows else rest).append((theme, rec))
    return mine, rest


def edition_path(recipient: Recipient) -> str:
    """Return the recipient's document path inside the output folder."""
    kind = edition_kind(recipient.edition)
    return f"{FOLDER}/{recipient.id}/{kind.stem}.{recipient.language}.{recipient.paper or kind.paper}.pdf"


def recipient_view(recipient: Recipient) -> dict:
    """Return the recipient as plain values for the template: name, address, greeting, note."""
    lang = recipient.language
    name = recipient.name.get(lang) or ""
    if lang == "ja":
        salutation = recipient.salutation or "御中"
    else:
        salutation = recipient.salutation or "Dear colleagues,"
    return {"id": recipient.id, "kind": recipient.kind, "name": name, "address": list(recipient.address),
            "salutation": salutation, "note": recipient.note or "", "follows": list(recipient.follows)}


def render_edition(content: Content, recipient: Recipient, out_dir: Path, options: RenderOptions) -> Edition:
    """Render RECIPIENT's document into OUT_DIR, or say why there is none."""
    from ..render.html import asset_roots, build_html
    from ..render.pdf import render_document, write_pdf
    from ..render.target import _require_coverage
    from ..render.templates import BUILTIN_TEMPLATES

    kind = edition_kind(recipient.edition)
    mine, rest = split(content, recipient)
    if not mine:  # an empty brief helps no one: say so and write nothing
        plural = "ministries" if kind.what.endswith("y") else f"{kind.what}s"
        return Edition(recipient, message=f"{recipient.id}: follows no {kind.what} this report addresses; no edition written (list its {plural} under follows:)")
    target = Target(audience=kind.audience, lang=recipient.language, format="pdf", paper=recipient.paper or kind.paper, variant="recipient")
    _require_coverage(content, [recipient.language], options.templates)
    template = kind.template
    extra = {"recipient": recipient_view(recipient), "mine": mine, "rest": rest, **(kind.context(content) if kind.context else {})}
    html, _ = build_html(content, target, options, template=template, **extra)
    doc = render_document(html, base_url=BUILTIN_TEMPLATES, roots=asset_roots(options), source=template)
    rel = edition_path(recipient)
    pages = write_pdf(doc, out_dir / rel, strict=options.strict)
    return Edition(recipient, files=[{"path": rel, "pages": pages}])


def _some(ids: list[str], wanted: str, shown: int = 10) -> str:
    """Return up to SHOWN of IDS for a message (a recipients file may hold thousands), with the closest to WANTED."""
    import difflib

    close = difflib.get_close_matches(wanted, ids, n=1)
    listed = ", ".join(ids[:shown]) + (f" and {len(ids) - shown:,} more" if len(ids) > shown else "")
    return listed + (f" (did you mean {close[0]}?)" if close else "")


def build_editions(
    content: Content,
    recipients: list[Recipient],
    out_dir: Path,
    options: RenderOptions,
    *,
    only: list[str] | None = None,
    report: Callable[[Edition], None] = lambda e: None,
) -> list[Edition]:
    """Build the editions of RECIPIENTS (those ONLY names, if given) and write the index."""
    chosen = recipients
    if only:
        ids = {r.id for r in recipients}
        unknown = [i for i in only if i not in ids]
        if unknown:
            raise BriefgenError([Problem("", 0, f"--only {', '.join(unknown)}: no such recipient; choose from {_some(sorted(ids), unknown[0])}")])
        chosen = [r for r in recipients if r.id in only]
    editions = []
    for recipient in chosen:
        edition = render_edition(content, recipient, out_dir, options)
        editions.append(edition)
        report(edition)
    write_index(out_dir, editions)
    return editions


def write_index(out_dir: Path, editions: list[Edition]) -> None:
    """Write out/recipients/index.json and index.csv: recipient → files → pages."""
    rows = [{"id": e.recipient.id, "name": e.recipient.name.get(e.recipient.language), "kind": e.recipient.kind,
             "audience": e.recipient.edition, "language": e.recipient.language, "files": e.files,
             **({"message": e.message} if e.message else {})} for e in editions]
    folder = out_dir / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    atomic_write(folder / "index.json", (json.dumps({"recipients": rows}, ensure_ascii=False, indent=2) + "\n").encode())
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["id", "name", "kind", "audience", "language", "file", "pages"])
    for row in rows:
        for f in row["files"] or [{"path": "", "pages": 0}]:
            writer.writerow([row["id"], row["name"], row["kind"], row["audience"], row["language"], f["path"], f["pages"]])
    atomic_write(folder / "index.csv", buf.getvalue().encode())
