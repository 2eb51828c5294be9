"""Variants of chapter 4's data exercises (see :mod:`mle_lib.homework.variants`); no answers here."""

from __future__ import annotations

from collections.abc import Callable
from statistics import pvariance, variance
from typing import Any

from .variants import Draw, Recipe

#: The chapter's six sensor readings: the demo student's sample of turn4.1 and ex4.3.
READINGS = (4.1, 5.3, 6.0, 4.8, 5.5, 3.9)


def _six_readings(d: Draw) -> dict[str, Any]:
    """Six readings of a sensor, to one decimal, around a level in [3, 8] with a spread in [0.4, 1.5]."""
    level, spread = d.uniform(3.0, 8.0, 1), d.uniform(0.4, 1.5, 2)
    return {"readings": d.normal(level, spread, 6, decimals=1)}


def _too_alike(readings: list[float]) -> str | None:
    if len(set(readings)) < 4:
        return "fewer than four different readings among the six"
    spreads = (pvariance(readings), variance(readings))
    if any(abs(s * f - 1) < 0.02 for s in spreads for f in (1, 0.5)):
        # a variance near 1 equals its square root: a known mistake (a standard deviation) would be right
        return "a measure of the readings' spread is near 1, where a variance and its square root agree"
    return None


def _mse_setting(low: int, high: int) -> Callable[[Draw], dict[str, Any]]:
    """A sample size in [low, high] and a variance σ² in [1.5, 9] (one decimal)."""

    def draw(d: Draw) -> dict[str, Any]:
        return {"n": d.integer(low, high), "var": d.uniform(1.5, 9.0, 1)}

    return draw


DRAWS = {
    # Your turn 4.1: σ̂² of six readings by hand.
    "turn4.1": Recipe(
        draw=_six_readings,
        demo={"readings": list(READINGS)},
        shown="six readings {readings}",
        degenerate=_too_alike,
    ),
    # Exercise 4.1: the exact MSE of (1/n)Σ(xᵢ − μ)² with μ known (the demo: n = 5, σ² = 4).
    "ex4.1": Recipe(
        draw=_mse_setting(3, 30),
        demo={"n": 5, "var": 4.0},
        shown="n = {n}, σ² = {var:g}",
    ),
    # Exercise 4.2: the exact MSE of the divisor-(n + 1) estimator (the demo: n = 10, σ² = 4). Not n = 5, the
    # simulation's n, which a known mistake uses.
    "ex4.2": Recipe(
        draw=_mse_setting(6, 40),
        demo={"n": 10, "var": 4.0},
        shown="n = {n}, σ² = {var:g}",
    ),
    # Exercise 4.3: the maximiser of ln L built on deck 1's printed density, for six readings.
    "ex4.3": Recipe(
        draw=_six_readings,
        demo={"readings": list(READINGS)},
        shown="six readings {readings}",
        degenerate=_too_alike,
    ),
}
