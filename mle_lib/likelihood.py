"""Log-likelihoods, the numerical MLE and Fisher information.

* ``<family>_loglik`` evaluates ln L(θ) = Σ ln f(xᵢ | θ) of one family at one θ or at a whole grid of
  θ values (the output has θ's shape), with every constant included, so that ``exp`` gives the
  slides' probabilities: ``binomial_likelihood(1/2, 61, 100)`` is P(H = 61 | p = 1/2) ≈ 0.007.
  ``<family>_likelihood`` is its exponential; the formula lives only in the log version.
* :func:`pick_mle` is the "which of these θ is the MLE?" helper of the 61-heads example.
* :func:`numerical_mle` maximises the log-likelihood of any ``scipy.stats`` distribution numerically.
  It is the independent route the tests use to check the closed forms in :mod:`mle_lib.estimators`
  (it never calls them), and it reports the observed information, standard errors and Wald intervals.
* :func:`fisher_information` is the closed-form expected information I(θ), so that the MLE is
  approximately normal with variance 1/I(θ) for large n.

Boundary values are handled exactly: 0·ln 0 = 0, and data that are impossible under θ (a tail when
θ = 1, an observation outside [low, high]) give ln L = −inf, without warnings.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike
from scipy import optimize, special, stats

from ._gaussian import normal_logpdf
from .checks import (
    as_binary_sample,
    as_count_sample,
    as_float_array,
    as_sample,
    check_int,
    check_positive,
    check_probability,
)

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
    "NumericalMLE",
    "numerical_mle",
    "fisher_information",
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
        return np.broadcast_arrays(a, b)
    except ValueError:
        raise ValueError(f"{a_name} and {b_name} must broadcast together; got shapes {a.shape} and {b.shape}") from None


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
# Numerical MLE for any scipy.stats distribution
# ----------------------------------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class NumericalMLE:
    """Result of :func:`numerical_mle`.

    Attributes
    ----------
    params : dict of str to float
        The estimates θ̂ of the free parameters, in ``scipy.stats`` order (shapes, loc, scale).
    loglik : float
        ln L(θ̂), summed over the data (fixed parameters held at their values).
    converged : bool
        Whether the optimiser reported convergence.
    on_boundary : bool
        Whether θ̂ lies on an edge: of the parameter space (e.g. p̂ = 0 when every trial failed) or
        of the support (e.g. the uniform, whose likelihood is maximised where the interval touches
        x₍₁₎ and x₍ₙ₎). The regularity conditions behind the information, standard errors and Wald
        intervals then fail, and those attributes raise ``ValueError``.
    fixed : dict of str to float
        The parameters that were held fixed.
    message : str
        A short account of how the optimum was reached.
    observed_information : ndarray of shape (k, k)
        J(θ̂) = −∂² ln L / ∂θ ∂θᵀ at θ̂, for the k free parameters on their natural scale, by central
        finite differences (relative step 10⁻⁴). This and the next two attributes, and
        :meth:`wald_ci`, raise ``ValueError`` when ``on_boundary`` is True.
    covariance : ndarray of shape (k, k)
        J(θ̂)⁻¹, the asymptotic covariance of θ̂.
    standard_errors : dict of str to float
        Square roots of the covariance's diagonal.
    """

    params: dict[str, float]
    loglik: float
    converged: bool
    on_boundary: bool
    fixed: dict[str, float]
    message: str
    _information: np.ndarray | None = field(default=None, repr=False)

    def _require_information(self) -> np.ndarray:
        if self._information is None:
            raise ValueError(f"observed information is undefined here: {self.message}")
        return self._information

    @property
    def observed_information(self) -> np.ndarray:
        """J(θ̂) = −∇² ln L(θ̂) w.r.t. the free parameters, rows/columns in ``params`` order."""
        return self._require_information().copy()

    @property
    def covariance(self) -> np.ndarray:
        """J(θ̂)⁻¹, the Wald (asymptotic) covariance of θ̂."""
        info = self._require_information()
        try:
            np.linalg.cholesky(info)
        except np.linalg.LinAlgError:
            raise ValueError(
                "observed information is not positive definite (ln L is not strictly concave at "
                "the optimum; a parameter may be unidentifiable), so it has no covariance"
            ) from None
        return np.linalg.inv(info)

    @property
    def standard_errors(self) -> dict[str, float]:
        """se(θ̂ⱼ) = √(J(θ̂)⁻¹)ⱼⱼ for each free parameter."""
        se = np.sqrt(np.diag(self.covariance))
        return {name: float(s) for name, s in zip(self.params, se)}

    def wald_ci(self, level: float = 0.95) -> dict[str, tuple[float, float]]:
        """Wald confidence intervals θ̂ⱼ ± z·se(θ̂ⱼ), z the (1 + level)/2 normal quantile.

        Parameters
        ----------
        level : float
            Confidence level in (0, 1).

        Returns
        -------
        dict of str to (float, float)
            ``(lower, upper)`` per free parameter. A Wald interval may leave the parameter space
            (e.g. below 0 for a probability near 0); that is a known weakness of the method.

        Examples
        --------
        >>> fit = numerical_mle(stats.norm, [1.0, 2.0, 3.0, 6.0])
        >>> lo, hi = fit.wald_ci(0.95)["loc"]
        >>> round(lo, 3), round(hi, 3)   # 3 ± 1.96·√(3.5/4)
        (1.167, 4.833)
        """
        lv = float(as_float_array(level, "level", ndim=0))
        if not 0.0 < lv < 1.0:
            raise ValueError(f"level must be in (0, 1); got {lv}")
        z = float(stats.norm.ppf(0.5 + lv / 2.0))
        se = self.standard_errors
        return {name: (value - z * se[name], value + z * se[name]) for name, value in self.params.items()}


@dataclass
class _Domain:
    """Where one parameter may live: (lo, hi) with inclusive ends; integral parameters must be fixed."""

    lo: float
    hi: float
    lo_in: bool
    hi_in: bool
    integral: bool = False

    def contains(self, v: float) -> bool:
        above = v > self.lo or (self.lo_in and v == self.lo)
        below = v < self.hi or (self.hi_in and v == self.hi)
        return above and below


def _distribution_kind(dist: object) -> str:
    if isinstance(dist, stats.rv_continuous):
        return "continuous"
    if isinstance(dist, stats.rv_discrete):
        return "discrete"
    if isinstance(getattr(dist, "dist", None), (stats.rv_continuous, stats.rv_discrete)):
        raise TypeError(
            "dist must be an unfrozen scipy.stats distribution such as scipy.stats.norm, not a frozen "
            "one such as scipy.stats.norm(0, 1); hold parameters fixed with fixed={...}"
        )
    raise TypeError(f"dist must be a scipy.stats distribution such as scipy.stats.norm; got {type(dist).__name__}")


def _domains(dist, kind: str) -> dict[str, _Domain]:
    """Parameter names in scipy's order with their domains."""
    out: dict[str, _Domain] = {}
    try:
        # Private, but what scipy.stats.fit itself uses; present from scipy 1.9 on (pyproject pins 1.17).
        infos = dist._shape_info()
    except Exception:  # a user-defined distribution without shape metadata
        infos = None
    if infos is not None:
        for info in infos:
            lo, hi = (float(v) for v in info.domain)
            if lo == 5e-324:  # scipy's spelling of "> 0"
                lo = 0.0
            out[info.name] = _Domain(lo, hi, bool(info.inclusive[0]), bool(info.inclusive[1]), bool(info.integrality))
    else:
        for name in (dist.shapes or "").replace(" ", "").split(","):
            if name:
                out[name] = _Domain(-np.inf, np.inf, False, False)
    out["loc"] = _Domain(-np.inf, np.inf, False, False, integral=(kind == "discrete"))
    if kind == "continuous":
        out["scale"] = _Domain(0.0, np.inf, False, False)
    return out


class _Transform:
    """Maps an unconstrained u (0 at the start value) to the parameter's open interval (lo, hi)."""

    def __init__(self, lo: float, hi: float, start: float, unit: float):
        self.lo, self.hi, self.start, self.unit = lo, hi, start, unit
        if np.isfinite(lo) and np.isfinite(hi):
            self.kind = "logit"
            self.offset = float(special.logit((start - lo) / (hi - lo)))
        elif np.isfinite(lo):
            self.kind = "log_lo"
        elif np.isfinite(hi):
            self.kind = "log_hi"
        else:
            self.kind = "linear"

    def __call__(self, u: float) -> float:
        if self.kind == "logit":
            return self.lo + (self.hi - self.lo) * float(special.expit(u + self.offset))
        if self.kind == "log_lo":
            return self.lo + (self.start - self.lo) * math.exp(min(u, 700.0))
        if self.kind == "log_hi":
            return self.hi - (self.hi - self.start) * math.exp(min(u, 700.0))
        return self.start + self.unit * u


def _inside_start(dom: _Domain, preferred: float) -> float:
    """``preferred`` if it lies strictly inside the domain, else a sensible interior point."""
    lo, hi = dom.lo, dom.hi
    if lo < preferred < hi and np.isfinite(preferred):
        return float(preferred)
    if np.isfinite(lo) and np.isfinite(hi):
        return (lo + hi) / 2.0
    if np.isfinite(lo):
        return lo + 1.0
    if np.isfinite(hi):
        return hi - 1.0
    return 0.0


def numerical_mle(
    dist,
    data: ArrayLike,
    *,
    fixed: Mapping[str, float] | None = None,
    x0: Mapping[str, float] | Sequence[float] | None = None,
    bounds: Mapping[str, tuple[float | None, float | None]] | None = None,
) -> NumericalMLE:
    """Maximum likelihood estimate by numerical optimisation, for any ``scipy.stats`` distribution.

    Maximises ln L(θ) = Σ ln f(xᵢ | θ) (``logpdf`` or ``logpmf`` summed over the data) over the free
    parameters θ with ``scipy.optimize.minimize``. It shares no code with the closed forms of
    :mod:`mle_lib.estimators`, which makes it an independent check on them.

    Parameters
    ----------
    dist : scipy.stats distribution
        An unfrozen distribution object such as ``scipy.stats.norm`` or ``scipy.stats.poisson``. Its
        parameters are its shapes, then ``loc`` and (continuous only) ``scale``.
    data : array_like of shape (n,)
        The sample x₁ … xₙ (integers for a discrete distribution).
    fixed : dict, optional
        Parameters held at given values, e.g. ``{"loc": 0}``. A discrete distribution's ``loc`` and
        integer-valued shapes (binom's ``n``) must be fixed: the likelihood is a step function of them.
    x0 : dict or sequence, optional
        Start values for the free parameters: a dict for some of them, or a sequence for all, in
        ``scipy.stats`` order. By default: a midpoint for bounded shapes (p = 1/2), 1 for positive
        shapes (μ = 1 for the Poisson), the sample standard deviation for ``scale`` and a ``loc``
        that centres the support on the data; if that start makes the data impossible, scipy's own
        ``dist.fit`` (continuous only).
    bounds : dict, optional
        ``{name: (low, high)}`` to confine the search for some free parameters (``None`` = no limit);
        it is intersected with the parameter's natural domain and its ends are allowed.

    Returns
    -------
    NumericalMLE
        Estimates, ln L(θ̂), convergence flag, and — when θ̂ is an interior point of a smooth
        likelihood — the observed information, covariance, standard errors and Wald intervals.

    Notes
    -----
    The search runs on an unconstrained scale (log for positive parameters, logit for parameters in
    an interval, loc in units of the sample standard deviation) with Nelder–Mead, which tolerates the
    −inf of impossible data, and is then polished by BFGS with central-difference gradients.

    Two kinds of maximum are not interior points, and are handled explicitly rather than left to the
    optimiser's tolerance: (1) the parameter space's edge (p̂ = 0 when every trial failed, μ̂ = 0 for
    all-zero Poisson counts, the end of a ``bounds`` interval) — each finite end is tried and kept if
    it is at least as likely; (2) the support's edge, where ``loc``/``scale`` make the support touch the
    sample minimum or maximum (the uniform, whose likelihood (b − a)^(−n) has no interior optimum;
    the exponential with free ``loc``) — the support is snapped onto the data extremes if that is at
    least as likely. Either way ``on_boundary`` is True and the information-based attributes raise a
    ``ValueError`` explaining why, since the asymptotic normal theory does not apply there.

    Raises
    ------
    TypeError
        If ``dist`` is not an unfrozen ``scipy.stats`` distribution, or an argument has the wrong type.
    ValueError
        If ``data`` is empty, not 1-D, not finite, or not integers for a discrete ``dist``; if
        ``fixed``, ``x0`` or ``bounds`` name unknown parameters or give values outside a domain; if
        nothing is left free; if no start value gives the data a finite log-likelihood; or if no MLE
        exists because the likelihood is unbounded (all data equal with a free ``scale``; a density
        with a pole at the support's edge, such as the gamma with shape a < 1 and a free ``loc``).

    Examples
    --------
    >>> fit = numerical_mle(stats.poisson, [2, 0, 3, 1], fixed={"loc": 0})
    >>> round(fit.params["mu"], 6), round(fit.standard_errors["mu"], 6)   # x̄ and √(x̄/n)
    (1.5, 0.612372)
    >>> fit = numerical_mle(stats.uniform, [2.5, 0.5, 1.75, 3.0])
    >>> fit.params, fit.on_boundary                                       # loc = x₍₁₎, scale = x₍ₙ₎ − x₍₁₎
    ({'loc': 0.5, 'scale': 2.5}, True)
    """
    kind = _distribution_kind(dist)
    domains = _domains(dist, kind)
    names = list(domains)
    xs = as_sample(data, "data")
    if kind == "discrete":
        frac = xs != np.floor(xs)
        if frac.any():
            i = int(np.flatnonzero(frac)[0])
            raise ValueError(
                f"data must be integers for the discrete distribution {dist.name}; got {xs[i]} at index {i}"
            )

    # --- fixed ------------------------------------------------------------------------------------------------
    if fixed is None:
        fixed = {}
    if not isinstance(fixed, Mapping):
        raise TypeError(f"fixed must be a dict of parameter names to values; got {type(fixed).__name__}")
    fixed_vals: dict[str, float] = {}
    for key, value in fixed.items():
        if key not in domains:
            raise ValueError(f"fixed names unknown parameter {key!r}; {dist.name} has parameters {tuple(names)}")
        v = float(as_float_array(value, f"fixed[{key!r}]", ndim=0))
        dom = domains[key]
        if not dom.contains(v):
            raise ValueError(f"fixed[{key!r}] is outside the parameter's domain {_describe(dom)}; got {v}")
        if dom.integral and v != math.floor(v):
            raise ValueError(f"fixed[{key!r}] must be an integer; got {v}")
        fixed_vals[key] = v
    free = [nm for nm in names if nm not in fixed_vals]
    if not free:
        raise ValueError(f"fixed must leave at least one parameter of {dist.name} free; it fixes all of {tuple(names)}")
    for nm in free:
        if domains[nm].integral:
            what = "loc of a discrete distribution" if nm == "loc" else f"integer-valued parameter {nm!r}"
            raise ValueError(
                f"fixed must give the {what} (e.g. fixed={{{nm!r}: ...}}): the likelihood is a step "
                f"function of it, which a numerical optimiser cannot climb"
            )

    # --- bounds: the search domain of each free parameter -----------------------------------------------------
    search = {nm: _Domain(domains[nm].lo, domains[nm].hi, domains[nm].lo_in, domains[nm].hi_in) for nm in free}
    if bounds is not None:
        if not isinstance(bounds, Mapping):
            raise TypeError(f"bounds must be a dict of parameter names to (low, high); got {type(bounds).__name__}")
        for key, pair in bounds.items():
            if key not in search:
                raise ValueError(
                    f"bounds names {key!r}, which is not a free parameter of {dist.name}; "
                    f"free parameters are {tuple(free)}"
                )
            if isinstance(pair, (str, bytes)) or not isinstance(pair, Sequence) or len(pair) != 2:
                raise TypeError(f"bounds[{key!r}] must be a (low, high) pair; got {pair!r}")
            lo = -np.inf if pair[0] is None else float(as_float_array(pair[0], f"bounds[{key!r}] low", ndim=0))
            hi = np.inf if pair[1] is None else float(as_float_array(pair[1], f"bounds[{key!r}] high", ndim=0))
            dom = search[key]
            new_lo, lo_in = (lo, True) if lo > dom.lo else (dom.lo, dom.lo_in)
            new_hi, hi_in = (hi, True) if hi < dom.hi else (dom.hi, dom.hi_in)
            if not new_lo < new_hi:
                raise ValueError(f"bounds[{key!r}] = {pair!r} leaves no room inside the domain {_describe(dom)}")
            search[key] = _Domain(new_lo, new_hi, lo_in, hi_in)

    # --- the log-likelihood on the natural scale --------------------------------------------------------------
    shape_names = [nm for nm in names if nm not in ("loc", "scale")]
    if kind == "discrete":
        support_vals, weights = np.unique(xs, return_counts=True)  # Σ over distinct values × multiplicity
        weights = weights.astype(np.float64)
    else:
        support_vals, weights = xs, None

    def full(values: Sequence[float]) -> dict[str, float]:
        return {**fixed_vals, **dict(zip(free, (float(v) for v in values)))}

    unbounded: list[dict[str, float]] = []  # parameter values where ln L = +inf, if any

    def loglik(values: Sequence[float]) -> float:
        p = full(values)
        args = [p[nm] for nm in shape_names]
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            if kind == "discrete":
                terms = dist.logpmf(support_vals, *args, loc=p["loc"])
                total = float(np.dot(weights, terms)) if np.all(terms > -np.inf) else -np.inf
            else:
                terms = dist.logpdf(support_vals, *args, loc=p["loc"], scale=p["scale"])
                total = float(np.sum(terms))
        if total == np.inf and not unbounded:
            unbounded.append(p)
        return total if np.isfinite(total) else -np.inf

    # --- start values -----------------------------------------------------------------------------------------
    sd = float(np.std(xs))
    if sd == 0 and kind == "continuous" and "scale" in free:
        raise ValueError(
            f"data are all equal ({xs[0]}), so the {dist.name} likelihood grows without bound as "
            f"scale -> 0 and no maximum likelihood estimate exists"
        )
    data_unit = sd if sd > 0 else max(abs(float(xs[0])), 1.0)
    start: dict[str, float] = {}
    for nm in shape_names:
        if nm in search:
            start[nm] = _inside_start(search[nm], np.nan)
    if "scale" in search:
        start["scale"] = _inside_start(search["scale"], data_unit)
    if "loc" in search:
        loc_g, scale_g = _loc_guess(dist, xs, {**fixed_vals, **start}, shape_names, "scale" in search)
        start["loc"] = _inside_start(search["loc"], loc_g)
        if "scale" in search:
            start["scale"] = _inside_start(search["scale"], scale_g)

    user_start = _parse_x0(x0, free, search)
    start.update(user_start)
    theta0 = [start[nm] for nm in free]
    ll0 = loglik(theta0)
    how_started = "x0" if user_start else "default start"
    if ll0 == -np.inf and kind == "continuous" and len(user_start) < len(free):
        fitted = _scipy_fit_start(dist, xs, fixed_vals, free, shape_names)
        if fitted is not None:
            cand = {**fitted, **user_start}
            cand_theta = [cand[nm] for nm in free]
            if all(search[nm].lo < cand[nm] < search[nm].hi for nm in free):
                ll_c = loglik(cand_theta)
                if ll_c > ll0:
                    theta0, ll0, how_started = cand_theta, ll_c, "dist.fit start"
    if ll0 == -np.inf:
        raise ValueError(
            f"data have log-likelihood -inf under {dist.name} at the start values (is every "
            f"observation inside the support?); if they are, pass start values x0"
        )

    # --- optimise on the unconstrained scale -------------------------------------------------------------------
    units = {nm: (data_unit if nm == "loc" else max(abs(v), 1.0)) for nm, v in zip(free, theta0)}
    transforms = [_Transform(search[nm].lo, search[nm].hi, v, units[nm]) for nm, v in zip(free, theta0)]
    k = len(free)

    def natural(u: np.ndarray) -> list[float]:
        return [t(float(ui)) for t, ui in zip(transforms, u)]

    def objective(u: np.ndarray) -> float:
        val = loglik(natural(u))
        return -val if np.isfinite(val) else np.inf

    simplex = np.vstack([np.zeros(k), 0.3 * np.eye(k)])
    f0 = -ll0
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        nm_res = optimize.minimize(
            objective,
            np.zeros(k),
            method="Nelder-Mead",
            options={
                "initial_simplex": simplex,
                "xatol": 1e-9,
                "fatol": 1e-12 * max(1.0, abs(f0)),
                "maxiter": 2000 * k,
                "maxfev": 4000 * k,
            },
        )
    theta = natural(nm_res.x)
    ll = loglik(theta)
    converged = bool(nm_res.success)
    notes = [f"Nelder-Mead from the {how_started}: {nm_res.message}"]

    # --- edges of the parameter space and of the support ------------------------------------------------------
    theta, ll, edge_note = _try_parameter_edges(free, search, theta, ll, loglik)
    on_edge = edge_note is not None
    if not on_edge and kind == "continuous":
        theta, ll, edge_note = _try_support_edges(dist, xs, free, fixed_vals, shape_names, search, theta, ll, loglik)
        on_edge = edge_note is not None

    info = None
    if not on_edge:
        # Polish: BFGS with central-difference gradients from the Nelder–Mead point.
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            u_start = np.array([_inverse(t, v) for t, v in zip(transforms, theta)])
            pol = optimize.minimize(
                objective,
                u_start,
                method="BFGS",
                jac="3-point",
                options={"gtol": 1e-9 * max(1.0, abs(ll)), "maxiter": 200},
            )
        if np.all(np.isfinite(pol.x)) and np.isfinite(pol.fun) and -pol.fun >= ll:
            theta, ll = natural(pol.x), float(-pol.fun)
            converged = converged or bool(pol.success)
            notes.append(f"BFGS polish: {pol.message}")
        info, edge_note = _observed_information(free, search, theta, xs, ll, loglik)
        on_edge = info is None
    if edge_note is not None:
        notes.append(edge_note)
    if unbounded:
        where = ", ".join(f"{nm}={v:.6g}" for nm, v in unbounded[0].items())
        raise ValueError(
            f"the {dist.name} likelihood of these data is unbounded (ln L = +inf at {where}, where the "
            f"density is infinite at an observation), so no maximum likelihood estimate exists; fix "
            f"the offending parameter with fixed={{...}}"
        )

    return NumericalMLE(
        params={nm: float(v) for nm, v in zip(free, theta)},
        loglik=float(ll),
        converged=converged,
        on_boundary=on_edge,
        fixed=dict(fixed_vals),
        message="; ".join(notes),
        _information=info,
    )


def _describe(dom: _Domain) -> str:
    left = "[" if dom.lo_in else "("
    right = "]" if dom.hi_in else ")"
    return f"{left}{dom.lo:g}, {dom.hi:g}{right}"


def _inverse(t: _Transform, v: float) -> float:
    """u with t(u) = v (v strictly inside the transform's interval)."""
    if t.kind == "logit":
        return float(special.logit((v - t.lo) / (t.hi - t.lo))) - t.offset
    if t.kind == "log_lo":
        return math.log((v - t.lo) / (t.start - t.lo))
    if t.kind == "log_hi":
        return math.log((t.hi - v) / (t.hi - t.start))
    return (v - t.start) / t.unit


def _loc_guess(
    dist, xs: np.ndarray, values: dict[str, float], shape_names: list[str], scale_free: bool
) -> tuple[float, float]:
    """Start values (loc, scale) that put the support around the data, given the shapes' start values.

    For a support bounded on both sides (the uniform) a free scale is widened so the support covers
    the data with a 5 % margin each side; otherwise scale is returned unchanged.
    """
    args = [values[nm] for nm in shape_names]
    scale = values.get("scale", 1.0)
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        try:
            a0, b0 = (float(v) for v in dist.support(*args))
        except Exception:
            a0, b0 = -np.inf, np.inf
        lo, hi = float(xs.min()), float(xs.max())
        pad = 0.05 * (hi - lo) if hi > lo else 0.05 * max(abs(lo), 1.0)
        if np.isfinite(a0) and np.isfinite(b0):
            if scale_free and b0 > a0:
                scale = (hi - lo + 2.0 * pad) / (b0 - a0)
            return (lo + hi) / 2.0 - scale * (a0 + b0) / 2.0, scale
        if np.isfinite(a0):
            return lo - pad - scale * a0, scale
        if np.isfinite(b0):
            return hi + pad - scale * b0, scale
        try:
            centre = float(dist.median(*args))
        except Exception:
            centre = 0.0
        return float(np.median(xs)) - scale * (centre if np.isfinite(centre) else 0.0), scale


def _scipy_fit_start(dist, xs, fixed_vals, free, shape_names) -> dict[str, float] | None:
    """scipy's own ``dist.fit`` as a fallback start for a continuous distribution."""
    kwargs = {}
    for nm, v in fixed_vals.items():
        kwargs["f" + nm if nm in ("loc", "scale") else "fix_" + nm] = v
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            est = dist.fit(xs, **kwargs)
    except Exception:
        return None
    order = shape_names + ["loc", "scale"]
    values = dict(zip(order, (float(v) for v in est)))
    if not all(np.isfinite(values.get(nm, np.nan)) for nm in free):
        return None
    return {nm: values[nm] for nm in free}


def _parse_x0(x0, free: list[str], search: dict[str, _Domain]) -> dict[str, float]:
    if x0 is None:
        return {}
    if isinstance(x0, Mapping):
        items = list(x0.items())
        for key, _ in items:
            if key not in search:
                raise ValueError(f"x0 names {key!r}, which is not a free parameter; free parameters are {tuple(free)}")
    else:
        arr = as_float_array(x0, "x0", ndim=1)
        if arr.size != len(free):
            raise ValueError(
                f"x0 must give {len(free)} start values, one per free parameter {tuple(free)}; got {arr.size}"
            )
        items = list(zip(free, arr))
    out = {}
    for key, value in items:
        v = float(as_float_array(value, f"x0[{key!r}]", ndim=0))
        dom = search[key]
        if not dom.lo < v < dom.hi:
            raise ValueError(f"x0[{key!r}] must lie strictly inside the search interval {_describe(dom)}; got {v}")
        out[key] = v
    return out


def _try_parameter_edges(free, search, theta, ll, loglik):
    """Try each finite, attainable end of each free parameter's interval; keep any at least as likely."""
    best, best_ll, note = list(theta), ll, None
    for j, nm in enumerate(free):
        dom = search[nm]
        for end, attainable in ((dom.lo, dom.lo_in), (dom.hi, dom.hi_in)):
            if not (attainable and np.isfinite(end)):
                continue
            cand = list(best)
            cand[j] = end
            ll_c = loglik(cand)
            if ll_c >= best_ll:
                best, best_ll = cand, ll_c
                note = (
                    f"the maximum is on the edge of the parameter space ({nm} = {end:g}), where the "
                    f"log-likelihood is not differentiable in the usual sense and the asymptotic normal "
                    f"theory does not apply"
                )
    return best, best_ll, note


def _try_support_edges(dist, xs, free, fixed_vals, shape_names, search, theta, ll, loglik):
    """Snap loc/scale so that the support's edge sits on the sample extreme, if that is at least as likely."""
    if "loc" not in free and "scale" not in free:
        return theta, ll, None
    p = {**fixed_vals, **dict(zip(free, theta))}
    args = [p[nm] for nm in shape_names]
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        try:
            a0, b0 = (float(v) for v in dist.support(*args))
        except Exception:
            return theta, ll, None
    lo, hi = float(xs.min()), float(xs.max())
    loc, scale = p["loc"], p["scale"]
    cands: list[dict[str, float]] = []
    if "loc" in free and "scale" in free and np.isfinite(a0) and np.isfinite(b0) and hi > lo:
        s = (hi - lo) / (b0 - a0)
        cands.append({"loc": lo - s * a0, "scale": s})
    if "loc" in free:
        if np.isfinite(a0):
            cands.append({"loc": lo - scale * a0})
        if np.isfinite(b0):
            cands.append({"loc": hi - scale * b0})
    if "scale" in free:
        if np.isfinite(b0) and b0 > 0 and hi > loc:
            cands.append({"scale": (hi - loc) / b0})
        if np.isfinite(a0) and a0 < 0 and lo < loc:
            cands.append({"scale": (lo - loc) / a0})
    best, best_ll, note = list(theta), ll, None
    for cand in cands:
        values = dict(zip(free, theta))
        values.update(cand)
        # The support's end is computed in floating point; nudge it outward by a few ulps if rounding
        # left the extreme observation just outside.
        for _ in range(4):
            vec = [values[nm] for nm in free]
            if not all(search[nm].contains(values[nm]) for nm in free):
                break
            ll_c = loglik(vec)
            if ll_c > -np.inf:
                if ll_c >= best_ll:
                    best, best_ll = vec, ll_c
                    note = (
                        "the maximum is on the edge of the support (it touches the sample minimum or maximum), "
                        "so ln L is not differentiable there and the asymptotic normal theory does not apply"
                    )
                break
            if "scale" in cand:
                values["scale"] = float(np.nextafter(values["scale"], np.inf))
            elif "loc" in cand and np.isfinite(a0) and cand["loc"] == lo - scale * a0:
                values["loc"] = float(np.nextafter(values["loc"], -np.inf))
            else:
                values["loc"] = float(np.nextafter(values["loc"], np.inf))
    return best, best_ll, note


def _observed_information(free, search, theta, xs, ll, loglik):
    """−Hessian of ln L at θ̂ on the natural scale, by central differences with a relative step."""
    k = len(free)
    sd = float(np.std(xs))
    h = np.empty(k)
    for j, nm in enumerate(free):
        v, dom = theta[j], search[nm]
        gaps = [g for g in (v - dom.lo, dom.hi - v) if np.isfinite(g)]
        if gaps:
            ref = min(gaps)
        elif nm == "loc":
            ref = max(sd, 1e-4 * abs(v)) if sd > 0 else max(abs(v), 1.0)
        else:
            ref = max(abs(v), 1.0)
        h[j] = 1e-4 * ref
    theta = np.asarray(theta, dtype=np.float64)

    def f(shift: np.ndarray) -> float:
        return loglik(list(theta + shift))

    hess = np.empty((k, k))
    for i in range(k):
        ei = np.zeros(k)
        ei[i] = h[i]
        fp, fm = f(ei), f(-ei)
        hess[i, i] = (fp - 2.0 * ll + fm) / h[i] ** 2
        for j in range(i):
            ej = np.zeros(k)
            ej[j] = h[j]
            hess[i, j] = hess[j, i] = (f(ei + ej) - f(ei - ej) - f(-ei + ej) + f(-ei - ej)) / (4.0 * h[i] * h[j])
    if not np.all(np.isfinite(hess)):
        return None, (
            "the maximum is on the edge of the support: ln L is -inf arbitrarily close to it, so it "
            "has no Hessian there and the asymptotic normal theory does not apply"
        )
    info = -(hess + hess.T) / 2.0
    info.setflags(write=False)
    return info, None


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
