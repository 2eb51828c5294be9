"""The sandbox one submission runs in: Debian's bubblewrap, privileges dropped before it, resource limits.

The command line, from the outside in:

1. ``python -S -c TRAMPOLINE`` (:data:`_TRAMPOLINE`) sets the resource limits (``resource.setrlimit``:
   address space, CPU seconds, processes, file size, open files, core files 0), then execs the rest; the
   limits are inherited by everything below.
2. As root only: ``unshare --mount --propagation private sh -c STAGE`` (:data:`_STAGE`). In a private mount
   namespace (nothing changes for the rest of the machine) it bind-mounts the paths the sandbox needs that
   an unprivileged user cannot reach — here the Python installation, inside root's home folder (mode
   0700) — onto a tmpfs laid over the blocking folder, so bubblewrap, no longer root, can bind them.
3. As root only: ``setpriv --reuid U --regid U --clear-groups`` drops to an unprivileged user, one uid per
   worker (60000 + worker index), so that ``RLIMIT_NPROC`` counts the processes of this job alone.
4. ``bwrap --unshare-all --disable-userns --die-with-parent --new-session --clearenv …``: new user, PID,
   network (loopback only), IPC, UTS and cgroup namespaces; read-only binds of /usr (and /bin, /lib*,
   /sbin), a few files of /etc, the Python installation and the virtual environment; the course library
   replaced by a filtered copy (no exercise registry: :func:`.common.filtered_library`); a fresh /proc and
   /dev; the job's own files (the runner, the collector, the test cases, a copy of the submission) read-only
   at ``/grading``; and two writable folders, both size-limited tmpfs in memory that vanish with the job:
   ``/tmp`` and the work folder :data:`WORK` (also ``$HOME``, the kernel's working directory). Nothing else
   of the machine's files is there, and nothing the submission writes reaches the machine's disks.
5. ``python /grading/lib/runner.py`` (:mod:`runner`) with the job on standard input.

A wall clock per notebook is enforced from outside (``job.run_job`` kills the process group), on top of
the runner's own per-cell and per-notebook limits.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from dataclasses import asdict, dataclass
from pathlib import Path

#: The job's work folder inside the sandbox (a tmpfs: with /tmp, the only writable place).
WORK = "/student"
#: The sandbox's temporary folder (a tmpfs).
TMP = "/tmp"
#: Where the job's read-only files (runner, collector, test cases, library copy) appear inside the sandbox.
GRADING = "/grading"
#: First uid/gid of the grading workers (worker i runs as BASE_UID + i).
BASE_UID = 60000

BWRAP = "bwrap"


@dataclass(frozen=True)
class Limits:
    """The limits one submission runs under (calibrated on the author's chapters, see GRADING.md)."""

    #: Address space of each process, bytes (1 GiB broke chapter 2's imports; 2 GiB runs every chapter).
    memory: int = 2 * 2**30
    #: CPU seconds of each process.
    cpu_seconds: int = 300
    #: Processes and threads of the job's user (the kernel and the runner use about 30).
    processes: int = 128
    #: Largest file the job may write, bytes.
    file_size: int = 256 * 2**20
    #: Open files of each process.
    open_files: int = 512
    #: Wall-clock seconds of one cell.
    cell_seconds: int = 120
    #: Wall-clock seconds of the whole notebook (the kernel's start included).
    notebook_seconds: int = 600
    #: Size of the sandbox's /tmp and of its work folder (each a tmpfs, in memory), bytes.
    tmp_size: int = 256 * 2**20
    #: Memory of all the job's processes together (resident), bytes: the grader stops a job that exceeds it
    #: (the address-space limit is per process; as root, where each worker has its own uid).
    total_memory: int = 4 * 2**30

    def as_dict(self) -> dict[str, int]:
        """The limits as a dict by field name."""
        return asdict(self)


_TRAMPOLINE = r"""
import json, os, resource, sys
limits = json.loads(sys.argv[1])
for name, value in limits.items():
    resource.setrlimit(getattr(resource, name), (value, value))
os.execvp(sys.argv[2], sys.argv[2:])
"""

_STAGE = r"""
set -e
stage=$1; shift
n=$1; shift
i=0
while [ "$i" -lt "$n" ]; do
  src=$1; shift
  mkdir -p "$stage/$i"
  mount --bind "$src" "$stage/$i"
  i=$((i + 1))
done
m=$1; shift
j=0
while [ "$j" -lt "$m" ]; do
  mount -t tmpfs -o mode=0755,size=1m tmpfs "$1"; shift
  j=$((j + 1))
done
i=0
while [ "$i" -lt "$n" ]; do
  dest=$1; shift
  mkdir -p "$dest"
  mount --bind "$stage/$i" "$dest"
  i=$((i + 1))
done
exec "$@"
"""


def rlimits(limits: Limits) -> dict[str, int]:
    """The ``resource`` limits of a job, by name."""
    return {
        "RLIMIT_AS": limits.memory,
        "RLIMIT_CPU": limits.cpu_seconds,
        "RLIMIT_NPROC": limits.processes,
        "RLIMIT_FSIZE": limits.file_size,
        "RLIMIT_NOFILE": limits.open_files,
        "RLIMIT_CORE": 0,
    }


def is_root() -> bool:
    """Whether the grader runs as root."""
    return os.geteuid() == 0


def _others_can_enter(path: Path) -> bool:
    try:
        return bool(path.stat().st_mode & 0o001)
    except OSError:
        return False


def python_paths() -> list[Path]:
    """What the sandbox's Python needs: the base installation and the virtual environment."""
    paths = [Path(sys.base_prefix).resolve(), Path(sys.prefix).resolve()]
    out: list[Path] = []
    for p in paths:
        if not any(p == q or q in p.parents for q in out):
            out.append(p)
    return out


def library_path() -> Path:
    """The folder the venv imports ``mle_lib`` from (an editable install points at the repository's)."""
    import importlib.util

    spec = importlib.util.find_spec("mle_lib")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("mle_lib is not installed in this environment")
    return Path(next(iter(spec.submodule_search_locations))).resolve()


def _blocking(paths: list[Path]) -> list[Path]:
    """The folders an unprivileged user cannot enter on the way to ``paths`` (outermost first)."""
    out: list[Path] = []
    for p in paths:
        for parent in reversed(p.parents):
            if parent == Path("/"):
                continue
            if not _others_can_enter(parent):
                if not any(parent == q or q in parent.parents for q in out):
                    out.append(parent)
                break
    return out


_ETC = (
    "/etc/ld.so.cache",
    "/etc/ld.so.conf",
    "/etc/ld.so.conf.d",
    "/etc/localtime",
    "/etc/nsswitch.conf",
    "/etc/fonts",
    "/etc/alternatives",
    "/etc/mime.types",
)


def bwrap_args(job_dir: Path, library_copy: Path, limits: Limits) -> list[str]:
    """bubblewrap's arguments for one job (everything after ``bwrap``)."""
    args = ["--unshare-all", "--unshare-user", "--disable-userns", "--die-with-parent", "--new-session", "--clearenv"]
    env = {
        "PATH": f"{Path(sys.prefix) / 'bin'}:/usr/bin:/bin",
        "HOME": WORK,
        "LANG": "C.UTF-8",
        "TMPDIR": TMP,
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "MLE_GRADING": "1",
        "MPLBACKEND": "Agg",
        "MPLCONFIGDIR": f"{TMP}/matplotlib",
        "IPYTHONDIR": f"{TMP}/ipython",
        "JUPYTER_RUNTIME_DIR": f"{TMP}/jupyter-runtime",
        "JUPYTER_PLATFORM_DIRS": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",
    }
    for key, value in env.items():
        args += ["--setenv", key, value]
    args += ["--ro-bind", "/usr", "/usr"]
    for top in ("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"):
        p = Path(top)
        if p.is_symlink():
            args += ["--symlink", os.readlink(p), top]
        elif p.is_dir():
            args += ["--ro-bind", top, top]
    for path in _ETC:
        args += ["--ro-bind-try", path, path]
    for p in python_paths():
        args += ["--ro-bind", str(p), str(p)]
    args += ["--ro-bind", str(library_copy), str(library_path())]
    args += ["--size", str(limits.tmp_size), "--tmpfs", TMP, "--proc", "/proc", "--dev", "/dev"]
    args += ["--ro-bind", str(job_dir), GRADING, "--size", str(limits.tmp_size), "--tmpfs", WORK, "--chdir", WORK]
    args += ["--hostname", "grading"]
    return args


def command(job_dir: Path, library_copy: Path, limits: Limits, worker: int, inner: list[str]) -> list[str]:
    """The whole command line that runs ``inner`` (e.g. the runner) in the sandbox of worker ``worker``."""
    bwrap = shutil.which(BWRAP) or BWRAP
    cmd = [bwrap, *bwrap_args(job_dir, library_copy, limits), *inner]
    if is_root():
        uid = BASE_UID + worker
        cmd = ["setpriv", "--reuid", str(uid), "--regid", str(uid), "--clear-groups", "--", *cmd]
        needed = python_paths()
        blocked = _blocking(needed)
        if blocked:
            staged = [p for p in needed if any(b in p.parents for b in blocked)]
            stage = job_dir.parent / f"{job_dir.name}-stage"
            cmd = [
                "unshare",
                "--mount",
                "--propagation",
                "private",
                "--",
                "sh",
                "-c",
                _STAGE,
                "sh",
                str(stage),
                str(len(staged)),
                *map(str, staged),
                str(len(blocked)),
                *map(str, blocked),
                *map(str, staged),
                *cmd,
            ]
    return trampoline(limits, cmd)


def trampoline(limits: Limits, cmd: list[str]) -> list[str]:
    """``cmd`` behind the small Python program that sets the resource limits and execs it."""
    import json

    return [sys.executable, "-S", "-E", "-c", _TRAMPOLINE, json.dumps(rlimits(limits)), *cmd]


def unavailable() -> str | None:
    """Why no sandbox can be made here (None: bubblewrap is there and passes a smoke test)."""
    if sys.platform != "linux":
        return f"the sandbox needs Linux (this is {sys.platform})"
    if shutil.which(BWRAP) is None:
        return (
            "bubblewrap (bwrap) is not installed: on Debian or Ubuntu run 'apt-get install -y bubblewrap' "
            "(make check-bwrap says the same)"
        )
    if is_root() and (shutil.which("setpriv") is None or shutil.which("unshare") is None):
        return "setpriv and unshare (util-linux) are needed to drop root's privileges before bubblewrap"
    import tempfile

    with tempfile.TemporaryDirectory(prefix="mle-grading-smoke-") as tmp:
        root = Path(tmp)
        os.chmod(root, 0o711)
        job, lib = root / "job", root / "lib"
        for d in (job, lib):
            d.mkdir()
            os.chmod(d, 0o755)
        probe = f"import os; open('{WORK}/x', 'w').write('x'); print('sandbox-ok', os.getuid())"
        cmd = command(job, lib, Limits(), 0, [str(Path(sys.prefix) / "bin" / "python"), "-c", probe])
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
        except (OSError, subprocess.TimeoutExpired) as exc:
            return f"bubblewrap could not be started: {exc}"
        if "sandbox-ok" not in done.stdout:
            detail = " ".join((done.stderr or done.stdout).split())[:300]
            return (
                f"bubblewrap failed its smoke test ({detail or f'exit status {done.returncode}'}); are user "
                "namespaces disabled (sysctl kernel.unprivileged_userns_clone, user.max_user_namespaces)?"
            )
    return None


def site_packages() -> Path:
    """The folder of this Python's pure-Python packages."""
    return Path(sysconfig.get_paths()["purelib"])
