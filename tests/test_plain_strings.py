"""What a plain string means in a two-language report, and that check, i18n status and build agree.

A plain string serves every language when it has no words (a number, a URL) or the field is a
name or citation. Prose in a plain string is the source language's text: the other languages
are missing, and nothing prints it as theirs without a word.
"""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from briefgen.cli import app

from .conftest import REPORT, THEME, write_content

runner = CliRunner()

# The summary (line 27 of the theme file) written as one plain English string in a ja-source report.
PLAIN = THEME.replace("""    summary:
      ja: 日米は調達先を多角化すべきである。
      en: The United States and Japan should diversify suppliers.
""", """    summary: The United States and Japan should diversify suppliers.
""")


def content(tmp_path: Path) -> Path:
    assert PLAIN != THEME
    return write_content(tmp_path / "content", REPORT, {"01-energy.yaml": PLAIN})


def run(*args: str):
    result = runner.invoke(app, list(args))
    assert "Traceback" not in result.output
    return result


def test_check_reports_prose_in_a_plain_string(tmp_path):
    root = content(tmp_path)
    path = root / "themes" / "01-energy.yaml"
    message = (f"{path}:27: missing translation: recommendations[0].summary is a plain string, which counts as ja text;"
               " write it as ja: and add its en: line")
    result = run("check", "--content", str(root))
    assert result.exit_code == 1
    assert result.output.strip().splitlines()[0] == message
    relaxed = run("check", "--content", str(root), "--allow-missing")
    assert relaxed.exit_code == 0
    assert message.replace(":27: ", ":27: warning: ") in relaxed.output


def test_i18n_status_counts_it_missing(tmp_path):
    root = content(tmp_path)
    result = run("i18n", "status", "--content", str(root))
    assert f"{root / 'themes' / '01-energy.yaml'}:27: missing en: recommendations[0].summary" in result.output


def test_a_build_in_the_other_language_refuses_or_marks_it(tmp_path):
    root = content(tmp_path)
    out = tmp_path / "out"
    result = run("build", "--content", str(root), "-a", "ministry", "-l", "en", "-f", "docx", "--out", str(out))
    assert result.exit_code == 1
    assert (f"{root / 'themes' / '01-energy.yaml'}:27: missing translation: recommendations[0].summary has no 'en' text;"
            " add it, or build with --allow-missing") in result.output
    assert not list(out.rglob("*.docx"))
    # In the source language it is simply the text.
    assert run("build", "--content", str(root), "-a", "ministry", "-l", "ja", "-f", "docx", "--out", str(out)).exit_code == 0


def test_names_numbers_and_urls_serve_every_language(mini):
    # conftest's report: a plain-string figure value (94%), a plain citation (World Bank Data), a URL.
    result = run("check", "--content", str(mini))
    assert result.exit_code == 0, result.output
    assert "missing translation" not in result.output
