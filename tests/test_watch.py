"""`briefgen watch`: rebuilds on change in a warm process and survives bad edits."""

import threading
import time
from pathlib import Path

from briefgen import api
from briefgen.errors import Problem

from .conftest import write_content


def wait_for(condition, timeout=30.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.05)
    return False


def test_watch_rebuilds_after_edits_and_reports_errors_without_dying(mini, tmp_path):
    out = tmp_path / "out"
    messages = []
    stop = threading.Event()

    thread = threading.Thread(
        target=api.watch, args=(mini, out), kwargs={"audiences": ["onepager"], "langs": ["en"], "report": messages.append, "stop_event": stop}
    )
    thread.start()
    try:
        pdf = out / "onepager" / "01-energy.en.letter.pdf"
        assert wait_for(pdf.exists)
        first = pdf.read_bytes()
        theme = mini / "themes" / "01-energy.yaml"
        good = theme.read_text(encoding="utf-8")
        theme.write_text(good.replace("en: Diversify suppliers", "en: Diversify suppliers now"), encoding="utf-8")
        assert wait_for(lambda: pdf.read_bytes() != first)
        theme.write_text(good + "title: again\n", encoding="utf-8")  # a duplicate key
        assert wait_for(lambda: any(isinstance(m, Problem) and "duplicate key 'title'" in m.message for m in messages))
        assert thread.is_alive()
        theme.write_text(good, encoding="utf-8")
        assert wait_for(lambda: pdf.read_bytes() == first)  # reproducible: the same content, the same bytes
    finally:
        stop.set()
        thread.join(timeout=10)
    assert not thread.is_alive()


def test_an_edit_saved_during_the_first_build_is_built(tmp_path):
    """The watcher starts after the first build: a save during that build must still be seen."""
    root = write_content(tmp_path / "c")
    theme = root / "themes" / "01-energy.yaml"
    out = tmp_path / "out"
    messages: list = []

    def report(message):
        if len(messages) == 1:  # the first build's first report (after "watching"): save an edit while that build runs
            theme.write_text(theme.read_text(encoding="utf-8").replace("en: Diversify suppliers", "en: Diversify suppliers now"),
                             encoding="utf-8")
        messages.append(message)

    stop = threading.Event()
    thread = threading.Thread(target=api.watch, args=(root, out), kwargs={"audiences": ["onepager"], "langs": ["en"], "themes": ["energy"],
                                                                          "report": report, "stop_event": stop})
    thread.start()
    try:
        changed = [m for m in messages if isinstance(m, str) and m.startswith("changed:")]
        deadline = time.monotonic() + 30
        while not changed and time.monotonic() < deadline:
            time.sleep(0.05)
            changed = [m for m in messages if isinstance(m, str) and m.startswith("changed:")]
        assert changed == ["changed: 01-energy.yaml"], messages
    finally:
        stop.set()
        thread.join(timeout=30)
