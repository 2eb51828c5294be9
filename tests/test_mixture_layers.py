"""The Gaussian-mixture code's structure: one unit per covariance type, layers that only go down.

The covariance type is looked up once, in one mapping that refuses an unknown type; no other module
tests a type's name.  The lecture functions (:mod:`mle_lib.mixture`) and the estimator
(:mod:`mle_lib.gaussian_mixture`) stand side by side: neither imports the other, and the modules below
them import neither.
"""

from __future__ import annotations

import ast
from pathlib import Path

import numpy as np
import pytest

from mle_lib._covariance_types import COVARIANCE_TYPES, UNITS, CovarianceType, covariance_unit

LIB = Path(__file__).parents[1] / "mle_lib"
TYPES = {"full", "tied", "diag", "spherical"}
TOP = {"mixture", "gaussian_mixture"}
BELOW = ["_mixture_params", "_mixture_numerics", "_covariance_types", "_em_sweeps", "_covariance"]


def _names_a_type(node: ast.AST) -> bool:
    if isinstance(node, ast.Constant):
        return node.value in TYPES
    return isinstance(node, (ast.Tuple, ast.List, ast.Set)) and any(_names_a_type(e) for e in node.elts)


def _is_type_branch(node: ast.AST) -> bool:
    """A comparison with a type's name, or a dict literal keyed by type names that is indexed."""
    if isinstance(node, ast.Compare):
        return any(_names_a_type(n) for n in [node.left, *node.comparators])
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Dict):
        return any(k is not None and _names_a_type(k) for k in node.value.keys)
    return False


def _type_branches(path: Path) -> list[int]:
    """The lines of ``path`` that branch on a covariance type's name."""
    return [node.lineno for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))) if _is_type_branch(node)]


def _imports(path: Path) -> set[str]:
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            out.update([node.module] if node.module else [a.name for a in node.names])
    return out


@pytest.mark.parametrize("module", sorted(TOP) + BELOW)
def test_no_module_of_the_mixture_branches_on_the_covariance_type(module):
    assert _type_branches(LIB / f"{module}.py") == []


def test_the_branch_detector_sees_a_ladder(tmp_path):
    """Negative control: a forgotten ladder with a silent else is what the test above catches."""
    p = tmp_path / "ladder.py"
    p.write_text('def f(ct):\n    if ct == "full":\n        return 1\n    return 2\n', encoding="utf-8")
    assert _type_branches(p) == [2]


def test_the_lecture_functions_and_the_estimator_stand_side_by_side():
    assert "mixture" not in _imports(LIB / "gaussian_mixture.py")
    assert "gaussian_mixture" not in _imports(LIB / "mixture.py")
    for module in BELOW:
        assert not (_imports(LIB / f"{module}.py") & TOP), module


def test_one_unit_per_type_and_an_unknown_type_raises():
    assert tuple(UNITS) == COVARIANCE_TYPES == ("full", "tied", "diag", "spherical")
    for name, unit in UNITS.items():
        assert isinstance(unit, CovarianceType) and unit.name == name and covariance_unit(name) is unit
    for bad in ("Full", "sphere", None, 3):
        with pytest.raises(ValueError, match="covariance_type must be one of"):
            covariance_unit(bad)


@pytest.mark.parametrize("name", COVARIANCE_TYPES)
def test_each_unit_agrees_with_itself_on_shapes_counts_and_the_full_form(name):
    """shape, as_full, n_parameters and precisions of one unit describe the same covariances."""
    unit, K, D = UNITS[name], 3, 4
    rng = np.random.default_rng(0)
    A = rng.standard_normal((K, D, D))
    full = A @ np.swapaxes(A, 1, 2) + D * np.eye(D)
    cov = {
        "full": full,
        "tied": full[0],
        "diag": np.diagonal(full, axis1=1, axis2=2).copy(),
        "spherical": np.diagonal(full, axis1=1, axis2=2).mean(axis=1),
    }[name]
    assert cov.shape == unit.shape(K, D)
    as_full = unit.as_full(cov, K, D)
    assert as_full.shape == (K, D, D)
    f = unit.factorise(cov, K, D, "cov")
    np.testing.assert_allclose(f.log_det, np.linalg.slogdet(as_full)[1], rtol=1e-12)
    prec = unit.as_full(unit.precisions(f), K, D)
    np.testing.assert_allclose(prec @ as_full, np.broadcast_to(np.eye(D), (K, D, D)), atol=1e-12)
    free = {"full": K * D * (D + 1) // 2, "tied": D * (D + 1) // 2, "diag": K * D, "spherical": K}[name]
    assert unit.n_parameters(K, D) == free
