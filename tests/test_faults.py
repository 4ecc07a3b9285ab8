"""Faults while building: a clear error, a non-zero exit, previous artifacts intact, no temporary files.

Faults simulated: an output folder that cannot be made (below a file), a read-only output
folder (really, when not root; else by refusing to create files), a full disk (writes go to
/dev/full; and, as root, a real 64 KB tmpfs), a worker that dies mid-write (in-process, and a
real SIGKILL of a worker of `briefgen build -j 2` in a subprocess), a corrupt reference .docx,
and a corrupt font in the --templates folder.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

import briefgen.build.runner
from briefgen.cli import app

from .conftest import THEME, write_content

runner = CliRunner()
SECOND = THEME.replace("id: energy", "id: trade").replace("number: 1\ntitle", "number: 2\ntitle").replace(
    "  - number: 1\n    id: diversify", "  - number: 2\n    id: tariffs"
)


def content(tmp_path: Path) -> Path:
    return write_content(tmp_path / "c", themes={"01-energy.yaml": THEME, "02-trade.yaml": SECOND})


def build(root: Path, out: Path, *args: str):
    result = runner.invoke(app, ["build", "--content", str(root), "--out", str(out), *args])
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def temporaries(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.name.endswith(".tmp")]


@pytest.fixture
def built(tmp_path):
    """A content folder and an output folder holding a good previous build (2 PDFs, 1 .docx)."""
    root, out = content(tmp_path), tmp_path / "out"
    result = build(root, out, "-a", "congress", "-f", "pdf", "-f", "docx", "--length", "short", "-j", "1")
    assert result.exit_code == 0, result.output
    before = snapshot(out)
    assert len(before) == 3  # brief-short.pdf, brief-short.docx, manifest.json
    return root, out, before


def assert_intact(out: Path, before: dict[str, bytes]) -> None:
    assert snapshot(out) == before, "a failed build changed the previous artifacts"
    assert temporaries(out) == []


def test_output_folder_below_a_file(tmp_path):
    root = content(tmp_path)
    (tmp_path / "file").write_text("mine")
    result = build(root, tmp_path / "file" / "out", "-a", "congress")
    assert result.exit_code == 1
    assert "file/out: cannot create the output folder: Not a directory; choose another with --out" in result.output
    assert (tmp_path / "file").read_text() == "mine"


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders; the next test simulates it")
def test_read_only_output_folder(built):
    root, out, before = built
    for folder in (out, out / "congress"):
        folder.chmod(0o555)
    try:
        result = build(root, out, "-a", "congress", "-f", "pdf", "-f", "docx", "--length", "short", "-j", "1", "--force")
    finally:
        for folder in (out, out / "congress"):
            folder.chmod(0o755)
    assert result.exit_code == 1
    assert "cannot write: Permission denied" in result.output
    assert_intact(out, before)


def test_read_only_output_folder_simulated(built, monkeypatch):
    root, out, before = built

    def refuse(*args, **kwargs):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))

    monkeypatch.setattr(tempfile, "mkstemp", refuse)  # what a read-only folder does to the writers
    result = build(root, out, "-a", "congress", "-f", "pdf", "-f", "docx", "--length", "short", "-j", "1", "--force")
    assert result.exit_code == 1
    assert "failed congress/brief-short.en.letter.pdf:" in result.output
    assert "brief-short.en.letter.pdf: cannot write: Permission denied" in result.output
    assert "brief-short.en.docx: cannot write: Permission denied" in result.output
    assert "built 0, skipped 0, failed 2" in result.output
    assert_intact(out, before)


def test_disk_full_while_writing(built, monkeypatch):
    root, out, before = built
    real_mkstemp = tempfile.mkstemp

    def on_full_disk(*args, **kwargs):
        fd, path = real_mkstemp(*args, **kwargs)
        os.close(fd)
        return os.open("/dev/full", os.O_WRONLY), path  # every write fails with ENOSPC

    monkeypatch.setattr(tempfile, "mkstemp", on_full_disk)
    result = build(root, out, "-a", "congress", "-f", "pdf", "-f", "docx", "--length", "short", "-j", "1", "--force")
    assert result.exit_code == 1
    assert "brief-short.en.letter.pdf: cannot write: No space left on device" in result.output
    assert "brief-short.en.docx: cannot write: No space left on device" in result.output
    assert_intact(out, before)


def test_disk_full_when_writing_the_manifest(tmp_path, monkeypatch):
    root, out = content(tmp_path), tmp_path / "out"
    real_write = briefgen.build.runner.atomic_write

    def full(path, data):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(briefgen.build.runner, "atomic_write", full)
    result = build(root, out, "-a", "congress", "-f", "pdf", "--length", "short", "-j", "1")
    assert result.exit_code == 1
    assert "manifest.json: cannot write: No space left on device" in result.output
    assert temporaries(out) == []
    monkeypatch.setattr(briefgen.build.runner, "atomic_write", real_write)
    again = build(root, out, "-a", "congress", "-f", "pdf", "--length", "short", "-j", "1")  # the next build repairs it
    assert again.exit_code == 0, again.output
    assert "congress/brief-short.en.letter.pdf" in (out / "manifest.json").read_text()


@pytest.fixture
def tmpfs(tmp_path):
    """A real, tiny (64 KB) file system, when this process may mount one."""
    mount = tmp_path / "small"
    mount.mkdir()
    if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount)], capture_output=True).returncode:
        pytest.skip("cannot mount a tmpfs here (needs root)")
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=True)


def test_disk_really_full(tmp_path, tmpfs):
    root, out = content(tmp_path), tmpfs / "out"
    assert build(root, out, "-a", "congress", "-f", "pdf", "--length", "short", "-j", "1").exit_code == 0
    before = snapshot(out)
    filler = tmpfs / "filler"  # someone else's file fills the disk; it must survive
    with open(filler, "wb", buffering=0) as fh:
        with pytest.raises(OSError) as full:
            while True:
                fh.write(b"x" * 1024)
    assert full.value.errno == errno.ENOSPC
    filler_bytes = filler.read_bytes()
    result = build(root, out, "-a", "congress", "-f", "pdf", "--length", "short", "-j", "1", "--force")
    assert result.exit_code == 1
    assert "cannot write: No space left on device" in result.output
    assert_intact(out, before)
    assert filler.read_bytes() == filler_bytes


_real_worker = briefgen.build.runner._render_in_worker


def _dying_worker(content_dir, target, out_dir, options, inputs):
    """Die the way SIGKILL or the OOM killer ends a worker: mid-write, without cleaning up."""
    if target.variant == "full":
        path = Path(out_dir) / target.name
        (path.parent / f".{path.name}.k1lled_x.tmp").write_bytes(b"%PDF-1.7 half a file")
        os._exit(9)
    return _real_worker(content_dir, target, out_dir, options, inputs)


def test_a_worker_dies(tmp_path, monkeypatch):
    root, out = content(tmp_path), tmp_path / "out"
    assert build(root, out, "-a", "congress", "-f", "pdf", "--length", "short", "--length", "full", "-j", "1").exit_code == 0
    before = snapshot(out)
    monkeypatch.setattr(briefgen.build.runner, "_render_in_worker", _dying_worker)  # the pool forks with it
    result = build(root, out, "-a", "congress", "-f", "pdf", "--length", "short", "--length", "full", "-j", "2", "--force")
    assert result.exit_code == 1
    assert "brief-full.en.letter.pdf: not built: a build worker was killed (out of memory, or stopped); any previous file is kept; build again" in result.output
    assert temporaries(out) == []
    # The other target either finished (the same bytes: nothing changed) or failed with the pool.
    assert snapshot(out) == before


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            found += [int(p) for p in (task / "children").read_text().split()]
        except OSError:
            pass
    return found


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs Linux /proc to find the workers")
def test_sigkill_of_a_worker_mid_build(tmp_path):
    root, out = content(tmp_path), tmp_path / "out"
    assert build(root, out, "-a", "congress", "-f", "pdf", "--length", "short", "--length", "full", "-j", "1").exit_code == 0
    before = snapshot(out)
    slow = tmp_path / "slow"  # the same output, but each document takes a second or two to render
    slow.mkdir()
    (slow / "base.html").write_text(
        '{% extends "builtin/base.html" %}{% block keywords %}'
        "{% for i in range(100000) %}{% for j in range(40) %}{% endfor %}{% endfor %}{{ super() }}{% endblock %}"
    )
    args = ["build", "--content", str(root), "--out", str(out), "-a", "congress", "--length", "short", "--length", "full",
            "-j", "2", "--templates", str(slow)]
    proc = subprocess.Popen([sys.executable, "-c", "from briefgen.cli import main; main()", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while len(_children(proc.pid)) < 2 and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.02)
        workers = _children(proc.pid)
        assert len(workers) >= 2, "the build did not start two workers"
        time.sleep(0.3)  # importing WeasyPrint and rendering take well over a second
        os.kill(workers[0], signal.SIGKILL)
        stdout, stderr = proc.communicate(timeout=60)  # a hang fails here
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    output = stdout + stderr
    assert proc.returncode == 1, output
    assert "Traceback" not in output
    assert "a build worker was killed" in output
    assert temporaries(out) == []
    assert snapshot(out) == before  # finished or not, the artifacts are whole and the same


def test_corrupt_reference_docx(built):
    root, out, before = built
    reference = out.parent / "reference.docx"
    reference.write_bytes(os.urandom(4096))
    result = build(root, out, "-a", "congress", "-f", "docx", "-j", "1", "--reference-docx", str(reference))
    assert result.exit_code == 1
    assert "reference.docx: not a .docx file (not a zip archive); open it in Word and save it as 'Word Document (*.docx)'" in result.output
    assert_intact(out, before)


@pytest.mark.parametrize("damage", ["random", "truncated"])
def test_corrupt_font_in_the_templates_folder(built, damage):
    """A damaged font overriding a built-in one fails the PDF, naming the file: never a fallback font."""
    from briefgen.render.fonts import FONTS

    root, out, before = built
    fonts = out.parent / "tpl" / "fonts"
    fonts.mkdir(parents=True)
    good = (FONTS / "NotoSerif-Regular.ttf").read_bytes()
    (fonts / "NotoSerif-Regular.ttf").write_bytes(os.urandom(5000) if damage == "random" else good[: len(good) // 3])
    result = build(root, out, "-a", "congress", "-f", "pdf", "-f", "docx", "--length", "short", "-j", "1", "--templates", str(fonts.parent))
    assert result.exit_code == 1
    assert "failed congress/brief-short.en.letter.pdf: " in result.output
    assert "tpl/fonts/NotoSerif-Regular.ttf: not a usable font (" in result.output
    assert "replace it with a working .ttf/.otf, or remove it to use the built-in font" in result.output
    assert "built congress/brief-short.en.docx" in result.output  # Word uses the reader's fonts: unaffected
    entries = {e["path"]: e for e in json.loads((out / "manifest.json").read_text())["artifacts"]}
    pdf = out / "congress" / "brief-short.en.letter.pdf"
    assert pdf.read_bytes() == before["congress/brief-short.en.letter.pdf"]
    assert entries[str(pdf.relative_to(out))]["sha256"] == hashlib.sha256(pdf.read_bytes()).hexdigest()
    assert len(PdfReader(pdf).pages) == 1
    assert temporaries(out) == []


# -- one build per output folder, nothing left behind (issue 18) ----------------------------------


def _alive(pid: int) -> bool:
    """True while PID runs (a zombie, killed and awaiting its reaper, counts as dead)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _slow_build(tmp_path: Path, root: Path, out: Path, jobs: str) -> subprocess.Popen:
    """Start `briefgen build` of two briefs whose templates take a few seconds to render."""
    slow = tmp_path / "slow"
    slow.mkdir(exist_ok=True)
    (slow / "base.html").write_text(
        '{% extends "builtin/base.html" %}{% block keywords %}'
        "{% for i in range(100000) %}{% for j in range(60) %}{% endfor %}{% endfor %}{{ super() }}{% endblock %}"
    )
    args = ["build", "--content", str(root), "--out", str(out), "-a", "congress", "-f", "pdf", "--length", "short", "--length", "full",
            "-j", jobs, "--templates", str(slow)]
    return subprocess.Popen([sys.executable, "-c", "from briefgen.cli import main; main()", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs Linux /proc to find the workers")
def test_workers_die_with_a_killed_build(tmp_path):
    root, out = content(tmp_path), tmp_path / "out"
    proc = _slow_build(tmp_path, root, out, "2")
    workers: list[int] = []
    try:
        deadline = time.monotonic() + 30
        while len(_children(proc.pid)) < 2 and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.02)
        workers = _children(proc.pid)
        assert len(workers) >= 2, "the build did not start two workers"
        os.kill(proc.pid, signal.SIGKILL)  # the main process only, as the OOM killer or `kill -9` does
        proc.communicate(timeout=10)
        deadline = time.monotonic() + 10
        while any(_alive(w) for w in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not [w for w in workers if _alive(w)], "workers outlived the build that started them"
    finally:
        for pid in [proc.pid, *workers]:  # never leave a process behind, whatever failed
            if _alive(pid):
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGKILL)
        proc.communicate()


def _locked_by_another(out: Path) -> bool:
    fd = os.open(out, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return False
    except OSError:
        return True
    finally:
        os.close(fd)


def test_a_second_build_into_the_same_folder_waits_for_the_first(tmp_path):
    root, out = content(tmp_path), tmp_path / "out"
    proc = _slow_build(tmp_path, root, out, "1")
    try:
        deadline = time.monotonic() + 30
        while not (out.is_dir() and _locked_by_another(out)) and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.02)
        assert _locked_by_another(out), "the first build did not lock its output folder"
        second = build(root, out, "-a", "onepager", "-l", "en", "-j", "1")
        first_output = "".join(proc.communicate(timeout=120))
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 0, first_output
    assert second.exit_code == 0, second.output
    assert f"{out}: another briefgen build is writing into this folder; waiting for it to finish" in second.output
    listed = {e["path"] for e in json.loads((out / "manifest.json").read_text())["artifacts"]}
    assert listed == {"congress/brief-short.en.letter.pdf", "congress/brief-full.en.letter.pdf",
                      "onepager/01-energy.en.letter.pdf", "onepager/02-trade.en.letter.pdf"}
    assert all((out / path).is_file() for path in listed)


def test_the_next_build_sweeps_temporaries_a_killed_build_left(built):
    root, out, before = built
    left = [out / "congress" / ".brief-short.en.letter.pdf.x1y2z3_4.tmp", out / ".manifest.json.abcdefgh.tmp"]
    for path in left:
        path.write_bytes(b"half a file")
    mine = out / "congress" / "notes.tmp"  # not a name briefgen makes: kept
    mine.write_text("mine")
    result = build(root, out, "-a", "congress", "-f", "pdf", "-f", "docx", "--length", "short", "-j", "1")  # up to date: a no-op
    assert result.exit_code == 0, result.output
    assert [p for p in left if p.exists()] == []
    assert mine.read_text() == "mine"
    mine.unlink()
    assert snapshot(out) == before
