"""Chapter 4's views: μ and σ over normal data, and the divisor of Σ(xᵢ − x̄)².

μ and σ: log-density stems and the (μ, σ²) contour map; the divisor: against bias, variance and MSE.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from numpy.typing import ArrayLike

from .._checks import as_sample, check_choice, check_int, check_positive, check_real
from .._gaussian import normal_logpdf
from ..estimators import normal_mle
from ..likelihood import normal_loglik

__all__ = [
    "NormalSurface",
    "normal_surface",
    "NormalView",
    "normal_view",
    "DIVISORS",
    "divisor_moments",
    "DivisorView",
    "divisor_view",
]

#: Grid points per axis of the (μ, σ²) contour map.
SURFACE_POINTS = 161
#: Levels of ln L − ln L(μ̂, σ̂²) drawn on the map.
SURFACE_LEVELS = (-8.0, -4.0, -2.0, -1.0, -0.5)


@dataclass(frozen=True)
class NormalSurface:
    """ln L over a (μ, σ²) grid around the MLE, computed once per data set (cached).

    Attributes
    ----------
    mu_grid, var_grid : ndarray of shape (161,)
        μ from x̄ − 1.5σ̂ to x̄ + 1.5σ̂; σ² from σ̂²/4 to 3σ̂².
    drop : ndarray of shape (161, 161)
        ln L(μ, σ²) − ln L(μ̂, σ̂²) (rows: σ², columns: μ); ≤ 0 everywhere.
    mu_hat, var_hat, loglik_max : float
        The MLE (x̄, (1/n)Σ(xᵢ − x̄)²) and ln L there.
    """

    mu_grid: np.ndarray
    var_grid: np.ndarray
    drop: np.ndarray
    mu_hat: float
    var_hat: float
    loglik_max: float


@lru_cache(maxsize=16)
def _surface(data: tuple[float, ...]) -> NormalSurface:
    x = np.asarray(data)
    mu_hat, var_hat = normal_mle(x)
    sd_hat = float(np.sqrt(var_hat))
    mu_grid = np.linspace(mu_hat - 1.5 * sd_hat, mu_hat + 1.5 * sd_hat, SURFACE_POINTS)
    var_grid = np.linspace(var_hat / 4.0, 3.0 * var_hat, SURFACE_POINTS)
    top = float(normal_loglik(mu_hat, var_hat, x))
    drop = np.asarray(normal_loglik(mu_grid[None, :], var_grid[:, None], x)) - top
    for arr in (mu_grid, var_grid, drop):
        arr.flags.writeable = False  # shared by every view of these data
    return NormalSurface(mu_grid, var_grid, drop, mu_hat, var_hat, top)


def normal_surface(x: ArrayLike) -> NormalSurface:
    """The (μ, σ²) map of ln L for a sample (computed on the first call for these data, then cached).

    Examples
    --------
    >>> s = normal_surface([9.0, 10.0, 11.0, 12.0])
    >>> s.mu_hat, s.var_hat, bool(s.drop.max() <= 0), s.drop.shape
    (10.5, 1.25, True, (161, 161))
    """
    data = as_sample(x, "x")
    if data.size < 2 or np.ptp(data) == 0:
        raise ValueError("x must hold at least two different values (σ̂² = 0 has no likelihood surface)")
    return _surface(tuple(data.tolist()))


@dataclass(frozen=True)
class NormalView:
    """Chapter 4's panels for a sample and a candidate N(μ, σ²).

    Attributes
    ----------
    mu, sigma : float
        The sliders' μ and σ (σ² = ``sigma ** 2``).
    x : ndarray of shape (n,)
        The data.
    log_density : ndarray of shape (n,)
        ln f(xᵢ | μ, σ²) of each point (the stems); their sum is ``loglik``.
    loglik : float
        ln L(μ, σ²).
    curve_x, curve_log_density : ndarray of shape (300,)
        ln f(t | μ, σ²) over the data's range (the curve the stems reach).
    surface : NormalSurface
        The cached contour map of these data, with the MLE.
    """

    mu: float
    sigma: float
    x: np.ndarray
    log_density: np.ndarray
    loglik: float
    curve_x: np.ndarray
    curve_log_density: np.ndarray
    surface: NormalSurface

    @property
    def var(self) -> float:
        """The variance σ²."""
        return self.sigma**2

    def readout(self) -> str:
        """One line: μ, σ, ln L, its gap to the maximum at (μ̂, σ̂²) and the lowest stem."""
        s = self.surface
        worst = int(np.argmin(self.log_density))
        return (
            f"μ = {self.mu:.2f}, σ = {self.sigma:.2f} (σ² = {self.var:.2f}): ln L = Σ ln f(xᵢ | μ, σ²) = "
            f"{self.loglik:.3f}, {s.loglik_max - self.loglik:.3f} below the maximum {s.loglik_max:.3f} at "
            f"μ̂ = {s.mu_hat:.3f}, σ̂² = {s.var_hat:.3f}; lowest stem: x = {self.x[worst]:.2f}, "
            f"ln f = {self.log_density[worst]:.3f}"
        )


def normal_view(mu: float, sigma: float, x: ArrayLike) -> NormalView:
    """Chapter 4's view: each point's log-density under N(μ, σ²), and the point (μ, σ²) on the ln L map.

    Examples
    --------
    >>> v = normal_view(10.0, 1.0, [9.0, 10.0, 11.0, 12.0])
    >>> round(v.loglik, 4), round(float(v.log_density.sum()), 4)
    (-6.6758, -6.6758)
    """
    mu = check_real(mu, "mu")
    sigma = check_real(sigma, "sigma", minimum=0.0, strict=True)
    data = as_sample(x, "x")
    surface = normal_surface(data)
    lo, hi = float(data.min()), float(data.max())
    pad = 0.15 * (hi - lo)
    curve_x = np.linspace(lo - pad, hi + pad, 300)
    log_density = normal_logpdf(data, mu, sigma**2)
    return NormalView(
        mu=mu,
        sigma=sigma,
        x=data,
        log_density=log_density,
        loglik=float(log_density.sum()),
        curve_x=curve_x,
        curve_log_density=normal_logpdf(curve_x, mu, sigma**2),
        surface=surface,
    )


#: The divisors d of Σ(xᵢ − x̄)² that chapter 4 compares, as offsets from n.
DIVISORS = {"n-1": -1, "n": 0, "n+1": 1}


def divisor_moments(n: int, divisor: int, var: float = 1.0) -> tuple[float, float, float]:
    """Exact bias, variance and MSE of Σ(xᵢ − x̄)²/d for n normal values of variance σ².

    Σ(xᵢ − x̄)² is σ²·χ²ₙ₋₁, with mean (n − 1)σ² and variance 2(n − 1)σ⁴, so

    bias = ((n − 1)/d − 1)σ²,  variance = 2(n − 1)σ⁴/d²,  MSE = bias² + variance.

    Parameters
    ----------
    n : int
        Sample size, n ≥ 2.
    divisor : int
        d ≥ 1 (d = n is the MLE σ̂², d = n − 1 the unbiased s², d = n + 1 the least MSE).
    var : float
        The true σ² > 0.

    Examples
    --------
    >>> [round(v, 3) for v in divisor_moments(5, 5, 4.0)]     # the MLE at n = 5, σ² = 4
    [-0.8, 5.12, 5.76]
    """
    n = check_int(n, "n", minimum=2)
    d = check_int(divisor, "divisor", minimum=1)
    v = float(check_positive(var, "var"))
    bias = ((n - 1) / d - 1.0) * v
    variance = 2.0 * (n - 1) * v**2 / d**2
    return bias, variance, bias**2 + variance


@dataclass(frozen=True)
class DivisorView:
    """Chapter 4's bias–variance view of the divisor d ∈ {n − 1, n, n + 1} of Σ(xᵢ − x̄)².

    Attributes
    ----------
    divisor : str
        The chosen one: ``"n-1"``, ``"n"`` or ``"n+1"``.
    n : int
        Sample size.
    var : float
        The true σ².
    names : tuple of str
        ``("n-1", "n", "n+1")``, the order of the arrays below.
    bias, variance, mse : ndarray of shape (3,)
        Exact values for each divisor (:func:`divisor_moments`).
    n_grid : ndarray of shape (m,)
        Sample sizes 2 … 50 (and n) for the MSE curves.
    scaled_mse_curves : ndarray of shape (3, m)
        n·MSE/σ⁴ of each divisor over ``n_grid`` (scaled so that the curves do not all fall to 0:
        2n/(n − 1), (2n − 1)/n and 2n/(n + 1), all tending to 2).
    """

    divisor: str
    n: int
    var: float
    names: tuple[str, ...]
    bias: np.ndarray
    variance: np.ndarray
    mse: np.ndarray
    n_grid: np.ndarray
    scaled_mse_curves: np.ndarray

    @property
    def scaled_mse(self) -> np.ndarray:
        """n·MSE/σ⁴ of each divisor at this n (the right panel's scale)."""
        return self.n * self.mse / self.var**2

    @property
    def chosen(self) -> int:
        """The index of the chosen divisor in :attr:`names`."""
        return self.names.index(self.divisor)

    def readout(self) -> str:
        """One line: the chosen divisor's bias, variance and MSE, and the divisor of least MSE."""
        i = self.chosen
        d = self.n + DIVISORS[self.divisor]
        best = self.names[int(np.argmin(self.mse))]
        return (
            f"divisor {self.divisor.replace('-', ' − ').replace('+', ' + ')} = {d} (n = {self.n}, σ² = {self.var:g}): "
            f"bias = {self.bias[i]:+.3f}, variance = {self.variance[i]:.3f}, MSE = {self.mse[i]:.3f}; "
            f"least MSE of the three: {best.replace('-', ' − ').replace('+', ' + ')} ({self.mse.min():.3f})"
        )


def divisor_view(divisor: str, n: int, var: float = 4.0) -> DivisorView:
    """Chapter 4's view: bias, variance and MSE of Σ(xᵢ − x̄)²/d for d = n − 1, n, n + 1.

    Examples
    --------
    >>> divisor_view("n", 5).readout()
    'divisor n = 5 (n = 5, σ² = 4): bias = -0.800, variance = 5.120, MSE = 5.760; least MSE of the three: n + 1 (5.333)'
    """
    check_choice(divisor, "divisor", tuple(DIVISORS))
    n = check_int(n, "n", minimum=2)
    v = check_real(var, "var", minimum=0.0, strict=True)
    names = tuple(DIVISORS)
    table = np.array([divisor_moments(n, n + DIVISORS[name], v) for name in names])
    n_grid = np.union1d(np.arange(2, 51), [n])
    curves = np.array([[m * divisor_moments(m, m + DIVISORS[name], v)[2] / v**2 for m in n_grid] for name in names])
    return DivisorView(divisor, n, v, names, table[:, 0], table[:, 1], table[:, 2], n_grid, curves)
