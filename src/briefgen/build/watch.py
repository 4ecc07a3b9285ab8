"""Rebuild selected outputs whenever content or templates change, in one warm process.

The process keeps WeasyPrint imported and its fonts loaded, and the build is incremental, so a
translator who edits one field sees the affected handout again in a fraction of a second.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from .runner import BuildResult, build_targets
from ..render.options import RenderOptions
from ..errors import BriefgenError
from ..content.load import load_content
from ..render.templates import BUILTIN_TEMPLATES


def rebuild(content_dir: Path, select: Callable, out: Path, options: RenderOptions, report) -> BuildResult | None:
    """Load, select and build once; print problems instead of raising them."""
    try:
        loaded = load_content(content_dir, allow_missing=True)
        return build_targets(loaded, select(loaded.report), out, options, jobs=1, report=report)
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


def watch_and_rebuild(content_dir: Path, select: Callable, out: Path, options: RenderOptions, report, stop_event=None) -> None:
    """Build now, then again after every change under the content and template folders."""
    from watchfiles import watch

    rebuild(content_dir, select, out, options, report)
    folders = [content_dir, BUILTIN_TEMPLATES] + ([options.templates] if options.templates else [])
    for changes in watch(*folders, stop_event=stop_event, debounce=100, step=20, watch_filter=lambda _change, path: is_input(path)):
        names = sorted({Path(p).name for _, p in changes})
        report(f"changed: {', '.join(names)}")
        result = rebuild(content_dir, select, out, options, report)
        if result is not None:
            report(result.summary())
