"""An edition's changes as real Word tracked changes (w:ins / w:del): in the document itself, or listed.

`track_changes` marks a built document (the memo, a brief's Word copy) against the same document
built from the earlier edition, so the reader steps through the revisions in Word's Review pane.
`changes_docx` lists the changes on their own, each changed field one paragraph. Either way the
revisions carry the given author and the edition's date; accepting all of them leaves the new
edition's text, rejecting all of them the old.
"""

from __future__ import annotations

import copy
import datetime as dt
import difflib
import io
import re
from dataclasses import dataclass
from pathlib import Path

import docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from ..content.diff import Change, Diff, FieldChange
from ..content.inline_diff import Segment, inline_diff
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


# -- a document's own tracked changes (build --since) ---------------------------------------------

_P, _TBL, _TR, _TC, _R = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc"), qn("w:r")
_T, _BR, _TAB, _LINK = qn("w:t"), qn("w:br"), qn("w:tab"), qn("w:hyperlink")
_PPR, _RPR, _TRPR = qn("w:pPr"), qn("w:rPr"), qn("w:trPr")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff00-\uffef]")
_PAIRING = 0.5  # paragraphs with less text in common are one deletion and one insertion, not one edit
_DP_CELLS = 2_500  # above this many candidate pairs, pair a region's paragraphs in order
LEVELS = (("Title", "Heading 1"), ("Heading 2",))  # the styles of section headings, outermost first


@dataclass(frozen=True)
class Redline:
    """What marks a document against its earlier edition: that edition's HTML, who, and when."""

    old_html: str
    author: str
    when: dt.date


def track_changes(old, new, *, author: str, when: dt.date) -> int:
    """Mark in NEW (a python-docx Document) how it differs from OLD, as Word revisions; return how many.

    Both are renders of one template, so their paragraphs line up: equal paragraphs stay as they
    are, a paragraph only in NEW is an insertion (its mark too, so rejecting removes it), one only
    in OLD comes back as a deletion, and a paragraph that was edited keeps its runs with the changed
    words (phrases in Japanese) as deletions and insertions.
    """
    revisions = _Revisions(author, when)
    levels = [{st.style_id for doc in (old, new) for st in doc.styles if st.name in names} for names in LEVELS]
    _merge_sections(_blocks(old.element.body), _blocks(new.element.body), levels, new.element.body, revisions, None)
    return revisions.next - 1


def _merge_sections(old: list, new: list, levels: list[set], container, revisions: _Revisions, before):
    """Align OLD and NEW by their headings of the first of LEVELS, then what lies under each; return the last block.

    Headings of one level pair up by their words (a reworded or renumbered recommendation is still
    itself); a section whose heading has no partner was removed or added whole, so its paragraphs
    are never matched piecemeal against another section's look-alike subheadings.
    """
    if not levels:
        return _merge(old, new, container, revisions, before)
    ids, rest = levels[0], levels[1:]
    old_heads = [k for k, el in enumerate(old) if _style(el) in ids]
    new_heads = [k for k, el in enumerate(new) if _style(el) in ids]
    anchors = [(old_heads[i], new_heads[j]) for i, j in _matches([old[k] for k in old_heads], [new[k] for k in new_heads])]
    prev, i, j = before, 0, 0
    for ai, aj in [*anchors, (len(old), len(new))]:
        prev = _merge_segment(old[i:ai], new[j:aj], ids, rest, container, revisions, prev)
        if ai < len(old):
            _edit_paragraph(old[ai], new[aj], revisions)
            prev = new[aj]
        i, j = ai + 1, aj + 1
    return prev


def _merge_segment(old: list, new: list, ids: set, rest: list[set], container, revisions: _Revisions, prev):
    """Merge what lies between two paired headings: the text under them, then unpaired sections (removed, added)."""
    cut_old = next((k for k, el in enumerate(old) if _style(el) in ids), len(old))
    cut_new = next((k for k, el in enumerate(new) if _style(el) in ids), len(new))
    prev = _merge_sections(old[:cut_old], new[:cut_new], rest, container, revisions, prev)
    for block in old[cut_old:]:
        gone = copy.deepcopy(block)
        _mark_deleted(gone, revisions)
        _place_after(container, prev, gone)
        prev = gone
    for block in new[cut_new:]:
        _mark_inserted(block, revisions)
        prev = block
    return prev


def _style(el) -> str | None:
    ppr = el.find(_PPR) if el.tag == _P else None
    style = ppr.find(qn("w:pStyle")) if ppr is not None else None
    return style.get(qn("w:val")) if style is not None else None


def _blocks(container) -> list:
    return [el for el in container if el.tag in (_P, _TBL)]


def _text(el) -> str:
    """Return the text of a paragraph, row or table as Word shows it (breaks as newlines)."""
    if el.tag != _P:
        return "\x00".join(_text(p) for p in el.iter(_P))
    out = []
    for node in el.iter(_T, _BR, _TAB):
        out.append(node.text or "" if node.tag == _T else "\n" if node.tag == _BR else "\t")
    return "".join(out)


def _key(el) -> str:
    return ("\x01table\x01" if el.tag == _TBL else "") + _text(el)


def _merge(old: list, new: list, container, revisions: _Revisions, before=None):
    """Align the blocks OLD and NEW (children of CONTAINER in the new document, after BEFORE), mark the differences, return the last block."""
    opcodes = difflib.SequenceMatcher(None, [_key(b) for b in old], [_key(b) for b in new], autojunk=False).get_opcodes()
    prev = before
    for tag, i1, i2, j1, j2 in opcodes:
        if tag == "equal":
            prev = new[j2 - 1]
            continue
        for a, b in _pairs(old[i1:i2], new[j1:j2]):
            if b is None:
                gone = copy.deepcopy(a)
                _mark_deleted(gone, revisions)
                _place_after(container, prev, gone)
                prev = gone
                continue
            if a is None:
                _mark_inserted(b, revisions)
            elif b.tag == _TBL:
                _merge_rows(a, b, revisions)
            else:
                _edit_paragraph(a, b, revisions)
            prev = b
    return prev


def _pairs(old: list, new: list) -> list[tuple]:
    """Return OLD and NEW blocks in reading order, alike ones paired: (old, new), (old, None), (None, new)."""
    out, i, j = [], 0, 0
    for mi, mj in [*_matches(old, new), (len(old), len(new))]:
        out += [(old[k], None) for k in range(i, mi)]  # deletions first: Word shows the old text before the new
        out += [(None, new[k]) for k in range(j, mj)]
        if mi < len(old):
            out.append((old[mi], new[mj]))
        i, j = mi + 1, mj + 1
    return out


def _matches(old: list, new: list) -> list[tuple[int, int]]:
    """Return the (i, j) of the most pairs of alike blocks OLD[i], NEW[j] in order (a small LCS)."""
    alike = lambda a, b: a.tag == b.tag and (a.tag == _TBL or _similar(_text(a), _text(b)))
    n, m = len(old), len(new)
    if n * m > _DP_CELLS:
        return [(i, i) for i in range(min(n, m)) if alike(old[i], new[i])]
    ok = [[alike(a, b) for b in new] for a in old]
    best = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            best[i][j] = max(best[i + 1][j], best[i][j + 1], best[i + 1][j + 1] + 1 if ok[i][j] else 0)
    matches, i, j = [], 0, 0
    while i < n and j < m:
        if ok[i][j] and best[i][j] == best[i + 1][j + 1] + 1:
            matches.append((i, j))
            i, j = i + 1, j + 1
        elif best[i + 1][j] >= best[i][j + 1]:
            i += 1
        else:
            j += 1
    return matches


def _similar(a: str, b: str) -> bool:
    """True when A and B share enough whole words (phrases in Japanese) to show as one edited paragraph."""
    if not a or not b or difflib.SequenceMatcher(None, a, b, autojunk=False).quick_ratio() < _PAIRING:
        return False
    kept = sum(len(text) for op, text in inline_diff(a, b, _lang_of(a + b)) if op == "=")
    return 2 * kept / (len(a) + len(b)) >= _PAIRING


def _lang_of(text: str) -> str:
    return "ja" if _CJK.search(text) else "en"


def _place_after(container, prev, el) -> None:
    if prev is not None:
        prev.addnext(el)
        return
    first = next((c for c in container if c.tag in (_P, _TBL, qn("w:sectPr"))), None)
    if first is not None:
        first.addprevious(el)
    else:
        container.append(el)


def _merge_rows(old_tbl, new_tbl, revisions: _Revisions) -> None:
    """Mark the rows of an edited table: rows added, removed, or edited cell by cell."""
    old, new = old_tbl.findall(_TR), new_tbl.findall(_TR)
    opcodes = difflib.SequenceMatcher(None, [_text(r) for r in old], [_text(r) for r in new], autojunk=False).get_opcodes()
    for tag, i1, i2, j1, j2 in opcodes:
        if tag == "equal":
            continue
        prev = new[j1 - 1] if j1 > 0 else None
        for a, b in _row_pairs(old[i1:i2], new[j1:j2]):
            if b is None:
                gone = copy.deepcopy(a)
                _mark_deleted(gone, revisions)
                if prev is not None:
                    prev.addnext(gone)
                else:
                    new_tbl.insert(new_tbl.index(new[0]) if new else len(new_tbl), gone)
                prev = gone
                continue
            if a is None:
                _mark_inserted(b, revisions)
            else:
                for old_tc, new_tc in zip(a.findall(_TC), b.findall(_TC)):
                    _merge(_blocks(old_tc), _blocks(new_tc), new_tc, revisions)
            prev = b


def _row_pairs(old: list, new: list) -> list[tuple]:
    """Pair the rows of a changed region in order when they have as many cells; the rest are added or removed."""
    out = []
    for k in range(max(len(old), len(new))):
        a, b = (old[k] if k < len(old) else None), (new[k] if k < len(new) else None)
        if a is not None and b is not None and len(a.findall(_TC)) != len(b.findall(_TC)):
            out += [(a, None), (None, b)]
        else:
            out.append((a, b))
    return out


def _mark_inserted(el, revisions: _Revisions) -> None:
    """Mark every run of a paragraph, row or table as inserted, and its paragraph marks and rows too."""
    _mark_all(el, "w:ins", revisions)


def _mark_deleted(el, revisions: _Revisions) -> None:
    """Mark a copy of an old paragraph, row or table as deleted: its text as w:delText, links as plain runs."""
    for link in list(el.iter(_LINK)):  # a deleted link needs no relationship in the new document
        parent = link.getparent()
        for child in list(link):
            link.addprevious(child)
        parent.remove(link)
    for t in el.iter(_T):
        t.tag = qn("w:delText")
    _mark_all(el, "w:del", revisions)


def _mark_all(el, tag: str, revisions: _Revisions) -> None:
    for run in [r for r in el.iter(_R) if r.getparent().tag in (_P, _LINK)]:
        mark = revisions.mark(tag)
        run.addprevious(mark)
        mark.append(run)
    for p in el.iter(_P):  # the paragraph mark: accepting a deletion (or rejecting an insertion) removes the paragraph
        _paragraph_rpr(p).insert(0, revisions.mark(tag))
    for tr in el.iter(_TR):
        _row_pr(tr).append(revisions.mark(tag))


def _paragraph_rpr(p):
    ppr = p.find(_PPR)
    if ppr is None:
        ppr = OxmlElement("w:pPr")
        p.insert(0, ppr)
    rpr = ppr.find(_RPR)
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        later = [c for c in ppr if c.tag in (qn("w:sectPr"), qn("w:pPrChange"))]
        if later:
            later[0].addprevious(rpr)
        else:
            ppr.append(rpr)
    return rpr


def _row_pr(tr):
    trpr = tr.find(_TRPR)
    if trpr is None:
        trpr = OxmlElement("w:trPr")
        ex = tr.find(qn("w:tblPrEx"))
        tr.insert(0 if ex is None else tr.index(ex) + 1, trpr)
    return trpr


def _atoms(p) -> list[tuple[str, object, object]]:
    """Return a paragraph's characters, each with its run and the link the run is in (or None)."""
    out = []
    for run in p.iter(_R):
        link = run.getparent() if run.getparent().tag == _LINK else None
        for node in run:
            if node.tag == _T:
                out += [(ch, run, link) for ch in node.text or ""]
            elif node.tag in (_BR, _TAB):
                out.append(("\n" if node.tag == _BR else "\t", run, link))
    return out


def _edit_paragraph(old_p, new_p, revisions: _Revisions) -> None:
    """Rewrite NEW_P's runs with the words (phrases) that differ from OLD_P as deletions and insertions."""
    old, new = _atoms(old_p), _atoms(new_p)
    old_text, new_text = "".join(a[0] for a in old), "".join(a[0] for a in new)
    if old_text == new_text:
        return
    segments = inline_diff(old_text, new_text, _lang_of(old_text + new_text))
    pieces: list[list] = []  # [op, run, link, text], consecutive characters of one run and op merged
    i = j = 0
    for op, text in segments:
        if op == "-":
            source, i = old[i:i + len(text)], i + len(text)
        else:  # kept text is in both: the new runs carry it
            source, j = new[j:j + len(text)], j + len(text)
            i += len(text) if op == "=" else 0
        for ch, run, link in source:
            link = None if op == "-" else link
            if pieces and pieces[-1][0] == op and pieces[-1][1] is run:
                pieces[-1][3] += ch
            else:
                pieces.append([op, run, link, ch])
    for child in [c for c in new_p if c.tag in (_R, _LINK)]:
        new_p.remove(child)
    link_src = link_el = mark = None
    for op, run, link, text in pieces:
        if link is not link_src:
            link_src, mark = link, None
            link_el = OxmlElement("w:hyperlink", dict(link.attrib)) if link is not None else None
            if link_el is not None:
                new_p.append(link_el)
        parent = link_el if link_el is not None else new_p
        made = _clone_run(run, text, deleted=op == "-")
        if op == "=":
            parent.append(made)
            mark = None
            continue
        tag = "w:del" if op == "-" else "w:ins"
        if mark is None or mark.tag != qn(tag) or mark.getparent() is not parent:
            mark = revisions.mark(tag)
            parent.append(mark)
        mark.append(made)


def _clone_run(run, text: str, *, deleted: bool):
    """Return a run with RUN's formatting holding TEXT (newlines as breaks, tabs as tabs)."""
    made = OxmlElement("w:r")
    rpr = run.find(_RPR)
    if rpr is not None:
        made.append(copy.deepcopy(rpr))
    for part in re.split(r"([\n\t])", text):
        if part == "\n":
            made.append(OxmlElement("w:br"))
        elif part == "\t":
            made.append(OxmlElement("w:tab"))
        elif part:
            t = OxmlElement("w:delText" if deleted else "w:t")
            t.set(qn("xml:space"), "preserve")
            t.text = part
            made.append(t)
    return made


def redline_for(content, target, options) -> Redline:
    """Return what marks TARGET built from CONTENT against the edition options.since names.

    The earlier edition is rendered by the same template with the same options, so the two
    documents differ only where the content does (and in what follows from it: numbering, the
    edition line). Its missing translations print as fallbacks rather than stop the build.
    """
    from dataclasses import replace

    from ..content.markup import plain_text
    from ..content.revision import baseline
    from .html import Kit, build_html

    old = baseline(options.since.spec)
    old_options = replace(options, allow_missing=True, since=None)
    audience = target.declaration
    extra = audience.context(old, target, old_options, Kit(old, old_options)) if audience.context else {}
    old_html, _ = build_html(old, target, old_options, **extra)
    info = content.report.info
    publisher = plain_text(info.publisher.get(target.lang) or info.publisher.get(info.source_lang) or "", target.lang)
    author = options.since.author or publisher or "briefgen"
    return Redline(old_html, author, info.edition.date if info.edition else info.date)
