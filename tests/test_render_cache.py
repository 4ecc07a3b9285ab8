"""What renders share per loaded content (the report's allow-list walk, its text index) never changes what they check or say."""

from dataclasses import replace

import pytest

from briefgen.content.load import load_content
from briefgen.content.model import Text
from briefgen.errors import BriefgenError
from briefgen.render.localize import Localizer
from briefgen.render.templates import template_context


def test_a_report_checked_before_does_not_let_a_bad_context_through(mini):
    report = load_content(mini).report
    template_context({"report": report, "info": report.info})  # walked once, remembered
    with pytest.raises(TypeError, match=r"template context: sheets\[0\]\.folder is a pathlib\.PosixPath"):
        template_context({"report": report, "sheets": [{"folder": mini}]})
    # Remembered by identity, not by value: a copy of a checked theme that smuggles in a path is walked.
    theme = report.themes[0]
    bad = theme.model_construct(**{**dict(theme), "notes": [mini]})
    with pytest.raises(TypeError, match=r"template context: sheets\[0\]\.theme\.notes\[0\] is a pathlib\.PosixPath"):
        template_context({"report": report, "sheets": [{"theme": bad}]})
    with pytest.raises(TypeError, match=r"template context: sheets\[0\]\.theme\.notes\[0\] is a pathlib\.PosixPath"):
        template_context({"sheets": [{"theme": bad}]})  # and a refused one is never remembered


def test_the_text_index_is_made_once_per_report_and_again_for_another(mini):
    content = load_content(mini)
    ja, en = Localizer(content, "ja"), Localizer(content, "en")
    assert ja.index is en.index and ja.notes is en.notes
    # The same folder loaded again (as `watch` does) and swapped in: its texts are indexed, and a
    # missing translation still names its file and line.
    other = load_content(mini).report
    theme = other.themes[0]
    untranslated = theme.model_copy(update={"title": Text({"ja": theme.title.get("ja")})})
    swapped = replace(content, report=other.model_copy(update={"themes": [untranslated, *other.themes[1:]]}))
    L = Localizer(swapped, "en")
    assert L.index is not ja.index
    with pytest.raises(BriefgenError) as exc:
        L.t(untranslated.title)
    (problem,) = exc.value.problems
    assert problem.path.endswith(".yaml") and problem.line > 0 and "missing translation: title has no 'en' text" in problem.message
