"""The bilingual proof for translators and editors: each field's source beside its translation and state."""

from __future__ import annotations

from .declaration import Audience, RenderKit, Target, register


def proof_context(content, target: Target, options, kit: RenderKit) -> dict:
    """Return every translatable field with its source, translation and state, for the proof."""
    from ..content.markup import to_html
    from ..i18n.status import field_states, read_lock

    rows, counts = [], {"missing": 0, "stale": 0, "unconfirmed": 0, "current": 0}
    source_lang = content.report.info.source_lang
    tracked = read_lock(content).exists  # without a lock file nothing was ever confirmed: flag only gaps
    for status in field_states(content, [target.lang]):
        f = status.field
        state = status.state if tracked or status.state != "unconfirmed" else "current"
        target_text = f.text.get(target.lang) or ""
        rows.append({
            "file": f.file, "line": f.line(target.lang) if target_text else f.line(), "field": f.name, "state": state,
            "source": to_html(f.text.get(source_lang) or "", lang=source_lang), "target": to_html(target_text, lang=target.lang) if target_text.strip() else None,
        })
        counts[state] = counts.get(state, 0) + 1
    return {"rows": rows, "counts": counts, "source_lang": source_lang}


register(Audience(
    name="proof",
    description="bilingual proof for translators and editors",
    template="proof/proof.html",
    stem="proof",
    rank=50,
    langs="translations",
    translation_needed="a proof compares a translation with the {source} source",
    context=proof_context,
))
