#!/usr/bin/env python3
"""Print the versions `make test-compat` installed, and check that they are the lower bounds (issue 19).

Run with the compatibility environment's Python (build/compat-venv). For every runtime dependency of
pyproject.toml, and each of its ``lab`` group (JupyterLab, ipykernel), it prints the range and the installed
version, and fails unless the installed version is the range's lower bound: uv's ``--resolution
lowest-direct`` takes the oldest release it can install, so an installed version above the bound means the
bound names a release nobody can install with the rest (yanked, or declaring an older NumPy), and the bound
should say the version that is tested. The test group's versions are printed too, and JupyterLab is asked
whether it loads the widget manager.

    build/compat-venv/bin/python tools/compat_versions.py
"""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from packaging.requirements import Requirement
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]
WIDGET_MANAGER = "@jupyter-widgets/jupyterlab-manager"


def lower_bound(req: Requirement) -> Version | None:
    """The version a ``>=`` (or ``==``) clause of the requirement names, or None if it has none."""
    bounds = [Version(s.version) for s in req.specifier if s.operator in (">=", "==")]
    return max(bounds) if bounds else None


def installed(name: str) -> Version | None:
    """The installed version of distribution ``name`` (None if it is not installed)."""
    try:
        return Version(version(name))
    except PackageNotFoundError:
        return None


def check_runtime(requirements: list[str]) -> list[str]:
    """Print one line per runtime requirement; return the problems (not installed, or not at the bound)."""
    problems = []
    for text in requirements:
        req = Requirement(text)
        have, low = installed(req.name), lower_bound(req)
        print(f"  {req.name:<14} {have!s:<10} (pyproject: {req.specifier})")
        if have is None:
            problems.append(f"{req.name} is not installed")
        elif low is None:
            problems.append(f"{req.name} has no lower bound in pyproject.toml")
        elif have != low:
            problems.append(
                f"{req.name}: {have} installed, but pyproject.toml's lower bound is {low}; the resolver could not "
                f"use {low} (yanked, or no release there that fits the other bounds): raise the bound to {have}"
            )
    return problems


def check_widget_manager() -> str | None:
    """JupyterLab's extension list must show the ipywidgets manager enabled and OK."""
    done = subprocess.run(
        [sys.executable, "-m", "jupyter", "labextension", "list"], capture_output=True, text=True, check=False
    )
    listing = re.sub(r"\x1b\[[0-9;]*m", "", done.stdout + done.stderr)
    line = next((ln for ln in listing.splitlines() if WIDGET_MANAGER in ln), "")
    print(f"  JupyterLab's widget manager: {line.strip() or 'not listed'}")
    return None if "enabled" in line and "OK" in line else f"JupyterLab does not load {WIDGET_MANAGER}:\n{listing}"


def main() -> int:
    """Print the installed versions and check them against the lower bounds; exit status 1 on a problem."""
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    print(f"make test-compat: Python {sys.version.split()[0]} ({sys.executable}); runtime dependencies:")
    problems = check_runtime(meta["dependencies"])
    print("  the lab group (make lab):")
    problems += check_runtime(meta["optional-dependencies"]["lab"])
    print(
        "  test tools: "
        + ", ".join(
            f"{Requirement(t).name} {installed(Requirement(t).name)}" for t in meta["optional-dependencies"]["test"]
        )
    )
    print("  also: " + ", ".join(f"{n} {installed(n)}" for n in ("ipython", "jupyterlab-widgets", "comm", "contourpy")))
    widget_problem = check_widget_manager()
    problems += [widget_problem] if widget_problem else []
    for problem in problems:
        print(f"make test-compat: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
