"""The collection cells: what the grader inserts into a submission, and the code they run in its kernel.

Grader side (:func:`find_checks`, :func:`prelude_cell`, :func:`value_cell`, :func:`function_cell`): each
``check("ID", EXPR)`` call of a submission is found with :mod:`ast`, and right after its cell a collection
cell is inserted that hands over EXPR's value; nothing is judged in the kernel.

Kernel side (:class:`Collector`, :func:`install`): this file is copied into the sandbox as
``mle_grading_collect.py`` (beside ``mle_grading_codec.py``). The prelude cell, run before the student's
first cell, installs one :class:`Collector`; it binds the functions it needs (``os.open``, ``os.write``,
the codec, the timer) at that moment, so a later monkeypatch of ``print``, ``json``, ``check``,
``evaluate`` or ``np.allclose`` in the notebook does not reach them. Each collection cell appends ONE JSON
line to ``answers.jsonl`` in the work folder:

* ``{"x": ID, "n": NONCE, "stub": true}`` — EXPR is still ``...``;
* ``{"x": ID, "n": NONCE, "value": ENCODED}`` — a value (a number, a string, an array, …; see codec);
* ``{"x": ID, "n": NONCE, "calls": [...], "forbidden": [...]}`` — a function, run here on deep copies of the
  cases the grader wrote (``cases-ID.json``), one entry per case in order: ``{"out": ENCODED}``,
  ``{"exc": TYPE, "msg": TEXT}`` or ``{"timeout": true}`` (the calls share :data:`TIME_LIMIT` seconds, as
  :func:`mle_lib.homework.check` gives them); the first failure ends the list, as it ends a check.
  ``forbidden`` names the library functions the exercise forbids that the function called;
* ``{"x": ID, "n": NONCE, "raised": [TYPE, TEXT]}`` — evaluating EXPR itself raised.

The NONCE is chosen by the grader per collection cell and never written to the work folder: a line the
student's own code writes beforehand does not carry it.
"""

from __future__ import annotations

import ast
import contextlib
import re
from types import ModuleType
from typing import Any

try:  # in the grader: tools/grading/codec.py; in the sandbox: mle_grading_codec.py beside this file
    from . import codec
except ImportError:  # pragma: no cover - the sandbox's copy
    import mle_grading_codec as codec  # type: ignore[no-redef, import-not-found]  # exists only in the sandbox

#: Module name of this file inside the sandbox.
KERNEL_MODULE = "mle_grading_collect"
#: Longest line a collection cell writes; a longer answer is recorded as too large.
MAX_LINE = 16 * 2**20
#: Seconds a student's function may run over all the cases of one exercise (as in mle_lib.homework).
TIME_LIMIT = 10.0
#: The message the sandboxed check() prints instead of a verdict.
RECORDED = "answer recorded for grading (the verdict is computed outside the notebook)"

_ID = re.compile(r"^(?:ex|turn|demo)\d*\.\w+$")


# --- grader side: finding the checks ------------------------------------------------------------------------


def _python_source(source: str) -> str:
    """A cell's source as plain Python (IPython's magics and shell escapes translated, as the kernel does)."""
    try:
        from IPython.core.inputtransformer2 import TransformerManager

        return TransformerManager().transform_cell(source)
    except Exception:
        return source


def find_checks(source: str) -> list[tuple[str, str]]:
    """Every ``check("ID", EXPR)`` call in a code cell's source, as (ID, EXPR's source text), in order.

    Calls of ``check`` by name or as an attribute (``hw.check``) count; the id must be a string literal.
    A cell that does not parse is searched with a regular expression for the plain form
    ``check("ID", name)``.
    """
    text = _python_source(source)
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return [
            (m[1], m[2])
            for m in re.finditer(r"""\bcheck\(\s*["']([\w.]+)["']\s*,\s*([A-Za-z_][\w.]*)\s*[,)]""", source)
            if _ID.match(m[1])
        ]
    found: list[tuple[int, int, str, str]] = []
    try:
        nodes = list(ast.walk(tree))
    except RecursionError:
        return []
    for node in nodes:
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
        if name != "check":
            continue
        args = list(node.args)
        keywords = {k.arg: k.value for k in node.keywords if k.arg}
        exercise = args[0] if args else keywords.get("exercise")
        answer = args[1] if len(args) > 1 else keywords.get("answer")
        if not (isinstance(exercise, ast.Constant) and isinstance(exercise.value, str)) or answer is None:
            continue
        if not _ID.match(exercise.value):
            continue
        expr = ast.get_source_segment(text, answer)
        if expr is None:
            continue
        found.append((node.lineno, node.col_offset, exercise.value, expr))
    return [(ex, expr) for _, _, ex, expr in sorted(found)]


# --- grader side: the cells ------------------------------------------------------------------------------


def _call(method: str, *args: str, expr: str) -> str:
    quoted = ", ".join(repr(a) for a in args)
    return (
        f"import {KERNEL_MODULE} as __mle_grading_collect\n"
        f"__mle_grading_collect.COLLECTOR.{method}({quoted}, lambda: (\n{expr}\n))"
    )


def value_cell(exercise: str, nonce: str, expr: str) -> str:
    """The collection cell of a value or choice exercise."""
    return _call("value", exercise, nonce, expr=expr)


def function_cell(exercise: str, nonce: str, expr: str, cases_path: str) -> str:
    """The collection cell of a function exercise: ``cases_path`` is the grader's cases file (read-only)."""
    return _call("function", exercise, nonce, cases_path, expr=expr)


def prelude_cell(
    lib_dir: str,
    answers: str,
    forbidden: dict[str, list[str]],
    time_limit: float = TIME_LIMIT,
    identity: tuple[str, str] | None = None,
) -> str:
    """The hidden first cell: installs the collector before the student's first cell runs.

    ``identity`` (student id, course key) is what the kernel's ``variant()`` shows: the student's own data. (Only shown:
    verdicts are judged outside, against the grader's own record of the variant.)

    ``identity`` (student id, course key) is what the kernel's ``variant()`` shows: the student's own data. (Only shown:
    verdicts are judged outside, against the grader's own record of the variant.)
    """
    who = (
        f"import os as __mle_os\n__mle_os.environ.update(MLE_STUDENT_ID={identity[0]!r}, "
        f"MLE_COURSE_KEY={identity[1]!r})\ndel __mle_os\n"
        if identity
        else ""
    )
    return who + (
        "import sys as __mle_sys\n"
        f"__mle_sys.path.append({lib_dir!r})\n"
        f"import {KERNEL_MODULE} as __mle_grading_collect\n"
        f"__mle_grading_collect.install({answers!r}, {forbidden!r}, {float(time_limit)!r})\n"
        "del __mle_sys, __mle_grading_collect"
    )


# --- kernel side -------------------------------------------------------------------------------------------


class _TimeUp(BaseException):
    """The student's function used up its time (a BaseException: ``except Exception`` does not swallow it)."""


def _text(exc: BaseException, limit: int = 200) -> str:
    try:
        text = " ".join(str(exc).split())
    except BaseException:
        text = ""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _name(exc: BaseException) -> str:
    try:
        return str(type(exc).__name__)[:60]
    except BaseException:
        return "Exception"


class Collector:
    """Writes the collection lines (kernel side). Everything it calls is bound when it is made."""

    def __init__(self, answers: str, forbidden: dict[str, list[str]], time_limit: float = TIME_LIMIT) -> None:
        import copy
        import os
        import signal
        import sys
        import threading

        self._path = answers
        self._os_open, self._os_write, self._os_close, self._os_read = os.open, os.write, os.close, os.read
        self._flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT
        self._rdonly = os.O_RDONLY
        self._deepcopy = copy.deepcopy
        self._signal, self._setitimer, self._getitimer = signal.signal, signal.setitimer, signal.getitimer
        self._sigalrm, self._itimer = signal.SIGALRM, signal.ITIMER_REAL
        self._setprofile = sys.setprofile
        self._main = threading.main_thread()
        self._current = threading.current_thread
        self._dumps, self._encode, self._loads = codec.dumps, codec.encode, codec.loads
        self._json_dumps = codec._json_dumps
        self._time_limit = float(time_limit)
        # the code objects of the functions each exercise forbids, taken before any student code runs
        self._forbidden: dict[str, dict[Any, str]] = {}
        mle_lib: ModuleType | None
        try:
            import mle_lib
        except Exception:
            mle_lib = None
        for exercise, names in forbidden.items():
            codes = {}
            for name in names:
                code = getattr(getattr(mle_lib, name, None), "__code__", None)
                if code is not None:
                    codes[code] = f"ml.{name}"
            self._forbidden[exercise] = codes

    def _emit(self, record: dict[str, Any]) -> None:
        line = self._json_dumps(record, allow_nan=False, ensure_ascii=True, separators=(",", ":"))
        if len(line) > MAX_LINE:
            small = {k: record[k] for k in ("x", "n")}
            small["toolarge"] = f"the answer's record is longer than {MAX_LINE} characters"
            line = self._json_dumps(small)
        data = (line + "\n").encode("ascii")
        fd = self._os_open(self._path, self._flags, 0o600)
        try:
            view = memoryview(data)
            while view:
                view = view[self._os_write(fd, view) :]
        finally:
            self._os_close(fd)

    def _evaluate(self, exercise: str, nonce: str, thunk: Any) -> tuple[bool, Any]:
        try:
            return True, thunk()
        except BaseException as exc:
            if isinstance(exc, KeyboardInterrupt):
                raise
            self._emit({"x": exercise, "n": nonce, "raised": [_name(exc), _text(exc)]})
            return False, None

    def _value_record(self, exercise: str, nonce: str, value: Any) -> dict[str, Any]:
        try:
            return {"x": exercise, "n": nonce, "value": self._encode(value)}
        except codec.TooLarge as exc:
            return {"x": exercise, "n": nonce, "toolarge": _text(exc)}
        except BaseException as exc:
            if isinstance(exc, KeyboardInterrupt):
                raise
            return {"x": exercise, "n": nonce, "value": {"__obj__": codec._type_name(value), "repr": _text(exc)}}

    def value(self, exercise: str, nonce: str, thunk: Any) -> None:
        """Record EXPR's value for a value or choice exercise."""
        ok, value = self._evaluate(exercise, nonce, thunk)
        if not ok:
            return
        if value is Ellipsis:
            self._emit({"x": exercise, "n": nonce, "stub": True})
            return
        self._emit(self._value_record(exercise, nonce, value))

    def _read(self, path: str) -> str:
        fd = self._os_open(path, self._rdonly)
        try:
            chunks = []
            while True:
                chunk = self._os_read(fd, 1 << 20)
                if not chunk:
                    break
                chunks.append(chunk)
        finally:
            self._os_close(fd)
        return b"".join(chunks).decode("utf-8")

    def function(self, exercise: str, nonce: str, cases_path: str, thunk: Any) -> None:
        """Run the student's function on the grader's cases and record each output (or failure)."""
        ok, fn = self._evaluate(exercise, nonce, thunk)
        if not ok:
            return
        if fn is Ellipsis:
            self._emit({"x": exercise, "n": nonce, "stub": True})
            return
        if not callable(fn):
            self._emit(self._value_record(exercise, nonce, fn))
            return
        cases = self._loads(self._read(cases_path))
        codes = self._forbidden.get(exercise, {})
        used: set[str] = set()
        calls: list[dict[str, Any]] = []
        armed = [False]

        def on_alarm(signum: int, frame: Any) -> None:
            if armed[0]:
                raise _TimeUp

        timer = self._current() is self._main
        previous = None
        try:
            if timer:
                previous = self._signal(self._sigalrm, on_alarm)
                armed[0] = True
                self._setitimer(self._itimer, max(self._time_limit, 1e-3))
            self._call_each(fn, cases, codes, used, calls)
        except _TimeUp:  # the alarm went off between two calls
            calls.append({"timeout": True})
        finally:
            while timer:  # disarm, even if the alarm goes off in here
                try:
                    armed[0] = False
                    self._setitimer(self._itimer, 0)
                    self._signal(self._sigalrm, previous if previous is not None else 0)
                    break
                except _TimeUp:
                    continue
        self._emit({"x": exercise, "n": nonce, "calls": calls, "forbidden": sorted(used)})

    def _call_each(
        self, fn: Any, cases: Any, codes: dict[Any, str], used: set[str], calls: list[dict[str, Any]]
    ) -> None:
        """Call ``fn`` on a copy of each case, appending each output (or the failure that stops the run) to ``calls``.

        The names in ``codes`` (forbidden functions, by their code objects) that ``fn`` calls are added to ``used``.
        """

        def profiler(frame: Any, event: str, arg: Any) -> None:
            if event == "call":
                hit = codes.get(frame.f_code)
                if hit is not None:
                    used.add(hit)

        for args in cases:
            try:
                copies = self._deepcopy(tuple(args))
                if codes:
                    self._setprofile(profiler)
                try:
                    out = fn(*copies)
                finally:
                    if codes:
                        self._setprofile(None)
                calls.append({"out": self._encode(out)})
            except _TimeUp:
                calls.append({"timeout": True})
                break
            except codec.TooLarge as exc:
                calls.append({"toolarge": _text(exc)})
                break
            except KeyboardInterrupt:
                raise
            except BaseException as exc:
                calls.append({"exc": _name(exc), "msg": _text(exc)})
                break


COLLECTOR: Collector | None = None


def install(answers: str, forbidden: dict[str, list[str]], time_limit: float = TIME_LIMIT) -> None:
    """Kernel side, from the prelude cell: make the collector, quiet ``check``, close figures after cells."""
    global COLLECTOR
    COLLECTOR = Collector(answers, forbidden, time_limit)
    try:
        import mle_lib.homework as homework

        def check(exercise: Any, answer: Any = None, *args: Any, **kwargs: Any) -> None:
            print(f"{exercise}: {RECORDED}")

        homework.check = check
    except Exception:
        pass
    try:
        from IPython import get_ipython

        shell = get_ipython()

        def close_figures(*_: Any) -> None:
            import sys

            plt = sys.modules.get("matplotlib.pyplot")
            if plt is not None:
                with contextlib.suppress(Exception):
                    plt.close("all")

        if shell is not None:
            shell.events.register("post_run_cell", close_figures)
    except Exception:
        pass
