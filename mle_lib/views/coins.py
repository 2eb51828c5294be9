"""Views of chapters 1 and 2: a coin's likelihood as θ moves (Bernoulli, binomial)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from .._checks import check_int, check_probability
from ..datasets import flips_to_binary
from ..estimators import bernoulli_mle
from ..likelihood import bernoulli_likelihood, bernoulli_loglik

__all__ = ["CoinView", "coin_view", "UnderflowView", "underflow_view"]

#: θ grid every coin view draws its curves on (the open interval: ln L is −∞ at an edge).
THETA_GRID = np.linspace(0.001, 0.999, 999)
#: Longest flip string whose every sequence the left panel lists (2ⁿ bars).
MAX_LISTED_FLIPS = 8


@dataclass(frozen=True)
class CoinView:
    """Chapter 1's two panels for a flip string and a θ.

    Attributes
    ----------
    flips : str
        The observed sequence, e.g. ``"HHTHH"``.
    theta : float
        The θ of the slider.
    heads, n : int
        n₁ and n.
    sequences : tuple of str
        Every sequence of length n (listed only for n ≤ 8, else empty), in binary order.
    probabilities : ndarray of shape (2ⁿ,)
        P(sequence | θ) for each of them: a distribution over the data (sums to 1).
    observed_index : int
        Where the observed sequence sits in ``sequences`` (−1 when not listed).
    theta_grid, likelihood : ndarray of shape (m,)
        L(θ′) = P(flips | θ′) on the grid: the likelihood, a function of θ′ for the fixed data.
    likelihood_at_theta : float
        L(θ) at the slider's θ (the moving point).
    theta_hat : float
        The MLE n₁/n.
    """

    flips: str
    theta: float
    heads: int
    n: int
    sequences: tuple[str, ...]
    probabilities: np.ndarray
    observed_index: int
    theta_grid: np.ndarray
    likelihood: np.ndarray
    likelihood_at_theta: float
    theta_hat: float

    def readout(self) -> str:
        total = f"{self.probabilities.sum():.6f}" if self.sequences else "1 (not listed)"
        return (
            f"θ = {self.theta:.3f}: L(θ) = P({self.flips} | θ) = {self.likelihood_at_theta:.5g}; "
            f"θ̂ = {self.heads}/{self.n} = {self.theta_hat:.3f}; Σ over all {2**self.n} sequences = {total}"
        )


def coin_view(theta: float, flips: str = "HHTHH") -> CoinView:
    """Chapter 1's view: P(sequence | θ) over all sequences, and L(θ) for the observed one.

    Examples
    --------
    >>> v = coin_view(0.6, "HHTHH")
    >>> round(v.likelihood_at_theta, 5), v.theta_hat, round(float(v.probabilities.sum()), 12)
    (0.05184, 0.8, 1.0)
    """
    t = float(check_probability(theta, "theta"))
    try:
        x = flips_to_binary(flips)
    except ValueError as exc:
        raise ValueError(f"flips: {exc}".replace(" s must", " must")) from None
    n = int(x.size)
    if n <= MAX_LISTED_FLIPS:
        seqs = tuple("".join(s) for s in itertools.product("TH", repeat=n))
        probs = np.array([bernoulli_likelihood(t, flips_to_binary(s)) for s in seqs], dtype=float)
        observed = seqs.index(flips)
    else:
        seqs, probs, observed = (), np.empty(0), -1
    return CoinView(
        flips=flips,
        theta=t,
        heads=int(x.sum()),
        n=n,
        sequences=seqs,
        probabilities=probs,
        observed_index=observed,
        theta_grid=THETA_GRID,
        likelihood=np.asarray(bernoulli_likelihood(THETA_GRID, x)),
        likelihood_at_theta=float(bernoulli_likelihood(t, x)),
        theta_hat=bernoulli_mle(x),
    )


@dataclass(frozen=True)
class UnderflowView:
    """Chapter 1's second control: n flips with 60 % heads, L against ln L at θ.

    ``likelihood`` underflows to exactly 0.0 for large n (float64 has no positive number below
    ~4.9e-324) while ``loglik`` stays an ordinary number.
    """

    n: int
    heads: int
    theta: float
    likelihood: float
    loglik: float
    n_grid: np.ndarray
    likelihood_curve: np.ndarray
    loglik_curve: np.ndarray

    def readout(self) -> str:
        state = "underflowed to 0" if self.likelihood == 0.0 else "representable"
        return (
            f"n = {self.n} flips, {self.heads} heads, θ = {self.theta:.2f}: "
            f"L = {self.likelihood:.4g} ({state}); ln L = {self.loglik:.2f}"
        )


#: Flip counts the underflow view draws its curves over.
N_GRID = np.unique(np.round(np.geomspace(1, 5000, 300)).astype(int))


def _flip_loglik(n: np.ndarray | int, theta: float) -> np.ndarray:
    """ln L of n flips with round(0.6 n) heads at θ (the binomial coefficient left out: one sequence)."""
    n = np.asarray(n)
    heads = np.round(0.6 * n)
    return heads * np.log(theta) + (n - heads) * np.log1p(-theta)


def underflow_view(n: int, theta: float = 0.6) -> UnderflowView:
    """L and ln L of n flips of which 60 % are heads (rounded), at θ, with their curves over n.

    Examples
    --------
    >>> underflow_view(2000).likelihood, round(underflow_view(2000).loglik, 1)
    (0.0, -1346.0)
    """
    n = check_int(n, "n", minimum=1)
    t = float(check_probability(theta, "theta"))
    if not 0.0 < t < 1.0:
        raise ValueError(f"theta must lie strictly between 0 and 1 here (both faces occur); got {t}")
    heads = round(0.6 * n)
    x = np.r_[np.ones(heads), np.zeros(n - heads)]
    ll = float(bernoulli_loglik(t, x))
    curve = _flip_loglik(N_GRID, t)
    return UnderflowView(n, heads, t, float(np.exp(ll)), ll, N_GRID, np.exp(curve), curve)
