#!/usr/bin/env python3
"""(Re)create the Word reference documents and their unzipped XML.

The Word writer (briefgen.render.word) takes every style from a reference document, so staff
restyle the output by editing the .docx in Word (docs/word-styles.md). There are two built-in
ones with the same style names, so every template works with both:

- templates/word/reference.docx: the Japanese memo (A4, 40 x 36 character grid, Mincho/Gothic,
  indents in characters), for documents in Japanese;
- templates/word/reference-en.docx: US Letter, 1-inch margins, no grid, Noto Serif/Noto Sans,
  left-aligned, indents in inches, for everything else (the congressional brief's Word copy).

This script is the reviewed source of the built-in look; templates/word/reference/ and
templates/word/reference-en/ hold the same parts as indented XML so a style change shows in a
diff. Run it after editing a style here:

    .venv/bin/python scripts/make_reference_docx.py
"""

from __future__ import annotations

import io
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt, RGBColor, Twips
from lxml import etree

from briefgen.render.word import PPR_ORDER, RPR_ORDER, reproducible_zip, set_child

ROOT = Path(__file__).resolve().parents[1]
WORD_DIR = ROOT / "templates" / "word"
EPOCH = 1767225600  # 2026-01-01T00:00:00Z: fixed, so rerunning the script changes nothing

MINCHO, GOTHIC = "BIZ UD明朝", "BIZ UDゴシック"  # East Asian slot: Japanese text
SERIF, SANS = "Noto Serif", "Noto Sans"  # Latin slots of the Japanese memo (Latin text takes the Japanese font anyway)
# Latin slots of English documents: faces every Windows and Mac Office install has, so a Hill PC
# never substitutes. We name them, never ship them; LibreOffice and fontconfig map them to the
# metric-compatible Liberation Serif/Sans, so line breaks and page counts agree (docs/word-styles.md).
EN_SERIF, EN_SANS = "Times New Roman", "Arial"
FONT_TABLE = {  # name: (name on non-Japanese systems, family, pitch, charset 80 = Shift_JIS)
    MINCHO: ("BIZ UDMincho", "roman", "fixed", "80"),
    GOTHIC: ("BIZ UDGothic", "modern", "fixed", "80"),
    SERIF: (None, "roman", "variable", "00"),
    SANS: (None, "swiss", "variable", "00"),
    EN_SERIF: (None, "roman", "variable", "00"),
    EN_SANS: (None, "swiss", "variable", "00"),
}


@dataclass
class P:
    """A paragraph style. Lengths are in the reference's units (see Reference.indent/spacing):
    grid characters and lines in the Japanese one, inches and points in the English one.
    FIRST > 0 indents the first line, < 0 hangs it."""

    name: str
    based_on: str = "Normal"
    gothic: bool = False  # the heading fonts: Gothic and Noto Sans (else Mincho and Noto Serif)
    size: float | None = None
    bold: bool = False
    italic: bool = False
    caps: bool = False
    tracking: int | None = None  # extra space between letters, in twips
    color: str | None = None  # RRGGBB
    align: str | None = None  # left, center, right, both
    left: float = 0
    right: float = 0
    first: float = 0
    before: float = 0
    after: float = 0
    keep_next: bool = False
    outline: int | None = None
    next: str | None = None
    grid: bool = True  # snap to the page's line and character grid (off: bigger type would take 2 cells a character)
    autospace: bool = True  # Word's extra space between Japanese and Latin or digits (off: 令和8年5月31日 set solid)
    line: int | None = None  # line height in 240ths of single spacing; None: the reference's default
    box: bool = False  # a thin border round consecutive paragraphs of the style
    borders: dict[str, tuple[int, int, str]] | None = None  # side: (width in 1/8 pt, space in pt, RRGGBB)
    shade: str | None = None
    numbering: tuple[int, int] | None = None  # (numId, ilvl)
    builtin: bool = False  # one of Word's own styles, shown under its localized name


@dataclass
class Reference:
    """One built-in reference document: where it goes and everything that differs by language."""

    name: str  # file stem under templates/word/
    title: str
    styles: list[P]
    numbering: list  # (abstractNumId, [(format, text, style id, left, first) per level])
    settings: str
    doc_defaults: str
    table_grid: str
    samples: list
    page: tuple[int, int]  # width, height in twips
    margins: tuple[int, int, int, int]  # top, bottom, left, right
    distances: tuple[int, int]  # header, footer
    footer: list  # text pieces and field names ("PAGE") in the footer paragraph
    indent: Callable[[float, float, float], dict]  # (left, right, first) → w:ind attributes
    spacing: Callable[[P], dict]  # → w:spacing attributes (empty: none)
    grid: dict | None = None  # w:docGrid attributes (None: no grid, python-docx's default element)
    cols_space: str | None = None
    bullet_suffix: str = ""  # w:suff after a bullet marker
    marker_rpr: str = ""  # w:rPr of every numbering level
    widows: bool = True  # Normal keeps Word's widow and orphan control
    latin: tuple[str, str] = (SERIF, SANS)  # the Latin faces of body text and of headings

    @property
    def out(self) -> Path:
        return WORD_DIR / f"{self.name}.docx"

    @property
    def xml_dir(self) -> Path:
        return WORD_DIR / self.name


# == Japanese: the memo for ministries =========================================================

# Page: A4 portrait with Word's Japanese default margins (35 mm top, 30 mm elsewhere) and
# header/footer distances (15 mm, 17.5 mm). Word measures in twips, 1/20 pt; 1 mm = 56.69 twips.
PAGE_W, PAGE_H = 11906, 16838
TOP, BOTTOM, LEFT, RIGHT = 1985, 1701, 1701, 1701
HEADER, FOOTER = 851, 992

# Character grid, "文字数と行数を指定する": 40 characters x 36 lines at 10.5 pt.
BODY_PT = 10.5
CHARS, LINES = 40, 36
TEXT_W = PAGE_W - LEFT - RIGHT  # 8504 twips = 425.2 pt
TEXT_H = PAGE_H - TOP - BOTTOM  # 13152 twips = 657.6 pt
# Line pitch: Word's Japanese default of 18 pt (360 twips); 36 lines take 648 pt of the 657.6 pt
# text height and a 37th would not fit, so the page has exactly 36 lines.
LINE_PITCH = 360
assert TEXT_H // LINE_PITCH == LINES
# Character pitch: 425.2 pt / 40 = 10.63 pt. charSpace is the pitch minus the Normal font size,
# in 1/4096 pt (ECMA-376 17.6.5): (10.63 - 10.5) x 4096 = 532.48. Round down: 533 would make
# 40 x 10.6301 pt = 425.205 pt, wider than the line, and Word would fit only 39 characters.
CHAR_SPACE = int((TEXT_W / 20 / CHARS - BODY_PT) * 4096)
assert CHARS * (BODY_PT + CHAR_SPACE / 4096) <= TEXT_W / 20 < CHARS * (BODY_PT + (CHAR_SPACE + 1) / 4096)
CHAR = TEXT_W / CHARS  # one grid character in twips (212.6), for indents given in characters


def _twips(chars: float) -> int:
    """Return CHARS grid characters in twips, for applications that ignore Word's *Chars values.

    LibreOffice rounds its grid cell to 212 twips and moves text that starts even a fraction past
    a cell edge on to the next cell, so count whole twips per character, rounded down.
    """
    return int(chars * int(CHAR))


def _indent_attrs(left: float, right: float = 0, first: float = 0) -> dict:
    """Indent in grid characters: *Chars (hundredths of a character) for Word, twips for others."""
    attrs = {"left": _twips(left), "leftChars": round(left * 100)}
    if right:
        attrs.update(right=_twips(right), rightChars=round(right * 100))
    if first > 0:
        attrs.update(firstLine=_twips(first), firstLineChars=round(first * 100))
    elif first < 0:
        attrs.update(hanging=_twips(-first), hangingChars=round(-first * 100))
    return attrs


def _spacing_lines(spec: P) -> dict:
    """Spacing in whole lines: beforeLines/afterLines (1/100 line) for Word, twips for others."""
    spacing = {}
    if spec.before or spec.after or spec.name == "Normal":
        spacing.update(before=round(spec.before * LINE_PITCH), beforeLines=round(spec.before * 100),
                       after=round(spec.after * LINE_PITCH), afterLines=round(spec.after * 100))
    if not spec.grid:  # off the grid, keep lines from collapsing to the bare font height
        spacing.update(line=spec.line, lineRule="auto") if spec.line else spacing.update(line=LINE_PITCH, lineRule="atLeast")
    return spacing


INDENT_ONLY = dict(based_on="Body Text")
STYLES = [
    # Normal names its size itself: LibreOffice sizes the character grid from it, not from docDefaults.
    P("Normal", based_on="", size=BODY_PT, align="both", builtin=True),
    P("Body Text", align="both", builtin=True),
    *(P(f"Body Text Indent {n}", left=n, first=1, builtin=n in (2, 3), **INDENT_ONLY) for n in range(1, 5)),
    # 第1 → 1 → (1) → ア: each level one character further in (公用文作成の考え方).
    P("Heading 1", gothic=True, size=12, bold=True, grid=False, before=1, keep_next=True, outline=0, next="Body Text Indent 1", builtin=True),
    P("Heading 2", gothic=True, bold=True, left=1, keep_next=True, outline=1, next="Body Text Indent 2", builtin=True),
    P("Heading 3", gothic=True, left=2, keep_next=True, outline=2, next="Body Text Indent 3", builtin=True),
    P("Heading 4", gothic=True, left=3, keep_next=True, outline=3, next="Body Text Indent 4", builtin=True),
    # Letter blocks: date and number top right, addressee left, sender right, 件名 centred.
    P("Title", gothic=True, size=14, grid=False, align="center", before=1, after=1, keep_next=True, builtin=True),
    P("Subtitle", gothic=True, align="center", after=1, keep_next=True, builtin=True),
    P("Date Line", align="right", grid=False, autospace=False),  # no gaps in 令和8年5月31日
    P("Doc Number", align="right"),
    P("Addressee", align="left"),
    P("Sender", align="right"),
    P("Record", align="center", before=1, after=1, keep_next=True),  # 記
    P("Closing", align="right", builtin=True),  # 以上
    P("Gist Item", left=2, first=-2),  # "1　..." on page one: the number hangs, the text aligns
    P("Key Point", left=5, first=-2),  # "ア　..." under (1): ア at 3 characters, wrapped lines align with the text
    P("Note Text", size=9, align="left", left=2, first=-2, grid=False, line=300),
    P("Contact", align="left", left=CHARS / 2, box=True),  # boxed, in the right half
    P("Table Text", size=9.5, align="left", grid=False, line=300),
    P("Box Title", gothic=True, bold=True, align="left", left=0.5, right=0.5, keep_next=True, box=True, shade="F2F2F2"),
    P("Box Text", left=0.5, right=0.5, box=True, shade="F2F2F2"),
    P("Quote", left=2, right=2, builtin=True),
    P("List Bullet", left=2, first=-1, numbering=(1, 0), builtin=True),
    P("List Bullet 2", left=3, first=-1, numbering=(1, 1), builtin=True),
    P("List Number", left=3, first=-2, numbering=(2, 0), builtin=True),
    P("List Number 2", left=4, first=-2, numbering=(2, 1), builtin=True),
    P("Caption", gothic=True, align="left", keep_next=True, builtin=True),
    P("Header", grid=False, line=240, builtin=True),
    P("Footer", align="center", grid=False, line=240, builtin=True),
]

# (abstractNumId, [(format, text, style, left, first) per level]); numId n uses abstractNum n - 1.
NUMBERING = [
    (0, [("bullet", "・", "ListBullet", 2, -1), ("bullet", "－", "ListBullet2", 3, -1)]),
    (1, [("decimal", "%1.", "ListNumber", 3, -2), ("lowerLetter", "(%2)", "ListNumber2", 4, -2)]),
]

# Word 2013+ compatibility, theme languages and separators: the same in both references.
SETTINGS_TAIL = """    <w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/>
    <w:compatSetting w:name="overrideTableStyleFontSizeAndJustification" w:uri="http://schemas.microsoft.com/office/word" w:val="1"/>
    <w:compatSetting w:name="enableOpenTypeFeatures" w:uri="http://schemas.microsoft.com/office/word" w:val="1"/>
    <w:compatSetting w:name="doNotFlipMirrorIndents" w:uri="http://schemas.microsoft.com/office/word" w:val="1"/>
  </w:compat>
  <w:themeFontLang w:val="en-US" w:eastAsia="ja-JP"/>
  <w:decimalSymbol w:val="."/>
  <w:listSeparator w:val=","/>
</w:settings>"""

SETTINGS = f"""<w:settings {nsdecls("w")}>
  <w:zoom w:percent="100"/>
  <w:defaultTabStop w:val="{_twips(4)}"/>
  <w:characterSpacingControl w:val="compressPunctuation"/>
  <w:compat>
    <w:spaceForUL/>
    <w:balanceSingleByteDoubleByteWidth/>
    <w:doNotLeaveBackslashAlone/>
    <w:ulTrailSpace/>
    <w:doNotExpandShiftReturn/>
    <w:adjustLineHeightInTable/>
    <w:useFELayout/>
{SETTINGS_TAIL}"""

# Defaults every style inherits: 10.5 pt, Mincho, Latin text English, East Asian Japanese.
DOC_DEFAULTS = f"""<w:docDefaults {nsdecls("w")}>
      <w:rPrDefault><w:rPr>
        <w:rFonts w:ascii="{SERIF}" w:eastAsia="{MINCHO}" w:hAnsi="{SERIF}" w:cs="{SERIF}"/>
        <w:kern w:val="2"/><w:sz w:val="{round(BODY_PT * 2)}"/><w:szCs w:val="{round(BODY_PT * 2)}"/>
        <w:lang w:val="en-US" w:eastAsia="ja-JP" w:bidi="ar-SA"/>
      </w:rPr></w:rPrDefault>
      <w:pPrDefault><w:pPr><w:kinsoku/></w:pPr></w:pPrDefault>
    </w:docDefaults>"""


def _table_grid(sides: str, cell_margins: tuple[int, int], header_fill: str, snap: bool) -> str:
    """Return the Table Grid style: SIDES lines, cell margins (top/bottom, left/right), a bold shaded header row."""
    vertical, horizontal = cell_margins
    ppr = '\n      <w:pPr><w:snapToGrid w:val="0"/></w:pPr>' if snap else ""
    return f"""<w:style {nsdecls("w")} w:type="table" w:styleId="TableGrid">
      <w:name w:val="Table Grid"/><w:basedOn w:val="TableNormal"/><w:uiPriority w:val="39"/>{ppr}
      <w:tblPr><w:tblBorders>{sides}</w:tblBorders>
        <w:tblCellMar><w:top w:w="{vertical}" w:type="dxa"/><w:left w:w="{horizontal}" w:type="dxa"/><w:bottom w:w="{vertical}" w:type="dxa"/><w:right w:w="{horizontal}" w:type="dxa"/></w:tblCellMar></w:tblPr>
      <w:tblStylePr w:type="firstRow"><w:rPr><w:b/><w:bCs/></w:rPr>
        <w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="{header_fill}"/></w:tcPr></w:tblStylePr>
    </w:style>"""


def _grid_lines(color: str) -> str:
    border = '<w:{0} w:val="single" w:sz="4" w:space="0" w:color="%s"/>' % color
    return "".join(border.format(s) for s in ("top", "left", "bottom", "right", "insideH", "insideV"))


# One paragraph per style, so whoever opens the reference in Word sees each style and can
# restyle it in place (the writer ignores this text; it keeps only the styles and the section).
SAMPLES = [
    ("Doc Number", "○○第1号（Doc Number）"),
    ("Date Line", "令和8年（2026年）5月31日（Date Line）"),
    ("Addressee", "外務省北米局長　様（Addressee）"),
    ("Sender", "発信者の組織名（Sender）"),
    ("Title", "○○について（提言）（Title）"),
    ("Subtitle", "副題（Subtitle）"),
    ("Gist Item", "1　要旨の1項目目。折り返した行は番号の後の本文にそろう（Gist Item）。"),
    ("Key Point", "・要点。折り返した行は記号の後にそろう（Key Point）。"),
    ("Heading 1", "第1　見出し（Heading 1）"),
    ("Body Text Indent 1", "第1の下の本文。段落の頭は1字下げ、折り返した行は見出しの本文にそろう（Body Text Indent 1）。"),
    ("Heading 2", "1　見出し（Heading 2）"),
    ("Body Text Indent 2", "1の下の本文。段落の頭は1字下げ、折り返した行は見出しの本文にそろう（Body Text Indent 2）。"),
    ("Heading 3", "（1）見出し（Heading 3）"),
    ("Body Text Indent 3", "（1）の下の本文（Body Text Indent 3）。"),
    ("Heading 4", "ア　見出し（Heading 4）"),
    ("Body Text Indent 4", "アの下の本文（Body Text Indent 4）。"),
    ("Body Text", "字下げのない本文（Body Text）。"),
    ("List Bullet", "箇条書き（List Bullet）"),
    ("List Bullet 2", "2段目の箇条書き（List Bullet 2）"),
    ("List Number", "番号付きの項目（List Number）"),
    ("List Number 2", "2段目の番号付きの項目（List Number 2）"),
    ("Quote", "引用（Quote）"),
    ("Caption", "表1　表の題（Caption）"),
    (None, [["項目（Table Grid）", "値"], ["表の文字（Table Text）", "94%"]]),
    ("Note Text", "注1　注記。折り返した行は番号の後にそろう（Note Text）。"),
    ("Record", "記（Record）"),
    ("Closing", "以上（Closing）"),
    ("Contact", "【連絡先】（Contact）"),
    ("Contact", "組織名　電話 03-0000-0000"),
    ("Box Title", "Key takeaways (Box Title)"),
    ("Box Text", "A shaded box for the key points of an English brief (Box Text)."),
]

JAPANESE = Reference(
    name="reference",
    title="briefgen reference document",
    styles=STYLES,
    numbering=NUMBERING,
    settings=SETTINGS,
    doc_defaults=DOC_DEFAULTS,
    table_grid=_table_grid(_grid_lines("auto"), (28, 99), "D9D9D9", snap=True),  # 0.5 pt lines, header grey
    samples=SAMPLES,
    page=(PAGE_W, PAGE_H),
    margins=(TOP, BOTTOM, LEFT, RIGHT),
    distances=(HEADER, FOOTER),
    footer=["- ", "PAGE", " -"],  # "- 1 -", centred by the Footer style
    indent=_indent_attrs,
    spacing=_spacing_lines,
    grid={"type": "linesAndChars", "linePitch": str(LINE_PITCH), "charSpace": str(CHAR_SPACE)},
    cols_space="425",
    bullet_suffix='<w:suff w:val="nothing"/>',  # a full-width bullet fills its one-character hanging indent
    marker_rpr='<w:rPr><w:rFonts w:hint="eastAsia"/></w:rPr>',  # "・" in the paragraph's Japanese font
    widows=False,  # Word's Japanese Normal: lines may be left alone at a page end
)


# == English: the congressional brief's Word copy ==============================================

# US Letter, 1-inch margins, header and footer half an inch from the edge; no character grid.
LETTER_W, LETTER_H = 12240, 15840
INCH = 1440
EN_BODY_PT = 10.5
ACCENT, INK, MUTED, SOFT, RULE = "1F3A5F", "1B1F24", "46515E", "E8EEF5", "B8C4D2"  # as templates/css/fonts.css


def _inches(value: float) -> int:
    return round(value * INCH)


def _indent_inches(left: float, right: float = 0, first: float = 0) -> dict:
    """Indent in inches, as twips; no *Chars values, which would tie it to a character grid."""
    attrs = {"left": _inches(left)}
    if right:
        attrs["right"] = _inches(right)
    if first > 0:
        attrs["firstLine"] = _inches(first)
    elif first < 0:
        attrs["hanging"] = _inches(-first)
    return attrs


def _spacing_points(spec: P) -> dict:
    """Spacing before and after in points, line height in 240ths of single spacing."""
    spacing = {}
    if spec.before or spec.after or spec.name == "Normal":
        spacing.update(before=round(spec.before * 20), after=round(spec.after * 20))
    if spec.line or spec.name == "Normal":
        spacing.update(line=spec.line or 240, lineRule="auto")
    return spacing


# The shaded key-takeaways box: an accent bar on the left, padding from borders in the fill
# colour. Box Title and Box Text share borders and indents, so Word draws one box round them.
BOX = dict(left=0.16, right=0.16, shade=SOFT,
           borders={"top": (24, 4, SOFT), "left": (24, 8, ACCENT), "bottom": (24, 4, SOFT), "right": (24, 8, SOFT)})
EN_STYLES = [
    P("Normal", based_on="", size=EN_BODY_PT, align="left", builtin=True),
    P("Body Text", after=6, builtin=True),
    *(P(f"Body Text Indent {n}", left=0.25 * n, builtin=n in (2, 3), **INDENT_ONLY) for n in range(1, 5)),
    P("Heading 1", gothic=True, size=13, bold=True, color=ACCENT, before=14, after=4, keep_next=True, outline=0,
      borders={"bottom": (6, 1, RULE)}, next="Body Text", builtin=True),
    P("Heading 2", gothic=True, size=10.5, bold=True, color=INK, before=9, after=2, keep_next=True, outline=1, next="Body Text", builtin=True),
    P("Heading 3", gothic=True, size=10, bold=True, color=ACCENT, before=8, after=2, keep_next=True, outline=2, next="Body Text", builtin=True),
    P("Heading 4", gothic=True, size=10, bold=True, italic=True, color=MUTED, before=6, after=2, keep_next=True, outline=3, next="Body Text", builtin=True),
    # The masthead: a kicker line under an accent rule ("POLICY BRIEF · MAY 31, 2026"), title, byline.
    P("Date Line", gothic=True, size=8.5, bold=True, caps=True, tracking=14, color=ACCENT, after=6,
      borders={"top": (24, 6, ACCENT)}),
    P("Title", gothic=True, size=18, bold=True, color=ACCENT, after=4, keep_next=True, builtin=True),
    P("Subtitle", gothic=True, size=10, color=MUTED, after=12, keep_next=True, builtin=True),
    # Letter blocks of a memo, all flush left as in a US business letter.
    P("Doc Number"),
    P("Addressee", after=6),
    P("Sender", after=12),
    P("Record", align="center", before=6, after=6, keep_next=True),
    P("Closing", before=6, builtin=True),
    P("Gist Item", left=0.25, first=-0.25, after=3),  # a typed number hangs, wrapped lines align
    P("Key Point", left=0.25, first=-0.25, after=3),  # a typed marker hangs, wrapped lines align
    P("Note Text", size=8.5, color=MUTED, after=3),
    P("Contact", gothic=True, size=8.5, color=MUTED, after=2, keep_next=True, borders={"top": (6, 4, RULE)}),
    P("Table Text", size=9),
    P("Box Title", gothic=True, size=9.5, bold=True, caps=True, tracking=12, color=ACCENT, after=2, keep_next=True, **BOX),
    P("Box Text", **BOX),
    P("Quote", left=0.4, right=0.4, italic=True, after=6, builtin=True),
    P("List Bullet", left=0.1875, first=-0.1875, after=2, numbering=(1, 0), builtin=True),
    P("List Bullet 2", left=0.375, first=-0.1875, after=2, numbering=(1, 1), builtin=True),
    P("List Number", left=0.25, first=-0.25, after=2, numbering=(2, 0), builtin=True),
    P("List Number 2", left=0.5, first=-0.25, after=2, numbering=(2, 1), builtin=True),
    # A small bold label kept with what follows ("What Congress can do:"), and table captions.
    P("Caption", gothic=True, size=8.5, bold=True, color=ACCENT, before=3, after=1, keep_next=True, builtin=True),
    P("Header", gothic=True, size=8, color=MUTED, builtin=True),
    P("Footer", gothic=True, size=8, color=MUTED, align="right", builtin=True),
]

EN_NUMBERING = [
    (0, [("bullet", "•", "ListBullet", 0.1875, -0.1875), ("bullet", "–", "ListBullet2", 0.375, -0.1875)]),
    (1, [("decimal", "%1.", "ListNumber", 0.25, -0.25), ("lowerLetter", "(%2)", "ListNumber2", 0.5, -0.25)]),
]

EN_SETTINGS = f"""<w:settings {nsdecls("w")}>
  <w:zoom w:percent="100"/>
  <w:defaultTabStop w:val="{INCH // 2}"/>
  <w:characterSpacingControl w:val="doNotCompress"/>
  <w:compat>
{SETTINGS_TAIL}"""

# English text in Times New Roman; any Japanese (a name, a quoted title) in BIZ UD明朝, marked ja-JP.
EN_DOC_DEFAULTS = f"""<w:docDefaults {nsdecls("w")}>
      <w:rPrDefault><w:rPr>
        <w:rFonts w:ascii="{EN_SERIF}" w:eastAsia="{MINCHO}" w:hAnsi="{EN_SERIF}" w:cs="{EN_SERIF}"/>
        <w:kern w:val="2"/><w:sz w:val="{round(EN_BODY_PT * 2)}"/><w:szCs w:val="{round(EN_BODY_PT * 2)}"/>
        <w:lang w:val="en-US" w:eastAsia="ja-JP" w:bidi="ar-SA"/>
      </w:rPr></w:rPrDefault>
      <w:pPrDefault><w:pPr/></w:pPrDefault>
    </w:docDefaults>"""

EN_SAMPLES = [
    ("Date Line", "Policy Brief · May 31, 2026 (Date Line)"),
    ("Title", "The Report's Title (Title)"),
    ("Subtitle", "Recommendations of the group, Organisation name (Subtitle)"),
    ("Box Title", "Key takeaways (Box Title)"),
    ("Box Text", "The bottom line in two or three sentences, in a shaded box (Box Text)."),
    ("Heading 1", "1 Theme (Heading 1)"),
    ("Heading 2", "1. A recommendation (Heading 2)"),
    ("Caption", "What Congress can do: (Caption)"),
    ("List Bullet", "Hold oversight hearings (List Bullet)"),
    ("List Bullet 2", "A point under a point (List Bullet 2)"),
    ("Note Text", "Committees: House Foreign Affairs Committee; Senate Foreign Relations Committee (Note Text)"),
    ("Heading 3", "A lower heading (Heading 3)"),
    ("Body Text", "Text without indent (Body Text)."),
    ("Heading 4", "A fourth-level heading (Heading 4)"),
    *((f"Body Text Indent {n}", f"Text indented {n / 4:g} inch (Body Text Indent {n}).") for n in range(1, 5)),
    ("Key Point", "1. A point with a typed marker; wrapped lines align after it (Key Point)."),
    ("Gist Item", "1. One line of the gist; wrapped lines align after the number (Gist Item)."),
    ("List Number", "A numbered item (List Number)"),
    ("List Number 2", "A numbered item under it (List Number 2)"),
    ("Quote", "A quotation (Quote)"),
    ("Caption", "Table 1. A table's caption (Caption)"),
    (None, [["Item (Table Grid)", "Value"], ["Table text (Table Text)", "94%"]]),
    ("Doc Number", "No. 1 (Doc Number)"),
    ("Addressee", "To: Office of ... (Addressee)"),
    ("Sender", "Organisation name (Sender)"),
    ("Record", "Record (Record)"),
    ("Closing", "Closing (Closing)"),
    ("Contact", "Contact: name, email (Contact)"),
    ("Contact", "A second contact line joins the same block"),
]

ENGLISH = Reference(
    name="reference-en",
    title="briefgen reference document (English)",
    styles=EN_STYLES,
    numbering=EN_NUMBERING,
    settings=EN_SETTINGS,
    doc_defaults=EN_DOC_DEFAULTS,
    table_grid=_table_grid(_grid_lines(RULE), (29, 86), SOFT, snap=False),
    samples=EN_SAMPLES,
    page=(LETTER_W, LETTER_H),
    margins=(_inches(0.75), _inches(0.75), _inches(0.75), _inches(0.75)),  # as the PDF brief's measure, near enough
    distances=(INCH // 2, INCH // 2),
    footer=["Page ", "PAGE", " of ", "NUMPAGES"],  # bottom right, by the Footer style
    indent=_indent_inches,
    spacing=_spacing_points,
    latin=(EN_SERIF, EN_SANS),
)

REFERENCES = [JAPANESE, ENGLISH]


# == Building ==================================================================================


def main() -> None:
    for ref in REFERENCES:
        build(ref)


def build(ref: Reference) -> None:
    """Write REF's .docx and its unzipped XML."""
    doc = docx.Document()  # python-docx's default template supplies the package plumbing
    _prune(doc)
    _styles(doc, ref)
    _numbering(doc, ref)
    _replace_children(doc.settings.element, ref.settings)
    _font_table(doc, ref)
    _section(doc, ref)
    _samples(doc, ref)
    props = doc.core_properties
    props.title, props.author, props.last_modified_by = ref.title, "briefgen", ""
    props.comments = "Styles for briefgen's Word output; see docs/word-styles.md"
    props.created = props.modified = _fixed_time()
    props.revision = 1

    buf = io.BytesIO()
    doc.save(buf)
    data = reproducible_zip(buf.getvalue(), EPOCH)
    ref.out.parent.mkdir(parents=True, exist_ok=True)
    ref.out.write_bytes(data)
    _unzip_for_review(data, ref.xml_dir)
    print(f"wrote {ref.out.relative_to(ROOT)} and {ref.xml_dir.relative_to(ROOT)}/")


def _samples(doc, ref: Reference) -> None:
    for style, text in ref.samples:
        if style is None:
            table = doc.add_table(rows=len(text), cols=len(text[0]), style=doc.styles["Table Grid"])
            for row, values in zip(table.rows, text):
                for cell, value in zip(row.cells, values):
                    cell.paragraphs[0].style = doc.styles["Table Text"]
                    cell.paragraphs[0].add_run(value)
            table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
        else:
            doc.add_paragraph(text, style=doc.styles[style])


def _fixed_time():
    import datetime as dt

    return dt.datetime.fromtimestamp(EPOCH, dt.timezone.utc).replace(tzinfo=None)


def _prune(doc) -> None:
    """Drop parts of python-docx's template that have nothing to do with styles."""
    dropped = {RT.THUMBNAIL, RT.EXTENDED_PROPERTIES, RT.CUSTOM_XML, RT.WEB_SETTINGS,
               "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"}
    for rels in (doc.part.package.rels, doc.part.rels):
        for rId in [rId for rId, rel in rels.items() if rel.reltype in dropped]:
            del rels[rId]
            rels._target_parts_by_rId.pop(rId, None)
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)


def _replace_children(element, xml: str) -> None:
    for child in list(element):
        element.remove(child)
    for child in parse_xml(xml):
        if isinstance(child.tag, str):
            element.append(child)


def _fonts(rpr, gothic: bool, faces: tuple[str, str]) -> None:
    """Set all four font slots: Latin (ascii, hAnsi, cs) and Japanese (eastAsia)."""
    latin, japanese = (faces[1], GOTHIC) if gothic else (faces[0], MINCHO)
    set_child(rpr, "w:rFonts", RPR_ORDER, ascii=latin, hAnsi=latin, cs=latin, eastAsia=japanese)


def _styles(doc, ref: Reference) -> None:
    styles = doc.styles.element
    for child in list(styles):
        styles.remove(child)
    styles.append(parse_xml(ref.doc_defaults))
    # Word's own defaults, which every document needs under these names.
    for kind, name, sid in (("character", "Default Paragraph Font", "DefaultParagraphFont"), ("numbering", "No List", "NoList")):
        styles.append(parse_xml(f'<w:style {nsdecls("w")} w:type="{kind}" w:default="1" w:styleId="{sid}"><w:name w:val="{name}"/><w:uiPriority w:val="1"/><w:semiHidden/><w:unhideWhenUsed/></w:style>'))
    styles.append(parse_xml(f"""<w:style {nsdecls("w")} w:type="table" w:default="1" w:styleId="TableNormal">
      <w:name w:val="Normal Table"/><w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/>
      <w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/>
      <w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>"""))

    api = doc.styles
    for spec in ref.styles:
        style = api.add_style(spec.name, WD_STYLE_TYPE.PARAGRAPH, builtin=spec.builtin)
        style.style_id = spec.name.replace(" ", "")  # Word's own ids ("Footer", not python-docx's "footer")
        if spec.name == "Normal":
            style.element.set(qn("w:default"), "1")
        else:
            style.base_style = api[spec.based_on]
        style.quick_style = True
        fmt = style.paragraph_format
        ppr = style.element.get_or_add_pPr()
        rpr = style.element.get_or_add_rPr()
        if spec.name == "Normal" and not ref.widows:
            fmt.widow_control = False
        if spec.keep_next:
            fmt.keep_with_next = True
        if spec.numbering:
            num_pr = ppr.get_or_add_numPr()
            if spec.numbering[1]:
                num_pr.get_or_add_ilvl().val = spec.numbering[1]
            num_pr.get_or_add_numId().val = spec.numbering[0]
        borders = spec.borders or ({s: (4, 4, "7F7F7F") for s in ("top", "left", "bottom", "right")} if spec.box else None)
        if borders:
            line = '<w:{0} w:val="single" w:sz="{1}" w:space="{2}" w:color="{3}"/>'
            sides = "".join(line.format(s, *borders[s]) for s in ("top", "left", "bottom", "right") if s in borders)
            ppr.insert_element_before(parse_xml(f'<w:pBdr {nsdecls("w")}>{sides}</w:pBdr>'),
                                      *(f"w:{t}" for t in PPR_ORDER[PPR_ORDER.index("pBdr") + 1 :]))
        if spec.shade:
            set_child(ppr, "w:shd", PPR_ORDER, val="clear", color="auto", fill=spec.shade)
        if not spec.autospace:
            set_child(ppr, "w:autoSpaceDE", PPR_ORDER, val="0")
            set_child(ppr, "w:autoSpaceDN", PPR_ORDER, val="0")
        if ref.grid and not spec.grid:
            set_child(ppr, "w:snapToGrid", PPR_ORDER, val="0")
        spacing = ref.spacing(spec)
        if spacing:
            set_child(ppr, "w:spacing", PPR_ORDER, **spacing)
        if spec.left or spec.right or spec.first or spec.numbering:
            set_child(ppr, "w:ind", PPR_ORDER, **ref.indent(spec.left, spec.right, spec.first))
        if spec.align:
            fmt.alignment = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER,
                             "right": WD_ALIGN_PARAGRAPH.RIGHT, "both": WD_ALIGN_PARAGRAPH.JUSTIFY}[spec.align]
        if spec.outline is not None:
            set_child(ppr, "w:outlineLvl", PPR_ORDER, val=spec.outline)
        _fonts(rpr, spec.gothic, ref.latin)
        if spec.bold:
            style.font.bold = True
        if spec.italic:
            style.font.italic = True
        if spec.caps:
            style.font.all_caps = True
        if spec.color:
            set_child(rpr, "w:color", RPR_ORDER, val=spec.color)
        if spec.tracking:
            set_child(rpr, "w:spacing", RPR_ORDER, val=spec.tracking)
        if spec.size:
            style.font.size = Pt(spec.size)
            set_child(rpr, "w:szCs", RPR_ORDER, val=round(spec.size * 2))
    for spec in ref.styles:
        if spec.next:
            api[spec.name].next_paragraph_style = api[spec.next]

    link = api.add_style("Hyperlink", WD_STYLE_TYPE.CHARACTER, builtin=True)
    link.base_style = api["Default Paragraph Font"]
    link.font.color.rgb = RGBColor(0x05, 0x63, 0xC1)
    link.font.underline = True

    styles.append(parse_xml(ref.table_grid))


def _numbering(doc, ref: Reference) -> None:
    xml = [f"<w:numbering {nsdecls('w')}>"]
    for abstract_id, levels in ref.numbering:
        xml.append(f'<w:abstractNum w:abstractNumId="{abstract_id}"><w:multiLevelType w:val="hybridMultilevel"/>')
        for ilvl, (fmt, text, style, left, first) in enumerate(levels):
            suffix = ref.bullet_suffix if fmt == "bullet" else ""
            ind = " ".join(f'w:{k}="{v}"' for k, v in ref.indent(left, 0, first).items())
            xml.append(
                f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:pStyle w:val="{style}"/>{suffix}'
                f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
                f"<w:pPr><w:ind {ind}/></w:pPr>"
                f"{ref.marker_rpr}</w:lvl>"
            )
        xml.append("</w:abstractNum>")
    xml += [f'<w:num w:numId="{a + 1}"><w:abstractNumId w:val="{a}"/></w:num>' for a, _ in ref.numbering]
    xml.append("</w:numbering>")
    _replace_children(doc.part.numbering_part.element, "".join(xml))


def _font_table(doc, ref: Reference) -> None:
    """List the fonts with their English names, so Word finds them on any system."""
    part = doc.part.part_related_by(RT.FONT_TABLE)
    fonts = [f"<w:fonts {nsdecls('w')}>"]
    used = (MINCHO, GOTHIC, *ref.latin)
    for name, (alt, family, pitch, charset) in FONT_TABLE.items():
        if name not in used:
            continue
        alt_xml = f'<w:altName w:val="{alt}"/>' if alt else ""
        fonts.append(f'<w:font w:name="{name}">{alt_xml}<w:charset w:val="{charset}"/><w:family w:val="{family}"/><w:pitch w:val="{pitch}"/></w:font>')
    fonts.append("</w:fonts>")
    part._blob = etree.tostring(parse_xml("".join(fonts)), xml_declaration=True, encoding="UTF-8", standalone=True)  # a plain blob part


def _section(doc, ref: Reference) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Twips(ref.page[0]), Twips(ref.page[1])
    top, bottom, left, right = ref.margins
    section.top_margin, section.bottom_margin = Twips(top), Twips(bottom)
    section.left_margin, section.right_margin = Twips(left), Twips(right)
    section.header_distance, section.footer_distance = Twips(ref.distances[0]), Twips(ref.distances[1])
    sect = section._sectPr
    for attr in list(sect.attrib):  # rsid noise from python-docx's template
        del sect.attrib[attr]
    if ref.cols_space:
        sect.find(qn("w:cols")).set(qn("w:space"), ref.cols_space)
    if ref.grid:
        grid = sect.find(qn("w:docGrid"))
        for name, value in ref.grid.items():
            grid.set(qn(f"w:{name}"), value)

    # Footer: the page number as a real field (1 is its cached value), aligned by the Footer style.
    footer = section.footer
    footer.is_linked_to_previous = False
    par = footer.paragraphs[0]
    par.style = doc.styles["Footer"]
    for piece in ref.footer:
        if piece in ("PAGE", "NUMPAGES"):
            _field(par, piece)
        else:
            par.add_run(piece)


def _field(par, name: str) -> None:
    """Append a complex field { NAME } to PAR, showing 1 until the application updates it."""
    for kind, text in (("begin", None), (None, f" {name} "), ("separate", None), (None, None), ("end", None)):
        run = par.add_run()
        if kind:
            run._r.append(OxmlElement("w:fldChar", {qn("w:fldCharType"): kind}))
        elif text:
            instr = OxmlElement("w:instrText", {qn("xml:space"): "preserve"})
            instr.text = text
            run._r.append(instr)
        else:
            run.text = "1"


def _unzip_for_review(data: bytes, xml_dir: Path) -> None:
    """Write every part under XML_DIR, XML indented, so diffs are readable."""
    if xml_dir.exists():
        shutil.rmtree(xml_dir)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            body = z.read(name)
            if name.endswith((".xml", ".rels")):
                tree = etree.fromstring(body)
                etree.indent(tree, space="  ")
                body = etree.tostring(tree, xml_declaration=True, encoding="UTF-8", standalone=True) + b"\n"
            path = xml_dir / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(body)


if __name__ == "__main__":
    main()
