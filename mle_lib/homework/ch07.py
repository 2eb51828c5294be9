"""Exercises of chapter 7 (EM for a mixture of two Gaussians in one dimension).

The student writes the E-step (responsibilities, component-major (K, n)) and the M-step (π, μ, σ²) of
1-D EM; both are run against :func:`mle_lib.e_step` and :func:`mle_lib.m_step` on fresh random cases.
Known mistakes (weights left out, the standard deviation confused with the variance, dividing by n
instead of n_k, …) are computed from the library, never stored. Two derivations are entered as numbers of
the student's own variant: the Lagrange multiplier of the weights' constraint and the weights it gives
(ex7.5), and the decision boundary of a two-component mixture with a common σ, at the student's σ and in the
limit σ → 0 where EM's E-step becomes k-means' nearest-mean rule (ex7.6).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from scipy.optimize import brentq

from mle_lib import mixture
from mle_lib.homework import Choice, Function, Value

# ---------------------------------------------------------------------------------------------
# turn7.1: the E-step
# ---------------------------------------------------------------------------------------------


def _random_params(rng: np.random.Generator, K: int, N: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """x (N,), unequal weights (K,), means (K,), variances (K,) of a random 1-D mixture."""
    weights = rng.dirichlet(np.full(K, 2.0))
    means = rng.normal(0.0, 3.0, K)
    variances = rng.uniform(0.5, 4.0, K)
    x = rng.normal(0.0, 4.0, N)
    return x, weights, means, variances


def _sizes(rng: np.random.Generator) -> list[tuple[int, int]]:
    """(K, N) of 24 cases: K = 2 … 5 (mostly more than 2); 12 of 6 … 12 points, 12 of 41 … 1500 points."""
    ks = [2, 2, 3, 3, 4, 5, *(int(v) for v in rng.integers(3, 6, size=18))]
    ns = [int(rng.integers(41, 1501)) if i % 2 else int(rng.integers(6, 13)) for i in range(24)]
    return list(zip(ks, ns, strict=True))


def _e_cases(rng: np.random.Generator) -> list[tuple[Any, ...]]:
    return [_random_params(rng, K, N) for K, N in _sizes(rng)]


def _e_ref(x: np.ndarray, weights: np.ndarray, means: np.ndarray, variances: np.ndarray) -> np.ndarray:
    return mixture.e_step(x, weights, means, variances, "spherical")[0]


def _e_no_weights(x: np.ndarray, weights: np.ndarray, means: np.ndarray, variances: np.ndarray) -> np.ndarray:
    K = len(weights)
    return mixture.e_step(x, np.full(K, 1.0 / K), means, variances, "spherical")[0]


def _e_sd_as_variance(x: np.ndarray, weights: np.ndarray, means: np.ndarray, variances: np.ndarray) -> np.ndarray:
    # norm.pdf(x, mu, var): the variance passed where the standard deviation belongs
    return mixture.e_step(x, weights, means, np.asarray(variances) ** 2, "spherical")[0]


def _e_rows_normalised(x: np.ndarray, weights: np.ndarray, means: np.ndarray, variances: np.ndarray) -> np.ndarray:
    resp = _e_ref(x, weights, means, variances)
    joint = resp * np.exp(mixture.mixture_logpdf(x, weights, means, variances, "spherical"))  # π_k f_k(x_i)
    return joint / joint.sum(axis=1, keepdims=True)


# ---------------------------------------------------------------------------------------------
# turn7.2: the M-step
# ---------------------------------------------------------------------------------------------


def _m_cases(rng: np.random.Generator) -> list[tuple[Any, ...]]:
    out = []
    for K, N in _sizes(rng):
        x, w, m, v = _random_params(rng, K, N)
        out.append((x, _e_ref(x, w, m, v)))
    return out


def _m_parts(x: np.ndarray, resp: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    w, m, v = mixture.m_step(x, resp, "spherical", reg_covar=0.0)
    return w, m[:, 0], v, np.asarray(resp).sum(axis=1)


def _m_ref(x: np.ndarray, resp: np.ndarray) -> np.ndarray:
    w, m, v, _ = _m_parts(x, resp)
    return np.vstack([w, m, v])


def _m_means_by_n(x: np.ndarray, resp: np.ndarray) -> np.ndarray:
    # every average divided by n: the means, and the variances about those (wrong) means
    w, m, v, nk = _m_parts(x, resp)
    wrong_m = m * nk / len(x)
    return np.vstack([w, wrong_m, nk * (v + (m - wrong_m) ** 2) / len(x)])


def _m_var_by_n(x: np.ndarray, resp: np.ndarray) -> np.ndarray:
    w, m, v, nk = _m_parts(x, resp)
    return np.vstack([w, m, v * nk / len(x)])


def _m_var_by_nk_minus_1(x: np.ndarray, resp: np.ndarray) -> np.ndarray:
    w, m, v, nk = _m_parts(x, resp)
    return np.vstack([w, m, v * nk / (nk - 1.0)])


def _m_weights_nk(x: np.ndarray, resp: np.ndarray) -> np.ndarray:
    _w, m, v, nk = _m_parts(x, resp)
    return np.vstack([nk, m, v])


_SHARES = ([100.0, 90.0], [4.0, 4.0])  # deck 2's companies A and B (means, variances), B at Rs. 90 (E10)


def _share_resp(price: float, weights: list[float]) -> np.ndarray:
    """(γ_A, γ_B) of one price.

    ex7.1's variant gives the price and the point counts (the demo: Rs. 95, 1000 and 800 points).
    """
    return mixture.e_step([float(price)], weights, _SHARES[0], _SHARES[1], "spherical")[0][:, 0]


def _shares(n_a: int, n_b: int) -> list[float]:
    return [n_a / (n_a + n_b), n_b / (n_a + n_b)]


# ---------------------------------------------------------------------------------------------
# ex7.5: π_k by a Lagrange multiplier
# ---------------------------------------------------------------------------------------------


def _lagrange(n_1: float, n_2: float, n: int) -> list[float]:
    """(λ, π_2) of the Lagrangian Σ_i Σ_k γ_ik ln π_k + λ(Σ_k π_k − 1), with n_k = Σ_i γ_ik and n_3 = n − n_1 − n_2.

    π_2 comes from the library's M-step run on n points whose responsibilities sum to those counts; λ
    then follows from the stationarity condition ∂/∂π_2 = n_2/π_2 + λ = 0.
    """
    counts = np.array([n_1, n_2, n - n_1 - n_2], dtype=float)
    resp = np.repeat((counts / n)[:, None], n, axis=1)  # every point shared alike: row sums n_1, n_2, n_3
    weights, _, _ = mixture.m_step(np.arange(float(n)), resp, "spherical", reg_covar=0.0)
    return [-counts[1] / weights[1], float(weights[1])]


# ---------------------------------------------------------------------------------------------
# ex7.6: the decision boundary, and its σ → 0 limit (hard EM)
# ---------------------------------------------------------------------------------------------


def _gamma_1(x: float, pi_1: float, mu_1: float, mu_2: float, sigma: float) -> float:
    """γ_1(x) of a two-component mixture with a common σ, from the library's E-step."""
    resp = mixture.e_step([x], [pi_1, 1.0 - pi_1], [mu_1, mu_2], [sigma**2, sigma**2], "spherical")[0]
    return float(resp[0, 0])


def _boundary_at(pi_1: float, mu_1: float, mu_2: float, sigma: float) -> float:
    """The x where γ_1(x) = ½, found by bisection on the library's responsibilities (no formula used)."""
    span = (mu_2 - mu_1) + 50.0 * sigma
    return float(brentq(lambda x: _gamma_1(x, pi_1, mu_1, mu_2, sigma) - 0.5, mu_1 - span, mu_2 + span, xtol=1e-12))


def _boundary(pi_1: float, mu_1: float, mu_2: float, sigma: float) -> list[float]:
    """(x* at the student's σ, the limit of x* as σ → 0).

    The limit is read off at σ/10⁴, where the shift σ² ln(π_1/π_2)/(μ_2 − μ_1) is 10⁻⁸ of its value at σ.
    """
    return [_boundary_at(pi_1, mu_1, mu_2, sigma), _boundary_at(pi_1, mu_1, mu_2, sigma * 1e-4)]


def _shift(pi_1: float, mu_1: float, mu_2: float, scale: float) -> float:
    return scale * np.log(pi_1 / (1.0 - pi_1)) / (mu_2 - mu_1)


def _with_shift(factor: float, power: int = 2) -> Callable[..., list[float]]:
    """A known mistake of ex7.6: (midpoint + factor · σ^power ln(π_1/π_2)/(μ_2 − μ_1), the midpoint)."""

    def wrong(pi_1: float, mu_1: float, mu_2: float, sigma: float) -> list[float]:
        mid = (mu_1 + mu_2) / 2
        return [mid + factor * _shift(pi_1, mu_1, mu_2, sigma**power), mid]

    return wrong


EXERCISES: dict[str, Value | Choice | Function] = {
    "turn7.1": Function(
        reference=_e_ref,
        cases=_e_cases,
        what="responsibilities of shape (K, n): row k holds γ_1k … γ_nk",
        mistakes=[
            (
                _e_no_weights,
                "your responsibilities ignore the mixing weights π_k: Bayes' rule multiplies each "
                "component's density by its prior before normalising.",
            ),
            (
                _e_sd_as_variance,
                "scipy's norm.pdf takes the standard deviation as its scale argument; you passed the variance σ².",
            ),
            (
                _e_rows_normalised,
                "each column (one point) must sum to 1 over the components; you normalised each "
                "row (one component) over the points.",
            ),
        ],
    ),
    "turn7.2": Function(
        reference=_m_ref,
        cases=_m_cases,
        what="a tuple (weights, means, variances), each of shape (K,)",
        mistakes=[
            (
                _m_means_by_n,
                "you divided the weighted sums by n, the number of points; each component is an "
                "average over its own effective number of points.",
            ),
            (
                _m_var_by_n,
                "your means are right, but your variances are divided by n, the number of points; each "
                "component's variance is an average over its own effective number of points.",
            ),
            (_m_var_by_nk_minus_1, "that is the 'unbiased' divisor: the M-step is maximum likelihood (chapter 4)."),
            (_m_weights_nk, "your weights do not sum to 1: π_k is a share of the points, not a count."),
        ],
    ),
    "ex7.1": Value(
        expected=lambda n_a, n_b, price: float(_share_resp(price, _shares(n_a, n_b))[1]),
        what="a probability",
        mistakes=[
            (
                lambda n_a, n_b, price: float(_share_resp(price, [0.5, 0.5])[1]),
                "you left out the weights: the two companies have different numbers of points.",
            ),
            (
                lambda n_a, n_b, price: float(_share_resp(price, _shares(n_a, n_b))[0]),
                "that is company A's responsibility.",
            ),
            (
                lambda n_a, n_b, price: _shares(n_a, n_b)[1],
                "that is π_B, the prior: the two densities cancel only at Rs. 95, halfway between the means.",
            ),
        ],
        hint="write γ_B with both weighted densities, π_A f(x | 100, 2²) and π_B f(x | 90, 2²).",
    ),
    "ex7.2": Choice(
        answer_digest="a3861eae8e74ac6c4ac23eb9739e2e4beb3079cc3a205ae0581807f885c99361",
        options=["a", "b", "c"],
        hints={
            "a": "compare its ln L with the ln L of the four bumps.",
            "c": "evaluate ln L a little off the point, in the direction (1, 1) and in the direction (1, −1): "
            "is it lower in every direction?",
        },
    ),
    "ex7.3": Choice(
        answer_digest="a3861eae8e74ac6c4ac23eb9739e2e4beb3079cc3a205ae0581807f885c99361",
        options=["a", "b", "c"],
        hints={
            "a": "try it: pass ml.m_step the responsibilities np.vstack([z_bad, 1 - z_bad]).",
            "c": "try it: pass ml.m_step the responsibilities np.vstack([z_bad, 1 - z_bad]).",
        },
    ),
    "ex7.4": Choice(
        answer_digest="7fcdce207e9ca3a008545fffad1dad18cb77532e2807ffcb17d8021ef176cfc1",
        options=["a", "b", "c"],
        hint="hard EM's bias comes from the points it misclassifies: how many heights lie in the overlap now?",
    ),
    "ex7.5": Value(
        expected=_lagrange,
        what="a pair (λ, π_2)",
        mistakes=[
            (
                lambda n_1, n_2, n: [n, n_2 / n],
                "check the sign of λ: ∂/∂π_k gives n_k/π_k + λ = 0, and π_k > 0 needs λ < 0.",
            ),
            (
                lambda n_1, n_2, n: [-n, 1 / 3],
                "π_2 = 1/K ignores the responsibilities: solve n_k/π_k + λ = 0 for π_k.",
            ),
            (
                lambda n_1, n_2, n: [-1.0, n_2],
                "λ = −1 would make the weights sum to n: multiply n_k/π_k + λ = 0 by π_k and sum over k.",
            ),
            (
                lambda n_1, n_2, n: [-n, n_2],
                "your λ is right, but π_2 = −n_2/λ is a share of the points, not a count.",
            ),
        ],
        hint="set ∂/∂π_k of the Lagrangian to zero, multiply by π_k and sum over k to find λ.",
    ),
    "ex7.6": Value(
        expected=_boundary,
        what="a pair (x* at your σ, the limit of x* as σ → 0)",
        rtol=5e-5,
        mistakes=[
            (
                _with_shift(0.0),
                "the midpoint is the limit only: at your σ the weights move the boundary by "
                "σ² ln(π_1/π_2)/(μ_2 − μ_1).",
            ),
            (
                _with_shift(-1.0),
                "check the direction: the heavier component claims more of the line, so the boundary moves "
                "away from it.",
            ),
            (_with_shift(1.0, power=1), "the shift has σ², not σ: the exponents are (x − μ_k)²/(2σ²)."),
            (
                lambda pi_1, mu_1, mu_2, sigma: [_with_shift(1.0)(pi_1, mu_1, mu_2, sigma)[0]] * 2,
                "your x* is right; now let σ → 0 in it: what is left of the shift?",
            ),
            (
                _with_shift(0.5),
                "your shift is half the right one: the exponents are (x − μ_k)²/(2σ²), so the right-hand side "
                "is 2σ² ln(π_1/π_2).",
            ),
            (
                _with_shift(2.0),
                "your shift is twice the right one: (x − μ_1)² − (x − μ_2)² = (μ_2 − μ_1)(2x − μ_1 − μ_2), with 2x, "
                "not x.",
            ),
        ],
        hint="set ln(π_1 f_1(x)) = ln(π_2 f_2(x)); the x² terms cancel, and the equation is linear in x.",
        # x* is about 170 cm: 5 % of it (the library's "close") spans the whole gap between the means, so a
        # "close" answer may come from a wrong formula as well as from rounding
        close_advice="give both to two decimals; if you did, the formula is off, not the rounding: "
        "redo ln π_1 f_1 = ln π_2 f_2",
    ),
}
