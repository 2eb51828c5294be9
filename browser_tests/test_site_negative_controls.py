"""The site check can fail: tiny broken pages, served and checked exactly like the course website, are reported.

Each page below breaks one rule (a broken link, a missing anchor, a request to another host, an image
without alt text or with a file name for alt text, a missing image, untypeset TeX, a console error, low
colour contrast, a skipped heading level). ``good.html`` breaks none and must pass, so the checks are not
simply failing everything.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from lab import chromium, serve_folder
from site_check import PageReport, broken_links, check_page

# A 1×1 PNG.
PIXEL = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg=="
)


def page(title: str, body: str) -> str:
    """A minimal valid HTML page with ``title`` and ``body``."""
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title}</title></head>'
        f"<body><main><h1>{title}</h1>{body}</main></body></html>"
    )


PAGES = {
    "good.html": page(
        "Good",
        '<h2 id="section">A section</h2><p><a href="other.html">other</a> · <a href="#section">here</a> · '
        '<a href="other.html#target">there</a></p><img src="pixel.png" alt="A one-pixel test image, black">',
    ),
    "other.html": page("Other", '<h2 id="target">Target</h2><p><a href="good.html">back</a></p>'),
    "broken_link.html": page("Broken link", '<p><a href="missing.html">a page that is not there</a></p>'),
    "broken_anchor.html": page("Broken anchor", '<p><a href="other.html#no-such-id">a missing anchor</a></p>'),
    "external.html": page(
        "External", '<img src="https://cdn.example.org/figure.png" alt="A figure served by another host">'
    ),
    "no_alt.html": page("No alt", '<img src="pixel.png">'),
    "filename_alt.html": page("File name alt", '<img src="_images/pixel.png" alt="_images/pixel.png">'),
    "missing_image.html": page("Missing image", '<img src="nope.png" alt="A figure whose file is missing">'),
    "tex.html": page("TeX", r"<p>The MLE is \(\hat p = k/n\), and its variance $p(1-p)/n$.</p>"),
    "console_error.html": page("Console error", "<script>undefinedFunction();</script><p>text</p>"),
    "heading_skip.html": page("Heading skip", "<h4>From h1 straight to h4</h4><p>text</p>"),
    "low_contrast.html": page("Low contrast", '<p style="color:#c8c8c8;background:#ffffff">hard to read</p>'),
}


@pytest.fixture(scope="module")
def context() -> Iterator[Any]:
    """A headless Chromium context for this module's pages."""
    with chromium() as browser_context:
        yield browser_context


@pytest.fixture(scope="module")
def fixture_site(
    tmp_path_factory: pytest.TempPathFactory, context: Any
) -> Iterator[tuple[Path, str, dict[str, PageReport]]]:
    """The control pages served from a temporary folder: (folder, base URL, report of every page)."""
    folder = tmp_path_factory.mktemp("site-controls")
    for name, html in PAGES.items():
        (folder / name).write_text(html)
    (folder / "pixel.png").write_bytes(PIXEL)
    (folder / "_images").mkdir()
    (folder / "_images" / "pixel.png").write_bytes(PIXEL)
    with serve_folder(folder) as base:
        yield folder, base, {name: check_page(context, base, name) for name in PAGES}


def test_a_good_page_passes(fixture_site: tuple[Path, str, dict[str, PageReport]]) -> None:
    """The good page has no problem and no broken link."""
    folder, base, reports = fixture_site
    assert reports["good.html"].problems == []
    assert broken_links({"good.html": reports["good.html"]}, base, folder) == []


@pytest.mark.parametrize(
    ("name", "reported"),
    [
        ("broken_link.html", "missing.html does not exist"),
        ("broken_anchor.html", "#no-such-id is not an id of other.html"),
    ],
)
def test_a_broken_link_is_reported(
    fixture_site: tuple[Path, str, dict[str, PageReport]], name: str, reported: str
) -> None:
    """Each broken link of the control pages is reported with its cause."""
    folder, base, reports = fixture_site
    broken = broken_links({name: reports[name]}, base, folder)
    assert any(reported in line for line in broken), broken
    print(f"{name}: {broken}")


@pytest.mark.parametrize(
    ("name", "reported"),
    [
        ("external.html", "request to another host: https://cdn.example.org/figure.png"),
        ("no_alt.html", "no_alt.html: image pixel.png (under “No alt”) has no alt attribute"),
        ("no_alt.html", "axe critical: image-alt"),
        ("filename_alt.html", "has a file name for alt text"),
        ("missing_image.html", "missing_image.html: image nope.png (under “Missing image”) did not load"),
        ("missing_image.html", "HTTP 404"),
        ("tex.html", r"untypeset TeX: …The MLE is \(\hat p"),
        ("tex.html", "and its variance $p(1-p)/n$"),
        ("console_error.html", "undefinedFunction is not defined"),
        ("low_contrast.html", "axe serious: color-contrast"),
        ("heading_skip.html", "heading-order"),
    ],
)
def test_a_broken_page_is_reported(
    fixture_site: tuple[Path, str, dict[str, PageReport]], name: str, reported: str
) -> None:
    """Each broken page is reported with its problem."""
    _, _, reports = fixture_site
    problems = reports[name].problems
    assert any(reported in line for line in problems), problems
    print(f"{name}: {[p for p in problems if reported in p]}")


# --------------------------------------------------------------------------------------------------
# Kernel-free players that must fail the player check (browser_tests/players.py)
# --------------------------------------------------------------------------------------------------
def _player_page(folder: Path, name: str, *, same_image: bool = False, wrong_readout: bool = False) -> str:
    """A page with chapter 2's player (its real frames from the build's cache), broken on purpose."""
    import json
    import shutil
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
    from static_widgets import ASSETS, FOLDER, Players, player_html

    players = Players()
    meta = players.meta("binomial_explorer")
    frames = folder / FOLDER / meta["name"]
    frames.mkdir(parents=True, exist_ok=True)
    for asset in ASSETS:
        shutil.copy2(asset, folder / FOLDER / asset.name)
    pngs = sorted((players.folder / meta["name"]).glob("*.png"))
    for png in pngs:
        shutil.copy2(pngs[meta["start"]] if same_image else png, frames / png.name)
    if wrong_readout:  # every readout one frame off: the text of k − 1 shown at k
        texts = [f[1] for f in meta["frames"]]
        meta = json.loads(json.dumps(meta))
        for i, f in enumerate(meta["frames"]):
            f[1] = texts[i - 1]
    path = folder / name
    path.write_text(page("Player", player_html(meta, "control")))
    return name


@pytest.mark.parametrize(
    ("broken", "reported"),
    [({}, None), ({"same_image": True}, "the figure did not change"), ({"wrong_readout": True}, "the library says")],
    ids=["intact-passes", "same-image", "wrong-readout"],
)
def test_a_broken_player_fails_the_player_check(
    context: Any, tmp_path: Path, broken: dict[str, bool], reported: str | None
) -> None:
    """The player check passes chapter 2's intact player and fails a broken one.

    Broken: one image for every frame, or every readout one frame off.
    """
    from players import check_players_on

    name = _player_page(tmp_path, "player.html", **broken)
    with serve_folder(tmp_path) as base:
        count, problems = check_players_on(context, f"{base}/{name}", name)
    assert count == 1
    if reported is None:
        assert problems == [], problems
    else:
        assert any(reported in p for p in problems), problems
    print(f"{broken}: {problems[:2]}")
