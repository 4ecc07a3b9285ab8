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


def watch_and_rebuild(content_dir: Path, select: Callable, out: Path, options: RenderOptions, report, stop_event=None) -> None:
    """Build now, then again after every change under the content and template folders."""
    from watchfiles import watch

    rebuild(content_dir, select, out, options, report)
    folders = [content_dir, BUILTIN_TEMPLATES] + ([options.templates] if options.templates else [])
    for changes in watch(*folders, stop_event=stop_event, debounce=100, step=20):
        names = sorted({Path(p).name for _, p in changes})
        report(f"changed: {', '.join(names)}")
        result = rebuild(content_dir, select, out, options, report)
        if result is not None:
            report(result.summary())
