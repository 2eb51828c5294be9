"""Negative controls of the slide lint: tiny decks that must fail it, each for its own reason.

The reasons: a too-tall slide, a request to a CDN, raw TeX, an image that did not load.

Each deck is built by ``tools/make_slides.py``'s own functions from a notebook made here, into a
temporary folder with the vendored assets, and linted exactly as ``test_slide_decks.py`` lints the
chapters. A clean tiny deck (maths, a figure, a fragment) must pass, so the controls fail for their
reason and not because every deck fails.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator

import nbformat
import pytest
from lab import ROOT, chromium, serve_folder
from slide_lint import DeckReport, lint_deck

sys.path.insert(0, str(ROOT / "tools"))
import make_slides

#: A 1x1 PNG (so the clean deck has a real figure without running matplotlib).
PNG_1PX = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="


def notebook(*cells: tuple[str, str]) -> nbformat.NotebookNode:
    """A notebook with a title cell and a Markdown cell per ``(slide_type, source)``."""
    nb = nbformat.v4.new_notebook()
    nb.cells.append(nbformat.v4.new_markdown_cell("# 0 · A control deck"))
    for slide_type, source in cells:
        cell = nbformat.v4.new_markdown_cell(source)
        cell.metadata["slideshow"] = {"slide_type": slide_type}
        nb.cells.append(cell)
    nb.cells[0].metadata["slideshow"] = {"slide_type": "slide"}
    return nb


def figure_cell() -> nbformat.NotebookNode:
    """A code cell on its own subslide whose output is a 1-pixel PNG."""
    cell = nbformat.v4.new_code_cell("plot()")
    cell.metadata["slideshow"] = {"slide_type": "subslide"}
    cell.outputs = [nbformat.v4.new_output("display_data", data={"image/png": PNG_1PX, "text/plain": "<Figure>"})]
    return cell


CONTROLS = {
    "clean": notebook(
        ("slide", "## Maths\n\nThe MLE is $\\hat p = k/n$ and\n\n$$\\ell(p) = k \\ln p + (n-k)\\ln(1-p).$$"),
        ("fragment", "A fragment with $\\mu_1$."),
    ),
    "too_tall": notebook(("slide", "## A long list\n\n" + "\n".join(f"- item {i}" for i in range(40)))),
    "external": notebook(("slide", '## A CDN picture\n\n<img src="https://cdn.example.org/figure.png" alt="x">')),
    "broken_image": notebook(("slide", '## A figure that is not there\n\n<img src="missing-figure.png" alt="x">')),
    "raw_tex": notebook(
        ("slide", '## TeX that MathJax skipped\n\n<span class="tex2jax_ignore">$\\frac{k}{n}$ is the MLE</span>')
    ),
}
CONTROLS["clean"].cells.append(figure_cell())


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, DeckReport]]:
    """The control decks built into a temporary folder and linted: report by control name."""
    out = tmp_path_factory.mktemp("slide-controls")
    make_slides.copy_assets(out)
    slides_exporter = make_slides.exporter()
    decks = {}
    for name, nb in CONTROLS.items():
        (deck,) = make_slides.split_parts(make_slides.clean_cells(nb), name)
        path = out / deck.filename
        path.write_text(make_slides.render(deck, slides_exporter), encoding="utf-8")
        decks[name] = path
    with chromium() as context, serve_folder(out) as base_url:
        yield {name: lint_deck(context, base_url, path, screenshots=None) for name, path in decks.items()}


def test_a_clean_deck_passes(reports: dict[str, DeckReport]) -> None:
    """The clean deck passes, with the fragment on its maths slide."""
    report = reports["clean"]
    assert len(report.slides) == 3
    assert report.all_problems() == []
    assert report.slides[1].first_text.startswith("Maths"), "the fragment belongs to the maths slide"


def test_a_too_tall_slide_fails(reports: dict[str, DeckReport]) -> None:
    """The too-tall slide is reported, with its height."""
    report = reports["too_tall"]
    (tall,) = report.too_tall()
    assert tall.index == 1 and tall.first_text == "A long list"
    assert tall.height > 800
    assert any("slide 1" in p and "too tall" in p for p in report.all_problems())


def test_a_request_to_a_cdn_fails(reports: dict[str, DeckReport]) -> None:
    """A request to a CDN is reported."""
    report = reports["external"]
    assert report.external_requests == ["https://cdn.example.org/figure.png"]
    assert any("request to another host" in p for p in report.all_problems())


def test_raw_tex_fails(reports: dict[str, DeckReport]) -> None:
    """Untypeset TeX is reported."""
    report = reports["raw_tex"]
    problems = report.all_problems()
    assert any("raw TeX" in p and "\\\\frac" in repr(p) for p in problems), problems


def test_an_image_that_did_not_load_fails(reports: dict[str, DeckReport]) -> None:
    """An image that did not load is reported, with its HTTP 404."""
    problems = reports["broken_image"].all_problems()
    assert any("slide 1" in p and "image did not load" in p and "missing-figure.png" in p for p in problems), problems
    assert any("HTTP 404" in p for p in problems), problems
