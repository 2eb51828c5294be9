"""What the browser test asserts about one widget: it answers a move, shows the library's numbers, redraws.

Every function raises ``AssertionError`` with a message naming the widget and the broken link, so the
negative controls (``test_negative_controls.py``) can assert that each kind of breakage is caught.
"""

from __future__ import annotations

import importlib
import json
import math
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lab import (
    Control,
    explorer_name,
    figure_src,
    move_once,
    pick_control,
    readout_state,
    shown_value,
    wait_kernel_idle,
)

#: Arrow presses per slider move (each is one step of the slider).
SLIDER_PRESSES = 3
_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")


@dataclass
class Checked:
    """What one widget did: the control moved, the state before and after, the readout shown."""

    name: str
    control: str
    before: dict[str, Any]
    after: dict[str, Any]
    readout: str
    screenshot: Path | None


def poll(condition: Callable[[], Any], timeout: float, message: Callable[[], str], interval: float = 0.1) -> Any:
    """Call ``condition`` until it returns something truthy; ``AssertionError(message())`` after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(message())
        time.sleep(interval)


def value_matches(control: Control, shown: Any, value: Any) -> bool:
    """Whether the value the page shows for ``control`` equals the state entry, to the shown precision.

    Sliders: every number in the readout next to the slider (one, or two for a range) equals the state
    value rounded to as many decimals as the readout shows. Dropdowns and toggle buttons: the selected
    label is the value's ``str`` or, for a number, shows that number. Checkboxes and a single toggle
    button: checked (pressed) ⇔ value.
    """
    if control.kind == "slider":
        # ipywidgets' readout writes a negative number with the minus sign U+2212 (d3-format), not "-".
        texts = _NUMBER.findall(str(shown).replace("\u2212", "-"))
        values = list(value) if isinstance(value, (list, tuple)) else [value]
        if len(texts) != len(values):
            return False
        for text, v in zip(texts, values, strict=True):
            decimals = len(text.split(".")[1]) if "." in text and "e" not in text.lower() else 0
            if not math.isclose(float(text), float(v), abs_tol=0.5 * 10.0**-decimals + 1e-12):
                return False
        return True
    if control.kind == "toggle" and isinstance(shown, bool):  # a single ToggleButton: pressed ⇔ value
        return shown == bool(value)
    if control.kind in ("dropdown", "toggle"):  # the label is the value, or shows the same numbers
        label = str(shown).strip()
        if label == str(value):
            return True
        numbers = _NUMBER.findall(label)
        return isinstance(value, (int, float)) and len(numbers) == 1 and math.isclose(float(numbers[0]), value)
    if control.kind == "checkbox":
        return bool(shown) == bool(value)
    return True


def expected_readout(view_path: str, state: dict[str, Any]) -> str:
    """The readout the library computes: import ``module:function`` and call it with the state."""
    module, _, name = view_path.partition(":")
    fn: Any = importlib.import_module(module)  # then the attribute ``name`` of it: a view function
    for part in name.split("."):
        fn = getattr(fn, part)
    return str(fn(**state).readout())


def settle(page: Any, box: Any, timeout: float) -> tuple[str, str, str]:
    """Wait until the kernel is idle and readout and figure stay the same over two polls 0.25 s apart."""
    last: list[Any] = [None]

    def steady() -> Any:
        wait_kernel_idle(page, timeout=timeout * 1000)
        now = (*readout_state(box), figure_src(box))
        same = now == last[0]
        last[0] = now
        return now[:3] if same else None

    return poll(steady, timeout, lambda: f"{explorer_name(box)}: the widget kept changing for {timeout} s", 0.25)


def check_explorer(page: Any, box: Any, *, timeout: float = 20.0, screenshot: Path | None = None) -> Checked:
    """Move one control of the explorer ``box`` and check the readout and the figure.

    1. the readout's ``data-state`` changes after the move (the control is wired to the view);
    2. (a) the moved control's value as the page shows it equals its entry in the new state;
       (b) the readout text equals ``view(**state).readout()`` computed here with the library;
       (c) an element screenshot of the figure differs from the one taken before the move.
    """
    name = explorer_name(box)
    box.scroll_into_view_if_needed()
    view0, state0, text0 = settle(page, box, timeout)
    assert view0, f"{name}: the readout shows no view before the move: {text0!r}"
    figure = box.locator(".mle-figure").first
    png0 = figure.screenshot()
    control = pick_control(box)
    for _ in range(SLIDER_PRESSES if control.kind == "slider" else 1):
        move_once(page, control)
    poll(
        lambda: readout_state(box)[1] != state0,
        timeout,
        lambda: (
            f"{name}: the readout's data-state did not change within {timeout} s of moving {control} "
            f"(is the control wired to the view?); readout: {readout_state(box)[2]!r}"
        ),
    )
    view, state_json, text = settle(page, box, timeout)
    assert view, f"{name}: after moving {control} the readout shows an error: {text!r}"
    state = json.loads(state_json)
    if control.key is not None:
        assert control.key in state, f"{name}: the state has no entry {control.key!r}: {sorted(state)}"
        shown = shown_value(control)
        assert value_matches(control, shown, state[control.key]), (
            f"{name}: {control} shows {shown!r} but the readout was computed from "
            f"{control.key} = {state[control.key]!r}"
        )
    expected = expected_readout(view, state)
    assert text == expected, f"{name}: the readout shows {text!r} but {view}(**{state!r}).readout() is {expected!r}"
    poll(
        lambda: figure.screenshot() != png0,
        timeout,
        lambda: f"{name}: the figure did not change within {timeout} s of moving {control}",
        interval=0.25,
    )
    if screenshot is not None:
        screenshot.parent.mkdir(parents=True, exist_ok=True)
        box.screenshot(path=str(screenshot))
    return Checked(name, str(control), json.loads(state0), state, text, screenshot)
