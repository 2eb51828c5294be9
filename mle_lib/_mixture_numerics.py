"""The type-independent kernels of the Gaussian mixture (private): density, statistics, M-step, checks.

Everything here trusts its inputs: the public entries (:mod:`mle_lib.mixture`'s lecture functions and
:class:`mle_lib.GaussianMixture`) validate once, through :mod:`mle_lib._mixture_params`.  What depends on
the covariance type is asked of the type's unit (:mod:`mle_lib._covariance_types`), carried by the
:class:`~mle_lib._covariance.Factors` or passed in; nothing here tests a type's name.

Here: the numerical resolution floor (:func:`variance_resolution`) and the one collapse check
(:func:`checked_factors`), the reference kernels (:func:`log_gaussian_kn`: a loop over components on
centred data ``X − μ_k``; :func:`exact_stats`: the two-pass, exactly centred statistics), the E-step's
posterior (:func:`posterior_kn`), the M-step shared by every path (:func:`m_update`), the conjugate
prior's density (:func:`log_prior`), the parameter count and the information criteria.  The fused
sweeps that ``GaussianMixture.fit`` runs live in :mod:`mle_lib._em_sweeps`.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ._covariance import CollapseError, Factors, SufficientStats
from ._covariance_types import EMPTY_NK, CovarianceType
from ._em_sweeps import log_weights
from ._gaussian import LOG_2PI, normal_limit_terms, normalize_log_joint

#: A (conditional) variance below (1e4·ε)² of the data's own variance is a collapse: 4.9e-24·Var[x_j].
RESOLUTION_REL = (1e4 * np.finfo(np.float64).eps) ** 2

#: ... and so is one within this many units of rounding of the data's magnitude, in σ: (10·ε)²·E[x_j²].
RESOLUTION_ULPS = 10.0

#: Pure ML (reg_covar = 0, no prior): a Cholesky pivot L_jj² below this fraction of Σ_jj means the
#: covariance is numerically singular (the component collapsed onto a subspace).  The entries of Σ
#: carry relative rounding ε, so the pivot of a truly singular Σ comes out at ~ε·Σ_jj; 1e-12 (≈ 4500 ε)
#: refuses that and keeps a cluster 1e-6 as wide across as along (a pivot ratio 1e-12).
SINGULAR_REL = 1e-12


def variance_resolution(X: np.ndarray) -> np.ndarray:
    """Per-feature floor below which a variance is rounding noise, shape (D,).

    floor_j = (1e4·ε)²·Var[x_j] + (10·ε)²·E[x_j²].

    Every kernel works on centred data (x − μ_k, never x and μ_k separately), so what limits a
    variance is not the data's magnitude squared but two smaller things:

    * the spread of the data: a component whose σ is below 1e4·ε ≈ 2.2e-12 of the data's standard
      deviation has shrunk onto a point, where rounding, not EM, decides the next step;
    * the data's own quantisation: x_j is stored to ulp(x_j) ≈ ε·|x_j|, and μ_k to the same, so a
      component narrower than a few such units (in σ) is not resolved at all; one a few hundred
      units wide is resolved to ~1 % and fits (scikit-learn fits it too).

    Data far from the origin with a small spread (timestamps 1.7e9 + 1e-3·z: σ = 1e-3 is ~4000
    units of ulp(1.7e9) = 2.4e-7) are therefore fittable.
    """
    N = X.shape[0]
    mean = X.mean(axis=0)
    Xc = X - mean
    var = np.einsum("nd,nd->d", Xc, Xc) / N
    second = var + mean * mean  # E[x²], without squaring the raw data (no overflow at |x| ~ 1e154+)
    return RESOLUTION_REL * var + (RESOLUTION_ULPS * np.finfo(np.float64).eps) ** 2 * second


def _check_resolution(f: Factors, cov: np.ndarray, floor: np.ndarray, strict: bool, what: str) -> str | None:
    """Why the factors are numerically degenerate, or None.

    Always: a Cholesky pivot (conditional variance) L_jj² below ``floor[j]`` (a point collapse).
    With ``strict`` (pure ML, reg_covar = 0), full/tied also: L_jj² < SINGULAR_REL·Σ_jj (a subspace
    collapse: entries of Σ carry relative rounding ε, so smaller pivots are noise).
    """
    cond, fl, rel = f.unit.pivots(f, cov, floor)
    low = cond < fl[None, :]
    if low.any():
        ks = [int(k) for k in np.flatnonzero(low.any(axis=1))]
        k, j = np.unravel_index(np.argmin(np.where(low, cond / fl[None, :], np.inf)), cond.shape)
        return (
            f"{what} of component(s) {ks} collapsed: a (conditional) variance fell to {float(cond[k, j]):.3g}, "
            f"below {float(fl[j]):.3g}, the double-precision resolution of the data (in σ: 1e4·ε ≈ 2.2e-12 "
            f"of their spread, or {RESOLUTION_ULPS:g} units of their rounding)"
        )
    if strict and rel is not None:
        bad = np.any(cond < SINGULAR_REL * rel, axis=1)
        if bad.any():
            ks = [int(k) for k in np.flatnonzero(bad)]
            return (
                f"{what} of component(s) {ks} became numerically singular (a Cholesky pivot below "
                f"{SINGULAR_REL:g} of its variance): the component collapsed onto a subspace"
            )
    return None


def checked_factors(
    cov: np.ndarray,
    unit: CovarianceType,
    K: int,
    D: int,
    *,
    floor: np.ndarray | None,
    strict: bool,
    what: str,
    message: str,
) -> Factors:
    """The factors of covariances that EM computed, or the one :class:`CollapseError` of a collapse.

    A collapse is a covariance that is not positive definite, or (when ``floor`` is given) one whose
    pivot falls below the data's resolution (:func:`variance_resolution`), or, with ``strict`` (pure
    ML: ``reg_covar = 0``, no prior), a full/tied covariance that became numerically singular.  The
    error's text is ``message`` with ``{cause}`` replaced by what happened to ``what``: each public
    entry words the remedy in its own parameters.
    """
    try:
        f = unit.factorise(cov, K, D, what)
    except CollapseError as exc:
        raise CollapseError(message.format(cause=exc)) from None
    cause = None if floor is None else _check_resolution(f, cov, floor, strict, what)
    if cause is not None:
        raise CollapseError(message.format(cause=cause))
    return f


# ------------------------------------------------------------------------------------------------
# Reference kernels (the lecture functions' route; the sweeps are checked against them)
# ------------------------------------------------------------------------------------------------


def log_gaussian_kn(X: np.ndarray, means: np.ndarray, f: Factors) -> np.ndarray:
    """ln N(x_n | μ_k, Σ_k) as a (K, N) array, on centred data through the factors."""
    N, D = X.shape
    K = means.shape[0]
    out = np.empty((K, N))
    with np.errstate(over="ignore", under="ignore"):
        for k in range(K):
            out[k] = -0.5 * (D * LOG_2PI + f.log_det[k] + f.unit.quad(f, k, X - means[k]))
    return out


def one_hot_kn(resp: np.ndarray) -> np.ndarray:
    """Round (K, N) responsibilities to one-hot columns (ties go to the lowest component index)."""
    hard = np.zeros_like(resp)
    hard[resp.argmax(axis=0), np.arange(resp.shape[1])] = 1.0
    return hard


def exact_stats(X: np.ndarray, resp: np.ndarray, unit: CovarianceType, ref_fallback: np.ndarray) -> SufficientStats:
    """Sufficient statistics of the M-step, two-pass and exactly centred.

    ``ref_k`` is the responsibility-weighted mean (or ``ref_fallback[k]`` for an empty component),
    ``S1_k = Σ_n r_nk (x_n − ref_k)`` (≈ 0) and ``S2`` the second moments about ``ref`` in the
    unit's layout.
    """
    nk = resp.sum(axis=1)
    c = X.mean(axis=0)
    ref = np.array(ref_fallback, dtype=float, copy=True)
    ok = nk >= EMPTY_NK
    if ok.any():
        ref[ok] = c + (resp[ok] @ (X - c)) / nk[ok, None]
    S1 = np.empty_like(ref)
    S2 = []
    for k in range(resp.shape[0]):
        d = X - ref[k]
        S1[k] = resp[k] @ d
        S2.append(unit.scatter(d, resp[k]))
    return SufficientStats(nk, ref, S1, unit.pool(np.array(S2)))


def posterior_kn(X: np.ndarray, weights: np.ndarray, means: np.ndarray, f: Factors) -> tuple[np.ndarray, np.ndarray]:
    """ln p(x_n) and the responsibilities (K, N) for valid parameters: the E-step's one route.

    The log-joint ln π_k + ln N(x_n | μ_k, Σ_k) normalised by
    :func:`mle_lib._gaussian.normalize_log_joint` — the function the hat trick's posterior uses too —
    with the far-out limit of :func:`_limit_terms`, so that a point far from every component gets the
    right posterior (the nearest component, ties shared by weight) instead of NaN or a uniform guess.
    """
    log_w = log_weights(weights)
    lp = log_gaussian_kn(X, means, f)
    lp += log_w[:, None]
    log_offset = log_w - 0.5 * (f.log_det - f.log_det.max())  # common shifts cancel
    if X.shape[1] == 1:
        sd = np.exp(0.5 * f.log_det)
        return normalize_log_joint(
            lp,
            log_offset=log_offset,
            limit=lambda cols: normal_limit_terms(X[cols, 0], means[:, 0], sd),
            overwrite_input=True,
        )
    return normalize_log_joint(
        lp, log_offset=log_offset, limit=lambda cols: _limit_terms(X[cols], means, f), overwrite_input=True
    )


def _limit_terms(X: np.ndarray, means: np.ndarray, f: Factors) -> tuple[np.ndarray, np.ndarray]:
    """The far-out terms of :func:`~mle_lib._gaussian.normalize_log_joint` in D dimensions, each (K, m).

    ``half_log_q[k, n]`` = ½ ln ‖L_k⁻¹(u_n − d_k)‖² with data and means centred on the middle c of the
    means and divided by a power of two s_n per sample (exact), so nothing overflows: ½ ln q_k − ln s_n.
    ``relative[k, n]`` = (x_n − (μ_k + μ_r)/2)ᵀ Σ_k⁻¹ (μ_k − μ_r), μ_r the component with the smallest
    q in that column: exactly −½(q_k − q_r) when Σ_k = Σ_r (tied models, equal components), linear in
    x and so exact at any x; for unequal covariances it decides only at a crossing of two forms.
    The multivariate counterpart of :func:`~mle_lib._gaussian.normal_limit_terms`.
    """
    K = means.shape[0]
    unit = f.unit
    centre = 0.5 * means.max(axis=0) + 0.5 * means.min(axis=0)
    top = np.maximum(np.abs(X).max(axis=1), np.abs(means).max())
    scale = np.ldexp(1.0, np.maximum(np.frexp(top)[1] - 1, 0))[:, None]  # (m, 1), powers of two
    u = X / scale - centre / scale
    half_log_q = np.empty((K, X.shape[0]))
    with np.errstate(divide="ignore", under="ignore"):
        for k in range(K):
            y = unit.whiten(f, k, (u - (means[k] / scale - centre / scale)).T)
            half_log_q[k] = 0.5 * np.log(np.einsum("dm,dm->m", y, y))
    ref = means[np.argmin(half_log_q, axis=0)]  # (m, D)
    relative = np.empty_like(half_log_q)
    with np.errstate(over="ignore", invalid="ignore", under="ignore"):
        for k in range(K):
            diff = means[k] - ref  # (m, D), exactly 0 for the reference itself
            w = unit.precision_times(f, k, diff.T)  # (D, m)
            r = np.einsum("md,dm->m", X - (0.5 * means[k] + 0.5 * ref), w)
            relative[k] = np.where(np.all(diff == 0.0, axis=1), 0.0, r)
    return half_log_q, relative


# ------------------------------------------------------------------------------------------------
# The M-step shared by the lecture's m_step and the estimator
# ------------------------------------------------------------------------------------------------


def m_update(
    stats: SufficientStats,
    *,
    n_samples: int,
    unit: CovarianceType,
    reg_covar: float,
    prev: tuple[np.ndarray | None, np.ndarray | None, np.ndarray | None] | None,
    fixed: frozenset[str],
    prior: dict[str, Any] | None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """New (weights, means, covariances) from statistics taken about reference points ``stats.ref``.

    * π_k = N_k/N (the Lagrange multiplier λ = −N); ``fixed`` names keep their previous values.
    * ML: μ_k = ref_k + S1_k/N_k; MAP (``prior`` = resolved dict: ``shrinkage`` κ, ``mean`` μ_P,
      ``dof`` ν, ``scale`` Λ already including ``reg_covar``): μ_k = (Σ_n r_nk x_n + κ μ_P)/(N_k + κ).
    * The covariances from the scatter about the new means, W_k = S2_k − S1_k δ_kᵀ − δ_k S1_kᵀ +
      N_k δ_k δ_kᵀ with δ_k = μ_k − ref_k (no approximation), by the unit's
      :meth:`~mle_lib._covariance_types.CovarianceType.ml_covariance` or
      :meth:`~mle_lib._covariance_types.CovarianceType.map_covariance`, where each type's rule is written.
    * ML only: an *empty* component (N_k < EMPTY_NK) keeps its previous mean and covariance and gets
      weight N_k/N; without them (``prev``) it has no estimate, a ValueError.
    """
    nk, ref = stats.nk, stats.ref
    p_w, p_mu, p_cov = prev if prev is not None else (None, None, None)
    empty = nk < EMPTY_NK
    if prior is None and empty.any() and (p_mu is None or p_cov is None):
        ks = [int(k) for k in np.flatnonzero(empty)]
        raise ValueError(
            f"resp gives component(s) {ks} a total responsibility below {EMPTY_NK:g}: "
            "an empty component has no maximum-likelihood estimate; pass its current "
            "means and covariances (they are then kept) or use a prior"
        )
    weights = np.array(p_w, dtype=float, copy=True) if "weights" in fixed else nk / nk.sum()
    means = _new_means(stats, empty, p_mu, fixed, prior)
    if "covariances" in fixed:
        return weights, means, np.array(p_cov, dtype=float, copy=True)
    ml_means = prior is None and "means" not in fixed and not empty.any()
    W = unit.scatter_about(stats, means - ref, ml_means)
    if prior is not None:
        return weights, means, unit.map_covariance(W, means - prior["mean"], nk, n_samples, prior)
    return weights, means, unit.ml_covariance(W, nk, n_samples, ref.shape[1], reg_covar, p_cov)


def _new_means(
    stats: SufficientStats,
    empty: np.ndarray,
    p_mu: np.ndarray | None,
    fixed: frozenset[str],
    prior: dict[str, Any] | None,
) -> np.ndarray:
    """μ_k: kept (fixed), MAP-shrunk towards μ_P, or the weighted mean (an empty one kept)."""
    nk, ref, S1 = stats.nk, stats.ref, stats.S1
    if "means" in fixed:
        return np.array(p_mu, dtype=float, copy=True)
    if prior is not None:
        kappa = prior["shrinkage"]
        return ref + (S1 + kappa * (prior["mean"] - ref)) / (nk + kappa)[:, None]
    means = ref + S1 / np.where(empty, 1.0, nk)[:, None]
    if empty.any() and p_mu is not None:
        means[empty] = p_mu[empty]
    return means


def log_prior(means: np.ndarray, covariances: np.ndarray, f: Factors, prior: dict[str, Any]) -> float:
    """ln p(μ, Σ) of the conjugate prior (normal–inverse-Wishart / normal–inverse-gamma).

    μ_k | Σ_k ~ N(μ_P, Σ_k/κ), written as N(μ_P | μ_k, Σ_k/κ) with this module's one normal
    log-density; the covariances' share is the unit's (:meth:`~mle_lib._covariance_types.CovarianceType.log_prior`).
    No prior on the weights.
    """
    K, D = means.shape
    shrunk = f.unit.factorise(covariances / prior["shrinkage"], K, D, "covariances")
    total = float(log_gaussian_kn(np.asarray(prior["mean"], dtype=float)[None, :], means, shrunk).sum())
    return total + f.unit.log_prior(covariances, f, prior)


def n_parameters(unit: CovarianceType, K: int, D: int, fixed: frozenset[str] = frozenset()) -> int:
    """Free parameters: K − 1 weights + K·D means + the unit's covariance count, minus ``fixed`` groups."""
    counts = {"weights": K - 1, "means": K * D, "covariances": unit.n_parameters(K, D)}
    return int(sum(v for name, v in counts.items() if name not in fixed))


def information_criteria(loglik: float, n_params: int, n_samples: int) -> tuple[float, float]:
    """(BIC, AIC) = (−2 ln p(X) + p ln N, −2 ln p(X) + 2p) from the *total* log-likelihood."""
    return -2.0 * loglik + n_params * math.log(n_samples), -2.0 * loglik + 2.0 * n_params
