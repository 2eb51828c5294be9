"""Chapter 4's widgets: μ and σ over normal data (stems, contour map); the divisor against bias and MSE."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from numpy.typing import ArrayLike

from .._checks import as_sample
from ..views.normal import DIVISORS, SURFACE_LEVELS, DivisorView, NormalView, divisor_view, normal_surface, normal_view
from ._base import Choice, Explorer, FloatSlider, IntSlider, make_controls

__all__ = ["normal_explorer", "divisor_explorer"]


def _draw_normal(fig: Figure, v: NormalView) -> None:
    left, right = fig.subplots(1, 2, width_ratios=[1.25, 1.0])
    left.plot(v.curve_x, v.curve_log_density, color="C0", linewidth=1.2)
    left.vlines(v.x, 0.0, v.log_density, color="C4", linewidth=1.0, alpha=0.7)
    left.plot(v.x, v.log_density, "o", color="C4", markersize=3.5)
    left.axhline(0.0, color="0.5", linewidth=0.8)
    left.set_ylim(min(-12.0, float(v.log_density.min()) - 0.5), max(0.5, float(v.curve_log_density.max()) + 0.5))
    left.set_xlabel("x")
    left.set_ylabel("ln f(x | μ, σ²)")
    left.set_title(f"each point's ln f under N({v.mu:.2f}, {v.var:.2f})\nsum = ln L = {v.loglik:.2f}")
    s = v.surface
    cs = right.contour(s.mu_grid, s.var_grid, s.drop, levels=list(SURFACE_LEVELS), cmap="viridis", linewidths=1.0)
    right.clabel(cs, fmt="%g")
    right.plot(s.mu_hat, s.var_hat, "*", color="C3", markersize=14)  # the chapter's MLE colour
    right.plot(v.mu, v.var, "o", color="C4", markersize=8)  # the stems' colour
    right.set_xlim(s.mu_grid[0], s.mu_grid[-1])
    right.set_ylim(s.var_grid[0], s.var_grid[-1])
    right.set_xlabel("μ")
    right.set_ylabel("σ²")
    right.set_title(f"ln L − max\n★ MLE ({s.mu_hat:.2f}, {s.var_hat:.2f}), ● (μ, σ²)")


def normal_explorer(x: ArrayLike, mu: float | None = None, sigma: float | None = None) -> Explorer:
    """Drag μ and σ over a normal sample: stems of ln f(xᵢ | μ, σ²) and a marker on the ln L contour map.

    ``x`` is held in the state (no control shows it); the sliders span the contour map's range (rounded
    to their step, 0.01) and start at the MLE (rounded likewise) unless given.
    """
    data = as_sample(x, "x").tolist()
    s = normal_surface(data)
    sd_lo, sd_hi = float(np.sqrt(s.var_grid[0])), float(np.sqrt(s.var_grid[-1]))
    specs = (
        FloatSlider("mu", round(s.mu_grid[0], 2), round(s.mu_grid[-1], 2), 0.01, "μ", note="μ̂ ± 1.5σ̂, the map's"),
        FloatSlider("sigma", round(sd_lo, 2), round(sd_hi, 2), 0.01, "σ", note="σ̂/2 … √3·σ̂, the map's"),
    )
    mu0 = round(s.mu_hat, 2) if mu is None else mu
    sd0 = round(float(np.sqrt(s.var_hat)), 2) if sigma is None else sigma
    controls = make_controls(normal_view, specs, {"mu": mu0, "sigma": sd0}, {"x": data})
    return Explorer(
        "normal", normal_view, _draw_normal, controls, state={"x": data}, title="Normal log-likelihood of μ and σ²"
    )


_LABELS = {"n-1": "n − 1", "n": "n", "n+1": "n + 1"}


def _draw_divisor(fig: Figure, v: DivisorView) -> None:
    left, right = fig.subplots(1, 2)
    pos = np.arange(len(v.names))
    edges = ["k" if i == v.chosen else "none" for i in range(len(v.names))]
    left.bar(pos, v.bias**2, color="C1", edgecolor=edges, linewidth=1.5, label="bias²")
    left.bar(pos, v.variance, bottom=v.bias**2, color="C0", edgecolor=edges, linewidth=1.5, label="variance")
    for i in range(len(v.names)):
        left.text(i, v.mse[i], f"MSE {v.mse[i]:.2f}\nbias {v.bias[i]:+.2f}", ha="center", va="bottom")
    left.set_xticks(pos, [f"d = {_LABELS[name]}" for name in v.names])
    left.set_ylim(0, float(v.mse.max()) * 1.35)
    left.set_ylabel("MSE = bias² + variance")
    left.legend(loc="upper right")
    left.set_title(f"Σ(xᵢ − x̄)²/d at n = {v.n}, σ² = {v.var:g}\n(exact)")
    for i, name in enumerate(v.names):
        right.plot(
            v.n_grid,
            v.scaled_mse_curves[i],
            color=f"C{i + 2}",
            linewidth=2.5 if i == v.chosen else 1.0,
            label=f"d = {_LABELS[name]}",
        )
    right.axvline(v.n, color="0.5", linestyle="--", linewidth=0.8)
    right.plot([v.n], [v.scaled_mse[v.chosen]], "o", color=f"C{v.chosen + 2}")
    right.set_xlabel("sample size n")
    right.set_ylabel("n · MSE / σ⁴")
    right.set_ylim(1.0, 4.2)
    right.legend(loc="upper right")
    right.set_title("n·MSE/σ⁴ against n:\nd = n + 1 is lowest at every n")


def divisor_explorer(divisor: str = "n", n: int = 5, var: float = 4.0) -> Explorer:
    """Choose the divisor d ∈ {n − 1, n, n + 1} of Σ(xᵢ − x̄)² and the sample size n: exact bias, variance, MSE."""
    specs = (
        Choice("divisor", tuple((_LABELS[k], k) for k in DIVISORS), "divisor", kind="toggle"),
        IntSlider("n", 2, 50, "n"),
    )
    controls = make_controls(divisor_view, specs, {"divisor": divisor, "n": n}, {"var": var})
    return Explorer("divisor", divisor_view, _draw_divisor, controls, state={"var": var}, title="Which divisor for σ²?")
