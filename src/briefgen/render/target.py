"""Render one target: content → Jinja2 template → HTML → PDF (WeasyPrint) or .docx (Word writer).

This is the one road every output takes; renderers receive markup and never see YAML or options.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..audiences.targets import Target
from ..content.source import Content
from ..errors import BriefgenError, Problem
from .html import Artifact, asset_roots, build_html
from .options import RenderOptions, source_date
from .templates import BUILTIN_TEMPLATES
from .words import Words, load_words

_CJK = re.compile(r"[\u3000-\u30ff\u3400-\u9fff\uff00-\uffef]")


def render_target(content: Content, target: Target, out_dir: Path, options: RenderOptions) -> Artifact:
    """Build TARGET into OUT_DIR and return what was written."""
    out = out_dir / target.name
    if target.format == "pdf":
        _require_coverage(content, target.lang if target.audience != "handout" else None, options.templates)
    if target.audience in ("onepager", "handout"):
        from .fitting import render_onepager

        return render_onepager(content, target, out, options)
    html, L = build_html(content, target, options, **audience_context(content, target, options))
    if target.format == "docx":
        from .word import write_docx

        pages = write_docx(html, out, reference=options.reference_docx, lang=target.lang, epoch=source_date(content, options))
        return Artifact(target, out, pages, L.fallbacks)
    from .pdf import render_document, write_pdf

    doc = render_document(html, base_url=BUILTIN_TEMPLATES, roots=asset_roots(options))
    _check_pages(target, doc)
    pages = write_pdf(doc, out, archive=options.archive)
    warnings = L.fallbacks + [Problem(str(out), 0, f"WeasyPrint: {m}", "warning") for m in doc.briefgen_warnings]
    return Artifact(target, out, pages, warnings)


def audience_context(content: Content, target: Target, options: RenderOptions) -> dict:
    """Return what one audience's template needs beyond the common context."""
    if target.audience == "proof":
        return proof_context(content, target)
    if target.audience != "ministry":
        return {}
    info = content.report.info
    words = Words(load_words(BUILTIN_TEMPLATES, options.templates), target.lang, info.source_lang)
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


def proof_context(content: Content, target: Target) -> dict:
    """Return every translatable field with its source, translation and state, for the proof."""
    from ..i18n.status import field_states, read_lock
    from ..content.markup import to_html

    rows, counts = [], {"missing": 0, "stale": 0, "unconfirmed": 0, "current": 0}
    source_lang = content.report.info.source_lang
    tracked = read_lock(content).exists  # without a lock file nothing was ever confirmed: flag only gaps
    for status in field_states(content, [target.lang]):
        f = status.field
        state = status.state if tracked or status.state != "unconfirmed" else "current"
        target_text = f.text.get(target.lang) or ""
        rows.append({
            "file": f.file, "line": f.line(target.lang) if target_text else f.line(), "field": f.name, "state": state,
            "source": to_html(f.text.get(source_lang) or ""), "target": to_html(target_text) if target_text.strip() else None,
        })
        counts[state] = counts.get(state, 0) + 1
    return {"rows": rows, "counts": counts, "source_lang": source_lang}


def _require_coverage(content: Content, lang: str | None, templates: Path | None = None) -> None:
    """Fail if the fonts lack a character LANG's text uses; checked once per content and language."""
    from .fonts import check_coverage

    checked = content.memo.setdefault("coverage", set())
    langs = [lang] if lang else content.report.info.languages
    todo = [code for code in langs if (code, templates) not in checked]
    problems = list(dict.fromkeys(p for code in todo for p in check_coverage(content, code, templates)))
    if problems:
        raise BriefgenError(problems)
    checked.update((code, templates) for code in todo)


def _check_pages(target: Target, doc) -> None:
    pages = len(doc.pages)
    if target.audience == "congress" and target.variant == "short" and pages > 2:
        raise BriefgenError([Problem(target.name, 0, f"the short brief runs to {pages} pages (at most 2); shorten asks or key takeaways")])
    if target.audience == "handout" and pages != 2 * len(target.themes):
        raise BriefgenError([Problem(target.name, 0, f"the handout pack has {pages} pages, expected {2 * len(target.themes)} (one sheet per theme)")])
