"""A warm process (watch) makes the same bytes as a cold build of the same inputs."""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import sys
from pathlib import Path

import yaml
from pypdf import PdfReader

from briefgen import api
from briefgen.paths import BUILTIN_TEMPLATES

CONTENT = Path(__file__).resolve().parents[1] / "content"
ARTIFACT = "onepager/04-energy.en.letter.pdf"  # the real energy theme fits only without its summaries


def text_of(path: Path) -> str:
    return " ".join(page.extract_text() for page in PdfReader(path).pages)


def shorten_theme(path: Path) -> None:
    """Keep one key point per recommendation and the first sentence of each English summary: the theme then fits as designed."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for rec in data["recommendations"]:
        rec["key_points"] = rec["key_points"][:1]
        rec["summary"]["en"] = rec["summary"]["en"].split(". ")[0].rstrip(".") + "."
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_warm_build_after_edits_equals_a_cold_build(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    templates = tmp_path / "templates"
    templates.mkdir()
    notes: list = []

    def rebuild(out):
        """Build in this process, as `watch` does after a save."""
        progress = lambda total: contextlib.nullcontext(lambda outcome: notes.extend(outcome.notes))  # noqa: E731
        return api.build(content, out, audiences=["onepager"], themes=["energy"], langs=["en"], templates=templates,
                         allow_missing=True, jobs=1, progress=progress)

    warm = tmp_path / "warm"
    assert rebuild(warm).count("built") == 1
    assert any("without summaries" in n for n in notes), notes  # fitted at a later step before the edits

    shorten_theme(content / "themes" / "04-energy.yaml")
    (templates / "words.yaml").write_text("authors:\n  en: Written by\n  ja: 執筆\n", encoding="utf-8")
    sheet = (BUILTIN_TEMPLATES / "onepager" / "sheet.html").read_text(encoding="utf-8")
    (templates / "onepager").mkdir()
    (templates / "onepager" / "sheet.html").write_text(sheet.replace("</header>", "<p>Local override in use</p></header>", 1), encoding="utf-8")
    notes.clear()
    assert rebuild(warm).count("built") == 1

    cold = tmp_path / "cold"
    result = subprocess.run([sys.executable, "-c", "from briefgen.cli import main; main()", "build", "--content", str(content),
                             "-a", "onepager", "-t", "energy", "-l", "en", "--allow-missing", "--templates", str(templates),
                             "--out", str(cold), "-v"], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "fitted" not in result.stdout and not notes  # the shortened theme fits as designed, warm and cold

    text = text_of(warm / ARTIFACT)
    assert "Written by" in text  # the edited words.yaml
    assert "Local override in use" in text  # the override template added while the process ran
    assert (warm / ARTIFACT).read_bytes() == (cold / ARTIFACT).read_bytes()
