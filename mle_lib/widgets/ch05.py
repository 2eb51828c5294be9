"""Chapter 5's widget: an interval [a, b] over the sample; L = (b − a)⁻ⁿ inside, exactly 0 once a point is out."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from .._checks import as_sample
from ..views.uniform import UniformView, uniform_view
from ._base import Explorer, RangeSlider, make_controls

__all__ = ["uniform_explorer"]


def _draw_uniform(fig: Figure, v: UniformView) -> None:
    fig.set_layout_engine(None)  # fixed margins: constrained layout would add ~40 % to each redraw
    fig.subplots_adjust(left=0.085, right=0.98, bottom=0.15, top=0.9, wspace=0.22)
    left, right = fig.subplots(1, 2, width_ratios=[1.25, 1.0])
    height = 1.0 / (v.high - v.low)
    left.fill_between([v.low, v.high], 0.0, height, color="C0", alpha=0.15)
    left.plot([v.low, v.low, v.high, v.high], [0.0, height, height, 0.0], color="C0", linewidth=1.5)
    inside = ~v.outside
    left.plot(v.x[inside], np.zeros(inside.sum()), "o", color="C0", markersize=7, clip_on=False)
    left.plot(v.x[v.outside], np.zeros(v.n_outside), "X", color="C3", markersize=9, clip_on=False)
    left.set_xlim(v.grid[0], v.grid[-1])
    left.set_ylim(0.0, max(0.3, 1.25 * height))
    left.set_xlabel("x")
    left.set_ylabel("f(x | a, b)")
    state = f"{v.n_outside} outside: L = 0" if v.n_outside else f"L = (b − a)⁻ⁿ = {v.likelihood:.3g}"
    left.set_title(f"[a, b] = [{v.low:.2f}, {v.high:.2f}]; {state}", color="C3" if v.n_outside else "k")
    g = v.grid
    step = g[1] - g[0]
    extent = (g[0] - step / 2, g[-1] + step / 2, g[0] - step / 2, g[-1] + step / 2)
    right.imshow(np.ma.masked_invalid(v.map_loglik), origin="lower", extent=extent, cmap="viridis", aspect="auto")
    right.fill_between(g, g[0], g, color="0.85")
    right.text(0.72, 0.25, "a ≥ b", transform=right.transAxes, color="0.4", ha="center")
    right.text(0.3, 0.45, "L = 0\n(a point outside)", transform=right.transAxes, color="0.4", ha="center")
    right.plot([v.low], [v.high], "o", color="C3" if v.n_outside else "white", markeredgecolor="k", markersize=8)
    right.plot([v.mle[0]], [v.mle[1]], "*", color="gold", markeredgecolor="k", markersize=12)
    right.set_xlabel("a")
    right.set_ylabel("b")
    right.set_title("ln L(a, b): ● the slider's, ★ the MLE")


def uniform_explorer(interval: tuple[float, float] = (1.0, 11.0), x: tuple[float, ...] | None = None) -> Explorer:
    """Drag the ends of [a, b]: points outside become vermillion crosses and L is exactly 0; inside, L = (b − a)⁻ⁿ.

    Outside points change marker (● → ✕) as well as colour, so the cue does not rest on colour alone.

    ``x`` defaults to chapter 5's sample (:data:`mle_lib.views.uniform.CHAPTER5_SAMPLE`).
    """
    state = {} if x is None else {"x": tuple(as_sample(x, "x").tolist())}
    spec = RangeSlider("interval", 0.0, 12.0, 0.05, "[a, b]")
    controls = make_controls(uniform_view, (spec,), {"interval": interval}, state)
    return Explorer(
        "uniform", uniform_view, _draw_uniform, controls, state=state, figsize=(9.0, 3.4), title="Uniform likelihood"
    )
