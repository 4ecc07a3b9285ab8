"""Japanese punctuation spacing for the PDF path: no full-em gap between consecutive punctuation.

A full-width 、。）「 is drawn in one half of its em and leaves the other half blank, so
「）、」, 「。（」 or 「、「」 set solid show a full em of white between the marks. JIS X 4051 removes
one of those halves. WeasyPrint ignores `text-spacing-trim`, and the BIZ UD fonts have no
`halt`/`chws`/`palt` (no GPOS table at all), but their `hwid` substitution maps each of these
marks to a half-width glyph of the same shape and position within its half (checked with
fontTools: 「 → ｢ keeps its right-hand ink, ） → ) its left-hand ink). So the mark whose blank
half faces the other mark is wrapped in `<span class="hw">`, which fonts.css sets with
`font-feature-settings: "hwid"`. Word compresses punctuation itself (compressPunctuation in the
reference's settings), so the .docx path does not use this.
"""

from __future__ import annotations

import re

CLOSING = set("、。，．）」』】〕〉》］｝")  # ink on the left, blank right half
OPENING = set("（「『【〔〈《［｛")  # ink on the right, blank left half
_TAG = re.compile(r"(<[^>]*>)")
_SKIP = re.compile(r"<(head|style|script|title)\b.*?</\1>", re.S | re.I)
# Tags that end a line of text: punctuation on either side is not adjacent on the page.
_BLOCK = re.compile(r"</?(p|div|li|ul|ol|h[1-6]|br|td|th|tr|table|section|article|header|footer|aside|figure|body)\b", re.I)


def half_width_marks(text: str) -> list[int]:
    """Return the indexes in TEXT of the marks to set half-width (TEXT is plain characters)."""
    marks = []
    for i in range(1, len(text)):
        a, b = text[i - 1], text[i]
        if a in CLOSING and b in CLOSING:  # ）、 and 。」: the first mark's blank half goes
            marks.append(i - 1)
        elif (a in CLOSING or a in OPENING) and b in OPENING:  # 。（, 、「 and 「（: the second's goes
            marks.append(i)
    return marks


def tighten_punctuation(html: str) -> str:
    """Return HTML with consecutive Japanese punctuation set without full-em gaps."""
    if not any(ch in html for ch in CLOSING | OPENING):
        return html
    # Split off the parts never drawn as text, then work on the text between tags.
    out, pos = [], 0
    for m in _SKIP.finditer(html):
        out.append(_tighten_body(html[pos:m.start()]))
        out.append(m.group(0))
        pos = m.end()
    out.append(_tighten_body(html[pos:]))
    return "".join(out)


def _tighten_body(html: str) -> str:
    tokens = _TAG.split(html)
    # The drawn characters in order, each with where it sits: (token index, char index).
    chars: list[tuple[int, int, str]] = []
    runs: list[list[tuple[int, int, str]]] = [chars]
    for t, token in enumerate(tokens):
        if t % 2:  # a tag
            if _BLOCK.match(token):
                chars = []
                runs.append(chars)
            continue
        chars.extend((t, i, ch) for i, ch in enumerate(token))
    wrap: dict[int, set[int]] = {}
    for run in runs:
        text = "".join(ch for _, _, ch in run)
        for k in half_width_marks(text):
            t, i, _ = run[k]
            wrap.setdefault(t, set()).add(i)
    for t, indexes in wrap.items():
        token = tokens[t]
        tokens[t] = "".join(f'<span class="hw">{ch}</span>' if i in indexes else ch for i, ch in enumerate(token))
    return "".join(tokens)
