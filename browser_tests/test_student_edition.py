"""The student edition in JupyterLab: each "predict, then reveal" answer is folded away until the student opens it.

Run by ``make test-browser``. JupyterLab renders Markdown through its sanitizer, which could drop the
``<details>`` element that ``tools/editions.py`` folds a reveal into, and show the answer in the open; this
opens every chapter of ``student/`` in headless Chromium and checks that each reveal is a closed box whose
answer is hidden, and that clicking its summary shows it. A screenshot of the last box opened is written to
``build/screenshots/student-reveal.png``.
"""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from lab import PANEL, ROOT, LabServer, PageProblems, open_notebook

STUDENT = sorted((ROOT / "student").glob("[0-9][0-9]_*.ipynb"))


NOTEBOOK_SETTINGS = "@jupyterlab/notebook-extension:tracker"


def _put_settings(lab: LabServer, raw: str) -> None:
    request = urllib.request.Request(
        f"{lab.url}/lab/api/settings/{NOTEBOOK_SETTINGS}",
        data=json.dumps({"raw": raw}).encode(),
        method="PUT",
        headers={"Authorization": f"token {lab.token}", "Content-Type": "application/json"},
    )
    urllib.request.urlopen(request, timeout=10).close()


@pytest.fixture
def every_cell_rendered(lab: LabServer) -> Iterator[None]:
    """JupyterLab renders only the cells near the view (windowing); render them all for this test, then undo."""
    _put_settings(lab, json.dumps({"windowingMode": "none"}))
    try:
        yield
    finally:
        _put_settings(lab, "{}")


def reveals(path: Path) -> int:
    """The number of Markdown reveal cells of the notebook at ``path``."""
    cells = json.loads(path.read_text())["cells"]
    # A reveal may also be a code cell (the computation that answers): only Markdown reveals are folded.
    return sum(c["cell_type"] == "markdown" and "reveal" in c.get("metadata", {}).get("tags", []) for c in cells)


@pytest.mark.parametrize("path", STUDENT, ids=[p.stem for p in STUDENT])
def test_reveals_are_folded_until_opened(
    lab: LabServer, lab_page: tuple[Any, PageProblems], every_cell_rendered: None, path: Path
) -> None:
    """Every reveal of the student notebook is folded until it is opened."""
    page, problems = lab_page
    open_notebook(page, lab, f"student/{path.name}")
    boxes = page.locator(f"{PANEL} .jp-MarkdownCell details")
    expected = reveals(path)
    if not expected:
        pytest.skip(f"{path.name} has no reveal")
    # JupyterLab renders cells lazily as they scroll into view: visit each reveal cell in turn.
    for k in range(expected):
        box = boxes.nth(k)
        box.scroll_into_view_if_needed()
        answer = box.locator(":scope > :not(summary)").first
        assert box.get_attribute("open") is None, f"{path.name}: reveal {k} is open before the student opens it"
        assert not answer.is_visible(), f"{path.name}: reveal {k}'s answer shows before it is opened"
        box.locator("summary").click()
        answer.wait_for(state="visible", timeout=5_000)
    assert boxes.count() == expected, f"{path.name}: {boxes.count()} folded boxes for {expected} reveal cells"
    out = ROOT / "build" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    boxes.nth(expected - 1).screenshot(path=str(out / "student-reveal.png"))
    assert not problems.failed_requests and not problems.console_errors, (
        problems.failed_requests,
        problems.console_errors,
    )
