"""Cross-file checks that a schema cannot express: references, numbering, translations."""

from __future__ import annotations

import re
from typing import Any, Iterator

from pydantic import BaseModel

from ..errors import Problem
from .model import Text
from .source import Content, Loc, SourceFile, field_path

NOTE_REF = re.compile(r"\[\^([^\]\s]+)\]")


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


def check_report(content: Content) -> tuple[list[Problem], list[Problem]]:
    """Return (errors, warnings) found across the whole content folder."""
    errors: list[Problem] = []
    warnings: list[Problem] = []
    report = content.report
    info = report.info

    def err(src: SourceFile, loc: Loc, message: str) -> None:
        errors.append(Problem(str(src.path), src.line(loc), message))

    rsrc = content.report_file
    if info.source_lang not in info.languages:
        err(rsrc, ("source_lang",), f"source_lang '{info.source_lang}' is not in languages {info.languages}; add it")
    people = {}
    for i, person in enumerate(info.people):
        if person.id in people:
            err(rsrc, ("people", i, "id"), f"duplicate person id '{person.id}'; ids must be unique")
        people[person.id] = person

    def check_authors(src: SourceFile, loc: Loc, authors: list[str]) -> None:
        for j, pid in enumerate(authors):
            if pid not in people:
                err(src, loc + (j,), f"unknown author id '{pid}'; use one of the people ids in report.yaml")

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

    seen: set[int] = set()
    for number, src, loc in rec_numbers:
        if number in seen:
            err(src, loc, f"duplicate recommendation number {number}; numbers run 1-{len(rec_numbers)} once each")
        seen.add(number)
    # Gaps are looked for in 1-N (N numbers), not up to the largest number: one typo of
    # 1000000000000 must not make a trillion-element set.
    for missing in sorted(set(range(1, len(seen) + 1)) - seen):
        number, src, loc = min((r for r in rec_numbers if r[0] > missing), key=lambda r: r[0])
        err(src, loc, f"recommendation number {missing} is missing (numbers jump to {number}); number them 1-{len(seen)} without gaps")
    order = [n for n, _, _ in rec_numbers]
    if not errors and order != sorted(order):
        number, src, loc = next(r for r, s in zip(rec_numbers, sorted(order)) if r[0] != s)
        err(src, loc, f"recommendation {number} is out of order; follow the report's numbering across theme files")

    files = [(rsrc, info), *zip(content.theme_files, report.themes)]
    for src, obj in files:
        for loc, text in walk_texts(obj):
            if text.universal:
                continue
            for lang in info.languages:
                if not text.has(lang):
                    warnings.append(Problem(str(src.path), src.line(loc), f"missing translation: {field_path(loc)} has no '{lang}' text; add its {lang}: line", "warning"))
            for lang in text.root:
                if lang not in info.languages:
                    errors.append(Problem(str(src.path), src.line(loc + (lang,)), f"{field_path(loc)}: language '{lang}' is not in report.yaml's languages {info.languages}"))
    return errors, warnings


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

