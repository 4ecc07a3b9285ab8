"""Differences inside one text: word by word for spaced languages, phrase by phrase for Japanese.

Japanese has no spaces, and a character-level diff shreds a sentence into single kana; BudouX
splits it into the phrases (文節) a reader sees as units, so an edit shows as whole phrases.
"""

from __future__ import annotations

import difflib
import re
from functools import lru_cache

# A word (with inner apostrophes, hyphens, and digit separators), a run of spaces, or one
# other character (punctuation, a symbol): what `git diff --word-diff` would treat as units.
_WORD = re.compile(r"\s+|[\w’'\-.,%$]*\w[\w’'\-%]*|[^\w\s]", re.UNICODE)
# Latin words, numbers and URLs inside Japanese text: compared word by word, not as one phrase.
_LATIN = re.compile(r"([\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?)")
Segment = tuple[str, str]
"""`("=", text)` kept, `("-", text)` deleted, `("+", text)` inserted."""


@lru_cache(maxsize=1)
def _ja_parser():
    import budoux

    return budoux.load_default_japanese_parser()


def tokens(text: str, lang: str) -> list[str]:
    """Split TEXT into the units a reader compares: words for English, phrases for Japanese."""
    if lang == "ja":
        out: list[str] = []
        for line in re.split(r"(\s+)", text):  # keep line breaks and spaces as their own units
            if not line:
                continue
            if line.isspace():
                out.append(line)
                continue
            for i, part in enumerate(_LATIN.split(line)):  # odd parts are Latin runs
                if part:
                    out.extend(_WORD.findall(part) if i % 2 else _ja_parser().parse(part))
        return out
    return _WORD.findall(text)


def inline_diff(old: str, new: str, lang: str) -> list[Segment]:
    """Return the segments that turn OLD into NEW, unchanged runs merged."""
    a, b = tokens(old, lang), tokens(new, lang)
    segments: list[Segment] = []

    def add(op: str, text: str) -> None:
        if not text:
            return
        if segments and segments[-1][0] == op:
            segments[-1] = (op, segments[-1][1] + text)
        else:
            segments.append((op, text))

    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            add("=", "".join(a[i1:i2]))
        else:
            add("-", "".join(a[i1:i2]))
            add("+", "".join(b[j1:j2]))
    return segments


def render_inline(segments: list[Segment], context: int | None = None) -> str:
    """Return SEGMENTS as one line in `git diff --word-diff` notation: `[-old-]{+new+}`.

    With CONTEXT, unchanged runs keep only that many characters next to a change (`…` for the rest).
    """
    marks = {"=": "{}", "-": "[-{}-]", "+": "{{+{}+}}"}
    out = []
    last = len(segments) - 1
    for i, (op, text) in enumerate(segments):
        if op == "=" and context is not None and last > 0:
            if i == 0 and len(text) > context:
                text = "…" + text[-context:]
            elif i == last and len(text) > context:
                text = text[:context] + "…"
            elif 0 < i < last and len(text) > 2 * context:
                text = text[:context] + "…" + text[-context:]
        out.append(marks[op].format(text))
    return "".join(out)
