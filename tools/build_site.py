"""Build the course website into ``build/site/`` (``make site``) and print its build time, page count and size.

The site is Jupyter Book 1 (``site/_config.yml``, ``site/_toc.yml``; book root = the repository, so the
chapters' ``../ERRATA.md`` links resolve). The notebooks are never executed: the pages show the outputs
stored in ``notebooks/``, which nbval already checks. Every warning is an error (``-W --keep-going``: all
of them are listed, then the build fails), and every document is re-read (``--all``), because an
incremental build does not repeat the warnings of unchanged pages.

MathJax 3 is served from the site itself: ``web/node_modules/mathjax`` (installed by ``make web-assets``
from ``web/package-lock.json``) is copied to ``_static/mathjax/`` after Sphinx has written the pages. It is
not put into a ``html_static_path`` folder on purpose: Jupyter Book adds every ``.js`` file found there to
every page.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SITE_CONFIG = ROOT / "site"
WORK = ROOT / "build" / "jb"
OUT = ROOT / "build" / "site"
MATHJAX = ROOT / "web" / "node_modules" / "mathjax" / "es5"
#: What the page loads (``mathjax_path`` in site/_config.yml, relative to ``_static/``) and what that
#: script fetches itself: the CHTML fonts. ``tex-chtml-full.js`` already holds every TeX extension.
MATHJAX_FILES = ("tex-chtml-full.js", "output/chtml/fonts/woff-v2")


def human(n_bytes: int) -> str:
    size = float(n_bytes)
    for unit in ("B", "kB", "MB", "GB"):
        if size < 1000 or unit == "GB":
            return f"{size:.1f} {unit}" if unit != "B" else f"{int(size)} B"
        size /= 1000
    raise AssertionError("unreachable")


def copy_mathjax(out: Path) -> None:
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


def build(out: Path = OUT) -> int:
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    command = [
        str(jupyter_book),
        "build",
        str(ROOT),
        "--config",
        str(SITE_CONFIG / "_config.yml"),
        "--toc",
        str(SITE_CONFIG / "_toc.yml"),
        "--path-output",
        str(WORK),
        "--builder",
        "html",
        "--all",
        "--warningiserror",
        "--keep-going",
    ]
    start = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, check=False)
    if done.returncode != 0:
        print("make site: the build failed (every warning is an error); the warnings are listed above")
        return done.returncode
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(WORK / "_build" / "html", out)
    copy_mathjax(out)
    seconds = time.perf_counter() - start
    pages = sorted(p for p in out.rglob("*.html") if "_static" not in p.parts and "_sources" not in p.parts)
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    print(f"make site: built {out.relative_to(ROOT)}/ in {seconds:.1f} s: {len(pages)} pages, {human(size)}")
    print(f"make site: open {out.relative_to(ROOT)}/index.html, or serve it: python -m http.server -d {out}")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--out", type=Path, default=OUT, help="output folder (default: build/site)")
    return build(parser.parse_args().out.resolve())


if __name__ == "__main__":
    raise SystemExit(main())
