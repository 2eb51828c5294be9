"""The chapter template: every chapter is built the same way for a reader, a lecturer and a slide deck.

One chapter = one notebook in ``notebooks/``. The rules, each checked below per chapter:

* **Title slide.** Cell 0 is Markdown whose first line is ``# N · Title`` (N = the file's number, a
  middle dot), credits both decks, links ``../ERRATA.md``, and starts a slide.
* **Learning goals** are a slide of their own among the first three cells (``## Learning goals``).
* **Navigation.** The last cell is tagged ``navigation`` and links the previous chapter, the next chapter
  (where they exist) and ``../README.md``; it is skipped in slides.
* **Slide metadata** on every cell (``slideshow.slide_type``); every heading cell starts a slide or a
  sub-slide, so no section runs on from the one before.
* **Scaffolding out of sight.** A code cell that asserts (a top-level ``assert``) is a check cell: it
  holds only checks, is skipped in slides, removed from the site (tag ``remove-cell``) and collapsed in
  JupyterLab (``jupyter.source_hidden``). What a learner reads, a print, lives in another cell.
* **Exercises and stops** are ``### Exercise N.M — title`` / ``### Your turn N.M — title`` headings, and
  ``check("exN.M", …)`` / ``check("turnN.M", …)`` answers them; a worked answer in Markdown is tagged
  ``solution`` and starts with ``*Solution.*``.
* **Predict, then reveal.** A cell tagged ``predict`` asks; a later cell tagged ``reveal`` answers, on a
  fragment of its own (so the deck shows the question first).
* **Lecture-sized parts.** A Markdown cell tagged ``lecture-part`` starts a part (``## Part K · title``);
  ``tests/test_lecture_plan.py`` holds each part to 50 minutes of the lecture plan and checks its speaker notes.
* **Optional sections.** A ``## Going further · title`` (or ``###``) heading opens a section of material the
  decks leave out; it and every cell up to the section's end are tagged ``going-further``.
* **Exercises say how hard and how long**: each heading ends ``(★★, about 15 min)``, one to three stars.
* **A way in and a way on.** The learning goals end with ``**What you need from earlier chapters.**``; the
  last slide before the navigation is ``## Further reading``; the title slide links ``../NOTATION.md``.
* **Widgets left as found.** A hidden check cell that moves a widget (``w.set(…)``, ``w.press(…)``) ends
  with ``w.reset()``, so that after Run All the widget shows the starting state its text describes.
* **Figures say what they show.** Every code cell that stores a PNG carries alternative text in
  ``mystnb.image.alt`` (the site shows it to screen readers).
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = sorted((ROOT / "notebooks").glob("*.ipynb"))
SLIDE_TYPES = {"slide", "subslide", "fragment", "-", "skip", "notes"}
#: The chapters whose "which is more likely?" / "what if?" moments must be real reveals.
PREDICT_CHAPTERS = ("04", "06", "07")

ids = [p.stem for p in CHAPTERS]


def _nb(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def _type(cell) -> str | None:
    return cell.metadata.get("slideshow", {}).get("slide_type")


def _tags(cell) -> list[str]:
    return cell.metadata.get("tags", [])


def _number(path: Path) -> int:
    return int(path.name[:2])


def _title(path: Path) -> str:
    return _nb(path).cells[0].source.split("\n", 1)[0]


@pytest.mark.parametrize("path", CHAPTERS, ids=ids)
def test_title_slide(path):
    first = _nb(path).cells[0]
    assert first.cell_type == "markdown"
    assert re.fullmatch(rf"# {_number(path)} · \S.*", first.source.split("\n", 1)[0]), (
        f"{path.name}: the first line must be '# {_number(path)} · Title'; got {first.source.splitlines()[0]!r}"
    )
    assert "University of Washington" in first.source and "BITS Pilani" in first.source
    assert "(../ERRATA.md)" in first.source, "the title slide links ERRATA.md"
    assert _type(first) == "slide"


@pytest.mark.parametrize("path", CHAPTERS, ids=ids)
def test_learning_goals_slide(path):
    goals = [c for c in _nb(path).cells[:3] if c.cell_type == "markdown" and c.source.startswith("## Learning goals")]
    assert goals, f"{path.name}: no '## Learning goals' cell among the first three"
    assert _type(goals[0]) == "slide"


@pytest.mark.parametrize("path", CHAPTERS, ids=ids)
def test_navigation_links_neighbours_and_contents(path):
    last = _nb(path).cells[-1]
    assert last.cell_type == "markdown" and "navigation" in _tags(last), f"{path.name}: no navigation cell at the end"
    i = CHAPTERS.index(path)
    wanted = ["../README.md"]
    if i > 0:
        wanted.append(f"({CHAPTERS[i - 1].name})")
    if i + 1 < len(CHAPTERS):
        wanted.append(f"({CHAPTERS[i + 1].name})")
    missing = [w for w in wanted if w not in last.source]
    assert not missing, f"{path.name}: the navigation cell lacks {missing}"
    assert _type(last) == "skip"


@pytest.mark.parametrize("path", CHAPTERS, ids=ids)
def test_every_cell_has_slide_metadata_and_headings_start_slides(path):
    for i, cell in enumerate(_nb(path).cells):
        assert _type(cell) in SLIDE_TYPES, f"{path.name} cell {i}: slide_type {_type(cell)!r}"
        if cell.cell_type == "markdown" and cell.source.startswith("#") and _type(cell) != "skip":
            assert _type(cell) in {"slide", "subslide"}, f"{path.name} cell {i}: a heading that does not start a slide"


ASSERT_LINE = re.compile(r"^assert ", re.M)


@pytest.mark.parametrize("path", CHAPTERS, ids=ids)
def test_regression_checks_are_out_of_the_learners_sight(path):
    checks = 0
    for i, cell in enumerate(_nb(path).cells):
        if cell.cell_type != "code" or not ASSERT_LINE.search(cell.source):
            continue
        checks += 1
        where = f"{path.name} cell {i}"
        assert "remove-cell" in _tags(cell), f"{where}: a check cell must be tagged remove-cell"
        assert _type(cell) == "skip", f"{where}: a check cell must be skipped in slides"
        assert cell.metadata.get("jupyter", {}).get("source_hidden") is True, f"{where}: collapse the check cell"
        assert not cell.outputs, f"{where}: a check cell prints nothing (move what a reader needs to see out)"
    assert checks, f"{path.name}: no check cell asserts the slides' numbers"


CHECK_CALL = re.compile(r"""check\(\s*["'](ex|turn)(\d+)\.(\d+)["']""")
HEADING = {"ex": "Exercise", "turn": "Your turn"}


@pytest.mark.parametrize("path", CHAPTERS, ids=ids)
def test_exercises_and_stops_share_one_convention(path):
    nb = _nb(path)
    n = _number(path)
    headings: list[str] = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown":
            headings += [ln for ln in cell.source.split("\n") if ln.startswith("#")]
            if "solution" in _tags(cell):
                assert cell.source.startswith("*Solution.*"), (
                    f"{path.name} cell {i}: start a worked answer '*Solution.*'"
                )
            continue
        for kind, chap, k in CHECK_CALL.findall(cell.source):
            assert int(chap) == n, f"{path.name} cell {i}: {kind}{chap}.{k} belongs to another chapter"
            pattern = rf"### {HEADING[kind]} {n}\.{k} — \S"
            assert any(re.match(pattern, h) for h in headings), (
                f"{path.name}: no '{pattern}' heading before {kind}{n}.{k}"
            )


@pytest.mark.parametrize("path", CHAPTERS, ids=ids)
def test_predictions_are_revealed_on_a_later_fragment(path):
    cells = _nb(path).cells
    asks = [i for i, c in enumerate(cells) if "predict" in _tags(c)]
    reveals = [i for i, c in enumerate(cells) if "reveal" in _tags(c)]
    if path.name[:2] in PREDICT_CHAPTERS:
        assert asks, f"{path.name}: its prediction moments are not marked 'predict'"
    for i in asks:
        later = [j for j in reveals if j > i]
        assert later, f"{path.name} cell {i}: a prediction with no later reveal"
    for j in reveals:
        assert _type(cells[j]) == "fragment", f"{path.name} cell {j}: a reveal must be a fragment"


DIFFICULTY = re.compile(r"\((★{1,3}), about (\d+) min\)$")


@pytest.mark.parametrize("path", CHAPTERS, ids=ids)
def test_exercises_state_difficulty_and_time(path):
    for i, cell in enumerate(_nb(path).cells):
        line = cell.source.lstrip().split("\n", 1)[0] if cell.cell_type == "markdown" else ""
        if re.match(r"### (Exercise|Your turn) \d+\.\d+", line):
            assert DIFFICULTY.search(line), (
                f"{path.name} cell {i}: end the heading with '(★★, about 15 min)' (one to three stars): {line!r}"
            )


GOING_FURTHER = re.compile(r"^#{2,3} Going further · \S")


@pytest.mark.parametrize("path", CHAPTERS, ids=ids)
def test_optional_sections_are_marked_whole(path):
    """A "Going further" section: its opener and every cell after it tagged ``going-further``, as one run."""
    cells = _nb(path).cells
    for i, cell in enumerate(cells):
        opener = cell.cell_type == "markdown" and bool(GOING_FURTHER.match(cell.source))
        tagged = "going-further" in _tags(cell)
        if opener:
            assert tagged, f"{path.name} cell {i}: a 'Going further' heading must be tagged going-further"
        elif tagged:
            assert i > 0 and "going-further" in _tags(cells[i - 1]), (
                f"{path.name} cell {i}: tagged going-further but no 'Going further · …' opener runs up to it"
            )
        assert not (tagged and "lecture-part" in _tags(cell)), f"{path.name} cell {i}: an optional part's opener"


@pytest.mark.parametrize("path", CHAPTERS, ids=ids)
def test_a_way_in_and_a_way_on(path):
    """The learning goals say what a student needs from earlier; the last slide points to further reading."""
    cells = _nb(path).cells
    goals = next(c for c in cells[:3] if c.source.startswith("## Learning goals"))
    assert "**What you need from earlier chapters.**" in goals.source, (
        f"{path.name}: the learning goals end with '**What you need from earlier chapters.**' and the list"
    )
    reading = [
        i for i, c in enumerate(cells) if c.cell_type == "markdown" and c.source.startswith("## Further reading")
    ]
    assert reading, f"{path.name}: no '## Further reading' slide"
    after = [c for c in cells[reading[-1] + 1 : -1] if _type(c) != "notes"]
    assert not after, f"{path.name}: the further-reading slide comes last, just before the navigation cell"
    assert _type(cells[reading[-1]]) == "slide"


@pytest.mark.parametrize("path", CHAPTERS, ids=ids)
def test_title_slide_links_the_notation_page(path):
    assert "(../NOTATION.md" in _nb(path).cells[0].source, f"{path.name}: the title slide links ../NOTATION.md"


@pytest.mark.parametrize("path", CHAPTERS, ids=ids)
def test_every_figure_has_alternative_text(path):
    for i, cell in enumerate(_nb(path).cells):
        if cell.cell_type != "code" or not any("image/png" in o.get("data", {}) for o in cell.outputs):
            continue
        alt = cell.metadata.get("mystnb", {}).get("image", {}).get("alt", "")
        assert len(alt) >= 30, f"{path.name} cell {i}: a figure without alternative text saying what it shows"


_MOVES = re.compile(r"\b([A-Za-z_]\w*)\.(?:set|press)\(")


@pytest.mark.parametrize("path", CHAPTERS, ids=ids)
def test_wiring_checks_put_their_widgets_back(path):
    for i, cell in enumerate(_nb(path).cells):
        if cell.cell_type != "code" or "remove-cell" not in _tags(cell):
            continue
        moved = {name for name in _MOVES.findall(cell.source) if name not in ("ax", "line", "plt")}
        lines = [ln.strip() for ln in cell.source.strip().splitlines()]
        for name in moved:
            last_move = max(k for k, ln in enumerate(lines) if re.search(rf"\b{name}\.(set|press)\(", ln))
            after = lines[last_move + 1 :]
            assert f"{name}.reset()" in after, (
                f"{path.name} cell {i}: moves {name} but does not end with {name}.reset()"
            )
