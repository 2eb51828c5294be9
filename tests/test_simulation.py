"""Sampling distributions: estimator summaries, the bias of the n-divisor variance, hat trick 2.

Monte-Carlo checks use tolerances derived from the number of replications (a few standard errors
of the simulated quantity), and every simulation is seeded.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from mle_lib.simulation import (
    EstimatorSummary,
    consistency_table,
    estimator_summary,
    prob_within,
    sample_means,
    simulate_estimator,
)

SETTINGS = settings(max_examples=50, deadline=None, derandomize=True, database=None)


def normal(rng, size):
    return rng.normal(0.0, 1.0, size)


def n_divisor_var(sample):
    return float(np.mean((sample - sample.mean()) ** 2))


# --- estimator_summary -------------------------------------------------------------------------------


@SETTINGS
@given(st.lists(st.floats(-1e3, 1e3), min_size=1, max_size=40), st.floats(-1e3, 1e3))
def test_summary_mse_is_bias_squared_plus_variance(estimates, theta):
    s = estimator_summary(estimates, theta)
    est = np.array(estimates)
    assert s.mse == s.bias**2 + s.variance
    # Independent route: the mean squared error computed directly.
    assert s.mse == pytest.approx(np.mean((est - theta) ** 2), rel=1e-9, abs=1e-9)
    assert s.variance == pytest.approx(np.var(est, ddof=0), rel=1e-12, abs=1e-12)
    assert s.bias == pytest.approx(est.mean() - theta, abs=1e-9)


def test_summary_is_a_frozen_dataclass():
    s = estimator_summary([1.0, 3.0], 1.0)
    assert s == EstimatorSummary(mean=2.0, bias=1.0, variance=1.0, mse=2.0)
    with pytest.raises(AttributeError):
        s.bias = 0.0


# --- simulate_estimator --------------------------------------------------------------------------------


@pytest.mark.parametrize("n", [2, 5, 20])
def test_n_divisor_variance_has_bias_minus_sigma2_over_n(n):
    sigma2, reps = 4.0, 20_000
    sampler = lambda rng, size: rng.normal(1.0, np.sqrt(sigma2), size)  # noqa: E731
    est = simulate_estimator(lambda s: s.var(axis=-1), sampler, n, reps, rng=n, vectorized=True)
    # Var(σ̂²) = 2σ⁴(n − 1)/n² for normal data: the tolerance is 4 standard errors of its mean.
    se = np.sqrt(2 * sigma2**2 * (n - 1) / n**2 / reps)
    assert abs(estimator_summary(est, sigma2).bias - (-sigma2 / n)) < 4 * se
    # ...and the (n − 1) divisor removes it.
    unbiased = est * n / (n - 1)
    assert abs(unbiased.mean() - sigma2) < 4 * se * n / (n - 1)


def test_per_sample_and_vectorized_estimators_agree():
    a = simulate_estimator(n_divisor_var, normal, 8, 500, rng=5)
    b = simulate_estimator(lambda s: s.var(axis=-1), normal, 8, 500, rng=5, vectorized=True)
    np.testing.assert_allclose(a, b, rtol=1e-12)


def test_unbatched_sampler_is_called_once_per_replicate():
    calls = []

    def scalar_only(rng, size):
        calls.append(size)
        return rng.normal(0.0, 1.0, size)

    est = simulate_estimator(np.mean, scalar_only, 6, 30, rng=1, batched=False)
    assert est.shape == (30,) and calls == [6] * 30


def test_simulation_is_reproducible_from_a_seed_or_generator():
    a = simulate_estimator(np.median, normal, 7, 100, rng=42)
    b = simulate_estimator(np.median, normal, 7, 100, rng=np.random.default_rng(42))
    np.testing.assert_array_equal(a, b)
    c = simulate_estimator(np.median, normal, 7, 100, rng=43)
    assert not np.array_equal(a, c)


def test_batched_simulation_draws_all_replications_in_one_call():
    """What keeps notebooks fast is one draw of shape (n_reps, n), not a Python loop (no timing here)."""
    calls = []

    def counting_normal(rng, size):
        calls.append(size)
        return rng.standard_normal(size)

    simulate_estimator(np.mean, counting_normal, 50, 10_000, rng=0)
    assert calls == [(10_000, 50)]
    calls.clear()
    simulate_estimator(np.mean, counting_normal, 50, 7, rng=0, batched=False)
    assert len(calls) == 7


def test_sample_mean_sampling_distribution_has_sd_sigma_over_root_n():
    est = simulate_estimator(np.mean, normal, 16, 20_000, rng=3)
    sd = est.std()
    # sd of a sample sd from R normal draws ≈ sd/√(2(R − 1)).
    assert abs(sd - 0.25) < 4 * 0.25 / np.sqrt(2 * (est.size - 1))


# --- consistency_table ---------------------------------------------------------------------------------


def test_consistency_table_bias_and_mse_shrink():
    ns = [2, 8, 32, 128]
    rows = consistency_table(lambda s: s.var(axis=-1), normal, ns, 4000, 1.0, rng=11, vectorized=True)
    assert len(rows) == len(ns) and all(isinstance(r, EstimatorSummary) for r in rows)
    mses = [r.mse for r in rows]
    assert mses == sorted(mses, reverse=True)
    for n, r in zip(ns, rows, strict=True):
        se = np.sqrt(2 * (n - 1) / n**2 / 4000)
        assert abs(r.bias + 1.0 / n) < 4 * se


def test_consistency_table_is_reproducible():
    a = consistency_table(np.mean, normal, [3, 9], 200, 0.0, rng=8)
    b = consistency_table(np.mean, normal, [3, 9], 200, 0.0, rng=8)
    assert a == b


# --- hat trick 2 -----------------------------------------------------------------------------------------


def test_sample_means_has_sd_one_quarter():
    y = sample_means(rng=2023)
    assert y.shape == (1000,)
    tol = 4 * 0.25 / np.sqrt(2 * 999)
    assert abs(y.std(ddof=1) - 0.25) < tol
    assert abs(y.mean()) < 4 * 0.25 / np.sqrt(1000)


def test_sample_means_respects_mu_sigma_and_seed():
    y = sample_means(4, 5000, mu=10.0, sigma=2.0, rng=np.random.default_rng(9))
    assert abs(y.mean() - 10.0) < 4 * 1.0 / np.sqrt(5000)
    assert abs(y.std() - 1.0) < 4 * 1.0 / np.sqrt(2 * 4999)
    np.testing.assert_array_equal(sample_means(rng=1), sample_means(rng=1))


def test_prob_within_matches_scipy_and_the_slide():
    p = prob_within(0.5, 16, sigma=1.0)
    assert p == pytest.approx(2 * stats.norm.cdf(2.0) - 1, rel=1e-14)
    assert round(p, 4) == 0.9545  # the slide's "≈ 95 %"
    both = prob_within(0.5, 16, n_secrets=2)
    assert both == pytest.approx(p**2) and round(both, 3) == 0.911
    assert prob_within(1.0, 4, sigma=3.0) == pytest.approx(2 * stats.norm.cdf(1.0 * 2 / 3.0) - 1, rel=1e-14)


def test_prob_within_matches_simulated_hat_trick():
    y = sample_means(16, 20_000, rng=77)
    hit = np.mean(np.abs(y) <= 0.5)
    p = prob_within(0.5, 16)
    assert abs(hit - p) < 4 * np.sqrt(p * (1 - p) / y.size)


def test_prob_within_is_one_not_nan_for_huge_arguments():
    assert prob_within(1e308, 10**6, sigma=1e-300) == 1.0


# --- bad input ---------------------------------------------------------------------------------------------


def test_simulate_estimator_rejects_bad_arguments():
    with pytest.raises(TypeError, match="^estimator must be callable"):
        simulate_estimator(3.0, normal, 5, 10, rng=0)
    with pytest.raises(TypeError, match="^sampler must be callable"):
        simulate_estimator(np.mean, None, 5, 10, rng=0)
    with pytest.raises(ValueError, match="^n must be >= 1"):
        simulate_estimator(np.mean, normal, 0, 10, rng=0)
    with pytest.raises(TypeError, match="^n must be an integer"):
        simulate_estimator(np.mean, normal, 5.0, 10, rng=0)
    with pytest.raises(ValueError, match="^n_reps must be >= 1"):
        simulate_estimator(np.mean, normal, 5, 0, rng=0)
    with pytest.raises(TypeError, match="^rng must be"):
        simulate_estimator(np.mean, normal, 5, 10, rng="seed")
    with pytest.raises(ValueError, match="^rng seed must be non-negative"):
        simulate_estimator(np.mean, normal, 5, 10, rng=-1)


def test_simulate_estimator_enforces_the_sampler_and_estimator_contracts():
    with pytest.raises(ValueError, match=r"^sampler must return an array of shape size=\(n_reps, n\)"):
        simulate_estimator(np.mean, lambda rng, size: rng.normal(size=5), 5, 10, rng=0)
    with pytest.raises(ValueError, match=r"^sampler must return an array of shape size=\(5,\)"):
        simulate_estimator(np.mean, lambda rng, size: rng.normal(size=(2, 5)), 5, 10, rng=0, batched=False)
    with pytest.raises(ValueError, match="^sampler output must contain only finite"):
        simulate_estimator(np.mean, lambda rng, size: np.full(size, np.nan), 5, 10, rng=0)
    with pytest.raises(ValueError, match="^estimator output must contain only finite"):
        simulate_estimator(lambda s: np.nan, normal, 5, 10, rng=0)
    with pytest.raises(ValueError, match="^estimator must return a single float"):
        simulate_estimator(lambda s: s[:2], normal, 5, 10, rng=0)
    with pytest.raises(ValueError, match=r"^estimator must return one estimate per replicate"):
        simulate_estimator(np.mean, normal, 5, 10, rng=0, vectorized=True)


def test_estimator_summary_rejects_bad_arguments():
    with pytest.raises(ValueError, match="^estimates must not be empty"):
        estimator_summary([], 1.0)
    with pytest.raises(ValueError, match="^estimates must contain only finite"):
        estimator_summary([1.0, np.nan], 1.0)
    with pytest.raises(ValueError, match="^estimates must be 1-D"):
        estimator_summary([[1.0]], 1.0)
    with pytest.raises(ValueError, match="^true_value must contain only finite"):
        estimator_summary([1.0], np.inf)
    with pytest.raises(ValueError, match="^true_value must be 0-D"):
        estimator_summary([1.0], [1.0, 2.0])


def test_consistency_table_rejects_bad_arguments():
    with pytest.raises(ValueError, match="^ns must be integers >= 1; got 0.0 at index 1"):
        consistency_table(np.mean, normal, [5, 0], 10, 0.0, rng=0)
    with pytest.raises(ValueError, match="^ns must be integers >= 1; got 2.5"):
        consistency_table(np.mean, normal, [2.5], 10, 0.0, rng=0)
    with pytest.raises(ValueError, match="^ns must be 1-D"):
        consistency_table(np.mean, normal, 5, 10, 0.0, rng=0)
    with pytest.raises(ValueError, match="^n_reps must be >= 1"):
        consistency_table(np.mean, normal, [5], 0, 0.0, rng=0)
    with pytest.raises(ValueError, match="^true_value must contain only finite"):
        consistency_table(np.mean, normal, [5], 10, np.nan, rng=0)
    with pytest.raises(TypeError, match="^estimator must be callable"):
        consistency_table("mean", normal, [5], 10, 0.0, rng=0)
    with pytest.raises(TypeError, match="^sampler must be callable"):
        consistency_table(np.mean, 1, [5], 10, 0.0, rng=0)
    with pytest.raises(TypeError, match="^rng must be"):
        consistency_table(np.mean, normal, [5], 10, 0.0, rng=1.5)


def test_sample_means_rejects_bad_arguments():
    with pytest.raises(ValueError, match="^n_per_mean must be >= 1"):
        sample_means(0, rng=0)
    with pytest.raises(ValueError, match="^n_means must be >= 1"):
        sample_means(16, 0, rng=0)
    with pytest.raises(ValueError, match="^mu must contain only finite"):
        sample_means(mu=np.nan, rng=0)
    with pytest.raises(ValueError, match="^sigma must be > 0"):
        sample_means(sigma=0.0, rng=0)
    with pytest.raises(TypeError, match="^rng must be"):
        sample_means(rng="x")


def test_prob_within_rejects_bad_arguments():
    with pytest.raises(ValueError, match="^half_width must be > 0"):
        prob_within(0.0, 16)
    with pytest.raises(ValueError, match="^half_width must be 0-D"):
        prob_within([0.5, 1.0], 16)
    with pytest.raises(ValueError, match="^n must be >= 1"):
        prob_within(0.5, 0)
    with pytest.raises(TypeError, match="^n must be an integer"):
        prob_within(0.5, 16.0)
    with pytest.raises(ValueError, match="^sigma must be > 0"):
        prob_within(0.5, 16, sigma=-1.0)
    with pytest.raises(ValueError, match="^n_secrets must be >= 1"):
        prob_within(0.5, 16, n_secrets=0)
