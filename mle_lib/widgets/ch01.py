"""Chapter 1's widgets: θ and the flips against P(data | θ); L underflowing where ln L does not."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from ..plotting import plot_likelihood_curve
from ..views.coins import CoinView, UnderflowView, coin_view, underflow_view
from ._base import Explorer, FloatSlider, IntSlider, Text, make_controls

__all__ = ["coin_explorer", "underflow_explorer"]


def _draw_coin(fig: Figure, v: CoinView) -> None:
    left, right = fig.subplots(1, 2, width_ratios=[1.2, 1.0])
    if v.sequences:
        colours = ["C0"] * len(v.sequences)
        colours[v.observed_index] = "C3"
        left.bar(np.arange(len(v.sequences)), v.probabilities, color=colours, width=0.8)
        left.set_xticks([v.observed_index], [v.flips])
        left.set_title(f"P(sequence | θ = {v.theta:.2f}):\nall {v.n_sequences} sequences, summing to 1")
        left.set_ylabel("probability")
    else:
        left.text(0.5, 0.5, f"{v.n_sequences} sequences: too many to list", ha="center", va="center")
        left.set_axis_off()
    plot_likelihood_curve(right, v.theta_grid, v.likelihood, mle=v.theta_hat, label=f"L(θ) = P({v.flips} | θ)")
    right.plot([v.theta], [v.likelihood_at_theta], "o", color="C3", markersize=8, label=f"θ = {v.theta:.2f}")
    right.set_xlabel("θ")
    # below the panel, off the curve wherever its peak is (the flips move it)
    right.legend(loc="upper center", bbox_to_anchor=(0.5, -0.22), ncol=2)
    right.set_title("the likelihood L(θ):\nthe data fixed, θ varying")


def coin_explorer(theta: float = 0.6, flips: str = "HHTHH") -> Explorer:
    """Drag θ; edit the flips (H and T, up to 8 listed). Left: a distribution over data; right: L(θ)."""
    specs = (FloatSlider("theta", 0.01, 0.99, 0.01, "θ"), Text("flips", "flips"))
    controls = make_controls(coin_view, specs, {"theta": theta, "flips": flips})
    return Explorer("coin", coin_view, _draw_coin, controls, figsize=(9.0, 4.2), title="Probability vs likelihood")


#: The smallest positive float64, 4.9e-324 (a subnormal): the floor of the underflow panel.
_TINY = float(np.nextafter(0.0, 1.0))


def _draw_underflow(fig: Figure, v: UnderflowView) -> None:
    left, right = fig.subplots(1, 2)
    shown = v.likelihood_curve > 0
    left.semilogy(v.n_grid[shown], v.likelihood_curve[shown], color="C0")
    left.axvline(v.n, color="C3", linestyle="--")
    # The floor of float64 is the bottom of the axis (nothing positive lies below it): the grey line
    # replaces the bottom spine, and an L that underflowed to 0 is drawn on it.
    left.set_ylim(_TINY, 1.0)
    left.spines["bottom"].set_visible(False)
    left.axhline(_TINY, color="0.5", linewidth=3, clip_on=False, zorder=3)
    left.annotate(
        "4.9e-324, the smallest float > 0",
        (1.0, _TINY),
        xycoords=("axes fraction", "data"),
        xytext=(-4, 5),
        textcoords="offset points",
        ha="right",
        va="bottom",
        color="0.35",
    )
    left.plot([v.n], [max(v.likelihood, _TINY)], "o", color="C3", clip_on=False, zorder=4)
    left.set_yticks([1e0, 1e-100, 1e-200, 1e-300])
    left.set_xlim(0, v.n_grid[-1] * 1.02)
    left.set_title("L (log axis): below 4.9e-324 it is exactly 0")
    left.set_xlabel("number of flips n")
    right.plot(v.n_grid, v.loglik_curve, color="C0")  # the same quantity as on the left: the same colour
    right.plot([v.n], [v.loglik], "o", color="C3")
    right.set_title("ln L: an ordinary number for every n")
    right.set_xlabel("number of flips n")


def underflow_explorer(n: int = 100, theta: float = 0.6) -> Explorer:
    """Increase the number of flips n (60 % heads): L underflows to 0 near n ≈ 1100, ln L does not."""
    specs = (IntSlider("n", 10, 5000, "flips n", step=10), FloatSlider("theta", 0.05, 0.95, 0.05, "θ"))
    controls = make_controls(underflow_view, specs, {"n": n, "theta": theta})
    return Explorer("underflow", underflow_view, _draw_underflow, controls, title="Underflow of L")
