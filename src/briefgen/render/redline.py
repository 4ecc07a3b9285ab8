"""A Word document of an edition's changes as real tracked changes (w:ins / w:del).

Each changed field is one paragraph whose deletions and insertions are Word revisions by the
given author on the edition's date, so a reader steps through them with Word's Review pane and
accepting all of them leaves the new edition's text, rejecting all the old.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from ..content.diff import Change, Diff, FieldChange
from ..content.inline_diff import Segment
from ..files import atomic_write

TITLES = {"en": "Changes in this edition", "ja": "今回の改訂箇所"}


class _Revisions:
    """Hands out the unique ids Word requires on every revision mark."""

    def __init__(self, author: str, when: dt.date):
        self.author, self.when, self.next = author, f"{when.isoformat()}T00:00:00Z", 1

    def mark(self, tag: str):
        el = OxmlElement(tag)
        el.set(qn("w:id"), str(self.next))
        el.set(qn("w:author"), self.author)
        el.set(qn("w:date"), self.when)
        self.next += 1
        return el


def _run(text: str, deleted: bool):
    run = OxmlElement("w:r")
    t = OxmlElement("w:delText" if deleted else "w:t")
    t.set(qn("xml:space"), "preserve")
    t.text = text
    run.append(t)
    return run


def tracked(paragraph, segments: list[Segment], revisions: _Revisions) -> None:
    """Append SEGMENTS to PARAGRAPH: kept text as plain runs, the rest as tracked deletions and insertions."""
    for op, text in segments:
        if op == "=":
            paragraph._p.append(_run(text, False))
            continue
        mark = revisions.mark("w:del" if op == "-" else "w:ins")
        mark.append(_run(text, op == "-"))
        paragraph._p.append(mark)


def _segments(field: FieldChange) -> list[Segment]:
    if field.inline is not None:
        return field.inline
    return [op for op in (("-", field.old), ("+", field.new)) if op[1]]


def changes_docx(diff: Diff, *, author: str, when: dt.date, lang: str = "en") -> bytes:
    """Return the .docx bytes listing DIFF's changes, each text difference as a tracked change."""
    document = docx.Document()
    document.core_properties.title = TITLES.get(lang, TITLES["en"])
    document.core_properties.author = author
    document.add_heading(TITLES.get(lang, TITLES["en"]), level=1)
    revisions = _Revisions(author, when)
    for change in diff.changes:
        document.add_heading(_heading(change), level=2)
        if change.change in ("added", "removed") and change.title:
            tracked(document.add_paragraph(), [("+" if change.change == "added" else "-", change.title)], revisions)
        if change.change == "moved":
            document.add_paragraph(f"{change.old_place} → {change.new_place}")
        for field in change.fields:
            document.add_paragraph(f"{field.field} [{field.lang}]" if field.lang else field.field, style="Caption")
            tracked(document.add_paragraph(), _segments(field), revisions)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def _heading(change: Change) -> str:
    head = f"{change.change.capitalize()}: {change.label}"
    if change.recommendation:
        head += f" ({change.recommendation})" if change.kind == "recommendation" else f" of recommendation {change.recommendation}"
    return head


def write_changes_docx(diff: Diff, out: Path, *, author: str, when: dt.date, lang: str = "en") -> None:
    """Write the changes document to OUT in one step (never half-written)."""
    atomic_write(out, changes_docx(diff, author=author, when=when, lang=lang))
