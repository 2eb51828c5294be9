"""Order statistics of a Uniform(a, b) sample, and the MLE of (a, b) they give.

Session 15 ("MLEs for the uniform distribution") shows that for x₁ … xₙ from Uniform(a, b)

    L(a, b) = (b − a)^(−n)   when a ≤ x₍₁₎ and x₍ₙ₎ ≤ b   (and 0 otherwise),

so calculus fails (d ln L/da = n/(b − a) is never 0) and the "order statistic principle" gives
â = x₍₁₎ = min xᵢ and b̂ = x₍ₙ₎ = max xᵢ: the narrowest interval that still contains the data.

This module gives the sampling distribution of those two order statistics, the bias it implies
(the MLE interval is always too narrow) and the estimators corrected to be unbiased — the deck's
"properties of a good estimator" (unbiased, consistent) on the simplest example where the MLE is
biased for every n.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from ._checks import as_float_array, as_sample, check_int

__all__ = [
    "uniform_min_pdf",
    "uniform_max_pdf",
    "uniform_max_expectation",
    "uniform_max_bias",
    "uniform_mle_unbiased",
    "uniform_upper_unbiased",
]


def _check_bounds(low: float, high: float) -> tuple[float, float]:
    """Finite scalars with low < high, as floats."""
    a = float(as_float_array(low, "low", ndim=0))
    b = float(as_float_array(high, "high", ndim=0))
    if not b > a:
        raise ValueError(f"high must be > low; got low={a}, high={b}")
    if not np.isfinite(b - a):
        raise ValueError(f"high - low must be a finite width; got low={a}, high={b}")
    return a, b


def _as_output(values: np.ndarray) -> np.ndarray | float:
    """A Python float for 0-d results, the array otherwise."""
    return float(values) if values.ndim == 0 else values


def uniform_min_pdf(x: ArrayLike, n: int, low: float = 0.0, high: float = 1.0) -> np.ndarray | float:
    """Density of the sample minimum X₍₁₎ of n i.i.d. Uniform(a, b) draws.

    P(X₍₁₎ > x) = P(every Xᵢ > x) = ((b − x)/(b − a))ⁿ for a ≤ x ≤ b; differentiating,

        f₍₁₎(x) = n (b − x)^(n−1) / (b − a)ⁿ   on [a, b],   0 outside.

    Parameters
    ----------
    x : array_like
        Point(s) at which to evaluate the density; any shape.
    n : int
        Sample size, n ≥ 1.
    low, high : float
        The interval ends a < b.

    Returns
    -------
    float or ndarray
        f₍₁₎(x), a float for scalar ``x`` and an array of ``x``'s shape otherwise.

    Examples
    --------
    >>> uniform_min_pdf([0.0, 0.5, 1.0, 2.0], n=2)
    array([2., 1., 0., 0.])
    >>> uniform_min_pdf(3.0, n=3, low=2.0, high=4.0)   # 3 · 1² / 2³
    0.375
    """
    xs = as_float_array(x, "x")
    n = check_int(n, "n", minimum=1)
    a, b = _check_bounds(low, high)
    # The minimum is the maximum reflected about the midpoint: f₍₁₎(x) = f₍ₙ₎(a + b − x).
    return _as_output(_max_density(a + b - xs, n, a, b))


def uniform_max_pdf(x: ArrayLike, n: int, low: float = 0.0, high: float = 1.0) -> np.ndarray | float:
    """Density of the sample maximum X₍ₙ₎ of n i.i.d. Uniform(a, b) draws.

    P(X₍ₙ₎ ≤ x) = P(every Xᵢ ≤ x) = ((x − a)/(b − a))ⁿ for a ≤ x ≤ b; differentiating,

        f₍ₙ₎(x) = n (x − a)^(n−1) / (b − a)ⁿ   on [a, b],   0 outside.

    For Uniform(0, 1) this is the Beta(n, 1) density n x^(n−1).

    Parameters
    ----------
    x : array_like
        Point(s) at which to evaluate the density; any shape.
    n : int
        Sample size, n ≥ 1.
    low, high : float
        The interval ends a < b.

    Returns
    -------
    float or ndarray
        f₍ₙ₎(x), a float for scalar ``x`` and an array of ``x``'s shape otherwise.

    Examples
    --------
    >>> uniform_max_pdf([0.0, 0.5, 1.0, 2.0], n=2)
    array([0., 1., 2., 0.])
    >>> uniform_max_pdf(3.0, n=3, low=2.0, high=4.0)   # 3 · 1² / 2³
    0.375
    """
    xs = as_float_array(x, "x")
    n = check_int(n, "n", minimum=1)
    a, b = _check_bounds(low, high)
    return _as_output(_max_density(xs, n, a, b))


def _max_density(xs: np.ndarray, n: int, a: float, b: float) -> np.ndarray:
    """n (x − a)^(n−1) / (b − a)ⁿ on [a, b], 0 outside (inputs already validated)."""
    inside = (xs >= a) & (xs <= b)
    # (x − a)/(b − a) ∈ [0, 1] inside the support, so the power cannot overflow.
    u = np.where(inside, (xs - a) / (b - a), 0.0)
    return np.where(inside, n * u ** (n - 1) / (b - a), 0.0)


def uniform_max_expectation(n: int, low: float = 0.0, high: float = 1.0) -> float:
    """Expected sample maximum, E[X₍ₙ₎] = a + n(b − a)/(n + 1) = b − (b − a)/(n + 1).

    From the density n(x − a)^(n−1)/(b − a)ⁿ: with u = (x − a)/(b − a),
    E[X₍ₙ₎] = a + (b − a) ∫₀¹ u · n u^(n−1) du = a + (b − a) n/(n + 1).
    By symmetry E[X₍₁₎] = a + (b − a)/(n + 1): the n points cut [a, b] into n + 1 gaps of equal
    expected length (b − a)/(n + 1).

    Parameters
    ----------
    n : int
        Sample size, n ≥ 1.
    low, high : float
        The interval ends a < b.

    Returns
    -------
    float
        E[max(X₁, …, Xₙ)].

    Examples
    --------
    >>> uniform_max_expectation(4, low=0.0, high=10.0)
    8.0
    """
    n = check_int(n, "n", minimum=1)
    a, b = _check_bounds(low, high)
    return b - (b - a) / (n + 1)


def uniform_max_bias(n: int, low: float = 0.0, high: float = 1.0) -> float:
    """Bias of the MLE b̂ = X₍ₙ₎ of the upper end: E[X₍ₙ₎] − b = −(b − a)/(n + 1).

    Always negative (the sample maximum can never exceed b), and → 0 as n → ∞: the MLE is biased
    but consistent. The lower end mirrors it: E[X₍₁₎] − a = +(b − a)/(n + 1).

    Parameters
    ----------
    n : int
        Sample size, n ≥ 1.
    low, high : float
        The interval ends a < b.

    Returns
    -------
    float
        E[X₍ₙ₎] − b.

    Examples
    --------
    >>> uniform_max_bias(4, low=0.0, high=10.0)
    -2.0
    """
    n = check_int(n, "n", minimum=1)
    a, b = _check_bounds(low, high)
    return -(b - a) / (n + 1)


def uniform_mle_unbiased(x: ArrayLike) -> tuple[float, float]:
    """Unbiased estimates (â, b̂) of both ends of a Uniform(a, b), both unknown.

    The MLE is (x₍₁₎, x₍ₙ₎), with E[X₍₁₎] = a + (b − a)/(n + 1) and E[X₍ₙ₎] = b − (b − a)/(n + 1).
    The range R = X₍ₙ₎ − X₍₁₎ therefore has E[R] = (b − a)(n − 1)/(n + 1), so R/(n − 1) is an
    unbiased estimate of one expected gap (b − a)/(n + 1). Pushing each end out by it,

        â = x₍₁₎ − r/(n − 1),    b̂ = x₍ₙ₎ + r/(n − 1),    r = x₍ₙ₎ − x₍₁₎,

    gives E[â] = a and E[b̂] = b exactly, for every n ≥ 2.

    Parameters
    ----------
    x : array_like of shape (n,)
        The sample x₁ … xₙ, n ≥ 2 (one point says nothing about the width b − a).

    Returns
    -------
    tuple of float
        (â, b̂).

    Examples
    --------
    >>> uniform_mle_unbiased([2.0, 3.0, 4.0])   # r = 2, r/(n − 1) = 1
    (1.0, 5.0)
    """
    xs = as_sample(x, "x")
    n = xs.size
    if n < 2:
        raise ValueError(
            f"x must hold at least 2 observations to estimate both ends (the width needs a range); got n={n}"
        )
    lo, hi = float(xs.min()), float(xs.max())
    gap = (hi - lo) / (n - 1)
    return lo - gap, hi + gap


def uniform_upper_unbiased(x: ArrayLike) -> float:
    """Unbiased estimate of b for Uniform(0, b) with the lower end a = 0 known: (n + 1)/n · x₍ₙ₎.

    With a = 0, E[X₍ₙ₎] = n b/(n + 1), so scaling the MLE x₍ₙ₎ by (n + 1)/n removes the bias.
    (The "German tank" estimator in its continuous form.)

    Parameters
    ----------
    x : array_like of shape (n,)
        The sample x₁ … xₙ ≥ 0, n ≥ 1.

    Returns
    -------
    float
        b̂ = (n + 1)/n · max xᵢ.

    Examples
    --------
    >>> uniform_upper_unbiased([1.0, 3.0, 2.0, 4.0])
    5.0
    """
    xs = as_sample(x, "x")
    bad = xs < 0
    if bad.any():
        idx = int(np.flatnonzero(bad)[0])
        raise ValueError(f"x must be >= 0 (the lower end a = 0 is known); got {xs[idx]} at index {idx}")
    n = xs.size
    return (n + 1) / n * float(xs.max())
