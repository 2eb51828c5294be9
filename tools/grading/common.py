"""What the grader's modules share: paths, statuses and points, the seed hook, the sandbox's library copy."""

from __future__ import annotations

import ast
import compileall
import re
import shutil
from dataclasses import dataclass
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
    """The points a verdict of ``status`` earns (0 for an unknown status)."""
    return POINTS.get(status, 0)


@dataclass
class Term:
    """Whose variants the grader judges: the course key, the variants manifest, and the demo student's names.

    The manifest of ``make variants`` holds, per student and exercise, the parameters and the reference answer. The demo
    student's names are those the self-test grades ``notebooks/`` and ``student/`` under, whose data are the demo's.
    """

    key: str = "demo"
    manifest: dict[str, Any] | None = None
    demo_names: frozenset[str] = frozenset()

    def identity(self, student: str) -> str:
        """The student id whose variants ``student``'s submission is judged against."""
        from mle_lib.homework.variants import DEMO_STUDENT

        return DEMO_STUDENT if student in self.demo_names else student

    def entry(self, student: str, exercise: str) -> tuple[dict[str, Any] | None, Any]:
        """``(params, reference)`` of ``student``'s variant of ``exercise``.

        The manifest's, when one is loaded (a student or exercise it lacks is an error that names them), else drawn now
        (reference None: computed by the library when judged).
        """
        from mle_lib.homework.variants import DEMO_STUDENT, RECIPES, params_for

        who = self.identity(student)
        if exercise not in RECIPES:
            return None, None
        if self.manifest is None or who == DEMO_STUDENT:
            return params_for(exercise, who, self.key), None
        try:
            entry = self.manifest["students"][who][exercise]
        except KeyError:
            raise KeyError(
                f"the manifest has no variant of {exercise} for student {who!r}: run make variants"
            ) from None
        return dict(entry["params"]), entry["answer"]


#: The term of this run (``tools/grade.py --course-key``, ``--manifest``); the self-test sets its demo names.
TERM = Term()


def load_term(key: str | None, manifest: Path | None, demo_names: frozenset[str] = frozenset()) -> Term:
    """Set :data:`TERM` from the command line: a manifest's key wins over ``key`` (they must agree if both)."""
    import json

    from mle_lib.homework.variants import _clean, course_key

    data = json.loads(manifest.read_text(encoding="utf-8")) if manifest else None
    term_key = _clean(key, "--course-key") if key else (data["course_key"] if data else course_key())
    if data is not None and data["course_key"] != term_key:
        raise SystemExit(f"--course-key {term_key!r} is not the manifest's key {data['course_key']!r}")
    TERM.key, TERM.manifest, TERM.demo_names = term_key, data, frozenset(demo_names)
    return TERM


def seed_for(student: str, exercise: str) -> int:
    """The seed of ``student``'s test cases of function exercise ``exercise``.

    It is what ``check`` uses in that student's own notebook (:func:`mle_lib.homework.case_seed` for the demo student,
    their variant's seed otherwise). The grader writes the cases it draws from this seed for the kernel, and judges with
    it.
    """
    from mle_lib.homework import case_seed
    from mle_lib.homework.variants import DEMO_STUDENT, variant_seed

    who = TERM.identity(student)
    return case_seed(exercise) if who == DEMO_STUDENT else variant_seed(exercise, who, TERM.key)


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
    """A copy of ``mle_lib`` for the sandbox, without the reference answers; compiled afresh.

    Every chapter module (``mle_lib.homework.chNN``, which computes the reference answers) is replaced by
    :func:`chapter_stub`; no ``__pycache__`` is copied.
    """
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
