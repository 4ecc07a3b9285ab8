"""The bilingual proof: source beside translation, each field labelled, gaps highlighted."""

from typer.testing import CliRunner

from briefgen.cli import app

from .conftest import THEME, write_content
from .pdfcheck import pdf_text, squash

runner = CliRunner()


def test_proof_labels_fields_and_flags_missing_translations(tmp_path):
    theme = THEME.replace("      en: Diversify suppliers\n", "")
    root = write_content(tmp_path / "c", themes={"01-energy.yaml": theme})
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", "--content", str(root), "-a", "proof", "--out", str(out)])
    assert result.exit_code == 0, result.output
    text = squash(pdf_text(out / "proof" / "proof.en.letter.pdf"))
    assert "themes/01-energy.yaml:23·recommendations[0].title·missing" in text
    assert "調達先を多角化せよ" in text
    assert "report.yaml:6·title" in text and "小さな報告書" in text and "Asmallreport" in text
    assert "1missing" in text


def test_proof_of_the_source_language_is_refused(mini, tmp_path):
    result = runner.invoke(app, ["build", "--content", str(mini), "-a", "proof", "-l", "ja", "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "a proof compares a translation with the ja source; choose --lang en" in result.output
