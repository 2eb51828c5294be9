"""Every lecture part fits the hour, and every slide a lecturer shows has speaker notes.

The plan is ``tools/lecture_plan.py`` (its docstring states the time model); these tests hold the chapters to it:

* every public deck (one lecture part) is estimated at no more than ``LIMIT`` minutes;
* every slide and sub-slide a deck shows has a speaker note (a cell of slide type ``notes``) before the next
  slide begins, the shared title slide included;
* the first slide of each part (its ``lecture-part`` cell, or the learning goals of a chapter without parts)
  has a note whose first line is ``**Timing plan: N min.**`` with N the plan's estimate;
* the optional ``going-further`` sections are in the site's edition and in no deck.

The synthetic decks at the end are the negative controls: a part over the limit, a slide with no note and a
stale timing line are each caught.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import editions  # noqa: E402
import lecture_plan  # noqa: E402
import make_slides  # noqa: E402

CHAPTERS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
DECKS = [(path, deck) for path in CHAPTERS for deck in lecture_plan.decks(path)]
TIMING = re.compile(r"^\*\*Timing plan: (\d+) min\.\*\*")


def _type(cell) -> str:
    return cell.get("metadata", {}).get("slideshow", {}).get("slide_type", "-")


def slides_without_notes(cells) -> list[str]:
    """The first line of every slide or sub-slide in ``cells`` (a deck's) that has no speaker note."""
    missing: list[str] = []
    current: str | None = None
    noted = True
    for cell in cells:
        kind = _type(cell)
        if kind == "skip":
            continue
        if kind in ("slide", "subslide"):
            if current is not None and not noted:
                missing.append(current)
            current, noted = (cell.source.strip().splitlines() or ["(empty)"])[0][:80], False
        elif kind == "notes" and cell.source.strip():
            noted = True
    if current is not None and not noted:
        missing.append(current)
    return missing


def opener_notes(cells) -> str | None:
    """The speaker note of a part's first slide: after its ``lecture-part`` cell, else after the learning goals."""
    start = next((i for i, c in enumerate(cells) if "lecture-part" in c.get("metadata", {}).get("tags", [])), None)
    if start is None:
        start = next((i for i, c in enumerate(cells) if c.source.lstrip().startswith("## Learning goals")), None)
    if start is None:
        return None
    for cell in cells[start + 1 :]:
        if _type(cell) in ("slide", "subslide"):
            return None
        if _type(cell) == "notes":
            return cell.source.strip()
    return None


def timing_problem(deck) -> str | None:
    """Why a deck's opening note does not state its plan, or None."""
    note = opener_notes(deck.notebook.cells)
    plan = lecture_plan.plan_of(deck)
    if note is None:
        return "its first slide has no speaker note"
    match = TIMING.match(note)
    if not match:
        return f"its first slide's note does not start '**Timing plan: {plan.rounded} min.**': {note[:60]!r}"
    if int(match.group(1)) != plan.rounded:
        return f"its note says {match.group(1)} min, the plan estimates {plan.rounded} ({plan.minutes:.1f})"
    return None


@pytest.mark.parametrize(("path", "deck"), DECKS, ids=[d.filename.removesuffix(".slides.html") for _, d in DECKS])
def test_every_part_fits_the_hour(path, deck):
    plan = lecture_plan.plan_of(deck)
    assert plan.minutes <= lecture_plan.LIMIT, (
        f"{deck.filename}: {plan.minutes:.1f} min (limit {lecture_plan.LIMIT:g}): {plan.slides} slides, "
        f"{plan.widgets} widgets, {plan.predictions} predictions, {plan.coding_stops} coding stops"
    )


@pytest.mark.parametrize(("path", "deck"), DECKS, ids=[d.filename.removesuffix(".slides.html") for _, d in DECKS])
def test_every_slide_has_speaker_notes(path, deck):
    assert slides_without_notes(deck.notebook.cells) == []


@pytest.mark.parametrize(("path", "deck"), DECKS, ids=[d.filename.removesuffix(".slides.html") for _, d in DECKS])
def test_each_part_opens_with_its_timing_plan(path, deck):
    assert timing_problem(deck) is None, f"{deck.filename}: {timing_problem(deck)}"


@pytest.mark.parametrize("path", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_going_further_is_on_the_site_and_in_no_deck(path):
    nb = nbformat.read(path, as_version=4)
    optional = [c.get("id") for c in nb.cells if make_slides.GOING_FURTHER in c.get("metadata", {}).get("tags", [])]
    # No page shows a check cell, a worked solution or a speaker note, optional or not.
    hidden = {
        c.get("id")
        for c in nb.cells
        if {"remove-cell", "solution"} & set(c.get("metadata", {}).get("tags", [])) or editions.is_speaker_note(c)
    }
    in_decks = {c.get("id") for deck in lecture_plan.decks(path) for c in deck.notebook.cells}
    on_site = {c.get("id") for c in editions.edition(nb, "site", path.name).cells}
    assert not in_decks & set(optional)
    assert set(optional) - hidden <= on_site


# --- negative controls: synthetic decks --------------------------------------------------------------------


def _md(source: str, slide_type: str = "slide", tags: tuple[str, ...] = ()) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_markdown_cell(source)
    cell.metadata["slideshow"] = {"slide_type": slide_type}
    if tags:
        cell.metadata["tags"] = list(tags)
    return cell


def _deck(cells) -> make_slides.Deck:
    nb = nbformat.v4.new_notebook(cells=cells)
    return make_slides.split_parts(make_slides.clean_cells(nb), "99_synthetic")[0]


def _noted(n_slides: int, timing: int | None = None) -> list:
    cells = [_md("# 99 · Synthetic"), _md("**Say.** hello", "notes"), _md("## Learning goals")]
    cells.append(_md(f"**Timing plan: {timing} min.** all of it" if timing is not None else "**Say.** x", "notes"))
    for k in range(n_slides - 2):
        cells += [_md(f"## Slide {k}"), _md("**Say.** x", "notes")]
    return cells


def test_the_model_counts_what_a_deck_shows():
    cells = _noted(4)
    cells += [_md("### Your turn 99.1 — go (★, about 5 min)"), _md("**Say.** x", "notes")]
    cells += [_md("Which is larger?", "fragment", ("predict",)), _md("This one.", "fragment", ("reveal",))]
    cells += [_md("## Hidden", "skip"), _md("## Optional", "slide", (make_slides.GOING_FURTHER,))]
    plan = lecture_plan.plan_of(_deck(cells))
    assert (plan.slides, plan.coding_stops, plan.predictions, plan.widgets) == (5, 1, 1, 0)
    assert plan.minutes == pytest.approx(5 * 1.5 + 4 + 2)


def test_a_part_over_the_hour_is_caught():
    plan = lecture_plan.plan_of(_deck(_noted(34)))
    assert plan.minutes > lecture_plan.LIMIT  # 34 slides x 1.5 = 51 min
    assert lecture_plan.plan_of(_deck(_noted(33))).minutes <= lecture_plan.LIMIT


def test_a_slide_without_notes_is_caught():
    cells = _noted(3)
    cells.insert(4, _md("## Unprepared"))
    assert slides_without_notes(_deck(cells).notebook.cells) == ["## Unprepared"]
    assert slides_without_notes(_deck(_noted(3)).notebook.cells) == []


def test_a_stale_timing_plan_is_caught():
    right = lecture_plan.plan_of(_deck(_noted(6))).rounded
    assert timing_problem(_deck(_noted(6, timing=right))) is None
    assert "plan estimates" in timing_problem(_deck(_noted(6, timing=right + 5)))
    assert "does not start" in timing_problem(_deck(_noted(6)))
