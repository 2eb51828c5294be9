"""Variants of chapter 9's data exercises (see :mod:`mle_lib.homework.variants`); no answers here.

Both exercises keep the paper's five sets (Do & Batzoglou's 5, 9, 8, 4, 7 heads in ten tosses, coins B, A, A,
B, A): ex9.1 varies the sixth set added to them, ex9.2 the start of one EM iteration. Exercise 9.3 (the
weight π_A with the weights free) is the same for everyone: it depends on the paper's five sets alone (its
start only decides which coin is called A), so a variant would need another data set.
"""

from __future__ import annotations

from typing import Any

from mle_lib import datasets

from .variants import Draw, Recipe

#: The paper's sets per coin, as heads and tosses: {"A": (24, 30), "B": (9, 20)}.
_PAPER = {
    coin: (
        sum(h for h, c in zip(datasets.TWO_COINS_HEADS, datasets.TWO_COINS_LABELS, strict=True) if c == coin),
        datasets.TWO_COINS_TOSSES * datasets.TWO_COINS_LABELS.count(coin),
    )
    for coin in "AB"
}

#: Where EM from the paper's data ends with the weights held at ½ (the chapter's (0.80, 0.52) and its mirror).
_TOPS = ((0.80, 0.52), (0.52, 0.80))


def _sixth_set(d: Draw) -> dict[str, Any]:
    # an odd number of tosses (5, 7, …, 29): the pooled tosses are then odd too, and no student's θ̂ is the
    # round 1/2 that a class would otherwise share (3 % of it)
    tosses = 2 * d.integer(2, 14) + 1
    return {"coin": d.choice("AB"), "tosses": tosses, "heads": d.integer(2, tosses - 1)}  # "2 heads", never "1 heads"


def _sixth_set_problem(coin: str, tosses: int, heads: int) -> str | None:
    paper_heads, paper_tosses = _PAPER[coin]
    # the sixth set moves the coin's share of heads from h/n to (h + heads)/(n + tosses): by
    # |heads·n − h·tosses| / (n (h + heads)) of the new share
    shift = abs(heads * paper_tosses - paper_heads * tosses) / (paper_tosses * (paper_heads + heads))
    if shift < 0.02:
        return f"the sixth set moves coin {coin}'s share of heads by less than 2 %: the paper's five sets would pass"
    return None


def _start(d: Draw) -> dict[str, Any]:
    return {"theta_a": d.uniform(0.2, 0.85), "theta_b": d.uniform(0.2, 0.85)}


def _start_problem(theta_a: float, theta_b: float) -> str | None:
    gap = round(abs(theta_a - theta_b), 2)  # (the θs have two decimals: no 0.35000000000000003)
    if gap < 0.15:
        return "the start is within 0.15 of the diagonal θ_A = θ_B, where the two coins cannot be told apart"
    if gap > 0.35:
        return "the start's θs are more than 0.35 apart: responsibilities near 0 and 1, so hard EM would pass"
    if any(max(abs(theta_a - a), abs(theta_b - b)) <= 0.1 for a, b in _TOPS):
        return "the start is within 0.1 of a top of ln L: one iteration hardly moves it"
    return None


DRAWS = {
    # Exercise 9.1: the coins known, a sixth set (its coin, tosses and heads) joins the paper's five.
    "ex9.1": Recipe(
        draw=_sixth_set,
        demo={"coin": "B", "tosses": 10, "heads": 4},
        shown="the sixth set, made with coin {coin}, shows {heads} heads in {tosses} tosses",
        degenerate=_sixth_set_problem,
    ),
    # Exercise 9.2: one EM iteration (weights held at ½) from a start (θ_A, θ_B) off the diagonal.
    "ex9.2": Recipe(
        draw=_start,
        demo={"theta_a": 0.4, "theta_b": 0.7},
        shown="start EM at θ_A = {theta_a}, θ_B = {theta_b}",
        degenerate=_start_problem,
    ),
}
