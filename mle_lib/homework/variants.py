"""A variant of each data exercise for every student: their own numbers, drawn from a seed nobody else shares.

Who the student is: ``MLE_STUDENT_ID``, else ``JUPYTERHUB_USER`` (set on a JupyterHub), else the **demo
student**, whose variant is the data the author's chapters use (so the stored outputs and strict nbval do not
depend on who runs them). The seed of a variant is a SHA-256 of the term's **course key** (``MLE_COURSE_KEY``,
else the key ``make release COURSE_KEY=…`` wrote into :data:`KEY_FILE`, else ``"demo"``), the student's id
and the exercise's id. The key need not be secret: a variant stops a classmate's number from being copied,
nothing more.

A variant's numbers are drawn with :class:`Draw`, which uses nothing but :meth:`random.Random.random` from a
seed: Python promises that method's stream stays the same across versions (numpy promises the same of its
generators only on one build and machine, NEP 19), so a student's data do not move when a library is
upgraded. Grading still reads each variant's parameters and reference answer from the manifest of ``make
variants``, never from a fresh draw.

This module holds how the data are drawn and nothing about the answers (those are computed by the chapter
modules ``chNN.py``, which the class grader's sandbox does not show to a student's kernel). Each chapter's
draws are in ``variants_chNN.py`` as a dict ``DRAWS`` of :class:`Recipe`.

Examples
--------
>>> v = variant("demo.mean", student="demo", show=False)
>>> v["values"]
[1, 2, 3, 4]
>>> print(v)
demo.mean, your variant (the demo student, the chapter's own data): values = [1, 2, 3, 4]
>>> alice = variant("demo.mean", student="alice", key="term-1", show=False)
>>> alice == variant("demo.mean", student="alice", key="term-1", show=False) != v
True
"""

from __future__ import annotations

import hashlib
import importlib
import os
import random
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from statistics import NormalDist
from typing import Any

__all__ = [
    "DEMO_STUDENT",
    "Draw",
    "Recipe",
    "Variant",
    "course_key",
    "params_for",
    "student_id",
    "variant",
    "variant_seed",
    "RECIPES",
]

#: The student whose variant is the chapters' own data.
DEMO_STUDENT = "demo"
#: The course key when none is set.
DEMO_KEY = "demo"
#: Where ``make release COURSE_KEY=…`` writes the term's key (absent in the repository itself).
KEY_FILE = Path(__file__).with_name("course_key.txt")

#: The name of a chapter's module of exercises (``chNN``); its variants' module is ``variants_chNN``.
CHAPTER_MODULE = re.compile(r"^ch\d\d$")
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@+-]{0,63}$")


def _clean(value: str, what: str) -> str:
    value = value.strip()
    if not _ID.match(value):
        raise ValueError(
            f"{what} must be 1 to 64 letters, digits or . _ @ + - (starting with a letter or digit); got {value!r}"
        )
    return value


def student_id() -> str:
    """The current student: ``MLE_STUDENT_ID``, else ``JUPYTERHUB_USER``, else :data:`DEMO_STUDENT`."""
    for name in ("MLE_STUDENT_ID", "JUPYTERHUB_USER"):
        if os.environ.get(name, "").strip():
            return _clean(os.environ[name], name)
    return DEMO_STUDENT


def course_key() -> str:
    """The term's course key: ``MLE_COURSE_KEY``, else :data:`KEY_FILE`'s first line, else ``"demo"``."""
    if os.environ.get("MLE_COURSE_KEY", "").strip():
        return _clean(os.environ["MLE_COURSE_KEY"], "MLE_COURSE_KEY")
    if KEY_FILE.is_file():
        return _clean(KEY_FILE.read_text(encoding="utf-8").splitlines()[0], str(KEY_FILE))
    return DEMO_KEY


def variant_seed(exercise: str, student: str | None = None, key: str | None = None) -> int:
    """The seed of ``student``'s variant of ``exercise`` in the term ``key`` (64 bits of a SHA-256).

    >>> alice = variant_seed("ex2.2", "alice", "t1")
    >>> alice == variant_seed("ex2.2", "alice", "t1") != variant_seed("ex2.2", "bob", "t1")
    True
    """
    student = student_id() if student is None else student
    key = course_key() if key is None else key
    text = f"mle-em-course/variant\0{key}\0{student}\0{exercise}"
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big")


class Draw:
    """Random numbers for a variant, from :meth:`random.Random.random` alone (a stream Python keeps stable).

    Every method rounds what it returns to what a prompt prints, so that the numbers a student reads are the
    numbers the check uses.
    """

    def __init__(self, seed: int) -> None:
        self._random = random.Random(seed)

    def uniform(self, low: float, high: float, decimals: int = 2) -> float:
        """A number in [low, high), rounded to ``decimals`` places."""
        return round(low + (high - low) * self._random.random(), decimals)

    def integer(self, low: int, high: int) -> int:
        """A whole number in [low, high], both ends included."""
        return low + min(int((high - low + 1) * self._random.random()), high - low)

    def integers(self, low: int, high: int, size: int) -> list[int]:
        """``size`` whole numbers, each in [low, high]."""
        return [self.integer(low, high) for _ in range(size)]

    def normal(self, mean: float, sd: float, size: int, decimals: int = 2) -> list[float]:
        """``size`` draws from Normal(mean, sd²), rounded to ``decimals`` places."""
        dist = NormalDist(mean, sd)
        # random() can return 0.0, where the inverse CDF is -inf: move it half a step in
        return [round(dist.inv_cdf(self._random.random() or 2.0**-54), decimals) for _ in range(size)]

    def choice(self, options: Sequence[Any]) -> Any:
        """One entry of ``options``, at random."""
        return options[self.integer(0, len(options) - 1)]

    def sample(self, options: Sequence[Any], k: int) -> list[Any]:
        """``k`` different entries of ``options``, in a random order."""
        pool = list(options)
        return [pool.pop(self.integer(0, len(pool) - 1)) for _ in range(k)]

    def flips(self, n: int, p: float) -> str:
        """A string of ``n`` flips, H with probability ``p``."""
        return "".join("H" if self._random.random() < p else "T" for _ in range(n))


@dataclass(frozen=True)
class Recipe:
    """How to draw one exercise's variant.

    Parameters
    ----------
    draw : callable
        ``draw(Draw)`` returns the variant's parameters: a dict of plain data (numbers, strings, lists).
    demo : mapping
        The demo student's parameters: the data the author's chapter uses.
    shown : str
        How the notebook shows a variant to its student, a :meth:`str.format` template over the parameters
        ("k = {k} heads in n = {n} flips").
    degenerate : callable, optional
        ``degenerate(**params)`` returns why a variant is unusable (an MLE on the boundary, components that do
        not separate …), or None; ``make variants-check`` refuses a class with such a variant, and
        :func:`params_for` draws again (up to 50 times, each from a new seed) so no student gets one.
    """

    draw: Callable[[Draw], dict[str, Any]]
    demo: Mapping[str, Any]
    shown: str
    degenerate: Callable[..., str | None] | None = None

    def problem(self, params: Mapping[str, Any]) -> str | None:
        """Why ``params`` make a degenerate variant (a known mistake would pass), or None."""
        return self.degenerate(**params) if self.degenerate is not None else None


def chapter_modules(prefix: str = "") -> list[str]:
    """The modules of this package named ``prefix`` + ``chNN``, found on disk and sorted.

    The chapters are found by their modules: a chapter's exercises are ``chNN``, its variants
    ``variants_chNN`` (a chapter without variants has no such module).
    """
    folder = Path(__file__).parent
    names = sorted(p.stem for p in folder.glob(f"{prefix}ch*.py") if CHAPTER_MODULE.match(p.stem[len(prefix) :]))
    return [f"{__package__}.{name}" for name in names]


def gather(modules: Sequence[str], table: str, first: Mapping[str, Any], what: str) -> dict[str, Any]:
    """``first`` and the dict ``table`` of every module in ``modules``, merged.

    A key defined twice is an error, and so is a module that does not import (it is not skipped).
    """
    out = dict(first)
    for name in modules:
        module = importlib.import_module(name)
        for key, item in getattr(module, table).items():
            if key in out:
                raise ValueError(f"{what} {key!r} is defined twice")
            out[key] = item
    return out


def _recipes() -> dict[str, Recipe]:
    return gather(chapter_modules("variants_"), "DRAWS", {"demo.mean": _DEMO}, "the variant of")


_DEMO = Recipe(  # the example of this module's docstring and of mle_lib.homework's
    draw=lambda d: {"values": d.integers(1, 20, 4)},
    demo={"values": [1, 2, 3, 4]},
    shown="values = {values}",
)

#: How every exercise with data of its own draws them, by exercise id.
RECIPES: dict[str, Recipe] = _recipes()

#: Redraws allowed when a draw is degenerate.
_REDRAWS = 50


def params_for(exercise: str, student: str | None = None, key: str | None = None) -> dict[str, Any]:
    """``student``'s parameters of ``exercise``; ``{}`` for an exercise without variants.

    The demo student gets the demo data.
    """
    recipe = RECIPES.get(exercise)
    if recipe is None:
        return {}
    student = student_id() if student is None else student
    if student == DEMO_STUDENT:
        return dict(recipe.demo)
    for attempt in range(_REDRAWS):
        params = recipe.draw(Draw(variant_seed(exercise if not attempt else f"{exercise}#{attempt}", student, key)))
        if recipe.problem(params) is None:
            return params
    raise RuntimeError(f"{exercise}: {_REDRAWS} draws in a row were degenerate: widen its Recipe's ranges")


@dataclass(frozen=True)
class Variant(Mapping[str, Any]):
    """One student's data for one exercise: a read-only mapping of its parameters.

    It prints as the notebook shows it.
    """

    exercise: str
    student: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def __getitem__(self, name: str) -> Any:
        try:
            return self.params[name]
        except KeyError:
            raise KeyError(f"{self.exercise}'s variant has no {name!r}; it has {', '.join(self.params)}") from None

    def __iter__(self) -> Iterator[str]:
        return iter(self.params)

    def __len__(self) -> int:
        return len(self.params)

    def __str__(self) -> str:
        recipe = RECIPES[self.exercise]
        who = "the demo student, the chapter's own data" if self.student == DEMO_STUDENT else f"student {self.student}"
        return f"{self.exercise}, your variant ({who}): {recipe.shown.format(**self.params)}"


def variant(exercise: str, student: str | None = None, *, key: str | None = None, show: bool = True) -> Variant:
    """The current student's variant of ``exercise``; prints it (``show=False``: silently).

    Raises
    ------
    KeyError
        If ``exercise`` has no variants (its data are the same for everyone).
    """
    if exercise not in RECIPES:
        raise KeyError(f"exercise {exercise!r} has no variants; exercises with variants: {', '.join(sorted(RECIPES))}")
    student = student_id() if student is None else student
    result = Variant(exercise, student, params_for(exercise, student, key))
    if show:
        print(result)
    return result
