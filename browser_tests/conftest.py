"""Fixtures of the browser test: one JupyterLab server and one headless Chromium for the whole session.

Run through ``make test-browser`` (it installs the ``browser`` extra and checks for Chromium first).
The server is stopped by its PID in the fixture's finalizer, also when a test fails.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from lab import LabServer, PageProblems, chromium, start_lab

#: One line per widget checked, printed at the end of the run (name, control moved, readout).
WIDGET_LOG: list[str] = []


@pytest.fixture(scope="session")
def lab() -> Iterator[LabServer]:
    """One JupyterLab server on the repository for the session, stopped at its end."""
    server = start_lab()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def browser(lab: LabServer) -> Iterator[Any]:
    """One headless Chromium context for the session's pages."""
    with chromium() as context:
        yield context


def new_page(browser: Any, lab: LabServer) -> tuple[Any, PageProblems]:
    """A new page of ``browser`` (30 s timeout) with its :class:`PageProblems` on ``lab`` attached."""
    page = browser.new_page()
    page.set_default_timeout(30_000)
    problems = PageProblems(lab.url)
    problems.attach(page)
    return page, problems


@pytest.fixture
def lab_page(browser: Any, lab: LabServer) -> Iterator[tuple[Any, PageProblems]]:
    """A fresh tab, with its failed requests and console errors collected."""
    page, problems = new_page(browser, lab)
    try:
        yield page, problems
    finally:
        page.close()


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Print the widgets moved in the browser (:data:`WIDGET_LOG`) in the terminal summary."""
    if WIDGET_LOG:
        terminalreporter.section("widgets moved in the browser")
        for line in WIDGET_LOG:
            terminalreporter.write_line(line)
