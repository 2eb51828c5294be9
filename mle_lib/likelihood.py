"""Log-likelihoods and Fisher information.

* ``<family>_loglik`` evaluates ln L(θ) = Σ ln f(xᵢ | θ) of one family at one θ or at a whole grid of
  θ values (the output has θ's shape), with every constant included, so that ``exp`` gives the
  slides' probabilities: ``binomial_likelihood(1/2, 61, 100)`` is P(H = 61 | p = 1/2) ≈ 0.007.
  ``<family>_likelihood`` is its exponential; the formula lives only in the log version.
* :func:`pick_mle` is the "which of these θ is the MLE?" helper of the 61-heads example.
* The numerical MLE for any ``scipy.stats`` distribution lives in :mod:`mle_lib.numerical`.
* :func:`fisher_information` is the closed-form expected information I(θ), so that the MLE is
  approximately normal with variance 1/I(θ) for large n.

Boundary values are handled exactly: 0·ln 0 = 0, and data that are impossible under θ (a tail when
θ = 1, an observation outside [low, high]) give ln L = −inf, without warnings.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike
from scipy import special

from ._checks import (
    as_binary_sample,
    as_count_sample,
    as_float_array,
    as_sample,
    check_int,
    check_positive,
    check_probability,
)
from ._gaussian import normal_logpdf

__all__ = [
    "bernoulli_loglik",
    "bernoulli_likelihood",
    "binomial_loglik",
    "binomial_likelihood",
    "poisson_loglik",
    "poisson_likelihood",
    "normal_loglik",
    "normal_likelihood",
    "uniform_loglik",
    "uniform_likelihood",
    "pick_mle",
    "fisher_information",
    "significant_digits",
]

_LOG_MAX = math.log(np.finfo(np.float64).max)  # ≈ 709.78: exp of anything larger overflows


def _out(values: np.ndarray) -> float | np.ndarray:
    """A 0-d result as a Python float, anything else as an ndarray."""
    values = np.asarray(values, dtype=np.float64)
    return float(values) if values.ndim == 0 else values


def _exp(loglik: float | np.ndarray, name: str) -> float | np.ndarray:
    """exp of a log-likelihood, refusing to overflow to inf (underflow to 0 is the true rounding)."""
    arr = np.asarray(loglik, dtype=np.float64)
    if np.any(arr > _LOG_MAX):
        worst = float(arr.max())
        raise ValueError(
            f"the likelihood overflows float64 (ln L = {worst:.6g} > {_LOG_MAX:.6g}); use {name}_loglik instead"
        )
    return _out(np.exp(arr))


def _broadcast(a: np.ndarray, a_name: str, b: np.ndarray, b_name: str) -> tuple[np.ndarray, np.ndarray]:
    try:
        a2, b2 = np.broadcast_arrays(a, b)
    except ValueError:
        raise ValueError(f"{a_name} and {b_name} must broadcast together; got shapes {a.shape} and {b.shape}") from None
    return a2, b2


# ----------------------------------------------------------------------------------------------------------
# Bernoulli
# ----------------------------------------------------------------------------------------------------------
def bernoulli_loglik(theta: ArrayLike, x: ArrayLike) -> float | np.ndarray:
    """Bernoulli log-likelihood ln L(θ) = n₀ ln(1 − θ) + n₁ ln θ.

    Parameters
    ----------
    theta : float or array_like of any shape
        Success probabilities θ in [0, 1]; a grid is evaluated element by element.
    x : array_like of shape (n,)
        The sample x₁ … xₙ of 0s and 1s, with n₁ ones and n₀ zeros.

    Returns
    -------
    float or ndarray
        ln L at each θ, with θ's shape (a float for a scalar θ). It is −inf where the data are
        impossible (θ = 0 with a success, θ = 1 with a failure).

    Raises
    ------
    ValueError
        If ``theta`` is outside [0, 1] or not finite, or ``x`` is not a non-empty 1-D 0/1 sample.
    TypeError
        If an argument is not numeric.

    Examples
    --------
    The slide's HHTHH is more likely when θ = 0.6 than when θ = 0.5:

    >>> round(bernoulli_likelihood(0.6, [1, 1, 0, 1, 1]), 5), bernoulli_likelihood(0.5, [1, 1, 0, 1, 1])
    (0.05184, 0.03125)
    >>> bernoulli_loglik([0.0, 0.5, 1.0], [1, 1, 1])
    array([       -inf, -2.07944154,  0.        ])
    """
    t = check_probability(theta, "theta")
    xs = as_binary_sample(x, "x")
    n1 = float(xs.sum())
    n0 = xs.size - n1
    return _out(special.xlogy(n1, t) + special.xlog1py(n0, -t))


def bernoulli_likelihood(theta: ArrayLike, x: ArrayLike) -> float | np.ndarray:
    """Bernoulli likelihood L(θ) = (1 − θ)^n₀ θ^n₁, the exponential of :func:`bernoulli_loglik`.

    Parameters and errors are those of :func:`bernoulli_loglik`.

    Examples
    --------
    >>> round(bernoulli_likelihood(0.8, [1, 1, 0, 1, 1]), 5)   # the maximum, at θ̂ = 4/5
    0.08192
    """
    return _exp(bernoulli_loglik(theta, x), "bernoulli")


# ----------------------------------------------------------------------------------------------------------
# Binomial
# ----------------------------------------------------------------------------------------------------------
def binomial_loglik(p: ArrayLike, successes: ArrayLike, n_trials: int) -> float | np.ndarray:
    """Binomial log-likelihood ln L(p) = Σ ln C(n, kᵢ) + Σkᵢ ln p + Σ(n − kᵢ) ln(1 − p).

    The binomial coefficients are included, so ``exp`` of this is the probability of the observed
    counts, e.g. P(H = 61 | p) for 61 heads in 100 flips.

    Parameters
    ----------
    p : float or array_like of any shape
        Success probabilities in [0, 1].
    successes : int or array_like of shape (N,)
        Success counts k₁ … k_N of N experiments, non-negative integers not above ``n_trials``.
    n_trials : int
        Trials per experiment n, an integer ≥ 1.

    Returns
    -------
    float or ndarray
        ln L at each p, with p's shape (a float for a scalar p); −inf where the counts are impossible.

    Raises
    ------
    ValueError
        If ``p`` is outside [0, 1], ``successes`` are not valid counts (negative, non-integer, above
        ``n_trials``, empty, 2-D, not finite), or ``n_trials`` < 1.
    TypeError
        If ``n_trials`` is not an integer or an argument is not numeric.

    Examples
    --------
    The slide's unfair coin, 61 heads in 100 flips:

    >>> for p in (1/3, 1/2, 2/3):
    ...     print(f"P(H=61 | p={p:.3f}) = {binomial_likelihood(p, 61, 100):.2g}")
    P(H=61 | p=0.333) = 9.6e-09
    P(H=61 | p=0.500) = 0.0071
    P(H=61 | p=0.667) = 0.04
    """
    pp = check_probability(p, "p")
    n = check_int(n_trials, "n_trials", minimum=1)
    arr = as_float_array(successes, "successes", ndim=(0, 1))
    k = as_count_sample(arr.reshape(-1), "successes", upper=n, upper_name="n_trials")
    total = float(k.sum())
    const = float(np.sum(special.gammaln(n + 1.0) - special.gammaln(k + 1.0) - special.gammaln(n - k + 1.0)))
    return _out(const + special.xlogy(total, pp) + special.xlog1py(k.size * n - total, -pp))


def binomial_likelihood(p: ArrayLike, successes: ArrayLike, n_trials: int) -> float | np.ndarray:
    """Binomial likelihood L(p) = Π C(n, kᵢ) p^kᵢ (1 − p)^(n − kᵢ), the exponential of :func:`binomial_loglik`.

    Parameters and errors are those of :func:`binomial_loglik`.

    Examples
    --------
    >>> round(binomial_likelihood(0.61, 61, 100), 4)   # the maximum, at p̂ = 61/100
    0.0816
    """
    return _exp(binomial_loglik(p, successes, n_trials), "binomial")


# ----------------------------------------------------------------------------------------------------------
# Poisson
# ----------------------------------------------------------------------------------------------------------
def poisson_loglik(lam: ArrayLike, counts: ArrayLike) -> float | np.ndarray:
    """Poisson log-likelihood ln L(λ) = −nλ + Σxᵢ ln λ − Σ ln xᵢ!.

    Parameters
    ----------
    lam : float or array_like of any shape
        Rates λ > 0.
    counts : array_like of shape (n,)
        Non-negative integer counts x₁ … xₙ.

    Returns
    -------
    float or ndarray
        ln L at each λ, with λ's shape (a float for a scalar λ).

    Raises
    ------
    ValueError
        If ``lam`` is not > 0 and finite, or ``counts`` are not valid counts.
    TypeError
        If an argument is not numeric.

    Examples
    --------
    >>> round(poisson_loglik(1.5, [2, 0, 3, 1]), 6)   # −6 + 6 ln 1.5 − ln 2! − ln 3!
    -6.052116
    >>> poisson_loglik([1.0, 1.5, 2.0], [2, 0, 3, 1]).argmax()   # λ̂ = x̄ = 1.5
    np.int64(1)
    """
    lm = check_positive(lam, "lam")
    xs = as_count_sample(counts, "counts")
    total = float(xs.sum())
    const = -float(special.gammaln(xs + 1.0).sum())
    return _out(const - xs.size * lm + special.xlogy(total, lm))


def poisson_likelihood(lam: ArrayLike, counts: ArrayLike) -> float | np.ndarray:
    """Poisson likelihood L(λ) = Π λ^xᵢ e^(−λ) / xᵢ!, the exponential of :func:`poisson_loglik`.

    Parameters and errors are those of :func:`poisson_loglik`.

    Examples
    --------
    >>> round(poisson_likelihood(2.0, [2]), 6)   # P(X = 2 | λ = 2) = 2² e⁻² / 2!
    0.270671
    """
    return _exp(poisson_loglik(lam, counts), "poisson")


# ----------------------------------------------------------------------------------------------------------
# Normal
# ----------------------------------------------------------------------------------------------------------
def normal_loglik(mu: ArrayLike, var: ArrayLike, x: ArrayLike) -> float | np.ndarray:
    """Normal log-likelihood ln L(μ, σ²) = −(n/2) ln(2πσ²) − Σ(xᵢ − μ)² / (2σ²).

    Parameters
    ----------
    mu : float or array_like
        Means μ.
    var : float or array_like
        Variances σ² > 0. ``mu`` and ``var`` broadcast against each other, e.g. the two outputs of
        ``np.meshgrid`` for a likelihood surface.
    x : array_like of shape (n,)
        The sample x₁ … xₙ.

    Returns
    -------
    float or ndarray
        ln L at each (μ, σ²), with the broadcast shape of ``mu`` and ``var`` (a float when both
        are scalars).

    Raises
    ------
    ValueError
        If ``var`` is not > 0, an argument is not finite, ``mu`` and ``var`` do not broadcast, or ``x``
        is empty or not 1-D.
    TypeError
        If an argument is not numeric.

    Examples
    --------
    >>> round(normal_loglik(0.0, 1.0, [0.0]), 6)   # ln of the N(0, 1) density at 0
    -0.918939
    >>> mu, var = np.meshgrid([2.0, 3.0], [1.0, 3.5])
    >>> normal_loglik(mu, var, [1.0, 2.0, 3.0, 6.0]).round(3)   # maximum at (x̄, σ̂²) = (3, 3.5)
    array([[-12.676, -10.676],
           [ -8.753,  -8.181]])
    """
    m = as_float_array(mu, "mu")
    v = check_positive(var, "var")
    m, v = _broadcast(m, "mu", v, "var")
    xs = as_sample(x, "x")
    n = xs.size
    with np.errstate(over="ignore", invalid="ignore"):
        xbar = xs.mean()
        ss = float(np.sum((xs - xbar) ** 2))
        if not (np.isfinite(xbar) and np.isfinite(ss)):
            raise ValueError("x is too large in magnitude for its sum of squares to be represented in float64")
        # Σ(xᵢ − μ)² = Σ(xᵢ − x̄)² + n(x̄ − μ)², so Σ ln N(xᵢ | μ, σ²) = n ln N(x̄ | μ, σ²) − Σ(xᵢ − x̄)²/(2σ²):
        # one pass over the data serves the whole grid.
        out = n * normal_logpdf(xbar, m, v) - 0.5 * (ss / v)
    return _out(out)


def normal_likelihood(mu: ArrayLike, var: ArrayLike, x: ArrayLike) -> float | np.ndarray:
    """Normal likelihood L(μ, σ²) = Π (2πσ²)^(−1/2) exp(−(xᵢ − μ)²/(2σ²)), the exponential of :func:`normal_loglik`.

    Parameters and errors are those of :func:`normal_loglik`; in addition a ``ValueError`` is raised
    if the likelihood is too large for float64 (tiny ``var``), where the log version still works.

    Examples
    --------
    >>> round(normal_likelihood(0.0, 1.0, [0.0]), 6)   # 1/√(2π)
    0.398942
    """
    return _exp(normal_loglik(mu, var, x), "normal")


# ----------------------------------------------------------------------------------------------------------
# Uniform
# ----------------------------------------------------------------------------------------------------------
def uniform_loglik(low: ArrayLike, high: ArrayLike, x: ArrayLike) -> float | np.ndarray:
    """Uniform log-likelihood ln L(a, b) = −n ln(b − a) if a ≤ x₍₁₎ and x₍ₙ₎ ≤ b, else −inf.

    Parameters
    ----------
    low : float or array_like
        Lower endpoints a.
    high : float or array_like
        Upper endpoints b, with a < b elementwise; ``low`` and ``high`` broadcast together.
    x : array_like of shape (n,)
        The sample x₁ … xₙ.

    Returns
    -------
    float or ndarray
        ln L at each (a, b), with their broadcast shape (a float when both are scalars). −inf is a
        legitimate value: it means some observation lies outside [a, b].

    Raises
    ------
    ValueError
        If ``low`` ≥ ``high`` anywhere, an argument is not finite, ``low`` and ``high`` do not
        broadcast, or ``x`` is empty or not 1-D.
    TypeError
        If an argument is not numeric.

    Examples
    --------
    >>> uniform_loglik(0.0, 4.0, [0.5, 1.0, 3.0])   # −3 ln 4
    -4.1588830833596715
    >>> uniform_loglik([0.5, 1.0], 3.0, [0.5, 1.0, 3.0]).round(4)   # a = 1 leaves 0.5 outside
    array([-2.7489,    -inf])
    """
    a = as_float_array(low, "low")
    b = as_float_array(high, "high")
    a, b = _broadcast(a, "low", b, "high")
    bad = ~(a < b)
    if bad.any():
        i = int(np.flatnonzero(bad.ravel())[0])
        raise ValueError(f"low must be < high; got low={a.ravel()[i]} and high={b.ravel()[i]} at index {i}")
    xs = as_sample(x, "x")
    with np.errstate(over="ignore"):
        width = b - a
        # b − a can overflow for endpoints near ±1.8e308; halve first in that case.
        log_width = np.where(
            np.isfinite(width), np.log(np.where(np.isfinite(width), width, 1.0)), np.log(b / 2 - a / 2) + math.log(2.0)
        )
    inside = (a <= xs.min()) & (xs.max() <= b)
    return _out(np.where(inside, -xs.size * log_width, -np.inf))


def uniform_likelihood(low: ArrayLike, high: ArrayLike, x: ArrayLike) -> float | np.ndarray:
    """Uniform likelihood L(a, b) = (b − a)^(−n) on a ≤ x₍₁₎, x₍ₙ₎ ≤ b and 0 elsewhere (exp of :func:`uniform_loglik`).

    Parameters and errors are those of :func:`uniform_loglik`; a ``ValueError`` is also raised if the
    likelihood overflows float64 (a very narrow interval), where the log version still works.

    Examples
    --------
    >>> uniform_likelihood(0.0, 2.0, [0.5, 1.5]), uniform_likelihood(1.0, 2.0, [0.5, 1.5])
    (0.25, 0.0)
    """
    return _exp(uniform_loglik(low, high, x), "uniform")


# ----------------------------------------------------------------------------------------------------------
# Float64 precision
# ----------------------------------------------------------------------------------------------------------


def significant_digits(value: float) -> float:
    """How many significant decimal digits a float64 keeps at ``value``.

    A normal float64 carries a 53-bit significand, about 15.95 digits, whatever its size. Below the
    smallest normal number (≈ 2.2e-308) the spacing of representable numbers stays fixed at the smallest
    subnormal (≈ 4.9e-324), so a subnormal keeps only log₁₀(abs(value) / 4.9e-324) digits: about 11 at
    2.9e-313, none at 4.9e-324. This is why the course computes with ln L and takes exp only to show L.

    Parameters
    ----------
    value : float
        A finite, non-zero float64.

    Returns
    -------
    float
        log₁₀ 2⁵³ ≈ 15.95 for a normal float64; log₁₀(abs(value) / smallest subnormal) for a subnormal.

    Examples
    --------
    >>> round(significant_digits(1.0), 2), round(significant_digits(2.9e-313), 1)
    (15.95, 10.8)
    """
    x = abs(float(value))
    if not math.isfinite(x) or x == 0.0:
        raise ValueError(f"value must be a finite, non-zero float; got {value!r}")
    tiny = np.finfo(np.float64)
    if x >= tiny.smallest_normal:
        return math.log10(2.0 ** (tiny.nmant + 1))  # 53 bits, whatever the exponent
    return math.log10(x / float(np.nextafter(0.0, 1.0)))  # a subnormal: a fixed absolute spacing


# ----------------------------------------------------------------------------------------------------------
# Choosing among candidates
# ----------------------------------------------------------------------------------------------------------


def pick_mle(candidates: ArrayLike, loglik: Callable[[np.ndarray], ArrayLike]) -> float:
    """The candidate θ with the largest log-likelihood: θ̂ = argmax over θ ∈ {θ₁ … θ_m} of ln L(θ).

    Parameters
    ----------
    candidates : array_like of shape (m,)
        Candidate parameter values θ₁ … θ_m (one parameter).
    loglik : callable
        Maps the array of candidates to an array of m log-likelihoods (a ``*_loglik`` function with
        the data bound, e.g. ``lambda p: binomial_loglik(p, 61, 100)``). −inf is allowed for
        impossible candidates; NaN is not.

    Returns
    -------
    float
        The maximising candidate. Ties go to the first of the tied candidates in ``candidates``.

    Raises
    ------
    ValueError
        If ``candidates`` is empty, not 1-D or not finite; if ``loglik`` returns the wrong shape or
        NaN/+inf; or if every candidate has log-likelihood −inf (the data are impossible under all).
    TypeError
        If ``loglik`` is not callable or ``candidates`` is not numeric.

    Examples
    --------
    The slide's unfair coin: 61 heads in 100 flips, θ ∈ {1/3, 1/2, 2/3}:

    >>> pick_mle([1/3, 1/2, 2/3], lambda p: binomial_loglik(p, 61, 100))
    0.6666666666666666
    """
    cands = as_float_array(candidates, "candidates", ndim=1)
    if not callable(loglik):
        raise TypeError(f"loglik must be callable (θ array -> log-likelihood array); got {type(loglik).__name__}")
    values = np.asarray(loglik(cands), dtype=np.float64)
    if values.shape != cands.shape:
        raise ValueError(f"loglik must return one value per candidate, shape {cands.shape}; got shape {values.shape}")
    bad = np.isnan(values) | (values == np.inf)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ValueError(
            f"loglik must return log-likelihoods in [-inf, inf); got {values[i]} at candidate {cands[i]} (index {i})"
        )
    if np.all(values == -np.inf):
        raise ValueError("loglik is -inf at every candidate: the data are impossible under all of them")
    return float(cands[int(np.argmax(values))])


# ----------------------------------------------------------------------------------------------------------
# Expected (Fisher) information
# ----------------------------------------------------------------------------------------------------------
_FAMILIES = ("bernoulli", "binomial", "poisson", "normal")


def fisher_information(family: str, theta: ArrayLike, n: int = 1, *, n_trials: int | None = None) -> float | np.ndarray:
    """Expected (Fisher) information I(θ) of n independent observations from a family.

    ============  =================  ========================================
    family        theta              I(θ) for n observations
    ============  =================  ========================================
    "bernoulli"   p ∈ (0, 1)         n / (p(1 − p))
    "binomial"    p ∈ (0, 1)         n·m / (p(1 − p)), m = ``n_trials``
    "poisson"     λ > 0              n / λ
    "normal"      (μ, σ²), σ² > 0    diag(n/σ², n/(2σ⁴))  (2 × 2, for (μ, σ²))
    ============  =================  ========================================

    The MLE is asymptotically normal with variance 1/I(θ) (for the normal, covariance I(θ)⁻¹), so
    ``1 / fisher_information(...)`` is the large-sample variance of θ̂. For the Bernoulli, Poisson
    and normal, the observed information at θ̂ equals I(θ̂) exactly.

    Parameters
    ----------
    family : {"bernoulli", "binomial", "poisson", "normal"}
        The model.
    theta : float, array_like, or (float, float) for "normal"
        The parameter: p or λ (a scalar or any-shape array, evaluated elementwise), or the pair
        (μ, σ²) for the normal.
    n : int
        The number of independent observations (experiments, for "binomial"), ≥ 1.
    n_trials : int, optional
        Trials per binomial experiment; required for "binomial", refused otherwise.

    Returns
    -------
    float or ndarray
        I(θ): theta's shape for one-parameter families (a float for a scalar), a 2 × 2 array for
        the normal.

    Raises
    ------
    ValueError
        If ``family`` is unknown; ``theta`` is outside the open parameter space (p = 0 or 1 has
        infinite information); ``n`` < 1; or ``n_trials`` is missing, < 1 or given for another family.
    TypeError
        If ``family`` is not a string, ``n``/``n_trials`` are not integers, or ``theta`` is not numeric.

    Examples
    --------
    >>> fisher_information("bernoulli", 0.5, n=100)
    400.0
    >>> round(fisher_information("binomial", 0.61, n=1, n_trials=100), 2)   # 100 / (0.61 · 0.39)
    420.34
    >>> fisher_information("normal", (3.0, 3.5), n=4)
    array([[1.14285714, 0.        ],
           [0.        , 0.16326531]])
    """
    if not isinstance(family, str):
        raise TypeError(f"family must be a string, one of {_FAMILIES}; got {type(family).__name__}")
    fam = family.lower()
    if fam not in _FAMILIES:
        raise ValueError(f"family must be one of {_FAMILIES}; got {family!r}")
    count = check_int(n, "n", minimum=1)
    if fam != "binomial" and n_trials is not None:
        raise ValueError(f"n_trials applies only to family='binomial'; got n_trials={n_trials!r} for {family!r}")
    if fam in ("bernoulli", "binomial"):
        if fam == "bernoulli":
            m = 1
        elif n_trials is None:
            raise ValueError("n_trials is required for family='binomial'")
        else:
            m = check_int(n_trials, "n_trials", minimum=1)
        p = check_probability(theta, "theta")
        edge = (p == 0) | (p == 1)
        if edge.any():
            raise ValueError(
                f"theta must be in the open interval (0, 1) for the information, which is infinite "
                f"at {p.ravel()[np.flatnonzero(edge.ravel())[0]]}"
            )
        return _out(count * m / (p * (1.0 - p)))
    if fam == "poisson":
        lam = check_positive(theta, "theta")
        return _out(count / lam)
    pair = as_float_array(theta, "theta", ndim=1)
    if pair.size != 2:
        raise ValueError(f"theta must be the pair (mu, var) for family='normal'; got {pair.size} values")
    var = float(check_positive(pair[1], "theta[1] (var)"))
    return np.array([[count / var, 0.0], [0.0, count / (2.0 * var**2)]])
