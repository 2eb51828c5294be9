"""The kernel-free players of the course's widgets: the values each control can take, and their frames.

A website or a slide deck has no kernel, so it cannot run a widget.  A *player* plays a widget back
instead: every state its controls can reach is drawn once, at build time, by the live widget itself (the
factory of :mod:`mle_lib.widgets` builds it with the notebook's arguments, :meth:`Explorer.update` computes
the view and draws the figure), and the page swaps precomputed frames — figure, alt text and readout — as
a reader moves the controls.  ``tools/static_widgets.py`` writes the frames and the HTML; the live widget
is unchanged.

One :class:`StaticWidget` per widget of the chapters, in :data:`PLAYERS`, says

* how the notebook builds it (the factory and its arguments, data included);
* the values each control takes in the player (:class:`Slider`, :class:`Choice`, :class:`Switch`) —
  a slider's steps are usually coarser than the live one's, and controls that would multiply the frames
  beyond the budget are left out: they stay at their starting value, and :attr:`StaticWidget.fixed` is the
  line the player shows to say so;
* for buttons (chapter 7's E-step / M-step / +10 iterations / Reset), a path of states
  (:class:`Presses`): what each button does to the state entry no control shows, the live widget's own
  rule, replayed here;
* what its figure shows, for the alt text (the state's values are appended frame by frame).

The build finds a widget's stored output by its plain text, which the live widget writes
(``[title — live in JupyterLab] readout``): :func:`identify` matches it against the starting state of every
declaration, so a stored output that no declaration reproduces exactly is an error, not a wrong player.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

__all__ = [
    "Slider",
    "Choice",
    "Switch",
    "Presses",
    "StaticWidget",
    "PLAYERS",
    "Frame",
    "Rendered",
    "identify",
    "render",
    "view_function",
]


# --------------------------------------------------------------------------------------------------
# Controls
# --------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Slider:
    """An ``<input type="range">`` over ``values`` (a tuple, or a function of the live control).

    ``name`` is the live control's state entry; ``part`` picks one end of a range slider (``interval``'s
    a and b become two sliders).  ``label`` defaults to the live control's description.
    """

    name: str
    values: tuple[Any, ...] | Callable[[Any], tuple[Any, ...]]
    label: str = ""
    part: int | None = None
    kind: str = field(default="range", init=False)


@dataclass(frozen=True)
class Choice:
    """A ``<select>`` over some of the live dropdown's (or toggle buttons') options, given by value."""

    name: str
    values: tuple[Any, ...]
    label: str = ""
    part: int | None = field(default=None, init=False)
    kind: str = field(default="select", init=False)


@dataclass(frozen=True)
class Switch:
    """An ``<input type="checkbox">`` for a live checkbox: off and on."""

    name: str
    label: str = ""
    values: tuple[Any, ...] = field(default=(False, True), init=False)
    part: int | None = field(default=None, init=False)
    kind: str = field(default="checkbox", init=False)


Control = Slider | Choice | Switch


@dataclass(frozen=True)
class Presses:
    """Buttons that move a state entry no control shows (``key``) along a path of states.

    ``buttons`` maps each button's description to what it does to the entry (the live widget's rule);
    the view refuses what the live widget refuses, and the player shows the same message.  States longer
    than ``limit`` are not drawn: a press that would go there shows ``beyond`` instead.
    """

    key: str
    buttons: tuple[tuple[str, Callable[[tuple[str, ...]], tuple[str, ...]]], ...]
    limit: int
    beyond: str
    describe: Callable[[tuple[str, ...]], str]


@dataclass(frozen=True)
class StaticWidget:
    """How one widget of a chapter becomes a kernel-free player (see the module's docstring)."""

    factory: str
    arguments: Callable[[], dict[str, Any]]
    controls: tuple[Control, ...]
    figure: str
    fixed: str = ""
    presses: Presses | None = None

    def live(self) -> Any:
        """The live widget as the notebook builds it (an :class:`~mle_lib.widgets.Explorer`)."""
        from .. import widgets

        return getattr(widgets, self.factory)(**self.arguments())

    def values(self, live: Any) -> list[tuple[Any, ...]]:
        """Each control's values in the player (a slider's function applied to the live control)."""
        out = []
        for c in self.controls:
            vals = c.values(live.controls[c.name]) if callable(c.values) else c.values
            out.append(tuple(vals))
        return out

    def start_indices(self, live: Any) -> list[int]:
        """Where each control starts: the live widget's starting value (which must be among the values)."""
        starts = []
        for c, vals in zip(self.controls, self.values(live), strict=True):
            value = live.controls[c.name].value
            value = value[c.part] if c.part is not None else value
            matches = [i for i, v in enumerate(vals) if _same(v, value)]
            if not matches:
                raise ValueError(
                    f"{self.factory}: control {c.name!r} starts at {value!r}, not one of its values {vals}"
                )
            starts.append(matches[0])
        return starts

    def paths(self, live: Any) -> list[tuple[str, ...]]:
        """The button states reachable from the start that the view accepts, in the order first reached.

        ``[()]`` without buttons.
        """
        if self.presses is None:
            return [()]
        view = view_function(live)
        start = {**live.state, **self.state(live, self.start_indices(live))}
        seen: list[tuple[str, ...]] = [()]
        queue: list[tuple[str, ...]] = [()]
        while queue:
            state = queue.pop(0)
            for _, press in self.presses.buttons:
                nxt = press(state)
                if len(nxt) > self.presses.limit or nxt in seen:
                    continue
                try:
                    view(**{**start, self.presses.key: nxt})
                except (TypeError, ValueError):
                    continue
                seen.append(nxt)
                queue.append(nxt)
        return seen

    def state(self, live: Any, indices: Sequence[int], path: tuple[str, ...] = ()) -> dict[str, Any]:
        """The live widget's state entries for the controls at ``indices`` and the buttons' ``path``."""
        state: dict[str, Any] = {}
        for c, vals, i in zip(self.controls, self.values(live), indices, strict=True):
            if c.part is None:
                state[c.name] = vals[i]
            else:
                ends = list(state.get(c.name, live.controls[c.name].value))
                ends[c.part] = vals[i]
                state[c.name] = tuple(ends)
        if self.presses is not None:
            state[self.presses.key] = tuple(path)
        return state

    def labels(self, live: Any) -> list[str]:
        return [c.label or live.controls[c.name].description for c in self.controls]

    def shown(self, live: Any, c: Control, value: Any) -> str:
        """A control's value as the live widget shows it (its readout format, its option label)."""
        control = live.controls[c.name]
        if c.kind == "select":
            for label, option in _options(control):
                if _same(option, value):
                    return str(label)
            raise ValueError(f"{self.factory}: {value!r} is not an option of the live control {c.name!r}")
        if c.kind == "checkbox":
            return "on" if value else "off"
        fmt = getattr(control, "readout_format", "")
        return format(value, fmt if fmt and fmt != "d" else "") if not isinstance(value, str) else value


def _options(control: Any) -> list[tuple[Any, Any]]:
    """(label, value) of a dropdown's or toggle buttons' options."""
    return [tuple(o) if isinstance(o, tuple) and len(o) == 2 else (str(o), o) for o in control.options]


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        return isinstance(a, (int, float)) and isinstance(b, (int, float)) and abs(float(a) - float(b)) < 1e-9
    return bool(a == b) and type(a) is type(b)


def _grid(
    step: float, *, lo: float | None = None, hi: float | None = None, digits: int = 6
) -> Callable[[Any], tuple[float, ...]]:
    """Slider values from the live control: its start, and every ``step`` from there within [lo, hi].

    ``lo`` and ``hi`` are the live control's min and max unless given.
    """

    def values(control: Any) -> tuple[float, ...]:
        start = control.value
        low = control.min if lo is None else lo
        high = control.max if hi is None else hi
        below = np.arange(start, low - 1e-9, -step)[::-1]
        above = np.arange(start + step, high + 1e-9, step)
        return tuple(round(float(v), digits) for v in np.r_[below, above])

    return values


# --------------------------------------------------------------------------------------------------
# The chapters' data, as the notebooks make it (the build checks the stored start against it)
# --------------------------------------------------------------------------------------------------
def _chapter3_counts() -> list[int]:
    rng = np.random.default_rng(2023)  # notebooks/03_poisson.ipynb: its first draw
    return rng.poisson(2.0, size=24).tolist()


def _chapter4_sample() -> list[float]:
    rng = np.random.default_rng(2023)  # notebooks/04_normal.ipynb: x1 (20 draws) first, then x
    rng.normal(5.0, 1.0, size=20)
    return rng.normal(10.0, 2.0, size=30).tolist()


def _ten(actions: tuple[str, ...]) -> tuple[str, ...]:
    """The stepper's "+10 iterations": finish a started iteration, then ten E/M pairs."""
    return actions + (("M",) if len(actions) % 2 else ()) + ("E", "M") * 10


#: Chapter 7's stepper: 20 iterations (and the E-step after them) in the player, full and hard EM.
STEPPER_ITERATIONS = 20

#: Every widget of the chapters, by the factory the notebook calls.
PLAYERS: dict[str, StaticWidget] = {
    w.factory: w
    for w in (
        StaticWidget(
            "coin_explorer",
            lambda: {"theta": 0.6, "flips": "HHTHH"},
            (Slider("theta", tuple(round(0.05 * i, 2) for i in range(1, 20))),),
            "Two panels. Left: bars of P(sequence | θ) for all 32 sequences of five flips, the observed HHTHH "
            "in vermilion. Right: the likelihood curve of HHTHH against θ, its maximum at θ = 0.8, a point at θ.",
            fixed="θ moves in steps of 0.05; the flips stay HHTHH (type others in JupyterLab).",
        ),
        StaticWidget(
            "underflow_explorer",
            lambda: {"n": 100, "theta": 0.6},
            (Slider("n", (10, *range(100, 2001, 100), *range(2500, 5001, 500))),),
            "Two panels against the number of flips n, 60 % heads. Left: L on a log axis, a falling line that "
            "stops at the smallest float64 (grey) near n = 1100. Right: ln L, finite for every n; n is marked on both.",
            fixed="n in steps of 100 up to 2000, then 500; θ stays 0.60.",
        ),
        StaticWidget(
            "binomial_explorer",
            lambda: {"k": 7, "n": 20},
            (Slider("k", tuple(range(0, 21))),),
            "Two panels against θ: left L(θ), right ln L(θ), both peaking at θ̂ = k/n (dashed) with the 95% "
            "Wald band shaded and the impossible values outside [0, 1] greyed.",
            fixed="Every k from 0 to 20; the number of trials stays n = 20.",
        ),
        StaticWidget(
            "poisson_explorer",
            lambda: {"counts": _chapter3_counts(), "lam": 1.2},
            (Slider("lam", _grid(0.2)),),
            "Two panels. Left: ln L(λ) of the 24 hourly counts with a point at λ and its tangent, the peak at "
            "λ̂ = 2.333 dashed. Right: the observed counts as bars, the counts expected under λ as dots.",
            fixed="λ moves in steps of 0.2.",
        ),
        StaticWidget(
            "normal_explorer",
            lambda: {"x": _chapter4_sample(), "mu": 10.0, "sigma": 2.0},
            (Slider("mu", _grid(0.4, lo=8.4, hi=11.4)), Slider("sigma", _grid(0.4, lo=1.2, hi=3.3))),
            "Two panels. Left: each of the 30 points as a stem down to its log-density under N(μ, σ²). Right: the "
            "contour map of ln L over (μ, σ²), the MLE as a star and the current (μ, σ²) as a dot.",
            fixed="μ and σ move in steps of 0.4.",
        ),
        StaticWidget(
            "divisor_explorer",
            lambda: {"divisor": "n", "n": 5, "var": 4.0},
            (
                Choice("divisor", ("n-1", "n", "n+1")),
                Slider("n", (2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 40, 50)),
            ),
            "Two panels. Left: stacked bars of bias² and variance, their sum the MSE, for the divisors n − 1, n "
            "and n + 1. Right: n·MSE/σ⁴ against n for the three divisors, n + 1 lowest at every n; n is marked.",
            fixed="n takes 12 values from 2 to 50.",
        ),
        StaticWidget(
            "uniform_explorer",
            lambda: {"interval": (1.0, 11.0), "x": tuple(_uniform_sample())},
            (
                Slider("interval", (0.0, 1.0, 2.0, 3.0, 4.0, 5.0), label="a", part=0),
                Slider("interval", (7.0, 8.0, 9.0, 10.0, 11.0, 12.0), label="b", part=1),
            ),
            "Two panels. Left: the flat density 1/(b − a) over [a, b] with the ten data points on the axis, "
            "crosses for points outside. Right: the ln L(a, b) map with (a, b) as a dot and the MLE as a star.",
            fixed="a from 0 to 5 and b from 7 to 12, in steps of 1.",
        ),
        StaticWidget(
            "hat_explorer",
            lambda: {"x": 6.0},
            (Slider("x", tuple(float(v) for v in range(-4, 15))), Slider("prior_pink", (0.25, 0.5, 0.75))),
            "Three panels. Left: the prior-weighted densities of the pink slip (μ = 3) and the blue slip (μ = 7) "
            "with their heights at x. Middle: P(μ = 7 | x) against x, crossing one half. Right: bars of the two "
            "posterior probabilities at x.",
            fixed="x in steps of 1, P(pink) 0.25, 0.50 or 0.75; σ pink and σ blue stay 1.0.",
        ),
        StaticWidget(
            "em_stepper",
            dict,
            (Switch("hard"),),
            "Two panels. Left: a histogram of 400 heights with the two components (blue, orange) dashed and the "
            "mixture in black, the points below grey before the first E-step and coloured by γ after it. Right: "
            "ln L after each completed M-step.",
            fixed=f"The buttons go up to {STEPPER_ITERATIONS} iterations.",
            presses=Presses(
                "actions",
                (
                    ("E-step", lambda a: (*a, "E")),
                    ("M-step", lambda a: (*a, "M")),
                    ("+10 iterations", _ten),
                    ("Reset", lambda a: ()),
                ),
                limit=2 * STEPPER_ITERATIONS + 1,
                beyond=f"The kernel-free player stops at {STEPPER_ITERATIONS} iterations: press Reset, or go on "
                "in JupyterLab.",
                describe=lambda a: f"{len(a)} steps taken",
            ),
        ),
        StaticWidget(
            "em_surface_picker",
            lambda: {"mu1": -14.0, "mu2": 2.0},
            (
                Slider("mu1", tuple(float(v) for v in range(-14, 15, 4))),
                Slider("mu2", tuple(float(v) for v in range(-14, 15, 4))),
            ),
            "Two panels. Left: the likelihood surface over (μ₁, μ₂) with EM's white path from the start (a white "
            "square) to where it ends (a red circle). Right: ln L along the path against the two maxima's levels.",
            fixed="The start moves in steps of 4.",
        ),
        StaticWidget(
            "em_path_explorer",
            lambda: {"iteration": 0},
            (Slider("iteration", tuple(range(0, 21))),),
            "Two panels. Left: Old Faithful coloured by the responsibility of component 2 with both components' "
            "ellipses (blue, orange) at iteration t. Right: the log-likelihood trace with iteration t marked.",
        ),
        StaticWidget(
            "mixture_fit_explorer",
            lambda: {"n_components": 2, "covariance_type": "full"},
            (
                Slider("n_components", (1, 2, 3, 4, 5, 6)),
                Choice("covariance_type", ("full", "tied", "diag", "spherical")),
            ),
            "Two panels. Left: Old Faithful coloured by each point's most responsible component with the fitted "
            "ellipses. Right: BIC and AIC against K = 1 to 6 with the current K circled.",
            fixed="reg_covar stays 1e-6 and the prior none (ML).",
        ),
        StaticWidget(
            "two_coins_em",
            lambda: {"theta_a": 0.6, "theta_b": 0.5, "iteration": 0},
            (
                Slider("theta_a", (0.3, 0.6, 0.9)),
                Slider("theta_b", (0.2, 0.5, 0.8)),
                Slider("iteration", (0, 1, 2, 4, 8, 20)),
            ),
            "Two panels. Left: ln L contours over θ_A and θ_B with EM's path from the start (square) to now "
            "(circle) and its limit (star). Right: each set's probability of coin A as stacked bars, coin B's on top.",
            fixed="Three starts for θ_A and for θ_B; iterations 0, 1, 2, 4, 8 and 20.",
        ),
    )
}


def _uniform_sample() -> tuple[float, ...]:
    from ..views.uniform import CHAPTER5_SAMPLE  # the sample notebooks/05_uniform.ipynb draws

    return tuple(float(v) for v in CHAPTER5_SAMPLE)


# --------------------------------------------------------------------------------------------------
# Recognising a stored output, and drawing the frames
# --------------------------------------------------------------------------------------------------
def start_text(widget: StaticWidget) -> str:
    """The plain text the live widget stores at its start (what a notebook's output must hold)."""
    return str(widget.live()._repr_mimebundle_()["text/plain"])


def identify(text: str, texts: dict[str, str] | None = None) -> StaticWidget | None:
    """The declaration whose starting widget stores exactly this plain text, or None.

    ``texts`` (factory → :func:`start_text`) may be given to avoid rebuilding the widgets for every output.
    """
    texts = texts if texts is not None else {name: start_text(w) for name, w in PLAYERS.items()}
    for name, stored in texts.items():
        if stored == text:
            return PLAYERS[name]
    return None


@dataclass
class Frame:
    """One state: its figure (PNG bytes), alt text and readout, and where each button leads from it.

    Where a button leads: a frame number, or the message the readout shows when the press is refused.
    """

    png: bytes
    alt: str
    readout: str
    presses: list[int | str]


@dataclass
class Rendered:
    """Every frame of one player, numbered in mixed radix: the controls' indices, then the buttons' path."""

    name: str
    title: str
    factory: str
    labels: list[str]
    controls: list[dict[str, Any]]
    buttons: list[str]
    paths: int
    frames: list[Frame]

    def index(self, indices: Sequence[int], path: int = 0) -> int:
        i = 0
        for c, k in zip(self.controls, indices, strict=True):
            i = i * len(c["values"]) + k
        return i * self.paths + path


def render(widget: StaticWidget) -> Rendered:
    """Draw every frame of ``widget`` with the live widget (its view and its drawing code)."""
    live = widget.live()
    values = widget.values(live)
    labels = widget.labels(live)
    paths = widget.paths(live)
    controls = [
        {
            "kind": c.kind,
            "name": c.name if c.part is None else f"{c.name}-{c.part}",
            "label": label,
            "values": [widget.shown(live, c, v) for v in vals],
            "start": start,
        }
        for c, vals, label, start in zip(widget.controls, values, labels, widget.start_indices(live), strict=True)
    ]
    buttons = [name for name, _ in widget.presses.buttons] if widget.presses else []
    rendered = Rendered(live.name, live.title, widget.factory, labels, controls, buttons, len(paths), [])
    where = {p: k for k, p in enumerate(paths)}
    view = view_function(live)
    for indices in itertools.product(*(range(len(v)) for v in values)):
        base = rendered.index(indices)
        for path in paths:
            state = widget.state(live, indices, path)
            live.update(**state)
            if live.error:
                raise ValueError(f"{widget.factory}: the player's state {state} is refused: {live.error}")
            said = [
                f"{label} = {widget.shown(live, c, vals[i])}"
                for c, vals, label, i in zip(widget.controls, values, labels, indices, strict=True)
            ]
            presses: list[int | str] = []
            if widget.presses is not None:
                said.append(widget.presses.describe(path))
                for _, press in widget.presses.buttons:
                    presses.append(_press(widget, widget.presses, view, live, indices, path, press, base, where))
            alt = f"{widget.figure} Shown: {', '.join(said)}."
            rendered.frames.append(Frame(bytes(live.image.value), alt, live.readout_text, presses))
    return rendered


def _press(
    widget: StaticWidget,
    presses: Presses,
    view: Callable[..., Any],
    live: Any,
    indices: Sequence[int],
    path: tuple[str, ...],
    press: Callable[[tuple[str, ...]], tuple[str, ...]],
    base: int,
    where: dict[tuple[str, ...], int],
) -> int | str:
    """Where a button leads from a state: the frame of the new path, or the message of a refusal.

    The refusal's message is the view's own error, as the live readout shows it; the figure stays.
    """
    nxt = press(path)
    if len(nxt) > presses.limit:
        return presses.beyond
    try:
        view(**{**live.state, **widget.state(live, indices, nxt)})
    except (TypeError, ValueError) as exc:  # what Explorer.update shows for a refused input
        return str(exc)
    return base + where[nxt]


def view_function(live: Any) -> Callable[..., Any]:
    """The live widget's pure view function (``module:qualname`` of :attr:`Explorer.view_path`)."""
    import importlib

    module, _, qualname = live.view_path.partition(":")
    obj: Any = importlib.import_module(module)
    for part in qualname.split("."):
        obj = getattr(obj, part)
    return obj


def frames_of(factory: str) -> Rendered:
    """:func:`render` of the declaration of ``factory`` (a picklable entry point for worker processes)."""
    return render(PLAYERS[factory])
