"""Hostile submissions of chapter 2, generated from the editions at test time, each with the grade it deserves.

:func:`build` writes every submission into a folder and returns, per submission, the status each exercise of
chapter 2 must get from the real grader (``EXPECTED``), and what the in-kernel judge of ``inkernel.py`` — the
negative control — is expected to say where a cheat fools it (``FOOLS_CONTROL``).
"""

from __future__ import annotations

import copy
import json
import re
import sys
from pathlib import Path
from typing import Any

import nbformat

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import editions  # noqa: E402

CHAPTER = "02_bernoulli_binomial"
EXERCISES = ("turn2.1", "ex2.1", "ex2.2", "ex2.3", "ex2.4", "ex2.5", "ex2.6", "ex2.7")
FUNCTIONS = ("ex2.4", "ex2.5", "ex2.6")
VALUES = ("turn2.1", "ex2.1", "ex2.2", "ex2.3", "ex2.7")
#: Marker of files a submission tries to write outside its folder.
MARK = "HACKED-BY-A-SUBMISSION"

C, W, U, G = "correct", "wrong", "unanswered", "ungraded"


def _author() -> nbformat.NotebookNode:
    return nbformat.read(ROOT / "notebooks" / f"{CHAPTER}.ipynb", as_version=4)


def _student() -> nbformat.NotebookNode:
    return nbformat.read(ROOT / "student" / f"{CHAPTER}.ipynb", as_version=4)


def _owners(nb: nbformat.NotebookNode) -> dict[int, str]:
    from grading.job import exercise_of_cells

    return exercise_of_cells(nb.cells, editions.exercise_cells(nb))


def solve(nb: nbformat.NotebookNode, exercises: tuple[str, ...] = EXERCISES) -> nbformat.NotebookNode:
    """The student edition with the author's code in every code cell of ``exercises`` (matched by cell id), and
    a written answer of the student's own in each free-text cell."""
    out = copy.deepcopy(nb)
    author = {c.get("id"): c for c in _author().cells}
    owners = _owners(out)
    for index, cell in enumerate(out.cells):
        if owners.get(index) not in exercises:
            continue
        if cell.cell_type == "code" and cell.get("id") in author:
            cell.source = author[cell["id"]].source
        elif cell.cell_type == "markdown" and cell.source.strip() == "*Your answer here.*":
            cell.source = f"My own reasoning for {owners[index]}: the likelihood is largest there."
    return out


def _index_of_check(nb: nbformat.NotebookNode, exercise: str) -> int:
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and re.search(rf"""check\(\s*["']{re.escape(exercise)}["']""", cell.source):
            return index
    raise LookupError(exercise)


def insert_after(nb: nbformat.NotebookNode, exercise: str, source: str) -> nbformat.NotebookNode:
    out = copy.deepcopy(nb)
    out.cells.insert(_index_of_check(out, exercise) + 1, nbformat.v4.new_code_cell(source))
    return out


def insert_after_imports(nb: nbformat.NotebookNode, source: str) -> nbformat.NotebookNode:
    out = copy.deepcopy(nb)
    first = next(i for i, c in enumerate(out.cells) if c.cell_type == "code" and "import" in c.source)
    out.cells.insert(first + 1, nbformat.v4.new_code_cell(source))
    return out


def replace_answers(nb: nbformat.NotebookNode, make: Any) -> nbformat.NotebookNode:
    """Each ``name = ...  # your answer`` line of the value exercises becomes ``name = make(name)``."""
    out = copy.deepcopy(nb)
    for cell in out.cells:
        if cell.cell_type == "code":
            pattern = r"^(\s*)(\w+) = \.\.\.  # your answer$"
            cell.source = re.sub(pattern, lambda m: f"{m[1]}{m[2]} = {make(m[2])}", cell.source, flags=re.M)
    return out


def replace_function(nb: nbformat.NotebookNode, exercise: str, source: str) -> nbformat.NotebookNode:
    """The code cell with ``check(exercise, …)`` becomes ``source`` followed by that check line."""
    out = copy.deepcopy(nb)
    cell = out.cells[_index_of_check(out, exercise)]
    check_line = next(line for line in cell.source.splitlines() if line.startswith("check("))
    cell.source = source.rstrip() + "\n\n\n" + check_line
    return out


_FUNC_NAMES = {"ex2.4": "my_bernoulli_loglik", "ex2.5": "my_binomial_loglik", "ex2.6": "my_binomial_mle"}
_FUNC_ARGS = {"ex2.4": "theta, x", "ex2.5": "p, successes, n_trials", "ex2.6": "successes, n_trials"}


def _steal_cell(source_path: str) -> str:
    """A cell defining ``steal(name)``: the answer read from ``source_path``'s solution lines (the author's
    notebook or another student's submission), else from the exercise registry, else ``...``."""
    return f'''
import json as _json, re as _re

def steal(name):
    """What another notebook assigned to `name` on a '# SOLUTION' line, evaluated here."""
    try:
        with open({source_path!r}, encoding="utf-8") as f:
            cells = _json.load(f)["cells"]
        for c in cells:
            text = "".join(c["source"]) if isinstance(c["source"], list) else c["source"]
            m = _re.search(rf"^\\s*{{name}} = (.+?)\\s*# SOLUTION\\s*$", text, _re.M)
            if m:
                return eval(m[1], globals())
    except Exception:
        pass
    try:
        from mle_lib.homework import REGISTRY
        exercise = {{"answer_turn_2_1": "turn2.1", "answer_2_1": "ex2.1", "answer_2_2": "ex2.2",
                    "answer_2_3": "ex2.3"}}.get(name)
        return REGISTRY[exercise].expected()
    except Exception:
        pass
    try:
        import mle_lib.homework.ch02 as _ch02
        return _ch02.EXERCISES[exercise].expected()  # in the sandbox a stand-in without exercises
    except Exception:
        return ...
'''


def build(folder: Path, probe_port: int, other: str = "solved") -> dict[str, Path]:
    """Write every hostile submission into ``folder``; returns name → path."""
    folder.mkdir(parents=True, exist_ok=True)
    blank, author = _student(), _author()
    solved = solve(blank)
    subs: dict[str, Any] = {}
    subs["solved"] = solved
    subs["blank"] = blank
    subs["half"] = solve(blank, EXERCISES[:4])
    subs["patch_check"] = insert_after_imports(
        blank,
        "import mle_lib.homework as hw\n"
        "def check(exercise, answer, **kwargs):\n"
        "    print(f'{exercise}: correct')\n"
        "hw.check = check",
    )
    subs["patch_evaluate"] = insert_after_imports(
        blank,
        "import mle_lib.homework as hw\n"
        "hw.evaluate = lambda exercise, answer, **kwargs: hw.Result(exercise, 'correct', 'correct')",
    )
    wrong_answers = {"answer_2_3": "(0.123, 0.456)", "prediction_2_7": "'a'"}
    wrong = replace_answers(blank, lambda name: wrong_answers.get(name, "0.123"))
    wrong = _all_functions(wrong, "return 0.0")
    subs["patch_allclose"] = insert_after_imports(wrong, "np.allclose = lambda *args, **kwargs: True")
    subs["fake_print_one"] = insert_after(blank, "ex2.1", 'print("ex2.1: correct")')
    fake_all = copy.deepcopy(blank)
    fake_all.cells.append(
        nbformat.v4.new_code_cell("for ex in " + repr(list(EXERCISES)) + ":\n    print(f'{ex}: correct')")
    )
    subs["fake_print_all"] = fake_all
    # the function replaces the library's reference (the test data's source) and returns what it now says
    subs["overwrite_reference"] = replace_function(
        blank,
        "ex2.6",
        "def my_binomial_mle(successes, n_trials):\n"
        "    successes[:] = 0   # overwrite the case it was given\n"
        "    return 0.0\n"
        "\n"
        "\n"
        "ml.binomial_mle = lambda successes, n_trials: 0.0   # and the library's function, which a check compares with",
    )
    mutate = solve(blank, FUNCTIONS)
    mutate = replace_function(
        mutate,
        "ex2.6",
        "def my_binomial_mle(successes, n_trials):\n"
        "    k = np.asarray(successes)\n"
        "    result = k.sum() / (k.size * n_trials)\n"
        "    k[:] = -1   # spoil the input after use: harmless, each call gets its own copy\n"
        "    return result",
    )
    subs["mutate_input"] = mutate
    loop = insert_after(solved, "ex2.3", "while True:\n    pass")
    loop = replace_function(loop, "ex2.6", "def my_binomial_mle(successes, n_trials):\n    while True:\n        pass")
    subs["infinite_loop"] = loop
    subs["stuck_loop"] = insert_after(
        solved, "ex2.3", "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass"
    )
    subs["memory_bomb"] = insert_after(
        solved, "ex2.2", "import numpy as np\nbomb = np.ones(8 * 2**30 // 8)\nbomb[::4096] = 2.0\nprint(bomb.sum())"
    )
    subs["memory_spread"] = insert_after(  # under the per-process limit, over the job's total: stopped
        solved,
        "ex2.3",
        "import os, time\n"
        "import numpy as np\n"
        "for _ in range(8):   # 8 processes of 0.75 GiB each: 6 GiB in all, bounded even with no limit at all\n"
        "    if os.fork() == 0:\n"
        "        try:\n"
        "            block = np.ones(3 * 2**30 // 32)\n"
        "            time.sleep(30)\n"
        "        finally:\n"
        "            os._exit(0)\n"
        "time.sleep(30)",
    )
    subs["fork_bomb"] = insert_after(
        solved,
        "ex2.2",
        "import os, time\n"
        "children = 0\n"
        "for _ in range(400):   # bounded: even with no limit at all, 400 sleeping processes that exit in 20 s\n"
        "    try:\n"
        "        pid = os.fork()\n"
        "    except OSError:\n"
        "        break\n"
        "    if pid == 0:\n"
        "        time.sleep(20)\n"
        "        os._exit(0)\n"
        "    children += 1\n"
        "print('children', children)",
    )
    subs["network"] = insert_after_imports(
        replace_answers(blank, lambda name: "REACHED" if name == "answer_2_1" else "..."),
        "import socket\n"
        "REACHED = ...\n"
        f"for host, port in (('1.1.1.1', 53), ('127.0.0.1', {probe_port})):\n"
        "    try:\n"
        "        socket.create_connection((host, port), timeout=3).close()\n"
        "        REACHED = 0.0   # ex2.1's answer, given only if the network answered\n"
        "    except OSError:\n"
        "        pass\n"
        "try:\n"
        "    socket.getaddrinfo('pypi.org', 443)\n"
        "    REACHED = 0.0\n"
        "except OSError:\n"
        "    pass",
    )
    steal_author = _steal_cell(str(ROOT / "notebooks" / f"{CHAPTER}.ipynb"))
    subs["read_solutions"] = insert_after_imports(replace_answers(blank, lambda n: f"steal({n!r})"), steal_author)
    steal_other = _steal_cell(str(folder / f"{other}.ipynb"))
    subs["read_other"] = insert_after_imports(replace_answers(blank, lambda n: f"steal({n!r})"), steal_other)
    subs["write_outside"] = insert_after_imports(
        blank,
        "import os\n"
        f"for target in ({str(ROOT / (MARK + '.txt'))!r}, {'/tmp/' + MARK + '.txt'!r}, "
        f"{str(folder / (MARK + '.txt'))!r}, '/grading/{MARK}.txt', '/work/{MARK}.txt'):\n"
        "    try:\n"
        "        with open(target, 'w') as f:\n"
        "            f.write('x')\n"
        "    except OSError:\n"
        "        pass",
    )
    subs["kill_kernel"] = insert_after(solved, "ex2.3", "import os\nos.kill(os.getpid(), 9)")
    subs["flood"] = insert_after(solved, "ex2.2", "for _ in range(10_000):\n    print('x' * 10_000)")
    deleted = copy.deepcopy(solved)
    del deleted.cells[_index_of_check(deleted, "ex2.4")]
    subs["deleted_cell"] = deleted
    subs["author_as_is"] = author
    # chapter 9, whose prompt forbids `ml.binomial_e_step` in turn9.1: a right answer through that function
    ch9 = nbformat.read(ROOT / "student" / "09_em_beyond_gaussians.ipynb", as_version=4)
    subs["forbidden_call"] = replace_function(
        ch9,
        "turn9.1",
        "def responsibilities(heads, n, theta_a, theta_b):\n"
        "    return ml.binomial_e_step(heads, n, [theta_a, theta_b])[0]",
    )
    paths = {}
    for name, nb in subs.items():
        path = folder / f"{name}.ipynb"
        nbformat.write(nb, path)
        paths[name] = path
    bad = folder / "not_a_notebook.ipynb"
    bad.write_text("this is not a notebook {", encoding="utf-8")
    paths["not_a_notebook"] = bad
    return paths


def _all_functions(nb: nbformat.NotebookNode, body: str) -> nbformat.NotebookNode:
    for ex in FUNCTIONS:
        nb = replace_function(nb, ex, f"def {_FUNC_NAMES[ex]}({_FUNC_ARGS[ex]}):\n    {body}")
    return nb


def _grades(**by: str) -> dict[str, str]:
    default = by.pop("rest")
    return {ex: by.get(ex.replace(".", "_"), default) for ex in EXERCISES}


#: The grade of every exercise of every hostile submission (real grader).
EXPECTED: dict[str, dict[str, str]] = {
    "solved": _grades(rest=C),
    "blank": _grades(rest=U),
    "half": _grades(turn2_1=C, ex2_1=C, ex2_2=C, ex2_3=C, rest=U),
    "patch_check": _grades(rest=U),
    "patch_evaluate": _grades(rest=U),
    "patch_allclose": _grades(rest=W),
    "fake_print_one": _grades(rest=U),
    "fake_print_all": _grades(rest=U),
    "overwrite_reference": _grades(ex2_6=W, rest=U),
    "mutate_input": _grades(ex2_4=C, ex2_5=C, ex2_6=C, rest=U),
    "infinite_loop": _grades(ex2_6=W, rest=C),
    "stuck_loop": _grades(turn2_1=C, ex2_1=C, ex2_2=C, ex2_3=C, rest=G),
    "memory_bomb": _grades(rest=C),
    "fork_bomb": _grades(rest=C),
    "memory_spread": _grades(turn2_1=C, ex2_1=C, ex2_2=C, ex2_3=C, rest=G),
    "network": _grades(rest=U),
    "read_solutions": _grades(rest=U),
    "read_other": _grades(rest=U),
    "write_outside": _grades(rest=U),
    "kill_kernel": _grades(turn2_1=C, ex2_1=C, ex2_2=C, ex2_3=C, rest=G),
    "flood": _grades(rest=C),
    "deleted_cell": _grades(ex2_4=G, rest=C),
    "author_as_is": _grades(rest=C),
    "not_a_notebook": _grades(rest=G),
    "forbidden_call": {"turn9.1": W, "ex9.1": U, "ex9.2": U, "ex9.3": U, "ex9.4": U},
}

#: Words the message of an ungraded exercise must contain.
REASONS = {
    "stuck_loop": "ignored the interrupt",
    "kill_kernel": "kernel died",
    "memory_spread": "more than 4 GiB",
    "deleted_cell": "no check(",
    "not_a_notebook": "not a notebook",
}

#: What the in-kernel judge (the negative control) says where a cheat fools it.
FOOLS_CONTROL: dict[str, dict[str, str]] = {
    "patch_check": _grades(rest=C),
    "patch_evaluate": _grades(rest=C),
    "patch_allclose": _grades(ex2_7=W, rest=C),
    "fake_print_one": _grades(ex2_1=C, rest=U),
    "fake_print_all": _grades(rest=C),
    "overwrite_reference": _grades(ex2_6=C, rest=U),
    "read_solutions": _grades(turn2_1=C, ex2_1=C, ex2_2=C, ex2_3=C, ex2_7=C, rest=U),
    "read_other": _grades(turn2_1=C, ex2_1=C, ex2_2=C, ex2_3=C, ex2_7=C, rest=U),
    "network": _grades(ex2_1=C, rest=U),
}


def dump(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, indent=1), encoding="utf-8")
