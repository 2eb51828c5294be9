"""Chapter 6's widget: the hat trick with a prior and two spreads (weighted densities, posterior bar and curve)."""

from __future__ import annotations

from matplotlib.figure import Figure

from ..views.hat import HatView, hat_view
from ._base import Explorer, FloatSlider, make_controls

__all__ = ["hat_explorer"]

#: The pink slip and the blue slip keep one palette colour each (Okabe–Ito reddish purple and blue under
#: the course style), the same as in chapter 6's figures.
_PINK, _BLUE = "C4", "C0"


def _draw_hat(fig: Figure, v: HatView) -> None:
    fig.set_layout_engine(None)  # fixed margins: constrained layout would add ~40 % to each redraw
    fig.subplots_adjust(left=0.06, right=0.985, bottom=0.15, top=0.84, wspace=0.3)
    dens, curve, bars = fig.subplots(1, 3, width_ratios=[1.3, 1.3, 0.5])
    for i, (colour, name) in enumerate([(_PINK, "pink"), (_BLUE, "blue")]):
        dens.plot(v.grid, v.weighted_densities[:, i], color=colour, label=f"π f(x | μ = {v.means[i]:g}) {name}")
        dens.plot([v.x], [v.weighted_at_x[i]], "o", color=colour, markeredgecolor="k")
        peak = int(v.weighted_densities[:, i].argmax())  # label each curve at its peak: no legend over the data
        side = -1 if i == 0 else 1  # pink's label to the left of its peak, blue's to the right
        dens.annotate(
            f"{name}, μ = {v.means[i]:g}",
            (v.grid[peak], v.weighted_densities[peak, i]),
            xytext=(6 * side, 3),
            textcoords="offset points",
            ha="left" if side > 0 else "right",
            va="bottom",
            color=colour,
        )
    dens.axvline(v.x, color="k", linestyle=":", linewidth=1)
    dens.set_xlabel("x")
    dens.set_title("prior × density:\nthe numerators of Bayes' rule")
    dens.set_ylim(0.0, 1.2 * float(v.weighted_densities.max()))
    curve.plot(v.grid, v.posterior_curve, color=_BLUE)
    curve.axhline(0.5, color="0.7", linewidth=0.8)
    for c in v.crossings:
        curve.axvline(c, color="0.4", linestyle="--", linewidth=0.8)
    curve.plot([v.x], [v.posterior_at_x[1]], "o", color=_BLUE, markeredgecolor="k", markersize=7)
    curve.set_xlim(v.grid[0], v.grid[-1])
    curve.set_ylim(-0.02, 1.02)
    curve.set_xlabel("x")
    curve.set_ylabel("P(μ = 7 | X = x)")
    shown = ", ".join(f"{c:.2f}" for c in v.crossings) or "none"
    curve.set_title(f"posterior of the blue slip\n½ crossed at: {shown}")
    bars.bar([0, 1], v.posterior_at_x, color=[_PINK, _BLUE], width=0.7)
    bars.set_xticks([0, 1], ["μ = 3", "μ = 7"])
    bars.set_ylim(0.0, 1.0)
    bars.set_title(f"posterior\nat x = {v.x:.2f}")


def hat_explorer(x: float = 6.0, prior_pink: float = 0.5, sigma_pink: float = 1.0, sigma_blue: float = 1.0) -> Explorer:
    """Move x, the prior P(pink) and the two σ; with σ_pink ≠ σ_blue the posterior crosses ½ twice."""
    specs = (
        FloatSlider("x", -4.0, 14.0, 0.05, "x"),
        FloatSlider("prior_pink", 0.05, 0.95, 0.05, "P(pink)"),
        FloatSlider("sigma_pink", 0.5, 3.0, 0.1, "σ pink", readout_format=".1f"),
        FloatSlider("sigma_blue", 0.5, 3.0, 0.1, "σ blue", readout_format=".1f"),
    )
    values = {"x": x, "prior_pink": prior_pink, "sigma_pink": sigma_pink, "sigma_blue": sigma_blue}
    controls = make_controls(hat_view, specs, values)
    return Explorer("hat", hat_view, _draw_hat, controls, figsize=(10.0, 3.4), title="Hat trick posterior")
