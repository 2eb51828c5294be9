"""Exercises of chapter 3, *The Poisson rate*.

The chapter's day of 24 hourly counts is the first draw of its seeded generator,
``np.random.default_rng(2023).poisson(2.0, size=24)``; :func:`_day` redraws it so that nothing about the
data is stored here either. Every expected value is computed by :mod:`mle_lib` when the check runs;
choices are stored as salted hashes (:func:`mle_lib.homework.digest`).
"""

from __future__ import annotations

from typing import Any

import numpy as np

import mle_lib as ml
from mle_lib.homework import Choice, Function, Value


def _day() -> np.ndarray:
    """The chapter's simulated day: 24 hourly email counts (seed 2023, λ = 2)."""
    return np.random.default_rng(2023).poisson(2.0, size=24)


def _score(lam: float) -> float:
    """d ln L/dλ = −n + Σxᵢ/λ for the day at ``lam``, with Σxᵢ = n·λ̂ from the library.

    ``lam`` is turn3.1's variant; the demo: λ = 1.
    """
    counts = _day()
    return counts.size * ml.poisson_mle(counts) / lam - counts.size


def _all_quiet(lam: float, hours: int) -> float:
    """ex3.2: the probability that ``hours`` independent hours at rate ``lam`` are all quiet.

    The student's variant; the demo: λ = 0.2, n = 5.
    """
    return float(ml.poisson_likelihood(lam, np.zeros(hours, dtype=int)))


def _loglik_cases(rng: np.random.Generator) -> list[tuple[Any, ...]]:
    """24 cases: 12 of 3 to 29 hours, 12 of 1000 to 6000 hours (with a quiet hour).

    On the long ones the product of the probabilities underflows to 0 (below e⁻⁷⁵⁰).
    """
    cases = []
    for i in range(24):
        while True:
            size = int(rng.integers(3, 30)) if i < 12 else int(rng.integers(1000, 6001))
            counts = rng.poisson(rng.uniform(0.5, 6.0), size=size)
            counts[0] = max(int(counts[0]), 3)  # one count ≥ 2, so the factorial term is not 0
            if i >= 12:
                counts[1] = 0  # a quiet hour
            lam = float(np.round(rng.uniform(0.3, 6.0), 3))
            if i < 12 or ml.poisson_loglik(lam, counts) < -750.0:
                break
        cases.append((lam, counts))
    return cases


def _log_factorials(counts: np.ndarray) -> float:
    from scipy import special

    return float(special.gammaln(np.asarray(counts) + 1.0).sum())


def _loglik_no_factorials(lam: float, counts: np.ndarray) -> float | np.ndarray:
    """Known mistake: the term −Σ ln xᵢ! left out."""
    return ml.poisson_loglik(lam, counts) + _log_factorials(counts)


def _loglik_slide(lam: float, counts: np.ndarray) -> float | np.ndarray:
    """Known mistake: deck 2's −ln Πxᵢ in place of −Σ ln xᵢ! (erratum E7); +inf when a count is 0."""
    with np.errstate(divide="ignore"):
        return _loglik_no_factorials(lam, counts) - float(np.sum(np.log(np.asarray(counts, dtype=float))))


EXERCISES: dict[str, Value | Choice | Function] = {
    # Your turn, after the derivation: the slope of ln L at a given λ (the student's variant; the demo: λ = 1).
    "turn3.1": Value(
        expected=lambda lam: _score(lam),
        what="a number (the slope of ln L)",
        mistakes=[
            (
                lambda lam: _score(lam) + _day().size,
                "you left out the derivative of the term −nλ.",
            ),
            (
                lambda lam: -_score(lam),
                "the sign is flipped: below λ̂ the log-likelihood is still rising, above it falling.",
            ),
        ],
        hint="differentiate ln L(λ) = −nλ + Σxᵢ ln λ − Σ ln xᵢ! and put in the day's counts and your λ.",
    ),
    # Your turn, a prediction before the quiet day: what does numerical_mle do on 24 zeros?
    "turn3.2": Choice(
        answer_digest="a3861eae8e74ac6c4ac23eb9739e2e4beb3079cc3a205ae0581807f885c99361",
        options=["a", "b", "c"],
        hints={
            "a": "every λ ≥ 0 gives the zeros a finite log-likelihood: there is a best one to find.",
            "c": "ln L(λ) = −nλ here: does any positive λ beat a smaller one?",
        },
    ),
    # Exercise 1: the MLE from a total alone: a second desk's week, T emails in n hours (the student's
    # variant; the demo: T = 75 in n = 40).
    "ex3.1": Value(
        expected=lambda total, hours: ml.poisson_mle([total]) / hours,
        what="a rate λ̂ (emails per hour)",
        mistakes=[
            (
                lambda total, hours: float(total),
                "that estimates nλ, the mean of the week's total; the question asks for λ, a rate per hour.",
            ),
            (
                lambda total, hours: total / _day().size,
                "you divided by our day's 24 hours; divide by the second desk's n.",
            ),
            (
                lambda total, hours: ml.poisson_mle(_day()),
                "that is our day's λ̂, from its 24 counts; the question is about the second desk's week.",
            ),
        ],
        hint="T is Poisson with mean nλ: maximise its log-likelihood in λ.",
    ),
    # Exercise 2: the probability of an all-zero sample (the student's variant of λ and n).
    "ex3.2": Value(
        expected=lambda lam, hours: _all_quiet(lam, hours),
        what="a probability",
        mistakes=[
            (
                lambda lam, hours: _all_quiet(lam, 1),
                "that is the probability that one hour is quiet: all of them must be.",
            ),
            (
                lambda lam, hours: 1 - _all_quiet(lam, hours),
                "that is the probability of at least one email.",
            ),
        ],
        hint="the hours are independent: multiply the probabilities of a zero count.",
        close_advice="give the exact value: a simulation is not that precise",
    ),
    # Exercise 3: the MLE on the log scale, θ = ln λ.
    "ex3.3": Value(
        expected=lambda: float(np.log(ml.poisson_mle(_day()))),
        what="a number θ̂",
        mistakes=[
            (
                lambda: ml.poisson_mle(_day()),
                "that is λ̂; the question asks for the maximiser on the θ = ln λ scale.",
            ),
        ],
        hint="the MLE of a function of the parameter is that function of the MLE.",
    ),
    # Exercise 4: code — the Poisson log-likelihood, compared by value with ml.poisson_loglik.
    "ex3.4": Function(
        reference=lambda lam, counts: ml.poisson_loglik(lam, counts),
        cases=_loglik_cases,
        what="a number ln L(λ)",
        mistakes=[
            (
                _loglik_no_factorials,
                "you left out −Σ ln xᵢ!. It does not move λ̂, but this exercise compares the value of ln L "
                "(scipy.special.gammaln(k + 1) is ln k!).",
            ),
            (
                _loglik_slide,
                "that is deck 2's −ln Πxᵢ (erratum E7): the denominator holds factorials.",
            ),
        ],
    ),
    # Exercise 5: a prediction — four times as many hours: the Wald interval's width is multiplied by?
    "ex3.5": Choice(
        answer_digest="0c64e4b002e168b76b5516e8feec53484042c4f93782ca198cfcea41e16d4685",
        options=["a", "b", "c", "d"],
        hints={
            "b": "the information grows like n, but the standard error is one over its square root.",
            "c": "more data pins λ down better, not worse.",
            "d": "more data pins λ down better: the information n/λ grows with n.",
        },
    ),
}
