"""Exercises of chapter 4 (the normal distribution: μ̂ = x̄, σ̂² with divisor n, bias, MSE, Wald coverage).

Every expected value is computed when the check runs, by :mod:`mle_lib` or :mod:`scipy.stats`; the
right choice of a prediction is stored only as a salted digest.

- ``turn4.1`` (value): σ̂² of six readings, by hand.
- ``turn4.2`` (prediction): does the 95 % Wald interval for σ² cover 95 % of the time at n = 10?
- ``ex4.1`` (value): the exact MSE of (1/n)Σ(xᵢ − μ)² with μ known (the demo: n = 5, σ² = 4).
- ``ex4.2`` (derivation → value): the MSE of the divisor-(n + 1) estimator (the demo: n = 10, σ² = 4).
- ``ex4.3`` (value): the maximiser of the log-likelihood built on deck 1's printed density.
- ``ex4.4`` (code): ``normal_mle_by_hand(x)`` returning (μ̂, σ̂²), run against :func:`mle_lib.normal_mle`.

The values take the student's variant (:mod:`mle_lib.homework.variants_ch04`): the readings of turn4.1 and
ex4.3 (the demo: :data:`READINGS`), and the n and σ² of ex4.1 and ex4.2.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import stats

import mle_lib as ml

from .._gaussian import LOG_2PI
from . import Choice, Function, Value
from .variants_ch04 import READINGS

__all__ = ["EXERCISES", "READINGS"]

_N_MINUS_1 = "you divided by n − 1: that is the unbiased estimator; the MLE divides by n."


def _divisor_mse(n: int, divisor: float, var: float) -> float:
    """MSE of (1/c)Σ(xᵢ − x̄)² for N(μ, σ²) data: Σ(xᵢ − x̄)² = σ²·χ²ₙ₋₁, so use scipy's χ² moments."""
    chi2 = stats.chi2(n - 1)
    mean, variance = var * chi2.mean() / divisor, var**2 * chi2.var() / divisor**2
    return float(variance + (mean - var) ** 2)


def _known_mean_mse(n: int, var: float) -> float:
    """MSE of (1/n)Σ(xᵢ − μ)² with μ known: σ²·χ²ₙ/n is unbiased, so its MSE is its variance."""
    return float(var**2 * stats.chi2(n).var() / n**2)


def _slide_maximiser(x: Sequence[float]) -> float:
    """Maximiser over v of Σ ln[exp(−(xᵢ − x̄)²/(2v)) / (√(2π) v)], found numerically (no closed form used)."""
    arr = np.asarray(x)
    mean = arr.mean()

    def neg(v: float) -> float:
        return float(np.sum((arr - mean) ** 2) / (2 * v) + arr.size * (0.5 * LOG_2PI + np.log(v)))

    from scipy.optimize import minimize_scalar

    return float(minimize_scalar(neg, bounds=(1e-6, 100.0), method="bounded", options={"xatol": 1e-10}).x)


def _normal_cases(rng: np.random.Generator) -> list[tuple[np.ndarray]]:
    """24 samples: sizes 2, 3, 5, nine of 3 … 40 and twelve of 41 … 5000.

    Means in [−20, 20], standard deviations in [0.1, 10].
    """
    sizes = [2, 3, 5, *rng.integers(3, 41, size=9).tolist(), *rng.integers(41, 5001, size=12).tolist()]
    return [(rng.normal(rng.uniform(-20, 20), rng.uniform(0.1, 10), size=size),) for size in sizes]


EXERCISES: dict[str, Value | Choice | Function] = {
    "turn4.1": Value(
        expected=lambda readings: ml.normal_mle(readings)[1],
        what="a number (the variance estimate σ̂²)",
        mistakes=[
            (lambda readings: ml.normal_mle(readings, ddof=1)[1], _N_MINUS_1),
            (
                lambda readings: np.sqrt(ml.normal_mle(readings)[1]),
                "that is σ̂, the standard deviation: the question asks for the variance.",
            ),
            (lambda readings: ml.normal_mle(readings)[0], "that is the mean μ̂; the question asks for σ̂²."),
        ],
        hint="compare with the θ₂ equation of the derivation above: which divisor does it give?",
    ),
    "turn4.2": Choice(
        answer_digest="7fcdce207e9ca3a008545fffad1dad18cb77532e2807ffcb17d8021ef176cfc1",
        options=["a", "b", "c"],
        hints={
            "a": "look at the n = 10 row of the table: the asymptotic promise is not kept at small n.",
            "b": "look at the n = 10 row of the table, and at which way σ̂² is biased.",
        },
    ),
    "ex4.1": Value(
        expected=lambda n, var: _known_mean_mse(n, var),
        what="a number (an MSE)",
        rtol=0.01,
        mistakes=[
            (
                lambda n, var: _divisor_mse(n, n, var),
                "that is the MSE of σ̂², which measures from x̄; here μ is known.",
            ),
            (
                lambda n, var: _divisor_mse(n, n - 1, var),
                "that is the MSE of s² (divisor n − 1, from x̄); here μ is known.",
            ),
            (
                lambda n, var: 0.0,
                "unbiased is not the same as exact: the MSE of an unbiased estimator is its variance.",
            ),
        ],
        hint="the estimator is unbiased, so its MSE is its variance; simulate with many samples to confirm.",
        close_advice="give the exact value: a simulation is not that precise",
    ),
    "ex4.2": Value(
        expected=lambda n, var: _divisor_mse(n, n + 1, var),
        what="a number (an MSE)",
        mistakes=[
            (
                lambda n, var: _divisor_mse(n, n, var),
                "that is the MSE of the divisor n (the MLE); the question asks n + 1.",
            ),
            (
                lambda n, var: _divisor_mse(n, n - 1, var),
                "that is the MSE of the divisor n − 1; the question asks n + 1.",
            ),
            (
                lambda n, var: _divisor_mse(5, 6, var),
                "that is n = 5 (the simulation's, and the widget's default); the question asks for your n.",
            ),
            (lambda n, var: _divisor_mse(n, n + 1, var) / var**2, "that is MSE/σ⁴; multiply by σ⁴ = (σ²)²."),
        ],
        hint="MSE = bias² + variance, with Σ(xᵢ − x̄)² = σ² times a χ² variable with n − 1 degrees of freedom.",
    ),
    "ex4.3": Value(
        expected=lambda readings: _slide_maximiser(readings),
        what="a number (the maximising variance)",
        mistakes=[
            (
                lambda readings: ml.normal_mle(readings)[1],
                "that is the MLE of the correct likelihood: build ln L from the slide's printed density.",
            ),
            (
                lambda readings: ml.normal_mle(readings, ddof=1)[1] / 2,
                "close, but your sum of squares was divided by n − 1 somewhere: the MLE route divides by n.",
            ),
            (
                lambda readings: np.sqrt(_slide_maximiser(readings)),
                "that is a standard deviation; the question asks for the variance v that maximises.",
            ),
        ],
        hint="maximise Σ ln slide_density(xᵢ, x̄, v) over v on a fine grid or with scipy.optimize.",
    ),
    "ex4.4": Function(
        reference=ml.normal_mle,
        cases=_normal_cases,
        what="a pair (μ̂, σ̂²)",
        mistakes=[
            (lambda x: ml.normal_mle(x, ddof=1), _N_MINUS_1),
            (
                lambda x: (ml.normal_mle(x)[0], np.sqrt(ml.normal_mle(x)[1])),
                "your second entry is σ̂, the standard deviation: return the variance σ̂².",
            ),
            (
                lambda x: (ml.normal_mle(x)[1], ml.normal_mle(x)[0]),
                "the order is (μ̂, σ̂²): mean first.",
            ),
        ],
        rtol=1e-7,
    ),
}
