"""Self-checks for the exercises: ``check("ex2.1", answer)`` says correct, try again (with a hint), or not answered.

A check never gives the answer away. Numbers are compared with values the library computes **at check
time** (nothing is stored in the notebook); choices and words are compared through a salted hash; a
function a student writes is run against the library's on at least 20 test cases. Known mistakes get their
own hint, computed the same way ("you divided by n − 1: that is the unbiased estimator; the MLE divides by
n"). Harmless differences pass: a number rounded to the precision the exercise states, a list for an array,
a tuple in another order where order does not matter. A wrong type or shape gets a message that says what
was expected. Whatever the answer, a check prints one line of at most :data:`MAX_LINE` characters and
never raises.

How a check marks an answer
---------------------------
* ``...`` (and a function that still raises ``NotImplementedError``) is *not answered yet*; ``None`` is
  named as what it is (an answer of None, or a function that returned None: a missing ``return``).
* **Numbers** (:class:`Value`). ``bool``, ``str``, ``bytes`` and complex numbers are not numbers. A count
  (``integer=True``) must be a whole number. Each number needs the precision :attr:`Value.precision` states
  (:func:`precision_of` gives it by exercise id; the prompt says it): ``rtol = 5 × 10⁻ᵈ`` ↔ *d significant
  figures*, because rounding a number to d significant figures moves it by at most half a unit of its
  d-th figure, 5 × 10⁻ᵈ of itself. An answer close to the right one (within :data:`CLOSE`, 5 %, or twice
  the tolerance where that is wider) that matches no known mistake is told to keep more digits, never given a
  method hint.
* **Functions** (:class:`Function`). The cases come from a generator seeded by the exercise's id
  (:func:`case_seed`), so the same function always gets the same verdict, in every run and process;
  they include inputs larger than the chapter's examples (where a naive product of probabilities underflows).
  The library runs first, each call on its own deep copy of the case; then the student's function runs on
  copies too, so a function that changes its input in place is judged on what it returns, and one that
  overwrites the test data changes nothing the library sees. The student's calls share a time limit,
  :data:`TIME_LIMIT` (10 s) per check (see :func:`_with_time_limit` for how a function that never returns
  is stopped).

Each chapter's exercises live in ``mle_lib.homework.chNN`` as a dict ``EXERCISES`` of
:class:`Value`, :class:`Choice` and :class:`Function` objects; :data:`REGISTRY` gathers them.

Examples
--------
>>> from mle_lib.homework import check, precision_of
>>> check("demo.mean", ...)
demo.mean: not answered yet — replace ... with your answer
>>> check("demo.mean", 2.5)
demo.mean: correct
>>> check("demo.mean", 10)
demo.mean: not yet — that is the sum: divide by n.
>>> check("demo.mean", 2.45)
demo.mean: not yet — close, but not within 3 significant figures: keep more digits
>>> precision_of("demo.mean")
'3 significant figures'
>>> check("demo.mean", "2.5")
demo.mean: not yet — expected a number; got str '2.5' (a number is written without quotes)
>>> check("demo.mean", None)
demo.mean: not yet — your answer is None: was it assigned from a function that returns nothing, such as print?
>>> check("demo.man", 2.5)
demo.man: no exercise 'demo.man'; exercises of that chapter: demo.mean
"""

from __future__ import annotations

import copy
import ctypes
import hashlib
import math
import re
import reprlib
import signal
import threading
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .variants import DEMO_STUDENT, chapter_modules, gather, params_for, student_id, variant, variant_seed

__all__ = [
    "check",
    "evaluate",
    "variant",
    "precision_of",
    "expected_of",
    "case_seed",
    "Value",
    "Choice",
    "Function",
    "Result",
    "digest",
    "REGISTRY",
    "NOT_ANSWERED",
    "TIME_LIMIT",
    "CLOSE",
    "MAX_LINE",
]

#: What a stub holds until the student answers.
NOT_ANSWERED = Ellipsis

#: Seconds a student's function may run in one check, over all its cases together.
TIME_LIMIT = 10.0

#: A wrong number this close to the right one (relative), and matching no known mistake, is a rounding problem.
CLOSE = 0.05

#: The longest line a check prints.
MAX_LINE = 200

#: Salt of the hashed answers (choices, words): a hash of "b" alone would be guessed in a second.
_SALT = "mle-em-course/2026"

#: Types that numpy would turn into numbers but that are not numbers to a check.
_NOT_NUMBERS = (bool, np.bool_, str, bytes, bytearray, complex, np.complexfloating)


def digest(answer: str) -> str:
    """Salted SHA-256 of a normalised answer (lower case, spaces collapsed): what a :class:`Choice` stores.

    >>> digest("B") == digest(" b ")
    True
    """
    norm = " ".join(str(answer).strip().lower().split())
    return hashlib.sha256(f"{_SALT}:{norm}".encode()).hexdigest()


def case_seed(exercise: str) -> int:
    """The seed of a :class:`Function` exercise's test cases: a stable hash of its id (not Python's ``hash``).

    >>> case_seed("ex2.4") == case_seed("ex2.4") != case_seed("ex2.5")
    True
    """
    return int.from_bytes(hashlib.sha256(f"{_SALT}:cases:{exercise}".encode()).digest()[:8], "big")


@dataclass(frozen=True)
class Result:
    """What a check found and the one line it prints.

    ``status`` is "correct", "wrong", "unanswered" or "error" (the check was called wrongly, e.g. with an
    unknown exercise id); ``message`` is what follows the id.
    """

    exercise: str
    status: str
    message: str

    def __str__(self) -> str:
        return f"{self.exercise}: {self.message}"

    @property
    def correct(self) -> bool:
        """Whether the verdict is "correct"."""
        return self.status == "correct"


class _Wrong(Exception):
    """Raised inside a check with the message to print (a wrong type, shape, or value)."""


class _Unanswered(Exception):
    """The student's function still raises NotImplementedError (the stub)."""


class _TimeUp(BaseException):
    """Raised in the student's code when the time limit is reached.

    A BaseException: ``except Exception`` in the student's function does not swallow it.
    """


# --- short, one-line descriptions of anything --------------------------------------------------------------

_REPR = reprlib.Repr()
_REPR.maxstring = _REPR.maxother = 40
_REPR.maxlist = _REPR.maxtuple = _REPR.maxset = _REPR.maxdict = 6
_REPR.maxlevel = 2


def _kind(obj: Any) -> str:
    """The type of ``obj`` as a message names it ("bool", "str", "array", "function")."""
    if obj is None:
        return "None"
    if isinstance(obj, np.ndarray):
        return "array"
    if callable(obj) and not isinstance(obj, type):
        return "function"
    try:
        return type(obj).__name__
    except Exception:
        return "object"


def _brief(obj: Any, limit: int = 40) -> str:
    """A repr of ``obj`` on one line, at most ``limit`` characters (large arrays by their shape)."""
    try:
        if isinstance(obj, np.ndarray):
            text = f"array of shape {obj.shape}" if obj.size > 6 else np.array2string(obj, precision=3, separator=", ")
        elif isinstance(obj, float | np.floating) and not isinstance(obj, bool):
            text = f"{float(obj):.4g}"
        elif _kind(obj) == "function":
            text = getattr(obj, "__name__", "function")
        elif isinstance(obj, np.generic):
            text = str(obj)
        else:
            text = _REPR.repr(obj)
    except Exception:
        text = f"<{_kind(obj)}>"
    text = " ".join(text.split())
    text = text if len(text) <= limit else text[: limit - 1] + "…"
    if isinstance(obj, str | bytes) and len(obj) > _REPR.maxstring:
        text += f" ({len(obj)} characters)"
    return text


def _describe(obj: Any) -> str:
    """The type and a short repr: "str '2.5'", "bool True", "None"."""
    if obj is None:
        return "None"
    kind = _kind(obj)
    text = _brief(obj, 60 if isinstance(obj, str | bytes) else 40)
    return kind if text in ("", kind) else f"{kind} {text}"


def _text(exc: BaseException, limit: int = 60) -> str:
    """An exception's message on one short line."""
    try:
        text = " ".join(str(exc).split())
    except Exception:
        text = ""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _short(args: tuple[Any, ...], limit: int = 70) -> str:
    """The arguments of a case, as a message shows them."""
    for width in (24, 12):
        text = "(" + ", ".join(_brief(a, width) for a in args) + ")"
        if len(text) <= limit:
            return text
    return text[: limit - 2] + "…)"


def _longest_fitting(*variants: str) -> str:
    """The first of ``variants`` (most detailed first) that fits a printed line after "exN.M: not yet — "."""
    room = MAX_LINE - len("turn0.0: not yet — ")
    return next((v for v in variants if len(v) <= room), variants[-1])


def _fit(exercise: str, message: str) -> str:
    """``message`` on one line, cut so that the printed line has at most :data:`MAX_LINE` characters."""
    message = " ".join(message.split())
    room = MAX_LINE - len(exercise) - 2
    return message if len(message) <= room else message[: room - 1] + "…"


# --- numbers ------------------------------------------------------------------------------------------------


def _numbers(value: Any, what: str, got: str = "got") -> np.ndarray:
    """``value`` as a float array, or :class:`_Wrong` saying what it is instead ("expected …; got bool True")."""
    detail = _not_numbers(value)
    arr = None
    if detail is None:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                arr = np.asarray(value)
        except Exception:
            detail = f"{_describe(value)}, which is not a number or an array of numbers"
    if arr is not None and detail is None:
        detail = _not_number_entries(arr, value)
    if arr is None or detail is not None:
        raise _Wrong(f"expected {what}; {got} {detail}")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return arr.astype(float)
    except Exception:
        raise _Wrong(
            f"expected {what}; {got} {_describe(value)}, which is not a number or an array of numbers"
        ) from None


def _not_numbers(value: Any) -> str | None:
    """What ``value`` is, if it is plainly no number (None, a string, a function, …); else None."""
    if value is None:
        return "None"
    if isinstance(value, _NOT_NUMBERS):
        extra = ""
        if isinstance(value, str) and len(value) <= 40:
            try:
                if math.isfinite(float(value)):
                    extra = " (a number is written without quotes)"
            except ValueError:
                pass
        return _describe(value) + extra
    if callable(value) and not isinstance(value, np.ndarray):
        return f"{_describe(value)} (call it, or give its result)"
    return None


def _not_number_entries(arr: np.ndarray, value: Any) -> str | None:
    """What the entries of ``value`` (as the array ``arr``) are, if they are not real numbers; else None."""
    kind = arr.dtype.kind
    if kind == "O":
        for entry in arr.flat:
            if entry is None or isinstance(entry, _NOT_NUMBERS) or callable(entry):
                return f"{_kind(entry)} entries ({_describe(value)})"
        return None
    if kind == "b":
        return f"bool entries ({_describe(value)})" if arr.ndim else _describe(value)
    if kind == "c":
        return f"complex entries ({_describe(value)})" if arr.ndim else _describe(value)
    if kind in "USV":
        return f"{'str' if kind == 'U' else 'bytes'} entries ({_describe(value)})"
    if kind not in "iuf":
        return _describe(value)
    return None


def _close(a: np.ndarray, b: np.ndarray, rtol: float, atol: float) -> bool:
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=rtol, atol=atol, equal_nan=False))


def _digits(rtol: float) -> int:
    """The fewest significant figures d whose rounding error, at most 5 × 10⁻ᵈ of the number, is within rtol."""
    if rtol <= 0:
        return 17
    return max(1, math.ceil(math.log10(5.0 / rtol) - 1e-9))


def _norm(arr: np.ndarray, unordered: bool) -> np.ndarray:
    """The array a check compares: its entries sorted when their order does not matter."""
    return np.sort(arr.ravel()) if unordered else arr


@dataclass(frozen=True)
class Value:
    """A number (or an array of numbers) that the library computes when the check runs.

    Parameters
    ----------
    expected : callable
        ``expected()`` returns the right value (computed with :mod:`mle_lib`: nothing is stored). For an
        exercise with variants (:mod:`mle_lib.homework.variants`), ``expected(**params)`` and each known
        mistake ``wrong(**params)`` take the student's parameters.
    what : str
        What the answer is, for the type/shape message ("a probability", "a pair (μ̂, σ̂²)").
    rtol, atol : float
        Tolerance. ``rtol = 5 × 10⁻ᵈ`` accepts any answer rounded to d significant figures (the default,
        5e-3, is 3 figures); :attr:`precision` states it.
    mistakes : sequence of (callable, str)
        Known wrong values and the hint each earns.
    hint : str
        The hint for any other wrong value.
    unordered : bool
        The order of the entries does not matter (they are compared sorted).
    integer : bool or tuple of bool
        The answer is a count (or, entry by entry, which entries are): it must be a whole number.
    precision_phrase : str
        What :attr:`precision` says, where the phrase derived from the tolerance would not be natural
        ("exactly, as one of the six values tried"; a phrase of an exact answer starts with "exactly").
    close_advice : str
        What an answer that is close, but not within the tolerance, is told to do.
    """

    expected: Callable[..., Any]
    what: str = "a number"
    rtol: float = 5e-3
    atol: float = 1e-9
    mistakes: Sequence[tuple[Callable[..., Any], str]] = ()
    hint: str = "check your working against the chapter's derivation."
    unordered: bool = False
    integer: bool | tuple[bool, ...] = False
    precision_phrase: str = ""
    close_advice: str = "keep more digits"

    @property
    def precision(self) -> str:
        """The precision the answer needs, as a prompt states it.

        For example "3 significant figures" or "exactly (a whole number)".
        """
        if self.precision_phrase:
            return self.precision_phrase
        integer = np.asarray(self.integer, dtype=bool)
        if integer.all():
            return "exactly (a whole number)"
        phrase = f"{_digits(self.rtol)} significant figures"
        return phrase + " (the count as a whole number)" if integer.any() else phrase

    def judge(
        self, answer: Any, *, params: Mapping[str, Any] | None = None, reference: Any = None, **_: Any
    ) -> tuple[str, str]:
        """The (status, message) verdict on ``answer``.

        ``params``: the student's variant (None: an exercise without variants); ``reference``: the right value as a
        manifest recorded it (None: computed now).
        """
        params = params or {}
        raw_right = np.asarray(self.expected(**params) if reference is None else reference, dtype=float)
        raw_got = _numbers(answer, self.what)
        if raw_got.shape != raw_right.shape:
            raise _Wrong(
                f"expected {self.what} (shape {raw_right.shape or 'scalar'}); got shape {raw_got.shape or 'scalar'}"
            )
        if not np.all(np.isfinite(raw_got)):
            raise _Wrong(f"expected {self.what}; got {_brief(answer)}, which is not finite")
        integer = np.broadcast_to(np.asarray(self.integer, dtype=bool), raw_got.shape)
        fraction = integer & (np.abs(raw_got - np.round(raw_got)) > 1e-9 * np.maximum(1.0, np.abs(raw_got)))
        right, got = _norm(raw_right, self.unordered), _norm(raw_got, self.unordered)
        if not fraction.any() and _close(got, right, self.rtol, self.atol):
            return "correct", "correct"
        for wrong, hint in self.mistakes:
            if _close(got, _norm(np.asarray(wrong(**params), dtype=float), self.unordered), self.rtol, self.atol):
                return "wrong", f"not yet — {hint}"
        if fraction.any():  # (after the known mistakes: a swapped pair is told it is swapped)
            raise _Wrong(f"a count must be a whole number; got {float(raw_got[fraction][0]):.6g}")
        if not integer.all() and _close(got, right, max(CLOSE, 2 * self.rtol), self.atol):
            within = self.precision if self.precision.startswith("exactly") else f"within {self.precision}"
            return "wrong", f"not yet — close, but not {within}: {self.close_advice}"
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

    def judge(self, answer: Any, **_: Any) -> tuple[str, str]:
        """The (status, message) verdict on the chosen option ``answer``."""
        if not isinstance(answer, str):
            raise _Wrong(f"expected one of {list(self.options)} as a string; got {_describe(answer)}")
        norm = " ".join(answer.strip().lower().split())
        allowed = {" ".join(o.lower().split()) for o in self.options}
        if norm not in allowed:
            raise _Wrong(f"expected one of {list(self.options)}; got {_brief(answer, 60)}")
        if digest(norm) == self.answer_digest:
            return "correct", "correct"
        hints = {" ".join(k.lower().split()): v for k, v in self.hints.items()}
        return "wrong", f"not yet — {hints.get(norm, self.hint)}"


# --- running a student's function ------------------------------------------------------------------------


def _alarm_available() -> bool:
    """SIGALRM can stop the student's code: POSIX, the main thread, and no interval timer already running."""
    return (
        hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
        and signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    )


def _with_time_limit(work: Callable[[], None], limit: float) -> None:
    """Run ``work()``; raise :class:`_TimeUp` if it takes longer than ``limit`` seconds.

    In the main thread on POSIX (a Jupyter kernel runs cells there) an interval timer (``setitimer``)
    sends SIGALRM, whose handler raises :class:`_TimeUp` in the running code: a ``while True: pass`` or a
    long ``time.sleep`` stops at once, code inside one long C call (a huge matrix product) when that
    call returns. Elsewhere (another thread, Windows, or an interval timer already in use) ``work`` runs
    in a daemon thread that is joined with a timeout and then sent :class:`_TimeUp` asynchronously
    (``PyThreadState_SetAsyncExc``), which stops pure-Python loops; code that never returns to Python
    is abandoned, still running, and the check reports the timeout all the same.
    """
    limit = max(limit, 1e-3)  # an interval timer of 0 would never go off
    if _alarm_available():
        armed = [True]

        def on_alarm(signum: int, frame: Any) -> None:
            if armed[0]:
                raise _TimeUp

        previous = signal.signal(signal.SIGALRM, on_alarm)
        if previous is None:  # a handler installed outside Python: restore the default
            previous = signal.SIG_DFL
        try:
            signal.setitimer(signal.ITIMER_REAL, limit)
            work()
        finally:
            while True:  # disarm even if the alarm goes off in here
                try:
                    armed[0] = False
                    signal.setitimer(signal.ITIMER_REAL, 0)
                    signal.signal(signal.SIGALRM, previous)
                    break
                except _TimeUp:
                    continue
        return
    box: dict[str, BaseException] = {}

    def target() -> None:
        try:
            work()
        except BaseException as exc:
            box["exc"] = exc

    worker = threading.Thread(target=target, name="homework-check", daemon=True)
    worker.start()
    worker.join(limit)
    if worker.is_alive():
        if worker.ident is not None:
            ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(worker.ident), ctypes.py_object(_TimeUp))
        worker.join(1.0)
        raise _TimeUp
    if "exc" in box:
        raise box["exc"]


def _run(answer: Callable[..., Any], cases: list[tuple[Any, ...]], limit: float) -> list[Any]:
    """The student's function on a deep copy of every case, within ``limit`` seconds in all."""
    copies = [copy.deepcopy(args) for args in cases]
    outputs: list[Any] = []
    state = {"case": 0, "done": False}

    def work() -> None:
        for i, args in enumerate(copies):
            state["case"] = i
            outputs.append(answer(*args))
        state["done"] = True

    try:
        _with_time_limit(work, limit)
    except _TimeUp:
        if not state["done"]:
            raise _Wrong(
                f"your function took longer than {limit:g} s on input {_short(cases[state['case']])}"
            ) from None
    except KeyboardInterrupt:
        raise
    except NotImplementedError as exc:
        if state["case"] == 0:
            raise _Unanswered from None
        raise _Wrong(f"your function raised NotImplementedError on input {_short(cases[state['case']])}") from exc
    except BaseException as exc:  # the student's code failed: say where, not what is right
        raise _Wrong(
            f"your function raised {type(exc).__name__}: {_text(exc)} (on input {_short(cases[state['case']])})"
        ) from None
    return outputs


@dataclass(frozen=True)
class Function:
    """A function the student writes, run against the library's on seeded test cases.

    Parameters
    ----------
    reference : callable
        The library's function (or a small wrapper around it) with the same signature.
    cases : callable
        ``cases(rng)`` returns a list of argument tuples (at least 20); ``rng`` is seeded by the exercise's
        id (:func:`case_seed`).
    what : str
        What the function returns, for the type/shape message.
    mistakes : sequence of (callable, str)
        Known wrong functions (same signature) and the hint each earns when the student's agrees with it
        on every case.
    rtol, atol : float
        Tolerance of the comparison.
    unordered : bool
        The order of the returned entries does not matter.
    """

    reference: Callable[..., Any]
    cases: Callable[[np.random.Generator], list[tuple[Any, ...]]]
    what: str = "a number"
    mistakes: Sequence[tuple[Callable[..., Any], str]] = ()
    rtol: float = 1e-6
    atol: float = 1e-9
    unordered: bool = False

    def _compared(self, value: Any, got: str = "got") -> np.ndarray:
        """A returned value as the check compares it (numbers, sorted when unordered)."""
        return _norm(_numbers(value, self.what, got), self.unordered)

    def _agrees(self, mistake: Callable[..., Any], outputs: list[tuple[tuple[Any, ...], np.ndarray]]) -> bool:
        try:
            return all(
                _close(got, self._compared(mistake(*copy.deepcopy(args))), self.rtol, self.atol)
                for args, got in outputs
            )
        except Exception:  # a mistake that cannot even be computed on a case does not explain it
            return False

    def judge(self, answer: Any, *, seed: int = 0, time_limit: float = TIME_LIMIT, **_: Any) -> tuple[str, str]:
        """The (status, message) verdict on the student's function ``answer``, run on the cases drawn from ``seed``."""
        if not callable(answer):
            raise _Wrong(f"expected a function; got {_describe(answer)}")
        cases = self.cases(np.random.default_rng(seed))
        # the library first, each call on its own copy: nothing the student's function does can change it
        rights = [self._compared(self.reference(*copy.deepcopy(args))) for args in cases]
        raw = _run(answer, cases, time_limit)
        outputs = []
        for args, got_raw, right in zip(cases, raw, rights, strict=True):
            if got_raw is None:
                raise _Wrong(f"your function returned None — did you forget `return`? (on input {_short(args)})")
            if got_raw is NOT_ANSWERED:
                raise _Unanswered
            got = self._compared(got_raw, "your function returned")
            if got.shape != right.shape:
                shapes = (
                    f"expected {self.what} (shape {right.shape or 'scalar'}); your function returned shape "
                    f"{got.shape or 'scalar'}"
                )
                raise _Wrong(_longest_fitting(f"{shapes} on input {_short(args)}", shapes))
            outputs.append((args, got, right))
        wrong = [(args, got, right) for args, got, right in outputs if not _close(got, right, self.rtol, self.atol)]
        if not wrong:
            return "correct", f"correct (agrees with the library on {len(cases)} test cases)"
        # A known mistake is named only when it explains every case: on one case two mistakes (or a mistake
        # and the right answer) can coincide, so a single case would name the wrong one.
        pairs = [(args, got) for args, got, _ in outputs]
        for mistake, hint in self.mistakes:
            if self._agrees(mistake, pairs):
                return "wrong", f"not yet — {hint}"
        args, got, right = wrong[0]
        bad = ~np.isfinite(got) & np.isfinite(right)
        if bad.any():
            value = float(got[bad].flat[0])
            message = f"your function returned {value} on input {_short(args)}; the library's value is finite"
            if value == -np.inf:
                message += ": a product of many probabilities underflows to 0, so add logs instead"
            return "wrong", f"not yet — {message}"
        return "wrong", f"not yet — your function disagrees with the library on input {_short(args)}"


def _registry() -> dict[str, Value | Choice | Function]:
    return gather(chapter_modules(), "EXERCISES", {"demo.mean": _DEMO}, "exercise")


_DEMO = Value(  # the mean of 1, 2, 3, 4 (the demo student's variant): the example of this module's docstring
    expected=lambda values: float(np.mean(values)),
    mistakes=[(lambda values: float(np.sum(values)), "that is the sum: divide by n.")],
)

#: Every exercise of the course, by its id ("ex2.1", "turn7.1", …).
REGISTRY: dict[str, Value | Choice | Function] = _registry()


def expected_of(exercise: str, student: str | None = None) -> Any:
    """The right answer of a numeric exercise for ``student`` (default: the current student).

    The demo student's is the chapter's. A lecturer's and a test's tool: it is the answer.

    >>> expected_of("demo.mean", "demo")
    2.5
    """
    ex = REGISTRY[exercise]
    if not isinstance(ex, Value):
        raise TypeError(f"exercise must be a numeric exercise; {exercise!r} is a {type(ex).__name__}")
    return ex.expected(**params_for(exercise, student))


def precision_of(exercise: str) -> str | None:
    """The precision a numeric exercise needs, as its prompt must state it ("3 significant figures").

    None for a choice or a function.

    >>> precision_of("ex1.4"), precision_of("ex1.5")
    ('3 significant figures', None)
    """
    ex = REGISTRY[exercise]
    return ex.precision if isinstance(ex, Value) else None


def check(exercise: str, answer: Any, *, time_limit: float = TIME_LIMIT) -> None:
    """Check an answer and print one line: correct, not yet (with a hint), or not answered yet.

    See :func:`evaluate` for the same judgement as a :class:`Result`, without printing.

    Parameters
    ----------
    exercise : str
        The exercise's id, as the notebook gives it (e.g. ``"ex2.1"``).
    answer : object
        The answer: a number, an array, a string (for a choice) or a function; ``...`` until answered.
    time_limit : float
        Seconds the student's function may run, over all the cases of one check.
    """
    print(evaluate(exercise, answer, time_limit=time_limit))


def _unknown(exercise: str) -> Result:
    m = re.match(r"(?:ex|turn)?(\d+)\.", exercise)
    if m:
        same = [k for k in REGISTRY if re.match(rf"(?:ex|turn){m[1]}\.", k)]
    else:
        same = [k for k in REGISTRY if k.split(".")[0] == exercise.split(".")[0]]
    known = ", ".join(sorted(same)) or "none"
    label = exercise if len(exercise) <= 30 and exercise.isprintable() else _brief(exercise, 30)
    return Result(
        label, "error", _fit(label, f"no exercise {_brief(exercise, 30)}; exercises of that chapter: {known}")
    )


def evaluate(
    exercise: str,
    answer: Any,
    *,
    time_limit: float = TIME_LIMIT,
    seed: int | None = None,
    student: str | None = None,
    params: Mapping[str, Any] | None = None,
    reference: Any = None,
) -> Result:
    """The judgement of :func:`check` as a :class:`Result` (nothing printed; never raises for an answer).

    The answer is judged against ``student``'s variant (default: the current student,
    :func:`~mle_lib.homework.variants.student_id`): their parameters and, for a function, test cases seeded
    by their id (the demo student's are the exercise's own, :func:`case_seed`). The class grader passes the
    ``params`` and the ``reference`` value a manifest recorded instead (``make variants``). ``seed``
    replaces the seed of a function's test cases (for tests).
    """
    if not isinstance(exercise, str):
        name = _brief(exercise, 20)
        return Result(
            name, "error", f'check() needs the exercise\'s id as a string, e.g. "ex2.1"; got {_describe(exercise)}'
        )
    ex = REGISTRY.get(exercise)
    if ex is None:
        return _unknown(exercise)
    try:
        who = student_id() if student is None else student
        if params is None:
            params = params_for(exercise, who)
        if seed is None:
            seed = case_seed(exercise) if who == DEMO_STUDENT else variant_seed(exercise, who)
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            if answer is NOT_ANSWERED:
                status, message = "unanswered", "not answered yet — replace ... with your answer"
            elif answer is None and not isinstance(ex, Function):
                status, message = (
                    "wrong",
                    "not yet — your answer is None: was it assigned from a function that returns nothing, "
                    "such as print?",
                )
            else:
                status, message = ex.judge(answer, seed=seed, time_limit=time_limit, params=params, reference=reference)
    except _Unanswered:
        status, message = "unanswered", "not answered yet — your function still raises NotImplementedError"
    except _Wrong as exc:
        status, message = "wrong", f"not yet — {exc}"
    except KeyboardInterrupt:
        raise
    except BaseException as exc:  # the check itself failed: one line, never a traceback
        status, message = "error", f"the check could not judge this answer ({type(exc).__name__}: {_text(exc)})"
    return Result(exercise, status, _fit(exercise, message))
