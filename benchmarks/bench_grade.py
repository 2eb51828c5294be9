"""How fast the class grader grades chapter 2 here (``make bench-grade [N=500] [JOBS=…]``).

Makes N submissions of chapter 2 — alternately the author's solutions moved into the student edition and the
student edition left blank — grades them with ``tools/grade.py`` (sandboxed, every core unless JOBS says
otherwise) and prints submissions per minute, the wall and CPU time, and what 500 would take.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "grading_tests"))
sys.path.insert(0, str(ROOT / "tools"))


def main() -> int:
    """Grade ``-n`` chapter-2 submissions with ``--jobs`` workers and print submissions per minute; the exit code."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("-n", type=int, default=20, help="submissions (default 20)")
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = p.parse_args()
    import hostile  # the same editions-based generator as the hostile tests
    import nbformat

    blank = hostile._student()
    solved = hostile.solve(blank)
    folder = Path(tempfile.mkdtemp(prefix="bench-grade-"))
    out = folder / "grades"
    try:
        subs = folder / "subs"
        subs.mkdir()
        for i in range(args.n):
            nbformat.write(solved if i % 2 == 0 else blank, subs / f"student{i:04d}.ipynb")
        from grading.cli import _machine_cpu

        before = _machine_cpu()
        start = time.monotonic()
        done = subprocess.run(
            [sys.executable, str(ROOT / "tools" / "grade.py"), str(subs), "--out", str(out), "--jobs", str(args.jobs)],
            capture_output=True,
            text=True,
        )
        wall = time.monotonic() - start
        cpu = _machine_cpu() - before  # every process of the machine (the grader, its sandboxes, anything else)
        if done.returncode != 0:
            print(done.stdout[-2000:], done.stderr[-2000:])
            return done.returncode
        rate = args.n / wall * 60
        print(done.stdout.strip().splitlines()[-2])
        print(
            f"bench-grade: {args.n} submissions of chapter 2 (half solved, half blank), {args.jobs} workers on "
            f"{os.cpu_count()} cores: {wall:.1f} s wall, {cpu:.1f} s CPU of the machine "
            f"({cpu / args.n:.2f} s per submission), "
            f"{rate:.1f} submissions per minute; 500 would take {500 / rate:.1f} min (target ≤ 30 min)"
        )
        statuses = (out / "grades.csv").read_text(encoding="utf-8")
        wrong = [line for line in statuses.splitlines()[1:] if ",correct," not in line and ",unanswered," not in line]
        if wrong:
            print(f"unexpected grades ({len(wrong)}):", *wrong[:5], sep="\n  ")
            return 1
        return 0
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
