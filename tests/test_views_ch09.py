"""Chapter 9's view (a pure function) and widget (in the kernel, no browser)."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image
from scipy import stats

import mle_lib as ml
from mle_lib.views.coins_em import MAX_ITERATION, THETA_GRID, coins_em_view, loglik_surface

H = np.array(ml.TWO_COINS_HEADS)


def em_by_hand(start, k):
    """k iterations of the paper's EM written out with scipy.stats.binom (equal weights, no library)."""
    ta, tb = start
    path = [(ta, tb)]
    for _ in range(k):
        la, lb = stats.binom.pmf(H, 10, ta), stats.binom.pmf(H, 10, tb)
        ga = la / (la + lb)
        ta, tb = ga @ H / (10 * ga.sum()), (1 - ga) @ H / (10 * (1 - ga).sum())
        path.append((ta, tb))
    return np.array(path)


@pytest.mark.parametrize("start", [(0.6, 0.5), (0.3, 0.9), (0.5, 0.6)])
@pytest.mark.parametrize("k", [0, 1, 10, MAX_ITERATION])
def test_view_path_equals_em_by_hand(start, k):
    v = coins_em_view(*start, k)
    np.testing.assert_allclose(v.path, em_by_hand(start, k), rtol=1e-12)
    la, lb = stats.binom.pmf(H, 10, v.thetas[0]), stats.binom.pmf(H, 10, v.thetas[1])
    np.testing.assert_allclose(v.resp[0], la / (la + lb), rtol=1e-12)
    ll = [np.sum(np.log(0.5 * stats.binom.pmf(H, 10, a) + 0.5 * stats.binom.pmf(H, 10, b))) for a, b in v.path]
    np.testing.assert_allclose(v.loglik, ll, rtol=1e-12)
    assert np.all(np.diff(v.loglik) >= -1e-12)


def test_view_published_numbers_and_limit():
    one, ten = coins_em_view(0.6, 0.5, 1), coins_em_view(0.6, 0.5, 10)
    np.testing.assert_array_equal(one.thetas.round(2), ml.TWO_COINS_PUBLISHED[1])
    np.testing.assert_array_equal(ten.thetas.round(2), ml.TWO_COINS_PUBLISHED[10])
    np.testing.assert_allclose(one.limit, [0.7968, 0.5196], atol=1e-4)
    swapped = coins_em_view(0.5, 0.6, 0)
    np.testing.assert_allclose(swapped.limit, one.limit[::-1], atol=1e-6)  # label switching
    stuck = coins_em_view(0.5, 0.5, 5)
    np.testing.assert_allclose(stuck.limit, [0.66, 0.66])


def test_surface_matches_scipy_and_peaks_at_the_em_answer():
    s = loglik_surface()
    i, j = 37, 71
    a, b = THETA_GRID[j], THETA_GRID[i]
    direct = np.sum(np.log(0.5 * stats.binom.pmf(H, 10, a) + 0.5 * stats.binom.pmf(H, 10, b)))
    assert s[i, j] == pytest.approx(direct, rel=1e-12)
    top = np.unravel_index(np.argmax(s), s.shape)
    peak = sorted([THETA_GRID[top[1]], THETA_GRID[top[0]]])
    np.testing.assert_allclose(peak, [0.52, 0.80], atol=0.011)


def test_readout_and_bad_input():
    text = coins_em_view(0.6, 0.5, 1).readout()
    assert "after 1 iteration: θ_A = 0.713, θ_B = 0.581" in text and "0.30 0.81 0.71 0.19 0.57" in text
    with pytest.raises(ValueError, match="^theta_a must lie strictly between 0 and 1"):
        coins_em_view(1.0, 0.5)
    with pytest.raises(ValueError, match="^theta_b must lie strictly between 0 and 1"):
        coins_em_view(0.5, 0.0)
    with pytest.raises(ValueError, match="^iteration must be <= 20"):
        coins_em_view(0.6, 0.5, 21)


def test_widget_wiring_and_picture():
    from mle_lib import widgets

    w = widgets.two_coins_em()
    before = bytes(w.image.value)
    text = w.set(iteration=10)
    assert text == coins_em_view(0.6, 0.5, 10).readout()
    assert bytes(w.image.value) != before
    size = Image.open(io.BytesIO(bytes(w.image.value))).size
    assert size == (round(w.figsize[0] * widgets.DPI), round(w.figsize[1] * widgets.DPI))
    assert w.set(theta_a=0.5, theta_b=0.6) == coins_em_view(0.5, 0.6, 10).readout()
    assert w.view_path == "mle_lib.views.coins_em:coins_em_view"
