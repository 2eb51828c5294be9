"""The kernel-free players' declarations (mle_lib/widgets/_static.py) against the live widgets and the notebooks.

The browser tests (browser_tests/players.py) move the built players; these check, without a browser, that
each declaration describes the widget the notebook stores, that its values are values the live controls
can take, that chapter 7's button rules are the live stepper's, and the player's markup.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import nbformat
import pytest

from mle_lib.widgets import _static
from mle_lib.widgets._static import PLAYERS, identify, start_text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def stored_widget_outputs() -> list[tuple[str, int, str, str]]:
    """(notebook, cell index, cell source, stored plain text) of every stored widget output."""
    found = []
    for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        for i, cell in enumerate(nb.cells):
            for out in cell.get("outputs", []) if cell.cell_type == "code" else []:
                data = out.get("data", {})
                if WIDGET_VIEW in data:
                    found.append((path.name, i, cell.source, str(data.get("text/plain", ""))))
    return found


@pytest.fixture(scope="module")
def texts() -> dict[str, str]:
    return {name: start_text(w) for name, w in PLAYERS.items()}


def test_every_stored_widget_is_one_declared_player(texts):
    outputs = stored_widget_outputs()
    assert len(outputs) >= 13
    seen = []
    for notebook, index, source, text in outputs:
        widget = identify(text, texts)
        assert widget is not None, f"{notebook} cell {index}: no declaration stores {text[:80]!r}"
        assert f"widgets.{widget.factory}(" in source, f"{notebook} cell {index} does not call {widget.factory}"
        seen.append(widget.factory)
    assert sorted(seen) == sorted(PLAYERS), "a declaration no notebook uses, or a widget stored twice"


def test_a_changed_start_is_not_recognised(texts):
    """A notebook re-run with other arguments must not get the old player: the text differs by one digit."""
    text = texts["binomial_explorer"]
    assert identify(text, texts) is PLAYERS["binomial_explorer"]
    assert identify(text.replace("k = 7", "k = 8"), texts) is None


@pytest.mark.parametrize("factory", sorted(PLAYERS))
def test_the_declared_values_are_values_of_the_live_controls(factory):
    decl = PLAYERS[factory]
    live = decl.live()
    assert decl.figure and len(decl.figure) > 60
    for c, values in zip(decl.controls, decl.values(live), strict=True):
        control = live.controls[c.name]
        assert len(values) >= 2 and len(set(values)) == len(values), (c.name, values)
        if c.kind == "range":
            assert all(control.min - 1e-9 <= v <= control.max + 1e-9 for v in values), (c.name, values)
            assert list(values) == sorted(values), f"{c.name}: a slider's values must increase"
        if c.kind == "select":
            options = [v for _, v in _static._options(control)]
            assert all(v in options for v in values), (c.name, values, options)
    decl.start_indices(live)  # raises when a control's start is not among its values
    frames = len(decl.paths(live))
    for values in decl.values(live):
        frames *= len(values)
    assert frames <= 100, f"{factory}: {frames} frames (the budget is about 100 a widget)"


def test_the_stepper_s_buttons_follow_the_live_stepper():
    """The declared button rules (a path of states) give the live EMStepper's actions after every press."""
    decl = PLAYERS["em_stepper"]
    assert decl.presses is not None
    rules = dict(decl.presses.buttons)
    live = decl.live()
    state: tuple[str, ...] = ()
    reachable = set(decl.paths(live))
    presses = ("M-step", "E-step", "E-step", "M-step", "+10 iterations", "E-step", "M-step", "Reset", "+10 iterations")
    for press in presses:
        live.press(press)
        nxt = rules[press](state)
        if nxt in reachable:  # accepted: the live widget took the same steps
            state = nxt
        assert tuple(live.state["actions"]) == state, press
    assert len(reachable) == decl.presses.limit + 1
    # past the player's last state a press is refused with the player's own message
    assert len(rules["+10 iterations"](max(reachable, key=len))) > decl.presses.limit


def test_a_frame_shows_the_live_widget_s_figure_and_readout():
    """render() draws with the live widget: its first frame is the live widget's PNG and readout at that state."""
    decl = PLAYERS["binomial_explorer"]
    rendered = _static.render(decl)
    live = decl.live()
    live.update(**decl.state(live, [0]))
    assert rendered.frames[0].png == bytes(live.image.value)
    assert rendered.frames[0].readout == live.readout_text
    assert "k = 0" in rendered.frames[0].alt
    assert len({f.png for f in rendered.frames}) == len(rendered.frames) == 21


def test_the_player_markup():
    from static_widgets import player_html

    meta = {
        "name": "demo",
        "title": "Demo",
        "factory": "demo_explorer",
        "fixed": "n stays 20.",
        "controls": [
            {"kind": "range", "label": "k", "values": ["0", "1", "2"], "start": 1},
            {"kind": "select", "label": "type", "values": ["a", "b"], "start": 0},
            {"kind": "checkbox", "label": "hard", "values": ["off", "on"], "start": 0},
        ],
        "buttons": ["Step"],
        "paths": 1,
        "start": 2,
        "frames": [[f"alt {i}", f"readout {i}", [0]] for i in range(12)],
        "size": [1080, 408],
    }
    page = player_html(meta, "u1")
    assert page.count('class="mle-static-widget"') == 1
    frame = "/".join(("_widgets", "demo", "002.png"))  # built from parts: no file of the repository
    assert f'<img class="mle-figure" src="{frame}" alt="alt 2"' in page
    assert 'class="mle-readout" role="status" aria-live="polite">readout 2<' in page
    assert '<input type="range"' in page and "<select" in page and 'type="checkbox"' in page
    assert '<button type="button" data-button="0">Step</button>' in page
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids)) == 3
    assert all(f'<label for="{i}">' in page for i in ids), "every control has its label"
    assert "n stays 20." in page and "http" not in page
