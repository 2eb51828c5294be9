"""Plotting helpers: assert on the artists they draw (line data, patch counts), never on pixels."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # in this test module only; the library never chooses a backend

import matplotlib.pyplot as plt
import numpy as np
import pytest
from scipy import stats

from mle_lib import plotting
from mle_lib.bayes import posterior_probs
from mle_lib.plotting import (
    plot_consistency,
    plot_likelihood_curve,
    plot_normal_fits,
    plot_order_stat_densities,
    plot_posterior,
    plot_sample_with_density,
    plot_sampling_distribution,
)
from mle_lib.simulation import EstimatorSummary, estimator_summary


def test_import_mle_lib_pulls_in_no_matplotlib_or_ipywidgets():
    code = (
        "import sys, mle_lib\n"
        "import mle_lib.order_stats, mle_lib.bayes, mle_lib.simulation, mle_lib.datasets\n"
        "import mle_lib.views.coins, mle_lib.views.poisson, mle_lib.views.normal, mle_lib.views.uniform\n"
        "import mle_lib.views.hat, mle_lib.views.em1d, mle_lib.views.emnd\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('matplotlib', 'ipywidgets', 'sklearn'))\n"
        "assert not bad, bad\n"
        "import mle_lib.plotting, mle_lib.widgets\n"
        "assert 'matplotlib.pyplot' not in sys.modules\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


def test_helpers_touch_no_rcparams(ax):
    before = dict(matplotlib.rcParams)
    theta = np.linspace(0.1, 0.9, 9)
    plot_likelihood_curve(ax, theta, theta, mle=0.5, label="L")
    plot_sample_with_density(ax, [0.0, 1.0, 2.0], lambda t: np.ones_like(t))
    plot_normal_fits(ax, [0.0, 1.0], [(0.0, 1.0)])
    plot_posterior(ax, theta, [0.0, 1.0])
    plot_order_stat_densities(ax, 3)
    plot_sampling_distribution(ax, [0.9, 1.1], 1.0)
    plot_consistency(ax, [1, 2], [estimator_summary([1.0, 2.0], 1.0)] * 2)
    assert dict(matplotlib.rcParams) == before


def test_likelihood_curve_draws_the_given_values(ax):
    theta = np.linspace(0.01, 0.99, 99)
    values = theta**4 * (1 - theta)
    out = plot_likelihood_curve(ax, theta, values, mle=0.8, label="P(HHTHH | θ)")
    assert out is ax
    curve, mle_line = ax.lines
    np.testing.assert_array_equal(curve.get_xdata(), theta)
    np.testing.assert_array_equal(curve.get_ydata(), values)
    assert curve.get_label() == "P(HHTHH | θ)"
    np.testing.assert_array_equal(mle_line.get_xdata(), [0.8, 0.8])
    assert ax.get_ylabel() == "L(θ)" and ax.get_xlabel() == "θ"


def test_likelihood_curve_log_label_and_no_mle(ax):
    theta = np.linspace(0.1, 0.9, 5)
    plot_likelihood_curve(ax, theta, np.log(theta), log=True)
    assert len(ax.lines) == 1 and ax.get_ylabel() == "ln L(θ)"
    assert ax.get_legend() is None


def test_likelihood_curve_names_the_real_parameter(ax):
    p = np.linspace(0.01, 0.99, 99)
    plot_likelihood_curve(ax, p, p**61 * (1 - p) ** 39, mle=0.61, param="p")
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("p", "L(p)")
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["p\u0302 = 0.61"]
    assert "θ" not in ax.get_xlabel() + ax.get_ylabel()


def test_sample_with_density_histogram_and_curve(ax):
    sample = np.random.default_rng(0).normal(0.0, 0.25, 1000)
    pdf = stats.norm(0.0, 0.25).pdf
    plot_sample_with_density(ax, sample, pdf, bins=25, label="N(0, 1/16)")
    assert len(ax.patches) == 25
    area = sum(p.get_height() * p.get_width() for p in ax.patches)
    assert area == pytest.approx(1.0)  # density=True
    (line,) = ax.lines
    np.testing.assert_allclose(line.get_ydata(), pdf(line.get_xdata()))
    assert line.get_xdata().min() < sample.min() and line.get_xdata().max() > sample.max()


def test_normal_fits_rug_curves_and_loglik_labels(ax):
    x = np.array([4.2, 5.1, 5.9, 6.3, 7.0])
    candidates = [(3.0, 1.0), (5.7, 1.0), (5.7, 0.5)]
    plot_normal_fits(ax, x, candidates)
    rug, *curves = ax.lines
    np.testing.assert_array_equal(rug.get_xdata(), x)
    np.testing.assert_array_equal(rug.get_ydata(), 0.0)
    assert len(curves) == 3
    for (mu, sigma), line in zip(candidates, curves, strict=False):
        np.testing.assert_allclose(line.get_ydata(), stats.norm.pdf(line.get_xdata(), mu, sigma), rtol=1e-12)
        loglik = stats.norm.logpdf(x, mu, sigma).sum()
        assert line.get_label().endswith(f"ln L = {loglik:.2f}")


def test_posterior_curves_match_posterior_probs(ax):
    grid = np.linspace(0, 10, 201)
    plot_posterior(ax, grid, [3.0, 7.0], 1.0, [0.5, 0.5], observed=6.001)
    pink, blue, obs = ax.lines
    post = posterior_probs(grid, [3.0, 7.0])
    np.testing.assert_array_equal(pink.get_ydata(), post[:, 0])
    np.testing.assert_array_equal(blue.get_ydata(), post[:, 1])
    np.testing.assert_allclose(pink.get_ydata() + blue.get_ydata(), 1.0)
    np.testing.assert_array_equal(obs.get_xdata(), [6.001, 6.001])


def test_order_stat_densities_are_the_beta_densities(ax):
    n, low, high = 4, 2.0, 5.0
    plot_order_stat_densities(ax, n, low, high)
    mn, mx, e_min, e_max = ax.lines
    x = mn.get_xdata()
    np.testing.assert_allclose(mn.get_ydata(), stats.beta(1, n, loc=low, scale=high - low).pdf(x), atol=1e-12)
    np.testing.assert_allclose(mx.get_ydata(), stats.beta(n, 1, loc=low, scale=high - low).pdf(x), atol=1e-12)
    assert e_min.get_xdata()[0] == pytest.approx(low + (high - low) / (n + 1))
    assert e_max.get_xdata()[0] == pytest.approx(high - (high - low) / (n + 1))


def test_sampling_distribution_marks_truth_and_mean(ax):
    est = np.random.default_rng(4).normal(0.8, 0.1, 400)
    plot_sampling_distribution(ax, est, 1.0, bins=15)
    assert len(ax.patches) == 15
    truth, mean = ax.lines
    np.testing.assert_array_equal(truth.get_xdata(), [1.0, 1.0])
    assert mean.get_xdata()[0] == pytest.approx(est.mean())


def test_consistency_plots_abs_bias_variance_mse(ax):
    ns = [5, 50, 500]
    rows = [EstimatorSummary(mean=1 - 1 / n, bias=-1 / n, variance=2 / n, mse=1 / n**2 + 2 / n) for n in ns]
    plot_consistency(ax, ns, rows)
    bias, var, mse = ax.lines
    np.testing.assert_array_equal(bias.get_xdata(), ns)
    np.testing.assert_allclose(bias.get_ydata(), [1 / n for n in ns])
    np.testing.assert_allclose(var.get_ydata(), [2 / n for n in ns])
    np.testing.assert_allclose(mse.get_ydata(), [r.mse for r in rows])
    assert ax.get_xscale() == "log" and ax.get_yscale() == "log"


# --- bad input ------------------------------------------------------------------------------------------


def test_plot_helpers_refuse_a_non_axes():
    with pytest.raises(TypeError, match="^ax must be a matplotlib Axes"):
        plot_order_stat_densities(None, 3)
    with pytest.raises(TypeError, match="^ax must be a matplotlib Axes"):
        plot_likelihood_curve(plt, [0.5], [1.0])


def test_plot_helpers_reject_bad_arguments(ax):
    with pytest.raises(ValueError, match="^values must have the same length as theta"):
        plot_likelihood_curve(ax, [0.1, 0.2], [1.0])
    with pytest.raises(ValueError, match="^values must contain only finite"):
        plot_likelihood_curve(ax, [0.1, 0.2], [1.0, -np.inf])
    with pytest.raises(ValueError, match="^theta must be 1-D"):
        plot_likelihood_curve(ax, [[0.1, 0.2]], [1.0, 2.0])
    with pytest.raises(ValueError, match="^mle must contain only finite"):
        plot_likelihood_curve(ax, [0.1, 0.2], [1.0, 2.0], mle=np.nan)
    with pytest.raises(TypeError, match="^pdf must be callable"):
        plot_sample_with_density(ax, [1.0, 2.0], "norm")
    with pytest.raises(ValueError, match="^pdf must return one density per grid point"):
        plot_sample_with_density(ax, [1.0, 2.0], lambda t: 1.0)
    with pytest.raises(ValueError, match="^sample must not be empty"):
        plot_sample_with_density(ax, [], lambda t: t)
    with pytest.raises(ValueError, match="^bins must be >= 1"):
        plot_sample_with_density(ax, [1.0, 2.0], lambda t: t, bins=0)
    with pytest.raises(ValueError, match="^num must be >= 2"):
        plot_sample_with_density(ax, [1.0, 2.0], lambda t: t, num=1)
    with pytest.raises(ValueError, match=r"^candidates must be \(mu, sigma\) pairs"):
        plot_normal_fits(ax, [1.0, 2.0], [(0.0, 1.0, 2.0)])
    with pytest.raises(ValueError, match="^candidates sigma must be > 0"):
        plot_normal_fits(ax, [1.0, 2.0], [(0.0, 0.0)])
    with pytest.raises(ValueError, match="^x must contain only finite"):
        plot_normal_fits(ax, [1.0, np.nan], [(0.0, 1.0)])
    with pytest.raises(ValueError, match="^x_grid must be 1-D"):
        plot_posterior(ax, 5.0, [3.0, 7.0])
    with pytest.raises(ValueError, match="^priors must sum to 1"):
        plot_posterior(ax, [5.0], [3.0, 7.0], 1.0, [0.5, 0.2])
    with pytest.raises(ValueError, match="^observed must contain only finite"):
        plot_posterior(ax, [5.0], [3.0, 7.0], observed=np.inf)
    with pytest.raises(ValueError, match="^n must be >= 1"):
        plot_order_stat_densities(ax, 0)
    with pytest.raises(ValueError, match="^high must be > low"):
        plot_order_stat_densities(ax, 3, 1.0, 0.0)
    with pytest.raises(ValueError, match="^estimates must not be empty"):
        plot_sampling_distribution(ax, [], 1.0)
    with pytest.raises(ValueError, match="^true_value must contain only finite"):
        plot_sampling_distribution(ax, [1.0], np.nan)
    with pytest.raises(ValueError, match=r"^summaries must have one entry per n \(2\)"):
        plot_consistency(ax, [1, 2], [estimator_summary([1.0], 1.0)])
    with pytest.raises(TypeError, match="^summaries must hold EstimatorSummary"):
        plot_consistency(ax, [1], [(0.0, 0.0, 0.0, 0.0)])
    with pytest.raises(ValueError, match="^ns must be > 0"):
        plot_consistency(ax, [0], [estimator_summary([1.0], 1.0)])


# --- the course style: one colour-blind-safe palette for every figure and widget ---------------------


def test_widget_figures_draw_with_the_course_palette_and_font_sizes():
    from mle_lib.widgets._base import render_png

    seen = {}

    def draw(fig):
        ax = fig.add_subplot()
        (first,) = ax.plot([0, 1], [0, 1])
        (second,) = ax.plot([0, 1], [1, 0], color="C3")
        seen["colors"] = (first.get_color(), matplotlib.colors.to_hex(second.get_color()))
        seen["tick"] = ax.xaxis.get_ticklabels()[0].get_fontsize()

    render_png(draw, (2, 2))
    assert seen["colors"] == (plotting.PALETTE[0], plotting.PALETTE[3].lower())
    assert seen["tick"] >= plotting.MIN_FONT_SIZE
    assert matplotlib.rcParams["axes.prop_cycle"] != plotting.COURSE_STYLE["axes.prop_cycle"], "render_png leaked"


def test_no_figure_names_red_or_green_by_name():
    pattern = re.compile(r"""colou?rs?=["'](red|green|r|g|tab:red|tab:green|lime)["']""")
    root = Path(plotting.__file__).resolve().parents[1]
    sources = {p.name: p.read_text() for p in root.joinpath("mle_lib").rglob("*.py")}
    for p in root.joinpath("notebooks").glob("*.ipynb"):
        sources[p.name] = "\n".join("".join(c["source"]) for c in json.loads(p.read_text())["cells"])
    hits = [f"{name}: {m.group(0)}" for name, text in sources.items() for m in pattern.finditer(text)]
    assert not hits, hits


def test_every_chapter_uses_the_course_style():
    root = Path(plotting.__file__).resolve().parents[1]
    for path in sorted(root.joinpath("notebooks").glob("*.ipynb")):
        assert "plt.style.use(plotting.COURSE_STYLE)" in path.read_text(), path.name
