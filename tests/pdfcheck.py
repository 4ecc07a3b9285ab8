"""Read what a PDF reader gets: text, pages, page size, tags, language, fonts, outline."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Line:
    """One line of text as drawn: baseline position in PDF points (origin bottom left), size, font."""

    page: int
    x: float
    y: float
    size: float
    font: str
    text: str


def text_pieces(path: Path) -> list[list[Line]]:
    """Return each page's pieces of text as drawn (one per text-showing operator), unsorted."""
    pages = []
    for number, page in enumerate(PdfReader(path).pages):
        pieces: list[Line] = []

        def visit(text, cm, tm, font_dict, font_size, number=number, pieces=pieces):
            if not text.strip():
                return
            a, b, _, _, e, f = tm
            ca, cb, cc, cd, ce, cf = cm
            x, y = e * ca + f * cc + ce, e * cb + f * cd + cf
            size = font_size * math.hypot(a * ca + b * cc, a * cb + b * cd)
            font = str(font_dict.get("/BaseFont", "")) if font_dict else ""
            pieces.append(Line(number, round(x, 1), round(y, 1), round(size, 2), font.split("+")[-1], text))

        page.extract_text(visitor_text=visit)
        pages.append(pieces)
    return pages


def pdf_lines(path: Path) -> list[list[Line]]:
    """Return each page's lines of text, top to bottom, with their position, size and font.

    WeasyPrint draws each line box's text (or each differently styled piece of it) with its own
    text matrix; pieces on one baseline that touch are joined into one line.
    """
    pages = []
    for pieces in text_pieces(path):
        pieces.sort(key=lambda p: (-p.y, p.x))
        lines: list[Line] = []
        for piece in pieces:
            last = lines[-1] if lines else None
            if last and abs(last.y - piece.y) < 1.5 and 0 <= piece.x - last.x < 0.62 * last.size * (len(last.text) + 2):
                lines[-1] = Line(last.page, last.x, last.y, max(last.size, piece.size), last.font, last.text + piece.text)
            else:
                lines.append(piece)
        pages.append(lines)
    return pages


def named_destinations(path: Path) -> dict[str, int]:
    """Return the PDF's named destinations (HTML ids that links point at) and their page numbers."""
    reader = PdfReader(path)
    return {name: reader.get_destination_page_number(dest) for name, dest in reader.named_destinations.items()}


def internal_links(path: Path) -> list[tuple[int, str, float]]:
    """Return (page, destination name, clickable height in points) for every link inside the PDF."""
    links = []
    with pikepdf.open(path) as pdf:
        for number, page in enumerate(pdf.pages):
            for annot in page.obj.get("/Annots", []):
                dest = annot.get("/Dest")
                if dest is not None and isinstance(dest, (pikepdf.String, pikepdf.Name)):
                    rect = [float(v) for v in annot.Rect]
                    links.append((number, str(dest).lstrip("/"), abs(rect[3] - rect[1])))
    return links


JAPANESE = "\u3040-\u30ff\u3400-\u9fff\uff00-\uffef"
_ASCII_PUNCT = re.compile(f"[{JAPANESE}] ?[,:]|[,:] ?[{JAPANESE}]")


def ascii_punctuation_in_japanese(text: str) -> list[str]:
    """Return the places in TEXT where an ASCII comma or colon sits against Japanese text (「ギャラップ, 2025」)."""
    return [text[max(0, m.start() - 8):m.end() + 8] for m in _ASCII_PUNCT.finditer(text)]
