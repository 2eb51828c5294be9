"""The one widget pattern of the course: controls → a pure view function → readout + PNG figure.

Why this shape (see the notes of issue 7): ``interact`` and ``Output`` widgets break strict nbval, so
an :class:`Explorer` draws with :class:`matplotlib.figure.Figure` (never pyplot: nothing leaks into the
cell's output) into a :class:`ipywidgets.Image`, and shows its numbers in an :class:`ipywidgets.HTML`
readout.  Its display bundle carries the live widget (JupyterLab), a PNG of the starting state (a
rendered page, GitHub) and a short plain-text line (what strict nbval compares).

The readout's HTML carries, as ``data-view`` and ``data-state``, the pure function and the control
values it was computed from, so a browser test can recompute the expected text with the library and
compare it with what the page shows.
"""

from __future__ import annotations

import base64
import html
import io
import json
import re
from collections.abc import Callable, Mapping
from typing import Any

import ipywidgets as W
import matplotlib.style
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from ..plotting import COURSE_STYLE

__all__ = ["Explorer", "render_png", "DPI"]

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
        fig = Figure(figsize=figsize, dpi=dpi, layout=None if positions else "constrained")
        FigureCanvasAgg(fig)
        draw(fig)
        if positions and len(positions) == len(fig.axes):
            for ax, pos in zip(fig.axes, positions, strict=True):
                ax.set_position(pos)
        elif positions:  # a frame with other axes than the first: lay it out afresh
            fig.set_layout_engine("constrained")
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=dpi, pil_kwargs={"compress_level": 1})
    if not positions or len(positions) != len(fig.axes):
        positions = [ax.get_position() for ax in fig.axes]
    return buf.getvalue(), positions


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
    def _on_control(self, key: str) -> Callable[[dict], None]:
        def handler(change: dict) -> None:
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
        """Put every control and state entry back to its starting value and redraw (returns nothing,
        so a cell may end with it and print nothing)."""
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
