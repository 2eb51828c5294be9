"""Chapter 3's view: λ moves a point and its tangent (the score) along ln L(λ); observed vs expected counts."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike
from scipy import stats

from .._checks import as_count_sample, check_real
from ..estimators import poisson_mle
from ..likelihood import poisson_loglik

__all__ = ["PoissonView", "poisson_view", "poisson_lam_range"]

#: Points of the λ grid ln L is drawn on.
GRID_POINTS = 400
#: Half-width of the drawn tangent segment, as a share of the grid's span.
TANGENT_HALF_WIDTH = 0.12


def poisson_lam_range(counts: ArrayLike) -> tuple[float, float]:
    """The λ range a view of these counts draws (and a slider should span): x̄/4 to 2.5·x̄ (x̄ ≥ 0.5).

    Examples
    --------
    >>> poisson_lam_range([2, 0, 3, 1])
    (0.375, 3.75)
    """
    scale = max(float(np.mean(as_count_sample(counts, "counts"))), 0.5)
    return 0.25 * scale, 2.5 * scale


@dataclass(frozen=True)
class PoissonView:
    """Chapter 3's two panels for counts x₁ … xₙ and a rate λ.

    Attributes
    ----------
    lam : float
        The λ of the slider.
    n, total : int
        n and Σxᵢ.
    lam_hat : float
        The MLE λ̂ = x̄.
    loglik : float
        ln L(λ) = −nλ + Σxᵢ ln λ − Σ ln xᵢ!.
    score : float
        The slope of ln L at λ, d ln L/dλ = Σxᵢ/λ − n (positive left of λ̂, zero at λ̂, negative right).
    lam_grid, loglik_curve : ndarray of shape (400,)
        ln L on a λ grid spanning :func:`poisson_lam_range` (and λ).
    tangent_lam, tangent_loglik : ndarray of shape (2,)
        The ends of the tangent segment at (λ, ln L(λ)) with slope ``score``.
    values, observed, expected : ndarray of shape (max xᵢ + 3,)
        x = 0, 1, …; how many of the n counts equal x; and n·P(X = x | λ).
    """

    lam: float
    n: int
    total: int
    lam_hat: float
    loglik: float
    score: float
    lam_grid: np.ndarray
    loglik_curve: np.ndarray
    tangent_lam: np.ndarray
    tangent_loglik: np.ndarray
    values: np.ndarray
    observed: np.ndarray
    expected: np.ndarray

    def readout(self) -> str:
        """One line: λ, ln L(λ), the score and which way λ̂ lies."""
        shown = round(self.score, 3) + 0.0  # + 0.0: never print −0.000
        if shown > 0:
            where = "rising: λ̂ lies to the right"
        elif shown < 0:
            where = "falling: λ̂ lies to the left"
        else:
            where = "flat: the top, λ = λ̂"
        return (
            f"λ = {self.lam:.2f}: ln L(λ) = {self.loglik:.3f}; score d ln L/dλ = Σx/λ − n = "
            f"{self.total}/{self.lam:.2f} − {self.n} = {shown:+.3f} ({where}); λ̂ = x̄ = {self.lam_hat:.3f}"
        )


def poisson_view(lam: float, counts: ArrayLike) -> PoissonView:
    """Chapter 3's view: ln L(λ) with the point and tangent at λ, and observed vs expected counts.

    Examples
    --------
    >>> v = poisson_view(1.5, [2, 0, 3, 1])
    >>> v.lam_hat, round(v.score, 4), v.observed.tolist(), round(float(v.expected[0]), 4)
    (1.5, 0.0, [1, 1, 1, 1, 0, 0], 0.8925)
    """
    lam = check_real(lam, "lam", minimum=0.0, strict=True)
    x = as_count_sample(counts, "counts")
    n, total = int(x.size), int(x.sum())
    lo, hi = poisson_lam_range(x)
    grid = np.linspace(min(lo, lam), max(hi, lam), GRID_POINTS)
    ll = float(poisson_loglik(lam, x))
    score = total / lam - n
    half = TANGENT_HALF_WIDTH * (grid[-1] - grid[0])
    ends = np.array([lam - half, lam + half])
    values = np.arange(int(x.max()) + 3)
    return PoissonView(
        lam=lam,
        n=n,
        total=total,
        lam_hat=poisson_mle(x),
        loglik=ll,
        score=score,
        lam_grid=grid,
        loglik_curve=np.asarray(poisson_loglik(grid, x)),
        tangent_lam=ends,
        tangent_loglik=ll + score * (ends - lam),
        values=values,
        observed=np.bincount(x.astype(int), minlength=values.size),
        expected=n * stats.poisson.pmf(values, lam),
    )
