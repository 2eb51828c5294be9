"""Exercises of chapter 9 (EM beyond Gaussians: the two-coins problem).

The student writes the E-step of the two-coins model (responsibilities from binomial likelihoods, equal
priors), run against :func:`mle_lib.binomial_e_step` on fresh random cases. The end-of-chapter exercises
are numbers the library computes when the check runs (the complete-data MLE with a sixth set, one EM
iteration from another start, the mixing weight when it is set free) and a choice about a start on the
diagonal θ_A = θ_B. The sixth set (ex9.1) and the start (ex9.2) are each student's own
(:mod:`mle_lib.homework.variants_ch09`); the mixing weight (ex9.3) depends on the paper's five sets alone and
is the same for everyone.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from mle_lib import binomial_mixture as bm
from mle_lib import datasets
from mle_lib.homework import Choice, Function, Value

_H, _N = datasets.TWO_COINS_HEADS, datasets.TWO_COINS_TOSSES

# ---------------------------------------------------------------------------------------------
# turn9.1: the E-step
# ---------------------------------------------------------------------------------------------


def _e_cases(rng: np.random.Generator) -> list[tuple[Any, ...]]:
    """24 cases: sets of 5 … 30 tosses; 12 cases of 3 … 8 sets and 12 of 41 … 2000 sets."""
    out = []
    for i in range(24):
        n = int(rng.integers(5, 31))
        heads = rng.integers(0, n + 1, size=int(rng.integers(41, 2001)) if i % 2 else int(rng.integers(3, 9)))
        ta, tb = rng.uniform(0.05, 0.95, 2)
        out.append((heads, n, float(ta), float(tb)))
    return out


def _e_ref(heads: np.ndarray, n: int, ta: float, tb: float) -> np.ndarray:
    return bm.binomial_e_step(heads, n, [ta, tb])[0]


def _e_heads_only(heads: np.ndarray, n: int, ta: float, tb: float) -> np.ndarray:
    h = np.asarray(heads, dtype=float)
    joint = np.array([ta**h, tb**h])
    return joint / joint.sum(axis=0)


def _e_rows_normalised(heads: np.ndarray, n: int, ta: float, tb: float) -> np.ndarray:
    joint = np.exp(bm.binomial_log_pmf(heads, n, [ta, tb]))
    return joint / joint.sum(axis=1, keepdims=True)


def _e_unnormalised(heads: np.ndarray, n: int, ta: float, tb: float) -> np.ndarray:
    return np.exp(bm.binomial_log_pmf(heads, n, [ta, tb]))


# ---------------------------------------------------------------------------------------------
# ex9.1 – ex9.4
# ---------------------------------------------------------------------------------------------


def _known(coin: str) -> list[int]:
    return [h for h, c in zip(_H, datasets.TWO_COINS_LABELS, strict=True) if c == coin]


def _complete_data(coin: str, tosses: int, heads: int) -> np.ndarray:
    """(θ̂_A, θ̂_B) with the coins known: the paper's five sets and ex9.1's sixth.

    The sixth is ``heads`` in ``tosses`` made with ``coin`` (the student's variant, mle_lib.homework.variants_ch09; the
    demo: coin B, 4 heads in 10).
    """
    labels = [*datasets.TWO_COINS_LABELS, coin]
    onehot = np.array([[c == "A" for c in labels], [c == "B" for c in labels]], float)
    return bm.binomial_m_step([*_H, heads], [*(_N for _ in _H), tosses], onehot)[0]


def _sixth_coin(coin: str, tosses: int, heads: int) -> float:
    """ex9.1's answer: θ̂ of the coin that made the sixth set."""
    return float(_complete_data(coin, tosses, heads)["AB".index(coin)])


def _other_coin(coin: str, tosses: int, heads: int) -> float:
    return float(_complete_data(coin, tosses, heads)[1 - "AB".index(coin)])


def _one_iteration(start: tuple[float, float]) -> np.ndarray:
    return bm.binomial_em(_H, _N, start, fix_weights=True, tol=0.0, max_iter=1).thetas


def _hard_iteration(start: tuple[float, float]) -> np.ndarray:
    """Each set wholly to its more likely coin (a tie to coin A); nan where a coin gets no set."""
    resp = bm.binomial_e_step(_H, _N, start)[0]
    hard = np.eye(2)[:, resp.argmax(axis=0)]
    if not hard.sum(axis=1).all():
        return np.full(2, np.nan)
    return bm.binomial_m_step(_H, _N, hard)[0]


def _converged(start: tuple[float, float]) -> np.ndarray:
    return bm.binomial_em(_H, _N, start, fix_weights=True, tol=1e-10).thetas


def _free_weights() -> bm.BinomialEMResult:
    return bm.binomial_em(_H, _N, datasets.TWO_COINS_START, tol=1e-12)


EXERCISES: dict[str, Value | Choice | Function] = {
    "turn9.1": Function(
        reference=_e_ref,
        cases=_e_cases,
        what="responsibilities of shape (2, n): row 0 holds P(coin A | set i), row 1 P(coin B | set i)",
        mistakes=[
            (
                _e_heads_only,
                "you kept θ^h but left out the tails' factor (1 − θ)^(m − h): a set's likelihood under a coin "
                "is the probability of its heads *and* its tails.",
            ),
            (
                _e_rows_normalised,
                "each column (one set) must sum to 1 over the two coins; you normalised each row (one coin) "
                "over the sets.",
            ),
            (
                _e_unnormalised,
                "those are the likelihoods Bin(hᵢ | m, θⱼ): divide each column by its sum (Bayes' rule).",
            ),
        ],
    ),
    "ex9.1": Value(  # coin, tosses, heads: the student's sixth set (mle_lib.homework.variants_ch09)
        expected=_sixth_coin,
        what="a probability θ̂ (of the coin that made the sixth set)",
        mistakes=[
            (_other_coin, "that is the other coin's estimate; the question asks for the coin that made the sixth set."),
            (
                lambda coin, tosses, heads: sum(_known(coin)) / (_N * len(_known(coin))),
                "that is the estimate from the paper's five sets alone; add the sixth set to its coin's sets.",
            ),
            (
                lambda coin, tosses, heads: (sum(_known(coin)) + heads) / (_N * len(_H) + tosses),
                "you divided the coin's heads by the tosses of all six sets; divide by the tosses made with that coin.",
            ),
        ],
        hint="with the coins known, each coin's MLE is its heads over its own tosses (chapter 2).",
    ),
    "ex9.2": Value(  # theta_a, theta_b: the student's start (mle_lib.homework.variants_ch09)
        expected=lambda theta_a, theta_b: _one_iteration((theta_a, theta_b)),
        what="a pair (θ_A, θ_B)",
        mistakes=[
            (
                lambda theta_a, theta_b: _one_iteration((theta_a, theta_b))[::-1],
                "you swapped the coins: give (θ_A, θ_B) in that order.",
            ),
            (
                lambda theta_a, theta_b: _hard_iteration((theta_a, theta_b)),
                "that gives each set wholly to its more likely coin (hard EM); EM splits each set by its "
                "responsibilities.",
            ),
            (
                lambda theta_a, theta_b: _converged((theta_a, theta_b)),
                "that is where EM ends after many iterations; the question asks for the point after one.",
            ),
        ],
        hint="one E-step at your start, then the weighted MLEs Σ γ h / Σ γ m.",
    ),
    "ex9.3": Value(
        expected=lambda: _free_weights().weights[0],
        what="a probability π_A",
        mistakes=[
            (lambda: 0.5, "that is the fixed weight of the paper's model: pass fix_weights=False."),
            (lambda: _free_weights().weights[1], "that is π_B; the question asks for coin A's weight."),
        ],
        hint="run ml.binomial_em from the paper's start with free weights and read result.weights.",
    ),
    "ex9.4": Choice(
        answer_digest="7fcdce207e9ca3a008545fffad1dad18cb77532e2807ffcb17d8021ef176cfc1",
        options=["a", "b", "c"],
        hint="compute the first E-step by hand: with θ_A = θ_B, what is P(coin A | set) for every set?",
    ),
}
