"""Chapter 2's view (pure function) and widget (in the kernel, no browser)."""

from __future__ import annotations

import io
import re

import numpy as np
import pytest
from PIL import Image
from scipy import stats

import mle_lib as ml
from mle_lib.views.coins import binomial_view


@pytest.mark.parametrize(("k", "n"), [(7, 20), (1, 20), (61, 100), (3, 4)])
def test_binomial_view_matches_scipy_and_a_numerical_fit(k, n):
    v = binomial_view(k, n)
    np.testing.assert_allclose(v.likelihood, stats.binom.pmf(k, n, v.p_grid), rtol=1e-10, atol=1e-300)
    assert v.p_grid[np.argmax(v.loglik)] == pytest.approx(k / n, abs=5e-4)
    fit = ml.numerical_mle(stats.binom, [k], fixed={"n": n, "loc": 0})  # curvature by finite differences
    assert v.p_hat == pytest.approx(fit.params["p"], abs=1e-6)
    assert v.standard_error == pytest.approx(fit.standard_errors["p"], rel=1e-4)
    assert (v.wald_low, v.wald_high) == pytest.approx(fit.wald_ci(0.95)["p"], rel=1e-4, abs=1e-6)
    assert v.standard_error == pytest.approx(np.sqrt(k / n * (1 - k / n) / n), rel=1e-12)
    assert v.loglik_at_hat == pytest.approx(stats.binom.logpmf(k, n, k / n), rel=1e-12)


@pytest.mark.parametrize(("k", "n", "edge"), [(0, 8, 0.0), (8, 8, 1.0), (0, 1, 0.0)])
def test_binomial_view_boundary_maximum_and_collapsed_band(k, n, edge):
    v = binomial_view(k, n)
    assert v.on_boundary and v.p_hat == edge and v.p_grid[np.argmax(v.likelihood)] == edge
    assert v.likelihood_at_hat == 1.0 and v.standard_error == 0.0 and v.wald_low == v.wald_high == edge
    slope = np.diff(v.loglik[np.isfinite(v.loglik)])
    assert np.all(slope < 0) if edge == 0.0 else np.all(slope > 0)  # monotone: no stationary point
    assert ml.numerical_mle(stats.binom, [k], fixed={"n": n, "loc": 0}).on_boundary
    text = v.readout()
    assert f"the maximum is on the boundary θ = {edge:g}" in text and "collapses to the single point" in text
    assert "p̂" not in text and not re.search(r"\bp\b", text) and "Wald band" in binomial_view(1, n + 1).readout()


def test_binomial_view_refuses_k_above_n_naming_both():
    with pytest.raises(ValueError, match=r"^k \(successes\) must not exceed n \(trials\); got k = 9 > n = 8$"):
        binomial_view(9, 8)
    with pytest.raises(ValueError, match="n must be >= 1"):
        binomial_view(0, 0)


def test_binomial_widget_wiring_and_picture():
    from mle_lib import widgets

    w = widgets.binomial_explorer()
    before = bytes(w.image.value)
    assert w.set(k=3) == binomial_view(3, 20).readout()
    assert bytes(w.image.value) != before
    width, height = Image.open(io.BytesIO(bytes(w.image.value))).size
    assert (width, height) == (round(w.figsize[0] * widgets.DPI), round(w.figsize[1] * widgets.DPI))
    assert w.set(n=2) == binomial_view(2, 2).readout()  # k is held at most n
    assert w.state == {"k": 2, "n": 2} and w.controls["k"].max == 2 and not w.error
    assert w.set(k=0).startswith("k = 0 of n = 2 trials succeed") and "boundary θ = 0" in w.readout_text
