"""Chapter 6's view (pure function) and widget (in the kernel, no browser)."""

from __future__ import annotations

import io

import numpy as np
import pytest
import scipy.optimize as opt
import scipy.stats as stats
from PIL import Image

import mle_lib as ml
from mle_lib.bayes import _log_odds_quadratic, posterior_crossings
from mle_lib.views.hat import hat_view

SETTINGS = [  # (prior_pink, sigma_pink, sigma_blue)
    (0.5, 1.0, 1.0),
    (0.9, 1.0, 1.0),
    (0.5, 1.0, 2.0),
    (0.5, 2.0, 1.0),
    (0.2, 0.5, 3.0),
    (0.95, 3.0, 0.5),
    (0.05, 1.0, 3.0),  # blue is both likelier a priori and wider: it wins for every x (no crossing)
]


def _crossings_by_root_finding(prior_pink, sigma_pink, sigma_blue):
    """Independent route: brentq on P(μ = 7 | x) − ½ from posterior_probs, bracketed on a fine wide grid."""
    priors = [prior_pink, 1 - prior_pink]

    def f(x):
        return ml.posterior_probs(x, [3.0, 7.0], [sigma_pink, sigma_blue], priors)[..., 1] - 0.5

    grid = np.linspace(-60.0, 70.0, 130_001) + 1e-4 * np.pi  # no grid point on a root
    s = np.sign(f(grid))
    return [opt.brentq(f, grid[i], grid[i + 1], xtol=1e-13) for i in np.flatnonzero(s[:-1] * s[1:] < 0)]


@pytest.mark.parametrize("prior_pink, sigma_pink, sigma_blue", SETTINGS)
def test_posterior_crossings_closed_form_matches_a_root_finder_on_posterior_probs(prior_pink, sigma_pink, sigma_blue):
    closed = posterior_crossings((3.0, 7.0), (sigma_pink, sigma_blue), (prior_pink, 1 - prior_pink))
    found = _crossings_by_root_finding(prior_pink, sigma_pink, sigma_blue)
    np.testing.assert_allclose(closed, found, atol=1e-9)
    assert len(closed) == (1 if sigma_pink == sigma_blue else len(found))


def test_posterior_crossings_cases():
    assert posterior_crossings((3.0, 7.0), (1.0, 1.0), (0.9, 0.1)) == pytest.approx((5 + np.log(9) / 4,))  # the chapter
    assert len(posterior_crossings((3.0, 7.0), (1.0, 2.0), (0.5, 0.5))) == 2
    assert posterior_crossings((3.0, 7.0), (1.0, 3.0), (0.05, 0.95)) == ()
    # nearly equal σ: one crossing runs far out; both are computed without cancellation (the log odds,
    # written with scipy.stats, is ~0 there to rounding, and brentq on it agrees to 1e-12 relative)
    for s_blue in (1.01, 1.0001):

        def log_odds(x, s_blue=s_blue):
            return stats.norm.logpdf(x, 7, s_blue) + np.log(0.01) - stats.norm.logpdf(x, 3, 1.0) - np.log(0.99)

        closed = posterior_crossings((3.0, 7.0), (1.0, s_blue), (0.99, 0.01))
        assert len(closed) == 2 and closed[0] < -300
        for c in closed:
            root = opt.brentq(log_odds, c - 1e-3 * abs(c), c + 1e-3 * abs(c), xtol=1e-15, rtol=1e-15)
            assert c == pytest.approx(root, rel=1e-12)


@pytest.mark.parametrize("s_blue", [1.0 + 1e-4, 1.0 + 1e-8, 1.0 + 1e-12, 3.0])
def test_posterior_crossings_solve_the_quadratic_to_full_precision(s_blue):
    """Nearly equal σ make A tiny: the textbook (−B ± √disc)/2A cancels; compare with 60-digit decimals."""
    from decimal import Decimal, getcontext

    getcontext().prec = 60
    setting = ((3.0, 7.0), (1.0, s_blue), (0.99, 0.01))
    a, b, c = (Decimal(v) for v in _log_odds_quadratic(*setting))  # exact binary values of the coefficients
    root = (b * b - 4 * a * c).sqrt()
    exact = sorted([(-b - root) / (2 * a), (-b + root) / (2 * a)])
    closed = posterior_crossings(*setting)
    assert len(closed) == 2
    for got, want in zip(closed, exact, strict=True):
        assert got == pytest.approx(float(want), rel=4e-16)


@pytest.mark.parametrize("x", [6.001, 4.9, -2.0, 12.0])
@pytest.mark.parametrize("prior_pink, sigma_pink, sigma_blue", SETTINGS[:4])
def test_hat_view_numbers_match_scipy(x, prior_pink, sigma_pink, sigma_blue):
    v = hat_view(x, prior_pink, sigma_pink, sigma_blue)
    priors = np.array([prior_pink, 1 - prior_pink])
    num = priors * np.array([stats.norm.pdf(x, 3, sigma_pink), stats.norm.pdf(x, 7, sigma_blue)])
    np.testing.assert_allclose(v.weighted_at_x, num, rtol=1e-12)
    np.testing.assert_allclose(v.posterior_at_x, num / num.sum(), rtol=1e-10)
    grid_num = priors * np.column_stack([stats.norm.pdf(v.grid, 3, sigma_pink), stats.norm.pdf(v.grid, 7, sigma_blue)])
    np.testing.assert_allclose(v.weighted_densities, grid_num, rtol=1e-12, atol=1e-300)
    np.testing.assert_allclose(v.posterior_curve, grid_num[:, 1] / grid_num.sum(axis=1), rtol=1e-9, atol=1e-12)


def test_hat_view_readout_names_the_slide_numbers_and_crossings():
    assert "P(μ = 7 | x) = 0.982" in hat_view(6.001).readout() and "½ at x = 5.000" in hat_view(6.001).readout()
    assert " and " in hat_view(6.0, 0.5, 1.0, 2.0).readout()
    assert "no x" in hat_view(6.0, 0.05, 1.0, 3.0).readout()
    with pytest.raises(ValueError, match="^prior_pink must be strictly between 0 and 1"):
        hat_view(6.0, 1.0)
    with pytest.raises(ValueError, match="^sigma_blue must be > 0"):
        hat_view(6.0, 0.5, 1.0, 0.0)


def test_hat_widget_wiring_and_picture():
    from mle_lib import widgets

    w = widgets.hat_explorer()
    before = bytes(w.image.value)
    text = w.set(sigma_blue=2.0)
    assert text == hat_view(6.0, 0.5, 1.0, 2.0).readout() and " and " in text
    assert bytes(w.image.value) != before
    size = Image.open(io.BytesIO(bytes(w.image.value))).size
    assert size == (round(w.figsize[0] * widgets.DPI), round(w.figsize[1] * widgets.DPI))
    assert w.set(x=6.001, sigma_blue=1.0) == hat_view(6.001).readout()


def test_hat_widget_keeps_one_palette_colour_per_slip_and_no_legend_over_the_curves():
    """Pink slip = C4, blue slip = C0 (as in chapter 6's figures); curves labelled directly, not by a legend."""
    import matplotlib
    from matplotlib.figure import Figure

    from mle_lib import plotting
    from mle_lib.widgets.ch06 import _draw_hat

    fig = Figure()
    with matplotlib.style.context(plotting.COURSE_STYLE):  # "C4", "C0" resolve under the course palette
        _draw_hat(fig, hat_view(6.0))
        dens, curve, bars = fig.axes
        curves = [matplotlib.colors.to_hex(line.get_color()) for line in dens.lines[:4:2]]
        posterior = matplotlib.colors.to_hex(curve.lines[0].get_color())
        bar_colours = [matplotlib.colors.to_hex(p.get_facecolor()) for p in bars.patches]
    pink, blue = plotting.PALETTE[4].lower(), plotting.PALETTE[0].lower()
    assert curves == bar_colours == [pink, blue] and posterior == blue
    assert dens.get_legend() is None
    assert [t.get_text() for t in dens.texts] == ["pink, μ = 3", "blue, μ = 7"]
    assert min(t.get_fontsize() for t in dens.texts) >= plotting.MIN_FONT_SIZE
