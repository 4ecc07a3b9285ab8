"""The "Changes in this edition" section of a PDF (build --since): each change as plain values for templates.

Each entry names the item in the document's words, links to its place in this edition (an
anchor the template sets: `rec-<id>`, `theme-<id>`), and gives each changed field in the
document's language as segments: `("=", kept)`, `("-", deleted)`, `("+", inserted)`, with long
kept runs shortened, so the template marks deletions and insertions its own way.
"""

from __future__ import annotations

from ..content.diff import Change, FieldChange, diff_reports
from ..content.inline_diff import Segment, inline_diff
from ..content.markup import plain_text
from ..audiences.declaration import Printed
from ..content.model import Report
from .localize import katakana_label

CONTEXT = 60  # characters of unchanged text kept on each side of a change
SKIPPED = ("edition", "date")  # the edition itself: the masthead and the section's own heading say it
PARAGRAPHS = {"body"}  # list fields whose items are paragraphs of running text (the others are items)
NOT_PRINTED_FIGURE_FIELDS = {"quote", "priority"}  # the passage a figure is checked against; the short brief's rank


def changes_context(old: Report, new: Report, lang: str, words, printed: Printed | None = None) -> dict:
    """Return the changes from OLD to NEW as a PDF in LANG that prints PRINTED shows them; WORDS gives its labels.

    A change the document does not print would link to a place that does not show it, so only
    PRINTED's fields and asks are listed (every change when it is None). The result holds `since`
    (the earlier edition's date) and `entries`, one per change.
    """
    theme_word = printed.theme_label if printed else "theme"
    entries = []
    numbers = {rec.id: rec.number for _, rec in new.recommendations()}
    old_numbers = {rec.id: rec.number for _, rec in old.recommendations()}
    themes = {t.id: t for t in new.themes}
    for change in diff_reports(old, new).changes:
        if change.kind == "ask" and printed and change.group != printed.asks:
            continue
        fields = [f for f in change.fields if f.lang in (lang, None) and f.field.split(".")[0] not in SKIPPED]
        if change.kind == "recommendation" and printed:
            fields = [f for f in fields if f.field.split("[")[0].split(".")[0] in printed.fields]
        if change.kind == "figure":
            fields = [f for f in fields if f.field not in NOT_PRINTED_FIGURE_FIELDS]
        fields = [(f, segments) for f in fields if (segments := _segments(f, lang))]
        if change.change == "changed" and not fields:
            continue  # changed only in another language, or only in markup
        title = _title(change, new if change.change != "removed" else old, lang)
        entry = {
            "what": words(f"change_{change.change}"),
            "label": _label(change, numbers if change.change != "removed" else old_numbers, words),
            "anchor": _anchor(change),
            "moved": None,
            "fields": [{"name": _field_name(f.field, words, lang), "segments": s} for f, s in fields],
        }
        if change.kind == "recommendation" and change.change in ("added", "removed") and title:
            entry["fields"] = [{"name": words("change_field.title"), "segments": [("+" if change.change == "added" else "-", title)]}]
        elif title:
            entry["label"] = f"{entry['label']}{'　' if lang == 'ja' else ': '}{title}"
        if change.change == "moved":
            was = next(t for t in old.themes if any(r.id == change.recommendation for r in t.recommendations))
            entry["moved"] = words("change_moved_line", old=words(theme_word, n=was.number),
                                   new=words(theme_word, n=themes[change.theme].number),
                                   old_n=old_numbers[change.recommendation], new_n=numbers[change.recommendation])
        entries.append(entry)
    edition = old.info.edition
    return {"since": edition.date if edition else old.info.date, "entries": entries}


def _segments(field: FieldChange, lang: str) -> list[Segment]:
    old = plain_text(field.old, lang) if field.old is not None else None
    new = plain_text(field.new, lang) if field.new is not None else None
    if old == new:
        return []
    if old is None or new is None:
        return [("+", new)] if old is None else [("-", old)]
    return _shorten(inline_diff(old, new, lang))


def _shorten(segments: list[Segment]) -> list[Segment]:
    """Cut long unchanged runs to CONTEXT characters next to each change, with … for the rest.

    Spaces at the edges of a deletion or insertion are kept text, so no mark starts or ends with one.
    """
    segments = [part for op, text in segments for part in _unspaced(op, text)]
    out = []
    last = len(segments) - 1
    for i, (op, text) in enumerate(segments):
        if op == "=":
            if i == 0 and len(text) > CONTEXT:
                text = "…" + text[-CONTEXT:]
            elif i == last and len(text) > CONTEXT:
                text = text[:CONTEXT] + "…"
            elif 0 < i < last and len(text) > 2 * CONTEXT + 1:
                text = text[:CONTEXT] + " … " + text[-CONTEXT:]
        out.append((op, text))
    return out


def _unspaced(op: str, text: str) -> list[Segment]:
    if op == "=" or not text.strip():
        return [(op, text)]
    core = text.strip()
    lead, trail = text[:len(text) - len(text.lstrip())], text[len(text.rstrip()):]
    return [(k, t) for k, t in (("=", lead), (op, core), ("=", trail)) if t]


def _title(change: Change, report: Report, lang: str) -> str:
    """Return the title of the change's recommendation in LANG (plain), or "" for report-level changes."""
    for _, rec in report.recommendations():
        if rec.id == change.recommendation:
            return plain_text(rec.title.get(lang) or rec.title.get(report.info.source_lang) or "", lang)
    return ""


def _label(change: Change, numbers: dict[str, int], words) -> str:
    """Return what the document calls the changed item: Recommendation 3, Note 2 of Recommendation 3, the report."""
    rec = words("recommendation", n=numbers[change.recommendation]) if change.recommendation in numbers else ""
    if change.kind == "recommendation":
        return rec
    if change.kind == "report":
        return words("change_report")
    if change.kind == "note":
        item = words("change_note", n=change.label.split(" ", 1)[1])
    else:  # figure 2, ask to Congress 1
        number = change.label.rsplit(" ", 1)[1]
        item = words("change_figure" if change.kind == "figure" else "change_ask", n=number)
    return words("change_of", item=item, rec=rec) if rec else item


def _anchor(change: Change) -> str | None:
    """Return the id of the change's place in the new edition; None when it has none (removed)."""
    if change.kind == "recommendation" and change.change == "removed":
        return None
    if change.recommendation:
        return f"rec-{change.recommendation}"
    return f"theme-{change.theme}" if change.theme else None


def _field_name(field: str, words, lang: str) -> str:
    """Return a field's name as the reader knows it: `body[2]` → "Text, paragraph 2"; `key_points[2]` → "Key point 2", ポイント（イ）."""
    name, _, rest = field.partition("[")
    key = f"change_field.{name.split('.')[-1]}"
    label = words(key) if key in words.table else name
    if not rest:
        return label
    n = int(rest.rstrip("]"))
    if name in PARAGRAPHS:
        return words("change_paragraph", field=label, n=n)
    return words("change_item", field=label, n=katakana_label(n) if lang == "ja" else n)  # the memo's ア, イ, ウ


def changes_for(content, target, options, extra: dict) -> dict:
    """Return EXTRA (a template's context) with what its changes section needs: `changes`, and the stylesheet."""
    from ..content.revision import baseline
    from .html import Kit

    old = baseline(options.since.spec)
    words = Kit(content, options).words(target.lang)
    changes = changes_context(old.report, content.report, target.lang, words, target.declaration.printed)
    return {**extra, "changes": changes, "extra_styles": [*extra.get("extra_styles", []), "css/changes.css"]}
