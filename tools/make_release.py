#!/usr/bin/env python3
"""Make the student release (``make release``): what a student needs to do the homework, and nothing more.

    make release                       the release in build/release/
    make release BRANCH=student        the same, also committed as the tip of branch ``student`` of this
                                       repository (for nbgitpuller and Binder links; see TEACHING.md)

The release holds the student edition (``student/``, made afresh from ``notebooks/`` as ``make student``
makes it), the library ``mle_lib/`` with its data, the packaging (``pyproject.toml``, ``constraints.txt``,
an ``environment.yml`` for Binder that installs the library alone), ``HOMEWORK.md``, ``ERRATA.md``, ``NOTATION.md``,
``LICENSE``, and a README and a Makefile of its own (``tools/release_template/``: ``make lab`` opens
``student/``). It holds no ``notebooks/`` (the solutions),
no tests (which spell out answers), no tools, and no build of the site or the decks. ``tests/test_leaks.py``
builds it and checks that no answer is in it.

A branch is written without touching the work tree or the index: the folder's files become a tree
(``git hash-object``, ``git mktree``), a commit whose parent is the branch's previous tip, and the branch's
new tip.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
from pathlib import Path

import make_student

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "build" / "release"
TEMPLATE = Path(__file__).resolve().parent / "release_template"
#: Files and folders of the repository copied as they are (tracked files only).
COPIED = ("mle_lib", "pyproject.toml", "constraints.txt", "HOMEWORK.md", "ERRATA.md", "NOTATION.md", "LICENSE")
GITIGNORE = ".venv/\n__pycache__/\n*.egg-info/\n.ipynb_checkpoints/\n"


def tracked(paths: tuple[str, ...]) -> list[Path]:
    """The files git tracks under ``paths``."""
    listed = subprocess.run(["git", "ls-files", "-z", "--", *paths], cwd=ROOT, check=True, capture_output=True)
    return [Path(p) for p in listed.stdout.decode().split("\0") if p and (ROOT / p).is_file()]


def environment_yml() -> str:
    """The repository's environment.yml with the runtime packages and the ``lab`` group, installing the library alone.

    JupyterLab and ipykernel at pyproject.toml's ranges; no test, lint, browser or site group: a student's Binder
    image needs none of them.
    """
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    runtime = [*project["dependencies"], *project["optional-dependencies"]["lab"]]
    lines = [
        "# conda / Binder environment of the student release (made by make release from pyproject.toml).",
        "name: mle-em-course",
        "channels:",
        "  - conda-forge",
        "dependencies:",
        "  - python=3.11",
        "  - pip",
        *(f"  - {dep}" for dep in runtime),
        "  - pip:",
        "      - -e .",
    ]
    return "\n".join(lines) + "\n"


def chapter_rows() -> str:
    """The release README's list of chapters, each linked to its student edition."""
    rows = []
    for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        title = path.stem
        text = path.read_text(encoding="utf-8")
        m = re.search(r'"# (\d+ · [^"\\]+)', text)
        if m:
            title = m.group(1).strip()
        rows.append(f"- [{title}](student/{path.name})")
    return "\n".join(rows)


def build(out: Path = OUT, course_key: str | None = None) -> list[Path]:
    """Write the release into ``out`` (emptied first); return the files written, relative to ``out``.

    ``course_key``: the term's key of the students' variants, written to ``course_key.txt`` in the release's
    ``mle_lib/homework/`` (``MLE_COURSE_KEY`` still overrides it); without one the release's variants use the
    key "demo".
    """
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    written: list[Path] = []
    for rel in tracked(COPIED):
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / rel, out / rel)
        written.append(rel)
    for path, text in make_student.build().items():
        rel = Path("student") / path.name
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_text(text, encoding="utf-8")
        written.append(rel)
    if course_key:
        from mle_lib.homework.variants import KEY_FILE, _clean

        rel = KEY_FILE.relative_to(ROOT)
        (out / rel).write_text(_clean(course_key, "COURSE_KEY") + "\n", encoding="utf-8")
        written.append(rel)
    readme = (TEMPLATE / "README.md").read_text(encoding="utf-8").replace("{chapters}", chapter_rows())
    (out / "README.md").write_text(readme, encoding="utf-8")
    shutil.copy2(TEMPLATE / "Makefile", out / "Makefile")
    (out / ".gitignore").write_text(GITIGNORE, encoding="utf-8")
    (out / "environment.yml").write_text(environment_yml(), encoding="utf-8")
    written += [Path("README.md"), Path("Makefile"), Path(".gitignore"), Path("environment.yml")]
    return sorted(written)


def _git(*args: str, stdin: str | None = None) -> str:
    done = subprocess.run(["git", *args], cwd=ROOT, check=True, capture_output=True, text=True, input=stdin)
    return done.stdout.strip()


def _tree(folder: Path) -> str:
    """A git tree of ``folder``'s files (nothing staged, the work tree untouched)."""
    entries = []
    for child in sorted(folder.iterdir()):
        if child.is_dir():
            entries.append(f"040000 tree {_tree(child)}\t{child.name}")
        else:
            blob = _git("hash-object", "-w", str(child))
            mode = "100755" if child.stat().st_mode & 0o111 else "100644"
            entries.append(f"{mode} blob {blob}\t{child.name}")
    return _git("mktree", stdin="\n".join(entries) + "\n")


def commit_to_branch(out: Path, branch: str) -> str:
    """Commit the release folder as the new tip of ``branch``; return the commit's id."""
    if not re.fullmatch(r"[A-Za-z0-9._/-]+", branch) or branch in ("main", "master"):
        raise SystemExit(f"make_release.py: BRANCH must be a branch name other than main; got {branch!r}")
    tree = _tree(out)
    source = _git("rev-parse", "--short", "HEAD")
    parent = subprocess.run(
        ["git", "rev-parse", "--verify", "--quiet", f"refs/heads/{branch}"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    args = ["commit-tree", tree, "-m", f"Student release made by make release from {source}"]
    if parent:
        args += ["-p", parent]
    commit = _git(*args)
    _git("update-ref", f"refs/heads/{branch}", commit)
    return commit


def main(argv: list[str] | None = None) -> int:
    """Build the release (and commit it to ``--branch`` if given); the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=OUT, help="output folder (default: build/release)")
    parser.add_argument("--branch", help="also commit the release as the tip of this branch")
    parser.add_argument(
        "--course-key", help="the term's course key of the students' variants (mle_lib/homework/variants.py)"
    )
    args = parser.parse_args(argv)
    written = build(args.out, course_key=args.course_key)
    size = sum((args.out / p).stat().st_size for p in written)
    print(f"make release: {len(written)} files, {size / 1e6:.1f} MB in {args.out}")
    if args.branch:
        commit = commit_to_branch(args.out, args.branch)
        print(f"make release: branch {args.branch} is now {commit[:10]} (push it: git push origin {args.branch})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
