"""Free-text answers: one page per exercise for the lecturer to read, and the points given by hand merged back.

The grader writes ``free_text.csv`` (columns ``student, exercise, cell_id, text``: every answer it could not
judge itself). From it:

* :func:`write_pages` writes one HTML page per exercise (``<exercise>.html``, and ``index.html`` listing them, in
  ``build/grades/free-text/`` by default): every student's answer side by side, sorted by student. Student text is
  untrusted: every character of it (and of the student ids and cell ids) is HTML-escaped and shown as
  preformatted text, and the page's Content-Security-Policy allows no script, no request and no embedded object,
  so even a mistake in escaping could not run anything.
* :func:`write_template` writes ``manual-points.csv``: ``student, exercise, points, max_points, comment``, one row
  per student and free-text exercise, ``points`` empty, ``max_points`` filled in when grades.csv (or
  ``--max EXERCISE=N``) says it. Written as UTF-8 with a byte-order mark, so that a spreadsheet opens it right.
  An existing template is never overwritten: its rows are kept as they are (points already given stay), rows for
  new students or exercises are added.
* :func:`merge_manual` puts the filled template into the per-exercise marks of grades.csv, so that the totals
  (``tools/lms.py merge-manual``, and the LMS column with ``--manual``) include the manual points. A manual row
  replaces the grader's mark of that exercise (an "ungraded" one, typically) or adds the exercise. Refused, listing
  every bad row with its line: an unknown student or exercise (not in grades.csv nor in free_text.csv), a row
  given twice, points that are not a number or outside [0, max_points], a max_points that differs from
  grades.csv's or from another row's of the same exercise. A row left without points is not marked yet: when
  that exercise has no other mark, the student's total stays held back (listed, never uploaded).
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .lms import CsvFile, Mark, RefusedError, format_points, read_csv, read_dicts, write_csv

__all__ = [
    "Answer",
    "read_answers",
    "page_names",
    "render_page",
    "write_pages",
    "template_rows",
    "write_template",
    "read_manual",
    "MergeResult",
    "merge_manual",
    "TEMPLATE_COLUMNS",
]

TEMPLATE_COLUMNS = ("student", "exercise", "points", "max_points", "comment")


@dataclass(frozen=True)
class Answer:
    """One student's written answer to a free-text exercise: the cell it is in and its text."""

    student: str
    exercise: str
    cell_id: str
    text: str


def read_answers(path: str | Path) -> list[Answer]:
    """free_text.csv's rows; the text exactly as written (not stripped)."""
    table = read_csv(path)
    names = [name.strip().lower() for name in table.header]
    missing = [c for c in ("student", "exercise", "cell_id", "text") if c not in names]
    if missing:
        raise RefusedError(f"{path}: no column {', '.join(missing)} (it has {', '.join(table.header)})")
    at = {c: names.index(c) for c in ("student", "exercise", "cell_id", "text")}
    answers = []
    for row in table.rows:
        row = row + [""] * (len(names) - len(row))
        answers.append(
            Answer(row[at["student"]].strip(), row[at["exercise"]].strip(), row[at["cell_id"]].strip(), row[at["text"]])
        )
    return answers


# --------------------------------------------------------------------------------------------------
# The pages
# --------------------------------------------------------------------------------------------------
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"
STYLE = """
body { font-family: system-ui, sans-serif; margin: 1.5rem; color: #1a1a1a; background: #fff; }
h1 { font-size: 1.4rem; } .note { color: #444; max-width: 60rem; }
.answers { display: grid; grid-template-columns: repeat(auto-fill, minmax(24rem, 1fr)); gap: 1rem; }
.answer { border: 1px solid #bbb; border-radius: 4px; padding: 0.5rem 0.75rem; }
.answer h2 { font-size: 1rem; margin: 0.25rem 0; } .cell { color: #555; font-size: 0.85rem; margin: 0; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; font-size: 0.9rem; background: #f6f6f6; padding: 0.5rem; }
.empty { color: #777; font-style: italic; }
"""


def _text(value: str) -> str:
    """Untrusted text as HTML: escaped (quotes too), control characters shown as U+FFFD."""
    return html.escape(_CONTROL.sub("\ufffd", value), quote=True)


def _page(title: str, body: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="robots" content="noindex">\n'
        f"<title>{_text(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n{body}</body>\n</html>\n"
    )


def page_names(exercises: Iterable[str]) -> dict[str, str]:
    """A distinct, safe file name per exercise (``ex2.3.html``); never ``index.html``."""
    names: dict[str, str] = {}
    used = {"index"}
    for exercise in sorted(set(exercises)):
        base = re.sub(r"[^A-Za-z0-9._-]+", "_", exercise).strip("._-") or "exercise"
        name, n = base, 1
        while name.lower() in used:
            n += 1
            name = f"{base}-{n}"
        used.add(name.lower())
        names[exercise] = f"{name}.html"
    return names


def render_page(exercise: str, answers: Sequence[Answer], max_points: float | None = None) -> str:
    """One exercise's page: every student's answer(s), side by side, as escaped preformatted text."""
    by_student: dict[str, list[Answer]] = {}
    for answer in answers:
        by_student.setdefault(answer.student, []).append(answer)
    cards = []
    for student in sorted(by_student):
        parts = [f'<section class="answer">\n<h2>{_text(student)}</h2>\n']
        for answer in by_student[student]:
            if answer.cell_id:
                parts.append(f'<p class="cell">cell {_text(answer.cell_id)}</p>\n')
            if answer.text.strip():
                parts.append(f"<pre>{_text(answer.text)}</pre>\n")
            else:
                parts.append('<p class="empty">(empty)</p>\n')
        parts.append("</section>\n")
        cards.append("".join(parts))
    out_of = f" Out of {format_points(max_points)} points." if max_points is not None else ""
    body = (
        f"<h1>Free-text answers: {_text(exercise)}</h1>\n"
        f'<p class="note">{len(by_student)} student(s), {len(answers)} answer(s).{out_of} Shown as the students wrote'
        " them (plain text; nothing in them is run or loaded). Give the points in manual-points.csv, then merge"
        " them with <code>tools/lms.py merge-manual</code>.</p>\n"
        f'<div class="answers">\n{"".join(cards)}</div>\n'
    )
    return _page(f"Free-text answers: {exercise}", body)


def write_pages(
    answers: Sequence[Answer], out_dir: str | Path, max_points: Mapping[str, float] | None = None
) -> dict[str, Path]:
    """Write one page per exercise and an ``index.html`` into ``out_dir``; return ``{exercise: page}``."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    max_points = max_points or {}
    by_exercise: dict[str, list[Answer]] = {}
    for answer in answers:
        by_exercise.setdefault(answer.exercise, []).append(answer)
    names = page_names(by_exercise)
    pages = {}
    for exercise, items in sorted(by_exercise.items()):
        pages[exercise] = out_dir / names[exercise]
        pages[exercise].write_text(render_page(exercise, items, max_points.get(exercise)), encoding="utf-8")
    links = "".join(
        f'<li><a href="{_text(names[e])}">{_text(e)}</a>: {len({a.student for a in by_exercise[e]})} student(s)</li>\n'
        for e in sorted(by_exercise)
    )
    (out_dir / "index.html").write_text(
        _page("Free-text answers", f"<h1>Free-text answers</h1>\n<ul>\n{links}</ul>\n"), encoding="utf-8"
    )
    return pages


# --------------------------------------------------------------------------------------------------
# The template of manual points
# --------------------------------------------------------------------------------------------------
def template_rows(
    answers: Sequence[Answer],
    marks: Mapping[str, Mapping[str, Mark]] | None = None,
    max_points: Mapping[str, float] | None = None,
) -> list[dict[str, str]]:
    """One row per student and free-text exercise: the students of free_text.csv and of grades.csv (``marks``).

    ``max_points`` comes from ``max_points`` (given), else from grades.csv's rows of that exercise, else is left
    for the lecturer. A student with no answer collected gets a row too (comment "no answer collected").
    """
    marks = marks or {}
    given = dict(max_points or {})
    exercises = sorted({a.exercise for a in answers})
    for exercise in exercises:
        if exercise not in given:
            known = [m[exercise].max_points for m in marks.values() if exercise in m]
            if known:
                given[exercise] = max(known)
    answered = {(a.student, a.exercise) for a in answers if a.text.strip()}
    collected = {(a.student, a.exercise) for a in answers}
    students = sorted({a.student for a in answers} | set(marks))
    return [
        {
            "student": student,
            "exercise": exercise,
            "points": "",
            "max_points": format_points(given[exercise]) if exercise in given else "",
            "comment": ""
            if (student, exercise) in answered
            else ("empty answer" if (student, exercise) in collected else "no answer collected"),
        }
        for exercise in exercises
        for student in students
    ]


def write_template(path: str | Path, rows: Sequence[Mapping[str, str]]) -> tuple[int, int]:
    """Write the template, keeping every row of an existing one as it is; return (rows added, rows kept)."""
    path = Path(path)
    kept: list[list[str]] = []
    header = list(TEMPLATE_COLUMNS)
    table = CsvFile(header, kept, encoding="utf-8-sig", delimiter=",", lineterminator="\r\n")
    if path.exists():
        old = read_csv(path)
        table = old
        header = [h.strip().lower() for h in old.header]
        if any(c not in header for c in ("student", "exercise")):
            raise RefusedError(f"{path}: not a manual-points file (no student or exercise column); move it away")
        kept = old.rows
    at_student, at_exercise = header.index("student"), header.index("exercise")
    have = {(r[at_student].strip(), r[at_exercise].strip()) for r in kept if len(r) > max(at_student, at_exercise)}
    new = [r for r in rows if (r["student"], r["exercise"]) not in have]
    table.rows = [*kept, *([r.get(c, "") for c in header] for r in new)]
    write_csv(table, path)
    return len(new), len(kept)


# --------------------------------------------------------------------------------------------------
# Merging the manual points
# --------------------------------------------------------------------------------------------------
def read_manual(path: str | Path) -> list[dict[str, str]]:
    """The filled template's rows (values stripped, column names lower-cased, ``_line`` added)."""
    return read_dicts(path, ("student", "exercise", "points", "max_points"))


@dataclass
class MergeResult:
    """The marks with the manual points merged, how many were merged, and the rows without points."""

    marks: dict[str, dict[str, Mark]]
    merged: int = 0
    unmarked: list[str] = field(default_factory=list)  # "student exercise" of rows without points


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def merge_manual(
    marks: Mapping[str, Mapping[str, Mark]],
    manual: Sequence[Mapping[str, str]],
    answers: Sequence[Answer] = (),
    source: str = "manual-points.csv",
) -> MergeResult:
    """``marks`` (grades.csv's, see :func:`grading.lms.read_marks`) with the manual rows (:func:`read_dicts`) in.

    Every answer of ``answers`` without a manual mark, and every row without points, leaves that exercise
    pending (the student's total is held back) unless grades.csv already has points for it.
    """
    grader_max: dict[str, float] = {}
    for by in marks.values():
        for exercise, mark in by.items():
            grader_max[exercise] = max(grader_max.get(exercise, 0.0), mark.max_points)
    check = _ManualRows(
        marks,
        students=set(marks) | {a.student for a in answers},
        exercises={e for by in marks.values() for e in by} | {a.exercise for a in answers},
        grader_max=grader_max,
    )
    problems: list[str] = []
    rows_ok: list[tuple[str, str, float | None, float]] = []
    for row in manual:
        checked = check.row(row)
        if isinstance(checked, str):
            problems.append(checked)
        else:
            rows_ok.append(checked)
    if problems:
        raise RefusedError(f"{source}: {len(problems)} row(s) refused; nothing merged", problems)

    out = {student: dict(by) for student, by in marks.items()}
    result = MergeResult(out)
    for student, exercise, points, maximum in rows_ok:
        maximum = check.exercise_max(exercise) if math.isnan(maximum) else maximum
        if points is None:
            result.unmarked.append(f"{student} {exercise}")
            if exercise not in out.get(student, {}):
                out.setdefault(student, {})[exercise] = Mark(None, maximum)
            continue
        out.setdefault(student, {})[exercise] = Mark(points, maximum, "manual")
        result.merged += 1
    for answer in answers:  # an answer nobody marked, for an exercise the grader has no points for
        by = out.setdefault(answer.student, {})
        if answer.exercise not in by:
            by[answer.exercise] = Mark(None, check.exercise_max(answer.exercise))
    return result


@dataclass
class _ManualRows:
    """The checks of manual-points rows: what grades.csv knows, and what the rows read so far have fixed."""

    marks: Mapping[str, Mapping[str, Mark]]
    students: set[str]
    exercises: set[str]
    grader_max: dict[str, float]
    seen: dict[tuple[str, str], str] = field(default_factory=dict)
    manual_max: dict[str, tuple[float, str]] = field(default_factory=dict)

    def exercise_max(self, exercise: str) -> float:
        """The exercise's maximum: the grader's, else the manual rows', else 0."""
        if exercise in self.grader_max:
            return self.grader_max[exercise]
        return self.manual_max[exercise][0] if exercise in self.manual_max else 0.0

    def row(self, row: Mapping[str, str]) -> tuple[str, str, float | None, float] | str:
        """One row as (student, exercise, points or None, maximum or NaN), or the problem that refuses it."""
        line = f"line {row.get('_line', '?')}"
        student, exercise = row.get("student", ""), row.get("exercise", "")
        points_text, max_text = row.get("points", ""), row.get("max_points", "")
        if student not in self.students:
            return f"{line}: unknown student {student!r} (not in grades.csv nor free_text.csv)"
        if exercise not in self.exercises:
            return f"{line}: unknown exercise {exercise!r} (not in grades.csv nor free_text.csv)"
        if (student, exercise) in self.seen:
            return f"{line}: {student} {exercise} again (first at {self.seen[student, exercise]})"
        self.seen[student, exercise] = line
        points = _number(points_text) if points_text else None
        if points_text and points is None:
            return f"{line}: {student} {exercise}: points {points_text!r} is not a number"
        maximum = _number(max_text) if max_text else None
        if max_text and (maximum is None or maximum < 0):
            return f"{line}: {student} {exercise}: max_points {max_text!r} is not a number ≥ 0"
        where = f"{line}: {student} {exercise}"
        reference = self.reference(line, student, exercise, maximum, max_text)
        if isinstance(reference, str):
            return reference
        if points is not None and reference is None:
            return f"{where}: points given but no max_points"
        if points is not None and reference is not None and not 0 <= points <= reference:
            return f"{where}: points {points_text} outside [0, {format_points(reference)}]"
        return student, exercise, points, reference if reference is not None else math.nan

    def reference(
        self, line: str, student: str, exercise: str, maximum: float | None, max_text: str
    ) -> float | str | None:
        """The row's maximum as grades.csv or an earlier row fixes it (else its own), or the disagreement."""
        where = f"{line}: {student} {exercise}"
        own = self.marks.get(student, {}).get(exercise)
        reference = own.max_points if own is not None else self.grader_max.get(exercise)
        if reference is not None and maximum is not None and not math.isclose(maximum, reference, abs_tol=1e-9):
            return f"{where}: max_points {max_text} but grades.csv says {format_points(reference)}"
        if reference is None and maximum is not None:
            first = self.manual_max.setdefault(exercise, (maximum, line))
            if not math.isclose(first[0], maximum, abs_tol=1e-9):
                return f"{where}: max_points {max_text} but {format_points(first[0])} at {first[1]}"
        return maximum if reference is None else reference
