"""The one widget pattern of the course: controls → a pure view function → readout + PNG figure.

Why this shape (see the notes of issue 7): ``interact`` and ``Output`` widgets break strict nbval, so
an :class:`Explorer` draws with :class:`matplotlib.figure.Figure` (never pyplot: nothing leaks into the
cell's output) into a :class:`ipywidgets.Image`, and shows its numbers in an :class:`ipywidgets.HTML`
readout.  Its display bundle carries the live widget (JupyterLab), a PNG of the starting state (a
rendered page, GitHub) and a short plain-text line (what strict nbval compares).

The readout's HTML carries, as ``data-view`` and ``data-state``, the pure function and the control
values it was computed from, so a browser test can recompute the expected text with the library and
compare it with what the page shows.

Every factory turns its arguments into controls through one rule, :func:`make_controls`: each argument
is described by the control that shows it (:class:`IntSlider`, :class:`FloatSlider`, :class:`RangeSlider`,
:class:`Choice`, :class:`Checkbox`, :class:`Text`), checked with the ``_checks`` helpers the views use and
against the control's range, then the view is computed once from the checked state (its own rules, its
own messages), and only then are the controls built.  A value a control cannot show is an error naming
the argument and the range, never a clamp or a truncation.
"""

from __future__ import annotations

import base64
import html
import io
import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import ipywidgets as W
import matplotlib.style
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from .._checks import as_float_array, check_bool, check_choice, check_int, check_real
from ..plotting import COURSE_STYLE

__all__ = [
    "Explorer",
    "render_png",
    "DPI",
    "IntSlider",
    "FloatSlider",
    "RangeSlider",
    "Choice",
    "Checkbox",
    "Text",
    "make_controls",
]

#: Resolution of every widget image: crisp on a projector, small enough to redraw fast.
DPI = 120


def render_png(
    draw: Callable[[Figure], None],
    figsize: tuple[float, float],
    dpi: int = DPI,
    *,
    positions: list[Any] | None = None,
) -> tuple[bytes, list[Any]]:
    """PNG bytes of a :class:`~matplotlib.figure.Figure` that ``draw`` fills (no pyplot involved).

    Without ``positions`` the layout is matplotlib's constrained layout; its result (the axes'
    positions) is returned so that later frames of the same widget can reuse it: constrained layout
    costs about 100 ms a frame, and a widget's frames keep the same axes.  Returns the PNG and the
    positions used.  PNG compression level 1: a few kB larger, ~40 ms faster to encode.
    """
    with matplotlib.style.context(COURSE_STYLE):  # the course's palette and font sizes, nothing global
        fig = course_figure(draw, figsize, dpi, positions=positions)
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=dpi, pil_kwargs={"compress_level": 1})
    if not positions or len(positions) != len(fig.axes):
        positions = [ax.get_position() for ax in fig.axes]
    return buf.getvalue(), positions


# -- arguments → controls -----------------------------------------------------------------------


def _out_of_range(name: str, value: object, low: float, high: float, description: str, note: str) -> ValueError:
    where = f"the range of the '{description}' slider" + (f", {note}" if note else "")
    return ValueError(f"{name} must be in [{low:g}, {high:g}] ({where}); got {value!r}")


@dataclass(frozen=True)
class IntSlider:
    """An integer argument shown on an :class:`ipywidgets.IntSlider` over [low, high].

    ``note`` says why the range is what it is, e.g. ``"0 … n"``.
    """

    name: str
    low: int
    high: int
    description: str
    step: int = 1
    note: str = ""

    def check(self, value: object) -> int:
        v = check_int(value, self.name)  # a float is refused, never truncated
        if not self.low <= v <= self.high:
            raise _out_of_range(self.name, v, self.low, self.high, self.description, self.note)
        return v

    def build(self, value: Any) -> W.IntSlider:
        return W.IntSlider(value=value, min=self.low, max=self.high, step=self.step, description=self.description)


def _float_options(spec: FloatSlider | RangeSlider) -> dict[str, Any]:
    """The keyword arguments a float slider control takes from its spec (range, step, label, format)."""
    return {
        "min": spec.low,
        "max": spec.high,
        "step": spec.step,
        "description": spec.description,
        "readout_format": spec.readout_format,
    }


@dataclass(frozen=True)
class FloatSlider:
    """A real argument shown on an :class:`ipywidgets.FloatSlider` over [low, high]."""

    name: str
    low: float
    high: float
    step: float
    description: str
    readout_format: str = ".2f"
    note: str = ""

    def check(self, value: object) -> float:
        v = check_real(value, self.name)
        if not self.low <= v <= self.high:
            raise _out_of_range(self.name, v, self.low, self.high, self.description, self.note)
        return v

    def build(self, value: Any) -> W.FloatSlider:
        return W.FloatSlider(value=value, **_float_options(self))


@dataclass(frozen=True)
class RangeSlider:
    """A pair (a, b) shown on an :class:`ipywidgets.FloatRangeSlider`: both ends in [low, high]."""

    name: str
    low: float
    high: float
    step: float
    description: str
    readout_format: str = ".2f"

    def check(self, value: Any) -> tuple[float, float]:
        pair = as_float_array(value, self.name, ndim=1)
        if pair.size != 2:
            raise ValueError(f"{self.name} must be a pair (a, b); got {pair.size} numbers")
        a, b = float(pair[0]), float(pair[1])
        for end in (a, b):
            if not self.low <= end <= self.high:
                raise _out_of_range(self.name, (a, b), self.low, self.high, self.description, "both ends")
        return a, b

    def build(self, value: Any) -> W.FloatRangeSlider:
        return W.FloatRangeSlider(value=value, **_float_options(self))


@dataclass(frozen=True)
class Choice:
    """An argument shown as a menu (``kind="dropdown"``) or a row of buttons (``kind="toggle"``).

    ``options`` are (label, value) pairs.  With ``other`` (a checker ``other(value, name)``), a value
    outside the options that ``other`` accepts is added to the menu under its own label, so the
    control shows exactly the value asked for.
    """

    name: str
    options: tuple[tuple[str, Any], ...]
    description: str
    kind: str = "dropdown"
    other: Callable[[object, str], Any] | None = None

    def check(self, value: object) -> Any:
        values = [v for _, v in self.options]
        if self.other is None:
            return check_choice(value, self.name, values)
        try:
            return check_choice(value, self.name, values)
        except ValueError:
            return self.other(value, self.name)

    def build(self, value: Any) -> W.ValueWidget:
        options = list(self.options)
        if not any(v is value or (type(v) is type(value) and v == value) for _, v in options):
            options = sorted([*options, (f"{value:g}", value)], key=lambda o: o[1])
        widget = {"dropdown": W.Dropdown, "toggle": W.ToggleButtons}[self.kind]
        return widget(options=options, value=value, description=self.description)


@dataclass(frozen=True)
class Checkbox:
    """A switch (True or False; a string such as ``"no"`` is refused, not read as true)."""

    name: str
    description: str

    def check(self, value: object) -> bool:
        return check_bool(value, self.name)

    def build(self, value: Any) -> W.Checkbox:
        return W.Checkbox(value=value, description=self.description, indent=False)


@dataclass(frozen=True)
class Text:
    """A string argument shown in a text box (its content is the view's to check)."""

    name: str
    description: str

    def check(self, value: object) -> str:
        if not isinstance(value, str):
            raise TypeError(f"{self.name} must be a str; got {type(value).__name__} {value!r}")
        return str(value)

    def build(self, value: Any) -> W.Text:
        return W.Text(value=value, description=self.description, continuous_update=False)


Control = IntSlider | FloatSlider | RangeSlider | Choice | Checkbox | Text


def make_controls(
    view: Callable[..., Any],
    specs: Sequence[Control],
    values: Mapping[str, Any],
    state: Mapping[str, Any] | None = None,
) -> dict[str, W.ValueWidget]:
    """The one rule from a factory's arguments to its controls.

    Checks every argument against its control (``values[spec.name]``, in the order of ``specs``), then
    computes ``view`` once from the checked values and the further ``state`` (so the view's own rules
    apply, with its messages), and only then builds the controls.  Raises the first ``TypeError`` or
    ``ValueError``; builds nothing in that case.
    """
    if set(values) != {s.name for s in specs}:
        raise TypeError(f"make_controls: values {sorted(values)} do not match the controls {[s.name for s in specs]}")
    checked = {s.name: s.check(values[s.name]) for s in specs}
    view(**checked, **(state or {}))
    return {s.name: s.build(checked[s.name]) for s in specs}


def course_figure(
    draw: Callable[[Figure], None], figsize: tuple[float, float], dpi: int = DPI, *, positions: list[Any] | None = None
) -> Figure:
    """The :class:`~matplotlib.figure.Figure` that :func:`render_png` saves.

    Call it inside the course style's context, as :func:`render_png` does; the tests read its texts and colours.
    """
    fig = Figure(figsize=figsize, dpi=dpi, layout=None if positions else "constrained")
    FigureCanvasAgg(fig)
    draw(fig)
    if positions and len(positions) == len(fig.axes):
        for ax, pos in zip(fig.axes, positions, strict=True):
            ax.set_position(pos)
    elif positions:  # a frame with other axes than the first: lay it out afresh
        fig.set_layout_engine("constrained")
    return fig


class Explorer:
    """A chapter's interactive figure.

    Parameters
    ----------
    name : str
        Short identifier, used as a CSS class (``mle-explorer-<name>``) and by the browser tests.
    view : callable
        The pure function of :mod:`mle_lib.views` that turns the state into a view (a dataclass with a
        ``readout()`` method).  It must be importable as ``module:qualname`` (the browser test calls it).
    draw : callable
        ``draw(fig, view)`` fills the figure from the view; it computes nothing the view does not hold.
    controls : mapping of str to ipywidgets.ValueWidget
        Each control's ``value`` is the state entry of the same name; changing it redraws.
    state : mapping, optional
        Further state entries that no control shows (e.g. the EM steps taken so far); buttons change
        them through :meth:`update`.
    buttons : sequence of ipywidgets.Button, optional
        Extra buttons (their ``on_click`` handlers call :meth:`update`).
    figsize : (float, float)
        Figure size in inches at :data:`DPI`.
    title : str
        Shown in the plain-text representation (what a reader without a kernel sees as text).
    """

    def __init__(
        self,
        name: str,
        view: Callable[..., Any],
        draw: Callable[[Figure, Any], None],
        controls: Mapping[str, W.ValueWidget],
        *,
        state: Mapping[str, Any] | None = None,
        buttons: tuple[W.Button, ...] = (),
        figsize: tuple[float, float] = (9.0, 3.4),
        title: str = "",
    ) -> None:
        self.name = name
        self.title = title or name
        self._view_fn = view
        self._draw = draw
        self.figsize = figsize
        self.controls = dict(controls)
        self.state: dict[str, Any] = {key: c.value for key, c in self.controls.items()}
        self.state.update(state or {})
        # The starting state, which reset() restores: a notebook's hidden wiring check moves a widget
        # and must leave it showing what the text above it describes.
        self._start: dict[str, Any] = dict(self.state)
        for key, c in self.controls.items():
            c.add_class(f"mle-control-{key}")
            c.observe(self._on_control(key), names="value")
        for b in buttons:
            b.add_class("mle-button-" + re.sub(r"[^a-z0-9]+", "-", b.description.lower()).strip("-"))
        self.readout = W.HTML()
        self.readout.add_class("mle-readout")
        self.image = W.Image(format="png")
        self.image.add_class("mle-figure")
        rows = [W.HBox(list(self.controls.values()) + list(buttons))]
        self.box = W.VBox([*rows, self.readout, self.image])
        self.box.add_class("mle-explorer")
        self.box.add_class(f"mle-explorer-{name}")
        self.view: Any = None
        self.error = ""
        self._positions: list[Any] | None = None
        self.update()
        if self.error:
            raise ValueError(self.error)

    # -- state -----------------------------------------------------------------------------------
    def _on_control(self, key: str) -> Callable[[dict[str, Any]], None]:
        def handler(change: dict[str, Any]) -> None:
            self.update(**{key: change["new"]})

        return handler

    def update(self, **changes: Any) -> None:
        """Change state entries (without touching the controls) and redraw."""
        self.state.update(changes)
        try:
            view = self._view_fn(**self.state)
        except (TypeError, ValueError) as exc:  # bad input from a control: say why, keep the last figure
            self.error = str(exc)
            self.readout.value = f'<div class="mle-readout-error" style="color:#b00020">{html.escape(self.error)}</div>'
            return
        self.error = ""
        self.view = view
        self.readout.value = self._readout_html()
        self.image.value = self.png()

    def set(self, **values: Any) -> str:
        """Set controls as a user would (firing their observers); return the new readout text."""
        for key, value in values.items():
            self.controls[key].value = value
        return self.readout_text

    def reset(self) -> None:
        """Put every control and state entry back to its starting value and redraw.

        Returns nothing, so a cell may end with it and print nothing.
        """
        for key, control in self.controls.items():
            if control.value != self._start[key]:
                control.value = self._start[key]  # fires the observer, as a user's move would
        self.update(**self._start)

    @property
    def at_start(self) -> bool:
        """Whether the widget shows its starting state (what :meth:`reset` restores)."""
        return not self.error and _same(self.state, self._start)

    @property
    def readout_text(self) -> str:
        """What the readout shows: the view's text, or the error that the last input raised."""
        return self.error or str(self.view.readout())

    @property
    def view_path(self) -> str:
        return f"{self._view_fn.__module__}:{self._view_fn.__qualname__}"

    def _readout_html(self) -> str:
        state = html.escape(json.dumps(self.state, ensure_ascii=False, default=_jsonable), quote=True)
        return (
            f'<div class="mle-readout-text" data-view="{self.view_path}" data-state="{state}">'
            f"{html.escape(self.readout_text)}</div>"
        )

    # -- pictures --------------------------------------------------------------------------------
    def png(self) -> bytes:
        """The figure of the current state, as PNG bytes (the layout of the first frame is reused)."""
        data, self._positions = render_png(
            lambda fig: self._draw(fig, self.view), self.figsize, positions=self._positions
        )
        return data

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        bundle = dict(self.box._repr_mimebundle_(include=include, exclude=exclude) or {})
        bundle["image/png"] = base64.b64encode(bytes(self.image.value)).decode("ascii")
        bundle["text/plain"] = f"[{self.title} — live in JupyterLab] {self.readout_text}"
        return bundle


def _same(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    """Equal state mappings (values compared as JSON, so tuples, lists and numpy arrays compare by content)."""
    return json.dumps(a, sort_keys=True, default=_jsonable) == json.dumps(b, sort_keys=True, default=_jsonable)


def _jsonable(value: Any) -> Any:
    """JSON for state entries numpy or tuples may hold."""
    if hasattr(value, "tolist"):
        return value.tolist()
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    raise TypeError(f"state value {value!r} is not JSON-serialisable")
