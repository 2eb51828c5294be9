"""EM for a mixture of binomials (the two-coins problem), each claim checked by an independent route:

* the numbers Do & Batzoglou (2008) publish (0.71/0.58 after one iteration, 0.80/0.52 after ten);
* responsibilities against Bayes' rule written with ``scipy.stats.binom`` in the probability domain;
* the M-step against chapter 2's binomial MLE on one-hot responsibilities, and against a numerical
  maximisation of the expected complete-data log-likelihood;
* the fixed point against ``scipy.optimize`` on the observed-data log-likelihood (nothing better, the
  gradient ≈ 0), the log-likelihood against a direct ``scipy.stats.binom`` sum;
* ln L never decreases along EM (hypothesis property);
* bad input raises errors that name the argument.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import optimize, stats

import mle_lib as ml
from mle_lib.binomial_mixture import binomial_e_step, binomial_em, binomial_m_step, binomial_mixture_loglik

H = np.array(ml.TWO_COINS_HEADS, dtype=float)
N = ml.TWO_COINS_TOSSES


def bayes_posterior(h, n, thetas, weights):
    """P(coin j | hᵢ) by Bayes' rule with scipy.stats.binom pmfs (probability domain, no logs)."""
    joint = np.array([w * stats.binom.pmf(h, n, t) for t, w in zip(thetas, weights, strict=True)])
    return joint / joint.sum(axis=0)


def direct_loglik(h, n, thetas, weights):
    return float(np.sum(np.log(sum(w * stats.binom.pmf(h, n, t) for t, w in zip(thetas, weights, strict=True)))))


# -- the published numbers -----------------------------------------------------------------------


@pytest.mark.parametrize("iterations", sorted(ml.TWO_COINS_PUBLISHED))
def test_two_coins_reproduces_do_and_batzoglou(iterations):
    r = binomial_em(H, N, ml.TWO_COINS_START, fix_weights=True, tol=0, max_iter=iterations)
    assert r.n_iter == iterations
    np.testing.assert_allclose(r.thetas, ml.TWO_COINS_PUBLISHED[iterations], atol=0.005)
    np.testing.assert_array_equal(r.thetas.round(2), ml.TWO_COINS_PUBLISHED[iterations])


def test_first_iteration_by_hand():
    # The paper's expected-counts table: set 1 (5 heads) is 0.45 coin A, so it lends A 2.2 heads, 2.2 tails.
    gamma_a = stats.binom.pmf(H, N, 0.6) / (stats.binom.pmf(H, N, 0.6) + stats.binom.pmf(H, N, 0.5))
    np.testing.assert_allclose(gamma_a.round(2), [0.45, 0.80, 0.73, 0.35, 0.65])
    theta_a = (gamma_a @ H) / (gamma_a.sum() * N)
    theta_b = ((1 - gamma_a) @ H) / ((1 - gamma_a).sum() * N)
    r = binomial_em(H, N, ml.TWO_COINS_START, fix_weights=True, tol=0, max_iter=1)
    np.testing.assert_allclose(r.thetas, [theta_a, theta_b], rtol=1e-12)


def test_complete_data_case_is_chapter_2s_mle():
    onehot = np.array([[c == "A" for c in ml.TWO_COINS_LABELS], [c == "B" for c in ml.TWO_COINS_LABELS]], float)
    thetas, weights = binomial_m_step(H, N, onehot)
    a = [h for h, c in zip(H, ml.TWO_COINS_LABELS, strict=True) if c == "A"]
    b = [h for h, c in zip(H, ml.TWO_COINS_LABELS, strict=True) if c == "B"]
    np.testing.assert_allclose(thetas, [ml.binomial_mle(a, N), ml.binomial_mle(b, N)], rtol=1e-14)
    np.testing.assert_allclose(thetas, [0.80, 0.45])
    np.testing.assert_allclose(weights, [3 / 5, 2 / 5])


# -- E-step and log-likelihood against scipy.stats ---------------------------------------------------


@given(
    st.lists(st.integers(0, 30), min_size=1, max_size=12),
    st.lists(st.floats(0.02, 0.98), min_size=2, max_size=4),
    st.data(),
)
@settings(max_examples=60, deadline=None)
def test_responsibilities_are_bayes_posteriors(heads, thetas, data):
    n = 30
    weights = np.array(data.draw(st.lists(st.floats(0.05, 1.0), min_size=len(thetas), max_size=len(thetas))))
    weights /= weights.sum()
    resp, ll = binomial_e_step(heads, n, thetas, weights)
    np.testing.assert_allclose(resp, bayes_posterior(np.array(heads), n, thetas, weights), rtol=1e-9, atol=1e-12)
    assert ll == pytest.approx(direct_loglik(np.array(heads), n, thetas, weights), rel=1e-10)


def test_unequal_trials_per_set():
    h, n = np.array([3, 40, 7]), np.array([5, 50, 20])
    resp, ll = binomial_e_step(h, n, [0.3, 0.7], [0.4, 0.6])
    np.testing.assert_allclose(resp, bayes_posterior(h, n, [0.3, 0.7], [0.4, 0.6]), rtol=1e-10)
    assert ll == pytest.approx(direct_loglik(h, n, [0.3, 0.7], [0.4, 0.6]), rel=1e-12)


def test_log_domain_survives_long_sets():
    # 5000 tosses per set: every pmf underflows to 0 in the probability domain, the posterior does not.
    resp, ll = binomial_e_step([2600, 4000], 5000, [0.5, 0.8])
    assert np.isfinite(ll) and np.all(np.isfinite(resp))
    np.testing.assert_allclose(resp.sum(axis=0), 1.0)
    assert resp[0, 0] > 0.999 and resp[1, 1] > 0.999


# -- M-step and the fixed point -------------------------------------------------------------------


@pytest.mark.parametrize(
    "heads, trials", [(H, N), (np.array([5, 9, 3, 4, 7]), np.array([10, 20, 5, 8, 12]))], ids=["equal", "unequal"]
)
def test_m_step_maximises_the_expected_complete_loglik(heads, trials):
    rng = np.random.default_rng(9)
    resp = rng.dirichlet([1.0, 1.0], size=heads.size).T

    def q(params):
        t, w = params[:2], np.array([params[2], 1 - params[2]])
        return -float(np.sum(resp * (np.log(w)[:, None] + stats.binom.logpmf(heads, trials, t[:, None]))))

    best = optimize.minimize(
        q, [0.5, 0.5, 0.5], bounds=[(1e-6, 1 - 1e-6)] * 3, method="L-BFGS-B", options={"ftol": 1e-15, "gtol": 1e-12}
    )
    thetas, weights = binomial_m_step(heads, trials, resp)
    np.testing.assert_allclose(thetas, best.x[:2], atol=1e-5)
    np.testing.assert_allclose(weights[0], best.x[2], atol=1e-5)


@pytest.mark.parametrize("fix_weights", [True, False])
def test_em_fixed_point_is_a_maximum_of_the_observed_loglik(fix_weights):
    r = binomial_em(H, N, ml.TWO_COINS_START, fix_weights=fix_weights, tol=1e-13)
    assert r.converged

    if fix_weights:
        x0 = r.thetas

        def f(x):
            return -direct_loglik(H, N, x, [0.5, 0.5])
    else:
        x0 = np.r_[r.thetas, r.weights[0]]

        def f(x):
            return -direct_loglik(H, N, x[:2], [x[2], 1 - x[2]])

    grad = optimize.approx_fprime(x0, f, 1e-7)
    assert np.max(np.abs(grad)) < 1e-4
    for start in (x0, np.full(x0.size, 0.4) + np.arange(x0.size) * 0.1):
        best = optimize.minimize(f, start, bounds=[(1e-6, 1 - 1e-6)] * x0.size, method="L-BFGS-B")
        assert -best.fun <= r.loglik[-1] + 1e-8
    assert r.loglik[-1] == pytest.approx(-f(x0), rel=1e-12)


def test_label_switching_gives_the_same_likelihood():
    ab = binomial_em(H, N, (0.6, 0.5), fix_weights=True)
    ba = binomial_em(H, N, (0.5, 0.6), fix_weights=True)
    np.testing.assert_allclose(ab.thetas, ba.thetas[::-1], rtol=1e-6)
    assert ab.loglik[-1] == pytest.approx(ba.loglik[-1], rel=1e-12)
    np.testing.assert_allclose(ab.resp, ba.resp[::-1], atol=1e-6)


def test_equal_start_never_separates():
    r = binomial_em(H, N, (0.5, 0.5), fix_weights=True)
    np.testing.assert_allclose(r.thetas, [H.sum() / (N * H.size)] * 2)
    np.testing.assert_allclose(r.resp, 0.5)
    assert r.loglik[-1] < binomial_em(H, N, (0.6, 0.5), fix_weights=True).loglik[-1] - 0.4


# -- ln L never decreases --------------------------------------------------------------------------


@given(
    st.lists(st.integers(0, 20), min_size=2, max_size=15),
    st.lists(st.floats(0.01, 0.99), min_size=2, max_size=3, unique=True),
    st.booleans(),
)
@settings(max_examples=80, deadline=None)
def test_loglik_never_decreases(heads, thetas, fix_weights):
    r = binomial_em(heads, 20, thetas, fix_weights=fix_weights, tol=0, max_iter=30)
    assert np.all(np.diff(r.loglik) >= -1e-10 * np.abs(r.loglik[:-1]).max())
    assert r.loglik.size == r.n_iter + 1 == r.theta_path.shape[0]
    np.testing.assert_allclose(r.resp.sum(axis=0), 1.0)


def test_result_and_stopping():
    r = binomial_em(H, N, ml.TWO_COINS_START, fix_weights=True, tol=1e-6)
    assert r.converged and r.n_iter < 20 and r.loglik[-1] - r.loglik[-2] < 1e-6
    s = binomial_em(H, N, ml.TWO_COINS_START, fix_weights=True, tol=0, max_iter=3)
    assert not s.converged and s.n_iter == 3
    z = binomial_em(H, N, ml.TWO_COINS_START, max_iter=0)
    assert z.n_iter == 0 and z.loglik.size == 1
    np.testing.assert_allclose(z.thetas, ml.TWO_COINS_START)
    assert binomial_mixture_loglik(H, N, r.thetas) == pytest.approx(r.loglik[-1], rel=1e-12)


# -- bad input --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: binomial_e_step([5, 11], 10, [0.6, 0.5]), "heads cannot exceed trials: set 1 has 11 heads in 10"),
        (lambda: binomial_e_step([5, -1], 10, [0.6, 0.5]), "heads must be non-negative integers"),
        (lambda: binomial_e_step([5, 2.5], 10, [0.6, 0.5]), "heads must be non-negative integers"),
        (lambda: binomial_e_step([5, 4], 0, [0.6, 0.5]), "trials must be >= 1"),
        (lambda: binomial_e_step([5, 4], [10, 10, 10], [0.6, 0.5]), "trials must be one integer or one count per set"),
        (lambda: binomial_e_step([5, 4], 10, [0.6, 1.0]), "thetas must lie strictly between 0 and 1; got 1.0"),
        (lambda: binomial_e_step([5, 4], 10, [0.0, 0.5]), "thetas must lie strictly between 0 and 1; got 0.0"),
        (lambda: binomial_e_step([5, 4], 10, [0.6, 0.5], [0.5, 0.6]), "weights must sum to 1"),
        (lambda: binomial_e_step([5, 4], 10, [0.6, 0.5], [1.0]), r"weights must have one entry per coin \(2\)"),
        (lambda: binomial_e_step([[5, 4]], 10, [0.6, 0.5]), "heads"),
        (lambda: binomial_m_step([5, 4], 10, [[0.5, 0.5]] * 3), "columns sums|column 0 sums"),
        (lambda: binomial_m_step([5, 4], 10, [[1, 1, 0], [0, 0, 1]]), r"resp must have shape \(K, N\) with N = 2"),
        (lambda: binomial_m_step([5, 4], 10, [[1.5, 1], [-0.5, 0]]), "resp must be >= 0"),
        (lambda: binomial_m_step([5, 4], 10, [[1, 1], [0, 0]]), "coin 1 no tosses"),
        (lambda: binomial_em([5, 4], 10, [0.6, 1.2]), "thetas_init must lie strictly between 0 and 1"),
        (lambda: binomial_em([5, 4], 10, [0.6, 0.5], [0.2, 0.2]), "weights_init must sum to 1"),
        (lambda: binomial_em([5, 4], 10, [0.6, 0.5], tol=-1), "tol must be >= 0"),
        (lambda: binomial_em([5, 4], 10, [0.6, 0.5], max_iter=-1), "max_iter must be >= 0"),
    ],
)
def test_bad_input_names_the_argument(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_non_integer_max_iter_is_a_type_error():
    with pytest.raises(TypeError, match="max_iter must be an integer"):
        binomial_em([5, 4], 10, [0.6, 0.5], max_iter=2.5)
