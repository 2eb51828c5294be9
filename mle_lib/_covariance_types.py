"""One unit per covariance type (private), found in one mapping that refuses an unknown type.

=========== =========================== ============== ============================================
type        covariances (scikit-learn)  scatter S2     Σ_k
=========== =========================== ============== ============================================
full        (K, D, D)                   (K, D, D)      each component its own matrix
tied        (D, D)                      (D, D) pooled  one matrix shared by all components
diag        (K, D)                      (K, D)         diagonal, each component its own
spherical   (K,)                        (K,) traces    σ²_k I
=========== =========================== ============== ============================================

The covariances' column is the public table of :func:`mle_lib.e_step`; in code the shapes come from
one place, :meth:`CovarianceType.shape`.  Each unit holds what
is specific to its type: the 1-D shorthands it accepts, its factors and quadratic form, its
sufficient statistics and its fast sweep, its ML and MAP covariance update (the rules are written in
:meth:`CovarianceType.ml_covariance` and :meth:`CovarianceType.map_covariance` of each unit), its
share of the conjugate prior, its parameter count, sampling, precisions and the full (K, D, D) form
the plots draw.  Adding a type means writing one more unit and adding it to :data:`UNITS`.
"""

from __future__ import annotations

import math
from typing import Any, ClassVar

import numpy as np
from numpy.typing import ArrayLike
from scipy.linalg import solve_triangular
from scipy.special import gammaln, multigammaln

from ._checks import as_float_array
from ._covariance import Factors, SufficientStats, cholesky_stack, positive_or_raise
from ._em_sweeps import BlasSweep, ExpandSweep, SweepLayout, TiedSweep


class CovarianceType:
    """The interface of a covariance type's unit; the four units below implement it."""

    name: ClassVar[str]

    # -- shapes and input -------------------------------------------------------------------------
    def shape(self, K: int, D: int) -> tuple[int, ...]:
        """The covariances' shape (scikit-learn's) for K components in D dimensions."""
        raise NotImplementedError

    def coerce(self, c: np.ndarray, K: int, D: int) -> np.ndarray:
        """Accept this type's 1-D shorthands (e.g. K variances for full covariances when D = 1)."""
        return c

    def check_symmetric(self, c: np.ndarray, name: str) -> None:
        """Raise ValueError naming ``name`` if a covariance matrix is not symmetric (matrix types)."""

    def from_precisions(self, p: np.ndarray, label: str) -> np.ndarray:
        """Covariances from user-given precisions Σ⁻¹ (already of the right shape and finite)."""
        raise NotImplementedError

    # -- factors and the quadratic form -------------------------------------------------------------
    def factorise(self, cov: np.ndarray, K: int, D: int, what: str) -> Factors:
        """The :class:`~mle_lib._covariance.Factors` of ``cov``; CollapseError if not positive definite."""
        raise NotImplementedError

    def quad(self, f: Factors, k: int, d: np.ndarray) -> np.ndarray:
        """‖L_k⁻¹ d_n‖² for centred data d = x − μ_k of shape (N, D)."""
        raise NotImplementedError

    def whiten(self, f: Factors, k: int, V: np.ndarray) -> np.ndarray:
        """L_k⁻¹ V for V of shape (D, m)."""
        raise NotImplementedError

    def precision_times(self, f: Factors, k: int, V: np.ndarray) -> np.ndarray:
        """Σ_k⁻¹ V = L_k⁻ᵀ L_k⁻¹ V for V of shape (D, m)."""
        raise NotImplementedError

    def pivots(
        self, f: Factors, cov: np.ndarray, floor: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
        """(conditional variances L_jj², their floor, Σ_jj or None) in rows of components."""
        raise NotImplementedError

    def precisions_cholesky(self, f: Factors) -> np.ndarray:
        """scikit-learn's ``precisions_cholesky_`` (U with Σ⁻¹ = U Uᵀ)."""
        return f.inv.copy()

    def precisions(self, f: Factors) -> np.ndarray:
        """scikit-learn's ``precisions_`` Σ⁻¹."""
        return f.inv**2

    # -- statistics -------------------------------------------------------------------------------
    def scatter(self, d: np.ndarray, r: np.ndarray) -> np.ndarray:
        """One component's Σ_n r_n d_n d_nᵀ in this type's layout (before :meth:`pool`)."""
        raise NotImplementedError

    def pool(self, S2: np.ndarray) -> np.ndarray:
        """The stacked per-component scatters in this type's layout (tied sums them)."""
        return S2

    def scatter_about(self, st: SufficientStats, delta: np.ndarray, ml_means: bool) -> np.ndarray:
        """W_k = Σ_n r_nk (x_n − μ_k)(x_n − μ_k)ᵀ about the new means μ_k = ref_k + δ_k (exact)."""
        raise NotImplementedError

    # -- the M-step ---------------------------------------------------------------------------------
    def ml_covariance(
        self, W: np.ndarray, nk: np.ndarray, n_samples: int, D: int, reg_covar: float, prev: np.ndarray | None
    ) -> np.ndarray:
        """Maximum-likelihood covariances from the scatter W (empty components keep ``prev``)."""
        raise NotImplementedError

    def map_covariance(
        self, W: np.ndarray, dev: np.ndarray, nk: np.ndarray, n_samples: int, prior: dict[str, Any]
    ) -> np.ndarray:
        """MAP covariances (Fraley & Raftery 2007, Table 2); ``dev`` = μ_k − μ_P."""
        raise NotImplementedError

    # -- the conjugate prior ------------------------------------------------------------------------
    def default_scale(self, X: np.ndarray, K: int) -> np.ndarray | float:
        """mclust's default prior scale (Λ_P or ζ²_P) for the data X."""
        raise NotImplementedError

    def check_prior(self, scale: ArrayLike, dof: float, reg_covar: float, D: int, name: str) -> np.ndarray | float:
        """The validated prior scale with ``reg_covar`` folded in (ValueError naming ``name``)."""
        raise NotImplementedError

    def prior_resolvable(self, scale: np.ndarray | float, need: np.ndarray) -> bool:
        """Whether a validated scale lies above ``need`` (the data's resolution times the divisor)."""
        raise NotImplementedError

    def prior_divisor(self, dof: float, N: int, K: int, D: int) -> float:
        """The largest divisor of the MAP covariance update (see :meth:`map_covariance`)."""
        raise NotImplementedError

    def log_prior(self, cov: np.ndarray, f: Factors, prior: dict[str, Any]) -> float:
        """ln p(Σ): inverse-Wishart (matrix types) or inverse-gamma per variance."""
        raise NotImplementedError

    # -- counts, sampling, plots, sweeps --------------------------------------------------------------
    def n_parameters(self, K: int, D: int) -> int:
        """The number of free covariance parameters (scikit-learn's count)."""
        raise NotImplementedError

    def sample(self, z: np.ndarray, k: int, mean: np.ndarray, f: Factors) -> np.ndarray:
        """μ_k + L_k z for standard normal rows z of shape (n, D)."""
        raise NotImplementedError

    def as_full(self, cov: np.ndarray, K: int, D: int) -> np.ndarray:
        """The covariances as a (K, D, D) stack (what an ellipse plot draws)."""
        raise NotImplementedError

    def wide_sweep(self, X: np.ndarray, K: int) -> SweepLayout:
        """The fused sweep for D > SMALL_D features."""
        raise NotImplementedError

    def small_uses_inverse(self, D: int) -> bool:
        """Whether the D ≤ 4 sweep needs L⁻¹ and every product d_i d_j (matrix types, D > 1)."""
        return False

    def small_variances(self, f: Factors, K: int, D: int) -> np.ndarray | None:
        """For the D ≤ 4 sweep without L⁻¹: the per-feature variances, shape (K, D)."""
        raise NotImplementedError

    def small_scatter(self, Sp: np.ndarray, K: int, D: int) -> np.ndarray:
        """For the D ≤ 4 sweep: S2 from the rows Σ r d_i d_j (i ≤ j) or Σ r d_j² it accumulated."""
        raise NotImplementedError


# ------------------------------------------------------------------------------------------------
# Matrix types: full and tied
# ------------------------------------------------------------------------------------------------


class _MatrixType(CovarianceType):
    """What full and tied share: Cholesky factors, the inverse-Wishart prior, matrix precisions."""

    def _stack(self, c: np.ndarray) -> np.ndarray:
        return c

    def check_symmetric(self, c: np.ndarray, name: str) -> None:
        """Asymmetry above 1e-10 relative is an input error, not rounding."""
        mats = self._stack(c)
        asym = np.abs(mats - np.swapaxes(mats, 1, 2)).max()
        if asym > 1e-10 * max(1.0, float(np.abs(mats).max())):
            raise ValueError(f"{name} must be symmetric; largest asymmetry {asym:.3g}")

    def from_precisions(self, p: np.ndarray, label: str) -> np.ndarray:
        """Σ = (Σ⁻¹)⁻¹, symmetrised; scikit-learn's message for a non-SPD precision."""
        mats = self._stack(p)
        for k, m in enumerate(mats):
            if not np.allclose(m, m.T) or np.any(np.linalg.eigvalsh(m) <= 0):
                raise ValueError(f"precisions_init: {label} should be symmetric, positive-definite (matrix {k} is not)")
        inv = np.linalg.inv(mats)
        return self._unstack(0.5 * (inv + np.swapaxes(inv, 1, 2)))

    def _unstack(self, mats: np.ndarray) -> np.ndarray:
        return mats

    def _chol(self, f: Factors, k: int) -> np.ndarray:
        return f.chol[k]

    def quad(self, f: Factors, k: int, d: np.ndarray) -> np.ndarray:
        """‖L⁻¹ d‖² by a triangular solve on the centred data."""
        y = solve_triangular(self._chol(f, k), d.T, lower=True, check_finite=False)
        return np.einsum("dn,dn->n", y, y)

    def whiten(self, f: Factors, k: int, V: np.ndarray) -> np.ndarray:
        """L⁻¹ V by a triangular solve."""
        return solve_triangular(self._chol(f, k), V, lower=True, check_finite=False)

    def precision_times(self, f: Factors, k: int, V: np.ndarray) -> np.ndarray:
        """L⁻ᵀ L⁻¹ V by two triangular solves."""
        return solve_triangular(self._chol(f, k), self.whiten(f, k, V), lower=True, trans="T", check_finite=False)

    def default_scale(self, X: np.ndarray, K: int) -> np.ndarray:
        """Λ_P = cov(X)/K^{2/D} (n − 1 divisor, as R's ``var``; its diagonal only when N ≤ D)."""
        N, D = X.shape
        fac = float(K) ** (-2.0 / D)
        if N > D:
            return fac * np.atleast_2d(np.cov(X, rowvar=False, ddof=1))
        return fac * np.diag(X.var(axis=0, ddof=1))

    def check_prior(self, scale: ArrayLike, dof: float, reg_covar: float, D: int, name: str) -> np.ndarray:
        """ν > D − 1 and Λ + reg_covar·I symmetric positive definite, well conditioned."""
        if dof <= D - 1:
            raise ValueError(f"{name}['dof'] must be > n_features - 1 = {D - 1}; got {dof}")
        s = as_float_array(scale, f"{name}['scale']")
        s = np.atleast_2d(s) if D == 1 else s
        if s.shape != (D, D):
            raise ValueError(f"{name}['scale'] must have shape ({D}, {D}); got {s.shape}")
        s = 0.5 * (s + s.T) + reg_covar * np.eye(D)
        sd = np.sqrt(np.clip(np.diag(s), 0.0, None))
        ok = bool(np.all(sd > 0)) and bool(np.linalg.eigvalsh(s / np.outer(sd, sd))[0] > PRIOR_COND_MIN)
        if not ok:
            raise ValueError(
                f"{name}['scale'] (+ reg_covar·I) must be positive definite, its correlation "
                f"matrix with smallest eigenvalue > {PRIOR_COND_MIN:g} — X is (nearly) collinear "
                "or has a constant feature; use reg_covar > 0"
            )
        return s

    def prior_resolvable(self, scale: np.ndarray | float, need: np.ndarray) -> bool:
        """Every Cholesky pivot of Λ above ``need``."""
        return bool(np.all(np.diag(np.linalg.cholesky(np.asarray(scale))) ** 2 >= need))

    def _inverse_wishart(self, log_det: np.ndarray, invs: np.ndarray, prior: dict[str, Any]) -> float:
        """Σ over the stacked matrices of ln IW(Σ_k | ν, Λ)."""
        nu, scale = prior["dof"], prior["scale"]
        D = scale.shape[0]
        lam_chol = np.linalg.cholesky(scale)
        log_det_lam = 2.0 * np.log(np.diag(lam_chol)).sum()
        const = 0.5 * nu * log_det_lam - 0.5 * nu * D * math.log(2.0) - multigammaln(0.5 * nu, D)
        total = 0.0
        for k in range(invs.shape[0]):
            B = invs[k] @ lam_chol
            total += const - 0.5 * (nu + D + 1.0) * float(log_det[k]) - 0.5 * float(np.einsum("ij,ij->", B, B))
        return total

    def small_uses_inverse(self, D: int) -> bool:
        """D > 1: the quadratic form needs L⁻¹ (D = 1 is a variance)."""
        return D > 1

    def small_variances(self, f: Factors, K: int, D: int) -> np.ndarray | None:
        """D = 1: the K variances as (K, 1)."""
        v = np.broadcast_to(f.chol, (K, 1, 1)) if f.chol.ndim == 3 else np.full((K, 1, 1), f.chol[0, 0])
        return v.reshape(K, 1) ** 2

    def _triangle(self, Sp: np.ndarray, K: int, D: int) -> np.ndarray:
        """(K, D, D) from the upper-triangle rows i ≤ j of the D ≤ 4 sweep (D = 1: one row)."""
        S2 = np.zeros((K, D, D))
        iu = np.triu_indices(D)
        S2[:, iu[0], iu[1]] = Sp
        S2[:, iu[1], iu[0]] = Sp
        return S2


class Full(_MatrixType):
    """Each component its own covariance matrix Σ_k, shape (K, D, D)."""

    name = "full"

    def shape(self, K: int, D: int) -> tuple[int, ...]:
        """(K, D, D)."""
        return (K, D, D)

    def coerce(self, c: np.ndarray, K: int, D: int) -> np.ndarray:
        """D = 1: K variances (K,) are read as (K, 1, 1)."""
        return c[:, None, None] if D == 1 and c.shape == (K,) else c

    def factorise(self, cov: np.ndarray, K: int, D: int, what: str) -> Factors:
        """L_k, L_k⁻¹ and ln|Σ_k| = 2 Σ_j ln L_k,jj."""
        chol, inv = cholesky_stack(cov, what)
        return Factors(self, chol, inv, 2.0 * np.log(np.diagonal(chol, axis1=1, axis2=2)).sum(axis=1))

    def pivots(
        self, f: Factors, cov: np.ndarray, floor: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
        """L_k,jj² per component and feature, against Σ_k,jj."""
        return np.diagonal(f.chol, axis1=1, axis2=2) ** 2, floor, np.diagonal(cov, axis1=1, axis2=2)

    def precisions_cholesky(self, f: Factors) -> np.ndarray:
        """U_k = L_k⁻ᵀ."""
        return np.ascontiguousarray(np.swapaxes(f.inv, 1, 2))

    def precisions(self, f: Factors) -> np.ndarray:
        """U_k U_kᵀ."""
        U = self.precisions_cholesky(f)
        return U @ np.swapaxes(U, 1, 2)

    def scatter(self, d: np.ndarray, r: np.ndarray) -> np.ndarray:
        """Σ_n r_n d_n d_nᵀ, symmetrised."""
        S = (d * r[:, None]).T @ d
        return 0.5 * (S + S.T)

    def scatter_about(self, st: SufficientStats, delta: np.ndarray, ml_means: bool) -> np.ndarray:
        """W_k = S2_k − S1_k δ_kᵀ − δ_k S1_kᵀ + N_k δ_k δ_kᵀ; with ML means S1_k = N_k δ_k, so S2_k − N_k δ_k δ_kᵀ."""
        outer = st.nk[:, None, None] * delta[:, :, None] * delta[:, None, :]
        if ml_means:
            return st.S2 - outer
        cross = st.S1[:, :, None] * delta[:, None, :]
        W = st.S2 - cross - np.swapaxes(cross, 1, 2) + outer
        return 0.5 * (W + np.swapaxes(W, 1, 2))

    def ml_covariance(
        self, W: np.ndarray, nk: np.ndarray, n_samples: int, D: int, reg_covar: float, prev: np.ndarray | None
    ) -> np.ndarray:
        """Σ_k = W_k / N_k + reg_covar·I; an empty component keeps its previous Σ_k."""
        empty = nk < EMPTY_NK
        cov = W / np.where(empty, 1.0, nk)[:, None, None]
        cov[:, np.arange(D), np.arange(D)] += reg_covar
        return _keep_empty(cov, empty, prev)

    def map_covariance(
        self, W: np.ndarray, dev: np.ndarray, nk: np.ndarray, n_samples: int, prior: dict[str, Any]
    ) -> np.ndarray:
        """Σ_k = (Λ + κ(μ_k − μ_P)(μ_k − μ_P)ᵀ + W_k) / (ν + N_k + D + 2)."""
        D = W.shape[1]
        C = prior["scale"] + prior["shrinkage"] * dev[:, :, None] * dev[:, None, :] + W
        return C / (prior["dof"] + nk + D + 2.0)[:, None, None]

    def prior_divisor(self, dof: float, N: int, K: int, D: int) -> float:
        """ν + N + D + 2 (one component owning every sample)."""
        return dof + N + D + 2.0

    def log_prior(self, cov: np.ndarray, f: Factors, prior: dict[str, Any]) -> float:
        """Σ_k ln IW(Σ_k | ν, Λ)."""
        return self._inverse_wishart(f.log_det, f.inv, prior)

    def n_parameters(self, K: int, D: int) -> int:
        """K·D(D+1)/2."""
        return K * D * (D + 1) // 2

    def sample(self, z: np.ndarray, k: int, mean: np.ndarray, f: Factors) -> np.ndarray:
        """μ_k + z L_kᵀ."""
        return mean + z @ f.chol[k].T

    def as_full(self, cov: np.ndarray, K: int, D: int) -> np.ndarray:
        """The matrices themselves."""
        return np.array(cov, dtype=float)

    def wide_sweep(self, X: np.ndarray, K: int) -> SweepLayout:
        """Per component BLAS ``trmm`` and ``syrk`` (:class:`~mle_lib._em_sweeps.BlasSweep`)."""
        return BlasSweep(X, K)

    def small_scatter(self, Sp: np.ndarray, K: int, D: int) -> np.ndarray:
        """The (K, D, D) matrices."""
        return self._triangle(Sp, K, D)


class Tied(_MatrixType):
    """One covariance matrix Σ shared by every component, shape (D, D)."""

    name = "tied"

    def shape(self, K: int, D: int) -> tuple[int, ...]:
        """(D, D)."""
        return (D, D)

    def coerce(self, c: np.ndarray, K: int, D: int) -> np.ndarray:
        """D = 1: one variance, () or (1,), is read as (1, 1)."""
        return c.reshape(1, 1) if D == 1 and c.shape in ((), (1,)) else c

    def _stack(self, c: np.ndarray) -> np.ndarray:
        return c[None]

    def _unstack(self, mats: np.ndarray) -> np.ndarray:
        return mats[0]

    def _chol(self, f: Factors, k: int) -> np.ndarray:
        return f.chol

    def factorise(self, cov: np.ndarray, K: int, D: int, what: str) -> Factors:
        """L, L⁻¹ and the one ln|Σ| repeated for the K components."""
        chol, inv = cholesky_stack(cov[None], what)
        return Factors(self, chol[0], inv[0], np.full(K, 2.0 * np.log(np.diagonal(chol[0])).sum()))

    def pivots(
        self, f: Factors, cov: np.ndarray, floor: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
        """L_jj² of the one matrix, against Σ_jj."""
        return (np.diagonal(f.chol) ** 2)[None, :], floor, np.diagonal(cov)[None, :]

    def precisions_cholesky(self, f: Factors) -> np.ndarray:
        """U = L⁻ᵀ."""
        return np.ascontiguousarray(f.inv.T)

    def precisions(self, f: Factors) -> np.ndarray:
        """U Uᵀ."""
        U = self.precisions_cholesky(f)
        return U @ U.T

    def scatter(self, d: np.ndarray, r: np.ndarray) -> np.ndarray:
        """One component's share of the pooled scatter."""
        S = (d * r[:, None]).T @ d
        return 0.5 * (S + S.T)

    def pool(self, S2: np.ndarray) -> np.ndarray:
        """Σ_k of the per-component scatters."""
        return S2.sum(axis=0)

    def scatter_about(self, st: SufficientStats, delta: np.ndarray, ml_means: bool) -> np.ndarray:
        """W = S2 + Σ_k (N_k δ_k δ_kᵀ − S1_k δ_kᵀ − δ_k S1_kᵀ), pooled over components."""
        cross = st.S1[:, :, None] * delta[:, None, :]
        W = st.S2 + (
            st.nk[:, None, None] * delta[:, :, None] * delta[:, None, :] - cross - np.swapaxes(cross, 1, 2)
        ).sum(axis=0)
        return 0.5 * (W + W.T)

    def ml_covariance(
        self, W: np.ndarray, nk: np.ndarray, n_samples: int, D: int, reg_covar: float, prev: np.ndarray | None
    ) -> np.ndarray:
        """Σ = W / N + reg_covar·I (the pooled scatter over all samples: no component is empty here)."""
        cov = W / float(n_samples)
        cov[np.arange(D), np.arange(D)] += reg_covar
        return cov

    def map_covariance(
        self, W: np.ndarray, dev: np.ndarray, nk: np.ndarray, n_samples: int, prior: dict[str, Any]
    ) -> np.ndarray:
        """Σ = (Λ + Σ_k κ(μ_k − μ_P)(μ_k − μ_P)ᵀ + W) / (ν + N + K + D + 1)."""
        K, D = dev.shape
        C = prior["scale"] + prior["shrinkage"] * np.einsum("ki,kj->ij", dev, dev) + W
        return C / (prior["dof"] + n_samples + K + D + 1.0)

    def prior_divisor(self, dof: float, N: int, K: int, D: int) -> float:
        """ν + N + K + D + 1."""
        return dof + N + K + D + 1.0

    def log_prior(self, cov: np.ndarray, f: Factors, prior: dict[str, Any]) -> float:
        """ln IW(Σ | ν, Λ) of the one matrix."""
        return self._inverse_wishart(f.log_det[:1], f.inv[None], prior)

    def n_parameters(self, K: int, D: int) -> int:
        """D(D+1)/2."""
        return D * (D + 1) // 2

    def sample(self, z: np.ndarray, k: int, mean: np.ndarray, f: Factors) -> np.ndarray:
        """μ_k + z Lᵀ."""
        return mean + z @ f.chol.T

    def as_full(self, cov: np.ndarray, K: int, D: int) -> np.ndarray:
        """The shared matrix, K times."""
        return np.repeat(np.asarray(cov, dtype=float)[None], K, axis=0)

    def wide_sweep(self, X: np.ndarray, K: int) -> SweepLayout:
        """Whiten once per chunk (:class:`~mle_lib._em_sweeps.TiedSweep`)."""
        return TiedSweep(X, K)

    def small_scatter(self, Sp: np.ndarray, K: int, D: int) -> np.ndarray:
        """The pooled (D, D) matrix."""
        return self._triangle(Sp, K, D).sum(axis=0)


# ------------------------------------------------------------------------------------------------
# Variance types: diag and spherical
# ------------------------------------------------------------------------------------------------


class _VarianceType(CovarianceType):
    """What diag and spherical share: standard deviations as factors, inverse-gamma priors."""

    def from_precisions(self, p: np.ndarray, label: str) -> np.ndarray:
        """σ² = 1/precision, every precision > 0."""
        if np.any(p <= 0):
            raise ValueError(f"precisions_init: {label} should be positive (every precision 1/σ² > 0)")
        return 1.0 / p

    def _log_det(self, cov: np.ndarray, D: int) -> np.ndarray:
        raise NotImplementedError

    def factorise(self, cov: np.ndarray, K: int, D: int, what: str) -> Factors:
        """σ, 1/σ and ln|Σ_k|."""
        positive_or_raise(cov, what)
        sd = np.sqrt(cov)
        return Factors(self, sd, 1.0 / sd, self._log_det(cov, D))

    def check_prior(self, scale: ArrayLike, dof: float, reg_covar: float, D: int, name: str) -> np.ndarray | float:
        """ν > 0 and ζ² + reg_covar > 0."""
        if dof <= 0:
            raise ValueError(f"{name}['dof'] must be > 0; got {dof}")
        s = as_float_array(scale, f"{name}['scale']")
        self._check_scale_shape(s, D, name)
        s = s + reg_covar
        if np.any(s <= 0):
            raise ValueError(
                f"{name}['scale'] (+ reg_covar) must be > 0; got {s} — X has no variance? use reg_covar > 0"
            )
        return float(s) if s.shape == () else s

    def _check_scale_shape(self, s: np.ndarray, D: int, name: str) -> None:
        raise NotImplementedError

    def prior_divisor(self, dof: float, N: int, K: int, D: int) -> float:
        """ν + (N + 1)·D + 2, the largest divisor of either inverse-gamma update."""
        return dof + (N + 1.0) * D + 2.0

    def log_prior(self, cov: np.ndarray, f: Factors, prior: dict[str, Any]) -> float:
        """Σ ln IG(σ² | ν/2, ζ²/2) over the variances."""
        a = 0.5 * prior["dof"]
        b = 0.5 * np.asarray(prior["scale"], dtype=float)
        return float(np.sum(a * np.log(b) - gammaln(a) - (a + 1.0) * np.log(cov) - b / cov))

    def default_scale(self, X: np.ndarray, K: int) -> float:
        """ζ²_P = (Σ_j var(x_j)/D)/K^{2/D}."""
        D = X.shape[1]
        return float(K) ** (-2.0 / D) * float(X.var(axis=0, ddof=1).sum()) / D

    def wide_sweep(self, X: np.ndarray, K: int) -> SweepLayout:
        """Expanded quadratic forms, one product per stage (:class:`~mle_lib._em_sweeps.ExpandSweep`)."""
        return ExpandSweep(X, K, self)


class Diag(_VarianceType):
    """Diagonal covariances, one variance per component and feature, shape (K, D)."""

    name = "diag"

    def shape(self, K: int, D: int) -> tuple[int, ...]:
        """(K, D)."""
        return (K, D)

    def coerce(self, c: np.ndarray, K: int, D: int) -> np.ndarray:
        """D = 1: K variances (K,) are read as (K, 1)."""
        return c[:, None] if D == 1 and c.shape == (K,) else c

    def _log_det(self, cov: np.ndarray, D: int) -> np.ndarray:
        return np.log(cov).sum(axis=1)

    def quad(self, f: Factors, k: int, d: np.ndarray) -> np.ndarray:
        """Σ_j d_j²/σ²_kj."""
        y = d / f.chol[k]
        return np.einsum("nd,nd->n", y, y)

    def whiten(self, f: Factors, k: int, V: np.ndarray) -> np.ndarray:
        """V / σ_k per feature."""
        return V / f.chol[k][:, None]

    def precision_times(self, f: Factors, k: int, V: np.ndarray) -> np.ndarray:
        """V / σ²_k per feature."""
        return V / (f.chol[k][:, None] ** 2)

    def pivots(
        self, f: Factors, cov: np.ndarray, floor: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
        """The variances themselves."""
        return f.chol**2, floor, None

    def scatter(self, d: np.ndarray, r: np.ndarray) -> np.ndarray:
        """Σ_n r_n d_nj² per feature."""
        return r @ (d * d)

    def scatter_about(self, st: SufficientStats, delta: np.ndarray, ml_means: bool) -> np.ndarray:
        """W_kj = S2_kj − 2 S1_kj δ_kj + N_k δ_kj² (clipped at 0 against rounding)."""
        return np.maximum(st.S2 - 2.0 * st.S1 * delta + st.nk[:, None] * delta * delta, 0.0)

    def ml_covariance(
        self, W: np.ndarray, nk: np.ndarray, n_samples: int, D: int, reg_covar: float, prev: np.ndarray | None
    ) -> np.ndarray:
        """σ²_kj = W_kj / N_k + reg_covar; an empty component keeps its previous variances."""
        empty = nk < EMPTY_NK
        cov = W / np.where(empty, 1.0, nk)[:, None] + reg_covar
        return _keep_empty(cov, empty, prev)

    def map_covariance(
        self, W: np.ndarray, dev: np.ndarray, nk: np.ndarray, n_samples: int, prior: dict[str, Any]
    ) -> np.ndarray:
        """σ²_kj = (ζ² + κ(μ_kj − μ_Pj)² + W_kj) / (ν + N_k + 3)."""
        return (prior["scale"] + prior["shrinkage"] * dev * dev + W) / (prior["dof"] + nk + 3.0)[:, None]

    def _check_scale_shape(self, s: np.ndarray, D: int, name: str) -> None:
        if s.shape not in ((), (D,)):
            raise ValueError(f"{name}['scale'] must be a scalar or have shape ({D},); got {s.shape}")

    def prior_resolvable(self, scale: np.ndarray | float, need: np.ndarray) -> bool:
        """ζ² above the floor of every feature."""
        return bool(np.all(np.asarray(scale) >= need))

    def n_parameters(self, K: int, D: int) -> int:
        """K·D."""
        return K * D

    def sample(self, z: np.ndarray, k: int, mean: np.ndarray, f: Factors) -> np.ndarray:
        """μ_k + σ_k ⊙ z."""
        return mean + z * f.chol[k]

    def as_full(self, cov: np.ndarray, K: int, D: int) -> np.ndarray:
        """diag(σ²_k) for each k."""
        out = np.zeros((K, D, D))
        out[:, np.arange(D), np.arange(D)] = cov
        return out

    def small_variances(self, f: Factors, K: int, D: int) -> np.ndarray | None:
        """σ²_kj."""
        return f.chol**2

    def small_scatter(self, Sp: np.ndarray, K: int, D: int) -> np.ndarray:
        """The (K, D) rows as accumulated."""
        return Sp.copy()

    def expand(self, Xc: np.ndarray, out: np.ndarray) -> None:
        """The second block of the expanded features: (x − c)² per feature."""
        np.multiply(Xc, Xc, out=out)

    def expand_width(self, D: int) -> int:
        """D squared features."""
        return D

    def expand_coefficients(self, mt: np.ndarray, f: Factors) -> tuple[np.ndarray, np.ndarray]:
        """(B, Σ_j m_j²/σ²_j) with ln f = const − ½ quad, quad = Σ_j (x_j² − 2 x_j m_j + m_j²)/σ²_j."""
        prec = f.inv**2
        return np.hstack([mt * prec, -0.5 * prec]), np.einsum("kd,kd->k", mt * mt, prec)

    def expand_scatter(self, T: np.ndarray, D: int) -> np.ndarray:
        """Σ r (x − c)² per feature."""
        return T[:, D:]


class Spherical(_VarianceType):
    """One variance per component, Σ_k = σ²_k I, shape (K,)."""

    name = "spherical"

    def shape(self, K: int, D: int) -> tuple[int, ...]:
        """(K,)."""
        return (K,)

    def _log_det(self, cov: np.ndarray, D: int) -> np.ndarray:
        return D * np.log(cov)

    def quad(self, f: Factors, k: int, d: np.ndarray) -> np.ndarray:
        """‖d‖²/σ²_k."""
        return np.einsum("nd,nd->n", d, d) / (f.chol[k] ** 2)

    def whiten(self, f: Factors, k: int, V: np.ndarray) -> np.ndarray:
        """V / σ_k."""
        return V / f.chol[k]

    def precision_times(self, f: Factors, k: int, V: np.ndarray) -> np.ndarray:
        """V / σ²_k."""
        return V / f.chol[k] ** 2

    def pivots(
        self, f: Factors, cov: np.ndarray, floor: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
        """σ²_k against the mean of the features' floors."""
        return (f.chol**2)[:, None], np.array([floor.mean()]), None

    def scatter(self, d: np.ndarray, r: np.ndarray) -> np.ndarray:
        """Σ_n r_n ‖d_n‖² (the trace of the scatter)."""
        return r @ np.einsum("nd,nd->n", d, d)

    def scatter_about(self, st: SufficientStats, delta: np.ndarray, ml_means: bool) -> np.ndarray:
        """tr W_k = S2_k − 2 S1_k·δ_k + N_k ‖δ_k‖² (clipped at 0 against rounding)."""
        return np.maximum(
            st.S2 - 2.0 * np.einsum("kd,kd->k", st.S1, delta) + st.nk * np.einsum("kd,kd->k", delta, delta), 0.0
        )

    def ml_covariance(
        self, W: np.ndarray, nk: np.ndarray, n_samples: int, D: int, reg_covar: float, prev: np.ndarray | None
    ) -> np.ndarray:
        """σ²_k = tr W_k / (N_k D) + reg_covar; an empty component keeps its previous σ²_k."""
        empty = nk < EMPTY_NK
        cov = W / (np.where(empty, 1.0, nk) * D) + reg_covar
        return _keep_empty(cov, empty, prev)

    def map_covariance(
        self, W: np.ndarray, dev: np.ndarray, nk: np.ndarray, n_samples: int, prior: dict[str, Any]
    ) -> np.ndarray:
        """σ²_k = (ζ² + κ‖μ_k − μ_P‖² + tr W_k) / (ν + (N_k + 1) D + 2)."""
        D = dev.shape[1]
        num = prior["scale"] + prior["shrinkage"] * np.einsum("kd,kd->k", dev, dev) + W
        return num / (prior["dof"] + (nk + 1.0) * D + 2.0)

    def _check_scale_shape(self, s: np.ndarray, D: int, name: str) -> None:
        if s.shape != ():
            raise ValueError(f"{name}['scale'] must be a scalar for covariance_type='spherical'; got {s.shape}")

    def prior_resolvable(self, scale: np.ndarray | float, need: np.ndarray) -> bool:
        """ζ² above the mean floor of the features."""
        return bool(float(scale) >= float(np.mean(need)))

    def n_parameters(self, K: int, D: int) -> int:
        """K."""
        return K

    def sample(self, z: np.ndarray, k: int, mean: np.ndarray, f: Factors) -> np.ndarray:
        """μ_k + σ_k z."""
        return mean + z * f.chol[k]

    def as_full(self, cov: np.ndarray, K: int, D: int) -> np.ndarray:
        """σ²_k I for each k."""
        return np.asarray(cov, dtype=float)[:, None, None] * np.eye(D)

    def small_variances(self, f: Factors, K: int, D: int) -> np.ndarray | None:
        """σ²_k repeated over the D features."""
        return np.repeat((f.chol**2)[:, None], D, axis=1)

    def small_scatter(self, Sp: np.ndarray, K: int, D: int) -> np.ndarray:
        """The trace: the per-feature rows summed."""
        return Sp.sum(axis=1)

    def expand(self, Xc: np.ndarray, out: np.ndarray) -> None:
        """The second block of the expanded features: ‖x − c‖²."""
        np.einsum("nd,nd->n", Xc, Xc, out=out[:, 0])

    def expand_width(self, D: int) -> int:
        """One squared-norm feature."""
        return 1

    def expand_coefficients(self, mt: np.ndarray, f: Factors) -> tuple[np.ndarray, np.ndarray]:
        """(B, ‖m_k‖²/σ²_k)."""
        prec = f.inv**2
        return np.hstack([mt * prec[:, None], -0.5 * prec[:, None]]), np.einsum("kd,kd->k", mt, mt) * prec

    def expand_scatter(self, T: np.ndarray, D: int) -> np.ndarray:
        """Σ r ‖x − c‖²."""
        return T[:, D]


#: A component whose total responsibility N_k is below this is *empty* (it keeps its mean and covariance in ML).
EMPTY_NK = 1e-250

#: A matrix prior scale Λ must have a correlation matrix with λ_min > PRIOR_COND_MIN (non-singular).
PRIOR_COND_MIN = 1e-12

#: The units, by the name ``covariance_type`` takes.
UNITS: dict[str, CovarianceType] = {u.name: u for u in (Full(), Tied(), Diag(), Spherical())}

COVARIANCE_TYPES = tuple(UNITS)


def _keep_empty(cov: np.ndarray, empty: np.ndarray, prev: np.ndarray | None) -> np.ndarray:
    """``cov`` with each empty component's covariance put back to ``prev``'s (when there is one)."""
    if empty.any() and prev is not None:
        cov[empty] = prev[empty]
    return cov


def covariance_unit(covariance_type: object, name: str = "covariance_type") -> CovarianceType:
    """The unit of ``covariance_type``; ValueError naming ``name`` for anything else."""
    unit = UNITS.get(covariance_type) if isinstance(covariance_type, str) else None
    if unit is None:
        raise ValueError(f"{name} must be one of {COVARIANCE_TYPES}; got {covariance_type!r}")
    return unit
