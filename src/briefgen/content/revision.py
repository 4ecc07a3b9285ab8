"""Load the content of an earlier edition: a folder, or a content folder at a git revision.

A revision is read with `git show REV:path` blob by blob into a private temporary folder, so
nothing is checked out and the working tree is never touched; problems name `REV:path`.
"""

from __future__ import annotations

import hashlib
import json
import posixpath
import subprocess
import tempfile
from dataclasses import replace
from pathlib import Path

from ..errors import BriefgenError, Problem
from .load import load_content
from .source import Content


_BASELINES: dict[str, Content] = {}  # loaded once per build; forked build workers inherit them


def load_baseline(spec: str, *, cwd: Path | None = None) -> tuple[Content, str]:
    """Load the earlier edition SPEC for `build --since` and return it with a digest of its content."""
    content = load_side(spec, cwd=cwd)
    _BASELINES[spec] = content
    dump = json.dumps(content.report.model_dump(mode="json"), sort_keys=True, ensure_ascii=False, default=str)
    return content, hashlib.sha256(dump.encode()).hexdigest()


def baseline(spec: str) -> Content:
    """Return the earlier edition SPEC, loaded by load_baseline in this process or its parent (else now)."""
    if spec not in _BASELINES:
        _BASELINES[spec] = load_side(spec)
    return _BASELINES[spec]


def _git(args: list[str], cwd: Path) -> bytes:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, timeout=60, check=False)
    except FileNotFoundError:
        raise BriefgenError("git is not installed; install git or pass a content folder") from None
    if done.returncode != 0:
        raise subprocess.CalledProcessError(done.returncode, args, done.stdout, done.stderr)
    return done.stdout


def load_side(spec: str, *, cwd: Path | None = None) -> Content:
    """Load SPEC: a content folder, or `REV:path` (a git revision and the content folder's path in it)."""
    cwd = Path.cwd() if cwd is None else cwd
    if (cwd / spec).is_dir():
        return load_content(cwd / spec, allow_missing=True)
    if ":" not in spec:
        raise BriefgenError(f"{spec}: no such content folder or git revision; pass a folder or REV:path (e.g. HEAD~1:content)")
    rev, path = spec.split(":", 1)
    if not rev or rev.startswith("-"):
        raise BriefgenError(f"{spec}: '{rev}' is not a git revision; write REV:path, e.g. HEAD~1:content")
    path = path.strip("/") or "."
    try:
        top = Path(_git(["rev-parse", "--show-toplevel"], cwd).decode().strip())
        prefix = _git(["rev-parse", "--show-prefix"], cwd).decode().strip()
    except subprocess.CalledProcessError:
        raise BriefgenError(f"{spec}: {cwd} is not in a git repository; pass a content folder instead") from None
    try:
        commit = _git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}"], cwd).decode().strip()
    except subprocess.CalledProcessError:
        raise BriefgenError(f"{spec}: unknown git revision '{rev}'; check it with git log") from None
    # The path is relative to the current directory, like a folder argument.
    folder = posixpath.normpath(posixpath.join(prefix, path))
    if folder.startswith(".."):
        raise BriefgenError(f"{spec}: '{path}' is outside the git repository; give a path inside it")
    under = "" if folder == "." else folder + "/"
    listing = _git(["ls-tree", "-r", "-z", "--name-only", "--full-tree", commit, "--", under or "."], top)
    names = [n for n in listing.decode("utf-8", "surrogateescape").split("\0") if n.startswith(under)]
    wanted = {}
    for name in names:
        r = name[len(under):]
        if r in ("report.yaml", "glossary.yaml") or (r.startswith("themes/") and r.count("/") == 1 and r.endswith(".yaml")):
            wanted[name] = r
    if "report.yaml" not in wanted.values():
        raise BriefgenError(f"{spec}: no content folder at '{folder}' in {rev}; give the folder's path, e.g. {rev}:content")
    with tempfile.TemporaryDirectory(prefix="briefgen-rev-") as tmp:
        root = Path(tmp) / "content"
        (root / "themes").mkdir(parents=True)
        for name, r in wanted.items():
            try:
                (root / r).write_bytes(_git(["show", f"{commit}:{name}"], top))
            except subprocess.CalledProcessError:
                raise BriefgenError(f"{rev}:{name}: git cannot read it as a file; keep content files as plain files") from None
        label = f"{rev}:{folder}"
        try:
            content = load_content(root, allow_missing=True)
        except BriefgenError as exc:
            raise BriefgenError([_relabel(p, root, label) for p in exc.problems]) from None
    return replace(content, root=Path(label))


def _relabel(problem: Problem, root: Path, label: str) -> Problem:
    """Return PROBLEM naming `REV:path/file` rather than the temporary copy."""
    path = problem.path
    if path.startswith(str(root)):
        path = label + path[len(str(root)):]
    return Problem(path, problem.line, problem.message, problem.severity)
