"""Closed-form maximum likelihood estimates (the slides' derivations, one function each).

Each function solves d/dθ ln L(θ) = 0 by hand, exactly as the slides do, and returns plain Python
floats. The numerical route that the tests use to check these answers lives in
:func:`mle_lib.numerical.numerical_mle`; it never calls anything in this module.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike

from ._checks import as_binary_sample, as_count_sample, as_float_array, as_sample, check_int

__all__ = ["bernoulli_mle", "binomial_mle", "poisson_mle", "normal_mle", "uniform_mle"]

_LOG10_MAX = math.log10(float(np.finfo(np.float64).max))


def bernoulli_mle(x: ArrayLike) -> float:
    """Maximum likelihood estimate of the Bernoulli success probability, θ̂ = n₁/n.

    With n₀ tails and n₁ heads, ln L(θ) = n₀ ln(1 − θ) + n₁ ln θ, whose derivative
    −n₀/(1 − θ) + n₁/θ vanishes at θ̂ = n₁/n.

    Parameters
    ----------
    x : array_like of shape (n,)
        The sample x₁ … xₙ, each 0 (tails, failure) or 1 (heads, success).

    Returns
    -------
    float
        The observed fraction of successes n₁/n. It is 0 or 1 when the sample holds only one
        value; the maximum then lies on the boundary of [0, 1].

    Raises
    ------
    ValueError
        If ``x`` is empty, not 1-D, not finite, or holds a value other than 0 and 1.
    TypeError
        If ``x`` is not numeric (strings, ``None``, booleans).

    Examples
    --------
    The slide's 14 flips HHTTTTHTHTTTTH (H = 1):

    >>> bernoulli_mle([1, 1, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 1])  # 5/14
    0.35714285714285715
    >>> bernoulli_mle([1, 1, 0, 1, 1])                                 # HHTHH
    0.8
    """
    arr = as_binary_sample(x, "x")
    return float(arr.sum() / arr.size)


def binomial_mle(successes: ArrayLike, n_trials: int) -> float:
    """Maximum likelihood estimate of the binomial success probability, p̂ = Σkᵢ / (N·n).

    N experiments of n trials each give successes k₁ … k_N, and
    ln L(p) = Σ ln C(n, kᵢ) + Σkᵢ ln p + Σ(n − kᵢ) ln(1 − p), maximised at p̂ = Σkᵢ / (N·n).

    Parameters
    ----------
    successes : int or array_like of shape (N,)
        Success counts k₁ … k_N, non-negative integers not above ``n_trials``. A scalar is one
        experiment (N = 1).
    n_trials : int
        The number of trials n in every experiment, an integer ≥ 1.

    Returns
    -------
    float
        The pooled fraction of successes Σkᵢ / (N·n).

    Raises
    ------
    ValueError
        If ``successes`` is empty, 2-D, not finite, negative, non-integer or above ``n_trials``,
        or if ``n_trials`` < 1.
    TypeError
        If ``n_trials`` is not an integer, or ``successes`` is not numeric.

    Examples
    --------
    The slide's unfair coin, 61 heads in 100 flips:

    >>> binomial_mle(61, 100)
    0.61
    >>> binomial_mle([3, 5, 4], n_trials=10)   # 12 successes in 30 trials
    0.4
    """
    n = check_int(n_trials, "n_trials", minimum=1)
    arr = as_float_array(successes, "successes", ndim=(0, 1))
    k = as_count_sample(arr.reshape(-1), "successes", upper=n, upper_name="n_trials")
    return float(k.sum() / (k.size * n))


def poisson_mle(counts: ArrayLike) -> float:
    """Maximum likelihood estimate of the Poisson rate, λ̂ = x̄.

    ln L(λ) = −nλ + Σxᵢ ln λ − Σ ln xᵢ!, whose derivative −n + Σxᵢ/λ vanishes at λ̂ = x̄.

    Parameters
    ----------
    counts : array_like of shape (n,)
        Non-negative integer counts x₁ … xₙ.

    Returns
    -------
    float
        The sample mean. When every count is 0 this is 0, the edge of the parameter space
        λ > 0: the likelihood e^(−nλ) then grows as λ ↓ 0 and has no maximiser inside it.

    Raises
    ------
    ValueError
        If ``counts`` is empty, not 1-D, not finite, negative or non-integer.
    TypeError
        If ``counts`` is not numeric.

    Examples
    --------
    >>> poisson_mle([2, 0, 3, 1])
    1.5
    """
    arr = as_count_sample(counts, "counts")
    return float(arr.sum() / arr.size)


def normal_mle(x: ArrayLike, ddof: int = 0) -> tuple[float, float]:
    """Maximum likelihood estimates of the normal mean and variance, (μ̂, σ̂²) = (x̄, Σ(xᵢ − x̄)²/n).

    ln L(μ, σ²) = −(n/2) ln(2πσ²) − Σ(xᵢ − μ)²/(2σ²). Setting ∂/∂μ = 0 gives μ̂ = x̄, and then
    ∂/∂σ² = 0 gives σ̂² = Σ(xᵢ − x̄)²/n, the n-divisor sample variance.

    Parameters
    ----------
    x : array_like of shape (n,)
        The sample x₁ … xₙ.
    ddof : {0, 1}
        Subtracted from n in the variance's divisor. ``0`` (the default) gives the MLE σ̂².
        ``1`` gives the unbiased Σ(xᵢ − x̄)²/(n − 1), which is **not** the maximum likelihood
        estimate: the MLE is biased low by the factor (n − 1)/n (see the slides' "Bias?").

    Returns
    -------
    tuple of (float, float)
        ``(mean, variance)``. The variance is 0 when all values are equal; the likelihood then grows
        without bound as σ² ↓ 0, and the "MLE" is the degenerate edge of the parameter space σ² > 0.
        It is also 0 when it is smaller than float64 can hold (values spread by less than about 1e-162),
        which is its correct rounding.

    Raises
    ------
    ValueError
        If ``x`` is empty, not 1-D or not finite; if ``ddof`` is not 0 or 1; if n ≤ ``ddof``; or if
        the variance itself is too large to represent in float64 (values spread over more than about
        ±1e154·√n). Values near ±1e308 with a representable variance are fine.
    TypeError
        If ``x`` is not numeric or ``ddof`` is not an integer.

    Examples
    --------
    >>> normal_mle([1.0, 2.0, 3.0, 6.0])
    (3.0, 3.5)
    >>> normal_mle([1.0, 2.0, 3.0, 6.0], ddof=1)   # unbiased, not the MLE
    (3.0, 4.666666666666667)
    >>> normal_mle([1e308, 1e308])                 # the sum overflows, the answer does not
    (1e+308, 0.0)
    """
    arr = as_sample(x, "x")
    d = check_int(ddof, "ddof")
    if d not in (0, 1):
        raise ValueError(f"ddof must be 0 (the MLE) or 1 (the unbiased variance); got {d}")
    n = arr.size
    if n <= d:
        raise ValueError(f"x must have more than ddof={d} values for a variance; got n={n}")
    with np.errstate(over="ignore", invalid="ignore"):
        mean = arr.mean()
        var = np.sum((arr - mean) ** 2) / (n - d)
    if np.isfinite(mean) and np.isfinite(var):
        return float(mean), float(var)
    # Near the top of float64 the sum or the squares overflow although the answer may not: redo the
    # arithmetic on x / 2^k (exact), with 2^k near max|x|, and scale back.
    unit = math.ldexp(1.0, math.frexp(float(np.max(np.abs(arr))))[1] - 1)
    z = arr / unit
    z_mean = z.mean()
    z_var = float(np.sum((z - z_mean) ** 2) / (n - d))
    log10_var = (math.log10(z_var) + 2.0 * math.log10(unit)) if z_var > 0 else -math.inf
    if log10_var > _LOG10_MAX:
        raise ValueError(
            f"x is too large in spread for its variance to be represented in float64: the variance is "
            f"about 1e{log10_var:.0f}, beyond the largest float64 (about 1.8e308); rescale x "
            f"(the mean, {float(z_mean) * unit:.6g}, is representable)"
        )
    return float(z_mean) * unit, z_var * unit * unit


def uniform_mle(x: ArrayLike) -> tuple[float, float]:
    """Maximum likelihood estimates of the uniform endpoints, (â, b̂) = (x₍₁₎, x₍ₙ₎).

    L(a, b) = (b − a)^(−n) when a ≤ x₍₁₎ and x₍ₙ₎ ≤ b, and 0 otherwise. Setting derivatives to
    zero fails (the slides' "n = 0, contradiction"), because L has no interior maximum: it grows as
    the interval shrinks, until the interval touches the smallest and largest observations.

    Parameters
    ----------
    x : array_like of shape (n,)
        The sample x₁ … xₙ.

    Returns
    -------
    tuple of (float, float)
        ``(low, high)``, the sample minimum and maximum (the order statistics x₍₁₎ and x₍ₙ₎).
        If all values are equal the two coincide: the likelihood is then unbounded and the interval
        degenerate (:func:`mle_lib.likelihood.uniform_loglik` refuses ``low == high``).

    Raises
    ------
    ValueError
        If ``x`` is empty, not 1-D or not finite.
    TypeError
        If ``x`` is not numeric.

    Examples
    --------
    >>> uniform_mle([2.5, 0.5, 1.75, 3.0])
    (0.5, 3.0)
    """
    arr = as_sample(x, "x")
    return float(arr.min()), float(arr.max())
