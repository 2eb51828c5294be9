"""EM for Gaussian mixtures, one step at a time: the lecture's functions.

The model of deck 2 (Bishop's notation)::

    p(x) = Σ_k π_k N(x | μ_k, Σ_k),        Σ_k π_k = 1,  π_k ≥ 0

and its EM algorithm:

* **E-step** — responsibilities γ(z_nk) = π_k N(x_n|μ_k,Σ_k) / Σ_j π_j N(x_n|μ_j,Σ_j)  (:func:`e_step`);
* **M-step** — N_k = Σ_n γ(z_nk), μ_k = Σ_n γ(z_nk) x_n / N_k,
  Σ_k = Σ_n γ(z_nk)(x_n − μ_k)(x_n − μ_k)ᵀ / N_k, π_k = N_k / N (Lagrange multiplier λ = −N)
  (:func:`m_step`);
* repeat until the log-likelihood stops changing; :func:`mixture_logpdf` gives ln p(x_n) and
  :func:`lower_bound` the bound EM climbs.

The estimator that runs the loop, :class:`~mle_lib.GaussianMixture`, lives in
:mod:`mle_lib.gaussian_mixture`; it and these functions stand side by side on the same kernels
(:mod:`mle_lib._mixture_numerics`, one unit per covariance type in :mod:`mle_lib._covariance_types`)
and the same validation (:mod:`mle_lib._mixture_params`), and neither calls the other.  Deck 1's
variants are options of the same machinery: classification ("hard") EM (``e_step(..., hard=True)``),
fixed parameters (``m_step(..., fixed=...)``), and the "Bayesian treatment" of deck 2's singularities,
MAP-EM with mclust's conjugate prior (``prior="default"``, :func:`default_prior`).

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
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from . import _mixture_numerics as _nx
from . import _mixture_params as _pp
from ._checks import as_float_array, check_columns_sum_to_one, check_int
from ._covariance import Factors
from ._covariance_types import COVARIANCE_TYPES

__all__ = ["e_step", "m_step", "mixture_logpdf", "lower_bound", "default_prior", "COVARIANCE_TYPES"]


def default_prior(X: ArrayLike, n_components: int, covariance_type: str = "full") -> dict[str, Any]:
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
    X = _pp.as_data(X)
    unit = _pp.covariance_unit(covariance_type)
    K = check_int(n_components, "n_components", minimum=1)
    if X.shape[0] < 2:
        raise ValueError(f"X must have at least 2 samples for the default prior (it uses var(X)); got {X.shape[0]}")
    return _pp.default_prior(X, K, unit)


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
    with np.errstate(divide="ignore"):
        log_joint = _nx.log_gaussian_kn(Xv, m, f) + np.log(w)[:, None]  # ln π_k + ln N(x_n|μ_k,Σ_k)
    used = q > 0
    if np.any(np.isneginf(log_joint[used])):
        return -math.inf
    terms = np.zeros_like(q)
    terms[used] = q[used] * (log_joint[used] - np.log(q[used]))  # 0 · ln 0 = 0 where q_nk = 0
    return float(terms.sum())


def _check_parameters(
    X: ArrayLike, weights: ArrayLike, means: ArrayLike, covariances: ArrayLike, covariance_type: str
) -> tuple[np.ndarray, np.ndarray, np.ndarray, Factors]:
    """Validated (X as (N, D), π, μ as (K, D), factors of Σ) for the E-step and the bound."""
    Xv = _pp.as_data(X)
    D = Xv.shape[1]
    unit = _pp.covariance_unit(covariance_type)
    m = _pp.check_means(means, None, D, "means")
    K = m.shape[0]
    w = _pp.check_weights(weights, K, "weights")
    _, f = _pp.check_covariances(covariances, unit, K, D, "covariances")
    return Xv, w, m, f


def _posterior(
    X: ArrayLike, weights: ArrayLike, means: ArrayLike, covariances: ArrayLike, covariance_type: str
) -> tuple[np.ndarray, np.ndarray]:
    """Validate, then (ln p(x_n), γ as (K, N)) through the one posterior kernel."""
    return _nx.posterior_kn(*_check_parameters(X, weights, means, covariances, covariance_type))


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
    prior: dict[str, Any] | str | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The M-step: new (π, μ, Σ) from responsibilities.

    Maximum likelihood (deck 2)::

        N_k = Σ_n γ(z_nk),   μ_k = Σ_n γ(z_nk) x_n / N_k,   π_k = N_k / N,
        Σ_k = Σ_n γ(z_nk)(x_n − μ_k)(x_n − μ_k)ᵀ / N_k + reg_covar·I

    for ``covariance_type='full'``.  Each covariance type's own rule, ML and MAP (Fraley & Raftery
    2007, with ``prior``), is written once, in its unit's ``ml_covariance`` and ``map_covariance``
    (:mod:`mle_lib._covariance_types`): diag keeps the diagonal, spherical the mean of the diagonal,
    tied pools the scatter over components and divides by N, as scikit-learn does.

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
    X = _pp.as_data(X)
    N, D = X.shape
    unit = _pp.covariance_unit(covariance_type)
    reg = _pp.check_nonneg_real(reg_covar, "reg_covar")
    r = as_float_array(resp, "resp", ndim=2)
    if r.shape[1] != N:
        hint = " (it looks like (N, K): pass resp.T)" if r.shape[0] == N else ""
        raise ValueError(
            f"resp must have shape (n_components, n_samples) = (K, {N}), component-major; got {r.shape}{hint}"
        )
    if np.any(r < 0):
        raise ValueError("resp must be non-negative")
    K = r.shape[0]
    fx = _pp.check_fixed(fixed)
    prev_w = _pp.check_weights(weights, K, "weights") if weights is not None else None
    prev_m = _pp.check_means(means, K, D, "means") if means is not None else None
    prev_c = _pp.check_covariances(covariances, unit, K, D, "covariances")[0] if covariances is not None else None
    for name, val in (("weights", prev_w), ("means", prev_m), ("covariances", prev_c)):
        if name in fx and val is None:
            raise ValueError(f"fixed contains {name!r}, so {name} must be given")
    pr = _pp.resolve_prior(prior, X, K, unit, reg)
    fallback = prev_m if prev_m is not None else np.broadcast_to(X.mean(axis=0), (K, D))
    stats = _nx.exact_stats(X, r, unit, fallback)
    w, m, c = _nx.m_update(
        stats, n_samples=N, unit=unit, reg_covar=reg, prev=(prev_w, prev_m, prev_c), fixed=fx, prior=pr
    )
    if "covariances" not in fx:
        _nx.checked_factors(
            c,
            unit,
            K,
            D,
            floor=_nx.variance_resolution(X),
            strict=(reg == 0 and pr is None),
            what="the updated covariances",
            message="{cause}: a component collapsed onto a point or a subspace; increase reg_covar "
            f"(now {reg}) or use a prior",
        )
    return w, m, c
