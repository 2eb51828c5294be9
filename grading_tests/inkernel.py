"""The negative control: a grader that judges INSIDE the student's kernel, as otter-grader effectively does.

It runs the notebook top to bottom in a plain kernel (the course library complete, the machine's files in
view, no sandbox; only the resource limits of the real grader, so a bomb cannot hurt the machine) and reads
the lines ``check()`` printed: the last ``ID: …`` line of each exercise is its verdict ("correct" →
correct, "not answered yet" → unanswered, "not yet" → wrong, no line → ungraded). Whatever the notebook's
code does to ``check``, ``evaluate``, numpy or its own output decides that verdict: that is the point of the
control. ``tests`` show the cheats of ``hostile.py`` fool it and not the real grader.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

from grading import sandbox  # noqa: E402

_RUN = r"""
import json, sys
import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import DeadKernelError
path, cell_seconds = sys.argv[1], int(sys.argv[2])
lines = []
try:
    nb = nbformat.read(path, as_version=4)
except Exception as exc:
    print(json.dumps({"lines": [], "stopped": f"not a notebook: {exc}"[:200]}))
    raise SystemExit(0)
client = NotebookClient(nb, timeout=cell_seconds, interrupt_on_timeout=True, allow_errors=True,
                        error_on_timeout={"ename": "Timeout", "evalue": "timeout"}, kernel_name="python3",
                        store_widget_state=True, resources={"metadata": {"path": sys.argv[3]}})
stopped = ""
with client.setup_kernel():
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        try:
            client.execute_cell(cell, i)
        except DeadKernelError:
            stopped = f"kernel died at cell {i}"
            break
        for out in cell.outputs:
            if out.get("output_type") == "stream" and out.get("name") == "stdout":
                lines += [l for l in out["text"].splitlines() if len(l) < 300][:50]
        if any(o.get("ename") == "Timeout" for o in cell.outputs if o.get("output_type") == "error"):
            probe = nbformat.v4.new_code_cell("pass")
            client.timeout = 10
            client.execute_cell(probe, i)
            client.timeout = cell_seconds
            if any(o.get("ename") == "Timeout" for o in probe.outputs if o.get("output_type") == "error"):
                stopped = f"stuck at cell {i}"
                break
print(json.dumps({"lines": lines[-2000:], "stopped": stopped}))
"""

_LINE = re.compile(r"^((?:ex|turn)\d+\.\d+): (.*)$")


def verdicts(lines: list[str], exercises: tuple[str, ...]) -> dict[str, str]:
    """Each exercise's verdict from the printed check lines (the last line of an exercise counts)."""
    last: dict[str, str] = {}
    for line in lines:
        m = _LINE.match(line)
        if m:
            last[m[1]] = m[2]
    out = {}
    for ex in exercises:
        text = last.get(ex)
        out[ex] = (
            "ungraded"
            if text is None
            else "correct"
            if text.startswith("correct")
            else "unanswered"
            if text.startswith("not answered yet")
            else "wrong"
        )
    return out


def judge_in_kernel(path: Path, exercises: tuple[str, ...], cell_seconds: int = 20) -> dict[str, str]:
    """The in-kernel judge's verdict on every exercise of one notebook."""
    limits = sandbox.Limits(cell_seconds=cell_seconds)
    with tempfile.TemporaryDirectory(prefix="inkernel-") as work:
        cmd = sandbox.trampoline(limits, [sys.executable, "-c", _RUN, str(path), str(cell_seconds), work])
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=600, cwd=work)
    try:
        data = json.loads(done.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError):
        data = {"lines": []}
    return verdicts(data["lines"], exercises)
