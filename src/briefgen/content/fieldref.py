"""The field reference (docs/fields.md), generated from the content schema so it cannot drift.

Regenerate after changing content/model.py:  python -m briefgen.content.fieldref > docs/fields.md
(tests/test_docs.py fails while the file differs from what this prints).
"""

from __future__ import annotations

import json
from typing import Any

from .schema import SCHEMAS

FILES = {
    "report.schema.json": ("report.yaml", "required: the report as a whole, its people and front matter"),
    "theme.schema.json": ("themes/NN-slug.yaml", "one file per theme (at least one), numbered in report order"),
    "glossary.schema.json": ("glossary.yaml", "optional: terms translators must render one way"),
}

# What a constrained string is, in words, with an example: keyed by its pattern.
PATTERNS = {
    "^[a-z0-9]+(?:-[a-z0-9]+)*$": ("id: lowercase letters, digits, hyphens", "example-id"),
    "^[a-z]{2}$": ("language code", "ja"),
    "^[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*$": ("note id: letters, digits, hyphens", "3"),
    "^https?://[^\\s<>\\\"']+$": ("web address", "https://example.org/report"),
    "^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$": ("e-mail address", "office@example.org"),
}
TEXT_EXAMPLE = "{ja: 日本語の文, en: The English text}"


class _Reference:
    def __init__(self, schema: dict):
        self.defs = schema.get("$defs", {})

    def resolve(self, node: dict) -> tuple[str | None, dict]:
        """Return (block name or None, the node) with a $ref followed."""
        if "$ref" in node:
            name = node["$ref"].rsplit("/", 1)[-1]
            return name, self.defs[name]
        return None, node

    def kind(self, node: dict) -> str:
        """Describe the value NODE allows, in words."""
        if "anyOf" in node:
            return " or ".join(self.kind(n) for n in node["anyOf"] if n.get("type") != "null")
        name, node = self.resolve(node)
        if name == "Text":
            return "text"
        if name == "Name":
            return "text (a name: one plain string serves every language)"
        if name:
            return f"[{name}](#{name.lower()}) block"
        if "enum" in node:
            return "one of " + ", ".join(f"`{v}`" for v in node["enum"])
        kind = node.get("type")
        if kind == "array":
            lo, hi = node.get("minItems"), node.get("maxItems")
            count = f" ({lo}-{hi})" if lo and hi else f" (at least {lo})" if lo else f" (at most {hi})" if hi else ""
            return f"list{count} of {self.kind(node['items'])}"
        if kind == "string":
            if node.get("format") == "date":
                return "date (YYYY-MM-DD)"
            words = PATTERNS.get(node.get("pattern"), ("string", ""))[0]
            return f"{words}, at most {node['maxLength']} characters" if "maxLength" in node else words
        if kind == "integer":
            lo, hi = node.get("minimum"), node.get("maximum")
            return f"whole number {lo}-{hi}" if lo is not None and hi is not None else f"whole number ≥ {lo}" if lo is not None else "whole number"
        return kind or "any"

    def example(self, node: dict) -> str:
        """Return a YAML example of a value NODE allows."""
        if "anyOf" in node:
            return self.example(next(n for n in node["anyOf"] if n.get("type") != "null"))
        name, node = self.resolve(node)
        if name in ("Text", "Name"):
            return TEXT_EXAMPLE
        if name:
            return f"(a {name} block)"
        if "enum" in node:
            return str(node["enum"][0])
        kind = node.get("type")
        if kind == "array":
            return f"[{self.example(node['items'])}]"
        if kind == "string":
            return "2026-05-31" if node.get("format") == "date" else PATTERNS.get(node.get("pattern"), ("", "text"))[1]
        if kind == "integer":
            lo, hi = node.get("minimum", 1), node.get("maximum", 10**9)
            return "2024" if lo <= 2024 <= hi and lo > 1 else str(lo)
        return "..."

    def block(self, title: str, node: dict, anchor: str, intro: str) -> list[str]:
        """Return the section for one block: its shape as YAML, then a table of its fields."""
        required = set(node.get("required", []))
        props = node.get("properties", {})
        lines = [f"## {title}", "", f'<a id="{anchor}"></a>{intro}', ""]
        lines += ["```yaml"]
        for field, spec in props.items():
            if field in required:
                lines.append(f"{field}: {self.example(spec)}")
        optional = [f for f in props if f not in required]
        if optional:
            lines.append(f"# optional: {', '.join(optional)}")
        lines += ["```", "", "| field | required | type | what it is | example |", "| --- | --- | --- | --- | --- |"]
        for field, spec in props.items():
            description = " ".join((spec.get("description") or "").split())
            lines.append(f"| `{field}` | {'yes' if field in required else 'no'} | {self.kind(spec)} | {description.replace('|', '/')} "
                         f"| `{self.example(spec)}` |")
        return lines + [""]


def field_reference() -> str:
    """Return docs/fields.md: every content file and block, its fields, required or not, type, example."""
    out = [
        "# Content fields",
        "",
        "<!-- Generated from the content schema by `python -m briefgen.content.fieldref > docs/fields.md`;",
        "     do not edit by hand (tests/test_docs.py fails when this file and the schema disagree). -->",
        "",
        "Every field of every content file, whether it is required, what it holds and an example. A",
        "**text** field is either one string (the same in every language: numbers, names) or one line per",
        f"language: `{TEXT_EXAMPLE}`; it may use the inline Markdown described in",
        "[content-format.md](content-format.md). Unknown fields are refused, so a misspelt name is caught.",
        "",
    ]
    seen: dict[str, dict] = {}
    for schema_name, model in SCHEMAS.items():
        schema = model.model_json_schema()
        ref = _Reference(schema)
        path, intro = FILES[schema_name]
        out += ref.block(f"`{path}`", schema, model.__name__.lower(), intro.capitalize() + ".")
        for name, node in ref.defs.items():
            if name not in ("Text", "Name") and name not in seen:
                seen[name] = (ref, node)
    for name in sorted(seen):
        ref, node = seen[name]
        intro = " ".join((node.get("description") or f"The fields of a `{name}` block.").split())
        out += ref.block(name, node, name.lower(), intro)
    return "\n".join(out).rstrip() + "\n"


if __name__ == "__main__":
    print(field_reference(), end="")
