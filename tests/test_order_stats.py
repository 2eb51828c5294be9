"""Uniform order statistics: densities, expectation, bias and the unbiased corrections.

Independent routes: scipy.integrate.quad, scipy.stats.beta (max of n U(0,1) is Beta(n, 1), min is
Beta(1, n)) and seeded Monte Carlo with tolerances derived from the number of replications.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import integrate, stats

from mle_lib.order_stats import (
    uniform_max_bias,
    uniform_max_expectation,
    uniform_max_pdf,
    uniform_min_pdf,
    uniform_mle_unbiased,
    uniform_upper_unbiased,
)

SETTINGS = settings(max_examples=50, deadline=None, derandomize=True, database=None)
BOUNDS = [(0.0, 1.0), (-2.0, 3.0), (10.0, 10.5)]


@pytest.mark.parametrize("pdf", [uniform_min_pdf, uniform_max_pdf])
@pytest.mark.parametrize("n", [1, 2, 5, 20])
@pytest.mark.parametrize("low,high", BOUNDS)
def test_densities_integrate_to_one(pdf, n, low, high):
    total, _ = integrate.quad(lambda t: pdf(t, n, low, high), low, high)
    assert total == pytest.approx(1.0, abs=1e-9)


@pytest.mark.parametrize("n", [1, 3, 10])
@pytest.mark.parametrize("low,high", BOUNDS)
def test_densities_match_scipy_beta(n, low, high):
    x = np.linspace(low, high, 101)
    scale = high - low
    np.testing.assert_allclose(
        uniform_max_pdf(x, n, low, high), stats.beta(n, 1, loc=low, scale=scale).pdf(x), rtol=1e-12, atol=1e-12
    )
    np.testing.assert_allclose(
        uniform_min_pdf(x, n, low, high), stats.beta(1, n, loc=low, scale=scale).pdf(x), rtol=1e-12, atol=1e-12
    )


@pytest.mark.parametrize("which", ["min", "max"])
def test_densities_match_monte_carlo_histogram(which):
    n, low, high, reps, bins = 5, 2.0, 5.0, 200_000, 30
    rng = np.random.default_rng(20230916)
    draws = rng.uniform(low, high, size=(reps, n))
    stat = draws.min(axis=1) if which == "min" else draws.max(axis=1)
    counts, edges = np.histogram(stat, bins=bins, range=(low, high))
    width = edges[1] - edges[0]
    pdf = uniform_min_pdf if which == "min" else uniform_max_pdf
    # Exact bin probabilities by integrating the density over each bin.
    p = np.array([integrate.quad(lambda t: pdf(t, n, low, high), a, b)[0] for a, b in itertools.pairwise(edges)])
    se = np.sqrt(p * (1 - p) / reps) / width  # sd of each bin's density estimate
    np.testing.assert_array_less(np.abs(counts / reps / width - p / width), 5 * se + 1e-12)


def test_densities_vanish_outside_support_and_keep_shape():
    x = np.array([[-1.0, 0.0], [1.0, 2.0]])
    out = uniform_max_pdf(x, 3, 0.0, 1.0)
    assert out.shape == (2, 2)
    np.testing.assert_array_equal(out, [[0.0, 0.0], [3.0, 0.0]])
    np.testing.assert_array_equal(uniform_min_pdf(x, 3, 0.0, 1.0), [[0.0, 3.0], [0.0, 0.0]])
    assert isinstance(uniform_min_pdf(0.5, 2), float)


@pytest.mark.parametrize("n", [1, 2, 7, 50])
@pytest.mark.parametrize("low,high", BOUNDS)
def test_expectation_and_bias_match_integral(n, low, high):
    mean, _ = integrate.quad(lambda t: t * uniform_max_pdf(t, n, low, high), low, high)
    assert uniform_max_expectation(n, low, high) == pytest.approx(mean, rel=1e-9)
    assert uniform_max_bias(n, low, high) == pytest.approx(mean - high, rel=1e-7, abs=1e-12)
    assert uniform_max_bias(n, low, high) == pytest.approx(-(high - low) / (n + 1))


@pytest.mark.parametrize("n", [2, 5, 25])
def test_bias_matches_simulation(n):
    low, high, reps = -1.0, 3.0, 100_000
    maxima = np.random.default_rng(n).uniform(low, high, size=(reps, n)).max(axis=1)
    width = high - low
    sd = width * np.sqrt(n / ((n + 1) ** 2 * (n + 2)))  # exact sd of the maximum
    assert abs((maxima.mean() - high) - uniform_max_bias(n, low, high)) < 5 * sd / np.sqrt(reps)


def test_unbiased_ends_worked_example():
    assert uniform_mle_unbiased([2.0, 3.0, 4.0]) == (1.0, 5.0)
    assert uniform_upper_unbiased([1.0, 3.0, 2.0, 4.0]) == 5.0


@pytest.mark.parametrize("n", [2, 4, 30])
def test_unbiased_ends_are_unbiased_by_simulation(n):
    a, b, reps = 1.0, 4.0, 4_000
    samples = np.random.default_rng(100 + n).uniform(a, b, size=(reps, n))
    ends = np.array([uniform_mle_unbiased(s) for s in samples])
    # Var(â) = Var(b̂) ≤ Var of a linear mix of min and max; bound the sd by simulation's own sd.
    se = ends.std(axis=0) / np.sqrt(reps)
    assert abs(ends[:, 0].mean() - a) < 5 * se[0]
    assert abs(ends[:, 1].mean() - b) < 5 * se[1]
    # ...whereas the plain MLE (min, max) is biased by ±(b − a)/(n + 1).
    assert samples.max(axis=1).mean() - b == pytest.approx(uniform_max_bias(n, a, b), abs=5 * se[1])


@pytest.mark.parametrize("n", [1, 3, 20])
def test_upper_unbiased_is_unbiased_by_simulation(n):
    b, reps = 2.5, 4_000
    samples = np.random.default_rng(200 + n).uniform(0.0, b, size=(reps, n))
    est = np.array([uniform_upper_unbiased(s) for s in samples])
    assert abs(est.mean() - b) < 5 * est.std() / np.sqrt(reps)


@SETTINGS
@given(st.lists(st.floats(-1e6, 1e6), min_size=2, max_size=30), st.randoms(use_true_random=False))
def test_unbiased_ends_contain_data_and_ignore_order(xs, rnd):
    lo, hi = uniform_mle_unbiased(xs)
    assert lo <= min(xs) and hi >= max(xs)
    shuffled = list(xs)
    rnd.shuffle(shuffled)
    assert uniform_mle_unbiased(shuffled) == (lo, hi)


# --- bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize("pdf", [uniform_min_pdf, uniform_max_pdf])
def test_pdf_rejects_bad_arguments(pdf):
    with pytest.raises(ValueError, match="^x must"):
        pdf([0.5, np.nan], 3)
    with pytest.raises(TypeError, match="^x must"):
        pdf("0.5", 3)
    with pytest.raises(ValueError, match="^n must"):
        pdf(0.5, 0)
    with pytest.raises(TypeError, match="^n must"):
        pdf(0.5, 2.0)
    with pytest.raises(ValueError, match="^high must be > low"):
        pdf(0.5, 3, low=1.0, high=1.0)
    with pytest.raises(ValueError, match="^low must"):
        pdf(0.5, 3, low=np.nan)
    with pytest.raises(ValueError, match="^high must"):
        pdf(0.5, 3, high=np.inf)
    with pytest.raises(ValueError, match="^low must be 0-D"):
        pdf(0.5, 3, low=[0.0, 1.0])
    with pytest.raises(ValueError, match="^high - low must be a finite width"):
        pdf(0.5, 3, low=-1e308, high=1e308)


@pytest.mark.parametrize("func", [uniform_max_expectation, uniform_max_bias])
def test_expectation_and_bias_reject_bad_arguments(func):
    with pytest.raises(ValueError, match="^n must"):
        func(0, 0.0, 1.0)
    with pytest.raises(TypeError, match="^n must"):
        func(True, 0.0, 1.0)
    with pytest.raises(ValueError, match="^high must be > low"):
        func(3, 2.0, 1.0)


def test_unbiased_estimators_reject_bad_samples():
    with pytest.raises(ValueError, match="^x must hold at least 2"):
        uniform_mle_unbiased([1.0])
    with pytest.raises(ValueError, match="^x must not be empty"):
        uniform_mle_unbiased([])
    with pytest.raises(ValueError, match="^x must be 1-D"):
        uniform_mle_unbiased([[1.0, 2.0]])
    with pytest.raises(ValueError, match="^x must contain only finite"):
        uniform_upper_unbiased([1.0, np.inf])
    with pytest.raises(ValueError, match=r"^x must be >= 0 .* index 1"):
        uniform_upper_unbiased([1.0, -0.5])
    with pytest.raises(TypeError, match="^x must"):
        uniform_upper_unbiased([True, False])
