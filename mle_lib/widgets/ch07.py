"""Chapter 7's widgets: EM one button press at a time, and EM's path from a start on the likelihood surface."""

from __future__ import annotations

import ipywidgets as W
import numpy as np
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.figure import Figure

from ..plotting import plot_likelihood_surface, plot_loglik_trace, plot_mixture_1d
from ..views.em1d import StepperView, SurfacePathView, em_stepper_view, surface_path_view
from ._base import Checkbox, Explorer, FloatSlider, make_controls

__all__ = ["EMStepper", "em_stepper", "em_surface_picker"]

#: Where the heights' densities are drawn (cm).
_GRID = np.linspace(140.0, 205.0, 261)
#: Blue (component 1) to orange (component 2): a point's colour is its responsibility γᵢ₂ (the colour
#: map is made in the draw function: a module-level Colormap is unhashable, which breaks scans of
#: module attributes such as tests/test_numerical.py's).
_RESP_COLOURS = ("C0", "C1")
#: Fixed vertical offsets of the rug, so that points at the same height stay visible (drawing only).
_RUG_Y = -0.004 - 0.006 * np.random.default_rng(0).random(400)


def _draw_stepper(fig: Figure, v: StepperView) -> None:
    left, right = fig.subplots(1, 2, width_ratios=[1.7, 1.0])
    plot_mixture_1d(left, _GRID, v.weights, v.means, v.variances, data=v.x, bins=30)
    left.get_legend().remove()  # the title names the curves; a legend would sit on the data
    if v.resp is None:
        left.scatter(v.x, _RUG_Y[: v.x.size], s=5, color="0.5", linewidths=0)
        said = "points grey: no E-step yet"
    else:
        left.scatter(
            v.x,
            _RUG_Y[: v.x.size],
            s=5,
            c=v.resp[1],
            cmap=LinearSegmentedColormap.from_list("resp", _RESP_COLOURS),
            vmin=0,
            vmax=1,
            linewidths=0,
        )
        said = "points coloured by their γ"
    left.set_xlim(_GRID[0], _GRID[-1])
    left.set_ylim(-0.012, 0.075)
    left.set_xlabel("height (cm)")
    left.set_ylabel("density")
    kind = "hard EM" if v.hard else "full EM"
    left.set_title(f"{kind}: components πₖ N(μₖ, σₖ²) dashed, mixture black\n{said}")
    plot_loglik_trace(right, v.trace, ylabel="ln L (total)")
    right.set_xlabel("completed M-steps")
    right.set_xlim(-0.5, max(v.m_steps, 4) + 0.5)  # room for the steps to come; integer ticks only
    right.ticklabel_format(axis="y", useOffset=False)
    right.set_title("full EM never\nlowers ln L" if not v.hard else "hard EM climbs its own\nobjective, not ln L")


class EMStepper(Explorer):
    """The stepper: an :class:`~mle_lib.widgets._base.Explorer` whose buttons can also be pressed from code."""

    buttons: dict[str, W.Button]

    def press(self, description: str) -> str:
        """Click the button named ``description`` (as a user would); return the new readout text."""
        self.buttons[description].click()
        return self.readout_text

    def reset(self) -> None:
        """Back to the start: the hard-EM switch as it began, no steps taken, E-step highlighted."""
        super().reset()
        self.buttons["Reset"].click()


def em_stepper(hard: bool = False) -> EMStepper:
    """Press E-step and M-step in turn (Reset to start again); tick "hard EM" for classification EM.

    EM alternates, starting with an E-step: pressing the button that is not next (the highlighted one
    is) is refused, and the readout says why.  Toggling "hard EM" replays the same steps as the other
    kind of EM.  "+10 iterations" takes ten E-step/M-step pairs at once.
    """
    e_button = W.Button(description="E-step")
    m_button = W.Button(description="M-step")
    ten_button = W.Button(description="+10 iterations")
    reset_button = W.Button(description="Reset")
    ex = EMStepper(
        "em-stepper",
        em_stepper_view,
        _draw_stepper,
        make_controls(em_stepper_view, (Checkbox("hard", "hard EM"),), {"hard": hard}, {"actions": ()}),
        state={"actions": ()},
        buttons=(e_button, m_button, ten_button, reset_button),
        figsize=(9.0, 3.4),
        title="EM step by step",
    )
    ex.buttons = {b.description: b for b in (e_button, m_button, ten_button, reset_button)}

    def highlight() -> None:
        e_next = len(ex.state["actions"]) % 2 == 0
        e_button.button_style = "primary" if e_next else ""
        m_button.button_style = "" if e_next else "primary"

    def take(*steps: str) -> None:
        before = ex.state["actions"]
        ex.update(actions=before + steps)
        if ex.error:  # refused: the steps stay as they were; the readout says why
            ex.state["actions"] = before
        highlight()

    def reset(_: W.Button) -> None:
        ex.update(actions=())
        highlight()

    def ten(_: W.Button) -> None:
        first = ("M",) if len(ex.state["actions"]) % 2 else ()  # finish a started iteration first
        take(*first, *("E", "M") * 10)

    e_button.on_click(lambda _: take("E"))
    m_button.on_click(lambda _: take("M"))
    ten_button.on_click(ten)
    reset_button.on_click(reset)
    highlight()
    return ex


def _draw_surface(fig: Figure, v: SurfacePathView) -> None:
    left, right = fig.subplots(1, 2, width_ratios=[1.1, 1.0])
    plot_likelihood_surface(left, v.grid, v.grid, v.surface, levels=24, depth=60, maxima=v.maxima)
    left.plot(v.path[:, 0], v.path[:, 1], "o-", color="w", markersize=3, linewidth=1)
    left.plot(*v.start, "s", color="w", markersize=7, markeredgecolor="k")
    left.plot(*v.end, "o", markersize=10, markerfacecolor="none", markeredgecolor="C3", markeredgewidth=2)
    left.set_aspect("equal")
    left.set_title("EM's path from the white square\n(σ = 2, π = ½ fixed)")
    right.plot(np.arange(v.loglik.size), v.loglik, "o-", color="C0", markersize=3)
    for level, name in ((v.maxima_loglik.max(), "global maxima"), (v.maxima_loglik.min(), "lower maxima")):
        right.axhline(level, color="0.5", linestyle="--", linewidth=0.8)
        right.annotate(name, (0, level), xytext=(2, 2), textcoords="offset points", color="0.3")
    right.set_xlabel("EM iteration")
    right.set_ylabel("ln L")
    top = v.maxima_loglik.max()
    right.set_ylim(max(v.loglik.min() - 2, top - 80), top + 5)
    right.set_title(f"ln L along the path\nit ends at: {v.which}")


def em_surface_picker(mu1: float = -14.0, mu2: float = 2.0) -> Explorer:
    """Pick EM's start (μ₁, μ₂) on the chapter's four-bump surface; see where its path ends."""
    specs = (
        FloatSlider("mu1", -16.0, 16.0, 0.5, "start μ₁", readout_format=".1f", note="the surface's"),
        FloatSlider("mu2", -16.0, 16.0, 0.5, "start μ₂", readout_format=".1f", note="the surface's"),
    )
    controls = make_controls(surface_path_view, specs, {"mu1": mu1, "mu2": mu2})
    return Explorer(
        "em-surface",
        surface_path_view,
        _draw_surface,
        controls,
        figsize=(9.0, 4.0),
        title="Basins of attraction of EM",
    )
