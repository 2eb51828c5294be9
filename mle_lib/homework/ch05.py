"""Exercises of chapter 5 (the uniform distribution: the MLE from order statistics, its bias, German tanks).

Every expected value is computed when the check runs, by :mod:`mle_lib` or :mod:`scipy.stats`; the
right choice of a prediction or derivation is stored only as a salted digest.

- ``turn5.1`` (code): ``uniform_mle_by_hand(x)`` returning (â, b̂), run against :func:`mle_lib.uniform_mle`.
- ``turn5.2`` (prediction): at n = 5, does x₍ₙ₎ or (n + 1)/n · x₍ₙ₎ have the smaller MSE?
- ``ex5.1`` (derivation → value): the MSE of the MSE-optimal c · x₍ₙ₎, c = (n + 2)/(n + 1), at the student's n
  and b (the demo: n = 5, b = 10).
- ``ex5.2`` (value): the bias of â = x₍₁₎ for the student's Uniform(a, b) and n (the demo: Uniform(2, 10), n = 3).
- ``ex5.3`` (value): German tanks, the pair (MLE of N, (n + 1)/n · x₍ₙ₎) for the student's serial numbers.
- ``ex5.4`` (derivation → choice): the MLE of θ for Uniform(θ, θ + 1).

ex5.1 to ex5.3 have a variant per student (:mod:`mle_lib.homework.variants_ch05`): ``expected`` and every
known mistake take the variant's parameters.
"""

from __future__ import annotations

import numpy as np
from scipy import stats

import mle_lib as ml

from . import Choice, Function, Value

__all__ = ["EXERCISES"]

_UNBIASED = "that is the bias-corrected estimator, not the MLE: which interval makes (b − a)⁻ⁿ largest?"
_MOMENTS = (
    "that is a method-of-moments estimate (centred on the mean); the MLE comes from the likelihood, "
    "which is zero as soon as one observation lies outside [a, b]."
)


def _scaled_max_mse(c: float, n: int, b: float) -> float:
    """MSE of c · X₍ₙ₎ for Uniform(0, b): X₍ₙ₎ ~ b · Beta(n, 1), moments from scipy.stats."""
    top = stats.beta(n, 1, scale=b)
    return float(c**2 * top.var() + (c * top.mean() - b) ** 2)


def _moments(x: np.ndarray, ddof: int) -> tuple[float, float]:
    mean, var = ml.normal_mle(x, ddof=ddof)  # (x̄, variance); a uniform has variance (b − a)²/12
    half = np.sqrt(3.0 * var)
    return mean - half, mean + half


def _uniform_cases(rng: np.random.Generator) -> list[tuple[np.ndarray]]:
    """24 samples from Uniform(a, b): sizes 2, 3, ten of 4 … 40 and twelve of 41 … 5000.

    a in [−50, 50], widths in [0.5, 30].
    """
    sizes = [2, 3, *(int(v) for v in rng.integers(4, 41, size=10)), *(int(v) for v in rng.integers(41, 5001, size=12))]
    cases = []
    for size in sizes:
        low = rng.uniform(-50, 50)
        cases.append((rng.uniform(low, low + rng.uniform(0.5, 30), size=size),))
    return cases


def _mle_n_tanks(serials: list[int]) -> float:
    return ml.uniform_mle(serials)[1]


def _discrete_correction(serials: list[int]) -> float:
    top = _mle_n_tanks(serials)
    return top + top / len(serials) - 1


EXERCISES: dict[str, Value | Choice | Function] = {
    "turn5.1": Function(
        reference=ml.uniform_mle,
        cases=_uniform_cases,
        what="a pair (â, b̂)",
        mistakes=[
            (ml.uniform_mle_unbiased, _UNBIASED),
            (lambda x: _moments(x, 0), _MOMENTS),
            (lambda x: _moments(x, 1), _MOMENTS),
            (lambda x: ml.uniform_mle(x)[::-1], "the order is (â, b̂): the lower end first."),
            (
                lambda x: (float(np.sort(x)[1]), float(np.sort(x)[-2])),
                "off by one: in numpy, sorted[0] is the smallest value and sorted[-1] the largest.",
            ),
        ],
    ),
    "turn5.2": Choice(
        answer_digest="a3861eae8e74ac6c4ac23eb9739e2e4beb3079cc3a205ae0581807f885c99361",
        options=["a", "b", "c"],
        hints={
            "a": "look at the table: the correction costs variance, but what does it save in bias²?",
            "c": "look at the table: the two MSEs are far apart.",
        },
    ),
    "ex5.1": Value(
        expected=lambda n, b: _scaled_max_mse((n + 2) / (n + 1), n, b),
        what="a number (an MSE)",
        # 3 significant figures; the unbiased estimator's MSE (a known mistake) is 1/(n(n + 2)) away: 2.9 % at
        # n = 5, 1.0 % at n = 9 (the variants' largest n)
        rtol=5e-3,
        mistakes=[
            (
                lambda n, b: _scaled_max_mse(1.0, n, b),
                "that is the MSE of the MLE x₍ₙ₎; use c = (n + 2)/(n + 1).",
            ),
            (
                lambda n, b: _scaled_max_mse((n + 1) / n, n, b),
                "that is the MSE of the unbiased (n + 1)/n · x₍ₙ₎; use c = (n + 2)/(n + 1).",
            ),
            (
                lambda n, b: _scaled_max_mse((n + 2) / (n + 1), n, b) / b**2,
                "that is MSE/b²; the question asks for the MSE itself, at your b.",
            ),
        ],
        hint="MSE = c² Var(X₍ₙ₎) + (c E[X₍ₙ₎] − b)², with X₍ₙ₎/b ~ Beta(n, 1).",
        close_advice="give the exact value: a simulation is not that precise",
    ),
    "ex5.2": Value(
        expected=lambda a, b, n: -ml.uniform_max_bias(n, a, b),
        what="a number (a bias)",
        # 5 % of the bias (b − a)/(n + 1) is 0.05 √(4000 (n + 2)/n) standard errors of a simulation of 4000
        # samples (the chapter's size): 4.1 at n = 3, 3.65 at n = 6 (the variants' largest n)
        rtol=0.05,
        mistakes=[
            (
                lambda a, b, n: ml.uniform_max_bias(n, a, b),
                "check the sign: can the sample minimum ever be below a?",
            ),
            (
                lambda a, b, n: -ml.uniform_max_bias(n - 1, a, b),
                "count the gaps: n points cut [a, b] into how many pieces?",
            ),
            (lambda a, b, n: -ml.uniform_max_bias(n, 0.0, 1.0), "scale by the width b − a of the interval."),
        ],
        hint="bias = E[X₍₁₎] − a; simulate with ml.simulate_estimator and compare with the order-statistic formula.",
        close_advice="simulate at least 4000 samples (the chapter's size), or use the order-statistic formula",
    ),
    "ex5.3": Value(
        expected=lambda serials: (_mle_n_tanks(serials), ml.uniform_upper_unbiased(serials)),
        what="a pair (MLE of N, (n + 1)/n · x₍ₙ₎)",
        integer=(True, False),  # N is a number of tanks; the corrected estimate need not be whole
        mistakes=[
            (
                lambda serials: (_mle_n_tanks(serials), _discrete_correction(serials)),
                "your second entry is the discrete correction; the question asks for the continuous (n + 1)/n · x₍ₙ₎.",
            ),
            (
                lambda serials: (ml.uniform_upper_unbiased(serials), _mle_n_tanks(serials)),
                "the order is (MLE, corrected estimate).",
            ),
            (
                lambda serials: (2 * np.mean(serials), ml.uniform_upper_unbiased(serials)),
                "your first entry is the method-of-moments estimate 2x̄; the MLE comes from the order statistics.",
            ),
        ],
        hint="the MLE makes (1/N)ⁿ largest among the N that allow every serial number seen.",
    ),
    "ex5.4": Choice(
        answer_digest="7fcdce207e9ca3a008545fffad1dad18cb77532e2807ffcb17d8021ef176cfc1",
        options=["a", "b", "c", "d"],
        hints={
            "a": "x₍₁₎ does maximise L, but is it the only θ that does? Draw L(θ).",
            "b": "x₍ₙ₎ − 1 does maximise L, but is it the only θ that does? Draw L(θ).",
            "d": "that is the method-of-moments estimate; is L higher there than at every other admissible θ?",
        },
    ),
}
