"""Variants have their own file names; -a AUDIENCE selects every document it has in the default set."""

from __future__ import annotations

from typer.testing import CliRunner

from briefgen.audiences.select import select_targets
from briefgen.cli import app
from briefgen.content.load import load_content

runner = CliRunner()


def names(report, **kwargs) -> list[str]:
    return [t.name for t in select_targets(report, **kwargs)]


def test_an_audience_option_selects_every_document_of_that_audience_in_the_default_set(mini):
    report = load_content(mini).report
    default = names(report)
    for audience in ("congress", "ministry", "onepager", "handout"):
        assert names(report, audiences=[audience]) == [n for n in default if n.startswith(f"{audience}/")]
    assert names(report, audiences=["congress"]) == ["congress/brief-short.en.letter.pdf", "congress/brief-full.en.letter.pdf",
                                                     "congress/brief-short.en.docx"]
    assert names(report, audiences=["ministry"]) == ["ministry/memo.ja.docx", "ministry/memo.ja.a4.pdf"]
    assert names(report, audiences=["congress"], formats=["pdf"], lengths=["short"]) == ["congress/brief-short.en.letter.pdf"]


def test_variants_are_named_after_the_options_that_make_them(mini):
    report = load_content(mini).report
    assert names(report, audiences=["handout"], options={"print_marks": "1"}) == ["handout/handout-pack.a4.print.pdf"]
    assert names(report, audiences=["ministry"], options={"date_style": "both"}) == ["ministry/memo.ja.both.docx", "ministry/memo.ja.a4.both.pdf"]
    # Only where the option changes the document: English dates are western whatever --date-style says.
    assert names(report, audiences=["congress"], formats=["pdf"], lengths=["short"], options={"date_style": "both", "print_marks": "1"}) == [
        "congress/brief-short.en.letter.pdf"]
    assert names(report, audiences=["ministry"], options={"archive": "1", "date_style": "western"}) == [
        "ministry/memo.ja.western.docx", "ministry/memo.ja.a4.western.archive.pdf"]


def test_a_print_shop_build_and_a_plain_build_keep_both_files(mini, tmp_path):
    out = tmp_path / "out"
    for args in (["--print-marks"], []):
        result = runner.invoke(app, ["build", "-c", str(mini), "-a", "handout", "--out", str(out), *args])
        assert result.exit_code == 0, result.output
    marked, plain = out / "handout" / "handout-pack.a4.print.pdf", out / "handout" / "handout-pack.a4.pdf"
    assert marked.exists() and plain.exists()
    assert marked.read_bytes() != plain.read_bytes()
