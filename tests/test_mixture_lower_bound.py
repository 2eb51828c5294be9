"""The lower bound (ELBO) of :func:`mle_lib.lower_bound`, checked by routes that do not use it.

ln L(θ) = ELBO(q, θ) + Σ_n KL(q_n ‖ γ_n(θ)): the reference log-likelihood and responsibilities here
come from ``scipy.stats.multivariate_normal`` and ``scipy.special.logsumexp``, the reference bound from
``scipy.special.xlogy`` and the gap from ``scipy.special.rel_entr`` — none of them from ``mle_lib``.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy import stats
from scipy.special import logsumexp, rel_entr, xlogy

import mle_lib as ml

TYPES = ("full", "tied", "diag", "spherical")


def _params(ct: str, K: int, D: int, seed: int):
    """Random data and parameters θ (covariances in scikit-learn's shapes) plus the full matrices."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(30, D)) * 2 + rng.integers(0, 3, size=(30, 1))
    w = rng.dirichlet(np.ones(K))
    means = rng.normal(size=(K, D)) * 2
    if ct == "full":
        A = rng.normal(size=(K, D, D))
        cov = A @ np.transpose(A, (0, 2, 1)) + np.eye(D)
        mats = cov
    elif ct == "tied":
        A = rng.normal(size=(D, D))
        cov = A @ A.T + np.eye(D)
        mats = np.broadcast_to(cov, (K, D, D))
    elif ct == "diag":
        cov = rng.uniform(0.5, 3.0, size=(K, D))
        mats = np.array([np.diag(c) for c in cov])
    else:
        cov = rng.uniform(0.5, 3.0, size=K)
        mats = np.array([c * np.eye(D) for c in cov])
    return X, w, means, cov, mats


def _reference(X, w, means, mats):
    """(ln L, γ as (K, N), ln π_k + ln N(x_n|μ_k,Σ_k) as (K, N)) from scipy.stats alone."""
    log_joint = np.array(
        [np.log(w[k]) + stats.multivariate_normal(means[k], mats[k]).logpdf(X).reshape(-1) for k in range(len(w))]
    )
    per_point = logsumexp(log_joint, axis=0)
    return float(per_point.sum()), np.exp(log_joint - per_point), log_joint


@pytest.mark.parametrize("ct", TYPES)
@pytest.mark.parametrize("D", [1, 2, 3])
def test_bound_touches_loglik_at_the_e_step_responsibilities(ct, D):
    X, w, means, cov, mats = _params(ct, 3, D, seed=10 * D + TYPES.index(ct))
    ll_ref, gamma_ref, _ = _reference(X, w, means, mats)
    resp, _ = ml.e_step(X, w, means, cov, ct)
    bound = ml.lower_bound(X, resp, w, means, cov, ct)
    assert bound == pytest.approx(ll_ref, rel=1e-12, abs=1e-10)
    # and with scipy's responsibilities too (no mle_lib in q)
    assert ml.lower_bound(X, gamma_ref, w, means, cov, ct) == pytest.approx(ll_ref, rel=1e-12, abs=1e-10)


@st.composite
def _case(draw):
    ct = draw(st.sampled_from(TYPES))
    D = draw(st.integers(1, 3))
    K = draw(st.integers(2, 4))
    seed = draw(st.integers(0, 10_000))
    X, w, means, cov, mats = _params(ct, K, D, seed)
    # q: random non-negative columns (some exact zeros), normalised per point
    raw = np.array(
        draw(
            st.lists(
                st.one_of(st.just(0.0), st.floats(1e-6, 1.0)),
                min_size=K * X.shape[0],
                max_size=K * X.shape[0],
            )
        )
    ).reshape(K, X.shape[0])
    raw[0, raw.sum(axis=0) == 0] = 1.0  # every column needs some mass
    return ct, X, w, means, cov, mats, raw / raw.sum(axis=0)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_case())
def test_bound_is_below_loglik_by_exactly_the_kl_divergence(case):
    ct, X, w, means, cov, mats, q = case
    ll_ref, gamma_ref, log_joint = _reference(X, w, means, mats)
    bound = ml.lower_bound(X, q, w, means, cov, ct)
    kl = float(rel_entr(q, gamma_ref).sum())  # Σ_n KL(q_n ‖ γ_n), 0 · ln(0/γ) = 0
    elbo_ref = float(np.sum(q * log_joint - xlogy(q, q)))
    assert bound == pytest.approx(elbo_ref, rel=1e-11, abs=1e-9)
    assert ll_ref - bound == pytest.approx(kl, rel=1e-8, abs=1e-8)
    assert bound < ll_ref  # a random q is never exactly the posterior


@pytest.mark.parametrize("ct", TYPES)
@pytest.mark.parametrize("D", [1, 2])
def test_m_step_maximises_the_bound_and_so_ln_l_rises(ct, D):
    X, w, means, cov, _mats = _params(ct, 2, D, seed=3 + D)
    q, ll_old = ml.e_step(X, w, means, cov, ct)
    w1, m1, c1 = ml.m_step(X, q, ct, reg_covar=0.0)
    old = ml.lower_bound(X, q, w, means, cov, ct)
    new = ml.lower_bound(X, q, w1, m1, c1, ct)
    _, ll_new = ml.e_step(X, w1, m1, c1, ct)
    assert old == pytest.approx(ll_old, rel=1e-12)
    assert new > old + 1e-6
    assert ll_new >= new - 1e-9
    # the M-step's θ is the maximiser over θ for this q: moving any mean lowers the bound
    for k in range(2):
        for step in (-1e-3, 1e-3):
            moved = m1.copy()
            moved[k, 0] += step
            assert ml.lower_bound(X, q, w1, moved, c1, ct) < new


def test_zero_responsibility_counts_zero_even_for_a_zero_weight():
    x = np.array([-1.0, 0.0, 2.0])
    q = np.array([[0.0, 0.0, 0.0], [1.0, 1.0, 1.0]])
    value = ml.lower_bound(x, q, [0.0, 1.0], [5.0, 0.0], [1.0, 1.0], "spherical")
    assert value == pytest.approx(stats.norm(0, 1).logpdf(x).sum(), rel=1e-13)
    q_bad = np.array([[0.5, 0.0, 0.0], [0.5, 1.0, 1.0]])
    assert ml.lower_bound(x, q_bad, [0.0, 1.0], [5.0, 0.0], [1.0, 1.0], "spherical") == -np.inf


@pytest.mark.parametrize(
    ("resp", "message"),
    [
        (np.full((3, 2), 0.5), r"resp must have shape .*\(2, 3\).*pass resp.T"),
        (np.full((2, 4), 0.5), r"resp must have shape"),
        (np.array([[1.5, 0.5, 0.5], [-0.5, 0.5, 0.5]]), r"resp must be non-negative; got -0.5 at resp\[1, 0\]"),
        (np.array([[0.5, 0.5, 0.6], [0.5, 0.5, 0.5]]), r"column 2 sums to 1.1"),
        (np.array([[0.5, np.nan, 0.5], [0.5, 0.5, 0.5]]), r"resp"),
    ],
)
def test_bad_q_is_refused_with_a_message_naming_resp(resp, message):
    with pytest.raises(ValueError, match=message):
        ml.lower_bound([0.0, 1.0, 2.0], resp, [0.5, 0.5], [0.0, 2.0], [1.0, 1.0], "spherical")


def test_bad_parameters_are_refused_like_the_e_step():
    q = np.full((2, 3), 0.5)
    with pytest.raises(ValueError, match="weights"):
        ml.lower_bound([0.0, 1.0, 2.0], q, [0.5, 0.6], [0.0, 2.0], [1.0, 1.0], "spherical")
    with pytest.raises(ValueError, match="covariance_type"):
        ml.lower_bound([0.0, 1.0, 2.0], q, [0.5, 0.5], [0.0, 2.0], [1.0, 1.0], "round")
