"""Variants of chapter 1's data exercises (see :mod:`mle_lib.homework.variants`); no answers here."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .variants import Draw, Recipe


def _flips(low: int, high: int) -> Callable[[Draw], dict[str, Any]]:
    """A sequence of ``low`` to ``high`` flips of a coin whose bias is drawn in [0.15, 0.85]."""

    def draw(d: Draw) -> dict[str, Any]:
        n = d.integer(low, high)
        return {"flips": d.flips(n, d.uniform(0.15, 0.85))}

    return draw


def _one_face(flips: str) -> str | None:
    if len(set(flips)) < 2:
        return "all heads or all tails: θ̂ on the boundary"
    return None


def _one_face_or_fair(flips: str) -> str | None:
    if 2 * flips.count("H") == len(flips):
        return "as many heads as tails: θ̂ = 1/2, the answer a guess of a fair coin gets right"
    return _one_face(flips)


def _fair_ratio(flips: str) -> str | None:
    if 2 * flips.count("H") == len(flips):
        return "as many heads as tails: θ̂ = 1/2 is the fair coin itself, and the ratio is 1"
    if 5 * flips.count("H") == 4 * len(flips) and flips != "HHTHH":
        return "θ̂ = 4/5, HHTHH's: a known mistake (HHTHH's θ̂ for the student's own) would be right"
    return _one_face(flips)


DRAWS = {
    # Your turn 1.1: how many times as likely are the flips under θ̂ as under a fair coin (deck 1's HHTHH).
    "turn1.1": Recipe(
        draw=_flips(6, 24),
        demo={"flips": "HHTHH"},
        shown="the flips {flips}",
        degenerate=_fair_ratio,
    ),
    # Exercise 1.1: the MLE of a short sequence, without computing (the chapter's TTHTT, HHTHH mirrored).
    "ex1.1": Recipe(
        draw=_flips(8, 30),
        demo={"flips": "TTHTT"},
        shown="the flips {flips}",
        degenerate=_one_face_or_fair,
    ),
}
