"""Per widget, the time from a move in the browser to the updated figure (issue 7, section 4).

Opens each chapter in JupyterLab in headless Chromium exactly as the browser test does
(``browser_tests/lab.py``: fresh profile, Run → Run All Cells), and for every ``.mle-explorer`` moves
the control the browser test would move (a slider by one arrow key, else a button click, else the next
dropdown option / a checkbox / a toggle) ``--moves`` times. Each move is timed **in the page**: a capture
listener stamps ``performance.now()`` when the key press / click / change is dispatched, a
``MutationObserver`` installed before the move stamps the moment the ``.mle-figure`` img's ``src``
changes. That interval holds the comm message to the kernel, the view, the redraw, the PNG's encoding and
its way back. Moves are sequential: the next one starts when the kernel is idle again.

The kernel-free column: the same for the players of the website (``build/site``) and of the slide decks
(``build/slides``), built first if missing (``tools/static_widgets.py``): a key on the player's first
control (range: an arrow; select: an arrow; checkbox: Space) is stamped at its dispatch, the new frame when
the figure's ``img`` has loaded the new PNG (its ``load`` event, then the next animation frame). Target:
median ≤ 50 ms per widget, site and deck.

Usage::

    make bench-widgets                                  # every chapter notebook, live and kernel-free
    .venv/bin/python benchmarks/bench_widgets.py --kernel-free   # only the players (no JupyterLab)
    .venv/bin/python benchmarks/bench_widgets.py notebooks/01_likelihood.ipynb --moves 10
    .venv/bin/python benchmarks/bench_widgets.py --library   # also every widget factory of mle_lib.widgets

Exit status 1 if a widget's median exceeds the target (or a move never redraws).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "browser_tests"))

from lab import (  # noqa: E402
    chromium,
    controls_of,
    explorer_name,
    explorers,
    move_once,
    open_notebook,
    pick_control,
    run_all_cells,
    shut_down_kernel,
    start_lab,
    wait_kernel_idle,
)

TARGET_MS = 250.0
#: A kernel-free player's move is a frame swap.
STATIC_TARGET_MS = 50.0

_ARM_JS = """(box) => {
  const img = box.querySelector('.mle-figure');
  const m = window.__mleBench = {t0: null, t1: null, tr: null};
  const stamp = () => { if (m.t0 === null) m.t0 = performance.now(); };
  for (const type of ['keydown', 'click', 'change']) {
    document.addEventListener(type, stamp, {capture: true, once: true});
  }
  const obs = new MutationObserver(() => {
    if (m.t1 === null) { m.t1 = performance.now(); obs.disconnect(); }
  });
  obs.observe(img, {attributes: true, attributeFilter: ['src']});
  const readout = new MutationObserver(() => {
    if (m.tr === null) { m.tr = performance.now(); readout.disconnect(); }
  });
  readout.observe(box.querySelector('.mle-readout'),
                  {subtree: true, childList: true, characterData: true, attributes: true});
}"""


def time_moves(page: Any, box: Any, moves: int, timeout: float = 10.0) -> tuple[str, list[float | None], list[float]]:
    """Move the explorer's control ``moves`` times and time each move.

    Returns the control (as text), the figure's latency of each move in ms (``None``: never redrawn), and the
    readout's (it arrives first: the kernel sends it before it draws the PNG).
    """
    control = pick_control(box)
    # A widget driven by buttons (chapter 7's E-step / M-step / … / Reset) is pressed in rotation, as a
    # lecturer would: the same button twice in a row may be refused (two E-steps) and draw nothing.
    rotation = [c for c in controls_of(box) if c.kind == "button"] if control.kind == "button" else [control]
    box.scroll_into_view_if_needed()
    out: list[float | None] = []
    readouts: list[float] = []
    for i in range(moves):
        wait_kernel_idle(page)
        box.evaluate(_ARM_JS)
        move_once(page, rotation[i % len(rotation)])
        deadline = time.monotonic() + timeout
        result = None
        while time.monotonic() < deadline:
            t0, t1, tr = page.evaluate("() => [window.__mleBench.t0, window.__mleBench.t1, window.__mleBench.tr]")
            if t0 is not None and t1 is not None:
                result = t1 - t0
                if tr is not None:
                    readouts.append(tr - t0)
                break
            time.sleep(0.01)
        out.append(result)
    wait_kernel_idle(page)
    return str(control), out, readouts


_STATIC_ARM_JS = """(root) => {
  const img = root.querySelector('img.mle-figure');
  const m = window.__mleStatic = {t0: null, t1: null};
  const old = img.getAttribute('src');
  document.addEventListener('keydown', () => { if (m.t0 === null) m.t0 = performance.now(); },
                            {capture: true, once: true});
  img.addEventListener('load', () => {
    if (img.getAttribute('src') !== old) requestAnimationFrame(() => { m.t1 = performance.now(); });
  }, {once: true});
}"""


def time_player(page: Any, root: Any, moves: int, timeout: float = 5.0) -> list[float | None]:
    """Move a player's first control ``moves`` times by keyboard: ms from the key to the new frame."""
    control = root.locator("[data-control], [data-button]").first
    kind = control.evaluate("(el) => el.type || el.tagName.toLowerCase()")
    out: list[float | None] = []
    forward = True
    for _ in range(moves):
        if kind == "range":
            value, top = int(control.input_value()), int(control.get_attribute("max"))
            forward = (forward and value < top) or value == 0
            key = "ArrowRight" if forward else "ArrowLeft"
        elif kind.startswith("select"):
            index, count = control.evaluate("(el) => [el.selectedIndex, el.options.length]")
            forward = (forward and index < count - 1) or index == 0
            key = "ArrowDown" if forward else "ArrowUp"
        else:
            key = "Space" if kind == "checkbox" else "Enter"
        root.evaluate(_STATIC_ARM_JS)
        control.focus()
        page.keyboard.press(key)
        deadline = time.monotonic() + timeout
        result = None
        while time.monotonic() < deadline:
            t0, t1 = page.evaluate("() => [window.__mleStatic.t0, window.__mleStatic.t1]")
            if t0 is not None and t1 is not None:
                result = t1 - t0
                break
            time.sleep(0.005)
        out.append(result)
    return out


def bench_players(moves: int) -> dict[tuple[str, str], list[float | None]]:
    """(widget, "site" or "deck") → move latencies of every player of the built site and decks."""
    import subprocess

    from lab import serve_folder
    from players import show_slide_of

    site, slides = ROOT / "build" / "site", ROOT / "build" / "slides"
    if not (site / "index.html").is_file():
        subprocess.run([sys.executable, str(ROOT / "tools" / "build_site.py")], check=True)
    if not list(slides.glob("*.slides.html")):
        subprocess.run([sys.executable, str(ROOT / "tools" / "make_slides.py")], check=True)
    found: dict[tuple[str, str], list[float | None]] = {}
    pages = [("site", site, p.relative_to(site).as_posix()) for p in sorted((site / "notebooks").glob("*.html"))]
    pages += [("deck", slides, p.name) for p in sorted(slides.glob("*.slides.html"))]
    with chromium() as context:
        for where, folder, rel in pages:
            if "mle-static-widget" not in (folder / rel).read_text(encoding="utf-8"):
                continue
            with serve_folder(folder) as base:
                page = context.new_page()
                page.set_viewport_size({"width": 1280, "height": 800})
                try:
                    page.goto(f"{base}/{rel}", wait_until="load")
                    if where == "deck":
                        page.wait_for_function("window.courseSlidesReady === true", timeout=60_000)
                    for root in page.locator(".mle-static-widget").all():
                        if where == "deck":
                            show_slide_of(page, root)
                        root.scroll_into_view_if_needed()
                        name = root.get_attribute("data-widget") or "?"
                        found[(name, where)] = times = time_player(page, root, moves)
                        print(f"  kernel-free {where} {name}: {[None if t is None else round(t) for t in times]}")
                finally:
                    page.close()
    return found


def _median(times: list[float | None] | None) -> float:
    done = [t for t in times or [] if t is not None]
    return statistics.median(done) if done and len(done) == len(times or []) else float("nan")


def print_players(found: dict[tuple[str, str], list[float | None]]) -> bool:
    """The kernel-free table; True when every widget meets the target on the site and in its deck."""
    names = sorted({name for name, _ in found})
    print(f"\nkernel-free players: median ms from a key to the new frame (target ≤ {STATIC_TARGET_MS:.0f} ms)")
    print(f"{'widget':<16} {'site median':>11} {'site max':>9} {'deck median':>12} {'deck max':>9}  result")
    print("-" * 68)
    ok_all = True
    for name in names:
        site, deck = found.get((name, "site")), found.get((name, "deck"))
        medians = [_median(site), _median(deck)]
        ok = all(m == m and m <= STATIC_TARGET_MS for m in medians)
        ok_all &= ok
        worst = [max((t for t in x or [] if t is not None), default=float("nan")) for x in (site, deck)]
        print(
            f"{name:<16} {medians[0]:>11.1f} {worst[0]:>9.1f} {medians[1]:>12.1f} {worst[1]:>9.1f}  "
            f"{'PASS' if ok else 'FAIL'}"
        )
    return ok_all and bool(names)


def library_notebook() -> Path:
    """A scratch notebook (under build/) that displays every widget factory of :mod:`mle_lib.widgets`."""
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook

    import mle_lib.widgets as widgets

    names = [n for n in widgets.__all__ if n not in ("DPI", "Explorer") and callable(getattr(widgets, n))]
    cells = [new_code_cell("from mle_lib import widgets")]
    cells += [new_code_cell(f"widgets.{name}()") for name in names]
    path = ROOT / "build" / "bench_library_widgets.ipynb"
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(
        new_notebook(
            cells=cells,
            metadata={"kernelspec": {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}},
        ),
        path,
    )
    return path


def main() -> int:
    """Time every widget of the notebooks in JupyterLab (or only the players); exit status 0 if all answered."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: every notebooks/*.ipynb")
    parser.add_argument("--moves", type=int, default=10, help="moves per widget (default 10)")
    parser.add_argument("--library", action="store_true", help="also every widget factory of mle_lib.widgets")
    parser.add_argument("--kernel-free", action="store_true", help="only the kernel-free players (site and decks)")
    args = parser.parse_args()
    if args.kernel_free:
        return 0 if print_players(bench_players(args.moves)) else 1
    players = bench_players(args.moves)
    notebooks = [p.resolve() for p in args.notebooks] or sorted((ROOT / "notebooks").glob("*.ipynb"))
    if args.library:
        notebooks.append(library_notebook())

    rows = []
    server = start_lab()
    try:
        with chromium() as context:
            for notebook in notebooks:
                page = context.new_page()
                try:
                    open_notebook(page, server, str(notebook.relative_to(ROOT)))
                    run_all_cells(page)
                    for i, box in enumerate(explorers(page)):
                        control, times, readouts = time_moves(page, box, args.moves)
                        rows.append((f"{notebook.stem} #{i} {explorer_name(box)}", control, times, readouts))
                        print(f"  {rows[-1][0]}: {[None if t is None else round(t) for t in times]}", flush=True)
                finally:
                    shut_down_kernel(page)
                    page.close()
    finally:
        server.stop()

    failed = False
    print()
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"load average before the table: {load} ({os.cpu_count()} cores); readout = median ms to the new readout")
    print(
        f"{'widget':<40} {'control moved':<28} {'moves':>5} {'readout':>8} {'median ms':>10} {'max ms':>8} "
        f"{'target':>7}  result  {'kernel-free site':>16} {'deck':>6}"
    )
    print("-" * 149)
    for name, control, times, readouts in rows:
        bare = name.rsplit(" ", 1)[-1]  # "01_likelihood #0 coin" -> the player's name "coin"
        readout = statistics.median(readouts) if readouts else float("nan")
        done = [t for t in times if t is not None]
        if len(done) < len(times) or not done:
            median = maximum = float("nan")
            ok = False
        else:
            median, maximum = statistics.median(done), max(done)
            ok = median <= TARGET_MS
        failed |= not ok
        print(
            f"{name:<40} {control:<28} {f'{len(done)}/{len(times)}':>5} {readout:>8.0f} {median:>10.0f} "
            f"{maximum:>8.0f} {'≤' + str(int(TARGET_MS)):>7}  {'PASS' if ok else 'FAIL'}  "
            f"{_median(players.get((bare, 'site'))):>16.1f} {_median(players.get((bare, 'deck'))):>6.1f}"
        )
    if not rows:
        print("(no widget found)")
    failed |= not print_players(players)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
