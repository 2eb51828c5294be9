"""Build the course website into ``build/site/`` (``make site``) and print its build time, page count and size.

Two editions (``tools/editions.py``). ``make site`` builds the **public** site (``--edition site``): every
chapter as a student sees it — the stubs in place of every solution, no output of an exercise cell, "predict,
then reveal" answers folded into a closed ``<details>`` — with the chapters' stored figures and numbers.
``make site-lecturer`` builds the **lecturer's** site (``--edition lecturer``, into ``build/site-lecturer/``):
``notebooks/`` as it is, solutions included. Only the public one is to be published.

The site is Jupyter Book 1 (``site/_config.yml``, ``site/_toc.yml``). Its book root is a copy of the
repository's tracked files in ``build/jb-<edition>/src/`` with ``notebooks/`` replaced by the edition, so
the chapters' ``../ERRATA.md`` links resolve and no author's notebook is read. The notebooks are never
executed: the pages show the outputs stored in ``notebooks/``, which nbval already checks. Every warning is
an error (``-W --keep-going``: all of them are listed, then the build fails), and every document is re-read
(``--all``), because an incremental build does not repeat the warnings of unchanged pages.

MathJax 3 is served from the site itself: ``web/node_modules/mathjax`` (installed by ``make web-assets``
from ``web/package-lock.json``) is copied to ``_static/mathjax/`` after Sphinx has written the pages. It is
not put into a ``html_static_path`` folder on purpose: Jupyter Book adds every ``.js`` file found there to
every page.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import nbformat
from editions import edition, without_speaker_notes
from static_widgets import Players

ROOT = Path(__file__).resolve().parents[1]
SITE_CONFIG = ROOT / "site"
OUT = ROOT / "build" / "site"
OUTS = {"site": OUT, "lecturer": ROOT / "build" / "site-lecturer"}
MATHJAX = ROOT / "web" / "node_modules" / "mathjax" / "es5"
#: What the page loads (``mathjax_path`` in site/_config.yml, relative to ``_static/``) and what that
#: script fetches itself: the CHTML fonts. ``tex-chtml-full.js`` already holds every TeX extension.
MATHJAX_FILES = ("tex-chtml-full.js", "output/chtml/fonts/woff-v2")


def human(n_bytes: int) -> str:
    """``n_bytes`` in B, kB, MB or GB (powers of 1000), e.g. ``1.5 MB``."""
    size = float(n_bytes)
    for unit in ("B", "kB", "MB", "GB"):
        if size < 1000 or unit == "GB":
            return f"{size:.1f} {unit}" if unit != "B" else f"{int(size)} B"
        size /= 1000
    raise AssertionError("unreachable")


def copy_mathjax(out: Path) -> None:
    """Copy the MathJax files the pages load into ``out/_static/mathjax``."""
    if not MATHJAX.is_dir():
        raise SystemExit(f"{MATHJAX} is missing: run `make web-assets` (npm ci --prefix web) first")
    target = out / "_static" / "mathjax"
    for rel in MATHJAX_FILES:
        src, dst = MATHJAX / rel, target / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        if src.is_dir():
            shutil.copytree(src, dst, dirs_exist_ok=True)
        else:
            shutil.copy2(src, dst)


def stage(kind: str, work: Path, players: Players | None = None) -> Path:
    """The book root of edition ``kind``: the repository's tracked files, ``notebooks/`` as that edition.

    With ``players``, each widget output is replaced by its kernel-free player (tools/static_widgets.py).
    """
    src = work / "src"
    if src.exists():
        shutil.rmtree(src)
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, check=True, capture_output=True).stdout
    for name in filter(None, listed.decode().split("\0")):
        rel = Path(name)
        if rel.parts[0] in ("student", "notebooks") or not (ROOT / rel).is_file():
            continue
        (src / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / rel, src / rel)
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        # Speaker notes are for the decks; the lecturer's site reads like the public one.
        nb = without_speaker_notes(edition(nbformat.read(path, as_version=4), kind, path.name))
        if players is not None:
            players.embed(nb, f"notebooks/{path.name}")
        (src / "notebooks").mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, src / "notebooks" / path.name)
    return src


def build(out: Path = OUT, kind: str = "site") -> int:
    """Build edition ``kind`` of the site into ``out`` with Jupyter Book; return the exit status."""
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    work = ROOT / "build" / f"jb-{kind}"
    start = time.perf_counter()
    players = Players()
    src = stage(kind, work, players)
    command = [
        str(jupyter_book),
        "build",
        str(src),
        "--config",
        str(src / "site" / "_config.yml"),
        "--toc",
        str(src / "site" / "_toc.yml"),
        "--path-output",
        str(work),
        "--builder",
        "html",
        "--all",
        "--warningiserror",
        "--keep-going",
    ]
    done = subprocess.run(command, cwd=src, check=False, env={**os.environ, "PYTHONPATH": ""})
    if done.returncode != 0:
        print("make site: the build failed (every warning is an error); the warnings are listed above")
        return done.returncode
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(work / "_build" / "html", out)
    copy_mathjax(out)
    players.write(out / "notebooks", "make site")  # the frames beside the chapters' pages
    seconds = time.perf_counter() - start
    pages = sorted(p for p in out.rglob("*.html") if "_static" not in p.parts and "_sources" not in p.parts)
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    where = out.relative_to(ROOT)
    print(f"make site: built the {kind} edition in {where}/ in {seconds:.1f} s: {len(pages)} pages, {human(size)}")
    print(f"make site: open {out.relative_to(ROOT)}/index.html, or serve it: python -m http.server -d {out}")
    return 0


def main() -> int:
    """Build the edition named on the command line; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "--edition",
        choices=sorted(OUTS),
        default="site",
        help="site: the public site, no solutions (default); lecturer: notebooks/ as it is, with solutions",
    )
    parser.add_argument("--out", type=Path, help="output folder (default: build/site, or build/site-lecturer)")
    args = parser.parse_args()
    return build((args.out or OUTS[args.edition]).resolve(), args.edition)


if __name__ == "__main__":
    raise SystemExit(main())
