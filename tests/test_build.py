"""One command builds everything: manifest, incremental, atomic, reproducible."""

import hashlib
import json
from pathlib import Path

from pypdf import PdfReader
from typer.testing import CliRunner

from briefgen.cli import app

from .conftest import THEME, write_content

runner = CliRunner()
SECOND = THEME.replace("id: energy", "id: trade").replace("number: 1\ntitle", "number: 2\ntitle").replace(
    "  - number: 1\n    id: diversify", "  - number: 2\n    id: tariffs"
)


def build(root: Path, out: Path, *args: str, env: dict | None = None):
    result = runner.invoke(app, ["build", "--content", str(root), "--out", str(out), "-j", "1", *args], env=env)
    assert "Traceback" not in result.output
    return result


def content(tmp_path: Path) -> Path:
    return write_content(tmp_path / "c", themes={"01-energy.yaml": THEME, "02-trade.yaml": SECOND})


def manifest(out: Path) -> dict:
    return {e["path"]: e for e in json.loads((out / "manifest.json").read_text())["artifacts"]}


def test_default_build_makes_every_audience_and_a_true_manifest(tmp_path):
    root, out = content(tmp_path), tmp_path / "out"
    result = build(root, out)
    assert result.exit_code == 0, result.output
    entries = manifest(out)
    assert set(entries) == {
        "congress/brief-short.en.letter.pdf", "congress/brief-full.en.letter.pdf", "congress/brief-short.en.docx",
        "ministry/memo.ja.docx", "ministry/memo.ja.a4.pdf", "handout/handout-pack.a4.pdf",
        "onepager/01-energy.ja.a4.pdf", "onepager/01-energy.en.letter.pdf",
        "onepager/02-trade.ja.a4.pdf", "onepager/02-trade.en.letter.pdf",
    }
    for path, entry in entries.items():
        data = (out / path).read_bytes()
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
        assert entry["bytes"] == len(data)
        if path.endswith(".pdf"):
            assert entry["pages"] == len(PdfReader(out / path).pages)
    assert entries["handout/handout-pack.a4.pdf"]["pages"] == 4
    assert "built 10, skipped 0, failed 0" in result.output


def test_second_build_rebuilds_nothing_and_one_theme_change_rebuilds_only_its_users(tmp_path):
    root, out = content(tmp_path), tmp_path / "out"
    # -a congress alone is the default set's three congress documents; the short PDF is enough here.
    SELECTION = ("-a", "onepager", "-a", "congress", "-f", "pdf", "--length", "short")
    assert build(root, out, *SELECTION).exit_code == 0
    before = manifest(out)
    again = build(root, out, *SELECTION)
    assert "built 0, skipped 5, failed 0" in again.output
    theme = root / "themes" / "02-trade.yaml"
    theme.write_text(theme.read_text().replace("en: Diversify suppliers", "en: Diversify suppliers now"))
    changed = build(root, out, *SELECTION, "-v")
    rebuilt = {line.split()[1] for line in changed.output.splitlines() if line.startswith("built ") and "(" in line}
    assert rebuilt == {"onepager/02-trade.en.letter.pdf", "onepager/02-trade.ja.a4.pdf",
                       "congress/brief-short.en.letter.pdf"}
    after = manifest(out)
    assert after["onepager/01-energy.ja.a4.pdf"] == before["onepager/01-energy.ja.a4.pdf"]
    assert build(root, out, "-a", "onepager", "--force").output.count("built onepager/") == 4


def test_failed_build_keeps_the_previous_artifact(tmp_path):
    root, out = content(tmp_path), tmp_path / "out"
    assert build(root, out, "-a", "onepager", "-l", "en").exit_code == 0
    good = (out / "onepager" / "02-trade.en.letter.pdf").read_bytes()
    theme = root / "themes" / "02-trade.yaml"
    huge = "      - {ja: 長い, en: " + "a very long point that goes on " * 90 + "}\n"
    theme.write_text(theme.read_text().replace("      - {ja: 多角化, en: Diversify}\n", huge * 5))
    result = build(root, out, "-a", "onepager", "-l", "en")
    assert result.exit_code == 1
    assert "failed onepager/02-trade.en.letter.pdf" in result.output
    assert "built 0, skipped 1, failed 1" in result.output
    assert (out / "onepager" / "02-trade.en.letter.pdf").read_bytes() == good
    assert manifest(out)["onepager/02-trade.en.letter.pdf"]["sha256"] == hashlib.sha256(good).hexdigest()
    assert not list(out.rglob("*.tmp"))


def test_builds_are_reproducible(tmp_path):
    root = content(tmp_path)
    env = {"SOURCE_DATE_EPOCH": "1780000000"}
    for name in ("a", "b"):
        assert build(root, tmp_path / name, "-a", "congress", "-a", "ministry", "-f", "pdf", "-f", "docx", env=env).exit_code == 0
    files = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*.*") if p.name != "manifest.json")
    assert len(files) == 5  # both briefs, the brief as Word, the memo as PDF and Word
    for rel in files:
        assert (tmp_path / "a" / rel).read_bytes() == (tmp_path / "b" / rel).read_bytes(), rel


def test_parallel_build_matches_serial(tmp_path):
    root = content(tmp_path)
    serial = build(root, tmp_path / "s", "-a", "onepager")
    parallel = runner.invoke(app, ["build", "--content", str(root), "--out", str(tmp_path / "p"), "-a", "onepager", "-j", "2"])
    assert serial.exit_code == parallel.exit_code == 0, parallel.output
    for path, entry in manifest(tmp_path / "s").items():
        assert manifest(tmp_path / "p")[path]["sha256"] == entry["sha256"]


def test_unknown_options_fail_with_one_line(tmp_path):
    root = content(tmp_path)
    for args, message in [
        (["-a", "senate"], "--audience senate: unknown audience; choose one of congress, ministry, onepager, handout, web, proof"),
        (["-l", "fr"], "--lang fr: the content has no 'fr'; choose ja or en"),
        (["--paper", "a3"], "--paper a3: unknown paper; choose a4 or letter"),
        (["-t", "space"], "--theme space: no such theme; choose an id or number: 1=energy, 2=trade"),
        (["-a", "onepager", "-f", "docx"], "--format docx: the onepager audience makes pdf, email only"),
    ]:
        result = build(root, tmp_path / "out", *args)
        assert result.exit_code == 2  # a usage error, as for an unknown option
        assert message in result.output
    assert not (tmp_path / "out").exists()


def test_stale_translation_warns_and_fails_under_strict(tmp_path):
    import shutil

    from .conftest import CONTENT

    root = shutil.copytree(CONTENT, tmp_path / "content")
    theme = root / "themes" / "05-demography.yaml"
    text = theme.read_text(encoding="utf-8")
    assert "高齢化" in text
    theme.write_text(text.replace("高齢化", "少子高齢化", 1), encoding="utf-8")  # the source moves on
    out = tmp_path / "out"
    result = build(root, out, "-a", "onepager", "-t", "demography", "-l", "en")
    assert result.exit_code == 0, result.output
    assert "05-demography.yaml:" in result.output and "stale en" in result.output
    strict = build(root, out, "-a", "onepager", "-t", "demography", "-l", "en", "--strict", "--force")
    assert strict.exit_code == 1
    assert "--strict refuses to print them" in strict.output
