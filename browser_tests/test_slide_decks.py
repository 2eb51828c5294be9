"""The slide lint on every deck in ``build/slides/`` (``make test-slides`` builds them first).

One test per deck, at a 1280x800 viewport in headless Chromium: every slide and sub-slide is shown with
all its fragments; a slide fails when its content is taller than the screen (``section.scrollHeight``
times reveal's scale ``Reveal.getScale()``, over 800 px, or reaching below the window), when an image
did not load, when TeX is left untypeset or MathJax reports an error, and the deck fails on any console
error, failed request or request to a host other than the local server. How each is measured:
``browser_tests/slide_lint.py``. Screenshots: ``build/slides-screenshots/DECK/NN.png``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from lab import ROOT, chromium
from slide_lint import lint_deck, serve

SLIDES = ROOT / "build" / "slides"
DECKS = sorted(SLIDES.glob("*.slides.html"))


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[Any, str]]:
    with chromium() as context, serve(SLIDES) as base_url:
        yield context, base_url


def test_decks_were_built() -> None:
    assert DECKS, f"no *.slides.html in {SLIDES}: run `make slides` first"
    assert (SLIDES / "index.html").is_file()
    index = (SLIDES / "index.html").read_text(encoding="utf-8")
    missing = [d.name for d in DECKS if f'href="{d.name}"' not in index]
    assert not missing, f"index.html does not list {missing}"


@pytest.mark.parametrize("deck", DECKS, ids=[d.name.removesuffix(".slides.html") for d in DECKS])
def test_every_slide_fits_and_renders(served: tuple[Any, str], deck: Path) -> None:
    context, base_url = served
    report = lint_deck(context, base_url, deck)
    problems = report.all_problems()
    assert report.slides, f"{deck.name}: no slides found"
    assert not problems, f"{len(problems)} problem(s):\n" + "\n".join(problems)
