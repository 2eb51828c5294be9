#!/usr/bin/env python3
"""The lecture plan: per deck (one lecture part), what it shows and how long it takes to teach.

    make plan                                          every chapter
    .venv/bin/python tools/lecture_plan.py notebooks/07_em_1d.ipynb
    .venv/bin/python tools/make_slides.py --plan       the same table

The plan reads the **public** decks (``tools/make_slides.py``'s ``slides`` edition: what the lecturer shows in
the room), so cells skipped in slides, ``remove-cell`` cells, speaker notes and the optional ``going-further``
sections cost nothing. The time model, in minutes:

==========================  =====  ==============================================================================
item                        cost   why
==========================  =====  ==============================================================================
slide or sub-slide shown    1.5    one idea per slide, said once and asked about once; the usual one to two
                                   minutes a slide of lecture planning, at its middle
widget                      +3     the lecturer moves it, the room calls out what they expect, it is moved again
prediction (``predict``)    +2     a minute to think and commit, a minute to reveal and discuss
coding stop (Your turn)     +4     the room writes a few lines and runs the check; the slower half needs the time
homework (Exercise)         +0     named on its slide (counted above), done at home
==========================  =====  ==============================================================================

A part must fit :data:`LIMIT` minutes (a 50-minute lecture); ``tests/test_lecture_plan.py`` holds every part to
it and checks that each part's first slide states its timing plan in its speaker notes.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat
from editions import WIDGET_VIEW, edition
from make_slides import Deck, clean_cells, split_parts

ROOT = Path(__file__).resolve().parents[1]
#: Minutes one lecture part may take.
LIMIT = 50.0
#: Minutes per item of the model (see the module docstring for the reasons).
SLIDE, WIDGET, PREDICTION, CODING_STOP = 1.5, 3.0, 2.0, 4.0
_WIDGET_MARK = "lecture-plan-widget"
_YOUR_TURN = re.compile(r"^###\s+Your turn\s+\d+\.\d+\b")
_EXERCISE = re.compile(r"^###\s+Exercise\s+\d+\.\d+\b")


@dataclass(frozen=True)
class Plan:
    """What one deck shows, and its estimated length in minutes."""

    deck: str
    title: str
    slides: int
    widgets: int
    predictions: int
    coding_stops: int
    exercises: int

    @property
    def minutes(self) -> float:
        """The estimate of the time model."""
        return (
            SLIDE * self.slides
            + WIDGET * self.widgets
            + PREDICTION * self.predictions
            + CODING_STOP * self.coding_stops
        )

    @property
    def rounded(self) -> int:
        """The estimate in whole minutes (halves round up), as a part's timing plan states it."""
        return int(self.minutes + 0.5)


def _slide_type(cell: nbformat.NotebookNode) -> str:
    return cell.get("metadata", {}).get("slideshow", {}).get("slide_type", "-")


def _has_widget(cell: nbformat.NotebookNode) -> bool:
    return cell.cell_type == "code" and any(WIDGET_VIEW in o.get("data", {}) for o in cell.get("outputs", []))


def shown(cell: nbformat.NotebookNode) -> bool:
    """Whether a cell of a deck (see :func:`decks`) is on screen: not skipped and not a speaker note."""
    return _slide_type(cell) not in ("skip", "notes")


def decks(path: Path) -> list[Deck]:
    """The public decks of one chapter, each cell that showed a widget marked (the decks drop the widget view)."""
    nb = edition(nbformat.read(path, as_version=4), "slides", path.name)
    for cell in nb.cells:
        if _has_widget(cell):
            cell.metadata[_WIDGET_MARK] = True
    return split_parts(clean_cells(nb), path.stem)


def plan_of(deck: Deck) -> Plan:
    """Count what ``deck`` shows."""
    cells = [c for c in deck.notebook.cells if shown(c)]
    first = [c.source.lstrip() for c in cells if c.cell_type == "markdown"]
    return Plan(
        deck=deck.filename,
        title=deck.title,
        slides=sum(_slide_type(c) in ("slide", "subslide") for c in cells),
        widgets=sum(bool(c.metadata.get(_WIDGET_MARK)) for c in cells),
        predictions=sum("predict" in c.get("metadata", {}).get("tags", []) for c in cells),
        coding_stops=sum(bool(_YOUR_TURN.match(s)) for s in first),
        exercises=sum(bool(_EXERCISE.match(s)) for s in first),
    )


def plans(paths: list[Path]) -> list[Plan]:
    """The plan of every deck of ``paths``, in chapter and part order."""
    return [plan_of(deck) for path in paths for deck in decks(path)]


def table(rows: list[Plan]) -> str:
    """The plan as a plain-text table, one row per deck, with the limit's verdict."""
    head = f"{'deck':<40} {'slides':>6} {'widgets':>7} {'predict':>7} {'coding':>6} {'homework':>8} {'minutes':>7}"
    lines = [head, "-" * len(head)]
    for p in rows:
        flag = "" if p.minutes <= LIMIT else f"  over {LIMIT:g} by {p.minutes - LIMIT:.1f}"
        lines.append(
            f"{p.deck.removesuffix('.slides.html'):<40} {p.slides:>6} {p.widgets:>7} {p.predictions:>7} "
            f"{p.coding_stops:>6} {p.exercises:>8} {p.minutes:>7.1f}{flag}"
        )
    lines.append(
        f"model: {SLIDE:g} min per slide, +{WIDGET:g} per widget, +{PREDICTION:g} per prediction, "
        f"+{CODING_STOP:g} per coding stop; limit {LIMIT:g} min per part"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Print the plan; exit 1 if a part runs over :data:`LIMIT`."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="chapters (default: every chapter in notebooks/)")
    args = parser.parse_args(argv)
    paths = args.notebooks or sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    for path in paths:
        if path.suffix != ".ipynb" or not path.is_file():
            parser.error(f"notebooks: {path} is not an .ipynb file")
    rows = plans(paths)
    print(table(rows))
    return 0 if all(p.minutes <= LIMIT for p in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
