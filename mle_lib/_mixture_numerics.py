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

Two families of kernels live here:

1. *Reference* kernels (:func:`log_gaussian_kn`, :func:`exact_stats`): a loop over components,
   each working on centred data ``X − μ_k`` and a triangular solve with the Cholesky factor
   (``scipy.linalg.solve_triangular``).  They are what the public ``e_step``/``m_step``/``score``
   functions use.
2. The *fit engine* (:class:`Engine`): one fused sweep per EM iteration over cache-sized chunks of
   samples that evaluates the E-step at the current parameters **and** accumulates the
   sufficient statistics of the M-step, so that no ``(K, N)`` responsibility array is ever written
   to main memory.  The statistics are taken about the *current* means (exact centring), and the
   M-step then shifts them to the new means (:func:`m_update`).  Three layouts:

   * ``small`` (``D ≤ 4``, every covariance type): all components at once on feature-major data;
     the quadratic forms are ``‖L_k⁻¹(x − μ_k)‖²`` with the inverse Cholesky factor, and one
     batched product of the responsibilities with ``[1, d, d_i d_j]`` (d = x − μ_k) gives N_k and
     the first and second moments.
   * ``blas`` (``D > 4``, full and tied): per component, ``X − μ_k`` times the triangular inverse
     Cholesky factor with BLAS ``trmm`` (half the flops of a general product) and the scatter
     matrix with BLAS ``syrk``; samples with r_nk < 1e-30 are skipped in the scatter (see
     :class:`Engine`).
   * ``expand`` (``D > 4``, diag and spherical): the quadratic form is expanded on data centred
     once at ``c`` (the mean for features far from the origin, else 0, see
     :func:`expansion_centre`), so the E-step is one matrix product ``coefficients @ [x−c, (x−c)²]ᵀ``
     and the M-step one product ``R @ [x−c, (x−c)²]``.

   In every layout ln π_k f_k − max_j ln π_j f_j is clamped at −700 before ``exp`` (``EXP_FLOOR``):
   a change below e⁻⁷⁰⁰ ≈ 1e-304 that keeps ``exp`` off its slow subnormal path.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.linalg import solve_triangular
from scipy.linalg.blas import dsyrk, dtrmm
from scipy.linalg.lapack import dpotrf, dtrtri
from scipy.special import gammaln, multigammaln

LOG_2PI = math.log(2.0 * math.pi)

#: A component whose total responsibility N_k is below this is *empty* (see ``m_update``).
EMPTY_NK = 1e-250

#: The fit engine clamps ln(π_k f_k) − max_j ln(π_j f_j) at this before exp (no subnormals).
EXP_FLOOR = -700.0

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


def logsumexp_kn(lp: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Normalise (K, N) log-weights **in place** into responsibilities; return (ln p(x_n), resp).

    A max-shifted ``exp``/``sum``/``log`` along the component axis.  A sample whose every
    component has log-weight −∞ (only possible after overflow of the quadratic form) gets
    ln p = −∞ and uniform responsibilities rather than NaN.
    """
    m = lp.max(axis=0)
    bad = ~np.isfinite(m)
    if bad.any():
        m[bad] = 0.0
        lp[:, bad] = 0.0
    lp -= m
    np.exp(lp, out=lp)
    s = lp.sum(axis=0)
    lp /= s
    with np.errstate(divide="ignore"):
        ll = np.log(s) + m
    if bad.any():
        ll[bad] = -np.inf
    return ll, lp


def log_weights(weights: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore"):
        return np.log(weights)


def one_hot_kn(resp: np.ndarray) -> np.ndarray:
    """Round (K, N) responsibilities to one-hot columns (ties go to the lowest component index)."""
    K, N = resp.shape
    hard = np.zeros_like(resp)
    hard[resp.argmax(axis=0), np.arange(N)] = 1.0
    return hard


def exact_stats(X: np.ndarray, resp: np.ndarray, covariance_type: str, ref_fallback: np.ndarray) -> tuple:
    """Sufficient statistics of the M-step, two-pass and exactly centred.

    Returns ``(nk, ref, S1, S2)`` where ``ref_k`` is the responsibility-weighted mean (or
    ``ref_fallback[k]`` for an empty component), ``S1_k = Σ_n r_nk (x_n − ref_k)`` (≈ 0) and ``S2``
    the second moments about ``ref`` in the layout ``m_update`` expects.
    """
    N, D = X.shape
    K = resp.shape[0]
    nk = resp.sum(axis=1)
    c = X.mean(axis=0)
    Xc = X - c
    ref = np.array(ref_fallback, dtype=float, copy=True)
    ok = nk >= EMPTY_NK
    if ok.any():
        ref[ok] = c + (resp[ok] @ Xc) / nk[ok, None]
    S1 = np.empty((K, D))
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
    return nk, ref, S1, S2


# ----------------------------------------------------------------------------------------------
# The M-step update shared by the public m_step and the fit engine
# ----------------------------------------------------------------------------------------------


def m_update(
    nk: np.ndarray,
    ref: np.ndarray,
    S1: np.ndarray,
    S2,
    n_samples: int,
    covariance_type: str,
    reg_covar: float,
    prev: tuple | None,
    fixed: frozenset,
    prior: dict | None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """New (weights, means, covariances) from statistics taken about reference points ``ref``.

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
    if "weights" in fixed:
        weights = np.array(p_w, dtype=float, copy=True)
    else:
        weights = nk / nk.sum()

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
    dev = means - mu_p
    ct = covariance_type
    if ct == "full" or ct == "tied":
        lam_chol = np.linalg.cholesky(scale)
        log_det_lam = 2.0 * np.log(np.diag(lam_chol)).sum()
        iw_const = 0.5 * nu * log_det_lam - 0.5 * nu * D * math.log(2.0) - multigammaln(0.5 * nu, D)
        total = 0.0
        invs = factors.inv if ct == "full" else np.broadcast_to(factors.inv, (K, D, D))
        for k in range(K):
            y = invs[k] @ dev[k]
            q = float(y @ y)
            total += -0.5 * D * LOG_2PI + 0.5 * D * math.log(kappa) - 0.5 * factors.log_det[k] - 0.5 * kappa * q
        n_iw = K if ct == "full" else 1
        for k in range(n_iw):
            B = invs[k] @ lam_chol
            tr = float(np.einsum("ij,ij->", B, B))
            total += iw_const - 0.5 * (nu + D + 1.0) * factors.log_det[k] - 0.5 * tr
        return total
    # inverse-gamma families
    a = 0.5 * nu
    b = 0.5 * np.asarray(scale, dtype=float)
    if ct == "diag":
        var = covariances
        lognorm = -0.5 * LOG_2PI + 0.5 * math.log(kappa) - 0.5 * np.log(var) - 0.5 * kappa * dev * dev / var
        logig = a * np.log(b) - gammaln(a) - (a + 1.0) * np.log(var) - b / var
        return float(lognorm.sum() + logig.sum())
    var = covariances
    lognorm = (
        -0.5 * D * LOG_2PI
        + 0.5 * D * math.log(kappa)
        - 0.5 * D * np.log(var)
        - 0.5 * kappa * np.einsum("kd,kd->k", dev, dev) / var
    )
    logig = a * math.log(float(b)) - gammaln(a) - (a + 1.0) * np.log(var) - float(b) / var
    return float(lognorm.sum() + logig.sum())


# ----------------------------------------------------------------------------------------------
# The fit engine: fused E-step + sufficient statistics, chunked
# ----------------------------------------------------------------------------------------------


def expansion_centre(X: np.ndarray) -> np.ndarray:
    """Where the ``expand`` layout centres each feature before expanding (x − μ)².

    The expansion Σ_j (x_j² − 2 x_j μ_j + μ_j²)/σ²_j loses about ε·(x_j − c_j)²/σ²_j, so data sitting
    far from the origin (|mean| larger than the feature's range) are centred at the mean, which
    removes the offset (exactly, for data within a factor 2 of it).  Features whose range already
    contains or nearly contains the origin are left alone (c_j = 0): centring would gain nothing and
    would destroy the exact zeros of sparse data (e.g. image backgrounds), where components have
    near-zero variance.
    """
    mean = X.mean(axis=0)
    span = X.max(axis=0) - X.min(axis=0)
    return np.where(np.abs(mean) > span, mean, 0.0)


class Engine:
    """Fused EM sweeps for one data set, one covariance type and one K.

    ``sweep(weights, means, factors, want_stats, hard)`` returns ``(ll_sum, cl_sum, stats)`` with
    ``ll_sum = Σ_n ln p(x_n)``, ``cl_sum = Σ_n max_k ln π_k f_k(x_n)`` (the classification
    log-likelihood) and ``stats = (nk, ref, S1, S2)`` for :func:`m_update` (``None`` unless
    ``want_stats``).  With ``hard`` the responsibilities are rounded to one-hot before the statistics
    are taken (classification EM).

    In the ``blas`` layout the statistics of component k skip the samples whose responsibility
    r_nk is below ``SKIP_R`` = 1e-30 whenever that leaves fewer than 60 % of a chunk: the skipped
    terms change N_k, Σ r x and Σ r x xᵀ by less than 1e-30 per sample (times its squared
    Mahalanobis distance, which is bounded by about 2 ln(1/r) for a sample that another component
    explains), i.e. far below double-precision rounding of anything but an empty component.
    """

    SKIP_R = 1e-30

    def __init__(self, X: np.ndarray, n_components: int, covariance_type: str) -> None:
        self.N, self.D = X.shape
        self.K = n_components
        self.ct = covariance_type
        K, D, N = self.K, self.D, self.N
        if D <= SMALL_D:
            self.layout = "small"
            self.Xt = np.ascontiguousarray(X.T)
            self.generic = covariance_type in ("full", "tied") and D > 1
            self.P = D * (D + 1) // 2 if self.generic else D
            self.C = int(min(N, max(4096, min(32768, (1 << 18) // (K * (D + self.P))))))
            # row 0: ones (gives N_k); rows 1..D: centred data d = x − μ_k; then the products
            # d_i d_j (i ≤ j) or d_j² — one batched product with r gives all the statistics.
            self.buf = np.empty((K, 1 + D + self.P, self.C))
            self.buf[:, 0, :] = 1.0
            self.ybuf = np.empty((K, D, self.C)) if self.generic else None
            self.lpbuf = np.empty((K, self.C))
        elif covariance_type in ("full", "tied"):
            self.layout = "blas"
            self.X = np.ascontiguousarray(X)
            self.C = int(min(N, max(512, (1 << 18) // D)))
            self.dbuf = np.empty((self.C, D))
            self.ybuf = np.empty((self.C, D))
            self.lpbuf = np.empty((K, self.C))
        else:
            self.layout = "expand"
            self.c = expansion_centre(X)
            # F = [x − c, (x − c)²] (diag) or [x − c, ‖x − c‖²] (spherical), built in place
            F = np.empty((N, 2 * D if covariance_type == "diag" else D + 1))
            Xc = F[:, :D]
            np.subtract(X, self.c, out=Xc)
            if covariance_type == "diag":
                np.multiply(Xc, Xc, out=F[:, D:])
            else:
                np.einsum("nd,nd->n", Xc, Xc, out=F[:, D])
            self.F = F
            self.Ft = np.ascontiguousarray(F.T)
            self.C = int(min(N, max(4096, (1 << 18) // K)))
            self.lpbuf = np.empty((K, self.C))

    @staticmethod
    def _finish_chunk(lp: np.ndarray, hard: bool) -> tuple[float, float]:
        """Turn log-weights into responsibilities in place; return (Σ ln p, Σ max_k)."""
        m = lp.max(axis=0)
        msum = float(m.sum())
        if not math.isfinite(msum):  # a sample with ln f = −∞ for every component (overflow)
            ll, r = logsumexp_kn(lp)
            cl = float(np.where(np.isfinite(m), m, -np.inf).sum())
            if hard:
                lp[...] = one_hot_kn(r)
            return float(ll.sum()), cl
        lp -= m
        # exp of arguments below −708 returns subnormals, on a slow path (4× slower here); the
        # clamp changes those terms by less than e^−700 ≈ 1e-304 against a normaliser ≥ 1.
        np.maximum(lp, EXP_FLOOR, out=lp)
        np.exp(lp, out=lp)
        s = lp.sum(axis=0)
        lp *= np.reciprocal(s, out=m)
        np.log(s, out=s)
        llsum = float(s.sum()) + msum
        if hard:
            n = lp.shape[1]
            lab = lp.argmax(axis=0)
            lp[...] = 0.0
            lp[lab, np.arange(n)] = 1.0
        return llsum, msum

    def sweep(self, weights: np.ndarray, means: np.ndarray, factors: Factors, want_stats: bool, hard: bool = False):
        a = log_weights(weights) - 0.5 * (self.D * LOG_2PI + factors.log_det)
        # A quadratic form may overflow to +inf (ln f = −inf) in degenerate fits; that is handled.
        with np.errstate(over="ignore", under="ignore"):
            if self.layout == "small":
                return self._sweep_small(a, means, factors, want_stats, hard)
            if self.layout == "blas":
                return self._sweep_blas(a, means, factors, want_stats, hard)
            return self._sweep_expand(a, means, factors, want_stats, hard)

    # -- D <= SMALL_D: all components at once -------------------------------------------------
    def _sweep_small(self, a, means, factors, want_stats, hard):
        K, D, N, C, P = self.K, self.D, self.N, self.C, self.P
        ct = self.ct
        Xt = self.Xt
        mu3 = means[:, :, None]
        a2 = a[:, None]
        generic = self.generic
        if generic:
            # y = (L⁻¹/√2)(x − μ) so that ln π_k f_k = a_k − ‖y‖².
            Linv = factors.inv * math.sqrt(0.5)
        else:
            # coefficient of d_j² in ln π_k f_k: −1/(2σ²_kj)
            if ct == "diag":
                var = factors.chol**2
            elif ct == "spherical":
                var = np.repeat((factors.chol**2)[:, None], D, axis=1)
            else:  # full / tied with D == 1
                v = factors.chol.reshape(-1) ** 2
                var = (v if ct == "full" else np.full(K, v[0]))[:, None]
            coef = (-0.5 / var)[:, None, :]  # (K, 1, D)
        ll = cl = 0.0
        if want_stats:
            S = np.zeros((K, 1 + D + P))
        for st in range(0, N, C):
            e = min(st + C, N)
            n = e - st
            buf = self.buf[:, :, :n]
            d = buf[:, 1 : 1 + D]
            g = buf[:, 1 + D :]
            np.subtract(Xt[None, :, st:e], mu3, out=d)
            lp = self.lpbuf[:, :n]
            if generic:
                off = 0
                if want_stats:
                    for i in range(D):
                        np.multiply(d[:, i : i + 1], d[:, i:], out=g[:, off : off + D - i])
                        off += D - i
                y = self.ybuf[:, :, :n]
                np.matmul(Linv, d, out=y)
                np.multiply(y, y, out=y)
                np.add(y[:, 0], y[:, 1], out=lp)
                for j in range(2, D):
                    lp += y[:, j]
                np.subtract(a2, lp, out=lp)
            else:
                np.multiply(d, d, out=g)
                if D == 1:
                    np.multiply(g[:, 0], coef[:, 0], out=lp)
                else:
                    np.matmul(coef, g, out=lp[:, None, :])
                lp += a2
            l1, c1 = self._finish_chunk(lp, hard)
            ll += l1
            cl += c1
            if not want_stats:
                continue
            S += np.matmul(buf, lp[:, :, None])[:, :, 0]
        if not want_stats:
            return ll, cl, None
        nk = S[:, 0].copy()
        S1 = S[:, 1 : 1 + D].copy()
        Sp = S[:, 1 + D :]
        if generic:
            iu = np.triu_indices(D)
            S2f = np.zeros((K, D, D))
            S2f[:, iu[0], iu[1]] = Sp
            S2f[:, iu[1], iu[0]] = Sp
            S2 = S2f if ct == "full" else S2f.sum(axis=0)
        elif ct == "diag":
            S2 = Sp.copy()
        elif ct == "spherical":
            S2 = Sp.sum(axis=1)
        elif ct == "full":  # D == 1
            S2 = Sp[:, :, None].copy()
        else:  # tied, D == 1
            S2 = np.array([[Sp.sum()]])
        return ll, cl, (nk, means.copy(), S1, S2)

    # -- D > SMALL_D, full / tied: per component trmm + syrk -----------------------------------
    def _sweep_blas(self, a, means, factors, want_stats, hard):
        K, D, N, C = self.K, self.D, self.N, self.C
        ct = self.ct
        X = self.X
        skip = self.SKIP_R
        ll = cl = 0.0
        invs = [np.asfortranarray(factors.inv[k] if ct == "full" else factors.inv) for k in range(K)]
        if want_stats:
            nk = np.zeros(K)
            S1 = np.zeros((K, D))
            S2 = [np.zeros((D, D), order="F") for _ in range(K)]
        for st in range(0, N, C):
            e = min(st + C, N)
            n = e - st
            xb = X[st:e]
            lp = self.lpbuf[:, :n]
            y = self.ybuf[:n]
            for k in range(K):
                np.subtract(xb, means[k], out=y)
                dtrmm(1.0, invs[k], y.T, side=0, lower=1, overwrite_b=1)  # y ← (L⁻¹ (x − μ_k))ᵀ
                np.einsum("nd,nd->n", y, y, out=lp[k])
            lp *= -0.5
            lp += a[:, None]
            l1, c1 = self._finish_chunk(lp, hard)
            ll += l1
            cl += c1
            if not want_stats:
                continue
            for k in range(K):
                rk = lp[k]
                keep = np.flatnonzero(rk >= skip)
                if keep.size == 0:
                    continue
                if keep.size > 0.6 * n:
                    dk = self.dbuf[:n]
                    np.subtract(xb, means[k], out=dk)
                    w = rk
                else:
                    dk = xb[keep]
                    dk -= means[k]
                    w = rk[keep]
                nk[k] += w.sum()
                S1[k] += w @ dk
                dk *= np.sqrt(w)[:, None]
                S2[k] = dsyrk(1.0, dk.T, beta=1.0, c=S2[k], trans=0, lower=0, overwrite_c=1)
        if not want_stats:
            return ll, cl, None
        S2a = np.empty((K, D, D))
        for k in range(K):
            u = np.triu(S2[k])
            S2a[k] = u + np.triu(u, 1).T
        if ct == "tied":
            S2a = S2a.sum(axis=0)
        return ll, cl, (nk, means.copy(), S1, S2a)

    # -- D > SMALL_D, diag / spherical: expanded quadratic forms, one product per step ---------
    def _sweep_expand(self, a, means, factors, want_stats, hard):
        K, D, N, C = self.K, self.D, self.N, self.C
        ct = self.ct
        F, Ft = self.F, self.Ft
        mt = means - self.c  # (K, D) means about c
        if ct == "diag":
            prec = factors.inv**2  # 1/σ²  (K, D)
            B = np.hstack([mt * prec, -0.5 * prec])  # (K, 2D)
            const = a - 0.5 * np.einsum("kd,kd->k", mt * mt, prec)
        else:
            prec = factors.inv**2  # (K,)
            B = np.hstack([mt * prec[:, None], -0.5 * prec[:, None]])  # (K, D+1)
            const = a - 0.5 * np.einsum("kd,kd->k", mt, mt) * prec
        const2 = const[:, None]
        ll = cl = 0.0
        if want_stats:
            nk = np.zeros(K)
            T = np.zeros((K, F.shape[1]))
        for st in range(0, N, C):
            e = min(st + C, N)
            n = e - st
            Fb = F[st:e]
            lp = self.lpbuf[:, :n]
            np.matmul(B, Ft[:, st:e], out=lp)
            lp += const2
            l1, c1 = self._finish_chunk(lp, hard)
            ll += l1
            cl += c1
            if not want_stats:
                continue
            nk += lp.sum(axis=1)
            T += lp @ Fb
        if not want_stats:
            return ll, cl, None
        ref = np.broadcast_to(self.c, (K, D)).copy()
        S1 = T[:, :D]
        S2 = T[:, D:] if ct == "diag" else T[:, D]
        return ll, cl, (nk, ref, np.ascontiguousarray(S1), np.ascontiguousarray(S2))
