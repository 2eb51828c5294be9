"""Variants of chapter 2's data exercises (see :mod:`mle_lib.homework.variants`); no answers here."""

from __future__ import annotations

from typing import Any

from .variants import Draw, Recipe


def _second_day(d: Draw) -> dict[str, Any]:
    flips = d.integer(10, 80)
    return {"flips": flips, "heads": d.integer(1, flips - 1)}


def _like_the_first_day(flips: int, heads: int) -> str | None:
    """Why these parameters are degenerate (a known mistake would pass), or None.

    Averaging the two days' shares equals pooling them when both days show the same share (or have 14 flips each), and
    the share of tails equals the share of heads at ½.
    """
    pooled, averaged = (5 + heads) / (14 + flips), (5 / 14 + heads / flips) / 2
    if abs(averaged - pooled) < 0.02 * pooled:
        return "the two days' shares of heads are alike: averaging them would pass for pooling the flips"
    if abs(pooled - 0.5) < 0.01:
        return "half the flips are heads: the share of tails would pass"
    return None


def _experiments(d: Draw) -> dict[str, Any]:
    trials = d.integer(6, 40)
    return {"counts": d.integers(0, trials, 3), "trials": trials}


def _all_or_nothing(counts: list[int], trials: int) -> str | None:
    total = sum(counts)
    if total in (0, 3 * trials):
        return "θ̂ on the boundary (every trial a success, or none)"
    if abs(total / (3 * trials) - 0.5) < 0.01:
        return "half the trials are successes: the share of failures would pass"
    if abs(counts[-1] / 3 - total / (3 * trials)) < 0.01 * total / (3 * trials) or trials == 3:
        return "deck 2's x_N/N would pass"
    return None


def _coin(d: Draw) -> dict[str, Any]:
    flips = d.integer(12, 80)
    return {"flips": flips, "heads": d.integer(5, flips - 5)}


def _few_of_a_face(flips: int, heads: int) -> str | None:
    if min(heads, flips - heads) < 5:
        return "fewer than 5 heads or 5 tails: the normal approximation of a Wald interval is poor (it can pass 0 or 1)"
    return None


DRAWS = {
    # Your turn 2.1: deck 1's 14 flips (5 heads), then a second day of flips.
    "turn2.1": Recipe(
        draw=_second_day,
        demo={"flips": 10, "heads": 6},
        shown="the second day has {heads} heads in {flips} flips",
        degenerate=_like_the_first_day,
    ),
    # Exercise 2.2: three binomial experiments of the same number of trials.
    "ex2.2": Recipe(
        draw=_experiments,
        demo={"counts": [1, 2, 4], "trials": 5},
        shown="three experiments of m = {trials} trials each, with {counts} successes",
        degenerate=_all_or_nothing,
    ),
    # Exercise 2.3: a 95 % Wald interval for a coin (the demo: deck 1's 14 flips, 5 heads).
    "ex2.3": Recipe(
        draw=_coin,
        demo={"flips": 14, "heads": 5},
        shown="the coin shows {heads} heads in {flips} flips",
        degenerate=_few_of_a_face,
    ),
}
