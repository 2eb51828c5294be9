"""Exercises of chapter 6 (the hat trick: Bayes' rule with densities, odds, the two-secrets game).

Every expected value is computed when the check runs, by :mod:`mle_lib` (and :mod:`scipy.optimize` for
the crossings); the right choice of a prediction is stored only as a salted digest.

- ``turn6.1`` (code): ``posterior(x, means, sigma, priors)``, run against :func:`mle_lib.posterior_probs`.
- ``turn6.2`` (prediction): with σ = 2 instead of 1, does P(μ = 7 | X = 6.001) grow, stay or shrink?
- ``ex6.1`` (value): P(μ = 7 | X = x) for a hat with fewer blue slips than pink (the demo: X = 6.001, one slip
  in four blue).
- ``ex6.2`` (value): the fewest draws per colour for P(both secrets within ±h) ≥ p, draws of sd σ (the demo:
  h = 0.5, σ = 1, p = 0.99).
- ``ex6.3`` (derivation → value): the two crossings of ½ for the slips' two spreads (the demo: σ_pink = 1,
  σ_blue = 3).
- ``ex6.4`` (derivation → choice): which slip is more probable far out on the pink side?

ex6.1 to ex6.3 have a variant per student (:mod:`mle_lib.homework.variants_ch06`): ``expected`` and every
known mistake take the variant's parameters.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import brentq

import mle_lib as ml

from . import Choice, Function, Value

__all__ = ["EXERCISES"]

_MEANS = (3.0, 7.0)  # the deck's pink and blue slips (ml.HAT_TRICK_MEANS)


def _lopsided_post(pink: int, blue: int, x: float, swap: bool = False) -> np.ndarray:
    """(P(μ = 3 | x), P(μ = 7 | x)) for a hat of ``pink`` pink and ``blue`` blue slips.

    ``swap``: the priors swapped, a known mistake.
    """
    priors = np.array([pink, blue], dtype=float) / (pink + blue)
    return ml.posterior_probs(x, _MEANS, 1.0, priors[::-1] if swap else priors)


def _smallest_n(margin: float, sigma: float, target: float, n_secrets: int) -> float:
    """The fewest draws per colour with ml.prob_within(margin, n, sigma, n_secrets) ≥ target, by counting up."""
    n = 1
    while ml.prob_within(margin, n, sigma=sigma, n_secrets=n_secrets) < target:
        n += 1
    return float(n)


def _crossings(sigmas: tuple[float, float]) -> np.ndarray:
    """Where P(μ = 7 | x) = ½ (equal priors): sign changes of the library's posterior on a grid, refined."""

    def gap(t: float) -> float:
        return float(ml.posterior_probs(t, _MEANS, list(sigmas))[1] - 0.5)

    grid = np.linspace(-30.0, 30.0, 6001)
    values = ml.posterior_probs(grid, _MEANS, list(sigmas))[:, 1] - 0.5  # the whole grid in one call
    idx = np.flatnonzero(np.sign(values[:-1]) != np.sign(values[1:]))
    return np.array([brentq(gap, grid[i], grid[i + 1], xtol=1e-12) for i in idx])


def _likelihoods(x: float, means: np.ndarray, sigma: np.ndarray) -> np.ndarray:
    return np.asarray(ml.hypothesis_densities(x, means, sigma))


def _posterior_cases(rng: np.random.Generator) -> list[tuple[float, np.ndarray, np.ndarray, np.ndarray]]:
    """24 hats: 2 … 12 slips (most more than 2), and hats of 200 and 1000 slips.

    Means in [0, 10], σ in [0.8, 3] each, random priors, x near the means.
    """
    cases = []
    for k in (2, 2, 3, 3, 4, 4, 5, 5, 6, 7, 8, 9, 10, 12, *(int(v) for v in rng.integers(3, 13, size=8)), 200, 1000):
        means = np.sort(rng.uniform(0.0, 10.0, size=k))
        sigma = rng.uniform(0.8, 3.0, size=k)
        priors = rng.dirichlet(np.full(k, 2.0))
        x = float(rng.uniform(means.min() - 1.0, means.max() + 1.0))
        cases.append((x, means, sigma, priors))
    return cases


EXERCISES: dict[str, Value | Choice | Function] = {
    "turn6.1": Function(
        reference=ml.posterior_probs,
        cases=_posterior_cases,
        what="an array of k posterior probabilities",
        mistakes=[
            (
                lambda x, m, s, p: ml.posterior_probs(x, m, s),
                "you left out the prior: the hat need not hold every slip equally often.",
            ),
            (
                lambda x, m, s, p: p * _likelihoods(x, m, s),
                "these are the numerators of Bayes' rule, not yet probabilities: they must sum to 1.",
            ),
            (
                lambda x, m, s, p: _likelihoods(x, m, s),
                "these are the likelihoods f(x | mᵢ): weigh them by the prior, then make them sum to 1.",
            ),
            (
                lambda x, m, s, p: _likelihoods(x, m, s) / _likelihoods(x, m, s).sum(),
                "you left out the prior: the hat need not hold every slip equally often.",
            ),
        ],
        rtol=1e-6,
    ),
    "turn6.2": Choice(
        answer_digest="7fcdce207e9ca3a008545fffad1dad18cb77532e2807ffcb17d8021ef176cfc1",
        options=["a", "b", "c"],
        hints={
            "a": "with noisier draws, does one observation tell you more or less about the slip?",
            "b": "the posterior depends on σ through the slope of the log Bayes factor: look at the third line.",
        },
    ),
    "ex6.1": Value(
        expected=lambda pink, blue, x: _lopsided_post(pink, blue, x)[1],
        what="a probability",
        mistakes=[
            (
                lambda pink, blue, x: ml.posterior_probs(x, _MEANS)[1],
                "that is the posterior with equal priors: your hat holds fewer blue slips than pink.",
            ),
            (
                lambda pink, blue, x: ml.posterior_odds(x, 7.0, 3.0, prior_a=blue / (pink + blue)),
                "that is the posterior odds; turn odds into a probability.",
            ),
            (
                lambda pink, blue, x: _lopsided_post(pink, blue, x, swap=True)[1],
                "you swapped the priors: the blue slips are the rare ones.",
            ),
            (
                lambda pink, blue, x: _lopsided_post(pink, blue, x)[0],
                "that is the probability of the pink slip, μ = 3; the question asks for μ = 7.",
            ),
        ],
        hint="posterior odds = Bayes factor × prior odds; then turn the odds into a probability.",
    ),
    "ex6.2": Value(
        expected=lambda margin, sigma, target: _smallest_n(margin, sigma, target, 2),
        what="a whole number of draws per colour",
        rtol=1e-9,
        atol=1e-9,
        integer=True,
        mistakes=[
            (
                lambda margin, sigma, target: _smallest_n(margin, sigma, target, 1),
                "that is enough for one secret; the game needs both.",
            ),
            (
                lambda margin, sigma, target: _smallest_n(margin, sigma, target, 2) - 1,
                "with that many draws the chance is still just below your target.",
            ),
        ],
        hint="evaluate ml.prob_within(margin, n, sigma=σ, n_secrets=2) for n = 1, 2, … and stop at the first that "
        "reaches your target.",
    ),
    "ex6.3": Value(
        expected=lambda sigma_pink, sigma_blue: _crossings((sigma_pink, sigma_blue)),
        what="a pair (the two crossings, in any order)",
        unordered=True,
        rtol=2e-3,
        atol=2e-3,
        mistakes=[
            (
                lambda sigma_pink, sigma_blue: _crossings((np.sqrt(sigma_pink), np.sqrt(sigma_blue))),
                "you took the σ's for variances (their square roots as the spreads): sigma is the standard "
                "deviation itself.",
            ),
            (
                lambda sigma_pink, sigma_blue: _crossings((sigma_blue, sigma_pink)),
                "you swapped the spreads: the pink slip has the smaller σ.",
            ),
        ],
        hint="set the log posterior odds to 0: a quadratic in x (the σ's differ); solve it or refine on a grid.",
    ),
    "ex6.4": Choice(
        answer_digest="264b05938e6c1e65bb57aca17fbdb9db60594267eb9dee6dcbc5e9a768cd80f8",
        options=["pink", "blue"],
        hints={"pink": "closer is not everything: compare how fast each log density falls, −(x − m)²/(2σ²)."},
    ),
}
