"""Checks on the course as a whole: notebook hygiene, the README's table of contents, ERRATA.md."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
NAME = re.compile(r"(\d\d)_[a-z0-9_]+\.ipynb")
MACHINE_PATH = re.compile(r"/(work|tmp|root|home)/[A-Za-z0-9_.-]+/")


def load(path: Path) -> dict:
    return json.loads(path.read_text())


def test_notebooks_are_numbered_consecutively_from_01():
    assert NOTEBOOKS, "no notebooks found"
    numbers = []
    for path in NOTEBOOKS:
        match = NAME.fullmatch(path.name)
        assert match, f"{path.name}: expected NN_lower_snake_case.ipynb"
        numbers.append(int(match.group(1)))
    assert numbers == list(range(1, len(numbers) + 1))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_was_run_top_to_bottom_in_a_fresh_kernel(path):
    counts = [c.get("execution_count") for c in load(path)["cells"] if c["cell_type"] == "code"]
    assert counts == list(range(1, len(counts) + 1)), f"{path.name}: execution counts {counts}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_stores_nothing_volatile_or_broken(path):
    nb = load(path)
    assert "widgets" not in nb["metadata"], "widget state is stored (new ids every run)"
    assert nb["metadata"].get("kernelspec", {}).get("name") == "python3"
    for cell in nb["cells"]:
        assert "execution" not in cell.get("metadata", {}), "per-cell timing metadata is stored"
        for out in cell.get("outputs", []):
            assert out["output_type"] != "error", f"stored error output: {out.get('ename')}"
            assert not MACHINE_PATH.search(json.dumps(out)), "an output holds a machine path"
            # plt.show() itself stores a display_data whose text/plain is "<Figure size …>" beside the PNG
            # (and nbval needs it there); a figure repr anywhere else means a cell ended in a bare figure.
            if out["output_type"] != "display_data":
                text = "".join(out.get("text", "")) + "".join(out.get("data", {}).get("text/plain", ""))
                assert "<Figure size" not in text, "a figure repr is stored: end plotting cells with plt.show()"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_reads_as_a_chapter(path):
    cells = load(path)["cells"]
    first = "".join(cells[0]["source"])
    assert cells[0]["cell_type"] == "markdown"
    assert "University of Washington" in first and "BITS Pilani" in first, "credit both decks at the top"
    markdown = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    assert re.search(r"^#+ .*Learning goals", markdown, re.M), "no 'Learning goals' heading"
    assert re.search(r"^#+ .*Summary", markdown, re.M), "no 'Summary' heading"
    code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    assert "import mle_lib" in code or "from mle_lib" in code
    assert "sys.path" not in code, "notebooks import the installed package, never via sys.path"
    assert "assert " in code, "no check cell asserts the slide's numbers"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_exempted_cell_says_why(path):
    for cell in load(path)["cells"]:
        tags = cell.get("metadata", {}).get("tags", [])
        assert "nbval-skip" not in tags, "cells must run; exempt output only (nbval-ignore-output)"
        if "nbval-ignore-output" in tags:
            assert "# nbval-ignore-output:" in "".join(cell["source"]), (
                "an output-exempt cell must justify itself in a '# nbval-ignore-output: why' comment"
            )


def test_readme_table_of_contents_lists_every_notebook():
    readme = (ROOT / "README.md").read_text()
    for path in NOTEBOOKS:
        assert f"notebooks/{path.name}" in readme, f"README does not link {path.name}"


def _test_functions(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    return {node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)}


def test_every_erratum_names_a_test_that_exists():
    errata = (ROOT / "ERRATA.md").read_text()
    refs = re.findall(r"`(tests/test_[a-z0-9_]+\.py)::([a-zA-Z0-9_]+)`", errata)
    entries = re.findall(r"^## ", errata, re.M)
    assert refs and len(refs) >= len(entries), "each erratum must name the test that guards it"
    for file, func in refs:
        path = ROOT / file
        assert path.exists(), f"ERRATA.md names missing file {file}"
        assert func in _test_functions(path), f"ERRATA.md names missing test {file}::{func}"
