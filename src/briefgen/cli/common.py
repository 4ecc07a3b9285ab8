"""What every briefgen command shares: options, how help reads, and how a user error is printed."""

from __future__ import annotations

from pathlib import Path

import typer
from typer.core import TyperArgument, TyperGroup

from ..audiences.declaration import FORMATS, PAPERS, all_lengths, audiences
from ..errors import BriefgenError, UsageError

ContentOpt = typer.Option(Path("content"), "--content", "-c", metavar="DIR", help="Content folder (report.yaml, themes/, glossary.yaml).")

# -h as well as --help, for every command (subcommands inherit it from the root context).
CONTEXT = {"help_option_names": ["-h", "--help"]}


def complete(choices):
    """Return a shell-completion callback offering what CHOICES() returns (called only when completing)."""

    def offer(incomplete: str) -> list[str]:
        return [c for c in choices() if c.startswith(incomplete)]

    return offer


complete_audience = complete(lambda: list(audiences()))
complete_format = complete(lambda: FORMATS)
complete_paper = complete(lambda: list(PAPERS))
complete_length = complete(all_lengths)


# Options several commands share, word for word.
FormatOpt = typer.Option(None, "--format", "-f", metavar="FORMAT", autocompletion=complete_format, help="pdf, docx, html or email (repeatable).")
PaperOpt = typer.Option(None, "--paper", metavar="PAPER", autocompletion=complete_paper, help="a4 or letter (repeatable).")
OutOpt = typer.Option(Path("out"), "--out", "-o", metavar="DIR", help="Output folder.")


def plural(n: int, one: str, many: str | None = None) -> str:
    """Return '1 theme', '2 themes', '1 person', '3 people'."""
    return f"{n} {one if n == 1 else many or one + 's'}"


def fail(exc: BriefgenError) -> None:
    """Print each problem as `file:line: message` and exit 1 (2 for a usage error), without a traceback."""
    for problem in exc.problems:
        typer.echo(str(problem), err=True)
    errors = sum(p.severity == "error" for p in exc.problems)
    if errors > 1:
        typer.echo(f"{plural(errors, 'problem')} found.", err=True)
    raise typer.Exit(2 if isinstance(exc, UsageError) else 1)


class _PlainArgument(TyperArgument):
    """An argument shown as FILE.xlf / [PATH]... in usage and help, as man pages do (not {FILE.xlf}, PATH <list[str]>)."""

    def _usage_display_name(self) -> str:
        name = self.display_name_raw + ("..." if self.nargs != 1 else "")
        return name if self.required else f"[{name}]"

    def display_type_rich(self, ctx) -> None:
        return None


class Group(TyperGroup):
    """A command group whose help lists each command's whole summary, never cut off with '...'."""

    def get_command(self, ctx, cmd_name):
        command = super().get_command(ctx, cmd_name)
        for param in getattr(command, "params", []):
            if type(param) is TyperArgument:
                param.__class__ = _PlainArgument
        return command

    def format_commands(self, ctx, formatter) -> None:
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, command.get_short_help_str(limit=1000)))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)
