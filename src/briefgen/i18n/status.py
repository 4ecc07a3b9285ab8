"""Translation status: which translations are missing or stale, confirming them, glossary terms.

A translation is *current* when its source-language text is unchanged since someone last
confirmed it. Confirming records a fingerprint of the source text in the content folder's
`.i18n-lock.yaml`, one line per field, so that later edits to the source show as stale.

A field is named by its file (relative to the content folder) and its place in the file:
`themes/04-energy.yaml#recommendations[0].summary`. The name holds as long as the structure
does not move; reordering recommendations changes which text a name points at, so their
fingerprints no longer match and the translations show as stale (the safe direction).
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Literal

from ..content.checks import walk_texts
from ..errors import BriefgenError, Problem
from ..files import atomic_write
from ..files import stage as stage_file
from ..content.source import Content, Loc, SourceFile, field_path, read_yaml
from ..content.model import Text

LOCK_NAME = ".i18n-lock.yaml"
FINGERPRINT_LENGTH = 16
FINGERPRINT = re.compile(rf"^[0-9a-f]{{{FINGERPRINT_LENGTH}}}$")
LOCK_HEADER = """\
# Fingerprints of confirmed translations, written by `briefgen i18n confirm` and
# `briefgen i18n import`; do not edit by hand. Each field maps a language to the first
# 16 hex digits of the sha256 of its source-language text when that translation was
# last confirmed. If the source text changes, the translation shows as stale.
"""

State = Literal["current", "missing", "stale", "unconfirmed"]


def fingerprint(text: str) -> str:
    """Return the fingerprint of a source text: the first 16 hex digits of its sha256 (of its NFC form).

    NFC, so a file re-saved by an editor that decomposes characters (NFD) is not seen as edited.
    """
    return hashlib.sha256(unicodedata.normalize("NFC", text).encode("utf-8")).hexdigest()[:FINGERPRINT_LENGTH]



@dataclass(frozen=True, eq=False)
class Field:
    """One translatable text of the content (a `{ja: ..., en: ...}` value) and where it stands."""

    key: str
    """`themes/04-energy.yaml#recommendations[0].summary`."""
    src: SourceFile
    loc: Loc
    text: Text

    @property
    def file(self) -> str:
        """The file, relative to the content folder."""
        return self.key.split("#", 1)[0]

    @property
    def name(self) -> str:
        """The field's place in its file."""
        return self.key.split("#", 1)[1]

    def line(self, lang: str | None = None) -> int:
        """Return the line of the field, or of its LANG value when the file has one."""
        return self.src.line(self.loc + (lang,)) if lang else self.src.line(self.loc)


def content_fields(content: Content) -> list[Field]:
    """Return every translatable text of CONTENT, file by file in document order."""
    sources = [(content.report_file, content.report.info)]
    sources += list(zip(content.theme_files, content.report.themes))
    fields = []
    for src, obj in sources:
        rel = relative_name(content.root, src.path)
        for loc, text in walk_texts(obj):
            if not text.universal:
                fields.append(Field(f"{rel}#{field_path(loc)}", src, loc, text))
    return fields


def relative_name(root: Path, path: Path) -> str:
    """Return PATH relative to the content folder ROOT, with forward slashes."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.resolve().relative_to(root.resolve()).as_posix()


# -- the lock file ------------------------------------------------------------------------------


@dataclass
class Lock:
    """The fingerprints of confirmed translations: key -> {lang: fingerprint}."""

    path: Path
    source_lang: str
    entries: dict[str, dict[str, str]] = field(default_factory=dict)
    exists: bool = False

    def get(self, key: str, lang: str) -> str | None:
        return self.entries.get(key, {}).get(lang)

    def set(self, key: str, lang: str, value: str) -> None:
        self.entries.setdefault(key, {})[lang] = value


def lock_path(root: Path) -> Path:
    return Path(root) / LOCK_NAME


def read_lock(content: Content) -> Lock:
    """Read the content folder's lock file; an absent file is an empty lock."""
    source_lang = content.report.info.source_lang
    path = lock_path(content.root)
    lock = Lock(path, source_lang)
    if not path.is_file():
        return lock
    problems: list[Problem] = []
    src = read_yaml(path, problems)
    if src is not None:
        _parse_lock(src, lock, problems)
    if problems:
        raise BriefgenError(problems)
    lock.exists = True
    return lock


def _parse_lock(src: SourceFile, lock: Lock, problems: list[Problem]) -> None:
    fix = "restore the file from version control, or delete it and confirm the translations again"

    def bad(loc: Loc, what: str) -> None:
        problems.append(Problem(str(src.path), src.line(loc), f"{what} — {fix}"))

    data = src.data
    if not isinstance(data, dict) or not isinstance(data.get("fields", {}), dict):
        bad((), "not a briefgen lock file (expected source_lang: and fields:)")
        return
    for key in data:
        if key not in ("source_lang", "fields"):
            bad((key,), f"unknown entry '{key}'")
    if data.get("source_lang", lock.source_lang) != lock.source_lang:
        # Fingerprints of another language's text can never match: drop them, so every
        # translation reads as unconfirmed until someone checks it against the new source.
        return
    for key, langs in (data.get("fields") or {}).items():
        if not isinstance(key, str) or "#" not in key or not isinstance(langs, dict):
            bad(("fields", key), f"'{key}' is not a field with language fingerprints")
            continue
        for lang, value in langs.items():
            if not isinstance(value, str) or not FINGERPRINT.match(value):
                bad(("fields", key, lang), f"{key}: '{value}' is not a fingerprint")
                continue
            lock.set(key, str(lang), value)


def render_lock(lock: Lock, keys: Iterable[str] | None = None) -> str:
    """Return the lock file's text: one line per field, in a stable order, so diffs stay calm."""
    keep = set(keys) if keys is not None else None
    lines = [LOCK_HEADER, f"source_lang: {lock.source_lang}\n"]
    entries = {k: v for k, v in lock.entries.items() if v and (keep is None or k in keep)}
    if not entries:
        lines.append("fields: {}\n")
        return "".join(lines)
    lines.append("fields:\n")
    for key in sorted(entries, key=natural_key):
        langs = ", ".join(f'{lang}: "{fp}"' for lang, fp in sorted(entries[key].items()))
        lines.append(f"  {json.dumps(key, ensure_ascii=False)}: {{{langs}}}\n")
    return "".join(lines)


def natural_key(key: str) -> list:
    """Sort `recommendations[2]` before `recommendations[10]`."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", key)]


def write_lock(lock: Lock, keys: Iterable[str]) -> bool:
    """Write LOCK keeping only the fields in KEYS; return whether the file changed."""
    text = render_lock(lock, keys)
    if lock.path.is_file() and lock.path.read_text(encoding="utf-8") == text:
        return False
    write_atomic(lock.path, text)
    return True


def write_atomic(path: Path, text: str | bytes) -> None:
    """Replace the content file PATH by TEXT in one step, keeping its permissions, synced to disk."""
    atomic_write(path, text.encode("utf-8") if isinstance(text, str) else text, durable=True)


def stage(path: Path, text: str | bytes) -> Path:
    """Write TEXT durably beside the content file PATH (same permissions); return the temporary file's name."""
    return stage_file(path, text.encode("utf-8") if isinstance(text, str) else text, durable=True)


# -- status -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldStatus:
    """The state of one field's translation into one language."""

    field: Field
    lang: str
    state: State

    def problem(self, source_lang: str, severity: str = "error") -> Problem:
        """Return a located one-line description with what to do about it."""
        f, lang = self.field, self.lang
        confirm = f"briefgen i18n confirm '{f.key}'"
        if self.state == "missing":
            message = f"missing {lang}: {f.name} — add its {lang}: text (or export it for a CAT tool)"
            return Problem(str(f.src.path), f.line(), message, severity)
        if self.state == "stale":
            message = (f"stale {lang}: {f.name} — the {source_lang} text changed since the translation was"
                       f" confirmed; update the {lang} text, then run {confirm}")
        else:
            message = (f"unconfirmed {lang}: {f.name} — check the {lang} text against the {source_lang},"
                       f" then run {confirm}")
        return Problem(str(f.src.path), f.line(lang), message, severity)


def target_langs(content: Content, langs: Iterable[str] | None = None) -> list[str]:
    """Return LANGS checked against the report's languages; by default every non-source one."""
    info = content.report.info
    if not langs:
        return [lang for lang in info.languages if lang != info.source_lang]
    langs = list(dict.fromkeys(langs))
    unknown = [lang for lang in langs if lang not in info.languages]
    if unknown:
        raise BriefgenError(f"--lang {unknown[0]}: not one of the report's languages {info.languages}; choose one of them")
    return langs


def field_states(content: Content, langs: Iterable[str] | None = None, lock: Lock | None = None) -> list[FieldStatus]:
    """Return the state of every translatable field in each of LANGS, file by file."""
    source_lang = content.report.info.source_lang
    langs = target_langs(content, langs)
    lock = lock or read_lock(content)
    states = []
    for f in content_fields(content):
        source = f.text.get(source_lang) or ""
        if not source.strip():
            continue  # nothing to translate from; `briefgen check` reports the missing source
        for lang in langs:
            states.append(FieldStatus(f, lang, _state(f, lang, source, source_lang, lock)))
    return states


def _state(f: Field, lang: str, source: str, source_lang: str, lock: Lock) -> State:
    if not (f.text.in_lang(lang, source_lang) or "").strip():
        return "missing"
    if lang == source_lang:
        return "current"
    confirmed = lock.get(f.key, lang)
    if confirmed is None:
        return "unconfirmed"
    return "current" if confirmed == fingerprint(source) else "stale"


@dataclass
class Coverage:
    """Counts for one file (or all) in one language."""

    fields: int = 0
    missing: int = 0
    stale: int = 0
    unconfirmed: int = 0

    @property
    def current(self) -> int:
        return self.fields - self.missing - self.stale - self.unconfirmed

    @property
    def percent(self) -> float:
        """Share of fields whose translation is present and confirmed against today's source."""
        return 100.0 * self.current / self.fields if self.fields else 100.0

    def add(self, state: State) -> None:
        self.fields += 1
        if state != "current":
            setattr(self, state, getattr(self, state) + 1)


def coverage(states: list[FieldStatus]) -> dict[str, dict[str, Coverage]]:
    """Return {lang: {file: Coverage}} in file order, with the total under the key ''."""
    table: dict[str, dict[str, Coverage]] = {}
    for s in states:
        per_file = table.setdefault(s.lang, {"": Coverage()})
        per_file.setdefault(s.field.file, Coverage()).add(s.state)
        per_file[""].add(s.state)
    return table


def stale_fields(content: Content, lang: str) -> list[Problem]:
    """Return a warning for each LANG translation whose source changed since it was confirmed.

    Once a content folder has a lock file, a translation that was never confirmed counts too:
    nobody has checked it against today's source. Without a lock file nothing is stale.
    """
    info = content.report.info
    if lang == info.source_lang or lang not in info.languages:
        return []
    lock = read_lock(content)
    if not lock.exists:
        return []
    return [s.problem(info.source_lang, "warning") for s in field_states(content, [lang], lock)
            if s.state in ("stale", "unconfirmed")]


# -- confirm ------------------------------------------------------------------------------------


@dataclass
class ConfirmResult:
    confirmed: int = 0
    """Translations whose fingerprint was recorded or renewed."""
    unchanged: int = 0
    """Translations that were current already."""
    missing: int = 0
    """Fields without a translation, which cannot be confirmed."""
    wrote: bool = False


def select_fields(content: Content, fields: list[Field], targets: list[str]) -> list[Field]:
    """Return the fields that TARGETS name: files, folders or field keys (`file#field`)."""
    chosen: dict[str, Field] = {}
    problems = []
    for target in targets:
        prefix = _target_prefix(content.root, target)
        hits = [f for f in fields if prefix is not None and _matches(f.key, prefix)]
        if not hits:
            problems.append(Problem(target, 0, "matches no translatable field; give a content file, a folder, or a key as listed by briefgen i18n status"))
        chosen.update((f.key, f) for f in hits)
    if problems:
        raise BriefgenError(problems)
    return [f for f in fields if f.key in chosen]


def _target_prefix(root: Path, target: str) -> str | None:
    path_part, sep, name = target.partition("#")
    path_part = path_part.rstrip("/")
    rel = None
    for candidate in (Path(path_part), root / path_part):
        if candidate.exists():
            try:
                rel = relative_name(root, candidate) if candidate.resolve() != root.resolve() else ""
            except ValueError:
                return None  # outside the content folder
            break
    if rel is None:
        rel = path_part  # a key as printed: already relative to the content folder
    return f"{rel}#{name}" if sep else rel


def _matches(key: str, prefix: str) -> bool:
    if prefix == "" or key == prefix:
        return True
    if "#" in prefix:
        return key.startswith(prefix) and key[len(prefix)] in ".["
    return key.startswith(prefix.rstrip("/") + "/") or key.startswith(prefix + "#")


def confirm(content: Content, targets: list[str] | None, langs: Iterable[str] | None = None) -> ConfirmResult:
    """Record that the translations of TARGETS (every field when None) match today's source."""
    source_lang = content.report.info.source_lang
    langs = target_langs(content, langs)
    fields = content_fields(content)
    chosen = fields if targets is None else select_fields(content, fields, targets)
    lock = read_lock(content)
    result = ConfirmResult()
    for f in chosen:
        source = f.text.get(source_lang) or ""
        if not source.strip():
            continue
        for lang in langs:
            if lang == source_lang:
                continue
            if not f.text.has(lang):
                result.missing += 1
            elif lock.get(f.key, lang) == fingerprint(source):
                result.unchanged += 1
            else:
                lock.set(f.key, lang, fingerprint(source))
                result.confirmed += 1
    # Entries of fields that no longer exist are dropped: their names could only mislead.
    result.wrote = write_lock(lock, (f.key for f in fields))
    return result


# -- glossary terms -----------------------------------------------------------------------------


def check_terms(content: Content, lang: str = "en") -> list[Problem]:
    """Return a problem for each field whose source uses a glossary term but whose LANG text lacks it.

    The glossary gives Japanese terms and their preferred English, so only a Japanese source and
    its English translation are checked. A rendering matches at the start of a word (so "supply
    chain" accepts "supply chains"), ignoring case and line breaks.
    """
    info = content.report.info
    terms = content.report.glossary.terms
    if info.source_lang != "ja" or lang != "en" or lang not in info.languages or not terms:
        return []
    nfc = functools.partial(unicodedata.normalize, "NFC")  # the same text typed or pasted two ways matches
    patterns = [(term, nfc(term.ja), [_term_pattern(nfc(r)) for r in (term.en, *term.variants)]) for term in terms]
    problems = []
    for f in content_fields(content):
        source, target = f.text.get(info.source_lang), f.text.get(lang)
        if not source or not target or not target.strip():
            continue
        source, target = nfc(source), nfc(target)
        for term, ja, renderings in patterns:
            if ja in source and not any(p.search(target) for p in renderings):
                problems.append(Problem(
                    str(f.src.path), f.line(lang),
                    f'{term.ja} → expected "{term.en}" in {f.name} — use it, or add the wording used here'
                    f" to the term's variants in glossary.yaml",
                ))
    return problems


def _term_pattern(rendering: str) -> re.Pattern:
    """Match RENDERING at the start of a word, ignoring case and how white space runs."""
    return re.compile(r"(?<!\w)" + r"\s+".join(map(re.escape, rendering.split())), re.IGNORECASE)
