"""environment.yml (conda/Binder) must mirror pyproject.toml, constraints.txt must satisfy both, and the runtime
ranges must be honest: a lower bound with its reason, no upper bound without a known break (issue 19)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]


def optional_groups() -> list[str]:
    """The names of pyproject's optional-dependency groups (extras), e.g. ``["lint", "test"]``."""
    return sorted(tomllib.loads((ROOT / "pyproject.toml").read_text())["project"].get("optional-dependencies", {}))


def extras_of(line: str) -> set[str]:
    """The extras an install line such as ``-e .[test,lint]`` asks for (empty if none)."""
    match = re.search(r"\[([A-Za-z0-9_,\s-]*)\]", line)
    return {name.strip() for name in match.group(1).split(",") if name.strip()} if match else set()


def pyproject_requirements() -> dict[str, SpecifierSet]:
    """Every requirement of pyproject.toml: the core dependencies and every optional group."""
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    reqs = list(meta["dependencies"])
    for extra in meta.get("optional-dependencies", {}).values():
        reqs.extend(extra)
    out: dict[str, SpecifierSet] = {}
    for text in reqs:
        req = Requirement(text)
        name = canonicalize_name(req.name)
        assert name not in out, f"{name} is listed twice in pyproject.toml"
        out[name] = req.specifier
    return out


def environment_yml(text: str | None = None) -> tuple[dict[str, SpecifierSet], str, list[str]]:
    if text is None:
        text = (ROOT / "environment.yml").read_text()
    env = yaml.safe_load(text)
    conda: dict[str, SpecifierSet] = {}
    python = ""
    pip_lines: list[str] = []
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            pip_lines.extend(dep.get("pip", []))
            continue
        match = re.fullmatch(r"([A-Za-z0-9_.\-]+)\s*(.*)", dep.strip())
        assert match, f"cannot parse environment.yml dependency {dep!r}"
        name, spec = match.groups()
        if name == "python":
            python = spec.lstrip("=")
        elif name != "pip":
            conda[canonicalize_name(name)] = SpecifierSet(spec)
    return conda, python, pip_lines


def constraints() -> dict[str, Version]:
    pins: dict[str, Version] = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        name, _, version = line.partition("==")
        assert version, f"constraints.txt line {line!r} is not an exact pin"
        pins[canonicalize_name(name)] = Version(version)
    return pins


def test_environment_yml_names_the_same_packages_as_pyproject():
    conda, _, _ = environment_yml()
    pip = pyproject_requirements()
    assert sorted(conda) == sorted(pip), (
        f"only in environment.yml: {sorted(set(conda) - set(pip))}; "
        f"only in pyproject.toml: {sorted(set(pip) - set(conda))}"
    )


@pytest.mark.parametrize("name", sorted(pyproject_requirements()))
def test_environment_yml_and_pyproject_agree_on_versions(name):
    conda, _, _ = environment_yml()
    assert conda[name] == pyproject_requirements()[name], (
        f"{name}: environment.yml says {conda[name]!s}, pyproject.toml says {pyproject_requirements()[name]!s}"
    )


def test_environment_yml_python_matches_requires_python():
    _, python, _ = environment_yml()
    requires = SpecifierSet(tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"])
    assert python and Version(python) in requires


def test_environment_yml_installs_the_project_itself_editable():
    _, _, pip_lines = environment_yml()
    assert any(line.replace(" ", "").startswith("-e.") for line in pip_lines), pip_lines


def test_environment_yml_installs_every_optional_group():
    """The conda environment can run `make test` and `make lint`: its `-e .[…]` line names every extra."""
    _, _, pip_lines = environment_yml()
    editable = [line for line in pip_lines if line.replace(" ", "").startswith("-e.")]
    assert editable and extras_of(editable[0]) == set(optional_groups()), (
        f"environment.yml installs {editable}; pyproject's optional groups are {optional_groups()}"
    )


def test_makefile_installs_every_optional_group():
    """`make` installs (and `make lock` pins) every extra, so `make lint` finds ruff and mypy in .venv.

    EXTRAS is what every `.venv` gets; ALL_EXTRAS adds the browser test's group (Playwright, 165 MB),
    which only `make test-browser` installs. `make lock` pins ALL_EXTRAS, so nothing goes unpinned.
    """
    makefile = (ROOT / "Makefile").read_text()
    match = re.search(r"^EXTRAS\s*:?=\s*(\S+)\s*$", makefile, re.M)
    assert match, "the Makefile defines no EXTRAS"
    everyday = extras_of(f"[{match.group(1)}]")
    assert {"lab", "test", "lint"} <= everyday, everyday
    match = re.search(r"^ALL_EXTRAS\s*:?=\s*\$\(EXTRAS\),(\S+)\s*$", makefile, re.M)
    assert match, "the Makefile defines no ALL_EXTRAS := $(EXTRAS),…"
    assert everyday | extras_of(f"[{match.group(1)}]") == set(optional_groups())
    installs = re.findall(r"pip install .*-e '\.\[([^]]*)\]'", makefile)
    assert installs and set(installs) <= {"$(EXTRAS)", "$(ALL_EXTRAS)"}, installs
    lock = re.search(r"^lock:.*\n((?:\t.*\n)+)", makefile, re.M)
    assert lock and "-e '.[$(ALL_EXTRAS)]'" in lock.group(1), "make lock must pin every group"


def test_lint_group_has_what_make_lint_runs():
    """`make lint` calls ruff and mypy; mypy needs scipy-stubs for scipy's types."""
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    names = {canonicalize_name(Requirement(text).name) for text in meta["optional-dependencies"]["lint"]}
    assert {"ruff", "mypy", "scipy-stubs"} <= names, names


@pytest.mark.parametrize("name", sorted(pyproject_requirements()))
def test_constraints_pin_a_version_pyproject_allows(name):
    pins = constraints()
    assert name in pins, f"{name} is not pinned in constraints.txt (run 'make lock')"
    assert pins[name] in pyproject_requirements()[name], (
        f"constraints.txt pins {name}=={pins[name]}, outside pyproject's {pyproject_requirements()[name]!s}"
    )


def test_the_checker_notices_a_disagreement():
    """The comparison above is not vacuous: a changed range or a missing package is reported."""
    text = (ROOT / "environment.yml").read_text()
    numpy_line = f"  - numpy{pyproject_requirements()['numpy']}\n"
    scipy_line = f"  - scipy{pyproject_requirements()['scipy']}\n"
    assert numpy_line in text and scipy_line in text, "the lines this test edits are not where it expects them"
    changed, _, _ = environment_yml(text.replace(numpy_line, "  - numpy>=1.26\n"))
    assert changed["numpy"] != pyproject_requirements()["numpy"]
    missing, _, _ = environment_yml(text.replace(scipy_line, ""))
    assert sorted(missing) != sorted(pyproject_requirements())
    no_linter = re.sub(r"  - ruff[^\n]*\n", "", text)
    assert "ruff" not in environment_yml(no_linter)[0], "an optional group's package can go missing unnoticed"
    assert extras_of("-e .[test]") != set(optional_groups()), "a missing extra in the install line is noticed"


#: What a course's user installs: the runtime dependencies and the `lab` group (JupyterLab, ipykernel).
USER_GROUPS = ("dependencies", "lab")


def user_requirements() -> list[str]:
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return [*meta["dependencies"], *meta["optional-dependencies"]["lab"]]


def runtime_dependency_lines() -> list[tuple[str, str]]:
    """(requirement, the comment lines just above it) for each entry of pyproject's ``dependencies = [...]``
    and ``lab = [...]``."""
    text = (ROOT / "pyproject.toml").read_text()
    out: list[tuple[str, str]] = []
    for group in USER_GROUPS:
        block = re.search(rf"^{group} = \[\n(.*?)^\]", text, re.M | re.S)
        assert block, f"pyproject.toml has no {group} = [ ... ] block"
        comment: list[str] = []
        for line in block.group(1).splitlines():
            line = line.strip()
            if line.startswith("#"):
                comment.append(line)
            elif line:
                out.append((line.rstrip(",").strip('"'), " ".join(comment)))
                comment = []
    return out


#: Runtime dependencies allowed an upper bound, each with the break it guards against (none known today).
KNOWN_BREAKS: dict[str, str] = {}


def test_every_runtime_bound_says_what_sets_it():
    """Each runtime requirement has a lower bound and a comment above it that names that version."""
    lines = runtime_dependency_lines()
    assert sorted(canonicalize_name(Requirement(r).name) for r, _ in lines) == sorted(
        canonicalize_name(Requirement(r).name) for r in user_requirements()
    )
    for requirement, comment in lines:
        req = Requirement(requirement)
        lower = [s.version for s in req.specifier if s.operator == ">="]
        assert lower, f"{req.name} has no lower bound"
        release = ".".join(lower[0].split(".")[:2])  # "3.8.4" is named as "3.8" or "3.8.4"
        assert comment and release in comment, f"{req.name}: no comment above it names the version {lower[0]}"


def test_no_runtime_upper_bound_without_a_known_break():
    """An upper bound moves a hub's or Colab's newer packages back (TEACHING.md): only for a known break."""
    for requirement, _ in runtime_dependency_lines():
        req = Requirement(requirement)
        capped = [str(s) for s in req.specifier if s.operator in ("<", "<=", "==", "~=", "===")]
        assert not capped or canonicalize_name(req.name) in KNOWN_BREAKS, f"{req.name} is capped: {capped}"


def test_the_release_environment_has_the_same_runtime_ranges():
    """The student release's environment.yml (tools/make_release.py) names pyproject's runtime and lab ranges."""
    import make_release

    conda, python, pip_lines = environment_yml(make_release.environment_yml())
    wanted = {canonicalize_name(Requirement(r).name): Requirement(r).specifier for r in user_requirements()}
    assert conda == wanted and python and pip_lines == ["-e ."]


def test_ci_runs_the_compat_check_at_the_lowest_versions():
    """.ci/run calls `make test-compat`, which resolves the lowest versions and runs the notebooks there."""
    ci = [line.strip() for line in (ROOT / ".ci" / "run").read_text().splitlines()]
    assert "make test-compat" in ci, ci
    recipe = re.search(r"^test-compat:.*\n((?:\t.*\n)+)", (ROOT / "Makefile").read_text(), re.M)
    assert recipe, "the Makefile has no test-compat target"
    body = recipe.group(1)
    for part in ("--resolution lowest-direct", "tools/compat_versions.py", "--nbval-lax", "notebooks"):
        assert part in body, f"make test-compat does not use {part}"


def test_ci_runs_the_tests_and_the_linters():
    """.ci/run calls `make test` then `make lint`; `make lint` runs ruff (lint and format) and mypy."""
    ci = [line.strip() for line in (ROOT / ".ci" / "run").read_text().splitlines()]
    assert "make test" in ci and "make lint" in ci and ci.index("make test") < ci.index("make lint"), ci
    makefile = (ROOT / "Makefile").read_text()
    recipe = re.search(r"^lint:.*\n((?:\t.*\n)+)", makefile, re.M)
    assert recipe, "the Makefile has no lint target"
    body = recipe.group(1)
    for command in ("ruff check", "ruff format --check", "mypy"):
        assert command in body, f"make lint does not run {command}"
