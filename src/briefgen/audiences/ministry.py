"""The memo for Japanese ministries: Japanese, A4, Kasumigaseki conventions, Word first."""

from __future__ import annotations

import re

from .declaration import Audience, Printed, RenderKit, Target, register
from .editions import EditionKind, register_edition

_CJK = re.compile(r"[\u3000-\u30ff\u3400-\u9fff\uff00-\uffef]")


def memo_context(content, target: Target, options, kit: RenderKit) -> dict:
    """Return the memo's addressee, subject, chair and the notes numbered across the report."""
    info = content.report.info
    words = kit.words(target.lang)
    title = info.title.get(target.lang) or info.title.get(info.source_lang) or ""
    # A note with no Japanese in it (a citation of an English source) is set as Latin text:
    # the Latin face, Latin quotes, and Word's Latin font slot.
    notes = []
    for i, note in enumerate((n for t in content.report.themes for n in t.all_notes()), start=1):
        text = note.text.get(target.lang) or note.text.get(info.source_lang) or ""
        notes.append((str(i), note, None if _CJK.search(text) else "en"))
    return {
        "addressee": options.addressee or words("memo_addressee"),
        "subject": words("memo_subject", title=title),
        "chair": next((p for p in info.people if p.role == "chair"), info.people[0]),
        "notes": notes,
    }


def edition_context(content) -> dict:
    """Return what a ministry's edition needs beyond the common context: the sender's chair."""
    people = content.report.info.people
    return {"chair": next((p for p in people if p.role == "chair"), people[0])}


register(Audience(
    name="ministry",
    description="memo for Japanese ministries (A4, 公用文)",
    template="ministry/memo.html",
    stem="memo",
    rank=20,
    formats=("pdf", "docx"),
    default_formats=("docx",),
    lang="ja",
    paper="a4",
    default_set={"docx": (), "pdf": ()},  # the Word memo first; a PDF of it too
    context=memo_context,
    cost=2,
    variant_options=("date_style",),
    printed=Printed(frozenset({"title", "summary", "key_points", "jp_ministries"}), asks="ministries", theme_label="memo_heading1"),
))

# A ministry's edition: 「<ministry> 御中」, its 所管 in 第1, the rest as 参考 in 第2.
register_edition(EditionKind(audience="ministry", template="recipients/memo.html", stem="memo",
                             follows="jp_ministries", what="ministry", paper="a4", context=edition_context))
