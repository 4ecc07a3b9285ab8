"""Convert Word files with LibreOffice through scripts/docx-to-pdf and read which fonts it embedded."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from fontTools.ttLib import TTFont

from .conftest import ROOT, require_tool

FONTS = ROOT / "templates" / "fonts"


def to_pdf(src: Path, outdir: Path) -> Path:
    """Convert SRC into OUTDIR with the shipped fonts only, and return the PDF."""
    require_tool("soffice")
    require_tool("pdffonts")
    subprocess.run([str(ROOT / "scripts" / "docx-to-pdf"), str(outdir), str(src)], check=True, capture_output=True, timeout=240)
    return outdir / f"{src.stem}.pdf"


def embedded_fonts(pdf: Path) -> set[str]:
    """Return the PostScript names of the fonts PDF embeds, as pdffonts lists them (subset tags removed)."""
    lines = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True, text=True).stdout.splitlines()[2:]
    names = set()
    for line in lines:
        name, emb = line.split()[0], line.split()[-5]
        assert emb == "yes", f"{name} is not embedded"
        names.add(re.sub(r"^[A-Z]{6}\+", "", name))
    return names


def shipped_fonts() -> dict[str, str]:
    """Return the PostScript name of each font in templates/fonts, mapped to its file name."""
    return {str(TTFont(path)["name"].getDebugName(6)): path.name for path in sorted(FONTS.glob("*.ttf"))}
