"""Japanese punctuation spacing: consecutive marks lose the full-em gap between them."""

from __future__ import annotations

import pytest

from briefgen.render.pdf import render_document
from briefgen.render.templates import BUILTIN_TEMPLATES
from briefgen.render.typeset import half_width_marks, tighten_punctuation


@pytest.mark.parametrize("text,marks", [
    ("（提言）、", [3]),  # ）、: the bracket's blank half goes
    ("である。（提言", [4]),  # 。（: the opening bracket's blank half goes
    ("ため、「メディア", [3]),  # 、「
    ("「（注）」。", [1, 3, 4]),  # 「（ ）」 」。
    ("日本の立場", []),
])
def test_marks_set_half_width(text, marks):
    assert half_width_marks(text) == marks


def test_tags_and_head_are_left_alone_and_blocks_separate():
    html = '<head><title>a）、b</title></head><p>提言）</p><p>、次</p><p>であり<b>）</b>、</p>'
    out = tighten_punctuation(html)
    assert "<title>a）、b</title>" in out  # not drawn text
    assert "<p>提言）</p>" in out  # two paragraphs: not adjacent on the page
    assert '<b><span class="hw">）</span></b>、' in out  # adjacent across an inline tag


def line_width(html: str) -> float:
    page = f'<html lang="ja"><head><link rel="stylesheet" href="css/fonts.css"></head><body style="font-size: 10pt; font-family: \'BIZ UDMincho\'"><p><span id="t">{html}</span></p></body></html>'
    doc = render_document(page, base_url=BUILTIN_TEMPLATES, roots=[BUILTIN_TEMPLATES])
    boxes = [doc.pages[0]._page_box]
    while boxes:
        box = boxes.pop()
        if getattr(box, "element_tag", None) == "span" and box.element.get("id") == "t":
            return box.width * 72 / 96  # CSS px → pt
        boxes.extend(getattr(box, "children", []))
    raise AssertionError("span not found")


def test_the_pdf_closes_the_gap_by_half_an_em():
    solid = line_width("提言）、日本")
    tight = line_width(tighten_punctuation("提言）、日本"))
    assert solid == pytest.approx(60, abs=0.1)  # six full-width characters at 10 pt
    assert tight == pytest.approx(55, abs=0.1)  # ） in its half-width form
