"""The boundary of the Gaussian-mixture code (private): validation of data, parameters and the prior.

Shared by the two public faces that stand side by side on the kernels — the lecture functions of
:mod:`mle_lib.mixture` and the estimator of :mod:`mle_lib.gaussian_mixture` — so that neither calls
the other.  Each public entry calls these once; the kernels below trust what they return.  Every
message names the argument and the rule it broke.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from ._checks import SIMPLEX_ATOL, as_float_array
from ._covariance import Factors
from ._covariance_types import CovarianceType, covariance_unit
from ._mixture_numerics import variance_resolution

FIXABLE = ("weights", "means", "covariances")
#: Largest range a feature of X may span (squared distances must not overflow).
MAX_SPAN = 1e100
#: Smallest non-zero range a feature of X may span in fit (variances must not underflow).
MIN_SPAN = 1e-100

__all__ = [
    "FIXABLE",
    "MAX_SPAN",
    "MIN_SPAN",
    "as_data",
    "check_covariances",
    "check_fixed",
    "check_means",
    "check_nonneg_real",
    "check_span",
    "check_weights",
    "covariance_unit",
    "default_prior",
    "resolve_prior",
]


def as_data(X: ArrayLike, name: str = "X") -> np.ndarray:
    """Finite float64 data of shape (N, D); a 1-D array is read as N samples of one feature."""
    arr = as_float_array(X, name, ndim=(1, 2))
    if arr.ndim == 1:
        arr = arr[:, None]
    if arr.shape[1] == 0:
        raise ValueError(f"{name} must have at least one feature; got shape {arr.shape}")
    return np.ascontiguousarray(arr)


def check_span(X: np.ndarray, name: str = "X") -> None:
    """Refuse features spanning more than MAX_SPAN, or less than MIN_SPAN but not 0."""
    span = X.max(axis=0) - X.min(axis=0)
    if np.any(span > MAX_SPAN):
        j = int(np.argmax(span > MAX_SPAN))
        raise ValueError(
            f"{name} spans {span[j]:.3g} in feature {j}, more than {MAX_SPAN:g}: squared "
            "distances would overflow; rescale the data"
        )
    small = (span > 0) & (span < MIN_SPAN)
    if np.any(small):
        j = int(np.argmax(small))
        raise ValueError(
            f"{name} spans only {span[j]:.3g} in feature {j}, less than {MIN_SPAN:g} (but not 0): "
            "variances would underflow; rescale the data"
        )


def check_nonneg_real(value: object, name: str) -> float:
    """A finite real number ≥ 0 (TypeError for a non-number, ValueError otherwise)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number; got {type(value).__name__} {value!r}")
    v = float(value)
    if not math.isfinite(v) or v < 0:
        raise ValueError(f"{name} must be a finite number >= 0; got {value!r}")
    return v


def check_weights(weights: ArrayLike, K: int, name: str) -> np.ndarray:
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


def check_means(means: ArrayLike, K: int | None, D: int, name: str) -> np.ndarray:
    """Means of shape (K, D) ((K,) accepted when D = 1); K = None takes K from the array."""
    m = as_float_array(means, name)
    if D == 1 and m.ndim == 1:
        m = m[:, None]
    K = m.shape[0] if K is None and m.ndim == 2 else K
    if m.shape != (K, D):
        raise ValueError(
            f"{name}: The parameter 'means' should have the shape of ({K if K is not None else 'K'}, {D}) "
            f"(n_components, n_features), but got {m.shape}"
        )
    return np.array(m, dtype=float, copy=True)


def check_covariances(cov: ArrayLike, unit: CovarianceType, K: int, D: int, name: str) -> tuple[np.ndarray, Factors]:
    """Covariances in scikit-learn's shape, symmetric and positive definite, with their factors."""
    c = unit.coerce(as_float_array(cov, name), K, D)
    shape = unit.shape(K, D)
    if c.shape != shape:
        raise ValueError(
            f"{name} must have shape {shape} for covariance_type={unit.name!r} "
            f"(covariances, as in scikit-learn); got {c.shape}"
        )
    c = np.array(c, dtype=float, copy=True)
    unit.check_symmetric(c, name)
    return c, unit.factorise(c, K, D, name)


def check_fixed(fixed: object) -> frozenset[str]:
    """The names of the parameters to hold, a subset of :data:`FIXABLE`."""
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


# ------------------------------------------------------------------------------------------------
# The prior (mclust's defaultPrior)
# ------------------------------------------------------------------------------------------------


def default_prior(X: np.ndarray, K: int, unit: CovarianceType) -> dict[str, Any]:
    """mclust's default prior for validated data (N ≥ 2): κ_P = 0.01, μ_P = x̄, ν_P = D + 2, the unit's scale."""
    D = X.shape[1]
    return {"shrinkage": 0.01, "mean": X.mean(axis=0), "dof": float(D + 2), "scale": unit.default_scale(X, K)}


def _prior_fields(prior: object, X: np.ndarray, K: int, unit: CovarianceType, name: str) -> dict[str, Any]:
    """The prior's four fields: 'default', or a dict overriding the default's."""
    N = X.shape[0]
    if isinstance(prior, str):
        if prior != "default":
            raise ValueError(f"{name} must be None, 'default' or a dict; got {prior!r}")
        if N < 2:
            raise ValueError(f"{name}='default' needs at least 2 samples in X (it uses var(X)); got {N}")
        return default_prior(X, K, unit)
    if not isinstance(prior, dict):
        raise TypeError(f"{name} must be None, 'default' or a dict; got {type(prior).__name__}")
    unknown = set(prior) - {"shrinkage", "mean", "dof", "scale"}
    if unknown:
        raise ValueError(f"{name} has unknown keys {sorted(unknown)}; allowed: shrinkage, mean, dof, scale")
    p = {**(default_prior(X, K, unit) if N >= 2 else {}), **prior}
    missing = {"shrinkage", "mean", "dof", "scale"} - set(p)
    if missing:
        raise ValueError(f"{name} is missing {sorted(missing)} (X has too few samples for defaults)")
    return p


def resolve_prior(
    prior: object, X: np.ndarray, K: int, unit: CovarianceType, reg_covar: float, name: str = "prior"
) -> dict[str, Any] | None:
    """Validate ``prior`` (None, 'default' or a dict) and fold ``reg_covar`` into its scale.

    The scale must lie above what double precision resolves for X: the data's resolution
    (:func:`~mle_lib._mixture_numerics.variance_resolution`) times the MAP update's largest divisor.
    """
    if prior is None:
        return None
    N, D = X.shape
    p = _prior_fields(prior, X, K, unit, name)
    kappa = check_nonneg_real(p["shrinkage"], f"{name}['shrinkage']")
    if kappa <= 0:
        raise ValueError(f"{name}['shrinkage'] must be > 0; got {kappa}")
    mean = as_float_array(p["mean"], f"{name}['mean']").reshape(-1)
    if mean.shape != (D,):
        raise ValueError(f"{name}['mean'] must have shape ({D},); got {mean.shape}")
    dof = check_nonneg_real(p["dof"], f"{name}['dof']")
    scale = unit.check_prior(p["scale"], dof, reg_covar, D, name)
    if not unit.prior_resolvable(scale, variance_resolution(X) * unit.prior_divisor(dof, N, K, D)):
        raise ValueError(
            f"{name}['scale'] (+ reg_covar) is below the double-precision resolution of X "
            "(X has (almost) no variance); use reg_covar > 0"
        )
    return {"shrinkage": kappa, "mean": mean, "dof": dof, "scale": scale}
