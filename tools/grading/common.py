"""What the grader's modules share: paths, statuses and points, the seed hook, the sandbox's library copy."""

from __future__ import annotations

import ast
import compileall
import re
import shutil
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
STUDENT = ROOT / "student"

#: What a row of grades.csv can say about an exercise.
STATUSES = ("correct", "wrong", "unanswered", "ungraded")

#: Points of an exercise by status; every exercise is worth :data:`MAX_POINTS`. The one place to change them.
POINTS = {"correct": 1, "wrong": 0, "unanswered": 0, "ungraded": 0}
MAX_POINTS = 1


def points(status: str) -> int:
    return POINTS.get(status, 0)


def seed_for(student: str, exercise: str) -> int:
    """The seed of ``student``'s test cases of function exercise ``exercise``.

    For now every student gets the exercise's own cases (:func:`mle_lib.homework.case_seed`, what ``check``
    uses in the student's notebook). Per-student variants replace this hook, and only this hook: the grader
    writes the cases it draws from this seed for the kernel, and judges with the same seed.
    """
    from mle_lib.homework import case_seed

    return case_seed(exercise)


_CHAPTER_MODULE = re.compile(r"^ch\d\d\.py$")


def _imported_names(module: str) -> set[str]:
    """Names the chapters import from ``mle_lib.homework.<module>`` (``from … import READINGS``)."""
    names: set[str] = set()
    pattern = re.compile(rf"from\s+mle_lib\.homework\.{module}\s+import\s+([\w, ()]+)")
    for path in sorted(NOTEBOOKS.glob("*.ipynb")):
        for m in pattern.finditer(path.read_text(encoding="utf-8").replace("\\n", "\n")):
            names.update(n.strip() for n in m[1].replace("(", "").replace(")", "").split(",") if n.strip())
    return names


def _literal(value: Any) -> str:
    """Python source that rebuilds ``value`` (plain data or a numpy array), checked by parsing it back."""
    import numpy as np

    if isinstance(value, np.ndarray):
        return f"np.array({value.tolist()!r}, dtype={value.dtype.str!r})"
    text = repr(value)
    if ast.literal_eval(text) != value:
        raise ValueError(f"{text[:60]} does not round-trip")
    return text


def chapter_stub(module: str) -> str:
    """The sandbox's stand-in for ``mle_lib.homework.<module>``: the data a chapter imports, no exercises."""
    import importlib

    real = importlib.import_module(f"mle_lib.homework.{module}")
    names = sorted((set(getattr(real, "__all__", ())) | _imported_names(module)) - {"EXERCISES"})
    lines = [
        f'"""Stand-in for mle_lib.homework.{module} in the grading sandbox: the data its chapter imports; no',
        'exercises and no reference answers (the grader judges outside the sandbox)."""',
        "",
        "import numpy as np  # noqa: F401",
        "",
        "EXERCISES = {}",
    ]
    for name in names:
        if hasattr(real, name) and not callable(getattr(real, name)):
            lines.append(f"{name} = {_literal(getattr(real, name))}")
    return "\n".join(lines) + "\n"


def filtered_library(dest: Path) -> Path:
    """A copy of ``mle_lib`` for the sandbox: every chapter module (``mle_lib.homework.chNN``, which computes
    the reference answers) replaced by :func:`chapter_stub`, no ``__pycache__``; compiled afresh."""
    from .sandbox import library_path

    src = library_path()
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(src, dest, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    homework = dest / "homework"
    for path in sorted(homework.glob("ch*.py")):
        if _CHAPTER_MODULE.match(path.name):
            path.write_text(chapter_stub(path.stem), encoding="utf-8")
    compileall.compile_dir(str(dest), quiet=1)
    return dest
