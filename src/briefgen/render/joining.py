"""Join one-page tagged PDFs into one document that stays tagged: the handout pack from the one-pagers' own pages.

Each page comes over unchanged (its content stream, fonts and marked-content ids), so a pack page
is the very page of its one-pager. What a tagged PDF keeps outside its pages is rebuilt for the
whole: one Document structure element holding each page's tree as a Part in that page's language,
one parent tree (each page's /StructParents and each annotation's /StructParent shifted past the
pages before it; marked-content ids are numbered per page, so they stay), an outline, page
labels, the document's language and title.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

_DC_TITLE = re.compile(rb"(<dc:title>\s*<rdf:Alt>\s*<rdf:li[^>]*>)(.*?)(</rdf:li>)", re.S)


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
    out = io.BytesIO()
    # /ID from the content, so rebuilds are byte-identical; object streams pack the many small
    # structure elements (each page's fonts are its own subsets: the pages are the one-pagers').
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
