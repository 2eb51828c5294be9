"""Matplotlib helpers for the lecture notebooks: pure functions that draw on a given ``Axes``.

Every helper takes the ``Axes`` first, draws, and returns it; none creates a figure, calls
``plt.show()`` or touches rcParams, so a notebook (or an ipywidgets callback redrawing on a
slider move) decides layout and display. This module never imports pyplot; ``import mle_lib``
does not import this module.

In a notebook: ``fig, ax = plt.subplots()``, call a helper, then ``plt.show()``. The examples
below use a bare ``matplotlib.figure.Figure``, which needs no backend.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike

from ._checks import as_float_array, as_sample, check_int, check_positive, check_simplex
from ._covariance_types import covariance_unit
from ._gaussian import normal_logpdf
from .bayes import posterior_probs
from .order_stats import uniform_max_expectation, uniform_max_pdf, uniform_min_pdf

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.colors import LinearSegmentedColormap
    from matplotlib.typing import ColorType

    from .simulation import EstimatorSummary

__all__ = [
    "PALETTE",
    "COURSE_STYLE",
    "plot_likelihood_curve",
    "plot_sample_with_density",
    "plot_normal_fits",
    "plot_posterior",
    "plot_order_stat_densities",
    "plot_sampling_distribution",
    "plot_consistency",
]


#: Okabe & Ito's colour-blind-safe palette (blue, orange, bluish green, vermillion, reddish purple,
#: sky blue, yellow, black): no two of the first six are told apart by red against green alone.
#: Under :data:`COURSE_STYLE` the colours "C0", "C1", … name these in order, so component j of a
#: mixture is "C{j}" in every figure and widget of the course.
PALETTE: tuple[str, ...] = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")

#: The course's matplotlib style: the palette as the colour cycle; text of at least 12 pt everywhere, so
#: a figure shown on a slide is readable from the back of a room; and opaque white backgrounds (figure,
#: axes and saved image), so a dark theme (JupyterLab's, a dark slide) never shows through.
#: Notebooks apply it with ``plt.style.use(plotting.COURSE_STYLE)``; the widgets draw inside
#: ``matplotlib.style.context`` of it. Nothing applies it at import.
COURSE_STYLE: dict[str, object] = {
    "axes.prop_cycle": "cycler(color=[" + ", ".join(repr(c) for c in PALETTE) + "])",
    "font.size": 12.0,
    "axes.titlesize": 12.0,
    "axes.labelsize": 12.0,
    "xtick.labelsize": 12.0,
    "ytick.labelsize": 12.0,
    "legend.fontsize": 12.0,
    "legend.title_fontsize": 12.0,
    "figure.titlesize": 13.0,
    "legend.framealpha": 0.9,
    "figure.facecolor": "white",
    "axes.facecolor": "white",
    "savefig.facecolor": "white",
    "savefig.edgecolor": "white",
    "savefig.transparent": False,
    "image.cmap": "viridis",
}

#: The smallest font size, in points, of any text in a course figure (checked by tests/test_plotting_readable.py).
MIN_FONT_SIZE = 12.0


def two_component_cmap() -> LinearSegmentedColormap:
    """The colour map for a two-component responsibility γ(z_n2): "C0" at 0, "C1" at 1.

    Shared points get the mixture of the two colours, so a scatter coloured by γ agrees with ellipses drawn in "C0" and
    "C1".

    Examples
    --------
    >>> cmap = two_component_cmap()
    >>> [round(v, 3) for v in cmap(0.0)[:3]] == [0.0, round(0x72 / 255, 3), round(0xB2 / 255, 3)]
    True
    """
    from matplotlib.colors import LinearSegmentedColormap

    return LinearSegmentedColormap.from_list("two_components", [PALETTE[0], PALETTE[1]])


def _check_axes(ax: object) -> None:
    from matplotlib.axes import Axes  # imported on first use, never at import of mle_lib

    if not isinstance(ax, Axes):
        raise TypeError(f"ax must be a matplotlib Axes; got {type(ax).__name__}")


def plot_likelihood_curve(
    ax: Axes,
    theta: ArrayLike,
    values: ArrayLike,
    *,
    mle: float | None = None,
    label: str | None = None,
    log: bool = False,
    param: str = "θ",
) -> Axes:
    """Draw a likelihood curve L(θ) (or ln L(θ)) against θ, optionally marking the MLE θ̂.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw.
    theta : array_like of shape (m,)
        Parameter grid θ.
    values : array_like of shape (m,)
        L(θ) at each grid point, or ln L(θ) when ``log=True`` (finite numbers).
    mle : float, optional
        θ̂, drawn as a dashed vertical line labelled "θ̂ = …".
    label : str, optional
        Legend label of the curve.
    log : bool
        Whether ``values`` are log-likelihoods (sets the y-axis label to "ln L(θ)").
    param : str
        The parameter's name in the axis labels and the MLE's label ("p" gives "L(p)" and "p̂ = …"), so
        that a figure names the real parameter rather than a generic θ.

    Returns
    -------
    matplotlib.axes.Axes
        ``ax``, with the curve as its first new line and the θ̂ line (if any) after it.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> theta = np.linspace(0.01, 0.99, 99)
    >>> ax = plot_likelihood_curve(Figure().add_subplot(), theta, theta**4 * (1 - theta),
    ...                            mle=0.8, label="P(HHTHH | θ)")
    >>> len(ax.lines), ax.get_ylabel()
    (2, 'L(θ)')
    """
    _check_axes(ax)
    th = as_float_array(theta, "theta", ndim=1)
    val = as_float_array(values, "values", ndim=1)
    if val.shape != th.shape:
        raise ValueError(f"values must have the same length as theta ({th.size}); got {val.size}")
    ax.plot(th, val, label=label)
    if mle is not None:
        m = float(as_float_array(mle, "mle", ndim=0))
        ax.axvline(m, linestyle="--", color="0.4", label=f"{param}\u0302 = {m:.4g}")
    ax.set_xlabel(param)
    ax.set_ylabel(f"ln L({param})" if log else f"L({param})")
    if label is not None or mle is not None:
        ax.legend()
    return ax


def plot_sample_with_density(
    ax: Axes,
    sample: ArrayLike,
    pdf: Callable[[np.ndarray], ArrayLike],
    *,
    bins: int | str = "auto",
    label: str | None = None,
    num: int = 400,
) -> Axes:
    """Histogram of a sample on the density scale, with a model density f(x) drawn over it.

    Hat trick 2's picture: the histogram of 1000 averages with the N(0, 1/16) density in red.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw.
    sample : array_like of shape (n,)
        The data x₁ … xₙ.
    pdf : callable
        Vectorised density, ``pdf(x_grid) -> array`` of the grid's shape.
    bins : int or str
        Histogram bins, as for ``Axes.hist``.
    label : str, optional
        Legend label of the density curve.
    num : int
        Number of grid points for the curve (≥ 2), spanning the sample's range.

    Returns
    -------
    matplotlib.axes.Axes
        ``ax``, with the histogram bars (``density=True``) and one density line.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> y = np.random.default_rng(0).normal(0.0, 0.25, 1000)
    >>> from scipy import stats
    >>> pdf = stats.norm(0.0, 0.25).pdf   # N(0, 1/16)
    >>> ax = plot_sample_with_density(Figure().add_subplot(), y, pdf, bins=30)
    >>> len(ax.patches), len(ax.lines)
    (30, 1)
    """
    _check_axes(ax)
    x = as_sample(sample, "sample")
    if not callable(pdf):
        raise TypeError(f"pdf must be callable; got {type(pdf).__name__}")
    if isinstance(bins, (int, np.integer)):
        check_int(bins, "bins", minimum=1)
    num = check_int(num, "num", minimum=2)
    lo, hi = float(x.min()), float(x.max())
    pad = 0.05 * (hi - lo) if hi > lo else 0.5
    grid = np.linspace(lo - pad, hi + pad, num)
    dens = as_float_array(pdf(grid), "pdf output")
    if dens.shape != grid.shape:
        raise ValueError(f"pdf must return one density per grid point, shape {grid.shape}; got {dens.shape}")
    ax.hist(x, bins=bins, density=True, alpha=0.5, color="C0")
    ax.plot(grid, dens, color="C3", label=label)
    ax.set_ylabel("density")
    if label is not None:
        ax.legend()
    return ax


def plot_normal_fits(ax: Axes, x: ArrayLike, candidates: Sequence[tuple[float, float]], *, num: int = 400) -> Axes:
    """The deck's "Which is more likely: (a) this? (b) this?": data as a rug, candidate normals over it.

    Each candidate (μ, σ) is drawn as its N(μ, σ²) density and labelled with its log-likelihood
    ln L = Σᵢ ln f(xᵢ | μ, σ²), so the better fit is the one with the larger number.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw.
    x : array_like of shape (n,)
        The data, drawn as a rug of "|" marks at height 0.
    candidates : sequence of (float, float)
        The (μ, σ) pairs to compare, σ > 0.
    num : int
        Grid points per density curve (≥ 2).

    Returns
    -------
    matplotlib.axes.Axes
        ``ax``: first the rug line (markers only), then one line per candidate, in order.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> ax = plot_normal_fits(Figure().add_subplot(), [1.0, 2.0, 3.0], [(0.0, 1.0), (2.0, 1.0)])
    >>> [line.get_label() for line in ax.lines][1:]
    ['μ = 0, σ = 1: ln L = -9.76', 'μ = 2, σ = 1: ln L = -3.76']
    """
    _check_axes(ax)
    data = as_sample(x, "x")
    cand = as_float_array(candidates, "candidates", ndim=2)
    if cand.shape[1] != 2:
        raise ValueError(f"candidates must be (mu, sigma) pairs, shape (k, 2); got shape {cand.shape}")
    check_positive(cand[:, 1], "candidates sigma")
    num = check_int(num, "num", minimum=2)
    lo = min(float(data.min()), float((cand[:, 0] - 3 * cand[:, 1]).min()))
    hi = max(float(data.max()), float((cand[:, 0] + 3 * cand[:, 1]).max()))
    grid = np.linspace(lo, hi, num)
    ax.plot(data, np.zeros_like(data), "|", color="k", markersize=14, label="data")
    for mu, sigma in cand:
        loglik = float(np.sum(normal_logpdf(data, mu, sd=sigma)))
        ax.plot(
            grid, np.exp(normal_logpdf(grid, mu, sd=sigma)), label=f"μ = {mu:.3g}, σ = {sigma:.3g}: ln L = {loglik:.2f}"
        )
    ax.set_xlabel("x")
    ax.set_ylabel("density")
    ax.legend()
    return ax


def plot_posterior(
    ax: Axes,
    x_grid: ArrayLike,
    means: ArrayLike,
    sigma: ArrayLike = 1.0,
    priors: ArrayLike | None = None,
    *,
    observed: float | None = None,
) -> Axes:
    """The hat trick's posterior curves x ↦ P(μ = mᵢ | X = x), one per slip.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw.
    x_grid : array_like of shape (m,)
        Values of the revealed sample X.
    means, sigma, priors
        As in :func:`mle_lib.bayes.posterior_probs`.
    observed : float, optional
        An observed X (the slide's 6.001) marked by a dotted vertical line.

    Returns
    -------
    matplotlib.axes.Axes
        ``ax``, with one line per mean (in order), then the ``observed`` line if given.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> ax = plot_posterior(Figure().add_subplot(), np.linspace(0, 10, 101), [3.0, 7.0], observed=6.001)
    >>> len(ax.lines)
    3
    """
    _check_axes(ax)
    grid = as_float_array(x_grid, "x_grid", ndim=1)
    m = as_float_array(means, "means", ndim=1)
    post = posterior_probs(grid, m, sigma, priors)
    for i, mean in enumerate(m):
        ax.plot(grid, post[:, i], label=f"P(μ = {mean:g} | X = x)")
    if observed is not None:
        x_obs = float(as_float_array(observed, "observed", ndim=0))
        ax.axvline(x_obs, linestyle=":", color="k", label=f"X = {x_obs:g}")
    ax.set_xlabel("x")
    ax.set_ylabel("posterior probability")
    ax.set_ylim(-0.02, 1.02)
    ax.legend()
    return ax


def plot_order_stat_densities(ax: Axes, n: int, low: float = 0.0, high: float = 1.0, *, num: int = 400) -> Axes:
    """Densities of the sample minimum and maximum of n Uniform(a, b) draws, with their means.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw.
    n : int
        Sample size, n ≥ 1.
    low, high : float
        The interval ends a < b.
    num : int
        Grid points across [a, b] (≥ 2).

    Returns
    -------
    matplotlib.axes.Axes
        ``ax``: the min density line, the max density line, then dashed vertical lines at
        E[X₍₁₎] = a + (b − a)/(n + 1) and E[X₍ₙ₎] = b − (b − a)/(n + 1).

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> ax = plot_order_stat_densities(Figure().add_subplot(), n=5, low=0.0, high=1.0)
    >>> float(ax.lines[1].get_ydata()[-1])   # f_max(b) = n / (b − a)
    5.0
    """
    _check_axes(ax)
    num = check_int(num, "num", minimum=2)
    e_max = uniform_max_expectation(n, low, high)  # validates n, low, high
    a, b = float(low), float(high)
    e_min = a + (b - e_max)
    grid = np.linspace(a, b, num)
    ax.plot(grid, uniform_min_pdf(grid, n, a, b), color="C0", label=f"min of n = {n}")
    ax.plot(grid, uniform_max_pdf(grid, n, a, b), color="C1", label=f"max of n = {n}")
    ax.axvline(e_min, linestyle="--", color="C0", label=f"E[min] = {e_min:.3g}")
    ax.axvline(e_max, linestyle="--", color="C1", label=f"E[max] = {e_max:.3g}")
    ax.set_xlabel("x")
    ax.set_ylabel("density")
    ax.legend()
    return ax


def plot_sampling_distribution(
    ax: Axes, estimates: ArrayLike, true_value: float, *, bins: int | str = "auto", label: str | None = None
) -> Axes:
    """Histogram of replicate estimates θ̂ with the true θ and the mean of θ̂ marked.

    The gap between the two vertical lines is the (simulated) bias.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw.
    estimates : array_like of shape (n_reps,)
        Replicate estimates, e.g. from :func:`mle_lib.simulation.simulate_estimator`.
    true_value : float
        The true parameter θ.
    bins : int or str
        Histogram bins, as for ``Axes.hist``.
    label : str, optional
        Legend label of the histogram.

    Returns
    -------
    matplotlib.axes.Axes
        ``ax``: the histogram (``density=True``), then a solid line at θ and a dashed line at mean θ̂.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> est = np.random.default_rng(1).normal(0.9, 0.1, 500)
    >>> ax = plot_sampling_distribution(Figure().add_subplot(), est, true_value=1.0, bins=20)
    >>> len(ax.patches), len(ax.lines)
    (20, 2)
    """
    _check_axes(ax)
    est = as_sample(estimates, "estimates")
    theta = float(as_float_array(true_value, "true_value", ndim=0))
    if isinstance(bins, (int, np.integer)):
        check_int(bins, "bins", minimum=1)
    mean = float(est.mean())
    ax.hist(est, bins=bins, density=True, alpha=0.6, color="C0", label=label)
    ax.axvline(theta, color="k", label=f"true θ = {theta:.4g}")
    ax.axvline(mean, color="C3", linestyle="--", label=f"mean of θ̂ = {mean:.4g}")
    ax.set_xlabel("estimate")
    ax.set_ylabel("density")
    ax.legend()
    return ax


def plot_consistency(ax: Axes, ns: ArrayLike, summaries: Sequence[EstimatorSummary]) -> Axes:
    """The absolute bias, the variance and the MSE of an estimator against the sample size n (log–log axes).

    A consistent estimator's three curves all fall towards 0 as n grows.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw.
    ns : array_like of shape (m,)
        Sample sizes, each > 0.
    summaries : sequence of EstimatorSummary
        One per entry of ``ns``, e.g. from :func:`mle_lib.simulation.consistency_table`.

    Returns
    -------
    matplotlib.axes.Axes
        ``ax``, with three lines in order: ``|bias|``, variance, MSE.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> from mle_lib.simulation import EstimatorSummary
    >>> rows = [EstimatorSummary(mean=1 - 1/n, bias=-1/n, variance=2/n, mse=1/n**2 + 2/n) for n in (10, 100)]
    >>> ax = plot_consistency(Figure().add_subplot(), [10, 100], rows)
    >>> [line.get_label() for line in ax.lines]
    ['|bias|', 'variance', 'MSE = bias² + variance']
    """
    _check_axes(ax)
    sizes = check_positive(as_float_array(ns, "ns", ndim=1), "ns")
    rows = list(summaries)
    if len(rows) != sizes.size:
        raise ValueError(f"summaries must have one entry per n ({sizes.size}); got {len(rows)}")
    for i, row in enumerate(rows):
        if not all(hasattr(row, f) for f in ("bias", "variance", "mse")):
            raise TypeError(f"summaries must hold EstimatorSummary objects; got {type(row).__name__} at index {i}")
    ax.plot(sizes, [abs(r.bias) for r in rows], marker="o", label="|bias|")
    ax.plot(sizes, [r.variance for r in rows], marker="s", label="variance")
    ax.plot(sizes, [r.mse for r in rows], marker="^", label="MSE = bias² + variance")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("sample size n")
    ax.legend()
    return ax


# =================================================================================================
# Mixtures in one dimension (chapter 7) — append below this line
# =================================================================================================

__all__ += ["plot_mixture_1d", "plot_loglik_trace", "plot_likelihood_surface"]


def _mixture_1d_parameters(
    weights: ArrayLike, means: ArrayLike, variances: ArrayLike
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Validate (τ, μ, σ²) of a K-component 1-D mixture; each may hold its K numbers in any shape."""
    w = check_simplex(weights, "weights")
    k = w.size
    m = as_float_array(means, "means").reshape(-1)
    v = as_float_array(variances, "variances").reshape(-1)
    if m.size != k:
        raise ValueError(f"means must hold one value per component ({k}); got {m.size}")
    if v.size != k:
        raise ValueError(f"variances must hold one value per component ({k}); got {v.size}")
    check_positive(v, "variances")
    return w, m, v


def plot_mixture_1d(
    ax: Axes,
    x_grid: ArrayLike,
    weights: ArrayLike,
    means: ArrayLike,
    variances: ArrayLike,
    *,
    components: bool = True,
    data: ArrayLike | None = None,
    bins: int | str | ArrayLike = "auto",
    label: str = "mixture density",
) -> Axes:
    """A 1-D Gaussian mixture p(x) = Σⱼ τⱼ f(x | μⱼ, σⱼ²), its weighted components, and the data.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw.
    x_grid : array_like of shape (m,)
        Where to evaluate the densities.
    weights : array_like of shape (K,)
        Mixing weights τⱼ in [0, 1], summing to 1 (within ``mle_lib._checks.SIMPLEX_ATOL`` = 1e-8).
    means, variances : array_like holding K numbers each
        μⱼ and σⱼ² > 0 (variances, not standard deviations). Any shape with K entries is accepted,
        so a 1-D :class:`mle_lib.GaussianMixture`'s ``means_`` (K, 1) and ``covariances_`` (K, 1, 1)
        can be passed as they are.
    components : bool
        Also draw each weighted component τⱼ f(x | μⱼ, σⱼ²) (dashed); they add up to the mixture.
    data : array_like of shape (n,), optional
        A sample, drawn first as a histogram on the density scale.
    bins : int, str or sequence of edges
        Histogram bins, as for ``Axes.hist``.
    label : str
        Legend label of the mixture curve.

    Returns
    -------
    matplotlib.axes.Axes
        ``ax``: the histogram bars (if ``data``), then one dashed line per component (if
        ``components``), labelled "τ × N(μ, σ²)", then the mixture line last.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> grid = np.linspace(80, 110, 301)
    >>> ax = plot_mixture_1d(Figure().add_subplot(), grid, [0.5, 0.5], [90, 100], [4, 4])
    >>> [line.get_label() for line in ax.lines]
    ['0.50 × N(90, 2²)', '0.50 × N(100, 2²)', 'mixture density']
    """
    _check_axes(ax)
    grid = as_float_array(x_grid, "x_grid", ndim=1)
    w, m, v = _mixture_1d_parameters(weights, means, variances)
    if isinstance(bins, (int, np.integer)):
        check_int(bins, "bins", minimum=1)
    if data is not None:
        ax.hist(
            as_sample(data, "data"),
            bins=bins if isinstance(bins, (int, str)) else [float(b) for b in np.ravel(bins)],
            density=True,
            color="0.8",
            edgecolor="white",
            linewidth=0.5,
            label="data",
        )
    sd = np.sqrt(v)
    with np.errstate(under="ignore"):
        parts = w[:, None] * np.exp(normal_logpdf(grid, m[:, None], v[:, None]))
    if components:
        for j in range(w.size):
            ax.plot(grid, parts[j], linestyle="--", color=f"C{j}", label=f"{w[j]:.2f} × N({m[j]:.4g}, {sd[j]:.3g}²)")
    ax.plot(grid, parts.sum(axis=0), color="k", label=label)
    ax.set_xlabel("x")
    ax.set_ylabel("density")
    ax.legend()
    return ax


def plot_loglik_trace(
    ax: Axes, history: ArrayLike, *, label: str | None = None, ylabel: str = "log-likelihood"
) -> Axes:
    """The log-likelihood after every EM iteration (iteration 0 = the starting parameters).

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw.
    history : array_like of shape (t + 1,)
        Values at the start and after each of t iterations, e.g. a fitted
        :class:`mle_lib.GaussianMixture`'s ``loglik_history_`` (per point) or that times n (total).
    label : str, optional
        Legend label of the trace.
    ylabel : str
        The y-axis label (say whether the values are totals or per point).

    Returns
    -------
    matplotlib.axes.Axes
        ``ax``, with one line (markers at each iteration) whose x data are 0, 1, …, t.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> ax = plot_loglik_trace(Figure().add_subplot(), [-214.3, -52.3, -22.66, -22.66])
    >>> ax.lines[0].get_xdata().tolist(), ax.get_xlabel()
    ([0, 1, 2, 3], 'EM iteration')
    """
    _check_axes(ax)
    from matplotlib.ticker import MaxNLocator

    h = as_float_array(history, "history", ndim=1)
    ax.plot(np.arange(h.size), h, marker="o", markersize=3, label=label)
    # integer ticks even for a one-point trace (by default the locator falls back to ±0.045 … there)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True, min_n_ticks=1))
    ax.set_xlabel("EM iteration")
    ax.set_ylabel(ylabel)
    if label is not None:
        ax.legend()
    return ax


def plot_likelihood_surface(
    ax: Axes,
    mu1_grid: ArrayLike,
    mu2_grid: ArrayLike,
    values: ArrayLike,
    *,
    levels: int = 20,
    depth: float | None = None,
    maxima: ArrayLike | None = None,
    diagonal: bool = True,
) -> Axes:
    """Contours of a log-likelihood ln L(μ₁, μ₂) over a grid of the two means (the rest held fixed).

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw.
    mu1_grid : array_like of shape (a,)
        μ₁ values (the x axis).
    mu2_grid : array_like of shape (b,)
        μ₂ values (the y axis).
    values : array_like of shape (b, a)
        ``values[i, j]`` = ln L at μ₁ = ``mu1_grid[j]``, μ₂ = ``mu2_grid[i]`` (``np.meshgrid``'s
        default layout), e.g. from :func:`mle_lib.e_step`'s log-likelihood.
    levels : int
        Number of filled contour bands (≥ 1).
    depth : float, optional
        Show only the top ``depth`` log-likelihood units: values below max − depth are clipped
        there, so the bands resolve the bumps instead of the steep far-away slopes.
    maxima : array_like of shape (k, 2), optional
        (μ₁, μ₂) points to mark with a star, e.g. where EM converged.
    diagonal : bool
        Draw the line μ₁ = μ₂; swapping the labels of the two components mirrors the surface in it.

    Returns
    -------
    matplotlib.axes.Axes
        ``ax``: the filled contours (``ax.collections[0]``, levels from max − depth, or the minimum,
        up to the maximum), thin contour lines (``ax.collections[1]``), then the diagonal line and the
        maxima markers (in that order, if drawn). Add a colour bar with
        ``fig.colorbar(ax.collections[0], ax=ax)``.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> g = np.linspace(-3, 3, 31)
    >>> z = 3 - (g[None, :] - 1) ** 2 - (g[:, None] + 1) ** 2      # top 3 at (μ₁, μ₂) = (1, −1)
    >>> ax = plot_likelihood_surface(Figure().add_subplot(), g, g, z, depth=5, maxima=[[1, -1]])
    >>> float(ax.collections[0].levels[0]), float(ax.collections[0].levels[-1])
    (-2.0, 3.0)
    """
    _check_axes(ax)
    m1 = as_float_array(mu1_grid, "mu1_grid", ndim=1)
    m2 = as_float_array(mu2_grid, "mu2_grid", ndim=1)
    z = as_float_array(values, "values", ndim=2)
    if z.shape != (m2.size, m1.size):
        raise ValueError(
            f"values must have shape (len(mu2_grid), len(mu1_grid)) = ({m2.size}, {m1.size}); got {z.shape}"
        )
    if m1.size < 2 or m2.size < 2:
        raise ValueError(f"mu1_grid and mu2_grid need at least 2 points each; got {m1.size} and {m2.size}")
    n_levels = check_int(levels, "levels", minimum=1)
    top = float(z.max())
    bottom = float(z.min()) if depth is None else top - float(check_positive(depth, "depth"))
    if not top > bottom:
        raise ValueError("values must not be constant (nothing to contour)")
    z = np.maximum(z, bottom)
    lv = np.linspace(bottom, top, n_levels + 1)
    ax.contourf(m1, m2, z, levels=lv, cmap="viridis")
    ax.contour(m1, m2, z, levels=lv, colors="k", linewidths=0.3, alpha=0.5)
    if diagonal:
        lo, hi = max(m1.min(), m2.min()), min(m1.max(), m2.max())
        if hi > lo:
            ax.plot([lo, hi], [lo, hi], linestyle=":", color="w", label="μ₁ = μ₂")
    if maxima is not None:
        pts = as_float_array(maxima, "maxima", ndim=2)
        if pts.shape[1] != 2:
            raise ValueError(f"maxima must be (mu1, mu2) pairs, shape (k, 2); got shape {pts.shape}")
        ax.plot(
            pts[:, 0],
            pts[:, 1],
            linestyle="none",
            marker="*",
            markersize=12,
            color="C3",
            markeredgecolor="w",
            label="maxima",
        )
    ax.set_xlabel("μ₁")
    ax.set_ylabel("μ₂")
    return ax


# =================================================================================================
# Multivariate mixtures (chapter 8) — append below this line
# =================================================================================================

__all__ += ["plot_covariance_ellipses", "plot_bic_table", "plot_digit_images"]


def _full_covariances_2d(covariances: ArrayLike, covariance_type: str, k: int) -> np.ndarray:
    """(K, 2, 2) covariance matrices from scikit-learn's shape for ``covariance_type``."""
    c = as_float_array(covariances, "covariances")
    unit = covariance_unit(covariance_type)
    if covariance_type == "full" and k == 1 and c.shape == (2, 2):
        c = c[None]
    if c.shape != unit.shape(k, 2):
        raise ValueError(
            f"covariances must have shape {unit.shape(k, 2)} for covariance_type="
            f"{covariance_type!r} with {k} component(s) in 2 dimensions; got {c.shape}"
        )
    full = unit.as_full(c, k, 2)
    asym = np.abs(full - np.swapaxes(full, 1, 2)).max()
    if asym > 1e-10 * max(1.0, float(np.abs(full).max())):
        raise ValueError(f"covariances must be symmetric; largest asymmetry {asym:.3g}")
    return 0.5 * (full + np.swapaxes(full, 1, 2))


def plot_covariance_ellipses(
    ax: Axes,
    means: ArrayLike,
    covariances: ArrayLike,
    *,
    covariance_type: str = "full",
    n_std: float | Sequence[float] = (1, 2),
    colors: Sequence[ColorType] | None = None,
    labels: Sequence[str] | None = None,
    mark_means: bool = True,
    linewidth: float = 1.5,
) -> Axes:
    """Each 2-D Gaussian N(μ_k, Σ_k) drawn as ellipses of constant Mahalanobis distance around μ_k.

    The ellipse at distance s is {x : (x − μ)ᵀ Σ⁻¹ (x − μ) = s²}, a contour of the density. With
    Σ = V diag(λ₁, λ₂) Vᵀ (λ₁ ≥ λ₂, columns of V the eigenvectors), its axes point along the
    eigenvectors with full lengths 2 s √λ₁ (``width``) and 2 s √λ₂ (``height``), and it is turned
    by the angle of the first eigenvector (degrees, in (−90, 90]).

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw.
    means : array_like of shape (K, 2) (or (2,) for one component)
        The centres μ_k.
    covariances : array_like
        Σ_k in scikit-learn's shape for ``covariance_type`` (as a fitted
        :class:`mle_lib.GaussianMixture`'s ``covariances_``): full (K, 2, 2) (or (2, 2) for one
        component), tied (2, 2), diag (K, 2), spherical (K,). Symmetric, positive semi-definite.
    covariance_type : {'full', 'tied', 'diag', 'spherical'}
    n_std : float or sequence of float
        The Mahalanobis distances s > 0 to draw (1 and 2 by default); the first is drawn solid,
        the others dashed.
    colors : sequence of matplotlib colours, optional
        One per component (default the property cycle "C0", "C1", …).
    labels : sequence of str, optional
        One legend label per component, attached to its first ellipse.
    mark_means : bool
        Also mark each μ_k with a "+" in its colour.
    linewidth : float

    Returns
    -------
    matplotlib.axes.Axes
        ``ax``, with K × len(n_std) unfilled :class:`matplotlib.patches.Ellipse` patches in order
        (component by component, the distances in the order given), then one marker line per
        component at its mean (if ``mark_means``).

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> ax = plot_covariance_ellipses(Figure().add_subplot(), [[0.0, 0.0]], [[[4.0, 0.0], [0.0, 1.0]]],
    ...                               n_std=(1, 2))
    >>> [(e.width, e.height, e.angle) for e in ax.patches]
    [(4.0, 2.0, 0.0), (8.0, 4.0, 0.0)]
    """
    _check_axes(ax)
    from matplotlib.patches import Ellipse

    m = as_float_array(means, "means", ndim=(1, 2))
    if m.ndim == 1:
        m = m[None]
    if m.shape[1] != 2:
        raise ValueError(
            f"means must have 2 columns (ellipses live in a plane); got shape {m.shape} — "
            "pick two features first, e.g. means[:, [i, j]]"
        )
    k = m.shape[0]
    full = _full_covariances_2d(covariances, covariance_type, k)
    dist = np.atleast_1d(check_positive(n_std, "n_std"))
    if dist.ndim != 1:
        raise ValueError(f"n_std must be a number or a 1-D sequence; got shape {dist.shape}")
    if colors is None:
        colors = [f"C{j % 10}" for j in range(k)]
    if len(colors) != k:
        raise ValueError(f"colors must give one colour per component ({k}); got {len(colors)}")
    if labels is not None and len(labels) != k:
        raise ValueError(f"labels must give one label per component ({k}); got {len(labels)}")
    evals, evecs = np.linalg.eigh(full)  # ascending eigenvalues, per component
    if np.any(evals < -1e-12 * np.maximum(1.0, np.abs(evals).max(axis=1, keepdims=True))):
        raise ValueError("covariances must be positive semi-definite; one has a negative eigenvalue")
    evals = np.clip(evals, 0.0, None)
    for j in range(k):
        major = evecs[j, :, 1]
        angle = float(np.degrees(np.arctan2(major[1], major[0])))
        if angle <= -90.0:
            angle += 180.0
        elif angle > 90.0:
            angle -= 180.0
        for i, s in enumerate(dist):
            ax.add_patch(
                Ellipse(
                    xy=(float(m[j, 0]), float(m[j, 1])),
                    width=float(2.0 * s * np.sqrt(evals[j, 1])),
                    height=float(2.0 * s * np.sqrt(evals[j, 0])),
                    angle=angle,
                    fill=False,
                    edgecolor=colors[j],
                    linewidth=linewidth,
                    linestyle="-" if i == 0 else "--",
                    label=labels[j] if (labels is not None and i == 0) else None,
                )
            )
    if mark_means:
        for j in range(k):
            ax.plot(
                [m[j, 0]], [m[j, 1]], marker="+", markersize=10, markeredgewidth=2, linestyle="none", color=colors[j]
            )
    ax.autoscale_view()
    return ax


def plot_bic_table(ax: Axes, table: np.ndarray, *, criterion: str = "bic") -> Axes:
    """An information criterion against K, one line per covariance type, the minimum starred.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw.
    table : numpy structured array
        As returned by :func:`mle_lib.select_n_components`: fields ``K``, ``covariance_type`` and
        the criterion's column.
    criterion : {'bic', 'aic'}
        Which column to plot (lower is better).

    Returns
    -------
    matplotlib.axes.Axes
        ``ax``: one line per covariance type (in order of first appearance in ``table``, labelled
        with it, x data the K values in increasing order), then one star marker at the row with the
        smallest criterion, labelled "lowest: K = …, <type>".

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> t = np.array([(1, "full", 10.0), (2, "full", 7.0), (1, "diag", 12.0), (2, "diag", 9.0)],
    ...              dtype=[("K", int), ("covariance_type", "U9"), ("bic", float)])
    >>> ax = plot_bic_table(Figure().add_subplot(), t)
    >>> [line.get_label() for line in ax.lines]
    ['full', 'diag', 'lowest: K = 2, full']
    """
    _check_axes(ax)
    if criterion not in ("bic", "aic"):
        raise ValueError(f"criterion must be 'bic' or 'aic'; got {criterion!r}")
    names = getattr(getattr(table, "dtype", None), "names", None) or ()
    missing = [f for f in ("K", "covariance_type", criterion) if f not in names]
    if missing:
        raise ValueError(
            f"table must be a structured array with fields K, covariance_type and {criterion!r} "
            f"(as from mle_lib.select_n_components); missing {missing}"
        )
    if table.size == 0:
        raise ValueError("table must have at least one row")
    values = as_float_array(table[criterion], f"table[{criterion!r}]", ndim=1)
    ks = np.asarray(table["K"])
    types = [str(t) for t in table["covariance_type"]]
    for ct in dict.fromkeys(types):
        rows = np.flatnonzero([t == ct for t in types])
        rows = rows[np.argsort(ks[rows], kind="stable")]
        ax.plot(ks[rows], values[rows], marker="o", markersize=4, label=ct)
    best = int(np.argmin(values))
    ax.plot(
        [ks[best]],
        [values[best]],
        linestyle="none",
        marker="*",
        markersize=16,
        color="k",
        markerfacecolor="gold",
        label=f"lowest: K = {int(ks[best])}, {types[best]}",
    )
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("number of components K")
    ax.set_ylabel(f"{criterion.upper()} (lower is better)")
    ax.legend()
    return ax


def plot_digit_images(
    axes: ArrayLike,
    images: ArrayLike,
    *,
    shape: tuple[int, int] = (8, 8),
    titles: Sequence[str] | None = None,
    cmap: str = "gray_r",
    vmin: float | None = None,
    vmax: float | None = None,
) -> np.ndarray:
    """Show flattened images (one per row) as small pictures, one per Axes, on a common grey scale.

    For scikit-learn's 8 × 8 digits: a component mean μ_k, or a sample drawn from the mixture, is
    a point in ℝ⁶⁴ and is shown as the 8 × 8 picture it encodes.

    Parameters
    ----------
    axes : array_like of matplotlib Axes
        Any shape (e.g. from ``plt.subplots(2, 5)``); used in row-major order. There must be at least
        as many as images; the spare ones are switched off.
    images : array_like of shape (n, rows * cols)
        One flattened image per row.
    shape : (int, int)
        (rows, cols) of each picture.
    titles : sequence of str, optional
        One title per image.
    cmap : str
        Colour map (default: dark ink on white).
    vmin, vmax : float, optional
        The grey-scale range, shared by all pictures (default: the smallest and largest pixel
        value over all images), so the pictures are comparable.

    Returns
    -------
    numpy.ndarray of Axes
        The axes, flattened; ``axes[i]`` holds one ``AxesImage`` (``axes[i].images[0]``) for each
        image i, with no ticks.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> axs = Figure().subplots(1, 3)
    >>> out = plot_digit_images(axs, np.arange(8.0).reshape(2, 4), shape=(2, 2), titles=["a", "b"])
    >>> out[0].images[0].get_array().tolist(), out[1].get_title(), out[2].axison
    ([[0.0, 1.0], [2.0, 3.0]], 'b', False)
    """
    flat = np.asarray(axes, dtype=object).reshape(-1)
    for a in flat:
        _check_axes(a)
    if not isinstance(shape, (tuple, list)) or len(shape) != 2:
        raise ValueError(f"shape must be (rows, cols); got {shape!r}")
    rows = check_int(shape[0], "shape[0]", minimum=1)
    cols = check_int(shape[1], "shape[1]", minimum=1)
    imgs = as_float_array(images, "images", ndim=(1, 2))
    if imgs.ndim == 1:
        imgs = imgs[None]
    if imgs.shape[1] != rows * cols:
        raise ValueError(f"each image must have rows * cols = {rows * cols} pixels; got {imgs.shape[1]}")
    n = imgs.shape[0]
    if n > flat.size:
        raise ValueError(f"need at least as many axes as images ({n}); got {flat.size}")
    if titles is not None and len(titles) != n:
        raise ValueError(f"titles must give one title per image ({n}); got {len(titles)}")
    lo = float(imgs.min()) if vmin is None else float(vmin)
    hi = float(imgs.max()) if vmax is None else float(vmax)
    for i, a in enumerate(flat):
        if i >= n:
            a.set_axis_off()
            continue
        a.imshow(imgs[i].reshape(rows, cols), cmap=cmap, vmin=lo, vmax=hi, interpolation="nearest")
        a.set_xticks([])
        a.set_yticks([])
        if titles is not None:
            a.set_title(titles[i])
    return flat
