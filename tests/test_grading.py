"""The class grader's parts that need no sandbox: the codec, finding checks, the collector and the judge
(end to end in this process), the run's reasons, the reports, the filtered library, the refusal.

The sandboxed runs (hostile submissions, the negative control, the sandbox's walls) are in
``grading_tests/`` (``make test-grade``).
"""

from __future__ import annotations

import csv
import json
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

from grading import cli, codec, collect, common, job, judge, report, sandbox  # noqa: E402

from mle_lib.homework import REGISTRY, Function, evaluate  # noqa: E402

# --- codec ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        0.0,
        -3,
        2**70,
        1e-320,
        True,
        None,
        "b",
        "",
        [1, 2.5],
        (0.1, 0.6),
        np.float64(0.25),
        np.int64(7),
        np.bool_(True),
        np.array([[1.0, 2.0], [3.0, 4.0]]),
        np.arange(5, dtype=np.int32),
        np.array([True, False]),
        np.array([1 + 2j]),
        complex(1, 2),
        b"ab",
        {"a": 1},
        float("nan"),
        float("-inf"),
        np.array([np.inf, 1.0]),
        Ellipsis,
        np.array(["a", "b"]),
    ],
    ids=repr,
)
def test_codec_round_trips_plain_data(value):
    back = codec.loads(codec.dumps(value))
    assert type(back) is type(value) or (isinstance(value, np.ndarray) and isinstance(back, np.ndarray))
    if isinstance(value, np.ndarray):
        assert back.dtype == value.dtype and back.shape == value.shape
        assert np.array_equal(back, value, equal_nan=value.dtype.kind == "f")
    elif isinstance(value, float) and math.isnan(value):
        assert math.isnan(back)
    else:
        assert back == value


def test_codec_keeps_what_a_check_needs_to_name_other_things():
    class Weird:
        def __repr__(self):
            return "<weird thing>"

    back = codec.loads(codec.dumps(Weird()))
    assert type(back).__name__ == "Weird" and repr(back) == "<weird thing>"
    fn = codec.loads(codec.dumps(print))
    assert callable(fn) and fn.__name__ == "print"
    long = codec.loads(codec.dumps("c" + " " * 5000 + "x"))
    assert len(long) == codec.MAX_STR + 1 and long.endswith("…")  # cut, and never an option by its prefix
    assert evaluate("ex2.1", codec.loads(codec.dumps(Weird()))).message.startswith("not yet — expected")


@pytest.mark.parametrize(
    "text",
    [
        "[" * 100000 + "]" * 100000,  # deeper than the parser
        '{"__nd__": "<f8", "shape": [3], "data": [1, 2]}',  # shape and data disagree
        '{"__nd__": "<M8", "shape": [1], "data": [1]}',  # a dtype that is not allowed
        '{"__nd__": "<f8", "shape": [100000000000], "data": []}',
        '{"__np__": "<f8", "v": "1"}',
        '{"__what__": 1}',
        "NaN",
        '{"__float__": "nan", "extra": 1}',
    ],
)
def test_codec_refuses_malformed_input(text):
    with pytest.raises((ValueError, TypeError)):
        codec.loads(text)


def test_codec_caps_the_size():
    with pytest.raises(codec.TooLarge):
        codec.dumps(np.zeros(codec.MAX_ENTRIES + 1))
    with pytest.raises(codec.TooLarge):
        codec.loads("x" * 100, max_chars=10)


# --- finding checks --------------------------------------------------------------------------------------------


def test_find_checks_takes_each_call_and_its_expression():
    src = (
        'answer = ...  # your answer\ncheck("ex2.1", answer)\nhw.check("ex2.2", (1 +\n  2))\n'
        'check(exercise="ex2.3", answer=f(x))'
    )
    assert collect.find_checks(src) == [("ex2.1", "answer"), ("ex2.2", "1 +\n  2"), ("ex2.3", "f(x)")]


def test_find_checks_handles_magics_and_broken_cells():
    assert collect.find_checks('%time x = 1\ncheck("ex2.1", x)') == [("ex2.1", "x")]
    assert collect.find_checks('def f(:\ncheck("ex2.1", answer_2_1)') == [("ex2.1", "answer_2_1")]
    assert collect.find_checks("check(name, x)\ncheck('not an id!', x)\nprint(check)") == []


def test_every_chapter_names_its_exercises_in_check_cells():
    chapters = job.chapters()
    assert len(chapters) == 9
    for ch in chapters.values():
        assert len(ch.exercises) >= 4 and all(ex in REGISTRY for ex in ch.exercises)
    assert job.chapter_of(["ex2.1", "ex2.4"]).name == "02_bernoulli_binomial"
    assert job.chapter_of([], "09").name.startswith("09")


# --- the collector and the judge, end to end in this process ------------------------------------------------------


def _collect(tmp_path, method, exercise, thunk, forbidden=None, student="demo"):
    answers = tmp_path / "answers.jsonl"
    collector = collect.Collector(str(answers), forbidden or {})
    if method == "function":
        cases = tmp_path / f"cases-{exercise}.json"
        cases.write_text(judge.cases_json(judge.cases_for(student, exercise)))
        collector.function(exercise, "N1", str(cases), thunk)
    else:
        collector.value(exercise, "N1", thunk)
    lines = answers.read_text().splitlines()
    answers.unlink()
    assert len(lines) == 1
    record = json.loads(lines[0])
    assert record["x"] == exercise and record["n"] == "N1"
    return record


def test_a_value_is_judged_outside_with_the_checks_message(tmp_path):
    assert judge.judge_record("demo", "ex2.2", _collect(tmp_path, "value", "ex2.2", lambda: 7 / 15)).status == (
        "correct"
    )
    verdict = judge.judge_record("demo", "ex2.2", _collect(tmp_path, "value", "ex2.2", lambda: 4 / 3))
    assert verdict == judge.Verdict("ex2.2", "wrong", evaluate("ex2.2", 4 / 3).message)
    verdict = judge.judge_record("alice", "ex2.7", _collect(tmp_path, "value", "ex2.7", lambda: True))
    assert verdict.status == "wrong" and "bool" in verdict.message


def test_stubs_and_failures_are_unanswered_or_ungraded_never_wrong(tmp_path):
    assert judge.judge_record("a", "ex2.1", _collect(tmp_path, "value", "ex2.1", lambda: ...)).status == "unanswered"

    def missing():
        return answer_not_defined  # noqa: F821

    verdict = judge.judge_record("a", "ex2.1", _collect(tmp_path, "value", "ex2.1", missing))
    assert verdict.status == "ungraded" and "NameError" in verdict.message

    def stub(*args):
        raise NotImplementedError("your code here")

    verdict = judge.judge_record("demo", "ex2.4", _collect(tmp_path, "function", "ex2.4", lambda: stub))
    assert verdict.status == "unanswered"


def _right(theta, x):
    x = np.asarray(x)
    return (x.size - x.sum()) * np.log(1 - theta) + x.sum() * np.log(theta)


def test_each_student_is_judged_against_their_own_variant(tmp_path, monkeypatch):
    """The grader judges alice against alice's variant (issue 15 §1): her number is right, the demo's is wrong;
    with a manifest, against the reference it recorded; her function is run on her own cases."""
    from mle_lib.homework import expected_of
    from mle_lib.homework.variants import params_for

    monkeypatch.setattr(common, "TERM", common.Term(key="term-1"))
    monkeypatch.setattr(judge, "TERM", common.TERM)
    params = params_for("ex2.2", "alice", "term-1")
    hers = sum(params["counts"]) / (3 * params["trials"])
    assert judge.judge_record("alice", "ex2.2", _collect(tmp_path, "value", "ex2.2", lambda: hers)).status == "correct"
    demo = expected_of("ex2.2", "demo")
    assert judge.judge_record("alice", "ex2.2", _collect(tmp_path, "value", "ex2.2", lambda: demo)).status == "wrong"
    manifest = {"course_key": "term-1", "students": {"alice": {"ex2.2": {"params": params, "answer": hers + 0.2}}}}
    common.TERM.manifest = manifest  # the recorded reference wins, even over a right computation now
    assert judge.judge_record("alice", "ex2.2", _collect(tmp_path, "value", "ex2.2", lambda: hers)).status == "wrong"
    common.TERM.manifest = None
    assert judge.cases_for("alice", "ex2.4") != judge.cases_for("bob", "ex2.4")
    record = _collect(tmp_path, "function", "ex2.4", lambda: _right, student="alice")
    assert judge.judge_record("alice", "ex2.4", record).status == "correct"
    assert judge.judge_record("bob", "ex2.4", record).status != "correct"  # outputs for alice's cases, not bob's


def test_a_function_is_run_in_the_kernel_and_judged_outside(tmp_path):
    verdict = judge.judge_record("demo", "ex2.4", _collect(tmp_path, "function", "ex2.4", lambda: _right))
    assert verdict == judge.Verdict("ex2.4", "correct", "correct (agrees with the library on 24 test cases)")

    def swapped(theta, x):
        return _right(1 - theta, x)

    verdict = judge.judge_record("demo", "ex2.4", _collect(tmp_path, "function", "ex2.4", lambda: swapped))
    assert verdict.message == evaluate("ex2.4", swapped).message and verdict.status == "wrong"

    def crashes(theta, x):
        return 1 / 0

    verdict = judge.judge_record("demo", "ex2.4", _collect(tmp_path, "function", "ex2.4", lambda: crashes))
    assert verdict.message == evaluate("ex2.4", crashes).message and "ZeroDivisionError" in verdict.message

    def mutates(theta, x):
        value = _right(theta, x)
        x[:] = 0
        return value

    assert judge.judge_record("demo", "ex2.4", _collect(tmp_path, "function", "ex2.4", lambda: mutates)).status == (
        "correct"
    )
    verdict = judge.judge_record("demo", "ex2.4", _collect(tmp_path, "function", "ex2.4", lambda: 3.0))
    assert verdict.status == "wrong" and "expected a function" in verdict.message


def test_a_slow_function_times_out_in_the_kernel_as_in_a_check(tmp_path, monkeypatch):
    monkeypatch.setattr(collect, "TIME_LIMIT", 0.5)
    import time

    def slow(theta, x):
        time.sleep(0.2)
        return _right(theta, x)

    answers = tmp_path / "answers.jsonl"
    cases = tmp_path / "cases.json"
    cases.write_text(judge.cases_json(judge.cases_for("demo", "ex2.4")))
    collect.Collector(str(answers), {}, time_limit=0.5).function("ex2.4", "N", str(cases), lambda: slow)
    record = json.loads(answers.read_text())
    assert record["calls"][-1] == {"timeout": True} and len(record["calls"]) <= 4
    verdict = judge.judge_record("demo", "ex2.4", record)
    assert verdict.status == "wrong" and verdict.message.startswith("not yet — your function took longer than 10 s")


def test_a_forbidden_library_function_is_marked(tmp_path):
    import mle_lib as ml

    def uses_library(heads, n, ta, tb):
        return ml.binomial_e_step(heads, n, [ta, tb])[0]

    alias = ml.binomial_e_step

    def uses_an_alias(heads, n, ta, tb):
        return alias(heads, n, [ta, tb])[0]

    forbidden = {"turn9.1": list(judge.FORBIDDEN["turn9.1"])}
    for fn in (uses_library, uses_an_alias):
        record = _collect(tmp_path, "function", "turn9.1", lambda fn=fn: fn, forbidden)
        assert record["forbidden"] == ["ml.binomial_e_step"]
        verdict = judge.judge_record("a", "turn9.1", record)
        assert verdict.status == "wrong" and "`ml.binomial_e_step`" in verdict.message


def test_the_forbidden_table_follows_the_prompts():
    import mle_lib as ml

    for exercise, names in judge.FORBIDDEN.items():
        assert isinstance(REGISTRY[exercise], Function)
        chapter = next(ch for ch in job.chapters().values() if exercise in ch.exercises)
        text = (ROOT / "notebooks" / f"{chapter.name}.ipynb").read_text(encoding="utf-8")
        for name in names:
            assert callable(getattr(ml, name)) and f"`ml.{name}`" in text


def test_the_cases_written_are_the_cases_judged():
    """The replay checks each call's arguments against the cases the grader wrote: same seed, same cases."""
    for exercise, ex in REGISTRY.items():
        if not isinstance(ex, Function):
            continue
        cases = judge.cases_for("alice", exercise)
        written = codec.loads(judge.cases_json(cases))
        outputs = [{"out": codec.encode(ex.reference(*args))} for args in written]
        verdict = judge.judge_record("alice", exercise, {"calls": outputs, "forbidden": []})
        assert verdict.status == "correct", (exercise, verdict)


def test_a_replay_on_other_cases_is_ungraded():
    cases = judge.cases_for("a", "ex2.6")
    outputs = [{"out": 0.5} for _ in cases]
    replay = judge.Replay(outputs, cases[::-1])
    verdict = judge.Verdict("ex2.6", "x", "")
    assert evaluate("ex2.6", replay, seed=common.seed_for("a", "ex2.6")).status == "wrong"
    assert replay.problem and "differ" in replay.problem
    del verdict


def test_a_recorded_exception_is_never_a_keyboard_interrupt():
    exc = judge._exception("KeyboardInterrupt", "x")
    assert isinstance(exc, Exception) and type(exc).__name__ == "KeyboardInterrupt"
    assert isinstance(judge._exception("ZeroDivisionError", "division by zero"), ZeroDivisionError)
    assert type(judge._exception("not a name!", "m")).__name__ == "Exception"


# --- the run's reasons -----------------------------------------------------------------------------------------


def _plan(source_cells):
    cells = [{"cell_type": "code", "source": s, "id": f"c{i}", "tags": []} for i, s in enumerate(source_cells)]
    return job.prepare(cells, job.chapters()["02_bernoulli_binomial"], "alice")


def _outcome(events, killed=False):
    return job.RunOutcome(events, 1.0, killed, 0, "")


def test_the_prepared_notebook_collects_after_each_check():
    plan = _plan(["x = 1", 'answer_2_1 = 0.0\ncheck("ex2.1", answer_2_1)', 'check("ex2.4", f)', 'check("ex9.1", 1)'])
    roles = [r["role"] for r in plan.roles]
    assert roles == ["prelude", "student", "student", "collect", "student", "collect", "student"]
    assert set(plan.checks) == {"ex2.1", "ex2.4"} and set(plan.cases) == {"ex2.4"}
    assert "answer_2_1" in plan.notebook.cells[3].source and plan.roles[3]["nonce"] not in json.dumps(plan.cases)


def test_reasons_for_what_was_not_collected():
    plan = _plan(['answer_2_1 = 0.0\ncheck("ex2.1", answer_2_1)', 'check("ex2.2", 7 / 15)'])
    chapter, limits = job.chapters()["02_bernoulli_binomial"], sandbox.Limits()
    i1, i2 = plan.checks["ex2.1"][0], plan.checks["ex2.2"][0]
    good = json.dumps({"x": "ex2.1", "n": plan.roles[i1]["nonce"], "value": 0.0})
    forged = json.dumps({"x": "ex2.2", "n": "guess", "value": 7 / 15})
    events = [
        {"e": "answer", "i": i1, "line": good},
        {"e": "cell", "i": i1, "status": "ok"},
        {"e": "answer", "i": i2, "line": forged},
        {"e": "cell", "i": i2, "status": "ok"},
        {"e": "done"},
    ]
    verdicts = {v.exercise: v for v in job.judge_run(plan, _outcome(events), chapter, "alice", limits)}
    assert verdicts["ex2.1"].status == "correct"
    assert verdicts["ex2.2"] == judge.Verdict("ex2.2", "ungraded", "the collection cell wrote no answer")
    assert verdicts["ex2.4"].status == "ungraded" and "no check(" in verdicts["ex2.4"].message
    dead = [events[0], events[1], {"e": "dead", "i": i1 + 1, "returncode": -9}]
    verdicts = {v.exercise: v for v in job.judge_run(plan, _outcome(dead), chapter, "alice", limits)}
    assert verdicts["ex2.1"].status == "correct"
    assert verdicts["ex2.2"].status == "ungraded" and "SIGKILL, killed" in verdicts["ex2.2"].message
    for final, words in (
        ({"e": "stuck", "i": 1}, "ignored the interrupt"),
        ({"e": "deadline", "i": 1}, "time limit"),
        ({"e": "failed", "what": "the kernel did not start: boom"}, "did not start: boom"),
    ):
        verdicts = {v.exercise: v for v in job.judge_run(plan, _outcome([final]), chapter, "alice", limits)}
        assert words in verdicts["ex2.1"].message and verdicts["ex2.1"].status == "ungraded"
    verdicts = job.judge_run(plan, _outcome([], killed=True), chapter, "alice", limits)
    assert all(v.status == "ungraded" and "stopped" in v.message for v in verdicts if v.exercise in plan.checks)
    garbage = [{"e": "answer", "i": i1, "line": "[" * 5000}, {"e": "answer", "i": i1, "line": '{"x": 1}'}]
    verdicts = {v.exercise: v for v in job.judge_run(plan, _outcome(garbage), chapter, "alice", limits)}
    assert verdicts["ex2.1"].status == "ungraded"
    for cell, words in (
        ({"status": "timeout"}, "collecting the answer ran past the cell time limit"),
        ({"status": "error", "ename": "TypeError", "evalue": "no"}, "collecting the answer failed (TypeError: no)"),
    ):
        ran = [{"e": "cell", "i": i2, **cell}, {"e": "done"}]
        verdicts = {v.exercise: v for v in job.judge_run(plan, _outcome(ran), chapter, "alice", limits)}
        assert verdicts["ex2.2"].status == "ungraded" and words in verdicts["ex2.2"].message


def test_read_submission_refuses_what_is_not_a_notebook(tmp_path):
    for text in (
        "not json",
        "[1, 2]",
        '{"cells": [{"cell_type": "bogus"}]}',
        '{"cells": [{"cell_type": "code", "source": 3}]}',
    ):
        path = tmp_path / "x.ipynb"
        path.write_text(text)
        with pytest.raises(job.NotANotebook):
            job.read_submission(path)
    path.write_text(json.dumps({"cells": [{"cell_type": "code", "source": ["a = 1\n", "b"], "metadata": {"tags": 5}}]}))
    assert job.read_submission(path) == [{"cell_type": "code", "source": "a = 1\nb", "id": "", "tags": []}]


# --- the reports ------------------------------------------------------------------------------------------------


def _result(student, rows, **extra):
    return {
        "student": student,
        "file": f"{student}.ipynb",
        "chapter": "02_bernoulli_binomial",
        "rows": [
            {
                "student": student,
                "exercise": ex,
                "status": st,
                "points": common.points(st),
                "max_points": 1,
                "message": m,
            }
            for ex, st, m in rows
        ],
        "free_text": [{"student": student, "exercise": "ex2.1", "cell_id": "c1", "text": 'a, "quoted"\nanswer'}],
        "notes": [],
        **extra,
    }


def test_reports_write_every_file_with_quoting_and_escaping(tmp_path):
    evil = '<script>alert("x")</script>, and a "quote"'
    results = [
        _result("bob", [("ex2.1", "wrong", "not yet — " + evil), ("ex2.2", "ungraded", "the kernel died")]),
        _result("ann", [("ex2.1", "correct", "correct"), ("ex2.2", "unanswered", "not answered yet")]),
    ]
    paths = report.write_reports(results, tmp_path)
    with open(paths["grades"], newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0])[:6] == ["student", "exercise", "status", "points", "max_points", "message"]
    assert [(r["student"], r["exercise"], r["points"]) for r in rows] == [
        ("ann", "ex2.1", "1"),
        ("ann", "ex2.2", "0"),
        ("bob", "ex2.1", "0"),
        ("bob", "ex2.2", "0"),
    ]
    assert rows[2]["message"] == "not yet — " + evil
    with open(paths["summary"], newline="", encoding="utf-8") as f:
        summary = {r["student"]: r for r in csv.DictReader(f)}
    assert summary["bob"]["ungraded"] == "1" and summary["ann"]["points"] == "1" and summary["ann"]["max_points"] == "2"
    with open(paths["free_text"], newline="", encoding="utf-8") as f:
        assert next(csv.DictReader(f))["text"] == 'a, "quoted"\nanswer'
    page = (paths["feedback"] / "bob.html").read_text()
    assert "<script>" not in page and "&lt;script&gt;" in page and "default-src 'none'" in page
    assert report.read_results(tmp_path / "results")[0]["student"] == "ann"


def test_page_names_cannot_leave_the_folder():
    assert report.page_name("/".join(["..", "..", "etc", "passwd"])) == "_.._etc_passwd"
    assert "/" not in report.page_name("a/b") and report.page_name("") == "_"


def test_points_are_one_per_correct_exercise():
    assert [common.points(s) for s in common.STATUSES] == [1, 0, 0, 0] and common.MAX_POINTS == 1


# --- the sandbox's library copy, the refusal, the roster ------------------------------------------------------------


def test_the_filtered_library_has_no_exercise_registry(tmp_path):
    copy = common.filtered_library(tmp_path / "mle_lib")
    for path in (copy / "homework").glob("ch*.py"):
        text = path.read_text()
        assert "EXERCISES = {}" in text and "expected" not in text and "def " not in text
    assert not list(copy.rglob("__pycache__/ch0*")) or all(
        "Stand-in" in (copy / "homework" / (p.name.split(".")[0] + ".py")).read_text()
        for p in copy.rglob("__pycache__/ch0*")
    )
    probe = (
        "import sys; sys.path.insert(0, sys.argv[1]); import mle_lib.homework as hw; "
        "from mle_lib.homework.ch04 import READINGS; import grading_probe_collect as c; "
        "c.install('/dev/null', {}); "
        "print(hw.__file__.startswith(sys.argv[1]), sorted(k for k in hw.REGISTRY if not k.startswith('demo')), "
        "len(READINGS)); hw.check('ex2.1', 0.0)"
    )
    (tmp_path / "grading_probe_collect.py").write_text((ROOT / "tools/grading/collect.py").read_text())
    (tmp_path / "mle_grading_codec.py").write_text((ROOT / "tools/grading/codec.py").read_text())
    done = subprocess.run([sys.executable, "-c", probe, str(tmp_path)], capture_output=True, text=True, cwd=tmp_path)
    assert done.stdout.splitlines() == ["True [] 6", f"ex2.1: {collect.RECORDED}"], done.stderr[-2000:]


def test_no_sandbox_means_a_refusal_that_names_the_flag(monkeypatch, capsys):
    monkeypatch.setattr(sandbox, "BWRAP", "bwrap-that-is-not-installed")
    assert "apt-get install -y bubblewrap" in sandbox.unavailable()
    with pytest.raises(SystemExit) as stop:
        cli.main(["--selftest"])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert "Refusing to grade untrusted work" in err and cli.TRUST_FLAG in err and "bubblewrap" in err


def test_the_roster_maps_file_names_to_ids(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text("\ufeffFile,Student,email\nsub1.ipynb,alice,a@x\nsub2,bob,b@x\n,carol,\n", encoding="utf-8")
    assert cli.read_roster(roster) == {"sub1.ipynb": "alice", "sub2.ipynb": "bob"}
