"""Views of chapters 1 and 2: a coin's likelihood as θ moves (Bernoulli), k successes in n trials (binomial)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
from scipy import stats

from .._checks import check_int, check_probability, check_real
from ..datasets import flips_to_binary
from ..estimators import bernoulli_mle, binomial_mle
from ..likelihood import (
    bernoulli_likelihood,
    binomial_likelihood,
    binomial_loglik,
    fisher_information,
)

__all__ = ["CoinView", "coin_view", "UnderflowView", "underflow_view", "BinomialView", "binomial_view"]

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

    @property
    def n_sequences(self) -> str:
        """2ⁿ written out (as ``2^n`` beyond 2⁶⁴, where the digits would fill the readout)."""
        return str(2**self.n) if self.n <= 64 else f"2^{self.n}"

    def readout(self) -> str:
        """One line: θ, L(θ), θ̂ and the sum of the probabilities of all sequences."""
        total = f"{self.probabilities.sum():.6f}" if self.sequences else "1 (not listed)"
        return (
            f"θ = {self.theta:.3f}: L(θ) = P({self.flips} | θ) = {self.likelihood_at_theta:.5g}; "
            f"θ̂ = {self.heads}/{self.n} = {self.theta_hat:.3f}; Σ over all {self.n_sequences} sequences = {total}"
        )


def coin_view(theta: float, flips: str = "HHTHH") -> CoinView:
    """Chapter 1's view: P(sequence | θ) over all sequences, and L(θ) for the observed one.

    Examples
    --------
    >>> v = coin_view(0.6, "HHTHH")
    >>> round(v.likelihood_at_theta, 5), v.theta_hat, round(float(v.probabilities.sum()), 12)
    (0.05184, 0.8, 1.0)
    """
    t = float(check_probability(check_real(theta, "theta"), "theta"))
    if not isinstance(flips, str):
        raise TypeError(
            f"flips must be a str of the letters 'H' and 'T', e.g. 'HHTHH'; got {type(flips).__name__} {flips!r}"
        )
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
        """One line: n, heads, θ, L (and whether it underflowed) and ln L."""
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


#: Largest n the underflow view takes: beyond 2⁵³ a flip count is no longer exact in floating point.
MAX_FLIPS = 2**53


def underflow_view(n: int, theta: float = 0.6) -> UnderflowView:
    """L and ln L of n flips of which 60 % are heads (rounded), at θ, with their curves over n.

    ln L = n₁ ln θ + (n − n₁) ln(1 − θ) in closed form: no sample of n flips is built, so n may be
    as large as :data:`MAX_FLIPS`.

    Examples
    --------
    >>> underflow_view(2000).likelihood, round(underflow_view(2000).loglik, 1)
    (0.0, -1346.0)
    """
    n = check_int(n, "n", minimum=1, maximum=MAX_FLIPS)
    t = float(check_probability(check_real(theta, "theta"), "theta"))
    if not 0.0 < t < 1.0:
        raise ValueError(f"theta must lie strictly between 0 and 1 here (both faces occur); got {t}")
    heads = round(0.6 * n)
    ll = float(_flip_loglik(n, t))
    curve = _flip_loglik(N_GRID, t)
    return UnderflowView(n, heads, t, float(np.exp(ll)), ll, N_GRID, np.exp(curve), curve)


#: θ grid of chapter 2's view, both edges included: at k = 0 or k = n the maximum sits on one of them.
P_GRID = np.linspace(0.0, 1.0, 1001)
#: The normal quantile of a 95 % Wald band (1.959964…, printed as 1.96).
Z95 = float(stats.norm.ppf(0.975))


@dataclass(frozen=True)
class BinomialView:
    """Chapter 2's panels for k successes in n trials: L(θ), ln L(θ), θ̂ = k/n and its Wald band.

    Attributes
    ----------
    k, n : int
        Successes and trials.
    p_grid : ndarray of shape (1001,)
        θ from 0 to 1, edges included.
    likelihood, loglik : ndarray of shape (1001,)
        L(θ) = P(k | θ) = C(n, k) θᵏ (1 − θ)ⁿ⁻ᵏ and its logarithm (−inf where L = 0, i.e. at an edge
        that the data rule out).
    p_hat : float
        The MLE k/n.
    likelihood_at_hat, loglik_at_hat : float
        L(θ̂) and ln L(θ̂).
    standard_error : float
        1/√I(θ̂) = √(θ̂(1 − θ̂)/n) from the Fisher information; 0.0 on the boundary, where the
        information is infinite.
    wald_low, wald_high : float
        θ̂ ∓ 1.96·se, not clipped to [0, 1] (the band may stick out: that is the Wald band's flaw).
    on_boundary : bool
        Whether θ̂ is 0 or 1 (k = 0 or k = n): ln L is monotone there and its derivative never vanishes.
    """

    k: int
    n: int
    p_grid: np.ndarray
    likelihood: np.ndarray
    loglik: np.ndarray
    p_hat: float
    likelihood_at_hat: float
    loglik_at_hat: float
    standard_error: float
    wald_low: float
    wald_high: float
    on_boundary: bool

    def readout(self) -> str:
        """One line: k, n, θ̂ and its Wald band (or why it collapses on the boundary)."""
        head = f"k = {self.k} of n = {self.n} trials succeed: θ̂ = k/n = {self.p_hat:.3f}"
        if self.on_boundary:
            return (
                f"{head}, the maximum is on the boundary θ = {self.p_hat:g} (the derivative of ln L is never 0; "
                f"L(θ̂) = {self.likelihood_at_hat:.4g}); se = 0, so the Wald band θ̂ ± 1.96·se collapses to "
                f"the single point {self.p_hat:g}, not an honest interval"
            )
        outside = " (sticks out of [0, 1])" if self.wald_low < 0 or self.wald_high > 1 else ""
        return (
            f"{head}, ln L(θ̂) = {self.loglik_at_hat:.3f}; se = √(θ̂(1 − θ̂)/n) = {self.standard_error:.4f}; "
            f"95% Wald band [{self.wald_low:.3f}, {self.wald_high:.3f}]{outside}"
        )


def binomial_view(k: int, n: int) -> BinomialView:
    """Chapter 2's view: the likelihood of θ for k successes in n trials, its maximum and Wald band.

    The standard error comes from :func:`mle_lib.fisher_information` (binomial, one experiment of n
    trials); at k = 0 or k = n the information is infinite and the band is the point θ̂.

    Examples
    --------
    >>> v = binomial_view(7, 20)
    >>> v.p_hat, round(v.standard_error, 4), (round(v.wald_low, 3), round(v.wald_high, 3))
    (0.35, 0.1067, (0.141, 0.559))
    >>> binomial_view(0, 8).on_boundary, binomial_view(0, 8).wald_high
    (True, 0.0)
    """
    n = check_int(n, "n", minimum=1)
    k = check_int(k, "k", minimum=0)
    if k > n:
        raise ValueError(f"k (successes) must not exceed n (trials); got k = {k} > n = {n}")
    p_hat = binomial_mle(k, n)
    on_boundary = k in (0, n)
    se = 0.0 if on_boundary else float(fisher_information("binomial", p_hat, n=1, n_trials=n)) ** -0.5
    with np.errstate(divide="ignore"):
        loglik = np.asarray(binomial_loglik(P_GRID, k, n))
    return BinomialView(
        k=k,
        n=n,
        p_grid=P_GRID,
        likelihood=np.exp(loglik),
        loglik=loglik,
        p_hat=p_hat,
        likelihood_at_hat=float(binomial_likelihood(p_hat, k, n)),
        loglik_at_hat=float(binomial_loglik(p_hat, k, n)),
        standard_error=se,
        wald_low=p_hat - Z95 * se,
        wald_high=p_hat + Z95 * se,
        on_boundary=on_boundary,
    )
