"""The hostile class: every submission of hostile.py graded in ONE run of the real grader (tools/grade.py), so
that the tests also see that no submission harms another's grade; and the in-kernel judge on the cheats."""

from __future__ import annotations

import csv
import os
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "tools"))

import hostile  # noqa: E402
import inkernel  # noqa: E402

#: Limits of the test run (short, so that the loops cost seconds, not minutes).
CELL_SECONDS = 20
NOTEBOOK_SECONDS = 240


def _marked_files() -> set[str]:
    """Files named like the ones a hostile submission tries to write outside its folder."""
    found = set()
    for base in (ROOT, Path("/tmp"), Path("/work")):
        try:
            names = os.listdir(base)
        except OSError:
            continue
        found.update(str(base / n) for n in names if hostile.MARK in n)
    return found


def _processes_of(uids: set[int]) -> list[int]:
    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/status", encoding="utf-8") as f:
                    status = dict(line.split(":\t", 1) for line in f.read().splitlines() if ":\t" in line)
            except OSError:
                continue
            zombie = status.get("State", "").startswith("Z")  # dead already, waiting for the machine's init
            if int(status.get("Uid", "-1").split()[0]) in uids and not zombie:
                pids.append(int(entry))
    return pids


@pytest.fixture(scope="session")
def probe_port():
    """A port on the host's loopback that a submission's network probe tries to reach."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    yield server.getsockname()[1]
    server.close()


@pytest.fixture(scope="session")
def hostile_class(tmp_path_factory, probe_port):
    """Grade every hostile submission in one run; returns (grades by student and exercise, messages, run info)."""
    folder = tmp_path_factory.mktemp("submissions")
    paths = hostile.build(folder, probe_port)
    out = tmp_path_factory.mktemp("grades")
    before = _marked_files()
    start = time.monotonic()
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "tools" / "grade.py"),
            str(folder),
            "--out",
            str(out),
            "--jobs",
            "2",
            "--cell-seconds",
            str(CELL_SECONDS),
            "--notebook-seconds",
            str(NOTEBOOK_SECONDS),
        ],
        capture_output=True,
        text=True,
        timeout=1800,
    )
    wall = time.monotonic() - start
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    with open(out / "grades.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    grades: dict[str, dict[str, str]] = {}
    messages: dict[str, dict[str, str]] = {}
    for row in rows:
        grades.setdefault(row["student"], {})[row["exercise"]] = row["status"]
        messages.setdefault(row["student"], {})[row["exercise"]] = row["message"]
    return {
        "grades": grades,
        "messages": messages,
        "paths": paths,
        "folder": folder,
        "out": out,
        "stdout": done.stdout,
        "wall": wall,
        "marked_before": before,
        "marked_after": _marked_files(),
        "leftover": _processes_of({60000, 60001}),
    }


@pytest.fixture(scope="session")
def control_verdicts(hostile_class):
    """The in-kernel judge's verdicts on the cheats (run without the sandbox; their files are removed after)."""
    paths = hostile_class["paths"]
    names = sorted(hostile.FOOLS_CONTROL)
    with ThreadPoolExecutor(2) as pool:
        verdicts = list(pool.map(lambda n: inkernel.judge_in_kernel(paths[n], hostile.EXERCISES, CELL_SECONDS), names))
    return dict(zip(names, verdicts, strict=True))
