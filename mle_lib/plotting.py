"""Matplotlib helpers for the lecture notebooks: pure functions that draw on a given ``Axes``.

Every helper takes the ``Axes`` first, draws, and returns it; none creates a figure, calls
``plt.show()`` or touches rcParams, so a notebook (or an ipywidgets callback redrawing on a
slider move) decides layout and display. This module never imports pyplot; ``import mle_lib``
does not import this module.

In a notebook: ``fig, ax = plt.subplots()``, call a helper, then ``plt.show()``. The examples
below use a bare ``matplotlib.figure.Figure``, which needs no backend.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable, Sequence

import numpy as np
from numpy.typing import ArrayLike

from .bayes import posterior_probs
from .checks import as_float_array, as_sample, check_int, check_positive
from .order_stats import uniform_max_expectation, uniform_max_pdf, uniform_min_pdf

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

    from .simulation import EstimatorSummary

__all__ = [
    "plot_likelihood_curve",
    "plot_sample_with_density",
    "plot_normal_fits",
    "plot_posterior",
    "plot_order_stat_densities",
    "plot_sampling_distribution",
    "plot_consistency",
]

_LOG_SQRT_2PI = 0.5 * np.log(2.0 * np.pi)


def _check_axes(ax: object) -> None:
    from matplotlib.axes import Axes  # imported on first use, never at import of mle_lib

    if not isinstance(ax, Axes):
        raise TypeError(f"ax must be a matplotlib Axes; got {type(ax).__name__}")


def _normal_pdf(x: np.ndarray, mu: float, sigma: float) -> np.ndarray:
    z = (x - mu) / sigma
    return np.exp(-0.5 * z * z - np.log(sigma) - _LOG_SQRT_2PI)


def plot_likelihood_curve(ax: Axes, theta: ArrayLike, values: ArrayLike, *, mle: float | None = None,
                          label: str | None = None, log: bool = False) -> Axes:
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
        ax.axvline(m, linestyle="--", color="0.4", label=f"θ̂ = {m:.4g}")
    ax.set_xlabel("θ")
    ax.set_ylabel("ln L(θ)" if log else "L(θ)")
    if label is not None or mle is not None:
        ax.legend()
    return ax


def plot_sample_with_density(ax: Axes, sample: ArrayLike, pdf: Callable[[np.ndarray], ArrayLike], *,
                             bins: int | str = "auto", label: str | None = None,
                             num: int = 400) -> Axes:
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
    >>> pdf = lambda t: np.exp(-8 * t**2) / np.sqrt(2 * np.pi / 16)   # N(0, 1/16)
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


def plot_normal_fits(ax: Axes, x: ArrayLike, candidates: Sequence[tuple[float, float]], *,
                     num: int = 400) -> Axes:
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
        loglik = float(np.sum(-0.5 * ((data - mu) / sigma) ** 2 - np.log(sigma) - _LOG_SQRT_2PI))
        ax.plot(grid, _normal_pdf(grid, mu, sigma),
                label=f"μ = {mu:.3g}, σ = {sigma:.3g}: ln L = {loglik:.2f}")
    ax.set_xlabel("x")
    ax.set_ylabel("density")
    ax.legend()
    return ax


def plot_posterior(ax: Axes, x_grid: ArrayLike, means: ArrayLike, sigma: ArrayLike = 1.0,
                   priors: ArrayLike | None = None, *, observed: float | None = None) -> Axes:
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


def plot_order_stat_densities(ax: Axes, n: int, low: float = 0.0, high: float = 1.0, *,
                              num: int = 400) -> Axes:
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


def plot_sampling_distribution(ax: Axes, estimates: ArrayLike, true_value: float, *,
                               bins: int | str = "auto", label: str | None = None) -> Axes:
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
    """|bias|, variance and MSE of an estimator against the sample size n (log–log axes).

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
        ``ax``, with three lines in order: |bias|, variance, MSE.

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
