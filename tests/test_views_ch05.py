"""Chapter 5's view (pure function) and widget (in the kernel, no browser)."""

from __future__ import annotations

import io

import numpy as np
import pytest
import scipy.stats as stats
from PIL import Image

from mle_lib.views.uniform import CHAPTER5_SAMPLE, uniform_view

X = np.asarray(CHAPTER5_SAMPLE)


def test_chapter5_sample_is_the_notebooks_draw():
    np.testing.assert_array_equal(X, np.random.default_rng(2023).uniform(2.0, 10.0, size=10))


@pytest.mark.parametrize("interval", [(2.0, 10.0), (1.0, 11.0), (2.7, 9.2), (3.0, 10.0), (2.0, 9.0), (5.0, 6.0)])
def test_uniform_view_likelihood_is_the_product_of_scipy_densities(interval):
    a, b = interval
    v = uniform_view(interval)
    pdf = stats.uniform(loc=a, scale=b - a).pdf(X)  # independent: scipy's density, one factor per point
    assert v.likelihood == pytest.approx(np.prod(pdf), rel=1e-12, abs=0.0)
    assert v.n_outside == int(np.sum(pdf == 0.0)) == sum(not a <= xi <= b for xi in X)
    if v.n_outside:
        assert v.likelihood == 0.0 and v.loglik == -np.inf and "L = 0:" in v.readout()
        assert f"{v.n_outside} point" in v.readout()
    else:
        assert v.likelihood == pytest.approx((b - a) ** -10, rel=1e-12) and "L = (b − a)⁻ⁿ" in v.readout()


def test_uniform_view_mle_and_map():
    v = uniform_view((1.0, 11.0))
    loc, scale = stats.uniform.fit(X)
    assert v.mle == pytest.approx((loc, loc + scale)) and v.mle == (X.min(), X.max())
    assert v.likelihood_at_mle == pytest.approx((X.max() - X.min()) ** -10, rel=1e-12)
    # the map's largest finite value sits at the grid corner nearest the MLE (a just below x₍₁₎, b just above x₍ₙ₎)
    j, i = np.unravel_index(np.nanargmax(np.where(np.isfinite(v.map_loglik), v.map_loglik, np.nan)), v.map_loglik.shape)
    step = v.grid[1] - v.grid[0]
    assert X.min() - step <= v.grid[i] <= X.min() and X.max() <= v.grid[j] <= X.max() + step


def test_uniform_view_refuses_an_empty_interval_naming_it():
    with pytest.raises(ValueError, match="^interval must have a < b"):
        uniform_view((5.0, 5.0))
    with pytest.raises(ValueError, match="^interval must be a pair"):
        uniform_view((1.0, 2.0, 3.0))


def test_uniform_widget_wiring_and_picture():
    from mle_lib import widgets

    w = widgets.uniform_explorer()
    before = bytes(w.image.value)
    text = w.set(interval=(3.0, 10.0))
    assert text == uniform_view((3.0, 10.0)).readout() and "2 points outside" in text
    assert bytes(w.image.value) != before
    size = Image.open(io.BytesIO(bytes(w.image.value))).size
    assert size == (round(w.figsize[0] * widgets.DPI), round(w.figsize[1] * widgets.DPI))
    assert w.set(interval=(4.0, 4.0)).startswith("interval must have a < b")
    assert w.set(interval=(2.5, 9.5)) == uniform_view((2.5, 9.5)).readout()


def test_uniform_widget_marks_outside_points_by_marker_as_well_as_palette_colour():
    """Points outside [a, b] must not be told apart by colour alone (nor by red/green)."""
    import matplotlib
    from matplotlib.figure import Figure

    from mle_lib import plotting
    from mle_lib.widgets.ch05 import _draw_uniform

    v = uniform_view((3.0, 10.0))
    assert v.n_outside == 2
    fig = Figure()
    with matplotlib.style.context(plotting.COURSE_STYLE):  # "C0", "C3" resolve under the course palette
        _draw_uniform(fig, v)
        left = fig.axes[0]
        points = {len(line.get_xdata()): line for line in left.lines if line.get_linestyle() == "None"}
        inside, outside = points[len(X) - 2], points[2]
        colours = [matplotlib.colors.to_hex(line.get_color()) for line in (inside, outside)]
    assert inside.get_marker() != outside.get_marker()
    assert set(colours) <= {c.lower() for c in plotting.PALETTE} and colours[0] != colours[1]
