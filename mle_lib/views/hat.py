"""Chapter 6's view: the hat trick with a prior and two spreads — where the posterior of the blue slip crosses ½."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._checks import as_float_array, check_positive
from ..bayes import hypothesis_densities, posterior_crossings, posterior_probs
from ..datasets import HAT_TRICK_MEANS

__all__ = ["HatView", "hat_view"]

#: x values over which the view draws the densities and the posterior curve.
X_GRID = np.linspace(-5.0, 15.0, 801)


@dataclass(frozen=True)
class HatView:
    """Chapter 6's three panels for an observation x, a prior and two spreads.

    Attributes
    ----------
    x : float
        The revealed value X = x.
    means, sigmas, priors : (float, float)
        (pink, blue): the means (3, 7), their σ, the prior probabilities (P(pink), 1 − P(pink)).
    grid : ndarray of shape (m,)
        x values of the curves.
    weighted_densities : ndarray of shape (m, 2)
        πᵢ f(x′ | mᵢ, σᵢ) over the grid (the numerators of Bayes' rule).
    weighted_at_x : ndarray of shape (2,)
        The same at x.
    posterior_curve : ndarray of shape (m,)
        P(μ = 7 | X = x′) over the grid.
    posterior_at_x : ndarray of shape (2,)
        (P(μ = 3 | x), P(μ = 7 | x)).
    crossings : tuple of float
        Where the posterior curve crosses ½ (:func:`posterior_crossings`).
    """

    x: float
    means: tuple[float, float]
    sigmas: tuple[float, float]
    priors: tuple[float, float]
    grid: np.ndarray
    weighted_densities: np.ndarray
    weighted_at_x: np.ndarray
    posterior_curve: np.ndarray
    posterior_at_x: np.ndarray
    crossings: tuple[float, ...]

    def readout(self) -> str:
        """One line: x, the prior and σs, both posteriors and where P(μ = 7 | x) = ½."""
        p3, p7 = self.posterior_at_x
        if not self.crossings:
            where = "no x (one slip is the more probable for every x)"
        else:
            where = "x = " + " and ".join(f"{c:.3f}" for c in self.crossings)
        return (
            f"x = {self.x:.3f}, P(pink) = {self.priors[0]:.2f}, σ_pink = {self.sigmas[0]:.2f}, "
            f"σ_blue = {self.sigmas[1]:.2f}: P(μ = 7 | x) = {p7:.3f}, P(μ = 3 | x) = {p3:.3f}; "
            f"P(μ = 7 | x) = ½ at {where}"
        )


def hat_view(x: float, prior_pink: float = 0.5, sigma_pink: float = 1.0, sigma_blue: float = 1.0) -> HatView:
    """Chapter 6's view: prior-weighted densities, the posterior at x, and the posterior curve over x.

    The slips are pink (μ = 3) and blue (μ = 7), :data:`mle_lib.HAT_TRICK_MEANS`.

    Parameters
    ----------
    x : float
        The revealed value.
    prior_pink : float
        P(pink) = P(μ = 3), strictly between 0 and 1.
    sigma_pink, sigma_blue : float
        The two standard deviations (> 0).

    Examples
    --------
    >>> v = hat_view(6.001)
    >>> round(float(v.posterior_at_x[1]), 3), v.crossings
    (0.982, (5.0,))
    """
    xv = float(as_float_array(x, "x", ndim=0))
    p = float(as_float_array(prior_pink, "prior_pink", ndim=0))
    if not 0.0 < p < 1.0:
        raise ValueError(f"prior_pink must be strictly between 0 and 1 (both slips possible); got {p:g}")
    s_pink = float(check_positive(as_float_array(sigma_pink, "sigma_pink", ndim=0), "sigma_pink"))
    s_blue = float(check_positive(as_float_array(sigma_blue, "sigma_blue", ndim=0), "sigma_blue"))
    means = (float(HAT_TRICK_MEANS[0]), float(HAT_TRICK_MEANS[1]))
    sigmas, priors = (s_pink, s_blue), (p, 1.0 - p)
    weights = np.array(priors)
    return HatView(
        x=xv,
        means=means,
        sigmas=sigmas,
        priors=priors,
        grid=X_GRID,
        weighted_densities=weights * hypothesis_densities(X_GRID, means, sigmas),
        weighted_at_x=weights * hypothesis_densities(xv, means, sigmas),
        posterior_curve=posterior_probs(X_GRID, means, sigmas, priors)[:, 1],
        posterior_at_x=posterior_probs(xv, means, sigmas, priors),
        crossings=posterior_crossings(means, sigmas, priors),
    )
