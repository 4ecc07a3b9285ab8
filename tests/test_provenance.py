"""Provenance: asks and figures cite their recommendation's body; check says where they do not."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from typer.testing import CliRunner

from briefgen.cli import app
from briefgen.content.markup import plain_text, to_html

from .conftest import REPORT, write_content
from .pdfcheck import pdf_text, squash

runner = CliRunner()

# Line numbers below refer to this text as written into themes/01-energy.yaml.
THEME = """\
id: energy
number: 1
title: {ja: エネルギー安全保障, en: Energy security}
short_title: {ja: エネルギー, en: Energy}
recommendations:
  - number: 1
    id: diversify
    title: {ja: "調違先[sic]を多角化せよ", en: Diversify suppliers}
    authors: [tanaka]
    addressed_to: both
    summary: {ja: 日米は調達先を多角化すべきである。, en: The two countries should diversify suppliers.}
    key_points:
      - {ja: 中東依存は94%, en: Middle East dependence is 94%.}
    body:
      - ja: 日本は石油輸入の94%を中東に依存している[sic]。米国議会はデータ共有を支援すべきである。
        en: Japan relies on the Middle East for 94% of its oil imports. Congress should back data sharing.
    figures:
      - value: 94%
        label: {ja: 中東依存度, en: oil imports from the Middle East}
        quote: 日本は石油輸入の94%を中東に依存している
    asks:
      congress:
        - text: {ja: データ共有を支援する, en: Back data sharing.}
          basis: authors
          quote: 米国議会はデータ共有を支援すべきである
        - text: {ja: 中東依存に関する公聴会を開く, en: Hold hearings on Middle East dependence.}
          basis: editor
      ministries:
        - text: {ja: 調達先の多角化を協議する, en: Open talks on diversifying suppliers.}
          basis: editor
          quote: 石油輸入の94%を中東に依存している
"""


def content_with(tmp_path: Path, old: str = "", new: str = "", report: str = REPORT) -> Path:
    theme = THEME
    if old:
        assert old in theme
        theme = theme.replace(old, new, 1)
    return write_content(tmp_path / "content", report, {"01-energy.yaml": theme})


def check(root: Path):
    result = runner.invoke(app, ["check", "--content", str(root)])
    assert "Traceback" not in result.output
    return result


def test_cited_asks_and_figures_pass(tmp_path):
    result = check(content_with(tmp_path))
    assert result.exit_code == 0, result.output


def test_quotes_ignore_sic_marks(tmp_path):
    # The body reads 依存している[sic]。; the figure's quote, without the mark, still matches.
    result = check(content_with(tmp_path, "quote: 日本は石油輸入の94%を中東に依存している", "quote: 94%を中東に依存している[sic]"))
    assert result.exit_code == 0, result.output


def test_sic_is_printed_as_each_language_marks_it():
    assert to_html("中心にる[sic]のが", lang="ja") == '中心にる<span class="sic">［ママ］</span>のが'
    assert to_html("it's contents [sic] are", lang="en") == 'it’s contents <span class="sic">[<em>sic</em>]</span> are'
    assert plain_text("互惠[sic]に基づく", "ja") == "互惠［ママ］に基づく"
    assert plain_text("teh [sic] report", "en") == "teh [sic] report"


def test_quotes_match_whitespace_and_unicode_insensitively(tmp_path):
    # A line break inside the quote, and データ with a combining voiced mark (NFD).
    root = content_with(tmp_path, "quote: 米国議会はデータ共有を支援すべきである",
                        'quote: "米国議会は\\nテ\\u3099ータ共有を 支援すべきである"')
    result = check(root)
    assert result.exit_code == 0, result.output


def test_an_authors_ask_without_a_quote(tmp_path):
    root = content_with(tmp_path, "          basis: authors\n          quote: 米国議会はデータ共有を支援すべきである\n", "          basis: authors\n")
    result = check(root)
    assert result.exit_code == 1
    path = root / "themes" / "01-energy.yaml"
    assert result.output.strip() == (
        f"{path}:24: recommendations[0].asks.congress[0]: an ask with basis: authors needs a quote: the words of"
        " recommendation 1's body (ja) that ask for it; or set basis: editor")


def test_a_quote_not_in_the_body(tmp_path):
    root = content_with(tmp_path, "quote: 米国議会はデータ共有を支援すべきである", "quote: 米国議会は公聴会を開くべきである")
    result = check(root)
    assert result.exit_code == 1
    assert result.output.strip() == (
        f"{root / 'themes' / '01-energy.yaml'}:25: recommendations[0].asks.congress[0].quote: not found in recommendation 1's"
        " body (ja); copy the words exactly as the body has them")


def test_an_editor_ask_may_cite_but_must_cite_truly(tmp_path):
    root = content_with(tmp_path, "quote: 石油輸入の94%を中東に依存している", "quote: 石油輸入の95%を中東に依存している")
    result = check(root)
    assert result.exit_code == 1
    assert f"{root / 'themes' / '01-energy.yaml'}:31: recommendations[0].asks.ministries[0].quote: not found" in result.output


def test_a_figure_value_the_body_does_not_state(tmp_path):
    # A deadline the text proposes is not a data point: 1年以内 is nowhere in this body.
    root = content_with(tmp_path, "      - value: 94%\n", "      - value: {ja: 1年以内, en: within a year}\n")
    result = check(root)
    assert result.exit_code == 1
    assert result.output.strip() == (
        f"{root / 'themes' / '01-energy.yaml'}:18: recommendations[0].figures[0].value: '1年以内' does not occur in"
        " recommendation 1's body (ja); write the value as the body prints it")


def test_a_figure_without_a_quote_or_with_the_wrong_one(tmp_path):
    root = content_with(tmp_path, "        quote: 日本は石油輸入の94%を中東に依存している\n", "")
    result = check(root)
    assert result.exit_code == 1
    assert result.output.strip() == (
        f"{root / 'themes' / '01-energy.yaml'}:18: recommendations[0].figures[0]: a figure needs a quote: the sentence"
        " of recommendation 1's body (ja) that states it")
    root = content_with(tmp_path / "b", "quote: 日本は石油輸入の94%を中東に依存している", "quote: 米国議会はデータ共有を支援すべきである")
    result = check(root)
    assert result.output.strip() == (
        f"{root / 'themes' / '01-energy.yaml'}:20: recommendations[0].figures[0].quote: does not contain the value '94%';"
        " quote the sentence that states it")


def test_a_key_point_number_the_body_does_not_state(tmp_path):
    root = content_with(tmp_path, "{ja: 中東依存は94%, en: Middle East dependence is 94%.}", "{ja: 中東依存は95%, en: Middle East dependence is 95%.}")
    result = check(root)
    assert result.exit_code == 0  # a warning: a distillation may count or round
    path = root / "themes" / "01-energy.yaml"
    assert result.output.strip().splitlines()[0] == (
        f"{path}:13: warning: recommendations[0].key_points[0]: the number 95 is not in recommendation 1's body (ja);"
        " state only what the text says")


def test_key_takeaways_name_recommendations_that_exist(tmp_path):
    report = REPORT + "key_takeaways:\n  - text: {ja: 中東依存は94%, en: Dependence is 94%.}\n    based_on: [1, 7]\n"
    root = content_with(tmp_path, report=report)
    result = check(root)
    assert result.exit_code == 1
    assert result.output.strip() == (
        f"{root / 'report.yaml'}:22: key_takeaways[0].based_on: there is no recommendation 7; name the recommendations"
        " this takeaway distills")


def test_an_english_source_report_is_checked_in_english(tmp_path):
    report = REPORT.replace("source_lang: ja\nlanguages: [ja, en]", "source_lang: en\nlanguages: [en, ja]")
    root = content_with(tmp_path, report=report)
    result = check(root)
    assert result.exit_code == 1
    # The quotes are Japanese, so none is found in the English body.
    assert "recommendations[0].asks.congress[0].quote: not found in recommendation 1's body (en)" in result.output
    assert "recommendations[0].figures[0].quote: not found in recommendation 1's body (en)" in result.output
    fixed = (THEME.replace("quote: 米国議会はデータ共有を支援すべきである", "quote: Congress should back data sharing")
             .replace("quote: 日本は石油輸入の94%を中東に依存している", "quote: Japan relies on the Middle East for 94%")
             .replace("quote: 石油輸入の94%を中東に依存している", "quote: 94% of its oil imports"))
    root = write_content(tmp_path / "en", report, {"01-energy.yaml": fixed})
    assert check(root).exit_code == 0


# -- outputs: the editor's asks are left out unless asked for, then labelled --------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = write_content(tmp_path_factory.mktemp("c") / "content", REPORT, {"01-energy.yaml": THEME})
    outs = {}
    for flag in ("", "--editor-asks"):
        out = tmp_path_factory.mktemp("out")
        args = ["build", "--content", str(root), "-a", "congress", "-a", "ministry", "-l", "en", "-l", "ja",
                "-f", "pdf", "-f", "docx", "--length", "short", "--length", "full", "--out", str(out), "--quiet"]
        result = runner.invoke(app, args + ([flag] if flag else []))
        assert result.exit_code == 0, result.output
        outs[flag or "default"] = out
    return outs


def memo_text(path: Path) -> list[str]:
    return [p.text for p in docx.Document(str(path)).paragraphs if p.text.strip()]


def test_editor_asks_are_left_out_by_default(built):
    out = built["default"]
    # The full brief prints every recommendation's asks; the short one only those ranked first.
    en = squash(pdf_text(out / "congress" / "brief-full.en.letter.pdf"))
    assert "Backdatasharing." in en
    assert "Holdhearings" not in en and "editor" not in en.lower()
    ja = "".join(memo_text(out / "ministry" / "memo.ja.docx"))
    assert "調達先の多角化を協議する" not in ja and "編集者" not in ja
    # A kept source typo is marked ［ママ］ in Japanese; the English translation has no mark.
    assert "調違先［ママ］を多角化せよ" in ja and "[sic]" not in ja
    assert "sic" not in "".join(memo_text(out / "ministry" / "memo.en.docx"))


def test_editor_asks_are_labelled_in_both_languages(built):
    out = built["--editor-asks"]
    en = squash(pdf_text(out / "congress" / "brief-full.en.letter.pdf"))
    assert en.index("WhatCongresscando:Backdatasharing.") < en.index("Editor'ssuggestions,notinthereport:HoldhearingsonMiddleEastdependence.")
    ja = squash(pdf_text(out / "congress" / "brief-full.ja.letter.pdf"))
    assert "（参考）編集者による補足（報告書の提言ではない）：中東依存に関する公聴会を開く" in ja
    paras = memo_text(out / "ministry" / "memo.ja.docx")
    heading = next(i for i, p in enumerate(paras) if "（参考）編集者による補足（報告書の提言ではない）" in p)
    assert "調達先の多角化を協議する" in paras[heading + 1]
    assert any("For reference: the editor's suggestions, not in the report" in p for p in memo_text(out / "ministry" / "memo.en.docx"))
