"""Find the first fitting step in few renders: predict it from the first render, then bisect.

The fitting steps are ordered so that each one makes the sheets shorter than the one before
(smaller type, then fewer parts), so "fits" is monotone in the step: once a step fits, every
later one does too. The first fitting step is then the one that fits while the step before it
does not. A render that does not fit measures how far the sheets run over; `predict` turns
that into a guess, and two more renders confirm it (the guess fits and the step before does
not, or the guess does not fit and the step after does). A wrong guess only costs a bisection
between the steps already known to fit and not to fit, never a different answer than trying
every step in order.
"""

from __future__ import annotations

from typing import Callable, TypeVar

R = TypeVar("R")


def first_fitting(count: int, attempt: Callable[[int], tuple[bool, R]], predict: Callable[[R], int], ordered: int = 1,
                  hopeless: Callable[[R], bool] = lambda _: False) -> tuple[int | None, R]:
    """Return the first of COUNT steps at which ATTEMPT fits, with its result (None and the last step's result if none does).

    ATTEMPT(i) renders step i and returns whether it fits and the rendering. The first ORDERED
    steps are tried in order (steps that leave parts out at the same type size, which a
    measurement of type cannot predict); PREDICT takes the rendering of the last of them and
    returns the step it expects to fit first. When HOPELESS says the first rendering is far
    over, the last step is tried next, so what cannot fit at all fails after two renders.
    """
    tried: dict[int, tuple[bool, R]] = {}

    def at(i: int) -> bool:
        if i not in tried:
            tried[i] = attempt(i)
        return tried[i][0]

    ordered = max(1, min(ordered, count))
    if not at(0) and count > 1 and hopeless(tried[0][1]) and not at(count - 1):
        return None, tried[count - 1][1]
    for step in range(ordered):
        if at(step):
            return step, tried[step][1]
    below, above = ordered - 1, count  # the last step known not to fit; the first known to fit (count: none yet)
    if below == count - 1:
        return None, tried[below][1]
    guess = min(max(predict(tried[below][1]), below + 1), count - 1)
    probes = [guess]
    while True:
        step = probes.pop(0) if probes else (below + above) // 2
        if at(step):
            above = step
        else:
            below = step
        if below == count - 1:
            return None, tried[below][1]
        if above == below + 1:
            return above, tried[above][1]
        if step == guess:  # confirm the guess from the side it fell on
            probes.append(step - 1 if step == above else step + 1)
