"""Read a content folder into a validated Report, reporting every problem with its file and line.

Like MkDocs' build, everything is gathered and validated before anything is written; unlike
MkDocs, every problem is reported at once, not only the first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from .checks import check_report
from ..errors import BriefgenError, Problem
from .model import Glossary, Report, ReportInfo, Theme

Loc = tuple[str | int, ...]
MAX_NODES = 200_000  # far beyond any real report; stops alias bombs before they expand


@dataclass
class SourceFile:
    """One YAML file as read: its data and where each value stands."""

    path: Path
    data: Any
    lines: dict[Loc, int] = field(default_factory=dict)

    def line(self, loc: Loc) -> int:
        """Return the line of the deepest value on LOC that the file has."""
        loc = tuple(loc)
        while loc:
            if loc in self.lines:
                return self.lines[loc]
            loc = loc[:-1]
        return self.lines.get((), 1)


@dataclass
class Content:
    """A validated report and the source files it came from."""

    root: Path
    report: Report
    report_file: SourceFile
    theme_files: list[SourceFile]
    glossary_file: SourceFile | None
    warnings: list[Problem] = field(default_factory=list)
    memo: dict = field(default_factory=dict)
    """Results derived from this content that renderers reuse (e.g. font coverage already checked)."""

    def theme_file(self, theme_id: str) -> SourceFile:
        for theme, src in zip(self.report.themes, self.theme_files):
            if theme.id == theme_id:
                return src
        raise KeyError(theme_id)


def read_yaml(path: Path, problems: list[Problem]) -> SourceFile | None:
    """Parse PATH safely, keeping each value's line; refuse duplicate keys and aliases."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        problems.append(Problem(str(path), 1, f"not UTF-8 text ({exc.reason} at byte {exc.start}); save the file as UTF-8"))
        return None
    except OSError as exc:
        problems.append(Problem(str(path), 0, f"cannot read: {exc.strerror}"))
        return None
    try:
        node = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # libyaml: ~5x faster
    except yaml.reader.ReaderError as exc:
        # Control characters: locate the first one ourselves (libyaml counts bytes, not lines).
        where = text.find(chr(exc.character)) if isinstance(exc.character, int) else -1
        problems.append(Problem(str(path), text.count("\n", 0, max(where, 0)) + 1, f"character U+{exc.character:04X} is not allowed in YAML ({exc.reason}); delete it"))
        return None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        what = exc.problem or exc.context or "invalid YAML"
        opened = _unclosed_quote(text, exc)
        if opened and opened != line:
            # The parser notices a missing closing quote only lines later; point at the quote.
            problems.append(Problem(str(path), opened, f"YAML syntax: the quote opened on this line is not closed where it should be (parsing fails at line {line}: {what}); close it"))
            return None
        problems.append(Problem(str(path), line, f"YAML syntax: {what}; check indentation and quoting"))
        return None
    except yaml.YAMLError as exc:
        problems.append(Problem(str(path), 1, f"YAML syntax: {exc}"))
        return None
    src = SourceFile(path, None)
    if node is None:
        problems.append(Problem(str(path), 1, "the file is empty"))
        return None
    builder = _Builder(src, problems)
    src.data = builder.build(node, ())
    return src


def _unclosed_quote(text: str, exc: yaml.MarkedYAMLError) -> int | None:
    """Return the line of a quote that runs on to where EXC happened (likely never closed), if any."""
    if exc.context == "while scanning a quoted scalar" and exc.context_mark:
        return exc.context_mark.line + 1
    if exc.problem_mark is None:
        return None
    opened = None
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if isinstance(token, yaml.ScalarToken) and token.style in ('"', "'") and token.start_mark.line < token.end_mark.line == exc.problem_mark.line:
                opened = token.start_mark.line + 1
    except yaml.YAMLError:
        pass
    return opened


class _Builder:
    """Turn a composed YAML node tree into plain data, recording the line of each value."""

    def __init__(self, src: SourceFile, problems: list[Problem]):
        self.src = src
        self.problems = problems
        self.loader = yaml.SafeLoader("")
        self.count = 0

    def build(self, node: yaml.Node, loc: Loc) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise BriefgenError([Problem(str(self.src.path), node.start_mark.line + 1, "too many values (aliases expanding?); remove YAML anchors and aliases")])
        self.src.lines.setdefault(loc, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            out: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    self._problem(key_node, "YAML merge keys (<<) are not supported; write the values out")
                    continue
                key = self.build(key_node, loc + ("<key>",))
                if not isinstance(key, (str, int)):
                    self._problem(key_node, "a key must be a plain word")
                    continue
                if key in out:
                    first = self.src.lines.get(loc + (key,), 0)
                    self._problem(key_node, f"duplicate key '{key}' (first at line {first}); keep one, or the other value is lost")
                    continue
                out[key] = self.build(value_node, loc + (key,))
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, loc + (i,)) for i, item in enumerate(node.value)]
        try:
            return self.loader.construct_object(node, deep=True)
        except ValueError:
            # Looks like a date but is none (2026-02-30): keep the text; the schema says
            # whether the field wanted a date.
            return node.value
        except yaml.YAMLError as exc:
            self._problem(node, f"unreadable value '{str(node.value)[:80]}': {getattr(exc, 'problem', None) or exc}")
            return node.value if isinstance(node.value, str) else None  # one problem, not a second one from the schema

    def _problem(self, node: yaml.Node, message: str) -> None:
        self.problems.append(Problem(str(self.src.path), node.start_mark.line + 1, message))


def validate(model: type[BaseModel], src: SourceFile, problems: list[Problem]) -> Any:
    """Validate SRC's data against MODEL, turning each pydantic error into a located problem."""
    try:
        return model.model_validate(src.data)
    except ValidationError as exc:
        errors = [(_clean_loc(err["loc"]), err) for err in exc.errors(include_url=False)]
        locs = {loc for loc, _ in errors}
        found = []
        for loc, err in errors:
            # A Text union fails once per branch: `en: 42` is both "not a string" at title and
            # "not a string" at title.en; keep only the deeper, more precise one.
            if err["type"] in ("string_type", "dict_type") and any(other[: len(loc)] == loc and len(other) > len(loc) for other in locs):
                continue
            problem = Problem(str(src.path), src.line(loc), _describe(err, loc))
            if problem not in found:
                found.append(problem)
        problems.extend(found)
        return None


def _clean_loc(loc: tuple) -> Loc:
    # RootModel unions add branch names ("str", "dict[str,str]") that are not in the file.
    return tuple(p for p in loc if isinstance(p, int) or not (p in ("str",) or p.startswith(("dict[", "function-"))))


def _describe(err: dict, loc: Loc) -> str:
    where = ".".join(str(p) if isinstance(p, str) else f"[{p}]" for p in loc).replace(".[", "[") or "file"
    kind = err["type"]
    if kind == "missing":
        return f"{where}: required field is missing; add it"
    if kind == "extra_forbidden":
        return f"{where}: unknown field; check its spelling against docs/content-format.md"
    if kind == "string_pattern_mismatch" and loc and loc[-1] == "id" or kind == "string_pattern_mismatch" and "authors" in loc:
        return f"{where}: '{err['input']}' is not a safe id; use lowercase letters, digits and hyphens"
    if kind == "string_pattern_mismatch" and loc and loc[-1] == "url":
        return f"{where}: '{err['input']}' is not a web address; use https://..."
    got = "nothing" if err["input"] is None else type(err["input"]).__name__
    if kind in ("string_type", "dict_type") and len(loc) and "Text" not in where:
        return f"{where}: expected text (a string, or ja:/en: lines), got {got}"
    if kind.startswith(("date_", "datetime_")):
        return f"{where}: '{err['input']}' is not a valid date; write YYYY-MM-DD, e.g. 2026-05-31"
    if kind == "model_type":
        return f"{where}: expected fields (key: value lines), got {'a list' if isinstance(err['input'], list) else got}"
    return f"{where}: {err['msg'].replace(' after validation', '')}"


def load_content(root: Path | str = "content", *, allow_missing: bool = True) -> Content:
    """Load and validate the content folder ROOT; raise BriefgenError listing every problem."""
    root = Path(root)
    problems: list[Problem] = []
    if not root.is_dir():
        raise BriefgenError([Problem(str(root), 0, "no such content folder; pass --content DIR")])
    report_path = root / "report.yaml"
    if not report_path.is_file():
        raise BriefgenError([Problem(str(report_path), 0, "missing: every content folder needs a report.yaml")])
    report_src = read_yaml(report_path, problems)
    info = validate(ReportInfo, report_src, problems) if report_src else None

    theme_paths = sorted((root / "themes").glob("*.yaml")) if (root / "themes").is_dir() else []
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

    glossary_src = None
    glossary = Glossary()
    glossary_path = root / "glossary.yaml"
    if glossary_path.is_file():
        glossary_src = read_yaml(glossary_path, problems)
        glossary = (validate(Glossary, glossary_src, problems) if glossary_src else None) or Glossary()

    if problems or info is None:
        raise BriefgenError(problems)
    order = sorted(range(len(themes)), key=lambda i: themes[i].number)
    report = Report(info=info, themes=[themes[i] for i in order], glossary=glossary)
    content = Content(root, report, report_src, [theme_srcs[i] for i in order], glossary_src)
    errors, warnings = check_report(content)
    if not allow_missing:
        # Missing translations block a release; --allow-missing demotes them to warnings.
        missing = [w for w in warnings if w.message.startswith("missing translation")]
        errors += [Problem(w.path, w.line, w.message) for w in missing]
        warnings = [w for w in warnings if w not in missing]
    if errors:
        raise BriefgenError(errors + warnings)
    content.warnings = warnings
    return content
