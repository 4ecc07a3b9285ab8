"""Bounds on what content may hold, so no input can make a check, a layout or a build run unbounded.

Every limit sits far above what a real report needs (the first shipped report's longest paragraph
is 1,700 characters, its longest summary 600, its longest short title 26) and far below what makes
layout slow: a 5 MB summary kept WeasyPrint busy for minutes before the brief failed anyway.
They bound work; what reads well is the editors' business (and the one-pagers' fitting).
"""

from __future__ import annotations

from ..errors import Problem
from .checks import walk_texts
from .source import Content, Loc, field_path

MAX_NUMBER = 999  # recommendation and theme numbers: 1-N, checked without gaps
YEARS = (1900, 2100)  # report and edition dates; Word stores a year in 16 bits, a printed one past 2100 is a typo

# Characters per language in one value, by field name (the last name on its path).
FIELD_CHARS = {
    "body": 50_000,
    "acknowledgements": 50_000,
    "summary": 5_000,
    "bottom_line": 5_000,
    "notice": 5_000,
    "fara_notice": 5_000,
    "framing": 3_000,
    "key_points": 3_000,
    "key_takeaways": 3_000,
    "congress": 3_000,
    "ministries": 3_000,
    "text": 3_000,
    "title": 1_000,
    "subtitle": 1_000,
    "short_title": 300,
    "name": 300,
    "label": 300,
    "value": 300,
    "source": 1_000,
}
DEFAULT_CHARS = 5_000


def field_limit(loc: Loc) -> int:
    """Return the most characters the field at LOC may hold in one language."""
    name = next((p for p in reversed(loc) if isinstance(p, str)), "")
    return FIELD_CHARS.get(name, DEFAULT_CHARS)


def check_limits(content: Content) -> list[Problem]:
    """Return a problem for every value beyond its bound: text length, numbers, dates."""
    problems = []
    info = content.report.info
    rsrc = content.report_file
    if not YEARS[0] <= info.date.year <= YEARS[1]:
        problems.append(Problem(str(rsrc.path), rsrc.line(("date",)), f"date: {info.date.isoformat()} is not a plausible publication date; use a year from {YEARS[0]} to {YEARS[1]}"))
    edition = info.edition
    if edition is not None and not YEARS[0] <= edition.date.year <= YEARS[1]:
        problems.append(Problem(str(rsrc.path), rsrc.line(("edition", "date")), f"edition.date: {edition.date.isoformat()} is not a plausible date for an edition; use a year from {YEARS[0]} to {YEARS[1]}"))
    if edition is not None and edition.number > MAX_NUMBER:
        problems.append(Problem(str(rsrc.path), rsrc.line(("edition", "number")), f"edition.number: {edition.number} is out of range; number the editions 2, 3, ... (at most {MAX_NUMBER})"))
    files = [(rsrc, info), *zip(content.theme_files, content.report.themes)]
    for src, obj in files:
        for loc, text in walk_texts(obj):
            limit = field_limit(loc)
            values = {"": text.root} if isinstance(text.root, str) else text.root
            for lang, value in values.items():
                if len(value) > limit:
                    where = loc + ((lang,) if lang else ())
                    problems.append(Problem(str(src.path), src.line(where), f"{field_path(loc)}: {len(value):,} characters is too long (at most {limit:,} here); shorten it or split it into paragraphs"))
    for theme, src in zip(content.report.themes, content.theme_files):
        if theme.number > MAX_NUMBER:
            problems.append(Problem(str(src.path), src.line(("number",)), f"number: {theme.number} is out of range; number the themes 1, 2, 3, ... (at most {MAX_NUMBER})"))
        for i, rec in enumerate(theme.recommendations):
            if rec.number > MAX_NUMBER:
                problems.append(Problem(str(src.path), src.line(("recommendations", i, "number")), f"recommendations[{i}].number: {rec.number} is out of range; number the recommendations 1-N across the report (at most {MAX_NUMBER})"))
    return problems
