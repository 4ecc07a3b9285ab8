"""Read a content folder into a validated Report, reporting every problem with its file and line.

Like MkDocs' build, everything is gathered and validated before anything is written; unlike
MkDocs, every problem is reported at once, not only the first.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from ..errors import BriefgenError, Problem
from .checks import check_report
from .limits import check_limits
from .model import Glossary, Report, ReportInfo, Theme
from .source import Content, Loc, SourceFile, field_path, read_yaml


def validate(model: type[BaseModel], src: SourceFile, problems: list[Problem]) -> Any:
    """Validate SRC's data against MODEL, turning each pydantic error into a located problem."""
    try:
        return model.model_validate(src.data)
    except ValidationError as exc:
        errors = [(_clean_loc(err["loc"]), err) for err in exc.errors(include_url=False)]
        # Every proper prefix of every location, once: lookups stay linear in the number of
        # errors (20,000 unknown keys must not take 20,000² comparisons).
        parents = {loc[:i] for loc, _ in errors for i in range(len(loc))}
        found: dict[Problem, None] = {}
        for loc, err in errors:
            # A Text union fails once per branch: `en: 42` is both "not a string" at title and
            # "not a string" at title.en; keep only the deeper, more precise one.
            if err["type"] in ("string_type", "dict_type") and loc in parents:
                continue
            found.setdefault(Problem(str(src.path), src.line(loc), _describe(err, loc)))
        problems.extend(found)
        return None


def _clean_loc(loc: tuple) -> Loc:
    # RootModel unions add branch names ("str", "dict[str,str]") that are not in the file.
    return tuple(p for p in loc if isinstance(p, int) or not (p in ("str",) or p.startswith(("dict[", "function-"))))


def _describe(err: dict, loc: Loc) -> str:
    where = field_path(loc) or "file"
    kind = err["type"]
    if kind == "missing":
        return f"{where}: required field is missing; add it"
    if kind == "extra_forbidden":
        return f"{where}: unknown field; check its spelling against docs/content-format.md"
    if kind == "string_pattern_mismatch":
        # In words, never the raw regular expression: what the value must look like.
        return f"{where}: '{err['input']}' {_pattern_words().get(err.get('ctx', {}).get('pattern'), 'is not in the form this field takes; see docs/content-format.md')}"
    got = "nothing" if err["input"] is None else type(err["input"]).__name__
    if kind in ("string_type", "dict_type") and len(loc) and "Text" not in where:
        return f"{where}: expected text (a string, or ja:/en: lines), got {got}"
    if kind.startswith(("date_", "datetime_")):
        return f"{where}: '{err['input']}' is not a valid date; write YYYY-MM-DD, e.g. 2026-05-31"
    if kind == "model_type":
        return f"{where}: expected fields (key: value lines), got {'a list' if isinstance(err['input'], list) else got}"
    return f"{where}: {err['msg'].replace(' after validation', '')}"


def _pattern_words() -> dict[str, str]:
    """Return what each constrained string type asks for, keyed by its pattern."""
    from . import model

    words = {
        "Slug": "is not a safe id; use lowercase letters, digits and hyphens",
        "NoteId": "is not a note id; use letters, digits and hyphens (12, 3a)",
        "Url": "is not a web address; use https://...",
        "Email": "is not an e-mail address; write name@example.org",
        "LangCode": "is not a language code; use two lowercase letters (ja, en)",
    }
    patterns = {}
    for name, text in words.items():
        for meta in getattr(getattr(model, name, None), "__metadata__", ()):
            if getattr(meta, "pattern", None):
                patterns[meta.pattern] = text
    return patterns


def theme_files(root: Path, problems: list[Problem]) -> list[Path]:
    """Return the theme files, ROOT/themes/*.yaml; a file that looks meant as one (.yml) is a problem."""
    folder = root / "themes"
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.iterdir()):
        if path.name.startswith("."):  # editors' lock and swap files
            continue
        if path.suffix == ".yaml":
            found.append(path)
        elif path.suffix.lower() in (".yaml", ".yml"):
            problems.append(Problem(str(path), 0, f"briefgen reads theme files named *.yaml only; rename it {path.stem}.yaml"))
    return found


def _missing(what: str, other: Path) -> str:
    if os.path.lexists(other):
        return f"missing: {what} (there is a {other.name}: rename it {other.stem}.yaml)"
    return f"missing: {what}"


def load_content(root: Path | str = "content", *, allow_missing: bool = True) -> Content:
    """Load and validate the content folder ROOT; raise BriefgenError listing every problem."""
    root = Path(root)
    problems: list[Problem] = []
    if not root.is_dir():
        raise BriefgenError([Problem(str(root), 0, "no such content folder; pass --content DIR")])
    report_path = root / "report.yaml"
    if not os.path.lexists(report_path):
        raise BriefgenError([Problem(str(report_path), 0, _missing("every content folder needs a report.yaml", root / "report.yml"))])
    report_src = read_yaml(report_path, problems)
    info = validate(ReportInfo, report_src, problems) if report_src else None

    theme_paths = theme_files(root, problems)
    if not theme_paths:
        problems.append(Problem(str(root / "themes"), 0, "no theme files; add themes/NN-slug.yaml"))
    theme_srcs: list[SourceFile] = []
    themes: list[Theme] = []
    for path in theme_paths:
        src = read_yaml(path, problems)
        theme = validate(Theme, src, problems) if src else None
        if theme is not None:
            theme_srcs.append(src)
            themes.append(theme)

    glossary = Glossary()
    glossary_path = root / "glossary.yaml"
    if os.path.lexists(glossary_path):
        glossary_src = read_yaml(glossary_path, problems)
        glossary = (validate(Glossary, glossary_src, problems) if glossary_src else None) or Glossary()
    elif os.path.lexists(root / "glossary.yml"):
        problems.append(Problem(str(root / "glossary.yml"), 0, "briefgen reads glossary.yaml; rename the file glossary.yaml"))

    if problems or info is None:
        if info is not None:
            # Cross-file problems in the files that did validate, in the same run as the schema
            # problems; checks that need every theme (numbering without gaps) wait for the rest.
            partial = Content(root, Report(info=info, themes=themes, glossary=glossary), report_src, theme_srcs)
            problems += check_report(partial, complete=False)[0]
        raise BriefgenError(problems)
    order = sorted(range(len(themes)), key=lambda i: themes[i].number)
    report = Report(info=info, themes=[themes[i] for i in order], glossary=glossary)
    content = Content(root, report, report_src, [theme_srcs[i] for i in order])
    errors, warnings = check_report(content)
    errors += check_limits(content)
    if not allow_missing:
        # Missing translations block a release; --allow-missing demotes them to warnings.
        missing = [w for w in warnings if w.message.startswith("missing translation")]
        errors += [Problem(w.path, w.line, w.message) for w in missing]
        warnings = [w for w in warnings if w not in missing]
    if errors:
        raise BriefgenError(errors + warnings)
    content.warnings = warnings
    return content
