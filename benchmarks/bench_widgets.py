"""Per widget, the time from a move in the browser to the updated figure (issue 7, section 4).

Opens each chapter in JupyterLab in headless Chromium exactly as the browser test does
(``browser_tests/lab.py``: fresh profile, Run → Run All Cells), and for every ``.mle-explorer`` moves
the control the browser test would move (a slider by one arrow key, else a button click, else the next
dropdown option / a checkbox / a toggle) ``--moves`` times. Each move is timed **in the page**: a capture
listener stamps ``performance.now()`` when the key press / click / change is dispatched, a
``MutationObserver`` installed before the move stamps the moment the ``.mle-figure`` img's ``src``
changes. That interval holds the comm message to the kernel, the view, the redraw, the PNG's encoding and
its way back. Moves are sequential: the next one starts when the kernel is idle again.

Usage::

    make bench-widgets                                  # every chapter notebook
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


def time_moves(page, box, moves: int, timeout: float = 10.0) -> tuple[str, list[float | None], list[float]]:
    """Move the explorer's control ``moves`` times: the figure's latency of each in ms (``None``: never
    redrawn), and the readout's (it arrives first: the kernel sends it before it draws the PNG)."""
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
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: every notebooks/*.ipynb")
    parser.add_argument("--moves", type=int, default=10, help="moves per widget (default 10)")
    parser.add_argument("--library", action="store_true", help="also every widget factory of mle_lib.widgets")
    args = parser.parse_args()
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
        f"{'target':>7}  result"
    )
    print("-" * 121)
    for name, control, times, readouts in rows:
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
            f"{maximum:>8.0f} {'≤' + str(int(TARGET_MS)):>7}  {'PASS' if ok else 'FAIL'}"
        )
    if not rows:
        print("(no widget found)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
