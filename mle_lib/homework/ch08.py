"""Exercises of chapter 8 (Gaussian mixtures in several dimensions).

The student writes the Σ_k update of the full-covariance M-step, run against
``mle_lib.m_step(X, resp, "full", reg_covar=0)`` on fresh random cases. The other exercises are two small
investigations on Old Faithful: EM from random starts (``init_params="random"``) and the tolerance it needs
(ex8.1 – ex8.3), and the BIC difference between the raw and the standardised data for each covariance type
(ex8.4, ex8.5). The values those checks compare with are computed by the library when the check runs (each
takes a second or two). Two derivations are checked through the function a student writes from them: the
number of free parameters per covariance type (ex8.6, against the count ``GaussianMixture.n_parameters`` uses
for BIC) and the M-step of a tied covariance (ex8.7, against ``mle_lib.m_step(X, resp, "tied", reg_covar=0)``).
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np

from mle_lib import _mixture_numerics, datasets, mixture
from mle_lib._covariance_types import covariance_unit
from mle_lib.gaussian_mixture import GaussianMixture, select_n_components
from mle_lib.homework import Choice, Function, Value

# ---------------------------------------------------------------------------------------------
# turn8.1: the Σ_k update
# ---------------------------------------------------------------------------------------------


def _sigma_cases(rng: np.random.Generator) -> list[tuple[Any, ...]]:
    """24 cases (X, resp, old_means), resp from an E-step at random parameters whose means are old_means.

    K = 2 … 5 components (mostly more than 2), D = 2 … 4 dimensions, 12 of 3D + 4 … 24 points and 12 of 41 … 800 points.
    """
    out = []
    for i, K in enumerate([2, 2, 3, 3, 4, 5, *(int(v) for v in rng.integers(3, 6, size=18))]):
        D = int(rng.integers(2, 5))
        N = int(rng.integers(41, 801)) if i % 2 else int(rng.integers(3 * D + 4, 25))
        X = rng.normal(0.0, 2.0, (N, D))
        old_means = rng.normal(0.0, 1.5, (K, D))
        covs = np.array([np.eye(D) * rng.uniform(1.0, 3.0) for _ in range(K)])
        resp, _ = mixture.e_step(X, rng.dirichlet(np.full(K, 2.0)), old_means, covs, "full")
        out.append((X, resp, old_means))
    return out


def _sigma_parts(X: np.ndarray, resp: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    _w, m, c = mixture.m_step(X, resp, "full", reg_covar=0.0)
    return m, c, np.asarray(resp).sum(axis=1)


def _sigma_ref(X: np.ndarray, resp: np.ndarray, old_means: np.ndarray) -> np.ndarray:
    return _sigma_parts(X, resp)[1]


def _sigma_by_n(X: np.ndarray, resp: np.ndarray, old_means: np.ndarray) -> np.ndarray:
    _m, c, nk = _sigma_parts(X, resp)
    return c * (nk / X.shape[0])[:, None, None]


def _sigma_by_nk_minus_1(X: np.ndarray, resp: np.ndarray, old_means: np.ndarray) -> np.ndarray:
    _m, c, nk = _sigma_parts(X, resp)
    return c * (nk / (nk - 1.0))[:, None, None]


def _sigma_old_mean(X: np.ndarray, resp: np.ndarray, old_means: np.ndarray) -> np.ndarray:
    # the scatter about a point a is the scatter about the weighted mean plus (μ_k − a)(μ_k − a)ᵀ
    m, c, _nk = _sigma_parts(X, resp)
    d = m - np.asarray(old_means)
    return c + np.einsum("ki,kj->kij", d, d)


def _unweighted(X: np.ndarray, resp: np.ndarray, divide_by_nk: bool) -> np.ndarray:
    # Σ_n (x_n − μ_k)(x_n − μ_k)ᵀ over ALL points (no γ), divided by N or by N_k
    m, _c, nk = _sigma_parts(X, resp)
    N = X.shape[0]
    _, xbar, s_all = mixture.m_step(X, np.ones((1, N)), "full", reg_covar=0.0)
    d = m - xbar[0]
    out = s_all[0] + np.einsum("ki,kj->kij", d, d)
    return out * (N / nk)[:, None, None] if divide_by_nk else out


# ---------------------------------------------------------------------------------------------
# ex8.1 – ex8.5, measured on Old Faithful when the check runs
# ---------------------------------------------------------------------------------------------

_TOLS = (1e-3, 1e-4, 1e-5, 1e-6, 1e-7, 1e-8)
_SEEDS = range(10)


def _faithful_z() -> np.ndarray:
    X = datasets.load_old_faithful()
    return (X - X.mean(axis=0)) / X.std(axis=0)


def _all_random_starts_reach(Z: np.ndarray, tol: float, best: float) -> bool:
    return all(
        GaussianMixture(2, init_params="random", tol=tol, max_iter=5000, random_state=s).fit(Z).score(Z) > best - 0.01
        for s in _SEEDS
    )


def _largest_tol_reaching() -> float:
    """The largest tol of _TOLS at which EM from every random start reaches the two-cluster fit; nan if none.

    The starts are init_params="random", random_state=0…9; reaching the fit means ln p/N within 0.01 of the best.
    """
    Z = _faithful_z()
    best = GaussianMixture(2, tol=1e-8, max_iter=1000, random_state=0).fit(Z).score(Z)
    for tol in _TOLS:
        if _all_random_starts_reach(Z, tol, best):
            return tol
    return float("nan")


def _first_k_off_constant(covariance_type: str = "full", k_max: int = 6) -> float:
    """The smallest K ≤ k_max at which the BIC's change of units stops being 2N ln(sd₁ sd₂); 0 if none.

    That is, BIC(raw minutes) − BIC(standardised) differs from 2N ln(sd₁ sd₂) by more than 0.01, with
    select_n_components(..., random_state=0, n_init=3) as the exercise asks.
    """
    X = datasets.load_old_faithful()
    Z = (X - X.mean(axis=0)) / X.std(axis=0)
    const = 2 * X.shape[0] * np.log(np.prod(X.std(axis=0)))
    for k in range(1, k_max + 1):
        bz = select_n_components(Z, [k], [covariance_type], random_state=0, n_init=3)["bic"][0]
        bx = select_n_components(X, [k], [covariance_type], random_state=0, n_init=3)["bic"][0]
        if abs(bx - bz - const) > 0.01:
            return float(k)
    return 0.0


# ---------------------------------------------------------------------------------------------
# ex8.6: the number of free parameters, by covariance type
# ---------------------------------------------------------------------------------------------

_TYPES = ("full", "tied", "diag", "spherical")


def _count_cases(rng: np.random.Generator) -> list[tuple[Any, ...]]:
    """24 cases (covariance_type, d, K): each type six times, d from 1 to 80, K from 1 to 12.

    The first cases are small (d = 2, K = 2 or 3, as on Old Faithful), the others random.
    """
    out: list[tuple[Any, ...]] = [(ct, 2, 2) for ct in _TYPES] + [(ct, 3, 3) for ct in _TYPES]
    for i in range(16):
        out.append((_TYPES[i % 4], int(rng.integers(1, 81)), int(rng.integers(1, 13))))
    return out


def _count_ref(covariance_type: str, d: int, K: int) -> int:
    # the count BIC and AIC use (GaussianMixture.n_parameters), from the covariance type's unit: no model needed
    return _mixture_numerics.n_parameters(covariance_unit(covariance_type), K, d)


def _count_k_weights(covariance_type: str, d: int, K: int) -> int:
    return _count_ref(covariance_type, d, K) + 1


def _count_d_squared(covariance_type: str, d: int, K: int, which: tuple[str, ...] = ("full", "tied")) -> int:
    """d² entries per symmetric matrix instead of d(d + 1)/2, for the types in ``which``."""
    extra = {"full": K * d * (d - 1) // 2, "tied": d * (d - 1) // 2}.get(covariance_type, 0)
    return _count_ref(covariance_type, d, K) + (extra if covariance_type in which else 0)


def _count_tied_per_component(covariance_type: str, d: int, K: int) -> int:
    extra = (K - 1) * d * (d + 1) // 2 if covariance_type == "tied" else 0
    return _count_ref(covariance_type, d, K) + extra


def _count_one_variance(covariance_type: str, d: int, K: int) -> int:
    return _count_ref(covariance_type, d, K) - (K - 1 if covariance_type == "spherical" else 0)


def _count_no_means(covariance_type: str, d: int, K: int) -> int:
    return _count_ref(covariance_type, d, K) - K * d


def _count_off_diagonal_only(covariance_type: str, d: int, K: int) -> int:
    """d(d − 1)/2 per symmetric matrix: the off-diagonal pairs counted, the d variances on the diagonal left out."""
    lost = {"full": K * d, "tied": d}.get(covariance_type, 0)
    return _count_ref(covariance_type, d, K) - lost


# ---------------------------------------------------------------------------------------------
# ex8.7: the M-step of a tied covariance
# ---------------------------------------------------------------------------------------------


def _tied_cases(rng: np.random.Generator) -> list[tuple[Any, ...]]:
    """24 cases (X, resp), resp from an E-step at random parameters (columns sum to 1).

    K = 2 … 5, d = 1 … 4, 12 cases of 3d + 4 … 30 points and 12 of 41 … 800, with unequal weights (so equal-weight
    averaging is wrong).
    """
    out = []
    for i in range(24):
        K, d = int(rng.integers(2, 6)), int(rng.integers(1, 5))
        n = int(rng.integers(41, 801)) if i % 2 else int(rng.integers(3 * d + 4, 31))
        X = rng.normal(0.0, 2.0, (n, d)) + rng.normal(0.0, 3.0, d)
        means = X[rng.choice(n, K, replace=False)]
        covs = np.array([np.eye(d) * rng.uniform(0.5, 3.0) for _ in range(K)])
        resp, _ = mixture.e_step(X, rng.dirichlet(np.full(K, 1.0)), means, covs, "full")
        out.append((X, resp))
    return out


def _tied_ref(X: np.ndarray, resp: np.ndarray) -> np.ndarray:
    return mixture.m_step(X, resp, "tied", reg_covar=0.0)[2]


def _tied_equal_weights(X: np.ndarray, resp: np.ndarray) -> np.ndarray:
    return mixture.m_step(X, resp, "full", reg_covar=0.0)[2].mean(axis=0)


def _tied_not_divided(X: np.ndarray, resp: np.ndarray) -> np.ndarray:
    return _tied_ref(X, resp) * np.asarray(X).shape[0]


def _tied_sum_of_covariances(X: np.ndarray, resp: np.ndarray) -> np.ndarray:
    return mixture.m_step(X, resp, "full", reg_covar=0.0)[2].sum(axis=0)


def _tied_one_gaussian(X: np.ndarray, resp: np.ndarray) -> np.ndarray:
    n = np.asarray(X).shape[0]
    return mixture.m_step(X, np.ones((1, n)), "full", reg_covar=0.0)[2][0]


#: One message for every wrong power of ten: a hint per value would bracket the answer.
_WRONG_TOL = (
    "fit all ten starts at each of the six tols and find the largest at which every one reaches the two-cluster fit."
)

EXERCISES: dict[str, Value | Choice | Function] = {
    "turn8.1": Function(
        reference=_sigma_ref,
        cases=_sigma_cases,
        what="covariances of shape (K, d, d)",
        mistakes=[
            (
                _sigma_by_n,
                "you divided by n, the number of points; each component's covariance is an average "
                "over its own effective number of points.",
            ),
            (_sigma_by_nk_minus_1, "you divided by n_k − 1; the MLE divides by n_k."),
            (
                _sigma_old_mean,
                "your scatter is taken about the old means, the ones the E-step used; the M-step "
                "uses the means it has just updated.",
            ),
            (
                lambda X, r, m: _unweighted(X, r, True),
                "every point counts fully in your covariance: weight each point's outer product by its responsibility.",
            ),
            (
                lambda X, r, m: _unweighted(X, r, False),
                "every point counts fully in your covariance: weight each point's outer product by its responsibility.",
            ),
        ],
    ),
    "ex8.1": Choice(  # prediction: how many of ten random starts reach the two-cluster fit
        answer_digest="7fcdce207e9ca3a008545fffad1dad18cb77532e2807ffcb17d8021ef176cfc1",
        options=["a", "b", "c"],
        hint="a prediction is fine to get wrong: read the table above, and explain it in ex8.2.",
    ),
    "ex8.2": Choice(  # what the random starts stop on
        answer_digest="7fcdce207e9ca3a008545fffad1dad18cb77532e2807ffcb17d8021ef176cfc1",
        options=["a", "b", "c", "d"],
        hint="compare their ln p/n with the two fits printed above the table, and look at their means and weights.",
    ),
    "ex8.3": Value(
        expected=_largest_tol_reaching,
        what="a tolerance (a power of 10)",
        precision_phrase="exactly, as one of the six values tried, such as 1e-4",
        close_advice="give one of the six powers of ten",
        mistakes=[(functools.partial(float, tol), _WRONG_TOL) for tol in _TOLS],
        hint="fit with each tol in turn and look at all ten starts' ln p/n.",
    ),
    "ex8.6": Function(
        reference=_count_ref,
        cases=_count_cases,
        what="a whole number of parameters",
        rtol=0.0,
        atol=0.5,
        mistakes=[
            (_count_k_weights, "your count has K free weights; they must sum to 1, so only K − 1 are free."),
            *(
                (
                    functools.partial(_count_d_squared, which=which),
                    "a covariance matrix is symmetric: entry (i, j) equals entry (j, i), so count each pair once.",
                )
                for which in (("full", "tied"), ("full",), ("tied",))
            ),
            (_count_tied_per_component, "a tied covariance is one matrix shared by all K components: count it once."),
            (_count_one_variance, "a spherical model gives each component its own variance σ_k²: K of them."),
            (_count_no_means, "your count leaves out the means: each component has its own mean vector of d numbers."),
            (
                _count_off_diagonal_only,
                "the d variances on the diagonal are free parameters too, beside the pairs (i, j) above it.",
            ),
        ],
    ),
    "ex8.7": Function(
        reference=_tied_ref,
        cases=_tied_cases,
        what="one covariance of shape (d, d)",
        mistakes=[
            (
                _tied_equal_weights,
                "you averaged the components' covariances with equal weights 1/K; in the derivative each "
                "component's scatter counts with its responsibilities, so a component weighs by n_k.",
            ),
            (_tied_sum_of_covariances, "you added up the components' covariances: weight them, and divide by n."),
            (
                _tied_not_divided,
                "that is the pooled scatter itself: set the derivative to zero and divide by the coefficient of Σ.",
            ),
            (
                _tied_one_gaussian,
                "that is the covariance of all the data about one mean: each point's scatter is about its "
                "component's mean μ_k.",
            ),
        ],
    ),
    "ex8.4": Choice(  # which covariance types keep the constant, at which K, and why
        answer_digest="a3861eae8e74ac6c4ac23eb9739e2e4beb3079cc3a205ae0581807f885c99361",
        options=["a", "b", "c", "d"],
        hints={
            "a": "that is what the theory alone says; now read your table row by row, at every K.",
            "c": "read your table at K = 1 for full, tied and diag.",
            "d": "read your table: is the spherical row ever the constant?",
        },
    ),
    "ex8.5": Value(
        expected=_first_k_off_constant,
        what="a number of components K",
        integer=True,
        mistakes=[
            (lambda: 0.0, "read the row of full covariances again: is it within 0.01 of 0 at every K up to 6?"),
            (lambda: 1.0, "at K = 1 full covariances keep the constant (to 0.01); look further."),
        ],
        hint="print BIC(X) − BIC(Z) − 2n ln(sd₁ sd₂) for full covariances at each K.",
        rtol=0.0,
        atol=1e-9,
    ),
}
