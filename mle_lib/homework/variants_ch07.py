"""Variants of chapter 7's data exercises (see :mod:`mle_lib.homework.variants`); no answers here."""

from __future__ import annotations

import math

from .variants import Draw, Recipe


def _prices(d: Draw) -> dict:
    # Not Rs. 95 ± 0.1 (the demo's price): there the densities (almost) cancel and γ_B is the prior τ_B itself,
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
