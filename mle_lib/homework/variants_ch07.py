"""Variants of chapter 7's data exercises (see :mod:`mle_lib.homework.variants`); no answers here."""

from __future__ import annotations

from .variants import Draw, Recipe


def _prices(d: Draw) -> dict:
    return {"n_a": 50 * d.integer(4, 40), "n_b": 50 * d.integer(4, 40), "price": d.uniform(94.0, 96.0, 1)}


def _weights_matter(n_a: int, n_b: int, price: float) -> str | None:
    if abs(n_a - n_b) < 200:
        return "the companies' point counts differ by less than 200: the weights hardly matter"
    if max(n_a, n_b) > 5 * min(n_a, n_b):
        return "one company has more than five times the other's points"
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
