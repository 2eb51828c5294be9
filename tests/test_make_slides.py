"""tools/make_slides.py without a browser: deck splitting, what a deck leaves out, offline asset URLs.

The browser half (heights, typeset maths, requests) is ``make test-slides`` (browser_tests/).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import make_slides  # noqa: E402

WIDGET = "application/vnd.jupyter.widget-view+json"
PNG_1PX = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="


def md(source: str, slide_type: str = "-", tags: tuple[str, ...] = ()) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_markdown_cell(source)
    cell.metadata["slideshow"] = {"slide_type": slide_type}
    if tags:
        cell.metadata["tags"] = list(tags)
    return cell


def widget_cell() -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell("explorer")
    cell.metadata["slideshow"] = {"slide_type": "subslide"}
    cell.outputs = [
        nbformat.v4.new_output(
            "display_data",
            data={
                WIDGET: {"model_id": "0" * 32, "version_major": 2, "version_minor": 0},
                "image/png": PNG_1PX,
                "text/plain": "Explorer(p=0.5)",
            },
        )
    ]
    return cell


def chapter(*cells: nbformat.NotebookNode) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.cells = [md("# 9 · A test chapter\n\nSources.", "slide"), *cells]
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    return nb


def sources(deck: make_slides.Deck) -> list[str]:
    return [c.source.splitlines()[0] for c in deck.notebook.cells]


def test_a_chapter_without_parts_is_one_deck() -> None:
    nb = chapter(md("## Learning goals", "slide"), md("## Idea", "slide"), md("text"))
    (deck,) = make_slides.split_parts(make_slides.clean_cells(nb), "09_test")
    assert deck.filename == "09_test.slides.html"
    assert deck.title == "9 · A test chapter"
    assert sources(deck) == ["# 9 · A test chapter", "## Learning goals", "## Idea", "text"]


def test_lecture_parts_split_the_chapter_and_each_starts_with_the_title_slide() -> None:
    nb = chapter(
        md("## Learning goals", "slide"),
        md("## Part 1 · Coins\n\nWhat this part does.", "slide", ("lecture-part",)),
        md("coins"),
        md("## Part 2 · Dice", "-", ("lecture-part",)),
        md("dice"),
        md("## Exercises", "slide"),
    )
    starts = [nb.cells[2].source, nb.cells[4].source]
    decks = make_slides.split_parts(make_slides.clean_cells(nb), "09_test")
    assert [d.filename for d in decks] == ["09_test-part1.slides.html", "09_test-part2.slides.html"]
    assert sources(decks[0]) == ["# 9 · A test chapter", "## Learning goals", "## Part 1 · Coins", "coins"]
    assert sources(decks[1]) == ["# 9 · A test chapter", "## Part 2 · Dice", "dice", "## Exercises"]
    assert decks[1].title == "9 · A test chapter — Part 2 · Dice"
    openers = [
        d.notebook.cells[[c.source for c in d.notebook.cells].index(c0)] for d, c0 in zip(decks, starts, strict=True)
    ]
    assert [c.metadata.slideshow.slide_type for c in openers] == ["slide", "slide"]
    assert nb.cells[4].metadata.slideshow.slide_type == "-", "the notebook itself must not be changed"
    assert all(d.notebook.cells[0].metadata.slideshow.slide_type == "slide" for d in decks)


def test_a_lecture_part_cell_without_its_heading_is_an_error_naming_the_cell() -> None:
    nb = chapter(md("## Coins", "slide", ("lecture-part",)))
    with pytest.raises(ValueError, match=r"cell 1 is tagged lecture-part.*'## Part K · title'"):
        make_slides.split_parts(make_slides.clean_cells(nb), "09_test")


def test_two_parts_with_one_number_are_an_error() -> None:
    nb = chapter(md("## Part 1 · A", "slide", ("lecture-part",)), md("## Part 1 · B", "slide", ("lecture-part",)))
    with pytest.raises(ValueError, match="share a part number"):
        make_slides.split_parts(make_slides.clean_cells(nb), "09_test")


def test_remove_cell_cells_and_widget_views_are_dropped_but_the_widget_picture_stays() -> None:
    check = nbformat.v4.new_code_cell("assert True")
    check.metadata.update({"tags": ["remove-cell"], "slideshow": {"slide_type": "skip"}})
    nb = chapter(md("## Idea", "slide"), widget_cell(), check)
    cleaned = make_slides.clean_cells(nb)
    assert "widgets" not in cleaned.metadata
    assert [c.source for c in cleaned.cells][-1] == "explorer"
    (bundle,) = cleaned.cells[-1].outputs
    assert set(bundle.data) == {"image/png", "text/plain"}
    assert WIDGET in nb.cells[2].outputs[0].data, "the notebook itself must not be changed"


def render_html(nb: nbformat.NotebookNode) -> str:
    (deck,) = make_slides.split_parts(make_slides.clean_cells(nb), "09_test")
    return make_slides.render(deck)


@pytest.fixture(scope="module")
def html() -> str:
    hidden = md("A speaker-only aside that must not be shown.", "skip")
    check = nbformat.v4.new_code_cell("assert 'hidden check' == 'hidden check'")
    check.metadata.update({"tags": ["remove-cell"], "slideshow": {"slide_type": "-"}})
    return render_html(chapter(md("## Idea $\\hat p$", "slide"), widget_cell(), hidden, check))


def test_skipped_and_removed_cells_are_not_in_the_deck(html: str) -> None:
    assert "## Idea" not in html and "Idea" in html
    assert "speaker-only aside" not in html
    assert "hidden check" not in html


def test_the_deck_shows_the_widget_picture_not_a_widget_view(html: str) -> None:
    assert f"data:image/png;base64,{PNG_1PX}" in html
    assert "widget-view" not in html
    assert "jupyter-widgets" not in html and "html-manager" not in html


def test_speaker_notes_are_asides_and_optional_sections_are_left_out() -> None:
    note = md("**Ask.** Which curve is taller, and why?", "notes")
    optional = md("## Going further · subnormals\n\nNot in the lecture.", "slide", ("going-further",))
    inside = md("Optional detail that no deck shows.", "-", ("going-further",))
    page = render_html(chapter(md("## Idea", "slide"), note, optional, inside))
    notes = re.findall(r'<aside class="notes">(.*?)</aside>', page, re.S)
    assert notes and "Which curve is taller" in notes[0]
    assert "subnormals" not in page and "Optional detail" not in page


def test_every_script_and_stylesheet_is_local_and_relative(html: str) -> None:
    urls = re.findall(r"<(?:script|link|img)\b[^>]*\b(?:src|href)=\"([^\"]+)\"", html)
    urls += re.findall(r"\bimport\b[^;]*?from\s+['\"]([^'\"]+)['\"]", html)
    urls += re.findall(r"\"(\S+\.js)\"", html)
    assert urls, "no asset URL found: the check would be empty"
    remote = [u for u in urls if re.match(r"(https?:)?//", u)]
    assert remote == [], f"assets loaded from the internet: {remote}"
    local = [u for u in urls if not u.startswith("data:")]
    assert all(u.startswith(f"{make_slides.VENDOR}/") for u in local), local
    for name in ("reveal.js/dist/reveal.js", "mathjax2/MathJax.js", "requirejs/require.js", "jquery/dist/jquery"):
        assert f"{make_slides.VENDOR}/{name}" in html


def test_the_deck_is_laid_out_for_1280_by_800(html: str) -> None:
    assert re.search(r"width:\s*1280,\s*height:\s*800", html)


def test_every_asset_the_decks_name_is_copied(tmp_path: Path) -> None:
    if not (make_slides.NODE_MODULES / "reveal.js").exists():
        # make test needs no npm; make test-slides (after make web-assets) runs this test by name
        pytest.skip("web/node_modules is not installed (make web-assets)")
    size = make_slides.copy_assets(tmp_path)
    assert size < 15_000_000, f"_vendor/ is {size / 1e6:.1f} MB: copy only what the decks need"
    (deck,) = make_slides.split_parts(make_slides.clean_cells(chapter(md("## x", "slide"))), "09_test")
    page = make_slides.render(deck)
    for url in re.findall(r"(?:src|href)=\"(_vendor/[^\"?]+)", page) + re.findall(r"\"(_vendor/\S+?\.js)\"", page):
        assert (tmp_path / url).is_file(), url
    for url in ("_vendor/mathjax2/config/TeX-AMS_CHTML-full.js", "_vendor/mathjax2/extensions/Safe.js"):
        assert (tmp_path / url).is_file(), url
    assert list((tmp_path / "_vendor/mathjax2/fonts/HTML-CSS/TeX/woff").glob("*.woff"))


def test_the_index_lists_every_deck_with_its_title(tmp_path: Path) -> None:
    for name, title in (("01_a.slides.html", "1 · A"), ("02_b-part1.slides.html", "2 · B — Part 1 · X")):
        (tmp_path / name).write_text(f"<html><head><title>{title} slides</title></head></html>", encoding="utf-8")
    index = make_slides.write_index(tmp_path).read_text(encoding="utf-8")
    assert '<a href="01_a.slides.html">1 · A</a>' in index
    assert '<a href="02_b-part1.slides.html">2 · B — Part 1 · X</a>' in index


@pytest.mark.parametrize("path", sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")), ids=lambda p: p.stem)
def test_every_chapter_splits_into_decks(path: Path) -> None:
    decks = make_slides.decks_of(path)
    assert decks
    for deck in decks:
        assert deck.notebook.cells[0].source.startswith("# ")
        assert not any("remove-cell" in c.metadata.get("tags", []) for c in deck.notebook.cells)


def test_help_documents_the_height_check() -> None:
    out = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "make_slides.py"), "--help"], capture_output=True, text=True, check=True
    ).stdout
    assert "--check" in out and "800" in out and "slide_lint.py" in out


def test_links_work_from_build_slides() -> None:
    page = (
        '<a href="../ERRATA.md">errata</a> <a href="07_em_1d.ipynb#the-e-step">ch 7</a> '
        '<a href="99_none.ipynb">no deck</a> <a href="#here">anchor</a> <a href="https://example.org">web</a> '
        '<link rel="stylesheet" href="_vendor/reveal.js/dist/reveal.css">'
    )
    root = os.path.relpath(ROOT, make_slides.DEFAULT_OUT)
    assert (make_slides.DEFAULT_OUT / root).resolve() == ROOT
    out = make_slides.relink(page, {"07_em_1d": "07_em_1d-part1.slides.html"}, root)
    assert f'<a href="{root}/ERRATA.md">' in out
    assert '<a href="07_em_1d-part1.slides.html#the-e-step">' in out
    assert f'<a href="{root}/notebooks/99_none.ipynb">' in out
    assert '<a href="#here">' in out and '<a href="https://example.org">' in out
    assert 'href="_vendor/reveal.js/dist/reveal.css"' in out
