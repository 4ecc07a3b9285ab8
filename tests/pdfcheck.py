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
    column: int
    x: float
    y: float
    size: float
    font: str
    text: str


def pdf_lines(path: Path, split: float | None = None) -> list[list[Line]]:
    """Return each page's lines of text, top to bottom, with their column, position, size and font.

    SPLIT is the x position (points) between two columns: text left of it is column 0, right
    of it column 1. WeasyPrint draws each line (or each differently styled piece of it) with
    its own text matrix; pieces of one column on one baseline (a superscript sits a little
    above it) are joined into one line, at the baseline and size of its main text.
    """
    pages = []
    for number, page in enumerate(PdfReader(path).pages):
        pieces: list[tuple[int, float, float, float, str, str]] = []

        def visit(text, cm, tm, font_dict, font_size, pieces=pieces):
            if not text.strip():
                return
            a, b, _, _, e, f = tm
            ca, cb, cc, cd, ce, cf = cm
            x, y = e * ca + f * cc + ce, e * cb + f * cd + cf
            size = font_size * math.hypot(a * ca + b * cc, a * cb + b * cd)
            font = str(font_dict.get("/BaseFont", "")) if font_dict else ""
            column = int(split is not None and x >= split)
            pieces.append((column, round(-y, 1), round(x, 1), round(size, 2), font.split("+")[-1], text))

        page.extract_text(visitor_text=visit)
        pieces.sort(key=lambda p: (p[0], p[1]))
        rows: list[list[tuple]] = []
        for piece in pieces:
            top = rows[-1][0] if rows else None
            if top and top[0] == piece[0] and abs(top[1] - piece[1]) < 0.45 * max(top[3], piece[3]):
                rows[-1].append(piece)
            else:
                rows.append([piece])
        lines = []
        for row in rows:
            main = max(row, key=lambda p: (p[3], len(p[5])))
            text = "".join(p[5] for p in sorted(row, key=lambda p: p[2]))
            lines.append(Line(number, main[0], min(p[2] for p in row), -main[1], main[3], main[4], text))
        lines.sort(key=lambda l: (-l.y, l.column))
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


def text_pieces(path: Path) -> list[list[Line]]:
    """Return each page's pieces of text as drawn (one per text-showing operator, unjoined), column 0."""
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
            pieces.append(Line(number, 0, round(x, 1), round(y, 1), round(size, 2), font.split("+")[-1], text))

        page.extract_text(visitor_text=visit)
        pages.append(pieces)
    return pages


JAPANESE = "\u3040-\u30ff\u3400-\u9fff\uff00-\uffef"
_ASCII_PUNCT = re.compile(f"[{JAPANESE}] ?[,:]|[,:] ?[{JAPANESE}]")


def ascii_punctuation_in_japanese(text: str) -> list[str]:
    """Return the places in TEXT where an ASCII comma or colon sits against Japanese text (「ギャラップ, 2025」)."""
    return [text[max(0, m.start() - 8):m.end() + 8] for m in _ASCII_PUNCT.finditer(text)]
