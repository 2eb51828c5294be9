"""Chapter 3's view (pure function) and widget (in the kernel, no browser)."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image
from scipy import stats

import mle_lib as ml
from mle_lib.views.poisson import poisson_view


@pytest.fixture(scope="module")
def counts():
    return np.random.default_rng(2023).poisson(2.0, size=24)  # the chapter's simulated day


@pytest.mark.parametrize("lam", [0.7, 1.5, 2.0, 3.9])
def test_poisson_view_score_is_the_slope_of_ln_l(counts, lam):
    v = poisson_view(lam, counts)
    h = 1e-5  # central difference of the library's ln L: an independent route to the slope
    slope = (ml.poisson_loglik(lam + h, counts) - ml.poisson_loglik(lam - h, counts)) / (2 * h)
    assert v.score == pytest.approx(slope, rel=1e-6, abs=1e-6)
    assert v.loglik == pytest.approx(stats.poisson.logpmf(counts, lam).sum(), rel=1e-12)
    np.testing.assert_allclose(v.loglik_curve, [stats.poisson.logpmf(counts, t).sum() for t in v.lam_grid], rtol=1e-12)
    assert np.diff(v.tangent_loglik)[0] / np.diff(v.tangent_lam)[0] == pytest.approx(slope, rel=1e-6, abs=1e-6)
    assert v.lam_hat == pytest.approx(counts.mean()) and v.n == 24 and v.total == counts.sum()


def test_poisson_view_tangent_is_flat_at_the_mle_only(counts):
    lam_hat = ml.numerical_mle(stats.poisson, counts, fixed={"loc": 0}).params["mu"]
    top = poisson_view(counts.mean(), counts)
    assert top.score == pytest.approx(0.0, abs=1e-12) and "flat: the top" in top.readout()
    assert top.lam_hat == pytest.approx(lam_hat, abs=1e-6)
    assert "rising" in poisson_view(lam_hat - 0.1, counts).readout()
    assert "falling" in poisson_view(lam_hat + 0.1, counts).readout()


def test_poisson_view_observed_vs_expected_counts(counts):
    v = poisson_view(1.7, counts)
    assert v.observed.sum() == counts.size and v.values[-1] == counts.max() + 2
    assert all(v.observed[x] == np.sum(counts == x) for x in v.values)
    expected = [counts.size * ml.poisson_likelihood(1.7, [x]) for x in v.values]
    np.testing.assert_allclose(v.expected, expected, rtol=1e-12)


def test_poisson_view_refuses_bad_input_naming_it():
    with pytest.raises(ValueError, match="^lam must be > 0"):
        poisson_view(0.0, [1, 2])
    with pytest.raises(ValueError, match="^counts must be non-negative integers; got -1.0 at index 1"):
        poisson_view(1.0, [1, -1])


def test_poisson_widget_wiring_and_picture(counts):
    from mle_lib import widgets

    w = widgets.poisson_explorer(counts, lam=1.2)
    before = bytes(w.image.value)
    assert w.set(lam=3.1) == poisson_view(3.1, counts).readout()
    assert "falling" in w.readout_text and bytes(w.image.value) != before
    assert w.state["counts"] == counts.tolist() and "&quot;counts&quot;: [" in w.readout.value
    width, height = Image.open(io.BytesIO(bytes(w.image.value))).size
    assert (width, height) == (round(w.figsize[0] * widgets.DPI), round(w.figsize[1] * widgets.DPI))
    slider = w.controls["lam"]
    assert slider.min <= counts.mean() / 4 + 0.01 and slider.max >= 2.5 * counts.mean() - 0.01
