"""Hostile text in content either prints literally or fails cleanly, in the model and every renderer.

"Cleanly" means a BriefgenError whose problems name the field (or, for layout, the document),
never another exception and no file written. "Prints" means a PDF that qpdf (pikepdf) finds
sound, whose text pypdf extracts, with no text past the page edge, no link but http(s)/mailto
and no WeasyPrint warning, or a .docx python-docx reopens; and the text is there as written
(markup used up, smart quotes, control characters dropped). Never tofu: a character the fonts
lack is refused by the coverage check before anything is written.

The strings mix hand-picked fragments (control characters and code points XML cannot hold,
right-to-left text, emoji, very long unbroken words, HTML and Jinja syntax, Markdown edge
cases) with arbitrary Unicode. Examples per property (hypothesis, `database=None`):

- test_any_text_loads_exactly_or_fails_naming_the_field: 150 examples (load only, ~15 ms each)
- test_any_text_renders_literally_or_fails_cleanly_pdf: 10 examples for each of the 7 PDF
  renderers (~0.25 s each)
- test_any_text_renders_literally_or_fails_cleanly_docx: 25 examples for each of the 2 Word
  renderers (~0.05 s each)
- test_named_hostile_strings_print_literally: one fixed example per renderer (9), checking
  e.g. that `{{ 7*7 }}` prints as `{{ 7*7 }}`

The whole file runs in about 20 s. For a deeper search, raise max_examples locally.
"""

from __future__ import annotations

import re
import tempfile
import unicodedata
from pathlib import Path
from unittest import mock

import docx
import pikepdf
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from weasyprint.formatting_structure import boxes

import briefgen.content.source
import briefgen.render.pdf
from briefgen.audiences.select import select_targets
from briefgen.render.target import RenderOptions, render_target
from briefgen.errors import BriefgenError
from briefgen.render.fonts import covered
from briefgen.content.load import load_content
from briefgen.content.markup import parse_inline, plain_text

from .conftest import REPORT, THEME
from .pdfcheck import pdf_facts, pdf_text

FRAGMENTS = [
    "\x00", "\x0b", "\x1b[31m", "\ufffe", "\uffff", "\ufeff", "\u2028", "\x85", "\t", "\n",
    "مرحبا", "שלום", "\u202e", "\u200f", "🚀", "👩‍👩‍👧", "⁵", "e\u0301",
    "w" * 120, "https://example.org/" + "a" * 100,
    "<script>alert(1)</script>", "<b>bold</b>", "&amp;", "&lt;", "]]>", "<!-- x -->",
    "{{ 7*7 }}", "{% include 'x' %}", "{# c #}", "${x}", "%s",
    "**", "*", "_", "`", "[x](javascript:alert(1))", "[x](https://example.org/)", "[^missing]", "[^1]",
    "\\", "\\*", "# ", "- ", ": ", "'", '"', "---", "...", "|", ">", "&", "!", "@", "%",
    "日本語", "ｶﾀｶﾅ", "①", "¹", "\u3000",
]
PRINTABLE = [chr(c) for c in sorted(covered("en") & covered("ja")) if not unicodedata.category(chr(c)).startswith("C")]

hostile_text = st.lists(
    st.one_of(
        st.sampled_from(FRAGMENTS),
        st.text(st.sampled_from(PRINTABLE), max_size=12),  # what the fonts print: the literal path
        st.text(max_size=8),  # anything at all
    ),
    max_size=6,
).map("".join)

FIELD = "recommendations[0].title"
BIDI = {chr(c) for c in [0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]}
QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"'})


def write_theme(root: Path, theme: dict) -> Path:
    """Write the mini report with THEME (as data) into ROOT and return ROOT."""
    (root / "themes").mkdir(parents=True)
    (root / "report.yaml").write_text(REPORT, encoding="utf-8")
    (root / "themes" / "01-energy.yaml").write_text(yaml.safe_dump(theme, allow_unicode=True, sort_keys=False, width=10**6), encoding="utf-8")
    return root


def with_value(loc: tuple, value: str) -> dict:
    theme = yaml.safe_load(THEME)
    node = theme
    for key in loc[:-1]:
        node = node[key]
    node[loc[-1]] = value
    return theme


def dotted(loc: tuple) -> str:
    return ".".join(str(p) if isinstance(p, str) else f"[{p}]" for p in loc).replace(".[", "[")


# -- the model ----------------------------------------------------------------------------------

LOCATIONS = [
    ("recommendations", 0, "title", "en"),
    ("recommendations", 0, "key_points", 0, "ja"),
    ("challenges", 0, "body", 0, "en"),
    ("short_title", "ja"),
    ("notes", 0, "text"),
    ("recommendations", 0, "id"),
    ("notes", 0, "url"),
]


@settings(max_examples=150, deadline=None, database=None)
@given(loc=st.sampled_from(LOCATIONS), text=hostile_text)
def test_any_text_loads_exactly_or_fails_naming_the_field(loc, text):
    with tempfile.TemporaryDirectory() as tmp:
        root = write_theme(Path(tmp), with_value(loc, text))
        written = yaml.safe_load((root / "themes" / "01-energy.yaml").read_text(encoding="utf-8"))
        try:
            content = load_content(root, allow_missing=False)
        except BriefgenError as exc:
            # The Text's own location, without the language: that is what messages name.
            field = dotted(loc[:-1] if loc[-1] in ("ja", "en") else loc)
            for problem in exc.problems:
                assert problem.path.endswith("01-energy.yaml") and problem.line >= 1, str(problem)
                assert field in problem.message, f"{problem} does not name {field}"
            return
        data = content.report.themes[0].model_dump(mode="json")
        for key in loc:
            data = data[key]
        expected = written
        for key in loc:
            expected = expected[key]
        assert data == expected  # nothing lost, nothing changed


# -- the renderers ------------------------------------------------------------------------------

def all_targets():
    with tempfile.TemporaryDirectory() as tmp:
        report = load_content(write_theme(Path(tmp), yaml.safe_load(THEME))).report
        return select_targets(report) + select_targets(report, audiences=["proof"])


TARGETS = all_targets()
PDF_TARGETS = [t for t in TARGETS if t.format == "pdf"]
DOCX_TARGETS = [t for t in TARGETS if t.format == "docx"]


def target_langs(target) -> list[str]:
    return ["ja", "en"] if target.audience == "handout" else [target.lang]


def visible(text: str) -> str:
    """Return what a reader sees of TEXT, comparable across PDF text extraction and Word runs."""
    text = unicodedata.normalize("NFKC", text).translate(QUOTES)
    return "".join(ch for ch in text if not ch.isspace() and unicodedata.category(ch) not in ("Cc", "Cf", "Zl", "Zp", "Zs")).casefold()


def shown_parts(text: str) -> list[str]:
    """Return the runs of TEXT a reader sees, split where a footnote number is printed instead of [^id]."""
    parts = [""]
    for span in parse_inline(text):
        if span.note is None:
            parts[-1] += span.text
        else:
            parts.append("")
    return parts


def docx_text(path: Path) -> str:
    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def docx_link_targets(path: Path) -> list[str]:
    document = docx.Document(str(path))
    return [rel.target_ref for rel in document.part.rels.values() if rel.reltype.endswith("/hyperlink")]


def overflowing_text(document) -> list[str]:
    """Return text boxes that run past the right edge of their page."""
    return [box.text[:30] for page in document.pages for box in page._page_box.descendants()
            if isinstance(box, boxes.TextBox) and box.position_x + box.width > page.width + 0.5]


def load_with_title(text: str, workdir: Path):
    theme = with_value(("recommendations", 0, "title"), {"ja": text, "en": text})
    return load_content(write_theme(workdir / "c", theme))


def render_text(target, content, workdir: Path):
    """Render TARGET; return (artifact, the laid-out WeasyPrint document or None) or raise."""
    documents = []
    real_write = briefgen.render.pdf.write_pdf

    def keep(document, out, **kwargs):
        documents.append(document)
        return real_write(document, out, **kwargs)

    with mock.patch.object(briefgen.render.pdf, "write_pdf", keep):
        artifact = render_target(content, target, workdir / "out", RenderOptions())
    return artifact, (documents[-1] if documents else None)


def check_render(target, text: str) -> str | None:
    """Render TEXT through TARGET, check the outcome is one of the two allowed ones; return the text printed."""
    lacking = {ch for lang in target_langs(target) for ch in plain_text(text)
               if ord(ch) not in covered(lang) and not ch.isspace() and unicodedata.category(ch) not in ("Cf", "Cc")}
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        rendering = False
        try:
            content = load_with_title(text, workdir)
            rendering = True
            artifact, document = render_text(target, content, workdir)
        except BriefgenError as exc:
            for problem in exc.problems:
                layout = problem.path == target.name and ("fit" in problem.message or "pages" in problem.message)
                assert FIELD in problem.message or layout, f"{problem} names neither {FIELD} nor the layout"
            if rendering and target.format == "pdf" and lacking:
                assert any("is not in the" in p.message for p in exc.problems)
            assert not list((workdir / "out").rglob("*.*")), "a failed render left a file"
            return None
        out = workdir / "out" / target.name
        assert not (target.format == "pdf" and lacking), f"printed {lacking} with fonts that lack them (tofu)"
        if target.format == "pdf":
            with pikepdf.open(out) as pdf:
                assert pdf.check_pdf_syntax() == []
            printed = pdf_text(out)
            assert not [u for u in pdf_facts(out)["annots_uris"] if not u.startswith(("http:", "https:", "mailto:"))]
            assert overflowing_text(document) == []
            # "No anchor #note-1": a [^1] cited where the document prints no notes links nowhere (known, harmless).
            assert not [w for w in artifact.warnings if "WeasyPrint" in w.message and "No anchor #note-" not in w.message]
        else:
            printed = docx_text(out)
            assert all(t.startswith(("http:", "https:", "mailto:")) for t in docx_link_targets(out))
        if not BIDI & set(text):  # bidi controls reorder what follows them: extraction sees another order
            for part in shown_parts(text):
                assert visible(part) in visible(printed)
        return printed


@pytest.mark.parametrize("target", PDF_TARGETS, ids=lambda t: t.name)
@settings(max_examples=10, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=hostile_text)
def test_any_text_renders_literally_or_fails_cleanly_pdf(target, text):
    check_render(target, text)


@pytest.mark.parametrize("target", DOCX_TARGETS, ids=lambda t: t.name)
@settings(max_examples=25, deadline=None, database=None)
@given(text=hostile_text)
def test_any_text_renders_literally_or_fails_cleanly_docx(target, text):
    check_render(target, text)


NAMED = "{{ 7*7 }} {% include 'x' %} <script>alert(1)</script> **bold** [x](javascript:alert(1)) ** a\x00b\x0bc\ufffe " + "w" * 150


@pytest.mark.parametrize("target", TARGETS, ids=lambda t: t.name)
def test_named_hostile_strings_print_literally(target, monkeypatch):
    # The content reader refuses control characters (tests/bad_inputs/69-*); let them past it
    # here, to test the renderers' own last line of defence: they are dropped, never printed.
    monkeypatch.setattr(briefgen.content.source, "FORBIDDEN", re.compile(r"[\u202a-\u202e\u2066-\u2069]"))
    printed = check_render(target, NAMED)
    assert printed is not None, "the named strings are all printable: they must render"
    squashed = "".join(printed.split())  # PDF text extraction breaks lines anywhere
    assert "{{7*7}}" in squashed and "49" not in squashed  # Jinja syntax in content is text, never code
    assert "{%include‘x’%}" in squashed  # smart quotes, and nothing included
    assert "<script>alert(1)</script>" in squashed
    assert "bold[x](javascript:alert(1))**" in squashed  # bold markup used up; the javascript: link refused
    assert "abc" in squashed  # control characters dropped, the text around them kept
    assert "w" * 150 in squashed


def test_a_character_no_font_draws_is_refused_when_drawn(monkeypatch, tmp_path):
    """The last line of defence: should the coverage check miss a character, drawing it fails, not tofu."""
    import briefgen.render.fonts

    monkeypatch.setattr(briefgen.render.fonts, "VISIBLE_FORMAT", frozenset())  # let U+FFF9 past the coverage check
    target = next(t for t in PDF_TARGETS if t.audience == "congress")
    content = load_with_title("anchor\ufff9here", tmp_path)
    with pytest.raises(BriefgenError) as info:
        render_text(target, content, tmp_path)
    assert "no font has this character: replace it in the content" in str(info.value)
    assert "U+FFF9" in str(info.value)
    assert not list((tmp_path / "out").rglob("*.*"))
