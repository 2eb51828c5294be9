"""Variants of chapter 5's data exercises (see :mod:`mle_lib.homework.variants`); no answers here."""

from __future__ import annotations

from typing import Any

from .variants import Draw, Recipe


def _mse_setting(d: Draw) -> dict[str, Any]:
    return {"n": d.integer(3, 9), "b": d.uniform(5.0, 30.0, 1)}


def _unbiased_too_close(n: int, b: float) -> str | None:
    # at large n the unbiased (n + 1)/n · x₍ₙ₎ comes within 1 % of the optimum: the two would not be told apart
    if n > 9:
        return "n > 9: the unbiased estimator's MSE is within 1 % of the optimum's"
    return None


def _interval(d: Draw) -> dict[str, Any]:
    a = d.uniform(-5.0, 5.0, 1)
    return {"a": a, "b": round(a + d.uniform(3.0, 20.0, 1), 1), "n": d.integer(2, 6)}


def _interval_problem(a: float, b: float, n: int) -> str | None:
    if b - a < 3:
        return "b − a < 3: too close to the unit interval (a known mistake forgets to scale by b − a)"
    if n > 6:
        return "n > 6: the tolerance would cover less than 3.6 standard errors of a 4000-sample simulation"
    return None


def _serials(d: Draw) -> dict[str, Any]:
    tanks = d.integer(60, 140)
    return {"serials": sorted(d.sample(range(1, tanks + 1), d.integer(4, 8)))}


def _serials_problem(serials: list[int]) -> str | None:
    top, n = max(serials), len(serials)
    if abs(2 * sum(serials) / n - top) < 1:
        return "2x̄ (the method-of-moments estimate) is within 1 of the largest serial"
    if (n + 1) / n * top >= 180:
        return "the discrete and the continuous corrections (1 apart) would agree to 3 significant figures"
    return None


DRAWS = {
    # Exercise 5.1: the MSE of (n + 2)/(n + 1) · x₍ₙ₎ for Uniform(0, b).
    "ex5.1": Recipe(
        draw=_mse_setting,
        demo={"n": 5, "b": 10},
        shown="n = {n} draws from Uniform(0, b) with b = {b}",
        degenerate=_unbiased_too_close,
    ),
    # Exercise 5.2: the bias of â = x₍₁₎ for Uniform(a, b), simulated at the chapter's size.
    "ex5.2": Recipe(
        draw=_interval,
        demo={"a": 2, "b": 10, "n": 3},
        shown="samples of n = {n} from Uniform(a, b) with (a, b) = ({a}, {b})",
        degenerate=_interval_problem,
    ),
    # Exercise 5.3: German tanks, the serial numbers of the captured tanks (numbered 1 … N).
    "ex5.3": Recipe(
        draw=_serials,
        demo={"serials": [19, 40, 42, 60, 113]},
        shown="the captured tanks carry serial numbers {serials}",
        degenerate=_serials_problem,
    ),
}
