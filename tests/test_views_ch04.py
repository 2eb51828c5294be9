"""Chapter 4's views (pure functions) and widgets (in the kernel, no browser)."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image
from scipy import stats

import mle_lib as ml
from mle_lib.views.normal import divisor_moments, divisor_view, normal_surface, normal_view


@pytest.fixture(scope="module")
def x():
    rng = np.random.default_rng(2023)
    rng.normal(5.0, 1.0, size=20)  # the chapter draws Part 1's sample first
    return rng.normal(10.0, 2.0, size=30)  # Part 2's sample


@pytest.mark.parametrize(("mu", "sigma"), [(10.0, 2.0), (8.7, 1.1), (11.3, 3.4)])
def test_normal_view_stems_are_log_densities_summing_to_ln_l(x, mu, sigma):
    v = normal_view(mu, sigma, x)
    np.testing.assert_allclose(v.log_density, stats.norm.logpdf(x, mu, sigma), rtol=1e-12)
    assert v.loglik == pytest.approx(ml.normal_loglik(mu, sigma**2, x), rel=1e-12)
    np.testing.assert_allclose(v.curve_log_density, stats.norm.logpdf(v.curve_x, mu, sigma), rtol=1e-12)
    assert v.curve_x[0] < x.min() and v.curve_x[-1] > x.max()
    worst = x[np.argmax(np.abs(x - mu))]  # the point farthest from μ has the lowest stem
    assert f"lowest stem: x = {worst:.2f}" in v.readout() and f"σ² = {sigma**2:.2f}" in v.readout()


def test_normal_surface_peaks_at_the_scipy_fit_and_is_cached(x):
    s = normal_surface(x)
    loc, scale = stats.norm.fit(x)
    assert (s.mu_hat, s.var_hat) == pytest.approx((loc, scale**2), rel=1e-10)
    assert s.drop.max() <= 0.0
    i, j = np.unravel_index(np.argmax(s.drop), s.drop.shape)  # rows: σ², columns: μ
    assert abs(s.mu_grid[j] - loc) <= np.diff(s.mu_grid)[0] and abs(s.var_grid[i] - scale**2) <= np.diff(s.var_grid)[0]
    a, b = 37, 101
    brute = stats.norm.logpdf(x, s.mu_grid[b], np.sqrt(s.var_grid[a])).sum() - stats.norm.logpdf(x, loc, scale).sum()
    assert s.drop[a, b] == pytest.approx(brute, rel=1e-9)
    assert normal_surface(list(x)) is s and normal_view(9.0, 2.0, x).surface is s  # computed once
    with pytest.raises(ValueError, match="^x must hold at least two different values"):
        normal_surface([3.0, 3.0])


@pytest.mark.parametrize("n", [2, 5, 30])
def test_divisor_moments_closed_forms_match_the_chi_square_law(n):
    var = 4.0
    ss = stats.chi2(n - 1, scale=var)  # Σ(xᵢ − x̄)² for normal data
    for d in (n - 1, n, n + 1):
        bias, variance, mse = divisor_moments(n, d, var)
        assert bias == pytest.approx(ss.mean() / d - var, abs=1e-12)
        assert variance == pytest.approx(ss.var() / d**2, rel=1e-12)
        assert mse == pytest.approx(ss.expect(lambda t, d=d: (t / d - var) ** 2), rel=1e-7)


@pytest.mark.parametrize("divisor", ["n-1", "n", "n+1"])
def test_divisor_view_matches_a_seeded_simulation(divisor):
    n, var, reps = 5, 4.0, 200_000
    d = n + {"n-1": -1, "n": 0, "n+1": 1}[divisor]
    draws = ml.simulate_estimator(
        lambda s: ((s - s.mean(axis=-1, keepdims=True)) ** 2).sum(axis=-1) / d,
        lambda rng, size: rng.normal(10.0, np.sqrt(var), size),
        n=n,
        n_reps=reps,
        rng=2023,
        vectorized=True,
    )
    sim = ml.estimator_summary(draws, var)
    v = divisor_view(divisor, n, var)
    i = v.chosen
    assert abs(sim.bias - v.bias[i]) < 4 * np.sqrt(v.variance[i] / reps)
    assert sim.variance == pytest.approx(v.variance[i], rel=0.03)
    assert sim.mse == pytest.approx(v.mse[i], rel=0.03)


def test_divisor_view_least_mse_is_n_plus_1_and_readout():
    for n in (2, 3, 10, 50):
        v = divisor_view("n", n)
        assert v.names[int(np.argmin(v.mse))] == "n+1" and v.bias[0] == 0.0  # n − 1 is unbiased
        assert np.all(np.argmin(v.scaled_mse_curves, axis=0) == 2)
    assert divisor_view("n-1", 5).readout() == (
        "divisor n − 1 = 4 (n = 5, σ² = 4): bias = +0.000, variance = 8.000, MSE = 8.000; "
        "least MSE of the three: n + 1 (5.333)"
    )  # chapter 4's exact MSE: 2σ⁴/(n − 1) = 8 for n = 5, σ² = 4; the MLE's (2n − 1)σ⁴/n² = 5.76
    assert "MSE = 5.760" in divisor_view("n", 5).readout()
    with pytest.raises(ValueError, match=r"^divisor must be one of \['n-1', 'n', 'n\+1'\]; got 'n-2'"):
        divisor_view("n-2", 5)
    with pytest.raises(ValueError, match="^n must be >= 2"):
        divisor_view("n", 1)


def _png_size(w):
    return Image.open(io.BytesIO(bytes(w.image.value))).size


def test_normal_widget_wiring_and_picture(x):
    from mle_lib import widgets

    w = widgets.normal_explorer(x)
    assert w.readout_text.startswith(f"μ = {x.mean():.2f}")  # starts at the MLE
    before = bytes(w.image.value)
    assert w.set(mu=9.0) == normal_view(9.0, w.state["sigma"], x).readout()
    assert w.set(sigma=1.5) == normal_view(9.0, 1.5, x).readout()
    assert bytes(w.image.value) != before and w.state["x"] == x.tolist()
    assert _png_size(w) == (round(w.figsize[0] * widgets.DPI), round(w.figsize[1] * widgets.DPI))


def test_divisor_widget_wiring_and_picture():
    from mle_lib import widgets

    w = widgets.divisor_explorer()
    before = bytes(w.image.value)
    assert w.set(divisor="n+1") == divisor_view("n+1", 5, 4.0).readout()
    assert w.set(n=20) == divisor_view("n+1", 20, 4.0).readout()
    assert bytes(w.image.value) != before
    assert _png_size(w) == (round(w.figsize[0] * widgets.DPI), round(w.figsize[1] * widgets.DPI))
