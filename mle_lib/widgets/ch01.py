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
        left.set_xticks([v.observed_index], [v.flips], fontsize=9)
        left.set_title(f"P(sequence | θ = {v.theta:.2f}) over all {2**v.n} sequences: sums to 1", fontsize=9)
        left.set_ylabel("probability", fontsize=9)
    else:
        left.text(0.5, 0.5, f"{2**v.n} sequences: too many to list", ha="center", va="center", fontsize=9)
        left.set_axis_off()
    plot_likelihood_curve(right, v.theta_grid, v.likelihood, mle=v.theta_hat, label=f"L(θ) = P({v.flips} | θ)")
    right.plot([v.theta], [v.likelihood_at_theta], "o", color="C3", markersize=8, label=f"θ = {v.theta:.2f}")
    right.set_xlabel("θ", fontsize=9)
    # below the panel, off the curve wherever its peak is (the flips move it), at the course's 9 pt minimum
    right.legend(fontsize=9, loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=3)
    right.set_title("the likelihood: the data fixed, θ varying", fontsize=9)


def coin_explorer(theta: float = 0.6, flips: str = "HHTHH") -> Explorer:
    """Drag θ; edit the flips (H and T, up to 8 listed). Left: a distribution over data; right: L(θ)."""
    specs = (FloatSlider("theta", 0.01, 0.99, 0.01, "θ"), Text("flips", "flips"))
    controls = make_controls(coin_view, specs, {"theta": theta, "flips": flips})
    return Explorer("coin", coin_view, _draw_coin, controls, title="Probability vs likelihood")


def _draw_underflow(fig: Figure, v: UnderflowView) -> None:
    left, right = fig.subplots(1, 2)
    shown = v.likelihood_curve > 0
    left.semilogy(v.n_grid[shown], v.likelihood_curve[shown], color="C0")
    left.axvline(v.n, color="C3", linestyle="--")
    left.plot([v.n], [max(v.likelihood, 1e-323)], "o", color="C3")
    left.set_ylim(1e-320, 1.0)
    left.axhline(4.9e-324, color="0.5", linewidth=0.8)
    left.set_title("L (log axis): below 4.9e-324 it is exactly 0", fontsize=9)
    left.set_xlabel("number of flips n", fontsize=9)
    right.plot(v.n_grid, v.loglik_curve, color="C0")  # the same quantity as on the left: the same colour
    right.plot([v.n], [v.loglik], "o", color="C3")
    right.set_title("ln L: an ordinary number for every n", fontsize=9)
    right.set_xlabel("number of flips n", fontsize=9)


def underflow_explorer(n: int = 100, theta: float = 0.6) -> Explorer:
    """Increase the number of flips n (60 % heads): L underflows to 0 near n ≈ 1100, ln L does not."""
    specs = (IntSlider("n", 10, 5000, "flips n", step=10), FloatSlider("theta", 0.05, 0.95, 0.05, "θ"))
    controls = make_controls(underflow_view, specs, {"n": n, "theta": theta})
    return Explorer("underflow", underflow_view, _draw_underflow, controls, title="Underflow of L")
