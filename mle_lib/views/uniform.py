"""Chapter 5's view: an interval [a, b] over a uniform sample, and its likelihood L(a, b) = (b − a)⁻ⁿ or 0."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from numpy.typing import ArrayLike

from .._checks import as_float_array, as_sample
from ..estimators import uniform_mle
from ..likelihood import uniform_likelihood, uniform_loglik

__all__ = ["CHAPTER5_SAMPLE", "UniformView", "uniform_view"]

#: Chapter 5's sample: ``np.random.default_rng(2023).uniform(2.0, 10.0, size=10)``, the notebook's ``x``.
CHAPTER5_SAMPLE: tuple[float, ...] = tuple(float(v) for v in np.random.default_rng(2023).uniform(2.0, 10.0, size=10))
#: Where the (a, b) map of ln L is drawn: both ends range over this interval.
MAP_RANGE = (0.0, 12.0)
#: Points per axis of that map.
MAP_POINTS = 121


@dataclass(frozen=True)
class UniformView:
    """Chapter 5's two panels for an interval [a, b] and a sample.

    Attributes
    ----------
    low, high : float
        The interval's ends a < b.
    x : ndarray of shape (n,)
        The sample x₁ … xₙ.
    outside : ndarray of bool, shape (n,)
        Which xᵢ lie outside [a, b] (each contributes a factor f(xᵢ | a, b) = 0).
    likelihood, loglik : float
        L(a, b) = (b − a)⁻ⁿ and ln L = −n ln(b − a) when no point is outside, else 0 and −inf.
    mle : (float, float)
        (â, b̂) = (x₍₁₎, x₍ₙ₎).
    likelihood_at_mle : float
        L(â, b̂), the largest value L takes.
    grid, map_loglik : ndarray
        The axis of the (a, b) map and ln L on it (``map_loglik[j, i]`` at a = grid[i], b = grid[j];
        NaN where a ≥ b, −inf where a point is outside).
    """

    low: float
    high: float
    x: np.ndarray
    outside: np.ndarray
    likelihood: float
    loglik: float
    mle: tuple[float, float]
    likelihood_at_mle: float
    grid: np.ndarray
    map_loglik: np.ndarray

    @property
    def n(self) -> int:
        """The number of data points."""
        return int(self.x.size)

    @property
    def n_outside(self) -> int:
        """The number of data points outside [a, b]."""
        return int(self.outside.sum())

    def readout(self) -> str:
        """One line: [a, b], n, L (or how many points lie outside) and the MLE with its L."""
        head = f"[a, b] = [{self.low:.2f}, {self.high:.2f}], n = {self.n}: "
        if self.n_outside:
            value = f"L = 0: {self.n_outside} point{'s' if self.n_outside > 1 else ''} outside [a, b]"
        else:
            value = f"L = (b − a)⁻ⁿ = {self.likelihood:.4g} (ln L = {self.loglik:.3f})"
        a_hat, b_hat = self.mle
        return f"{head}{value}; MLE (min x, max x) = ({a_hat:.3f}, {b_hat:.3f}) with L = {self.likelihood_at_mle:.4g}"


@lru_cache(maxsize=8)
def _loglik_map(x: tuple[float, ...]) -> tuple[np.ndarray, np.ndarray]:
    grid = np.linspace(*MAP_RANGE, MAP_POINTS)
    A, B = np.meshgrid(grid, grid)
    out = np.full(A.shape, np.nan)
    ok = A < B
    out[ok] = uniform_loglik(A[ok], B[ok], np.asarray(x))
    grid.flags.writeable = False
    out.flags.writeable = False
    return grid, out


def uniform_view(interval: ArrayLike, x: ArrayLike | None = None) -> UniformView:
    """Chapter 5's view: which points an interval [a, b] leaves out, and L(a, b) = (b − a)⁻ⁿ or exactly 0.

    Parameters
    ----------
    interval : array_like of shape (2,)
        (a, b) with a < b (a range slider's value).
    x : array_like of shape (n,), optional
        The sample; default :data:`CHAPTER5_SAMPLE`.

    Examples
    --------
    >>> v = uniform_view((2.0, 10.0))
    >>> v.n_outside, round(v.likelihood * 8.0**10, 12)
    (0, 1.0)
    >>> uniform_view((3.0, 10.0)).readout().split(";")[0]
    '[a, b] = [3.00, 10.00], n = 10: L = 0: 2 points outside [a, b]'
    """
    ab = as_float_array(interval, "interval", ndim=1)
    if ab.size != 2:
        raise ValueError(f"interval must be a pair (a, b); got {ab.size} numbers")
    a, b = float(ab[0]), float(ab[1])
    if not a < b:
        raise ValueError(f"interval must have a < b (a uniform needs a positive width); got a = {a:g}, b = {b:g}")
    xs = as_sample(CHAPTER5_SAMPLE if x is None else x, "x")
    grid, lmap = _loglik_map(tuple(float(v) for v in xs))
    a_hat, b_hat = uniform_mle(xs)
    return UniformView(
        low=a,
        high=b,
        x=xs,
        outside=(xs < a) | (xs > b),
        likelihood=float(uniform_likelihood(a, b, xs)),
        loglik=float(uniform_loglik(a, b, xs)),
        mle=(a_hat, b_hat),
        likelihood_at_mle=float(uniform_likelihood(a_hat, b_hat, xs)),
        grid=grid,
        map_loglik=lmap,
    )
