#!/usr/bin/env python3
"""Build offline reveal.js slide decks of the chapters from their stored outputs (nothing is executed).

    make slides                                   every chapter -> build/slides/
    .venv/bin/python tools/make_slides.py notebooks/07_em_1d.ipynb     one chapter (others are kept)
    .venv/bin/python tools/make_slides.py --check notebooks/07_em_1d.ipynb
                                                  build it, then list its slides taller than 1280x800
                                                  (and any other lint problem) in headless Chromium

Decks. One deck per lecture part: a Markdown cell tagged ``lecture-part`` (first line ``## Part K · title``)
starts part K. A chapter without parts gives ``NN_name.slides.html``; a chapter with parts gives
``NN_name-partK.slides.html``, each opening with the chapter's title slide (cell 0); the cells between
cell 0 and the first part (learning goals, setup) belong to part 1. ``build/slides/index.html`` lists
every deck with its title.

Editions. ``make slides`` builds the **public** decks (``--edition slides``, into ``build/slides/``): the
chapters as ``tools/editions.py`` makes them for slides, with the student's stubs in place of every solution,
no output of an exercise cell, reveals as fragments, and no code for cells that only draw a figure.
``make slides-lecturer`` builds the **lecturer's** decks (``--edition lecturer``, into
``build/slides-lecturer/``): ``notebooks/`` as it is, solutions and their "correct" outputs included.

What a deck shows. Cells with slide_type ``skip`` are left out (nbconvert), and so are cells tagged
``remove-cell`` (as on the site) and the optional sections, cells tagged ``going-further`` (the site keeps
them); cells of slide type ``notes`` become the slide's speaker notes (key ``s``); ``remove-input`` /
``remove-output`` tags hide a cell's input / outputs.
Each widget output becomes its kernel-free player (``tools/static_widgets.py``: the controls, the figure
and the readout, frames in ``_widgets/``); any other widget view is dropped from its display bundle, so
the deck shows its ``image/png``, and the notebook's widget state is dropped so no widget manager is loaded.

Offline. reveal.js 4.0.2, MathJax 2.7.7 (TeX-AMS_CHTML), require.js and jQuery come from
``web/node_modules`` (``make web-assets``, pinned by ``web/package-lock.json``); only the files a deck
needs (6 MB: MathJax 2 3.7 MB of its 71 MB, reveal.js 2.2 MB) are copied into ``build/slides/_vendor/``
and every deck refers to them by a relative URL, so ``build/slides/`` opens from disk (file://) or from
any static server with no request to the internet. The slide lint (``make test-slides``,
``browser_tests/slide_lint.py``) checks that.
"""

from __future__ import annotations

import argparse
import copy
import html
import os
import posixpath
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from itertools import takewhile
from pathlib import Path
from typing import TYPE_CHECKING

import nbformat
from editions import edition
from static_widgets import Players

if TYPE_CHECKING:  # nbconvert is imported when a deck is rendered
    from nbconvert import SlidesExporter

ROOT = Path(__file__).resolve().parents[1]
NODE_MODULES = ROOT / "web" / "node_modules"
DEFAULT_OUT = ROOT / "build" / "slides"
#: Where each edition's decks go by default, and what its index page says it is.
OUTS = {"slides": DEFAULT_OUT, "lecturer": ROOT / "build" / "slides-lecturer"}
INDEX_NOTE = {
    "slides": "The public decks: exercises appear as questions, with no solution and no check output.",
    "lecturer": "The <strong>lecturer's decks, with the exercises' solutions</strong>: for your own preparation, "
    "or to show the answers after the deadline. Publish <code>build/slides/</code> (make slides) to students, "
    "never these.",
}
TEMPLATE_DIR = Path(__file__).resolve().parent / "slides_template"
VENDOR = "_vendor"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
#: The size reveal.js lays a slide out at (and scales to the screen): a 1280x800 projector.
WIDTH, HEIGHT = 1280, 800
MATHJAX_CONFIG = "TeX-AMS_CHTML-full,Safe"
PART_RE = re.compile(r"^##\s*Part\s+(\d+)\s*·\s*(.+?)\s*$")
TITLE_RE = re.compile(r"^#\s+(.+?)\s*$")
#: The tag of every cell of an optional "Going further" section: in the notebooks and on the site, not in a deck.
GOING_FURTHER = "going-further"

#: (package folder in web/node_modules, paths inside it) copied into _vendor/. MathJax 2 is 71 MB whole;
#: a deck needs its loader, the TeX-AMS_CHTML-full config, the TeX input, the CommonHTML output with its
#: woff fonts, the element jax and the extensions (Safe, AMS, menus): 3.7 MB.
ASSETS: dict[str, tuple[str, ...]] = {
    "reveal.js": (
        "LICENSE",
        "dist/reveal.js",
        "dist/reveal.css",
        "dist/theme/white.css",
        "dist/theme/fonts/source-sans-pro",
        "plugin/notes",
    ),
    "mathjax2": (
        "LICENSE",
        "MathJax.js",
        f"config/{MATHJAX_CONFIG.split(',')[0]}.js",
        "config/Safe.js",
        "extensions",
        "jax/input/TeX",
        "jax/output/CommonHTML",
        "jax/element",
        "fonts/HTML-CSS/TeX/woff",
        "localization/en",
    ),
    "requirejs": ("require.js",),
    "jquery": ("LICENSE.txt", "dist/jquery.min.js"),
}


@dataclass
class Deck:
    """One deck to write: its file name, its title for the index, and the notebook it shows."""

    filename: str
    title: str
    notebook: nbformat.NotebookNode
    chapter: str


def first_line(cell: nbformat.NotebookNode) -> str:
    """The first non-blank line of the cell's source, stripped (empty for an empty cell)."""
    return cell.source.strip().splitlines()[0].strip() if cell.source.strip() else ""


def tags(cell: nbformat.NotebookNode) -> list[str]:
    """The cell's tags."""
    return list(cell.get("metadata", {}).get("tags", []))


def chapter_title(nb: nbformat.NotebookNode, fallback: str) -> str:
    """The chapter's title from its first Markdown cell's heading (``fallback`` without one)."""
    if nb.cells and nb.cells[0].cell_type == "markdown":
        match = TITLE_RE.match(first_line(nb.cells[0]))
        if match:
            return match.group(1)
    return fallback


def clean_cells(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy of ``nb`` without ``remove-cell`` or ``going-further`` cells, widget views or widget state.

    See the module's docstring.
    """
    nb = copy.deepcopy(nb)
    nb.metadata.pop("widgets", None)
    kept = []
    for cell in nb.cells:
        if "remove-cell" in tags(cell) or GOING_FURTHER in tags(cell):
            continue
        if cell.cell_type == "code":
            for output in cell.get("outputs", []):
                data = output.get("data")
                if data and WIDGET_VIEW in data and len(data) > 1:
                    del data[WIDGET_VIEW]
                elif data and WIDGET_VIEW in data:
                    # A widget with no stored picture: say so rather than draw an empty box.
                    output["data"] = {"text/plain": "(interactive widget: open the notebook in JupyterLab)"}
        kept.append(cell)
    nb.cells = kept
    return nb


def _is_note(cell: nbformat.NotebookNode) -> bool:
    return cell.get("metadata", {}).get("slideshow", {}).get("slide_type") == "notes"


def split_parts(nb: nbformat.NotebookNode, stem: str) -> list[Deck]:
    """One deck per ``lecture-part`` cell, each led by cell 0; or one deck when there are no parts.

    ``nb`` must already be cleaned (:func:`clean_cells`). Part numbers come from the ``## Part K · …``
    line; a ``lecture-part`` cell without that line is an error that names the cell.
    """
    title = chapter_title(nb, stem)
    starts: list[tuple[int, int, str]] = []
    for index, cell in enumerate(nb.cells):
        if "lecture-part" not in tags(cell):
            continue
        match = PART_RE.match(first_line(cell))
        if cell.cell_type != "markdown" or not match:
            raise ValueError(
                f"{stem}: cell {index} is tagged lecture-part but its first line is {first_line(cell)!r}, "
                "not '## Part K · title'"
            )
        starts.append((index, int(match.group(1)), match.group(2)))
    if not starts:
        return [Deck(f"{stem}.slides.html", title, nb, stem)]
    if starts[0][0] == 0:
        raise ValueError(f"{stem}: cell 0 is tagged lecture-part; cell 0 must be the chapter's title")
    decks = []
    for k, (start, number, part_title) in enumerate(starts):
        stop = starts[k + 1][0] if k + 1 < len(starts) else len(nb.cells)
        body = nb.cells[1 if k == 0 else start : stop]
        part = copy.deepcopy(nb)
        head = copy.deepcopy(nb.cells[0])
        head.setdefault("metadata", {}).setdefault("slideshow", {})["slide_type"] = "slide"
        # Later parts repeat the title slide with its speaker notes (the notes cells right after cell 0).
        notes = [] if k == 0 else copy.deepcopy(list(takewhile(_is_note, nb.cells[1:start])))
        part.cells = [head, *notes, *copy.deepcopy(body)]
        # The part's heading opens a slide of its own whatever its metadata says (a `-` would glue it to
        # the title slide or the previous part's last slide).
        opener = part.cells[1 + (start - 1 if k == 0 else len(notes))]
        slideshow = opener.metadata.setdefault("slideshow", {})
        if slideshow.get("slide_type") not in ("slide", "subslide"):
            slideshow["slide_type"] = "slide"
        decks.append(Deck(f"{stem}-part{number}.slides.html", f"{title} — Part {number} · {part_title}", part, stem))
    names = [d.filename for d in decks]
    if len(set(names)) != len(names):
        raise ValueError(f"{stem}: two lecture-part cells share a part number: {names}")
    return decks


def decks_of(path: Path, kind: str = "slides", players: Players | None = None) -> list[Deck]:
    """The decks of one chapter, as edition ``kind`` ("slides", the public decks, or "lecturer").

    With ``players``, each widget output is its kernel-free player (tools/static_widgets.py).
    """
    nb = edition(nbformat.read(path, as_version=4), kind, path.name)
    if players is not None:
        players.embed(nb, f"notebooks/{path.name}")
    return split_parts(clean_cells(nb), path.stem)


def exporter(prefix: str = VENDOR) -> SlidesExporter:
    """nbconvert's SlidesExporter on the course template with every asset URL relative to the deck."""
    from nbconvert import SlidesExporter
    from traitlets.config import Config

    c = Config()
    c.SlidesExporter.reveal_url_prefix = f"{prefix}/reveal.js"
    c.SlidesExporter.reveal_theme = "white"
    c.SlidesExporter.reveal_transition = "none"
    c.SlidesExporter.reveal_number = "c/t"
    c.SlidesExporter.reveal_width = str(WIDTH)
    c.SlidesExporter.reveal_height = str(HEIGHT)
    c.SlidesExporter.reveal_scroll = False
    c.SlidesExporter.mathjax_url = f"{prefix}/mathjax2/MathJax.js?config={MATHJAX_CONFIG}"
    c.SlidesExporter.require_js_url = f"{prefix}/requirejs/require.js"
    c.SlidesExporter.jquery_url = f"{prefix}/jquery/dist/jquery.min.js"
    c.SlidesExporter.exclude_input_prompt = True
    c.SlidesExporter.exclude_output_prompt = True
    c.SlidesExporter.extra_template_basedirs = [str(TEMPLATE_DIR.parent)]
    c.SlidesExporter.template_name = TEMPLATE_DIR.name
    c.TagRemovePreprocessor.enabled = True
    c.TagRemovePreprocessor.remove_cell_tags = {"remove-cell"}
    c.TagRemovePreprocessor.remove_input_tags = {"remove-input"}
    c.TagRemovePreprocessor.remove_all_outputs_tags = {"remove-output"}
    return SlidesExporter(config=c)


CHAPTER_LINK = re.compile(r'(<a\b[^>]*\bhref=")([^"#:]+?)(\.ipynb)?((?:#[^"]*)?")')


def relink(page: str, deck_names: dict[str, str], root: str) -> str:
    """Make a deck's links work from its folder.

    A link to a chapter goes to its first deck; any other relative link (written from ``notebooks/``, e.g.
    ``../ERRATA.md``) to that file in the checkout, whose root is ``root`` relative to the deck's folder.
    """

    def fix(m: re.Match[str]) -> str:
        start, target, ipynb, end = m.groups()
        if target.startswith(("/", VENDOR)) or target.endswith(".slides.html"):
            return m.group(0)
        if ipynb and Path(target).name in deck_names:
            return f"{start}{deck_names[Path(target).name]}{end}"
        return f"{start}{posixpath.join(root, posixpath.normpath('notebooks/' + target))}{ipynb or ''}{end}"

    return CHAPTER_LINK.sub(fix, page)


def render(
    deck: Deck,
    slides_exporter: SlidesExporter | None = None,
    deck_names: dict[str, str] | None = None,
    out: Path = DEFAULT_OUT,
) -> str:
    """The deck's HTML, to be written into ``out``; ``deck_names`` maps a chapter's stem to its first deck."""
    slides_exporter = slides_exporter or exporter()
    body, _ = slides_exporter.from_notebook_node(deck.notebook, resources={"metadata": {"name": deck.title}})
    return relink(body, deck_names or {}, Path(os.path.relpath(ROOT, out.resolve())).as_posix())


def copy_assets(out: Path, node_modules: Path = NODE_MODULES) -> int:
    """Copy the needed asset files into ``out/_vendor``; return their total size in bytes."""
    if not (node_modules / "reveal.js" / "dist" / "reveal.js").exists():
        raise SystemExit(f"{node_modules} has no reveal.js: run `make web-assets` (npm ci --prefix web) first")
    vendor = out / VENDOR
    shutil.rmtree(vendor, ignore_errors=True)
    for package, paths in ASSETS.items():
        for rel in paths:
            src = node_modules / package / rel
            dst = vendor / package / rel
            if not src.exists():
                raise SystemExit(f"missing asset {src}: run `make web-assets` again")
            dst.parent.mkdir(parents=True, exist_ok=True)
            if src.is_dir():
                shutil.copytree(src, dst)
            else:
                shutil.copy2(src, dst)
    return sum(f.stat().st_size for f in vendor.rglob("*") if f.is_file())


def write_index(out: Path, kind: str = "slides") -> Path:
    """``index.html``: every deck in ``out`` with its title (read back from the decks themselves)."""
    rows = []
    for deck in sorted(out.glob("*.slides.html")):
        match = re.search(r"<title>(.*?) slides</title>", deck.read_text(encoding="utf-8"), re.S)
        title = match.group(1).strip() if match else deck.stem
        rows.append(
            f'<li><a href="{html.escape(deck.name)}">{title}</a> <small>({html.escape(deck.name)})</small></li>'
        )
    page = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Slide decks · MLE and EM course</title>
<style>
body {{ font-family: sans-serif; max-width: 60em; margin: 2em auto; line-height: 1.5; font-size: 18px; }}
small {{ color: #555; }}
</style>
</head>
<body>
<h1>Slide decks</h1>
<p>One deck per lecture part, built from the chapters' stored outputs; everything works offline.
Keys: arrows or space to move, <kbd>s</kbd> speaker notes, <kbd>f</kbd> full screen, <kbd>Esc</kbd> overview.
Each widget is a kernel-free player of precomputed frames (the full live widget is in JupyterLab).</p>
<p>{INDEX_NOTE[kind]}</p>
<ul>
{chr(10).join(rows)}
</ul>
</body>
</html>
"""
    index = out / "index.html"
    index.write_text(page, encoding="utf-8")
    return index


def build(notebooks: list[Path], out: Path, *, clean: bool, kind: str = "slides") -> list[Path]:
    """Write the decks of ``notebooks`` (edition ``kind``) into ``out`` with assets, players and index; return them."""
    if clean and out.exists():
        for old in out.glob("*.slides.html"):
            old.unlink()
    out.mkdir(parents=True, exist_ok=True)
    copy_assets(out)
    slides_exporter = exporter()
    players = Players()
    chapters = {path: decks_of(path, kind, players) for path in notebooks}
    # Links between chapters go to a chapter's first deck: this build's, or one already in ``out``.
    deck_names: dict[str, str] = {}
    for built in sorted(out.glob("*.slides.html")):  # "-part1" sorts before "-part2" and ".slides"
        deck_names.setdefault(re.sub(r"(-part\d+)?\.slides\.html$", "", built.name), built.name)
    deck_names.update({path.stem: decks[0].filename for path, decks in chapters.items()})
    written = []
    for path, decks in chapters.items():
        stem = path.stem
        for old in list(out.glob(f"{stem}.slides.html")) + list(out.glob(f"{stem}-part*.slides.html")):
            old.unlink()
        for deck in decks:
            target = out / deck.filename
            target.write_text(render(deck, slides_exporter, deck_names, out), encoding="utf-8")
            written.append(target)
    players.write(out, f"make_slides ({kind})", clean=clean)  # the frames beside the decks
    write_index(out, kind)
    return written


def main(argv: list[str] | None = None) -> int:
    """Build (and with ``--check`` lint) the decks named on the command line; return the exit status."""
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__.split("\n\n", 1)[1]
        + "\nThe lint alone on decks already built: .venv/bin/python browser_tests/slide_lint.py "
        "build/slides/07_em_1d*.slides.html (needs the browser extra and /usr/bin/chromium).",
    )
    parser.add_argument(
        "notebooks",
        nargs="*",
        type=Path,
        help="chapters to build (default: every chapter in notebooks/; other decks in --out are kept)",
    )
    parser.add_argument(
        "--edition",
        choices=sorted(OUTS),
        default="slides",
        help="slides: the public decks (stubs, no solutions; default); lecturer: notebooks/ as it is, with solutions",
    )
    parser.add_argument(
        "--out", type=Path, help="output folder (default: build/slides; build/slides-lecturer for the lecturer's)"
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="after building, run the slide lint on these decks in headless Chromium and list every slide "
        "taller than 800 px at 1280x800 (and raw TeX, missing images, external requests, console errors); "
        "exit 1 if any",
    )
    parser.add_argument(
        "--plan",
        action="store_true",
        help="build nothing: print each deck's lecture plan (slides, widgets, predictions, coding stops and the "
        "estimated minutes, tools/lecture_plan.py) and exit 1 if a part runs over 50 minutes",
    )
    args = parser.parse_args(argv)
    if args.plan:
        import lecture_plan  # it imports this module: load it only when asked

        return lecture_plan.main([str(p) for p in args.notebooks])
    args.out = args.out or OUTS[args.edition]
    notebooks = args.notebooks or sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    for path in notebooks:
        if path.suffix != ".ipynb" or not path.is_file():
            parser.error(f"notebooks: {path} is not an .ipynb file")
    start = time.perf_counter()
    try:
        written = build(notebooks, args.out, clean=not args.notebooks, kind=args.edition)
    except ValueError as exc:
        parser.exit(2, f"make_slides.py: error: {exc}\n")
    seconds = time.perf_counter() - start
    print(f"{args.edition} edition: {len(written)} decks from {len(notebooks)} notebooks in {seconds:.1f} s")
    print(f"  -> {args.out}/")
    for path in written:
        print(f"  {path.relative_to(args.out) if path.is_relative_to(args.out) else path}")
    if args.check:
        lint = ROOT / "browser_tests" / "slide_lint.py"
        return subprocess.call([sys.executable, str(lint), *map(str, written)])
    return 0


if __name__ == "__main__":
    sys.exit(main())
