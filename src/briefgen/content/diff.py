"""What changed between two editions: recommendations, notes, figures and asks, field by field.

Recommendations and notes are matched by id, so a reworded or renumbered recommendation is the
same recommendation; figures and asks have no id and are aligned in order by their content.
Renumbering that follows from another change is shown with the entry, not listed as a change.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import asdict, dataclass, field
from typing import Any

from pydantic import BaseModel

from .inline_diff import Segment, inline_diff, render_inline
from .model import Ask, Figure, Note, Recommendation, Report, Text, Theme

CONTEXT = 40  # characters of unchanged text the text listing keeps on each side of a change


@dataclass
class FieldChange:
    """One field that differs: `body[2]` in `ja`, with the old and new text (None when absent)."""

    field: str
    lang: str | None
    old: str | None
    new: str | None
    inline: list[Segment] | None = None

    def line(self) -> str:
        where = f"{self.field} [{self.lang}]" if self.lang else self.field
        if self.old is None:
            return f"{where}: added: {self.new}"
        if self.new is None:
            return f"{where}: removed: {self.old}"
        if self.inline is not None:
            return f"{where}: {render_inline(self.inline, context=CONTEXT)}"
        return f"{where}: {self.old} → {self.new}"


@dataclass
class Change:
    """One added, removed, moved or changed item, and where it stands."""

    kind: str  # report, recommendation, note, figure, ask
    change: str  # added, removed, moved, changed
    recommendation: str | None  # the recommendation's id (for notes of a theme: None)
    theme: str  # the theme's id in the new edition (the old one's when removed)
    label: str  # what a reader calls it: "Recommendation 3", "note 12", "figure 2", "ask to Congress 1"
    title: str  # a few words that identify it
    old_place: str | None = None  # "energy #2 (number 5)", for moved and removed items
    new_place: str | None = None
    fields: list[FieldChange] = field(default_factory=list)
    group: str | None = None  # whose ask: the field of `asks` it is in (congress, ministries)

    def lines(self) -> list[str]:
        head = f"{self.change} {self.label}"
        if self.recommendation and self.kind != "recommendation":
            head += f" of recommendation {self.recommendation}"
        elif self.recommendation:
            head += f" {self.recommendation}"
        head += f" ({self.theme}): {self.title}" if self.theme else f": {self.title}"
        if self.change == "moved":
            head += f" [{self.old_place} → {self.new_place}]"
        return [head, *(f"  {f.line()}" for f in self.fields)]


@dataclass
class Diff:
    old: str
    new: str
    changes: list[Change]

    def to_json(self) -> str:
        data = {"format": "briefgen-diff/1", "old": self.old, "new": self.new,
                "summary": self.counts(), "changes": [asdict(c) for c in self.changes]}
        return json.dumps(data, ensure_ascii=False, indent=2)

    def counts(self) -> dict[str, int]:
        return {kind: sum(c.change == kind for c in self.changes) for kind in ("added", "removed", "moved", "changed")}

    def to_text(self) -> str:
        out = [line for c in self.changes for line in c.lines()]
        if not self.changes:
            out.append(f"no changes between {self.old} and {self.new}")
        else:
            counts = ", ".join(f"{n} {kind}" for kind, n in self.counts().items() if n)
            out.append(f"{len(self.changes)} change{'s' if len(self.changes) != 1 else ''} between {self.old} and {self.new}: {counts}")
        return "\n".join(out)


def diff_reports(old: Report, new: Report, *, old_name: str = "old", new_name: str = "new") -> Diff:
    """Return every change from OLD to NEW, in the new edition's reading order (removals last)."""
    langs = list(dict.fromkeys([new.info.source_lang, *new.info.languages, *old.info.languages]))
    show = _Show(langs)
    changes: list[Change] = []
    old_recs = {rec.id: (theme, rec) for theme, rec in old.recommendations()}
    new_recs = {rec.id: (theme, rec) for theme, rec in new.recommendations()}
    common_old = [rid for rid in old_recs if rid in new_recs]
    common_new = [rid for rid in new_recs if rid in old_recs]
    # Recommendations outside the longest common order moved; so did any that changed theme.
    kept: set[str] = set()
    for block in difflib.SequenceMatcher(None, common_old, common_new, autojunk=False).get_matching_blocks():
        kept.update(common_old[block.a:block.a + block.size])

    # The edition, the title, the bottom line: what the whole report says of itself.
    if fields := compare_models(old.info, new.info, langs, skip={"people"}):
        changes.append(Change("report", "changed", None, "", "report", new.info.id, fields=fields))
    old_themes = {t.id: t for t in old.themes}
    for theme in new.themes:
        for rec in theme.recommendations:
            if rec.id not in old_recs:
                changes.append(Change("recommendation", "added", rec.id, theme.id, f"recommendation {rec.number}", show(rec.title)))
                continue
            old_theme, old_rec = old_recs[rec.id]
            label = f"recommendation {rec.number}"
            if old_theme.id != theme.id or rec.id not in kept:
                changes.append(Change("recommendation", "moved", rec.id, theme.id, label, show(rec.title),
                                      old_place=_place(old_theme, old_rec), new_place=_place(theme, rec)))
            fields = compare_models(old_rec, rec, langs, skip={"number", "id", "figures", "notes", "asks"})
            if fields:
                changes.append(Change("recommendation", "changed", rec.id, theme.id, label, show(rec.title), fields=fields))
            changes += _diff_notes(old_rec.notes, rec.notes, rec.id, theme.id, langs, show)
            changes += _diff_items("figure", old_rec.figures, rec.figures, rec.id, theme.id, langs, show, lambda f: f.label)
            for audience, name in (("congress", "ask to Congress"), ("ministries", "ask to ministries")):
                changes += _diff_items(name, getattr(old_rec.asks, audience), getattr(rec.asks, audience), rec.id, theme.id,
                                       langs, show, lambda a: a.text, kind="ask", group=audience)
        if theme.id in old_themes:
            changes += _diff_notes(old_themes[theme.id].notes, theme.notes, None, theme.id, langs, show)
    for rid, (theme, rec) in old_recs.items():
        if rid not in new_recs:
            changes.append(Change("recommendation", "removed", rid, theme.id, f"recommendation {rec.number}", show(rec.title),
                                  old_place=_place(theme, rec)))
    return Diff(old_name, new_name, changes)


class _Show:
    """Name an item in the first language it has (the source language first)."""

    def __init__(self, langs: list[str]):
        self.langs = langs

    def __call__(self, text: Text | None) -> str:
        if text is None:
            return ""
        return next((t for lang in self.langs if (t := text.get(lang))), "")


def _place(theme: Theme, rec: Recommendation) -> str:
    position = next(i for i, r in enumerate(theme.recommendations, 1) if r.id == rec.id)
    return f"{theme.id} #{position} (number {rec.number})"


def _diff_notes(old: list[Note], new: list[Note], rec_id, theme_id, langs, show) -> list[Change]:
    changes = []
    before = {n.id: n for n in old}
    after = {n.id: n for n in new}
    for note in new:
        if note.id not in before:
            changes.append(Change("note", "added", rec_id, theme_id, f"note {note.id}", show(note.text)))
        elif fields := compare_models(before[note.id], note, langs, skip={"id"}):
            changes.append(Change("note", "changed", rec_id, theme_id, f"note {note.id}", show(note.text), fields=fields))
    for note in old:
        if note.id not in after:
            changes.append(Change("note", "removed", rec_id, theme_id, f"note {note.id}", show(note.text)))
    return changes


def _diff_items(name: str, old: list, new: list, rec_id, theme_id, langs, show, title_of, *, kind: str = "figure", group: str | None = None) -> list[Change]:
    """Align two id-less lists (figures, asks): unequal runs pair up in order as changed items."""
    changes = []
    keys = lambda items: [json.dumps(i.model_dump(mode="json"), sort_keys=True, ensure_ascii=False) for i in items]
    matcher = difflib.SequenceMatcher(None, keys(old), keys(new), autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        pairs = min(i2 - i1, j2 - j1)
        for k in range(pairs):
            a, b = old[i1 + k], new[j1 + k]
            changes.append(Change(kind, "changed", rec_id, theme_id, f"{name} {j1 + k + 1}", show(title_of(b)),
                                  fields=compare_models(a, b, langs), group=group))
        for k in range(j1 + pairs, j2):
            changes.append(Change(kind, "added", rec_id, theme_id, f"{name} {k + 1}", show(title_of(new[k])), group=group))
        for k in range(i1 + pairs, i2):
            changes.append(Change(kind, "removed", rec_id, theme_id, f"{name} {k + 1}", show(title_of(old[k])), group=group))
    return changes


def compare_models(old: BaseModel, new: BaseModel, langs: list[str], *, skip: set[str] = frozenset()) -> list[FieldChange]:
    """Return the fields of two versions of one item that differ, texts per language with inline differences."""
    out: list[FieldChange] = []
    for name in type(new).model_fields:
        if name in skip:
            continue
        a, b = getattr(old, name), getattr(new, name)
        if a == b:
            continue
        if isinstance(a, Text) or isinstance(b, Text):
            out += compare_texts(name, a, b, langs)
        elif isinstance(a, list) and all(isinstance(x, Text) for x in [*a, *b]):
            out += _compare_paragraphs(name, a, b, langs)
        elif isinstance(a, BaseModel) and isinstance(b, BaseModel):
            out += [FieldChange(f"{name}.{f.field}", f.lang, f.old, f.new, f.inline) for f in compare_models(a, b, langs)]
        else:
            out.append(FieldChange(name, None, _plain(a), _plain(b)))
    return out


def compare_texts(name: str, a: Text | None, b: Text | None, langs: list[str]) -> list[FieldChange]:
    out = []
    if all(t is None or t.universal for t in (a, b)):  # one string for every language: one change
        old, new = a.root if a else None, b.root if b else None
        lang = langs[0]
        return [FieldChange(name, None, old, new, inline_diff(old, new, lang) if old is not None and new is not None else None)]
    for lang in langs:
        old, new = a.get(lang) if a else None, b.get(lang) if b else None
        if old != new:
            inline = inline_diff(old, new, lang) if old is not None and new is not None else None
            out.append(FieldChange(name, lang, old, new, inline))
    return out


def _compare_paragraphs(name: str, a: list[Text], b: list[Text], langs: list[str]) -> list[FieldChange]:
    out = []
    keys = lambda items: [json.dumps(t.root, sort_keys=True, ensure_ascii=False) for t in items]
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, keys(a), keys(b), autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        pairs = min(i2 - i1, j2 - j1)
        for k in range(pairs):
            out += compare_texts(f"{name}[{j1 + k + 1}]", a[i1 + k], b[j1 + k], langs)
        for k in range(j1 + pairs, j2):
            out += compare_texts(f"{name}[{k + 1}]", None, b[k], langs)
        for k in range(i1 + pairs, i2):
            out += compare_texts(f"{name}[{k + 1}]", a[k], None, langs)
    return out


def _plain(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, BaseModel):
        value = value.model_dump(mode="json", exclude_none=True)
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
