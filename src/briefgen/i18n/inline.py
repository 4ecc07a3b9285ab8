"""Content markup as protected XLIFF 1.2 inline elements, and back.

In a CAT tool, `**bold**`, `*italics*`, `[links](url)` and footnote markers `[^n]` must not be
text the translator can break: they travel as inline elements, which every tool shows as tags
the translator moves but cannot edit. Bold, italics and links enclose text, so they are
`<g ctype="bold|italic|link">`; a footnote marker is the empty `<x ctype="x-note"
equiv-text="[^n]"/>`. Each gets an id, numbered in the order of the source; the id is all the
target keeps, so the markup (the link's address, the note's id) always comes from the source.

Text the translator types is kept as it is: Markdown typed into a target (italics for a title
that the Japanese marks with 『』) stays Markdown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterator

from lxml import etree
from markdown_it import MarkdownIt

from ..content.checks import NOTE_REF

XLIFF_NS = "urn:oasis:names:tc:xliff:document:1.2"
_G, _X, _MRK = (f"{{{XLIFF_NS}}}{name}" for name in ("g", "x", "mrk"))
_CTYPE = {"strong": "bold", "em": "italic", "link": "link"}
# A sentence: up to a Japanese full stop (or ！？), or up to a Latin one that ends a word.
_SENTENCE = re.compile(r"[^。！？]+[。！？]|[^.!?。！？]+[.!?](?=\s|$)")
_SHORTEST = 6  # shorter pieces ("G7。") may well appear in a translation as they are


@dataclass(frozen=True)
class Code:
    """One piece of markup in a source text: what it is and how to write it back."""

    id: str
    kind: str
    """bold, italic, link or note."""
    markup: str = ""
    """`**`, `*` or `_` for bold and italics; the address of a link; the id of a note."""

    @property
    def element(self) -> str:
        return _X if self.kind == "note" else _G

    def describe(self) -> str:
        if self.kind == "note":
            return f'<x id="{self.id}"/> (footnote marker [^{self.markup}])'
        what = {"bold": "bold", "italic": "italics", "link": f"link to {self.markup}"}[self.kind]
        return f'<g id="{self.id}"> ({what})'


class InlineError(Exception):
    """A target whose inline elements do not match its source's; `line` is the XLIFF line."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.line = line


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    # The rules content.markup renders with, without its typographer: the XLIFF carries the
    # text as written in the YAML, straight quotes and all.
    return MarkdownIt("zero", {"html": False}).enable(["emphasis", "link", "escape"])


def fill(parent: etree._Element, text: str, match: list[Code] | None = None) -> list[Code]:
    """Write TEXT into PARENT (a <source> or <target>) as text and inline elements; return its codes.

    With MATCH (the source's codes) the markup of TEXT, a translation, takes the ids of the
    source's matching codes; markup the source lacks stays Markdown text.
    """
    codes: list[Code] = []
    free = list(match) if match is not None else None
    stack = [parent]

    def add_text(value: str) -> None:
        node = stack[-1]
        if len(node):
            node[-1].tail = (node[-1].tail or "") + value
        else:
            node.text = (node.text or "") + value

    def open_code(kind: str, markup: str) -> etree._Element | None:
        if free is None:
            code = Code(str(len(codes) + 1), kind, markup)
        else:
            code = next((c for c in free if c.kind == kind and (kind in ("bold", "italic") or c.markup == markup)), None)
            if code is None:
                return None
            free.remove(code)
        codes.append(code)
        el = etree.SubElement(stack[-1], code.element, id=code.id, ctype="x-note" if kind == "note" else kind)
        if kind == "note":
            el.set("equiv-text", f"[^{markup}]")
        return el

    tokens = _parser().parseInline(text)
    children = tokens[0].children or [] if tokens else []
    pending: list[tuple[str, bool]] = []  # for each open token: its closing text, and whether it became an element
    for tok in children:
        kind = tok.type
        if kind.endswith("_open"):
            base = kind[: -len("_open")]
            markup = str(tok.attrs.get("href", "")) if base == "link" else tok.markup
            el = open_code(_CTYPE[base], markup)
            if el is None:  # markup of the translation that the source lacks: keep it as Markdown
                add_text("[" if base == "link" else tok.markup)
                pending.append((f"]({markup})" if base == "link" else tok.markup, False))
            else:
                stack.append(el)
                pending.append(("", True))
        elif kind.endswith("_close"):
            closing, is_element = pending.pop()
            if is_element:
                stack.pop()
            else:
                add_text(closing)
        elif kind in ("text", "text_special"):
            _add_with_notes(tok.content, add_text, lambda note: open_code("note", note))
        elif kind in ("softbreak", "hardbreak"):
            add_text("\n")
    return codes


def _add_with_notes(text: str, add_text, open_note) -> None:
    pos = 0
    for m in NOTE_REF.finditer(text):
        if m.start() > pos:
            add_text(text[pos : m.start()])
        if open_note(m.group(1)) is None:
            add_text(m.group(0))
        pos = m.end()
    if pos < len(text):
        add_text(text[pos:])


def flat(el: etree._Element) -> tuple:
    """Return the content of EL as comparable items: text runs and (element, id) pairs."""
    items: list = []

    def walk(node, tagged: bool) -> None:
        if tagged:
            items.append(("<", etree.QName(node).localname, node.get("id")))
        if node.text:
            items.append(node.text)
        for child in node:
            if isinstance(child.tag, str):
                walk(child, child.tag != _MRK)  # <mrk> marks segments; its content is the text
            if child.tail:
                items.append(child.tail)
        if tagged:
            items.append((">",))

    walk(el, False)
    merged: list = []
    for item in items:  # adjacent text runs are one (a <mrk> around text changes nothing)
        if isinstance(item, str) and merged and isinstance(merged[-1], str):
            merged[-1] += item
        else:
            merged.append(item)
    if merged and isinstance(merged[0], str):
        merged[0] = merged[0].lstrip()
    if merged and isinstance(merged[-1], str):
        merged[-1] = merged[-1].rstrip()
    return tuple(m for m in merged if m != "")


def markdown(target: etree._Element, codes: list[Code]) -> str:
    """Return the Markdown of TARGET, whose inline elements must be the source's CODES, each once."""
    by_id = {c.id: c for c in codes}
    seen: dict[str, etree._Element] = {}
    for el in _elements(target):
        name = etree.QName(el).localname
        if el.tag not in (_G, _X):
            raise InlineError(f"the translation contains inline markup <{name}> that briefgen did not export"
                              " — remove it, and keep only the tags of the source", el.sourceline)
        code = by_id.get(el.get("id") or "")
        if code is None or code.element != el.tag:
            raise InlineError(f'the translation has a tag <{name} id="{el.get("id")}"> that the source does not have'
                              " — remove it; use only the tags of the source", el.sourceline)
        if code.id in seen:
            raise InlineError(f"the translation has the tag {code.describe()} twice — keep each tag of the source once",
                              el.sourceline)
        seen[code.id] = el
    lost = [c for c in codes if c.id not in seen]
    if lost:
        raise InlineError(f"the translation lost the tag{'s' if len(lost) > 1 else ''} "
                          f"{', '.join(c.describe() for c in lost)} of the source — put {'them' if len(lost) > 1 else 'it'}"
                          " back where the text needs it", target.sourceline)
    return _write(target, by_id).strip()


def _elements(node: etree._Element) -> Iterator[etree._Element]:
    for child in node.iter():
        if child is not node and isinstance(child.tag, str) and child.tag != _MRK:
            yield child


def _write(node: etree._Element, by_id: dict[str, Code]) -> str:
    parts = [node.text or ""]
    for child in node:
        if isinstance(child.tag, str):
            inner = _write(child, by_id)
            if child.tag == _MRK:
                parts.append(inner)
            else:
                code = by_id[child.get("id")]
                if code.kind == "note":
                    parts.append(f"[^{code.markup}]")
                elif code.kind == "link":
                    parts.append(f"[{inner}]({code.markup})")
                else:
                    parts.append(f"{code.markup}{inner}{code.markup}")
        parts.append(child.tail or "")
    return "".join(parts)


def leftover(source: etree._Element, target: etree._Element) -> str | None:
    """Return a sentence of SOURCE that TARGET still holds verbatim, or None.

    A CAT tool that splits a paragraph into sentences (OmegaT by default) writes back the
    sentences nobody translated as they were: the target is then part translation, part source.
    """
    text = "".join(target.itertext())
    for sentence in _SENTENCE.findall("".join(source.itertext())):
        sentence = sentence.strip()
        if len(sentence) >= _SHORTEST and sentence in text:
            return sentence
    return None
