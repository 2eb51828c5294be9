"""The browser test can fail: deliberately broken widgets, run through the same harness, are reported.

``negative_controls.ipynb`` (beside this file) holds one correctly wired explorer and three broken ones.
The notebook is opened and run once (module-scoped fixture); each explorer is then checked with the
same ``check_explorer`` the chapters use, with a short timeout so a broken one fails fast.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from checks import check_explorer
from conftest import new_page
from lab import SCREENSHOTS, LabServer, explorer_name, explorers, open_notebook, run_all_cells, shut_down_kernel

NOTEBOOK = "browser_tests/negative_controls.ipynb"
#: A broken widget must be reported within this many seconds (a wired one answers in well under one).
TIMEOUT = 4.0


@pytest.fixture(scope="module")
def boxes(browser: Any, lab: LabServer) -> Iterator[tuple[Any, dict[str, Any]]]:
    """The page with the control notebook run once, and its explorers by name."""
    page, problems = new_page(browser, lab)
    try:
        open_notebook(page, lab, NOTEBOOK)
        run_all_cells(page)
        assert not problems.failed_requests and not problems.console_errors, problems
        yield page, {explorer_name(box): box for box in explorers(page)}
    finally:
        shut_down_kernel(page)
        page.close()


def test_the_notebook_holds_the_four_explorers(boxes: tuple[Any, dict[str, Any]]) -> None:
    """The control notebook has exactly its four explorers."""
    _, found = boxes
    assert sorted(found) == ["frozen-figure", "unwired", "wired", "wrong-readout"]


def test_a_wired_explorer_passes(boxes: tuple[Any, dict[str, Any]]) -> None:
    """The correctly wired explorer passes the harness and its state changes."""
    page, found = boxes
    done = check_explorer(page, found["wired"], timeout=TIMEOUT, screenshot=SCREENSHOTS / "negative" / "wired.png")
    assert done.after["theta"] != done.before["theta"]


@pytest.mark.parametrize(
    ("name", "reported"),
    [
        ("unwired", "data-state did not change"),
        ("wrong-readout", r"readout\(\) is"),
        ("frozen-figure", "figure did not change"),
    ],
)
def test_a_broken_explorer_is_reported(boxes: tuple[Any, dict[str, Any]], name: str, reported: str) -> None:
    """Each broken explorer fails the harness with its own message."""
    page, found = boxes
    with pytest.raises(AssertionError, match=reported) as caught:
        check_explorer(page, found[name], timeout=TIMEOUT)
    print(f"{name}: {caught.value}")


def test_an_error_output_is_reported_and_a_warning_is_not(browser: Any, lab: LabServer) -> None:
    """A cell that raises fails the run with its error; a warning on stderr is not reported."""
    page, _ = new_page(browser, lab)
    try:
        open_notebook(page, lab, "browser_tests/negative_error.ipynb")
        with pytest.raises(AssertionError, match="ZeroDivisionError") as caught:
            run_all_cells(page, timeout=30)
    finally:
        shut_down_kernel(page)
        page.close()
    assert "a warning on stderr" not in str(caught.value)
