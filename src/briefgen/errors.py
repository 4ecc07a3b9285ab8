"""The one error type users see, and the problem records it carries."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the input, located at a file and line when it has one."""

    path: str
    line: int
    message: str
    severity: str = "error"  # "error" or "warning"
    kind: str = ""  # what a warning is about: css, url, weasyprint, style, dropped, stale, fallback

    def __str__(self) -> str:
        where = display_path(self.path) if self.path else "briefgen"
        if self.line:
            where = f"{where}:{self.line}"
        prefix = "warning: " if self.severity == "warning" else ""
        return f"{where}: {prefix}{self.message}"


# Warnings --strict does not refuse: printing a missing translation in the source language is
# what --allow-missing asked for.
STRICT_EXEMPT = frozenset({"fallback"})


def strict_failures(problems: list[Problem]) -> list[Problem]:
    """Return the warnings among PROBLEMS that --strict refuses."""
    return [p for p in problems if p.severity == "warning" and p.kind not in STRICT_EXEMPT]


class BriefgenError(Exception):
    """An input problem the user can fix; the CLI prints it without a traceback."""

    def __init__(self, problems: list[Problem] | str):
        if isinstance(problems, str):
            problems = [Problem("", 0, problems)]
        self.problems = sorted(set(problems))  # the same problem found twice (in ja and en) is said once
        super().__init__("\n".join(str(p) for p in self.problems))


def display_path(path: str | os.PathLike) -> str:
    """Return PATH relative to the working directory when it lies below it."""
    p = Path(path)
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(p)
