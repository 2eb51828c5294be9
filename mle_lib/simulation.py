"""Sampling distributions by simulation: bias, variance, MSE and consistency of an estimator.

An estimator θ̂ is a function of a random sample, so it has a distribution of its own. Drawing
many samples of size n and applying θ̂ to each shows it: its mean gives the bias E[θ̂] − θ, its
spread the variance, and MSE = E[(θ̂ − θ)²] = bias² + variance. Repeating over growing n shows
consistency (both go to 0) — the properties of a good estimator in session 15, and the UW deck's
remark that the n-divisor variance σ̂² = Σ(xᵢ − x̄)²/n is "consistent, but biased".

Hat trick 2 (UW deck) is a sampling distribution too: the average Y of 16 N(μ, 1) draws is
N(μ, 1/16), so Y lands within ±0.5 = ±2 sd of μ with probability ≈ 95 %.

The sampler contract
--------------------
A *sampler* is a callable ``sampler(rng, size)`` that draws i.i.d. observations with the
``numpy.random.Generator`` ``rng`` and returns an array of shape ``size`` — exactly like the
Generator's own methods, e.g. ``lambda rng, size: rng.normal(0.0, 1.0, size)``. With
``batched=True`` (the default) it is called **once** with ``size=(n_reps, n)``, each row being one
replicate sample; with ``batched=False`` it is called ``n_reps`` times with ``size=n``, for
samplers that cannot draw a batch. The sampler must draw all its randomness from ``rng``.

An *estimator* maps one sample (a 1-D array of length n) to a float, e.g. ``np.mean``. With
``vectorized=True`` it is instead called once on the whole (n_reps, n) batch and must return the
n_reps estimates, e.g. ``lambda s: s.var(axis=-1)`` — the fastest route.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from ._checks import as_float_array, as_generator, as_sample, check_int, check_positive

__all__ = [
    "EstimatorSummary",
    "simulate_estimator",
    "estimator_summary",
    "consistency_table",
    "sample_means",
    "prob_within",
]

Sampler = Callable[[np.random.Generator, int | tuple[int, int]], ArrayLike]
Estimator = Callable[[np.ndarray], float | np.ndarray]
SeedLike = np.random.Generator | int | None


@dataclass(frozen=True)
class EstimatorSummary:
    """Monte-Carlo summary of an estimator θ̂ over replicate samples.

    Attributes
    ----------
    mean : float
        Average of the replicate estimates, ≈ E[θ̂].
    bias : float
        mean − θ, ≈ E[θ̂] − θ.
    variance : float
        Population variance of the estimates (divisor = number of replicates), ≈ Var(θ̂).
    mse : float
        bias² + variance, which with that divisor equals the average of (θ̂ − θ)² exactly.
    """

    mean: float
    bias: float
    variance: float
    mse: float


def _check_callable(value: object, name: str) -> None:
    if not callable(value):
        raise TypeError(f"{name} must be callable; got {type(value).__name__}")


def _estimates(estimator: Estimator, samples: np.ndarray, vectorized: bool) -> np.ndarray:
    """Apply the estimator to every row of ``samples`` (n_reps, n) and validate the result."""
    n_reps = samples.shape[0]
    if vectorized:
        est = as_float_array(estimator(samples), "estimator output", allow_empty=True)
        if est.shape != (n_reps,):
            raise ValueError(
                f"estimator must return one estimate per replicate, shape ({n_reps},), "
                f"when vectorized=True; got shape {est.shape}"
            )
    else:
        est = np.empty(n_reps)
        for i, row in enumerate(samples):
            value = as_float_array(estimator(row), "estimator output")
            if value.size != 1:
                raise ValueError(f"estimator must return a single float per sample; got shape {value.shape}")
            est[i] = value.item()
    return est


def _draw(sampler: Sampler, rng: np.random.Generator, n: int, n_reps: int, batched: bool) -> np.ndarray:
    """All replicate samples as an (n_reps, n) float array, validated against the contract."""
    if batched:
        samples = as_float_array(sampler(rng, (n_reps, n)), "sampler output")
        if samples.shape != (n_reps, n):
            raise ValueError(
                f"sampler must return an array of shape size=(n_reps, n)=({n_reps}, {n}) "
                f"when batched=True; got shape {samples.shape}"
            )
        return samples
    samples = np.empty((n_reps, n))
    for i in range(n_reps):
        row = as_float_array(sampler(rng, n), "sampler output")
        if row.shape != (n,):
            raise ValueError(
                f"sampler must return an array of shape size=({n},) when batched=False; got shape {row.shape}"
            )
        samples[i] = row
    return samples


def simulate_estimator(
    estimator: Estimator,
    sampler: Sampler,
    n: int,
    n_reps: int,
    rng: SeedLike,
    *,
    batched: bool = True,
    vectorized: bool = False,
) -> np.ndarray:
    """Draw ``n_reps`` samples of size n and return the estimate θ̂ of each.

    The histogram of the result is the sampling distribution of θ̂ at sample size n. See the module
    docstring for the sampler and estimator contracts.

    Parameters
    ----------
    estimator : callable
        ``estimator(sample) -> float`` for a 1-D sample; with ``vectorized=True``,
        ``estimator(samples) -> array of shape (n_reps,)`` for the (n_reps, n) batch.
    sampler : callable
        ``sampler(rng, size) -> array of shape size``, i.i.d. draws from the model.
    n : int
        Sample size, n ≥ 1.
    n_reps : int
        Number of replicate samples, ≥ 1.
    rng : numpy.random.Generator or int
        Source of randomness (a seed makes the result repeatable).
    batched : bool
        Draw all replicates in one ``sampler(rng, (n_reps, n))`` call (default) or one call each.
    vectorized : bool
        Call the estimator once on the whole batch instead of once per row.

    Returns
    -------
    ndarray of shape (n_reps,)
        The replicate estimates.

    Examples
    --------
    The sampling distribution of x̄ for n = 16 draws from N(0, 1) has sd 1/√16 = 0.25:

    >>> normal = lambda rng, size: rng.normal(0.0, 1.0, size)
    >>> means = simulate_estimator(np.mean, normal, n=16, n_reps=4000, rng=2023)
    >>> means.shape, bool(abs(means.std() - 0.25) < 0.01)
    ((4000,), True)
    """
    _check_callable(estimator, "estimator")
    _check_callable(sampler, "sampler")
    n = check_int(n, "n", minimum=1)
    n_reps = check_int(n_reps, "n_reps", minimum=1)
    gen = as_generator(rng, "rng")
    samples = _draw(sampler, gen, n, n_reps, bool(batched))
    return _estimates(estimator, samples, bool(vectorized))


def estimator_summary(estimates: ArrayLike, true_value: float) -> EstimatorSummary:
    """Mean, bias, variance and MSE of replicate estimates of a known true value θ.

    bias = mean(θ̂) − θ, variance = mean((θ̂ − mean θ̂)²) (divisor n_reps), and
    MSE = bias² + variance, which equals mean((θ̂ − θ)²): the bias–variance decomposition.

    Parameters
    ----------
    estimates : array_like of shape (n_reps,)
        Replicate estimates θ̂₁ … θ̂_R, e.g. from :func:`simulate_estimator`.
    true_value : float
        The true parameter θ the estimates aim at.

    Returns
    -------
    EstimatorSummary
        Frozen dataclass with fields ``mean``, ``bias``, ``variance``, ``mse``.

    Examples
    --------
    >>> estimator_summary([1.0, 2.0, 3.0], true_value=1.0)
    EstimatorSummary(mean=2.0, bias=1.0, variance=0.6666666666666666, mse=1.6666666666666665)
    """
    est = as_sample(estimates, "estimates")
    theta = float(as_float_array(true_value, "true_value", ndim=0))
    mean = float(est.mean())
    bias = mean - theta
    variance = float(np.mean((est - mean) ** 2))
    return EstimatorSummary(mean=mean, bias=bias, variance=variance, mse=bias * bias + variance)


def consistency_table(
    estimator: Estimator,
    sampler: Sampler,
    ns: ArrayLike,
    n_reps: int,
    true_value: float,
    rng: SeedLike,
    *,
    batched: bool = True,
    vectorized: bool = False,
) -> list[EstimatorSummary]:
    """Summaries of an estimator's sampling distribution over growing sample sizes.

    A consistent estimator has bias and variance (so MSE) → 0 as n grows. One generator is used
    for every n, in order, so the whole table is repeatable from one seed.

    Parameters
    ----------
    estimator, sampler : callable
        As in :func:`simulate_estimator`.
    ns : array_like of int, shape (m,)
        Sample sizes, each ≥ 1, e.g. ``[5, 10, 100, 1000]``.
    n_reps : int
        Replicate samples per size, ≥ 1.
    true_value : float
        The true parameter θ.
    rng : numpy.random.Generator or int
        Source of randomness.
    batched, vectorized : bool
        As in :func:`simulate_estimator`.

    Returns
    -------
    list of EstimatorSummary
        One summary per entry of ``ns``, in order.

    Examples
    --------
    The n-divisor variance of N(0, 1) data has bias −σ²/n, shrinking with n:

    >>> normal = lambda rng, size: rng.normal(0.0, 1.0, size)
    >>> rows = consistency_table(lambda s: s.var(axis=-1), normal, [2, 10, 100], n_reps=20000,
    ...                          true_value=1.0, rng=7, vectorized=True)
    >>> [round(r.bias, 1) for r in rows]
    [-0.5, -0.1, -0.0]
    """
    _check_callable(estimator, "estimator")
    _check_callable(sampler, "sampler")
    sizes = as_float_array(ns, "ns", ndim=1)
    bad = (sizes < 1) | (sizes != np.floor(sizes))
    if bad.any():
        idx = int(np.flatnonzero(bad)[0])
        raise ValueError(f"ns must be integers >= 1; got {sizes[idx]} at index {idx}")
    n_reps = check_int(n_reps, "n_reps", minimum=1)
    theta = float(as_float_array(true_value, "true_value", ndim=0))
    gen = as_generator(rng, "rng")
    return [
        estimator_summary(
            simulate_estimator(estimator, sampler, int(n), n_reps, gen, batched=batched, vectorized=vectorized), theta
        )
        for n in sizes
    ]


def sample_means(
    n_per_mean: int = 16, n_means: int = 1000, mu: float = 0.0, sigma: float = 1.0, rng: SeedLike = None
) -> np.ndarray:
    """Hat trick 2's histogram: ``n_means`` averages Y = (X₁ + … + X₁₆)/16 of N(μ, σ²) draws.

    Y ~ N(μ, σ²/n) exactly, so with the defaults the averages have sd 1/√16 = 0.25.

    Parameters
    ----------
    n_per_mean : int
        Draws averaged into each Y (the slide: 16).
    n_means : int
        Number of averages (the slide: 1000).
    mu : float
        Mean μ of each draw.
    sigma : float
        Standard deviation σ > 0 of each draw.
    rng : numpy.random.Generator or int, optional
        Source of randomness; pass a seed for repeatable output (None: fresh entropy).

    Returns
    -------
    ndarray of shape (n_means,)
        The averages.

    Examples
    --------
    >>> y = sample_means(rng=2023)
    >>> y.shape, round(float(y.std()), 2)
    ((1000,), 0.25)
    """
    n_per_mean = check_int(n_per_mean, "n_per_mean", minimum=1)
    n_means = check_int(n_means, "n_means", minimum=1)
    m = float(as_float_array(mu, "mu", ndim=0))
    s = float(check_positive(as_float_array(sigma, "sigma", ndim=0), "sigma"))
    gen = as_generator(rng, "rng")
    return np.asarray(gen.normal(m, s, size=(n_means, n_per_mean)).mean(axis=1), dtype=float)


def prob_within(half_width: float, n: int, sigma: float = 1.0, n_secrets: int = 1) -> float:
    """``P(|Ȳ − μ| ≤ h) = 2Φ(h√n/σ) − 1`` for the mean Ȳ of n N(μ, σ²) draws; to a power for several.

    Ȳ ~ N(μ, σ²/n), so (Ȳ − μ)√n/σ is standard normal. Hat trick 2 asks for success on *both*
    secrets (pink and blue, independent), which is the single-secret probability squared:
    ``n_secrets=2`` gives 0.9545² ≈ 0.911, a little less than the slide's "≈ 95 %" for one.

    Parameters
    ----------
    half_width : float
        h > 0, the allowed error ("within ±0.5").
    n : int
        Draws averaged, n ≥ 1.
    sigma : float
        Standard deviation σ > 0 of each draw.
    n_secrets : int
        Number of independent means that must all be hit, ≥ 1.

    Returns
    -------
    float
        (2Φ(h√n/σ) − 1) ** n_secrets.

    Examples
    --------
    >>> round(prob_within(0.5, 16), 4)
    0.9545
    >>> round(prob_within(0.5, 16, n_secrets=2), 4)
    0.9111
    """
    h = float(check_positive(as_float_array(half_width, "half_width", ndim=0), "half_width"))
    n = check_int(n, "n", minimum=1)
    s = float(check_positive(as_float_array(sigma, "sigma", ndim=0), "sigma"))
    n_secrets = check_int(n_secrets, "n_secrets", minimum=1)
    # 2Φ(t) − 1 = erf(t/√2); t = h√n/σ may overflow to inf, where erf gives exactly 1.
    with np.errstate(over="ignore"):
        t = float(np.float64(h) * math.sqrt(n) / s / math.sqrt(2.0))
    return math.erf(t) ** n_secrets
