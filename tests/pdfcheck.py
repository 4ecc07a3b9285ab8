"""Read what a PDF reader gets: text, pages, page size, tags, language, fonts, outline."""

from __future__ import annotations

from pathlib import Path

import pikepdf
from pypdf import PdfReader


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)


def squash(text: str) -> str:
    """Remove all whitespace: PDF text extraction breaks lines anywhere."""
    return "".join(text.split())


def page_sizes(path: Path) -> list[tuple[float, float]]:
    return [(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in PdfReader(path).pages]


def pdf_facts(path: Path) -> dict:
    """Return the accessibility facts of a PDF: tagging, language, title display, fonts, outline."""
    with pikepdf.open(path) as pdf:
        root = pdf.Root
        fonts = {}
        for page in pdf.pages:
            resources = page.obj.get("/Resources", {})
            for name, font in resources.get("/Font", {}).items():
                descendants = font.get("/DescendantFonts")
                desc = (descendants[0] if descendants else font).get("/FontDescriptor")
                embedded = desc is not None and any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3"))
                fonts[str(font.get("/BaseFont"))] = embedded
        outline = []
        with pdf.open_outline() as ol:
            def walk(items, depth=0):
                for item in items:
                    outline.append((depth, item.title))
                    walk(item.children, depth + 1)
            walk(ol.root)
        return {
            "marked": bool(root.get("/MarkInfo", {}).get("/Marked", False)),
            "struct_tree": "/StructTreeRoot" in root,
            "lang": str(root.get("/Lang", "")),
            "display_title": bool(root.get("/ViewerPreferences", {}).get("/DisplayDocTitle", False)),
            "title": str(pdf.docinfo.get("/Title", "")),
            "fonts": fonts,
            "outline": outline,
            "annots_uris": [str(a.get("/A", {}).get("/URI", "")) for p in pdf.pages for a in p.obj.get("/Annots", [])],
        }


def figure_alts(path: Path) -> list[str]:
    """Return the alt text of every Figure in the PDF's structure tree."""
    alts = []
    with pikepdf.open(path) as pdf:
        def walk(node):
            if isinstance(node, pikepdf.Dictionary):
                if str(node.get("/S")) == "/Figure":
                    alts.append(str(node.get("/Alt", "")))
                kids = node.get("/K")
                for kid in (kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []):
                    walk(kid)
        walk(pdf.Root.StructTreeRoot)
    return alts
