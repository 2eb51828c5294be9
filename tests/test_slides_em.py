"""Slide claims and errata of the EM half (deck 1's EM slides, deck 2's mixture slides).

The worked tables of deck 1 (M-step table, two-component run) are asserted number by number in
tests/test_mixture.py; this file guards the errata of ERRATA.md E10–E13 through mle_lib, with
scipy as the independent route.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

import mle_lib as ml


def _mixture_logpdf(grid, weights, means, variances) -> np.ndarray:
    return ml.mixture_logpdf(grid, weights, means, variances, "spherical")


def _n_modes(density: np.ndarray) -> int:
    inner = density[1:-1]
    return int(np.sum((inner > density[:-2]) & (inner > density[2:])))


def test_share_prices_as_printed_are_one_normal_with_one_peak():
    """E10: A ~ N(100, 2²) ×1000 and B ~ N(100, 2²) ×800 mix to N(100, 2²): one peak, not two."""
    grid = np.linspace(80, 110, 3001)
    log_density = _mixture_logpdf(grid, [1000 / 1800, 800 / 1800], [100.0, 100.0], [4.0, 4.0])
    np.testing.assert_allclose(log_density, stats.norm.logpdf(grid, 100, 2), rtol=1e-12)
    assert _n_modes(np.exp(log_density)) == 1
    density = np.exp(_mixture_logpdf(grid, [1000 / 1800, 800 / 1800], [100.0, 90.0], [4.0, 4.0]))
    assert _n_modes(density) == 2
    peaks = grid[1:-1][(density[1:-1] > density[:-2]) & (density[1:-1] > density[2:])]
    np.testing.assert_allclose(np.sort(peaks), [90.0, 100.0], atol=0.05)


def test_mean_stationarity_condition_has_the_inverse_covariance():
    """E11: ∂ ln p(X)/∂μ_k = Σ_n γ(z_nk) Σ_k⁻¹ (x_n − μ_k); deck 2 prints Σ_k where Σ_k⁻¹ belongs."""
    rng = np.random.default_rng(7)
    X = np.vstack(
        [
            rng.multivariate_normal([0, 0], [[2.0, 0.8], [0.8, 1.0]], 60),
            rng.multivariate_normal([4, 3], [[1.0, -0.3], [-0.3, 0.5]], 40),
        ]
    )
    weights = np.array([0.55, 0.45])
    means = np.array([[0.3, -0.2], [3.7, 3.1]])
    covs = np.array([[[2.0, 0.8], [0.8, 1.0]], [[1.0, -0.3], [-0.3, 0.5]]])
    resp, _ = ml.e_step(X, weights, means, covs)

    def loglik(mu0):
        m = means.copy()
        m[0] = mu0
        return ml.e_step(X, weights, m, covs)[1]

    h = 1e-6
    numeric = np.array([(loglik(means[0] + h * e) - loglik(means[0] - h * e)) / (2 * h) for e in np.eye(2)])
    centred = X - means[0]
    right = np.linalg.solve(covs[0], (resp[0][:, None] * centred).sum(axis=0))
    as_printed = covs[0] @ (resp[0][:, None] * centred).sum(axis=0)
    np.testing.assert_allclose(numeric, right, rtol=1e-5, atol=1e-6)
    assert not np.allclose(numeric, as_printed, rtol=1e-2)


def test_mixing_weights_are_k_from_1_to_K_and_sum_to_one():
    """E12 (typographical: deck 2 sums π_k from k = 0): K weights, non-negative, summing to 1."""
    X = ml.load_old_faithful()
    gm = ml.GaussianMixture(n_components=3, random_state=0).fit(X)
    assert gm.weights_.shape == (3,)
    assert np.all(gm.weights_ >= 0) and gm.weights_.sum() == pytest.approx(1.0)


def test_m_step_maximises_the_expected_complete_data_log_likelihood():
    """E13: EM's M-step maximises E_z[ln L(x, z | θ)] — the expected *log*-likelihood — not E_z[L]."""
    rng = np.random.default_rng(3)
    x = np.r_[rng.normal(-2, 1, 40), rng.normal(3, 1.5, 60)]
    X = x[:, None]
    resp, _ = ml.e_step(X, [0.5, 0.5], [[-1.0], [1.0]], [1.0, 1.0], "spherical")

    def q(weights, means, variances):
        logs = np.log(weights)[:, None] + stats.norm.logpdf(
            x[None, :], np.ravel(means)[:, None], np.sqrt(np.ravel(variances))[:, None]
        )
        return float(np.sum(resp * logs))

    w, m, v = ml.m_step(X, resp, "spherical", reg_covar=0.0)
    best = q(w, m, v)
    for _ in range(200):
        dw = np.clip(w + rng.normal(0, 0.05, 2), 0.01, None)
        assert q(dw / dw.sum(), np.ravel(m) + rng.normal(0, 0.2, 2), np.ravel(v) * np.exp(rng.normal(0, 0.2, 2))) < best

    # Maximising the expected *likelihood* instead lands elsewhere. Under the E-step's distribution the
    # z_i are independent, so E_z[∏_i ∏_j (τ_j f_j(x_i))^{z_ij}] = ∏_i Σ_j γ_ij τ_j f_j(x_i).
    def neg_log_expected_lik(mu):
        terms = resp * 0.5 * stats.norm.pdf(x[None, :], mu[:, None], 1.0)
        return -float(np.sum(np.log(terms.sum(axis=0))))

    from scipy.optimize import minimize

    other = minimize(neg_log_expected_lik, np.ravel(m), method="Nelder-Mead").x
    assert not np.allclose(other, np.ravel(m), atol=1e-2)
