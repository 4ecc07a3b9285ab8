"""Labels that templates print ("Key takeaways", 要点), per language, from templates/words.yaml."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

from ..errors import BriefgenError, Problem
from ..files import folder_file


def load_words(builtin: Path, user_dir: Path | None) -> dict[str, dict[str, str]]:
    """Return the built-in labels, overlaid with the user's words.yaml when there is one."""
    # Read like a template: a link out of the folder is refused.
    found = [(folder / "words.yaml", folder_file(folder, "words.yaml")) for folder in [builtin, *([user_dir] if user_dir else [])]]
    # Keyed by the files' bytes, not their names: a warm process (watch) sees an edited words.yaml.
    return _parse_words(tuple((str(path), real.read_bytes()) for path, real in found if real is not None))


@lru_cache(maxsize=8)
def _parse_words(files: tuple[tuple[str, bytes], ...]) -> dict[str, dict[str, str]]:
    words: dict[str, dict[str, str]] = {}
    for path, raw in files:
        try:
            data = yaml.safe_load(raw.decode("utf-8")) or {}
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            raise BriefgenError([Problem(path, mark.line + 1 if mark else 1, f"YAML syntax: {getattr(exc, 'problem', exc)}")]) from None
        if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
            raise BriefgenError([Problem(path, 1, "each label needs a mapping of languages, e.g. key: {en: ..., ja: ...}")])
        for key, value in data.items():
            words.setdefault(str(key), {}).update({str(k): str(v) for k, v in value.items()})
    return words


class Words:
    """Callable from templates: W('recommendation', n=3) → 'Recommendation 3' / '提言3'."""

    def __init__(self, table: dict[str, dict[str, str]], lang: str, fallback: str):
        self.table, self.lang, self.fallback = table, lang, fallback

    def __call__(self, key: str, **values: object) -> str:
        entry = self.table.get(key)
        if entry is None:
            raise BriefgenError([Problem("templates/words.yaml", 0, f"no label '{key}'; add it to words.yaml")])
        text = entry.get(self.lang) or entry.get("en") or entry.get(self.fallback) or ""
        for name, value in values.items():
            text = text.replace("{" + name + "}", str(value))
        return text
