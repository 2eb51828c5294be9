"""Variants of chapter 7's data exercises (see :mod:`mle_lib.homework.variants`); no answers here."""

from __future__ import annotations

import math
from typing import Any

from .variants import Draw, Recipe


def _prices(d: Draw) -> dict[str, Any]:
    # Not Rs. 95 ± 0.1 (the demo's price): there the densities (almost) cancel and γ_B is the prior π_B itself,
    # so the shortcut the exercise warns about would pass.
    price = d.choice([d.uniform(94.0, 94.8, 1), d.uniform(95.2, 96.0, 1)])
    return {"n_a": 50 * d.integer(4, 40), "n_b": 50 * d.integer(4, 40), "price": price}


def _weights_matter(n_a: int, n_b: int, price: float) -> str | None:
    if abs(n_a - n_b) < 200:
        return "the companies' point counts differ by less than 200: the weights hardly matter"
    if max(n_a, n_b) > 5 * min(n_a, n_b):
        return "one company has more than five times the other's points"
    # With A ~ N(100, 2²) and B ~ N(90, 2²), the log-odds of B at a price x are ln(n_B / n_A) − 2.5 (x − 95);
    # near 0 the two responsibilities are both about ½, and answering A's would pass.
    if abs(math.log(n_b / n_a) - 2.5 * (price - 95.0)) < 0.05:
        return "the price makes the two companies equally likely: A's responsibility would pass for B's"
    if not 94.0 <= price <= 96.0:
        return "the price is more than Rs. 1 from the midpoint 95: one company all but certain"
    return None


DRAWS = {
    # Exercise 7.1: deck 2's share prices, A ~ N(100, 2²) and B ~ N(90, 2²): the point counts and a price.
    "ex7.1": Recipe(
        draw=_prices,
        demo={"n_a": 1000, "n_b": 800, "price": 95},
        shown="company A has {n_a} points, company B {n_b}; the price observed is Rs. {price}",
        degenerate=_weights_matter,
    ),
}


def _counts(d: Draw) -> dict[str, Any]:
    # n points (a whole number) and the effective counts n_1, n_2 of two of three components (one decimal);
    # n_3 = n − n_1 − n_2 is left for the student to see
    n = 10 * d.integer(30, 300)
    n_1 = d.uniform(0.15 * n, 0.45 * n, 1)
    n_2 = d.uniform(0.1 * n, 0.8 * n - n_1, 1)
    return {"n_1": n_1, "n_2": n_2, "n": n}


def _counts_problem(n_1: float, n_2: float, n: int) -> str | None:
    if abs(n_2 / n - 1 / 3) < 0.03:
        return "π_2 is within 0.03 of 1/K = 1/3: the 'equal weights' mistake would pass"
    if min(n_1, n_2, n - n_1 - n_2) < 0.05 * n:
        return "a component holds less than 5 % of the points"
    return None


def _mixture(d: Draw) -> dict[str, Any]:
    mu_1 = d.uniform(160.0, 168.0, 1)
    return {
        "pi_1": d.choice([d.uniform(0.15, 0.4, 2), d.uniform(0.6, 0.85, 2)]),
        "mu_1": mu_1,
        "mu_2": round(mu_1 + d.uniform(9.0, 16.0, 1), 1),
        "sigma": d.uniform(4.0, 8.0, 1),
    }


def _boundary_problem(pi_1: float, mu_1: float, mu_2: float, sigma: float) -> str | None:
    shift = sigma**2 * math.log(pi_1 / (1 - pi_1)) / (mu_2 - mu_1)
    if abs(shift) < 1.0:
        return "the weights move the boundary by less than 1: ignoring them would nearly pass"
    if abs(shift) > 0.5 * (mu_2 - mu_1):
        return "the boundary lies outside the two means: one component all but absent"
    return None


DRAWS["ex7.5"] = Recipe(
    draw=_counts,
    demo={"n_1": 212.6, "n_2": 341.9, "n": 740},
    shown="n = {n} points; the E-step's effective counts are n_1 = {n_1} and n_2 = {n_2} (n_3 is the rest)",
    degenerate=_counts_problem,
)
DRAWS["ex7.6"] = Recipe(
    draw=_mixture,
    demo={"pi_1": 0.7, "mu_1": 165.0, "mu_2": 178.0, "sigma": 7.0},
    shown="π_1 = {pi_1}, μ_1 = {mu_1} cm, μ_2 = {mu_2} cm, common σ = {sigma} cm",
    degenerate=_boundary_problem,
)
