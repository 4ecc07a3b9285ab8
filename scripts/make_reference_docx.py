#!/usr/bin/env python3
"""(Re)create templates/word/reference.docx, the Word reference document, and its unzipped XML.

The Word writer (briefgen.render.word) takes every style from this document, so staff restyle
the output by editing the .docx in Word (docs/word-styles.md). This script is the reviewed
source of the built-in look; templates/word/reference/ holds the same parts as indented XML so
a style change shows in a diff. Run it after editing a style here:

    .venv/bin/python scripts/make_reference_docx.py
"""

from __future__ import annotations

import io
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path

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
OUT = ROOT / "templates" / "word" / "reference.docx"
XML_DIR = ROOT / "templates" / "word" / "reference"
EPOCH = 1767225600  # 2026-01-01T00:00:00Z: fixed, so rerunning the script changes nothing

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


MINCHO, GOTHIC = "BIZ UD明朝", "BIZ UDゴシック"  # East Asian slot: Japanese text
SERIF, SANS = "Noto Serif", "Noto Sans"  # Latin slots: English documents (see docs/word-styles.md)
FONT_TABLE = {  # name: (name on non-Japanese systems, family, pitch, charset 80 = Shift_JIS)
    MINCHO: ("BIZ UDMincho", "roman", "fixed", "80"),
    GOTHIC: ("BIZ UDGothic", "modern", "fixed", "80"),
    SERIF: (None, "roman", "variable", "00"),
    SANS: (None, "swiss", "variable", "00"),
}


@dataclass
class P:
    """A paragraph style. Indents are in grid characters; FIRST > 0 indents, < 0 hangs."""

    name: str
    based_on: str = "Normal"
    gothic: bool = False
    size: float | None = None
    bold: bool = False
    align: str | None = None  # left, center, right, both
    left: float = 0
    right: float = 0
    first: float = 0
    before: float = 0  # in lines
    after: float = 0
    keep_next: bool = False
    outline: int | None = None
    next: str | None = None
    grid: bool = True  # snap to the page's line and character grid (off: bigger type would take 2 cells a character)
    line: int | None = None  # off the grid: line height in 240ths of single spacing; None: at least one grid line
    box: bool = False  # a thin border round consecutive paragraphs of the style
    shade: str | None = None
    numbering: tuple[int, int] | None = None  # (numId, ilvl)
    builtin: bool = False  # one of Word's own styles, shown under its localized name


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
    P("Date Line", align="right"),
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
    <w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/>
    <w:compatSetting w:name="overrideTableStyleFontSizeAndJustification" w:uri="http://schemas.microsoft.com/office/word" w:val="1"/>
    <w:compatSetting w:name="enableOpenTypeFeatures" w:uri="http://schemas.microsoft.com/office/word" w:val="1"/>
    <w:compatSetting w:name="doNotFlipMirrorIndents" w:uri="http://schemas.microsoft.com/office/word" w:val="1"/>
  </w:compat>
  <w:themeFontLang w:val="en-US" w:eastAsia="ja-JP"/>
  <w:decimalSymbol w:val="."/>
  <w:listSeparator w:val=","/>
</w:settings>"""


def main() -> None:
    doc = docx.Document()  # python-docx's default template supplies the package plumbing
    _prune(doc)
    _styles(doc)
    _numbering(doc)
    _replace_children(doc.settings.element, SETTINGS)
    _font_table(doc)
    _section(doc)
    _samples(doc)
    props = doc.core_properties
    props.title, props.author, props.last_modified_by = "briefgen reference document", "briefgen", ""
    props.comments = "Styles for briefgen's Word output; see docs/word-styles.md"
    props.created = props.modified = _fixed_time()
    props.revision = 1

    buf = io.BytesIO()
    doc.save(buf)
    data = reproducible_zip(buf.getvalue(), EPOCH)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_bytes(data)
    _unzip_for_review(data)
    print(f"wrote {OUT.relative_to(ROOT)} and {XML_DIR.relative_to(ROOT)}/")


# One paragraph per style, so whoever opens the reference in Word sees each style and can
# restyle it in place (the writer ignores this text; it keeps only the styles and the section).
SAMPLES = [
    ("Doc Number", "JFIR第1号（Doc Number）"),
    ("Date Line", "令和8年（2026年）5月31日（Date Line）"),
    ("Addressee", "外務省北米局長　様（Addressee）"),
    ("Sender", "公益財団法人日本国際フォーラム（Sender）"),
    ("Title", "日米協力の深化について（提言）（Title）"),
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
    ("Contact", "日本国際フォーラム　電話 03-0000-0000"),
    ("Box Title", "Key takeaways (Box Title)"),
    ("Box Text", "A shaded box for the key points of an English brief (Box Text)."),
]


def _samples(doc) -> None:
    for style, text in SAMPLES:
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


def _fonts(rpr, gothic: bool) -> None:
    """Set all four font slots: Latin (ascii, hAnsi, cs) and Japanese (eastAsia)."""
    latin, japanese = (SANS, GOTHIC) if gothic else (SERIF, MINCHO)
    set_child(rpr, "w:rFonts", RPR_ORDER, ascii=latin, hAnsi=latin, cs=latin, eastAsia=japanese)


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


def _styles(doc) -> None:
    styles = doc.styles.element
    for child in list(styles):
        styles.remove(child)
    # Defaults every style inherits: 10.5 pt, Mincho, Latin text English, East Asian Japanese.
    styles.append(parse_xml(f"""<w:docDefaults {nsdecls("w")}>
      <w:rPrDefault><w:rPr>
        <w:rFonts w:ascii="{SERIF}" w:eastAsia="{MINCHO}" w:hAnsi="{SERIF}" w:cs="{SERIF}"/>
        <w:kern w:val="2"/><w:sz w:val="{round(BODY_PT * 2)}"/><w:szCs w:val="{round(BODY_PT * 2)}"/>
        <w:lang w:val="en-US" w:eastAsia="ja-JP" w:bidi="ar-SA"/>
      </w:rPr></w:rPrDefault>
      <w:pPrDefault><w:pPr><w:kinsoku/></w:pPr></w:pPrDefault>
    </w:docDefaults>"""))
    # Word's own defaults, which every document needs under these names.
    for kind, name, sid in (("character", "Default Paragraph Font", "DefaultParagraphFont"), ("numbering", "No List", "NoList")):
        styles.append(parse_xml(f'<w:style {nsdecls("w")} w:type="{kind}" w:default="1" w:styleId="{sid}"><w:name w:val="{name}"/><w:uiPriority w:val="1"/><w:semiHidden/><w:unhideWhenUsed/></w:style>'))
    styles.append(parse_xml(f"""<w:style {nsdecls("w")} w:type="table" w:default="1" w:styleId="TableNormal">
      <w:name w:val="Normal Table"/><w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/>
      <w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/>
      <w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>"""))

    api = doc.styles
    for spec in STYLES:
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
        if spec.name == "Normal":
            fmt.widow_control = False  # Word's Japanese Normal: lines may be left alone at a page end
        if spec.keep_next:
            fmt.keep_with_next = True
        if spec.numbering:
            num_pr = ppr.get_or_add_numPr()
            if spec.numbering[1]:
                num_pr.get_or_add_ilvl().val = spec.numbering[1]
            num_pr.get_or_add_numId().val = spec.numbering[0]
        if spec.box:
            line = '<w:{0} w:val="single" w:sz="4" w:space="4" w:color="7F7F7F"/>'
            borders = parse_xml(f'<w:pBdr {nsdecls("w")}>{"".join(line.format(s) for s in ("top", "left", "bottom", "right"))}</w:pBdr>')
            ppr.insert_element_before(borders, *(f"w:{t}" for t in PPR_ORDER[PPR_ORDER.index("pBdr") + 1 :]))
        if spec.shade:
            set_child(ppr, "w:shd", PPR_ORDER, val="clear", color="auto", fill=spec.shade)
        if not spec.grid:
            set_child(ppr, "w:snapToGrid", PPR_ORDER, val="0")
        spacing = {}
        if spec.before or spec.after or spec.name == "Normal":
            # In whole lines: beforeLines/afterLines (1/100 line) for Word, twips for others.
            spacing.update(before=round(spec.before * LINE_PITCH), beforeLines=round(spec.before * 100),
                           after=round(spec.after * LINE_PITCH), afterLines=round(spec.after * 100))
        if not spec.grid:  # off the grid, keep lines from collapsing to the bare font height
            spacing.update(line=spec.line, lineRule="auto") if spec.line else spacing.update(line=LINE_PITCH, lineRule="atLeast")
        if spacing:
            set_child(ppr, "w:spacing", PPR_ORDER, **spacing)
        if spec.left or spec.right or spec.first or spec.numbering:
            set_child(ppr, "w:ind", PPR_ORDER, **_indent_attrs(spec.left, spec.right, spec.first))
        if spec.align:
            fmt.alignment = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER,
                             "right": WD_ALIGN_PARAGRAPH.RIGHT, "both": WD_ALIGN_PARAGRAPH.JUSTIFY}[spec.align]
        if spec.outline is not None:
            set_child(ppr, "w:outlineLvl", PPR_ORDER, val=spec.outline)
        _fonts(rpr, spec.gothic)
        if spec.bold:
            style.font.bold = True
        if spec.size:
            style.font.size = Pt(spec.size)
            set_child(rpr, "w:szCs", RPR_ORDER, val=round(spec.size * 2))
    for spec in STYLES:
        if spec.next:
            api[spec.name].next_paragraph_style = api[spec.next]

    link = api.add_style("Hyperlink", WD_STYLE_TYPE.CHARACTER, builtin=True)
    link.base_style = api["Default Paragraph Font"]
    link.font.color.rgb = RGBColor(0x05, 0x63, 0xC1)
    link.font.underline = True

    # Table Grid: 0.5 pt single lines everywhere, header row light grey and bold.
    border = '<w:{0} w:val="single" w:sz="4" w:space="0" w:color="auto"/>'
    sides = "".join(border.format(s) for s in ("top", "left", "bottom", "right", "insideH", "insideV"))
    styles.append(parse_xml(f"""<w:style {nsdecls("w")} w:type="table" w:styleId="TableGrid">
      <w:name w:val="Table Grid"/><w:basedOn w:val="TableNormal"/><w:uiPriority w:val="39"/>
      <w:pPr><w:snapToGrid w:val="0"/></w:pPr>
      <w:tblPr><w:tblBorders>{sides}</w:tblBorders>
        <w:tblCellMar><w:top w:w="28" w:type="dxa"/><w:left w:w="99" w:type="dxa"/><w:bottom w:w="28" w:type="dxa"/><w:right w:w="99" w:type="dxa"/></w:tblCellMar></w:tblPr>
      <w:tblStylePr w:type="firstRow"><w:rPr><w:b/><w:bCs/></w:rPr>
        <w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="D9D9D9"/></w:tcPr></w:tblStylePr>
    </w:style>"""))


def _numbering(doc) -> None:
    xml = [f"<w:numbering {nsdecls('w')}>"]
    for abstract_id, levels in NUMBERING:
        xml.append(f'<w:abstractNum w:abstractNumId="{abstract_id}"><w:multiLevelType w:val="hybridMultilevel"/>')
        for ilvl, (fmt, text, style, left, first) in enumerate(levels):
            # A full-width bullet fills its one-character hanging indent exactly; a tab after it
            # would jump to the next tab stop, so the text follows the bullet directly.
            suffix = '<w:suff w:val="nothing"/>' if fmt == "bullet" else ""
            ind = " ".join(f'w:{k}="{v}"' for k, v in _indent_attrs(left, 0, first).items())
            xml.append(
                f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:pStyle w:val="{style}"/>{suffix}'
                f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
                f"<w:pPr><w:ind {ind}/></w:pPr>"
                # the marker takes the paragraph's Japanese font, so "・" looks the same in both languages
                f'<w:rPr><w:rFonts w:hint="eastAsia"/></w:rPr></w:lvl>'
            )
        xml.append("</w:abstractNum>")
    xml += [f'<w:num w:numId="{a + 1}"><w:abstractNumId w:val="{a}"/></w:num>' for a, _ in NUMBERING]
    xml.append("</w:numbering>")
    _replace_children(doc.part.numbering_part.element, "".join(xml))


def _font_table(doc) -> None:
    """List the fonts with their English names, so Word finds them on any system."""
    part = doc.part.part_related_by(RT.FONT_TABLE)
    fonts = [f"<w:fonts {nsdecls('w')}>"]
    for name, (alt, family, pitch, charset) in FONT_TABLE.items():
        alt_xml = f'<w:altName w:val="{alt}"/>' if alt else ""
        fonts.append(f'<w:font w:name="{name}">{alt_xml}<w:charset w:val="{charset}"/><w:family w:val="{family}"/><w:pitch w:val="{pitch}"/></w:font>')
    fonts.append("</w:fonts>")
    part._blob = etree.tostring(parse_xml("".join(fonts)), xml_declaration=True, encoding="UTF-8", standalone=True)  # a plain blob part


def _section(doc) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Twips(PAGE_W), Twips(PAGE_H)
    section.top_margin, section.bottom_margin = Twips(TOP), Twips(BOTTOM)
    section.left_margin, section.right_margin = Twips(LEFT), Twips(RIGHT)
    section.header_distance, section.footer_distance = Twips(HEADER), Twips(FOOTER)
    sect = section._sectPr
    for attr in list(sect.attrib):  # rsid noise from python-docx's template
        del sect.attrib[attr]
    sect.find(qn("w:cols")).set(qn("w:space"), "425")
    grid = sect.find(qn("w:docGrid"))
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(LINE_PITCH))
    grid.set(qn("w:charSpace"), str(CHAR_SPACE))

    # Footer: "- 1 -", centred by the Footer style, with a real PAGE field (1 is its cached value).
    footer = section.footer
    footer.is_linked_to_previous = False
    par = footer.paragraphs[0]
    par.style = doc.styles["Footer"]
    par.add_run("- ")
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, None), ("end", None)):
        run = par.add_run()
        if kind:
            run._r.append(OxmlElement("w:fldChar", {qn("w:fldCharType"): kind}))
        elif text:
            instr = OxmlElement("w:instrText", {qn("xml:space"): "preserve"})
            instr.text = text
            run._r.append(instr)
        else:
            run.text = "1"
    par.add_run(" -")


def _unzip_for_review(data: bytes) -> None:
    """Write every part under templates/word/reference/, XML indented, so diffs are readable."""
    if XML_DIR.exists():
        shutil.rmtree(XML_DIR)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            body = z.read(name)
            if name.endswith((".xml", ".rels")):
                tree = etree.fromstring(body)
                etree.indent(tree, space="  ")
                body = etree.tostring(tree, xml_declaration=True, encoding="UTF-8", standalone=True) + b"\n"
            path = XML_DIR / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(body)


if __name__ == "__main__":
    main()
