"""Chapter 2's widget: k successes in n trials against L(θ), ln L(θ), θ̂ = k/n and its Wald band."""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.figure import Figure

from ..plotting import plot_likelihood_curve
from ..views.coins import BinomialView, binomial_view
from ._base import Explorer, IntSlider, make_controls

__all__ = ["binomial_explorer"]


def _draw_binomial(fig: Figure, v: BinomialView) -> None:
    left, right = fig.subplots(1, 2)
    finite = np.isfinite(v.loglik)
    for ax, values, name in ((left, v.likelihood, "L(θ)"), (right, v.loglik, "ln L(θ)")):
        shown = finite if ax is right else slice(None)
        plot_likelihood_curve(ax, v.p_grid[shown], values[shown], log=ax is right)
        ax.axvline(v.p_hat, linestyle="--", color="0.4")
        if v.on_boundary:
            ax.axvline(v.p_hat, color="C3", linewidth=3, alpha=0.5)
        else:
            ax.axvspan(v.wald_low, v.wald_high, color="C3", alpha=0.12, linewidth=0)
        ax.set_xlabel("θ")
        ax.set_ylabel(name)
        ax.set_xlim(-0.1, 1.1)
        for edge in ((-0.1, 0.0), (1.0, 1.1)):  # outside [0, 1]: impossible values of θ
            ax.axvspan(*edge, color="0.85", linewidth=0)
    left.plot([v.p_hat], [v.likelihood_at_hat], "o", color="C3")
    right.plot([v.p_hat], [v.loglik_at_hat], "o", color="C3")
    right.set_ylim(v.loglik_at_hat - 15.0, v.loglik_at_hat + 1.0)
    band = (
        f"Wald band = the point {v.p_hat:g} (se = 0)"
        if v.on_boundary
        else f"95% Wald band [{v.wald_low:.2f}, {v.wald_high:.2f}] shaded"
    )
    left.set_title(f"L(θ) = P(k = {v.k} | n = {v.n}, θ)\nθ̂ = {v.p_hat:.3f}")  # two lines: clear of the other title
    right.set_title(f"ln L(θ)\n{band}")


def binomial_explorer(k: int = 7, n: int = 20) -> Explorer:
    """Move the successes k and the trials n; at k = 0 or k = n the maximum jumps to the boundary."""
    n_spec = IntSlider("n", 1, 100, "trials n")
    specs = (n_spec, IntSlider("k", 0, n_spec.check(n), "successes k", note="0 … n: k cannot exceed n"))
    controls = make_controls(binomial_view, specs, {"n": n, "k": k})
    k_slider, n_slider = controls["k"], controls["n"]

    # k can never exceed n (registered first: k is clamped before n redraws)
    def limit_k(change: dict[str, Any]) -> None:
        k_slider.max = change["new"]

    n_slider.observe(limit_k, names="value")
    return Explorer(
        "binomial",
        binomial_view,
        _draw_binomial,
        {"k": k_slider, "n": n_slider},
        title="Binomial likelihood of θ",
    )
