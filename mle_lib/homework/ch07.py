"""Exercises of chapter 7 (EM for a mixture of two Gaussians in one dimension).

The student writes the E-step (responsibilities, component-major (K, N)) and the M-step (τ, μ, σ²) of
1-D EM; both are run against :func:`mle_lib.e_step` and :func:`mle_lib.m_step` on fresh random cases.
Known mistakes (weights left out, the standard deviation confused with the variance, dividing by N
instead of N_k, …) are computed from the library, never stored.
"""

from __future__ import annotations

from typing import Any

import numpy as np

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
    joint = resp * np.exp(mixture.mixture_logpdf(x, weights, means, variances, "spherical"))  # τ_j f_j(x_i)
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
    # every average divided by N: the means, and the variances about those (wrong) means
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
    """(γ_A, γ_B) of one price; ex7.1's variant gives the price and the point counts (the demo: Rs. 95, 1000
    and 800 points)."""
    return mixture.e_step([float(price)], weights, _SHARES[0], _SHARES[1], "spherical")[0][:, 0]


def _shares(n_a: int, n_b: int) -> list[float]:
    return [n_a / (n_a + n_b), n_b / (n_a + n_b)]


EXERCISES: dict[str, Value | Choice | Function] = {
    "turn7.1": Function(
        reference=_e_ref,
        cases=_e_cases,
        what="responsibilities of shape (K, N): row j holds γ_1j … γ_Nj",
        mistakes=[
            (
                _e_no_weights,
                "your responsibilities ignore the mixing weights τ_j: Bayes' rule multiplies each "
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
                "you divided the weighted sums by N, the number of points; each component is an "
                "average over its own effective number of points.",
            ),
            (
                _m_var_by_n,
                "your means are right, but your variances are divided by N, the number of points; each "
                "component's variance is an average over its own effective number of points.",
            ),
            (_m_var_by_nk_minus_1, "that is the 'unbiased' divisor: the M-step is maximum likelihood (chapter 4)."),
            (_m_weights_nk, "your weights do not sum to 1: τ_j is a share of the points, not a count."),
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
                "that is τ_B, the prior: the two densities cancel only at Rs. 95, halfway between the means.",
            ),
        ],
        hint="write γ_B with both weighted densities, τ_A f(x | 100, 2²) and τ_B f(x | 90, 2²).",
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
}
