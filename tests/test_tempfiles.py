"""No temporary folder outlives a build: parallel workers' font folders go in a folder the build removes."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from typer.testing import CliRunner

import briefgen.build.runner
from briefgen.cli import app

CONTENT = Path(__file__).resolve().parents[1] / "content"
ARGS = ["build", "--content", str(CONTENT), "-a", "onepager", "-t", "soft-power", "-t", "mobility", "-l", "en", "-j", "2", "--force"]


def test_a_parallel_build_leaves_the_temp_folder_empty(tmp_path):
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env = {**os.environ, "TMPDIR": str(scratch)}
    result = subprocess.run([sys.executable, "-c", "from briefgen.cli import main; main()", *ARGS, "--out", str(tmp_path / "out")],
                            capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "built 2" in result.stdout
    assert list(scratch.iterdir()) == []


def _dying_worker(content_dir, target, out_dir, options, inputs):
    """Render (so WeasyPrint makes its font folder), then die without cleaning up, as SIGKILL would."""
    briefgen.build.runner._real(content_dir, target, out_dir, options, inputs)
    os._exit(9)


def test_a_killed_worker_leaves_no_temp_folder(tmp_path, monkeypatch):
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setenv("TMPDIR", str(scratch))
    monkeypatch.setattr(tempfile, "tempdir", None)  # read TMPDIR again
    monkeypatch.setattr(briefgen.build.runner, "_real", briefgen.build.runner._render_in_worker, raising=False)
    monkeypatch.setattr(briefgen.build.runner, "_render_in_worker", _dying_worker)  # the pool forks with it
    result = CliRunner().invoke(app, [*ARGS, "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "not built: a build worker was killed" in result.output
    assert list(scratch.iterdir()) == []
