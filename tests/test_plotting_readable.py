"""Figures readable from the back of a room (issue 16): no text under 12 pt, no transparent background.

Every widget at its starting state and every ``plot_*`` helper of :mod:`mle_lib.plotting` is drawn
under :data:`~mle_lib.plotting.COURSE_STYLE`, as the chapters and the decks show them; every visible
non-empty text of the drawn figure (titles, labels, tick labels, legends, annotations) must be at
least :data:`~mle_lib.plotting.MIN_FONT_SIZE` points, and the figure and every axes must be opaque.
"""

from __future__ import annotations

import inspect
import io

import matplotlib.style
import matplotlib.text
import numpy as np
import pytest
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from PIL import Image

from mle_lib import plotting, widgets
from mle_lib.simulation import EstimatorSummary
from mle_lib.widgets import _base

#: Valid inputs of each helper, drawn on one Axes (or, for the digits, a row of them).
PLOT_CASES = {
    "plot_likelihood_curve": lambda ax: plotting.plot_likelihood_curve(
        ax, np.linspace(0.01, 0.99, 99), np.linspace(0.01, 0.99, 99) ** 4, mle=0.8, label="L(θ)"
    ),
    "plot_sample_with_density": lambda ax: plotting.plot_sample_with_density(
        ax, np.random.default_rng(0).normal(size=200), lambda t: np.exp(-(t**2) / 2) / np.sqrt(2 * np.pi), label="x"
    ),
    "plot_normal_fits": lambda ax: plotting.plot_normal_fits(ax, [1.0, 2.0, 3.0], [(0.0, 1.0), (2.0, 1.0)]),
    "plot_posterior": lambda ax: plotting.plot_posterior(ax, np.linspace(0, 10, 101), [3.0, 7.0], observed=6.0),
    "plot_order_stat_densities": lambda ax: plotting.plot_order_stat_densities(ax, 5),
    "plot_sampling_distribution": lambda ax: plotting.plot_sampling_distribution(
        ax, np.random.default_rng(1).normal(0.9, 0.1, 300), true_value=1.0
    ),
    "plot_consistency": lambda ax: plotting.plot_consistency(
        ax, [10, 100], [EstimatorSummary(1 - 1 / n, -1 / n, 2 / n, 1 / n**2 + 2 / n) for n in (10, 100)]
    ),
    "plot_mixture_1d": lambda ax: plotting.plot_mixture_1d(
        ax, np.linspace(80, 110, 301), [0.5, 0.5], [90, 100], [4, 4], data=np.linspace(85, 105, 50)
    ),
    "plot_loglik_trace": lambda ax: plotting.plot_loglik_trace(ax, [-214.3, -52.3, -22.66, -22.66], label="EM"),
    "plot_likelihood_surface": lambda ax: plotting.plot_likelihood_surface(
        ax,
        np.linspace(-3, 3, 31),
        np.linspace(-3, 3, 31),
        3 - (np.linspace(-3, 3, 31)[None, :] - 1) ** 2 - (np.linspace(-3, 3, 31)[:, None] + 1) ** 2,
        depth=5,
        maxima=[[1, -1]],
    ),
    "plot_covariance_ellipses": lambda ax: plotting.plot_covariance_ellipses(
        ax, [[0.0, 0.0], [3.0, 1.0]], [[[4.0, 0.0], [0.0, 1.0]], [[1.0, 0.3], [0.3, 1.0]]], labels=["a", "b"]
    ),
    "plot_bic_table": lambda ax: plotting.plot_bic_table(
        ax,
        np.array(
            [(1, "full", 10.0, 11.0), (2, "full", 7.0, 6.0), (1, "diag", 12.0, 12.5), (2, "diag", 9.0, 8.0)],
            dtype=[("K", int), ("covariance_type", "U9"), ("bic", float), ("aic", float)],
        ),
    ),
    "plot_digit_images": lambda ax: plotting.plot_digit_images(
        ax.figure.subplots(1, 3), np.arange(128.0).reshape(2, 64), titles=["μ_1", "μ_2"]
    ),
}

WIDGETS = {
    name: getattr(widgets, name)
    for name in widgets.__all__
    if inspect.isfunction(getattr(widgets, name))
    and inspect.signature(getattr(widgets, name)).return_annotation in ("Explorer", "EMStepper")
}
REQUIRED = {"poisson_explorer": ([2, 0, 3, 1, 1, 2],), "normal_explorer": ([9.0, 10.0, 11.5, 12.0, 8.5],)}


def _small_or_transparent(fig: Figure) -> list[str]:
    """What is wrong with a drawn figure: texts under MIN_FONT_SIZE, a see-through background."""
    fig.canvas.draw()  # tick labels and legends exist only once drawn
    problems = []
    for t in fig.findobj(matplotlib.text.Text):
        if t.get_visible() and t.get_text().strip() and t.get_fontsize() < plotting.MIN_FONT_SIZE:
            problems.append(f"{t.get_text()!r} at {t.get_fontsize():g} pt")
    for name, colour in [("figure", fig.get_facecolor())] + [(f"axes {a!r}", a.get_facecolor()) for a in fig.axes]:
        if to_rgba(colour)[3] < 1.0:
            problems.append(f"{name} facecolor {colour} is not opaque")
    return problems


def test_every_plotting_helper_has_a_case():
    helpers = {n for n, f in inspect.getmembers(plotting, inspect.isfunction) if n.startswith("plot_")}
    assert helpers == set(PLOT_CASES)


@pytest.mark.parametrize("name", sorted(PLOT_CASES))
def test_plotting_helpers_draw_readable_opaque_figures(name):
    with matplotlib.style.context(plotting.COURSE_STYLE):
        fig = Figure(figsize=(6.0, 4.0), layout="constrained")
        PLOT_CASES[name](fig.add_subplot())
        assert _small_or_transparent(fig) == []


@pytest.mark.parametrize("name", sorted(WIDGETS))
def test_every_widget_starts_readable_and_opaque(name):
    w = WIDGETS[name](*REQUIRED.get(name, ()))
    with matplotlib.style.context(plotting.COURSE_STYLE):
        fig = _base.course_figure(lambda f: w._draw(f, w.view), w.figsize)
        assert _small_or_transparent(fig) == []
    alpha = np.asarray(Image.open(io.BytesIO(bytes(w.image.value))).convert("RGBA"))[..., 3]
    assert alpha.min() == 255  # the PNG the notebook, the site and the decks show


def test_the_check_catches_small_text_and_a_transparent_background():
    fig = Figure()
    ax = fig.add_subplot()
    ax.set_title("tiny", fontsize=9)
    fig.set_facecolor((1, 1, 1, 0))
    problems = _small_or_transparent(fig)
    assert any("'tiny' at 9 pt" in p for p in problems) and any("figure facecolor" in p for p in problems)


def test_the_course_style_overrides_a_transparent_default():
    see_through = {"figure.facecolor": (1, 1, 1, 0), "axes.facecolor": "none", "savefig.transparent": True}
    with matplotlib.rc_context(see_through), matplotlib.style.context(plotting.COURSE_STYLE):
        fig = Figure()
        fig.add_subplot().plot([0, 1])
        buf = io.BytesIO()
        fig.savefig(buf, format="png")
    assert np.asarray(Image.open(buf).convert("RGBA"))[..., 3].min() == 255
