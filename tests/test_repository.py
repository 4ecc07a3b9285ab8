"""The checked-in tree itself: no file carries what a half-finished merge leaves behind."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Git writes these three lines, each alone at the start of a line; a template that kept them would
# print them as text, which no render test notices.
MARKER = re.compile(rb"^(<{7} |={7}$|>{7} )", re.MULTILINE)


def tracked_files() -> list[Path]:
    listing = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    return [ROOT / name for name in listing.decode().split("\0") if name]


def test_no_tracked_file_carries_merge_conflict_markers():
    files = [path for path in tracked_files() if path.is_file()]
    assert len(files) > 100, "git ls-files found too few files to be this repository"
    conflicted = [str(path.relative_to(ROOT)) for path in files if MARKER.search(path.read_bytes())]
    assert conflicted == []


def test_the_marker_pattern_finds_a_real_conflict():
    conflict = b"<p>\n<<<<<<< HEAD\nours\n=======\ntheirs\n>>>>>>> main\n</p>\n"
    assert len(MARKER.findall(conflict)) == 3
    assert not MARKER.search(b"A heading\n=========\n<!-- <<<<<<< not at line start -->\n")
