"""Property tests (hypothesis) of EM for Gaussian mixtures.

What is *provably* monotone, and therefore what is tested (see GaussianMixture's Notes):

* plain ML-EM with ``reg_covar = 0``: the log-likelihood ln p(X) never decreases — until a component
  collapses, which must then raise the documented error naming ``reg_covar``;
* MAP-EM (any ``reg_covar``, which is folded into the prior): ln p(X) + ln p(θ) never decreases;
* classification EM: the classification log-likelihood (+ ln p(θ) with a prior) never decreases;
* holding parameters ``fixed`` keeps each of these.

ML-EM with ``reg_covar > 0`` is *not* monotone for any fixed objective (counterexample in
test_mixture.py), so it is not tested here.

The data sets are small and nasty on purpose: duplicated points, K up to N, outliers at 1e6. On such data
ML-EM with ``reg_covar = 0`` mostly collapses early, which would leave the monotonicity check with one or
two numbers to compare; the ML tests therefore draw mostly well-posed data (``well_posed_data``: a seeded
Gaussian cluster sample, duplicates or an outlier in one example in five). Every property test that can
leave early (a documented error, a degenerate case) counts which way each example left and asserts that
most examples reached the main branch (``assert_main_branch_share``), so a strategy that drifts into the
early exits fails instead of passing vacuously.
"""

from __future__ import annotations

from collections import Counter

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


@st.composite
def well_posed_data(draw, max_n=30):
    """Clustered data on which EM with reg_covar = 0 usually runs to the end; nasty one time in five.

    Returns (X, K, seed) like ``nasty_data``: N ≥ 4·K·D + 2 points of K Gaussian clusters (centres
    0, 1 or 5 standard deviations apart, overall scale 1e-3, 1 or 1e3), and in one example in five
    a block of exact duplicates or an outlier at ±1e6.
    """
    D = draw(st.integers(1, 3))
    K = draw(st.integers(1, 3))
    n_min = 4 * K * D + 2
    N = draw(st.integers(n_min, max(max_n, n_min)))
    seed = draw(st.integers(0, 2**16))
    spread = draw(st.sampled_from([5.0, 1.0, 0.0]))
    scale = draw(st.sampled_from([1.0, 1e-3, 1e3]))
    rng = np.random.default_rng(seed)
    centres = spread * rng.normal(size=(K, D))
    X = scale * (centres[rng.integers(K, size=N)] + rng.normal(size=(N, D)))
    nastiness = draw(st.sampled_from(["none", "none", "none", "duplicates", "outlier"]))
    if nastiness == "duplicates":
        X[N - draw(st.integers(2, max(2, N // 3))) :] = X[0]
    elif nastiness == "outlier":
        X[draw(st.integers(0, N - 1))] = 1e6 * draw(st.sampled_from([1.0, -1.0]))
    return X, K, seed


def assert_main_branch_share(branches: Counter, main: str = "main", minimum: float = 0.5) -> None:
    """Most hypothesis examples must reach the test's main branch, not leave through an early exit."""
    total = sum(branches.values())
    assert total > 0 and branches[main] >= minimum * total, (
        f"only {branches[main]} of {total} examples reached the main branch: {dict(branches)}"
    )


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


def test_ml_em_never_lowers_the_log_likelihood():
    """One step at a time with the public functions, reg_covar = 0, until a collapse (if any).

    Main branch: all eight steps run (eight log-likelihoods compared), no collapse.
    """
    branches: Counter = Counter()

    @SETTINGS
    @given(data=well_posed_data(), ct=st.sampled_from(TYPES))
    def check(data, ct):
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
                branches["collapse"] += 1
                break
        else:
            branches["main"] += 1
        ok, d = _nondecreasing(lls)
        assert ok, d

    check()
    assert_main_branch_share(branches)


def test_ml_em_fit_loop_is_monotone_or_reports_the_collapse():
    """Main branch: the fit runs its eight iterations; the early exit is the documented collapse error."""
    branches: Counter = Counter()

    @SETTINGS
    @given(data=well_posed_data(), ct=st.sampled_from(TYPES), init=st.sampled_from(["kmeans", "random"]))
    def check(data, ct, init):
        X, K, seed = data
        gm = GaussianMixture(
            K, covariance_type=ct, reg_covar=0.0, tol=0, max_iter=8, init_params=init, random_state=seed
        )
        try:
            gm.fit(X)
        except ValueError as exc:
            assert "reg_covar" in str(exc)
            branches["collapse"] += 1
            return
        branches["main"] += 1
        ok, d = _nondecreasing(gm.loglik_history_)
        assert ok, d
        assert np.all(np.isfinite(gm.means_)) and np.all(np.isfinite(gm.weights_))

    check()
    assert_main_branch_share(branches)


def test_map_em_never_lowers_the_log_posterior():
    """Main branch: the fit runs and its log posterior is compared step by step. Early exits: a prior
    refused up front or defeated by rounding (an error), or a prior so ill-conditioned that the check
    would test rounding."""
    branches: Counter = Counter()

    @SETTINGS
    @given(
        data=nasty_data(),
        ct=st.sampled_from(TYPES),
        reg=st.sampled_from([0.0, 1e-6, 1e-2]),
        hard=st.booleans(),
        fixed=st.sampled_from([None, {"weights"}, {"means"}]),
    )
    def check(data, ct, reg, hard, fixed):
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
            branches["refused"] += 1
            return
        assert np.all(np.isfinite(gm.covariances_)) and np.all(np.isfinite(gm.loglik_history_))
        if corr_min < 1e-7:
            # ln p(θ) of a prior this ill-conditioned is only evaluated to ~ε/corr_min: monotone in exact
            # arithmetic, but the check below would test rounding, not EM.
            branches["ill-conditioned prior"] += 1
            return
        branches["main"] += 1
        ok, d = _nondecreasing(gm.objective_history_)
        assert ok, d
        assert np.all(np.isfinite(gm.covariances_)) and np.all(np.isfinite(gm.loglik_history_))
        p = gm.predict_proba(X)
        assert np.all(np.isfinite(p))
        np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=1e-12)

    check()
    assert_main_branch_share(branches)


def test_regularised_fits_never_produce_nan():
    """Main branch: the default reg_covar = 1e-6 fit succeeds; the early exit is the error raised when
    reg_covar is lost to rounding against the data's scale."""
    branches: Counter = Counter()

    @SETTINGS
    @given(data=nasty_data(), ct=st.sampled_from(TYPES))
    def check(data, ct):
        X, K, seed = data
        gm = GaussianMixture(K, covariance_type=ct, tol=0, max_iter=6, random_state=seed)
        try:
            gm.fit(X)
        except ValueError as exc:
            # only when reg_covar = 1e-6 is lost to rounding against the data's scale (e.g. Σ ≈ 1e11·[[1,1],[1,1]])
            assert "reg_covar" in str(exc) and gm.reg_covar < 1e-10 * (X**2).mean(axis=0).max(), str(exc)
            branches["reg_covar lost to rounding"] += 1
            return
        branches["main"] += 1
        for name in ("weights_", "means_", "covariances_", "loglik_history_", "precisions_cholesky_"):
            assert np.all(np.isfinite(getattr(gm, name))), name
        assert gm.weights_.sum() == pytest.approx(1.0)
        assert np.all(np.isfinite(gm.score_samples(X)))

    check()
    assert_main_branch_share(branches)


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
