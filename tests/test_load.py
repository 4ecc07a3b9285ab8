from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefgen.cli import app
from briefgen.errors import BriefgenError
from briefgen.content.load import load_content

from .conftest import REPORT, THEME, write_content

runner = CliRunner()


def run_check(root: Path):
    result = runner.invoke(app, ["check", "--content", str(root)])
    assert "Traceback" not in result.output
    return result


def test_loading_gives_the_model(mini):
    content = load_content(mini)
    report = content.report
    assert report.info.title.get("en") == "A small report"
    assert str(report.info.date) == "2026-05-31"
    (theme,) = report.themes
    assert theme.id == "energy"
    rec = theme.recommendations[0]
    assert rec.title.get("ja") == "調達先を多角化せよ"
    assert rec.figures[0].value.get("en") == "94%"  # a plain string serves every language
    assert [p.id for p in report.info.people] == ["tanaka", "smith"]


def test_check_ok(mini):
    result = run_check(mini)
    assert result.exit_code == 0
    assert "ok (1 theme, 1 recommendation, 2 people)" in result.output


def expect_error(tmp_path: Path, expected: str, *, report: str = REPORT, theme: str = THEME) -> str:
    root = write_content(tmp_path / "c", report, {"01-energy.yaml": theme})
    result = run_check(root)
    assert result.exit_code == 1, result.output
    assert expected in result.output, result.output
    return result.output


def test_malformed_yaml(tmp_path):
    out = expect_error(tmp_path, "01-energy.yaml:6: YAML syntax", theme=THEME.replace("title:\n  ja:", "title:\n ja: [\n  ja:", 1))
    assert out.count("\n") >= 1


def test_duplicate_key(tmp_path):
    theme = THEME.replace("short_title:", "id: again\nshort_title:")
    expect_error(tmp_path, "01-energy.yaml:6: duplicate key 'id' (first at line 1); keep one, or the other value is lost", theme=theme)


def test_unknown_author(tmp_path):
    theme = THEME.replace("authors: [tanaka, smith]", "authors: [tanaka, nobody]")
    expect_error(tmp_path, "01-energy.yaml:25: unknown author id 'nobody'; use an id from people or organizations in report.yaml", theme=theme)


def test_duplicate_recommendation_number(tmp_path):
    second = THEME.replace("id: energy", "id: trade").replace("number: 1\nid: diversify", "number: 1\nid: other").replace("number: 1\n", "number: 2\n", 1)
    root = write_content(tmp_path / "c", REPORT, {"01-energy.yaml": THEME, "02-trade.yaml": second})
    result = run_check(root)
    assert result.exit_code == 1
    assert "02-trade.yaml:20: duplicate recommendation number 1" in result.output


def test_missing_recommendation_number(tmp_path):
    theme = THEME.replace("  - number: 1\n", "  - number: 2\n")
    expect_error(tmp_path, "01-energy.yaml:20: recommendation number 1 is missing (numbers jump to 2)", theme=theme)


def test_missing_required_field(tmp_path):
    theme = THEME.replace("    addressed_to: both\n", "")
    expect_error(tmp_path, "01-energy.yaml:20: recommendations[0].addressed_to: required field is missing; add it", theme=theme)


def test_unsafe_id(tmp_path):
    theme = THEME.replace("id: diversify", "id: ../../etc")
    expect_error(tmp_path, "01-energy.yaml:21: recommendations[0].id: '../../etc' is not a safe id; use lowercase letters, digits and hyphens", theme=theme)


def test_unknown_key(tmp_path):
    theme = THEME.replace("short_title:", "shortitle: x\nshort_title:")
    expect_error(tmp_path, "01-energy.yaml:6: shortitle: unknown field; check its spelling against docs/content-format.md", theme=theme)


def test_missing_translation(tmp_path):
    theme = THEME.replace("      en: Diversify suppliers\n", "")
    expect_error(tmp_path, "01-energy.yaml:23: missing translation: recommendations[0].title has no 'en' text; add its en: line", theme=theme)


def test_missing_translation_allowed(tmp_path):
    theme = THEME.replace("      en: Diversify suppliers\n", "")
    root = write_content(tmp_path / "c", REPORT, {"01-energy.yaml": theme})
    result = runner.invoke(app, ["check", "--allow-missing", "--content", str(root)])
    assert result.exit_code == 0
    assert "missing translation" in result.output


def test_unresolved_note(tmp_path):
    theme = THEME.replace("なる[^1]", "").replace("high.[^1]", "high.[^9]")
    expect_error(tmp_path, "footnote [^9] has no note with id '9'; add it to notes", theme=theme)


def test_every_problem_is_reported_at_once(tmp_path):
    theme = THEME.replace("authors: [tanaka, smith]", "authors: [ghost]").replace("id: diversify", "id: Bad_Id")
    report = REPORT.replace("date: 2026-05-31", "date: someday")
    out = expect_error(tmp_path, "report.yaml:10: date:", report=report, theme=theme)
    assert "Bad_Id" in out
    assert "problems found" in out


def test_missing_folder(tmp_path):
    result = runner.invoke(app, ["check", "--content", str(tmp_path / "nope")])
    assert result.exit_code == 1
    assert "no such content folder; pass --content DIR" in result.output


def test_library_raises_one_error_type(tmp_path):
    root = write_content(tmp_path / "c", REPORT, {"01-energy.yaml": "id: [\n"})
    with pytest.raises(BriefgenError) as info:
        load_content(root)
    assert info.value.problems[0].line == 2
