"""Variants of chapter 6's data exercises (see :mod:`mle_lib.homework.variants`); no answers here."""

from __future__ import annotations

from typing import Any

from .variants import Draw, Recipe


def _lopsided_hat(d: Draw) -> dict[str, Any]:
    pink = d.integer(2, 20)
    return {"pink": pink, "blue": d.integer(1, pink // 2), "x": d.uniform(5.0, 6.2, 3)}


def _not_lopsided(pink: int, blue: int, x: float) -> str | None:
    if 2 * blue > pink:
        return "fewer than twice as many pink slips as blue: the prior hardly matters"
    if not 4.9 <= x <= 6.2:
        return "the reading is too far beyond the midpoint 5: the prior would hardly matter"
    return None


def _game(d: Draw) -> dict[str, Any]:
    return {
        "margin": d.uniform(0.2, 1.0, 1),
        "sigma": d.uniform(0.5, 3.0, 1),
        "target": d.choice([0.9, 0.95, 0.98, 0.99]),
    }


def _too_easy(margin: float, sigma: float, target: float) -> str | None:
    if sigma < 1.5 * margin:
        return "σ < 1.5 × the margin: a handful of draws would do"
    return None


def _spreads(d: Draw) -> dict[str, Any]:
    pink = d.uniform(0.5, 1.5, 1)
    return {"sigma_pink": pink, "sigma_blue": d.uniform(pink + 1.0, 4.0, 1)}


def _spreads_close(sigma_pink: float, sigma_blue: float) -> str | None:
    if sigma_blue - sigma_pink < 1.0:
        return "σ_blue − σ_pink < 1: the second crossing runs far out"
    return None


DRAWS = {
    # Exercise 6.1: a hat with fewer blue slips than pink, and the reading of the slip drawn.
    "ex6.1": Recipe(
        draw=_lopsided_hat,
        demo={"pink": 3, "blue": 1, "x": 6.001},
        shown="the hat holds {pink} pink slips and {blue} blue; the slip drawn reads X = {x}",
        degenerate=_not_lopsided,
    ),
    # Exercise 6.2: the two-secrets game, each average within ±margin, draws of sd sigma, success ≥ target.
    "ex6.2": Recipe(
        draw=_game,
        demo={"margin": 0.5, "sigma": 1, "target": 0.99},
        shown="both averages within ±{margin} of their secrets, draws with σ = {sigma}, probability ≥ {target}",
        degenerate=_too_easy,
    ),
    # Exercise 6.3: the slips' two spreads (equal priors), pink the narrower.
    "ex6.3": Recipe(
        draw=_spreads,
        demo={"sigma_pink": 1, "sigma_blue": 3},
        shown="σ_pink = {sigma_pink}, σ_blue = {sigma_blue}",
        degenerate=_spreads_close,
    ),
}
