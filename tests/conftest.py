"""Shared fixtures: small reports written into a temporary folder."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CONTENT = ROOT / "content"

REPORT = """\
id: mini
source_lang: ja
languages: [ja, en]
title:
  ja: 小さな報告書
  en: A small report
publisher:
  ja: 日本国際フォーラム
  en: JFIR
date: 2026-05-31
people:
  - id: tanaka
    role: chair
    name: {ja: 田中 太郎, en: Taro Tanaka}
    affiliation: {ja: 上智大学教授, en: "Professor, Sophia University"}
  - id: smith
    role: member-us
    name: {ja: ジョン・スミス, en: John Smith}
    affiliation: {ja: ハドソン研究所, en: Hudson Institute}
"""

THEME = """\
id: energy
number: 1
title:
  ja: エネルギー安全保障
  en: Energy security
short_title:
  ja: エネルギー
  en: Energy
notes:
  - id: "1"
    text: World Bank Data
    url: https://data.worldbank.org/
challenges:
  - title: {ja: 課題, en: The challenge}
    body:
      - ja: 中東への依存が高い[^1]。
        en: Dependence on the Middle East is high.[^1]
    authors: [tanaka]
recommendations:
  - number: 1
    id: diversify
    title:
      ja: 調達先を多角化せよ
      en: Diversify suppliers
    authors: [tanaka, smith]
    addressed_to: both
    summary:
      ja: 日米は調達先を多角化すべきである。
      en: The United States and Japan should diversify suppliers.
    key_points:
      - {ja: 多角化, en: Diversify}
    body:
      - ja: 日本は石油輸入の94%を中東に依存している。
        en: Japan relies on the Middle East for 94% of its oil imports.
    figures:
      - value: 94%
        label: {ja: 中東依存度, en: oil imports from the Middle East}
        year: 2024
        quote: 石油輸入の94%
"""


def crowded_theme(recs: int, points: int, ja_len: int, en_words: int, title: str, *, without_notes: bool = False) -> str:
    """Return THEME with RECS recommendations, each with POINTS long key points: a theme that strains a one-pager."""
    point_lines = "\n".join(f"      - {{ja: 長い要点{i}、" + "あ" * ja_len + f", en: Long point {i} " + "word " * en_words + "}"
                            for i in range(points))
    body = "".join(f"""  - number: {n}
    id: rec-{n}
    title: {{ja: 提言{n}, en: Recommendation {n} {title}}}
    addressed_to: both
    summary: {{ja: 要旨。, en: Summary.}}
    key_points:
{point_lines}
    body:
      - {{ja: 本文。, en: Body.}}
""" for n in range(1, recs + 1))
    theme = THEME.split("recommendations:")[0]
    if without_notes:
        theme = theme.replace("notes:\n  - id: \"1\"\n    text: World Bank Data\n    url: https://data.worldbank.org/\n", "")
        theme = theme.replace("        en: Dependence on the Middle East is high.[^1]", "        en: Dependence on the Middle East is high.").replace("高い[^1]", "高い")
    return theme + "recommendations:\n" + body


def write_content(root: Path, report: str = REPORT, themes: dict[str, str] | None = None) -> Path:
    """Write a small content folder under ROOT and return it."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "report.yaml").write_text(textwrap.dedent(report), encoding="utf-8")
    (root / "themes").mkdir(exist_ok=True)
    for name, text in (themes or {"01-energy.yaml": THEME}).items():
        (root / "themes" / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return root


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    return write_content(tmp_path / "content")


def require_tool(name: str) -> str:
    """Return the path of NAME, skipping the test locally but failing in CI when it is absent."""
    import shutil

    path = shutil.which(name)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"{name} is not installed; .ci/run must install it")
        pytest.skip(f"{name} is not installed")
    return path
