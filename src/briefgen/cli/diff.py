"""`briefgen diff OLD NEW`: what changed between two editions. Exit 0: none, 1: changes, 2: error."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Optional

import typer

from ..errors import BriefgenError, UsageError

MAX_AUTHOR = 255  # Word keeps a document's author in a property of at most 255 characters


def diff(
    old: str = typer.Argument(..., metavar="OLD", help="The earlier edition: a content folder or REV:path (e.g. v1:content)."),
    new: str = typer.Argument(..., metavar="NEW", help="The later edition: a content folder or REV:path."),
    as_json: bool = typer.Option(False, "--json", help="Print the changes as JSON (format briefgen-diff/1) for tools."),
    word: Optional[Path] = typer.Option(None, "--docx", metavar="FILE", help="Also write the changes as a Word document with tracked changes."),
    author: str = typer.Option("briefgen", "--author", metavar="NAME", help="Author of the tracked changes in --docx."),
    lang: str = typer.Option("en", "--lang", "-l", metavar="LANG", help="Language of the --docx headings: en or ja."),
) -> None:
    """List added, removed, moved and changed recommendations, notes, figures and asks between OLD and NEW.

    Exit status: 0 when the editions are the same, 1 when they differ, 2 on an error.
    """
    from ..content.diff import diff_reports
    from ..content.revision import load_side

    try:
        if word is not None:  # checked before anything is read, so a bad --docx costs nothing
            from ..errors import unknown_value
            from ..files import check_output_file

            from ..content.source import FORBIDDEN, describe_char

            bad = FORBIDDEN.search(author) or re.search(r"[\t\n\r]", author)
            if bad:
                raise UsageError(f"--author: character {describe_char(bad.group())} is not allowed in a name; remove it")
            if not author.strip() or len(author) > MAX_AUTHOR:
                raise UsageError(f"--author: give a name of 1 to {MAX_AUTHOR} characters (Word's limit), not {len(author):,}")
            if lang not in ("en", "ja"):
                raise unknown_value("--lang", lang, "no such language for the --docx headings", ["en", "ja"])
            # A side at a revision (REV:path) has its working copy at path: protect that too.
            folders = [Path(side) if Path(side).is_dir() else Path(side.partition(":")[2] or ".") for side in (old, new)]
            check_output_file(word, "--docx", [(f, "the content folder") for f in folders if f.is_dir()], example="changes.docx")
        before = load_side(old)
        after = load_side(new)
    except BriefgenError as exc:
        for problem in exc.problems:
            typer.echo(str(problem), err=True)
        raise typer.Exit(2)
    result = diff_reports(before.report, after.report, old_name=old, new_name=new)
    if word is not None:
        from ..render.redline import write_changes_docx

        info = after.report.info
        write_changes_docx(result, word, author=author, when=info.edition.date if info.edition else info.date, lang=lang)
    sys.stdout.write((result.to_json() if as_json else result.to_text()) + "\n")
    raise typer.Exit(1 if result.changes else 0)
