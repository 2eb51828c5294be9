"""EM for a mixture of binomials: the two-coins problem.

Each of N sets i was made by tossing one of K coins nᵢ times; we see the heads count hᵢ but not the
coin zᵢ. Coin j shows heads with probability θⱼ and is picked with probability πⱼ. The
observed-data log-likelihood is

    ln L(θ, π) = Σᵢ ln Σⱼ πⱼ C(nᵢ, hᵢ) θⱼ^hᵢ (1 − θⱼ)^(nᵢ − hᵢ),

and EM climbs it with the same two steps as for Gaussians (chapter 7), only the density changes:

* **E-step.** γᵢⱼ = P(zᵢ = j | hᵢ) = πⱼ Bin(hᵢ | nᵢ, θⱼ) / Σₗ πₗ Bin(hᵢ | nᵢ, θₗ) — the hat trick of
  chapter 6 with binomial likelihoods, normalised in the log domain by
  :func:`mle_lib._gaussian.normalize_log_joint` (the course's one log-sum-exp).
* **M-step.** Weighted binomial MLEs θⱼ = Σᵢ γᵢⱼ hᵢ / Σᵢ γᵢⱼ nᵢ (chapter 2's heads over tosses, each set
  counted with weight γᵢⱼ), and πⱼ = Σᵢ γᵢⱼ / N unless the weights are held fixed.

The classic example (Do & Batzoglou, "What is the expectation maximization algorithm?", *Nature
Biotechnology* 26, 2008): the five sets of ten tosses of :data:`mle_lib.datasets.TWO_COINS_HEADS`,
equal fixed weights, start θ_A = 0.6, θ_B = 0.5; one iteration gives θ ≈ (0.71, 0.58), ten give
(0.80, 0.52).

Components are interchangeable: relabelling the coins (swapping θ_A and θ_B together with π) gives the
same likelihood, so "coin A" is whichever component the start favours (label switching).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike
from scipy import special

from ._checks import (
    as_count_sample,
    as_float_array,
    check_bool,
    check_columns_sum_to_one,
    check_int,
    check_positive,
    check_real,
    check_simplex,
)
from ._gaussian import normalize_log_joint

__all__ = [
    "binomial_log_pmf",
    "binomial_e_step",
    "binomial_m_step",
    "binomial_mixture_loglik",
    "binomial_em",
    "BinomialEMResult",
]


# -------------------------------------------------------------------------------------------------
# input checks
# -------------------------------------------------------------------------------------------------


def _data(heads: ArrayLike, trials: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """(hᵢ, nᵢ) as float arrays of shape (N,): counts, with 1 ≤ nᵢ and hᵢ ≤ nᵢ."""
    h = as_count_sample(heads, "heads")
    n_arr = as_float_array(trials, "trials", ndim=(0, 1))
    n = np.broadcast_to(n_arr, h.shape) if n_arr.ndim == 0 else n_arr
    if n.shape != h.shape:
        raise ValueError(f"trials must be one integer or one count per set of heads ({h.size}); got {n.size}")
    n = as_count_sample(n, "trials")
    if (n < 1).any():
        i = int(np.flatnonzero(n < 1)[0])
        raise ValueError(f"trials must be >= 1 in every set; got {n[i]} at index {i}")
    over = h > n
    if over.any():
        i = int(np.flatnonzero(over)[0])
        raise ValueError(f"heads cannot exceed trials: set {i} has {h[i]:g} heads in {n[i]:g} tosses")
    return h, np.array(n, dtype=float)


def _thetas(thetas: ArrayLike, name: str = "thetas") -> np.ndarray:
    """Head probabilities of K ≥ 1 coins, strictly inside (0, 1)."""
    t = as_float_array(thetas, name, ndim=1)
    if t.size < 1:
        raise ValueError(f"{name} must hold one head probability per coin; got none")
    bad = (t <= 0) | (t >= 1)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ValueError(f"{name} must lie strictly between 0 and 1; got {t[i]} at index {i}")
    return t


# -------------------------------------------------------------------------------------------------
# the model
# -------------------------------------------------------------------------------------------------


def binomial_log_pmf(heads: ArrayLike, trials: ArrayLike, thetas: ArrayLike) -> np.ndarray:
    """ln Bin(hᵢ | nᵢ, θⱼ) = ln C(nᵢ, hᵢ) + hᵢ ln θⱼ + (nᵢ − hᵢ) ln(1 − θⱼ), component-major.

    Parameters
    ----------
    heads : array_like of shape (N,)
        Heads counts hᵢ, non-negative integers.
    trials : int or array_like of shape (N,)
        Tosses nᵢ per set (one integer for all sets, or one per set), ≥ 1 and ≥ hᵢ.
    thetas : array_like of shape (K,)
        Head probabilities θⱼ, strictly inside (0, 1).

    Returns
    -------
    ndarray of shape (K, N)

    Examples
    --------
    >>> np.exp(binomial_log_pmf([5], 10, [0.5])).round(4)
    array([[0.2461]])
    """
    h, n = _data(heads, trials)
    t = _thetas(thetas)
    log_coef = special.gammaln(n + 1) - special.gammaln(h + 1) - special.gammaln(n - h + 1)
    return log_coef + special.xlogy(h, t[:, None]) + special.xlog1py(n - h, -t[:, None])


def _log_joint(h: np.ndarray, n: np.ndarray, t: np.ndarray, w: np.ndarray) -> np.ndarray:
    log_coef = special.gammaln(n + 1) - special.gammaln(h + 1) - special.gammaln(n - h + 1)
    with np.errstate(divide="ignore"):  # a zero weight: ln 0 = −inf, that coin never made any set
        log_w = np.log(w)
    return log_w[:, None] + log_coef + special.xlogy(h, t[:, None]) + special.xlog1py(n - h, -t[:, None])


def binomial_e_step(
    heads: ArrayLike, trials: ArrayLike, thetas: ArrayLike, weights: ArrayLike | None = None
) -> tuple[np.ndarray, float]:
    """E-step: responsibilities γᵢⱼ = P(coin j | hᵢ) and the log-likelihood at the given parameters.

    γᵢⱼ = πⱼ Bin(hᵢ | nᵢ, θⱼ) / Σₗ πₗ Bin(hᵢ | nᵢ, θₗ), computed in the log domain (no underflow for
    long sets of tosses).

    Parameters
    ----------
    heads : array_like of shape (N,)
        Heads counts hᵢ.
    trials : int or array_like of shape (N,)
        Tosses nᵢ per set.
    thetas : array_like of shape (K,)
        Head probabilities θⱼ in (0, 1).
    weights : array_like of shape (K,), optional
        Mixing weights πⱼ (sum 1). Default: equal, 1/K each (Do & Batzoglou's choice).

    Returns
    -------
    resp : ndarray of shape (K, N)
        γ, component-major like :func:`mle_lib.e_step`; each column sums to 1.
    loglik : float
        ln L(θ, π) = Σᵢ ln Σⱼ πⱼ Bin(hᵢ | nᵢ, θⱼ).

    Examples
    --------
    The first set of the two-coins example (5 heads in 10), θ = (0.6, 0.5):

    >>> resp, ll = binomial_e_step([5], 10, [0.6, 0.5])
    >>> resp.round(2)
    array([[0.45],
           [0.55]])
    """
    h, n = _data(heads, trials)
    t = _thetas(thetas)
    return _e(h, n, t, check_simplex(weights, "weights", t.size, per="coin"))


def _e(h: np.ndarray, n: np.ndarray, t: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, float]:
    """The E-step on checked inputs (θ may be 0 or 1 here: xlogy keeps 0·ln 0 = 0)."""
    resp, _, loglik = _e_log(h, n, t, w)
    return resp, loglik


def _e_log(h: np.ndarray, n: np.ndarray, t: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """The E-step with the log-responsibilities ln γᵢⱼ too (finite where γᵢⱼ itself underflows to 0)."""
    log_joint = _log_joint(h, n, t, w)
    log_evidence, resp = normalize_log_joint(log_joint.copy(), overwrite_input=True)
    return resp, log_joint - log_evidence, float(log_evidence.sum())


def _theta_update(h: np.ndarray, n: np.ndarray, r: np.ndarray) -> np.ndarray:
    """θⱼ = Σᵢ rᵢⱼ hᵢ / Σᵢ rᵢⱼ nᵢ: the M-step's weighted heads over tosses.

    r may be γ times any positive factor per coin; the ratio does not change.
    """
    return (r @ h) / (r @ n)


def _em_m_step(h: np.ndarray, n: np.ndarray, log_resp: np.ndarray, thetas: np.ndarray) -> np.ndarray:
    """The θ update inside :func:`binomial_em`, from ln γ rather than γ.

    Each coin's γᵢⱼ are rescaled by their largest value before the ratio (exp(ln γᵢⱼ − maxᵢ ln γᵢⱼ)),
    which changes no θⱼ but keeps a coin whose every γᵢⱼ underflows to 0 — a valid start far from the
    data, e.g. 5 heads in 10¹⁵ tosses — from getting "no tosses". A coin with no weight left at all
    (its weight πⱼ itself underflowed to 0) explains no set and keeps its θⱼ.
    """
    top = log_resp.max(axis=1, keepdims=True)
    alive = np.isfinite(top[:, 0])
    out = thetas.copy()
    out[alive] = _theta_update(h, n, np.exp(log_resp[alive] - top[alive]))
    return out


def binomial_m_step(
    heads: ArrayLike, trials: ArrayLike, resp: ArrayLike, *, fix_weights: bool = False
) -> tuple[np.ndarray, np.ndarray]:
    """M-step: weighted binomial MLEs θⱼ = Σᵢ γᵢⱼ hᵢ / Σᵢ γᵢⱼ nᵢ and weights πⱼ = Σᵢ γᵢⱼ / N.

    Each set counts towards coin j with weight γᵢⱼ: "expected heads over expected tosses" of that coin.

    Parameters
    ----------
    heads : array_like of shape (N,)
    trials : int or array_like of shape (N,)
    resp : array_like of shape (K, N)
        Responsibilities from :func:`binomial_e_step` (non-negative, columns summing to 1).
    fix_weights : bool
        Return equal weights 1/K instead of Σᵢ γᵢⱼ / N (the paper's model, where each coin is equally
        likely to be picked).

    Returns
    -------
    thetas : ndarray of shape (K,)
    weights : ndarray of shape (K,)

    Raises
    ------
    ValueError
        If ``resp`` has the wrong shape, negative entries, columns not summing to 1, or gives a coin no
        tosses at all (Σᵢ γᵢⱼ nᵢ = 0: its θⱼ is undefined).

    Examples
    --------
    Had we known the coins (one-hot γ), this is chapter 2's heads over tosses for each coin:

    >>> binomial_m_step([5, 9, 8], 10, [[0, 1, 1], [1, 0, 0]])[0]
    array([0.85, 0.5 ])
    """
    h, n = _data(heads, trials)
    r = as_float_array(resp, "resp", ndim=2)
    if r.shape[1] != h.size:
        raise ValueError(f"resp must have shape (K, N) with N = {h.size} sets; got {r.shape}")
    check_positive(r, "resp", strict=False)
    check_columns_sum_to_one(r, "resp")
    tosses = r @ n
    if (tosses <= 0).any():
        j = int(np.flatnonzero(tosses <= 0)[0])
        raise ValueError(f"resp gives coin {j} no tosses at all (Σᵢ γᵢⱼ nᵢ = 0): its θ is undefined")
    thetas = _theta_update(h, n, r)
    k = r.shape[0]
    weights = np.full(k, 1.0 / k) if fix_weights else r.sum(axis=1) / h.size
    return thetas, weights


def binomial_mixture_loglik(
    heads: ArrayLike, trials: ArrayLike, thetas: ArrayLike, weights: ArrayLike | None = None
) -> float:
    """Observed-data log-likelihood ln L(θ, π) = Σᵢ ln Σⱼ πⱼ Bin(hᵢ | nᵢ, θⱼ) (binomial coefficients included).

    Examples
    --------
    >>> round(binomial_mixture_loglik([5, 9, 8, 4, 7], 10, [0.8, 0.52]), 3)
    -9.797
    """
    return binomial_e_step(heads, trials, thetas, weights)[1]


@dataclass(frozen=True)
class BinomialEMResult:
    """What :func:`binomial_em` found.

    Attributes
    ----------
    thetas : ndarray of shape (K,)
        θⱼ after the last M-step.
    weights : ndarray of shape (K,)
        πⱼ after the last M-step (equal if they were fixed).
    resp : ndarray of shape (K, N)
        γ at the final parameters: which coin made each set, as EM ends up believing.
    loglik : ndarray of shape (n_iter + 1,)
        ln L at the start and after each M-step: never decreasing.
    theta_path : ndarray of shape (n_iter + 1, K)
        θ at the start and after each M-step.
    n_iter : int
        Iterations (E-step + M-step) taken.
    converged : bool
        Whether ln L rose by less than ``tol`` in the last iteration (False when ``max_iter`` ran out).
    """

    thetas: np.ndarray
    weights: np.ndarray
    resp: np.ndarray
    loglik: np.ndarray
    theta_path: np.ndarray
    n_iter: int
    converged: bool


def binomial_em(
    heads: ArrayLike,
    trials: ArrayLike,
    thetas_init: ArrayLike,
    weights_init: ArrayLike | None = None,
    *,
    fix_weights: bool = False,
    tol: float = 1e-10,
    max_iter: int = 1000,
) -> BinomialEMResult:
    """EM for a mixture of binomials, from a given start, until ln L rises by less than ``tol``.

    Parameters
    ----------
    heads : array_like of shape (N,)
        Heads counts hᵢ.
    trials : int or array_like of shape (N,)
        Tosses nᵢ per set.
    thetas_init : array_like of shape (K,)
        Starting θⱼ in (0, 1). Equal values never separate (every γ stays 1/K): choose distinct ones.
    weights_init : array_like of shape (K,), optional
        Starting πⱼ, each > 0 (a coin of weight 0 is never given a set, so EM cannot estimate its θ);
        default equal.
    fix_weights : bool
        Keep πⱼ at ``weights_init`` (Do & Batzoglou's model: each coin equally likely).
    tol : float
        Stop when ln L rises by less than this (≥ 0; 0 runs exactly ``max_iter`` iterations).
    max_iter : int
        At most this many iterations (≥ 0).

    Returns
    -------
    BinomialEMResult

    Examples
    --------
    The two-coins example: ten iterations from θ = (0.6, 0.5), equal weights fixed.

    >>> from mle_lib.datasets import TWO_COINS_HEADS, TWO_COINS_TOSSES
    >>> r = binomial_em(TWO_COINS_HEADS, TWO_COINS_TOSSES, [0.6, 0.5], fix_weights=True, tol=0, max_iter=10)
    >>> r.thetas.round(2), r.n_iter
    (array([0.8 , 0.52]), 10)
    >>> bool(np.all(np.diff(r.loglik) >= 0))
    True
    """
    h, n = _data(heads, trials)
    t = _thetas(thetas_init, "thetas_init")
    w = check_simplex(weights_init, "weights_init", t.size, per="coin")  # None: equal weights
    if (w <= 0).any():
        j = int(np.flatnonzero(w <= 0)[0])
        raise ValueError(
            f"weights_init must be > 0 for every coin: coin {j} has weight 0, so no set is ever "
            f"assigned to it and EM cannot estimate its θ (drop the coin, or give it a small weight)"
        )
    fix_weights = check_bool(fix_weights, "fix_weights")
    tol = check_real(tol, "tol", minimum=0.0)
    max_iter = check_int(max_iter, "max_iter", minimum=0)
    resp, log_resp, ll = _e_log(h, n, t, w)
    logliks, path = [ll], [t.copy()]
    converged = False
    n_iter = 0
    while n_iter < max_iter:
        t = _em_m_step(h, n, log_resp, t)
        w = w if fix_weights else resp.sum(axis=1) / h.size
        resp, log_resp, ll = _e_log(h, n, t, w)  # θ may reach 0 or 1 (a coin with only tails or heads): fine
        n_iter += 1
        logliks.append(ll)
        path.append(t.copy())
        if tol > 0 and ll - logliks[-2] < tol:
            converged = True
            break
    return BinomialEMResult(
        thetas=t,
        weights=np.asarray(w, dtype=float),
        resp=resp,
        loglik=np.array(logliks),
        theta_path=np.array(path),
        n_iter=n_iter,
        converged=converged,
    )
