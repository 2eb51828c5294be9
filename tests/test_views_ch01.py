"""Chapter 1's views (pure functions) and widgets (in the kernel, no browser)."""

from __future__ import annotations

import io
import itertools

import numpy as np
import pytest
from PIL import Image

import mle_lib as ml
from mle_lib.views.coins import coin_view, underflow_view


def test_coin_view_is_a_distribution_over_data_and_a_likelihood_over_theta():
    v = coin_view(0.6, "HHTHH")
    assert v.probabilities.sum() == pytest.approx(1.0, abs=1e-12)
    assert v.probabilities[v.observed_index] == pytest.approx(0.6**4 * 0.4, rel=1e-12)  # deck 1: 0.05184
    brute = [0.6 ** s.count("H") * 0.4 ** s.count("T") for s in ("".join(p) for p in itertools.product("TH", repeat=5))]
    np.testing.assert_allclose(v.probabilities, brute, rtol=1e-12)
    assert v.theta_grid[np.argmax(v.likelihood)] == pytest.approx(0.8, abs=1e-3)
    assert v.theta_hat == 0.8 and v.likelihood_at_theta == pytest.approx(0.05184, abs=1e-12)


def test_coin_view_refuses_bad_flips_naming_them():
    with pytest.raises(ValueError, match="^flips: must contain only the letters 'H' and 'T'"):
        coin_view(0.5, "HHx")
    with pytest.raises(ValueError, match="theta"):
        coin_view(1.5, "HT")


def test_underflow_view_l_reaches_zero_while_ln_l_stays_finite():
    small, large = underflow_view(100), underflow_view(2000)
    assert small.likelihood > 0 and large.likelihood == 0.0
    assert np.isfinite(large.loglik) and large.loglik == pytest.approx(1200 * np.log(0.6) + 800 * np.log(0.4))
    assert small.loglik == pytest.approx(ml.bernoulli_loglik(0.6, [1] * 60 + [0] * 40))
    first_zero = large.n_grid[np.argmax(large.likelihood_curve == 0)]
    assert 1000 < first_zero < 1200  # 0.6·ln 0.6 + 0.4·ln 0.4 ≈ −0.673 per flip; −744.4/0.673 ≈ 1106


def test_coin_widget_wiring_and_picture():
    from mle_lib import widgets

    w = widgets.coin_explorer()
    before = bytes(w.image.value)
    text = w.set(theta=0.3)
    assert text == coin_view(0.3, "HHTHH").readout() and 'data-state="{&quot;theta&quot;: 0.3' in w.readout.value
    assert bytes(w.image.value) != before
    width, height = Image.open(io.BytesIO(bytes(w.image.value))).size
    assert (width, height) == (round(w.figsize[0] * widgets.DPI), round(w.figsize[1] * widgets.DPI))
    assert w.set(flips="HHx").startswith("flips: must contain only")  # the readout says why; no exception
    assert bytes(w.image.value) != before and w.set(flips="HT").startswith("θ = 0.300")
    bundle = w._repr_mimebundle_()
    assert {"application/vnd.jupyter.widget-view+json", "image/png", "text/plain"} <= set(bundle)


def test_underflow_widget_wiring():
    from mle_lib import widgets

    w = widgets.underflow_explorer()
    assert w.set(n=2000) == underflow_view(2000, 0.6).readout()
    assert "underflowed to 0" in w.readout_text
