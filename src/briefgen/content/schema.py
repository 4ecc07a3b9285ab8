"""JSON Schemas for the content files, for editors that validate and complete YAML as you type."""

from __future__ import annotations

import json
from pathlib import Path

from .model import Glossary, ReportInfo, Theme

SCHEMAS = {
    "report.schema.json": ReportInfo,
    "theme.schema.json": Theme,
    "glossary.schema.json": Glossary,
}


def schema_texts() -> dict[str, str]:
    """Return each schema file's name and JSON text."""
    out = {}
    for name, model in SCHEMAS.items():
        schema = model.model_json_schema()
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["$id"] = name
        out[name] = json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    return out


def write_schemas(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in schema_texts().items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
