"""Tell the user how a build goes: a progress bar on a terminal, plain lines otherwise."""

from __future__ import annotations

import sys

import typer

from ..build.runner import Outcome


class Reporter:
    """Called once per finished target; prints problems always, progress as asked."""

    def __init__(self, total: int, *, quiet: bool = False, verbose: bool = False, bar: bool = True):
        self.total, self.quiet, self.verbose = total, quiet, verbose
        self.said: set = set()  # a warning several targets share (a stylesheet's) is printed once
        self.progress = None
        if bar and not quiet and sys.stdout.isatty():
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            self.progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), transient=True)
            self.task = self.progress.add_task("building", total=total)

    def __enter__(self):
        if self.progress:
            self.progress.start()
        return self

    def __exit__(self, *exc):
        if self.progress:
            self.progress.stop()

    def __call__(self, outcome: Outcome) -> None:
        name = outcome.target.name
        lines: list[tuple[str, bool]] = []
        if outcome.status == "failed":
            # A problem located at the artifact itself is said once: "failed NAME: message".
            lines += [(f"failed {name}: {p.message if p.path == name else p}", True) for p in outcome.problems]
        elif outcome.status == "built":
            entry = outcome.entry or {}
            if not self.quiet:
                lines.append((f"built {name} ({entry.get('pages')} p, {entry.get('bytes', 0) / 1024:.0f} KB)", False))
            lines += [(str(p), True) for p in outcome.problems if p not in self.said]
            self.said.update(outcome.problems)
            if self.verbose:
                lines += [(f"{name}: {note}", False) for note in outcome.notes]
        elif self.verbose:
            lines.append((f"skipped {name} (up to date)", False))
        for text, err in lines:
            if self.progress:
                self.progress.console.print(text, markup=False, highlight=False)
            else:
                typer.echo(text, err=err)
        if self.progress:
            self.progress.advance(self.task)


def live_report():
    """Return the printer a long-running command (watch, serve) hands the build: lines, outcomes, problems."""
    reporter = Reporter(0, quiet=False, verbose=False, bar=False)

    def report(item) -> None:
        if isinstance(item, str):
            typer.echo(item)
        elif hasattr(item, "target"):
            reporter(item)
        else:
            typer.echo(str(item), err=True)

    return report
