"""Where briefgen writes: only its own artifacts, only inside the output folder.

Decision: a file already standing at an artifact's path (say the user's own
congress/brief-short.en.letter.pdf, unknown to the manifest) is replaced. Pointing --out at a
folder asks for the briefs in it; the names are briefgen's documented artifact names, the
replacement is atomic, and refusing would make every first build into an old folder fail.
Anything else in the folder is never touched: briefgen deletes nothing and follows no link.
"""

from __future__ import annotations

import json
from pathlib import Path

from pypdf import PdfReader
from typer.testing import CliRunner

from briefgen.audiences.declaration import PAPERS, all_lengths, audiences
from briefgen.audiences.select import select_targets
from briefgen.cli import app
from briefgen.content.load import load_content

from .conftest import CONTENT, write_content

runner = CliRunner()


def build(root: Path, out: Path, *args: str):
    result = runner.invoke(app, ["build", "--content", str(root), "--out", str(out), "-j", "1", *args])
    assert "Traceback" not in result.output
    return result


def test_every_artifact_path_stays_inside_the_output_folder(tmp_path):
    report = load_content(CONTENT).report  # the real report: 7 themes, both languages
    out = (tmp_path / "out").resolve()
    targets = select_targets(report, audiences=list(audiences()), papers=list(PAPERS), lengths=all_lengths())
    targets += select_targets(report, audiences=["congress", "ministry"], formats=["docx"])
    assert len(targets) > 30
    for target in targets:
        path = (out / target.name).resolve()
        assert path.is_relative_to(out) and path != out, target.name
        assert ".." not in Path(target.name).parts and not Path(target.name).is_absolute()


def test_unrelated_files_survive_builds(mini, tmp_path):
    out = tmp_path / "out"
    mine = {out / "notes.txt": b"my notes", out / "congress" / "draft.docx": b"my draft", out / "congress" / ".keep": b""}
    for path, data in mine.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    assert build(mini, out, "-a", "congress").exit_code == 0
    assert build(mini, out, "-a", "congress", "--force").exit_code == 0
    (mini / "themes" / "01-energy.yaml").write_text("id: [\n")  # and a failing build
    assert build(mini, out, "-a", "congress").exit_code == 1
    for path, data in mine.items():
        assert path.read_bytes() == data


def test_a_file_at_an_artifact_path_is_replaced(mini, tmp_path):
    out = tmp_path / "out"
    theirs = out / "congress" / "brief-short.en.letter.pdf"
    theirs.parent.mkdir(parents=True)
    theirs.write_bytes(b"an old brief, not in any manifest")
    result = build(mini, out, "-a", "congress")
    assert result.exit_code == 0, result.output
    assert len(PdfReader(theirs).pages) == 1
    assert "congress/brief-short.en.letter.pdf" in (out / "manifest.json").read_text()


def test_a_link_at_an_artifact_path_is_replaced_not_followed(mini, tmp_path):
    out, victim = tmp_path / "out", tmp_path / "elsewhere.pdf"
    victim.write_bytes(b"not briefgen's")
    link = out / "congress" / "brief-short.en.letter.pdf"
    link.parent.mkdir(parents=True)
    link.symlink_to(victim)
    assert build(mini, out, "-a", "congress").exit_code == 0
    assert victim.read_bytes() == b"not briefgen's"
    assert not link.is_symlink() and len(PdfReader(link).pages) == 1


def test_a_tampered_manifest_cannot_point_outside(mini, tmp_path):
    out, victim = tmp_path / "out", tmp_path / "victim.txt"
    victim.write_text("keep me")
    out.mkdir()
    entries = [{"path": "../victim.txt", "bytes": 7}, {"path": str(victim), "bytes": 7}, {"path": 7}, "junk", {"nopath": 1}]
    (out / "manifest.json").write_text(json.dumps({"format": "briefgen-manifest/1", "artifacts": entries}))
    result = build(mini, out, "-a", "congress", "-f", "pdf", "--length", "short")
    assert result.exit_code == 0, result.output
    assert victim.read_text() == "keep me"
    paths = [e["path"] for e in json.loads((out / "manifest.json").read_text())["artifacts"]]
    assert paths == ["congress/brief-short.en.letter.pdf"]


def test_a_manifest_that_is_not_an_object_is_ignored(mini, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    for text in ("[1, 2]", '"text"', "{\"artifacts\": 5}", "{not json", "\xff"):
        (out / "manifest.json").write_text(text, encoding="latin-1")
        result = build(mini, out, "-a", "congress", "--force")
        assert result.exit_code == 0, (text, result.output)


def test_hostile_names_on_the_command_line_select_nothing(mini, tmp_path):
    for args in (["-t", "../energy"], ["-t", "/etc"], ["-a", "../congress"], ["-l", "../en"], ["--paper", "../a4"]):
        result = build(mini, tmp_path / "out", *args)
        assert result.exit_code == 2, args
    assert not (tmp_path / "out").exists()


def test_theme_ids_that_could_escape_are_refused(tmp_path):
    from .conftest import THEME

    for bad in ("../x", "x/y", "/abs", "..", "Energy", "a b", "ｘ"):
        root = write_content(tmp_path / bad.encode().hex(), themes={"01-energy.yaml": THEME.replace("id: energy", f"id: '{bad}'")})
        result = build(root, tmp_path / "out", "-a", "onepager")
        assert result.exit_code == 1, bad
        assert "is not a safe id" in result.output
    assert not (tmp_path / "out").exists()
