"""Nothing in the templates is dead weight: every label is asked for, every class a stylesheet styles is written somewhere."""

from __future__ import annotations

import re

import tinycss2
import yaml

from .conftest import ROOT

TEMPLATES = ROOT / "templates"


def sources() -> str:
    """Return the text of every template and module: where labels are asked for and classes written."""
    files = [*TEMPLATES.rglob("*.html"), *TEMPLATES.rglob("*.txt"), *(ROOT / "src").rglob("*.py")]
    return "\n".join(path.read_text(encoding="utf-8") for path in files)


def unused_labels(words: dict, text: str) -> list[str]:
    """Return the labels TEXT never asks for, by name or by a prefix it builds a name from."""
    # W('addressed_long.' ~ rec.addressed_to) in a template, or words(f"change_{change.change}") in
    # a module, asks for every label that starts so.
    prefixes = tuple(re.findall(r"""['"]([\w.-]+)['"]\s*~""", text) + re.findall(r"""\bf['"]([\w.-]+)\{""", text))
    return [key for key in words if not re.search(rf"""['"]{re.escape(key)}['"]""", text) and not key.startswith(prefixes)]


def unused_classes(css: str, text: str) -> list[str]:
    """Return the classes the selectors of CSS name that never appear in TEXT as a word."""
    rules = tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)
    for at in [r for r in rules if r.type == "at-rule" and r.content and r.lower_at_keyword in ("media", "supports")]:
        rules += tinycss2.parse_rule_list(at.content, skip_comments=True, skip_whitespace=True)
    names = {name for rule in rules if rule.type == "qualified-rule"
             for name in re.findall(r"\.(-?[A-Za-z_][\w-]*)", tinycss2.serialize(rule.prelude))}
    return sorted(name for name in names if not re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text))


def test_every_label_in_words_yaml_is_asked_for():
    words = yaml.safe_load((TEMPLATES / "words.yaml").read_text(encoding="utf-8"))
    assert unused_labels(words, sources()) == [], "no template or module prints these words.yaml labels: remove them"


def test_every_class_a_stylesheet_styles_is_written_somewhere():
    text = sources()
    unused = {str(sheet.relative_to(ROOT)): unused_classes(sheet.read_text(encoding="utf-8"), text) for sheet in TEMPLATES.rglob("*.css")}
    assert {sheet: names for sheet, names in unused.items() if names} == {}, "no template or module writes these classes: remove their rules"


def test_the_checks_find_a_dead_label_and_a_dead_class():
    text = "{{ W('kept') }} {{ W('state_' ~ row.state) }} <p class=\"lead note\"> words(f\"kind_{kind}\")"
    assert unused_labels({"kept": {}, "state_stale": {}, "kind_ask": {}, "dead": {}}, text) == ["dead"]
    css = ".lead p, .note-x { margin: 0 } @media print { .lead .gone { color: red } } p.note { x: 1 }"
    assert unused_classes(css, text) == ["gone", "note-x"]
