"""What each edition of tools/editions.py holds (issue 14): the student edition and the public site and decks
leave out the scaffolding, fold the reveals and keep the exercises as questions; the lecturer's keeps all."""

from __future__ import annotations

import re
from pathlib import Path

import editions
import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
ASSERT = re.compile(r"^assert\b", re.M)


def _student(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(ROOT / "student" / path.name, as_version=4)


def _tags(cell) -> list[str]:
    return cell.get("metadata", {}).get("tags", [])


@pytest.mark.parametrize("path", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_student_edition_has_no_regression_or_wiring_check(path):
    nb = _student(path)
    hidden = [i for i, c in enumerate(nb.cells) if "remove-cell" in _tags(c)]
    asserts = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and ASSERT.search(c.source)]
    assert not hidden and not asserts, f"{path.name}: check cells {hidden}, asserts in cells {asserts}"


@pytest.mark.parametrize("path", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_reveals_are_folded_for_a_student_and_fragments_in_a_deck(path):
    author = nbformat.read(path, as_version=4)
    n_reveals = sum(c.cell_type == "markdown" and "reveal" in _tags(c) for c in author.cells)
    for nb in (_student(path), editions.edition(author, "site", path.name)):
        folded = [c for c in nb.cells if c.cell_type == "markdown" and "reveal" in _tags(c)]
        assert len(folded) == n_reveals
        for cell in folded:
            assert cell.source.startswith("<details>\n<summary>") and cell.source.endswith("</details>")
            assert "<details open" not in cell.source
    deck = editions.edition(author, "slides", path.name)
    shown = [c for c in deck.cells if c.cell_type == "markdown" and "reveal" in _tags(c)]
    assert len(shown) == n_reveals and not any("<details>" in c.source for c in shown)
    assert all(c.metadata["slideshow"]["slide_type"] == "fragment" for c in shown)


@pytest.mark.parametrize("path", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_public_site_shows_exercises_as_questions(path):
    """Every exercise heading and check call stays (with the stub), no exercise cell keeps an output, and no
    solution cell or marker is left; the lecturer's edition is the author's notebook."""
    author = nbformat.read(path, as_version=4)
    site = editions.edition(author, "site", path.name)
    calls = lambda nb: re.findall(r'check\("([^"]+)"', "\n".join(c.source for c in nb.cells if c.cell_type == "code"))  # noqa: E731
    assert calls(site) == calls(author) and calls(site)
    assert not any("solution" in _tags(c) for c in site.cells)
    assert not any(re.search(r"#\s*(BEGIN |END )?SOLUTION", c.source) for c in site.cells)
    for cell in site.cells:
        if cell.cell_type == "code" and "check(" in cell.source:
            assert not cell.outputs, cell.source
    assert editions.edition(author, "lecturer") == author


def test_exercise_cells_run_from_heading_to_check():
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("## Text"),
        nbformat.v4.new_markdown_cell("### Exercise 1.1 — x"),
        nbformat.v4.new_code_cell("answer = 1  # SOLUTION"),
        nbformat.v4.new_code_cell("simulate()"),
        nbformat.v4.new_code_cell('check("ex1.1", answer)'),
        nbformat.v4.new_code_cell("after()"),
    ]
    assert editions.exercise_cells(nb) == {1: "ex1.1", 2: "ex1.1", 3: "ex1.1", 4: "ex1.1"}
    nb.cells.pop(4)
    with pytest.raises(ValueError, match="exercise ex1.1 has no check"):
        editions.exercise_cells(nb)
    with pytest.raises(ValueError, match="kind must be one of"):
        editions.edition(nb, "teacher")


def test_speaker_notes_are_for_the_decks_only():
    """The student edition and the site drop cells of slide type ``notes``; the decks (and the author) keep them."""
    note = nbformat.v4.new_markdown_cell("**Say.** the room's question first.")
    note.metadata["slideshow"] = {"slide_type": "notes"}
    slide = nbformat.v4.new_markdown_cell("## A slide")
    slide.metadata["slideshow"] = {"slide_type": "slide"}
    nb = nbformat.v4.new_notebook(cells=[slide, note])
    kept = {kind: [c.source for c in editions.edition(nb, kind, "99_x.ipynb").cells] for kind in editions.EDITIONS}
    assert note.source not in kept["student"] and note.source not in kept["site"]
    assert note.source in kept["slides"] and note.source in kept["lecturer"]
    assert [c.source for c in editions.without_speaker_notes(nb).cells] == ["## A slide"]
