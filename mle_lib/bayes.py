"""The "hat trick": which slip was drawn, given one normal sample? (UW deck, "A Hat Trick").

Slips in a hat carry means m₁ … m_k (the deck: pink μ = 3, blue μ = 7, drawn with probability ½
each). One slip is drawn and a single X ~ N(μ, σ²) revealed. Bayes' rule with densities in place of
probabilities (the δ in "X ≈ 6" cancels) gives

    P(μ = mᵢ | X = x) = πᵢ f(x | mᵢ) / Σⱼ πⱼ f(x | mⱼ),

and for two hypotheses, posterior odds = Bayes factor · prior odds,

    P(μ = a | x) / P(μ = b | x) = [f(x | a) / f(x | b)] · [π_a / π_b].

With x = 6.001 this is 0.2422/0.0044 ≈ 54.8: 50:50 prior odds become ≈ 54:1 for μ = 7, and
P(μ = 7 | X) ≈ 0.982; with x = 4.9 the odds are ≈ 3:2 (1.49) for μ = 3. The posterior is exactly
the EM algorithm's E-step responsibility γ(z_k) for one point.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike

from ._checks import as_float_array, check_positive, check_probability, check_simplex
from ._gaussian import normal_log_density_ratio, normal_logpdf, normal_mixture_posterior

__all__ = [
    "hypothesis_densities",
    "posterior_probs",
    "bayes_factor",
    "posterior_odds",
    "posterior_crossings",
]


def _as_output(values: np.ndarray) -> np.ndarray | float:
    return float(values) if values.ndim == 0 else values


def _check_x(x: ArrayLike) -> np.ndarray:
    return as_float_array(x, "x", ndim=(0, 1))


def _check_means(means: ArrayLike) -> np.ndarray:
    return as_float_array(means, "means", ndim=1)


def _check_sigma(sigma: ArrayLike, k: int) -> np.ndarray:
    """σ as a length-k array: a scalar is shared, a 1-D array must have one entry per mean."""
    s = check_positive(as_float_array(sigma, "sigma", ndim=(0, 1)), "sigma")
    if s.ndim == 0:
        return np.full(k, float(s))
    if s.size != k:
        raise ValueError(f"sigma must be a scalar or have one entry per mean ({k}); got {s.size}")
    return s


def hypothesis_densities(x: ArrayLike, means: ArrayLike, sigma: ArrayLike = 1.0) -> np.ndarray:
    """The normal densities f(x | μ = mᵢ) that the hat trick compares.

    f(x | m) = exp(−(x − m)²/(2σ²)) / (√(2π) σ). Far from every mean these underflow to 0; use
    :func:`posterior_probs` (log domain) rather than normalising them yourself.

    Parameters
    ----------
    x : float or array_like of shape (n,)
        The revealed sample(s).
    means : array_like of shape (k,)
        The hypothesis means m₁ … m_k.
    sigma : float or array_like of shape (k,)
        Standard deviation σ > 0, shared or one per hypothesis.

    Returns
    -------
    ndarray of shape (k,) or (n, k)
        f(x | mᵢ); shape (k,) for a scalar ``x``.

    Examples
    --------
    >>> dens = hypothesis_densities(6.001, [3.0, 7.0])
    >>> print(f"f(6.001|3) = {dens[0]:.4f}, f(6.001|7) = {dens[1]:.4f}")
    f(6.001|3) = 0.0044, f(6.001|7) = 0.2422
    """
    xs = _check_x(x)
    m = _check_means(means)
    s = _check_sigma(sigma, m.size)
    with np.errstate(under="ignore"):
        dens = np.exp(normal_logpdf(np.atleast_1d(xs)[:, None], m, sd=s))
    return dens[0] if xs.ndim == 0 else dens


def posterior_probs(
    x: ArrayLike, means: ArrayLike, sigma: ArrayLike = 1.0, priors: ArrayLike | None = None
) -> np.ndarray:
    """Posterior probability of each slip, P(μ = mᵢ | X = x) = πᵢ f(x | mᵢ) / Σⱼ πⱼ f(x | mⱼ).

    This is the E-step responsibility of one point: the same computation as
    ``mle_lib.e_step(x, priors, means, sigma**2, "spherical")`` (transposed), in the log domain
    with the largest term shifted to 0 (:func:`mle_lib._gaussian.normal_mixture_posterior`). Far
    from every mean, where each f(x | mᵢ) underflows to 0 and the naive ratio is 0/0, it gives the
    correct limit, never NaN: the nearest mean among equal σ, the widest σ as ``|x| → ∞``; exact ties
    are shared in proportion to the priors. A hypothesis with prior 0 always gets posterior 0.

    Parameters
    ----------
    x : float or array_like of shape (n,)
        The revealed sample(s) X.
    means : array_like of shape (k,)
        The hypothesis means m₁ … m_k (finite).
    sigma : float or array_like of shape (k,)
        Standard deviation σ > 0, shared or one per hypothesis.
    priors : array_like of shape (k,), optional
        Prior probabilities πᵢ = P(μ = mᵢ), each in [0, 1], summing to 1. Default: equal, 1/k.

    Returns
    -------
    ndarray of shape (k,) or (n, k)
        Posterior probabilities; each row sums to 1. Shape (k,) for a scalar ``x``.

    Examples
    --------
    The slide: X = 6.001, slips μ = 3 (pink) and μ = 7 (blue), σ = 1, priors ½.

    >>> post = posterior_probs(6.001, [3.0, 7.0])
    >>> print(f"P(mu=7 | X=6.001) = {post[1]:.3f}")
    P(mu=7 | X=6.001) = 0.982
    >>> posterior_probs([5.0, 1e6], [3.0, 7.0]).round(3)
    array([[0.5, 0.5],
           [0. , 1. ]])
    """
    xs = _check_x(x)
    m = _check_means(means)
    s = _check_sigma(sigma, m.size)
    p = check_simplex(priors, "priors", m.size, per="mean")  # None: equal priors
    with np.errstate(divide="ignore"):  # a zero prior is ln 0 = −inf: that hypothesis never wins
        log_p = np.log(p)
    _, post = normal_mixture_posterior(np.atleast_1d(xs), log_p, m, sd=s)
    return post[:, 0] if xs.ndim == 0 else np.ascontiguousarray(post.T)


def _check_pair(mean_a: float, mean_b: float, sigma: float) -> tuple[float, float, float]:
    a = float(as_float_array(mean_a, "mean_a", ndim=0))
    b = float(as_float_array(mean_b, "mean_b", ndim=0))
    s = float(check_positive(as_float_array(sigma, "sigma", ndim=0), "sigma"))
    return a, b, s


def bayes_factor(x: ArrayLike, mean_a: float, mean_b: float, sigma: float = 1.0) -> np.ndarray | float:
    """Bayes factor f(x | μ = a) / f(x | μ = b) for one normal observation with common σ.

    ln BF = [(x − b)² − (x − a)²]/(2σ²) = (a − b)(x − (a + b)/2)/σ², evaluated in that linear
    form (exact for large x; :func:`mle_lib._gaussian.normal_log_density_ratio`). It is +inf or
    0.0 only when the true value overflows a float.

    Parameters
    ----------
    x : float or array_like of shape (n,)
        The revealed sample(s).
    mean_a, mean_b : float
        The two hypothesis means (numerator, denominator).
    sigma : float
        Common standard deviation σ > 0.

    Returns
    -------
    float or ndarray of shape (n,)
        f(x | a) / f(x | b).

    Examples
    --------
    >>> print(f"{bayes_factor(6.001, 7.0, 3.0):.1f}")   # the slide's 0.2422/0.0044
    54.8
    """
    xs = _check_x(x)
    a, b, s = _check_pair(mean_a, mean_b, sigma)
    with np.errstate(over="ignore"):
        return _as_output(np.exp(normal_log_density_ratio(xs, a, b, s)))


def posterior_odds(
    x: ArrayLike, mean_a: float, mean_b: float, sigma: float = 1.0, prior_a: float = 0.5
) -> np.ndarray | float:
    """Posterior odds P(μ = a | x) / P(μ = b | x) = Bayes factor · prior odds π_a/(1 − π_a).

    Parameters
    ----------
    x : float or array_like of shape (n,)
        The revealed sample(s).
    mean_a, mean_b : float
        The two hypothesis means.
    sigma : float
        Common standard deviation σ > 0.
    prior_a : float
        Prior probability of μ = a, strictly between 0 and 1 (μ = b has 1 − π_a).

    Returns
    -------
    float or ndarray of shape (n,)
        The posterior odds in favour of μ = a.

    Examples
    --------
    The slide's second question: with X = 4.9 the odds are about 3:2 for μ = 3.

    >>> print(f"{posterior_odds(4.9, 3.0, 7.0):.2f}")
    1.49
    >>> print(f"{posterior_odds(6.001, 7.0, 3.0, prior_a=0.25):.2f}")   # 54.8 · (1/3)
    18.27
    """
    xs = _check_x(x)
    a, b, s = _check_pair(mean_a, mean_b, sigma)
    pa = float(check_probability(as_float_array(prior_a, "prior_a", ndim=0), "prior_a"))
    if not 0.0 < pa < 1.0:
        raise ValueError(f"prior_a must be strictly between 0 and 1 (odds need both hypotheses possible); got {pa}")
    log_odds = normal_log_density_ratio(xs, a, b, s) + np.log(pa) - np.log1p(-pa)
    with np.errstate(over="ignore"):
        return _as_output(np.exp(log_odds))


def _log_odds_quadratic(
    means: tuple[float, float], sigmas: tuple[float, float], priors: tuple[float, float]
) -> tuple[float, float, float]:
    """(A, B, C) with ln [π₂ f(x | m₂, σ₂) / (π₁ f(x | m₁, σ₁))] = A x² + B x + C."""
    (m1, m2), (s1, s2), (p1, p2) = means, sigmas, priors
    v1, v2 = s1 * s1, s2 * s2
    a = 0.5 / v1 - 0.5 / v2
    b = m2 / v2 - m1 / v1
    c = 0.5 * m1 * m1 / v1 - 0.5 * m2 * m2 / v2 + math.log(p2 / p1) + math.log(s1 / s2)
    return a, b, c


def posterior_crossings(
    means: tuple[float, float], sigmas: tuple[float, float], priors: tuple[float, float]
) -> tuple[float, ...]:
    """Where P(μ = m₂ | x) = ½ for two normal hypotheses: the real roots of the log posterior odds.

    ln [π₂ f(x | m₂, σ₂)] − ln [π₁ f(x | m₁, σ₁)] = 0 is the quadratic A x² + B x + C = 0 with

        A = 1/(2σ₁²) − 1/(2σ₂²),   B = m₂/σ₂² − m₁/σ₁²,
        C = m₁²/(2σ₁²) − m₂²/(2σ₂²) + ln(π₂ σ₁ / (π₁ σ₂)).

    Equal σ (A = 0) leave one crossing, x = −C/B; unequal σ give two or none (the wider
    component wins far out on both sides).

    Parameters
    ----------
    means, sigmas, priors : pairs of float
        (m₁, m₂) distinct, (σ₁, σ₂) > 0, (π₁, π₂) each strictly between 0 and 1.

    Returns
    -------
    tuple of float
        The crossings in increasing order (0, 1 or 2 of them; a double root counts once).

    Examples
    --------
    >>> posterior_crossings((3.0, 7.0), (1.0, 1.0), (0.5, 0.5))
    (5.0,)
    >>> [round(c, 3) for c in posterior_crossings((3.0, 7.0), (1.0, 2.0), (0.5, 0.5))]
    [-1.327, 4.66]
    """
    a, b, c = _log_odds_quadratic(means, sigmas, priors)
    if a == 0.0:
        return () if b == 0.0 else (-c / b,)
    disc = b * b - 4.0 * a * c
    if disc < 0.0:
        return ()
    if disc == 0.0:
        return (-b / (2.0 * a),)
    q = -0.5 * (b + math.copysign(math.sqrt(disc), b))  # no cancellation (Numerical Recipes §5.6)
    roots = sorted({q / a, c / q}) if q != 0.0 else sorted({-math.sqrt(-c / a), math.sqrt(-c / a)})
    return tuple(float(r) for r in roots)
