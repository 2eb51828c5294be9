"""Property tests (hypothesis) of EM for Gaussian mixtures.

What is *provably* monotone, and therefore what is tested (see GaussianMixture's Notes):

* plain ML-EM with ``reg_covar = 0``: the log-likelihood ln p(X) never decreases — until a component
  collapses, which must then raise the documented error naming ``reg_covar``;
* MAP-EM (any ``reg_covar``, which is folded into the prior): ln p(X) + ln p(θ) never decreases;
* classification EM: the classification log-likelihood (+ ln p(θ) with a prior) never decreases;
* holding parameters ``fixed`` keeps each of these.

ML-EM with ``reg_covar > 0`` is *not* monotone for any fixed objective (counterexample in
test_mixture.py), so it is not tested here.

The data sets are small and nasty on purpose: duplicated points, K up to N, outliers at 1e6.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mle_lib import GaussianMixture, default_prior, e_step, m_step

TYPES = ("full", "tied", "diag", "spherical")
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def nasty_data(draw, max_n=24):
    D = draw(st.integers(1, 3))
    N = draw(st.integers(2, max_n))
    pool = draw(st.lists(st.floats(-5, 5, allow_nan=False, allow_infinity=False), min_size=1, max_size=4))
    value = st.one_of(st.sampled_from(pool), st.floats(-10, 10, allow_nan=False, allow_infinity=False))
    rows = draw(st.lists(st.lists(value, min_size=D, max_size=D), min_size=N, max_size=N))
    X = np.array(rows, dtype=float)
    X[np.abs(X) < 1e-90] = 0.0  # a feature spanning < 1e-100 is refused by fit (tested elsewhere)
    n_dup = draw(st.integers(0, N // 2))
    if n_dup:
        X[N - n_dup :] = X[0]  # exact duplicate points
    if draw(st.booleans()):
        X[draw(st.integers(0, N - 1))] = 1e6 * draw(st.sampled_from([1.0, -1.0]))  # an outlier
    K = draw(st.one_of(st.just(N), st.integers(1, N)))  # K = N often
    seed = draw(st.integers(0, 2**16))
    return X, K, seed


def _nondecreasing(values, rel=1e-9):
    v = np.asarray(values, dtype=float)
    scale = 1.0 + np.abs(v[:-1])
    return np.all(np.diff(v) >= -rel * scale), np.diff(v) / scale


def _start(X, K, ct, seed):
    rng = np.random.default_rng(seed)
    N = X.shape[0]
    m = X[rng.choice(N, K, replace=False)]
    var = X.var(axis=0)
    var = np.where(var > 0, var, 1.0)
    c = {
        "full": np.array([np.diag(var)] * K),
        "tied": np.diag(var),
        "diag": np.array([var] * K),
        "spherical": np.full(K, float(var.mean())),
    }[ct]
    return np.full(K, 1.0 / K), m, c


@SETTINGS
@given(data=nasty_data(), ct=st.sampled_from(TYPES))
def test_ml_em_never_lowers_the_log_likelihood(data, ct):
    """One step at a time with the public functions, reg_covar = 0, until a collapse (if any)."""
    X, K, seed = data
    w, m, c = _start(X, K, ct, seed)
    lls = []
    for _ in range(8):
        resp, ll = e_step(X, w, m, c, ct)
        np.testing.assert_allclose(resp.sum(axis=0), 1.0, rtol=1e-12)
        lls.append(ll)
        try:
            w, m, c = m_step(X, resp, ct, 0.0, weights=w, means=m, covariances=c)
        except ValueError as exc:  # a component collapsed: the documented error
            assert "reg_covar" in str(exc)
            break
    ok, d = _nondecreasing(lls)
    assert ok, d


@SETTINGS
@given(data=nasty_data(), ct=st.sampled_from(TYPES), init=st.sampled_from(["kmeans", "random"]))
def test_ml_em_fit_loop_is_monotone_or_reports_the_collapse(data, ct, init):
    X, K, seed = data
    K = max(1, min(K, len(X) // 3))  # K = N (certain collapse) is covered by the tests around this one
    gm = GaussianMixture(K, covariance_type=ct, reg_covar=0.0, tol=0, max_iter=8, init_params=init, random_state=seed)
    try:
        gm.fit(X)
    except ValueError as exc:
        assert "reg_covar" in str(exc)
        return
    ok, d = _nondecreasing(gm.loglik_history_)
    assert ok, d
    assert np.all(np.isfinite(gm.means_)) and np.all(np.isfinite(gm.weights_))


@SETTINGS
@given(
    data=nasty_data(),
    ct=st.sampled_from(TYPES),
    reg=st.sampled_from([0.0, 1e-6, 1e-2]),
    hard=st.booleans(),
    fixed=st.sampled_from([None, {"weights"}, {"means"}]),
)
def test_map_em_never_lowers_the_log_posterior(data, ct, reg, hard, fixed):
    X, K, seed = data
    kw = {}
    if fixed:
        w, m, _ = _start(X, K, ct, seed)
        kw = dict(weights_init=w, means_init=m, fixed=fixed)
    gm = GaussianMixture(
        K,
        covariance_type=ct,
        reg_covar=reg,
        prior="default",
        classification=hard,
        tol=0,
        max_iter=8,
        init_params="random",
        random_state=seed,
        **kw,
    )
    scale = default_prior(X, K, ct)["scale"]
    if ct in ("full", "tied"):
        lam = scale + reg * np.eye(X.shape[1])
        sd = np.sqrt(np.diag(lam))
        corr_min = np.linalg.eigvalsh(lam / np.outer(sd, sd))[0] if np.all(sd > 0) else 0.0
        tiny = np.diag(lam).min() if np.all(sd > 0) else 0.0
    else:
        corr_min, tiny = 1.0, scale + reg
    resolution = 1e-22 * (X**2).mean() * (X.shape[0] + 20)
    try:
        gm.fit(X)
    except ValueError as exc:
        msg = str(exc)
        if "prior['scale']" in msg:  # refused up front: only a (numerically) degenerate prior
            assert corr_min < 1e-11 or tiny <= resolution, msg
        else:  # rounding can defeat a badly conditioned prior: a clear error
            assert corr_min < 1e-7 and "reg_covar" in msg, msg
        return
    assert np.all(np.isfinite(gm.covariances_)) and np.all(np.isfinite(gm.loglik_history_))
    if corr_min < 1e-7:
        # ln p(θ) of a prior this ill-conditioned is only evaluated to ~ε/corr_min: monotone in exact
        # arithmetic, but the check below would test rounding, not EM.
        return
    ok, d = _nondecreasing(gm.objective_history_)
    assert ok, d
    assert np.all(np.isfinite(gm.covariances_)) and np.all(np.isfinite(gm.loglik_history_))
    p = gm.predict_proba(X)
    assert np.all(np.isfinite(p))
    np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=1e-12)


@SETTINGS
@given(data=nasty_data(), ct=st.sampled_from(TYPES))
def test_regularised_fits_never_produce_nan(data, ct):
    X, K, seed = data
    gm = GaussianMixture(K, covariance_type=ct, tol=0, max_iter=6, random_state=seed)
    try:
        gm.fit(X)
    except ValueError as exc:
        # only when reg_covar = 1e-6 is lost to rounding against the data's scale (e.g. Σ ≈ 1e11·[[1,1],[1,1]])
        assert "reg_covar" in str(exc) and gm.reg_covar < 1e-10 * (X**2).mean(axis=0).max(), str(exc)
        return
    for name in ("weights_", "means_", "covariances_", "loglik_history_", "precisions_cholesky_"):
        assert np.all(np.isfinite(getattr(gm, name))), name
    assert gm.weights_.sum() == pytest.approx(1.0)
    assert np.all(np.isfinite(gm.score_samples(X)))


@settings(max_examples=30, deadline=None)
@given(
    seed=st.integers(0, 2**16),
    K=st.integers(1, 5),
    D=st.integers(1, 3),
    ct=st.sampled_from(TYPES),
    scale=st.sampled_from([1e-3, 1.0, 1e3]),
)
def test_responsibilities_sum_to_one(seed, K, D, ct, scale):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(30, D)) * scale
    w = rng.dirichlet(np.ones(K))
    m = rng.normal(size=(K, D)) * scale
    A = rng.normal(size=(K, D, D))
    full = A @ np.swapaxes(A, 1, 2) * scale**2 + 0.1 * scale**2 * np.eye(D)
    c = {
        "full": full,
        "tied": full[0],
        "diag": np.diagonal(full, axis1=1, axis2=2).copy(),
        "spherical": np.diagonal(full, axis1=1, axis2=2).mean(axis=1),
    }[ct]
    resp, ll = e_step(X, w, m, c, ct)
    assert resp.shape == (K, 30)
    np.testing.assert_allclose(resp.sum(axis=0), 1.0, rtol=1e-12)
    assert np.all(resp >= 0) and np.isfinite(ll)
    hard, _ = e_step(X, w, m, c, ct, hard=True)
    np.testing.assert_array_equal(hard.sum(axis=0), 1.0)
    np.testing.assert_array_equal(hard.argmax(axis=0), resp.argmax(axis=0))
