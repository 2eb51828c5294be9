"""Verdicts, computed in the grader's process only, from what the sandboxed kernel handed over.

A value or choice is rebuilt from its JSON (:mod:`.codec`) and judged by
:func:`mle_lib.homework.evaluate`. A function exercise is judged by ``evaluate`` too, with a stand-in for
the student's function (:class:`Replay`) that returns, call by call, the outputs the kernel recorded on the
same cases in the same order (both sides draw them from :func:`.common.seed_for`; the stand-in checks every
call's arguments against the cases the grader wrote, so a drift would show as "ungraded", never as a
verdict). The hints are therefore the ones ``check()`` gives.

A function that calls a library function its exercise forbids (:data:`FORBIDDEN`, read from the prompts) is
marked wrong with a message saying so.
"""

from __future__ import annotations

import builtins
import re
import threading
from dataclasses import dataclass
from typing import Any

from . import codec
from .common import MAX_POINTS, TERM, points, seed_for

#: Library functions an exercise's prompt tells the student not to use ("not `ml.binomial_e_step`").
FORBIDDEN: dict[str, tuple[str, ...]] = {
    "ex4.4": ("normal_mle",),  # "using numpy but not `ml.normal_mle`"
    "turn5.1": ("uniform_mle",),  # "without `ml.uniform_mle` or scipy"
    "turn6.1": ("posterior_probs",),  # "Use numpy or `scipy.stats.norm`, not `ml.posterior_probs`"
    "turn9.1": ("binomial_e_step",),  # "Use numpy or `scipy.stats.binom`, not `ml.binomial_e_step`"
}

# evaluate() is not meant to run in several threads at once (it sets warning filters): one at a time.
_LOCK = threading.Lock()


@dataclass(frozen=True)
class Verdict:
    """The grade of one exercise: its status and the message the student sees."""

    exercise: str
    status: str  # one of common.STATUSES
    message: str

    @property
    def points(self) -> int:
        """The points this verdict earns."""
        return points(self.status)

    @property
    def max_points(self) -> int:
        """The points any exercise can earn."""
        return MAX_POINTS


def kind_of(exercise: str) -> str:
    """The kind of exercise the registry holds: "function", "value" or "choice"; "unknown" if none."""
    from mle_lib.homework import REGISTRY, Choice, Function, Value

    ex = REGISTRY.get(exercise)
    return (
        "function"
        if isinstance(ex, Function)
        else "choice"
        if isinstance(ex, Choice)
        else "value"
        if isinstance(ex, Value)
        else "unknown"
    )


def cases_for(student: str, exercise: str) -> list[tuple[Any, ...]]:
    """The test cases of a function exercise for ``student``, as ``evaluate`` will draw them."""
    import numpy as np

    from mle_lib.homework import REGISTRY, Function

    ex = REGISTRY[exercise]
    if not isinstance(ex, Function):
        raise TypeError(f"{exercise} is not a function exercise: it has no test cases")
    return list(ex.cases(np.random.default_rng(seed_for(student, exercise))))


def cases_json(cases: list[tuple[Any, ...]]) -> str:
    """The test cases as the JSON the kernel decodes."""
    return codec.dumps([tuple(args) for args in cases])


class _GraderError(Exception):
    pass


_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,59}$")


def _exception(name: str, message: str) -> BaseException:
    """An exception named ``name``, carrying ``message``.

    A builtin ``Exception`` subclass if there is one; never a BaseException such as KeyboardInterrupt or SystemExit.
    """
    name = name if _IDENT.match(str(name)) else "Exception"
    builtin = getattr(builtins, name, None)
    if isinstance(builtin, type) and issubclass(builtin, Exception):
        try:
            return builtin(message)
        except Exception:
            pass
    return type(name, (Exception,), {})(message)


class Replay:
    """Stands in for the student's function: returns (or raises) what the kernel recorded, call by call."""

    def __init__(self, calls: list[dict[str, Any]], cases: list[tuple[Any, ...]]) -> None:
        self._cases = [codec.dumps(tuple(args)) for args in cases]
        self._calls = []
        for rec in calls:
            if not isinstance(rec, dict):
                raise ValueError("a call record is not an object")
            if "out" in rec:
                self._calls.append(("out", codec.decode(rec["out"])))
            elif rec.get("timeout") is True:
                self._calls.append(("timeout", None))
            elif "exc" in rec:
                self._calls.append(("exc", (str(rec["exc"])[:60], str(rec.get("msg", ""))[:300])))
            elif "toolarge" in rec:
                self._calls.append(("toolarge", str(rec["toolarge"])[:200]))
            else:
                raise ValueError("an unknown call record")
        self.index = 0
        self.problem: str | None = None
        self.__name__ = "student_function"

    def __call__(self, *args: Any) -> Any:
        """The recorded output of the next call, once its arguments are checked against the case the grader wrote."""
        from mle_lib import homework

        k = self.index
        self.index += 1
        if k >= len(self._cases) or codec.dumps(tuple(args)) != self._cases[k]:
            self.problem = f"the test cases the grader wrote differ from those it judged with (case {k + 1})"
            raise _GraderError(self.problem)
        if k >= len(self._calls):
            self.problem = f"the kernel recorded {len(self._calls)} calls, and the check asked for call {k + 1}"
            raise _GraderError(self.problem)
        what, payload = self._calls[k]
        if what == "out":
            return payload
        if what == "timeout":
            raise homework._TimeUp  # as the check's own timer raises it: "took longer than 10 s on input …"
        if what == "toolarge":
            self.problem = f"your function's output on case {k + 1} was too large to hand over ({payload})"
            raise _GraderError(self.problem)
        name, message = payload
        raise _exception(name, message)


def judge_record(student: str, exercise: str, record: dict[str, Any]) -> Verdict:
    """The verdict on one collected line (already matched to its exercise and nonce)."""
    from mle_lib.homework import evaluate

    if record.get("stub") is True:
        return Verdict(exercise, "unanswered", "not answered yet — replace ... with your answer")
    if "raised" in record:
        name, text = ([*list(record["raised"]), "", ""])[:2]
        return Verdict(
            exercise,
            "ungraded",
            f"evaluating your answer in the notebook raised {str(name)[:60]}: {str(text)[:200]}",
        )
    if "toolarge" in record:
        return Verdict(
            exercise, "ungraded", f"your answer was too large to hand over ({str(record['toolarge'])[:200]})"
        )
    seed = seed_for(student, exercise)
    replay = None
    if "calls" in record:
        if not isinstance(record["calls"], list):
            raise ValueError("calls is not a list")
        replay = Replay(record["calls"], cases_for(student, exercise))
        answer: Any = replay
    elif "value" in record:
        answer = codec.decode(record["value"])
    else:
        raise ValueError("the record holds no answer")
    params, reference = TERM.entry(student, exercise)
    with _LOCK:
        result = evaluate(
            exercise, answer, seed=seed, student=TERM.identity(student), params=params, reference=reference
        )
    if replay is not None and replay.problem:
        return Verdict(exercise, "ungraded", f"grader: {replay.problem}")
    status = {"correct": "correct", "wrong": "wrong", "unanswered": "unanswered"}.get(result.status)
    if status is None:
        return Verdict(exercise, "ungraded", f"grader: the check could not judge this answer ({result.message})")
    used = [str(n)[:40] for n in record.get("forbidden", []) if isinstance(n, str)]
    banned = {f"ml.{n}" for n in FORBIDDEN.get(exercise, ())}
    used = [n for n in used if n in banned]
    if used and status != "unanswered":
        names = " and ".join(f"`{n}`" for n in sorted(set(used)))
        return Verdict(
            exercise, "wrong", f"not yet — your function calls {names}, which this exercise asks you not to use"
        )
    return Verdict(exercise, status, result.message)
