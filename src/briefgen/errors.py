"""The one error type users see, and the problem records it carries."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

# What a terminal would act on rather than print: C0/C1 controls (ESC starts colour, title and
# OSC 8 hyperlink sequences; BEL rings) and the bidi controls that reorder the rest of a line.
_UNPRINTABLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """Return TEXT with terminal controls shown as escapes (`\\x1b`, `\\u202e`), never acted on."""
    return _UNPRINTABLE.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}", text)


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
        return printable(f"{where}: {prefix}{self.message}")


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


class UsageError(BriefgenError):
    """A command line that asks for something that does not exist; the CLI exits 2, as for a typo'd option."""


def unknown_value(option: str, value: str, what: str, choices: list[str]) -> UsageError:
    """Return the error for VALUE of OPTION not among CHOICES, suggesting the closest one."""
    import difflib

    close = difflib.get_close_matches(value.lower(), choices, n=1, cutoff=0.6)
    hint = f"did you mean {close[0]}? " if close else ""
    listed = " or ".join(choices) if len(choices) == 2 else "one of " + ", ".join(choices)
    return UsageError(f"{option} {value}: {what}; {hint}choose {listed}")


def display_path(path: str | os.PathLike) -> str:
    """Return PATH relative to the working directory when it lies below it."""
    return _display(os.fspath(path), os.getcwd())


@lru_cache(maxsize=4096)
def _display(path: str, cwd: str) -> str:
    # Cached: a file with 20,000 problems names the same path 20,000 times.
    p = Path(path)
    try:
        return str(p.resolve().relative_to(Path(cwd).resolve()))
    except ValueError:
        return str(p)
