"""The conventions users expect of a command line: help, completion, exit codes, Ctrl-C, words."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from typer.testing import CliRunner

from briefgen import api
from briefgen.build.watch import is_input
from briefgen.cli import app

from .conftest import REPORT, THEME, write_content

runner = CliRunner()
BRIEFGEN = Path(sys.executable).parent / "briefgen"


def run(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([str(BRIEFGEN), *args], capture_output=True, text=True, timeout=120, env={**os.environ, **(env or {})})


def test_dash_h_is_help_for_every_command():
    for args in ([], ["build"], ["check"], ["i18n"], ["i18n", "status"]):
        result = runner.invoke(app, [*args, "-h"], prog_name="briefgen")
        assert result.exit_code == 0, result.output
        assert result.output.startswith(f"Usage: {' '.join(['briefgen', *args])}")


def test_help_lists_whole_command_summaries():
    result = runner.invoke(app, ["--help"])
    commands = result.output.split("Commands:")[1]
    assert "..." not in commands and "…" not in commands
    flat = " ".join(result.output.split())
    assert "dump Print the validated content as JSON (stable keys mirroring the YAML; see docs/dump.md)." in flat
    assert "watch Rebuild the selected outputs whenever content or templates change (Ctrl-C to stop)." in flat
    assert "JFIR" not in result.output  # briefgen serves any organisation


def test_help_shows_readable_placeholders():
    usage = runner.invoke(app, ["i18n", "import", "-h"], prog_name="briefgen").output
    assert "Usage: briefgen i18n import [OPTIONS] FILE.xlf" in usage
    assert "{" not in usage and "<path>" not in usage
    confirm = runner.invoke(app, ["i18n", "confirm", "-h"]).output
    assert "[PATH...]" in confirm and "<list[str]>" not in confirm


def test_content_has_a_short_form(mini):
    result = runner.invoke(app, ["check", "-c", str(mini)])
    assert result.exit_code == 0, result.output
    assert result.output.endswith("ok (1 theme, 1 recommendation, 2 people)\n")


def test_shell_completion_installs_and_completes_option_values():
    # The shell is named, not detected from the parent process (a test runs under sh or make).
    script = run("--show-completion", "bash", env={"_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"})
    assert script.returncode == 0 and "_BRIEFGEN_COMPLETE" in script.stdout
    for words, expected in [("briefgen build --audience con", "congress"), ("briefgen build --paper l", "letter"),
                            ("briefgen build --date-style w", "wareki\nwestern"), ("briefgen build --pa", "--paper")]:
        result = run(env={"_BRIEFGEN_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": str(len(words.split()) - 1)})
        assert result.stdout.strip() == expected, words


def test_usage_errors_exit_2_and_suggest_the_closest_value(mini):
    for args, message in [
        (["build", "-c", str(mini), "--audience", "congres"], "--audience congres: unknown audience; did you mean congress?"),
        (["build", "-c", str(mini), "--paper", "leter"], "--paper leter: unknown paper; did you mean letter? choose a4 or letter"),
        (["build", "-c", str(mini), "--date-style", "westen"], "--date-style westen: unknown date style; did you mean western?"),
        (["build", "--no-such-option"], "No such option: --no-such-option"),
    ]:
        result = runner.invoke(app, args)
        assert result.exit_code == 2, (args, result.output)
        assert message in result.output and "Traceback" not in result.output


def ja_only(text: str) -> str:
    """Return a content file with its English taken out."""
    text = text.replace("languages: [ja, en]", "languages: [ja]")
    text = re.sub(r", en: [^}]*\}", "}", text)
    return re.sub(r"^\s*en: .*\n", "", text, flags=re.M)


def test_proof_of_a_one_language_report_says_what_to_do(tmp_path):
    root = write_content(tmp_path / "content", ja_only(REPORT), {"01-energy.yaml": ja_only(THEME)})
    result = runner.invoke(app, ["build", "-c", str(root), "-a", "proof", "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert result.output.strip() == ("briefgen: --audience proof: the content is in ja only and a proof compares a translation with the "
                                     "ja source; add a language to `languages` in report.yaml first")


def interrupt_after(args: list[str], ready: str, cwd: Path) -> tuple[int, str]:
    """Start briefgen ARGS, press Ctrl-C once READY is printed, and return its exit code and output."""
    # Ctrl-C reaches every process of the terminal's foreground group: signal the group.
    with subprocess.Popen([str(BRIEFGEN), *args], cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          start_new_session=True) as proc:
        output = []
        for line in proc.stdout:
            output.append(line)
            if ready in line:
                os.killpg(proc.pid, signal.SIGINT)
                break
        output.append(proc.stdout.read())
        return proc.wait(timeout=120), "".join(output)


def test_ctrl_c_in_watch_exits_130(mini):
    code, output = interrupt_after(["watch", "-c", "content", "-a", "onepager", "-l", "en"], "built onepager/", mini.parent)
    assert code == 130, output
    assert "Traceback" not in output and output.rstrip().endswith("stopped")


def test_ctrl_c_in_build_exits_130(mini):
    code, output = interrupt_after(["build", "-c", "content", "-a", "onepager", "-a", "congress", "-j", "1"], "built ", mini.parent)
    assert code == 130, output
    assert "Traceback" not in output


def test_watch_ignores_editor_temporary_files(mini, tmp_path):
    # What vim, emacs, gedit, kate and JetBrains write beside a file being saved; and our own temp files.
    for name in (".01-energy.yaml.swp", "01-energy.yaml~", "#01-energy.yaml#", ".#01-energy.yaml", "4913",
                 ".goutputstream-AB12CD", "01-energy.yaml.kate-swp", "01-energy.yaml___jb_tmp___", ".01-energy.yaml.x1y2.tmp"):
        assert not is_input(mini / "themes" / name), name
    for name in ("01-energy.yaml", "report.yaml", ".i18n-lock.yaml", "brief.css", "base.html", "NotoSans-Regular.ttf"):
        assert is_input(mini / name), name

    messages, stop = [], threading.Event()
    thread = threading.Thread(target=api.watch, args=(mini, tmp_path / "out"),
                              kwargs={"audiences": ["onepager"], "langs": ["en"], "report": messages.append, "stop_event": stop})
    thread.start()
    try:
        deadline = time.monotonic() + 60
        while not any("built" in str(m) or hasattr(m, "target") for m in messages) and time.monotonic() < deadline:
            time.sleep(0.05)
        (mini / "themes" / ".01-energy.yaml.swp").write_bytes(b"swap")
        (mini / "themes" / "01-energy.yaml~").write_text("backup")
        time.sleep(1.5)
        assert not [m for m in messages if isinstance(m, str) and m.startswith("changed:")]
        theme = mini / "themes" / "01-energy.yaml"
        theme.write_text(theme.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        deadline = time.monotonic() + 30
        while not [m for m in messages if isinstance(m, str) and m.startswith("changed:")] and time.monotonic() < deadline:
            time.sleep(0.05)
        assert [m for m in messages if isinstance(m, str) and m.startswith("changed:")] == ["changed: 01-energy.yaml"]
    finally:
        stop.set()
        thread.join(timeout=30)
