"""The course website as a reader sees it: every page of ``build/site`` in headless Chromium.

Run by ``make test-site`` (which runs ``make site`` first). The folder is served on 127.0.0.1; every page
is loaded once (module fixture) and :func:`site_check.check_page` records its problems: requests to other
hosts (blocked), failed requests, console errors, images that did not load or have no real alt text,
untypeset TeX, empty widget views, and the axe-core audit. Links and ``#fragments`` are then resolved
against the files and ids of every page. ``test_site_negative_controls.py`` shows each check failing.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from lab import chromium, serve_folder
from players import check_players_on
from site_check import FAILING_IMPACTS, ROOT, PageReport, broken_links, check_page, pages_of

SITE = ROOT / "build" / "site"
PAGES = pages_of(SITE) if SITE.is_dir() else []
CHAPTERS = sorted(p.stem for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
#: Pages the site must have besides the chapters (the book root README is also index.html's target).
REQUIRED = ["README.html", "ERRATA.html", "HOMEWORK.html", "TEACHING.html", "site/api.html"]
#: Cells whose outputs the site does not show (MyST-NB's removal tags).
REMOVED = {"remove-cell", "remove-output"}


@pytest.fixture(scope="module")
def browser() -> Iterator[tuple[str, Any]]:
    """The site served on 127.0.0.1, and one headless Chromium for every test of the module."""
    if not (SITE / "index.html").is_file():
        pytest.fail(f"{SITE}/index.html is missing: run `make site` (make test-site does) first")
    with serve_folder(SITE) as base, chromium() as context:
        yield base, context


@pytest.fixture(scope="module")
def site(browser: tuple[str, Any]) -> tuple[str, dict[str, PageReport]]:
    """The served site and the :func:`check_page` report of every page."""
    base, context = browser
    return base, {page: check_page(context, base, page) for page in PAGES}


def test_the_site_has_every_chapter_and_page() -> None:
    """Every chapter and every required page was built."""
    missing = [p for p in [*(f"notebooks/{c}.html" for c in CHAPTERS), *REQUIRED] if p not in PAGES]
    assert not missing, f"pages missing from {SITE}: {missing}"


@pytest.mark.parametrize("page", PAGES)
def test_page_loads_cleanly(site: tuple[str, dict[str, PageReport]], page: str) -> None:
    """The page loads cleanly.

    No request to another host, no failed request, no console error, every image loaded with alt text, no
    untypeset TeX, no empty widget view.
    """
    _, reports = site
    problems = [p for p in reports[page].problems if not p.startswith("axe ")]
    assert not problems, f"{page}:\n  " + "\n  ".join(problems)


@pytest.mark.parametrize("page", PAGES)
def test_page_passes_the_accessibility_audit(site: tuple[str, dict[str, PageReport]], page: str) -> None:
    """axe-core: no violation of impact serious or critical (the others are printed by the summary)."""
    _, reports = site
    problems = [p for p in reports[page].problems if p.startswith("axe ")]
    assert not problems, f"{page}:\n  " + "\n  ".join(problems)


def test_every_internal_link_and_anchor_resolves(site: tuple[str, dict[str, PageReport]]) -> None:
    """Every link and anchor between the site's pages resolves, and the check found links."""
    base, reports = site
    broken = broken_links(reports, base, SITE)
    assert not broken, "\n".join(broken)
    assert sum(len(r.links) for r in reports.values()) > 100, "too few links found: is the check looking?"


def stored_figures(chapter: str) -> int:
    """The number of PNG outputs of a chapter's cells that the site shows.

    Those of the site edition (tools/editions.py: no output of an exercise cell), less the cells tagged
    remove-cell/-output.
    """
    import sys

    import nbformat

    sys.path.insert(0, str(ROOT / "tools"))
    from editions import edition

    source = nbformat.read(ROOT / "notebooks" / f"{chapter}.ipynb", as_version=4)
    nb = json.loads(nbformat.writes(edition(source, "site", f"{chapter}.ipynb")))
    count = 0
    for cell in nb["cells"]:
        if cell["cell_type"] != "code" or REMOVED & set(cell.get("metadata", {}).get("tags", [])):
            continue
        count += sum("image/png" in out.get("data", {}) for out in cell.get("outputs", []))
    return count


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_every_stored_figure_and_widget_picture_is_on_its_page(
    site: tuple[str, dict[str, PageReport]], chapter: str
) -> None:
    """The page shows as many output images as the notebook stores PNGs (widgets: their starting picture)."""
    _, reports = site
    report = reports[f"notebooks/{chapter}.html"]
    assert report.output_images == stored_figures(chapter) > 0, (
        f"{chapter}: {report.output_images} output images on the page, {stored_figures(chapter)} PNGs stored"
    )


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_the_chapter_s_maths_is_typeset(site: tuple[str, dict[str, PageReport]], chapter: str) -> None:
    """The chapter's page shows typeset maths."""
    _, reports = site
    assert reports[f"notebooks/{chapter}.html"].maths > 0, f"{chapter}: no MathJax output on the page"


#: The chapters' pages that hold kernel-free widget players (tools/static_widgets.py).
PLAYER_PAGES = [p for p in PAGES if p.startswith("notebooks/") and "mle-static-widget" in (SITE / p).read_text()]


def stored_widgets(chapter: str) -> int:
    """Widget outputs (a widget view with its picture) among the outputs the site shows of a chapter."""
    import nbformat

    sys.path.insert(0, str(ROOT / "tools"))
    from editions import WIDGET_VIEW, edition

    nb = edition(nbformat.read(ROOT / "notebooks" / f"{chapter}.ipynb", as_version=4), "site", f"{chapter}.ipynb")
    return sum(
        WIDGET_VIEW in out.get("data", {}) and "image/png" in out.get("data", {})
        for cell in nb.cells
        if cell.cell_type == "code" and not REMOVED & set(cell.get("metadata", {}).get("tags", []))
        for out in cell.get("outputs", [])
    )


def test_every_widget_is_a_player_on_its_page() -> None:
    """Each widget the chapters store is a kernel-free player on the site (and nothing else is)."""
    on_pages = {c: (SITE / f"notebooks/{c}.html").read_text().count('class="mle-static-widget"') for c in CHAPTERS}
    stored = {c: stored_widgets(c) for c in CHAPTERS}
    assert on_pages == stored and sum(stored.values()) >= 13, (
        f"players on the pages {on_pages}, widgets stored {stored}"
    )


@pytest.mark.parametrize("page", PLAYER_PAGES)
def test_every_player_moves_to_what_the_library_computes(browser: tuple[str, Any], page: str) -> None:
    """Every control of every player at its first, last and a middle value (and chapter 7's buttons).

    The readout is the live widget's for that state, the figure changes; no other host, no console error.
    """
    base, context = browser
    count, problems = check_players_on(context, f"{base}/{page}", page)
    assert count > 0 and not problems, "\n".join(problems)


def test_the_api_reference_documents_every_public_name(site: tuple[str, dict[str, PageReport]]) -> None:
    """The API reference documents every name of ``mle_lib.__all__`` and no private name."""
    import mle_lib

    _, reports = site
    ids = reports["site/api.html"].ids
    documented = {i.rsplit(".", 1)[-1] for i in ids if i.startswith("mle_lib.")}
    missing = sorted(set(mle_lib.__all__) - documented)
    assert not missing, f"not in the API reference: {missing}"
    private = sorted(i for i in ids if i.startswith("mle_lib.") and any(part.startswith("_") for part in i.split(".")))
    assert not private, f"private names in the API reference: {private}"


def test_the_public_site_shows_no_answer() -> None:
    """The leak test of tests/test_leaks.py on the built pages themselves.

    No exercise's answer, solution line or "correct" output on any page (the figures' alt text included).
    """
    import sys

    sys.path.insert(0, str(ROOT / "tools"))
    import leaks

    pages = [SITE / page for page in PAGES]
    found = leaks.scan(pages)
    assert pages and not found, "the public site shows answers:\n  " + "\n  ".join(str(x)[:260] for x in found[:40])
    lecturer = ROOT / "build" / "site-lecturer"
    if lecturer.is_dir():  # the same search finds the lecturer's site full of answers (make site-lecturer)
        caught = leaks.scan(sorted(lecturer.glob("notebooks/*.html")))
        assert {leak.secret.kind for leak in caught} >= {"verdict", "solution"}


def test_summary(site: tuple[str, dict[str, PageReport]], capsys: pytest.CaptureFixture[str]) -> None:
    """Printed (never fails): pages, images, maths, links checked, and axe's minor findings."""
    _, reports = site
    totals: dict[str, int] = {}
    minor: dict[str, int] = {}
    for report in reports.values():
        for impact, n in report.axe_counts.items():
            totals[impact] = totals.get(impact, 0) + n
        for line in report.minor:
            key = line.split(" at ", 1)[0]
            minor[key] = minor.get(key, 0) + 1
    lines = [
        f"site check: {len(reports)} pages, {sum(r.images for r in reports.values())} images "
        f"({sum(r.output_images for r in reports.values())} cell outputs), "
        f"{sum(r.maths for r in reports.values())} typeset formulas, "
        f"{sum(len(r.links) for r in reports.values())} links",
        f"axe-core nodes by impact: {totals or 'none'} (failing: {', '.join(FAILING_IMPACTS)})",
        *(f"  {n} page(s): {key}" for key, n in sorted(minor.items())),
    ]
    out = ROOT / "build" / "site-check.txt"
    out.write_text("\n".join(lines) + "\n")
    with capsys.disabled():
        print("\n" + "\n".join(lines))
    assert Path(out).exists()
