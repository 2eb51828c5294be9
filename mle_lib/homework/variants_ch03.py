"""Variants of chapter 3's data exercises (see :mod:`mle_lib.homework.variants`); no answers here."""

from __future__ import annotations

from typing import Any

from .variants import Draw, Recipe

#: turn3.1 draws its λ outside this band around the peak of the chapter's day (its λ̂ = x̄, printed in the
#: chapter): nearer the peak the slope is nearly 0 and its sign, the point of the question, hard to read.
_NEAR_THE_PEAK = (2.1, 2.6)


def _slope_at(d: Draw) -> dict[str, Any]:
    return {"lam": d.uniform(0.5, 4.5, 2)}


def _near_the_peak(lam: float) -> str | None:
    if _NEAR_THE_PEAK[0] <= lam <= _NEAR_THE_PEAK[1]:
        return "λ near the peak of the day's ln L: the slope is nearly 0"
    return None


def _week(d: Draw) -> dict[str, Any]:
    hours = d.integer(30, 120)
    return {"total": d.integer(hours // 2, 4 * hours), "hours": hours}


def _like_our_day(total: int, hours: int) -> str | None:
    if abs(total / hours - 56 / 24) < 0.02:
        return "T/n within 0.02 of our day's x̄ = 56/24 (printed in the chapter), which a known mistake gives"
    return None


def _quiet_desk(d: Draw) -> dict[str, Any]:
    return {"lam": d.uniform(0.05, 0.6, 2), "hours": d.integer(3, 16)}


def _too_rare(lam: float, hours: int) -> str | None:
    if hours * lam > 3:
        return "nλ > 3: all-zero samples too rare for a simulation of 4000 samples to compare with"
    return None


DRAWS = {
    # Your turn 3.1: the slope of the chapter's day's ln L at a given λ (the demo: λ = 1).
    "turn3.1": Recipe(
        draw=_slope_at,
        demo={"lam": 1.0},
        shown="the slope at λ = {lam:g}",
        degenerate=_near_the_peak,
    ),
    # Exercise 3.1: the MLE from a total T over n hours (the demo: a second desk's week, 75 emails in 40 hours).
    "ex3.1": Recipe(
        draw=_week,
        demo={"total": 75, "hours": 40},
        shown="the second desk's week brought T = {total} emails in n = {hours} hours",
        degenerate=_like_our_day,
    ),
    # Exercise 3.2: the probability of an all-zero sample of n hours at rate λ (the demo: λ = 0.2, n = 5).
    "ex3.2": Recipe(
        draw=_quiet_desk,
        demo={"lam": 0.2, "hours": 5},
        shown="λ = {lam:g} emails per hour and n = {hours} hours",
        degenerate=_too_rare,
    ),
}
