"""Chapter 8's widgets: EM on Old Faithful step by step; refits as K, Σ's type, reg_covar and the prior change."""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from .._checks import check_real
from ..mixture import COVARIANCE_TYPES
from ..plotting import plot_covariance_ellipses, plot_loglik_trace, two_component_cmap
from ..views.emnd import (
    MAX_COMPONENTS,
    EmIterationView,
    MixtureFitView,
    em_iteration_view,
    em_path,
    mixture_fit_view,
)
from ._base import Choice, Explorer, IntSlider, make_controls

__all__ = ["em_path_explorer", "mixture_fit_explorer"]

_LIM = (-2.6, 2.6)


def _fixed_layout(fig: Figure, wspace: float, top: float = 0.91) -> None:
    fig.set_layout_engine(None)  # fixed margins: constrained layout would add ~40 % to each redraw
    fig.subplots_adjust(left=0.08, right=0.98, bottom=0.14, top=top, wspace=wspace)


def _data_axes(ax: Axes) -> None:
    ax.set_xlim(*_LIM)
    ax.set_ylim(*_LIM)
    ax.set_xlabel("eruption (standardised)")
    ax.set_ylabel("waiting (standardised)")


def _draw_em_iteration(fig: Figure, v: EmIterationView) -> None:
    _fixed_layout(fig, 0.25, top=0.85)  # two-line titles
    left, right = fig.subplots(1, 2, width_ratios=[1.0, 1.2])
    left.scatter(v.X[:, 0], v.X[:, 1], c=v.resp[1], cmap=two_component_cmap(), vmin=0, vmax=1, s=7, edgecolors="none")
    plot_covariance_ellipses(left, v.means, v.covariances, colors=["C0", "C1"])
    _data_axes(left)
    left.set_title(f"t = {v.iteration}: colour = γ_i2\nblue = comp. 1, orange = comp. 2")
    plot_loglik_trace(right, v.trace, ylabel="ln p(X | θ_t) / n")
    right.lines[-1].set_color("0.3")  # not a component: the palette's colours belong to the components
    right.plot([v.iteration], [v.loglik], "o", color="0.2", markersize=9, zorder=3)
    low = float(np.min(v.trace[1:])) if v.n_iter else float(v.trace[0])
    right.set_ylim(low - 0.05, float(v.trace[-1]) + 0.05)
    right.set_title(f"log-likelihood now {v.loglik:.4f}\n(start {v.trace[0]:.2f}, below the axis)")


def em_path_explorer(iteration: int = 0) -> Explorer:
    """Slide through chapter 8's EM run (precomputed once): ellipses, responsibilities and the trace at t."""
    spec = IntSlider("iteration", 0, em_path().n_iter, "iteration t", note="0 … the run's last iteration")
    controls = make_controls(em_iteration_view, (spec,), {"iteration": iteration})
    return Explorer(
        "em-path", em_iteration_view, _draw_em_iteration, controls, figsize=(9.0, 3.6), title="EM on Old Faithful"
    )


def _draw_mixture_fit(fig: Figure, v: MixtureFitView) -> None:
    _fixed_layout(fig, 0.25, top=0.85)  # two-line titles: one line each ran into the other at K = 6, spherical
    left, right = fig.subplots(1, 2, width_ratios=[1.0, 1.2])
    colours = [f"C{k}" for k in range(v.n_components)]
    labels = np.argmax(v.resp, axis=0)
    left.scatter(v.X[:, 0], v.X[:, 1], c=np.array(colours)[labels], s=7, alpha=0.7, edgecolors="none")
    plot_covariance_ellipses(left, v.means, v.covariances, covariance_type=v.covariance_type, colors=colours)
    _data_axes(left)
    left.set_title(f"K = {v.n_components}, {v.covariance_type}:\npoints by most responsible component")
    # criteria in black and grey (the palette's colours belong to the components), labelled at their ends
    right.plot(v.ks, v.bic_by_k, "o-", color="0.1", label="BIC")
    right.plot(v.ks, v.aic_by_k, "s--", color="0.5", label="AIC")
    right.plot([v.n_components] * 2, [v.bic, v.aic], "o", color="0.1", markersize=12, fillstyle="none", mew=2)
    for values, name, grey in ((v.bic_by_k, "BIC", "0.1"), (v.aic_by_k, "AIC", "0.5")):
        if np.isfinite(values[-1]):
            right.annotate(
                name,
                (v.ks[-1], values[-1]),
                xytext=(12, 0),  # clear of the ring that marks the current K
                textcoords="offset points",
                color=grey,
                va="center",
                annotation_clip=False,
            )
    finite = np.r_[v.bic_by_k[1:], v.aic_by_k[1:]]
    finite = finite[np.isfinite(finite)]
    if finite.size:  # K = 1 sits far above: keep the interesting range in view
        right.set_ylim(finite.min() - 15, finite.max() + 15)
    right.set_xticks(v.ks)
    right.set_xlim(v.ks[0] - 0.4, v.ks[-1] + 0.9)  # room for the end labels inside the axes
    right.set_xlabel("K")
    right.set_ylabel("criterion (lower is better)")
    prior = "ML" if v.prior is None else "MAP"
    right.set_title(f"{v.covariance_type}, reg_covar = {v.reg_covar:g}\n{prior}: BIC {v.bic:.1f}")


#: The reg_covar values offered (a dropdown: exact values, so revisits hit the fit cache).
REG_COVAR_OPTIONS = (("0", 0.0), ("1e-6", 1e-6), ("1e-3", 1e-3), ("1e-2", 1e-2), ("0.1", 0.1))


def _reg_covar(value: object, name: str) -> float:
    """A reg_covar that the menu does not list: any number ≥ 0, as :func:`mixture_fit_view` accepts."""
    return check_real(value, name, minimum=0.0)


def mixture_fit_explorer(
    n_components: int = 2, covariance_type: str = "full", reg_covar: float = 1e-6, prior: str | None = None
) -> Explorer:
    """Refit GaussianMixture (n_init 2, seeded; cached) as K, the covariance type, reg_covar and the prior change."""
    specs = (
        IntSlider("n_components", 1, MAX_COMPONENTS, "K"),
        Choice("covariance_type", tuple((c, c) for c in COVARIANCE_TYPES), "Σ type"),
        Choice("reg_covar", REG_COVAR_OPTIONS, "reg_covar", other=_reg_covar),  # any reg_covar ≥ 0 joins the menu
        Choice("prior", (("none (ML)", None), ("default (MAP)", "default")), "prior"),
    )
    values = {"n_components": n_components, "covariance_type": covariance_type, "reg_covar": reg_covar, "prior": prior}
    controls = make_controls(mixture_fit_view, specs, values)
    return Explorer(
        "mixture-fit",
        mixture_fit_view,
        _draw_mixture_fit,
        controls,
        figsize=(9.0, 3.6),
        title="Gaussian mixture fits",
    )
