"""Chapter 3's widget: λ moves a point and its tangent (the score) along ln L; observed vs expected counts."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from numpy.typing import ArrayLike

from .._checks import as_count_sample
from ..plotting import plot_likelihood_curve
from ..views.poisson import PoissonView, poisson_lam_range, poisson_view
from ._base import Explorer, FloatSlider, make_controls

__all__ = ["poisson_explorer"]


def _draw_poisson(fig: Figure, v: PoissonView) -> None:
    left, right = fig.subplots(1, 2)
    plot_likelihood_curve(left, v.lam_grid, v.loglik_curve, log=True)
    left.axvline(v.lam_hat, linestyle="--", color="0.4")
    left.plot(v.tangent_lam, v.tangent_loglik, color="C3", linewidth=1.5)
    left.plot([v.lam], [v.loglik], "o", color="C3", markersize=7)
    top = float(v.loglik_curve.max())
    left.set_ylim(top - 25.0, top + 3.0)
    left.set_xlabel("λ")
    left.set_ylabel("ln L(λ)")
    left.set_title(f"ln L(λ): tangent slope = score = {v.score:+.2f}\ndashed: λ̂ = x̄ = {v.lam_hat:.3f}")
    right.bar(v.values, v.observed, color="C0", alpha=0.6, width=0.8, label="observed")
    right.plot(v.values, v.expected, "o-", color="C3", label=f"n·P(X = x | λ = {v.lam:.2f})")
    right.set_xticks(v.values)
    right.set_xlabel("count x")
    right.set_ylabel("how many of the n counts")
    right.set_ylim(0, max(float(v.observed.max()), float(v.expected.max())) * 1.45)  # room for the legend
    right.legend(loc="upper right")
    right.set_title("observed counts\nvs expected under λ")


def poisson_explorer(counts: ArrayLike, lam: float | None = None) -> Explorer:
    """Drag λ over the chapter's counts: the point and its tangent move along ln L; expected counts follow.

    ``counts`` is held in the state (no control shows it); λ starts at x̄ (rounded to the slider's step,
    0.01) unless given, and a given λ must lie in the slider's range, :func:`poisson_lam_range` rounded
    to 0.01.
    """
    values = [int(c) for c in as_count_sample(counts, "counts")]  # refused, not truncated, if not counts
    lo, hi = poisson_lam_range(values)
    spec = FloatSlider("lam", round(lo, 2), round(hi, 2), 0.01, "λ", note="x̄/4 … 2.5·x̄ of the counts")
    start = round(float(np.mean(values)), 2) if lam is None else lam
    controls = make_controls(poisson_view, (spec,), {"lam": start}, {"counts": values})
    return Explorer(
        "poisson", poisson_view, _draw_poisson, controls, state={"counts": values}, title="Poisson score and fit"
    )
