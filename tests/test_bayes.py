"""The hat trick: posterior probabilities, Bayes factors and posterior odds.

The slide's numbers are asserted; the general case is checked against a direct scipy.stats.norm
computation; properties (rows sum to 1, no NaN at any finite x) are checked with hypothesis.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy import stats

from mle_lib.bayes import bayes_factor, hypothesis_densities, posterior_odds, posterior_probs
from mle_lib.datasets import HAT_TRICK_MEANS, HAT_TRICK_X, HAT_TRICK_X_ALT

SETTINGS = settings(max_examples=50, deadline=None, derandomize=True, database=None)


# --- the slide's numbers -----------------------------------------------------------------------


def test_slide_densities_at_6_001():
    f3, f7 = hypothesis_densities(HAT_TRICK_X, HAT_TRICK_MEANS)
    assert round(f7, 4) == 0.2422
    assert round(f3, 4) == 0.0044


def test_slide_bayes_factor_is_54_8_to_1():
    bf = bayes_factor(HAT_TRICK_X, 7.0, 3.0)
    assert round(bf, 1) == 54.8
    assert int(bf) == 54  # "50:50 prior odds become 54:1"
    assert posterior_odds(HAT_TRICK_X, 7.0, 3.0) == pytest.approx(bf)


def test_slide_posterior_is_0_982():
    post = posterior_probs(HAT_TRICK_X, HAT_TRICK_MEANS, sigma=1.0, priors=[0.5, 0.5])
    assert round(post[1], 3) == 0.982
    assert post.sum() == pytest.approx(1.0)


def test_slide_x_4_9_gives_odds_3_to_2_for_mu_3():
    odds = posterior_odds(HAT_TRICK_X_ALT, 3.0, 7.0)
    assert round(odds, 2) == 1.49
    assert odds == pytest.approx(3 / 2, abs=0.01)
    post = posterior_probs(HAT_TRICK_X_ALT, HAT_TRICK_MEANS)
    assert post[0] / post[1] == pytest.approx(odds)


# --- against a direct computation ----------------------------------------------------------------


def test_posterior_matches_direct_scipy_computation():
    rng = np.random.default_rng(312)
    for _ in range(20):
        k = int(rng.integers(1, 6))
        means = rng.normal(0, 5, k)
        sigma = rng.uniform(0.3, 3.0, k)
        priors = rng.dirichlet(np.ones(k))
        x = rng.normal(0, 6, 7)
        joint = priors * stats.norm.pdf(x[:, None], means, sigma)
        expected = joint / joint.sum(axis=1, keepdims=True)
        np.testing.assert_allclose(posterior_probs(x, means, sigma, priors), expected, rtol=1e-10, atol=1e-14)
        np.testing.assert_allclose(
            hypothesis_densities(x, means, sigma), stats.norm.pdf(x[:, None], means, sigma), rtol=1e-12
        )


def test_bayes_factor_and_odds_match_scipy():
    x = np.linspace(-3, 12, 31)
    bf = stats.norm.pdf(x, 7, 2) / stats.norm.pdf(x, 3, 2)
    np.testing.assert_allclose(bayes_factor(x, 7.0, 3.0, sigma=2.0), bf, rtol=1e-12)
    np.testing.assert_allclose(posterior_odds(x, 7.0, 3.0, sigma=2.0, prior_a=0.2), bf * 0.25, rtol=1e-12)


def test_bayes_factor_equals_posterior_odds_with_equal_priors():
    x = np.linspace(-5, 15, 41)
    post = posterior_probs(x, [7.0, 3.0], sigma=1.5)
    np.testing.assert_allclose(post[:, 0] / post[:, 1], bayes_factor(x, 7.0, 3.0, sigma=1.5), rtol=1e-10)
    np.testing.assert_allclose(posterior_odds(x, 7.0, 3.0, sigma=1.5), bayes_factor(x, 7.0, 3.0, sigma=1.5), rtol=1e-14)


def test_shapes_scalar_and_vector_x():
    assert posterior_probs(5.0, [1.0, 2.0, 3.0]).shape == (3,)
    assert posterior_probs([5.0, 6.0], [1.0, 2.0, 3.0]).shape == (2, 3)
    assert hypothesis_densities(5.0, [1.0, 2.0]).shape == (2,)
    assert isinstance(bayes_factor(5.0, 1.0, 2.0), float)
    assert bayes_factor([5.0, 6.0], 1.0, 2.0).shape == (2,)


# --- extremes and edge cases -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "x,expected",
    [(1e3, [0.0, 1.0]), (-1e3, [1.0, 0.0]), (1e200, [0.0, 1.0]), (-1e300, [1.0, 0.0]), (1.7e308, [0.0, 1.0])],
)
def test_extreme_x_gives_certainty_not_nan(x, expected):
    # Both densities underflow to 0 here: the naive ratio would be 0/0.
    post = posterior_probs(x, HAT_TRICK_MEANS)
    np.testing.assert_array_equal(post, expected)


def test_extreme_x_with_unequal_sigma_favours_the_widest():
    # Far out, the heavier tail wins; among equal σ the nearer mean wins.
    post = posterior_probs([1e3, 1e160, -1e200], [3.0, 7.0, 0.0], sigma=[1.0, 1.0, 0.5])
    np.testing.assert_array_equal(post, [[0.0, 1.0, 0.0], [0.0, 1.0, 0.0], [1.0, 0.0, 0.0]])
    post = posterior_probs(1e200, [3.0, 7.0, 0.0], sigma=[1.0, 1.0, 2.0])
    np.testing.assert_array_equal(post, [0.0, 0.0, 1.0])


def test_tiny_sigma_still_decides():
    post = posterior_probs([4.9, 5.0, 5.1], [3.0, 7.0], sigma=1e-160)
    np.testing.assert_array_equal(post, [[1.0, 0.0], [0.5, 0.5], [0.0, 1.0]])


def test_zero_prior_gives_zero_posterior_and_equal_means_keep_the_prior():
    post = posterior_probs([0.0, 7.0, 1e300], [3.0, 7.0, 0.0], priors=[0.5, 0.5, 0.0])
    assert np.all(post[:, 2] == 0.0)
    np.testing.assert_allclose(post.sum(axis=1), 1.0)
    np.testing.assert_allclose(posterior_probs(4.0, [1.0, 1.0], priors=[0.3, 0.7]), [0.3, 0.7])


def test_extreme_bayes_factor_is_inf_or_zero_not_nan():
    np.testing.assert_array_equal(bayes_factor([1e300, -1e300], 7.0, 3.0), [np.inf, 0.0])
    assert bayes_factor(1e300, 3.0, 3.0) == 1.0


# --- properties --------------------------------------------------------------------------------------

finite = st.floats(allow_nan=False, allow_infinity=False)


@st.composite
def hypotheses(draw):
    k = draw(st.integers(1, 5))
    means = draw(st.lists(st.floats(-100, 100), min_size=k, max_size=k))
    sigma = draw(st.one_of(st.floats(0.05, 20), st.lists(st.floats(0.05, 20), min_size=k, max_size=k)))
    weights = np.array(draw(st.lists(st.floats(0.0, 1.0), min_size=k, max_size=k)))
    assume(weights.sum() > 1e-3)
    return means, sigma, weights / weights.sum()


@SETTINGS
@given(hypotheses(), st.lists(st.floats(-1e4, 1e4), min_size=1, max_size=8))
def test_posteriors_are_probabilities_summing_to_one(hyp, xs):
    means, sigma, priors = hyp
    post = posterior_probs(xs, means, sigma, priors)
    assert post.shape == (len(xs), len(means))
    assert np.all((post >= 0) & (post <= 1))
    np.testing.assert_allclose(post.sum(axis=1), 1.0, rtol=1e-12)
    assert np.all(post[:, priors == 0] == 0)


@SETTINGS
@given(hypotheses(), st.lists(finite, min_size=1, max_size=8))
def test_posteriors_never_nan_at_any_finite_x(hyp, xs):
    means, sigma, priors = hyp
    post = posterior_probs(xs, means, sigma, priors)
    assert np.all(np.isfinite(post))
    np.testing.assert_allclose(post.sum(axis=1), 1.0, rtol=1e-12)


@SETTINGS
@given(hypotheses(), st.floats(-50, 50), st.randoms(use_true_random=False))
def test_posteriors_follow_a_relabelling_of_the_hypotheses(hyp, x, rnd):
    means, sigma, priors = hyp
    order = list(range(len(means)))
    rnd.shuffle(order)
    sig = np.broadcast_to(np.asarray(sigma, float), (len(means),))
    post = posterior_probs(x, means, sigma, priors)
    perm = posterior_probs(x, np.asarray(means)[order], sig[order], priors[order])
    np.testing.assert_allclose(perm, post[order], atol=1e-12)


# --- bad input ---------------------------------------------------------------------------------------


def test_posterior_probs_rejects_bad_arguments():
    with pytest.raises(ValueError, match="^priors must sum to 1"):
        posterior_probs(5.0, [3.0, 7.0], priors=[0.5, 0.6])
    with pytest.raises(ValueError, match="^priors must be a probability"):
        posterior_probs(5.0, [3.0, 7.0], priors=[1.5, -0.5])
    with pytest.raises(ValueError, match=r"^priors must have one entry per mean \(2\)"):
        posterior_probs(5.0, [3.0, 7.0], priors=[1.0])
    with pytest.raises(ValueError, match="^priors must be 1-D"):
        posterior_probs(5.0, [3.0, 7.0], priors=[[0.5, 0.5]])
    with pytest.raises(ValueError, match="^sigma must be > 0"):
        posterior_probs(5.0, [3.0, 7.0], sigma=0.0)
    with pytest.raises(ValueError, match="^sigma must be > 0"):
        posterior_probs(5.0, [3.0, 7.0], sigma=[1.0, -1.0])
    with pytest.raises(ValueError, match=r"^sigma must be a scalar or have one entry per mean \(2\)"):
        posterior_probs(5.0, [3.0, 7.0], sigma=[1.0, 1.0, 1.0])
    with pytest.raises(ValueError, match="^means must be 1-D"):
        posterior_probs(5.0, 3.0)
    with pytest.raises(ValueError, match="^means must contain only finite"):
        posterior_probs(5.0, [3.0, np.nan])
    with pytest.raises(ValueError, match="^means must not be empty"):
        posterior_probs(5.0, [])
    with pytest.raises(ValueError, match="^x must be 0-D or 1-D"):
        posterior_probs([[5.0]], [3.0, 7.0])
    with pytest.raises(ValueError, match="^x must contain only finite"):
        posterior_probs([5.0, np.inf], [3.0, 7.0])
    with pytest.raises(TypeError, match="^x must"):
        posterior_probs("5", [3.0, 7.0])


def test_hypothesis_densities_rejects_bad_arguments():
    with pytest.raises(ValueError, match="^sigma must be > 0"):
        hypothesis_densities(5.0, [3.0, 7.0], sigma=-1.0)
    with pytest.raises(ValueError, match="^means must be 1-D"):
        hypothesis_densities(5.0, [[3.0, 7.0]])
    with pytest.raises(ValueError, match="^x must contain only finite"):
        hypothesis_densities(np.nan, [3.0])


@pytest.mark.parametrize("func", [bayes_factor, posterior_odds])
def test_pairwise_functions_reject_bad_arguments(func):
    with pytest.raises(ValueError, match="^mean_a must contain only finite"):
        func(5.0, np.nan, 3.0)
    with pytest.raises(ValueError, match="^mean_b must be 0-D"):
        func(5.0, 7.0, [3.0, 4.0])
    with pytest.raises(ValueError, match="^sigma must be > 0"):
        func(5.0, 7.0, 3.0, sigma=0.0)
    with pytest.raises(ValueError, match="^sigma must be 0-D"):
        func(5.0, 7.0, 3.0, sigma=[1.0, 2.0])
    with pytest.raises(ValueError, match="^x must be 0-D or 1-D"):
        func([[5.0]], 7.0, 3.0)


@pytest.mark.parametrize("prior_a", [0.0, 1.0])
def test_posterior_odds_needs_a_prior_strictly_inside(prior_a):
    with pytest.raises(ValueError, match="^prior_a must be strictly between 0 and 1"):
        posterior_odds(5.0, 7.0, 3.0, prior_a=prior_a)


def test_posterior_odds_rejects_a_non_probability_prior():
    with pytest.raises(ValueError, match="^prior_a must be a probability"):
        posterior_odds(5.0, 7.0, 3.0, prior_a=1.5)
    with pytest.raises(TypeError, match="^prior_a must"):
        posterior_odds(5.0, 7.0, 3.0, prior_a=True)


def test_means_a_hair_apart_are_indistinguishable():
    # Regression: scaling by a subnormal half-range once blew x up to inf and picked a winner.
    np.testing.assert_allclose(posterior_probs(1.0, [0.0, 5e-324]), [0.5, 0.5])
