"""Print-shop marks for one-pagers and the handout pack (`--print-marks`).

WeasyPrint lays the pages out with a MEDIA_MM margin round the trimmed sheet (`@page { bleed }`);
the templates let the top band run BLEED_MM past the trim and print a slug line (title, date,
page) below the bleed. This module then sets the boxes a print shop's preflight reads (TrimBox
the sheet, BleedBox 3 mm round it, MediaBox round both) and draws the marks outside the bleed:
Japanese double corner marks (トンボ: the inner line at the trim, the outer at the bleed edge,
which also serve as Western crop marks) and centre marks, in the registration colour (a
Separation /All, so they print on every plate), marked as artifacts for the tagged PDF.

A separation names an alternate space for devices without plates (screens, office printers).
It is DeviceCMYK (all four inks, as layout programs define registration) unless the PDF declares
an RGB output intent (`--archive`: PDF/A-2 with sRGB), where PDF/A forbids DeviceCMYK; there it
is DeviceGray black, which PDF/A allows under any intent. A press still prints /All on every
plate either way; only the on-screen rendering differs.
"""

from __future__ import annotations

import io
from functools import lru_cache

from .templates import BUILTIN_TEMPLATES

BLEED_MM = 3.0
MEDIA_MM = 13.0  # room round the trim for the marks and the slug line
MM = 72 / 25.4
GAP_MM = 1.0  # between the bleed edge and where a mark starts
LINE_PT = 0.25
SLUG_PT = 5.0
SLUG_FONT = BUILTIN_TEMPLATES / "fonts" / "NotoSans-Regular.ttf"


def add_print_marks(data: bytes, slugs: list[str]) -> bytes:
    """Return the PDF DATA with trim and bleed boxes set, marks drawn and each page's slug line (SLUGS, ASCII)."""
    import pikepdf

    pdf = pikepdf.open(io.BytesIO(data))
    font = _slug_font(pdf)
    registration = _registration(pdf)
    for number, page in enumerate(pdf.pages):
        x0, y0, x1, y1 = (float(v) for v in page.obj.get("/TrimBox", page.mediabox))
        b, m = BLEED_MM * MM, MEDIA_MM * MM
        page.obj.BleedBox = pikepdf.Array([x0 - b, y0 - b, x1 + b, y1 + b])
        page.obj.MediaBox = pikepdf.Array([x0 - m, y0 - m, x1 + m, y1 + m])
        page.obj.CropBox = page.obj.MediaBox
        page.obj.TrimBox = pikepdf.Array([x0, y0, x1, y1])
        page.obj.ArtBox = pikepdf.Array([x0, y0, x1, y1])  # WeasyPrint sets it to the media; the content is the sheet
        if "/Resources" not in page.obj:
            page.obj.Resources = pikepdf.Dictionary()
        resources = page.obj.Resources
        if "/ColorSpace" not in resources:
            resources.ColorSpace = pikepdf.Dictionary()
        resources.ColorSpace.BriefgenRegistration = registration
        if "/Font" not in resources:
            resources.Font = pikepdf.Dictionary()
        resources.Font.BriefgenSlug = font
        ops = _marks(x0, y0, x1, y1)
        slug = slugs[number] if number < len(slugs) else ""
        text = slug.encode("ascii", "replace").decode().replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        # The slug sits below the bleed, right of the corner marks and clear of the centre mark.
        slug_x, slug_y = x0 + (BLEED_MM + GAP_MM) * MM, y0 - (BLEED_MM + GAP_MM) * MM - 1.5 * SLUG_PT
        stream = ("q /Artifact BMC /BriefgenRegistration CS 1 SCN %.2f w 0 J\n" % LINE_PT + ops + "S\n"
                  f"BT /BriefgenRegistration cs 1 scn /BriefgenSlug {SLUG_PT} Tf {slug_x:.2f} {slug_y:.2f} Td ({text}) Tj ET\n"
                  "EMC Q\n").encode()
        # WeasyPrint leaves its flipped coordinate system in force: save the state before its
        # content and restore it, so the marks are drawn in default PDF space.
        page.contents_add(pdf.make_stream(b"q\n"), prepend=True)
        page.contents_add(pdf.make_stream(b"Q\n" + stream), prepend=False)
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def _registration(pdf):
    """Return the registration colour space (Separation /All) with an alternate the PDF's output intent allows."""
    import pikepdf

    intents = pdf.Root.get("/OutputIntents", pikepdf.Array())
    rgb = any(int(i.DestOutputProfile.get("/N", 0)) == 3 for i in intents if "/DestOutputProfile" in i)
    space, white, black = (pikepdf.Name.DeviceGray, [1], [0]) if rgb else (pikepdf.Name.DeviceCMYK, [0, 0, 0, 0], [1, 1, 1, 1])
    tint = pdf.make_indirect(pikepdf.Dictionary(FunctionType=2, Domain=[0, 1], C0=white, C1=black, N=1))
    return pikepdf.Array([pikepdf.Name.Separation, pikepdf.Name.All, space, tint])


@lru_cache(maxsize=1)
def _slug_font_program() -> tuple[bytes, list[int], dict]:
    """Return Noto Sans cut down to printable ASCII, its widths for 32-126 and its metrics."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(SLUG_FONT)
    options = subset.Options()
    options.notdef_outline = True
    options.name_IDs = ["*"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=range(32, 127))
    subsetter.subset(font)
    scale = 1000 / font["head"].unitsPerEm
    cmap = font.getBestCmap()
    widths = [round(font["hmtx"][cmap[c]][0] * scale) if c in cmap else 0 for c in range(32, 127)]
    head, os2 = font["head"], font["OS/2"]
    metrics = {"bbox": [round(v * scale) for v in (head.xMin, head.yMin, head.xMax, head.yMax)],
               "ascent": round(os2.sTypoAscender * scale), "descent": round(os2.sTypoDescender * scale),
               "cap": round(getattr(os2, "sCapHeight", 700) * scale)}
    out = io.BytesIO()
    font.save(out)
    return out.getvalue(), widths, metrics


def _slug_font(pdf):
    """Return an embedded TrueType font (WinAnsi, printable ASCII) for the slug lines."""
    import pikepdf

    program, widths, m = _slug_font_program()
    descriptor = pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.FontDescriptor, FontName=pikepdf.Name("/BGSLUG+NotoSans-Regular"), Flags=32,
        FontBBox=m["bbox"], ItalicAngle=0, Ascent=m["ascent"], Descent=m["descent"], CapHeight=m["cap"], StemV=80,
        FontFile2=pdf.make_stream(program),
    ))
    return pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.TrueType, BaseFont=pikepdf.Name("/BGSLUG+NotoSans-Regular"),
        FirstChar=32, LastChar=126, Widths=widths, Encoding=pikepdf.Name.WinAnsiEncoding, FontDescriptor=descriptor,
    ))


def _marks(x0: float, y0: float, x1: float, y1: float) -> str:
    """Return path operators for the corner and centre marks round the trim box (x0, y0, x1, y1)."""
    b, g, m = BLEED_MM * MM, GAP_MM * MM, (MEDIA_MM - 1) * MM
    lines = []
    for cx, sx in ((x0, -1), (x1, 1)):
        for cy, sy in ((y0, -1), (y1, 1)):
            # Horizontal strokes beside the corner, at the trim and at the bleed edge.
            for y in (cy, cy + sy * b):
                lines.append((cx + sx * (b + g), y, cx + sx * m, y))
            # Vertical strokes above or below it, likewise.
            for x in (cx, cx + sx * b):
                lines.append((x, cy + sy * (b + g), x, cy + sy * m))
    xm, ym = (x0 + x1) / 2, (y0 + y1) / 2
    arm = 5 * MM
    for y, s in ((y0, -1), (y1, 1)):  # centre marks on the top and bottom: a cross outside the bleed
        lines.append((xm, y + s * (b + g), xm, y + s * m))
        lines.append((xm - arm, y + s * (b + g + m) / 2, xm + arm, y + s * (b + g + m) / 2))
    for x, s in ((x0, -1), (x1, 1)):  # and on the left and right
        lines.append((x + s * (b + g), ym, x + s * m, ym))
        lines.append((x + s * (b + g + m) / 2, ym - arm, x + s * (b + g + m) / 2, ym + arm))
    return "".join(f"{a:.2f} {c:.2f} m {d:.2f} {e:.2f} l\n" for a, c, d, e in lines)
