"""The memo for Japanese ministries: Japanese, A4, Kasumigaseki conventions, Word first."""

from __future__ import annotations

from .declaration import Audience, RenderKit, Target, register


def memo_context(content, target: Target, options, kit: RenderKit) -> dict:
    """Return the memo's addressee, subject, chair and the notes numbered across the report."""
    info = content.report.info
    words = kit.words(target.lang)
    title = info.title.get(target.lang) or info.title.get(info.source_lang) or ""
    notes = [(str(i), note) for i, note in enumerate((n for t in content.report.themes for n in t.all_notes()), start=1)]
    return {
        "addressee": options.addressee or words("memo_addressee"),
        "subject": words("memo_subject", title=title),
        "chair": next((p for p in info.people if p.role == "chair"), info.people[0]),
        "notes": notes,
    }


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
))
