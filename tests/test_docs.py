"""The reference docs say what the code does: generated parts match, every label and block is listed."""

from __future__ import annotations

import re

import yaml

from briefgen.content.fieldref import field_reference
from briefgen.content.model import Foreword, Recommendation, ReportInfo, Theme

from .conftest import ROOT

DOCS = ROOT / "docs"


def test_field_reference_matches_the_schema():
    assert (DOCS / "fields.md").read_text(encoding="utf-8") == field_reference(), (
        "docs/fields.md is out of date: run `python -m briefgen.content.fieldref > docs/fields.md`"
    )


def test_field_reference_says_what_is_required_with_type_and_example():
    doc = (DOCS / "fields.md").read_text(encoding="utf-8")
    for model in (ReportInfo, Theme, Recommendation, Foreword):
        for name, field in model.model_fields.items():
            row = re.search(rf"^\| `{name}` \| (yes|no) \| ([^|]+) \|", doc, re.M)
            assert row, f"{model.__name__}.{name} is not in docs/fields.md"
    assert "| `signed` | no | id: lowercase letters, digits, hyphens, at most 64 characters |" in doc
    assert "| `body` | yes | list (at least 1) of text |" in doc
    assert "## `glossary.yaml`" in doc and "Optional" in doc.split("## `glossary.yaml`")[1].split("##")[0]
    # Every block is shown with its shape, a YAML sketch of its required fields.
    for block in ("Foreword", "Person", "Recommendation", "Note", "Figure", "Contact", "Takeaway", "Ask"):
        assert re.search(rf"^## {block}\n\n.*\n\n```yaml\n", doc, re.M), block


def test_template_guide_lists_every_label_block_and_template():
    guide = (DOCS / "templates.md").read_text(encoding="utf-8")
    words = yaml.safe_load((ROOT / "templates" / "words.yaml").read_text(encoding="utf-8"))
    assert [key for key in words if f"| `{key}` |" not in guide] == [], "add these words.yaml keys to docs/templates.md"
    base = (ROOT / "templates" / "base.html").read_text(encoding="utf-8")
    for block in re.findall(r"{% block (\w+) %}", base):
        assert f"| `{block}` |" in guide, block
    for template in (ROOT / "templates").glob("*/*.html"):
        assert str(template.relative_to(ROOT / "templates")) in guide, f"add {template.name} to the table in docs/templates.md"
    assert '{% extends "builtin/congress/brief-short.html" %}' in guide
