"""Hostile submissions against the real grader (sandboxed, judged outside the kernel), and the same cheats
against an in-kernel judge (the negative control, inkernel.py), which they fool.

Run with ``make test-grade`` (not part of ``make test``: it runs about 25 notebooks in sandboxes).
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
from pathlib import Path

import hostile
import pytest
from grading import job, sandbox

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("name", sorted(hostile.EXPECTED))
def test_each_hostile_submission_gets_the_grade_it_deserves(hostile_class, name):
    assert hostile_class["grades"][name] == hostile.EXPECTED[name], hostile_class["messages"][name]
    if name in hostile.REASONS:
        grades, messages = hostile_class["grades"][name], hostile_class["messages"][name]
        ungraded = [m for ex, m in messages.items() if grades[ex] == "ungraded"]
        assert ungraded and all(hostile.REASONS[name] in m for m in ungraded), ungraded


def test_the_class_has_every_submission_and_nothing_else(hostile_class):
    assert set(hostile_class["grades"]) == set(hostile.EXPECTED)


def test_no_file_appears_outside_the_work_folders(hostile_class):
    assert hostile_class["marked_after"] == hostile_class["marked_before"]
    assert not list(hostile_class["folder"].glob(f"*{hostile.MARK}*"))


def test_no_process_of_a_submission_outlives_the_run(hostile_class):
    assert hostile_class["leftover"] == []


def test_the_flood_and_the_loops_cost_only_their_own_time(hostile_class):
    print(hostile_class["stdout"])
    with open(hostile_class["out"] / "summary.csv", encoding="utf-8") as f:
        text = f.read()
    assert "flood" in text and "infinite_loop" in text


def test_the_author_notebook_is_flagged(hostile_class):
    with open(hostile_class["out"] / "summary.csv", encoding="utf-8") as f:
        line = next(line for line in f if line.startswith("author_as_is,"))
    assert "author's notebook" in line


def test_ungraded_never_counts_and_check_messages_are_the_hints(hostile_class):
    messages = hostile_class["messages"]
    assert messages["blank"]["ex2.4"] == "not answered yet — your function still raises NotImplementedError"
    assert messages["infinite_loop"]["ex2.6"].startswith("not yet — your function took longer than 10 s on input")
    assert messages["patch_allclose"]["ex2.1"].startswith("not yet —")
    assert "SIGKILL" in messages["kill_kernel"]["ex2.7"]
    assert messages["forbidden_call"]["turn9.1"] == (
        "not yet — your function calls `ml.binomial_e_step`, which this exercise asks you not to use"
    )


def test_free_text_answers_are_collected(hostile_class):
    import csv

    with open(hostile_class["out"] / "free_text.csv", newline="", encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["student"] == "solved"]
    assert {r["exercise"] for r in rows} == {"ex2.1", "ex2.2", "ex2.3", "ex2.7"}
    assert all(r["text"].startswith("My own reasoning") for r in rows)


@pytest.mark.parametrize("name", sorted(hostile.FOOLS_CONTROL))
def test_the_cheats_fool_the_in_kernel_judge_but_not_the_grader(hostile_class, control_verdicts, name):
    assert control_verdicts[name] == hostile.FOOLS_CONTROL[name]  # the control is fooled…
    assert control_verdicts[name] != hostile.EXPECTED[name]  # …so these tests would fail against it
    assert hostile_class["grades"][name] == hostile.EXPECTED[name]  # and the real grader is not


def test_the_control_wrote_outside_and_the_grader_did_not(hostile_class, tmp_path):
    """write_outside under the in-kernel judge (no sandbox) leaves its files; under the grader it did not."""
    import inkernel

    marked = [ROOT / f"{hostile.MARK}.txt", Path("/tmp") / f"{hostile.MARK}.txt"]
    assert not any(p.exists() for p in marked)
    try:
        inkernel.judge_in_kernel(hostile_class["paths"]["write_outside"], hostile.EXERCISES)
        assert all(p.exists() for p in marked)
    finally:
        # The cheat also tries the folder above the repository (/work/ on these machines); the control has no
        # sandbox, so remove whatever it managed to write there too.
        for p in [*marked, ROOT.parent / f"{hostile.MARK}.txt", Path("/work") / f"{hostile.MARK}.txt"]:
            with contextlib.suppress(OSError):
                p.unlink(missing_ok=True)


# --- the sandbox itself --------------------------------------------------------------------------------------

_PROBE = r"""
import json, os, socket, subprocess, sys
root = sys.argv[1]
out = {"uid": os.getuid()}
def attempt(name, fn):
    try:
        out[name] = fn()
    except BaseException as exc:
        out[name] = "refused: " + type(exc).__name__
attempt("notebooks", lambda: os.listdir(root + "/notebooks"))
attempt("tests", lambda: os.listdir(root + "/tests"))
attempt("work_main", lambda: sorted(os.listdir(root)))
attempt("shadow", lambda: open("/etc/shadow").read()[:10])
attempt("root_home", lambda: os.listdir("/root"))
attempt("write_usr", lambda: open("/usr/mle-x", "w").write("x"))
attempt("write_venv", lambda: open(sys.prefix + "/mle-x", "w").write("x"))
attempt("write_home", lambda: open(os.path.expanduser("~/ok.txt"), "w").write("x"))
attempt("write_tmp", lambda: open("/tmp/ok.txt", "w").write("x"))
attempt("net_out", lambda: socket.create_connection(("1.1.1.1", 53), timeout=3).close())
attempt("dns", lambda: socket.getaddrinfo("pypi.org", 443))
attempt("alloc_3g", lambda: len(bytearray(3 * 2**30)))
attempt("chapter_module", lambda: open(root + "/mle_lib/homework/ch02.py").read().count("expected="))
attempt("registry", lambda: sorted(__import__("mle_lib.homework", fromlist=["REGISTRY"]).REGISTRY))
attempt("processes", lambda: sorted(p for p in os.listdir("/proc") if p.isdigit()))
def forks():
    n = 0
    kids = []
    while n < 1000:
        try:
            pid = os.fork()
        except OSError:
            break
        if pid == 0:
            import time
            time.sleep(5)
            os._exit(0)
        kids.append(pid)
        n += 1
    for pid in kids:
        os.kill(pid, 9)
        os.waitpid(pid, 0)
    return n
attempt("forks", forks)
attempt("userns", lambda: subprocess.run(["unshare", "--user", "true"], capture_output=True).returncode)
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def probe():
    reason = sandbox.unavailable()
    assert reason is None, reason
    workspace = job.Workspace()  # in /tmp: the sandbox user must be able to reach it
    try:
        job_dir, _ = workspace.new_job()
        python = str(Path(sys.prefix) / "bin" / "python")
        cmd = sandbox.command(job_dir, workspace.library, sandbox.Limits(), 5, [python, "-c", _PROBE, str(ROOT)])
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
        assert done.stdout.strip(), done.stderr[-2000:]
        return json.loads(done.stdout.strip().splitlines()[-1])
    finally:
        workspace.close()


def test_the_sandbox_hides_the_course_and_the_system(probe):
    assert probe["notebooks"].startswith("refused") and probe["tests"].startswith("refused")
    assert probe["work_main"] == [".venv", "mle_lib"]
    assert probe["shadow"].startswith("refused")
    assert probe["root_home"] == [".pyenv"] or probe["root_home"].startswith("refused")
    assert probe["chapter_module"] == 0  # the stand-in computes no answer
    assert [k for k in probe["registry"] if not k.startswith("demo")] == []


def test_the_sandbox_is_read_only_but_for_its_folders(probe):
    assert probe["write_usr"].startswith("refused") and probe["write_venv"].startswith("refused")
    assert probe["write_home"] == 1 and probe["write_tmp"] == 1


def test_the_sandbox_has_no_network(probe):
    assert probe["net_out"].startswith("refused") and probe["dns"].startswith("refused")


def test_the_sandbox_limits_memory_processes_and_namespaces(probe):
    assert probe["alloc_3g"] == "refused: MemoryError"
    assert 0 < probe["forks"] < sandbox.Limits().processes
    assert probe["userns"] != 0
    assert len(probe["processes"]) <= 3  # its own PID namespace: bwrap's init, python, nothing of the machine
    if sandbox.is_root():
        assert probe["uid"] == sandbox.BASE_UID + 5


def _summary(grades: dict[str, str]) -> str:
    from collections import Counter

    counts = Counter(grades.values())
    return ", ".join(f"{counts[s]} {s}" for s in ("correct", "wrong", "unanswered", "ungraded") if counts[s])


def test_write_the_table_of_grades(hostile_class, control_verdicts):
    """build/grades-hostile/table.md: each hostile submission, the grader's grade, the in-kernel judge's."""
    lines = ["| submission | grade (real grader) | in-kernel judge (negative control) |", "|---|---|---|"]
    for name in sorted(hostile.EXPECTED):
        control = control_verdicts.get(name)
        lines.append(
            f"| {name} | {_summary(hostile_class['grades'][name])} | "
            f"{_summary(control) + ' (fooled)' if control else '—'} |"
        )
    out = ROOT / "build" / "grades-hostile"
    out.mkdir(parents=True, exist_ok=True)
    (out / "table.md").write_text("\n".join(lines) + f"\n\nwall time of the class run: {hostile_class['wall']:.0f} s\n")
    assert len(lines) == len(hostile.EXPECTED) + 2
