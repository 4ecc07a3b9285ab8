"""Translation status, confirming, the lock file, stale-translation warnings and glossary terms."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefgen.cli import app
from briefgen.errors import BriefgenError
from briefgen.i18n.status import LOCK_NAME, check_terms, confirm, fingerprint, read_lock, stale_fields
from briefgen.content.load import load_content

from .conftest import CONTENT, REPORT, THEME, write_content

runner = CliRunner()

GLOSSARY = """\
terms:
  - ja: 中東
    en: Middle East
  - ja: 多角化
    en: diversify
    variants: [diversification]
"""


def run(*args: str):
    result = runner.invoke(app, ["i18n", *args])
    assert "Traceback" not in result.output, result.output
    return result


@pytest.fixture
def confirmed(mini: Path) -> Path:
    """The mini content with every translation confirmed."""
    assert run("confirm", "--all", "--content", str(mini)).exit_code == 0
    return mini


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_changed_japanese_paragraph_is_stale_until_confirmed(confirmed):
    theme = confirmed / "themes" / "01-energy.yaml"
    assert run("status", "--strict", "--content", str(confirmed)).exit_code == 0
    edit(theme, "日本は石油輸入の94%を中東に依存している。", "日本は石油輸入の94%を中東地域に依存している。")

    result = run("status", "--content", str(confirmed))
    assert result.exit_code == 0  # without --strict, status only reports
    assert (f"{theme}:34: stale en: recommendations[0].body[0] — the ja text changed since the translation was"
            f" confirmed; update the en text, then run briefgen i18n confirm 'themes/01-energy.yaml#recommendations[0].body[0]'") in result.output
    assert result.output.count("stale en:") == 1
    strict = run("status", "--strict", "--content", str(confirmed))
    assert strict.exit_code == 1
    assert "--strict: 1 stale — translate, check, then run briefgen i18n confirm" in strict.output

    result = run("confirm", "themes/01-energy.yaml#recommendations[0].body[0]", "--content", str(confirmed))
    assert result.exit_code == 0, result.output
    assert "confirmed 1 translation (0 were current)" in result.output
    assert run("status", "--strict", "--content", str(confirmed)).exit_code == 0


def test_confirm_a_file_by_its_path(confirmed, monkeypatch):
    theme = confirmed / "themes" / "01-energy.yaml"
    edit(theme, "日米は調達先を多角化すべきである。", "日米は調達先を一層多角化すべきである。")
    monkeypatch.chdir(confirmed.parent)
    assert run("status", "--strict", "--content", "content").exit_code == 1
    result = run("confirm", "content/themes/01-energy.yaml", "--content", "content")
    assert "confirmed 1 translation" in result.output
    assert run("status", "--strict", "--content", "content").exit_code == 0


def test_status_counts_per_file_and_coverage(mini):
    edit(mini / "themes" / "01-energy.yaml", "      en: Diversify suppliers\n", "")
    result = run("status", "--content", str(mini))
    assert f"{mini / 'themes' / '01-energy.yaml'}:23: missing en: recommendations[0].title — add its en: text" in result.output
    rows = {line.split()[0]: line.split()[1:] for line in result.output.splitlines() if line.startswith(("report.yaml", "themes/", "all"))}
    # fields, missing, stale, unconfirmed, coverage: nothing is confirmed without a lock file
    assert rows["themes/01-energy.yaml"] == ["9", "1", "0", "8", "0.0%"]
    assert rows["report.yaml"] == ["6", "0", "0", "6", "0.0%"]
    assert rows["all"] == ["files", "15", "1", "0", "14", "0.0%"]

    run("confirm", "--all", "--content", str(mini))
    result = run("status", "--content", str(mini))
    rows = {line.split()[0]: line.split()[1:] for line in result.output.splitlines() if line.startswith("themes/")}
    assert rows["themes/01-energy.yaml"] == ["9", "1", "0", "0", "88.9%"]
    assert "confirmed" not in result.output


def test_missing_means_what_check_means(mini):
    """A field check reports as missing is the field status reports as missing, and no other."""
    edit(mini / "themes" / "01-energy.yaml", "en: Diversify}", "en: ''}")
    checked = runner.invoke(app, ["check", "--allow-missing", "--content", str(mini)]).output
    status = run("status", "--content", str(mini)).output
    assert "key_points[0] has no 'en' text" in checked
    assert "missing en: recommendations[0].key_points[0]" in status
    assert checked.count("missing translation") == status.count("missing en:") == 1


def test_status_of_an_unknown_language(mini):
    result = run("status", "--lang", "fr", "--content", str(mini))
    assert result.exit_code == 1
    assert "--lang fr: not one of the report's languages ['ja', 'en']; choose one of them" in result.output


def test_lock_file_is_calm_and_travels_with_the_content(confirmed, tmp_path):
    lock = confirmed / LOCK_NAME
    text = lock.read_text(encoding="utf-8")
    entries = [line for line in text.splitlines() if line.startswith("  ")]
    assert f'  "report.yaml#title": {{en: "{fingerprint("小さな報告書")}"}}' in entries
    assert entries[0].startswith('  "report.yaml#people[0].affiliation": {en: "')
    assert entries[-1].startswith('  "themes/01-energy.yaml#title": {en: "')
    assert entries == sorted(entries)
    assert len(entries) == 15  # one line per translated field
    assert run("confirm", "--all", "--content", str(confirmed)).output.strip() == "confirmed 0 translations (15 were current)"
    assert lock.read_text(encoding="utf-8") == text  # nothing to confirm: the file is not rewritten

    moved = shutil.copytree(confirmed, tmp_path / "elsewhere")
    assert run("status", "--strict", "--content", str(moved)).exit_code == 0


def test_lock_orders_numbers_naturally(tmp_path):
    report = REPORT + "key_takeaways:\n" + "  - {text: {ja: 所見, en: Finding}, based_on: [1]}\n" * 12
    root = write_content(tmp_path / "c", report)
    confirm(load_content(root), None)
    keys = [line.split('"')[1] for line in (root / LOCK_NAME).read_text(encoding="utf-8").splitlines() if line.startswith("  ")]
    assert [k for k in keys if "key_takeaways" in k] == [f"report.yaml#key_takeaways[{i}].text" for i in range(12)]


def test_a_damaged_lock_file_is_refused_with_its_line(confirmed):
    lock = confirmed / LOCK_NAME
    edit(lock, '"report.yaml#title": {en: "', '"report.yaml#title": {en: "zz')
    result = run("status", "--content", str(confirmed))
    assert result.exit_code == 1
    assert f"{lock}:12: report.yaml#title: 'zz" in result.output
    assert "is not a fingerprint — restore the file from version control" in result.output


def test_confirm_names_what_it_cannot_find(mini):
    result = run("confirm", "themes/99-none.yaml", "--content", str(mini))
    assert result.exit_code == 1
    assert "themes/99-none.yaml: matches no translatable field; give a content file, a folder, or a key" in result.output
    assert run("confirm", "--content", str(mini)).exit_code == 2  # neither paths nor --all: a usage error


def test_confirm_skips_missing_translations(mini):
    edit(mini / "themes" / "01-energy.yaml", "      en: Diversify suppliers\n", "")
    result = run("confirm", "--all", "--content", str(mini))
    assert "confirmed 14 translations (0 were current); 1 without a translation (nothing to confirm)" in result.output


def test_stale_fields_warns_for_builds(confirmed):
    content = load_content(confirmed)
    assert stale_fields(content, "en") == []
    edit(confirmed / "themes" / "01-energy.yaml", "日米は調達先を多角化すべきである。", "日米は調達先を一層多角化すべきである。")
    (warning,) = stale_fields(load_content(confirmed), "en")
    assert warning.severity == "warning"
    assert (warning.path, warning.line) == (str(confirmed / "themes" / "01-energy.yaml"), 29)
    assert str(warning).startswith(f"{confirmed / 'themes' / '01-energy.yaml'}:29: warning: stale en: recommendations[0].summary")
    assert stale_fields(load_content(confirmed), "ja") == []


def test_without_a_lock_file_builds_see_nothing_stale(mini):
    assert stale_fields(load_content(mini), "en") == []


def test_reordering_makes_translations_stale(tmp_path):
    """Keys follow structure: swapped paragraphs no longer match their fingerprints."""
    # The second paragraph keeps the figure's number, which the body must state.
    theme = THEME.replace(
        "      - ja: 日本は石油輸入の94%を中東に依存している。\n        en: Japan relies on the Middle East for 94% of its oil imports.\n",
        "      - ja: 第一段落。\n        en: First.\n      - ja: 第二段落、石油輸入の94%。\n        en: Second.\n")
    root = write_content(tmp_path / "c", REPORT, {"01-energy.yaml": theme})
    confirm(load_content(root), None)
    edit(root / "themes" / "01-energy.yaml", "- ja: 第一段落。\n        en: First.\n      - ja: 第二段落、石油輸入の94%。\n        en: Second.",
         "- ja: 第二段落、石油輸入の94%。\n        en: Second.\n      - ja: 第一段落。\n        en: First.")
    stale = [w.message.split(" — ")[0] for w in stale_fields(load_content(root), "en")]
    assert stale == ["stale en: recommendations[0].body[0]", "stale en: recommendations[0].body[1]"]


# -- glossary terms -----------------------------------------------------------------------------


def with_glossary(root: Path, glossary: str = GLOSSARY) -> Path:
    (root / "glossary.yaml").write_text(glossary, encoding="utf-8")
    return root


def test_terms_finds_a_planted_inconsistency(mini):
    root = with_glossary(mini)
    theme = root / "themes" / "01-energy.yaml"
    assert run("terms", "--content", str(root)).exit_code == 0
    edit(theme, "en: Japan relies on the Middle East for 94%", "en: Japan relies on the Gulf for 94%")
    result = run("terms", "--content", str(root))
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        f'{theme}:34: 中東 → expected "Middle East" in recommendations[0].body[0] — use it,'
        " or add the wording used here to the term's variants in glossary.yaml")
    assert "1 field lacks a glossary term's English." in result.output


def test_terms_ignore_case_and_line_breaks_and_accept_variants(mini):
    root = with_glossary(mini)
    theme = root / "themes" / "01-energy.yaml"
    edit(theme, "en: Japan relies on the Middle East for 94%", "en: >-\n          Japan relies on the middle\n          east for 94%")
    edit(theme, "{ja: 多角化, en: Diversify}", "{ja: 多角化, en: Supplier diversification}")
    assert check_terms(load_content(root)) == []
    edit(theme, "Supplier diversification", "Supplier variety")
    assert [p.message.split(" in ")[0] for p in check_terms(load_content(root))] == ['多角化 → expected "diversify"']


def test_terms_match_at_the_start_of_a_word(mini):
    root = with_glossary(mini, "terms:\n  - ja: 中東\n    en: east\n")
    theme = root / "themes" / "01-energy.yaml"
    edit(theme, "the Middle East for 94%", "the Mideast for 94%")
    (problem,) = check_terms(load_content(root))  # "Mideast" does not contain the word "east"
    assert "中東 → expected \"east\"" in problem.message


# -- the shipped content ------------------------------------------------------------------------


def test_shipped_content_is_translated_and_confirmed():
    result = run("status", "--strict", "--content", str(CONTENT))
    assert result.exit_code == 0, result.output
    assert "100.0%" in result.output.splitlines()[-1]


def test_shipped_content_uses_the_glossary():
    result = run("terms", "--content", str(CONTENT))
    assert result.exit_code == 0, result.output


def test_shipped_lock_file_is_as_confirm_writes_it(tmp_path):
    """The committed lock file is exactly what `confirm --all` writes: nothing hand-edited or left over."""
    copy = shutil.copytree(CONTENT, tmp_path / "content")
    lock = (copy / LOCK_NAME).read_text(encoding="utf-8")
    (copy / LOCK_NAME).unlink()
    confirm(load_content(copy), None)
    assert (copy / LOCK_NAME).read_text(encoding="utf-8") == lock
    assert read_lock(load_content(copy)).exists
