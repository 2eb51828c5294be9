"""Chapter 8's theory and corrections, checked by routes independent of the code they guard.

* The Σ_k update of ``ml.m_step``: (i) the derivative ∂ ln p(X)/∂Σ_k⁻¹ = ½ Σ_n γ(z_nk)[Σ_k − (x_n−μ_k)(x_n−μ_k)ᵀ]
  derived in the chapter matches finite differences of the log-likelihood; (ii) the update maximises the
  expected complete-data log-likelihood Q_k(Σ) = Σ_n γ(z_nk) ln N(x_n | μ_k, Σ) (scipy.stats density,
  scipy.optimize over a Cholesky factor, and random symmetric perturbations).
* Correction (a): samples of the full-covariance digit model keep neighbouring pixels correlated like real
  digits; samples of the diagonal model do not (the number that decides the chapter's claim).
* Correction (b): with ``init_params="random"`` on Old Faithful, ten restarts (``n_init=10``) end on the same
  saddle as one; a k-means start reaches the two-cluster fit with one start.
"""

from __future__ import annotations

import numpy as np
import pytest
import scipy.optimize as opt
import scipy.stats as stats

import mle_lib as ml


def _case(seed: int, n: int = 120, d: int = 3, k: int = 2):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d)) @ rng.normal(size=(d, d)) + rng.normal(size=d)
    resp = rng.dirichlet(np.ones(k), size=n).T  # (K, N), columns sum to 1
    return X, resp


def _q(X, g, mu, S):
    """Expected complete-data log-likelihood of one component, Σ_n γ_n ln N(x_n | μ, Σ), by scipy.stats."""
    return float(g @ stats.multivariate_normal(mu, S).logpdf(X))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_sigma_update_maximises_expected_complete_loglik_by_scipy_optimize(seed):
    X, resp = _case(seed)
    _, means, covs = ml.m_step(X, resp, reg_covar=0.0)
    d = X.shape[1]
    rows, cols = np.tril_indices(d)
    for k in range(resp.shape[0]):

        def neg_q(theta, k=k):
            L = np.zeros((d, d))
            L[rows, cols] = theta
            return -_q(X, resp[k], means[k], L @ L.T + 1e-12 * np.eye(d))

        start = np.eye(d)[rows, cols]
        res = opt.minimize(neg_q, start, method="BFGS", options={"gtol": 1e-9, "maxiter": 2000})
        L = np.zeros((d, d))
        L[rows, cols] = res.x
        assert np.allclose(L @ L.T, covs[k], atol=1e-5, rtol=1e-4), (L @ L.T, covs[k])


@pytest.mark.parametrize("seed", [3, 4])
def test_sigma_update_beats_random_symmetric_perturbations(seed):
    X, resp = _case(seed)
    _, means, covs = ml.m_step(X, resp, reg_covar=0.0)
    rng = np.random.default_rng(seed)
    for k in range(resp.shape[0]):
        best = _q(X, resp[k], means[k], covs[k])
        for _ in range(200):
            E = rng.normal(scale=0.05, size=covs[k].shape)
            S = covs[k] + (E + E.T) / 2 * np.sqrt(np.diag(covs[k]).mean())
            if np.linalg.eigvalsh(S).min() <= 0:
                continue
            assert _q(X, resp[k], means[k], S) < best


def test_derivative_wrt_precision_matches_finite_differences():
    """The chapter's derivation: ∂ ln p(X)/∂Λ_k = ½ Σ_n γ(z_nk)[Σ_k − (x_n−μ_k)(x_n−μ_k)ᵀ], Λ_k = Σ_k⁻¹."""
    X, _ = _case(5, d=2)
    rng = np.random.default_rng(5)
    w = np.array([0.3, 0.7])
    m = rng.normal(size=(2, 2))
    c = np.array([np.eye(2) * 2.0, [[1.5, 0.4], [0.4, 0.8]]])
    resp, _ = ml.e_step(X, w, m, c)
    for k in range(2):
        S = np.einsum("n,ni,nj->ij", resp[k], X - m[k], X - m[k])
        formula = 0.5 * (resp[k].sum() * c[k] - S)
        prec = np.linalg.inv(c[k])
        h = 1e-6
        numeric = np.zeros((2, 2))
        for i in range(2):
            for j in range(2):
                E = np.zeros((2, 2))
                E[i, j] = E[j, i] = h  # a symmetric step: moves entries (i, j) and (j, i) together
                up = c.copy()
                up[k] = np.linalg.inv(prec + E)
                dn = c.copy()
                dn[k] = np.linalg.inv(prec - E)
                numeric[i, j] = (ml.e_step(X, w, m, up)[1] - ml.e_step(X, w, m, dn)[1]) / (2 * h)
        # a symmetric step changes two entries off the diagonal, so it sees twice the off-diagonal derivative
        assert np.allclose(numeric, formula * (2 - np.eye(2)), rtol=1e-5, atol=1e-6)


# --- correction (a): full-covariance samples keep neighbouring pixels together ---------------------------------


def _neighbour_correlation(images: np.ndarray) -> float:
    """Mean correlation, across images, of horizontally adjacent pixels of 8 × 8 images (constant pixels left out)."""
    im = np.asarray(images).reshape(-1, 8, 8)
    a = im[:, :, :-1].reshape(len(im), -1)
    b = im[:, :, 1:].reshape(len(im), -1)
    keep = (a.std(axis=0) > 0) & (b.std(axis=0) > 0)
    a, b = a[:, keep], b[:, keep]
    a = (a - a.mean(0)) / a.std(0)
    b = (b - b.mean(0)) / b.std(0)
    return float(np.mean((a * b).mean(axis=0)))


@pytest.fixture(scope="module")
def digit_fits():
    from sklearn.datasets import load_digits

    images = load_digits().data
    full = ml.GaussianMixture(10, covariance_type="full", reg_covar=0.1, max_iter=40, random_state=0).fit(images)
    diag = ml.GaussianMixture(10, covariance_type="diag", reg_covar=0.1, max_iter=40, random_state=0).fit(images)
    return images, full, diag


def test_full_covariance_samples_keep_neighbouring_pixels_correlated(digit_fits):
    images, full, diag = digit_fits
    real = _neighbour_correlation(images)
    by_full = _neighbour_correlation(full.sample(1797, random_state=1)[0])
    by_diag = _neighbour_correlation(diag.sample(1797, random_state=1)[0])
    # the chapter's claim: full draws are close to real digits, diagonal draws lose half the correlation
    assert abs(by_full - real) < 0.1, (real, by_full)
    assert by_diag < by_full - 0.08, (by_full, by_diag)
    # and within a component, the diagonal model's draws have no neighbour correlation at all
    x, comp = diag.sample(1797, random_state=2)
    assert abs(_neighbour_correlation(x - diag.means_[comp])) < 0.05
    x, comp = full.sample(1797, random_state=2)
    assert _neighbour_correlation(x - full.means_[comp]) > 0.1


# --- correction (b): n_init does not rescue random starts here --------------------------------------------------


def test_n_init_does_not_rescue_random_starts_but_kmeans_needs_none():
    X = ml.load_old_faithful()
    Z = (X - X.mean(axis=0)) / X.std(axis=0)
    one_gaussian = ml.GaussianMixture(1).fit(Z).score(Z)
    two_clusters = ml.GaussianMixture(2, tol=1e-8, max_iter=1000, random_state=0).fit(Z).score(Z)
    for seed in range(3):
        rand1 = ml.GaussianMixture(2, init_params="random", n_init=1, random_state=seed).fit(Z).score(Z)
        rand10 = ml.GaussianMixture(2, init_params="random", n_init=10, random_state=seed).fit(Z).score(Z)
        km1 = ml.GaussianMixture(2, init_params="kmeans", n_init=1, random_state=seed).fit(Z).score(Z)
        # ten random restarts stop on the K = 1 saddle just like one ...
        assert abs(rand1 - one_gaussian) < 0.01 and abs(rand10 - one_gaussian) < 0.01
        # ... while one k-means start reaches the two-cluster fit
        assert abs(km1 - two_clusters) < 1e-3
        # and a tighter tol rescues a single random start
        tight = ml.GaussianMixture(2, init_params="random", tol=1e-6, max_iter=5000, random_state=seed).fit(Z)
        assert abs(tight.score(Z) - two_clusters) < 0.01
