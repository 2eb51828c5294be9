"""Drive the kernel-free widget players (``tools/static_widgets.py``) in a page, as a reader would.

:func:`check_player` moves every control of one ``.mle-static-widget`` by keyboard (a range input to its
last, first and a middle value with End, Home and the arrow keys; a select's options; a checkbox with
Space), presses its buttons (Enter), and after each move asserts that

* the readout equals what the library computes for that state: the live widget's view function (built
  from the player's declaration, ``mle_lib.widgets._static``) called with the same control values — or the
  live widget pressed the same buttons (:meth:`EMStepper.press`) — gives the expected text; nothing is
  read from the player's own frame data;
* the figure changed (an element screenshot of the loaded image differs from the one before the move)
  — or, for a press the live widget refuses, that it did not;
* inside a reveal.js deck, the deck did not move (the control kept its keys).

Requests to other hosts and console errors are watched by the callers (``lab.watch_page``).
"""

from __future__ import annotations

import time
from typing import Any

from mle_lib.widgets._static import PLAYERS, view_function

#: The button presses tried on a player with buttons (chapter 7): a refused E-step in the middle.
PRESSES = ("E-step", "M-step", "+10 iterations", "E-step", "E-step", "M-step", "Reset")

_LIVE: dict[str, Any] = {}


def players_in(page: Any) -> list[Any]:
    """Every kernel-free player (``.mle-static-widget``) on ``page``."""
    return page.locator(".mle-static-widget").all()


def _image_shot(page: Any, root: Any) -> bytes:
    img = root.locator("img.mle-figure")
    img.evaluate("(el) => el.decode ? el.decode().catch(() => null) : null")
    page.wait_for_function("(el) => el.complete && el.naturalWidth > 0", arg=img.element_handle(), timeout=10_000)
    return bytes(img.screenshot(animations="disabled"))


def _readout(root: Any, expected: str, timeout: float = 5.0) -> str:
    deadline = time.monotonic() + timeout
    text = ""
    while time.monotonic() < deadline:
        text = root.locator(".mle-readout").inner_text().strip()
        if text == expected:
            return text
        time.sleep(0.02)
    return text


def _move(page: Any, el: Any, kind: str, current: int, target: int) -> None:
    el.focus()
    if kind == "range":
        if target == 0:
            page.keyboard.press("Home")
            return
        page.keyboard.press("End")
        last = int(el.get_attribute("max"))
        for _ in range(last - target):
            page.keyboard.press("ArrowLeft")
    elif kind == "select":
        el.select_option(index=target)
    else:  # checkbox
        if current != target:
            page.keyboard.press("Space")


def _deck_position(page: Any) -> Any:
    return page.evaluate("() => window.Reveal ? JSON.stringify(Reveal.getIndices()) : null")


def check_player(page: Any, root: Any, where: str) -> list[str]:
    """Move every control and press every button of the player ``root``; return the problems found."""
    factory = root.get_attribute("data-factory") or ""
    name = root.get_attribute("data-widget") or "?"
    label = f"{where}: player {name}"
    if factory not in PLAYERS:
        return [f"{label}: data-factory {factory!r} is no declared widget"]
    decl = PLAYERS[factory]
    live = _LIVE.get(factory) or _LIVE.setdefault(factory, decl.live())  # never moved: its state is the start
    values = decl.values(live)
    start = decl.start_indices(live)
    current = list(start)
    problems: list[str] = []
    root.scroll_into_view_if_needed()
    position = _deck_position(page)

    view = view_function(live)

    def expected() -> str:  # the live widget's view of the same state (its readout, no figure drawn)
        return str(view(**{**live.state, **decl.state(live, current, ())}).readout())

    controls = root.locator("[data-control]")
    if controls.count() != len(decl.controls):
        problems.append(f"{label}: {controls.count()} controls on the page, {len(decl.controls)} declared")
        return problems
    for k, c in enumerate(decl.controls):
        el = controls.nth(k)
        n = len(values[k])
        for target in dict.fromkeys((n - 1, 0, n // 2, start[k])):
            if target == current[k]:
                continue
            before = _image_shot(page, root)
            _move(page, el, c.kind, current[k], target)
            current[k] = target
            want = expected()
            got = _readout(root, want)
            state = ", ".join(
                f"{lab} = {decl.shown(live, cc, vals[i])}"
                for cc, vals, lab, i in zip(decl.controls, values, decl.labels(live), current, strict=True)
            )
            if got != want:
                problems.append(f"{label} at {state}: readout {got!r}, the library says {want!r}")
            if _image_shot(page, root) == before:
                problems.append(f"{label} at {state}: the figure did not change")
            if position is not None and _deck_position(page) != position:
                problems.append(f"{label}: a key on the focused {c.kind} moved the deck")
                position = _deck_position(page)
    if decl.presses is not None:
        pressed = decl.live()  # a fresh live widget, pressed as the reader presses the player
        buttons = root.locator("[data-button]")
        for press in PRESSES:
            png = bytes(pressed.image.value)
            want = pressed.press(press)
            changes = bytes(pressed.image.value) != png
            before = _image_shot(page, root)
            buttons.filter(has_text=press).first.focus()
            page.keyboard.press("Enter")
            got = _readout(root, want)
            if got != want:
                problems.append(f"{label} after {press}: readout {got!r}, the library says {want!r}")
            if (_image_shot(page, root) != before) != changes:
                problems.append(f"{label} after {press}: the figure {'did not change' if changes else 'changed'}")
            if position is not None and _deck_position(page) != position:
                problems.append(f"{label}: Enter on the focused button moved the deck")
                position = _deck_position(page)
    return problems


def show_slide_of(page: Any, root: Any) -> None:
    """In a reveal.js deck, go to the slide that holds ``root`` (elements elsewhere are not on screen)."""
    root.evaluate(
        "(el) => { const s = el.closest('section'); if (window.Reveal && s) {"
        " const i = Reveal.getIndices(s); Reveal.slide(i.h, i.v); } }"
    )
    page.wait_for_timeout(100)


def check_players_on(context: Any, url: str, where: str, *, deck: bool = False) -> tuple[int, list[str]]:
    """Open ``url`` in a new tab of ``context`` and :func:`check_player` every player on it.

    Returns the number of players and the problems, with any request to another host, failed request or console
    error.
    """
    from urllib.parse import urlsplit

    from lab import watch_page

    problems: list[str] = []
    tab = context.new_page()
    tab.set_viewport_size({"width": 1280, "height": 800})
    tab.set_default_timeout(30_000)
    watch_page(
        tab,
        urlsplit(url).netloc,
        lambda p: problems.append(f"{where}: {p}"),
        lambda u: problems.append(f"{where}: request to another host: {u}"),
    )
    try:
        tab.goto(url, wait_until="load")
        if deck:
            tab.wait_for_function("window.courseSlidesReady === true", timeout=60_000)
        roots = players_in(tab)
        for root in roots:
            if deck:
                show_slide_of(tab, root)
            problems += check_player(tab, root, where)
        return len(roots), problems
    finally:
        tab.close()
