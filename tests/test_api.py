"""briefgen.api: plain arguments in, result objects out, nothing printed."""

from __future__ import annotations

import pytest

from briefgen import api
from briefgen.errors import BriefgenError


def test_build_returns_what_it_built_then_what_it_skipped(mini, tmp_path, capsys):
    out = tmp_path / "out"
    first = api.build(mini, out, audiences=["onepager"], langs=["en"], jobs=1)
    assert [(o.target.name, o.status) for o in first.outcomes] == [("onepager/01-energy.en.letter.pdf", "built")]
    assert (out / "onepager" / "01-energy.en.letter.pdf").read_bytes().startswith(b"%PDF-")
    again = api.build(mini, out, audiences=["onepager"], langs=["en"], jobs=1)
    assert [o.status for o in again.outcomes] == ["skipped"] and not again.failed
    assert capsys.readouterr() == ("", "")  # the CLI prints; the api does not


def test_bad_input_raises_the_message_the_cli_prints(mini, tmp_path):
    with pytest.raises(BriefgenError) as caught:
        api.build(mini, tmp_path / "out", date_style="meiji")
    assert [str(p) for p in caught.value.problems] == ["briefgen: --date-style meiji: unknown date style; choose one of wareki, western, both"]
    assert not (tmp_path / "out").exists()


def test_check_and_select_read_the_content_without_building(mini):
    content = api.check(mini)
    assert [t.id for t in content.report.themes] == ["energy"]
    names = [t.name for t in api.select(content.report, audiences=["onepager"], print_marks=True)]
    assert names == ["onepager/01-energy.ja.a4.print.pdf", "onepager/01-energy.en.letter.print.pdf"]
