"""One submission, one job: read the notebook, prepare its run, run it in the sandbox, judge what came back.

:func:`grade_one` takes one ``.ipynb`` file and returns one result (a dict, written as one JSON file by
``tools/grade.py --one``): a row per exercise of the chapter, the free-text answers, and what happened.
Nothing in it depends on another submission, so jobs can run anywhere (GRADING.md).

The submission is read here, outside the sandbox, as plain JSON with caps (size, cells); its code runs only
inside the sandbox. Exercises come from the author's chapter (``notebooks/``), not from the submission: an
exercise whose ``check`` cell is missing is "ungraded" with that reason.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from . import codec, collect, common, judge, sandbox
from .common import NOTEBOOKS, filtered_library

#: Largest submission read, bytes.
MAX_NOTEBOOK_BYTES = 50 * 2**20
#: Most cells of a submission.
MAX_CELLS = 5000
#: Most characters of one free-text answer kept.
MAX_FREE_TEXT = 20000
#: Most bytes read from a sandbox's standard output.
MAX_EVENTS_BYTES = 512 * 2**20

_LIB_FILES = {"runner.py": "runner.py", "collect.py": "mle_grading_collect.py", "codec.py": "mle_grading_codec.py"}
_HERE = Path(__file__).resolve().parent


# --- the author's chapters ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Chapter:
    """What the grader knows of one chapter: its exercises, free-text cells and the author's solution texts."""

    name: str  # "02_bernoulli_binomial"
    exercises: tuple[str, ...]  # in the chapter's order
    free_text: dict[str, str]  # cell id of a markdown solution cell -> its exercise
    solution_texts: frozenset[str]  # those cells' text in the author's notebook


@cache
def chapters() -> dict[str, Chapter]:
    """Every chapter of ``notebooks/``, by file stem."""
    sys.path.insert(0, str(_HERE.parent))
    import editions  # tools/editions.py

    out = {}
    for path in sorted(NOTEBOOKS.glob("*.ipynb")):
        import nbformat

        nb = nbformat.read(path, as_version=4)
        exercises: list[str] = []
        for cell in nb.cells:
            if cell.cell_type == "code":
                for ex, _ in collect.find_checks(cell.source):
                    if ex not in exercises:
                        exercises.append(ex)
        owner = exercise_of_cells(nb.cells, editions.exercise_cells(nb))
        free, texts = {}, set()
        for index, cell in enumerate(nb.cells):
            if cell.cell_type == "markdown" and "solution" in cell.get("metadata", {}).get("tags", []):
                free[cell.get("id", f"cell-{index}")] = owner.get(index, "?")
                if len(cell.source.strip()) >= 40:
                    texts.add(cell.source.strip())
        out[path.stem] = Chapter(path.stem, tuple(exercises), free, frozenset(texts))
    return out


_HEADING = re.compile(r"^###\s+(Exercise|Your turn)\s+(\d+\.\d+)\b")


def exercise_of_cells(cells: list[Any], owners: dict[int, str]) -> dict[int, str]:
    """Each cell's exercise, from ``owners`` and the checks.

    ``owners`` is ``editions.exercise_cells`` (heading to check); a cell after an exercise's check (its written answer)
    belongs to that exercise until the next heading.
    """
    out: dict[int, str] = {}
    current, last = None, None
    for index, cell in enumerate(cells):
        source = cell["source"] if isinstance(cell, dict) else cell.source
        kind = cell["cell_type"] if isinstance(cell, dict) else cell.cell_type
        if kind == "markdown" and source.lstrip().startswith("#") and not _HEADING.match(source.lstrip()):
            # a section that is not an exercise ("Going further — not checked") is named after the last one
            current = f"{last}-further" if last and source.lstrip().startswith("###") else None
        if owners.get(index, "?") != "?":
            current = last = owners[index]
        if current is not None:
            out[index] = current
    return out


def chapter_of(checks: list[str], hint: str | None = None) -> Chapter | None:
    """The chapter whose exercises the submission's checks name most (``hint``, a stem or "02", wins)."""
    known = chapters()
    if hint:
        for stem, ch in known.items():
            if stem == hint or stem.split("_")[0] == hint.zfill(2):
                return ch
        raise ValueError(f"no chapter {hint!r} in notebooks/ (chapters: {', '.join(known)})")
    best, score = None, 0
    for ch in known.values():
        n = len(set(checks) & set(ch.exercises))
        if n > score:
            best, score = ch, n
    return best


# --- reading a submission ----------------------------------------------------------------------------------


class NotANotebook(ValueError):
    """The file is not a notebook the grader can read."""

    pass


def _text(source: Any) -> str:
    if isinstance(source, str):
        return source
    if isinstance(source, list) and all(isinstance(s, str) for s in source):
        return "".join(source)
    raise NotANotebook("a cell's source is neither text nor a list of lines")


def read_submission(path: Path) -> list[dict[str, str]]:
    """The cells of a submitted notebook as ``{"cell_type", "source", "id"}`` (nothing else is kept)."""
    size = path.stat().st_size
    if size > MAX_NOTEBOOK_BYTES:
        raise NotANotebook(f"the file is {size} bytes, more than the {MAX_NOTEBOOK_BYTES} a notebook may have")
    raw = path.read_bytes()
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise NotANotebook(f"the file is not a notebook (not JSON: {str(exc)[:80]})") from None
    if not isinstance(data, dict) or not isinstance(data.get("cells"), list):
        raise NotANotebook("the file is not a notebook (JSON without a list of cells)")
    if len(data["cells"]) > MAX_CELLS:
        raise NotANotebook(f"the notebook has more than {MAX_CELLS} cells")
    cells = []
    for cell in data["cells"]:
        if not isinstance(cell, dict) or cell.get("cell_type") not in ("code", "markdown", "raw"):
            raise NotANotebook("the file is not a notebook (a cell without a valid cell_type)")
        cid = cell.get("id")
        cells.append(
            {
                "cell_type": cell["cell_type"],
                "source": _text(cell.get("source", "")),
                "id": cid if isinstance(cid, str) and len(cid) <= 64 else "",
                "tags": [t for t in (cell.get("metadata") or {}).get("tags", []) if isinstance(t, str)]
                if isinstance(cell.get("metadata"), dict) and isinstance(cell["metadata"].get("tags", []), list)
                else [],
            }
        )
    return cells


# --- preparing the run -------------------------------------------------------------------------------------


@dataclass
class Plan:
    """The notebook the sandbox runs, the role of each of its cells, and the test cases per exercise."""

    notebook: dict[str, Any]  # nbformat v4 dict: the prelude, the student's code cells, the collection cells
    roles: list[dict[str, Any]]  # per cell: role (prelude/student/collect/markdown), source index, exercise, nonce
    cases: dict[str, str]  # exercise -> cases file content (JSON)
    checks: dict[str, list[int]] = field(default_factory=dict)  # exercise -> indices of its collection cells


def prepare(cells: list[dict[str, str]], chapter: Chapter, student: str) -> Plan:
    """The notebook the sandbox runs: a prelude, each cell of the submission, and collection cells.

    A collection cell follows each cell that calls ``check("ID", EXPR)`` for an exercise of ``chapter``.
    """
    import nbformat

    kinds = {ex: judge.kind_of(ex) for ex in chapter.exercises}
    forbidden = {ex: list(judge.FORBIDDEN[ex]) for ex in chapter.exercises if ex in judge.FORBIDDEN}
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    roles: list[dict[str, Any]] = []
    answers = f"{sandbox.WORK}/answers.jsonl"
    identity = (common.TERM.identity(student), common.TERM.key)
    prelude = collect.prelude_cell(f"{sandbox.GRADING}/lib", answers, forbidden, identity=identity)
    nb.cells.append(nbformat.v4.new_code_cell(prelude))
    roles.append({"role": "prelude"})
    cases: dict[str, str] = {}
    checks: dict[str, list[int]] = {}
    for index, cell in enumerate(cells):
        if cell["cell_type"] != "code":
            continue
        nb.cells.append(nbformat.v4.new_code_cell(cell["source"]))
        roles.append({"role": "student", "source": index})
        for exercise, expr in collect.find_checks(cell["source"]):
            if exercise not in kinds:
                continue
            nonce = secrets.token_hex(12)
            if kinds[exercise] == "function":
                if exercise not in cases:
                    cases[exercise] = judge.cases_json(judge.cases_for(student, exercise))
                source = collect.function_cell(exercise, nonce, expr, f"{sandbox.GRADING}/cases-{exercise}.json")
            else:
                source = collect.value_cell(exercise, nonce, expr)
            checks.setdefault(exercise, []).append(len(nb.cells))
            nb.cells.append(nbformat.v4.new_code_cell(source))
            roles.append({"role": "collect", "source": index, "exercise": exercise, "nonce": nonce, "expr": expr})
    return Plan(nb, roles, cases, checks)


# --- running it --------------------------------------------------------------------------------------------


class Workspace:
    """The grader's files of one run: the filtered library, the matplotlib cache, the collector's files."""

    def __init__(self, base: Path | None = None) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="mle-grading-", dir=base))
        os.chmod(self.root, 0o711)
        self.library = filtered_library(self.root / "library")
        _chmod_tree(self.library)
        self.lib = self.root / "lib"
        self.lib.mkdir()
        for src, dest in _LIB_FILES.items():
            shutil.copy2(_HERE / src, self.lib / dest)
        self.mplconfig = self.root / "mplconfig"
        self.mplconfig.mkdir()
        subprocess.run(
            [sys.executable, "-c", "import matplotlib.font_manager"],
            env={**os.environ, "MPLCONFIGDIR": str(self.mplconfig)},
            check=False,
            capture_output=True,
        )
        _chmod_tree(self.root / "lib")
        _chmod_tree(self.mplconfig)
        self._count = 0
        self._lock = threading.Lock()

    def new_job(self) -> tuple[Path, Path]:
        """A new job's folder (with its own copy of the library and matplotlib cache) and its work folder."""
        with self._lock:
            self._count += 1
            n = self._count
        job, work = self.root / f"job-{n}", self.root / f"job-{n}-work"  # work: without a sandbox only
        job.mkdir()
        work.mkdir(mode=0o700)
        shutil.copytree(self.lib, job / "lib")
        shutil.copytree(self.mplconfig, job / "mplconfig")
        _chmod_tree(job)
        return job, work

    def close(self) -> None:
        """Remove the workspace and everything in it."""
        shutil.rmtree(self.root, ignore_errors=True)


def _chmod_tree(root: Path) -> None:
    for dirpath, _dirnames, filenames in os.walk(root):
        os.chmod(dirpath, 0o755)
        for name in filenames:
            os.chmod(os.path.join(dirpath, name), 0o644)


@dataclass
class RunOutcome:
    """What one sandboxed run gave: its events, its wall-clock time, and how it ended."""

    events: list[dict[str, Any]]
    seconds: float
    killed: bool  # stopped by the grader's wall clock
    returncode: int | None
    stderr: str


def run_plan(
    plan: Plan,
    workspace: Workspace,
    limits: sandbox.Limits,
    worker: int = 0,
    use_sandbox: bool = True,
    submission: Path | None = None,
) -> RunOutcome:
    """Run a prepared notebook (in the sandbox of worker ``worker``, or, trusted, without one)."""
    job, work = workspace.new_job()
    try:
        for exercise, text in plan.cases.items():
            (job / f"cases-{exercise}.json").write_text(text, encoding="ascii")
            os.chmod(job / f"cases-{exercise}.json", 0o644)
        if submission is not None:  # a copy for the kernel's working folder, as a student's folder holds it
            with contextlib.suppress(OSError):
                shutil.copyfile(submission, job / "submission.ipynb")
                os.chmod(job / "submission.ipynb", 0o644)
        if use_sandbox:
            python = str(Path(sys.prefix) / "bin" / "python")
            inner = [python, f"{sandbox.GRADING}/lib/runner.py"]
            cmd = sandbox.command(job, workspace.library, limits, worker, inner)
            env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8"}
            cwd = "/"
            answers, grading, cwd_inside = f"{sandbox.WORK}/answers.jsonl", sandbox.GRADING, sandbox.WORK
        else:
            cmd = sandbox.trampoline(limits, [sys.executable, str(job / "lib" / "runner.py")])
            env = {
                k: v
                for k, v in os.environ.items()
                if k in ("PATH", "LANG", "HOME", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
            }
            env.update(
                MLE_GRADING="1",
                MPLBACKEND="Agg",
                MPLCONFIGDIR=str(work / ".matplotlib"),
                OPENBLAS_NUM_THREADS="1",
                PYTHONDONTWRITEBYTECODE="1",
                JUPYTER_PLATFORM_DIRS="1",
            )
            cwd = str(work)
            answers, grading, cwd_inside = str(work / "answers.jsonl"), str(job), str(work)
        nb = plan.notebook
        if not use_sandbox:  # the cells name the sandbox's paths: point them at the job's own folders
            text = json.dumps(nb).replace(json.dumps(sandbox.GRADING)[1:-1], grading)
            text = text.replace(json.dumps(f"{sandbox.WORK}/answers.jsonl")[1:-1], answers)
            nb = json.loads(text)
        payload = {
            "notebook": nb,
            "roles": plan.roles,
            "cell_seconds": limits.cell_seconds,
            "notebook_seconds": limits.notebook_seconds,
            "answers": answers,
            "cwd": cwd_inside,
            "mpl_cache": f"{grading}/mplconfig",
            "submission": f"{grading}/submission.ipynb",
        }
        watch = sandbox.BASE_UID + worker if use_sandbox and sandbox.is_root() else None
        return _run(cmd, env, cwd, json.dumps(payload).encode(), limits, job, watch)
    finally:
        shutil.rmtree(job, ignore_errors=True)
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(job.parent / f"{job.name}-stage", ignore_errors=True)


def _resident(uid: int) -> int:
    """Memory of every process of ``uid`` together, in bytes.

    The proportional set size (PSS), so that the pages forked processes share are counted once, not once per process.
    """
    total = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            if os.stat(f"/proc/{entry}").st_uid != uid:
                continue
            with open(f"/proc/{entry}/smaps_rollup", encoding="ascii", errors="replace") as f:
                text = f.read()
        except OSError:
            continue
        pss = next((line for line in text.splitlines() if line.startswith("Pss:")), "")
        if pss:
            total += int(pss.split()[1]) * 1024
    return total


def _run(
    cmd: list[str],
    env: dict[str, str],
    cwd: str,
    stdin: bytes,
    limits: sandbox.Limits,
    job: Path,
    watch_uid: int | None = None,
) -> RunOutcome:
    start = time.monotonic()
    err_path = job.parent / f"{job.name}.stderr"
    with open(err_path, "w+b") as err:
        proc = subprocess.Popen(
            cmd,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=err,
            cwd=cwd,
            env=env,
            start_new_session=True,
        )
        events: list[dict[str, Any]] = []
        total = [0]

        def reader() -> None:
            assert proc.stdout is not None
            for raw in proc.stdout:
                total[0] += len(raw)
                if total[0] > MAX_EVENTS_BYTES:
                    break
                try:
                    event = json.loads(raw)
                except (ValueError, RecursionError):
                    continue
                if isinstance(event, dict):
                    events.append(event)

        thread = threading.Thread(target=reader, daemon=True)
        thread.start()
        try:
            assert proc.stdin is not None
            proc.stdin.write(stdin)
            proc.stdin.close()
        except OSError:
            pass
        killed = False
        deadline = start + limits.notebook_seconds + 30
        while True:  # the wall clock, and (with a uid of its own) the memory of all the job's processes
            try:
                proc.wait(timeout=0.5)
                break
            except subprocess.TimeoutExpired:
                pass
            if time.monotonic() > deadline:
                killed = True
                break
            if watch_uid is not None and _resident(watch_uid) > limits.total_memory:
                events.append({"e": "memory"})
                killed = True
                break
        if killed or total[0] > MAX_EVENTS_BYTES:
            killed = True
            with contextlib.suppress(OSError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        thread.join(10)
        err.seek(0, os.SEEK_END)
        size = err.tell()
        err.seek(max(0, size - 4000))
        stderr = err.read().decode("utf-8", "replace")
    err_path.unlink(missing_ok=True)
    return RunOutcome(list(events), time.monotonic() - start, killed, proc.returncode, stderr)


# --- judging -----------------------------------------------------------------------------------------------


#: Events that end a run early.
_FINAL = ("dead", "stuck", "deadline", "failed", "memory")


def _signal_name(code: Any) -> str:
    if not isinstance(code, int) or code >= 0:
        return f"exit status {code}" if code is not None else "no exit status"
    try:
        name = signal.Signals(-code).name
    except ValueError:
        name = f"signal {-code}"
    why = {"SIGKILL": "killed", "SIGXCPU": "CPU time limit", "SIGSEGV": "crashed", "SIGABRT": "aborted"}.get(name)
    return f"{name}, {why}" if why else name


def _where(plan: Plan, i: Any) -> str:
    if not isinstance(i, int) or not 0 <= i < len(plan.roles):
        return "an unknown cell"
    role = plan.roles[i]
    if role["role"] == "prelude":
        return "the grader's first cell"
    what = "its collection cell" if role["role"] == "collect" else "cell"
    return (
        f"{what} {role['source'] + 1}"
        if role["role"] == "student"
        else f"the collection cell after cell {role['source'] + 1}"
    )


def judge_run(plan: Plan, outcome: RunOutcome, chapter: Chapter, student: str, limits: sandbox.Limits) -> list[Any]:
    """One :class:`judge.Verdict` per exercise of the chapter."""
    reached, answers, final = _sort_events(outcome)
    verdicts = []
    for exercise in chapter.exercises:
        cells = plan.checks.get(exercise, [])
        if not cells:
            verdicts.append(
                judge.Verdict(exercise, "ungraded", f'no check("{exercise}", …) cell in the submission (deleted?)')
            )
            continue
        record, reason = _collected(plan, exercise, cells, answers, reached, limits)
        if record is None:
            verdicts.append(judge.Verdict(exercise, "ungraded", reason or _stop_reason(plan, outcome, final, limits)))
            continue
        try:
            verdicts.append(judge.judge_record(student, exercise, record))
        except (ValueError, TypeError, KeyError, codec.TooLarge, RecursionError, OverflowError) as exc:
            verdicts.append(
                judge.Verdict(exercise, "ungraded", f"the collected answer could not be read ({str(exc)[:120]})")
            )
    return verdicts


def _sort_events(
    outcome: RunOutcome,
) -> tuple[dict[int, dict[str, Any]], dict[int, list[str]], dict[str, Any] | None]:
    """The run's events by kind: each cell's last event, each cell's answer lines, and the first final event."""
    reached: dict[int, dict[str, Any]] = {}
    answers: dict[int, list[str]] = {}
    final: dict[str, Any] | None = None
    for event in outcome.events:
        kind = event.get("e")
        if kind == "cell" and isinstance(event.get("i"), int):
            reached[event["i"]] = event
        elif kind == "answer" and isinstance(event.get("i"), int) and isinstance(event.get("line"), str):
            answers.setdefault(event["i"], []).append(event["line"])
        elif kind in _FINAL and final is None:
            final = event
    return reached, answers, final


def _collected(
    plan: Plan,
    exercise: str,
    cells: list[int],
    answers: Mapping[int, list[str]],
    reached: Mapping[int, dict[str, Any]],
    limits: sandbox.Limits,
) -> tuple[dict[str, Any] | None, str | None]:
    """The answer record of the last check cell that wrote one, else why the last one that ran wrote none."""
    reason = None
    for i in reversed(cells):  # the last check of an exercise that was collected counts
        record = _answer_record(answers.get(i, []), exercise, plan.roles[i]["nonce"])
        if record is not None:
            return record, reason
        if reason is None and i in reached:
            reason = _collection_failure(reached[i], limits)
    return None, reason


def _answer_record(lines: list[str], exercise: str, nonce: Any) -> dict[str, Any] | None:
    """The first of a cell's answer lines that parses and carries ``exercise`` and the cell's ``nonce``."""
    for line in lines:
        try:
            data = json.loads(line[: collect.MAX_LINE + 1000])
        except (ValueError, RecursionError):
            continue
        if isinstance(data, dict) and data.get("x") == exercise and data.get("n") == nonce:
            return data
    return None


def _collection_failure(event: Mapping[str, Any], limits: sandbox.Limits) -> str:
    """Why a check cell that ran (its ``cell`` event) wrote no answer."""
    if event.get("status") == "timeout":
        return f"collecting the answer ran past the cell time limit ({limits.cell_seconds} s)"
    if event.get("status") == "error":
        what = f"{str(event.get('ename'))[:60]}: {str(event.get('evalue'))[:120]}"
        return f"collecting the answer failed ({what})"
    return "the collection cell wrote no answer"


def _stop_reason(plan: Plan, outcome: RunOutcome, final: Mapping[str, Any] | None, limits: sandbox.Limits) -> str:
    """Why the run stopped before an answer was collected, from its final event or how the sandbox ended."""
    if final is not None:
        return _final_reason(plan, final, limits)
    if outcome.killed:
        return f"the sandbox was stopped at the notebook's time limit ({limits.notebook_seconds} s)"
    if not outcome.events:
        tail = " ".join(outcome.stderr.split())[-200:]
        return f"the sandbox did not start ({_signal_name(outcome.returncode)}{': ' + tail if tail else ''})"
    if not any(e.get("e") == "done" for e in outcome.events):
        return f"the sandbox ended early ({_signal_name(outcome.returncode)})"
    return "the answer was not collected"


def _final_reason(plan: Plan, final: Mapping[str, Any], limits: sandbox.Limits) -> str:
    """The run's final event (dead, stuck, deadline, memory, failed) as a sentence."""
    kind = final["e"]
    where = _where(plan, final.get("i"))
    if kind == "dead":
        code = _signal_name(final.get("returncode"))
        return f"the kernel died in {where} ({code}) before this answer was collected"
    if kind == "stuck":
        return f"{where} ran past its time limit ({limits.cell_seconds} s) and ignored the interrupt"
    if kind == "deadline":
        return f"the notebook's time limit ({limits.notebook_seconds} s) ran out at {where}"
    if kind == "memory":
        gib = limits.total_memory / 2**30
        return f"the sandbox was stopped: its processes together used more than {gib:g} GiB of memory"
    return f"the run failed: {str(final.get('what', ''))[:200]}"


# --- the whole job -----------------------------------------------------------------------------------------


def grade_one(
    path: Path,
    student: str,
    workspace: Workspace,
    limits: sandbox.Limits,
    worker: int = 0,
    use_sandbox: bool = True,
    chapter_hint: str | None = None,
    fallback_chapter: str | None = None,
) -> dict[str, Any]:
    """Grade one submission: the result that ``--one`` writes (rows, free text, notes, timings)."""
    start = time.monotonic()
    result: dict[str, Any] = {"student": student, "file": path.name, "rows": [], "free_text": [], "notes": []}
    try:
        cells = read_submission(path)
    except (NotANotebook, OSError) as exc:
        chapter = chapter_of([], chapter_hint or fallback_chapter) if (chapter_hint or fallback_chapter) else None
        reason = str(exc)
        result["notes"].append(reason)
        result["chapter"] = chapter.name if chapter else ""
        for exercise in chapter.exercises if chapter else ["?"]:
            result["rows"].append(_row(student, judge.Verdict(exercise, "ungraded", reason)))
        result["seconds"] = round(time.monotonic() - start, 3)
        return result
    checks = [ex for c in cells if c["cell_type"] == "code" for ex, _ in collect.find_checks(c["source"])]
    chapter = chapter_of(checks, chapter_hint) or (chapter_of([], fallback_chapter) if fallback_chapter else None)
    if chapter is None:
        reason = "no check(...) of any chapter's exercise in the notebook: which chapter is it?"
        result.update(chapter="", notes=[reason])
        result["rows"].append(_row(student, judge.Verdict("?", "ungraded", reason)))
        result["seconds"] = round(time.monotonic() - start, 3)
        return result
    result["chapter"] = chapter.name
    for cell in cells:
        if cell["cell_type"] == "markdown" and cell["id"] in chapter.free_text:
            result["free_text"].append(
                {
                    "student": student,
                    "exercise": chapter.free_text[cell["id"]],
                    "cell_id": cell["id"],
                    "text": cell["source"][:MAX_FREE_TEXT],
                }
            )
    copied = sum(1 for c in cells if c["cell_type"] == "markdown" and c["source"].strip() in chapter.solution_texts)
    if copied or any("remove-cell" in c["tags"] for c in cells):
        result["notes"].append(
            f"the submission holds the author's notebook: {copied} solution texts verbatim"
            + (", and the author's hidden regression cells" if any("remove-cell" in c["tags"] for c in cells) else "")
        )
    plan = prepare(cells, chapter, student)
    outcome = run_plan(plan, workspace, limits, worker, use_sandbox, submission=path)
    verdicts = judge_run(plan, outcome, chapter, student, limits)
    result["rows"] = [_row(student, v) for v in verdicts]
    result["run"] = {
        "seconds": round(outcome.seconds, 3),
        "killed": outcome.killed,
        "returncode": outcome.returncode,
        "final": next((e for e in outcome.events if e.get("e") in _FINAL), None),
        "cpu": next((e.get("cpu") for e in outcome.events if e.get("e") == "done"), None),
    }
    result["seconds"] = round(time.monotonic() - start, 3)
    return result


def _row(student: str, verdict: Any) -> dict[str, Any]:
    return {
        "student": student,
        "exercise": verdict.exercise,
        "status": verdict.status,
        "points": verdict.points,
        "max_points": verdict.max_points,
        "message": verdict.message,
    }
