"""Chapter 9's widget: EM for the two coins from a start you pick, one iteration at a time."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from ..views.coins_em import MAX_ITERATION, CoinsEMView, coins_em_view
from ._base import Explorer, FloatSlider, IntSlider, make_controls

__all__ = ["two_coins_em"]

#: Coin A is component 1 ("C0"), coin B component 2 ("C1") in every figure of the chapter.
_A, _B = "C0", "C1"


def _draw(fig: Figure, v: CoinsEMView) -> None:
    left, right = fig.subplots(1, 2, width_ratios=[1.0, 1.15])
    top = float(v.surface.max())
    left.contour(
        v.grid,
        v.grid,
        v.surface,
        levels=np.linspace(top - 6.0, top, 13),
        colors="0.6",
        linewidths=0.7,
        linestyles="solid",
    )
    left.plot([0, 1], [0, 1], ":", color="0.5", linewidth=0.8)
    left.plot(v.path[:, 0], v.path[:, 1], "o-", color="k", markersize=3, linewidth=1)
    left.plot(*v.thetas, "o", markersize=9, markerfacecolor="none", markeredgecolor="k", markeredgewidth=1.8)
    # the start: an open square larger than the "now" circle and drawn over it, so that at iteration 0
    # (start = now) both stay visible
    left.plot(*v.start, "s", markersize=15, markerfacecolor="none", markeredgecolor="0.3", markeredgewidth=1.5)
    left.plot(*v.limit, "*", color="k", markersize=9)
    left.set_xlim(0, 1)
    left.set_ylim(0, 1)
    left.set_aspect("equal")
    left.set_xlabel("θ_A (heads probability of coin A)")
    left.set_ylabel("θ_B (coin B)")
    left.set_title(f"EM's path on ln L (□ start, ○ now, ★ limit)\nln L = {v.loglik[-1]:.3f}")
    sets = np.arange(v.heads.size)
    right.bar(sets, v.resp[0], color=_A, label="coin A")
    right.bar(sets, v.resp[1], bottom=v.resp[0], color=_B, label="coin B")
    for i, g in enumerate(v.resp[0]):
        inside = g >= 0.12  # a short bar gets its label just above it, in black
        y, colour = (g / 2, "w") if inside else (g + 0.04, "k")
        right.annotate(f"{g:.2f}", (i, y), ha="center", va="center", color=colour)
    right.set_xticks(sets, [f"set {i + 1}\n{int(h)} H" for i, h in enumerate(v.heads)])
    right.set_ylim(0, 1)
    right.set_ylabel("P(coin | set)")
    right.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    right.set_title(f"E-step at θ_A = {v.thetas[0]:.2f}, θ_B = {v.thetas[1]:.2f}\n(after {v.iteration} iterations)")


def two_coins_em(theta_a: float = 0.6, theta_b: float = 0.5, iteration: int = 0) -> Explorer:
    """Pick EM's start (θ_A, θ_B) and how many iterations to take; see the path and the responsibilities."""
    specs = (
        FloatSlider("theta_a", 0.05, 0.95, 0.05, "start θ_A"),
        FloatSlider("theta_b", 0.05, 0.95, 0.05, "start θ_B"),
        IntSlider("iteration", 0, MAX_ITERATION, "iteration"),
    )
    controls = make_controls(coins_em_view, specs, {"theta_a": theta_a, "theta_b": theta_b, "iteration": iteration})
    return Explorer(
        "two-coins-em",
        coins_em_view,
        _draw,
        controls,
        figsize=(9.5, 4.0),
        title="EM for two coins",
    )
