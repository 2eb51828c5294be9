"""Exercises of chapter 2, *Bernoulli and binomial MLEs*.

The students implement the chapter's core here: the Bernoulli and binomial log-likelihoods (ex2.4,
ex2.5, compared **by value** with :func:`mle_lib.bernoulli_loglik` / :func:`mle_lib.binomial_loglik`, so the
binomial coefficients count) and the binomial maximiser (ex2.6, compared with :func:`mle_lib.binomial_mle`,
where the coefficients do not matter). Every expected value is computed by :mod:`mle_lib` when the check
runs; choices are stored as salted hashes (:func:`mle_lib.homework.digest`).
"""

from __future__ import annotations

import math
from types import ModuleType
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

import mle_lib as ml
from mle_lib.homework import Choice, Function, Value


# ---- shared data ------------------------------------------------------------------------------------------
def _flips14() -> np.ndarray:
    return ml.flips_to_binary(ml.FLIPS_14)


def _second_day(flips: int, heads: int) -> np.ndarray:
    """turn2.1's extra flips (the student's variant), or ex2.3's coin, as a sample of 1s and 0s.

    The demo: 6 heads in 10 for turn2.1, 5 heads in deck 1's 14 for ex2.3. The order does not matter: the count is
    sufficient.
    """
    return np.r_[np.ones(heads, dtype=int), np.zeros(flips - heads, dtype=int)]


def _ln_comb(successes: np.ndarray, n_trials: int) -> float:
    return float(sum(math.lgamma(n_trials + 1) - math.lgamma(k + 1) - math.lgamma(n_trials - k + 1) for k in successes))


# ---- the students' functions: cases and known mistakes ----------------------------------------------------
#: Likelihoods below e⁻⁷⁵⁰ underflow to 0 in float64 (the smallest positive float64 is about e⁻⁷⁴⁴).
_UNDERFLOW = -750.0


def _bernoulli_cases(rng: np.random.Generator) -> list[tuple[Any, ...]]:
    """24 samples, each with a head and a tail: 12 of 3 to 30 flips, 12 of 1100 to 6000 flips.

    On the long ones the likelihood L(θ) itself underflows to 0 (only ln L can be computed).
    """
    cases = []
    sizes = [int(v) for v in rng.integers(3, 31, size=12)] + [1100, 1100, 1200, 1500, 2000, 3000, 6000]
    sizes += [int(v) for v in rng.integers(1100, 6001, size=5)]
    for n in sizes:
        while True:
            long = n >= 1100
            x = (rng.random(n) < rng.uniform(0.4, 0.6) if long else rng.random(n) < rng.uniform(0.2, 0.8)).astype(int)
            x[:2] = 1, 0  # at least one head and one tail
            rng.shuffle(x)
            theta = float(np.round(rng.uniform(0.4, 0.6) if long else rng.uniform(0.05, 0.95), 3))
            if not long or ml.bernoulli_loglik(theta, x) < _UNDERFLOW:
                break
        cases.append((theta, x))
    return cases


def _bernoulli_swapped(theta: float, x: ArrayLike) -> float | np.ndarray:
    """Known mistake: heads and tails swapped, n₁ ln(1 − θ) + n₀ ln θ."""
    return ml.bernoulli_loglik(1 - theta, x)


def _bernoulli_not_logged(theta: float, x: ArrayLike) -> float | np.ndarray:
    """Known mistake: L(θ), not ln L(θ)."""
    return ml.bernoulli_likelihood(theta, x)


def _binomial_cases(rng: np.random.Generator) -> list[tuple[Any, ...]]:
    """24 cases: 12 of 1 to 7 experiments of 2 to 24 trials, and 12 large ones.

    The large ones (300 to 3000 experiments, or 20 to 50 experiments of 500 to 5000 trials) are those on which the
    product of the probabilities underflows to 0.
    """
    cases = []
    for i in range(24):
        while True:
            if i < 12:
                n_trials, size = int(rng.integers(2, 25)), int(rng.integers(1, 8))
            elif i < 20:
                n_trials, size = int(rng.integers(2, 61)), int(rng.integers(300, 3001))
            else:
                n_trials, size = int(rng.integers(500, 5001)), int(rng.integers(20, 51))
            p = float(np.round(rng.uniform(0.05, 0.95), 3))
            successes = rng.binomial(n_trials, rng.uniform(0.2, 0.8), size=size)
            successes[0] = max(1, min(successes[0], n_trials - 1))  # some, not all: ln C(n, k) > 0
            if i < 12 or ml.binomial_loglik(p, successes, n_trials) < _UNDERFLOW:
                break
        cases.append((p, successes, n_trials))
    return cases


def _binomial_no_coefficient(p: float, successes: ArrayLike, n_trials: int) -> float | np.ndarray:
    """Known mistake: ln L without Σ ln C(n, kᵢ) (right maximiser, wrong value)."""
    return ml.binomial_loglik(p, successes, n_trials) - _ln_comb(np.asarray(successes), n_trials)


def _binomial_slide_e6(p: float, successes: ArrayLike, n_trials: int) -> float | np.ndarray:
    """Known mistake: deck 2's printed failures term (Σxᵢ) ln(1 − p) (erratum E6), coefficients kept."""
    x = np.asarray(successes, dtype=float)
    return _ln_comb(x.astype(int), n_trials) + x.sum() * (np.log(p) + np.log1p(-p))


def _mle_cases(rng: np.random.Generator) -> list[tuple[Any, ...]]:
    """24 cases: 12 of 2 to 7 experiments, 12 of 41 to 3000 experiments, each of 2 to 49 trials."""
    cases = []
    for i in range(24):
        n_trials = int(rng.integers(2, 25 if i < 12 else 50))
        size = int(rng.integers(2, 8)) if i < 12 else int(rng.integers(41, 3001))
        successes = rng.binomial(n_trials, rng.uniform(0.1, 0.9), size=size)
        successes[-1] = int(rng.integers(0, n_trials + 1))
        cases.append((successes, n_trials))
    return cases


def _mle_failures(successes: ArrayLike, n_trials: int) -> float:
    return 1 - ml.binomial_mle(successes, n_trials)


def _mle_mean_count(successes: ArrayLike, n_trials: int) -> float:
    return ml.binomial_mle(successes, n_trials) * n_trials


def _mle_last_over_n_experiments(successes: ArrayLike, n_trials: int) -> float:
    return np.asarray(successes)[-1] / np.asarray(successes).size


def _mle_over_n_squared(successes: ArrayLike, n_trials: int) -> float:
    size = np.asarray(successes).size
    return ml.binomial_mle(successes, n_trials) * n_trials / size


EXERCISES: dict[str, Value | Choice | Function] = {
    # Your turn, section 2: pool a second day of flips with deck 1's fourteen.
    "turn2.1": Value(
        expected=lambda **day: ml.bernoulli_mle(np.r_[_flips14(), _second_day(**day)]),
        what="a probability θ̂",
        mistakes=[
            (
                lambda **day: (ml.bernoulli_mle(_flips14()) + ml.bernoulli_mle(_second_day(**day))) / 2,
                "that averages the two days' estimates, which weighs your second day like deck 1's 14 flips: the "
                "likelihood of all the flips is one product, so pool them.",
            ),
            (
                lambda **day: 1 - ml.bernoulli_mle(np.r_[_flips14(), _second_day(**day)]),
                "that is the share of tails; θ is the probability of heads.",
            ),
        ],
        hint="write L(θ) for all the flips of both days and maximise it.",
    ),
    # Exercise 1: eight flips, no heads.
    "ex2.1": Value(
        expected=lambda: ml.bernoulli_mle([0] * 8),
        what="a probability θ̂",
        atol=1e-6,
        mistakes=[
            (
                lambda: (0 + 1) / (8 + 2),
                "that is Laplace's rule of succession, a Bayesian estimate; the MLE trusts the sample alone.",
            ),
            (lambda: 1 - ml.bernoulli_mle([0] * 8), "that is the share of tails; θ is the probability of heads."),
        ],
        hint="L(θ) = (1 − θ)⁸: where on [0, 1] is it largest?",
    ),
    # Exercise 2: three binomial experiments of 5 trials, by hand.
    "ex2.2": Value(  # counts, trials: the student's variant (mle_lib.homework.variants_ch02)
        expected=lambda counts, trials: ml.binomial_mle(counts, trials),
        what="a probability θ̂",
        mistakes=[
            (
                lambda counts, trials: counts[-1] / len(counts),
                "that is deck 2's last line x_N/N (erratum E6): it keeps only the last experiment and is not "
                "even a probability.",
            ),
            (
                lambda counts, trials: sum(counts) / len(counts) ** 2,
                "that divides by N twice (deck 2's middle expression) and never by the trials per experiment.",
            ),
            (
                lambda counts, trials: ml.binomial_mle(counts, trials) * trials,
                "that is the average count x̄ per experiment: divide by the trials per experiment too.",
            ),
            (lambda counts, trials: 1 - ml.binomial_mle(counts, trials), "that is the share of failures."),
        ],
        hint="pool the experiments: all successes over all trials.",
    ),
    # Exercise 3: the 95 % Wald interval for a coin (the student's variant; the demo: deck 1's 14 flips).
    "ex2.3": Value(
        expected=lambda **coin: _numerical_wald(**coin),
        what="a pair (low, high)",
        rtol=5e-3,
        unordered=True,
        mistakes=[
            (
                lambda **coin: _wald(1.0, **coin),
                "that is θ̂ ± one standard error, a 68 % interval: a 95 % interval reaches further.",
            ),
            (
                lambda **coin: _wald(1.959964, **coin, n=1),
                "your standard error uses n = 1: the information grows with the number of flips.",
            ),
        ],
        hint="θ̂ ± 1.96 · se, with se = 1/√(observed information) at θ̂.",
    ),
    # Exercise 4: code — the Bernoulli log-likelihood, compared by value with ml.bernoulli_loglik.
    "ex2.4": Function(
        reference=lambda theta, x: ml.bernoulli_loglik(theta, x),
        cases=_bernoulli_cases,
        what="a number ln L(θ)",
        mistakes=[
            (_bernoulli_swapped, "you swapped heads and tails: θ goes with the ones (heads), 1 − θ with the zeros."),
            (_bernoulli_not_logged, "that is L(θ) itself: return its logarithm, a sum of logs."),
        ],
    ),
    # Exercise 5: code — the binomial log-likelihood, compared by VALUE (coefficients included).
    "ex2.5": Function(
        reference=lambda p, successes, n_trials: ml.binomial_loglik(p, successes, n_trials),
        cases=_binomial_cases,
        what="a number ℓ(θ) = ln L(θ)",
        mistakes=[
            (
                _binomial_no_coefficient,
                "you left out the binomial coefficients Σ ln C(n, kᵢ). They do not move the maximum, but this "
                "exercise compares the value of ln L, which includes them (math.lgamma(m + 1) is ln m!).",
            ),
            (
                _binomial_slide_e6,
                "your failures term is deck 2's printed (Σxᵢ) ln(1 − p) (erratum E6): each experiment has "
                "n − xᵢ failures.",
            ),
        ],
    ),
    # Exercise 6: code — the binomial maximiser, compared with ml.binomial_mle (coefficients irrelevant).
    "ex2.6": Function(
        reference=lambda successes, n_trials: ml.binomial_mle(successes, n_trials),
        cases=_mle_cases,
        what="a probability θ̂",
        mistakes=[
            (_mle_failures, "that is the share of failures (tails); θ is the probability of a success."),
            (_mle_mean_count, "that is the average count x̄ per experiment: divide by the trials per experiment too."),
            (_mle_last_over_n_experiments, "that is deck 2's last line x_N/N (erratum E6): use every experiment."),
            (_mle_over_n_squared, "that divides by N twice (deck 2's middle expression) and never by n."),
        ],
    ),
    # Exercise 7: a prediction — double the flips, same share of heads: the standard error is multiplied by?
    "ex2.7": Choice(
        answer_digest="a3861eae8e74ac6c4ac23eb9739e2e4beb3079cc3a205ae0581807f885c99361",
        options=["a", "b", "c", "d"],
        hints={
            "a": "the information doubles, and the standard error is one over its square root.",
            "c": "more data pins θ down better, not worse.",
            "d": "more data pins θ down better: the curvature of ln L grows with n.",
        },
    ),
}


def _stats() -> ModuleType:
    from scipy import stats

    return stats


def _numerical_wald(flips: int, heads: int) -> tuple[float, float]:
    """ex2.3's 95 % Wald interval for ``heads`` in ``flips``, from the library's numerical fit."""
    fit = ml.numerical_mle(_stats().bernoulli, _second_day(flips, heads), fixed={"loc": 0})
    return fit.wald_ci(0.95)["p"]


def _wald(z: float, flips: int, heads: int, n: int | None = None) -> tuple[float, float]:
    """θ̂ ± z · se for ex2.3's coin, with the information of ``n`` flips (all of them by default)."""
    x = _second_day(flips, heads)
    theta = ml.bernoulli_mle(x)
    info = ml.fisher_information("bernoulli", theta, n=x.size if n is None else n)
    se = 1 / math.sqrt(info)
    return theta - z * se, theta + z * se
