"""The content as read: YAML files with the line of every value, and the report with its files."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import re
import unicodedata

import yaml

from ..errors import BriefgenError, Problem
from ..files import read_text_regular
from .model import Report

Loc = tuple[str | int, ...]
MAX_NODES = 200_000  # far beyond any real report; stops alias bombs before they expand
MAX_DEPTH = 40  # real content nests 8 deep; Python's own limit (~1000) must never be reached
MAX_FILE_BYTES = 20_000_000  # the whole shipped example report is 0.4 MB
MAX_SCALAR = 100_000  # characters in one value; content fields have tighter limits (content/limits.py)
# Characters that have no place in a policy text and can hide or disguise what it says:
# C0/C1 controls (YAML's escapes "\u0001" get them past the parser), and the bidi embedding,
# override and isolate controls (U+202E prints "ABC" as "CBA" in a terminal or a PDF).
FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufffe\uffff]")


def field_path(loc: Loc) -> str:
    """Return LOC as a field path: `recommendations[0].summary`."""
    return ".".join(str(p) if isinstance(p, str) else f"[{p}]" for p in loc).replace(".[", "[")


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
    warnings: list[Problem] = field(default_factory=list)
    memo: dict = field(default_factory=dict)
    """Results derived from this content that renderers reuse (e.g. font coverage already checked)."""

    def theme_file(self, theme_id: str) -> SourceFile:
        for theme, src in zip(self.report.themes, self.theme_files):
            if theme.id == theme_id:
                return src
        raise KeyError(theme_id)


def read_yaml(path: Path, problems: list[Problem], data: bytes | None = None) -> SourceFile | None:
    """Parse PATH (or DATA, read from it already) safely, keeping each value's line; refuse duplicate keys and alias bombs."""
    try:
        if data is None:
            text = read_text_regular(path, MAX_FILE_BYTES)
        else:
            text = data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
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


def describe_char(char: str) -> str:
    """Return CHAR as `U+202E (RIGHT-TO-LEFT OVERRIDE)`, safe to print."""
    name = unicodedata.name(char, "") or {0x7f: "DELETE"}.get(ord(char), "control character")
    return f"U+{ord(char):04X} ({name})"


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
        self.built: set[int] = set()  # nodes seen: one seen twice came through an alias
        self.aliased = False

    def build(self, node: yaml.Node, loc: Loc) -> Any:
        self.count += 1
        if id(node) in self.built:
            self.aliased = True
        self.built.add(id(node))
        if self.count > MAX_NODES:
            message = ("too many values (aliases expanding?); remove YAML anchors and aliases" if self.aliased else
                       f"more than {MAX_NODES:,} values in one file, more than briefgen reads; split it into smaller files")
            raise BriefgenError([Problem(str(self.src.path), node.start_mark.line + 1, message)])
        if len(loc) > MAX_DEPTH:
            self._problem(node, f"values nested more than {MAX_DEPTH} deep; content is never nested like this, so check the brackets and indentation")
            return None
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
        if isinstance(node.value, str):
            # A refused value is kept as text: the problem is said once, not again by the schema.
            where = f"{field_path(loc)}: " if loc and loc[-1] != "<key>" else ""
            if len(node.value) > MAX_SCALAR:
                self._problem(node, f"{where}{len(node.value):,} characters; briefgen reads values of at most {MAX_SCALAR:,}, so shorten it")
                return node.value
            bad = FORBIDDEN.search(node.value)
            if bad:
                line = node.start_mark.line + 1 + node.value.count("\n", 0, bad.start()) * (node.style in ("|", ">"))
                self.problems.append(Problem(str(self.src.path), line, f"{where}character {describe_char(bad.group())} is not allowed in text (it is invisible or reorders what is printed); delete it"))
                return node.value
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
