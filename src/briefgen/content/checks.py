"""Cross-file checks that a schema cannot express: references, numbering, translations."""

from __future__ import annotations

import re
import unicodedata
from typing import Any, Iterator

from pydantic import BaseModel

from ..errors import Problem
from .model import Recommendation, Text, quotes_of
from .source import Content, Loc, SourceFile, field_path

NOTE_REF = re.compile(r"\[\^([^\]\s]+)\]")
SIC = re.compile(r"\[sic\]")
"""Marks a source typo kept as printed; rendered ［ママ］ in Japanese text, [sic] in English."""
_EMPHASIS = re.compile(r"\*+")
_SPACE = re.compile(r"\s+")
# Numbers as a distillation states them (85%, 5,500億, 2026, 1.5): each must be one the text states.
_NUMBER = re.compile(r"\d[\d,.]*\d|\d")


def walk_texts(obj: Any, loc: Loc = ()) -> Iterator[tuple[Loc, Text]]:
    """Yield every Text in OBJ with its location, in document order."""
    if isinstance(obj, Text):
        yield loc, obj
    elif isinstance(obj, BaseModel):
        for name in type(obj).model_fields:
            value = getattr(obj, name)
            if value is not None:
                yield from walk_texts(value, loc + (name,))
    elif isinstance(obj, list):
        for i, item in enumerate(obj):
            yield from walk_texts(item, loc + (i,))
    elif isinstance(obj, dict):  # e.g. role_headings: {staff: {en: ..., ja: ...}}
        for key, item in obj.items():
            yield from walk_texts(item, loc + (key,))


def check_report(content: Content, complete: bool = True) -> tuple[list[Problem], list[Problem]]:
    """Return (errors, warnings) found across the content folder.

    COMPLETE is False when some theme files failed their schema and are left out: checks that
    need every recommendation (numbering, key takeaways' sources) are skipped, not misreported.
    """
    errors: list[Problem] = []
    warnings: list[Problem] = []
    report = content.report
    info = report.info

    def err(src: SourceFile, loc: Loc, message: str) -> None:
        errors.append(Problem(str(src.path), src.line(loc), message))

    def warn(src: SourceFile, loc: Loc, message: str) -> None:
        warnings.append(Problem(str(src.path), src.line(loc), message, "warning"))

    rsrc = content.report_file
    if info.source_lang not in info.languages:
        err(rsrc, ("source_lang",), f"source_lang '{info.source_lang}' is not in languages {info.languages}; add it")
    if info.edition and info.edition.date < info.date:
        err(rsrc, ("edition", "date"), f"edition.date {info.edition.date} is before the report's date {info.date}; an edition cannot predate the report")
    people = {}
    for i, person in enumerate(info.people):
        if person.id in people:
            err(rsrc, ("people", i, "id"), f"duplicate person id '{person.id}'; ids must be unique")
        people[person.id] = person
    for i, org in enumerate(info.organizations):
        if org.id in people:
            err(rsrc, ("organizations", i, "id"), f"duplicate id '{org.id}'; people and organizations need ids of their own")
        people[org.id] = org

    def check_authors(src: SourceFile, loc: Loc, authors: list[str]) -> None:
        for j, pid in enumerate(authors):
            if pid not in people:
                err(src, loc + (j,), f"unknown author id '{pid}'; use an id from people or organizations in report.yaml")

    if info.introduction:
        check_authors(rsrc, ("introduction", "authors"), info.introduction.authors)
    if info.foreword and info.foreword.signed and info.foreword.signed not in people:
        err(rsrc, ("foreword", "signed"), f"unknown person id '{info.foreword.signed}'; use one of the people ids in report.yaml")
    if info.contact and info.contact.person and info.contact.person not in people:
        err(rsrc, ("contact", "person"), f"unknown person id '{info.contact.person}'; use one of the people ids in report.yaml")

    theme_ids: dict[str, int] = {}
    theme_numbers: dict[int, int] = {}
    rec_ids: dict[str, str] = {}
    rec_numbers: list[tuple[int, SourceFile, Loc]] = []
    for theme, src in zip(report.themes, content.theme_files):
        if theme.id in theme_ids:
            err(src, ("id",), f"duplicate theme id '{theme.id}'; each theme file needs its own id")
        theme_ids[theme.id] = theme.number
        if theme.number in theme_numbers:
            err(src, ("number",), f"duplicate theme number {theme.number}; number the themes 1, 2, 3, ...")
        theme_numbers[theme.number] = 1
        if theme.intro:
            check_authors(src, ("intro", "authors"), theme.intro.authors)
        for i, ch in enumerate(theme.challenges):
            check_authors(src, ("challenges", i, "authors"), ch.authors)
        for i, rec in enumerate(theme.recommendations):
            loc = ("recommendations", i)
            check_authors(src, loc + ("authors",), rec.authors)
            if rec.id in rec_ids:
                err(src, loc + ("id",), f"duplicate recommendation id '{rec.id}' (also in {rec_ids[rec.id]}); make it unique")
            rec_ids[rec.id] = src.path.name
            rec_numbers.append((rec.number, src, loc + ("number",)))
        _check_notes(theme, src, err)
        for i, rec in enumerate(theme.recommendations):
            _check_provenance(rec, info.source_lang, src, ("recommendations", i), err, warn)

    bodies = {rec.number: rec.body for _, rec in report.recommendations()}
    for i, item in enumerate(info.key_takeaways):
        loc = ("key_takeaways", i)
        for j, number in enumerate(item.based_on):
            if number not in bodies and complete:
                err(rsrc, loc + ("based_on", j), f"key_takeaways[{i}].based_on: there is no recommendation {number}; name the recommendations this takeaway distills")
        cited = [p for n in item.based_on for p in bodies.get(n, [])]
        if cited:
            _check_numbers(item.text, cited, info.source_lang, rsrc, loc + ("text",), f"key_takeaways[{i}]", "the bodies of the recommendations it is based on", warn)

    _check_priorities(content, err)

    seen: set[int] = set()
    for number, src, loc in rec_numbers:
        if number in seen:
            err(src, loc, f"duplicate recommendation number {number}; numbers run 1-{len(rec_numbers)} once each")
        seen.add(number)
    # Gaps are looked for in 1-N (N numbers), not up to the largest number: one typo of
    # 1000000000000 must not make a trillion-element set.
    for missing in sorted(set(range(1, len(seen) + 1)) - seen) if complete else []:
        number, src, loc = min((r for r in rec_numbers if r[0] > missing), key=lambda r: r[0])
        err(src, loc, f"recommendation number {missing} is missing (numbers jump to {number}); number them 1-{len(seen)} without gaps")
    order = [n for n, _, _ in rec_numbers]
    if complete and not errors and order != sorted(order):
        number, src, loc = next(r for r, s in zip(rec_numbers, sorted(order)) if r[0] != s)
        err(src, loc, f"recommendation {number} is out of order; follow the report's numbering across theme files")

    files = [(rsrc, info), *zip(content.theme_files, report.themes)]
    for src, obj in files:
        for loc, text in walk_texts(obj):
            if text.universal:
                continue
            for lang in info.languages:
                if (text.in_lang(lang, info.source_lang) or "").strip():
                    continue
                if isinstance(text.root, str):
                    # Prose in a plain string is the source language's; never print it as another's.
                    warnings.append(Problem(str(src.path), src.line(loc), f"missing translation: {field_path(loc)} is a plain string, which counts as {info.source_lang} text; write it as {info.source_lang}: and add its {lang}: line", "warning"))
                else:
                    warnings.append(Problem(str(src.path), src.line(loc), f"missing translation: {field_path(loc)} has no '{lang}' text; add its {lang}: line", "warning"))
            for lang in text.root if isinstance(text.root, dict) else ():
                if lang not in info.languages:
                    errors.append(Problem(str(src.path), src.line(loc + (lang,)), f"{field_path(loc)}: language '{lang}' is not in report.yaml's languages {info.languages}"))
    return errors, warnings


def normalise_quote(text: str) -> str:
    """Return TEXT as quotes are compared: NFC, no whitespace, footnote markers, [sic] or emphasis."""
    text = unicodedata.normalize("NFC", text)
    text = SIC.sub("", NOTE_REF.sub("", text))
    return _SPACE.sub("", _EMPHASIS.sub("", text))


def _body_text(rec: Recommendation, lang: str) -> str:
    return "\n".join(normalise_quote(p.get(lang) or "") for p in rec.body)


def _check_provenance(rec: Recommendation, lang: str, src: SourceFile, loc: Loc, err, warn) -> None:
    """Check that asks and figures cite their recommendation's body, and distillations stay within it.

    A quote or figure that is not in the body is an error (it claims the authors said it); a
    number in a summary or key point that the body lacks is a warning (a distillation may
    count or round, so a person decides)."""
    body = _body_text(rec, lang)
    where = f"recommendation {rec.number}'s body"

    def check_quote(quote_loc: Loc, quote) -> list[str]:
        quotes = quotes_of(quote)
        for k, q in enumerate(quotes):
            qloc = quote_loc + ((k,) if not isinstance(quote, str) else ())
            if not normalise_quote(q):
                err(src, qloc, f"{field_path(qloc)}: the quote is empty; copy the words of {where} that support it")
            elif normalise_quote(q) not in body:
                err(src, qloc, f"{field_path(qloc)}: not found in {where} ({lang}); copy the words exactly as the body has them")
        return quotes

    for kind in ("congress", "ministries"):
        for j, ask in enumerate(getattr(rec.asks, kind)):
            aloc = loc + ("asks", kind, j)
            quotes = check_quote(aloc + ("quote",), ask.quote)
            if ask.basis == "authors" and not quotes:
                err(src, aloc + ("basis",), f"{field_path(aloc)}: an ask with basis: authors needs a quote: the words of {where} ({lang}) that ask for it; or set basis: editor")
            if ask.priority is not None and (kind != "congress" or ask.basis != "authors"):
                what = "the authors' asks of Congress" if kind == "congress" else "asks of Congress (the short brief's Issues for Congress)"
                err(src, aloc + ("priority",), f"{field_path(aloc)}.priority: only {what} can have a priority; remove it")
    for j, fig in enumerate(rec.figures):
        floc = loc + ("figures", j)
        quotes = check_quote(floc + ("quote",), fig.quote)
        if not quotes:
            err(src, floc, f"{field_path(floc)}: a figure needs a quote: the sentence of {where} ({lang}) that states it")
        value = normalise_quote(fig.value.get(lang) or "")
        if value and value not in body:
            err(src, floc + ("value",), f"{field_path(floc)}.value: '{fig.value.get(lang)}' does not occur in {where} ({lang}); write the value as the body prints it")
        elif value and quotes and not any(value in normalise_quote(q) for q in quotes):
            err(src, floc + ("quote",), f"{field_path(floc)}.quote: does not contain the value '{fig.value.get(lang)}'; quote the sentence that states it")
    for field in ("summary", "key_points"):
        value = getattr(rec, field)
        for j, text in enumerate(value if isinstance(value, list) else [value]):
            tloc = loc + ((field, j) if isinstance(value, list) else (field,))
            _check_numbers(text, rec.body, lang, src, tloc, field_path(tloc), where, warn)


def _check_priorities(content: Content, err) -> None:
    """Check that the short brief's ranks are each used once: asks 1-N, key figures 1-N."""
    for kind, items in (("ask", lambda rec: [("asks", "congress", j, a) for j, a in enumerate(rec.asks.congress)]),
                        ("figure", lambda rec: [("figures", j, f) for j, f in enumerate(rec.figures)])):
        ranks: dict[int, str] = {}
        for theme, src in zip(content.report.themes, content.theme_files):
            for i, rec in enumerate(theme.recommendations):
                for *path, item in items(rec):
                    if item.priority is None:
                        continue
                    loc = ("recommendations", i, *path, "priority")
                    if item.priority in ranks:
                        err(src, loc, f"{field_path(loc)}: priority {item.priority} is also given to {ranks[item.priority]}; rank each {kind} once")
                    ranks[item.priority] = f"the {kind} in {field_path(loc[:-1])} of {src.path.name}"


def _check_numbers(text: Text, body: list[Text], lang: str, src: SourceFile, loc: Loc, name: str, where: str, report) -> None:
    """Report numbers TEXT states in LANG that BODY does not."""
    stated = set(_NUMBER.findall(unicodedata.normalize("NFKC", NOTE_REF.sub("", text.get(lang) or ""))))
    known = set(_NUMBER.findall(unicodedata.normalize("NFKC", NOTE_REF.sub("", "\n".join(p.get(lang) or "" for p in body)))))
    for number in sorted(stated - known):
        report(src, loc, f"{name}: the number {number} is not in {where} ({lang}); state only what the text says")


def _check_notes(theme, src: SourceFile, err) -> None:
    notes = {}
    for loc, note in _note_locs(theme):
        if note.id in notes:
            err(src, loc + ("id",), f"duplicate note id '{note.id}'; note ids must be unique within the theme file")
        notes[note.id] = note
    cited = set()
    for loc, text in walk_texts(theme):
        values = [text.root] if isinstance(text.root, str) else list(text.root.values())
        for value in values:
            for ref in NOTE_REF.findall(value):
                cited.add(ref)
                if ref not in notes:
                    err(src, loc, f"{field_path(loc)}: footnote [^{ref}] has no note with id '{ref}'; add it to notes")
    for loc, note in _note_locs(theme):
        if note.id not in cited:
            err(src, loc + ("id",), f"note '{note.id}' is never cited; cite it as [^{note.id}] or remove it")


def _note_locs(theme):
    for i, note in enumerate(theme.notes):
        yield ("notes", i), note
    for r, rec in enumerate(theme.recommendations):
        for i, note in enumerate(rec.notes):
            yield ("recommendations", r, "notes", i), note

