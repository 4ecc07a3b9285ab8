"""PDF/UA-1 and PDF/A-2a, checked by a real machine validator (page-validation), not our own reading."""

from __future__ import annotations

import shutil
from pathlib import Path

import pikepdf
import pytest
from page import validate_pdf
from typer.testing import CliRunner

from briefgen.audiences.select import select_targets
from briefgen.cli import app
from briefgen.content.load import load_content

from .conftest import CONTENT

runner = CliRunner()


def failures(path: Path, profile: str) -> list[str]:
    """Return what the validator finds wrong with PATH under PROFILE (ua1, 2a, 2u, ...)."""
    report = validate_pdf(path, profile=profile)
    return [f"{f.rule_id}: {f.message}" for f in report.failures] or ([] if report.is_compliant else ["not compliant"])


@pytest.fixture(scope="module")
def default_build(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("out")
    result = runner.invoke(app, ["build", "--content", str(CONTENT), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_every_pdf_of_the_default_build_passes_pdf_ua_1(default_build):
    expected = {t.name for t in select_targets(load_content(CONTENT).report) if t.format == "pdf"}
    built = {str(p.relative_to(default_build)) for p in default_build.rglob("*.pdf")}
    assert built == expected and len(built) >= 18
    found = {name: failures(default_build / name, "ua1") for name in sorted(built)}
    assert {name: f for name, f in found.items() if f} == {}


def test_the_validator_catches_a_figure_without_alt_text(default_build, tmp_path):
    # The check above can fail: take the QR code's alternative text away and it does.
    broken = tmp_path / "no-alt.pdf"
    with pikepdf.open(next(default_build.glob("onepager/*.en.*.pdf"))) as pdf:
        def strip(node):
            if isinstance(node, pikepdf.Dictionary):
                if node.get("/S") == "/Figure":
                    del node["/Alt"]
                kids = node.get("/K")
                for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
                    strip(kid)
        strip(pdf.Root.StructTreeRoot)
        pdf.save(broken)
    assert any("ALTERNATIVE-TEXT" in f for f in failures(broken, "ua1"))


ARCHIVED = (["-a", "congress", "-f", "pdf", "--length", "short"], ["-a", "onepager", "-t", "energy", "-l", "ja"])


@pytest.fixture(scope="module")
def archived(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("archive")
    for args in ARCHIVED:
        result = runner.invoke(app, ["build", "--content", str(CONTENT), "--out", str(out), "--archive", *args])
        assert result.exit_code == 0, result.output
    return out


def archive_pdfs(out: Path) -> list[Path]:
    pdfs = sorted(out.rglob("*.pdf"))
    # An archival copy has its own name, so it never replaces the plain PDF.
    assert [str(p.relative_to(out)) for p in pdfs] == ["congress/brief-short.en.letter.archive.pdf", "onepager/04-energy.ja.a4.archive.pdf"]
    return pdfs


def test_archive_is_pdf_a_2a_and_still_pdf_ua_1(archived):
    for pdf in archive_pdfs(archived):
        assert failures(pdf, "2a") == [], pdf.name
        assert failures(pdf, "ua1") == [], pdf.name


def test_archive_declares_both_identifiers_in_the_xmp(archived):
    for path in archive_pdfs(archived):
        with pikepdf.open(path) as pdf:
            meta = pdf.open_metadata()
            assert (meta["pdfaid:part"], meta["pdfaid:conformance"], meta["pdfuaid:part"]) == ("2", "A", "1")
            assert "/Filter" not in pdf.Root.Metadata  # PDF/A: metadata stays readable without decoding


def test_archive_bytes_are_reproducible(archived, tmp_path):
    again = tmp_path / "again"
    shutil.copytree(archived, again)
    for args in ARCHIVED:
        result = runner.invoke(app, ["build", "--content", str(CONTENT), "--out", str(again), "--archive", "--force", *args])
        assert result.exit_code == 0, result.output
    for first, second in zip(archive_pdfs(archived), archive_pdfs(again)):
        assert first.read_bytes() == second.read_bytes(), first.name


def test_plain_build_is_pdf_ua_only(default_build):
    # Without --archive nothing claims PDF/A: the claim is made only where it is checked.
    with pikepdf.open(default_build / "congress" / "brief-short.en.letter.pdf") as pdf:
        meta = pdf.open_metadata()
        assert meta.get("pdfuaid:part") == "1" and meta.get("pdfaid:part") is None


def test_print_marks_in_an_archive_keep_pdf_a_2a(tmp_path):
    # Registration marks print on every plate (Separation /All); under the sRGB intent of PDF/A
    # their alternate must be gray, since PDF/A forbids DeviceCMYK without a CMYK intent.
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", "--content", str(CONTENT), "-a", "handout", "-t", "1", "--print-marks", "--archive", "--out", str(out)])
    assert result.exit_code == 0, result.output
    path = out / "handout" / "handout-pack.a4.print.archive.pdf"
    assert failures(path, "2a") == []
    assert failures(path, "ua1") == []
    with pikepdf.open(path) as pdf:
        spaces = [page.Resources.ColorSpace.BriefgenRegistration for page in pdf.pages]
        assert spaces and all(s[0] == "/Separation" and s[1] == "/All" and s[2] == "/DeviceGray" for s in spaces)
        # The check above can fail: the CMYK alternate a plain print build uses breaks PDF/A.
        for space in spaces:
            space[2] = pikepdf.Name.DeviceCMYK
            space[3].C0, space[3].C1 = [0, 0, 0, 0], [1, 1, 1, 1]
        pdf.save(tmp_path / "cmyk.pdf")
    assert any("DEVICE-CMYK" in f for f in failures(tmp_path / "cmyk.pdf", "2a"))


def test_plain_print_marks_stay_in_registration_cmyk(tmp_path):
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", "--content", str(CONTENT), "-a", "handout", "-t", "1", "--print-marks", "--out", str(out)])
    assert result.exit_code == 0, result.output
    with pikepdf.open(out / "handout" / "handout-pack.a4.print.pdf") as pdf:
        for page in pdf.pages:
            space = page.Resources.ColorSpace.BriefgenRegistration
            assert (space[1], space[2], list(space[3].C1)) == ("/All", "/DeviceCMYK", [1, 1, 1, 1])
