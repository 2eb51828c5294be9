"""The homework machinery: checks, the two editions and their agreement (issue 8)."""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import nbformat
import numpy as np
import pytest
from nbclient import NotebookClient

from mle_lib.homework import REGISTRY, Choice, Function, Value, digest, evaluate

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = sorted((ROOT / "notebooks").glob("*.ipynb"))
CHECK_CALL = re.compile(r"""check\(\s*["']((?:ex|turn)\d+\.\d+)["']""")
CHECK_LINE = re.compile(r"^((?:ex|turn)\d+\.\d+): (.*)$", re.M)


def _tool():
    spec = importlib.util.spec_from_file_location("make_student", ROOT / "tools" / "make_student.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _calls(path: Path) -> list[str]:
    nb = nbformat.read(path, as_version=4)
    return [m for c in nb.cells if c.cell_type == "code" for m in CHECK_CALL.findall(c.source)]


def _printed(nb: nbformat.NotebookNode) -> str:
    return "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []))


# --- the checks themselves ------------------------------------------------------------------------


def test_value_check_all_outcomes():
    ex = Value(expected=lambda: 0.25, what="a probability", mistakes=[(lambda: 0.75, "that is the other face")])
    assert evaluate_with(ex, 0.25).status == "correct"
    assert evaluate_with(ex, 0.2501).status == "correct"  # rounded
    assert evaluate_with(ex, 0.75).message == "not yet — that is the other face"
    assert evaluate_with(ex, 0.5).message.startswith("not yet — check your working")
    assert "expected a probability" in evaluate_with(ex, "a quarter").message
    assert "shape" in evaluate_with(ex, [0.25, 0.75]).message
    assert evaluate_with(ex, ...).status == "unanswered"


def test_value_check_is_robust_to_harmless_differences():
    ex = Value(expected=lambda: np.array([1.0, 2.0]), what="a pair", unordered=True)
    for answer in ([1, 2], (2.0, 1.0), np.array([2.0, 1.0])):
        assert evaluate_with(ex, answer).correct


def test_choice_stores_only_a_salted_hash():
    ex = Choice(answer_digest=digest("b"), options=["a", "b", "c"], hints={"a": "reread the definition"})
    assert evaluate_with(ex, " B ").correct
    assert evaluate_with(ex, "a").message == "not yet — reread the definition"
    assert "expected one of" in evaluate_with(ex, "d").message and "expected one of" in evaluate_with(ex, 2).message
    assert len(ex.answer_digest) == 64 and ex.answer_digest != digest("a")  # a salted SHA-256, not the answer


#: A comment that decodes a stored choice: ``# digest("b")``, a comment beside ``answer_digest=…``, or one naming
#: the right letter ("# the answer is 'c'").
_DECODING_COMMENT = re.compile(r"""digest\s*\(|\b(?:answer|right|correct)\b.*["'][a-z]["']""", re.I)


def test_no_comment_in_the_checks_decodes_a_digest():
    # students have mle_lib (and `check??` shows its source): a comment must not undo the salted hash
    import io
    import tokenize

    found = []
    for path in sorted((ROOT / "mle_lib" / "homework").glob("*.py")):
        text = path.read_text(encoding="utf-8")
        lines = text.splitlines()
        for tok in tokenize.generate_tokens(io.StringIO(text).readline):
            if tok.type != tokenize.COMMENT:
                continue
            row = tok.start[0]
            if _DECODING_COMMENT.search(tok.string) or "answer_digest" in lines[row - 1]:
                found.append(f"{path.name}:{row}: {tok.string}")
    assert not found, "comments that decode a choice's digest:\n" + "\n".join(found)


def test_function_check_runs_fresh_cases_and_names_known_mistakes():
    ex = Function(
        reference=lambda x: float(np.mean(x)),
        cases=lambda rng: [(rng.normal(size=5),) for _ in range(3)],
        mistakes=[(lambda x: float(np.sum(x)), "that is the sum")],
    )

    def stub(x):
        raise NotImplementedError("your code here")

    assert evaluate_with(ex, lambda x: sum(x) / len(x)).correct
    assert evaluate_with(ex, lambda x: float(np.sum(x))).message == "not yet — that is the sum"
    assert evaluate_with(ex, stub).status == "unanswered"
    assert "raised ZeroDivisionError" in evaluate_with(ex, lambda x: 1 / 0).message
    assert "shape" in evaluate_with(ex, lambda x: [1.0, 2.0]).message
    assert "expected a function" in evaluate_with(ex, 3.0).message


def evaluate_with(ex: Value | Choice | Function, answer: object):
    REGISTRY["test.tmp"] = ex
    try:
        return evaluate("test.tmp", answer)
    finally:
        del REGISTRY["test.tmp"]


def test_unknown_exercise_names_the_known_ones():
    r = evaluate("ex99.1", 1.0)  # one line, no KeyError traceback
    assert r.status == "error" and r.message == "no exercise 'ex99.1'; exercises of that chapter: none"
    assert "ex2.1, ex2.2" in evaluate("ex2.99", 1.0).message


# --- the generator --------------------------------------------------------------------------------


def test_strip_code_stubs_marked_lines_and_blocks():
    tool = _tool()
    src = "x = 1\nanswer_1 = 5 / 14  # SOLUTION\ndef f(a):\n    # BEGIN SOLUTION\n    return a\n    # END SOLUTION\n"
    out = tool.strip_code(src)
    assert "5 / 14" not in out and "return a" not in out
    assert "answer_1 = ...  # your answer" in out
    assert '    raise NotImplementedError("your code here")' in out
    for bad in ("print(1)  # SOLUTION", "# BEGIN SOLUTION\nx = 1", "# END SOLUTION"):
        with pytest.raises(ValueError):
            tool.strip_code(bad)


def test_student_edition_is_up_to_date():
    tool = _tool()
    built = tool.build()
    committed = {p: p.read_text() for p in sorted((ROOT / "student").glob("*.ipynb"))}
    assert sorted(committed) == sorted(built), "student/ does not hold one notebook per chapter: run make student"
    stale = [p.name for p, text in built.items() if committed[p] != text]
    assert not stale, f"student/ is out of date with notebooks/ ({stale}): run make student"


def test_student_edition_holds_no_solution_and_no_output():
    tool = _tool()
    for chapter in CHAPTERS:
        author = nbformat.read(chapter, as_version=4)
        student = json.loads((ROOT / "student" / chapter.name).read_text())
        text = json.dumps(student)
        assert "SOLUTION" not in text
        for cell in student["cells"]:
            assert not cell.get("outputs") and cell.get("execution_count") is None
            if "solution" in cell.get("metadata", {}).get("tags", []):
                assert "".join(cell["source"]) in ("*Your answer here.*", "# Your code here")
        shown = "".join("".join(c["source"]) for c in student["cells"])
        for cell in author.cells:  # no right-hand side of a marked answer survives (a chosen option is
            # shown among the options on purpose: the hash hides which one is right)
            if cell.cell_type != "code":
                continue
            for line in cell.source.split("\n"):
                m = tool._LINE.match(line)
                # (short right-hand sides such as "1 / 5" also occur in unrelated code: only the longer
                # ones are distinctive enough to search for; the stubs themselves are checked below)
                if m and m["rhs"][0] not in "\"'" and len(m["rhs"]) >= 12:
                    assert m["rhs"] not in shown, (chapter.name, m["rhs"])
        stubs = [ln for c in student["cells"] for ln in "".join(c["source"]).split("\n") if "# your answer" in ln]
        assert all(ln.split("=", 1)[1].strip().startswith("...") for ln in stubs), stubs


# --- the exercises ------------------------------------------------------------------------------


def test_every_exercise_is_checked_once_and_every_chapter_has_enough():
    calls = {chapter.name: _calls(chapter) for chapter in CHAPTERS}
    every = [e for c in calls.values() for e in c]
    assert len(every) == len(set(every)), "an exercise is checked twice"
    assert set(every) == {k for k in REGISTRY if k[0] != "d"}, "the registry and the notebooks disagree"
    for name, ids in calls.items():
        n = int(name[:2])
        assert sum(i.startswith(f"ex{n}.") for i in ids) >= 4, f"{name}: fewer than 4 end-of-chapter exercises"
        assert any(i.startswith(f"turn{n}.") for i in ids), f"{name}: no 'your turn' stop"


def test_author_edition_says_correct_everywhere():
    for chapter in CHAPTERS:
        lines = CHECK_LINE.findall(_printed(nbformat.read(chapter, as_version=4)))
        assert lines, f"{chapter.name}: no check output stored"
        wrong = [(i, msg) for i, msg in lines if not msg.startswith("correct")]
        assert not wrong, f"{chapter.name}: {wrong}"


@pytest.mark.parametrize("chapter", [p.name for p in CHAPTERS])
def test_student_edition_runs_and_every_check_says_not_answered(chapter, tmp_path):
    nb = nbformat.read(ROOT / "student" / chapter, as_version=4)
    NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert not errors, errors
    lines = CHECK_LINE.findall(_printed(nb))
    assert {i for i, _ in lines} == set(_calls(ROOT / "student" / chapter))
    assert all(msg.startswith("not answered yet") for _, msg in lines), lines


# --- issue 14, section 2: a check never misleads an honest student ------------------------------------
# (each test below reproduced its defect on the code before the fix)

import math  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402

import mle_lib.homework as hw  # noqa: E402

FUNCTIONS = sorted(k for k, ex in REGISTRY.items() if isinstance(ex, Function))
VALUES = sorted(k for k, ex in REGISTRY.items() if isinstance(ex, Value) and k[0] != "d")


def _fill(a, value):
    a[...] = value


#: For each Function exercise, how a cheat overwrites its test data so that the library, run on the same
#: arrays afterwards, agrees with whatever the cheat returns.
OVERWRITE = {
    "ex1.5": lambda c, k, n: _fill(c, c[0]),
    "ex2.4": lambda theta, x: _fill(x, 1),
    "ex2.5": lambda p, successes, n_trials: _fill(successes, n_trials),
    "ex2.6": lambda successes, n_trials: _fill(successes, 0),
    "ex3.4": lambda lam, counts: _fill(counts, 0),
    "ex4.4": lambda x: _fill(x, 0.0),
    "turn5.1": lambda x: _fill(x, np.linspace(0.0, 1.0, x.size)),
    "turn6.1": lambda x, means, sigma, priors: (_fill(means, x), _fill(sigma, 1.0)),
    "turn7.1": lambda x, w, means, variances: (_fill(means, 0.0), _fill(variances, 1.0)),
    "turn7.2": lambda x, resp: _fill(resp, 1.0 / resp.shape[0]),
    "turn8.1": lambda X, resp, old_means: _fill(resp, 1.0 / resp.shape[0]),
    "turn9.1": lambda heads, n, ta, tb: _fill(heads, 0),
    "ex8.7": lambda X, resp: _fill(resp, 1.0 / resp.shape[0]),
}
#: Function exercises whose arguments are all immutable (a string and integers): nothing to overwrite.
NO_ARRAYS = {"ex8.6"}


# 1. the student's function runs on copies, after the library -------------------------------------------
def test_a_correct_function_that_changes_its_input_in_place_passes():
    def in_place(theta, x):
        x = np.asarray(x)  # the array the check passed, not a copy
        n1 = int(x.sum())
        x -= 1
        x *= -1  # the tails are the ones now
        return n1 * math.log(theta) + int(x.sum()) * math.log(1 - theta)

    r = evaluate("ex2.4", in_place)
    assert r.correct, r.message


@pytest.mark.parametrize("exercise", sorted(OVERWRITE))
def test_a_function_that_overwrites_its_test_data_fails(exercise):
    ex = REGISTRY[exercise]

    def cheat(*args):
        OVERWRITE[exercise](*args)
        return ex.reference(*args)  # the library's answer for the data as the cheat left them

    r = evaluate(exercise, cheat)
    assert r.status == "wrong", r.message


def test_the_overwriting_cheat_is_tried_on_every_function_exercise():
    assert set(OVERWRITE) == set(FUNCTIONS) - NO_ARRAYS
    for exercise in NO_ARRAYS:
        cases = REGISTRY[exercise].cases(np.random.default_rng(0))
        assert all(isinstance(a, (str, int)) for args in cases for a in args)


# 2. None, a missing return and a wrong return type are named ---------------------------------------------
def test_a_function_that_returns_none_is_asked_about_its_return():
    def forgot(theta, x):
        _ = np.sum(x) * math.log(theta)  # computed, never returned

    r = evaluate("ex2.4", forgot)
    assert r.status == "wrong"
    assert "your function returned None — did you forget `return`?" in r.message
    assert "NotImplementedError" not in r.message


def test_a_function_returning_the_wrong_type_is_told_so():
    r = evaluate("ex2.4", lambda theta, x: "minus three")
    assert r.status == "wrong" and "your function returned str" in r.message


def test_a_value_answer_of_none_is_named():
    answer = print()  # a function that returns nothing, assigned
    r = evaluate("ex2.1", answer)
    assert r.status == "wrong" and "your answer is None" in r.message and "replace ..." not in r.message
    assert evaluate("ex2.1", ...).message == "not answered yet — replace ... with your answer"
    assert "your answer is None" in evaluate("ex1.2", None).message  # a choice
    assert "expected a function; got None" in evaluate("ex2.4", None).message


# 3. precision ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "kwargs, phrase",
    [
        ({}, "3 significant figures"),
        ({"rtol": 0.01}, "3 significant figures"),  # 2 figures could be 5 % off
        ({"rtol": 5e-4}, "4 significant figures"),
        ({"rtol": 0.05}, "2 significant figures"),
        ({"integer": True}, "exactly (a whole number)"),
    ],
)
def test_a_value_states_the_precision_it_needs(kwargs, phrase):
    assert Value(expected=lambda: 1.0, **kwargs).precision == phrase


def test_precision_of_every_exercise():
    for key, ex in REGISTRY.items():
        assert hw.precision_of(key) == (ex.precision if isinstance(ex, Value) else None)
    assert hw.precision_of("ex1.4") == "3 significant figures"


@pytest.mark.parametrize("exercise", VALUES)
def test_every_value_accepts_its_answer_rounded_to_the_stated_precision(exercise):
    ex = REGISTRY[exercise]
    right = np.asarray(hw.expected_of(exercise, "demo"), dtype=float)
    m = re.match(r"(\d) significant figures", ex.precision)
    if m:
        rounded = np.array([float(f"{v:.{int(m[1])}g}") for v in right.ravel()]).reshape(right.shape)
        integer = np.broadcast_to(np.asarray(ex.integer, dtype=bool), right.shape)
        rounded = np.where(integer, right, rounded)
    else:
        assert ex.precision.startswith("exactly")
        rounded = right
    assert evaluate(exercise, rounded.tolist() if rounded.ndim else float(rounded)).correct


def test_a_close_answer_is_told_to_keep_more_digits_not_given_a_method_hint():
    ex = Value(expected=lambda: 0.123456, mistakes=[(lambda: 0.5, "that is the other face")])
    assert evaluate_with(ex, 0.12).message == "not yet — close, but not within 3 significant figures: keep more digits"
    assert evaluate_with(ex, 0.2).message.startswith("not yet — check your working")
    r = evaluate("ex1.4", 3.3e-5)  # 1/30030 to 2 significant figures
    assert r.message == "not yet — close, but not within 3 significant figures: keep more digits"


def _prompts():
    """(exercise, prompt) for every check of a Value: the markdown from its heading down to the check."""
    out = []
    for chapter in CHAPTERS:
        nb = nbformat.read(chapter, as_version=4)
        for i, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            for exercise in CHECK_CALL.findall(cell.source):
                if not isinstance(REGISTRY.get(exercise), Value):
                    continue
                kind, number = re.match(r"(ex|turn)(\d+\.\d+)", exercise).groups()
                heading = re.compile(rf"^### {'Exercise' if kind == 'ex' else 'Your turn'} {re.escape(number)}\b")
                j = next((j for j in range(i, -1, -1) if heading.match(nb.cells[j].source)), None)
                assert j is not None, f"{chapter.name}: no heading above the check of {exercise}"
                out.append((exercise, "\n".join(c.source for c in nb.cells[j:i] if c.cell_type == "markdown")))
    return out


def test_every_numeric_prompt_states_its_precision():
    missing = [(e, hw.precision_of(e)) for e, prompt in _prompts() if hw.precision_of(e) not in prompt]
    assert not missing, "prompts that do not state the precision their check needs: " + "; ".join(
        f"{e}: {p!r}" for e, p in missing
    )


# 5. seeded cases ----------------------------------------------------------------------------------------------
_SEEN = """
import hashlib, numpy as np
from mle_lib.homework import evaluate
seen = []
def spy(*args):
    seen.append(repr([np.asarray(a).tolist() for a in args]))
    return 0.0
print(evaluate("ex2.4", spy).message)
print(hashlib.sha256("".join(seen).encode()).hexdigest())
"""


def test_function_cases_are_the_same_in_every_process():
    runs = [
        subprocess.run(
            [sys.executable, "-c", _SEEN], capture_output=True, text=True, check=True, env={"PYTHONHASHSEED": s}
        ).stdout
        for s in ("1", "2")
    ]
    assert runs[0] == runs[1]
    assert hw.case_seed("ex2.4") == hw.case_seed("ex2.4") != hw.case_seed("ex2.5")


@pytest.mark.parametrize("exercise", FUNCTIONS)
def test_every_function_exercise_has_20_cases_and_large_inputs(exercise):
    cases = REGISTRY[exercise].cases(np.random.default_rng(hw.case_seed(exercise)))
    assert len(cases) >= 20
    if exercise == "ex1.5":  # the large input is the number of flips: a product of 1100 of them underflows
        assert max(n for _c, _k, n in cases) >= 1100
    elif exercise == "ex8.6":  # the large input is the dimension: d(d + 1)/2 per full covariance
        assert max(d for _t, d, _k in cases) >= 50
    else:
        assert max(np.size(a) for args in cases for a in args) >= 1000


# 6. a time limit ------------------------------------------------------------------------------------------------
def _forever(theta, x):
    while True:
        pass


def test_a_function_that_never_returns_is_stopped():
    start = time.monotonic()
    r = evaluate("ex2.4", _forever, time_limit=0.5)
    assert time.monotonic() - start < 5
    assert r.status == "wrong" and r.message.startswith("not yet — your function took longer than 0.5 s on input ("), r
    r = evaluate("ex2.4", lambda theta, x: time.sleep(60), time_limit=0.3)
    assert "took longer than 0.3 s" in r.message
    import signal

    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)  # nothing left armed
    assert signal.getsignal(signal.SIGALRM) in (signal.SIG_DFL, None, signal.default_int_handler)


def test_the_time_limit_holds_off_the_main_thread_too():
    out = {}
    worker = threading.Thread(target=lambda: out.update(r=evaluate("ex2.4", _forever, time_limit=0.5)))
    start = time.monotonic()
    worker.start()
    worker.join(10)
    assert not worker.is_alive() and time.monotonic() - start < 5
    assert "took longer than 0.5 s" in out["r"].message


def test_the_default_time_limit_is_10_s():
    assert hw.TIME_LIMIT == 10.0


# 7. every failure is one short line -----------------------------------------------------------------------
class _BadFloat:
    def __float__(self):
        raise RuntimeError("no float for you")


class _BadArray:
    def __array__(self, dtype=None, copy=None):
        raise RuntimeError("no array for you")


class _BadRepr(_BadFloat):
    def __repr__(self):
        raise RuntimeError("no repr either")


def _raises_huge(theta, x):
    raise ValueError("x" * 100_000)


@pytest.mark.parametrize(
    "exercise, answer, words",
    [
        ("ex99.1", 1.0, "no exercise 'ex99.1'"),
        ("ex2.99", 1.0, "no exercise 'ex2.99'"),
        (2.1, 1.0, "as a string"),
        (None, 1.0, "as a string"),
        ("ex1.1", _BadFloat(), "expected a probability"),
        ("ex1.1", _BadArray(), "expected a probability"),
        ("ex1.1", _BadRepr(), "expected a probability"),
        ("ex2.3", [_BadFloat(), 1.0], "expected a pair"),
        ("ex2.4", _raises_huge, "your function raised ValueError"),
        ("ex1.1", "1" * 1_000_000, "expected a probability"),
        ("ex1.1", [0.2] * 1_000_000, "shape"),
        ("ex1.2", "a" * 1_000_000, "expected one of"),
        ("ex2.4", lambda theta, x: [0.1] * 1_000_000, "shape"),
    ],
)
def test_every_failure_is_one_short_line(exercise, answer, words, capsys):
    hw.check(exercise, answer)
    out = capsys.readouterr()
    lines = out.out.splitlines()
    assert len(lines) == 1 and not out.err, out
    assert len(lines[0]) <= 200 and words in lines[0] and "Traceback" not in lines[0], lines[0]


def test_every_hint_fits_on_one_short_line():
    for key, ex in REGISTRY.items():
        hints = [h for _w, h in getattr(ex, "mistakes", ())] + list(getattr(ex, "hints", {}).values())
        for h in [*hints, getattr(ex, "hint", "")]:
            line = f"{key}: not yet — {h}"
            assert "\n" not in line and len(line) <= 200, line


# 8. what is not a number, and counts -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "answer, name",
    [
        (True, "bool"),
        (np.True_, "bool"),
        (b"0.2", "bytes"),
        ("0.2", "str"),
        (0.2 + 0j, "complex"),
        (np.complex128(0.2), "complex"),
        ([True, False], "bool"),
        (["0.1", "0.6"], "str"),
    ],
)
def test_bools_bytes_strings_and_complex_numbers_are_not_numbers(answer, name):
    exercise = "ex2.3" if isinstance(answer, list) else "ex1.1"
    r = evaluate(exercise, answer)
    assert r.status == "wrong" and "expected a" in r.message and f"got {name}" in r.message, r.message


def test_a_function_returning_a_bool_or_complex_is_refused():
    assert "returned bool" in evaluate("ex2.6", lambda k, n: True).message
    assert "returned complex" in evaluate("ex2.6", lambda k, n: 0.5 + 0j).message


def test_a_count_must_be_whole():
    assert evaluate("ex5.3", (113.5, 135.6)).message == "not yet — a count must be a whole number; got 113.5"
    assert evaluate("ex5.3", (113.0, 135.6)).correct and evaluate("ex5.3", (np.int64(113), 135.6)).correct
    assert evaluate("ex6.2", 16.5).message == "not yet — a count must be a whole number; got 16.5"
    assert evaluate("ex8.5", 2.5).message == "not yet — a count must be a whole number; got 2.5"


def test_the_count_exercises_are_flagged():
    counts = {k for k in VALUES if np.any(REGISTRY[k].integer)}
    assert counts == {"ex5.3", "ex6.2", "ex8.5"}


# the answer is never printed -------------------------------------------------------------------------------
@pytest.mark.parametrize("exercise", [e for e in VALUES if e not in ("ex8.3", "ex8.5")])
def test_no_message_shows_the_answer(exercise):
    right = np.asarray(hw.expected_of(exercise, "demo"), dtype=float)
    forms = {f"{abs(v):.{d}g}" for v in right.ravel() for d in (2, 3, 4) if not (v == round(v) and abs(v) < 100)}
    tries = [right * 1.02, right * 1.3, right + 7.0, right * -1.0, "x", True, None, [1.0] * 3]
    for answer in tries:
        message = evaluate(exercise, answer.tolist() if isinstance(answer, np.ndarray) else answer).message
        shown = [f for f in forms if re.search(rf"(?<![\d.]){re.escape(f)}(?![\d]|\.\d)", message)]
        assert not shown, (answer, message)


@pytest.mark.parametrize("exercise", ["ex3.2", "ex4.1", "ex5.1"])
def test_an_exact_answer_close_to_a_simulation_is_told_to_compute_it(exercise):
    # these prompts also ask for a simulation: "keep more digits" of a simulated value would not help
    near = float(hw.expected_of(exercise, "demo")) * 1.015  # (ex5.1: its unbiased mistake is 2.9 % away)
    message = evaluate(exercise, near).message
    assert message.startswith("not yet — close, but not within 3 significant figures") and "exact" in message


def test_the_chapters_are_found_by_their_modules_and_a_missing_one_fails():
    """Every chapter notebook has its exercise module (found on disk, not listed), and gathering a module
    that does not exist raises instead of skipping it."""
    from pathlib import Path

    from mle_lib.homework.variants import chapter_modules, gather

    notebooks = sorted(p.name[:2] for p in (Path(__file__).parents[1] / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    assert [m.rsplit(".ch", 1)[1] for m in chapter_modules()] == notebooks
    assert "mle_lib.homework.variants_ch02" in chapter_modules("variants_")
    with pytest.raises(ModuleNotFoundError):
        gather(["mle_lib.homework.ch99"], "EXERCISES", {}, "exercise")
