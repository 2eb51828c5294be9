"""The slide lint on every deck in ``build/slides/`` (``make test-slides`` builds them first).

One test per deck, at a 1280x800 viewport in headless Chromium: every slide and sub-slide is shown with
all its fragments; a slide fails when its content is taller than the screen (``section.scrollHeight``
times reveal's scale ``Reveal.getScale()``, over 800 px, or reaching below the window), when an image
did not load, when TeX is left untypeset or MathJax reports an error, and the deck fails on any console
error, failed request or request to a host other than the local server. How each is measured:
``browser_tests/slide_lint.py``. Screenshots: ``build/slides-screenshots/DECK/NN.png``.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from lab import ROOT, chromium, serve_folder
from players import check_players_on
from slide_lint import SCREENSHOTS, lint_deck

SLIDES = ROOT / "build" / "slides"
DECKS = sorted(SLIDES.glob("*.slides.html"))


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[Any, str]]:
    """A Chromium context and the base URL of the served slide folder."""
    shutil.rmtree(SCREENSHOTS, ignore_errors=True)  # no folder left from a deck that is gone
    with chromium() as context, serve_folder(SLIDES) as base_url:
        yield context, base_url


def test_decks_were_built() -> None:
    """Decks were built and the index lists every one."""
    assert DECKS, f"no *.slides.html in {SLIDES}: run `make slides` first"
    assert (SLIDES / "index.html").is_file()
    index = (SLIDES / "index.html").read_text(encoding="utf-8")
    missing = [d.name for d in DECKS if f'href="{d.name}"' not in index]
    assert not missing, f"index.html does not list {missing}"


@pytest.mark.parametrize("deck", DECKS, ids=[d.name.removesuffix(".slides.html") for d in DECKS])
def test_every_slide_fits_and_renders(served: tuple[Any, str], deck: Path) -> None:
    """Every slide of the deck passes the slide lint."""
    context, base_url = served
    report = lint_deck(context, base_url, deck)
    problems = report.all_problems()
    assert report.slides, f"{deck.name}: no slides found"
    assert not problems, f"{len(problems)} problem(s):\n" + "\n".join(problems)


def test_a_deck_opens_from_disk_too(served: tuple[Any, str]) -> None:
    """A lecturer may open build/slides/ from disk: file:// must load every asset (no CDN, no server)."""
    if not DECKS:
        pytest.skip("no decks built")
    context, _ = served
    report = lint_deck(context, SLIDES.resolve().as_uri() + "/", DECKS[0], screenshots=None)
    problems = [p for p in report.all_problems() if "too tall" not in p]
    assert report.slides and not problems, "\n".join(problems)


PLAYER_DECKS = [d for d in DECKS if "mle-static-widget" in d.read_text(encoding="utf-8")]


def test_every_widget_a_deck_shows_is_a_player() -> None:
    """Each deck holds one player for every widget it shows (widgets in going-further sections are in no deck)."""
    import sys

    sys.path.insert(0, str(ROOT / "tools"))
    import lecture_plan

    chapters = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    shown = {p.deck: p.widgets for p in lecture_plan.plans(chapters) if p.widgets}
    found = {d.name: d.read_text(encoding="utf-8").count('class="mle-static-widget"') for d in PLAYER_DECKS}
    assert {k: v for k, v in found.items() if v} == shown, f"players per deck {found}; widgets per deck {shown}"


@pytest.mark.parametrize("deck", PLAYER_DECKS, ids=[d.name.removesuffix(".slides.html") for d in PLAYER_DECKS])
def test_every_player_moves_inside_the_deck(served: tuple[Any, str], deck: Path) -> None:
    """On its slide, every control of every player at its first, last and a middle value.

    Keys on a focused control do not move the deck; the readout is the live widget's for that state, the figure
    changes.
    """
    context, base_url = served
    count, problems = check_players_on(context, f"{base_url}/{deck.name}", deck.name, deck=True)
    assert count > 0 and not problems, "\n".join(problems)


def test_a_player_works_from_disk(served: tuple[Any, str]) -> None:
    """file://: the frames load and the readout follows with no server (the deck of chapter 7's stepper)."""
    deck = next(d for d in PLAYER_DECKS if "em-stepper" in d.read_text(encoding="utf-8"))
    context, _ = served
    count, problems = check_players_on(context, deck.resolve().as_uri(), deck.name, deck=True)
    assert count > 0 and not problems, "\n".join(problems)
