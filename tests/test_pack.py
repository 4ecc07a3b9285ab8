"""The handout pack is the one-pagers' own pages, joined: no page laid out twice, and still a tagged, navigable PDF/UA document."""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pytest
from page import validate_pdf
from pypdf import PdfReader
from typer.testing import CliRunner

import briefgen.render.fitting
from briefgen.cli import app
from briefgen.content.load import load_content
from briefgen.content.markup import plain_text
from briefgen.paths import BUILTIN_TEMPLATES
from briefgen.render.words import Words, load_words

from .conftest import CONTENT, crowded_theme, REPORT, write_content

runner = CliRunner()
THEMES = ["-t", "energy", "-t", "2"]  # two themes, in report order 02-mobility, 04-energy
PAGES = ["02-mobility.ja", "02-mobility.en", "04-energy.ja", "04-energy.en"]


def build(out: Path, *args: str, content: Path = CONTENT):
    result = runner.invoke(app, ["build", "--content", str(content), "--out", str(out), *args])
    return result


@pytest.fixture(scope="module")
def together(tmp_path_factory) -> Path:
    """One build of the pack and the A4 one-pagers of both languages (two workers)."""
    out = tmp_path_factory.mktemp("together")
    result = build(out, "-a", "onepager", "-a", "handout", "--paper", "a4", *THEMES, "-j", "2")
    assert result.exit_code == 0, result.output
    return out


def page_facts(page) -> tuple:
    """Return what a reader gets of a page: its drawing (content stream), its fonts and its size."""
    contents = page.obj.Contents
    streams = contents if isinstance(contents, pikepdf.Array) else [contents]
    fonts = sorted(str(f.BaseFont).split("+")[-1] for f in page.obj.Resources.Font.values())
    return b"".join(s.read_bytes() for s in streams), fonts, [float(v) for v in page.mediabox]


def test_each_pack_page_is_its_one_pager_page(together):
    pack = together / "handout" / "handout-pack.a4.pdf"
    reader = PdfReader(pack)
    assert len(reader.pages) == 4
    with pikepdf.open(pack) as joined:
        for number, stem in enumerate(PAGES):
            one = together / "onepager" / f"{stem}.a4.pdf"
            with pikepdf.open(one) as alone:
                assert page_facts(joined.pages[number]) == page_facts(alone.pages[0]), stem
            assert reader.pages[number].extract_text() == PdfReader(one).pages[0].extract_text(), stem


def test_the_pack_embeds_each_font_once(together):
    # Each one-pager brings its own subset of a font; the pack joins them, as one layout would.
    pack = together / "handout" / "handout-pack.a4.pdf"
    programs: dict[str, set] = {}
    with pikepdf.open(pack) as pdf:
        for page in pdf.pages:
            for font in page.obj.Resources.Font.values():
                descriptor = font.DescendantFonts[0].FontDescriptor
                programs.setdefault(str(font.BaseFont).split("+")[-1], set()).add(descriptor.FontFile2.objgen)
    assert programs and all(len(found) == 1 for found in programs.values()), programs
    pages = sum((together / "onepager" / f"{stem}.a4.pdf").stat().st_size for stem in PAGES)
    assert pack.stat().st_size < pages * 0.8


def test_a_pack_built_alone_is_the_same_file(together, tmp_path):
    # Alone, the build renders the pages as jobs of their own and keeps none of them.
    result = build(tmp_path, "-a", "handout", *THEMES, "-j", "2")
    assert result.exit_code == 0, result.output
    assert sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*.pdf")) == ["handout/handout-pack.a4.pdf"]
    assert (tmp_path / "handout" / "handout-pack.a4.pdf").read_bytes() == (together / "handout" / "handout-pack.a4.pdf").read_bytes()


def test_the_pack_is_pdf_ua_with_one_outline_entry_per_theme_and_page_labels(together):
    pack = together / "handout" / "handout-pack.a4.pdf"
    report = validate_pdf(pack, profile="ua1")
    assert report.is_compliant and not report.failures, [f"{f.rule_id}: {f.message}" for f in report.failures]
    themes = [load_content(CONTENT).report.theme(t) for t in ("2", "energy")]
    with pikepdf.open(pack) as pdf:
        assert [page.label for page in pdf.pages] == [f"{t.number}-{lang}" for t in themes for lang in ("ja", "en")]
        assert str(pdf.Root.Lang) == "ja"
        key_points = Words(load_words(BUILTIN_TEMPLATES, None), "ja", "ja")("key_points")  # the pack template's title
        assert str(pdf.docinfo.Title) == f"{plain_text(load_content(CONTENT).report.info.title.get('ja'), 'ja')} — {key_points}"
        assert pdf.open_metadata()["dc:title"] == str(pdf.docinfo.Title)
        assert str(pdf.Root.ViewerPreferences.DisplayDocTitle) == "True"
        with pdf.open_outline() as outline:
            top = list(outline.root)
            assert [item.title for item in top] == [plain_text(t.title.get("ja"), "ja") for t in themes]
            for number, (item, theme) in enumerate(zip(top, themes)):
                assert pdf.pages.index(pikepdf.Page(item.destination[0])) == 2 * number  # the front
                # Under it: the front's recommendations, then the back's title.
                titles = [kid.title for kid in item.children]
                assert titles[-1] == plain_text(theme.title.get("en"))
                assert len(titles) == len(theme.recommendations) + 1
        # One Document; a Part per page in that page's language; each page's parent-tree key its own.
        document = pdf.Root.StructTreeRoot.K
        assert str(document.S) == "/Document"
        assert [(str(part.S), str(part.Lang)) for part in document.K] == [("/Part", lang) for _ in themes for lang in ("ja", "en")]
        keys = [int(p.obj.StructParents) for p in pdf.pages] + [int(a.StructParent) for p in pdf.pages for a in p.obj.get("/Annots", [])]
        nums = pdf.Root.StructTreeRoot.ParentTree.Nums
        assert sorted(keys) == [int(nums[i]) for i in range(0, len(nums), 2)] == list(range(len(keys)))
        assert int(pdf.Root.StructTreeRoot.ParentTreeNextKey) == len(keys)


def count_fitting(monkeypatch) -> list:
    """Count one-pager layouts from here on (a -j 1 build renders in this process)."""
    rendered = []
    real = briefgen.render.fitting.render_fitted

    def counted(content, target, *args, **kwargs):
        rendered.append(target.name)
        return real(content, target, *args, **kwargs)

    monkeypatch.setattr(briefgen.render.fitting, "render_fitted", counted)
    return rendered


def test_a_build_lays_each_page_out_once_and_reuses_current_one_pagers(tmp_path, monkeypatch):
    rendered = count_fitting(monkeypatch)
    assert build(tmp_path, "-a", "onepager", "-a", "handout", "-t", "energy", "-j", "1").exit_code == 0
    # The default papers: the ja A4 one-pager is the pack's front; the en back (A4) is laid out
    # for the pack only, beside the en Letter one-pager.
    assert sorted(rendered) == ["onepager/04-energy.en.a4.pdf", "onepager/04-energy.en.letter.pdf", "onepager/04-energy.ja.a4.pdf"]
    assert not (tmp_path / "onepager" / "04-energy.en.a4.pdf").exists()  # made for the pack, not kept
    rendered.clear()
    assert build(tmp_path, "-a", "onepager", "--paper", "a4", "-t", "energy", "-j", "1").exit_code == 0
    rendered.clear()
    (tmp_path / "handout" / "handout-pack.a4.pdf").unlink()
    result = build(tmp_path, "-a", "handout", "-t", "energy", "-j", "1")
    assert result.exit_code == 0, result.output
    assert rendered == []  # both pages were current one-pagers: joined from their files


def test_a_page_that_cannot_be_made_fails_the_pack_saying_why(tmp_path):
    theme = crowded_theme(8, 5, 60, 30, "with a long title that goes on and on", without_notes=True)
    root = write_content(tmp_path / "c", REPORT, {"01-energy.yaml": theme})
    out = tmp_path / "out"
    result = build(out, "-a", "handout", content=root)
    assert result.exit_code == 1, result.output
    assert "theme 'energy' (ja, a4) does not fit on one page even at 8 pt" in result.output
    assert "not built: its page onepager/01-energy.ja.a4.pdf could not be made (and 1 more); any previous file is kept" in result.output
    assert "Traceback" not in result.output
    assert not list(out.rglob("*.pdf")) and not list(out.rglob("*.tmp"))
