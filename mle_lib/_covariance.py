"""What every covariance type shares (private): the factors, the statistics and the collapse error.

The bottom layer of the Gaussian-mixture code.  :mod:`mle_lib._covariance_types` builds one unit per
covariance type on :class:`CovarianceType`; the sweeps (:mod:`mle_lib._em_sweeps`) and the kernels
(:mod:`mle_lib._mixture_numerics`) take the unit from a :class:`Factors` and never test the type's name.

Conventions: ``K`` components, ``N`` samples, ``D`` features, data ``(N, D)`` float64; covariances in
scikit-learn's shape for their type (the table is :meth:`CovarianceType.shape`); log-densities and
responsibilities component-major, ``(K, N)``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from scipy.linalg.lapack import dpotrf, dtrtri

if TYPE_CHECKING:  # pragma: no cover
    from ._covariance_types import CovarianceType

#: Feature counts up to this use the all-components-at-once ``small`` sweep.
SMALL_D = 4


class CollapseError(ValueError):
    """A covariance stopped being positive definite or resolvable: a component collapsed.

    The one error of a collapse, raised by :func:`mle_lib._mixture_numerics.checked_factors` with
    its whole message (which covariances, what fell below what, and what to change).
    """


@dataclass(frozen=True)
class Factors:
    """Cholesky-type factors of the covariances of one parameter set, made by a unit's ``factorise``.

    Attributes
    ----------
    unit : CovarianceType
        The covariance type's unit, which made these factors and knows their layout.
    chol : ndarray
        full ``(K, D, D)`` lower L_k with Σ_k = L_k L_kᵀ; tied ``(D, D)``; diag ``(K, D)`` and
        spherical ``(K,)`` standard deviations.
    inv : ndarray
        full/tied: the triangular inverse L⁻¹ (lower); diag/spherical: 1/σ.
    log_det : ndarray of shape (K,)
        ln |Σ_k|.
    """

    unit: CovarianceType
    chol: np.ndarray
    inv: np.ndarray
    log_det: np.ndarray

    @property
    def covariance_type(self) -> str:
        """The unit's name ('full', 'tied', 'diag' or 'spherical')."""
        return self.unit.name

    def precisions_cholesky(self) -> np.ndarray:
        """scikit-learn's ``precisions_cholesky_``: U with Σ⁻¹ = U Uᵀ (full/tied U = L⁻ᵀ, upper)."""
        return self.unit.precisions_cholesky(self)


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
        Σ_n r_nk (x_n − ref_k)(x_n − ref_k)ᵀ in the unit's scatter layout
        (:meth:`~mle_lib._covariance_types.CovarianceType.scatter`).

    Unpacks as ``nk, ref, S1, S2``.
    """

    nk: np.ndarray
    ref: np.ndarray
    S1: np.ndarray
    S2: np.ndarray

    def __iter__(self) -> Iterator[np.ndarray]:
        """``nk, ref, S1, S2``."""
        return iter((self.nk, self.ref, self.S1, self.S2))


def cholesky_stack(mats: np.ndarray, what: str) -> tuple[np.ndarray, np.ndarray]:
    """Lower Cholesky factors and their triangular inverses of a stack (K, D, D).

    Small matrices go through NumPy's batched routines; larger ones through LAPACK ``potrf`` and
    ``trtri`` one component at a time (less overhead than the batched NumPy calls).  Raises
    :class:`CollapseError` naming the components that are not positive definite.
    """
    K, D, _ = mats.shape
    if D <= SMALL_D:
        try:
            chol = np.linalg.cholesky(mats)
        except np.linalg.LinAlgError:
            chol = None
        if chol is not None and np.all(np.diagonal(chol, axis1=1, axis2=2) > 0):
            return chol, np.linalg.inv(chol)
    chol = np.empty_like(mats)
    inv = np.empty_like(mats)
    bad = []
    for k in range(K):
        c, info = dpotrf(mats[k], lower=1, clean=1)
        ci, info2 = dtrtri(c, lower=1) if info == 0 and np.all(np.diag(c) > 0) else (c, 1)
        if info2 != 0:
            bad.append(k)
            continue
        chol[k] = c
        inv[k] = ci
    if bad:
        raise CollapseError(f"{what} must be positive definite; component(s) {bad} are not")
    return chol, inv


def positive_or_raise(values: np.ndarray, what: str) -> None:
    """Raise :class:`CollapseError` unless every variance is > 0 (rows are components)."""
    if not np.all(values > 0):
        rows = np.argwhere(~(values > 0))[:, 0] if values.ndim > 1 else np.flatnonzero(~(values > 0))
        bad = sorted({int(i) for i in rows})
        raise CollapseError(f"{what} must be positive definite (all variances > 0); component(s) {bad} are not")
