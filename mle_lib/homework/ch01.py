"""Exercises of chapter 1, *Likelihood and the idea of a maximum likelihood estimate*.

Every expected value is computed by :mod:`mle_lib` when the check runs; choices are stored as salted
hashes (:func:`mle_lib.homework.digest`).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike

import mle_lib as ml
from mle_lib.homework import Choice, Function, Value


def _lik(flips: str, theta: float | None = None) -> float:
    """L(θ) of a string of flips (turn1.1's variant; the demo: HHTHH), at θ̂ unless ``theta`` is given."""
    x = ml.flips_to_binary(flips)
    return float(ml.bernoulli_likelihood(ml.bernoulli_mle(x) if theta is None else theta, x))


def _integral_14() -> float:
    """∫₀¹ L(θ) dθ for deck 1's fourteen flips, by quadrature of the library's likelihood."""
    from scipy import integrate

    flips = ml.flips_to_binary(ml.FLIPS_14)
    value, _ = integrate.quad(lambda t: float(ml.bernoulli_likelihood(t, flips)), 0.0, 1.0, epsabs=1e-14, epsrel=1e-10)
    return float(value)


def _best_candidate(candidates: ArrayLike, k: int, n: int) -> float:
    """The library's answer to ex1.5: the candidate with the largest binomial log-likelihood."""
    return ml.pick_mle(candidates, lambda p: ml.binomial_loglik(p, k, n))


def _nearest_candidate(candidates: ArrayLike, k: int, n: int) -> float:
    """A known mistake: the candidate nearest to k/n."""
    c = np.asarray(candidates, dtype=float)
    return float(c[np.argmin(np.abs(c - ml.binomial_mle(k, n)))])


def _likelihood_candidate(candidates: ArrayLike, k: int, n: int) -> float:
    """A known mistake: the candidate with the largest likelihood θᵏ(1 − θ)ⁿ⁻ᵏ, computed as a product.

    The product underflows to 0 for every candidate once n is large (argmax then returns the first).
    """
    c = np.asarray(candidates, dtype=float)
    return float(c[np.argmax(c**k * (1 - c) ** (n - k))])


def _candidate_cases(rng: np.random.Generator) -> list[tuple[Any, ...]]:
    """Deck 2's coin, then 23 cases of 2 to 12 candidates and 10 to 6000 flips.

    The best candidate is mostly past the first two. From 1100 flips on, k/n is near ½, so every candidate's likelihood
    θᵏ(1 − θ)ⁿ⁻ᵏ underflows to 0 (only its logarithm can be compared). No two candidates are nearly tied.
    """
    cases: list[tuple[Any, ...]] = [(np.array([0.505, 0.71]), ml.COIN_100_HEADS, ml.COIN_100_FLIPS)]  # deck 2's coin
    sizes = [10, 17, 30, 45, 60, 100, 150, 200, 400, 800, 1000, 1100, 1100, 1200, 1200, 1500, 2000, 2500, 3000]
    sizes += [int(v) for v in rng.integers(1100, 6001, size=4)]
    for i, n in enumerate(sizes):
        while True:
            m = int(rng.integers(2, 13))
            cands = np.round(rng.uniform(0.02, 0.98, size=m), 3)
            k = int(rng.binomial(n, rng.uniform(0.42, 0.58) if n >= 1100 else rng.uniform(0.1, 0.9)))
            if not 0 < k < n or np.unique(cands).size < m:
                continue
            ll = np.sort(ml.binomial_loglik(cands, k, n))
            kernel = k * np.log(cands) + (n - k) * np.log1p(-cands)  # ln θᵏ(1 − θ)ⁿ⁻ᵏ
            if ll[-1] - ll[-2] > 1e-6 and (n < 1100 or kernel.max() < -750):
                break
        best = int(np.argmax(ml.binomial_loglik(cands, k, n)))
        place = 1 if m == 2 else int(rng.integers(2, m)) if i % 4 else int(rng.integers(0, m))
        cands[[best, place]] = cands[[place, best]]
        cases.append((cands, k, n))
    return cases


EXERCISES: dict[str, Value | Choice | Function] = {
    # Your turn, section 2: a likelihood ratio, θ̂ against a fair coin.
    "turn1.1": Value(  # flips: the student's variant (mle_lib.homework.variants_ch01)
        expected=lambda flips: _lik(flips) / _lik(flips, 0.5),
        what="a ratio of two likelihoods (a positive number)",
        mistakes=[
            (
                lambda flips: _lik(flips) - _lik(flips, 0.5),
                "that is the difference of the two likelihoods; 'times as likely' asks for a ratio.",
            ),
            (
                lambda flips: _lik(flips, 0.5) / _lik(flips),
                "that ratio is upside down: it says how likely θ = 0.5 makes the data relative to θ̂.",
            ),
            (
                lambda flips: _lik(flips, 0.8) / _lik(flips, 0.5),
                "that uses HHTHH's θ̂ = 0.8: the MLE of your flips is their own share of heads.",
            ),
        ],
        hint="evaluate L(θ) = θ^n₁ (1 − θ)^n₀ at θ̂ = n₁/n and at θ = 0.5, and divide.",
    ),
    # Your turn, section 3: predict the product of 1000 factors before the cell computes it.
    "turn1.2": Choice(
        answer_digest="a3861eae8e74ac6c4ac23eb9739e2e4beb3079cc3a205ae0581807f885c99361",
        options=["a", "b", "c"],
        hints={
            "a": "how small can a float64 be? Compare the size of L with the smallest positive float64.",
            "c": "a product of numbers below 1 never grows: nothing overflows here.",
        },
    ),
    # Exercise 1: the MLE of a sequence of flips (the student's variant; the demo: TTHTT).
    "ex1.1": Value(
        expected=lambda flips: ml.bernoulli_mle(ml.flips_to_binary(flips)),
        what="a probability θ̂",
        mistakes=[
            (
                lambda flips: 1 - ml.bernoulli_mle(ml.flips_to_binary(flips)),
                "that is the share of tails; θ is the probability of heads.",
            )
        ],
        hint="θ̂ is the share of the flips that are heads.",
    ),
    # Exercise 2: a prediction — which of two candidates is the MLE for 61 heads in 100 flips?
    "ex1.2": Choice(
        answer_digest="d0d40f40fcebffc0c83d6c9a01aae7efc934bb83ff6d260c98cf8161a48e7b53",
        options=["0.505", "0.71"],
        hints={
            "0.71": "being nearer to θ̂ is a good guess, not a rule: compare ln L at the two candidates.",
        },
    ),
    # Exercise 3: the median's consistency study on Laplace data; what does n · Var(median) do?
    "ex1.3": Choice(
        answer_digest="24757b84ba41903c1ebbc68d88f9e47641498b5640bbe2b7823188c4db252555",
        options=["a", "b", "c", "d"],
        hints={
            "a": "n · Var would go to 0 only if the variance fell faster than 1/n: look at your table.",
            "b": "that is the mean's n · Var(x̄), the Laplace variance 2: look at your table.",
            "c": "that is the normal case of section 4.3; look at your table for the Laplace's.",
        },
    ),
    # Exercise 4: a derivation entered as a value — the area under deck 1's 14-flip likelihood.
    "ex1.4": Value(
        expected=_integral_14,
        what="a number (the area under L)",
        rtol=5e-3,
        atol=0.0,
        mistakes=[(lambda: 1.0, "a likelihood is not a probability distribution over θ: its area need not be 1.")],
        hint="write L(θ) for 5 heads and 9 tails and integrate it over [0, 1] (a Beta integral).",
    ),
    # Exercise 5: code to write — the MLE among a few candidates.
    "ex1.5": Function(
        reference=_best_candidate,
        cases=_candidate_cases,
        what="one of the candidates (a number)",
        mistakes=[
            (
                _nearest_candidate,
                "you returned the candidate nearest to k/n: compare the log-likelihoods of the candidates instead.",
            ),
            (
                _likelihood_candidate,
                "you compared likelihoods: with many flips each one underflows to 0 and they all tie; compare "
                "log-likelihoods.",
            ),
        ],
    ),
}
