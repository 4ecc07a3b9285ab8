"""The predicting fit search chooses exactly the step that trying every step in order chooses."""

from pathlib import Path

import pytest

from briefgen.audiences.select import select_targets
from briefgen.content.load import load_content
from briefgen.render import fitting
from briefgen.render.fitsearch import first_fitting
from briefgen.render.html import Kit
from briefgen.render.options import RenderOptions

from .conftest import CONTENT, crowded_theme, REPORT, write_content


def stepwise(count, attempt, predict, ordered=1, hopeless=None):
    """The search as it was: one render per step, in order, until one fits."""
    for step in range(count):
        fits, result = attempt(step)
        if fits:
            return step, result
    return None, result


@pytest.mark.parametrize("ordered", [1, 2])
@pytest.mark.parametrize("count", [1, 2, 3, 9, 13])
def test_search_agrees_with_stepwise_for_every_threshold_and_guess(count, ordered):
    for first in range(count + 1):  # count: no step fits
        for guess in range(-1, count + 2):
            renders = []

            def attempt(step):
                renders.append(step)
                return step >= first, step

            expected = stepwise(count, lambda s: (s >= first, s), None)
            assert first_fitting(count, attempt, lambda _: guess, ordered) == expected, (count, first, guess)
            assert len(renders) == len(set(renders))  # no step rendered twice
            if ordered <= first < count and guess in (first, first - 1) and guess >= ordered:
                assert len(renders) <= ordered + 2, (first, guess, renders)  # a good guess: two renders confirm it


def _fitted_notes(content, targets, monkeypatch, tmp_path, search):
    """Render the fitted TARGETS with SEARCH; return each one's fitting notes and the renders it took."""
    options = RenderOptions(allow_missing=True)
    renders = [0]

    def counted(count, attempt, predict, *ordered, **hopeless):
        def tried(step):
            renders[0] += 1
            return attempt(step)
        return search(count, tried, predict, *ordered, **hopeless)

    monkeypatch.setattr(fitting, "first_fitting", counted)
    notes = {}
    for target in targets:
        extra = target.declaration.context(content, target, options, Kit(content, options))
        notes[target.name] = fitting.render_fitted(content, target, tmp_path / target.name, options, extra).notes
    return notes, renders[0]


def test_shipped_content_fits_at_the_same_steps_in_fewer_renders(monkeypatch, tmp_path):
    content = load_content(CONTENT, allow_missing=True)
    targets = select_targets(content.report, audiences=["onepager"], papers=["a4", "letter"], themes=["energy", "economic-security"])
    old, old_renders = _fitted_notes(content, targets, monkeypatch, tmp_path / "old", stepwise)
    new, new_renders = _fitted_notes(content, targets, monkeypatch, tmp_path / "new", first_fitting)
    assert any(old.values())  # some of these themes do need fitting
    assert new == old
    assert new_renders <= old_renders


def test_a_long_theme_fits_at_the_same_deep_step(monkeypatch, tmp_path):
    """A theme that fits only several steps down: the search lands where stepping would."""
    root = write_content(tmp_path / "c", REPORT, {"01-energy.yaml": crowded_theme(5, 4, 54, 18, "with a long title")})
    content = load_content(root, allow_missing=True)
    targets = select_targets(content.report, audiences=["onepager"], papers=["a4", "letter"])
    old, _ = _fitted_notes(content, targets, monkeypatch, tmp_path / "old", stepwise)
    new, _ = _fitted_notes(content, targets, monkeypatch, tmp_path / "new", first_fitting)
    assert sum("type" in note for notes in old.values() for note in notes) >= 2, old  # smaller type, several steps down
    assert new == old
