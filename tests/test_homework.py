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
    with pytest.raises(KeyError, match="no exercise 'ex99.1'"):
        evaluate("ex99.1", 1.0)


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
