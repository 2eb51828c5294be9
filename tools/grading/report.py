"""What the grader writes: grades.csv, summary.csv, free_text.csv, one feedback page per student.

* ``grades.csv`` — one row per student and exercise: ``student, exercise, status, points, max_points,
  message, file, chapter``; status is one of ``correct, wrong, unanswered, ungraded`` and the message is the
  line ``check()`` prints after the id (the same hint), or why the exercise could not be graded.
* ``summary.csv`` — one row per student: ``student, file, chapter, correct, wrong, unanswered, ungraded,
  points, max_points, seconds, notes``.
* ``free_text.csv`` — ``student, exercise, cell_id, text``: the written answers (the markdown cells that are
  ``solution`` cells in ``notebooks/``), read from the submitted file as plain text, never run.
* ``feedback/<student>.html`` — the student's table; every character that came from a submission is escaped,
  and the page allows no script (Content-Security-Policy).
* ``results/<student>.json`` — each job's own result, from which ``--report-from`` rebuilds all of the above.

CSV files are written with the :mod:`csv` module (quoting where needed), UTF-8.
"""

from __future__ import annotations

import csv
import html
import json
import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .common import STATUSES

GRADE_COLUMNS = ("student", "exercise", "status", "points", "max_points", "message", "file", "chapter")
SUMMARY_COLUMNS = (
    "student",
    "file",
    "chapter",
    "correct",
    "wrong",
    "unanswered",
    "ungraded",
    "points",
    "max_points",
    "seconds",
    "notes",
)
FREE_TEXT_COLUMNS = ("student", "exercise", "cell_id", "text")

_SAFE = re.compile(r"[^A-Za-z0-9._@+-]")


def page_name(student: str) -> str:
    """A file name for a student's page (anything outside ``[A-Za-z0-9._@+-]`` becomes ``_``)."""
    name = _SAFE.sub("_", student)[:100].lstrip(".") or "_"
    return name


def _write(path: Path, columns: Iterable[str], rows: Iterable[dict[str, Any]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(columns), extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow(row)


def summary_row(result: dict[str, Any]) -> dict[str, Any]:
    """One student's row of the summary: file, chapter, points and the count of each status."""
    counts = Counter(row["status"] for row in result["rows"])
    return {
        "student": result["student"],
        "file": result.get("file", ""),
        "chapter": result.get("chapter", ""),
        **{s: counts.get(s, 0) for s in STATUSES},
        "points": sum(row["points"] for row in result["rows"]),
        "max_points": sum(row["max_points"] for row in result["rows"]),
        "seconds": result.get("seconds", ""),
        "notes": "; ".join(result.get("notes", [])),
    }


_STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}"
    "table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:.35rem .5rem;text-align:left;"
    "vertical-align:top}.correct{color:#1a7f37}.wrong{color:#b35900}.unanswered{color:#555}.ungraded{color:#a00}"
)


def feedback_page(result: dict[str, Any]) -> str:
    """One student's feedback page (HTML; everything from the submission escaped)."""
    e = html.escape
    summary = summary_row(result)
    rows = "".join(
        f'<tr><td>{e(r["exercise"])}</td><td class="{e(r["status"])}">{e(r["status"])}</td>'
        f"<td>{e(str(r['points']))} / {e(str(r['max_points']))}</td><td>{e(r['message'])}</td></tr>"
        for r in result["rows"]
    )
    notes = "".join(f"<li>{e(n)}</li>" for n in result.get("notes", []))
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
        f"<title>Feedback: {e(result['student'])}</title><style>{_STYLE}</style></head><body>"
        f"<h1>Feedback for {e(result['student'])}</h1>"
        f"<p>Chapter {e(result.get('chapter', '') or '?')}, file {e(result.get('file', ''))}: "
        f"<strong>{summary['points']} / {summary['max_points']}</strong> points "
        f"({summary['correct']} correct, {summary['wrong']} not yet, {summary['unanswered']} not answered, "
        f"{summary['ungraded']} not graded).</p>"
        + (f"<ul>{notes}</ul>" if notes else "")
        + "<table><thead><tr><th>exercise</th><th>status</th><th>points</th><th>what the check says</th></tr>"
        f"</thead><tbody>{rows}</tbody></table>"
        '<p>The messages are those <code>check()</code> prints in your notebook. "not graded" means the grader '
        "could not collect that answer (the reason is given); it is never counted as wrong.</p></body></html>\n"
    )


def write_reports(results: list[dict[str, Any]], out: Path, keep_results: bool = True) -> dict[str, Path]:
    """Write every report of ``results`` into ``out``; returns the paths."""
    out.mkdir(parents=True, exist_ok=True)
    results = sorted(results, key=lambda r: r["student"])
    grade_rows = [
        {**row, "file": r.get("file", ""), "chapter": r.get("chapter", "")} for r in results for row in r["rows"]
    ]
    paths = {
        "grades": out / "grades.csv",
        "summary": out / "summary.csv",
        "free_text": out / "free_text.csv",
        "feedback": out / "feedback",
    }
    _write(paths["grades"], GRADE_COLUMNS, grade_rows)
    _write(paths["summary"], SUMMARY_COLUMNS, [summary_row(r) for r in results])
    _write(paths["free_text"], FREE_TEXT_COLUMNS, [ft for r in results for ft in r.get("free_text", [])])
    paths["feedback"].mkdir(exist_ok=True)
    for r in results:
        (paths["feedback"] / f"{page_name(r['student'])}.html").write_text(feedback_page(r), encoding="utf-8")
    if keep_results:
        folder = out / "results"
        folder.mkdir(exist_ok=True)
        for r in results:
            (folder / f"{page_name(r['student'])}.json").write_text(json.dumps(r, indent=1), encoding="utf-8")
    return paths


def read_results(folder: Path) -> list[dict[str, Any]]:
    """The result files of ``--one`` runs (``*.json`` in ``folder``)."""
    results = []
    for path in sorted(folder.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and "student" in data and isinstance(data.get("rows"), list):
            results.append(data)
    return results
