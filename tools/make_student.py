"""Generate the student edition (``make student``): the chapters with their solutions taken out.

Authors edit only ``notebooks/``; ``tools/editions.py`` says how solutions are marked and what the student
edition leaves out (every solution, every stored output, the regression and wiring checks; "predict, then
reveal" answers are folded into a closed ``<details>``). The result goes to ``student/`` under the same
file names, with a first cell saying what it is. ``tests/test_homework.py`` fails when ``student/`` is not
what this script makes from ``notebooks/``.

Usage: python tools/make_student.py [--check]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat
from editions import _LINE, edition, strip_code

__all__ = ["_LINE", "build", "strip_code", "student_edition"]

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "notebooks"
TARGET = ROOT / "student"


def student_edition(nb: nbformat.NotebookNode, name: str) -> nbformat.NotebookNode:
    """A new notebook: ``nb`` as the student edition (see ``tools/editions.py``)."""
    return edition(nb, "student", name)


def build() -> dict[Path, str]:
    """Every student notebook, as the text ``make student`` writes."""
    files = {}
    for path in sorted(SOURCE.glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        files[TARGET / path.name] = nbformat.writes(student_edition(nb, path.name)) + "\n"
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if student/ is out of date; write nothing")
    args = parser.parse_args(argv)
    files = build()
    stale = [p for p, text in files.items() if not p.exists() or p.read_text() != text]
    extra = [p for p in TARGET.glob("*.ipynb") if p not in files]
    if args.check:
        for p in stale + extra:
            print(f"out of date: {p.relative_to(ROOT)}")
        return 1 if stale or extra else 0
    TARGET.mkdir(exist_ok=True)
    for p in extra:
        p.unlink()
    for p, text in files.items():
        p.write_text(text)
    print(f"student edition: {len(files)} notebooks in {TARGET.relative_to(ROOT)}/ ({len(stale)} updated)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
