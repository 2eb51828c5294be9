"""``mle_lib.GaussianMixture`` as a scikit-learn estimator: the API contract and the documented differences."""

from __future__ import annotations

import subprocess
import sys
import warnings

import numpy as np
import pytest
from sklearn.base import clone, is_clusterer, is_outlier_detector
from sklearn.exceptions import ConvergenceWarning, NotFittedError
from sklearn.mixture import GaussianMixture as SkGaussianMixture
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils import get_tags
from sklearn.utils.estimator_checks import parametrize_with_checks

import mle_lib
from mle_lib import GaussianMixture

COVARIANCE_TYPES = ("full", "tied", "diag", "spherical")

#: check_estimator's checks that contradict a documented design choice (see GaussianMixture, Notes).
EXPECTED_FAILED_CHECKS = {
    "check_fit1d": "a 1-D X is read as n samples of one feature, on purpose (lectures fit 1-D data)",
}


@parametrize_with_checks([GaussianMixture()], expected_failed_checks=lambda est: EXPECTED_FAILED_CHECKS)
def test_check_estimator(estimator, check):
    check(estimator)


def test_expected_failures_are_documented():
    for name in EXPECTED_FAILED_CHECKS:
        assert name in GaussianMixture.__doc__


def _blobs(n=300, seed=0):
    rng = np.random.default_rng(seed)
    X = np.vstack([rng.normal([0, 0], 1.0, (n, 2)), rng.normal([6, 0], 1.0, (n, 2)), rng.normal([0, 6], 0.5, (n, 2))])
    return rng.permutation(X)  # shuffled, so that unshuffled CV folds hold every cluster


def test_pipeline_in_grid_search_chooses_three_components():
    X = _blobs()
    search = GridSearchCV(
        make_pipeline(StandardScaler(), GaussianMixture(random_state=0)),
        {"gaussianmixture__n_components": [1, 2, 3, 4]},
        cv=3,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        search.fit(X)
    scores = search.cv_results_["mean_test_score"]
    assert np.argmax(scores) >= 2  # 3 or 4 components: held-out log-likelihood rises to K = 3
    assert scores[2] > scores[1] + 0.1 > scores[0] + 0.2


def test_estimator_type_and_clone():
    gm = GaussianMixture(3, covariance_type="diag", fixed={"weights"}, prior="default")
    assert not is_clusterer(gm) and not is_outlier_detector(gm)  # a density estimator, as scikit-learn's
    assert get_tags(gm).estimator_type == get_tags(SkGaussianMixture()).estimator_type == "density_estimator"
    c = clone(gm)
    assert c.get_params() == gm.get_params() and c is not gm


def test_not_fitted_error_is_sklearns():
    assert mle_lib.NotFittedError is NotFittedError
    with pytest.raises(NotFittedError, match="not fitted yet"):
        GaussianMixture().predict(np.zeros((3, 1)))


def test_import_mle_lib_does_not_import_sklearn():
    code = (
        "import sys, mle_lib; mle_lib.normal_mle([1.0, 2.0]); "
        "mle_lib.e_step([0.0], [1.0], [0.0], [1.0], 'spherical'); print('sklearn' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
    code = "import sys, mle_lib; mle_lib.GaussianMixture; print('sklearn' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "True"


@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
def test_same_int_seed_same_start_as_sklearn(covariance_type):
    """Every init draws from scikit-learn's random state in scikit-learn's order (max_iter=0: the start)."""
    X = _blobs(100)
    for init in ("kmeans", "k-means++", "random", "random_from_data"):
        kw = dict(covariance_type=covariance_type, init_params=init, max_iter=0, random_state=7)
        ours, sk = GaussianMixture(3, **kw).fit(X), SkGaussianMixture(3, **kw).fit(X)
        assert ours.n_iter_ == 0 and ours.lower_bound_ == -np.inf and ours.lower_bounds_ == []
        if init in ("kmeans", "random"):  # the same responsibilities, so the same first M-step
            np.testing.assert_allclose(ours.means_, sk.means_, rtol=1e-10, atol=1e-12)
            np.testing.assert_allclose(ours.covariances_, sk.covariances_, rtol=1e-8, atol=1e-12)
            continue
        # The documented difference: the same seeds (scikit-learn's means are the seed points, each
        # component owning its seed alone, Σ = reg_covar·I); we give every sample to its nearest seed.
        idx = [int(np.argmin(((X - s) ** 2).sum(axis=1))) for s in sk.means_]
        np.testing.assert_allclose(sk.means_, X[idx], rtol=1e-12)  # (N_k + 10ε)/N_k off the seed itself
        seeds = X[idx]
        nearest = np.argmin(((X[:, None, :] - seeds[None]) ** 2).sum(axis=2), axis=1)
        expected = np.array([X[nearest == k].mean(axis=0) for k in range(3)])
        np.testing.assert_allclose(ours.means_, expected, rtol=1e-12, atol=1e-12)
        if covariance_type != "tied":  # (scikit-learn's tied start pools X'X over only 3 samples' weight)
            assert np.max(sk.covariances_) < 1e-5 < np.min(np.atleast_1d(ours.covariances_).max(axis=-1))


def test_random_state_kinds():
    X = _blobs(50)
    a = GaussianMixture(3, random_state=3).fit(X)
    b = GaussianMixture(3, random_state=3).fit(X)
    assert np.array_equal(a.means_, b.means_)  # int: bit-identical
    rs = np.random.RandomState(0)
    gm = GaussianMixture(3, init_params="random", max_iter=0, random_state=rs)
    first, second = gm.fit(X).means_.copy(), gm.fit(X).means_.copy()
    assert not np.allclose(first, second)  # a shared RandomState is consumed, as in scikit-learn
    g1 = GaussianMixture(3, init_params="random", max_iter=0, random_state=np.random.default_rng(5)).fit(X)
    g2 = GaussianMixture(3, init_params="random", max_iter=0, random_state=np.random.default_rng(5)).fit(X)
    assert np.array_equal(g1.means_, g2.means_)  # Generators still work, reproducibly
    with pytest.raises(ValueError, match="random_state"):
        GaussianMixture(random_state="seed").fit(X)


@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
def test_precisions_init_equals_covariances_init(covariance_type):
    X = _blobs(80)
    start = GaussianMixture(3, covariance_type=covariance_type, random_state=0, max_iter=0).fit(X)
    common = dict(
        weights_init=start.weights_, means_init=start.means_, covariance_type=covariance_type, tol=0, max_iter=5
    )
    a = GaussianMixture(3, covariances_init=start.covariances_, **common).fit(X)
    b = GaussianMixture(3, precisions_init=start.precisions_, **common).fit(X)
    np.testing.assert_allclose(a.means_, b.means_, rtol=1e-9)
    np.testing.assert_allclose(a.covariances_, b.covariances_, rtol=1e-8)
    with pytest.raises(ValueError, match="give one"):
        GaussianMixture(
            3, covariances_init=start.covariances_, precisions_init=start.precisions_, covariance_type=covariance_type
        ).fit(X)


def test_lower_bound_means_what_sklearns_means():
    """Same start, same iterations: lower_bound_ and lower_bounds_ equal scikit-learn's."""
    X = _blobs(200)
    start = GaussianMixture(3, random_state=0, max_iter=0).fit(X)
    kw = dict(
        weights_init=start.weights_, means_init=start.means_, precisions_init=start.precisions_, tol=1e-6, max_iter=50
    )
    ours = GaussianMixture(3, **kw).fit(X)
    sk = SkGaussianMixture(3, **kw).fit(X)
    assert ours.n_iter_ == sk.n_iter_
    assert ours.lower_bound_ == pytest.approx(sk.lower_bound_, rel=1e-12)
    if hasattr(sk, "lower_bounds_"):  # scikit-learn keeps the whole history from 1.7 on (the lock)
        np.testing.assert_allclose(ours.lower_bounds_, sk.lower_bounds_, rtol=1e-12)
    else:  # scikit-learn 1.6 (make test-compat) keeps only the last value
        assert len(ours.lower_bounds_) == sk.n_iter_
        assert ours.lower_bounds_[-1] == pytest.approx(sk.lower_bound_, rel=1e-12)
    # ours also keeps the value at the returned parameters
    assert ours.loglik_history_[-1] == pytest.approx(ours.score(X), rel=1e-13)
    assert ours.loglik_history_[-2] == pytest.approx(ours.lower_bound_, rel=1e-13)


def test_warm_start_continues_where_it_stopped():
    X = _blobs(200)
    g = GaussianMixture(3, max_iter=6, tol=0, random_state=1).fit(X)
    h = GaussianMixture(3, max_iter=2, tol=0, random_state=1, warm_start=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        for _ in range(3):
            h.fit(X)
    np.testing.assert_allclose(h.means_, g.means_, rtol=1e-12)
    assert h.n_iter_ == 2


def test_convergence_warning_and_max_iter_zero():
    X = _blobs(100)
    with pytest.warns(ConvergenceWarning, match="did not converge"):
        GaussianMixture(3, max_iter=1, random_state=0).fit(X)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        gm = GaussianMixture(3, max_iter=0, random_state=0).fit(X)  # no warning: the start is the point
        exact = GaussianMixture(3, max_iter=4, tol=0, random_state=0).fit(X)  # tol=0: exactly max_iter, asked for
    assert exact.n_iter_ == 4 and not exact.converged_
    with pytest.warns(ConvergenceWarning):
        SkGaussianMixture(3, max_iter=4, tol=0, random_state=0).fit(X)  # the documented difference
    assert gm.n_iter_ == 0 and gm.lower_bounds_ == [] and gm.loglik_history_.shape == (1,)


def test_documented_difference_weights_of_an_empty_component():
    """scikit-learn adds 10·ε to every N_k; we keep N_k exact, so an empty component has weight ≈ 0."""
    X = np.r_[np.zeros(50), np.ones(50)][:, None] + np.random.default_rng(0).normal(0, 0.01, (100, 1))
    kw = dict(
        weights_init=[0.5, 0.49, 0.01],
        means_init=[[0.0], [1.0], [1e6]],
        precisions_init=[[[1e4]], [[1e4]], [[1.0]]],
        max_iter=1,
        tol=0,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        ours = GaussianMixture(3, **kw).fit(X)
        sk = SkGaussianMixture(3, **kw).fit(X)
    assert ours.weights_[2] < 1e-250  # N_k / N, with N_k ≈ 0 (below EMPTY_NK: an empty component)
    assert sk.weights_[2] == pytest.approx(10 * np.finfo(float).eps / 100, rel=1e-3)  # (N_k + 10ε) / N


def test_documented_difference_centred_log_density():
    """Data far from the origin: our log-density stays exact where scikit-learn's loses digits."""
    rng = np.random.default_rng(0)
    X = 1e8 + rng.normal(0, 1, (500, 2))
    means = np.array([[1e8 + 0.1, 1e8 - 0.3]])
    cov = np.array([[[2.0, 0.6], [0.6, 1.0]]])
    ours = GaussianMixture(1, weights_init=[1.0], means_init=means, covariances_init=cov, max_iter=0).fit(X)
    sk = SkGaussianMixture(1)
    sk.weights_, sk.means_, sk.precisions_cholesky_ = ours.weights_, ours.means_, ours.precisions_cholesky_
    ours, sk = ours.score_samples(X), sk.score_samples(X)
    d = X - means[0]
    exact = (
        -np.log(2 * np.pi)
        - 0.5 * np.log(np.linalg.det(cov[0]))
        - 0.5 * np.einsum("nd,de,ne->n", d, np.linalg.inv(cov[0]), d)
    )
    assert np.max(np.abs(ours - exact)) < 1e-12
    assert np.max(np.abs(sk - exact)) > 1e-9
