"""Check that the shipped fonts cover every character the content prints.

A missing glyph would print as tofu or silently fall back to another font; both are worse than
a build error that names the character and where it is.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from pathlib import Path

from ..content.checks import walk_texts
from ..content.source import field_path
from ..errors import BriefgenError, Problem
from ..content.markup import plain_text
from ..files import folder_file
from .templates import BUILTIN_TEMPLATES

FONTS = BUILTIN_TEMPLATES / "fonts"
FONT_FILES = {
    "ja": ("BIZUDMincho-Regular.ttf", "BIZUDGothic-Regular.ttf"),
    "en": ("NotoSerif-Regular.ttf", "NotoSans-Regular.ttf", "BIZUDMincho-Regular.ttf"),
}


# Format characters (Cf) are mostly invisible and need no glyph; these few are drawn (Arabic
# number signs, interlinear annotation marks, Egyptian and shorthand format controls) and would
# print as tofu.
VISIBLE_FORMAT = frozenset([*range(0x0600, 0x0606), 0x06DD, 0x070F, 0x0890, 0x0891, 0x08E2, 0x110BD, 0x110CD,
                            *range(0xFFF9, 0xFFFC), *range(0x13430, 0x13456), *range(0x1BCA0, 0x1BCA4), *range(0x1D173, 0x1D17B)])


@lru_cache(maxsize=16)
def _cmap(path: Path, stamp: tuple = ()) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    with open(path, "rb") as fh, TTFont(fh, lazy=True) as font:  # our handle: closed even when TTFont fails
        size = path.stat().st_size
        if any(entry.offset + entry.length > size for entry in font.reader.tables.values()):
            raise ValueError("the file is cut short")
        return frozenset(font.getBestCmap())


def _font_cmap(path: Path) -> frozenset[int]:
    stat = path.stat()
    return _cmap(path, (stat.st_mtime_ns, stat.st_size))  # a replaced file is read again (watch mode)


def font_path(name: str, templates: Path | None = None) -> Path:
    """Return font NAME as rendering finds it: the --templates folder's fonts/ first, then the built-in."""
    if templates is not None and folder_file(templates, f"fonts/{name}") is not None:
        return templates / "fonts" / name  # only a regular file inside the folder, as the fetcher allows
    return FONTS / name


def covered(lang: str, templates: Path | None = None) -> frozenset[int]:
    """Return the code points the fonts for LANG can print."""
    files = FONT_FILES.get(lang, FONT_FILES["en"])
    return frozenset().union(*(_font_cmap(font_path(name, templates)) for name in files))


def check_fonts(templates: Path | None) -> list[Problem]:
    """Return a problem for each font in the --templates folder that cannot be read.

    WeasyPrint would skip such a font with a warning and print in whatever font the system
    has instead; a build error naming the file is better.
    """
    folder = templates / "fonts" if templates is not None else None
    problems = []
    for path in sorted(folder.iterdir()) if folder is not None and folder.is_dir() else []:
        if path.suffix.lower() in (".ttf", ".otf"):
            try:
                folder_file(templates, f"fonts/{path.name}")  # a link out of the folder is refused unread
            except BriefgenError as exc:
                problems += exc.problems
                continue
            try:
                _font_cmap(path)
            except Exception as exc:  # fontTools raises many kinds on a damaged file
                problems.append(Problem(str(path), 0, f"not a usable font ({exc}); replace it with a working .ttf/.otf, or remove it to use the built-in font"))
    return problems


def check_coverage(content, lang: str, templates: Path | None = None) -> list[Problem]:
    """Return a problem for each field whose LANG text has a character the fonts lack."""
    problems = check_fonts(templates)
    if problems:
        return problems
    ok = covered(lang, templates)
    sources = [(content.report_file, content.report.info)] + list(zip(content.theme_files, content.report.themes))
    for src, obj in sources:
        for loc, text in walk_texts(obj):
            value = text.get(lang)
            if not value:
                continue
            for ch in sorted(set(plain_text(value, lang))):
                if ord(ch) not in ok and not ch.isspace() and (unicodedata.category(ch) not in ("Cf", "Cc") or ord(ch) in VISIBLE_FORMAT):
                    dotted = field_path(loc)
                    hint = " (write footnote markers as [^n])" if unicodedata.category(ch) == "No" else ""
                    name = unicodedata.name(ch, "unnamed")
                    problems.append(Problem(str(src.path), src.line(loc), f"{dotted}: '{ch}' (U+{ord(ch):04X} {name}) is not in the {lang} fonts; replace it{hint}"))
    return problems
