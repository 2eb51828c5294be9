"""Every number the two decks state for the MLE half of the course, checked through mle_lib.

Deck 1 is the "Interlude: MLE & EM" (UW CSE 312 material), deck 2 the BITS Pilani Session 15 slides.
Where a slide is wrong, the test asserts the correct value *and* that the slide's value differs, so
that ERRATA.md points at something that would fail if either the library or the erratum were wrong.
Independent routes (scipy.stats, scipy.integrate, scipy.optimize) are used wherever they exist.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import integrate, optimize, stats

import mle_lib as ml

# --- deck 1: likelihood of HHTHH, the 14 flips ------------------------------------------------------


def test_hhthh_is_more_likely_under_0_6_than_0_5():
    x = ml.flips_to_binary(ml.HHTHH)
    assert ml.bernoulli_likelihood(0.6, x) == pytest.approx(0.05184)
    assert ml.bernoulli_likelihood(0.5, x) == pytest.approx(0.03125)
    assert ml.bernoulli_mle(x) == pytest.approx(0.8)
    curve = optimize.minimize_scalar(lambda t: -(t**4) * (1 - t), bounds=(0, 1), method="bounded")
    assert curve.x == pytest.approx(0.8, abs=1e-5)


def test_fourteen_flips_give_five_fourteenths():
    x = ml.flips_to_binary(ml.FLIPS_14)
    assert len(x) == 14 and x.sum() == 5
    assert ml.bernoulli_mle(x) == pytest.approx(5 / 14)


# --- deck 2: 61 heads in 100 flips -------------------------------------------------------------------


def test_61_heads_among_three_candidates():
    p = np.array([1 / 3, 1 / 2, 2 / 3])
    values = ml.binomial_likelihood(p, 61, 100)
    assert values == pytest.approx(stats.binom.pmf(61, 100, p))
    assert f"{values[0]:.1e}" == "9.6e-09"
    assert round(values[1], 3) == 0.007
    assert round(values[2], 3) == 0.040
    assert ml.pick_mle(p, lambda t: ml.binomial_loglik(t, 61, 100)) == pytest.approx(2 / 3)


def test_61_heads_over_all_p_and_the_exponent_typo():
    """Deck 2 writes the maximal likelihood with (39/100)^2; the exponent is 39."""
    assert ml.binomial_mle(61, 100) == pytest.approx(0.61)
    best = ml.binomial_likelihood(0.61, 61, 100)
    assert best == pytest.approx(0.0816, abs=5e-5)
    slide = math.comb(100, 61) * 0.61**61 * 0.39**2
    assert slide > 1, "the slide's expression is not even a probability"
    assert best == pytest.approx(math.comb(100, 61) * 0.61**61 * 0.39**39)


# --- deck 2: binomial derivation and Example 3 ------------------------------------------------------


def test_binomial_derivation_solves_to_k_over_n():
    """Deck 2 ends the one-experiment derivation with θ = k/θ; the root of k/θ − (n−k)/(1−θ) is k/n."""
    k, n = 7, 20
    root = optimize.brentq(lambda t: k / t - (n - k) / (1 - t), 1e-9, 1 - 1e-9)
    assert root == pytest.approx(k / n)
    assert ml.binomial_mle(k, n) == pytest.approx(root)


def test_deck2_sample_010010_has_mle_one_third_not_two_fifths():
    x = np.array(ml.DECK2_SAMPLE)
    assert (x == 0).sum() == 4 and (x == 1).sum() == 2
    assert ml.bernoulli_mle(x) == pytest.approx(1 / 3)
    # The slide's likelihood (1-p)^3 p^2 miscounts the zeros; it is maximised at 2/5 instead.
    slide = optimize.minimize_scalar(
        lambda p: -(3 * np.log1p(-p) + 2 * np.log(p)), bounds=(1e-9, 1 - 1e-9), method="bounded"
    )
    assert slide.x == pytest.approx(2 / 5, abs=1e-5)
    assert ml.bernoulli_loglik(1 / 3, x) > ml.bernoulli_loglik(2 / 5, x)


def test_deck2_sample_likelihood_is_not_one_third():
    """The slide reads p̂ = 1/3 as 'a 1/3 chance to observe this sample'; that chance is 16/729."""
    x = np.array(ml.DECK2_SAMPLE)
    assert ml.bernoulli_likelihood(1 / 3, x) == pytest.approx(16 / 729)
    assert round(16 / 729, 4) == 0.0219


def test_n_binomial_experiments_pool_to_sum_over_N_n():
    """Deck 2's log-likelihood uses Σxᵢ·ln(1−p) (should be Σ(n−xᵢ)·ln(1−p)) and ends garbled."""
    k = np.array([3, 5, 4, 6, 2])
    n = 10
    expected = k.sum() / (len(k) * n)
    assert ml.binomial_mle(k, n) == pytest.approx(expected)
    fit = ml.numerical_mle(stats.binom, k, fixed={"n": n, "loc": 0})
    assert fit.params["p"] == pytest.approx(expected, abs=1e-6)
    assert ml.binomial_loglik(0.3, k, n) == pytest.approx(stats.binom.logpmf(k, n, 0.3).sum())
    # The slide's version has Σxᵢ in both terms and is therefore always maximised at p = 1/2.
    slide = optimize.minimize_scalar(
        lambda p: -(k.sum() * np.log(p) + k.sum() * np.log1p(-p)), bounds=(1e-9, 1 - 1e-9), method="bounded"
    )
    assert slide.x == pytest.approx(0.5, abs=1e-5) and expected != 0.5


# --- deck 2: Poisson ----------------------------------------------------------------------------------


def test_poisson_likelihood_divides_by_factorials():
    """Deck 2 writes ∏xᵢ where ∏xᵢ! belongs; ours equals scipy's pmf and λ̂ = x̄."""
    counts = np.array([2, 0, 3, 1, 5, 4])
    assert ml.poisson_loglik(2.5, counts) == pytest.approx(stats.poisson.logpmf(counts, 2.5).sum())
    slide_term = np.log(np.prod(counts[counts > 0]))
    right_term = np.sum([math.lgamma(c + 1) for c in counts])
    assert slide_term != pytest.approx(right_term)
    assert ml.poisson_mle(counts) == pytest.approx(counts.mean())
    fit = ml.numerical_mle(stats.poisson, counts, fixed={"loc": 0})
    assert fit.params["mu"] == pytest.approx(counts.mean(), abs=1e-6)


# --- both decks: the normal distribution ------------------------------------------------------------


def test_deck1_normal_density_has_sigma_not_sigma_squared():
    """Deck 1 writes 1/(√(2π)σ²); that integrates to 1/σ, so it is a density only when σ = 1."""
    mu, var = 1.0, 4.0
    slide, _ = integrate.quad(
        lambda t: np.exp(-((t - mu) ** 2) / (2 * var)) / (math.sqrt(2 * math.pi) * var), -np.inf, np.inf
    )
    ours, _ = integrate.quad(lambda t: ml.normal_likelihood(mu, var, [t]), -np.inf, np.inf)
    assert slide == pytest.approx(1 / math.sqrt(var))
    assert ours == pytest.approx(1.0)


def test_normal_mle_is_sample_mean_and_n_divisor_variance():
    rng = np.random.default_rng(2023)
    x = rng.normal(3, 2, size=50)
    mean, var = ml.normal_mle(x)
    loc, scale = stats.norm.fit(x)
    assert mean == pytest.approx(loc) and var == pytest.approx(scale**2)
    assert ml.normal_mle(x, ddof=1)[1] == pytest.approx(np.var(x, ddof=1))


# --- deck 2: uniform ------------------------------------------------------------------------------------


def test_uniform_mle_is_min_and_max():
    x = np.array([2.3, 0.7, 4.1, 3.3, 1.9])
    assert ml.uniform_mle(x) == (0.7, 4.1)
    assert ml.uniform_loglik(0.7, 4.1, x) == pytest.approx(-5 * np.log(4.1 - 0.7))
    assert ml.uniform_loglik(0.7, 4.2, x) < ml.uniform_loglik(0.7, 4.1, x)
    assert ml.uniform_loglik(0.8, 4.1, x) == -np.inf


# --- deck 1: the hat trick and hat trick 2 ------------------------------------------------------------


def test_hat_trick_posterior_at_6_001():
    post = ml.posterior_probs(6.001, [3, 7], sigma=1.0)
    assert round(post[1], 3) == 0.982
    assert round(stats.norm.pdf(6.001, 7, 1), 4) == 0.2422
    assert round(stats.norm.pdf(6.001, 3, 1), 4) == 0.0044
    assert round(ml.bayes_factor(6.001, 7, 3), 1) == 54.8
    assert ml.posterior_odds(6.001, 7, 3, prior_a=0.5) == pytest.approx(post[1] / post[0])


def test_hat_trick_bayes_factor_is_not_the_quotient_of_the_rounded_densities():
    """Deck 1 prints 0.2422/0.0044 = 54.8; the quotient of those rounded numbers is 55.0."""
    assert round(0.2422 / 0.0044, 1) == 55.0
    assert round(ml.bayes_factor(6.001, 7, 3), 1) == 54.8


def test_hat_trick_at_4_9_is_three_to_two_for_mu_3():
    odds = ml.posterior_odds(4.9, 3, 7)
    assert round(odds, 2) == 1.49
    assert odds == pytest.approx(1.5, abs=0.02)


def test_hat_trick_2_within_half_a_unit():
    """Y ~ N(μ, 1/16): P(|Y−μ| ≤ 0.5) = P(|Z| ≤ 2) ≈ 0.954 for one secret, its square for both."""
    one = ml.prob_within(0.5, 16, sigma=1.0)
    assert one == pytest.approx(2 * stats.norm.cdf(2) - 1)
    assert round(one, 4) == 0.9545
    assert round(one**2, 3) == 0.911
    means = ml.sample_means(16, 1000, rng=2023)
    assert len(means) == 1000
    assert np.std(means) == pytest.approx(0.25, rel=0.1)
