#!/usr/bin/env python3
r"""The slide lint: every slide of a reveal.js deck, in headless Chromium at 1280x800, checked.

    .venv/bin/python browser_tests/slide_lint.py build/slides/07_em_1d*.slides.html
    .venv/bin/python browser_tests/slide_lint.py --no-screenshots build/slides/*.slides.html

Used by ``make test-slides`` (``browser_tests/test_slide_decks.py``) and by
``tools/make_slides.py --check``. Prints one line per problem and exits 1 if there is any.

The deck's folder is served by a local HTTP server on 127.0.0.1 (a free port); every request the page
makes is recorded, and any request to another host is a problem (it is also aborted, so the lint never
waits for the internet). For each deck, after reveal.js is ready and MathJax 2 has finished typesetting,
every slide and sub-slide is visited through the Reveal API (``Reveal.slide(h, v)``, then
``Reveal.nextFragment()`` until every fragment is shown), MathJax's queue is drained again, and:

* height: the slide's content height on screen is ``section.scrollHeight × Reveal.getScale()``
  (reveal.js lays a slide out at 1280x800 and scales it by ``getScale()`` to fit the window; the decks
  use no reveal margin, so the scale is 1 at a 1280x800 viewport, and ``scrollHeight`` counts content
  that overflows the section); a slide is too tall when that exceeds 800 px or its bottom
  (``section.getBoundingClientRect().top`` + that height) falls below the window;
* fragments: every fragment must be shown (``.visible``) after ``nextFragment()`` ran out;
* images: an ``<img>`` that is complete with ``naturalWidth == 0`` did not load;
* TeX: after MathJax finished, the slide's visible text outside code (``pre``, ``code``, the code-cell
  inputs) must not contain raw TeX: ``$…$``, ``\(``, ``\[``, ``\begin{``, ``\frac`` and the like; a
  MathJax error box (``.mjx-merror`` / ``.MathJax_Error``) counts too;
  a formula MathJax typeset but drew with zero width (blank maths) counts too;
* console: any console error or uncaught page error; any failed request or HTTP status ≥ 400 (a missing
  vendored asset shows up here).

A screenshot of every slide (all fragments shown) is written to ``build/slides-screenshots/DECK/NN.png``.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

from lab import ROOT, chromium, serve_folder, watch_page

VIEWPORT = {"width": 1280, "height": 800}
MAX_HEIGHT = 800
SCREENSHOTS = ROOT / "build" / "slides-screenshots"
#: Raw TeX that MathJax should have typeset (checked outside code blocks only).
RAW_TEX = re.compile(
    r"\$[^$\s][^$\n]*\$|\\\(|\\\)|\\\[|\\\]|\\begin\{|\\end\{|\\(?:frac|hat|sum|prod|log|mu|sigma|theta|lambda|mathbb|mathrm|text)\b"
)

_SLIDES_JS = """
() => Reveal.getSlides().map(s => {
  const i = Reveal.getIndices(s);
  return {h: i.h, v: i.v === undefined ? 0 : i.v};
})
"""

_SHOW_JS = """
async ([h, v]) => {
  Reveal.slide(h, v);
  let guard = 0;
  while (Reveal.availableFragments().next && guard++ < 200) { Reveal.nextFragment(); }
  const frame = () => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  const slide = Reveal.getCurrentSlide();
  const blank = () => Array.from(slide.querySelectorAll('.MathJax_CHTML'))
    .filter(e => !e.closest('aside.notes') && e.getBoundingClientRect().width === 0).length;
  // The deck typesets its maths once, before courseSlidesReady; wait anyway until MathJax's queue is
  // empty, the fonts are in and no formula is drawn with zero width, at most 5 s (then: blank maths).
  for (let t = 0; t < 50; t++) {
    if (window.MathJax && MathJax.Hub) { await new Promise(r => MathJax.Hub.Queue(r)); }
    void slide.offsetHeight;
    await frame();
    await document.fonts.ready;
    if (blank() === 0) break;
    await new Promise(r => setTimeout(r, 100));
  }
  const imgs = Array.from(Reveal.getCurrentSlide().querySelectorAll('img'));
  const pending = imgs.filter(i => !i.complete);
  await Promise.all(pending.map(i => new Promise(r => { i.onload = r; i.onerror = r; })));
  if (pending.length) { await frame(); }
}
"""

_MEASURE_JS = r"""
() => {
  const s = Reveal.getCurrentSlide();
  const scale = Reveal.getScale();
  const rect = s.getBoundingClientRect();
  const height = s.scrollHeight * scale;
  const clone = s.cloneNode(true);
  clone.querySelectorAll('pre, code, .jp-CodeCell .jp-InputArea, script, .MathJax, .MathJax_CHTML, .mjx-chtml, '
    + '.MathJax_Preview, .MathJax_Display, aside.notes').forEach(e => e.remove());
  // The slide's first text, for the report: the first heading, paragraph, item or code block, with
  // each formula written back as its TeX source.
  const named = s.cloneNode(true);
  named.querySelectorAll('script[type^="math/tex"]').forEach(e => e.replaceWith('$' + e.textContent + '$'));
  named.querySelectorAll('.MathJax, .MathJax_CHTML, .mjx-chtml, .MathJax_Preview, .MathJax_Display, '
    + 'aside.notes, a.anchor-link').forEach(e => e.remove());
  const firstBlock = Array.from(named.querySelectorAll('h1, h2, h3, h4, h5, h6, p, li, pre, td'))
    .map(e => e.textContent.replace(/\s+/g, ' ').trim()).filter(t => t)[0];
  return {
    scale: scale,
    height: height,
    bottom: rect.top + height,
    top: rect.top,
    innerHeight: window.innerHeight,
    first: firstBlock || '(no text)',
    plain: clone.textContent || '',
    brokenImages: Array.from(s.querySelectorAll('img'))
      .filter(i => i.complete && i.naturalWidth === 0)
      .map(i => (i.getAttribute('src') || '').slice(0, 60)),
    texErrors: s.querySelectorAll('.mjx-merror, .MathJax_Error, merror').length,
    hiddenFragments: s.querySelectorAll('.fragment:not(.visible)').length,
    blankMaths: Array.from(s.querySelectorAll('.MathJax_CHTML'))
      .filter(e => !e.closest('aside.notes') && e.getBoundingClientRect().width === 0).length,
  };
}
"""

#: One round trip per slide: show it (all fragments, maths and images done), then measure it.
_SHOW_AND_MEASURE_JS = f"""
async (hv) => {{
  await ({_SHOW_JS.strip()})(hv);
  return ({_MEASURE_JS.strip()})();
}}
"""


@dataclass
class SlideReport:
    """What the lint found on one slide: its place (index, h/v), first text, height and problems."""

    index: int
    h: int
    v: int
    first_text: str
    height: float
    problems: list[str] = field(default_factory=list)


@dataclass
class DeckReport:
    """What the lint found in one deck: its slides, deck-wide problems and requests to other hosts."""

    deck: str
    slides: list[SlideReport] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    external_requests: list[str] = field(default_factory=list)

    def all_problems(self) -> list[str]:
        """Every problem of the deck as one line each, with the deck's name and the slide's place."""
        out = [f"{self.deck}: {p}" for p in self.problems]
        out += [f"{self.deck}: request to another host: {u}" for u in self.external_requests]
        for s in self.slides:
            out += [f"{self.deck} slide {s.index} ({s.h}/{s.v}) «{s.first_text[:70]}»: {p}" for p in s.problems]
        return out

    def too_tall(self) -> list[SlideReport]:
        """The slides reported as too tall."""
        return [s for s in self.slides if any(p.startswith("too tall") for p in s.problems)]


def lint_deck(context: Any, base_url: str, deck: Path, *, screenshots: Path | None = SCREENSHOTS) -> DeckReport:
    """Open ``deck`` (a file in the served folder) in a new page of ``context`` and check every slide."""
    report = DeckReport(deck.name)
    local = urlsplit(base_url).netloc
    page = context.new_page()
    page.set_viewport_size(VIEWPORT)
    page.set_default_timeout(30_000)

    def external(url: str) -> None:
        if url not in report.external_requests:
            report.external_requests.append(url)

    watch_page(page, local, report.problems.append, external)
    try:
        page.goto(base_url.rstrip("/") + "/" + quote(deck.name), wait_until="load")
        try:
            page.wait_for_function("window.courseSlidesReady === true", timeout=60_000)
        except Exception as exc:
            report.problems.append(f"reveal.js/MathJax never became ready: {type(exc).__name__}")
            return report
        page.evaluate("Reveal.configure({transition: 'none', backgroundTransition: 'none'})")
        if screenshots is not None:
            folder = screenshots / deck.name.removesuffix(".slides.html")
            folder.mkdir(parents=True, exist_ok=True)
            for old in folder.glob("*.png"):
                old.unlink()
        for index, pos in enumerate(page.evaluate(_SLIDES_JS)):
            m = page.evaluate(_SHOW_AND_MEASURE_JS, [pos["h"], pos["v"]])
            slide = SlideReport(index, pos["h"], pos["v"], m["first"], m["height"])
            if m["height"] > MAX_HEIGHT + 0.5 or m["bottom"] > m["innerHeight"] + 0.5:
                slide.problems.append(
                    f"too tall: {m['height']:.0f} px on screen (scale {m['scale']:.3f}, bottom at "
                    f"{m['bottom']:.0f} px of {m['innerHeight']})"
                )
            if m["brokenImages"]:
                slide.problems.append(f"image did not load: {m['brokenImages']}")
            raw = RAW_TEX.findall(m["plain"])
            if raw:
                slide.problems.append(f"raw TeX left untypeset: {raw[:3]}")
            if m["hiddenFragments"]:
                slide.problems.append(f"{m['hiddenFragments']} fragment(s) still hidden after showing all")
            if m["texErrors"]:
                slide.problems.append(f"{m['texErrors']} MathJax error(s)")
            if m["blankMaths"]:
                slide.problems.append(f"{m['blankMaths']} typeset formula(s) drawn with zero width")
            if screenshots is not None:
                page.screenshot(path=str(folder / f"{index:02d}.png"))
            report.slides.append(slide)
        if not report.slides:
            report.problems.append("the deck has no slides")
    finally:
        page.close()
    return report


def lint_decks(decks: list[Path], *, screenshots: Path | None = SCREENSHOTS) -> list[DeckReport]:
    """Lint decks that live in one folder (served once)."""
    folders = {d.resolve().parent for d in decks}
    reports = []
    with chromium() as context:
        for folder in sorted(folders):
            with serve_folder(folder) as base_url:
                for deck in decks:
                    if deck.resolve().parent == folder:
                        reports.append(lint_deck(context, base_url, deck, screenshots=screenshots))
    return reports


def main(argv: list[str] | None = None) -> int:
    """Lint the decks named on the command line; exit status 1 if any has a problem."""
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__
    )
    parser.add_argument("decks", nargs="+", type=Path, help="*.slides.html files (build them with make slides)")
    parser.add_argument("--no-screenshots", action="store_true", help="do not write build/slides-screenshots/")
    args = parser.parse_args(argv)
    for deck in args.decks:
        if not deck.is_file():
            parser.error(f"decks: {deck} does not exist (run make slides first)")
    reports = lint_decks(args.decks, screenshots=None if args.no_screenshots else SCREENSHOTS)
    problems = [p for r in reports for p in r.all_problems()]
    for r in reports:
        tallest = max((s.height for s in r.slides), default=0)
        print(f"{r.deck}: {len(r.slides)} slides, tallest {tallest:.0f} px, {len(r.too_tall())} too tall")
    for p in problems:
        print("  " + p)
    print("OK: no problem" if not problems else f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
