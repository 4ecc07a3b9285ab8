"""Labels that templates print ("Key takeaways", 要点), per language, from templates/words.yaml."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from ..errors import BriefgenError, Problem
from ..files import folder_file, read_regular


def load_words(builtin: Path, user_dir: Path | None) -> dict[str, dict[str, str]]:
    """Return the built-in labels, overlaid with the user's words.yaml when there is one."""
    if user_dir and not os.path.lexists(user_dir / "words.yaml") and os.path.lexists(user_dir / "words.yml"):
        raise BriefgenError([Problem(str(user_dir / "words.yml"), 0, "briefgen reads words.yaml; rename the file words.yaml")])
    # Read like a template: a link out of the folder is refused.
    found = [(folder / "words.yaml", folder_file(folder, "words.yaml")) for folder in [builtin, *([user_dir] if user_dir else [])]]
    # Keyed by the files' bytes, not their names: a warm process (watch) sees an edited words.yaml.
    files = []
    for path, real in found:
        if real is not None:
            try:
                files.append((str(path), read_regular(real)))
            except OSError as exc:
                raise BriefgenError([Problem(str(path), 0, f"cannot read: {exc.strerror or exc}")]) from None
    return _parse_words(tuple(files))


@lru_cache(maxsize=8)
def _parse_words(files: tuple[tuple[str, bytes], ...]) -> dict[str, dict[str, str]]:
    from ..content.source import read_yaml  # the content reader: no alias bombs, duplicate keys or control characters

    words: dict[str, dict[str, str]] = {}
    for path, raw in files:
        problems: list[Problem] = []
        src = read_yaml(Path(path), problems, raw)
        problems = [p for p in problems if p.message != "the file is empty"]
        if problems:
            raise BriefgenError(problems)
        data = src.data if src else {}
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
