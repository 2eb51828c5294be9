"""Numerical kernels behind :mod:`mle_lib.mixture` (private).

Everything here trusts its inputs: validation happens once, in :mod:`mle_lib.mixture`.

Conventions
-----------
* ``K`` components, ``N`` samples, ``D`` features; data ``X`` is ``(N, D)`` float64.
* Covariances use scikit-learn's per-``covariance_type`` shapes: full ``(K, D, D)``, tied ``(D, D)``,
  diag ``(K, D)``, spherical ``(K,)``.
* Log-densities and responsibilities are **component-major**, ``(K, N)``: row ``k`` holds
  component ``k`` for every sample, so the log-sum-exp over components and the per-component sums
  of the M-step run along long contiguous rows.

Here: the Cholesky-type :class:`Factors` of the covariances, the numerical resolution floor
(:func:`variance_resolution`, :func:`check_resolution`), the *reference* kernels used by the public
``e_step``/``m_step``/``score`` functions (:func:`log_gaussian_kn`: a loop over components on
centred data ``X − μ_k`` with a triangular solve; :func:`exact_stats`: the
two-pass, exactly centred :class:`SufficientStats`), the M-step shared by every path
(:func:`m_update`) and the conjugate prior's density (:func:`log_prior`).  The fused sweeps that
``GaussianMixture.fit`` runs live in :mod:`mle_lib._em_sweeps` (:class:`~mle_lib._em_sweeps.Engine`).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
from scipy.linalg import solve_triangular
from scipy.linalg.lapack import dpotrf, dtrtri
from scipy.special import gammaln, multigammaln

from ._gaussian import LOG_2PI

#: A component whose total responsibility N_k is below this is *empty* (see ``m_update``).
EMPTY_NK = 1e-250

#: Feature counts up to this use the all-components-at-once ``small`` layout.
SMALL_D = 4

COVARIANCE_TYPES = ("full", "tied", "diag", "spherical")


class CollapseError(ValueError):
    """A covariance matrix stopped being positive definite (a component collapsed)."""


#: A (conditional) variance below (1e4·ε)² of the data's own variance is a collapse: 4.9e-24·Var[x_j].
RESOLUTION_REL = (1e4 * np.finfo(np.float64).eps) ** 2

#: ... and so is one within 1000 units of rounding of the data's magnitude: (1e3·ε)²·E[x_j²].
RESOLUTION_ULPS = 1e3

#: Pure ML (reg_covar = 0, no prior): a Cholesky pivot L_jj² below this fraction of Σ_jj means the
#: covariance is numerically singular (the component collapsed onto a subspace).
SINGULAR_REL = 1e-8


def variance_resolution(X: np.ndarray) -> np.ndarray:
    """Per-feature floor below which a variance is rounding noise, shape (D,).

    floor_j = (1e4·ε)²·Var[x_j] + (1e3·ε)²·E[x_j²].

    Every kernel works on centred data (x − μ_k, never x and μ_k separately), so what limits a
    variance is not the data's magnitude squared but two smaller things:

    * the spread of the data: a component whose σ is below 1e4·ε ≈ 2.2e-12 of the data's standard
      deviation has shrunk onto a point, where rounding, not EM, decides the next step;
    * the data's own quantisation: x_j is stored to ulp(x_j) ≈ ε·|x_j|, and μ_k to the same, so a
      component narrower than ~1000 such units (in σ) is resolved to no better than 1e-3 relative,
      and one of a few units (data with variance at the rounding level) not at all.

    Data far from the origin with a small spread (timestamps 1.7e9 + 1e-3·z: σ = 1e-3 is ~4000
    units of ulp(1.7e9) = 2.4e-7) are therefore fittable; the floor is 1.5e-7 there.
    """
    N = X.shape[0]
    mean = X.mean(axis=0)
    Xc = X - mean
    var = np.einsum("nd,nd->d", Xc, Xc) / N
    second = var + mean * mean  # E[x²], without squaring the raw data (no overflow at |x| ~ 1e154+)
    return RESOLUTION_REL * var + (RESOLUTION_ULPS * np.finfo(np.float64).eps) ** 2 * second


def check_resolution(
    factors: Factors, covariances: np.ndarray, floor: np.ndarray, strict: bool, what: str = "covariances"
) -> None:
    """Raise :class:`CollapseError` when a covariance is numerically degenerate.

    Always: a Cholesky pivot (conditional variance) L_jj² below ``floor[j]`` (a point collapse).
    With ``strict`` (pure ML, reg_covar = 0), full/tied also: L_jj² < SINGULAR_REL·Σ_jj (a subspace
    collapse: entries of Σ carry relative rounding ε, so smaller pivots are noise).
    """
    ct = factors.covariance_type
    rel = None
    if ct == "full":
        cond = np.diagonal(factors.chol, axis1=1, axis2=2) ** 2  # (K, D)
        rel = np.diagonal(covariances, axis1=1, axis2=2)
    elif ct == "tied":
        cond = (np.diagonal(factors.chol) ** 2)[None, :]
        rel = np.diagonal(covariances)[None, :]
    elif ct == "diag":
        cond = factors.chol**2
    else:
        cond = (factors.chol**2)[:, None]
        floor = np.array([floor.mean()])
    low = cond < floor[None, :]
    bad = np.any(low, axis=1)
    if bad.any():
        ks = [int(k) for k in np.flatnonzero(bad)]
        k, j = np.unravel_index(np.argmin(np.where(low, cond / floor[None, :], np.inf)), cond.shape)
        raise CollapseError(
            f"{what} of component(s) {ks} collapsed: a (conditional) variance fell to "
            f"{float(cond[k, j]):.3g}, below {float(floor[j]):.3g}, the double-precision resolution of "
            "the data (in σ: 1e4·ε ≈ 2.2e-12 of their spread, or 1000 units of their rounding)"
        )
    if strict and rel is not None:
        bad = np.any(cond < SINGULAR_REL * rel, axis=1)
        if bad.any():
            ks = [int(k) for k in np.flatnonzero(bad)]
            raise CollapseError(
                f"{what} of component(s) {ks} became numerically singular (a Cholesky "
                f"pivot below {SINGULAR_REL:g} of its variance): the component collapsed "
                "onto a subspace"
            )


# ----------------------------------------------------------------------------------------------
# Factorisations
# ----------------------------------------------------------------------------------------------


class Factors:
    """Cholesky-type factors of the covariances of one parameter set.

    Attributes
    ----------
    chol : ndarray
        full ``(K, D, D)`` lower L_k with Σ_k = L_k L_kᵀ; tied ``(D, D)``; diag ``(K, D)`` standard
        deviations; spherical ``(K,)`` standard deviations.
    inv : ndarray
        full/tied: the triangular inverse L⁻¹ (lower); diag/spherical: 1/σ.
    log_det : ndarray of shape (K,)
        ln |Σ_k|.
    """

    __slots__ = ("chol", "covariance_type", "inv", "log_det")

    def __init__(
        self,
        covariances: np.ndarray,
        covariance_type: str,
        n_components: int,
        n_features: int,
        what: str = "covariances",
    ) -> None:
        self.covariance_type = covariance_type
        K, D = n_components, n_features
        if covariance_type == "full":
            chol, self.inv = _cholesky_or_raise(covariances, what)
            self.chol = chol
            self.log_det = 2.0 * np.log(np.diagonal(chol, axis1=1, axis2=2)).sum(axis=1)
        elif covariance_type == "tied":
            chol, inv = _cholesky_or_raise(covariances[None], what)
            chol, self.inv = chol[0], inv[0]
            self.chol = chol
            self.log_det = np.full(K, 2.0 * np.log(np.diagonal(chol)).sum())
        elif covariance_type == "diag":
            _positive_or_raise(covariances, what)
            self.chol = np.sqrt(covariances)
            self.inv = 1.0 / self.chol
            self.log_det = np.log(covariances).sum(axis=1)
        else:  # spherical
            _positive_or_raise(covariances, what)
            self.chol = np.sqrt(covariances)
            self.inv = 1.0 / self.chol
            self.log_det = D * np.log(covariances)

    def precisions_cholesky(self) -> np.ndarray:
        """scikit-learn's ``precisions_cholesky_``: U with Σ⁻¹ = U Uᵀ (full/tied U = L⁻ᵀ, upper)."""
        if self.covariance_type == "full":
            return np.ascontiguousarray(np.swapaxes(self.inv, 1, 2))
        if self.covariance_type == "tied":
            return np.ascontiguousarray(self.inv.T)
        return self.inv.copy()


def _cholesky_or_raise(mats: np.ndarray, what: str) -> tuple[np.ndarray, np.ndarray]:
    """Lower Cholesky factors and their triangular inverses of a stack (K, D, D).

    Small matrices go through NumPy's batched routines; larger ones through LAPACK ``potrf`` and
    ``trtri`` one component at a time (less overhead than the batched NumPy calls).
    """
    K, D, _ = mats.shape
    if D <= SMALL_D:
        try:
            chol = np.linalg.cholesky(mats)
        except np.linalg.LinAlgError:
            chol = None
        if chol is not None and np.all(np.diagonal(chol, axis1=1, axis2=2) > 0):
            return chol, np.linalg.inv(chol)
        bad = [k for k in range(K) if not _is_pd(mats[k])]
        raise CollapseError(f"{what} must be positive definite; component(s) {bad or list(range(K))} are not")
    chol = np.empty_like(mats)
    inv = np.empty_like(mats)
    bad = []
    for k in range(K):
        c, info = dpotrf(mats[k], lower=1, clean=1)
        if info != 0 or not np.all(np.diag(c) > 0):
            bad.append(k)
            continue
        ci, info2 = dtrtri(c, lower=1)
        if info2 != 0:
            bad.append(k)
            continue
        chol[k] = c
        inv[k] = ci
    if bad:
        raise CollapseError(f"{what} must be positive definite; component(s) {bad} are not")
    return chol, inv


def _is_pd(m: np.ndarray) -> bool:
    try:
        c = np.linalg.cholesky(m)
    except np.linalg.LinAlgError:
        return False
    return bool(np.all(np.diag(c) > 0))


def _positive_or_raise(values: np.ndarray, what: str) -> None:
    if not np.all(values > 0):
        bad = (
            sorted({int(i) for i in np.argwhere(~(values > 0))[:, 0]})
            if values.ndim > 1
            else [int(i) for i in np.flatnonzero(~(values > 0))]
        )
        raise CollapseError(f"{what} must be positive definite (all variances > 0); component(s) {bad} are not")


# ----------------------------------------------------------------------------------------------
# Reference (public-path) kernels
# ----------------------------------------------------------------------------------------------


def log_gaussian_kn(X: np.ndarray, means: np.ndarray, factors: Factors) -> np.ndarray:
    """ln N(x_n | μ_k, Σ_k) as a (K, N) array, on centred data and Cholesky solves."""
    with np.errstate(over="ignore", under="ignore"):
        return _log_gaussian_kn(X, means, factors)


def _log_gaussian_kn(X: np.ndarray, means: np.ndarray, factors: Factors) -> np.ndarray:
    N, D = X.shape
    K = means.shape[0]
    out = np.empty((K, N))
    ct = factors.covariance_type
    for k in range(K):
        d = X - means[k]
        if ct == "full" or ct == "tied":
            chol = factors.chol[k] if ct == "full" else factors.chol
            y = solve_triangular(chol, d.T, lower=True, check_finite=False)
            q = np.einsum("dn,dn->n", y, y)
        elif ct == "diag":
            y = d / factors.chol[k]
            q = np.einsum("nd,nd->n", y, y)
        else:
            q = np.einsum("nd,nd->n", d, d) / (factors.chol[k] ** 2)
        out[k] = -0.5 * (D * LOG_2PI + factors.log_det[k] + q)
    return out


def log_weights(weights: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore"):
        return np.log(weights)


def one_hot_kn(resp: np.ndarray) -> np.ndarray:
    """Round (K, N) responsibilities to one-hot columns (ties go to the lowest component index)."""
    N = resp.shape[1]
    hard = np.zeros_like(resp)
    hard[resp.argmax(axis=0), np.arange(N)] = 1.0
    return hard


@dataclass(frozen=True)
class SufficientStats:
    """What the M-step needs from the data and the responsibilities, taken about points ``ref``.

    Attributes
    ----------
    nk : ndarray of shape (K,)
        N_k = Σ_n r_nk.
    ref : ndarray of shape (K, D)
        The reference points the moments are taken about (current means, the data's centre, or the
        weighted means).
    S1 : ndarray of shape (K, D)
        Σ_n r_nk (x_n − ref_k).
    S2 : ndarray
        Σ_n r_nk (x_n − ref_k)(x_n − ref_k)ᵀ per component, full ``(K, D, D)``; summed over
        components, tied ``(D, D)``; its diagonal, diag ``(K, D)``; its trace, spherical ``(K,)``.

    Unpacks as ``nk, ref, S1, S2``.
    """

    nk: np.ndarray
    ref: np.ndarray
    S1: np.ndarray
    S2: np.ndarray

    def __iter__(self) -> Iterator[np.ndarray]:
        return iter((self.nk, self.ref, self.S1, self.S2))


def exact_stats(X: np.ndarray, resp: np.ndarray, covariance_type: str, ref_fallback: np.ndarray) -> SufficientStats:
    """Sufficient statistics of the M-step, two-pass and exactly centred.

    Returns :class:`SufficientStats` where ``ref_k`` is the responsibility-weighted mean (or
    ``ref_fallback[k]`` for an empty component), ``S1_k = Σ_n r_nk (x_n − ref_k)`` (≈ 0) and ``S2``
    the second moments about ``ref`` in the layout ``m_update`` expects.
    """
    D = X.shape[1]
    K = resp.shape[0]
    nk = resp.sum(axis=1)
    c = X.mean(axis=0)
    Xc = X - c
    ref = np.array(ref_fallback, dtype=float, copy=True)
    ok = nk >= EMPTY_NK
    if ok.any():
        ref[ok] = c + (resp[ok] @ Xc) / nk[ok, None]
    S1 = np.empty((K, D))
    S2: np.ndarray
    if covariance_type == "full" or covariance_type == "tied":
        S2 = np.empty((K, D, D))
    elif covariance_type == "diag":
        S2 = np.empty((K, D))
    else:
        S2 = np.empty(K)
    for k in range(K):
        d = X - ref[k]
        S1[k] = resp[k] @ d
        if covariance_type == "full" or covariance_type == "tied":
            S2[k] = (d * resp[k][:, None]).T @ d
        elif covariance_type == "diag":
            S2[k] = resp[k] @ (d * d)
        else:
            S2[k] = resp[k] @ np.einsum("nd,nd->n", d, d)
    if covariance_type == "full" or covariance_type == "tied":
        S2 = 0.5 * (S2 + np.swapaxes(S2, 1, 2))
    if covariance_type == "tied":
        S2 = S2.sum(axis=0)
    return SufficientStats(nk, ref, S1, S2)


# ----------------------------------------------------------------------------------------------
# The M-step update shared by the public m_step and the fit engine
# ----------------------------------------------------------------------------------------------


def m_update(
    stats: SufficientStats,
    *,
    n_samples: int,
    covariance_type: str,
    reg_covar: float,
    prev: tuple | None,
    fixed: frozenset,
    prior: dict | None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """New (weights, means, covariances) from statistics taken about reference points ``stats.ref``.

    ``S1_k = Σ_n r_nk (x_n − ref_k)``; ``S2`` = Σ_n r_nk (x_n − ref_k)(x_n − ref_k)ᵀ per component
    (full ``(K,D,D)``), its sum over components (tied ``(D,D)``), its diagonal (diag ``(K,D)``) or its
    trace (spherical ``(K,)``).  With the new mean μ_k = ref_k + δ_k the scatter about μ_k is
    W_k = S2_k − S1_k δ_kᵀ − δ_k S1_kᵀ + N_k δ_k δ_kᵀ (no approximation).

    Rules (documented in :class:`mle_lib.mixture.GaussianMixture`):

    * ML: π_k = N_k/N, μ_k = ref_k + S1_k/N_k, Σ_k = W_k/N_k + reg_covar·I.
    * MAP (``prior`` = resolved dict with ``shrinkage`` κ, ``mean`` μ_P, ``dof`` ν, ``scale`` Λ
      already including ``reg_covar``): μ_k = (Σ_n r_nk x_n + κ μ_P)/(N_k + κ) and
      Σ_k = (Λ + κ(μ_k−μ_P)(μ_k−μ_P)ᵀ + W_k)/(ν + N_k + D + 2) (full); diag per feature
      (ζ² + κ(μ_kj−μ_Pj)² + W_kjj)/(ν + N_k + 3); spherical (ζ² + κ‖μ_k−μ_P‖² + tr W_k)/(ν + (N_k+1)D + 2);
      tied (Λ + Σ_k[κ(μ_k−μ_P)(μ_k−μ_P)ᵀ + W_k])/(ν + N + K + D + 1).
    * ``fixed`` names keep their previous values.
    * ML only: an *empty* component (N_k < EMPTY_NK) keeps its previous mean and covariance and gets
      weight N_k/N.
    """
    nk, ref, S1, S2 = stats.nk, stats.ref, stats.S1, stats.S2
    K, D = ref.shape
    N = float(n_samples)
    p_w, p_mu, p_cov = prev if prev is not None else (None, None, None)
    empty = nk < EMPTY_NK
    if prior is None and empty.any() and prev is None:
        ks = [int(k) for k in np.flatnonzero(empty)]
        raise ValueError(
            f"resp gives component(s) {ks} a total responsibility below {EMPTY_NK:g}: "
            "an empty component has no maximum-likelihood estimate; pass its current "
            "means and covariances (they are then kept) or use a prior"
        )

    # weights (Lagrange multiplier λ = −N gives π_k = N_k / N)
    weights = np.array(p_w, dtype=float, copy=True) if "weights" in fixed else nk / nk.sum()

    # means
    if "means" in fixed:
        means = np.array(p_mu, dtype=float, copy=True)
    elif prior is not None:
        kappa = prior["shrinkage"]
        means = ref + (S1 + kappa * (prior["mean"] - ref)) / (nk + kappa)[:, None]
    else:
        safe = np.where(empty, 1.0, nk)
        means = ref + S1 / safe[:, None]
        if empty.any():
            means[empty] = p_mu[empty]
    delta = means - ref

    if "covariances" in fixed:
        return weights, means, np.array(p_cov, dtype=float, copy=True)

    # scatter about the new means
    ct = covariance_type
    if ct == "full" and prior is None and "means" not in fixed and not empty.any():
        # ML means: S1_k = N_k δ_k, so W_k = S2_k − N_k δ_k δ_kᵀ (exactly symmetric)
        W = S2 - nk[:, None, None] * (delta[:, :, None] * delta[:, None, :])
    elif ct == "full" or ct == "tied":
        cross = S1[:, :, None] * delta[:, None, :]
        W = (
            (S2 if ct == "full" else 0.0)
            - cross
            - np.swapaxes(cross, 1, 2)
            + nk[:, None, None] * delta[:, :, None] * delta[:, None, :]
        )
        if ct == "tied":
            W = S2 + W.sum(axis=0)
            W = 0.5 * (W + W.T)
        else:
            W = 0.5 * (W + np.swapaxes(W, 1, 2))
    elif ct == "diag":
        W = np.maximum(S2 - 2.0 * S1 * delta + nk[:, None] * delta * delta, 0.0)
    else:
        W = np.maximum(S2 - 2.0 * np.einsum("kd,kd->k", S1, delta) + nk * np.einsum("kd,kd->k", delta, delta), 0.0)

    if prior is not None:
        kappa, mu_p, nu, scale = prior["shrinkage"], prior["mean"], prior["dof"], prior["scale"]
        dev = means - mu_p
        if ct == "full":
            C = scale + kappa * dev[:, :, None] * dev[:, None, :] + W
            cov = C / (nu + nk + D + 2.0)[:, None, None]
        elif ct == "tied":
            C = scale + kappa * np.einsum("ki,kj->ij", dev, dev) + W
            cov = C / (nu + N + K + D + 1.0)
        elif ct == "diag":
            cov = (scale + kappa * dev * dev + W) / (nu + nk + 3.0)[:, None]
        else:
            cov = (scale + kappa * np.einsum("kd,kd->k", dev, dev) + W) / (nu + (nk + 1.0) * D + 2.0)
        return weights, means, cov

    safe = np.where(empty, 1.0, nk)
    if ct == "full":
        cov = W / safe[:, None, None]
        cov[:, np.arange(D), np.arange(D)] += reg_covar
        if empty.any():
            cov[empty] = p_cov[empty]
    elif ct == "tied":
        cov = W / N
        cov[np.arange(D), np.arange(D)] += reg_covar
    elif ct == "diag":
        cov = W / safe[:, None] + reg_covar
        if empty.any():
            cov[empty] = p_cov[empty]
    else:
        cov = W / (safe * D) + reg_covar
        if empty.any():
            cov[empty] = p_cov[empty]
    return weights, means, cov


# ----------------------------------------------------------------------------------------------
# Prior
# ----------------------------------------------------------------------------------------------


def log_prior(means: np.ndarray, covariances: np.ndarray, factors: Factors, covariance_type: str, prior: dict) -> float:
    """ln p(μ, Σ) of the conjugate prior (normal–inverse-Wishart / normal–inverse-gamma).

    μ_k | Σ_k ~ N(μ_P, Σ_k/κ);  Σ_k ~ IW(ν, Λ) (full, tied: one Σ);  each diagonal variance
    σ²_kj ~ IG(ν/2, ζ²/2) (diag);  σ²_k ~ IG(ν/2, ζ²/2) (spherical).  No prior on the weights.
    """
    kappa, mu_p, nu, scale = prior["shrinkage"], prior["mean"], prior["dof"], prior["scale"]
    K, D = means.shape
    ct = covariance_type
    # μ_k | Σ_k ~ N(μ_P, Σ_k/κ): this module's one multivariate normal log-density, as N(μ_P | μ_k, Σ_k/κ)
    shrunk = Factors(covariances / kappa, ct, K, D)
    total = float(log_gaussian_kn(np.asarray(mu_p, dtype=float)[None, :], means, shrunk).sum())
    if ct == "full" or ct == "tied":
        lam_chol = np.linalg.cholesky(scale)
        log_det_lam = 2.0 * np.log(np.diag(lam_chol)).sum()
        iw_const = 0.5 * nu * log_det_lam - 0.5 * nu * D * math.log(2.0) - multigammaln(0.5 * nu, D)
        invs = factors.inv if ct == "full" else factors.inv[None]
        for k in range(K if ct == "full" else 1):
            B = invs[k] @ lam_chol
            tr = float(np.einsum("ij,ij->", B, B))
            total += iw_const - 0.5 * (nu + D + 1.0) * factors.log_det[k] - 0.5 * tr
        return total
    # inverse-gamma families: each diagonal variance (diag) or each σ²_k (spherical) ~ IG(ν/2, ζ²/2)
    a = 0.5 * nu
    b = 0.5 * np.asarray(scale, dtype=float)
    var = covariances
    return total + float(np.sum(a * np.log(b) - gammaln(a) - (a + 1.0) * np.log(var) - b / var))


__all__ = [
    "COVARIANCE_TYPES",
    "EMPTY_NK",
    "LOG_2PI",
    "CollapseError",
    "Factors",
    "SufficientStats",
    "check_resolution",
    "exact_stats",
    "log_gaussian_kn",
    "log_prior",
    "log_weights",
    "m_update",
    "one_hot_kn",
    "variance_resolution",
]
