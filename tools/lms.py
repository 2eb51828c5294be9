"""After the grader: the LMS upload (Canvas, Moodle), the free-text answers, and the points given by hand.

  python tools/lms.py canvas --gradebook EXPORT.csv --roster ROSTER.csv --assignment "Chapter 2"
        [--grades GRADES.csv] [--manual MANUAL.csv] [--match sis_id|login] [--out UPLOAD.csv]
        [--overwrite] [--skip-unmatched] [--only-assignment]
  python tools/lms.py moodle ... (the same, --match idnumber|email)
  python tools/lms.py free-text [--free-text FREE_TEXT.csv] [--grades GRADES.csv] [--max EXERCISE=POINTS ...]
  python tools/lms.py merge-manual [--grades GRADES.csv] [--manual MANUAL.csv] [--out TOTALS.csv]

Every file defaults to its place in build/grades/, where the class grader (grade.py, beside this file) writes
grades.csv and free_text.csv: the upload to ``<lms>-upload.csv``, the pages to ``free-text/``, the template to
``manual-points.csv``, the totals to ``totals.csv``. The gradebook export is only read. The rules (matching,
refusals, the roster's columns) are in tools/grading/lms.py, the free-text pages and the manual points in
tools/grading/free_text.py.
Exit status: 0 done, 1 refused (nothing written; the reasons are printed, by name), 2 bad usage.
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

from grading.free_text import merge_manual, read_answers, read_manual, template_rows, write_pages, write_template
from grading.lms import (
    LMSES,
    CsvFile,
    RefusedError,
    Total,
    fill,
    format_points,
    read_csv,
    read_dicts,
    read_marks,
    read_roster,
    read_totals,
    totals_from_marks,
    write_csv,
)

ROOT = Path(__file__).resolve().parents[1]
GRADES_DIR = ROOT / "build" / "grades"
GRADES = GRADES_DIR / "grades.csv"
FREE_TEXT = GRADES_DIR / "free_text.csv"
MANUAL = GRADES_DIR / "manual-points.csv"
TOTALS = GRADES_DIR / "totals.csv"
PAGES = GRADES_DIR / "free-text"


def shown(path: Path) -> str:
    """``path`` relative to the current folder when it is inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def listing(title: str, items: list[str]) -> None:
    """Print ``items`` under ``title``, nothing when there are none."""
    if items:
        print(f"{title}:")
        for item in items:
            print(f"  {item}")


def load_totals(grades: Path, manual: Path | None, free_text: Path | None) -> tuple[dict[str, Total], int]:
    """Totals from grades.csv (or a totals file), with the manual points merged in; and how many were merged."""
    if manual is None:
        return read_totals(grades), 0
    if "exercise" not in (read_dicts(grades)[:1] or [{}])[0]:
        raise RefusedError(f"--manual needs the grader's per-exercise grades.csv, not {grades.name}")
    answers = read_answers(free_text) if free_text is not None and free_text.exists() else []
    result = merge_manual(read_marks(grades), read_manual(manual), answers, manual.name)
    return totals_from_marks(result.marks), result.merged


def upload(args: argparse.Namespace) -> int:
    """The ``canvas``/``moodle`` command: write the filled gradebook for upload and report what it did; 0."""
    lms = LMSES[args.lms]
    out = args.out or GRADES_DIR / f"{lms.name}-upload.csv"
    inputs = [p for p in (args.gradebook, args.roster, args.grades, args.manual) if p is not None]
    if out.exists() and any(p.exists() and out.samefile(p) for p in inputs):
        raise RefusedError(f"--out {shown(out)} is one of the inputs: the export is never overwritten")
    roster_column = lms.matches[args.match][0]
    totals, merged = load_totals(args.grades, args.manual, args.free_text)
    report = fill(
        read_csv(args.gradebook),
        lms,
        args.match,
        read_roster(args.roster, roster_column),
        totals,
        args.assignment,
        overwrite=args.overwrite,
        skip_unmatched=args.skip_unmatched,
        only_assignment=args.only_assignment,
    )
    write_csv(report.table, out)
    kind = f"a new column ({lms.name.capitalize()} creates the assignment)" if report.created else "its column"
    print(
        f"{lms.name}: {report.column!r}, {kind}, points possible {format_points(report.points_possible)}"
        + (f", {merged} manual point(s) merged" if args.manual else "")
        + f" -> {shown(out)}"
    )
    print(
        f"{len(report.filled)} filled ({len(report.overwritten)} overwritten), {len(report.unchanged)} unchanged,"
        f" {len(report.missing)} missing, {len(report.held)} held, {len(report.skipped)} skipped"
    )
    listing("overwritten", report.overwritten)
    listing("missing (in the gradebook, no grade here: cell left as it was)", report.missing)
    listing("held (ungraded exercises: cell left as it was; mark them in the manual points)", report.held)
    listing("skipped (--skip-unmatched: a grade for someone the gradebook does not have)", report.skipped)
    listing("warning", report.warnings)
    return 0


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def free_text(args: argparse.Namespace) -> int:
    """The ``free-text`` command: the marking pages and the manual-points template; 0."""
    answers = read_answers(args.free_text)
    marks = read_marks(args.grades) if args.grades.exists() else {}
    given = {}
    for item in args.max:
        exercise, _, points = item.partition("=")
        try:
            given[exercise.strip()] = float(points)
        except ValueError:
            raise RefusedError(f"--max {item!r}: expected EXERCISE=POINTS") from None
    added, kept = write_template(args.template, template_rows(answers, marks, given))
    maxima: dict[str, float] = {}
    for row in read_dicts(args.template, ("exercise", "max_points")):
        value = _number(row["max_points"])
        if value is not None:
            maxima.setdefault(row["exercise"], value)
    pages = write_pages(answers, args.out_dir, maxima)
    print(f"{len(pages)} page(s) in {shown(args.out_dir)}/ (open index.html):")
    for exercise, page in pages.items():
        count = len({a.student for a in answers if a.exercise == exercise})
        print(f"  {page.name}: {count} student(s)")
    print(f"template {shown(args.template)}: {added} row(s) added, {kept} kept as they were")
    unknown = sorted(set(pages) - set(maxima))
    if unknown:
        print(f"no max_points known for {', '.join(unknown)}: fill that column (or pass --max EXERCISE=POINTS)")
    return 0


def merge(args: argparse.Namespace) -> int:
    """The ``merge`` command: every student's total with the manual points in, written to ``--out``; 0."""
    totals, merged = load_totals(args.grades, args.manual, args.free_text)
    held = [t for t in totals.values() if t.pending]
    write_csv_rows(
        args.out,
        ["student", "points", "max_points", "pending", "manual"],
        [
            [t.student, format_points(t.points), format_points(t.max_points), " ".join(t.pending), " ".join(t.manual)]
            for t in totals.values()
        ],
    )
    print(f"{len(totals)} student(s), {merged} manual point(s) merged, {len(held)} held -> {shown(args.out)}")
    listing("held (not graded yet)", [f"{t.student}: {', '.join(t.pending)}" for t in held])
    return 0


def write_csv_rows(path: Path, header: list[str], rows: list[list[str]]) -> None:
    """Write ``header`` and ``rows`` to ``path`` as a spreadsheet-friendly CSV (UTF-8 with BOM, CRLF)."""
    write_csv(CsvFile(header, rows, encoding="utf-8-sig", lineterminator="\r\n"), path)


def parser() -> argparse.ArgumentParser:
    """The command line: one sub-command per LMS, ``free-text`` and ``merge``."""
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="command", required=True)
    for lms in LMSES.values():
        s = sub.add_parser(lms.name, help=f"fill one assignment column of a {lms.name.capitalize()} gradebook export")
        s.set_defaults(run=upload, lms=lms.name)
        s.add_argument("--gradebook", type=Path, required=True, help="the gradebook CSV the LMS exported (only read)")
        s.add_argument("--roster", type=Path, required=True, help="the roster CSV: student, sis_id, login, email")
        s.add_argument("--assignment", required=True, help="the assignment's name, as the gradebook writes it")
        s.add_argument("--grades", type=Path, default=GRADES, help="grades.csv, or totals.csv from merge-manual")
        s.add_argument("--manual", type=Path, help="the filled manual-points.csv, merged in first")
        s.add_argument("--free-text", type=Path, default=FREE_TEXT, help="free_text.csv (with --manual; if it exists)")
        keys = ", ".join(f"{m}: roster {r} = {g}" for m, (r, g) in lms.matches.items())
        s.add_argument("--match", choices=list(lms.matches), default=next(iter(lms.matches)), help=f"exact ({keys})")
        s.add_argument("--out", type=Path, help=f"the upload (default: {lms.name}-upload.csv in build/grades)")
        s.add_argument("--overwrite", action="store_true", help="replace cells already filled with another value")
        s.add_argument("--skip-unmatched", action="store_true", help="leave out grades of students not in it")
        s.add_argument("--only-assignment", action="store_true", help="write the identity columns and this one only")
    s = sub.add_parser("free-text", help="one page per exercise of the free-text answers, and the manual template")
    s.set_defaults(run=free_text)
    s.add_argument("--free-text", type=Path, default=FREE_TEXT, help="the grader's free_text.csv")
    s.add_argument("--grades", type=Path, default=GRADES, help="grades.csv, for max_points (if it exists)")
    s.add_argument("--out-dir", type=Path, default=PAGES, help="the pages' folder")
    s.add_argument("--template", type=Path, default=MANUAL, help="the manual points' template (kept if it exists)")
    s.add_argument("--max", action="append", default=[], metavar="EXERCISE=POINTS", help="an exercise's max_points")
    s = sub.add_parser("merge-manual", help="per-student totals with the manual points merged in")
    s.set_defaults(run=merge)
    s.add_argument("--grades", type=Path, default=GRADES, help="the grader's grades.csv")
    s.add_argument("--manual", type=Path, default=MANUAL, help="the filled manual-points.csv")
    s.add_argument("--free-text", type=Path, default=FREE_TEXT, help="free_text.csv (if it exists)")
    s.add_argument("--out", type=Path, default=TOTALS, help="the totals (default: totals.csv in build/grades)")
    return p


def main(argv: list[str] | None = None) -> int:
    """Run the command ``argv`` names; 1 with the reasons on a refusal."""
    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except RefusedError as err:
        print(f"refused: {err}", file=sys.stderr)
        return 1
    except FileNotFoundError as err:
        print(f"refused: no such file: {err.filename}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
