"""A variant for every student (issue 15 §1): who the student is, their seed, their data, their verdicts."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from pathlib import Path

import pytest
import variants as tool

from mle_lib.homework import REGISTRY, evaluate, variants
from mle_lib.homework.variants import DEMO_STUDENT, RECIPES, Draw, Recipe, params_for, student_id, variant

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _no_student(monkeypatch):
    for name in ("MLE_STUDENT_ID", "JUPYTERHUB_USER", "MLE_COURSE_KEY"):
        monkeypatch.delenv(name, raising=False)


def test_who_the_student_is(monkeypatch):
    assert student_id() == DEMO_STUDENT
    monkeypatch.setenv("JUPYTERHUB_USER", "hub-user")
    assert student_id() == "hub-user"
    monkeypatch.setenv("MLE_STUDENT_ID", "s123")
    assert student_id() == "s123"
    monkeypatch.setenv("MLE_STUDENT_ID", "a b/c")
    with pytest.raises(ValueError, match="MLE_STUDENT_ID must be"):
        student_id()


def test_seeds_differ_by_student_exercise_and_term():
    seeds = {variants.variant_seed(e, s, k) for e in ("ex2.2", "turn2.1") for s in ("a", "b") for k in ("t1", "t2")}
    assert len(seeds) == 8


def test_draws_use_only_python_s_stable_stream():
    """Draw uses nothing but random.Random.random(), whose stream Python keeps across versions: recomputed here
    from that method alone, the draws agree."""
    import random
    from statistics import NormalDist

    d = Draw(20261206)
    got = [d.integer(0, 100) for _ in range(5)], d.uniform(0, 1), d.normal(0, 1, 2), d.flips(8, 0.5)
    r = random.Random(20261206)
    ints = [min(int(101 * r.random()), 100) for _ in range(5)]
    uni = round(r.random(), 2)
    nor = [round(NormalDist(0, 1).inv_cdf(r.random()), 2) for _ in range(2)]
    flips = "".join("H" if r.random() < 0.5 else "T" for _ in range(8))
    assert list(got) == [ints, uni, nor, flips]


@pytest.mark.parametrize("exercise", sorted(RECIPES))
def test_the_demo_student_gets_the_chapter_s_data_and_the_others_their_own(exercise):
    recipe = RECIPES[exercise]
    assert params_for(exercise, DEMO_STUDENT) == dict(recipe.demo)
    assert recipe.problem(recipe.demo) is None
    others = [json.dumps(params_for(exercise, f"s{i}", "t")) for i in range(50)]
    assert len(set(others)) > 25, f"{exercise}: too few distinct variants among 50 students"
    for student in ("s1", "s2"):
        v = variant(exercise, student, key="t", show=False)
        assert str(v).startswith(f"{exercise}, your variant (student {student})")


def test_check_judges_against_the_student_s_own_variant(monkeypatch):
    demo_answer = REGISTRY["ex2.2"].expected(**RECIPES["ex2.2"].demo)
    assert evaluate("ex2.2", demo_answer).correct
    monkeypatch.setenv("MLE_STUDENT_ID", "alice")
    monkeypatch.setenv("MLE_COURSE_KEY", "term-1")
    mine = variant("ex2.2", show=False)
    assert mine != variant("ex2.2", DEMO_STUDENT, show=False)
    assert evaluate("ex2.2", sum(mine["counts"]) / (3 * mine["trials"])).correct
    assert not evaluate("ex2.2", demo_answer).correct  # a classmate's (the demo's) number is wrong for alice


def test_function_cases_are_seeded_per_student():
    seen: dict[str, list] = {}

    def spy(name):
        def f(theta, x):
            seen.setdefault(name, []).append((theta, len(x)))
            return 0.0

        return f

    for who in ("demo", "alice", "bob"):
        evaluate("ex2.4", spy(who), student=who)
    assert seen["alice"] != seen["demo"] != seen["bob"] != seen["alice"]
    evaluate("ex2.4", spy("alice again"), student="alice")
    assert seen["alice again"] == seen["alice"]


def test_a_degenerate_draw_is_drawn_again(monkeypatch):
    recipe = Recipe(
        draw=lambda d: {"k": d.integer(0, 3)},
        demo={"k": 1},
        shown="k = {k}",
        degenerate=lambda k: "k = 0" if k == 0 else None,
    )
    monkeypatch.setitem(RECIPES, "test.k", recipe)
    ks = [params_for("test.k", f"s{i}", "t")["k"] for i in range(200)]
    assert 0 not in ks and set(ks) == {1, 2, 3}


def test_a_manifest_reference_is_what_grading_judges_against():
    params = {"counts": [3, 4, 5], "trials": 10}
    right = REGISTRY["ex2.2"].expected(**params)
    assert evaluate("ex2.2", right, student="x", params=params).correct
    # the reference the manifest recorded wins over a fresh computation (a later library change cannot move it)
    assert not evaluate("ex2.2", right, student="x", params=params, reference=right + 0.1).correct


def test_variants_check_passes_for_a_class():
    """The whole check on 120 students (make variants-check, in CI, checks 500)."""
    wrong, rates = tool.problems(tool.entries([f"student{i:03d}" for i in range(120)], "term-1"))
    assert not wrong, wrong[:5]
    assert rates and all(distinct >= 30 for distinct, _ in rates.values()), rates


def test_variants_check_catches_a_mistake_that_passes(monkeypatch):
    """A variant on which a known mistake gives the right answer is a problem (here: a mistake made to match)."""
    ex = REGISTRY["ex2.2"]
    twin = dataclasses.replace(ex, mistakes=[*ex.mistakes, (ex.expected, "a twin of the answer")])
    monkeypatch.setitem(REGISTRY, "ex2.2", twin)
    wrong, _ = tool.problems(tool.entries(["s1"], "t"))
    assert any("a known mistake passes" in w and "twin" in w for w in wrong), wrong


def test_variants_check_catches_a_wrong_reference_and_a_common_answer(monkeypatch):
    table = tool.entries([f"s{i}" for i in range(40)], "t")
    table["s0"]["ex2.2"]["answer"] = 0.999
    narrow = dataclasses.replace(RECIPES["ex2.2"], draw=lambda d: {"counts": [1, 2, d.integer(3, 4)], "trials": 5})
    monkeypatch.setitem(RECIPES, "ex2.2", narrow)
    table2 = tool.entries([f"s{i}" for i in range(40)], "t")
    wrong, _ = tool.problems(table)
    assert any("s0 ex2.2: the reference does not solve" in w for w in wrong)
    wrong2, _ = tool.problems(table2)
    assert any("share one answer" in w for w in wrong2)


def test_the_commands(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text('student,name\nalice,"Doe, Alice"\nbob,Bob\n', encoding="utf-8")
    out = tmp_path / "manifest.json"

    def run(*a):
        return subprocess.run([sys.executable, str(ROOT / "tools" / "variants.py"), *a], capture_output=True, text=True)

    made = run("manifest", "--roster", str(roster), "--out", str(out), "--key", "term-1")
    assert made.returncode == 0, made.stderr
    data = json.loads(out.read_text())
    assert set(data["students"]) == {"alice", "bob"} and data["course_key"] == "term-1"
    assert data["students"]["alice"]["ex2.2"]["params"] == params_for("ex2.2", "alice", "term-1")
    shown = run("show", "alice", "--key", "term-1")
    assert shown.returncode == 0 and "ex2.2" in shown.stdout and "answer:" in shown.stdout
    roster.write_text("student\nalice\nalice\n")
    assert "twice" in run("manifest", "--roster", str(roster), "--out", str(out)).stderr


def test_a_release_carries_the_term_s_course_key(tmp_path):
    import make_release

    written = make_release.build(tmp_path / "release", course_key="fall-2027")
    key_file = tmp_path / "release" / "mle_lib" / "homework" / "course_key.txt"
    assert key_file.read_text().strip() == "fall-2027" and key_file.relative_to(tmp_path / "release") in written
    assert not (ROOT / "mle_lib" / "homework" / "course_key.txt").exists()  # never in the repository itself
    with pytest.raises(ValueError, match="COURSE_KEY must be"):
        make_release.build(tmp_path / "bad", course_key="two words")
