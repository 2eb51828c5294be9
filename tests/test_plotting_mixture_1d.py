"""Chapter 7's plotting helpers (1-D mixtures): assert on the artists they draw, never on pixels."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")  # in this test module only; the library never chooses a backend

import matplotlib.pyplot as plt
import numpy as np
import pytest
from scipy import stats

from mle_lib import GaussianMixture, e_step
from mle_lib.plotting import plot_likelihood_surface, plot_loglik_trace, plot_mixture_1d


def test_helpers_touch_no_rcparams(ax):
    before = dict(matplotlib.rcParams)
    g = np.linspace(-3, 3, 7)
    plot_mixture_1d(ax, g, [0.3, 0.7], [-1.0, 1.0], [1.0, 2.0], data=[0.0, 1.0, 2.0])
    plot_loglik_trace(ax, [-3.0, -2.0, -1.5], label="EM")
    plot_likelihood_surface(ax, g, g, -(g[None, :] ** 2) - g[:, None] ** 2, maxima=[[0.0, 0.0]])
    assert dict(matplotlib.rcParams) == before


# --- plot_mixture_1d --------------------------------------------------------------------------------------


def test_mixture_components_are_weighted_normals_and_add_up(ax):
    grid = np.linspace(80, 115, 351)
    w, m, v = np.array([1000, 800]) / 1800, [100.0, 90.0], [4.0, 9.0]
    out = plot_mixture_1d(ax, grid, w, m, v)
    assert out is ax
    c1, c2, mix = ax.lines
    np.testing.assert_allclose(c1.get_ydata(), w[0] * stats.norm.pdf(grid, 100, 2), rtol=1e-12)
    np.testing.assert_allclose(c2.get_ydata(), w[1] * stats.norm.pdf(grid, 90, 3), rtol=1e-12)
    np.testing.assert_allclose(mix.get_ydata(), c1.get_ydata() + c2.get_ydata(), rtol=1e-12)
    np.testing.assert_array_equal(mix.get_xdata(), grid)
    assert c1.get_linestyle() == "--" and mix.get_label() == "mixture density"
    assert c1.get_label() == "0.56 × N(100, 2²)" and c2.get_label() == "0.44 × N(90, 3²)"
    assert ax.get_xlabel() == "x" and ax.get_ylabel() == "density"


def test_mixture_of_two_identical_normals_is_that_normal(ax):
    # Deck 2's share prices as printed: N(100, 2²) with 1000 points mixed with N(100, 2²) with 800.
    grid = np.linspace(90, 110, 201)
    plot_mixture_1d(ax, grid, [1000 / 1800, 800 / 1800], [100, 100], [4, 4], components=False)
    (mix,) = ax.lines
    np.testing.assert_allclose(mix.get_ydata(), stats.norm.pdf(grid, 100, 2), rtol=1e-12)
    y = mix.get_ydata()
    assert np.count_nonzero((y[1:-1] > y[:-2]) & (y[1:-1] > y[2:])) == 1  # one peak


def test_mixture_density_agrees_with_the_library_log_likelihood(ax):
    grid = np.linspace(-6, 6, 25)
    w, m, v = [0.3, 0.7], [-2.0, 1.5], [0.5, 2.0]
    plot_mixture_1d(ax, grid, w, m, v, components=False)
    lnp = [e_step([t], w, m, v, "spherical")[1] for t in grid]
    np.testing.assert_allclose(np.log(ax.lines[0].get_ydata()), lnp, rtol=1e-12)


def test_mixture_histogram_and_fitted_model_shapes(ax):
    x = np.random.default_rng(0).normal([-3.0, 3.0], 1.0, (200, 2)).ravel()
    gm = GaussianMixture(2, random_state=0).fit(x)  # means_ (2, 1), covariances_ (2, 1, 1)
    grid = np.linspace(-7, 7, 141)
    plot_mixture_1d(ax, grid, gm.weights_, gm.means_, gm.covariances_, data=x, bins=20, label="fit")
    assert len(ax.patches) == 20
    assert sum(p.get_height() * p.get_width() for p in ax.patches) == pytest.approx(1.0)
    mix = ax.lines[-1]
    assert mix.get_label() == "fit" and len(ax.lines) == 3
    np.testing.assert_allclose(np.log(mix.get_ydata()), gm.score_samples(grid), rtol=1e-10)


def test_mixture_without_components_draws_one_line(ax):
    plot_mixture_1d(ax, [0.0, 1.0], [1.0], [0.0], [1.0], components=False)
    assert len(ax.lines) == 1 and not ax.patches


# --- plot_loglik_trace ------------------------------------------------------------------------------------


def test_loglik_trace_draws_history_against_iteration(ax):
    h = np.array([-214.28, -52.28, -22.66, -22.655])
    plot_loglik_trace(ax, h, label="deck 1 run", ylabel="ln L (total)")
    (line,) = ax.lines
    np.testing.assert_array_equal(line.get_xdata(), [0, 1, 2, 3])
    np.testing.assert_array_equal(line.get_ydata(), h)
    assert line.get_label() == "deck 1 run" and ax.get_legend() is not None
    assert ax.get_xlabel() == "EM iteration" and ax.get_ylabel() == "ln L (total)"


def test_loglik_trace_of_a_fitted_model(ax):
    x = np.random.default_rng(1).normal([0.0, 4.0], 1.0, (100, 2)).ravel()
    gm = GaussianMixture(2, reg_covar=0.0, random_state=1).fit(x)
    plot_loglik_trace(ax, gm.loglik_history_)
    y = ax.lines[0].get_ydata()
    assert y.size == gm.n_iter_ + 1 and ax.get_legend() is None
    assert np.all(np.diff(y) >= -1e-12)


# --- plot_likelihood_surface ------------------------------------------------------------------------------


def test_surface_levels_clip_and_layout(ax):
    g1 = np.linspace(-5, 5, 41)
    g2 = np.linspace(-4, 6, 21)
    z = -((g1[None, :] - 1) ** 2) - (g2[:, None] - 2) ** 2
    plot_likelihood_surface(ax, g1, g2, z, levels=10, depth=8, maxima=[[1.0, 2.0], [2.0, 1.0]])
    filled, lines = ax.collections[:2]
    np.testing.assert_allclose(filled.levels, np.linspace(-8.0, 0.0, 11))
    assert filled.zmin == -8.0 and filled.zmax == 0.0  # clipped at max − depth
    np.testing.assert_allclose(lines.levels, filled.levels)
    diag, stars = ax.lines
    np.testing.assert_array_equal(diag.get_xdata(), [-4.0, 5.0])
    np.testing.assert_array_equal(diag.get_ydata(), [-4.0, 5.0])
    np.testing.assert_array_equal(stars.get_xdata(), [1.0, 2.0])
    np.testing.assert_array_equal(stars.get_ydata(), [2.0, 1.0])
    assert ax.get_xlabel() == "μ₁" and ax.get_ylabel() == "μ₂"


def test_surface_of_a_mixture_is_symmetric_under_label_switching(ax):
    x = [-6.0, -5.0, -4.0, 0.0, 4.0, 5.0, 6.0]
    g = np.linspace(-8, 8, 17)
    z = np.array([[e_step(x, [0.5, 0.5], [a, b], [1.0, 1.0], "spherical")[1] for a in g] for b in g])
    np.testing.assert_allclose(z, z.T, rtol=1e-12)  # swapping μ₁ and μ₂ changes nothing
    plot_likelihood_surface(ax, g, g, z, diagonal=False)
    assert ax.collections[0].levels[0] == pytest.approx(z.min())
    assert ax.collections[0].levels[-1] == pytest.approx(z.max())
    assert not ax.lines


# --- bad input ------------------------------------------------------------------------------------------


def test_mixture_helpers_refuse_a_non_axes():
    with pytest.raises(TypeError, match="^ax must be a matplotlib Axes"):
        plot_mixture_1d(None, [0.0], [1.0], [0.0], [1.0])
    with pytest.raises(TypeError, match="^ax must be a matplotlib Axes"):
        plot_loglik_trace(plt, [1.0])
    with pytest.raises(TypeError, match="^ax must be a matplotlib Axes"):
        plot_likelihood_surface("ax", [0, 1], [0, 1], [[0, 1], [1, 0]])


def test_mixture_helpers_reject_bad_arguments(ax):
    with pytest.raises(ValueError, match="^weights must sum to 1"):
        plot_mixture_1d(ax, [0.0], [0.5, 0.4], [0.0, 1.0], [1.0, 1.0])
    with pytest.raises(ValueError, match=r"^weights must be a probability in \[0, 1\]; got -0.5 at index 1"):
        plot_mixture_1d(ax, [0.0], [0.5, -0.5, 1.0], [0.0, 1.0, 2.0], [1.0, 1.0, 1.0])
    with pytest.raises(ValueError, match="^weights must sum to 1"):  # the one rule: |sum − 1| ≤ 1e-8
        plot_mixture_1d(ax, [0.0], [0.5, 0.5 + 1e-7], [0.0, 1.0], [1.0, 1.0])
    with pytest.raises(ValueError, match=r"^means must hold one value per component \(2\)"):
        plot_mixture_1d(ax, [0.0], [0.5, 0.5], [0.0], [1.0, 1.0])
    with pytest.raises(ValueError, match=r"^variances must hold one value per component \(2\)"):
        plot_mixture_1d(ax, [0.0], [0.5, 0.5], [0.0, 1.0], [1.0])
    with pytest.raises(ValueError, match="^variances must be > 0"):
        plot_mixture_1d(ax, [0.0], [0.5, 0.5], [0.0, 1.0], [1.0, 0.0])
    with pytest.raises(ValueError, match="^x_grid must be 1-D"):
        plot_mixture_1d(ax, 0.0, [1.0], [0.0], [1.0])
    with pytest.raises(ValueError, match="^data must contain only finite"):
        plot_mixture_1d(ax, [0.0], [1.0], [0.0], [1.0], data=[1.0, np.nan])
    with pytest.raises(ValueError, match="^bins must be >= 1"):
        plot_mixture_1d(ax, [0.0], [1.0], [0.0], [1.0], data=[1.0], bins=0)
    with pytest.raises(ValueError, match="^history must be 1-D"):
        plot_loglik_trace(ax, [[1.0, 2.0]])
    with pytest.raises(ValueError, match="^history must contain only finite"):
        plot_loglik_trace(ax, [1.0, np.nan])
    g = [0.0, 1.0, 2.0]
    with pytest.raises(ValueError, match=r"^values must have shape \(len\(mu2_grid\), len\(mu1_grid\)\) = \(2, 3\)"):
        plot_likelihood_surface(ax, g, [0.0, 1.0], np.zeros((3, 2)))
    with pytest.raises(ValueError, match="^mu1_grid and mu2_grid need at least 2 points"):
        plot_likelihood_surface(ax, [0.0], [0.0, 1.0], [[0.0], [1.0]])
    with pytest.raises(ValueError, match="^values must contain only finite"):
        plot_likelihood_surface(ax, g, g, np.full((3, 3), -np.inf))
    with pytest.raises(ValueError, match="^depth must be > 0"):
        plot_likelihood_surface(ax, g, g, np.eye(3), depth=0.0)
    with pytest.raises(ValueError, match="^levels must be >= 1"):
        plot_likelihood_surface(ax, g, g, np.eye(3), levels=0)
    with pytest.raises(ValueError, match="^values must not be constant"):
        plot_likelihood_surface(ax, g, g, np.zeros((3, 3)))
    with pytest.raises(ValueError, match=r"^maxima must be \(mu1, mu2\) pairs"):
        plot_likelihood_surface(ax, g, g, np.eye(3), maxima=[[0.0, 1.0, 2.0]])
