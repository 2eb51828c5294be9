"""Every chapter in a real JupyterLab in headless Chromium: it runs without errors, and every widget answers.

For each notebook in ``notebooks/`` (a new chapter is picked up by its file name): open it in a reset
workspace, clear the outputs and Run → Run All Cells through the menu, wait until every non-empty
code cell has an execution count and the kernel is idle, then move one control of every
``.mle-explorer`` (see ``checks.check_explorer``). The test fails on

* an error output: an exception, or a stderr stream saying "Error" or "Traceback" (a warning on stderr
  is not an error), or a widget the page could not render;
* a failed request, or a response ≥ 400 from the Jupyter server;
* a console error from our content (see ``lab.is_our_console_error``);
* a notebook file that changed on disk (the browser run must not save outputs over the baseline).

Screenshots (after the move, per widget, and the page per notebook) go to ``build/screenshots/``.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from checks import check_explorer
from conftest import WIDGET_LOG
from lab import (
    ROOT,
    SCREENSHOTS,
    LabServer,
    PageProblems,
    explorer_name,
    explorers,
    notebook_errors,
    open_notebook,
    run_all_cells,
    shut_down_kernel,
)

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_chapter_runs_and_every_widget_answers(
    notebook: Path, lab: LabServer, lab_page: tuple[Any, PageProblems]
) -> None:
    """The chapter runs in JupyterLab and every explorer answers a move of its control."""
    page, problems = lab_page
    stored = notebook.read_bytes()
    shots = SCREENSHOTS / notebook.stem
    shutil.rmtree(shots, ignore_errors=True)
    shots.mkdir(parents=True)
    open_notebook(page, lab, f"notebooks/{notebook.name}")
    try:
        ran = run_all_cells(page)
        failures: list[str] = []
        boxes = explorers(page)
        for i, box in enumerate(boxes):
            name = explorer_name(box)
            try:
                done = check_explorer(page, box, screenshot=shots / f"{i:02d}-{name}.png")
            except AssertionError as exc:
                failures.append(str(exc))
                box.screenshot(path=str(shots / f"{i:02d}-{name}-FAILED.png"))
                continue
            WIDGET_LOG.append(f"{notebook.stem} #{i} {name}: moved {done.control} → {done.readout}")
        page.screenshot(path=str(shots / "page.png"), full_page=True)
        errors = notebook_errors(page)
    finally:
        shut_down_kernel(page)
    WIDGET_LOG.append(f"{notebook.stem}: {ran} code cells ran, {len(boxes)} widgets")
    assert not failures, "\n".join(failures)
    assert not errors, "error output after moving the widgets:\n" + "\n---\n".join(errors)
    assert not problems.failed_requests, "failed requests:\n" + "\n".join(problems.failed_requests)
    assert not problems.console_errors, "console errors:\n" + "\n".join(problems.console_errors)
    assert notebook.read_bytes() == stored, f"{notebook.name} was rewritten on disk by the browser run"
