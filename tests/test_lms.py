"""The LMS upload (tools/lms.py, tools/grading/lms.py), the free-text pages and the manual points
(tools/grading/free_text.py), and that no student data is ever tracked.

Every gradebook, roster and grades file here is fake and written into tmp_path by the test itself: none is
committed (test_no_student_data_is_tracked would fail on one).
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import lms as cli
import pytest
from grading import free_text
from grading import lms as glms

ROOT = Path(__file__).resolve().parents[1]
CANVAS_IDENTITY = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]

# Names that break naive CSV code: commas, quotes, non-ASCII letters, an apostrophe.
JANE = 'Doe, Jane "JD"'
ZOE = "Ångström, Zoë"
BO = "O'Brien, Bo"
LI = "李, 小龍"


def write_rows(path: Path, rows: list[list[str]], *, bom: bool = True, quote_all: bool = False) -> Path:
    buffer = io.StringIO(newline="")
    quoting = csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL
    csv.writer(buffer, lineterminator="\r\n", quoting=quoting).writerows(rows)
    path.write_bytes((codecs.BOM_UTF8 if bom else b"") + buffer.getvalue().encode("utf-8"))
    return path


def read_rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))


def canvas_export(path: Path, chapter2: tuple[str, str] | None = None, *, bom: bool = True) -> Path:
    """A Canvas gradebook export; ``chapter2`` = (its points possible, Jane's cell) adds a Chapter 2 column."""
    header = [*CANVAS_IDENTITY, "Chapter 1 (101)"]
    points = ["    Points Possible", "", "", "", "", "10.00"]
    students = [
        [JANE, "11", "S001", "jane@uni.example", "Section A", "8.00"],
        [ZOE, "12", "S002", "zoe@uni.example", "Section A", "9.50"],
        [BO, "13", "S003", "bo@uni.example", "Section B", ""],
        [LI, "14", "S004", "li@uni.example", "Section B", "EX"],
    ]
    if chapter2 is not None:
        header.append("Chapter 2 (202)")
        points.append(chapter2[0])
        students = [[*row, chapter2[1] if i == 0 else ""] for i, row in enumerate(students)]
    header += ["Current Score", "Final Score"]
    points += ["(read only)", "(read only)"]
    students = [[*row, "80.00", "80.00"] for row in students]
    return write_rows(path, [header, points, *students], bom=bom)


def roster(path: Path, rows: list[list[str]] | None = None) -> Path:
    rows = rows or [
        ["sub-jane", "S001", "jane@uni.example", JANE],
        ["sub-zoe", "S002", "zoe@uni.example", ZOE],
        ["sub-bo", "S003", "bo@uni.example", BO],
        ["sub-li", "S004", "li@uni.example", LI],
    ]
    return write_rows(path, [["student", "sis_id", "email", "name"], *rows], bom=False)


def grades(path: Path, rows: list[tuple[str, str, str, str, str]]) -> Path:
    header = ["student", "exercise", "status", "points", "max_points", "message"]
    return write_rows(path, [header, *[[*row, ""] for row in rows]], bom=False)


# Jane 9/12, Zoë 12/12; Bo and Li sent nothing.
TWO_STUDENTS = [
    ("sub-jane", "ex2.1", "correct", "5", "5"),
    ("sub-jane", "ex2.2", "correct", "4", "4"),
    ("sub-jane", "ex2.3", "wrong", "0", "3"),
    ("sub-zoe", "ex2.1", "correct", "5", "5"),
    ("sub-zoe", "ex2.2", "correct", "4", "4"),
    ("sub-zoe", "ex2.3", "correct", "3", "3"),
]


def run(capsys, *args: str | Path) -> tuple[int, str, str]:
    code = cli.main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def upload(capsys, tmp_path: Path, lms: str, gradebook: Path, *extra: str, grades_file: Path | None = None):
    grades_file = grades_file or grades(tmp_path / "grades.csv", TWO_STUDENTS)
    out = tmp_path / f"{lms}-upload.csv"
    code, stdout, stderr = run(
        capsys,
        lms,
        "--gradebook",
        gradebook,
        "--roster",
        roster(tmp_path / "roster.csv") if not (tmp_path / "roster.csv").exists() else tmp_path / "roster.csv",
        "--grades",
        grades_file,
        "--out",
        out,
        *extra,
    )
    return code, stdout, stderr, out


def column(rows: list[list[str]], name: str) -> list[str]:
    at = rows[0].index(name)
    return [row[at] for row in rows[1:]]


# --------------------------------------------------------------------------------------------------
# Totals
# --------------------------------------------------------------------------------------------------
def test_a_total_is_the_sum_of_points_out_of_the_sum_of_max_points(tmp_path):
    rows = [*TWO_STUDENTS, ("sub-bo", "ex2.1", "unanswered", "", "5"), ("sub-bo", "ex2.2", "ungraded", "", "4")]
    totals = glms.read_totals(grades(tmp_path / "grades.csv", rows))
    assert (totals["sub-jane"].points, totals["sub-jane"].max_points) == (9, 12)
    assert (totals["sub-zoe"].points, totals["sub-zoe"].max_points) == (12, 12)
    assert totals["sub-bo"].pending == ("ex2.2",) and totals["sub-bo"].max_points == 9


def test_malformed_grades_are_refused_by_line(tmp_path):
    rows = [("sub-jane", "ex2.1", "correct", "6", "5"), ("sub-jane", "ex2.1", "correct", "5", "5")]
    with pytest.raises(glms.RefusedError) as err:
        glms.read_totals(grades(tmp_path / "grades.csv", rows))
    assert "line 2: sub-jane ex2.1: points '6' not in [0, 5]" in str(err.value)


# --------------------------------------------------------------------------------------------------
# Canvas
# --------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("bom", [True, False], ids=["utf-8 with BOM", "utf-8 without BOM"])
def test_canvas_new_column_keeps_the_export_and_fills_points_possible(tmp_path, capsys, bom):
    export = canvas_export(tmp_path / "export.csv", bom=bom)
    before = export.read_bytes()
    code, out, err, upload_csv = upload(capsys, tmp_path, "canvas", export, "--assignment", "Chapter 2")
    assert code == 0, err
    assert export.read_bytes() == before, "the export was modified"
    assert upload_csv.read_bytes().startswith(codecs.BOM_UTF8) == bom
    assert b"\r\n" in upload_csv.read_bytes()
    rows, original = read_rows(upload_csv), read_rows(export)
    assert rows[0] == [*original[0], "Chapter 2"]
    assert rows[1] == [*original[1], "12"], "Points Possible row: kept, and the new column's points possible"
    assert [r[:-1] for r in rows[2:]] == original[2:], "identity and other columns unchanged"
    assert [r[0] for r in rows[2:]] == [JANE, ZOE, BO, LI]
    assert column(rows, "Chapter 2") == ["12", "9", "12", "", ""]
    assert "'Chapter 2', a new column (Canvas creates the assignment), points possible 12" in out
    assert "2 filled (0 overwritten), 0 unchanged, 2 missing, 0 held, 0 skipped" in out


def test_canvas_fills_an_existing_column_named_with_its_id(tmp_path, capsys):
    export = canvas_export(tmp_path / "export.csv", chapter2=("12.00", ""))
    code, _, err, upload_csv = upload(capsys, tmp_path, "canvas", export, "--assignment", "Chapter 2")
    assert code == 0, err
    rows = read_rows(upload_csv)
    assert rows[0] == read_rows(export)[0], "no column added"
    assert column(rows, "Chapter 2 (202)") == ["12.00", "9", "12", "", ""], "same points possible: left as written"
    assert column(rows, "Chapter 1 (101)") == ["10.00", "8.00", "9.50", "", "EX"]


def test_canvas_points_possible_that_differ_are_refused_without_overwrite(tmp_path, capsys):
    export = canvas_export(tmp_path / "export.csv", chapter2=("10.00", ""))
    code, _, err, upload_csv = upload(capsys, tmp_path, "canvas", export, "--assignment", "Chapter 2")
    assert code == 1 and not upload_csv.exists()
    assert "Points Possible: 10.00 in the gradebook, 12 here" in err


def test_an_unmatched_student_is_refused_by_name(tmp_path, capsys):
    export = canvas_export(tmp_path / "export.csv")
    roster(tmp_path / "roster.csv", [["sub-jane", "S001", "", JANE], ["sub-zoe", "S999", "", "Zoë"]])
    rows = [*TWO_STUDENTS, ("sub-kim", "ex2.1", "correct", "5", "5")]
    grades_file = grades(tmp_path / "grades.csv", rows)
    code, _, err, upload_csv = upload(
        capsys, tmp_path, "canvas", export, "--assignment", "Chapter 2", grades_file=grades_file
    )
    assert code == 1 and not upload_csv.exists(), "nothing written"
    assert "unmatched: sub-kim: not in the roster" in err
    assert "unmatched: sub-zoe (Zoë, sis_id 'S999'): no such SIS User ID in the gradebook" in err
    code, out, err, upload_csv = upload(
        capsys, tmp_path, "canvas", export, "--assignment", "Chapter 2", "--skip-unmatched", grades_file=grades_file
    )
    assert code == 0, err
    assert "skipped (--skip-unmatched" in out and "sub-kim: not in the roster" in out
    assert column(read_rows(upload_csv), "Chapter 2")[1:] == ["9", "", "", ""]


def test_a_near_miss_is_refused_by_name_even_with_skip_unmatched(tmp_path, capsys):
    export = canvas_export(tmp_path / "export.csv")
    roster(tmp_path / "roster.csv", [["sub-jane", "s001", "", JANE], ["sub-zoe", "S002", "", ZOE]])
    code, _, err, upload_csv = upload(
        capsys, tmp_path, "canvas", export, "--assignment", "Chapter 2", "--skip-unmatched"
    )
    assert code == 1 and not upload_csv.exists()
    assert f"near-miss: sub-jane ({JANE}, sis_id 's001'): the gradebook has {JANE} (SIS User ID 'S001')" in err


def test_a_missing_submission_is_listed_and_its_cell_left_as_it_was(tmp_path, capsys):
    export = canvas_export(tmp_path / "export.csv")
    code, out, err, upload_csv = upload(capsys, tmp_path, "canvas", export, "--assignment", "Chapter 1")
    assert code == 1 and "already filled" in err  # Jane's 8.00 and Zoë's 9.50
    code, out, err, upload_csv = upload(capsys, tmp_path, "canvas", export, "--assignment", "Chapter 1", "--overwrite")
    assert code == 0, err
    missing = out.split("missing (in the gradebook, no grade here: cell left as it was):\n")[1]
    assert f"  {BO} (SIS User ID 'S003')\n  {LI} (SIS User ID 'S004')\n" in missing
    assert column(read_rows(upload_csv), "Chapter 1 (101)")[3:] == ["", "EX"], "missing students' cells kept"


def test_a_filled_cell_is_refused_without_overwrite_and_replaced_with_it(tmp_path, capsys):
    export = canvas_export(tmp_path / "export.csv", chapter2=("12", "7.00"))
    code, _, err, upload_csv = upload(capsys, tmp_path, "canvas", export, "--assignment", "Chapter 2")
    assert code == 1 and not upload_csv.exists()
    assert f"already filled: {JANE} (SIS User ID 'S001'): 7.00 in the gradebook, 9 here" in err
    code, out, err, upload_csv = upload(capsys, tmp_path, "canvas", export, "--assignment", "Chapter 2", "--overwrite")
    assert code == 0, err
    assert f"{JANE} (SIS User ID 'S001'): 7.00 → 9" in out
    assert column(read_rows(upload_csv), "Chapter 2 (202)")[1:3] == ["9", "12"]
    # The same number already there is no conflict: a second upload of the same grades is a no-op.
    export2 = canvas_export(tmp_path / "export2.csv", chapter2=("12", "9.00"))
    code, out, err, _ = upload(capsys, tmp_path, "canvas", export2, "--assignment", "Chapter 2")
    assert code == 0 and "1 filled (0 overwritten), 1 unchanged" in out, err


def test_a_near_miss_of_the_assignment_name_is_refused(tmp_path, capsys):
    export = canvas_export(tmp_path / "export.csv", chapter2=("12", ""))
    code, _, err, upload_csv = upload(capsys, tmp_path, "canvas", export, "--assignment", "chapter  2")
    assert code == 1 and not upload_csv.exists() and "Chapter 2 (202)" in err
    code, _, err, _ = upload(capsys, tmp_path, "canvas", export, "--assignment", "Current Score")
    assert code == 1 and "not an assignment column" in err


def test_the_export_is_never_overwritten(tmp_path, capsys):
    export = canvas_export(tmp_path / "export.csv")
    before = export.read_bytes()
    grades_file = grades(tmp_path / "grades.csv", TWO_STUDENTS)
    code, _, err = run(
        capsys, "canvas", "--gradebook", export, "--roster", roster(tmp_path / "roster.csv"), "--grades",
        grades_file, "--assignment", "Chapter 2", "--out", export,
    )  # fmt: skip
    assert code == 1 and "never overwritten" in err and export.read_bytes() == before


def test_a_student_with_an_ungraded_exercise_is_held_back(tmp_path, capsys):
    export = canvas_export(tmp_path / "export.csv")
    rows = [*TWO_STUDENTS[:2], ("sub-jane", "ex2.3", "ungraded", "", "3"), *TWO_STUDENTS[3:]]
    code, out, err, upload_csv = upload(
        capsys, tmp_path, "canvas", export, "--assignment", "Chapter 2", grades_file=grades(tmp_path / "g.csv", rows)
    )
    assert code == 0, err
    assert f"{JANE} (SIS User ID 'S001'): not graded yet: ex2.3" in out
    assert column(read_rows(upload_csv), "Chapter 2")[1:3] == ["", "12"]


def test_only_assignment_writes_the_identity_columns_and_that_column(tmp_path, capsys):
    export = canvas_export(tmp_path / "export.csv")
    code, _, err, upload_csv = upload(
        capsys, tmp_path, "canvas", export, "--assignment", "Chapter 2", "--only-assignment"
    )
    assert code == 0, err
    assert read_rows(upload_csv)[0] == [*CANVAS_IDENTITY, "Chapter 2"]
    assert read_rows(upload_csv)[1] == ["    Points Possible", "", "", "", "", "12"]


# --------------------------------------------------------------------------------------------------
# Moodle
# --------------------------------------------------------------------------------------------------
MOODLE_HEADER = [
    "First name", "Last name", "ID number", "Institution", "Department", "Email address",
    "Assignment: Chapter 2 (Real)", "Course total (Real)", "Last downloaded from this course",
]  # fmt: skip


def moodle_export(path: Path, jane_email: str = "jane@uni.example") -> Path:
    rows = [
        MOODLE_HEADER,
        ["Jane", 'Doe, "JD"', "S001", "", "", jane_email, "-", "0.00", "1733500000"],
        ["Zoë", "Ångström", "S002", "", "", "zoe@uni.example", "-", "0.00", "1733500000"],
        ["Bo", "O'Brien", "S003", "", "", "bo@uni.example", "-", "0.00", "1733500000"],
    ]
    return write_rows(path, rows, bom=False, quote_all=True)


@pytest.mark.parametrize("match", ["idnumber", "email"])
def test_moodle_is_matched_by_id_number_or_by_email(tmp_path, capsys, match):
    export = moodle_export(tmp_path / "moodle.csv")
    code, out, err, upload_csv = upload(
        capsys, tmp_path, "moodle", export, "--assignment", "Chapter 2", "--match", match
    )
    assert code == 0, err
    key = {"idnumber": "ID number 'S001'", "email": "Email address 'jane@uni.example'"}[match]
    assert f"  Bo O'Brien ({key.split(' ')[0]}" in out and "1 missing" in out
    rows = read_rows(upload_csv)
    assert rows[0] == MOODLE_HEADER
    assert column(rows, "Assignment: Chapter 2 (Real)") == ["9", "12", "-"], "Moodle's '-' is an empty cell"
    assert [r[:6] for r in rows] == [r[:6] for r in read_rows(export)]
    raw = upload_csv.read_bytes()
    assert not raw.startswith(codecs.BOM_UTF8) and raw.startswith(b'"First name","Last name"'), "quoting as exported"


def test_moodle_email_matches_exactly(tmp_path, capsys):
    export = moodle_export(tmp_path / "moodle.csv", jane_email="Jane@Uni.example")
    code, _, err, upload_csv = upload(
        capsys, tmp_path, "moodle", export, "--assignment", "Chapter 2", "--match", "email"
    )
    assert code == 1 and not upload_csv.exists()
    assert "near-miss: sub-jane" in err and "Email address 'Jane@Uni.example'" in err
    code, _, err, upload_csv = upload(capsys, tmp_path, "moodle", export, "--assignment", "Chapter 2")
    assert code == 0, "the ID number still matches"


# --------------------------------------------------------------------------------------------------
# Free-text answers and manual points
# --------------------------------------------------------------------------------------------------
EVIL = '<script>alert("x")</script>\n"><img src=x onerror=alert(1)> & </pre>'


def free_text_csv(path: Path) -> Path:
    rows = [
        ["student", "exercise", "cell_id", "text"],
        ["sub-jane", "ex2.4", "c9", EVIL],
        ["sub-zoe", "ex2.4", "c9", "Zoë: the MLE is biased,\n  but consistent."],
        ["<b>sub-bo</b>", "ex2.4", "c9", ""],
    ]
    return write_rows(path, rows, bom=False)


class Elements(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[str] = []
        self.pre: list[str] = []
        self._in_pre = False

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self._in_pre = tag == "pre"
        if self._in_pre:
            self.pre.append("")

    def handle_endtag(self, tag):
        self._in_pre = self._in_pre and tag != "pre"

    def handle_data(self, data):
        if self._in_pre:
            self.pre[-1] += data


def test_free_text_pages_escape_student_text(tmp_path, capsys):
    grades_file = grades(tmp_path / "grades.csv", [*TWO_STUDENTS, ("sub-jane", "ex2.4", "ungraded", "", "2")])
    code, out, err = run(
        capsys, "free-text", "--free-text", free_text_csv(tmp_path / "free_text.csv"), "--grades", grades_file,
        "--out-dir", tmp_path / "pages", "--template", tmp_path / "manual.csv",
    )  # fmt: skip
    assert code == 0, err
    assert "ex2.4.html: 3 student(s)" in out and "3 row(s) added" in out
    page = (tmp_path / "pages" / "ex2.4.html").read_text(encoding="utf-8")
    parsed = Elements()
    parsed.feed(page)
    assert "script" not in parsed.tags and "img" not in parsed.tags
    assert "b" not in parsed.tags, "a student id is escaped too"
    assert EVIL in parsed.pre, "the text is shown exactly, as text"
    assert "&lt;script&gt;" in page and "<script" not in page
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    template = read_rows(tmp_path / "manual.csv")
    assert template[0] == ["student", "exercise", "points", "max_points", "comment"]
    assert ["sub-jane", "ex2.4", "", "2", ""] in template and [
        "<b>sub-bo</b>",
        "ex2.4",
        "",
        "2",
        "empty answer",
    ] in template


def test_the_template_keeps_points_already_given(tmp_path):
    answers = free_text.read_answers(free_text_csv(tmp_path / "free_text.csv"))
    path = tmp_path / "manual.csv"
    rows = free_text.template_rows(answers, max_points={"ex2.4": 2})
    assert free_text.write_template(path, rows[:1]) == (1, 0)
    filled = read_rows(path)
    filled[1][2] = "1.5"
    write_rows(path, filled)
    assert free_text.write_template(path, rows) == (len(rows) - 1, 1)
    assert read_rows(path)[1][:3] == [rows[0]["student"], "ex2.4", "1.5"]


def manual_csv(path: Path, rows: list[list[str]]) -> Path:
    return write_rows(path, [["student", "exercise", "points", "max_points", "comment"], *rows])


def test_manual_points_are_merged_into_the_totals_and_the_lms_column(tmp_path, capsys):
    rows = [*TWO_STUDENTS, ("sub-jane", "ex2.4", "ungraded", "", "2"), ("sub-zoe", "ex2.4", "ungraded", "", "2")]
    grades_file = grades(tmp_path / "grades.csv", rows)
    answers = free_text_csv(tmp_path / "free_text.csv")
    manual = manual_csv(
        tmp_path / "manual.csv",
        [["sub-jane", "ex2.4", "1.5", "2", "partly, see feedback"], ["sub-zoe", "ex2.4", "2", "", ""],
         ["sub-jane", "ex2.3", "1", "3", "regraded by hand"]],
    )  # fmt: skip
    code, out, err = run(
        capsys, "merge-manual", "--grades", grades_file, "--manual", manual, "--free-text", answers,
        "--out", tmp_path / "totals.csv",
    )  # fmt: skip
    assert code == 0, err
    assert "3 student(s), 3 manual point(s) merged, 1 held" in out and "<b>sub-bo</b>: ex2.4" in out
    totals = {r[0]: r[1:] for r in read_rows(tmp_path / "totals.csv")[1:]}
    assert totals["sub-jane"] == ["11.5", "14", "", "ex2.3 ex2.4"]  # 5 + 4 + 1 (by hand) + 1.5
    assert totals["sub-zoe"] == ["14", "14", "", "ex2.4"]
    export = canvas_export(tmp_path / "export.csv")
    for extra in (
        ["--grades", tmp_path / "totals.csv"],
        ["--grades", grades_file, "--manual", manual, "--free-text", answers],
    ):
        code, out, err = run(
            capsys, "canvas", "--gradebook", export, "--roster", roster(tmp_path / "roster.csv"), *extra,
            "--assignment", "Chapter 2", "--out", tmp_path / "up.csv", "--skip-unmatched",
        )  # fmt: skip
        assert code == 0, err
        assert "<b>sub-bo</b>: not in the roster" in out, "only in free_text.csv, and not in the roster"
        assert column(read_rows(tmp_path / "up.csv"), "Chapter 2")[:3] == ["14", "11.5", "14"]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (["sub-jane", "ex2.4", "2.5", "2", ""], "line 2: sub-jane ex2.4: points 2.5 outside [0, 2]"),
        (["sub-jane", "ex2.4", "-1", "", ""], "line 2: sub-jane ex2.4: points -1 outside [0, 2]"),
        (["sub-jane", "ex2.4", "one", "2", ""], "line 2: sub-jane ex2.4: points 'one' is not a number"),
        (["sub-jane", "ex2.4", "1", "5", ""], "line 2: sub-jane ex2.4: max_points 5 but grades.csv says 2"),
        (["sub-kim", "ex2.4", "1", "2", ""], "line 2: unknown student 'sub-kim'"),
        (["sub-jane", "ex9.9", "1", "2", ""], "line 2: unknown exercise 'ex9.9'"),
        (["sub-zoe", "ex2.1", "4", "5", ""], "line 3: sub-zoe ex2.1 again (first at line 2)"),
    ],
    ids=["above max", "negative", "not a number", "another max", "unknown student", "unknown exercise", "twice"],
)
def test_manual_points_are_refused_when_wrong(tmp_path, capsys, row, message):
    grades_file = grades(tmp_path / "grades.csv", [*TWO_STUDENTS, ("sub-jane", "ex2.4", "ungraded", "", "2")])
    manual = manual_csv(tmp_path / "manual.csv", [row, ["sub-zoe", "ex2.1", "5", "5", ""]])
    code, _, err = run(
        capsys, "merge-manual", "--grades", grades_file, "--manual", manual, "--free-text", tmp_path / "none.csv",
        "--out", tmp_path / "totals.csv",
    )  # fmt: skip
    assert code == 1 and message in err and "1 row(s) refused; nothing merged" in err
    assert not (tmp_path / "totals.csv").exists()


def test_the_cli_runs_as_a_script():
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "lms.py"), "--help"], capture_output=True, text=True, check=True
    )
    for command in ("canvas", "moodle", "free-text", "merge-manual"):
        assert command in result.stdout


# --------------------------------------------------------------------------------------------------
# No student data in the repository
# --------------------------------------------------------------------------------------------------
STUDENT_DATA_NAMES = ("roster", "gradebook", "grades", "submission", "upload", "free_text", "manual-points")
EMAIL = r"[\w.+-]+@[\w-]+(\.[\w-]+)+"


def student_data(root: Path) -> list[str]:
    """The files ``git ls-files`` lists in ``root`` that look like student data, each with the reason."""
    listed = subprocess.run(["git", "-C", str(root), "ls-files", "-z"], capture_output=True, check=True).stdout
    found = []
    for name in filter(None, listed.decode().split("\0")):
        path = Path(name)
        lower = [part.lower() for part in path.parts]
        if "submissions" in lower[:-1]:
            found.append(f"{name}: in a submissions folder")
            continue
        if path.suffix.lower() in {".csv", ".tsv", ".xlsx", ".xls", ".ods"} and any(
            word in lower[-1] for word in STUDENT_DATA_NAMES
        ):
            found.append(f"{name}: named like a roster, gradebook or grade file")
            continue
        if path.suffix.lower() not in {".csv", ".tsv"} or not (root / path).is_file():
            continue
        text = (root / path).read_bytes()[:100_000].decode("utf-8-sig", errors="replace")
        first = text.partition("\n")[0]
        header = {cell.strip().lower() for cell in next(csv.reader([first], delimiter="\t" if "\t" in first else ","))}
        if any(re.fullmatch(r"e-?mail( address)?", cell) for cell in header):
            found.append(f"{name}: has an e-mail column")
        elif {"sis user id", "sis login id"} & header or {"student", "id", "section"} <= header:
            found.append(f"{name}: has a Canvas gradebook's identity columns")
        elif {"id number", "username"} & header and {"first name", "last name"} <= header:
            found.append(f"{name}: has a Moodle gradebook's identity columns")
        elif re.search(EMAIL, text):
            found.append(f"{name}: holds an e-mail address")
    return found


def check_no_student_data(root: Path) -> None:
    found = student_data(root)
    assert not found, "student data is tracked (git rm --cached it; .gitignore should keep it out):\n" + "\n".join(
        found
    )


def test_no_student_data_is_tracked():
    check_no_student_data(ROOT)


def test_the_student_data_check_fails_on_a_tracked_roster(tmp_path):
    """The negative control: in a fresh repository, tracking a fake roster makes the check fail."""
    repo = tmp_path / "repo"
    repo.mkdir()
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    (repo / "data.csv").write_text("eruptions,waiting\n3.6,79\n")
    subprocess.run(["git", "-C", str(repo), "add", "data.csv"], check=True)
    check_no_student_data(repo)  # a dataset is fine
    fakes = {
        "class-list.csv": "student,sis_id,email\nsub-1,S1,a@uni.example\n",
        "roster.csv": "student,sis_id\nsub-1,S1\n",
        "export.csv": ",".join(CANVAS_IDENTITY) + "\n",
        "moodle.csv": "First name,Last name,ID number\n",
        "notes.csv": "who,what\nsomeone,a@uni.example\n",
        "old/submissions/sub-1.zip": "PK",
    }
    for name, text in fakes.items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(text)
        subprocess.run(["git", "-C", str(repo), "add", "-f", name], check=True)
    with pytest.raises(AssertionError) as failure:
        check_no_student_data(repo)
    for name in fakes:
        assert name in str(failure.value)
    assert "data.csv" not in str(failure.value).replace("class-list.csv", "")


@pytest.mark.parametrize(
    "name",
    [
        "roster.csv",
        "course-Roster.csv",
        "submissions/sub-1/chapter02.zip",
        "notebooks/submissions/sub-1.zip",
        "canvas-gradebook.csv",
        "2024-12-06T1010_Grades-MLE.csv",
        "grades.csv",
        "free_text.csv",
        "manual-points.csv",
        "canvas-upload.csv",
        "totals.csv",
        "build/grades/report.html",
    ],
)
def test_gitignore_keeps_student_data_out(name):
    ignored = subprocess.run(["git", "-C", str(ROOT), "check-ignore", "-q", "--no-index", name])
    assert ignored.returncode == 0, f"{name} is not ignored by .gitignore"
