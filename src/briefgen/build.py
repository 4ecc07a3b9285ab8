"""Build a set of targets into an output folder."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .audiences import Target
from .document import Artifact, RenderOptions, render_target
from .errors import BriefgenError, Problem
from .load import Content


@dataclass
class BuildResult:
    built: list[Artifact] = field(default_factory=list)
    failed: list[tuple[Target, BriefgenError]] = field(default_factory=list)


def build_targets(content: Content, targets: list[Target], out_dir: Path, options: RenderOptions, report=print) -> BuildResult:
    """Render every target; one failing target does not stop the others."""
    result = BuildResult()
    for target in targets:
        try:
            artifact = render_target(content, target, out_dir, options)
        except BriefgenError as exc:
            result.failed.append((target, exc))
            for p in exc.problems:
                report(f"failed {target.name}: {p}")
            continue
        result.built.append(artifact)
        report(f"wrote {artifact.path} ({artifact.pages} pages)")
    return result
