"""View of chapter 9: EM on the two-coins problem from a chosen start, one iteration at a time.

The data are Do & Batzoglou's five sets of ten tosses (:data:`mle_lib.datasets.TWO_COINS_HEADS`), the
model theirs (two coins, each picked with probability ½). Everything is computed by
:func:`mle_lib.binomial_em` and :func:`mle_lib.binomial_e_step`; nothing here re-derives a pmf.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .._checks import check_int
from .._gaussian import normalize_log_joint
from ..binomial_mixture import _thetas, binomial_e_step, binomial_em, binomial_log_pmf
from ..datasets import TWO_COINS_HEADS, TWO_COINS_TOSSES

__all__ = ["MAX_ITERATION", "THETA_GRID", "loglik_surface", "CoinsEMView", "coins_em_view"]

#: The iteration slider's range: ten is the paper's figure, twenty reaches the fixed point to 3 decimals.
MAX_ITERATION = 20
#: θ values of the ln L surface drawn behind the path (both axes).
THETA_GRID = np.linspace(0.01, 0.99, 99)


@lru_cache(maxsize=1)
def loglik_surface() -> np.ndarray:
    """ln L(θ_A, θ_B) of the five sets on :data:`THETA_GRID` × :data:`THETA_GRID` (rows θ_B, columns θ_A)."""
    # ln Bin(hᵢ | n, θ) once per grid value, then the mixture's log-sum-exp over the two coins for every
    # (θ_B, θ_A, set) at once (the same formula as binomial_mixture_loglik, 100 times faster than a loop)
    lp = binomial_log_pmf(TWO_COINS_HEADS, TWO_COINS_TOSSES, THETA_GRID)  # (m, 5)
    m = THETA_GRID.size
    joint = np.log(0.5) + np.stack(
        [np.broadcast_to(lp[None, :, :], (m, m, lp.shape[1])), np.broadcast_to(lp[:, None, :], (m, m, lp.shape[1]))]
    )
    log_evidence, _ = normalize_log_joint(joint.reshape(2, -1))
    surface = log_evidence.reshape(m, m, -1).sum(axis=2)
    surface.flags.writeable = False
    return surface


@dataclass(frozen=True)
class CoinsEMView:
    """EM for the two coins after ``iteration`` iterations from (θ_A, θ_B) = ``start``.

    Attributes
    ----------
    start : (float, float)
        The starting (θ_A, θ_B).
    iteration : int
        Iterations (E-step + M-step) taken.
    heads : ndarray of shape (5,)
        Heads per set of ten.
    path : ndarray of shape (iteration + 1, 2)
        (θ_A, θ_B) at the start and after each iteration.
    thetas : ndarray of shape (2,)
        (θ_A, θ_B) now.
    resp : ndarray of shape (2, 5)
        The E-step at ``thetas``: P(coin A | set i) and P(coin B | set i).
    loglik : ndarray of shape (iteration + 1,)
        ln L along the path (never decreasing).
    limit : ndarray of shape (2,)
        Where EM from this start stops (ln L rising by less than 1e-10).
    limit_loglik : float
        ln L there.
    grid, surface : ndarray
        :data:`THETA_GRID` and :func:`loglik_surface`, for the contour plot.
    """

    start: tuple[float, float]
    iteration: int
    heads: np.ndarray
    path: np.ndarray
    thetas: np.ndarray
    resp: np.ndarray
    loglik: np.ndarray
    limit: np.ndarray
    limit_loglik: float
    grid: np.ndarray
    surface: np.ndarray

    def readout(self) -> str:
        """One line: the start, θ_A, θ_B and ln L after the iterations, the responsibilities and EM's limit."""
        ta, tb = self.thetas
        gamma = " ".join(f"{g:.2f}" for g in self.resp[0])
        its = "iteration" if self.iteration == 1 else "iterations"
        return (
            f"start θ_A = {self.start[0]:.2f}, θ_B = {self.start[1]:.2f}; after {self.iteration} {its}: "
            f"θ_A = {ta:.3f}, θ_B = {tb:.3f}, ln L = {self.loglik[-1]:.3f}; P(coin A | set) = {gamma}; "
            f"EM ends at θ_A = {self.limit[0]:.3f}, θ_B = {self.limit[1]:.3f}"
        )


def coins_em_view(theta_a: float = 0.6, theta_b: float = 0.5, iteration: int = 0) -> CoinsEMView:
    """EM on the five sets of tosses from (``theta_a``, ``theta_b``), stopped after ``iteration`` iterations.

    Parameters
    ----------
    theta_a, theta_b : float
        The start, each strictly between 0 and 1.
    iteration : int
        0 … :data:`MAX_ITERATION`.

    Examples
    --------
    >>> v = coins_em_view(0.6, 0.5, 1)
    >>> v.thetas.round(2), v.resp[0].round(2)
    (array([0.71, 0.58]), array([0.3 , 0.81, 0.71, 0.19, 0.57]))
    """
    start = (float(_thetas([theta_a], "theta_a")[0]), float(_thetas([theta_b], "theta_b")[0]))
    k = check_int(iteration, "iteration", minimum=0, maximum=MAX_ITERATION)
    run = binomial_em(TWO_COINS_HEADS, TWO_COINS_TOSSES, start, fix_weights=True, tol=0.0, max_iter=k)
    end = binomial_em(TWO_COINS_HEADS, TWO_COINS_TOSSES, start, fix_weights=True, tol=1e-10, max_iter=10_000)
    resp, _ = binomial_e_step(TWO_COINS_HEADS, TWO_COINS_TOSSES, run.thetas)
    return CoinsEMView(
        start=start,
        iteration=k,
        heads=np.array(TWO_COINS_HEADS, dtype=float),
        path=run.theta_path,
        thetas=run.thetas,
        resp=resp,
        loglik=run.loglik,
        limit=end.thetas,
        limit_loglik=float(end.loglik[-1]),
        grid=THETA_GRID,
        surface=loglik_surface(),
    )
