"""The Word writer: small format-neutral HTML → .docx built on an editable reference document.

As with pandoc's reference.docx, every style lives in the reference document and this module
only names styles, so a staff member who restyles the reference in Word restyles every memo.
The built-in references (made by scripts/make_reference_docx.py) share their style names:
templates/word/reference.docx for Japanese documents, reference-en.docx for all others.
docs/word-styles.md lists the styles and what the writer adds on top of them.

A `data-style` naming a style the reference lacks falls back to the tag's default style and is
reported once per document as a warning Problem placed at the reference document, which the
build prints with the others (and --strict fails on).
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import math
import re
import unicodedata
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote, urlsplit

import docx
import lxml.html
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.table import _Cell
from docx.text.paragraph import Paragraph
from lxml import etree

from ..files import file_kind
from ..errors import BriefgenError, Problem
from .templates import BUILTIN_TEMPLATES

if TYPE_CHECKING:
    from .redline import Redline

REFERENCE_DOCX = BUILTIN_TEMPLATES / "word" / "reference.docx"  # Japanese: A4, character grid
REFERENCE_DOCX_EN = BUILTIN_TEMPLATES / "word" / "reference-en.docx"  # other languages: US Letter, no grid


# Children of w:pPr and w:rPr in the order the schema requires (ECMA-376 CT_PPrBase, CT_RPr);
# Word rejects a file whose property elements are out of order.
PPR_ORDER = (
    "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers pBdr shd tabs "
    "suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE autoSpaceDN bidi adjustRightInd "
    "snapToGrid spacing ind contextualSpacing mirrorIndents suppressOverlap jc textDirection textAlignment "
    "textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange"
).split()
RPR_ORDER = (
    "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint noProof snapToGrid "
    "vanish webHidden color spacing w kern position sz szCs highlight u effect bdr shd fitText vertAlign rtl cs "
    "em lang eastAsianLayout specVanish oMath"
).split()

LANG_TAGS = {"ja": "ja-JP", "en": "en-US"}

HEADINGS = {"h1": "Heading 1", "h2": "Heading 2", "h3": "Heading 3", "h4": "Heading 4", "h5": "Heading 4", "h6": "Heading 4"}
INLINE = frozenset(
    "a abbr b bdi bdo br cite code data del dfn em font i img ins kbd label mark q s samp small span strong "
    "sub sup time tt u var wbr".split()
)
SKIP = frozenset("head script style template noscript svg math object iframe button input select textarea".split())
LINK_SCHEMES = ("http", "https", "mailto")

# XML 1.0 forbids these code points (lone surrogates come from badly decoded input).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# HTML collapses ASCII white space only; U+3000 (the full-width space) is meaningful in Japanese.
_WHITE = re.compile(r"([ \t\n\r\f]+)")
_BREAK = None  # segment text meaning <br>


@dataclass
class Docx:
    """A Word document made in memory: its bytes, estimated pages and the warnings making it gave."""

    data: bytes
    pages: int
    problems: list[Problem]


def render_docx(html: str, *, reference: Path | None = None, lang: str = "ja", epoch: int | None = None,
                redline: "Redline | None" = None) -> Docx:
    """Return HTML as .docx bytes with the page-count estimate (or 0) and the warnings.

    Without REFERENCE, the built-in reference for LANG: the Japanese one for "ja", else the English one.
    With REDLINE, the differences from the earlier edition's HTML are Word tracked changes.
    """
    reference = Path(reference) if reference is not None else default_reference(lang)
    doc, writer = _compose(html, reference, lang, epoch)
    if redline is not None:
        from .redline import track_changes

        old, _ = _compose(redline.old_html, reference, lang, epoch)
        track_changes(old, doc, author=redline.author, when=redline.when)
    pages = writer.estimate_pages()
    buf = io.BytesIO()
    doc.save(buf)
    data = buf.getvalue()
    if epoch is not None:
        data = reproducible_zip(data, epoch)
    return Docx(data, pages, writer.problems)


def _compose(html: str, reference: Path, lang: str, epoch: int | None) -> tuple[docx.document.Document, "_Writer"]:
    """Write HTML into a fresh copy of the reference document; return it and its writer."""
    doc = open_reference(reference)
    html = _NOT_XML.sub("", html)
    try:
        root = lxml.html.document_fromstring(html) if html.strip() else None
    except etree.ParserError:  # nothing but white space or comments
        root = None
    writer = _Writer(doc, reference, lang, epoch)
    writer.write(root)
    return doc, writer


def write_docx(html: str, out: Path, *, reference: Path | None = None, lang: str = "ja", epoch: int | None = None) -> int:
    """Write HTML as a .docx at OUT atomically and return the page-count estimate (or 0)."""
    from ..files import atomic_write

    made = render_docx(html, reference=reference, lang=lang, epoch=epoch)
    atomic_write(Path(out), made.data)
    return made.pages


def default_reference(lang: str) -> Path:
    """Return the built-in reference document for LANG ("ja" → the Japanese one, else the English one)."""
    return REFERENCE_DOCX if lang.split("-")[0].lower() == "ja" else REFERENCE_DOCX_EN


def open_reference(path: Path) -> docx.document.Document:
    """Open the reference document at PATH, or raise a one-line error saying what to do."""

    def fail(message: str) -> BriefgenError:
        return BriefgenError([Problem(str(path), 0, message)])

    kind = file_kind(path)
    if kind is not None:  # a FIFO would block the zip reader forever
        raise fail(f"is {kind}, not a .docx file; pass a Word document to --reference-docx")
    if not path.is_file():
        raise fail("reference document not found; pass an existing .docx to --reference-docx, or leave the option out to use the built-in one")
    if not zipfile.is_zipfile(path):
        raise fail("not a .docx file (not a zip archive); open it in Word and save it as 'Word Document (*.docx)'")
    try:
        return docx.Document(str(path))
    except (KeyError, ValueError, zipfile.BadZipFile, etree.LxmlError) as exc:
        what = "a Word template, not a document" if "template.main" in str(exc) else "not a Word document"
        raise fail(f"{what}; open it in Word and save it as 'Word Document (*.docx)'") from None
    except OSError as exc:
        raise fail(f"cannot be read: {exc.strerror or exc}") from None


def set_child(parent, tag: str, order: list[str], **attrs: str):
    """Replace PARENT's child TAG (e.g. "w:lang") with one having ATTRS, placed where ORDER puts it."""
    for old in parent.findall(qn(tag)):
        parent.remove(old)
    child = OxmlElement(tag, {qn(f"w:{k}"): str(v) for k, v in attrs.items()})
    later = order[order.index(tag.split(":")[1]) + 1 :]
    parent.insert_element_before(child, *(f"w:{t}" for t in later))
    return child


def reproducible_zip(data: bytes, epoch: int) -> bytes:
    """Return the zip DATA rewritten with every entry dated EPOCH (UTC): equal input, equal bytes.

    python-docx stamps entries with the current time; entry order is already deterministic.
    """
    when = dt.datetime.fromtimestamp(max(epoch, 315532800), dt.timezone.utc)  # zip dates start in 1980
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=when.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = 0  # not the building machine's OS
            entry.external_attr = 0
            dst.writestr(entry, src.read(info))
    return buf.getvalue()


@dataclass(frozen=True)
class _Fmt:
    """Run formatting picked up from inline elements."""

    bold: bool = False
    italic: bool = False
    vert: str | None = None  # "superscript" or "subscript"
    href: str | None = None
    lang: str | None = None  # set when it differs from the document's language


class _Flow:
    """Where blocks go: the document body or one table cell (whose first paragraph already exists)."""

    def __init__(self, container, first: Paragraph | None = None):
        self.container = container
        self.first = first

    def paragraph(self) -> Paragraph:
        if self.first is not None:
            par, self.first = self.first, None
            return par
        return self.container.add_paragraph()


@dataclass(frozen=True)
class _Ctx:
    flow: _Flow
    lang: str  # effective language of the element being written
    style: str = "Body Text"  # default style for <p> and loose text here
    wanted: str | None = None  # a container's data-style, for <p> and loose text inside it
    keep_next: bool = False
    bold: bool = False  # inside <th>


class _Writer:
    def __init__(self, doc, reference: Path, lang: str, epoch: int | None):
        self.doc = doc
        self.reference = reference
        self.lang = _lang_tag(lang)
        self.epoch = epoch
        self.styles = {s.name: s for s in doc.styles}  # by the name Word shows ("Heading 1")
        self.page_break = False  # a page break waits for the next paragraph
        self.missing: set[str] = set()
        self.problems: list[Problem] = []
        self._fonts: dict[str, str | None] = {}

    # -- document ---------------------------------------------------------------------------

    def write(self, root) -> None:
        body = self.doc.element.body
        for child in list(body):  # the reference's sample content, if any; keep its last sectPr
            if child.tag != qn("w:sectPr"):
                body.remove(child)
        if self.lang == "ja-JP":
            for section in self.doc.sections:  # the footer's "- 1 -" digits in the memo's Mincho
                for part in (section.header, section.first_page_header, section.even_page_header,
                             section.footer, section.first_page_footer, section.even_page_footer):
                    if not part.is_linked_to_previous:
                        for par in part.paragraphs:
                            for run in par.runs:
                                self._latin_font(run, self._east_asian_font(par.style))
        if root is None:
            self._metadata(None)
            return
        self._metadata(root.find("head"))
        body_el = root.find("body")
        if body_el is not None:
            self.blocks(body_el, _Ctx(_Flow(self.doc), lang=_lang_tag(root.get("lang")) or self.lang))

    def _metadata(self, head) -> None:
        meta = {}
        if head is not None:
            meta = {m.get("name", "").lower(): _clean(m.get("content", "")) for m in head.iter("meta")}
            meta["title"] = _clean(head.findtext("title") or "")
        props = self.doc.core_properties
        props.title = meta.get("title", "")
        props.author = meta.get("author", "")
        props.last_modified_by = meta.get("author", "")
        props.subject = meta.get("subject", "")
        props.keywords = meta.get("keywords", "")
        props.comments = meta.get("description", "")
        props.language = self.lang
        for name in ("category", "content_status", "identifier", "version"):  # the reference's, not ours
            if getattr(props, name):
                setattr(props, name, "")
        props.revision = 1
        when = dt.datetime.now(dt.timezone.utc) if self.epoch is None else dt.datetime.fromtimestamp(self.epoch, dt.timezone.utc)
        props.created = props.modified = when.replace(microsecond=0, tzinfo=None)  # python-docx writes it as UTC

    # -- blocks -----------------------------------------------------------------------------

    def blocks(self, el, ctx: _Ctx) -> None:
        """Write EL's children as blocks; loose text and inline elements become paragraphs."""
        ctx = self._enter(el, ctx)
        ctx = replace(ctx, wanted=el.get("data-style") or ctx.wanted)
        pending: list = []
        fmt = self._fmt(ctx)
        _text(el.text, fmt, pending)
        for child in el:
            if _is_element(child) and child.tag not in INLINE:
                self._loose(pending, ctx)
                pending = []
                self.block(child, ctx)
            elif _is_element(child):
                self.inline(child, fmt, pending)
            _text(child.tail, fmt, pending)
        self._loose(pending, ctx)

    def block(self, el, ctx: _Ctx) -> None:
        tag = el.tag
        if tag in SKIP or tag == "hr":  # a rule has no useful Word equivalent in a memo
            return
        if "page-break" in (el.get("class") or "").split():
            self.page_break = True
        if tag in HEADINGS:
            ctx = self._enter(el, ctx)
            self.paragraph(self._inline_children(el, ctx), el.get("data-style"), HEADINGS[tag], ctx)
        elif tag in ("p", "figcaption", "caption", "dt", "dd") and not _has_blocks(el):
            ctx = self._enter(el, ctx)
            default = "Caption" if tag in ("figcaption", "caption") else ctx.style
            self.paragraph(self._inline_children(el, ctx), el.get("data-style") or ctx.wanted, default, ctx)
        elif tag in ("ul", "ol"):
            self.list(el, ctx, level=1)
        elif tag == "table":
            self.table(el, ctx)
        elif tag == "blockquote":
            self.blocks(el, replace(ctx, style="Quote"))
        else:  # div, section, header, footer, aside, article, main, nav, figure, ...
            self.blocks(el, ctx)

    def _loose(self, segs: list, ctx: _Ctx) -> None:
        if any(text and text.strip(" \t\n\r\f") for text, _ in segs):
            self.paragraph(segs, ctx.wanted, ctx.style, ctx)

    def paragraph(self, segs: list, wanted: str | None, default: str, ctx: _Ctx) -> Paragraph:
        """Add a paragraph of SEGS in style WANTED (else DEFAULT) to the current flow."""
        par = ctx.flow.paragraph()
        style = self.style(wanted, default, WD_STYLE_TYPE.PARAGRAPH)
        if style is not None:
            par.style = style
        if ctx.keep_next:
            par.paragraph_format.keep_with_next = True
        if self.page_break:
            par.paragraph_format.page_break_before = True
            self.page_break = False
        self.runs(par, _collapse(segs))
        return par

    def list(self, el, ctx: _Ctx, level: int) -> None:
        """Write a <ul>/<ol>: one paragraph per item; nested lists one level deeper (at most 2)."""
        ctx = self._enter(el, ctx)
        kind = "List Number" if el.tag == "ol" else "List Bullet"
        default = kind if level == 1 else f"{kind} 2"
        numbering = None
        for li in el:
            if not _is_element(li):
                continue
            if li.tag in ("ul", "ol"):  # a list directly inside a list: sloppy but common
                self.list(li, ctx, min(level + 1, 2))
                continue
            lctx = self._enter(li, ctx)
            fmt = self._fmt(lctx)
            segs: list = []
            nested = []
            _text(li.text, fmt, segs)
            for child in li:
                if _is_element(child) and child.tag in ("ul", "ol"):
                    nested.append(child)
                elif _is_element(child) and child.tag not in INLINE:  # <li><p>..</p></li>: one item
                    if segs:
                        segs.append((_BREAK, fmt))
                    segs.extend(self._inline_children(child, lctx))
                elif _is_element(child):
                    self.inline(child, fmt, segs)
                _text(child.tail, fmt, segs)
            par = self.paragraph(segs, li.get("data-style") or el.get("data-style"), default, lctx)
            if li.get("data-style") is None and el.get("data-style") is not None:
                self._keep_marker(par, default)
            if el.tag == "ol":
                numbering = self._restart_numbering(par, numbering)
            for sub in nested:
                self.list(sub, lctx, min(level + 1, 2))

    def _keep_marker(self, par: Paragraph, list_style: str) -> None:
        """Give PAR, an item of a list styled as a whole (<ul data-style>), the bullet or number of LIST_STYLE.

        The item's style (say Box Text) keeps its look; the marker takes the list style's hanging
        indent, counted from where the item style's first line starts. An <li data-style> replaces the list
        style entirely, for items that type their own marker (the memo's gist).
        """
        style = self.styles.get(list_style)
        if par.style is None or style is None or par.style.name == list_style:
            return
        if _inherited_element(par.style, "./w:pPr/w:numPr") is not None:  # the item's style numbers itself
            return
        num_pr = _inherited_element(style, "./w:pPr/w:numPr")
        if num_pr is None:
            return
        ppr = par._p.get_or_add_pPr()
        ppr.insert_element_before(copy.deepcopy(num_pr), *(f"w:{t}" for t in PPR_ORDER[PPR_ORDER.index("numPr") + 1 :]))
        # The marker where the item style's first line starts, the text one hanging indent further
        # in; a border or shading round the items then lines up with the style's other paragraphs.
        own = _inherited_element(par.style, "./w:pPr/w:ind")
        marker = _inherited_element(style, "./w:pPr/w:ind")

        def get(el, name: str) -> int:
            return int(el.get(qn(f"w:{name}")) or 0) if el is not None else 0

        def start(unit: str = "") -> int:
            return max(0, get(own, f"left{unit}") - get(own, f"hanging{unit}") + get(own, f"firstLine{unit}"))

        ind = {"left": start() + get(marker, "hanging"), "hanging": get(marker, "hanging")}
        if get(own, "leftChars") or get(marker, "hangingChars"):  # a grid reference's indents in characters
            ind.update(leftChars=start("Chars") + get(marker, "hangingChars"), hangingChars=get(marker, "hangingChars"))
        for name in ("right", "rightChars"):
            if get(own, name):
                ind[name] = get(own, name)
        set_child(ppr, "w:ind", PPR_ORDER, **ind)

    def _restart_numbering(self, par: Paragraph, numbering):
        """Number PAR from a list instance of its own, so every <ol> starts again at 1."""
        if numbering is None:
            num_pr = _first(par._p.xpath("./w:pPr/w:numPr"))
            if num_pr is None:
                num_pr = _inherited_element(par.style, "./w:pPr/w:numPr")
            num_id = num_pr.xpath("./w:numId/@w:val") if num_pr is not None else []
            if not num_id:
                return False  # the style is not numbered (a user's reference); leave it alone
            ilvl = int((num_pr.xpath("./w:ilvl/@w:val") or ["0"])[0])
            part = self.doc.part.numbering_part.element
            num = part.num_having_numId(int(num_id[0]))
            new = part.add_num(num.abstractNumId.val)
            new.add_lvlOverride(ilvl).add_startOverride(1)
            numbering = (new.numId, ilvl)
        if numbering:
            num_pr = par._p.get_or_add_pPr().get_or_add_numPr()
            num_pr.get_or_add_ilvl().val = numbering[1]
            num_pr.get_or_add_numId().val = numbering[0]
        return numbering

    def table(self, el, ctx: _Ctx) -> None:
        ctx = self._enter(el, ctx)
        if isinstance(ctx.flow.container, _Cell):  # no nested tables: write the cells as paragraphs
            self.blocks(el, ctx)
            return
        caption = el.find("caption")
        if caption is not None:
            self.paragraph(self._inline_children(caption, ctx), caption.get("data-style"), "Caption", replace(ctx, keep_next=True))
        rows = _table_rows(el)
        if not rows:
            return
        ncols = max(sum(_span(c) for c in cells) for cells, _ in rows)
        if self.page_break:  # pageBreakBefore is ignored inside tables: break in a paragraph before it
            self.paragraph([], None, "Body Text", ctx)
        table = self.doc.add_table(rows=len(rows), cols=ncols)
        style = self.style(el.get("data-style"), "Table Grid", WD_STYLE_TYPE.TABLE)
        if style is not None:
            table.style = style
        _table_look(table, header=rows[0][1])
        text_style = self.style(None, "Table Text", WD_STYLE_TYPE.PARAGRAPH)
        for r, (cells, header) in enumerate(rows):
            tr_pr = table.rows[r]._tr.get_or_add_trPr()
            tr_pr.append(OxmlElement("w:cantSplit"))
            if header:  # repeat on every page (Word honours this for leading rows only)
                tr_pr.append(OxmlElement("w:tblHeader"))
            c = 0
            for cell_el in cells:
                span = min(_span(cell_el), ncols - c)
                cell = table.cell(r, c)
                if span > 1:
                    cell = cell.merge(table.cell(r, c + span - 1))
                first = cell.paragraphs[0]
                if text_style is not None:
                    first.style = text_style
                cctx = _Ctx(_Flow(cell, first), lang=ctx.lang, style="Table Text", keep_next=ctx.keep_next, bold=cell_el.tag == "th")
                self.blocks(cell_el, cctx)
                c += span
        self._fit_columns(table, rows, ncols)

    def _fit_columns(self, table, rows: list, ncols: int) -> None:
        """Give TABLE column widths fitted to their text, as a browser's automatic table layout does.

        Word's own autofit is not honoured by every application (LibreOffice keeps the equal
        columns python-docx writes), so the widths are computed: each column gets at least its
        longest unbreakable piece (a header such as 出典 and a value such as 1.48ポイント whole,
        a year such as 2024年), and the room left is shared in proportion to how much more text
        each column has. Cells spanning columns are left out of the measure.
        """
        section = self.doc.sections[-1]
        width = (section.page_width - section.left_margin - section.right_margin) / 12700  # EMU → pt
        indent = _first(table._tbl.xpath("./w:tblPr/w:tblInd/@w:w"))
        width -= int(indent or 0) / 20
        style = self.styles.get("Table Text")
        size = int(_inherited_attr(style, "./w:rPr/w:sz/@w:val") or 21) / 2 if style is not None else 10.5
        pad = 2 * 108 / 20  # Word's default cell margins, left and right, in pt
        least, most = [pad] * ncols, [pad] * ncols
        for cells, _ in rows:
            if len(cells) != ncols or any(_span(c) > 1 for c in cells):
                continue
            for i, cell in enumerate(cells):
                text = _clean(" ".join(cell.itertext()))
                # Headers and values (class "value" or "nowrap") never break: no 「出/典」.
                whole = cell.tag == "th" or {"value", "nowrap"} & set((cell.get("class") or "").split())
                pieces = [text] if whole else _unbreakable(text)
                # 15% and half an em to spare: Word's space between Japanese and digits, font metrics.
                least[i] = max(least[i], pad + size * (1.15 * max((_ems(w) for w in pieces), default=0) + 0.5))
                most[i] = max(most[i], pad + size * _ems(text) * 1.02)
        if sum(least) >= width:
            widths = [width * w / sum(least) for w in least]
        elif sum(most) <= width:
            widths = [width * w / sum(most) for w in most]
        else:
            extra = [m - l for l, m in zip(least, most)]
            room = width - sum(least)
            widths = [l + room * e / sum(extra) for l, e in zip(least, extra)]
        table.autofit = False
        twips = [int(w * 20) for w in widths]
        for col, w in zip(table._tbl.tblGrid.gridCol_lst, twips):
            col.w = w * 635  # twips → EMU (python-docx stores gridCol widths as Length)
        for row in table.rows:
            for i, cell in enumerate(row.cells[:ncols]):
                cell.width = twips[i] * 635

    # -- inline -----------------------------------------------------------------------------

    def _inline_children(self, el, ctx: _Ctx) -> list:
        segs: list = []
        fmt = self._fmt(ctx)
        _text(el.text, fmt, segs)
        for child in el:
            if _is_element(child):
                self.inline(child, fmt, segs)
            _text(child.tail, fmt, segs)
        return segs

    def inline(self, el, fmt: _Fmt, segs: list) -> None:
        """Append EL's text to SEGS as (text, format) pairs; a (None, format) pair is a line break."""
        tag = el.tag
        if tag in SKIP or tag == "img":  # images are never fetched
            return
        if tag == "br":
            segs.append((_BREAK, fmt))
            return
        lang = _lang_tag(el.get("lang"))
        if lang:
            fmt = replace(fmt, lang=None if lang == self.lang else lang)
        if tag in ("strong", "b"):
            fmt = replace(fmt, bold=True)
        elif tag in ("em", "i", "cite", "var", "dfn"):
            fmt = replace(fmt, italic=True)
        elif tag == "sup":  # also sup.noteref, the footnote marker
            fmt = replace(fmt, vert="superscript")
        elif tag == "sub":
            fmt = replace(fmt, vert="subscript")
        elif tag == "a":
            fmt = replace(fmt, href=_link_target(el.get("href")))
        _text(el.text, fmt, segs)
        for child in el:
            if _is_element(child):
                self.inline(child, fmt, segs)
            _text(child.tail, fmt, segs)

    def runs(self, par: Paragraph, segs: list) -> None:
        latin = self._east_asian_font(par.style) if self.lang == "ja-JP" else None
        link, link_href = None, None
        for text, fmt in segs:
            if fmt.href != link_href:
                link_href = fmt.href
                link = self._hyperlink(par, link_href) if link_href else None
            run = par.add_run()
            if text is _BREAK:
                run.add_break()
            else:
                run.text = text
            if link is not None:
                link.append(run._r)
                style = self.style(None, "Hyperlink", WD_STYLE_TYPE.CHARACTER)
                if style is not None:
                    run.style = style
            run.bold = fmt.bold or None
            run.italic = fmt.italic or None
            if fmt.vert:
                setattr(run.font, fmt.vert, True)
            if fmt.lang:
                attrs = {"val": fmt.lang, "eastAsia": fmt.lang} if fmt.lang == "ja-JP" else {"val": fmt.lang}
                set_child(run._r.get_or_add_rPr(), "w:lang", RPR_ORDER, **attrs)
            # Text marked as another language (an English citation in a memo) keeps the style's
            # Latin font and Latin quotes; only the document's own language borrows the Japanese face.
            self._latin_font(run, latin if fmt.lang in (None, "ja-JP") else None)

    def _latin_font(self, run, font: str | None) -> None:
        """In a Japanese memo, print half-width digits and Latin in the style's Japanese font."""
        if font:
            fonts = run._r.get_or_add_rPr().get_or_add_rFonts()
            fonts.set(qn("w:ascii"), font)
            fonts.set(qn("w:hAnsi"), font)
            fonts.set(qn("w:hint"), "eastAsia")  # quotes, dashes, ※ and the like from the Japanese font too

    def _hyperlink(self, par: Paragraph, href: str):
        el = OxmlElement("w:hyperlink", {qn("r:id"): par.part.relate_to(href, RT.HYPERLINK, is_external=True)})
        par._p.append(el)
        return el

    # -- styles -----------------------------------------------------------------------------

    def _enter(self, el, ctx: _Ctx) -> _Ctx:
        lang = _lang_tag(el.get("lang"))
        if lang:
            ctx = replace(ctx, lang=lang)
        if el.get("data-keep-next") is not None:
            ctx = replace(ctx, keep_next=True)
        return ctx

    def _fmt(self, ctx: _Ctx) -> _Fmt:
        return _Fmt(bold=ctx.bold, lang=None if ctx.lang == self.lang else ctx.lang)

    def style(self, wanted: str | None, default: str, kind):
        """Return the reference's style WANTED, else DEFAULT, else None (Word's Normal); warn once per miss."""
        for name in (wanted, default):
            if not name:
                continue
            style = self.styles.get(name)
            if style is not None and style.type == kind:
                return style
            if name not in self.missing:
                self.missing.add(name)
                instead = default if name == wanted and name != default else "Normal"
                what = {WD_STYLE_TYPE.PARAGRAPH: "paragraph", WD_STYLE_TYPE.CHARACTER: "character", WD_STYLE_TYPE.TABLE: "table"}[kind]
                message = f"the reference document has no {what} style '{name}'; used '{instead}' instead (add the style in Word to control its look)"
                self.problems.append(Problem(str(self.reference), 0, message, "warning", "style"))
        return None

    def _east_asian_font(self, style) -> str | None:
        """Return the East Asian font STYLE resolves to, or None when it comes from the theme."""
        key = style.style_id if style is not None else ""
        if key not in self._fonts:
            fonts = _inherited_element(style, "./w:rPr/w:rFonts[@w:eastAsia or @w:eastAsiaTheme]")
            if fonts is None:
                fonts = _first(self.doc.styles.element.xpath("./w:docDefaults/w:rPrDefault/w:rPr/w:rFonts"))
            themed = fonts is None or fonts.get(qn("w:eastAsiaTheme"))
            self._fonts[key] = None if themed else fonts.get(qn("w:eastAsia"))
        return self._fonts[key]

    # -- page estimate ----------------------------------------------------------------------

    def estimate_pages(self) -> int:
        """Estimate the page count from text lengths, font sizes and the section's line grid (if any)."""
        section = self.doc.sections[-1]
        width = (section.page_width - section.left_margin - section.right_margin) / 12700  # EMU → pt
        height = (section.page_height - section.top_margin - section.bottom_margin) / 12700
        grid = section._sectPr.find(qn("w:docGrid"))
        if grid is not None and grid.get(qn("w:type")) in ("lines", "linesAndChars", "snapToChars"):
            pitch = int(grid.get(qn("w:linePitch"), "360")) / 20
            per_page = max(1, int(height // pitch))  # in grid lines
        else:  # no grid: lines as tall as their type, counted in points
            pitch, per_page = None, height
        pages, used, blocks = 0, 0.0, 0
        for block in self.doc.iter_inner_content():
            blocks += 1
            if isinstance(block, Paragraph):
                if block.paragraph_format.page_break_before or block._p.xpath(".//w:br[@w:type='page']"):
                    pages, used = pages + 1, 0.0
                lines = self._lines(block, width, pitch)
            else:
                lines = sum(
                    max(sum(self._lines(p, width / len(row.cells), pitch) for p in cell.paragraphs) for cell in row.cells)
                    for row in block.rows
                )
            used += lines
            while used > per_page:
                pages, used = pages + 1, used - per_page
        return pages + 1 if blocks else 0

    def _lines(self, par: Paragraph, width: float, pitch: float | None) -> float:
        """Return PAR's height in grid lines of PITCH points, or in points when there is no grid."""
        size = int(_inherited_attr(par.style, "./w:rPr/w:sz/@w:val") or 21) / 2
        ems = sum(1 if unicodedata.east_asian_width(ch) in "WF" else 0.55 for ch in par.text)
        lines = max(1, math.ceil(ems * size / width))
        space = sum(int(_inherited_attr(par.style, f"./w:pPr/w:spacing/@w:{side}") or 0) for side in ("before", "after"))
        if pitch is None:
            return lines * size * 1.3 + space / 20
        return lines * max(1, math.ceil(size * 1.3 / pitch)) + space / 20 / pitch


# -- helpers ------------------------------------------------------------------------------------


def _is_element(node) -> bool:
    return isinstance(node.tag, str)  # comments and processing instructions are not


def _has_blocks(el) -> bool:
    return any(_is_element(c) and c.tag not in INLINE for c in el)


def _clean(text: str) -> str:
    return _NOT_XML.sub("", text).strip()


def _lang_tag(lang: str | None) -> str | None:
    """Return Word's language tag for an HTML lang attribute ("ja" → "ja-JP")."""
    if not lang:
        return None
    return LANG_TAGS.get(lang.split("-")[0].lower(), lang)


def _text(text: str | None, fmt: _Fmt, segs: list) -> None:
    if text:
        segs.append((_NOT_XML.sub("", text), fmt))


def _ems(text: str) -> float:
    """Return TEXT's approximate width in em: full-width characters 1, others 0.55."""
    return sum(1 if unicodedata.east_asian_width(ch) in "WF" else 0.55 for ch in text)


_BREAK_AFTER = re.compile(r"(?<=[\s、。，．・（）「」])|(?<=[\u3040-\u30ff\u4e00-\u9fff])(?=[\u3040-\u30ff\u4e00-\u9fff（「])")


def _unbreakable(text: str) -> list[str]:
    """Return the pieces of TEXT a line cannot break inside: Latin words and numbers with their
    units stay whole; Japanese text breaks between characters (after 、。 and brackets)."""
    return [p.strip() for p in _BREAK_AFTER.split(text) if p.strip()]


def _wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in "WFH"


def _collapse(segs: list) -> list:
    """Collapse HTML white space across SEGS, merging runs of equal format.

    As in CSS, a line break in the source between two CJK characters disappears instead of
    becoming a space ("日本は\\n石油" → "日本は石油"), and white space at line ends is dropped.
    """
    out: list = []
    last = ""  # last character written on this line
    pending = None  # collapsed white space waiting for visible text: " " or "\n"
    pending_fmt = None

    def emit(text, fmt):
        if out and out[-1][0] is not _BREAK and text is not _BREAK and out[-1][1] == fmt:
            out[-1] = (out[-1][0] + text, fmt)
        else:
            out.append((text, fmt))

    for text, fmt in segs:
        if text is _BREAK:
            out.append((_BREAK, fmt))
            last, pending = "", None
            continue
        for piece in _WHITE.split(text):
            if not piece:
                continue
            if piece[0] in " \t\n\r\f":
                if pending is None:
                    pending, pending_fmt = " ", fmt
                if "\n" in piece or "\r" in piece:
                    pending = "\n"
                continue
            if pending and last and not (pending == "\n" and _wide(last) and _wide(piece[0])):
                if pending_fmt == fmt or not out or out[-1][0] is _BREAK:
                    piece = " " + piece
                else:  # keep the space where it was, so a link's underline does not start with it
                    out[-1] = (out[-1][0] + " ", out[-1][1])
            emit(piece, fmt)
            last, pending = piece[-1], None
    return out


def _link_target(href: str | None) -> str | None:
    """Return HREF made safe for a Word relationship, or None for links that should stay text."""
    if not href or urlsplit(href.strip()).scheme.lower() not in LINK_SCHEMES:
        return None  # in-page anchors, relative and script URLs
    return quote(_clean(href), safe=":/?#[]@!$&'()*+,;=%~")


def _span(cell) -> int:
    try:
        return max(1, int(cell.get("colspan", "1")))
    except ValueError:
        return 1


def _table_rows(table) -> list[tuple[list, bool]]:
    """Return (cells, is_header) for each row: <thead> rows, or a leading row of only <th>."""
    rows = []
    for part in table:
        if not _is_element(part):
            continue
        if part.tag == "tr":
            rows.append((part, False))
        elif part.tag in ("thead", "tbody", "tfoot"):
            rows.extend((tr, part.tag == "thead") for tr in part if _is_element(tr) and tr.tag == "tr")
    rows = [([c for c in tr if _is_element(c) and c.tag in ("th", "td")], head) for tr, head in rows]
    rows = [(cells, head) for cells, head in rows if cells]
    if rows and not any(head for _, head in rows) and all(c.tag == "th" for c in rows[0][0]):
        rows[0] = (rows[0][0], True)
    # Only leading rows can repeat as a header; a <thead> after body rows is just a row.
    leading = True
    for i, (cells, head) in enumerate(rows):
        leading = leading and head
        rows[i] = (cells, leading)
    return rows


def _table_look(table, header: bool) -> None:
    """Apply the table style's header-row formatting only when there is a header row."""
    look = table._tbl.tblPr.find(qn("w:tblLook"))
    if look is None:
        look = OxmlElement("w:tblLook")
        table._tbl.tblPr.append(look)
    values = {"firstRow": int(header), "lastRow": 0, "firstColumn": 0, "lastColumn": 0, "noHBand": 1, "noVBand": 1}
    for name, value in values.items():
        look.set(qn(f"w:{name}"), str(value))
    # The legacy bit mask Word 2007 reads: firstRow 0x20, noHBand 0x200, noVBand 0x400.
    look.set(qn("w:val"), f"{0x20 * header + 0x600:04X}")


def _first(items: list):
    return items[0] if items else None


def _inherited_element(style, xpath: str):
    """Return the first element XPATH finds in STYLE or the styles it is based on."""
    while style is not None:
        found = style.element.xpath(xpath)
        if found:
            return found[0]
        style = style.base_style
    return None


def _inherited_attr(style, xpath: str) -> str | None:
    while style is not None:
        found = style.element.xpath(xpath)
        if found:
            return str(found[0])
        style = style.base_style
    return None
