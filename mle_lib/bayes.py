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

import numpy as np
from numpy.typing import ArrayLike

from .checks import as_float_array, check_positive, check_probability

__all__ = [
    "hypothesis_densities",
    "posterior_probs",
    "bayes_factor",
    "posterior_odds",
]

_LOG_SQRT_2PI = 0.5 * np.log(2.0 * np.pi)
_PRIOR_SUM_TOL = 1e-9


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


def _check_priors(priors: ArrayLike | None, k: int) -> np.ndarray:
    if priors is None:
        return np.full(k, 1.0 / k)
    p = check_probability(as_float_array(priors, "priors", ndim=1), "priors")
    if p.size != k:
        raise ValueError(f"priors must have one entry per mean ({k}); got {p.size}")
    total = float(p.sum())
    if abs(total - 1.0) > _PRIOR_SUM_TOL:
        raise ValueError(f"priors must sum to 1; got sum {total!r}")
    return p


def _equal_sigma_posterior(x: np.ndarray, means: np.ndarray, sigma: float, priors: np.ndarray) -> np.ndarray:
    """Posterior (n, k) when every hypothesis has the same σ and a positive prior.

    With a common σ the −x²/(2σ²) term is shared and cancels. Shifting to the centre c of the
    means and scaling by S = max(1, their half-range) (the posterior is unchanged by
    x → (x − c)/S, m → (m − c)/S, σ → σ/S), with dᵢ = (mᵢ − c)/S ∈ [−1, 1] and u = (x − c)/S,

        ln πᵢ f(x | mᵢ) = ln πᵢ + dᵢ (u − dᵢ/2) / (σ/S)² + const(x),

    which is linear in x: no x² is ever formed. Should the division by (σ/S)² still overflow, the
    term dᵢ(u − dᵢ/2) decides alone (the largest wins, ties shared by prior); should u itself
    overflow, the mean furthest in x's direction wins.
    """
    n, k = x.size, means.size
    c = 0.5 * means.max() + 0.5 * means.min()
    half_range = float(np.max(np.abs(means - c)))
    if half_range == 0.0:  # all means equal: the data say nothing, the prior stands
        return np.tile(priors, (n, 1))
    scale = max(half_range, 1.0)  # only ever scale down: a tiny S would blow u up
    d = (means - c) / scale
    sig = sigma / scale
    with np.errstate(over="ignore", under="ignore", invalid="ignore", divide="ignore"):
        u = (x - c) / scale
        lin = np.where(d == 0.0, 0.0, d * (u[:, None] - 0.5 * d))
        scores = np.log(priors) + (lin / sig) / sig if sig > 0.0 else np.full((n, k), np.nan)
    top = scores.max(axis=1, keepdims=True)
    finite = np.isfinite(top[:, 0])
    post = np.zeros((n, k))
    with np.errstate(over="ignore"):  # score − top may overflow to −inf: exp gives 0, correctly
        e = np.exp(scores[finite] - top[finite])
    post[finite] = e / e.sum(axis=1, keepdims=True)
    for row in np.flatnonzero(~finite):
        best = lin[row].max()
        if np.isfinite(best):
            win = lin[row] == best
        else:  # u overflowed: the mean furthest towards x wins
            win = d == (d.max() if u[row] > 0 else d.min())
        post[row, win] = priors[win] / priors[win].sum()
    return post


def _posterior_matrix(x: np.ndarray, means: np.ndarray, sigma: np.ndarray, priors: np.ndarray) -> np.ndarray:
    """Posterior (n, k) for 1-D x; hypotheses with prior 0 get posterior 0.

    Hypotheses are grouped by σ. Within a group the exact equal-σ route gives P(i | group, x);
    the groups are weighed against each other by their log mass ln Σ πᵢ f(x | mᵢ), computed with a
    max shift. Should every group's mass underflow to −∞ (|x − m|/σ beyond ~1e154), the widest σ
    has the heaviest tails and takes all the probability — the limit as |x| → ∞.
    """
    n, k = x.size, means.size
    post = np.zeros((n, k))
    active = np.flatnonzero(priors > 0)
    levels = np.unique(sigma[active])
    if levels.size == 1:
        post[:, active] = _equal_sigma_posterior(x, means[active], float(levels[0]), priors[active])
        return post
    groups = [active[sigma[active] == s] for s in levels]
    log_mass = np.empty((n, levels.size))
    with np.errstate(over="ignore", divide="ignore"):
        for g, idx in enumerate(groups):
            z = (x[:, None] - means[idx]) / sigma[idx]
            s = np.log(priors[idx]) - np.log(sigma[idx]) - 0.5 * z * z
            top = s.max(axis=1, keepdims=True)
            with np.errstate(invalid="ignore"):
                log_mass[:, g] = np.where(
                    np.isfinite(top[:, 0]), top[:, 0] + np.log(np.exp(s - top).sum(axis=1)), -np.inf
                )
    top = log_mass.max(axis=1, keepdims=True)
    finite = np.isfinite(top[:, 0])
    group_post = np.zeros_like(log_mass)
    with np.errstate(over="ignore"):
        e = np.exp(log_mass[finite] - top[finite])
    group_post[finite] = e / e.sum(axis=1, keepdims=True)
    group_post[~finite, -1] = 1.0  # levels are sorted: the last group has the widest σ
    for g, idx in enumerate(groups):
        within = _equal_sigma_posterior(x, means[idx], float(levels[g]), priors[idx] / priors[idx].sum())
        post[:, idx] = group_post[:, [g]] * within
    return post


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
    z = (np.atleast_1d(xs)[:, None] - m) / s
    with np.errstate(over="ignore", under="ignore"):
        dens = np.exp(-0.5 * z * z - np.log(s) - _LOG_SQRT_2PI)
    return dens[0] if xs.ndim == 0 else dens


def posterior_probs(
    x: ArrayLike, means: ArrayLike, sigma: ArrayLike = 1.0, priors: ArrayLike | None = None
) -> np.ndarray:
    """Posterior probability of each slip, P(μ = mᵢ | X = x) = πᵢ f(x | mᵢ) / Σⱼ πⱼ f(x | mⱼ).

    Computed in the log domain with the largest term shifted to 0, so an x far from every mean
    (where each f(x | mᵢ) underflows to 0 and the naive ratio is 0/0) still gives the correct
    limit, 1.0 for the favoured hypothesis and 0.0 for the others, never NaN.

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
    p = _check_priors(priors, m.size)
    post = _posterior_matrix(np.atleast_1d(xs), m, s, p)
    return post[0] if xs.ndim == 0 else post


def _check_pair(mean_a: float, mean_b: float, sigma: float) -> tuple[float, float, float]:
    a = float(as_float_array(mean_a, "mean_a", ndim=0))
    b = float(as_float_array(mean_b, "mean_b", ndim=0))
    s = float(check_positive(as_float_array(sigma, "sigma", ndim=0), "sigma"))
    return a, b, s


def _log_bayes_factor(x: np.ndarray, a: float, b: float, s: float) -> np.ndarray:
    """ln f(x|a) − ln f(x|b) = (a − b)(x − (a + b)/2)/σ², formed without squaring x."""
    with np.errstate(over="ignore", invalid="ignore"):
        d = a - b
        return np.where(d == 0.0, 0.0, ((d * (x - (0.5 * a + 0.5 * b))) / s) / s)


def bayes_factor(x: ArrayLike, mean_a: float, mean_b: float, sigma: float = 1.0) -> np.ndarray | float:
    """Bayes factor f(x | μ = a) / f(x | μ = b) for one normal observation with common σ.

    ln BF = [(x − b)² − (x − a)²]/(2σ²) = (a − b)(x − (a + b)/2)/σ², evaluated in that linear
    form (exact for large x). It is +inf or 0.0 only when the true value overflows a float.

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
        return _as_output(np.exp(_log_bayes_factor(xs, a, b, s)))


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
    log_odds = _log_bayes_factor(xs, a, b, s) + np.log(pa) - np.log1p(-pa)
    with np.errstate(over="ignore"):
        return _as_output(np.exp(log_odds))
