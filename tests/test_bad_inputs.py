"""Every case in tests/bad_inputs/ fails cleanly: exit 1 (2 for a usage error), the expected line, no traceback, nothing written.

A case is a text file `NN-name.case`:

    # What is wrong, in a sentence (comment lines start with #).
    args: check --content content          the command line (shell words)
    expect: content/report.yaml:3: ...     a line (or part of one) the output must hold; repeatable
    exit: 1                                optional; 1 unless said otherwise
    @@ replace content/themes/01-energy.yaml
    text that occurs exactly once in the file
    @@ with
    what to put there instead (may be empty)
    @@ write PATH                          the lines below become the whole file
    @@ write-escaped PATH                  the same, with \\t, \\xNN and \\\\ decoded to bytes
    @@ append PATH                         the lines below are added at the end
    @@ copy SRC DEST                       copy a file
    @@ move SRC DEST                       rename a file
    @@ random PATH SIZE                    SIZE random bytes (seeded by the case name)
    @@ expand PATH TOKEN COUNT [lines]     TOKEN (once in the file) becomes the lines below, COUNT
                                           times over, {n} numbering them; each ends in a newline
                                           only when `lines` is given
    @@ fifo PATH                           a named pipe (reading it blocks forever)
    @@ mkdir PATH                          a folder
    @@ symlink PATH TARGET                 a symbolic link at PATH to TARGET (as written)
    @@ git                                 make the folder a git repository and commit everything in it
    seconds: 10                            optional: the run must end within this many seconds

Each case runs in a fresh folder holding `content/` (the `mini` fixture: report.yaml and
themes/01-energy.yaml, see conftest.py); paths are relative to it, and so is the output the
messages show. Blocks end at the next `@@` line; trailing blank lines are dropped.
"""

from __future__ import annotations

import codecs
import os
import random
import re
import shlex
import shutil
import stat
import subprocess
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefgen.cli import app

from .conftest import write_content

CASES = sorted((Path(__file__).parent / "bad_inputs").glob("*.case"))
runner = CliRunner()


def parse_case(path: Path) -> tuple[dict, list[tuple[list[str], list[str]]]]:
    """Return (header, blocks): header keys args/expect/exit, blocks as (directive words, lines)."""
    header: dict = {"expect": [], "exit": "1"}
    blocks: list[tuple[list[str], list[str]]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("@@"):
            blocks.append((line[2:].split(), []))
        elif blocks:
            blocks[-1][1].append(line)
        elif line.strip() and not line.startswith("#"):
            key, _, value = line.partition(":")
            if key == "expect":
                header["expect"].append(value.strip())
            else:
                header[key.strip()] = value.strip()
    assert "args" in header and header["expect"], f"{path.name}: needs args: and expect:"
    return header, blocks


def _text(lines: list[str]) -> str:
    while lines and not lines[-1].strip():
        lines = lines[:-1]
    return "".join(line + "\n" for line in lines)


def apply_blocks(root: Path, blocks: list, seed: str) -> None:
    pending_replace: tuple[Path, str] | None = None
    for words, lines in blocks:
        kind = words[0]
        if kind == "replace":
            pending_replace = (root / words[1], _text(lines))
        elif kind == "with":
            assert pending_replace is not None, "@@ with needs an @@ replace before it"
            path, old = pending_replace
            text = path.read_text(encoding="utf-8")
            assert text.count(old) == 1, f"{path.name}: the text to replace must occur once:\n{old}"
            path.write_text(text.replace(old, _text(lines)), encoding="utf-8")
            pending_replace = None
        elif kind in ("write", "write-escaped", "append"):
            path = root / words[1]
            path.parent.mkdir(parents=True, exist_ok=True)
            data = _text(lines).encode("utf-8")
            if kind == "write-escaped":
                data = codecs.escape_decode(data)[0]
            if kind == "append":
                data = path.read_bytes() + data
            path.write_bytes(data)
        elif kind == "copy":
            shutil.copyfile(root / words[1], root / words[2])
        elif kind == "move":
            (root / words[1]).rename(root / words[2])
        elif kind == "random":
            (root / words[1]).write_bytes(random.Random(seed).randbytes(int(words[2])))
        elif kind == "expand":
            path, token, count = root / words[1], words[2], int(words[3])
            text = path.read_text(encoding="utf-8")
            assert text.count(token) == 1, f"{path.name}: {token} must occur once"
            block = _text(lines) if words[4:] == ["lines"] else _text(lines).removesuffix("\n")
            path.write_text(text.replace(token, "".join(block.replace("{n}", str(n)) for n in range(count))), encoding="utf-8")
        elif kind == "fifo":
            os.mkfifo(root / words[1])
        elif kind == "mkdir":
            (root / words[1]).mkdir(parents=True)
        elif kind == "symlink":
            (root / words[1]).symlink_to(words[2])
        elif kind == "git":
            env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
                   "GIT_COMMITTER_EMAIL": "t@example.org", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
            for command in (["init", "-q"], ["add", "-A"], ["commit", "-q", "--no-gpg-sign", "-m", "the case's content"]):
                subprocess.run(["git", *command], cwd=root, env=env, check=True)
        else:
            raise AssertionError(f"unknown directive @@ {kind}")
    assert pending_replace is None, "@@ replace without @@ with"


def snapshot(root: Path) -> dict[str, bytes]:
    """Return every file under ROOT except the output folder, by relative path."""
    return {str(p.relative_to(root)): p.read_bytes() if p.is_file() else stat.S_IFMT(p.stat().st_mode)
            for p in sorted(root.rglob("*")) if not p.is_dir() and p.relative_to(root).parts[0] != "out"}


def test_the_corpus_is_big_enough():
    assert len(CASES) > 90


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_bad_input_fails_cleanly(case: Path, tmp_path: Path, monkeypatch):
    header, blocks = parse_case(case)
    write_content(tmp_path / "content")
    apply_blocks(tmp_path, blocks, case.stem)
    monkeypatch.chdir(tmp_path)  # messages then show paths as the case writes them
    before = snapshot(tmp_path)

    start = time.monotonic()
    result = runner.invoke(app, shlex.split(header["args"]))
    seconds = time.monotonic() - start

    output = result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), output
    assert "Traceback" not in output
    assert result.exit_code == int(header["exit"]), output
    for expected in header["expect"]:
        assert expected in output, f"expected {expected!r} in:\n{output}"
    # Nothing from the input reaches the terminal as a control sequence (ESC, BEL, OSC, bidi).
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", output), repr(output)
    if "seconds" in header:
        assert seconds < float(header["seconds"]), f"took {seconds:.1f} s"
    written = [p for p in (tmp_path / "out").rglob("*") if p.is_file()] if (tmp_path / "out").is_dir() else []
    assert written == [], f"a failed run wrote {written}"
    assert snapshot(tmp_path) == before, "a failed run changed an input file"
