"""Rebuild selected outputs whenever content or templates change, in one warm process.

The process keeps WeasyPrint imported and its fonts loaded, and the build is incremental, so a
translator who edits one field sees the affected handout again in a fraction of a second.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Callable

from .runner import BuildResult, build_targets
from ..render.options import RenderOptions
from ..errors import BriefgenError, Problem
from ..content.load import load_content
from ..render.templates import BUILTIN_TEMPLATES


def rebuild(content_dir: Path, select: Callable, out: Path, options: RenderOptions, report) -> BuildResult | None:
    """Load, select (SELECT(report) -> targets) and build once; print problems instead of raising them."""
    try:
        loaded = load_content(content_dir, allow_missing=True)
        return build_targets(loaded, select(loaded.report), out, options, jobs=1, report=report, notify=report)
    except BriefgenError as exc:
        for problem in exc.problems:
            report(problem)
        return None


# What a build reads from the content and template folders. Anything else there is an editor's
# swap, backup or lock file (.x.yaml.swp, x.yaml~, #x.yaml#, .#x.yaml, 4913, .goutputstream-*)
# or a half-written temporary file, and saving it must not trigger a rebuild.
INPUT_SUFFIXES = {".yaml", ".yml", ".html", ".css", ".ttf", ".otf", ".woff", ".woff2", ".svg", ".png", ".jpg", ".jpeg", ".docx"}


def is_input(path: str | Path) -> bool:
    """Tell whether a changed PATH is a file the build reads, not an editor's temporary file."""
    name = Path(path).name
    return Path(name).suffix.lower() in INPUT_SUFFIXES and not name.startswith((".#", "#"))


def _identity(folders: list[Path]) -> list[tuple[int, int] | None]:
    """Return which folder each path names now (device, inode); None while it is missing."""
    found = []
    for folder in folders:
        try:
            info = os.stat(folder)
            found.append((info.st_dev, info.st_ino))
        except OSError:
            found.append(None)
    return found


def _stamps(folders: list[Path], wanted: Callable) -> dict[str, tuple[int, int]]:
    """Return each input file's modification time and size under FOLDERS."""
    stamps = {}
    for folder in folders:
        for dirpath, _, names in os.walk(folder):
            for name in names:
                path = os.path.join(dirpath, name)
                if wanted(None, path):
                    try:
                        info = os.stat(path)
                    except OSError:
                        continue
                    stamps[path] = (info.st_mtime_ns, info.st_size)
    return stamps


def watch_and_rebuild(content_dir: Path, select: Callable, out: Path, options: RenderOptions, report, stop_event=None,
                      on_build: Callable[[BuildResult | None], None] = lambda result: None) -> None:
    """Build now, then again after every change under the content and template folders; ON_BUILD gets each result (None: it failed).

    A folder replaced as a whole (git checkout, rsync, a script that renames a fresh copy into
    place) is noticed within half a second and watched anew; changes inside the output folder
    (when it lies inside a watched folder) are briefgen's own and never trigger a build.
    """
    from watchfiles import watch

    if not Path(content_dir).is_dir():
        raise BriefgenError([Problem(str(content_dir), 0, "no such content folder; pass --content DIR")])
    if options.templates is not None and not options.templates.is_dir():
        raise BriefgenError([Problem(str(options.templates), 0, "no such templates folder; pass --templates DIR with an existing folder")])
    folders = [Path(content_dir), BUILTIN_TEMPLATES] + ([options.templates] if options.templates else [])
    own = os.path.realpath(out) + os.sep

    def inputs(change, path: str) -> bool:
        return is_input(path) and not os.path.realpath(path).startswith(own)

    report(f"watching {content_dir} and the templates; Ctrl-C to stop")
    # The watcher starts only after a build outside it; a file saved meanwhile is found by
    # comparing these stamps once the watcher runs (its first yield), or that edit would be lost.
    before = _stamps(folders, inputs)
    on_build(rebuild(content_dir, select, out, options, report))
    stop_event = stop_event or threading.Event()  # never set: Ctrl-C stops the CLI's watch
    while not stop_event.is_set():
        identity = _identity(folders)
        if None in identity:  # mid-replacement: wait for the new folder to appear
            stop_event.wait(0.2)
            continue
        for changes in watch(*folders, watch_filter=inputs, stop_event=stop_event, debounce=100, step=20,
                             rust_timeout=500, yield_on_timeout=True, raise_interrupt=True):
            replaced = _identity(folders) != identity
            now = _stamps(folders, inputs) if before is not None else {}
            missed = {path for path in now.keys() | (before or {}).keys() if now.get(path) != before.get(path)} if before is not None else set()
            before = None
            if not changes and not replaced and not missed:
                continue
            names = sorted({Path(p).name for p in missed | {p for _, p in changes}}) if not replaced else [f"{content_dir} (replaced)"]
            report(f"changed: {', '.join(names)}")
            if replaced:
                before = _stamps(folders, inputs)
            result = rebuild(content_dir, select, out, options, report)
            if result is not None:
                report(result.summary())
            on_build(result)
            if replaced:
                break  # watch the new folder
        else:
            return  # stopped

