"""Runs INSIDE the sandbox: executes one prepared notebook with nbclient, cell by cell, in a fresh kernel.

Started by the grader (``sandbox.py``) as ``python runner.py`` with the job on standard input (one JSON
document: the notebook with its prelude and collection cells, the role of each cell, the limits). It reads
the job, closes standard input, makes itself non-dumpable (the kernel, which runs as the same user, cannot
read its memory or file descriptors through /proc), and starts the kernel with standard input, output and
error on /dev/null: only this process writes to the grader's pipe.

Events go to standard output, one JSON line each, as they happen (a later kill loses nothing sent before):

* ``{"e": "kernel", "seconds": S}`` — the kernel is up;
* ``{"e": "cell", "i": I, "status": "ok" | "error" | "timeout", "ename": …, "evalue": …}`` — cell I ran;
* ``{"e": "answer", "i": I, "line": TEXT}`` — a line that collection cell I appended to ``answers.jsonl``;
* ``{"e": "stuck", "i": I}`` — cell I ran past its time limit and ignored the interrupt: the kernel is shut;
* ``{"e": "dead", "i": I, "returncode": R}`` — the kernel died during cell I;
* ``{"e": "deadline", "i": I}`` — the notebook's time ran out before cell I;
* ``{"e": "failed", "what": TEXT}`` — the kernel did not start, or the runner itself failed;
* ``{"e": "done", "seconds": S}``.

Nothing here judges an answer; every byte the kernel wrote is passed on as text for the grader to parse.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import shutil
import stat
import subprocess
import sys
import time
from typing import Any, Protocol

#: Most bytes of answers.jsonl passed on after one collection cell.
MAX_ANSWER_BYTES = 40 * 2**20
#: Seconds a cell gets to stop after its interrupt, before the kernel counts as stuck.
PROBE_SECONDS = 10


def _emit(event: dict[str, Any]) -> None:
    data = (json.dumps(event, ensure_ascii=True, separators=(",", ":")) + "\n").encode("ascii")
    view = memoryview(data)
    while view:
        view = view[os.write(1, view) :]


def _non_dumpable() -> None:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(4, 0, 0, 0, 0)  # PR_SET_DUMPABLE = 4
    except Exception:
        pass


def _size(path: str) -> int:
    try:
        st = os.lstat(path)
    except OSError:
        return 0
    return st.st_size if stat.S_ISREG(st.st_mode) else 0


def _read_new(path: str, offset: int) -> list[str]:
    """The lines appended to ``path`` since ``offset`` (a regular file only, never following a link)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return []
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return []
        os.lseek(fd, offset, os.SEEK_SET)
        chunks, total = [], 0
        while total < MAX_ANSWER_BYTES:
            chunk = os.read(fd, min(1 << 20, MAX_ANSWER_BYTES - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    finally:
        os.close(fd)
    text = b"".join(chunks).decode("ascii", "replace")
    return [line for line in text.split("\n") if line.strip()][:4]


class _Client(Protocol):
    """What the cell loop uses of the nbclient client that :func:`_new_client` makes."""

    km: Any
    timeout: int
    timed_out: bool
    errors: dict[int, tuple[str, str]]

    def execute_cell(self, cell: Any, cell_index: int, execution_count: Any = None, store_history: bool = True) -> Any:
        """Run one cell in the kernel."""


def main() -> int:
    """Run the job read from standard input, writing its events to standard output; always 0."""
    job = json.loads(sys.stdin.buffer.read())
    sys.stdin.close()
    os.close(0)
    _non_dumpable()
    start = time.monotonic()
    _copy_inputs(job)

    import nbformat

    nb = nbformat.from_dict(job["notebook"])
    client = _new_client(job, nb)
    devnull = subprocess.DEVNULL
    try:
        manager = client.setup_kernel(stdin=devnull, stdout=devnull, stderr=devnull)
        manager.__enter__()
    except BaseException as exc:
        _emit({"e": "failed", "what": f"the kernel did not start: {type(exc).__name__}: {str(exc)[:300]}"})
        return 0
    _emit({"e": "kernel", "seconds": round(time.monotonic() - start, 3)})

    finished_ok = False
    try:
        finished_ok = _run_cells(client, nb, job, deadline=start + float(job["notebook_seconds"]))
    except BaseException as exc:
        _emit({"e": "failed", "what": f"the runner failed: {type(exc).__name__}: {str(exc)[:300]}"})
    finally:
        try:
            if client.km is not None:
                client.km.shutdown_kernel(now=not finished_ok)
        except BaseException:
            pass
    _emit({"e": "done", "seconds": round(time.monotonic() - start, 3), "cpu": round(_cpu_seconds(), 3)})
    return 0


def _copy_inputs(job: dict[str, Any]) -> None:
    """Copy the matplotlib cache and the submission itself where the kernel will find them."""
    mpl_cache, mpl_dir = job.get("mpl_cache"), os.environ.get("MPLCONFIGDIR")
    if mpl_cache and mpl_dir and os.path.isdir(mpl_cache):
        shutil.copytree(mpl_cache, mpl_dir, dirs_exist_ok=True)
    submission = job.get("submission")
    if submission and os.path.isfile(submission):  # the kernel's folder holds the submission, as a student's does
        with contextlib.suppress(OSError):
            shutil.copyfile(submission, os.path.join(job["cwd"], os.path.basename(submission)))


def _new_client(job: dict[str, Any], nb: Any) -> Any:
    """An nbclient client for ``nb`` with the job's limits, keeping no output but each cell's error."""
    from nbclient import NotebookClient

    class Client(NotebookClient):
        """nbclient, keeping no output but each cell's error name and message."""

        timed_out = False
        errors: dict[int, tuple[str, str]]

        def output(self, outs: list[Any], msg: dict[str, Any], display_id: Any, cell_index: int) -> None:
            """Record an error message's name and value for its cell; drop every output."""
            if msg.get("msg_type") == "error":
                content = msg.get("content", {})
                self.errors.setdefault(
                    cell_index, (str(content.get("ename", ""))[:80], str(content.get("evalue", ""))[:300])
                )
            return None

        async def _async_handle_timeout(self, timeout: int, cell: Any = None) -> Any:
            self.timed_out = True
            return await super()._async_handle_timeout(timeout, cell)

    cell_seconds = int(job["cell_seconds"])
    client = Client(
        nb,
        timeout=cell_seconds,
        startup_timeout=int(job.get("startup_seconds", 60)),
        interrupt_on_timeout=True,
        error_on_timeout={"ename": "CellTimeout", "evalue": f"the cell ran longer than {cell_seconds} s"},
        allow_errors=True,
        kernel_name="python3",
        store_widget_state=True,
        record_timing=False,
        resources={"metadata": {"path": job["cwd"]}},
    )
    client.errors = {}
    return client


def _returncode(client: _Client) -> Any:
    """The kernel process's exit code, or None (still running, or not known)."""
    try:
        return client.km.provisioner.process.poll()
    except Exception:
        return None


def _run_cells(client: _Client, nb: Any, job: dict[str, Any], deadline: float) -> bool:
    """Run the code cells in order, emitting their events; whether every cell ran (no stop)."""
    from nbclient.exceptions import DeadKernelError

    cell_seconds = int(job["cell_seconds"])
    answers, roles = job["answers"], job["roles"]
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        left = deadline - time.monotonic()
        if left <= 1:
            _emit({"e": "deadline", "i": i})
            return False
        client.timeout = max(1, int(min(cell_seconds, left)))
        client.timed_out = False
        collect = roles[i].get("role") == "collect"
        offset = _size(answers) if collect else 0
        try:
            client.execute_cell(cell, i, store_history=roles[i].get("role") == "student")
        except DeadKernelError:
            _emit({"e": "dead", "i": i, "returncode": _returncode(client)})
            return False
        timed_out = client.timed_out
        if collect:
            for line in _read_new(answers, offset):
                _emit({"e": "answer", "i": i, "line": line})
        ename, evalue = client.errors.get(i, ("", ""))
        status = "timeout" if timed_out else "error" if ename else "ok"
        _emit({"e": "cell", "i": i, "status": status, "ename": ename, "evalue": evalue})
        if timed_out and not _survives_interrupt(client, i):
            return False
    return True


def _survives_interrupt(client: _Client, i: int) -> bool:
    """Whether the kernel runs a probe cell after cell ``i``'s interrupt; if not, its dead/stuck event is emitted."""
    import nbformat
    from nbclient.exceptions import DeadKernelError

    probe = nbformat.v4.new_code_cell("pass")
    client.timeout = PROBE_SECONDS
    client.timed_out = False
    try:
        client.execute_cell(probe, i, store_history=False)
    except DeadKernelError:
        _emit({"e": "dead", "i": i, "returncode": _returncode(client)})
        return False
    if client.timed_out:
        _emit({"e": "stuck", "i": i})
        return False
    return True


def _cpu_seconds() -> float:
    """CPU seconds of this process and of the kernel it waited for."""
    import resource

    cpu = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        usage = resource.getrusage(who)
        cpu += usage.ru_utime + usage.ru_stime
    return cpu


if __name__ == "__main__":
    raise SystemExit(main())
