"""GaussianMixture.sample draws from the fitted model, for every covariance type.

Each component's draws are compared with the model's own parameters (public ``means_``, ``covariances_``,
``weights_``) by an independent route: numpy's sample mean and covariance, with tolerances of a few
standard errors computed from the number of draws. The fitted covariances are strongly correlated in
D = 3, so their Cholesky factor L is far from Lᵀ: a sampler that multiplies by Lᵀ instead of L (for
``full`` or ``tied``), mixes up components, or scales by variances instead of standard deviations
(``diag``, ``spherical``) draws from a different covariance and fails here.
"""

from __future__ import annotations

import numpy as np
import pytest

from mle_lib import GaussianMixture

TYPES = ("full", "tied", "diag", "spherical")
N_SAMPLES = 200_000
Z = 5.0  # standard errors allowed per compared number (the draws are seeded, so the check is repeatable)

# Two lower-triangular factors far from symmetric: Σ = A Aᵀ has correlations up to ≈ 0.9.
A = np.array([[1.0, 0.0, 0.0], [2.0, 1.0, 0.0], [-1.0, 3.0, 0.5]])
B = np.array([[2.0, 0.0, 0.0], [-1.5, 0.5, 0.0], [1.0, 1.0, 1.0]])
MEANS = np.array([[0.0, 0.0, 0.0], [20.0, -20.0, 20.0]])
WEIGHTS = np.array([0.3, 0.7])


def _data(covariance_type: str, n: int = 4000, seed: int = 0) -> np.ndarray:
    """Two well-separated correlated blobs; both share factor A when the model is ``tied``."""
    rng = np.random.default_rng(seed)
    factors = (A, A) if covariance_type == "tied" else (A, B)
    sizes = rng.multinomial(n, WEIGHTS)
    parts = [MEANS[k] + rng.standard_normal((sizes[k], 3)) @ factors[k].T for k in range(2)]
    return np.vstack(parts)


def _model_covariance(gm: GaussianMixture, k: int) -> np.ndarray:
    """Component k's D × D covariance, read from the public ``covariances_`` in its documented shape."""
    cov = np.asarray(gm.covariances_, dtype=float)
    D = gm.means_.shape[1]
    if gm.covariance_type == "full":
        return cov[k]
    if gm.covariance_type == "tied":
        return cov
    if gm.covariance_type == "diag":
        return np.diag(cov[k])
    return cov[k] * np.eye(D)


@pytest.fixture(scope="module", params=TYPES)
def fitted_and_sample(request):
    ct = request.param
    gm = GaussianMixture(2, covariance_type=ct, max_iter=500, random_state=0).fit(_data(ct))
    X, labels = gm.sample(N_SAMPLES, random_state=2024)
    return gm, np.asarray(X), np.asarray(labels)


def test_the_fitted_factors_are_far_from_symmetric():
    """The premise of this module: for ``full`` and ``tied`` the fitted L is far from Lᵀ (else a transposed
    factor would go unnoticed)."""
    for ct in ("full", "tied"):
        gm = GaussianMixture(2, covariance_type=ct, max_iter=500, random_state=0).fit(_data(ct))
        for k in range(2):
            L = np.linalg.cholesky(_model_covariance(gm, k))
            assert np.linalg.norm(L - L.T) > 0.5 * np.linalg.norm(L), (ct, k, L)
            # ... and the covariance drawn with Lᵀ would differ from Σ by many standard errors.
            assert np.abs(L.T @ L - L @ L.T).max() > 1.0


def test_sample_shapes_and_labels(fitted_and_sample):
    gm, X, labels = fitted_and_sample
    assert X.shape == (N_SAMPLES, gm.means_.shape[1])
    assert labels.shape == (N_SAMPLES,)
    assert set(np.unique(labels)) <= set(range(gm.n_components))
    assert np.all(np.isfinite(X))


def test_sample_proportions_match_weights(fitted_and_sample):
    gm, _, labels = fitted_and_sample
    share = np.bincount(labels, minlength=gm.n_components) / N_SAMPLES
    w = np.asarray(gm.weights_)
    se = np.sqrt(w * (1 - w) / N_SAMPLES)
    np.testing.assert_array_less(np.abs(share - w), Z * se)


def test_sample_mean_of_each_component_matches_means_(fitted_and_sample):
    gm, X, labels = fitted_and_sample
    for k in range(gm.n_components):
        Xk = X[labels == k]
        cov = _model_covariance(gm, k)
        se = np.sqrt(np.diag(cov) / len(Xk))
        np.testing.assert_array_less(np.abs(Xk.mean(axis=0) - gm.means_[k]), Z * se, err_msg=f"component {k}")


def test_sample_covariance_of_each_component_matches_covariances_(fitted_and_sample):
    """Entry (i, j) of a Gaussian sample covariance has variance (Σᵢᵢ Σⱼⱼ + Σᵢⱼ²)/n (Isserlis)."""
    gm, X, labels = fitted_and_sample
    for k in range(gm.n_components):
        Xk = X[labels == k]
        cov = _model_covariance(gm, k)
        se = np.sqrt((np.outer(np.diag(cov), np.diag(cov)) + cov**2) / len(Xk))
        S = np.cov(Xk, rowvar=False)
        np.testing.assert_array_less(np.abs(S - cov), Z * se, err_msg=f"{gm.covariance_type}, component {k}")
