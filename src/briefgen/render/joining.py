"""Join one-page tagged PDFs into one document that stays tagged: the handout pack from the one-pagers' own pages.

Each page comes over unchanged (its content stream, fonts and marked-content ids), so a pack page
is the very page of its one-pager. What a tagged PDF keeps outside its pages is rebuilt for the
whole: one Document structure element holding each page's tree as a Part in that page's language,
one parent tree (each page's /StructParents and each annotation's /StructParent shifted past the
pages before it; marked-content ids are numbered per page, so they stay), an outline, page
labels, the document's language and title. Each page brings its own subsets of the fonts it
uses; the subsets of one font are joined into one (WeasyPrint's subsets keep glyph ids), so the
pack embeds each font once, as a document laid out in one piece would.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

_DC_TITLE = re.compile(rb"(<dc:title>\s*<rdf:Alt>\s*<rdf:li[^>]*>)(.*?)(</rdf:li>)", re.S)
_BFCHAR = re.compile(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>")


@dataclass
class Page:
    """One single-page tagged PDF to join, and where it stands in the whole."""

    data: bytes
    lang: str  # the language its text is in (its catalog's /Lang)
    label: str  # the page label a viewer shows
    group: str  # pages of one group (a theme's sheet) share one top-level outline entry
    kids: list = field(default_factory=list)  # filled while joining: the page's outline entries


def join_pages(pages: list[Page], *, title: str, lang: str) -> bytes:
    """Return PAGES joined into one tagged PDF titled TITLE in language LANG, bytes reproducible.

    The first page's file is the base: its catalog keeps what the writer declared for the
    whole file (marked content, title display, metadata, an archival output intent).
    """
    import pikepdf

    base = pikepdf.open(io.BytesIO(pages[0].data))
    root = base.Root.StructTreeRoot
    document = base.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructElem, S=pikepdf.Name.Document, P=root, K=pikepdf.Array()))
    nums = pikepdf.Array()
    next_key = 0
    outlines = []
    sources = []  # copied streams are read from their file when saving: keep each open till then
    for number, page in enumerate(pages):
        pdf = base if number == 0 else pikepdf.open(io.BytesIO(page.data))
        sources.append(pdf)
        if len(pdf.pages) != 1:
            raise ValueError(f"page {number + 1} to join has {len(pdf.pages)} pages")
        tree = pdf.Root.StructTreeRoot
        part = _only(tree.K)
        old_page = pdf.pages[0]
        outline = _outline(pdf)
        # Shift the page's parent-tree keys past those of the pages before it.
        shift = {}
        for key in _parent_keys(old_page):
            shift[key] = next_key
            next_key += 1
        entries = dict(_number_tree(tree.ParentTree))
        if number:
            # Copying the page and then its structure through one foreign-object map keeps the
            # structure's /Pg and annotation references pointing at the copied page.
            base.pages.append(old_page)
            part = base.copy_foreign(_detached(part))
            entries = {key: _copied(base, value) for key, value in entries.items() if key in shift}
        new_page = base.pages[number]
        _renumber(new_page, shift)
        for key, value in sorted(entries.items()):
            if key in shift:
                nums.append(shift[key])
                nums.append(value)
        part.S = pikepdf.Name.Part
        part.P = document
        part.Lang = pikepdf.String(page.lang)
        document.K.append(part)
        outlines.append([(t, new_page, p, k) for t, p, k in outline])
    root.K = document
    root.ParentTree = base.make_indirect(pikepdf.Dictionary(Nums=_sorted_pairs(nums)))
    root.ParentTreeNextKey = next_key
    if "/Names" in base.Root and "/Dests" in base.Root.Names:
        del base.Root.Names.Dests  # each page's anchors named alike (sheet-THEME-0); nothing in the pack links to them
    base.Root.Lang = pikepdf.String(lang)
    base.Root.PageLabels = pikepdf.Dictionary(Nums=pikepdf.Array(
        [v for i, page in enumerate(pages) for v in (i, pikepdf.Dictionary(P=pikepdf.String(page.label)))]))
    _set_outline(base, pages, outlines)
    _set_title(base, title)
    _share_fonts(base)
    out = io.BytesIO()
    # /ID from the content, so rebuilds are byte-identical; object streams pack the many small
    # structure elements. Objects nothing refers to any more (the fonts folded) are not written.
    base.save(out, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    for pdf in sources:
        pdf.close()
    return out.getvalue()


def _only(k):
    """Return the one Document element under a structure tree root's /K (a dictionary or a one-item array)."""
    import pikepdf

    if isinstance(k, pikepdf.Array):
        if len(k) != 1:
            raise ValueError("a page to join has more than one top-level structure element")
        return k[0]
    return k


def _detached(element):
    """Return ELEMENT without its parent link, so copying it does not copy the tree root above it."""
    del element.P
    return element


def _copied(pdf, value):
    """Return VALUE from another file as an object of PDF (copy_foreign takes indirect objects only)."""
    import pikepdf

    if isinstance(value, (pikepdf.Array, pikepdf.Dictionary)) and value.is_indirect:
        return pdf.copy_foreign(value)
    if isinstance(value, pikepdf.Array):
        return pikepdf.Array([_copied(pdf, v) for v in value])
    if isinstance(value, pikepdf.Dictionary):
        return pikepdf.Dictionary({k: _copied(pdf, v) for k, v in value.items()})
    return value


def _parent_keys(page) -> list[int]:
    """Return the parent-tree keys PAGE uses: its marked content's, then its annotations'."""
    keys = [int(page.obj.StructParents)] if "/StructParents" in page.obj else []
    keys += [int(a.StructParent) for a in page.obj.get("/Annots", []) if "/StructParent" in a]
    return keys


def _renumber(page, shift: dict[int, int]) -> None:
    if "/StructParents" in page.obj:
        page.obj.StructParents = shift[int(page.obj.StructParents)]
    for annot in page.obj.get("/Annots", []):
        if "/StructParent" in annot:
            annot.StructParent = shift[int(annot.StructParent)]


def _number_tree(node):
    """Yield (key, value) of a number tree (its /Nums, and its /Kids' in order)."""
    nums = node.get("/Nums")
    if nums is not None:
        for i in range(0, len(nums), 2):
            yield int(nums[i]), nums[i + 1]
    for kid in node.get("/Kids", []):
        yield from _number_tree(kid)


def _sorted_pairs(nums):
    import pikepdf

    pairs = sorted((int(nums[i]), nums[i + 1]) for i in range(0, len(nums), 2))
    return pikepdf.Array([v for key, value in pairs for v in (key, value)])


def _outline(pdf) -> list:
    """Return PDF's outline as (title, (left, top) on its page, children) trees."""
    with pdf.open_outline() as outline:
        return [_item(item) for item in outline.root]


def _item(item):
    dest = item.destination
    place = (float(dest[2]), float(dest[3])) if dest is not None and len(dest) >= 4 and str(dest[1]) == "/XYZ" else None
    return item.title, place, [_item(kid) for kid in item.children]


def _set_outline(pdf, pages: list[Page], outlines: list) -> None:
    """Give PDF one top-level outline entry per group: its first page's entries, then the others' under it."""
    import pikepdf
    from pikepdf import OutlineItem

    def made(title, page, place, kids):
        dest = pikepdf.Array([page.obj, pikepdf.Name.XYZ, place[0], place[1], 0]) if place else pikepdf.Array([page.obj, pikepdf.Name.Fit])
        item = OutlineItem(title, dest)
        item.children.extend(made(t, page, p, k) for t, p, k in kids)
        return item

    with pdf.open_outline() as outline:
        outline.root.clear()
        groups: dict[str, OutlineItem] = {}
        for page, entries in zip(pages, outlines):
            items = [made(*entry) for entry in entries]
            if page.group not in groups and items:
                groups[page.group] = items[0]
                outline.root.append(items[0])
                items = items[1:]
            if page.group in groups:
                groups[page.group].children.extend(items)
            else:
                outline.root.extend(items)


def _set_title(pdf, title: str) -> None:
    """Set the document title in the document information and in the XMP metadata alike."""
    import pikepdf

    pdf.docinfo.Title = pikepdf.String(title)
    if "/Metadata" in pdf.Root:
        xmp = pdf.Root.Metadata.read_bytes()
        xmp, found = _DC_TITLE.subn(lambda m: m.group(1) + escape(title).encode() + m.group(3), xmp, count=1)
        if found:
            # PDF/A forbids a filter on the metadata stream; qpdf never compresses one when saving.
            pdf.Root.Metadata = pdf.make_stream(xmp, Type=pikepdf.Name.Metadata, Subtype=pikepdf.Name.XML)


# -- fonts --------------------------------------------------------------------------------------

def _share_fonts(pdf) -> int:
    """Make the pages' subsets of one font one embedded font: glyphs, widths and text mapping joined.

    WeasyPrint subsets keep each glyph's id (HarfBuzz's retain-gids), so the subsets of one
    font program made for different pages join glyph by glyph. Returns how many font objects
    were folded into another.
    """
    groups: dict[tuple, list] = {}
    holders = []  # (resources /Font dictionary, resource name, font)
    for page in pdf.pages:
        fonts = page.obj.get("/Resources", {}).get("/Font", {})
        for name, font in fonts.items():
            key = _mergeable(font)
            if key is not None:
                holders.append((fonts, name, font))
                group = groups.setdefault(key, [])
                if not any(f.objgen == font.objgen for f in group):
                    group.append(font)
    folded = 0
    for key, fonts in groups.items():
        if len(fonts) < 2:
            continue
        target = _join(pdf, fonts)
        for resources, name, font in holders:
            if _mergeable(font) == key and font.objgen != target.objgen:
                resources[name] = target
                folded += 1
    return folded


def _mergeable(font):
    """Return what identifies FONT's program for joining (None: a font this does not join)."""
    if font.get("/Subtype") != "/Type0" or "/DescendantFonts" not in font or not font.is_indirect:
        return None
    cid = font.DescendantFonts[0]
    desc = cid.get("/FontDescriptor")
    if cid.get("/Subtype") != "/CIDFontType2" or cid.get("/CIDToGIDMap") != "/Identity" or desc is None \
            or "/FontFile2" not in desc or "/CIDSet" in desc or "/ToUnicode" not in font:
        return None
    name = str(font.BaseFont)[1:]
    return name.split("+", 1)[-1], str(font.get("/Encoding"))


def _join(pdf, fonts):
    """Join FONTS' programs, widths and text mappings into the one with the most glyphs, and return it."""
    from fontTools.ttLib import TTFont

    # Glyphs are moved as they are stored, never decoded: no bounding boxes recalculated.
    programs = [TTFont(io.BytesIO(f.DescendantFonts[0].FontDescriptor.FontFile2.read_bytes()), recalcBBoxes=False, recalcTimestamp=False)
                for f in fonts]
    order = sorted(range(len(fonts)), key=lambda i: -programs[i]["maxp"].numGlyphs)
    base_i = order[0]
    base, target = programs[base_i], fonts[base_i]
    names = base.getGlyphOrder()
    glyphs, hmtx = base["glyf"].glyphs, base["hmtx"]
    used = [set(_widths(f.DescendantFonts[0].get("/W", []))) for f in fonts]
    mine_used = set(used[base_i])
    for i in order[1:]:
        other = programs[i]
        theirs, their_hmtx = other["glyf"].glyphs, other["hmtx"]
        their_names = other.getGlyphOrder()
        # The glyphs the other subset draws, and the components they are built of.
        for gid in sorted(used[i] | {g for g, n in enumerate(their_names) if _drawn(theirs[n])}):
            if gid >= len(their_names) or gid in mine_used:
                continue
            name = their_names[gid]
            if _drawn(theirs[name]) or not _drawn(glyphs[names[gid]]):
                glyphs[names[gid]] = theirs[name]
            hmtx[names[gid]] = their_hmtx[name]
            mine_used.add(gid)
    # The limits a rasterizer sizes its buffers by: the largest of any subset's covers every glyph now here.
    for table, fields in (("maxp", ("maxPoints", "maxContours", "maxCompositePoints", "maxCompositeContours",
                                    "maxComponentElements", "maxComponentDepth")), ("hhea", ("advanceWidthMax",))):
        for name in fields:
            values = [getattr(p[table], name) for p in programs if hasattr(p[table], name)]
            if values:
                setattr(base[table], name, max(values))
    out = io.BytesIO()
    base.save(out)
    data = out.getvalue()
    desc = target.DescendantFonts[0].FontDescriptor
    desc.FontFile2 = pdf.make_stream(data, Length1=len(data))
    # Widths and the text mapping: the union of each subset's.
    widths, text = {}, {}
    for f in fonts:
        widths.update(_widths(f.DescendantFonts[0].get("/W", [])))
        text.update(_to_unicode(f.ToUnicode.read_bytes()))
    target.DescendantFonts[0].W = _w_array(widths)
    target.ToUnicode = pdf.make_stream(_cmap(text))
    return target


def _drawn(glyph) -> bool:
    """Tell whether a stored glyph has an outline (or components), without decoding it."""
    return bool(glyph.data) if hasattr(glyph, "data") else glyph.numberOfContours != 0


def _widths(w) -> dict:
    """Return a CIDFont's /W array as {cid: width}."""
    import pikepdf

    found, i = {}, 0
    items = list(w)
    while i < len(items):
        first = int(items[i])
        if isinstance(items[i + 1], pikepdf.Array):
            for n, width in enumerate(items[i + 1]):
                found[first + n] = width
            i += 2
        else:
            for cid in range(first, int(items[i + 1]) + 1):
                found[cid] = items[i + 2]
            i += 3
    return found


def _w_array(widths: dict):
    """Return {cid: width} as a /W array of runs of consecutive ids."""
    import pikepdf

    out, run = [], []
    for cid in sorted(widths):
        if run and cid == run[-1][0] + 1:
            run.append((cid, widths[cid]))
        else:
            if run:
                out += [run[0][0], pikepdf.Array([w for _, w in run])]
            run = [(cid, widths[cid])]
    if run:
        out += [run[0][0], pikepdf.Array([w for _, w in run])]
    return pikepdf.Array(out)


def _to_unicode(data: bytes) -> dict:
    """Return a ToUnicode CMap's mappings (WeasyPrint writes bfchar entries only) as {cid: UTF-16BE hex}."""
    body = data.split(b"endcodespacerange", 1)[-1]
    return {int(g, 16): u for g, u in _BFCHAR.findall(body)}


def _cmap(text: dict) -> bytes:
    """Return a ToUnicode CMap for {cid: UTF-16BE hex}, written as WeasyPrint writes one."""
    lines = [b"/CIDInit /ProcSet findresource begin", b"12 dict begin", b"begincmap", b"/CIDSystemInfo",
             b"<< /Registry (Adobe)", b"/Ordering (UCS)", b"/Supplement 0", b">> def", b"/CMapName /Adobe-Identity-UCS def",
             b"/CMapType 2 def", b"1 begincodespacerange", b"<0000> <ffff>", b"endcodespacerange"]
    items = sorted(text.items())
    for start in range(0, len(items), 100):
        batch = items[start:start + 100]
        lines.append(f"{len(batch)} beginbfchar".encode())
        lines += [b"<%04x> <%s>" % (gid, uni) for gid, uni in batch]
        lines.append(b"endbfchar")
    lines += [b"endcmap", b"CMapName currentdict /CMap defineresource pop", b"end", b"end"]
    return b"\n".join(lines)
