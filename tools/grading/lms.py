"""Fill one assignment column of the LMS's own gradebook export (Canvas, Moodle) with the grader's totals.

The upload is a new CSV: the export is read, never written. Everything is checked before anything is written; a
refusal (:class:`RefusedError`) names every student or row that caused it, and leaves no file behind.

The gradebook (the LMS's own export)
------------------------------------
* **Canvas** (Grades > Export): the identity columns ``Student, ID, SIS User ID, SIS Login ID, Section``, then one
  column per assignment, named ``Chapter 2 (12345)`` (the name, then Canvas's assignment id), then read-only totals.
  The row under the header whose first cell is ``Points Possible`` (and any other row before the students without a
  Canvas ``ID``, such as a ``Manual Posting`` row) is kept as it is, except that the assignment's cell in it is
  set to the assignment's points possible. ``--assignment "Chapter 2"`` names the column ``Chapter 2`` or
  ``Chapter 2 (<id>)``; when there is none, a column ``Chapter 2`` is added at the end, and on import Canvas
  creates the assignment. Import with Grades > Import.
* **Moodle** (Grades > Export > Plain text file): identity columns such as ``First name, Last name, ID number,
  Institution, Department, Email address``, the grade items named ``Assignment: Chapter 2 (Real)``. ``--assignment
  "Chapter 2"`` names that column (or one called exactly ``Chapter 2``); when there is none, a column ``Chapter 2``
  is added. Import with Grades > Import > CSV file: "Map from" the column ``--match`` used (``ID number`` or
  ``Email address``), "Map to" ``useridnumber`` or ``useremail``, the filled column to its grade item (and the
  other grade columns to "Ignore", or write the upload with ``--only-assignment``). Moodle imports points as they
  are: the grade item's maximum must be the points possible printed here.

The file is read as UTF-8 with or without a byte-order mark (``utf-8-sig``) and written back with the same
encoding, delimiter (comma, semicolon or tab, as the header line uses), line ending and quoting (every cell, when
the header quotes every cell, else only where needed) as the export.

The roster (the course's own CSV; never committed: .gitignore keeps ``roster*.csv`` out)
-----------------------------------------------------------------------------------------
One row per student, UTF-8 (with or without BOM), column names in any case:

============ ========================================================================================
``student``  the id the grader used for the submission (the ``student`` column of grades.csv); required, unique
``sis_id``   the institution's id: Canvas's ``SIS User ID`` (``canvas --match sis_id``, the default) and
             Moodle's ``ID number`` (``moodle --match idnumber``, the default)
``login``    Canvas's ``SIS Login ID`` (only for ``canvas --match login``)
``email``    Moodle's ``Email address`` (only for ``moodle --match email``)
``name``     optional: only used to name the student in messages
============ ========================================================================================

Other columns are ignored; a key column left empty means "not in the gradebook" (that student is unmatched).
Non-empty keys must be unique.

The grades
----------
Either the grader's grades.csv (one row per student and exercise: ``student, exercise, status, points,
max_points, message``) or a totals file, one row per student (``student, points, max_points`` and optionally
``pending``), as ``tools/lms.py merge-manual`` writes it. From grades.csv a student's total is the sum of
``points`` over their exercises and its maximum the sum of ``max_points``; "wrong" and "unanswered" count with
their points (0 unless the grader gave partial points). An "ungraded" exercise (the grader could not judge it:
an environment failure, a free-text answer) holds the student's total back: the cell is not filled, and the
student is listed, until manual points (``tools/grading/free_text.py``) give that exercise a mark. The points
possible are the largest maximum of any student (a student with a smaller one is listed).

Matching
--------
Exact: the roster's value and the gradebook's cell must be the same string once white space around them is
removed. Moodle's own match is case-sensitive and the upload hands Moodle its own cell back, so a grade never
lands on someone Moodle would not match. A value that equals a gradebook cell only when case, inner white space
or Unicode normal form are ignored (``Ana@uni.edu`` against ``ana@uni.edu``) is a near-miss: refused, always,
naming both, never matched — fix the roster. The assignment's column is found the same way: a near-miss of its
name is refused (it would otherwise create a second assignment).

Rules
-----
* A grade for a student the gradebook does not have (not in the roster, no key, or a key the gradebook does not
  hold) is refused, by name, unless ``skip_unmatched`` (then listed as skipped).
* A gradebook student with no grade is listed as missing; their cell is left as it was.
* A cell that already holds a different value (a grade, ``EX``; anything but empty or Moodle's ``-``) is
  refused, listing those students, unless ``overwrite``; a cell that already holds the same number is counted as
  unchanged. The same for the points possible of an existing Canvas column.
"""

from __future__ import annotations

import codecs
import csv
import io
import math
import os
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

__all__ = [
    "RefusedError",
    "CsvFile",
    "read_csv",
    "write_csv",
    "read_dicts",
    "Mark",
    "Total",
    "RosterEntry",
    "exercise_marks",
    "totals_from_marks",
    "read_marks",
    "read_totals",
    "read_roster",
    "Lms",
    "CANVAS",
    "MOODLE",
    "LMSES",
    "FillReport",
    "fill",
    "format_points",
    "NO_GRADE",
]


class RefusedError(Exception):
    """Nothing was written: ``problems`` says, one line each and by name, what stopped it."""

    def __init__(self, summary: str, problems: Iterable[str] = ()):
        self.summary = summary
        self.problems = list(problems)
        super().__init__(summary + "".join(f"\n  {p}" for p in self.problems))


# --------------------------------------------------------------------------------------------------
# CSV files as the LMS wrote them
# --------------------------------------------------------------------------------------------------
@dataclass
class CsvFile:
    """A CSV file's rows and how it was written (so that it can be written back the same way)."""

    header: list[str]
    rows: list[list[str]]
    encoding: str = "utf-8"  # "utf-8-sig" when the file began with a byte-order mark
    delimiter: str = ","
    lineterminator: str = "\r\n"
    # csv.QUOTE_ALL when every cell of the header was quoted (Moodle's export); the values are csv's QUOTE_* constants
    quoting: Literal[0, 1, 2, 3] = csv.QUOTE_MINIMAL


def _delimiter(line: str) -> str:
    """The delimiter of a header line: the most frequent of comma, semicolon and tab outside quotes."""
    counts = dict.fromkeys(",;\t", 0)
    quoted = False
    for char in line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(counts, key=lambda c: counts[c])
    return best if counts[best] else ","


def read_csv(path: str | Path) -> CsvFile:
    """Read a CSV file as UTF-8 (with or without BOM), remembering its encoding, delimiter and line ending."""
    path = Path(path)
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise RefusedError(
            f"{path}: not UTF-8 (byte {err.start}); export it again, or save it as 'CSV UTF-8' in a spreadsheet"
        ) from None
    first = text.partition("\n")[0].rstrip("\r")
    delimiter = _delimiter(first)
    every_cell_quoted = re.fullmatch(rf'"[^"]*"(?:{re.escape(delimiter)}"[^"]*")*', first)
    rows = [row for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter) if row]  # no blank lines
    if not rows:
        raise RefusedError(f"{path}: empty file")
    return CsvFile(
        header=rows[0],
        rows=rows[1:],
        encoding="utf-8-sig" if raw.startswith(codecs.BOM_UTF8) else "utf-8",
        delimiter=delimiter,
        lineterminator="\r\n" if "\r\n" in text else "\n",
        quoting=csv.QUOTE_ALL if every_cell_quoted else csv.QUOTE_MINIMAL,
    )


def write_csv(table: CsvFile, path: str | Path) -> None:
    """Write ``table`` with the ``csv`` module, in its own encoding; the file appears whole or not at all."""
    path = Path(path)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=table.delimiter, lineterminator=table.lineterminator, quoting=table.quoting)
    writer.writerow(table.header)
    writer.writerows(table.rows)
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(path.name + ".part")
    part.write_bytes(buffer.getvalue().encode(table.encoding))
    os.replace(part, path)


def read_dicts(path: str | Path, required: Sequence[str] = ()) -> list[dict[str, str]]:
    """The rows of a CSV file as dicts keyed by lower-cased, stripped column names, with ``_line`` (1-based)."""
    table = read_csv(path)
    names = [name.strip().lower() for name in table.header]
    missing = [name for name in required if name not in names]
    if missing:
        raise RefusedError(f"{path}: no column {', '.join(missing)} (it has {', '.join(table.header)})")
    rows = []
    for number, row in enumerate(table.rows, start=2):
        record = {name: (row[i].strip() if i < len(row) else "") for i, name in enumerate(names)}
        record["_line"] = str(number)
        rows.append(record)
    return rows


# --------------------------------------------------------------------------------------------------
# The grades: per exercise, then per student
# --------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Mark:
    """One exercise of one student: ``points`` is None while nobody has graded it."""

    points: float | None
    max_points: float
    source: str = "grader"  # or "manual"


@dataclass(frozen=True)
class Total:
    """A student's total; while ``pending`` names exercises nobody has graded, the total is held back."""

    student: str
    points: float
    max_points: float
    pending: tuple[str, ...] = ()
    manual: tuple[str, ...] = ()


def _number(text: str) -> float | None:
    try:
        value = float(text.strip())
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def format_points(value: float) -> str:
    """Points as a gradebook shows them: ``7.5``, ``10``, at most four decimals."""
    text = f"{round(value, 4):.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def exercise_marks(rows: Sequence[Mapping[str, str]], source: str = "grades.csv") -> dict[str, dict[str, Mark]]:
    """grades.csv's rows (see :func:`read_dicts`) as ``{student: {exercise: Mark}}``; malformed rows refused."""
    marks: dict[str, dict[str, Mark]] = {}
    problems = []
    for row in rows:
        where = f"{source} line {row.get('_line', '?')}"
        student, exercise, status = row["student"], row["exercise"], row.get("status", "").lower()
        if not student or not exercise:
            problems.append(f"{where}: no student or no exercise")
            continue
        maximum = _number(row["max_points"])
        if maximum is None or maximum < 0:
            problems.append(f"{where}: max_points {row['max_points']!r} is not a number ≥ 0")
            continue
        if status == "ungraded":
            points = None
        elif row["points"] == "" and status == "unanswered":
            points = 0.0
        else:
            points = _number(row["points"])
            if points is None or not 0 <= points <= maximum:
                problems.append(f"{where}: {student} {exercise}: points {row['points']!r} not in [0, {maximum:g}]")
                continue
        if exercise in marks.setdefault(student, {}):
            problems.append(f"{where}: {student} {exercise} appears twice")
            continue
        marks[student][exercise] = Mark(points, maximum)
    if problems:
        raise RefusedError(f"{source}: {len(problems)} malformed row(s)", problems)
    return marks


def totals_from_marks(marks: Mapping[str, Mapping[str, Mark]]) -> dict[str, Total]:
    """Per student: the sum of the points and of the maxima; exercises without points are pending."""
    return {
        student: Total(
            student,
            points=sum(m.points for m in by_exercise.values() if m.points is not None),
            max_points=sum(m.max_points for m in by_exercise.values()),
            pending=tuple(sorted(e for e, m in by_exercise.items() if m.points is None)),
            manual=tuple(sorted(e for e, m in by_exercise.items() if m.source == "manual")),
        )
        for student, by_exercise in sorted(marks.items())
    }


def read_marks(path: str | Path) -> dict[str, dict[str, Mark]]:
    """grades.csv as ``{student: {exercise: Mark}}``."""
    return exercise_marks(read_dicts(path, ("student", "exercise", "points", "max_points")), Path(path).name)


def read_totals(path: str | Path) -> dict[str, Total]:
    """Per-student totals from grades.csv (one row per exercise) or a totals file (one row per student)."""
    path = Path(path)
    rows = read_dicts(path, ("student", "points", "max_points"))
    if rows and "exercise" in rows[0]:
        return totals_from_marks(exercise_marks(rows, path.name))
    totals: dict[str, Total] = {}
    problems = []
    for row in rows:
        points, maximum = _number(row["points"]), _number(row["max_points"])
        pending = tuple(row.get("pending", "").split())
        if not row["student"] or row["student"] in totals:
            problems.append(f"line {row['_line']}: student {row['student']!r} empty or repeated")
        elif maximum is None or maximum < 0 or (points is None and not pending):
            problems.append(f"line {row['_line']}: {row['student']}: points or max_points not a number")
        else:
            totals[row["student"]] = Total(row["student"], points or 0.0, maximum, pending)
    if problems:
        raise RefusedError(f"{path.name}: {len(problems)} malformed row(s)", problems)
    return totals


# --------------------------------------------------------------------------------------------------
# The roster
# --------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class RosterEntry:
    """One roster row: the student's id, their keys by roster column, and their name."""

    student: str
    keys: dict[str, str] = field(default_factory=dict)  # roster column -> value (stripped; "" when absent)
    name: str = ""

    def label(self, column: str | None = None) -> str:
        """The student as a report names them: id, then name and the ``column`` key if given."""
        parts = [p for p in (self.name, f"{column} {self.keys.get(column, '')!r}" if column else "") if p]
        return f"{self.student} ({', '.join(parts)})" if parts else self.student


def read_roster(path: str | Path, key: str) -> dict[str, RosterEntry]:
    """The roster as ``{student: RosterEntry}``; ``key`` (sis_id, login or email) must be a column."""
    rows = read_dicts(path, ("student", key))
    roster: dict[str, RosterEntry] = {}
    problems = []
    seen: dict[str, str] = {}
    for row in rows:
        student, value = row["student"], row[key]
        if not student:
            problems.append(f"line {row['_line']}: no student id")
        elif student in roster:
            problems.append(f"line {row['_line']}: student {student!r} appears twice")
        elif value and value in seen:
            problems.append(f"line {row['_line']}: {key} {value!r} of {student} is also {seen[value]}'s")
        else:
            seen[value] = student
            keys: dict[str, str] = {c: row[c] for c in ("sis_id", "login", "email") if c in row}
            roster[student] = RosterEntry(student, keys, row.get("name", ""))
    if problems:
        raise RefusedError(f"{path}: the roster has {len(problems)} bad row(s)", problems)
    return roster


# --------------------------------------------------------------------------------------------------
# The LMSes
# --------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Lms:
    """One learning-management system's gradebook export: its columns, how rows match, what may not be written."""

    name: str
    required: tuple[str, ...]  # columns its export always has
    identity: tuple[str, ...]  # columns that say who a row is (kept by only_assignment)
    matches: dict[str, tuple[str, str]]  # --match value -> (roster column, gradebook column)
    name_columns: tuple[str, ...]
    protected: tuple[str, ...]  # columns that are not assignments (besides the identity columns)
    points_possible: bool  # Canvas's second row

    def column_names(self, header: str) -> set[str]:
        """The assignment names a column header stands for."""
        names = {header.strip()}
        if self.name == "canvas":
            m = re.fullmatch(r"(.*\S)\s+\(\d+\)", header.strip())
            if m:
                names.add(m.group(1))
        else:
            for name in list(names):
                m = re.fullmatch(r"(.*\S)\s+\([^()]*\)", name)
                if m:
                    names.add(m.group(1))
            for name in list(names):
                m = re.fullmatch(r"[^:]+:\s+(.+)", name)
                if m:
                    names.add(m.group(1))
        return names


CANVAS = Lms(
    name="canvas",
    required=("Student", "ID", "SIS User ID", "SIS Login ID", "Section"),
    identity=("Student", "ID", "SIS User ID", "SIS Login ID", "Integration ID", "Section"),
    matches={"sis_id": ("sis_id", "SIS User ID"), "login": ("login", "SIS Login ID")},
    name_columns=("Student",),
    # Computed totals; the Points Possible row marks these, and the per-group ones, "(read only)" too.
    protected=tuple(
        f"{when}{what} {kind}"
        for when in ("", "Unposted ")
        for what in ("Current", "Final")
        for kind in ("Points", "Score", "Grade")
    ),
    points_possible=True,
)
MOODLE = Lms(
    name="moodle",
    required=(),
    identity=("First name", "Last name", "Username", "ID number", "Institution", "Department", "Email address"),
    matches={"idnumber": ("sis_id", "ID number"), "email": ("email", "Email address")},
    name_columns=("First name", "Last name"),
    protected=("Course total", "Last downloaded from this course"),
    points_possible=False,
)
LMSES = {lms.name: lms for lms in (CANVAS, MOODLE)}


# What an export writes in a cell with no grade yet (Moodle: "-").
NO_GRADE = ("", "-")


def _fold(text: str) -> str:
    """What a near-miss ignores: case, inner white space, Unicode normal form."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip().casefold()


@dataclass
class FillReport:
    """What :func:`fill` did, student by student (names as the gradebook writes them)."""

    table: CsvFile
    column: str
    created: bool
    points_possible: float
    filled: list[str] = field(default_factory=list)
    overwritten: list[str] = field(default_factory=list)  # also in filled
    unchanged: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # in the gradebook, no grade: cell left as it was
    held: list[str] = field(default_factory=list)  # a grade with ungraded exercises: cell left as it was
    skipped: list[str] = field(default_factory=list)  # a grade for someone not in the gradebook (skip_unmatched)
    warnings: list[str] = field(default_factory=list)


def fill(
    gradebook: CsvFile,
    lms: Lms,
    match: str,
    roster: Mapping[str, RosterEntry],
    totals: Mapping[str, Total],
    assignment: str,
    *,
    overwrite: bool = False,
    skip_unmatched: bool = False,
    only_assignment: bool = False,
) -> FillReport:
    """The gradebook with ``assignment``'s column filled from ``totals`` (see the module's rules).

    Raises :class:`RefusedError` listing every student that stops the upload; ``gradebook`` is not modified.
    """
    if match not in lms.matches:
        raise RefusedError(f"{lms.name}: match on one of {', '.join(lms.matches)}, not {match!r}")
    if not totals:
        raise RefusedError("no grades to upload")
    roster_column, key_column = lms.matches[match]
    sheet = _read_sheet(gradebook, lms, key_column)
    column, created = _assignment_column(sheet, gradebook, assignment)
    values, skipped, near_misses = _match_totals(sheet, roster, roster_column, totals)

    # Points possible: the largest maximum.
    possible = max((t.max_points for t in totals.values()), default=0.0)
    report = FillReport(
        CsvFile([], [], gradebook.encoding, gradebook.delimiter, gradebook.lineterminator, gradebook.quoting),
        sheet.header[column],
        created,
        possible,
    )
    conflicts = _fill_points_possible(sheet, column, possible, values, overwrite, report)
    conflicts += _fill_cells(sheet, column, values, overwrite, report)
    report.skipped = skipped
    _refuse_unless_clean(near_misses, skipped if not skip_unmatched else [], conflicts)

    keep: Sequence[int] = range(len(sheet.header))
    if only_assignment:
        keep = [i for i, h in enumerate(sheet.header) if h in lms.identity or i == column]
    # Write the export's own header cells back (only the new column is ours).
    original = [*gradebook.header, assignment.strip()] if created else list(gradebook.header)
    original += [""] * (len(sheet.header) - len(original))
    report.table.header = [original[i] for i in keep]
    report.table.rows = [[row[i] for i in keep] for row in sheet.rows]
    return report


@dataclass
class _Sheet:
    """A gradebook export being filled: its stripped header, its rows padded to it, and its students' rows."""

    lms: Lms
    key_column: str
    header: list[str]
    rows: list[list[str]]
    points_row: int | None
    students: list[int]
    by_key: dict[str, int] = field(default_factory=dict)
    by_fold: dict[str, list[int]] = field(default_factory=dict)

    def who(self, i: int) -> str:
        """Row ``i``'s student as the gradebook names them: name and key."""
        header, row = self.header, self.rows[i]
        name = " ".join(row[header.index(c)].strip() for c in self.lms.name_columns if c in header).strip()
        key = row[header.index(self.key_column)].strip()
        return f"{name} ({self.key_column} {key!r})" if name else f"{self.key_column} {key!r}"


def _read_sheet(gradebook: CsvFile, lms: Lms, key_column: str) -> _Sheet:
    """The gradebook's header and rows checked for ``lms``'s columns, its students keyed by ``key_column``."""
    header = [h.strip() for h in gradebook.header]
    absent = [c for c in (*lms.required, key_column) if c not in header]
    if absent:
        raise RefusedError(
            f"not a {lms.name.capitalize()} gradebook export: no column {', '.join(dict.fromkeys(absent))}"
            f" (its columns: {', '.join(gradebook.header)})"
        )
    twice = sorted({c for c in (*lms.identity, key_column) if header.count(c) > 1})
    if twice:
        raise RefusedError(f"the gradebook has more than one column {', '.join(twice)}")
    width = len(header)
    rows = [row + [""] * (width - len(row)) for row in gradebook.rows]
    if any(len(row) > width for row in rows):
        raise RefusedError("the gradebook has rows longer than its header")

    # Canvas: the rows before the students without a Canvas ID (Points Possible, Manual Posting) are not students.
    meta: set[int] = set()
    if lms.name == "canvas":
        id_at = header.index("ID")
        meta = {i for i, row in enumerate(rows) if not row[id_at].strip() or row[0].strip() == "Points Possible"}
    points_row = next((i for i in sorted(meta) if rows[i][0].strip() == "Points Possible"), None)
    students = [i for i in range(len(rows)) if i not in meta]
    sheet = _Sheet(lms, key_column, header, rows, points_row, students)
    _index_keys(sheet)
    return sheet


def _index_keys(sheet: _Sheet) -> None:
    """Fill ``sheet.by_key`` and ``sheet.by_fold``; :class:`RefusedError` if a key is there twice."""
    key_at = sheet.header.index(sheet.key_column)
    problems: list[str] = []
    for i in sheet.students:
        key = sheet.rows[i][key_at].strip()
        if not key:
            continue
        if key in sheet.by_key:
            problems.append(
                f"{sheet.who(i)} and {sheet.who(sheet.by_key[key])}: the same {sheet.key_column} twice in the gradebook"
            )
        sheet.by_key[key] = i
        sheet.by_fold.setdefault(_fold(key), []).append(i)
    if problems:
        raise RefusedError("the gradebook is ambiguous", problems)


def _assignment_column(sheet: _Sheet, gradebook: CsvFile, assignment: str) -> tuple[int, bool]:
    """The index of ``assignment``'s column and whether it is new (then added to ``sheet``, empty)."""
    lms, header = sheet.lms, sheet.header
    names = {i: lms.column_names(h) for i, h in enumerate(header)}
    not_assignments = set(lms.identity) | set(lms.protected) | {sheet.key_column}
    if sheet.points_row is not None:
        points = sheet.rows[sheet.points_row]
        not_assignments |= {h for h, cell in zip(header, points, strict=True) if "read only" in cell}
    candidates = [i for i, n in names.items() if assignment.strip() in n]
    if len(candidates) > 1:
        raise RefusedError(
            f"{assignment!r} names more than one column", [gradebook.header[i].strip() for i in candidates]
        )
    if candidates and names[candidates[0]] & not_assignments:
        raise RefusedError(f"{header[candidates[0]]!r} is not an assignment column (identity or read-only)")
    if candidates:
        return candidates[0], False
    near = [i for i, n in names.items() if _fold(assignment) in {_fold(x) for x in n}]
    if near:
        raise RefusedError(
            f"no column is exactly {assignment!r}, but some nearly are: give the name exactly as the gradebook"
            " writes it (a new column would create a second assignment)",
            [gradebook.header[i].strip() for i in near],
        )
    sheet.header = [*header, assignment.strip()]
    sheet.rows = [[*row, ""] for row in sheet.rows]
    return len(header), True


def _match_totals(
    sheet: _Sheet, roster: Mapping[str, RosterEntry], roster_column: str, totals: Mapping[str, Total]
) -> tuple[dict[int, Total], list[str], list[str]]:
    """Each total by its gradebook row, the students not found there, and those found only up to case."""
    values: dict[int, Total] = {}
    skipped: list[str] = []
    near_misses: list[str] = []
    for student, total in sorted(totals.items()):
        entry = roster.get(student)
        key = entry.keys.get(roster_column, "") if entry else ""
        if entry is None:
            skipped.append(f"{student}: not in the roster")
        elif not key:
            skipped.append(f"{entry.label()}: no {roster_column} in the roster")
        elif key in sheet.by_key:
            values[sheet.by_key[key]] = total
        elif _fold(key) in sheet.by_fold:
            near_misses.append(
                f"{entry.label(roster_column)}: the gradebook has "
                + ", ".join(sheet.who(i) for i in sheet.by_fold[_fold(key)])
                + f" — not the same {sheet.key_column} (the match is exact)"
            )
        else:
            skipped.append(f"{entry.label(roster_column)}: no such {sheet.key_column} in the gradebook")
    return values, skipped, near_misses


def _fill_points_possible(
    sheet: _Sheet, column: int, possible: float, values: Mapping[int, Total], overwrite: bool, report: FillReport
) -> list[str]:
    """Write ``possible`` in the Points Possible row; the conflicts, with warnings added to ``report``."""
    conflicts = []
    if sheet.points_row is not None:
        cell = sheet.rows[sheet.points_row][column].strip()
        old = _number(cell)
        if not cell:
            sheet.rows[sheet.points_row][column] = format_points(possible)
        elif old is None or not math.isclose(old, possible, abs_tol=1e-9):
            if overwrite:
                sheet.rows[sheet.points_row][column] = format_points(possible)
                report.warnings.append(f"points possible {cell} replaced by {format_points(possible)}")
            else:
                conflicts.append(f"Points Possible: {cell} in the gradebook, {format_points(possible)} here")
    elif sheet.lms.points_possible:
        report.warnings.append(
            f"the export has no Points Possible row: set the assignment's points ({format_points(possible)}) in"
            f" {sheet.lms.name.capitalize()}"
        )
    lower = sorted(
        f"{sheet.who(i)}: out of {format_points(t.max_points)}" for i, t in values.items() if t.max_points < possible
    )
    if lower:
        report.warnings.append(f"graded out of fewer than {format_points(possible)} points: " + "; ".join(lower))
    return conflicts


def _fill_cells(
    sheet: _Sheet, column: int, values: Mapping[int, Total], overwrite: bool, report: FillReport
) -> list[str]:
    """Write each student's total in ``column``; the cells it would overwrite, each student listed in ``report``."""
    conflicts = []
    held = []
    for i in sheet.students:
        total = values.get(i)
        if total is None:
            report.missing.append(sheet.who(i))
            continue
        if total.pending:
            held.append(f"{sheet.who(i)}: not graded yet: {', '.join(total.pending)}")
            continue
        new, cell = format_points(total.points), sheet.rows[i][column].strip()
        cell = "" if cell in NO_GRADE else cell
        old = _number(cell)
        if cell and old is not None and math.isclose(old, total.points, abs_tol=1e-9):
            report.unchanged.append(sheet.who(i))
        elif cell and not overwrite:
            conflicts.append(f"{sheet.who(i)}: {cell} in the gradebook, {new} here")
        else:
            if cell:
                report.overwritten.append(f"{sheet.who(i)}: {cell} → {new}")
            sheet.rows[i][column] = new
            report.filled.append(sheet.who(i))
    report.held = held
    return conflicts


def _refuse_unless_clean(near_misses: list[str], unmatched: list[str], conflicts: list[str]) -> None:
    """:class:`RefusedError` listing every near miss, unmatched student and conflict, if there is any."""
    refusals = []
    if near_misses:
        refusals.append(("near-miss", "fix the roster: the match is exact", near_misses))
    if unmatched:
        refusals.append(("unmatched", "not in the gradebook; --skip-unmatched leaves them out", unmatched))
    if conflicts:
        refusals.append(("already filled", "--overwrite replaces them", conflicts))
    if refusals:
        raise RefusedError(
            "nothing written: " + "; ".join(f"{len(items)} {label} ({hint})" for label, hint, items in refusals),
            [f"{label}: {item}" for label, _, items in refusals for item in items],
        )
