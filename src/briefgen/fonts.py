"""Check that the shipped fonts cover every character the content prints.

A missing glyph would print as tofu or silently fall back to another font; both are worse than
a build error that names the character and where it is.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from pathlib import Path

from .checks import walk_texts
from .errors import Problem
from .markup import plain_text
from .templates import BUILTIN_TEMPLATES

FONTS = BUILTIN_TEMPLATES / "fonts"
FONT_FILES = {
    "ja": ("BIZUDMincho-Regular.ttf", "BIZUDGothic-Regular.ttf"),
    "en": ("NotoSerif-Regular.ttf", "NotoSans-Regular.ttf", "BIZUDMincho-Regular.ttf"),
}


@lru_cache(maxsize=16)
def _cmap(path: Path) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    with TTFont(path, lazy=True) as font:
        return frozenset(font.getBestCmap())


def covered(lang: str) -> frozenset[int]:
    """Return the code points the fonts for LANG can print."""
    files = FONT_FILES.get(lang, FONT_FILES["en"])
    return frozenset().union(*(_cmap(FONTS / name) for name in files))


def check_coverage(content, lang: str) -> list[Problem]:
    """Return a problem for each field whose LANG text has a character the fonts lack."""
    ok = covered(lang)
    problems = []
    sources = [(content.report_file, content.report.info)] + list(zip(content.theme_files, content.report.themes))
    for src, obj in sources:
        for loc, text in walk_texts(obj):
            value = text.get(lang)
            if not value:
                continue
            for ch in sorted(set(plain_text(value))):
                if ord(ch) not in ok and not ch.isspace() and unicodedata.category(ch) not in ("Cf", "Cc"):
                    dotted = ".".join(str(p) if isinstance(p, str) else f"[{p}]" for p in loc).replace(".[", "[")
                    hint = " (write footnote markers as [^n])" if unicodedata.category(ch) == "No" else ""
                    name = unicodedata.name(ch, "unnamed")
                    problems.append(Problem(str(src.path), src.line(loc), f"{dotted}: '{ch}' (U+{ord(ch):04X} {name}) is not in the {lang} fonts; replace it{hint}"))
    return problems
