"""``tools/grade.py``: grade a class, one submission (``--one``), or the editions themselves (``--selftest``).

    python tools/grade.py SUBMISSIONS [--roster R] [--out build/grades] [--jobs N] [--chapter 02]
    python tools/grade.py --one alice.ipynb --result alice.json [--worker K] [--student alice]
    python tools/grade.py --report-from results/ [--out build/grades]
    python tools/grade.py --selftest

Every submission runs in the sandbox (:mod:`.sandbox`); where none can be made the grader refuses, says why,
and grades only when told ``--no-sandbox-i-trust-this-work``.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import queue
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path
from typing import Any

from . import common, job, report, sandbox
from .common import NOTEBOOKS, ROOT, STUDENT

#: Where ``make variants`` writes the manifest the grader reads by default.
DEFAULT_MANIFEST = ROOT / "build" / "variants" / "manifest.json"

TRUST_FLAG = "--no-sandbox-i-trust-this-work"


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="tools/grade.py", description=__doc__.split("\n\n")[0])
    p.add_argument("submissions", nargs="?", type=Path, help="folder of <student-id>.ipynb files")
    p.add_argument("--roster", type=Path, help="CSV with columns file,student: the id of each file")
    p.add_argument("--out", type=Path, default=ROOT / "build" / "grades", help="where the reports go")
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="submissions at once (default: cores)")
    p.add_argument("--chapter", help="the chapter (e.g. 02 or 02_bernoulli_binomial); default: from the checks")
    p.add_argument("--selftest", action="store_true", help="grade notebooks/ (all correct) and student/ (none)")
    p.add_argument("--one", type=Path, metavar="SUBMISSION", help="grade this one notebook only")
    p.add_argument("--result", type=Path, metavar="FILE", help="with --one: write its result (JSON) here")
    p.add_argument("--student", help="with --one: the student's id (default: the file's name)")
    p.add_argument(
        "--manifest",
        type=Path,
        help="the variants' manifest of make variants (default: the one it writes under build/, if it exists): "
        "each student is judged against the parameters and reference answer it recorded",
    )
    p.add_argument("--course-key", help="the term's course key (default: the manifest's, else MLE_COURSE_KEY)")
    p.add_argument("--worker", type=int, default=0, help="with --one: the worker slot (uid 60000 + slot)")
    p.add_argument("--report-from", type=Path, metavar="DIR", help="build the reports from --one result files")
    p.add_argument(TRUST_FLAG, dest="trust", action="store_true", help="grade without a sandbox (trusted work)")
    defaults = sandbox.Limits()
    p.add_argument("--cell-seconds", type=int, default=defaults.cell_seconds)
    p.add_argument("--notebook-seconds", type=int, default=defaults.notebook_seconds)
    p.add_argument("--cpu-seconds", type=int, default=defaults.cpu_seconds)
    p.add_argument("--memory-mib", type=int, default=defaults.memory // 2**20)
    p.add_argument("--quiet", action="store_true", help="no line per submission")
    return p


def read_roster(path: Path) -> dict[str, str]:
    """``file`` → ``student`` from a CSV (columns in any case; a file named with or without .ipynb)."""
    with open(path, newline="", encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    out = {}
    for row in rows:
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items()}
        if row.get("file") and row.get("student"):
            name = row["file"]
            out[name if name.endswith(".ipynb") else name + ".ipynb"] = row["student"]
    return out


def check_sandbox(trust: bool) -> bool:
    """True to use the sandbox; False when there is none and the user said to trust the work; exits otherwise."""
    reason = sandbox.unavailable()
    if reason is None:
        return True
    if trust:
        print(f"WARNING: no sandbox ({reason}); grading WITHOUT one, as {TRUST_FLAG} asks.", file=sys.stderr)
        return False
    print(
        f"Refusing to grade untrusted work: no sandbox can be made here: {reason}.\n"
        f"Only for work you trust (it would run with your rights, and could read the solutions), pass {TRUST_FLAG}.",
        file=sys.stderr,
    )
    raise SystemExit(2)


def limits_from(args: argparse.Namespace) -> sandbox.Limits:
    """The sandbox limits the command line's options set."""
    return sandbox.Limits(
        memory=args.memory_mib * 2**20,
        cpu_seconds=args.cpu_seconds,
        cell_seconds=args.cell_seconds,
        notebook_seconds=args.notebook_seconds,
    )


def _line(result: dict[str, Any]) -> str:
    counts = Counter(r["status"] for r in result["rows"])
    parts = ", ".join(f"{counts[s]} {s}" for s in ("correct", "wrong", "unanswered", "ungraded") if counts[s])
    return f"{result['student']}: {parts or 'no exercise'} ({result.get('seconds', 0):.1f} s)"


def grade_class(
    files: list[tuple[Path, str]],
    limits: sandbox.Limits,
    jobs: int,
    use_sandbox: bool,
    chapter: str | None = None,
    quiet: bool = False,
) -> list[dict[str, Any]]:
    """Grade ``(file, student)`` pairs, ``jobs`` at a time (each worker slot its own uid)."""
    detected = []
    for path, _ in files:
        try:
            cells = job.read_submission(path)
        except (job.NotANotebook, OSError):
            continue
        checks = [ex for c in cells if c["cell_type"] == "code" for ex, _ in job.collect.find_checks(c["source"])]
        found = job.chapter_of(checks)
        if found:
            detected.append(found.name)
    fallback = Counter(detected).most_common(1)[0][0] if detected else None
    workspace = job.Workspace()
    slots: queue.Queue[int] = queue.Queue()
    for i in range(max(1, jobs)):
        slots.put(i)
    results: list[dict[str, Any]] = []

    def one(path: Path, student: str) -> dict[str, Any]:
        slot = slots.get()
        try:
            return job.grade_one(path, student, workspace, limits, slot, use_sandbox, chapter, fallback)
        except Exception as exc:  # the grader's own failure: every exercise ungraded, with the reason
            return {
                "student": student,
                "file": path.name,
                "chapter": chapter or fallback or "",
                "rows": [
                    {
                        "student": student,
                        "exercise": "?",
                        "status": "ungraded",
                        "points": 0,
                        "max_points": 0,
                        "message": f"the grader failed: {type(exc).__name__}: {str(exc)[:200]}",
                    }
                ],
                "free_text": [],
                "notes": ["grader failure"],
            }
        finally:
            slots.put(slot)

    try:
        with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
            futures = [pool.submit(one, path, student) for path, student in files]
            for n, future in enumerate(as_completed(futures), 1):
                result = future.result()
                results.append(result)
                if not quiet:
                    print(f"[{n}/{len(files)}] {_line(result)}", flush=True)
    finally:
        workspace.close()
    return results


def _machine_cpu() -> float:
    """CPU seconds the whole machine has spent (user + system, every core), from /proc/stat."""
    try:
        with open("/proc/stat", encoding="ascii") as f:
            fields = f.readline().split()[1:]
        return (int(fields[0]) + int(fields[1]) + int(fields[2])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return 0.0


def _selftest(args: argparse.Namespace, use_sandbox: bool) -> int:
    files = [(p, f"notebooks-{p.stem}") for p in sorted(NOTEBOOKS.glob("*.ipynb"))]
    files += [(p, f"student-{p.stem}") for p in sorted(STUDENT.glob("*.ipynb"))]
    start = time.monotonic()
    results = grade_class(files, limits_from(args), args.jobs, use_sandbox, quiet=args.quiet)
    out = args.out if args.out != ROOT / "build" / "grades" else ROOT / "build" / "grades-selftest"
    report.write_reports(results, out)
    bad = []
    for r in results:
        want = "correct" if r["student"].startswith("notebooks-") else "unanswered"
        for row in r["rows"]:
            if row["status"] != want:
                bad.append(f"{r['student']} {row['exercise']}: {row['status']} — {row['message']}")
    n = sum(len(r["rows"]) for r in results)
    print(
        f"selftest: {len(results)} notebooks, {n} exercises in {time.monotonic() - start:.0f} s "
        f"({'sandboxed' if use_sandbox else 'NO sandbox'}); reports in {out}"
    )
    if bad:
        print("selftest FAILED:\n  " + "\n  ".join(bad))
        return 1
    print("selftest passed: every exercise of notebooks/ is correct, every one of student/ unanswered")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Grade the submissions the command line names, run the self-test, or rewrite reports; the exit code."""
    args = _parser().parse_args(argv)
    if args.report_from:
        results = report.read_results(args.report_from)
        paths = report.write_reports(results, args.out)
        print(f"{len(results)} results → {paths['grades']}, {paths['summary']}, {paths['feedback']}/")
        return 0
    use_sandbox = check_sandbox(args.trust)
    if args.selftest:  # notebooks/ and student/ hold the demo student's data
        folders = (("notebooks", NOTEBOOKS), ("student", STUDENT))
        names = {f"{kind}-{p.stem}" for kind, folder in folders for p in folder.glob("*.ipynb")}
        common.load_term(None, None, frozenset(names))
        return _selftest(args, use_sandbox)
    manifest = args.manifest or (DEFAULT_MANIFEST if DEFAULT_MANIFEST.is_file() else None)
    term = common.load_term(args.course_key, manifest)
    source = f"parameters and references from {manifest}" if manifest else "no manifest: variants drawn now"
    print(f"variants: course key {term.key!r}, {source}", file=sys.stderr)
    limits = limits_from(args)
    if args.one:
        workspace = job.Workspace()
        try:
            student = args.student or args.one.stem
            result = job.grade_one(args.one, student, workspace, limits, args.worker, use_sandbox, args.chapter)
        finally:
            workspace.close()
        text = json.dumps(result, indent=1)
        if args.result:
            args.result.parent.mkdir(parents=True, exist_ok=True)
            args.result.write_text(text, encoding="utf-8")
            print(_line(result))
        else:
            print(text)
        return 0
    if args.submissions is None or not args.submissions.is_dir():
        print("usage: tools/grade.py SUBMISSIONS (a folder of <student-id>.ipynb files); see --help", file=sys.stderr)
        return 2
    roster = read_roster(args.roster) if args.roster else {}
    files = [(p, roster.get(p.name, p.stem)) for p in sorted(args.submissions.glob("*.ipynb")) if p.is_file()]
    if not files:
        print(f"no .ipynb file in {args.submissions}", file=sys.stderr)
        return 2
    dupes = [s for s, n in Counter(s for _, s in files).items() if n > 1]
    if dupes:
        print(f"the roster gives several files the same student id: {', '.join(dupes)}", file=sys.stderr)
        return 2
    start = time.monotonic()
    cpu, machine = os.times(), _machine_cpu()
    results = grade_class(files, limits, args.jobs, use_sandbox, args.chapter, args.quiet)
    paths = report.write_reports(results, args.out)
    wall = time.monotonic() - start
    after = os.times()
    own = after.user + after.system - cpu.user - cpu.system
    totals = Counter(r["status"] for res in results for r in res["rows"])
    print(
        f"graded {len(results)} submissions in {wall:.1f} s wall ({len(results) / wall * 60:.1f} per minute; "
        f"CPU of the whole machine {_machine_cpu() - machine:.0f} s, of which the grader's own process {own:.0f} s) "
        f"with {args.jobs} workers"
        f"{'' if use_sandbox else ', NO sandbox'}: "
        + ", ".join(f"{totals[s]} {s}" for s in ("correct", "wrong", "unanswered", "ungraded"))
    )
    print(f"→ {paths['grades']}, {paths['summary']}, {paths['free_text']}, {paths['feedback']}/")
    return 0
