"""Self-checks for the exercises: ``check("ex2.1", answer)`` says correct, try again (with a hint), or not answered.

A check never gives the answer away. Numbers are compared with values the library computes **at check
time** (nothing is stored in the notebook); choices and words are compared through a salted hash; a
function a student writes is run against the library's on fresh random cases. Known mistakes get their
own hint, computed the same way ("you divided by n − 1: that is the unbiased estimator; the MLE divides by
n"). Harmless differences pass: a float within tolerance, a list for an array, a tuple in another order
where order does not matter. A wrong type or shape gets a message that says what was expected.

Each chapter's exercises live in ``mle_lib.homework.chNN`` as a dict ``EXERCISES`` of
:class:`Value`, :class:`Choice` and :class:`Function` objects; :data:`REGISTRY` gathers them.

Examples
--------
>>> from mle_lib.homework import check
>>> check("demo.mean", ...)
demo.mean: not answered yet — replace ... with your answer
>>> check("demo.mean", 2.5)
demo.mean: correct
>>> check("demo.mean", 10)
demo.mean: not yet — that is the sum: divide by n.
"""

from __future__ import annotations

import hashlib
import importlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

__all__ = ["check", "evaluate", "Value", "Choice", "Function", "Result", "digest", "REGISTRY", "NOT_ANSWERED"]

#: What a stub holds until the student answers.
NOT_ANSWERED = Ellipsis

#: Salt of the hashed answers (choices, words): a hash of "b" alone would be guessed in a second.
_SALT = "mle-em-course/2026"

#: Chapters whose exercises the registry gathers.
_CHAPTERS = ("ch01", "ch02", "ch03", "ch04", "ch05", "ch06", "ch07", "ch08", "ch09")


def digest(answer: str) -> str:
    """Salted SHA-256 of a normalised answer (lower case, spaces collapsed): what a :class:`Choice` stores.

    >>> digest("B") == digest(" b ")
    True
    """
    norm = " ".join(str(answer).strip().lower().split())
    return hashlib.sha256(f"{_SALT}:{norm}".encode()).hexdigest()


@dataclass(frozen=True)
class Result:
    """What a check found: ``status`` is "correct", "wrong" or "unanswered"; ``message`` is what it prints."""

    exercise: str
    status: str
    message: str

    def __str__(self) -> str:
        return f"{self.exercise}: {self.message}"

    @property
    def correct(self) -> bool:
        return self.status == "correct"


def _is_unanswered(answer: Any) -> bool:
    return answer is NOT_ANSWERED or answer is None


def _as_array(answer: Any, what: str) -> np.ndarray:
    try:
        arr = np.asarray(answer, dtype=float)
    except (TypeError, ValueError):
        raise _Wrong(f"expected {what}; got {type(answer).__name__} {answer!r}") from None
    return arr


class _Wrong(Exception):
    """Raised inside a check with the message to print (a wrong type, shape, or value)."""


def _close(a: np.ndarray, b: np.ndarray, rtol: float, atol: float) -> bool:
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=rtol, atol=atol, equal_nan=False))


@dataclass(frozen=True)
class Value:
    """A number (or an array of numbers) that the library computes when the check runs.

    Parameters
    ----------
    expected : callable
        ``expected()`` returns the right value (computed with :mod:`mle_lib`: nothing is stored).
    what : str
        What the answer is, for the type/shape message ("a probability", "a pair (μ̂, σ̂²)").
    rtol, atol : float
        Tolerance: the answer may be rounded to ``digits`` significant figures (default 3).
    mistakes : sequence of (callable, str)
        Known wrong values and the hint each earns.
    hint : str
        The hint for any other wrong value.
    unordered : bool
        The order of the entries does not matter (they are compared sorted).
    """

    expected: Callable[[], Any]
    what: str = "a number"
    rtol: float = 5e-3
    atol: float = 1e-9
    mistakes: Sequence[tuple[Callable[[], Any], str]] = ()
    hint: str = "check your working against the chapter's derivation."
    unordered: bool = False

    def _norm(self, value: Any) -> np.ndarray:
        arr = _as_array(value, self.what)
        return np.sort(arr.ravel()) if self.unordered else arr

    def judge(self, answer: Any) -> tuple[str, str]:
        raw_right, raw_got = np.asarray(self.expected(), dtype=float), _as_array(answer, self.what)
        if raw_got.shape != raw_right.shape:
            raise _Wrong(
                f"expected {self.what} (shape {raw_right.shape or 'scalar'}); got shape {raw_got.shape or 'scalar'}"
            )
        right, got = self._norm(raw_right), self._norm(raw_got)
        if not np.all(np.isfinite(got)):
            raise _Wrong(f"expected {self.what}; got {answer!r}, which is not finite")
        if _close(got, right, self.rtol, self.atol):
            return "correct", "correct"
        for wrong, hint in self.mistakes:
            if _close(got, self._norm(wrong()), self.rtol, self.atol):
                return "wrong", f"not yet — {hint}"
        return "wrong", f"not yet — {self.hint}"


@dataclass(frozen=True)
class Choice:
    """One of several options (a letter, a word); the right one is stored only as a salted hash.

    ``options`` lists what may be answered (others get a message listing them); ``hints`` maps a wrong
    option to its hint.
    """

    answer_digest: str
    options: Sequence[str]
    hints: Mapping[str, str] = field(default_factory=dict)
    hint: str = "reread the section and try again."

    def judge(self, answer: Any) -> tuple[str, str]:
        if not isinstance(answer, str):
            raise _Wrong(f"expected one of {list(self.options)} as a string; got {type(answer).__name__} {answer!r}")
        norm = " ".join(answer.strip().lower().split())
        allowed = {" ".join(o.lower().split()) for o in self.options}
        if norm not in allowed:
            raise _Wrong(f"expected one of {list(self.options)}; got {answer!r}")
        if digest(norm) == self.answer_digest:
            return "correct", "correct"
        hints = {" ".join(k.lower().split()): v for k, v in self.hints.items()}
        return "wrong", f"not yet — {hints.get(norm, self.hint)}"


@dataclass(frozen=True)
class Function:
    """A function the student writes, run against the library's on fresh random cases.

    Parameters
    ----------
    reference : callable
        The library's function (or a small wrapper around it) with the same signature.
    cases : callable
        ``cases(rng)`` returns a list of argument tuples (fresh random cases each check).
    what : str
        What the function returns, for the type/shape message.
    mistakes : sequence of (callable, str)
        Known wrong functions (same signature) and the hint each earns when the student's agrees with it.
    rtol, atol : float
        Tolerance of the comparison.
    """

    reference: Callable[..., Any]
    cases: Callable[[np.random.Generator], list[tuple[Any, ...]]]
    what: str = "a number"
    mistakes: Sequence[tuple[Callable[..., Any], str]] = ()
    rtol: float = 1e-6
    atol: float = 1e-9
    unordered: bool = False

    def _norm(self, value: Any) -> np.ndarray:
        arr = _as_array(value, self.what)
        return np.sort(arr.ravel()) if self.unordered else arr

    def judge(self, answer: Any) -> tuple[str, str]:
        if not callable(answer):
            raise _Wrong(f"expected a function; got {type(answer).__name__} {answer!r}")
        rng = np.random.default_rng()
        cases = self.cases(rng)
        outputs = []
        for args in cases:
            try:
                got_raw = answer(*args)
            except NotImplementedError:
                raise _Unanswered from None
            except Exception as exc:  # the student's code failed: say where, not what is right
                raise _Wrong(f"your function raised {type(exc).__name__}: {exc} (on input {_short(args)})") from None
            if got_raw is None or got_raw is NOT_ANSWERED:
                raise _Unanswered
            right = self._norm(self.reference(*args))
            got = self._norm(got_raw)
            if got.shape != right.shape:
                raise _Wrong(
                    f"expected {self.what} (shape {right.shape or 'scalar'}); your function returned shape "
                    f"{got.shape or 'scalar'} on input {_short(args)}"
                )
            outputs.append((args, got, right))
        wrong = [(args, got) for args, got, right in outputs if not _close(got, right, self.rtol, self.atol)]
        if wrong:
            # A known mistake is named only when it explains every case: on one random case two mistakes
            # (or a mistake and the right answer) can coincide, so a single case would name the wrong one.
            for mistake, hint in self.mistakes:
                if all(_close(got, self._norm(mistake(*args)), self.rtol, self.atol) for args, got, _ in outputs):
                    return "wrong", f"not yet — {hint}"
            return "wrong", f"not yet — your function disagrees with the library on input {_short(wrong[0][0])}"
        return "correct", f"correct (agrees with the library on {len(cases)} random cases)"


class _Unanswered(Exception):
    """The student's function still raises NotImplementedError (the stub)."""


def _short(args: tuple[Any, ...]) -> str:
    parts = []
    for a in args:
        if isinstance(a, np.ndarray) and a.size > 6:
            parts.append(f"array of shape {a.shape}")
        elif isinstance(a, np.ndarray):
            parts.append(np.array2string(a, precision=3, separator=", "))
        elif isinstance(a, float):
            parts.append(f"{a:.4g}")
        else:
            parts.append(repr(a))
    return "(" + ", ".join(parts) + ")"


def _registry() -> dict[str, Value | Choice | Function]:
    out: dict[str, Value | Choice | Function] = {"demo.mean": _DEMO}
    for name in _CHAPTERS:
        try:
            module = importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{name}":
                raise
            continue
        for key, ex in module.EXERCISES.items():
            if key in out:
                raise ValueError(f"exercise {key!r} is defined twice")
            out[key] = ex
    return out


_DEMO = Value(  # the mean of 1, 2, 3, 4: the example of this module's docstring
    expected=lambda: float(np.mean([1, 2, 3, 4])),
    mistakes=[(lambda: 10.0, "that is the sum: divide by n.")],
)

#: Every exercise of the course, by its id ("ex2.1", "turn7.1", …).
REGISTRY: dict[str, Value | Choice | Function] = _registry()


def check(exercise: str, answer: Any) -> None:
    """Check an answer and print one line: correct, not yet (with a hint), or not answered yet.

    See :func:`evaluate` for the same judgement as a :class:`Result`, without printing.

    Parameters
    ----------
    exercise : str
        The exercise's id, as the notebook gives it (e.g. ``"ex2.1"``).
    answer : object
        The answer: a number, an array, a string (for a choice) or a function; ``...`` until answered.
    """
    print(evaluate(exercise, answer))


def evaluate(exercise: str, answer: Any) -> Result:
    """The judgement of :func:`check` as a :class:`Result` (nothing printed)."""
    if exercise not in REGISTRY:
        known = ", ".join(sorted(k for k in REGISTRY if k.split(".")[0] == exercise.split(".")[0])) or "none"
        raise KeyError(f"no exercise {exercise!r}; exercises of that chapter: {known}")
    ex = REGISTRY[exercise]
    if _is_unanswered(answer):
        result = Result(exercise, "unanswered", "not answered yet — replace ... with your answer")
    else:
        try:
            status, message = ex.judge(answer)
            result = Result(exercise, status, message)
        except _Unanswered:
            result = Result(exercise, "unanswered", "not answered yet — your function still raises NotImplementedError")
        except _Wrong as exc:
            result = Result(exercise, "wrong", f"not yet — {exc}")
    return result
