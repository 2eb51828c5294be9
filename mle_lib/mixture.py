"""EM for Gaussian mixtures: the estimator, one-step functions, MAP-EM and model selection.

The model of deck 2 (Bishop's notation)::

    p(x) = Σ_k π_k N(x | μ_k, Σ_k),        Σ_k π_k = 1,  π_k ≥ 0

and its EM algorithm:

* **E-step** — responsibilities γ(z_nk) = π_k N(x_n|μ_k,Σ_k) / Σ_j π_j N(x_n|μ_j,Σ_j)  (:func:`e_step`);
* **M-step** — N_k = Σ_n γ(z_nk), μ_k = Σ_n γ(z_nk) x_n / N_k,
  Σ_k = Σ_n γ(z_nk)(x_n − μ_k)(x_n − μ_k)ᵀ / N_k, π_k = N_k / N (Lagrange multiplier λ = −N)
  (:func:`m_step`);
* repeat until the log-likelihood ln p(X) = Σ_n ln Σ_k π_k N(x_n|μ_k,Σ_k) stops changing
  (:class:`GaussianMixture`).

Deck 1's variants are options of the same machinery: classification ("hard") EM
(``classification=True`` / ``e_step(..., hard=True)``) and the restricted 1-D model with σ₁ = σ₂
known and τ = 0.5 (``fixed={"weights", "covariances"}``).  The "Bayesian treatment" of deck 2's
singularities is MAP-EM with mclust's conjugate prior (``prior="default"``, :func:`default_prior`).

Layout of responsibilities
--------------------------
:func:`e_step` returns responsibilities **component-major**, shape ``(K, N)``: ``resp[k, n]`` is
γ(z_nk) (row k is "how much of each point component k owns", the slide's row ``z_·k``), and
:func:`m_step` takes them in that layout.  The estimator's :meth:`GaussianMixture.predict_proba`
returns scikit-learn's ``(N, K)``.

Numerics
--------
Log-domain throughout: each component's ln π_k N(x|μ_k,Σ_k) is computed on centred data
(x − μ_k) through the Cholesky factor L_k of Σ_k (quadratic form ‖L_k⁻¹(x − μ_k)‖²) and normalised
over components by :func:`mle_lib._gaussian.normalize_log_joint` — the same function the hat trick's
posterior (:func:`mle_lib.posterior_probs`) uses, so a point far from every component gets the limit
posterior (the nearest component wins) rather than NaN.  With data offset by 1e8 the per-sample
log-density stays exact to ~3e-16 relative (scikit-learn's uncentred X·U − μ·U loses 1e-9 for
full/tied and up to 1e-1 for diag/spherical there).
:class:`~mle_lib.GaussianMixture` (in :mod:`mle_lib.gaussian_mixture`) fits with the sweeps of
:mod:`mle_lib._em_sweeps`, which fuse each E-step with the sums the next M-step needs and never store
the ``(K, N)`` responsibilities; they agree with alternating :func:`e_step` and :func:`m_step` to
~1e-12 and with scikit-learn from the same start to ~1e-14.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable

import numpy as np
from numpy.typing import ArrayLike
from scipy.linalg import solve_triangular

from . import _mixture_numerics as _nx
from ._checks import SIMPLEX_ATOL, as_float_array, check_columns_sum_to_one, check_int
from ._gaussian import normal_limit_terms, normalize_log_joint

__all__ = ["e_step", "m_step", "mixture_logpdf", "lower_bound", "default_prior", "COVARIANCE_TYPES"]

COVARIANCE_TYPES = _nx.COVARIANCE_TYPES
FIXABLE = ("weights", "means", "covariances")
#: Largest range a feature of X may span (squared distances must not overflow).
MAX_SPAN = 1e100
#: Smallest non-zero range a feature of X may span in fit (variances must not underflow).
MIN_SPAN = 1e-100
#: A matrix prior scale Λ must have a correlation matrix with λ_min > PRIOR_COND_MIN (non-singular).
PRIOR_COND_MIN = 1e-12


# ----------------------------------------------------------------------------------------------
# Validation helpers (the boundary)
# ----------------------------------------------------------------------------------------------


def _as_data(X: ArrayLike, name: str = "X") -> np.ndarray:
    """Finite float64 data of shape (N, D); a 1-D array is read as N samples of one feature."""
    arr = as_float_array(X, name, ndim=(1, 2))
    if arr.ndim == 1:
        arr = arr[:, None]
    if arr.shape[1] == 0:
        raise ValueError(f"{name} must have at least one feature; got shape {arr.shape}")
    return np.ascontiguousarray(arr)


def _check_span(X: np.ndarray, name: str = "X", extra: np.ndarray | None = None, check_small: bool = False) -> None:
    hi, lo = X.max(axis=0), X.min(axis=0)
    if extra is not None:
        hi, lo = np.maximum(hi, extra.max(axis=0)), np.minimum(lo, extra.min(axis=0))
    span = hi - lo
    if np.any(span > MAX_SPAN):
        j = int(np.argmax(span > MAX_SPAN))
        raise ValueError(
            f"{name} spans {span[j]:.3g} in feature {j}, more than {MAX_SPAN:g}: squared "
            "distances would overflow; rescale the data"
        )
    small = (span > 0) & (span < MIN_SPAN)
    if check_small and np.any(small):
        j = int(np.argmax(small))
        raise ValueError(
            f"{name} spans only {span[j]:.3g} in feature {j}, less than {MIN_SPAN:g} (but not 0): "
            "variances would underflow; rescale the data"
        )


def _check_covariance_type(covariance_type: object) -> str:
    if not isinstance(covariance_type, str) or covariance_type not in COVARIANCE_TYPES:
        raise ValueError(f"covariance_type must be one of {COVARIANCE_TYPES}; got {covariance_type!r}")
    return covariance_type


def _check_nonneg_real(value: object, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number; got {type(value).__name__} {value!r}")
    v = float(value)
    if not math.isfinite(v) or v < 0:
        raise ValueError(f"{name} must be a finite number >= 0; got {value!r}")
    return v


def _check_weights(weights: ArrayLike, K: int, name: str) -> np.ndarray:
    """Mixing weights: shape (K,), each in [0, 1], summing to 1 (within :data:`~mle_lib._checks.SIMPLEX_ATOL`).

    The messages contain scikit-learn's wording ("The parameter 'weights' should ...") after the
    argument's own name, so code written against either library recognises them.
    """
    w = as_float_array(weights, name)
    if w.shape != (K,):
        raise ValueError(f"{name}: The parameter 'weights' should have the shape of ({K},), but got {w.shape}")
    if np.any(w < 0) or np.any(w > 1):
        raise ValueError(
            f"{name}: The parameter 'weights' should be in the range [0, 1], but got min value "
            f"{w.min():.5f}, max value {w.max():.5f}"
        )
    total = float(w.sum())
    if abs(total - 1.0) > SIMPLEX_ATOL:
        raise ValueError(f"{name}: The parameter 'weights' should be normalized, but got sum(weights) = {total:.5f}")
    return w.copy()


def _check_means(means: ArrayLike, K: int, D: int, name: str) -> np.ndarray:
    m = as_float_array(means, name)
    if D == 1 and m.shape == (K,):
        m = m[:, None]
    if m.shape != (K, D):
        raise ValueError(
            f"{name}: The parameter 'means' should have the shape of ({K}, {D}) (n_components, n_features), "
            f"but got {m.shape}"
        )
    return np.array(m, dtype=float, copy=True)


def _covariance_shape(covariance_type: str, K: int, D: int) -> tuple:
    return {"full": (K, D, D), "tied": (D, D), "diag": (K, D), "spherical": (K,)}[covariance_type]


def _check_covariances(
    cov: ArrayLike, covariance_type: str, K: int, D: int, name: str
) -> tuple[np.ndarray, _nx.Factors]:
    """Covariances in scikit-learn's shape, symmetric and positive definite, with their Cholesky factors."""
    c = as_float_array(cov, name)
    shape = _covariance_shape(covariance_type, K, D)
    if D == 1 and covariance_type == "full" and c.shape == (K,):
        c = c[:, None, None]
    elif D == 1 and covariance_type == "diag" and c.shape == (K,):
        c = c[:, None]
    elif D == 1 and covariance_type == "tied" and c.shape in ((), (1,)):
        c = c.reshape(1, 1)
    if c.shape != shape:
        raise ValueError(
            f"{name} must have shape {shape} for covariance_type={covariance_type!r} "
            f"(covariances, as in scikit-learn); got {c.shape}"
        )
    c = np.array(c, dtype=float, copy=True)
    if covariance_type in ("full", "tied"):
        mats = c if covariance_type == "full" else c[None]
        asym = np.abs(mats - np.swapaxes(mats, 1, 2)).max()
        if asym > 1e-10 * max(1.0, float(np.abs(mats).max())):
            raise ValueError(f"{name} must be symmetric; largest asymmetry {asym:.3g}")
    try:
        return c, _nx.Factors(c, covariance_type, K, D, what=name)
    except _nx.CollapseError as exc:
        raise ValueError(str(exc)) from None


def _check_fixed(fixed: object) -> frozenset:
    if fixed is None:
        return frozenset()
    if isinstance(fixed, str):
        fixed = (fixed,)
    if not isinstance(fixed, Iterable):
        raise TypeError(f"fixed must be a set of names from {FIXABLE}; got {fixed!r}")
    try:
        items = frozenset(fixed)
    except TypeError:
        raise TypeError(f"fixed must be a set of names from {FIXABLE}; got {fixed!r}") from None
    bad = sorted(str(f) for f in items if f not in FIXABLE)
    if bad:
        raise ValueError(f"fixed must contain only {FIXABLE}; got {bad}")
    return items


# ----------------------------------------------------------------------------------------------
# The prior (mclust's defaultPrior)
# ----------------------------------------------------------------------------------------------


def default_prior(X: ArrayLike, n_components: int, covariance_type: str = "full") -> dict:
    """mclust's default conjugate prior for a K-component mixture (Fraley & Raftery 2007).

    The prior of *Bayesian regularization for normal mixture estimation and model-based
    clustering* (C. Fraley and A. E. Raftery, Journal of Classification 24:155–181, 2007) as
    ``mclust::priorControl()`` builds it with ``defaultPrior``:

    * μ_k | Σ_k ~ N(μ_P, Σ_k/κ_P) with shrinkage κ_P = 0.01 and μ_P = the mean of the data;
    * full / tied: Σ_k ~ inverse-Wishart(ν_P, Λ_P) with ν_P = D + 2 and
      Λ_P = cov(X)/K^{2/D} (the sample covariance with the n − 1 divisor, as R's ``var``; when
      N ≤ D its diagonal only);
    * diag / spherical: each variance ~ inverse-gamma(ν_P/2, ζ²_P/2) with ν_P = D + 2 and the
      scalar ζ²_P = (Σ_j var(x_j)/D)/K^{2/D};
    * no prior on the weights π.

    Parameters
    ----------
    X : array_like of shape (n_samples, n_features) or (n_samples,)
        The data (at least two samples).
    n_components : int
        K, the number of components.
    covariance_type : {'full', 'tied', 'diag', 'spherical'}

    Returns
    -------
    dict
        ``shrinkage`` (κ_P), ``mean`` (μ_P, shape (D,)), ``dof`` (ν_P) and ``scale`` (Λ_P of shape
        (D, D), or the scalar ζ²_P).  Pass it (or an edited copy) as ``prior=`` to
        :class:`GaussianMixture` or :func:`m_step`.

    Examples
    --------
    >>> p = default_prior([[0.0], [1.0], [2.0], [3.0]], n_components=2, covariance_type="diag")
    >>> p["shrinkage"], p["dof"], round(p["scale"], 6)
    (0.01, 3.0, 0.416667)
    """
    X = _as_data(X)
    covariance_type = _check_covariance_type(covariance_type)
    K = check_int(n_components, "n_components", minimum=1)
    if X.shape[0] < 2:
        raise ValueError(f"X must have at least 2 samples for the default prior (it uses var(X)); got {X.shape[0]}")
    return _default_prior(X, K, covariance_type)


def _default_prior(X: np.ndarray, K: int, covariance_type: str) -> dict:
    """:func:`default_prior` for data already validated (N ≥ 2)."""
    N, D = X.shape
    fac = float(K) ** (-2.0 / D)
    var = X.var(axis=0, ddof=1)
    if covariance_type in ("full", "tied"):
        scale = fac * np.atleast_2d(np.cov(X, rowvar=False, ddof=1)) if N > D else fac * np.diag(var)
    else:
        scale = fac * float(var.sum()) / D
    return {"shrinkage": 0.01, "mean": X.mean(axis=0), "dof": float(D + 2), "scale": scale}


def _resolve_prior(
    prior: object, X: np.ndarray, K: int, covariance_type: str, reg_covar: float, name: str = "prior"
) -> dict | None:
    """Validate ``prior`` (None, 'default' or a dict) and fold ``reg_covar`` into its scale."""
    if prior is None:
        return None
    N, D = X.shape
    if isinstance(prior, str):
        if prior != "default":
            raise ValueError(f"{name} must be None, 'default' or a dict; got {prior!r}")
        if N < 2:
            raise ValueError(f"{name}='default' needs at least 2 samples in X (it uses var(X)); got {N}")
        p = _default_prior(X, K, covariance_type)
    elif isinstance(prior, dict):
        unknown = set(prior) - {"shrinkage", "mean", "dof", "scale"}
        if unknown:
            raise ValueError(f"{name} has unknown keys {sorted(unknown)}; allowed: shrinkage, mean, dof, scale")
        p = _default_prior(X, K, covariance_type) if N >= 2 else {}
        p = {**p, **prior}
        missing = {"shrinkage", "mean", "dof", "scale"} - set(p)
        if missing:
            raise ValueError(f"{name} is missing {sorted(missing)} (X has too few samples for defaults)")
    else:
        raise TypeError(f"{name} must be None, 'default' or a dict; got {type(prior).__name__}")
    kappa = _check_nonneg_real(p["shrinkage"], f"{name}['shrinkage']")
    if kappa <= 0:
        raise ValueError(f"{name}['shrinkage'] must be > 0; got {kappa}")
    mean = as_float_array(p["mean"], f"{name}['mean']").reshape(-1)
    if mean.shape != (D,):
        raise ValueError(f"{name}['mean'] must have shape ({D},); got {mean.shape}")
    dof = _check_nonneg_real(p["dof"], f"{name}['dof']")
    if covariance_type in ("full", "tied"):
        if dof <= D - 1:
            raise ValueError(f"{name}['dof'] must be > n_features - 1 = {D - 1}; got {dof}")
        scale = as_float_array(p["scale"], f"{name}['scale']")
        scale = np.atleast_2d(scale) if D == 1 else scale
        if scale.shape != (D, D):
            raise ValueError(f"{name}['scale'] must have shape ({D}, {D}); got {scale.shape}")
        scale = 0.5 * (scale + scale.T) + reg_covar * np.eye(D)
        sd = np.sqrt(np.clip(np.diag(scale), 0.0, None))
        ok = bool(np.all(sd > 0))
        if ok:
            ev = np.linalg.eigvalsh(scale / np.outer(sd, sd))
            ok = bool(ev[0] > PRIOR_COND_MIN)
        if not ok:
            raise ValueError(
                f"{name}['scale'] (+ reg_covar·I) must be positive definite, its correlation "
                f"matrix with smallest eigenvalue > {PRIOR_COND_MIN:g} — X is (nearly) collinear "
                "or has a constant feature; use reg_covar > 0"
            )
        pivots = np.diag(np.linalg.cholesky(scale)) ** 2
        need = _nx.variance_resolution(X) * (dof + N + K + D + 2.0)
        if np.any(pivots < need):
            raise ValueError(
                f"{name}['scale'] (+ reg_covar·I) is below the double-precision resolution of X "
                "(X has (almost) no variance); use reg_covar > 0"
            )
    else:
        if dof <= 0:
            raise ValueError(f"{name}['dof'] must be > 0; got {dof}")
        scale = as_float_array(p["scale"], f"{name}['scale']")
        if covariance_type == "diag" and scale.shape not in ((), (D,)):
            raise ValueError(f"{name}['scale'] must be a scalar or have shape ({D},); got {scale.shape}")
        if covariance_type == "spherical" and scale.shape != ():
            raise ValueError(f"{name}['scale'] must be a scalar for covariance_type='spherical'; got {scale.shape}")
        scale = scale + reg_covar
        if np.any(scale <= 0):
            raise ValueError(
                f"{name}['scale'] (+ reg_covar) must be > 0; got {scale} — X has no variance? use reg_covar > 0"
            )
        floor = _nx.variance_resolution(X)
        if covariance_type == "spherical":
            floor = floor.mean()
        if np.any(scale < floor * (dof + (N + 1.0) * D + 2.0)):
            raise ValueError(
                f"{name}['scale'] (+ reg_covar) is below the double-precision resolution of X "
                "(X has (almost) no variance); use reg_covar > 0"
            )
    return {"shrinkage": kappa, "mean": mean, "dof": dof, "scale": float(scale) if scale.shape == () else scale}


# ----------------------------------------------------------------------------------------------
# One step at a time
# ----------------------------------------------------------------------------------------------


def e_step(
    X: ArrayLike,
    weights: ArrayLike,
    means: ArrayLike,
    covariances: ArrayLike,
    covariance_type: str = "full",
    *,
    hard: bool = False,
) -> tuple[np.ndarray, float]:
    """The E-step: responsibilities γ(z_nk) and the log-likelihood ln p(X | π, μ, Σ).

    γ(z_nk) = π_k N(x_n|μ_k,Σ_k) / Σ_j π_j N(x_n|μ_j,Σ_j), evaluated in the log domain on centred
    data through Cholesky factors, normalised with a max-shifted log-sum-exp.

    Parameters
    ----------
    X : array_like of shape (n_samples, n_features) or (n_samples,)
        Data; a 1-D array is n samples of one feature.
    weights : array_like of shape (K,)
        Mixing coefficients π_k (non-negative, summing to 1).
    means : array_like of shape (K, D) (or (K,) when D = 1)
    covariances : array_like
        Covariances (not precisions) in scikit-learn's shape for ``covariance_type``:
        full (K, D, D), tied (D, D), diag (K, D), spherical (K,) (variances σ²_k).
    covariance_type : {'full', 'tied', 'diag', 'spherical'}
    hard : bool
        Classification EM: round each column of γ to one-hot at its largest entry (ties go to the
        lowest component index) — deck 1's "if E[z_ij] > .5 pretend it's 1".

    Returns
    -------
    resp : ndarray of shape (K, N)
        **Component-major** responsibilities: ``resp[k, n]`` = γ(z_nk); each column sums to 1.
    log_likelihood : float
        ln p(X) = Σ_n ln Σ_k π_k N(x_n|μ_k,Σ_k), the *total* (divide by N for scikit-learn's
        ``score``), at the parameters given.

    Examples
    --------
    Deck 1's first E-step (σ = 1, τ = 0.5, μ = (−20, 6)):

    >>> x = [-6, -5, -4, 0, 4, 5, 6]
    >>> resp, ll = e_step(x, [0.5, 0.5], [-20, 6], [1.0, 1.0], "spherical")
    >>> print(" ".join(f"{z:.2e}" for z in resp[0]))
    5.11e-12 2.61e-23 1.33e-34 9.09e-80 6.19e-125 3.16e-136 1.62e-147
    """
    ll, resp = _posterior(X, weights, means, covariances, covariance_type)
    if hard:
        resp = _nx.one_hot_kn(resp)
    return resp, float(ll.sum())


def mixture_logpdf(
    X: ArrayLike, weights: ArrayLike, means: ArrayLike, covariances: ArrayLike, covariance_type: str = "full"
) -> np.ndarray:
    """Per-sample log-density of a mixture with given parameters, ln p(x_n) = ln Σ_k π_k N(x_n|μ_k,Σ_k).

    The same log-domain computation as :func:`e_step` (centred data, Cholesky factors, max-shifted
    log-sum-exp), without fitting anything: for drawing a mixture density on a grid, or the
    likelihood surface of chapter 7. Its sum is :func:`e_step`'s log-likelihood.

    Parameters
    ----------
    X : array_like of shape (n_samples, n_features) or (n_samples,)
    weights, means, covariances, covariance_type
        As for :func:`e_step` (covariances, not precisions, in scikit-learn's shapes).

    Returns
    -------
    ndarray of shape (n_samples,)

    Examples
    --------
    Two equal components mix to that same normal (deck 2's share prices, ERRATA.md E10):

    >>> lp = mixture_logpdf([100.0], [0.6, 0.4], [100, 100], [4.0, 4.0], "spherical")
    >>> round(float(lp[0]), 6)  # ln N(100 | 100, 2²) = −ln(2√(2π))
    -1.612086
    """
    ll, _ = _posterior(X, weights, means, covariances, covariance_type)
    return ll


def lower_bound(
    X: ArrayLike,
    resp: ArrayLike,
    weights: ArrayLike,
    means: ArrayLike,
    covariances: ArrayLike,
    covariance_type: str = "full",
) -> float:
    """The lower bound (ELBO) on ln L(θ) for a distribution q over the hidden labels.

    For any q with q_nk ≥ 0 and Σ_k q_nk = 1 for every point (Jensen's inequality)::

        ln L(θ) = Σ_n ln Σ_k π_k N(x_n|μ_k,Σ_k)
                ≥ Σ_n Σ_k q_nk [ln π_k + ln N(x_n|μ_k,Σ_k) − ln q_nk]  =  ELBO(q, θ),

    and ln L(θ) − ELBO(q, θ) = Σ_n KL(q_n ‖ γ_n(θ)) ≥ 0, with γ_n(θ) the E-step's responsibilities.
    So the bound touches ln L at θ when q = γ(θ) (the E-step), and the M-step maximises it over θ
    for fixed q: why EM never lowers the likelihood.  A term with q_nk = 0 counts 0 (0 · ln 0 = 0),
    also where π_k = 0.

    Parameters
    ----------
    X : array_like of shape (n_samples, n_features) or (n_samples,)
    resp : array_like of shape (K, N)
        **Component-major** q (``resp[k, n]`` = q_nk, as :func:`e_step` returns it); each column is
        a probability distribution over the K components (sums to 1 within 1e-8).
    weights, means, covariances, covariance_type
        The parameters θ, as for :func:`e_step`.

    Returns
    -------
    float
        ELBO(q, θ); −inf if q puts mass on a component of weight 0.

    Examples
    --------
    With q from the E-step at the same θ the bound equals ln L (deck 1's seven points):

    >>> x = [-6, -5, -4, 0, 4, 5, 6]
    >>> theta = ([0.5, 0.5], [-6.0, 0.0], [1.0, 1.0])
    >>> resp, ll = e_step(x, *theta, "spherical")
    >>> print(f"{lower_bound(x, resp, *theta, 'spherical'):.4f} {ll:.4f}")
    -52.2821 -52.2821

    Any other q gives less — here q = ½ for every label:

    >>> print(f"{lower_bound(x, [[0.5] * 7, [0.5] * 7], *theta, 'spherical'):.4f}")
    -146.4326
    """
    Xv, w, m, f = _check_parameters(X, weights, means, covariances, covariance_type)
    N = Xv.shape[0]
    K = m.shape[0]
    q = as_float_array(resp, "resp", ndim=2)
    if q.shape != (K, N):
        hint = " (it looks like (N, K): pass resp.T)" if q.shape == (N, K) else ""
        raise ValueError(
            f"resp must have shape (n_components, n_samples) = ({K}, {N}), component-major; got {q.shape}{hint}"
        )
    if np.any(q < 0):
        k, n = np.argwhere(q < 0)[0]
        raise ValueError(f"resp must be non-negative; got {float(q[k, n])!r} at resp[{k}, {n}]")
    check_columns_sum_to_one(q, "resp")
    log_joint = _nx.log_gaussian_kn(Xv, m, f) + _nx.log_weights(w)[:, None]  # ln π_k + ln N(x_n|μ_k,Σ_k)
    used = q > 0
    if np.any(np.isneginf(log_joint[used])):
        return -math.inf
    terms = np.zeros_like(q)
    terms[used] = q[used] * (log_joint[used] - np.log(q[used]))  # 0 · ln 0 = 0 where q_nk = 0
    return float(terms.sum())


def _check_parameters(
    X: ArrayLike, weights: ArrayLike, means: ArrayLike, covariances: ArrayLike, covariance_type: str
) -> tuple[np.ndarray, np.ndarray, np.ndarray, _nx.Factors]:
    """Validated (X as (N, D), π, μ as (K, D), Cholesky factors of Σ) for the E-step and the bound."""
    Xv = _as_data(X)
    _N, D = Xv.shape
    covariance_type = _check_covariance_type(covariance_type)
    m = as_float_array(means, "means")
    if D == 1 and m.ndim == 1:
        m = m[:, None]
    if m.ndim != 2:
        raise ValueError(f"means must have shape (K, {D}); got {m.shape}")
    K = m.shape[0]
    m = _check_means(m, K, D, "means")
    w = _check_weights(weights, K, "weights")
    _, f = _check_covariances(covariances, covariance_type, K, D, "covariances")
    return Xv, w, m, f


def _posterior(
    X: ArrayLike, weights: ArrayLike, means: ArrayLike, covariances: ArrayLike, covariance_type: str
) -> tuple[np.ndarray, np.ndarray]:
    """Validate, then (ln p(x_n), γ as (K, N)) through the one shared normaliser of :mod:`mle_lib._gaussian`."""
    return posterior_kn(*_check_parameters(X, weights, means, covariances, covariance_type))


def posterior_kn(
    X: np.ndarray, weights: np.ndarray, means: np.ndarray, factors: _nx.Factors
) -> tuple[np.ndarray, np.ndarray]:
    """ln p(x_n) and the responsibilities (K, N) for valid parameters: the E-step's one route.

    The log-joint ln π_k + ln N(x_n | μ_k, Σ_k) (centred data, Cholesky factors) normalised by
    :func:`mle_lib._gaussian.normalize_log_joint` — the function the hat trick's posterior uses too —
    with the far-out limit of :func:`_limit_terms`, so that a point far from every component gets the
    right posterior (the nearest component, ties shared by weight) instead of NaN or a uniform guess.
    """
    D = X.shape[1]
    log_w = _nx.log_weights(weights)
    lp = _nx.log_gaussian_kn(X, means, factors)
    lp += log_w[:, None]
    log_offset = log_w - 0.5 * (factors.log_det - factors.log_det.max())  # common shifts cancel
    if D == 1:
        sd = np.exp(0.5 * factors.log_det)
        return normalize_log_joint(
            lp,
            log_offset=log_offset,
            limit=lambda cols: normal_limit_terms(X[cols, 0], means[:, 0], sd),
            overwrite_input=True,
        )
    return normalize_log_joint(
        lp, log_offset=log_offset, limit=lambda cols: _limit_terms(X[cols], means, factors), overwrite_input=True
    )


def _whiten(factors: _nx.Factors, k: int, V: np.ndarray) -> np.ndarray:
    """L_k⁻¹ V for V of shape (D, m), with Σ_k = L_k L_kᵀ."""
    ct = factors.covariance_type
    if ct in ("full", "tied"):
        L = factors.chol[k] if ct == "full" else factors.chol
        return solve_triangular(L, V, lower=True, check_finite=False)
    sd = factors.chol[k]
    return V / (sd[:, None] if ct == "diag" else sd)


def _precision_times(factors: _nx.Factors, k: int, V: np.ndarray) -> np.ndarray:
    """Σ_k⁻¹ V = L_k⁻ᵀ L_k⁻¹ V for V of shape (D, m)."""
    ct = factors.covariance_type
    if ct in ("full", "tied"):
        L = factors.chol[k] if ct == "full" else factors.chol
        return solve_triangular(L, _whiten(factors, k, V), lower=True, trans="T", check_finite=False)
    sd = factors.chol[k]
    return V / (sd[:, None] ** 2 if ct == "diag" else sd**2)


def _limit_terms(X: np.ndarray, means: np.ndarray, factors: _nx.Factors) -> tuple[np.ndarray, np.ndarray]:
    """The far-out terms of :func:`~mle_lib._gaussian.normalize_log_joint` in D dimensions, each (K, m).

    ``half_log_q[k, n]`` = ½ ln ‖L_k⁻¹(u_n − d_k)‖² with data and means centred on the middle c of the
    means and divided by a power of two s_n per sample (exact), so nothing overflows: ½ ln q_k − ln s_n.
    ``relative[k, n]`` = (x_n − (μ_k + μ_r)/2)ᵀ Σ_k⁻¹ (μ_k − μ_r), μ_r the component with the smallest
    q in that column: exactly −½(q_k − q_r) when Σ_k = Σ_r (tied models, equal components), linear in
    x and so exact at any x; for unequal covariances it decides only at a crossing of two forms.
    The multivariate counterpart of :func:`~mle_lib._gaussian.normal_limit_terms`.
    """
    K, _D = means.shape
    centre = 0.5 * means.max(axis=0) + 0.5 * means.min(axis=0)
    top = np.maximum(np.abs(X).max(axis=1), np.abs(means).max())
    scale = np.ldexp(1.0, np.maximum(np.frexp(top)[1] - 1, 0))[:, None]  # (m, 1), powers of two
    u = X / scale - centre / scale
    half_log_q = np.empty((K, X.shape[0]))
    with np.errstate(divide="ignore", under="ignore"):
        for k in range(K):
            y = _whiten(factors, k, (u - (means[k] / scale - centre / scale)).T)
            half_log_q[k] = 0.5 * np.log(np.einsum("dm,dm->m", y, y))
    ref = means[np.argmin(half_log_q, axis=0)]  # (m, D)
    relative = np.empty_like(half_log_q)
    with np.errstate(over="ignore", invalid="ignore", under="ignore"):
        for k in range(K):
            diff = means[k] - ref  # (m, D), exactly 0 for the reference itself
            w = _precision_times(factors, k, diff.T)  # (D, m)
            mid = X - (0.5 * means[k] + 0.5 * ref)
            r = np.einsum("md,dm->m", mid, w)
            relative[k] = np.where(np.all(diff == 0.0, axis=1), 0.0, r)
    return half_log_q, relative


def m_step(
    X: ArrayLike,
    resp: ArrayLike,
    covariance_type: str = "full",
    reg_covar: float = 1e-6,
    *,
    weights: ArrayLike | None = None,
    means: ArrayLike | None = None,
    covariances: ArrayLike | None = None,
    fixed: Iterable[str] = (),
    prior: dict | str | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The M-step: new (π, μ, Σ) from responsibilities.

    Maximum likelihood (deck 2)::

        N_k = Σ_n γ(z_nk),   μ_k = Σ_n γ(z_nk) x_n / N_k,   π_k = N_k / N,
        Σ_k = Σ_n γ(z_nk)(x_n − μ_k)(x_n − μ_k)ᵀ / N_k + reg_covar·I

    (diag keeps the diagonal; spherical the mean of the diagonal; tied pools the scatter over
    components and divides by N — scikit-learn's estimators).  With ``prior`` the updates are the
    MAP ones of Fraley & Raftery (2007), see :class:`GaussianMixture`.

    Parameters
    ----------
    X : array_like of shape (n_samples, n_features) or (n_samples,)
    resp : array_like of shape (K, N)
        **Component-major** responsibilities (``resp[k, n]`` = γ(z_nk)); transpose scikit-learn's
        (N, K) ``predict_proba`` output first.  Columns need not sum to 1 (deck 1's table gives
        E[z_i1] and E[z_i2] separately).
    covariance_type : {'full', 'tied', 'diag', 'spherical'}
    reg_covar : float
        Added to the diagonal of each ML covariance (scikit-learn's ``reg_covar``); with a prior it
        is added to the prior's scale instead.
    weights, means, covariances : array_like, optional
        Current parameters: needed for every name listed in ``fixed`` (those are returned
        unchanged) and used for an *empty* component (N_k < 1e-250), which keeps its mean and
        covariance.
    fixed : iterable of {'weights', 'means', 'covariances'}
        Parameters to hold at the values given (deck 1's σ₁ = σ₂ known, τ = 0.5).
    prior : None, 'default' or dict
        MAP-EM with this conjugate prior (see :func:`default_prior`).

    Returns
    -------
    weights : ndarray of shape (K,)
    means : ndarray of shape (K, D)
    covariances : ndarray in scikit-learn's shape for ``covariance_type``

    Raises
    ------
    ValueError
        Naming ``reg_covar`` when a component collapses (see :class:`GaussianMixture`, Notes).

    Examples
    --------
    Deck 1's M-step table (new μ's 10.66 and 19.09):

    >>> e1 = [0.99, 0.98, 0.7, 0.2, 0.03, 0.01]
    >>> resp = [e1, [1 - z for z in e1]]
    >>> w, mu, var = m_step([9, 10, 11, 19, 20, 21], resp, "spherical", reg_covar=0.0)
    >>> print(f"{mu[0, 0]:.2f} {mu[1, 0]:.2f}")
    10.66 19.09
    """
    X = _as_data(X)
    N, D = X.shape
    covariance_type = _check_covariance_type(covariance_type)
    reg = _check_nonneg_real(reg_covar, "reg_covar")
    r = as_float_array(resp, "resp", ndim=2)
    if r.shape[1] != N:
        hint = " (it looks like (N, K): pass resp.T)" if r.shape[0] == N else ""
        raise ValueError(
            f"resp must have shape (n_components, n_samples) = (K, {N}), component-major; got {r.shape}{hint}"
        )
    if np.any(r < 0):
        raise ValueError("resp must be non-negative")
    K = r.shape[0]
    fx = _check_fixed(fixed)
    prev_w = _check_weights(weights, K, "weights") if weights is not None else None
    prev_m = _check_means(means, K, D, "means") if means is not None else None
    prev_c = (
        _check_covariances(covariances, covariance_type, K, D, "covariances")[0] if covariances is not None else None
    )
    for name, val in (("weights", prev_w), ("means", prev_m), ("covariances", prev_c)):
        if name in fx and val is None:
            raise ValueError(f"fixed contains {name!r}, so {name} must be given")
    pr = _resolve_prior(prior, X, K, covariance_type, reg)
    nk = r.sum(axis=1)
    empty = nk < _nx.EMPTY_NK
    if pr is None and empty.any() and (prev_m is None or prev_c is None):
        ks = [int(k) for k in np.flatnonzero(empty)]
        raise ValueError(
            f"resp gives component(s) {ks} a total responsibility below {_nx.EMPTY_NK:g}: "
            "an empty component has no maximum-likelihood estimate; pass its current "
            "means and covariances (they are then kept) or use a prior"
        )
    fallback = prev_m if prev_m is not None else np.broadcast_to(X.mean(axis=0), (K, D))
    stats = _nx.exact_stats(X, r, covariance_type, fallback)
    prev = None
    if prev_m is not None or prev_c is not None or prev_w is not None:
        prev = (prev_w, prev_m, prev_c)
    w, m, c = _nx.m_update(
        stats, n_samples=N, covariance_type=covariance_type, reg_covar=reg, prev=prev, fixed=fx, prior=pr
    )
    if "covariances" not in fx:
        try:
            f = _nx.Factors(c, covariance_type, K, D, what="the updated covariances")
            _nx.check_resolution(
                f, c, _nx.variance_resolution(X), strict=(reg == 0 and pr is None), what="the updated covariances"
            )
        except _nx.CollapseError as exc:
            raise ValueError(
                f"{exc}: a component collapsed onto a point or a subspace; increase "
                f"reg_covar (now {reg}) or use a prior"
            ) from None
    return w, m, c
