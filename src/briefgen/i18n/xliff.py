"""XLIFF export and import, so translators can work in their CAT tool.

briefgen writes XLIFF 1.2: every common CAT tool (Trados Studio, memoQ, Phrase, OmegaT,
Wordfast, Smartcat, MateCat, Weblate, Poedit) imports and exports it, while XLIFF 2.0
support is still partial or missing in several of them; translate-toolkit's 1.2 support is
also its mature one. One `<file>` per YAML file (`original` = its path in the content
folder), one `<trans-unit>` per field: `id` = the field's place in the file, `resname` = the
full key, the path and line as a location context, glossary terms as notes, and the
fingerprints of the texts at export so that an import can tell an outdated or edited unit.

Import is all or nothing: every unit is checked first, and only when all are valid are the
YAML files rewritten (ruamel.yaml round trip: comments, key order, quoting and layout of
everything else stay byte for byte) and put in place by renaming temporary files.
"""

from __future__ import annotations

import copy
import difflib
import io
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import yaml
from lxml import etree
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, FoldedScalarString, SingleQuotedScalarString
from translate.misc.xml_helpers import parse_xml
from translate.storage.xliff import Xliff1File, Xliff1Unit

from . import inline
from ..content.checks import NOTE_REF
from ..errors import BriefgenError, Problem
from .status import (Field, FieldStatus, content_fields, field_states, fingerprint, read_lock, render_lock,
                   stage, target_langs, write_atomic)
from ..content.source import FORBIDDEN, Content, Loc, describe_char
from ..files import check_output_file, read_regular

XLIFF_NS = inline.XLIFF_NS
SOURCE, TARGET = f"{{{XLIFF_NS}}}source", f"{{{XLIFF_NS}}}target"
ONLY = ("missing", "stale", "all")
SOURCE_FP = "x-briefgen-source-fingerprint"
TARGET_FP = "x-briefgen-target-fingerprint"
# The states a CAT tool sets when a translator accepts a segment; an unchanged stale
# translation in one of these states is confirmed on import, otherwise left stale.
ACCEPTED_STATES = {"translated", "signed-off", "final"}
WRAP = 90  # columns of new folded English paragraphs, as the content files are wrapped
INDENTS = [(2, 4, 2), (2, 2, 0), (4, 4, 2), (4, 6, 4), (4, 4, 0), (2, 4, 0)]  # mapping, sequence, offset


class _Unit(Xliff1Unit):
    namespace = XLIFF_NS


class _Xliff(Xliff1File):
    UnitClass = _Unit
    namespace = XLIFF_NS


def _skeleton(source_lang: str, lang: str) -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<xliff version="1.2" xmlns="{XLIFF_NS}">\n'
            f'<file original="NoName" source-language="{source_lang}" target-language="{lang}" datatype="plaintext">\n'
            f"<body>\n</body>\n</file>\n</xliff>\n").encode()


# -- export -------------------------------------------------------------------------------------


@dataclass
class ExportResult:
    path: Path
    lang: str
    counts: Counter = field(default_factory=Counter)
    """Units written, by the field's state: missing, stale, unconfirmed, current."""

    @property
    def units(self) -> int:
        return sum(self.counts.values())


def export_lang(content: Content, lang: str | None) -> str:
    """Return the language to export: LANG checked, or the first language that is not the source."""
    source_lang = content.report.info.source_lang
    langs = target_langs(content, [lang] if lang else None)
    if not langs or langs[0] == source_lang:
        raise BriefgenError(f"--lang {lang or source_lang}: that is the source language; export a language to translate into")
    return langs[0]


def export_xliff(content: Content, out: Path, lang: str | None = None, only: Iterable[str] = ("missing", "stale"),
                 copy_source: bool = False, changed_since: Content | None = None) -> ExportResult:
    """Write the fields of LANG that ONLY selects (missing, stale, all) to the XLIFF 1.2 file OUT.

    With COPY_SOURCE every target starts as a copy of the source marked `state="new"`, for
    tools that translate the text of `<target>` (OmegaT); the current translation of a stale
    or unconfirmed field then travels as a note. Nothing is written when no field is selected.
    With CHANGED_SINCE (an earlier edition), only the fields whose source text differs from that
    edition's are written, whatever their state, each with the earlier source and the difference as notes.
    """
    only = set(only)
    bad = only - set(ONLY)
    if bad:
        raise BriefgenError(f"--only {sorted(bad)[0]}: choose missing, stale or all")
    lang = export_lang(content, lang)
    wanted = {"missing", "stale", "unconfirmed", "current"} if "all" in only else set()
    wanted |= {"missing"} & only
    wanted |= {"stale", "unconfirmed"} if "stale" in only else set()
    out = Path(out)
    check_output_file(out, "-o", [(content.root, "the content folder")])
    if not out.parent.is_dir():
        raise BriefgenError(f"-o {out}: there is no folder {out.parent}; create it or write elsewhere")
    source_lang = content.report.info.source_lang
    before: dict[str, str] | None = None
    if changed_since is not None:
        before = {_stable_key(s.field): s.field.text.get(source_lang) or "" for s in field_states(changed_since, [lang])}
        chosen = [s for s in field_states(content, [lang]) if before.get(_stable_key(s.field)) != (s.field.text.get(source_lang) or "")]
    else:
        chosen = [s for s in field_states(content, [lang]) if s.state in wanted]
    result = ExportResult(out, lang, Counter(s.state for s in chosen))
    if not chosen:
        return result
    store = _Xliff.parsestring(_skeleton(source_lang, lang))
    for status in chosen:
        store.switchfile(status.field.file, createifmissing=True)
        unit = _make_unit(content, status, source_lang, copy_source)
        if before is not None:
            _note_previous(unit, before.get(_stable_key(status.field)), status.field.text.get(source_lang) or "", source_lang)
        store.addunit(unit)
    buf = io.BytesIO()
    store.serialize(buf)
    try:
        write_atomic(out, buf.getvalue())
    except OSError as exc:
        raise BriefgenError(f"-o {out}: cannot write: {exc.strerror or exc}; nothing was written") from None
    return result


def _stable_key(f) -> tuple:
    """Return where field F stands by recommendation id, not position: renumbering or moving is no change."""
    loc = tuple(f.loc)
    if len(loc) > 1 and loc[0] == "recommendations" and isinstance(loc[1], int):
        recs = f.src.data.get("recommendations") if isinstance(f.src.data, dict) else None
        if isinstance(recs, list) and loc[1] < len(recs) and isinstance(recs[loc[1]], dict):
            return ("recommendation", str(recs[loc[1]].get("id")), *loc[2:])
    return (f.file, *loc)


def _note_previous(unit: _Unit, old: str | None, new: str, source_lang: str) -> None:
    """Note the earlier edition's source and the difference, so a CAT tool shows what changed."""
    from ..content.inline_diff import inline_diff, render_inline

    if old is None:
        unit.addnote(f"New in this edition (no earlier {source_lang} text).", origin="briefgen")
        return
    unit.addnote(f"Previous {source_lang}: {old}", origin="briefgen")
    unit.addnote(f"Changed: {render_inline(inline_diff(old, new, source_lang), context=40)}", origin="briefgen")


def _make_unit(content: Content, status: FieldStatus, source_lang: str, copy_source: bool = False) -> _Unit:
    f, lang = status.field, status.lang
    source = f.text.get(source_lang) or ""
    current = f.text.get(lang) if f.text.has(lang) else None
    unit = _Unit("")
    unit.setid(f.name)
    el = unit.xmlelement
    el.set("resname", f.key)
    source_el = el.find(SOURCE)
    codes = inline.fill(source_el, source)
    if copy_source:
        # "new": untouched, so Weblate, Phrase and memoQ show it as not translated; an import
        # takes a target that is still the source as untranslated whatever its state.
        target = copy.deepcopy(source_el)
        target.tag = TARGET
        target.set("state", "new")
        source_el.addnext(target)
    elif current is not None:
        target = etree.Element(TARGET)
        inline.fill(target, current, codes)
        source_el.addnext(target)
        accepted = status.state == "current"
        target.set("state", "translated" if accepted else "needs-review-translation")
        el.set("approved", "yes" if accepted else "no")
    where = f"{f.file}:{f.line()} {f.name}"
    if status.state == "stale":
        unit.addnote(f"{where} — the {source_lang} text changed since this translation was confirmed: revise it.", origin="briefgen")
    elif status.state == "unconfirmed":
        unit.addnote(f"{where} — this translation was never checked against the {source_lang} text: check it.", origin="briefgen")
    else:
        unit.addnote(where, origin="briefgen")
    if copy_source and current is not None:
        unit.addnote(f"Current {lang}: {current}", origin="briefgen")
    for code in codes:
        if code.kind == "link":  # the tag keeps the address out of the translator's way; say where it points
            unit.addnote(f"Tag {code.id} links to {code.markup}", origin="briefgen")
    for term in content.report.glossary.terms:
        if source_lang == "ja" and lang == "en" and term.ja in source:
            also = f" (also accepted: {', '.join(term.variants)})" if term.variants else ""
            tip = f" — {term.note}" if term.note else ""
            unit.addnote(f"Glossary: {term.ja} → {term.en}{also}{tip}", origin="glossary")
    unit.createcontextgroup("location", [("sourcefile", f.file), ("linenumber", str(f.line()))], "location")
    unit.createcontextgroup("briefgen", [(SOURCE_FP, fingerprint(source)), (TARGET_FP, fingerprint(current or ""))], "information")
    return unit


# -- import -------------------------------------------------------------------------------------


@dataclass
class Edit:
    """A translation to write into a field."""

    field: Field
    lang: str
    value: str


@dataclass
class ImportResult:
    lang: str = ""
    written: list[Edit] = field(default_factory=list)
    """Translations written into the YAML files (and confirmed)."""
    confirmed: int = 0
    """Unchanged translations the translator accepted: confirmed without rewriting."""
    untranslated: int = 0
    """Units with an empty target: left as they are."""
    unchanged: int = 0
    """Units whose target equals the content already (stale ones stay stale unless accepted)."""
    files: list[Path] = field(default_factory=list)
    """Files rewritten, the lock file included."""


def import_xliff(content: Content, xlf: Path) -> ImportResult:
    """Write the translations of the XLIFF file XLF into the content; all or nothing."""
    xlf = Path(xlf)
    problems: list[Problem] = []

    def problem(line: int | None, message: str) -> None:
        problems.append(Problem(str(xlf), line or 0, message))

    store = _read_store(xlf)
    info = content.report.info
    source_lang = info.source_lang
    fields = {f.key: f for f in content_fields(content)}
    known_files = {f.file for f in fields.values()}
    lock = read_lock(content)
    result = ImportResult()

    langs = set()
    for filenode in store.document.getroot().iterchildren(f"{{{XLIFF_NS}}}file"):
        line = filenode.sourceline
        original = filenode.get("original")
        if filenode.get("source-language") != source_lang:
            problem(line, f"source-language is '{filenode.get('source-language')}', but the content's source is '{source_lang}' — export again from briefgen")
        lang = filenode.get("target-language")
        if lang not in info.languages or lang == source_lang:
            problem(line, f"target-language '{lang}' is not a language to translate into {[x for x in info.languages if x != source_lang]} — export again from briefgen")
        langs.add(lang)
        if original not in known_files:
            problem(line, f"file '{original}' has no translatable fields in {content.root} — was this XLIFF exported from another content folder?")
    if len(langs) > 1:
        problem(1, f"mixes target languages {sorted(langs, key=str)} — import one language per file")
    if problems:
        raise BriefgenError(problems)
    lang = result.lang = langs.pop() if langs else ""

    states = {s.field.key: s.state for s in field_states(content, [lang], lock)} if lang else {}
    seen: dict[str, int] = {}
    edits: list[Edit] = []
    accepted: list[Field] = []
    for unit in store.units:
        el = unit.xmlelement
        line = el.sourceline
        filenode = next(el.iterancestors(f"{{{XLIFF_NS}}}file"), None)
        original = filenode.get("original") if filenode is not None else None
        if not el.get("id") or original is None:
            problem(line, "a trans-unit without an id — every unit must keep the id briefgen gave it; export again")
            continue
        key = f"{original}#{el.get('id')}"
        if key in seen:
            problem(line, f"{key}: appears twice (first at line {seen[key]}) — keep one unit per field")
            continue
        seen[key] = line
        f = fields.get(key)
        if f is None:
            problem(line, f"{key}: no such field in the content (moved, renamed, or the id was edited) — export again")
            continue
        try:
            check = _check_unit(unit, f, source_lang, lang)
        except _Refused as exc:
            problem(exc.line or line, f"{key}: {exc}")
            continue
        if check is None:
            result.untranslated += 1
            continue
        current = f.text.get(lang) if f.text.has(lang) else None
        if check != current:
            edits.append(Edit(f, lang, check))
        elif states.get(key) != "current" and _accepted(el):
            accepted.append(f)
        else:
            result.unchanged += 1
    if problems:
        raise BriefgenError(problems)

    staged = _rewrite_files(content, edits, source_lang)
    for f in [e.field for e in edits] + accepted:
        lock.set(f.key, lang, fingerprint(f.text.get(source_lang) or ""))
    lock_text = render_lock(lock, fields)
    if edits or accepted:
        if not lock.path.is_file() or lock.path.read_text(encoding="utf-8") != lock_text:
            staged[lock.path] = lock_text
    _commit(staged)
    result.written = edits
    result.confirmed = len(accepted)
    result.files = list(staged)
    return result


def _read_store(xlf: Path) -> _Xliff:
    """Parse XLF safely, turning every way it can be broken into a located problem."""
    where = str(xlf)
    try:
        data = read_regular(xlf)
    except OSError as exc:
        raise BriefgenError([Problem(where, 0, f"cannot read: {exc.strerror}")]) from None
    try:
        root = parse_xml(data)
    except etree.XMLSyntaxError as exc:
        line = exc.lineno or (exc.position[0] if exc.position else 0)
        raise BriefgenError([Problem(where, line, f"not well-formed XML ({exc.msg}) — the file is damaged; export it again from the CAT tool")]) from None
    qname = etree.QName(root)
    version = root.get("version", "")
    if qname.localname != "xliff":
        raise BriefgenError([Problem(where, root.sourceline, f"not an XLIFF file (the root element is <{qname.localname}>) — import the .xlf file that briefgen exported")])
    if version.startswith("2") or (qname.namespace or "").endswith(":2.0"):
        raise BriefgenError([Problem(where, root.sourceline, "this is XLIFF 2.0; briefgen reads XLIFF 1.2 — save the translation as XLIFF 1.2 (the format briefgen exported)")])
    if qname.namespace != XLIFF_NS:
        raise BriefgenError([Problem(where, root.sourceline, f"not an XLIFF 1.2 file (namespace '{qname.namespace}') — import the .xlf file that briefgen exported")])
    try:
        return _Xliff.parsestring(data)
    except (ValueError, StopIteration, AssertionError) as exc:
        raise BriefgenError([Problem(where, 0, f"not a usable XLIFF 1.2 file ({exc or 'no <file> element'}) — export it again")]) from None


class _Refused(Exception):
    """A unit that cannot be imported; the message says why and what to do, `line` where."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.line = line


def _check_unit(unit: _Unit, f: Field, source_lang: str, lang: str) -> str | None:
    """Return the unit's translation, or None when it has none; raise _Refused when it is invalid."""
    el = unit.xmlelement
    source_el = el.find(SOURCE)
    if source_el is None:
        raise _Refused("the source was removed from the XLIFF — export again")
    current = f.text.get(source_lang) or ""
    expected = etree.Element(SOURCE)
    codes = inline.fill(expected, current)
    recorded = dict(_contexts(el))
    fp = recorded.get(SOURCE_FP)
    if fp is not None and fp != fingerprint(current):
        raise _Refused(f"the {source_lang} text changed in the content since export — export again and translate the new text")
    if inline.flat(source_el) != inline.flat(expected):
        if fp is None:
            raise _Refused(f"the source differs from the {source_lang} text in the content — export again and translate the new text")
        raise _Refused(f"the {source_lang} source was edited in the XLIFF (it no longer matches its fingerprint) — the source must stay as exported; export again")
    target_el = el.find(TARGET)
    if target_el is None:
        return None
    for child in target_el.iter():
        if not isinstance(child.tag, str):  # an entity reference, comment or processing instruction
            raise _Refused(f"the translation contains XML that is not text ({etree.tostring(child, encoding='unicode', with_tail=False)}) — remove it and use plain text", child.sourceline)
    if not inline.flat(target_el) or inline.flat(target_el) == inline.flat(source_el):
        # Empty, or still the copy of the source that an export with --copy-source writes and
        # OmegaT writes back for a segment nobody translated: untranslated whatever its state
        # (OmegaT keeps the state="new" of a target it translated, so the state cannot tell).
        return None
    rest = inline.leftover(source_el, target_el)
    if rest is not None:
        shown = rest if len(rest) <= 40 else rest[:39] + "…"
        raise _Refused(f"part of the translation is still the {source_lang} text (“{shown}”) — translate it,"
                       " or empty the segment to leave it untranslated", target_el.sourceline)
    try:
        target = inline.markdown(target_el, codes)
    except inline.InlineError as exc:
        raise _Refused(str(exc), exc.line) from None
    if not target:
        return None
    if any(ord(c) < 32 and c not in "\t\n" for c in target):
        raise _Refused("the translation contains control characters — remove them")
    bad = FORBIDDEN.search(target)
    if bad:  # the content reader would refuse it, and the import could never be read back
        raise _Refused(f"the translation contains the character {describe_char(bad.group())} — remove it")
    before = recorded.get(TARGET_FP)
    now = f.text.get(lang) if f.text.has(lang) else ""
    if before is not None and before != fingerprint(now or "") and target != now:
        raise _Refused(f"the {lang} text in the content was edited since export — merge the two by hand, or export again")
    want, got = Counter(NOTE_REF.findall(current)), Counter(NOTE_REF.findall(target))
    if want != got:
        raise _Refused(f"the translation must keep the source's footnote markers ({_refs(want)}); it has ({_refs(got)})"
                       " — put each [^id] where it belongs")
    return target


def _refs(refs: Counter) -> str:
    return ", ".join(f"[^{r}]" for r in sorted(refs.elements())) or "none"


def _contexts(el) -> list[tuple[str, str]]:
    pairs = []
    for ctx in el.iter(f"{{{XLIFF_NS}}}context"):
        pairs.append((ctx.get("context-type") or "", "".join(ctx.itertext()).strip()))
    return pairs


def _accepted(el) -> bool:
    target = el.find(f"{{{XLIFF_NS}}}target")
    return el.get("approved") == "yes" or (target is not None and target.get("state") in ACCEPTED_STATES)


def _commit(staged: dict[Path, str]) -> None:
    """Write every file of STAGED, or none: stage them all first, then rename each into place."""
    temps: dict[Path, Path] = {}
    try:
        for path, text in staged.items():
            temps[path] = stage(path, text)
    except BaseException as exc:
        for tmp in temps.values():
            tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError):  # a full disk, a read-only folder: say so; no file was changed
            raise BriefgenError([Problem(str(path), 0, f"cannot write: {exc.strerror or exc}; nothing was imported, no file changed")]) from None
        raise
    for path, tmp in temps.items():
        os.replace(tmp, path)


# -- writing values back into YAML --------------------------------------------------------------


def _rewrite_files(content: Content, edits: list[Edit], source_lang: str) -> dict[Path, str]:
    """Return {path: new text} for the files EDITS touch; raise BriefgenError when one cannot be."""
    by_file: dict[Path, list[Edit]] = {}
    for edit in edits:
        by_file.setdefault(edit.field.src.path, []).append(edit)
    out, problems = {}, []
    for path, file_edits in by_file.items():
        try:
            text = read_regular(path).decode("utf-8")
            # Keep the file's line endings: rewrite with \n, then give back the \r\n it had.
            crlf = text.count("\r\n") == text.count("\n") > 0
            new = rewrite_yaml(text.replace("\r\n", "\n"), [(e.field.loc, e.lang, e.value) for e in file_edits], source_lang)
            out[path] = new.replace("\n", "\r\n") if crlf else new
        except _LayoutError as exc:
            problems.append(Problem(str(path), exc.line, f"{exc} — enter these translations by hand, and please report this to the briefgen maintainers"))
    if problems:
        raise BriefgenError(problems)
    return out


class _LayoutError(Exception):
    def __init__(self, message: str, line: int = 0):
        super().__init__(message)
        self.line = line


def _yaml(indent: tuple[int, int, int]) -> YAML:
    y = YAML(typ="rt")
    y.preserve_quotes = True
    y.width = 1_000_000  # never rewrap a line: long Japanese paragraphs stay on one line
    y.indent(mapping=indent[0], sequence=indent[1], offset=indent[2])
    return y


def _dump(y: YAML, data: Any) -> str:
    buf = io.StringIO()
    y.dump(data, buf)
    return buf.getvalue()


def rewrite_yaml(text: str, edits: list[tuple[Loc, str, str]], source_lang: str) -> str:
    """Return TEXT with each (loc, lang, value) of EDITS set; every other byte stays as it was.

    ruamel.yaml round-trips the file; the file's indentation is found by trying the common
    styles until a plain round trip reproduces the text exactly. The result is checked twice:
    it must parse to the old data with only the edited values changed, and it may differ from
    the old text only on the lines of the edited fields.
    """
    for indent in INDENTS:
        y = _yaml(indent)
        data = y.load(text)
        if _dump(y, data) == text:
            break
    else:
        raise _LayoutError("briefgen cannot rewrite this file without changing its layout (unusual indentation)")
    # ruamel.yaml writes YAML 1.2; briefgen reads with PyYAML (YAML 1.1), which refuses a few
    # plain scalars 1.2 allows (`{en: 0?}`). When a try does not read back exactly, the next
    # quotes the new values that are not folded paragraphs, and the last quotes them all.
    for style in ("auto", "quote", "quote-all"):
        if style != "auto":
            data = y.load(text)
        for loc, lang, value in edits:
            node = data
            for part in loc:
                node = node[part]
            if not isinstance(node, CommentedMap):
                raise _LayoutError(f"{'.'.join(map(str, loc))} is not a {{{source_lang}: ..., {lang}: ...}} pair")
            _set_value(node, lang, value, source_lang, indent[0], style)
        new_text = _dump(y, data)
        try:
            _verify(text, new_text, edits)
        except _LayoutError:
            if style == "quote-all":
                raise
            continue
        return new_text
    raise AssertionError("unreachable")


def _set_value(node: CommentedMap, lang: str, value: str, source_lang: str, map_indent: int, style: str) -> None:
    """Set NODE[LANG] in the style of the file: long paragraphs folded like their neighbours."""
    styled: str = value if style == "auto" else DoubleQuotedScalarString(value)
    simple = value == value.strip() and "\n" not in value and "  " not in value and "\t" not in value
    if not node.fa.flow_style() and simple and style != "quote-all":
        anchor = lang if lang in node else source_lang if source_lang in node else next(iter(node), None)
        key_col = node.lc.key(anchor)[1] if anchor is not None else 0
        old = node.get(lang)
        too_long = key_col + len(lang) + 2 + len(value) > WRAP
        if isinstance(old, FoldedScalarString) or too_long:
            styled = _folded(value, WRAP - key_col - map_indent)
        elif isinstance(old, (SingleQuotedScalarString, DoubleQuotedScalarString)) and style == "auto":
            styled = type(old)(value)
    if lang in node:
        node[lang] = styled
    else:
        keys = list(node)
        node.insert(keys.index(source_lang) + 1 if source_lang in keys else len(keys), lang, styled)


def _folded(value: str, width: int) -> FoldedScalarString:
    """Return VALUE as a `>-` block, folded at spaces so no line passes WIDTH where avoidable."""
    folded = FoldedScalarString(value)
    folds, start, line_len = [], 0, 0
    for i, word in enumerate(value.split(" ")):
        if i and line_len + 1 + len(word) > width:
            folds.append(start - 1)  # the space before this word becomes the line break
            line_len = len(word)
        else:
            line_len += (1 if i else 0) + len(word)
        start += len(word) + 1
    folded.fold_pos = folds
    return folded


def _verify(old_text: str, new_text: str, edits: list[tuple[Loc, str, str]]) -> None:
    """Check that NEW_TEXT changes exactly the edited values and only their lines."""
    expected = yaml.load(old_text, Loader=_Loader)
    for loc, lang, value in edits:
        node = expected
        for part in loc:
            node = node[part]
        node[lang] = value
    try:
        written = yaml.load(new_text, Loader=_Loader)
    except yaml.YAMLError:
        raise _LayoutError("the translations would not read back as written") from None
    if written != expected:
        raise _LayoutError("writing the translations would change other values")
    allowed = _edited_lines(old_text, [loc for loc, _, _ in edits])
    old_lines, new_lines = old_text.splitlines(), new_text.splitlines()
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for tag, i1, i2, _, _ in matcher.get_opcodes():
        if tag == "equal":
            continue
        touched = range(i1, i2) if i2 > i1 else [i1 - 1]
        outside = [i for i in touched if i not in allowed]
        if outside:
            raise _LayoutError("writing the translations would change other lines", outside[0] + 1)


_Loader = yaml.SafeLoader  # what load.py reads with: the check must agree with it


def _edited_lines(text: str, locs: list[Loc]) -> set[int]:
    """Return the 0-based lines of the fields at LOCS, with the comments and blank lines after them."""
    root = yaml.compose(text, Loader=_Loader)
    lines = text.splitlines()
    allowed: set[int] = set()
    for loc in locs:
        node = root
        for part in loc:
            if isinstance(node, yaml.MappingNode):
                node = next(v for k, v in node.value if k.value == part)
            else:
                node = node.value[part]
        first, last = node.start_mark.line, node.end_mark.line
        if node.end_mark.column == 0:
            last -= 1
        while last + 1 < len(lines) and lines[last + 1].strip()[:1] in ("", "#"):
            last += 1
        allowed.update(range(first, last + 1))
    return allowed
