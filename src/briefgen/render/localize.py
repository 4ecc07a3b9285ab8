"""Per-document language helpers that templates call: text, dates, names, footnotes.

A template asks for a field and gets it in the output's language. A missing translation stops
the build with the file, field and language, unless --allow-missing, which falls back to the
source language and marks it visibly.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from markupsafe import Markup, escape

from ..content.checks import walk_texts
from ..errors import BriefgenError, Problem
from ..content.source import Content, field_path
from ..content.markup import plain_text, to_html
from ..content.model import Note, Text

REIWA_START = dt.date(2019, 5, 1)


@dataclass
class TextIndex:
    """Where each Text of a content folder stands: file, line, field, and its theme."""

    where: dict[int, tuple[str, int, str]] = field(default_factory=dict)
    theme_of: dict[int, str] = field(default_factory=dict)

    @classmethod
    def build(cls, content: Content) -> "TextIndex":
        index = cls()
        sources = [(content.report_file, content.report.info, None)]
        sources += [(src, theme, theme.id) for src, theme in zip(content.theme_files, content.report.themes)]
        for src, obj, theme_id in sources:
            for loc, text in walk_texts(obj):
                dotted = field_path(loc)
                index.where[id(text)] = (str(src.path), src.line(loc), dotted)
                if theme_id:
                    index.theme_of[id(text)] = theme_id
        return index


def per_report(content: Content, key: str, make):
    """Return MAKE()'s result for CONTENT's report, made once and kept in `content.memo`.

    The memo entry keeps the report it was made from (so ids in an index stay those of live
    objects) and is made again if the content was given another report.
    """
    report, value = content.memo.get(key, (None, None))
    if report is not content.report:
        value = make()
        content.memo[key] = (content.report, value)
    return value


class Localizer:
    """The helpers of one document in one language."""

    def __init__(self, content: Content, lang: str, *, allow_missing: bool = False, date_style: str = "western"):
        self.content = content
        self.report = content.report
        self.lang = lang
        self.source_lang = self.report.info.source_lang
        self.allow_missing = allow_missing
        self.date_style = date_style
        # Built once per loaded report, not per document: each walks the whole report.
        self.index = per_report(content, "text_index", lambda: TextIndex.build(content))
        self.notes = per_report(content, "notes", lambda: {(t.id, n.id): n for t in self.report.themes for n in t.all_notes()})
        self.cited: list[tuple[str, Note]] = []  # (label, note) in order of first citation
        self._labels: dict[tuple[str, str], str] = {}
        self.fallbacks: list[Problem] = []
        self.cite_notes = False  # True only for a document that prints L.cited as its endnotes

    # -- text ---------------------------------------------------------------------------------
    def _get(self, text: Text) -> tuple[str, bool]:
        value = text.in_lang(self.lang, self.source_lang)
        if value is not None and value.strip():
            return value, False
        path, line, dotted = self.index.where.get(id(text), ("", 0, "a field"))
        if not self.allow_missing:
            raise BriefgenError([Problem(path, line, f"missing translation: {dotted} has no '{self.lang}' text; add it, or build with --allow-missing")])
        self.fallbacks.append(Problem(path, line, f"{dotted}: no '{self.lang}' text, printed in '{self.source_lang}'", "warning", "fallback"))
        return text.get(self.source_lang) or "", True

    def t(self, text: Text | None, cite: bool | None = None) -> Markup:
        """Return TEXT in the document's language as inline HTML (markup rendered, rest escaped).

        With CITE (or cite_notes), footnote markers become callouts numbered in order of first
        citation and linked to the endnotes the template prints from `L.cited`; otherwise they
        are dropped rather than link to nothing.
        """
        if text is None:
            return Markup("")
        value, fallback = self._get(text)
        theme_id = self.index.theme_of.get(id(text))
        cite = (lambda note_id: self._cite(theme_id, note_id)) if (self.cite_notes if cite is None else cite) else None
        html = to_html(value, cite, self.source_lang if fallback else self.lang)
        if fallback:
            return Markup(f'<span class="untranslated" lang="{self.source_lang}" title="untranslated">{html}</span>')
        return html

    def plain(self, text: Text | None) -> str:
        """Return TEXT without markup or footnote references (titles, bookmarks, metadata)."""
        if text is None:
            return ""
        value, fallback = self._get(text)
        return ("[" + self.source_lang + "] " if fallback else "") + plain_text(value, self.source_lang if fallback else self.lang)

    def _cite(self, theme_id: str | None, note_id: str) -> tuple[str, bool]:
        """Return the printed number of a note and whether this is its first callout."""
        key = (theme_id or "", note_id)
        if key in self._labels:
            return self._labels[key], False
        note = self.notes.get(key)
        if note is None:
            return "?", False
        self._labels[key] = str(len(self.cited) + 1)
        self.cited.append((self._labels[key], note))
        return self._labels[key], True

    # -- people, dates, numbers ------------------------------------------------------------------
    def person(self, person_id: str) -> str:
        return self.plain(self.report.person(person_id).name)

    def names(self, ids: list[str]) -> str:
        sep = "、" if self.lang == "ja" else ", "
        names = [self.person(i) for i in ids]
        if self.lang != "ja" and len(names) > 1:
            return ", ".join(names[:-1]) + (", and " if len(names) > 2 else " and ") + names[-1]
        return sep.join(names)

    def date(self, day: dt.date, style: str | None = None) -> str:
        """Format DAY for the language: May 31, 2026; 2026年5月31日; 令和8年5月31日."""
        style = style or self.date_style
        if self.lang == "ja":
            western = f"{day.year}年{day.month}月{day.day}日"
            if style == "western" or day < REIWA_START:
                return western
            year = day.year - 2018
            wareki = f"令和{'元' if year == 1 else year}年{day.month}月{day.day}日"
            return wareki if style == "wareki" else f"令和{'元' if year == 1 else year}年({day.year}年){day.month}月{day.day}日"
        from babel.dates import format_date

        return format_date(day, format="long", locale=self.lang)

    def number(self, value: int) -> str:
        return f"{value:,}"

    def template_view(self) -> "Helpers":
        """Return what templates see of this Localizer: its language and text helpers, not its content."""
        return Helpers(self)


class Helpers:
    """`L` in templates: the document's language, its citations and helpers that return text; nothing else.

    Every public member here is what templates may read of `L` (the sandbox's allow-list says so).
    """

    __slots__ = ("_localizer",)

    def __init__(self, localizer: Localizer):
        self._localizer = localizer

    @property
    def lang(self) -> str:
        return self._localizer.lang

    @property
    def cited(self) -> list[tuple[str, Note]]:
        """The notes cited so far, as (label, note), for a document's endnotes."""
        return self._localizer.cited

    def t(self, *args, **kwargs) -> Markup:
        return self._localizer.t(*args, **kwargs)

    def plain(self, *args, **kwargs) -> str:
        return self._localizer.plain(*args, **kwargs)

    def person(self, *args, **kwargs) -> str:
        return self._localizer.person(*args, **kwargs)

    def names(self, *args, **kwargs) -> str:
        return self._localizer.names(*args, **kwargs)

    def date(self, *args, **kwargs) -> str:
        return self._localizer.date(*args, **kwargs)

    def number(self, *args, **kwargs) -> str:
        return self._localizer.number(*args, **kwargs)


def kanji_number(n: int) -> str:
    """Return N (1-99) in kanji: 第一章 style headings."""
    digits = "〇一二三四五六七八九"
    if n < 10:
        return digits[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")


IROHA = "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲン"


def katakana_label(n: int) -> str:
    """Return the N-th (1-based) label of the 公用文 ア, イ, ウ … sequence."""
    return IROHA[(n - 1) % len(IROHA)]
