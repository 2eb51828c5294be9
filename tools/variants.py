#!/usr/bin/env python3
"""Every student's variant of every data exercise: the manifest grading reads, its check, office hours.

    make variants ROSTER=roster.csv [COURSE_KEY=term-key]
        manifest.json in build/variants/: per student and exercise, the parameters and the reference answer
        (computed once, here, so that a later numpy or library change cannot move a grade)
    make variants-check [ROSTER=roster.csv] [COURSE_KEY=…]
        fails when a reference does not solve its variant, when a variant is degenerate, or when too many
        students share an answer; without a roster, a class of 500 made-up students is checked; prints the
        collision rate of each exercise
    make variant STUDENT=id [COURSE_KEY=…]
        one student's data and answers, for office hours (a lecturer's command: it prints the answers)

The roster is a CSV with a column ``student`` (the id the student's kernel sees: ``MLE_STUDENT_ID`` or their
JupyterHub user name). Exercises without data of their own (choices, the Old Faithful questions) are the same
for everyone; their function exercises are still judged on test cases seeded by the student's id.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "build" / "variants" / "manifest.json"

#: At most this share of a class may share one answer of one exercise (the most common answer).
MAX_SHARED = 0.05
#: The size of the made-up class that ``variants-check`` measures without a roster.
CLASS_SIZE = 500


def read_roster(path: Path) -> list[str]:
    """The student ids of the roster CSV at ``path``, each cleaned; exits naming the problem if any is bad."""
    from mle_lib.homework.variants import _clean

    with path.open(newline="", encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    if not rows or "student" not in rows[0]:
        raise SystemExit(
            f"variants.py: {path} must be a CSV with a column 'student'; got {list(rows[0]) if rows else []}"
        )
    ids = [_clean(r["student"], f"{path}: student") for r in rows]
    twice = sorted(k for k, n in Counter(ids).items() if n > 1)
    if twice:
        raise SystemExit(f"variants.py: {path} lists these students twice: {', '.join(twice)}")
    return ids


def _plain(value: Any) -> Any:
    arr = np.asarray(value, dtype=float)
    return arr.tolist() if arr.shape else float(arr)


def _rounded(answer: Any) -> str:
    """An answer as a student would write it, to 3 significant figures: what two students "share"."""
    return json.dumps([float(f"{v:.3g}") for v in np.ravel(np.asarray(answer, dtype=float))])


def reference(exercise: str, params: dict[str, Any]) -> Any:
    """The library's answer to ``exercise`` for these parameters."""
    from mle_lib.homework import REGISTRY, Value

    ex = REGISTRY[exercise]
    if not isinstance(ex, Value):
        raise TypeError(f"{exercise} is not a numeric exercise: it has no reference answer to compute")
    return _plain(ex.expected(**params))


def entries(students: list[str], key: str) -> dict[str, dict[str, dict[str, Any]]]:
    """{student: {exercise: {"params": …, "answer": …}}} for every exercise with variants."""
    from mle_lib.homework.variants import RECIPES, params_for

    out: dict[str, dict[str, dict[str, Any]]] = {}
    for student in students:
        out[student] = {}
        for exercise in sorted(RECIPES):
            if exercise.startswith("demo."):
                continue
            params = params_for(exercise, student, key)
            out[student][exercise] = {"params": params, "answer": reference(exercise, params)}
    return out


def manifest(students: list[str], key: str) -> dict[str, Any]:
    """The variants manifest of ``students`` under course key ``key``, with what made it."""
    import platform

    import mle_lib

    return {
        "course_key": key,
        "made": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "made_with": {"python": platform.python_version(), "numpy": np.__version__, "mle_lib": mle_lib.__version__},
        "students": entries(students, key),
    }


def problems(table: dict[str, dict[str, dict[str, Any]]]) -> tuple[list[str], dict[str, tuple[int, float]]]:
    """What is wrong with a class's variants, and per exercise (distinct answers, share of the commonest)."""
    from mle_lib.homework import REGISTRY, Choice, evaluate
    from mle_lib.homework.variants import RECIPES

    wrong: list[str] = []
    answers: dict[str, list[str]] = {}
    for student, exercises in table.items():
        for exercise, entry in exercises.items():
            why = RECIPES[exercise].problem(entry["params"])
            if why:
                wrong.append(f"{student} {exercise}: degenerate variant ({why}): {entry['params']}")
            verdict = evaluate(exercise, entry["answer"], student=student, params=entry["params"])
            if not verdict.correct:
                wrong.append(f"{student} {exercise}: the reference does not solve the variant: {verdict.message}")
            ex = REGISTRY[exercise]
            if isinstance(ex, Choice):
                raise TypeError(f"{exercise} is a choice: choices have no variants")
            for mistake, hint in ex.mistakes:  # a known mistake must not be judged right
                if evaluate(
                    exercise, _plain(mistake(**entry["params"])), student=student, params=entry["params"]
                ).correct:
                    wrong.append(f"{student} {exercise}: a known mistake passes for this variant ({hint[:60]}…)")
            answers.setdefault(exercise, []).append(_rounded(entry["answer"]))
    rates = {}
    for exercise, values in answers.items():
        counts = Counter(values)
        share = counts.most_common(1)[0][1] / len(values)
        rates[exercise] = (len(counts), share)
        if len(values) >= 20 and share > MAX_SHARED:
            wrong.append(
                f"{exercise}: {share:.0%} of the class share one answer (at most {MAX_SHARED:.0%}): "
                "widen its Recipe's ranges"
            )
    return wrong, rates


def main(argv: list[str] | None = None) -> int:
    """Run the ``manifest``, ``check`` or ``show`` command; the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    make = sub.add_parser("manifest", help="write the manifest of a roster's variants")
    make.add_argument("--roster", type=Path, required=True)
    make.add_argument("--out", type=Path, default=OUT)
    check = sub.add_parser("check", help="check a class's variants (a made-up class of 500 without --roster)")
    check.add_argument("--roster", type=Path)
    show = sub.add_parser("show", help="one student's data and answers")
    show.add_argument("student")
    for p in (make, check, show):
        p.add_argument("--key", help="the term's course key (default: MLE_COURSE_KEY, else 'demo')")
    args = parser.parse_args(argv)

    from mle_lib.homework.variants import _clean, course_key

    key = _clean(args.key, "--key") if args.key else course_key()
    if args.command == "manifest":
        students = read_roster(args.roster)
        data = manifest(students, key)
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        n = sum(len(v) for v in data["students"].values())
        print(f"variants: {len(students)} students × {n // max(1, len(students))} exercises, key {key!r} -> {args.out}")
        return 0
    if args.command == "show":
        from mle_lib.homework.variants import variant

        student = _clean(args.student, "STUDENT")
        for exercise, entry in entries([student], key)[student].items():
            shown = str(variant(exercise, student, key=key, show=False)).split(": ", 1)[1]
            print(f"{exercise:8s} {shown}\n         answer: {entry['answer']}")
        return 0
    students = read_roster(args.roster) if args.roster else [f"student{i:03d}" for i in range(CLASS_SIZE)]
    start = time.perf_counter()
    wrong, rates = problems(entries(students, key))
    print(f"variants-check: {len(students)} students, key {key!r}, {time.perf_counter() - start:.1f} s")
    print(f"{'exercise':10s} {'distinct answers':>17s} {'commonest answer shared by':>27s}")
    for exercise, (distinct, share) in sorted(rates.items()):
        print(f"{exercise:10s} {distinct:>17d} {share:>26.1%}")
    for line in wrong[:50]:
        print(f"  problem: {line}")
    if wrong:
        print(f"variants-check: {len(wrong)} problems")
        return 1
    print("variants-check: every variant is solved by its reference, none is degenerate, no answer is too common")
    return 0


if __name__ == "__main__":
    sys.exit(main())
