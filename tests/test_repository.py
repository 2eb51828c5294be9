"""Checks on the course as a whole: notebook hygiene, the README's table of contents, ERRATA.md, and
that tests/ and tools/ stay inside the repository."""

from __future__ import annotations

import ast
import glob
import json
import os
import re
import tomllib
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


# --------------------------------------------------------------------------------------------------
# tests/ and tools/ refer only to files inside the repository
# --------------------------------------------------------------------------------------------------
# A machine directory (written so that this file does not contain one), a `..` reference, and a relative
# file reference (folder/name.ext, checked for existence from the root and from the file's folder).
MACHINE_DIR = re.compile(r"(?<![\w.])/(?:work|tmp|root|home)/[^\s'\"`)]*")
PARENT_REF = re.compile(r"(?:\.\.[/\\])+[\w.\-/\\]*")
FILE_REF = re.compile(
    r"(?<![\w/.\-])([A-Za-z_][\w\-]*(?:/[\w\-.*]+)+\.(?:md|py|txt|cfg|toml|ya?ml|ipynb|csv|json|png))\b"
)


def outside_references(text: str, folder: Path) -> list[str]:
    """The references in ``text`` (a file in ``folder``) to paths outside the repository or not in it."""
    found = [m.group(0) for m in MACHINE_DIR.finditer(text)]
    for m in PARENT_REF.finditer(text):
        target = (folder / m.group(0).replace("\\", "/")).resolve()
        if not (target.is_relative_to(ROOT) and target.exists()):
            found.append(m.group(0))
    for m in FILE_REF.finditer(text):
        ref = m.group(1)
        if not any(glob.glob(str(base / ref)) for base in (ROOT, folder)):
            found.append(ref)
    return found


SELF_CONTAINED = sorted(
    path
    for folder in ("tests", "tools")
    for path in (ROOT / folder).rglob("*")
    if path.is_file() and "__pycache__" not in path.parts and path.suffix not in {".pyc", ".png"}
)


@pytest.mark.parametrize("path", SELF_CONTAINED, ids=lambda p: str(p.relative_to(ROOT)))
def test_tests_and_tools_refer_only_to_files_in_the_repository(path):
    """A fresh clone has no sibling folders and no author's machine: every path named here must be in it."""
    refs = outside_references(path.read_text(errors="replace"), path.parent)
    assert not refs, f"{path.relative_to(ROOT)} refers to paths outside the repository: {refs}"


def _path(*parts: str) -> str:
    return "/".join(parts)  # built from parts so that this file names no outside path itself


@pytest.mark.parametrize(
    "text",
    [
        f"see {_path('', 'work', 'shared', 'NOTES.md')}",
        f"open('{_path('', 'tmp', 'figure.png')}')",
        f"cache in {_path('', 'root', '.cache')}",
        f"as in {_path('..', '..', 'shared', 'NOTES.md')}",
        f"as in {_path('..', 'shared', 'NOTES.md')}",  # inside the root by resolution, but absent
        f"(see {_path('shared', 'NOTES.md')})",
    ],
)
def test_the_reference_checker_notices_an_outside_path(text):
    assert outside_references(text, ROOT / "tests"), text


def test_the_reference_checker_accepts_paths_in_the_repository():
    text = (
        f"{_path('tests', 'nbval_sanitize.cfg')} {_path('..', 'mle_lib', 'data')} {_path('notebooks', '*.ipynb')} "
        "regex: /(work|tmp|root|home)/ text/plain"
    )
    assert outside_references(text, ROOT / "tests") == []


# --------------------------------------------------------------------------------------------------
# Habits of a maintained library: typed, and property tests that cannot fail by chance
# --------------------------------------------------------------------------------------------------
def test_the_package_ships_py_typed():
    """PEP 561: the marker is in the package and declared as package data, so wheels carry it."""
    assert (ROOT / "mle_lib" / "py.typed").is_file()
    package_data = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]
    assert "py.typed" in package_data["mle_lib"]


@pytest.mark.skipif("HYPOTHESIS_PROFILE" in os.environ, reason="another hypothesis profile was chosen")
def test_property_tests_run_derandomized_by_default():
    """conftest.py loads the repeatable profile unless HYPOTHESIS_PROFILE asks for another."""
    from hypothesis import settings

    current = settings()
    assert settings.get_current_profile_name() == "repeatable"
    assert current.derandomize and current.database is None and current.deadline is None and current.print_blob


_COUNT_WORDS = {"six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}


def test_no_page_miscounts_the_chapters():
    """A sentence such as "the eight chapters" goes stale when a chapter is added: each count says nine."""
    n = len(list((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")))
    for page in sorted(ROOT.glob("*.md")) + sorted((ROOT / "tools" / "release_template").glob("*.md")):
        for word in re.findall(r"\b(six|seven|eight|nine|ten|\d+) chapters\b", page.read_text(), re.I):
            count = int(word) if word.isdigit() else _COUNT_WORDS[word.lower()]
            assert count == n, f"{page.name} speaks of {word} chapters; there are {n}"
