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
γ(z_nk) (row k is "how much of each point component k owns", the slide's row z_·k), and
:func:`m_step` takes them in that layout.  The estimator's :meth:`GaussianMixture.predict_proba`
returns scikit-learn's ``(N, K)``.

Numerics
--------
Log-domain throughout: each component's ln π_k N(x|μ_k,Σ_k) is computed on centred data
(x − μ_k) through the Cholesky factor L_k of Σ_k (quadratic form ‖L_k⁻¹(x − μ_k)‖²), and the sum
over components is a max-shifted exp/sum/log.  With data offset by 1e8 the per-sample
log-density stays exact to ~3e-16 relative (scikit-learn's uncentred X·U − μ·U loses 1e-9 for
full/tied and up to 1e-1 for diag/spherical there).
The fit loop fuses each E-step with the sums the next M-step needs and never stores the
``(K, N)`` responsibilities; see :mod:`mle_lib._mixture_numerics` for its three layouts (it
multiplies by the triangular inverse Cholesky factor with BLAS ``trmm`` instead of solving, expands
the diagonal quadratic forms when D > 4, and skips responsibilities below 1e-30 in the M-step sums
of full/tied models with D > 4).  It agrees with alternating :func:`e_step` and :func:`m_step` to
~1e-12 and with scikit-learn from the same start to ~1e-14.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable

import numpy as np
from numpy.typing import ArrayLike

from . import _mixture_numerics as _nx
from .checks import as_float_array, as_generator, check_int
from .mixture_data import deck1_mstep_table, deck1_two_component_run

__all__ = [
    "GaussianMixture",
    "NotFittedError",
    "e_step",
    "m_step",
    "mixture_logpdf",
    "default_prior",
    "select_n_components",
    "deck1_mstep_table",
    "deck1_two_component_run",
]

COVARIANCE_TYPES = ("full", "tied", "diag", "spherical")
INIT_PARAMS = ("kmeans", "k-means++", "random", "random_from_data")
FIXABLE = ("weights", "means", "covariances")
#: Largest range a feature of X may span (squared distances must not overflow).
MAX_SPAN = 1e100
#: Smallest non-zero range a feature of X may span in fit (variances must not underflow).
MIN_SPAN = 1e-100
#: A matrix prior scale Λ must have a correlation matrix with λ_min > PRIOR_COND_MIN (non-singular).
PRIOR_COND_MIN = 1e-12


class NotFittedError(ValueError, AttributeError):
    """Raised when a :class:`GaussianMixture` is used before :meth:`~GaussianMixture.fit`.

    Subclasses both ``ValueError`` and ``AttributeError``, like scikit-learn's.
    """


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
    w = as_float_array(weights, name)
    if w.shape != (K,):
        raise ValueError(f"{name} must have shape ({K},) (one weight per component); got {w.shape}")
    if np.any(w < 0) or np.any(w > 1):
        raise ValueError(f"{name} must lie in [0, 1]; got {w}")
    total = float(w.sum())
    if abs(total - 1.0) > 1e-8:
        raise ValueError(f"{name} must sum to 1; got sum {total!r}")
    return w.copy()


def _check_means(means: ArrayLike, K: int, D: int, name: str) -> np.ndarray:
    m = as_float_array(means, name)
    if D == 1 and m.shape == (K,):
        m = m[:, None]
    if m.shape != (K, D):
        raise ValueError(f"{name} must have shape ({K}, {D}) (n_components, n_features); got {m.shape}")
    return np.array(m, dtype=float, copy=True)


def _covariance_shape(covariance_type: str, K: int, D: int) -> tuple:
    return {"full": (K, D, D), "tied": (D, D), "diag": (K, D), "spherical": (K,)}[covariance_type]


def _check_covariances(cov: ArrayLike, covariance_type: str, K: int, D: int, name: str) -> np.ndarray:
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
        _nx.Factors(c, covariance_type, K, D, what=name)
    except _nx.CollapseError as exc:
        raise ValueError(str(exc)) from None
    return c


def _check_fixed(fixed: object) -> frozenset:
    if fixed is None:
        return frozenset()
    if isinstance(fixed, str):
        fixed = (fixed,)
    try:
        items = frozenset(fixed)  # type: ignore[arg-type]
    except TypeError:
        raise TypeError(f"fixed must be a set of names from {FIXABLE}; got {fixed!r}") from None
    bad = sorted(str(f) for f in items if f not in FIXABLE)
    if bad:
        raise ValueError(f"fixed must contain only {FIXABLE}; got {bad}")
    return items


def _factors_or_value_error(cov, covariance_type, K, D, what):
    try:
        return _nx.Factors(cov, covariance_type, K, D, what=what)
    except _nx.CollapseError as exc:
        raise ValueError(str(exc)) from None


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
    N, D = X.shape
    K = check_int(n_components, "n_components", minimum=1)
    if N < 2:
        raise ValueError(f"X must have at least 2 samples for the default prior (it uses var(X)); got {N}")
    fac = float(K) ** (-2.0 / D)
    var = X.var(axis=0, ddof=1)
    if covariance_type in ("full", "tied"):
        if N > D:
            scale = fac * np.atleast_2d(np.cov(X, rowvar=False, ddof=1))
        else:
            scale = fac * np.diag(var)
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
        p = default_prior(X, K, covariance_type)
    elif isinstance(prior, dict):
        unknown = set(prior) - {"shrinkage", "mean", "dof", "scale"}
        if unknown:
            raise ValueError(f"{name} has unknown keys {sorted(unknown)}; allowed: shrinkage, mean, dof, scale")
        p = default_prior(X, K, covariance_type) if N >= 2 else {}
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
        scale = float(scale) if scale.shape == () else scale
    return {"shrinkage": kappa, "mean": mean, "dof": dof, "scale": scale}


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
    lp = _weighted_log_densities(X, weights, means, covariances, covariance_type)
    ll, resp = _nx.logsumexp_kn(lp)
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
    lp = _weighted_log_densities(X, weights, means, covariances, covariance_type)
    ll, _ = _nx.logsumexp_kn(lp)
    return ll


def _weighted_log_densities(X, weights, means, covariances, covariance_type) -> np.ndarray:
    """Validate the parameters and return ln π_k + ln N(x_n | μ_k, Σ_k) as a (K, N) array."""
    X = _as_data(X)
    N, D = X.shape
    covariance_type = _check_covariance_type(covariance_type)
    m = as_float_array(means, "means")
    if D == 1 and m.ndim == 1:
        m = m[:, None]
    if m.ndim != 2:
        raise ValueError(f"means must have shape (K, {D}); got {m.shape}")
    K = m.shape[0]
    m = _check_means(m, K, D, "means")
    w = _check_weights(weights, K, "weights")
    c = _check_covariances(covariances, covariance_type, K, D, "covariances")
    f = _nx.Factors(c, covariance_type, K, D)
    lp = _nx.log_gaussian_kn(X, m, f)
    lp += _nx.log_weights(w)[:, None]
    return lp


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
    prev_c = _check_covariances(covariances, covariance_type, K, D, "covariances") if covariances is not None else None
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
        *stats, n_samples=N, covariance_type=covariance_type, reg_covar=reg, prev=prev, fixed=fx, prior=pr
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


# ----------------------------------------------------------------------------------------------
# k-means initialisation
# ----------------------------------------------------------------------------------------------


def _sq_dist(A: np.ndarray, b: np.ndarray) -> np.ndarray:
    d = A - b
    return np.einsum("nd,nd->n", d, d)


def _kmeans_plusplus(Xc: np.ndarray, K: int, rng: np.random.Generator) -> np.ndarray:
    """Greedy k-means++ seeding (Arthur & Vassilvitskii 2007): indices of K distinct samples.

    Each new seed is the best (lowest potential) of 2 + ⌊ln K⌋ candidates drawn with probability
    proportional to the squared distance to the nearest seed so far — the variant scikit-learn uses.
    """
    N = Xc.shape[0]
    n_trials = 2 + int(math.log(K)) if K > 1 else 1
    chosen = [int(rng.integers(N))]
    closest = _sq_dist(Xc, Xc[chosen[0]])
    for _ in range(1, K):
        pot = float(closest.sum())
        if not pot > 0:
            free = np.setdiff1d(np.arange(N), chosen)
            chosen.append(int(free[rng.integers(free.size)]))
            closest = np.minimum(closest, _sq_dist(Xc, Xc[chosen[-1]]))
            continue
        cum = np.cumsum(closest)
        cand = np.searchsorted(cum, rng.random(n_trials) * cum[-1], side="right")
        cand = np.minimum(cand, N - 1)
        best_pot, best_idx, best_closest = np.inf, -1, None
        for i in cand:
            i = int(i)
            if closest[i] == 0:  # already a seed (or a duplicate of one)
                continue
            new_closest = np.minimum(closest, _sq_dist(Xc, Xc[i]))
            p = float(new_closest.sum())
            if p < best_pot:
                best_pot, best_idx, best_closest = p, i, new_closest
        if best_idx < 0:
            positive = np.flatnonzero(closest > 0)
            best_idx = int(positive[rng.integers(positive.size)])
            best_closest = np.minimum(closest, _sq_dist(Xc, Xc[best_idx]))
        chosen.append(best_idx)
        closest = best_closest
    return np.array(chosen)


def _nearest(Xc: np.ndarray, centres: np.ndarray) -> np.ndarray:
    """Index of the nearest centre for every sample (chunked, component-major distances)."""
    N = Xc.shape[0]
    K = centres.shape[0]
    labels = np.empty(N, dtype=np.intp)
    csq = np.einsum("kd,kd->k", centres, centres)[:, None]
    step = max(1024, (1 << 20) // max(K, 1))
    for s in range(0, N, step):
        e = min(N, s + step)
        d = centres @ Xc[s:e].T
        d *= -2.0
        d += csq
        labels[s:e] = d.argmin(axis=0)
    return labels


def _ensure_nonempty(Xc: np.ndarray, labels: np.ndarray, centres: np.ndarray, K: int) -> np.ndarray:
    """Give every empty cluster the sample farthest from its own centre (from a cluster of ≥ 2)."""
    counts = np.bincount(labels, minlength=K)
    for k in np.flatnonzero(counts == 0):
        diff = Xc - centres[labels]
        dist = np.einsum("nd,nd->n", diff, diff)
        movable = counts[labels] > 1
        dist = np.where(movable, dist, -1.0)
        i = int(np.argmax(dist))
        counts[labels[i]] -= 1
        labels[i] = k
        counts[k] += 1
    return labels


def _kmeans(Xc: np.ndarray, K: int, rng: np.random.Generator, max_iter: int = 300, tol: float = 1e-4) -> np.ndarray:
    """Lloyd's k-means from greedy k-means++ seeds; returns labels with no empty cluster."""
    N, D = Xc.shape
    centres = Xc[_kmeans_plusplus(Xc, K, rng)].copy()
    thresh = tol * float(np.mean(Xc.var(axis=0)))
    labels = _nearest(Xc, centres)
    for _ in range(max_iter):
        labels = _ensure_nonempty(Xc, labels, centres, K)
        counts = np.bincount(labels, minlength=K).astype(float)
        new = np.empty_like(centres)
        for j in range(D):
            new[:, j] = np.bincount(labels, weights=Xc[:, j], minlength=K)
        new /= counts[:, None]
        shift = float(((new - centres) ** 2).sum())
        centres = new
        new_labels = _nearest(Xc, centres)
        if np.array_equal(new_labels, labels) or shift <= thresh:
            labels = new_labels
            break
        labels = new_labels
    return _ensure_nonempty(Xc, labels, centres, K)


# ----------------------------------------------------------------------------------------------
# The estimator
# ----------------------------------------------------------------------------------------------


class GaussianMixture:
    """Gaussian mixture fitted by EM — scikit-learn compatible, with the decks' variants.

    Parameters
    ----------
    n_components : int, default 1
        K, the number of components (1 ≤ K ≤ n_samples).
    covariance_type : {'full', 'tied', 'diag', 'spherical'}, default 'full'
        Each component its own full Σ_k; one Σ shared by all; diagonal Σ_k; σ²_k I.
    tol : float, default 1e-3
        Convergence threshold on the change of the *mean per-sample* objective (see Notes).
        ``tol=0`` runs exactly ``max_iter`` iterations.
    reg_covar : float, default 1e-6
        Added to the diagonal of every ML covariance update (scikit-learn's rule), so that a
        component that collapses onto a point keeps a positive-definite Σ_k.  With ``prior`` it is
        added to the prior's scale instead (so the MAP objective stays exact).
    max_iter : int, default 100
        Maximum number of EM iterations per initialisation (≥ 1).
    n_init : int, default 1
        Number of initialisations; the one with the largest ``lower_bound_`` is kept.
    init_params : {'kmeans', 'k-means++', 'random', 'random_from_data'}, default 'kmeans'
        How the starting responsibilities are made (then one M-step gives the starting
        parameters):

        * ``'kmeans'`` — Lloyd's k-means (our own implementation, ≤ 300 iterations) from greedy
          k-means++ seeds drawn with ``random_state``'s Generator;
        * ``'k-means++'`` — the greedy k-means++ seeds only, every sample assigned to its nearest
          seed (scikit-learn instead gives each component its seed alone, with Σ = reg_covar·I);
        * ``'random'`` — responsibilities uniform on [0, 1), normalised per sample;
        * ``'random_from_data'`` — K distinct samples as seeds, nearest-seed assignment.

        Every cluster keeps at least one sample.
    weights_init, means_init, covariances_init : array_like, optional
        Starting values (override what ``init_params`` produced).  **Covariances, not
        precisions**, in scikit-learn's shapes: full (K, D, D), tied (D, D), diag (K, D),
        spherical (K,).  When all three are given, ``init_params`` and ``n_init`` do not matter.
    random_state : int, numpy Generator, SeedSequence or None
        Seeds the initialisation and :meth:`sample`.  The same int gives bit-identical fits.
    verbose : int, default 0
        1 prints one line per initialisation, 2 also one line per iteration.
    classification : bool, default False
        Classification ("hard") EM, deck 1's "Classification EM": after each E-step every
        responsibility column is rounded to one-hot (largest γ wins; ties to the lowest index).
    fixed : set of {'weights', 'means', 'covariances'}, optional
        Parameters held at their ``*_init`` values while EM updates the rest, e.g. deck 1's
        restricted model ``fixed={'weights', 'covariances'}`` with σ₁ = σ₂ and τ = 0.5.
    prior : None, 'default' or dict, default None
        MAP-EM (deck 2's "Bayesian treatment" of singularities) with mclust's conjugate prior;
        ``'default'`` = :func:`default_prior` of the training data, or a dict with any of
        ``shrinkage``, ``mean``, ``dof``, ``scale`` overriding it.

    Attributes
    ----------
    weights_ : ndarray of shape (K,)
    means_ : ndarray of shape (K, D)
    covariances_ : ndarray in scikit-learn's shape for ``covariance_type``
    precisions_cholesky_, precisions_ : ndarray
        As in scikit-learn (Σ⁻¹ = U Uᵀ with U upper triangular for full/tied).
    converged_ : bool
    n_iter_ : int
        EM iterations (E-step + M-step) of the best initialisation.
    lower_bound_ : float
        The mean per-sample objective at the returned parameters (the log-likelihood for plain EM,
        so it equals ``score(X)``).  scikit-learn's ``lower_bound_`` is the value *before* its last
        M-step; ours is evaluated after it.
    loglik_history_ : ndarray of shape (n_iter_ + 1,)
        Mean per-sample log-likelihood ln p(X)/N at the start and after every iteration — the
        curve a lecture plots (multiply by N for the total).  ``loglik_history_[-1] == score(X)``.
    objective_history_ : ndarray of shape (n_iter_ + 1,)
        The per-sample objective EM climbs: the log-likelihood; with ``classification`` the
        classification log-likelihood Σ_n max_k ln π_k N(x_n|μ_k,Σ_k); with ``prior`` plus
        ln p(θ)/N.  It never decreases when ``reg_covar = 0`` (or with a prior).
    prior_ : dict or None
        The prior actually used (with ``reg_covar`` folded into its scale).
    n_features_in_ : int

    Notes
    -----
    **Convergence test** (scikit-learn's, so results match it): iteration t evaluates the
    objective at the current parameters θ_{t−1} in its E-step, then updates them in its M-step;
    EM stops after the first iteration t ≥ 2 whose E-step value differs from the previous one by
    less than ``tol`` in absolute value (the M-step of that iteration is kept).  The value is the
    mean per sample, so ``tol`` does not scale with N.

    **What is monotone.**  Each EM iteration never lowers ln p(X) when ``reg_covar = 0`` (the
    M-step maximises the expected complete-data log-likelihood); classification EM never lowers
    the classification log-likelihood; MAP-EM never lowers ln p(X) + ln p(θ) whatever
    ``reg_covar`` (it is part of the prior).  Holding ``fixed`` parameters keeps these properties.
    ML-EM with ``reg_covar > 0`` is *not* monotone for any fixed objective: Σ = S + εI is not a
    maximiser of the expected log-likelihood (a one-component fit started at its MLE loses
    likelihood in its first step).

    **Collapse and empty components.**  The likelihood is unbounded when a component shrinks onto
    a point or a subspace.  An update is a *collapse*, and raises a ``ValueError`` naming
    ``reg_covar``, when its covariance is not positive definite, when a Cholesky pivot (conditional
    variance) L_jj² falls below the data's double-precision resolution (1e4·ε)²·E[x_j²] ≈
    4.9e-24·E[x_j²], or — pure ML, ``reg_covar = 0`` and no prior, full/tied — below 1e-8·Σ_jj
    (numerically singular).  Below those levels rounding, not EM, decides the next step and
    monotonicity is lost.  With ``reg_covar = 0`` a collapse is the expected end of a degenerate fit;
    with ``reg_covar > 0`` it only happens when ``reg_covar`` is lost to rounding against the data's
    scale (e.g. variances ~1e11 along a line with ``reg_covar = 1e-6``).  A prior whose scale is
    numerically singular (its correlation matrix has λ_min ≤ 1e-12, or it is below the resolution)
    is refused up front with an error naming ``prior``.  ``fit`` refuses features spanning more than
    1e100 or less than 1e-100 (but not 0).  A component whose total responsibility N_k falls below
    1e-250 is *empty*: in ML it keeps its mean and covariance and gets weight N_k/N (exactly what EM
    prescribes — its parameters do not enter the expected log-likelihood); under a prior it moves
    to the prior's mode.  No NaN is ever produced.

    **MAP updates** (Fraley & Raftery 2007, Table 2; κ = shrinkage, μ_P, ν = dof, Λ = scale)::

        μ_k = (Σ_n γ_nk x_n + κ μ_P) / (N_k + κ)
        full:       Σ_k  = (Λ + κ(μ_k − μ_P)(μ_k − μ_P)ᵀ + W_k) / (ν + N_k + D + 2)
        tied:       Σ    = (Λ + Σ_k [κ(μ_k − μ_P)(μ_k − μ_P)ᵀ + W_k]) / (ν + N + K + D + 1)
        diag:       σ²_kj = (ζ² + κ(μ_kj − μ_Pj)² + W_k,jj) / (ν + N_k + 3)
        spherical:  σ²_k  = (ζ² + κ‖μ_k − μ_P‖² + tr W_k) / (ν + (N_k + 1) D + 2)

    with W_k = Σ_n γ_nk (x_n − μ_k)(x_n − μ_k)ᵀ; the weights keep π_k = N_k/N.  These are the exact
    joint maximisers of the expected complete-data log-posterior.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> X = np.concatenate([rng.normal(-3, 1, 300), rng.normal(3, 1, 200)])
    >>> gm = GaussianMixture(2, random_state=0).fit(X)
    >>> print(np.round(np.sort(gm.means_.ravel()), 1))
    [-3.  3.]
    """

    def __init__(
        self,
        n_components: int = 1,
        *,
        covariance_type: str = "full",
        tol: float = 1e-3,
        reg_covar: float = 1e-6,
        max_iter: int = 100,
        n_init: int = 1,
        init_params: str = "kmeans",
        weights_init: ArrayLike | None = None,
        means_init: ArrayLike | None = None,
        covariances_init: ArrayLike | None = None,
        random_state: object = None,
        verbose: int = 0,
        classification: bool = False,
        fixed: Iterable[str] | None = None,
        prior: dict | str | None = None,
    ) -> None:
        self.n_components = n_components
        self.covariance_type = covariance_type
        self.tol = tol
        self.reg_covar = reg_covar
        self.max_iter = max_iter
        self.n_init = n_init
        self.init_params = init_params
        self.weights_init = weights_init
        self.means_init = means_init
        self.covariances_init = covariances_init
        self.random_state = random_state
        self.verbose = verbose
        self.classification = classification
        self.fixed = fixed
        self.prior = prior

    # -- scikit-learn style parameter handling ------------------------------------------------
    _PARAM_NAMES = (
        "n_components",
        "covariance_type",
        "tol",
        "reg_covar",
        "max_iter",
        "n_init",
        "init_params",
        "weights_init",
        "means_init",
        "covariances_init",
        "random_state",
        "verbose",
        "classification",
        "fixed",
        "prior",
    )

    def get_params(self, deep: bool = True) -> dict:
        """The constructor arguments as a dict (scikit-learn's protocol)."""
        return {name: getattr(self, name) for name in self._PARAM_NAMES}

    def set_params(self, **params) -> GaussianMixture:
        """Set constructor arguments by name; returns self (scikit-learn's protocol)."""
        for name, value in params.items():
            if name not in self._PARAM_NAMES:
                raise ValueError(f"Invalid parameter {name!r} for GaussianMixture; valid: {self._PARAM_NAMES}")
            setattr(self, name, value)
        return self

    def __repr__(self) -> str:
        defaults = GaussianMixture().get_params()
        parts = []
        for name in self._PARAM_NAMES:
            v = getattr(self, name)
            d = defaults[name]
            same = v is d or (not isinstance(v, np.ndarray) and not isinstance(d, np.ndarray) and v == d)
            if not same:
                parts.append(f"{name}={v!r}")
        return f"GaussianMixture({', '.join(parts)})"

    # -- validation of the hyper-parameters ---------------------------------------------------
    def _validated(self, X: np.ndarray) -> dict:
        N, D = X.shape
        K = check_int(self.n_components, "n_components", minimum=1)
        if K > N:
            raise ValueError(f"n_components must be <= n_samples = {N}; got {K}")
        ct = _check_covariance_type(self.covariance_type)
        tol = _check_nonneg_real(self.tol, "tol")
        reg = _check_nonneg_real(self.reg_covar, "reg_covar")
        max_iter = check_int(self.max_iter, "max_iter", minimum=1)
        n_init = check_int(self.n_init, "n_init", minimum=1)
        if not isinstance(self.init_params, str) or self.init_params not in INIT_PARAMS:
            raise ValueError(f"init_params must be one of {INIT_PARAMS}; got {self.init_params!r}")
        verbose = check_int(int(self.verbose) if isinstance(self.verbose, bool) else self.verbose, "verbose", minimum=0)
        if not isinstance(self.classification, (bool, np.bool_)):
            raise TypeError(f"classification must be True or False; got {self.classification!r}")
        fixed = _check_fixed(self.fixed)
        w0 = _check_weights(self.weights_init, K, "weights_init") if self.weights_init is not None else None
        m0 = _check_means(self.means_init, K, D, "means_init") if self.means_init is not None else None
        c0 = (
            _check_covariances(self.covariances_init, ct, K, D, "covariances_init")
            if self.covariances_init is not None
            else None
        )
        for name, val in (("weights", w0), ("means", m0), ("covariances", c0)):
            if name in fixed and val is None:
                raise ValueError(f"fixed contains {name!r}, so {name}_init must be given")
        prior = _resolve_prior(self.prior, X, K, ct, reg)
        rng = as_generator(self.random_state, "random_state")
        return dict(
            K=K,
            ct=ct,
            tol=tol,
            reg=reg,
            max_iter=max_iter,
            n_init=n_init,
            verbose=verbose,
            hard=bool(self.classification),
            fixed=fixed,
            w0=w0,
            m0=m0,
            c0=c0,
            prior=prior,
            rng=rng,
            floor=_nx.variance_resolution(X),
            strict=(reg == 0.0 and prior is None),
        )

    # -- initialisation -----------------------------------------------------------------------
    def _initial_resp(self, X: np.ndarray, K: int, rng: np.random.Generator) -> np.ndarray:
        N = X.shape[0]
        Xc = X - X.mean(axis=0)
        if self.init_params == "random":
            resp = rng.random((K, N))
            resp /= resp.sum(axis=0)
            return resp
        if self.init_params == "kmeans":
            labels = _kmeans(Xc, K, rng)
        else:
            if self.init_params == "k-means++":
                seeds = _kmeans_plusplus(Xc, K, rng)
            else:
                seeds = rng.choice(N, size=K, replace=False)
            labels = _nearest(Xc, Xc[seeds])
            labels[seeds] = np.arange(K)
            labels = _ensure_nonempty(Xc, labels, Xc[seeds], K)
        resp = np.zeros((K, N))
        resp[labels, np.arange(N)] = 1.0
        return resp

    def _initial_parameters(self, X: np.ndarray, v: dict) -> tuple:
        K, ct = v["K"], v["ct"]
        N, D = X.shape
        w0, m0, c0 = v["w0"], v["m0"], v["c0"]
        if w0 is not None and m0 is not None and c0 is not None:
            return w0.copy(), m0.copy(), c0.copy()
        resp = self._initial_resp(X, K, v["rng"])
        stats = _nx.exact_stats(X, resp, ct, np.broadcast_to(X.mean(axis=0), (K, D)))
        w, m, c = _nx.m_update(
            *stats, n_samples=N, covariance_type=ct, reg_covar=v["reg"], prev=None, fixed=frozenset(), prior=v["prior"]
        )
        if w0 is not None:
            w = w0.copy()
        if m0 is not None:
            m = m0.copy()
        if c0 is not None:
            c = c0.copy()
        return w, m, c

    # -- EM -----------------------------------------------------------------------------------
    def _objective_extra(self, m, c, f, v) -> float:
        if v["prior"] is None:
            return 0.0
        return _nx.log_prior(m, c, f, v["ct"], v["prior"])

    def _run_em(self, engine: _nx.Engine, X: np.ndarray, w, m, c, v: dict, init: int) -> dict:
        N, D = X.shape
        K, ct, hard, prior = v["K"], v["ct"], v["hard"], v["prior"]
        floor = v["floor"]
        try:
            f = _nx.Factors(c, ct, K, D, what="initial covariances")
            if v["c0"] is None:  # computed (not user-given) starting covariances
                _nx.check_resolution(f, c, floor, v["strict"], what="initial covariances")
        except _nx.CollapseError as exc:
            raise ValueError(
                f"{exc} (from init_params={self.init_params!r}); increase reg_covar "
                f"(now {v['reg']}) or give covariances_init"
            ) from None
        hist_ll, hist_obj = [], []
        converged = False
        n_iter = 0
        if v["verbose"]:
            print(f"Initialization {init}")
        for n_iter in range(1, v["max_iter"] + 1):
            ll, cl, stats = engine.sweep(w, m, f, True, hard)
            obj = (cl if hard else ll) + self._objective_extra(m, c, f, v)
            hist_ll.append(float(ll) / N)
            hist_obj.append(float(obj) / N)
            w, m, c = _nx.m_update(
                *stats,
                n_samples=N,
                covariance_type=ct,
                reg_covar=v["reg"],
                prev=(w, m, c),
                fixed=v["fixed"],
                prior=prior,
            )
            try:
                f = _nx.Factors(c, ct, K, D)
                if "covariances" not in v["fixed"]:
                    _nx.check_resolution(f, c, floor, v["strict"])
            except _nx.CollapseError as exc:
                if prior is None:
                    hint = f"increase reg_covar (now {v['reg']}) or use prior='default'"
                else:
                    hint = (
                        f"the prior's scale is too ill-conditioned for this data; increase reg_covar "
                        f"(now {v['reg']}, added to the prior's scale)"
                    )
                raise ValueError(
                    f"EM iteration {n_iter}: {exc} — the component collapsed onto a point or a subspace; {hint}"
                ) from None
            change = hist_obj[-1] - hist_obj[-2] if n_iter >= 2 else math.inf
            if v["verbose"] >= 2:
                print(f"  Iteration {n_iter}: objective {hist_obj[-1]:.10g}, change {change:.3g}")
            if n_iter >= 2 and abs(change) < v["tol"]:
                converged = True
                break
        ll, cl, _ = engine.sweep(w, m, f, False, hard)
        obj = (cl if hard else ll) + self._objective_extra(m, c, f, v)
        hist_ll.append(float(ll) / N)
        hist_obj.append(float(obj) / N)
        if v["verbose"]:
            print(
                f"Initialization {init} {'converged' if converged else 'did not converge'}: "
                f"objective {hist_obj[-1]:.10g} after {n_iter} iterations"
            )
        return dict(
            weights=w,
            means=m,
            covariances=c,
            factors=f,
            n_iter=n_iter,
            converged=converged,
            loglik_history=np.array(hist_ll),
            objective_history=np.array(hist_obj),
            lower_bound=hist_obj[-1],
        )

    def fit(self, X: ArrayLike, y: object = None) -> GaussianMixture:
        """Estimate the parameters with EM (``n_init`` starts, the best kept); returns self.

        Parameters
        ----------
        X : array_like of shape (n_samples, n_features) or (n_samples,)
            A 1-D array is n samples of one feature.
        y : ignored
        """
        X = _as_data(X)
        _check_span(X, check_small=True)
        v = self._validated(X)
        engine = _nx.Engine(X, v["K"], v["ct"])
        best = None
        all_given = v["w0"] is not None and v["m0"] is not None and v["c0"] is not None
        n_init = 1 if all_given else v["n_init"]
        for init in range(n_init):
            w, m, c = self._initial_parameters(X, v)
            run = self._run_em(engine, X, w, m, c, v, init)
            if best is None or run["lower_bound"] > best["lower_bound"]:
                best = run
        f = best["factors"]
        self.weights_ = best["weights"]
        self.means_ = best["means"]
        self.covariances_ = best["covariances"]
        self.precisions_cholesky_ = f.precisions_cholesky()
        self.precisions_ = self._precisions(f)
        self.converged_ = bool(best["converged"])
        self.n_iter_ = int(best["n_iter"])
        self.lower_bound_ = float(best["lower_bound"])
        self.loglik_history_ = best["loglik_history"]
        self.objective_history_ = best["objective_history"]
        self.prior_ = v["prior"]
        self.n_features_in_ = X.shape[1]
        self._factors = f
        return self

    def fit_predict(self, X: ArrayLike, y: object = None) -> np.ndarray:
        """Fit, then return the most probable component of every sample (shape (n_samples,))."""
        return self.fit(X).predict(X)

    def _precisions(self, f: _nx.Factors) -> np.ndarray:
        U = f.precisions_cholesky()
        if self.covariance_type == "full":
            return U @ np.swapaxes(U, 1, 2)
        if self.covariance_type == "tied":
            return U @ U.T
        return U**2

    # -- using a fitted model -----------------------------------------------------------------
    def _check_fitted(self) -> None:
        if not hasattr(self, "means_"):
            raise NotFittedError("This GaussianMixture instance is not fitted yet; call fit(X) first")

    def _check_X(self, X: ArrayLike) -> np.ndarray:
        self._check_fitted()
        X = _as_data(X)
        if X.shape[1] != self.n_features_in_:
            raise ValueError(f"X must have {self.n_features_in_} features (as in fit); got {X.shape[1]}")
        _check_span(X, extra=self.means_)
        return X

    def _weighted_log_prob_kn(self, X: np.ndarray) -> np.ndarray:
        lp = _nx.log_gaussian_kn(X, self.means_, self._factors)
        lp += _nx.log_weights(self.weights_)[:, None]
        return lp

    def score_samples(self, X: ArrayLike) -> np.ndarray:
        """ln p(x_n) for every sample, shape (n_samples,)."""
        X = self._check_X(X)
        ll, _ = _nx.logsumexp_kn(self._weighted_log_prob_kn(X))
        return ll

    def score(self, X: ArrayLike, y: object = None) -> float:
        """Mean per-sample log-likelihood (1/N) Σ_n ln p(x_n), as scikit-learn's ``score``."""
        return float(np.mean(self.score_samples(X)))

    def predict_proba(self, X: ArrayLike) -> np.ndarray:
        """Responsibilities γ(z_nk), shape (n_samples, n_components) like scikit-learn."""
        X = self._check_X(X)
        _, resp = _nx.logsumexp_kn(self._weighted_log_prob_kn(X))
        return np.ascontiguousarray(resp.T)

    def predict(self, X: ArrayLike) -> np.ndarray:
        """The most probable component of every sample, shape (n_samples,)."""
        X = self._check_X(X)
        return self._weighted_log_prob_kn(X).argmax(axis=0)

    def sample(self, n_samples: int = 1, random_state: object = None) -> tuple[np.ndarray, np.ndarray]:
        """Draw samples from the fitted mixture.

        Parameters
        ----------
        n_samples : int, default 1
        random_state : optional
            Overrides the estimator's ``random_state`` for this draw (an int seed gives the same
            sample on every call, as in scikit-learn).

        Returns
        -------
        X : ndarray of shape (n_samples, n_features)
            Grouped by component, as in scikit-learn.
        labels : ndarray of shape (n_samples,)
            The component of each row.
        """
        self._check_fitted()
        n = check_int(n_samples, "n_samples", minimum=1)
        rng = as_generator(self.random_state if random_state is None else random_state, "random_state")
        K, D = self.means_.shape
        counts = rng.multinomial(n, self.weights_ / self.weights_.sum())
        f = self._factors
        parts = []
        for k in range(K):
            z = rng.standard_normal((int(counts[k]), D))
            if self.covariance_type == "full":
                parts.append(self.means_[k] + z @ f.chol[k].T)
            elif self.covariance_type == "tied":
                parts.append(self.means_[k] + z @ f.chol.T)
            elif self.covariance_type == "diag":
                parts.append(self.means_[k] + z * f.chol[k])
            else:
                parts.append(self.means_[k] + z * f.chol[k])
        return np.vstack(parts), np.repeat(np.arange(K), counts)

    def n_parameters(self) -> int:
        """Number of free parameters (scikit-learn's count, minus any ``fixed`` group).

        K − 1 weights + K·D means + covariance parameters (full K·D(D+1)/2, tied D(D+1)/2,
        diag K·D, spherical K).
        """
        self._check_fitted()
        K, D = self.means_.shape
        cov = {"full": K * D * (D + 1) / 2, "tied": D * (D + 1) / 2, "diag": K * D, "spherical": K}[
            self.covariance_type
        ]
        fixed = _check_fixed(self.fixed)
        n = 0.0
        n += 0 if "covariances" in fixed else cov
        n += 0 if "means" in fixed else K * D
        n += 0 if "weights" in fixed else K - 1
        return int(n)

    def bic(self, X: ArrayLike) -> float:
        """Bayesian information criterion −2 ln p(X) + p ln N (lower is better)."""
        X = self._check_X(X)
        return float(-2.0 * self.score(X) * X.shape[0] + self.n_parameters() * math.log(X.shape[0]))

    def aic(self, X: ArrayLike) -> float:
        """Akaike information criterion −2 ln p(X) + 2p (lower is better)."""
        X = self._check_X(X)
        return float(-2.0 * self.score(X) * X.shape[0] + 2.0 * self.n_parameters())


# ----------------------------------------------------------------------------------------------
# Model selection
# ----------------------------------------------------------------------------------------------


def select_n_components(
    X: ArrayLike,
    n_components_range: Iterable[int],
    covariance_types: Iterable[str] = ("full",),
    *,
    criterion: str = "bic",
    random_state: object = None,
    **gmm_params,
) -> np.ndarray:
    """Fit a mixture for every K and covariance type; return the BIC/AIC table a lecture plots.

    Parameters
    ----------
    X : array_like of shape (n_samples, n_features) or (n_samples,)
    n_components_range : iterable of int
        The K values to try.
    covariance_types : iterable of str
        Any of 'full', 'tied', 'diag', 'spherical'.
    criterion : {'bic', 'aic'}
        Which column decides the ``best`` row (the minimum).
    random_state : int, Generator or None
        Passed to every fit (an int gives every fit the same seed: reproducible).
    **gmm_params
        Further :class:`GaussianMixture` arguments (``n_init``, ``tol``, ``reg_covar``, ...).

    Returns
    -------
    numpy structured array, one row per (K, covariance_type), with fields
        ``K`` (int), ``covariance_type`` (str), ``bic``, ``aic``, ``loglik`` (the *total*
        ln p(X)), ``n_parameters`` (int), ``converged`` (bool) and ``best`` (bool, the row with the
        smallest ``criterion``).  ``table["K"]``, ``table["bic"]`` plot directly.

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> X = np.concatenate([rng.normal(-4, 1, 200), rng.normal(4, 1, 200)])
    >>> t = select_n_components(X, [1, 2, 3], random_state=0)
    >>> int(t["K"][t["best"]][0])
    2
    """
    X = _as_data(X)
    ks = [check_int(k, "n_components_range", minimum=1) for k in n_components_range]
    if not ks:
        raise ValueError("n_components_range must not be empty")
    if isinstance(covariance_types, str):
        covariance_types = (covariance_types,)
    cts = [_check_covariance_type(ct) for ct in covariance_types]
    if not cts:
        raise ValueError("covariance_types must not be empty")
    if criterion not in ("bic", "aic"):
        raise ValueError(f"criterion must be 'bic' or 'aic'; got {criterion!r}")
    for k in ks:
        if k > X.shape[0]:
            raise ValueError(f"n_components_range must not exceed n_samples = {X.shape[0]}; got {k}")
    dtype = [
        ("K", np.int64),
        ("covariance_type", "U9"),
        ("bic", float),
        ("aic", float),
        ("loglik", float),
        ("n_parameters", np.int64),
        ("converged", bool),
        ("best", bool),
    ]
    rows = []
    for ct in cts:
        for k in ks:
            gm = GaussianMixture(k, covariance_type=ct, random_state=random_state, **gmm_params).fit(X)
            loglik = float(gm.score_samples(X).sum())
            p = gm.n_parameters()
            rows.append(
                (
                    k,
                    ct,
                    -2.0 * loglik + p * math.log(X.shape[0]),
                    -2.0 * loglik + 2.0 * p,
                    loglik,
                    p,
                    gm.converged_,
                    False,
                )
            )
    table = np.array(rows, dtype=dtype)
    table["best"][int(np.argmin(table[criterion]))] = True
    return table
