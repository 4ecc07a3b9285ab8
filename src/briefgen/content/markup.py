"""Inline markup in content: a small Markdown subset parsed by markdown-it with raw HTML off.

Text is parsed once into spans; the HTML and Word writers both render from spans, so the
two formats cannot disagree about what a piece of content says.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Callable

from markdown_it import MarkdownIt
from markupsafe import Markup, escape

from .checks import NOTE_REF, SIC

# How a kept source typo is marked ([sic] in content), by the language of the text around it:
# 公用文 and Japanese editing use ［ママ］; English uses [sic] with sic in italics.
SIC_MARKS = {"ja": "［ママ］"}
SIC_DEFAULT = "[sic]"

# Control characters other than tab and newline cannot be stored in XML (.docx) and make no
# sense in print; they are dropped rather than allowed to corrupt a document. So are the C1
# controls (U+0080-U+009F, e.g. from text decoded as Latin-1), which no font has a glyph for.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
# Line and paragraph separators (pasted from Word or a web page) are line breaks inside a
# paragraph, i.e. spaces, as a newline is; the fonts have no glyph for them.
_SEPARATORS = {0x2028: " ", 0x2029: " "}


@dataclass(frozen=True)
class Span:
    """A run of text with one formatting; `note` is a footnote reference instead of text."""

    text: str = ""
    bold: bool = False
    italic: bool = False
    href: str | None = None
    note: str | None = None
    sic: bool = False
    """A kept source typo's mark: printed per language (see SIC_MARKS), never as typed."""


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    # typographer: straight quotes become curly ones ("Golden Energy Project" → “…”).
    return MarkdownIt("zero", {"html": False, "typographer": True}).enable(["emphasis", "link", "escape", "smartquotes"])


@lru_cache(maxsize=8192)
def parse_inline(text: str) -> tuple[Span, ...]:
    """Split TEXT into formatted spans."""
    text = _CONTROL.sub("", text).translate(_SEPARATORS)
    spans: list[Span] = []
    bold = italic = 0
    href: str | None = None
    tokens = _parser().parseInline(text)
    for tok in tokens[0].children or [] if tokens else []:
        kind = tok.type
        if kind in ("strong_open", "strong_close", "em_open", "em_close") and tok.markup.startswith("_"):
            # Only ** and * mark emphasis (docs/content-format.md); `__init__` stays as typed.
            _split_notes(tok.markup, spans, bool(bold), bool(italic), href)
        elif kind == "strong_open":
            bold += 1
        elif kind == "strong_close":
            bold -= 1
        elif kind == "em_open":
            italic += 1
        elif kind == "em_close":
            italic -= 1
        elif kind == "link_open":
            href = str(tok.attrs.get("href", ""))
        elif kind == "link_close":
            href = None
        elif kind in ("text", "text_special"):
            _split_notes(tok.content, spans, bool(bold), bool(italic), href)
        elif kind in ("softbreak", "hardbreak"):
            spans.append(Span(" ", bool(bold), bool(italic), href))
    return tuple(_merged(spans))


def _merged(spans: list[Span]) -> list[Span]:
    """Join neighbouring text spans of one formatting (`__init__` comes as three tokens)."""
    out: list[Span] = []
    for span in spans:
        last = out[-1] if out else None
        plain = last and not (last.note or last.sic or span.note or span.sic)
        if plain and (last.bold, last.italic, last.href) == (span.bold, span.italic, span.href):
            out[-1] = replace(last, text=last.text + span.text)
        else:
            out.append(span)
    return out


_MARKERS = re.compile(f"{NOTE_REF.pattern}|{SIC.pattern}")


def _split_notes(text: str, out: list[Span], bold: bool, italic: bool, href: str | None) -> None:
    pos = 0
    for m in _MARKERS.finditer(text):
        if m.start() > pos:
            out.append(Span(text[pos : m.start()], bold, italic, href))
        out.append(Span(note=m.group(1)) if m.group(1) else Span(sic=True))
        pos = m.end()
    if pos < len(text):
        out.append(Span(text[pos:], bold, italic, href))


def sic_mark(lang: str | None) -> str:
    """Return how LANG marks a kept source typo: ［ママ］ in Japanese, [sic] otherwise."""
    return SIC_MARKS.get(lang or "", SIC_DEFAULT)


# Line breaks a reader should never meet in Latin-script text: inside a capitalised hyphenated
# compound ("US-Japan", "Asia-Pacific"), and between a number and the word it counts
# ("$550 billion", "20 companies", "85 percent"). HTML keeps the first together with a nowrap
# span, the second with a no-break space (which the Word copy keeps too).
_COMPOUND = re.compile(r"\b[A-Z][A-Za-z]*(?:-[A-Z][A-Za-z]*)+\b")
_NUMBER_UNIT = re.compile(
    r"((?:[$€£¥]|\b)\d[\d,.]*\+?%?) (?=[A-Za-z°])"
    r"(?!(?:a|an|and|are|as|at|by|for|from|in|is|of|on|or|than|that|the|to|was|were|with)\b)"
)


UNSPACED = ("ja", "zh", "ko")  # no spaces between words: nothing to keep together


def keep_together(text: str) -> str:
    """Return escaped TEXT with its compounds and number-unit pairs protected from line breaks."""
    text = _NUMBER_UNIT.sub("\\1\u00a0", text)
    return _COMPOUND.sub(lambda m: f'<span class="nowrap">{m.group(0)}</span>', text)


def plain_text(text: str, lang: str | None = None) -> str:
    """Return TEXT without markup or footnote references (for titles, bookmarks, metadata).

    A [sic] mark is printed as LANG marks it (see sic_mark)."""
    return "".join(sic_mark(lang) if s.sic else s.text for s in parse_inline(text) if s.note is None)


def to_html(text: str, note_label: Callable[[str], str | tuple[str, bool]] | None = None, lang: str | None = None) -> Markup:
    """Render TEXT (written in LANG) as safe inline HTML; NOTE_LABEL maps a note id to its printed number.

    NOTE_LABEL may return (number, first): the first callout of a note gets the id `ref-N`
    that the note's own number links back to. Text in a language written with spaces between
    words keeps its compounds and numbers with their units on one line.
    """
    parts: list[str] = []
    for span in parse_inline(text):
        if span.note is not None:
            if note_label is not None:
                found = note_label(span.note)
                label, first = (found, False) if isinstance(found, str) else found
                label = escape(label)
                anchor = f' id="ref-{label}"' if first else ""
                parts.append(f'<sup class="noteref"><a href="#note-{label}"{anchor}>{label}</a></sup>')
            continue
        if span.sic:
            mark = sic_mark(lang)
            html = "[<em>sic</em>]" if mark == SIC_DEFAULT else str(escape(mark))
            parts.append(f'<span class="sic">{html}</span>')
            continue
        html = str(escape(span.text))
        if lang and lang.split("-")[0] not in UNSPACED:
            html = keep_together(html)
        if span.italic:
            html = f"<em>{html}</em>"
        if span.bold:
            html = f"<strong>{html}</strong>"
        if span.href:
            html = f'<a href="{escape(span.href)}">{html}</a>'
        parts.append(html)
    return Markup("".join(parts))
