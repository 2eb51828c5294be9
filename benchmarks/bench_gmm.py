"""EM speed, side by side: mle_lib.GaussianMixture against sklearn.mixture.GaussianMixture.

Both estimators start from the same parameters (weights, means and covariances given; scikit-learn
gets ``precisions_init`` computed from the covariances), run ``tol=0`` with one BLAS thread, and are
timed per EM iteration as (fit of n iterations − fit of 1 iteration from the same start) / (n − 1),
so that setup and validation, heavier in scikit-learn, do not flatter the ratio.  Times are the
process's CPU time (``time.process_time``): both fits are single-threaded, so on an idle machine this
equals the wall-clock time, and on a shared 2-core machine it leaves out the time spent waiting for
a core.

Every row has two columns of ratios ours/sklearn:

* **fixed start** — the chosen start of each row (best of 3 timings, the libraries alternating);
* **worst start** — the largest ratio over ``2 × seeds`` random starts (default 10): K distinct
  random data points as means, equal weights, and the data's covariance + 1e-6·I or + 0.1·I (the
  near-singular and the broad start) as every component's covariance, one timing each.

A row PASSes when both ratios meet its target **and** every fit's final mean log-likelihood agrees
with scikit-learn's to 1e-9.  The exit status is 1 if any row fails.

Usage::

    python benchmarks/bench_gmm.py            # the full benchmark (targets enforced)
    python benchmarks/bench_gmm.py --quick    # small smoke run: only the 1e-9 agreement is enforced
"""

from __future__ import annotations

import argparse
import functools
import platform
import sys
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import scipy
import sklearn
from numpy.typing import ArrayLike
from sklearn.datasets import load_digits
from sklearn.exceptions import ConvergenceWarning
from sklearn.mixture import GaussianMixture as SkGaussianMixture
from threadpoolctl import threadpool_limits

import mle_lib
from mle_lib import GaussianMixture

LL_TOL = 1e-9
RIDGES = (1e-6, 0.1)


@dataclass(frozen=True)
class Case:
    """One benchmark row: data, model, target ratio, the fixed start and the iterations per start."""

    name: str
    X: np.ndarray
    K: int
    ct: str
    target: float
    start: tuple[ArrayLike, ArrayLike, ArrayLike]  # (weights, means, covariances)
    iters: int  # iterations per fit (the per-iteration time uses this and a 1-iteration fit)


def _precisions(cov: np.ndarray, covariance_type: str) -> np.ndarray:
    """Σ⁻¹ in scikit-learn's shape for ``covariance_type``."""
    if covariance_type in ("full", "tied"):
        return np.linalg.inv(cov)
    return 1.0 / cov


def _shaped(cov: np.ndarray, K: int, covariance_type: str) -> np.ndarray:
    """One (D, D) covariance as every component's, in scikit-learn's shape for ``covariance_type``."""
    if covariance_type == "full":
        return np.array([cov] * K)
    if covariance_type == "tied":
        return cov
    if covariance_type == "diag":
        return np.array([np.diag(cov)] * K)
    return np.full(K, float(np.diag(cov).mean()))


def random_start(case: Case, seed: int, ridge: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """K distinct random data points as means, equal weights, data covariance + ridge·I."""
    X, K = case.X, case.K
    rng = np.random.default_rng(seed)
    means = X[rng.choice(X.shape[0], K, replace=False)].astype(float)
    cov = np.atleast_2d(np.cov(X, rowvar=False)) + ridge * np.eye(X.shape[1])
    return np.full(K, 1.0 / K), means, _shaped(cov, K, case.ct)


def _cases(quick: bool) -> list[Case]:
    rng = np.random.default_rng(20240917)
    n1 = 100_000 if quick else 1_000_000
    x1 = np.concatenate([rng.normal(-2.0, 1.0, n1 // 2), rng.normal(3.0, 1.5, n1 - n1 // 2)])[:, None]
    n2 = 20_000 if quick else 200_000
    third = n2 // 3
    x2 = np.concatenate(
        [
            rng.multivariate_normal([0.0, 0.0], [[1.0, 0.3], [0.3, 1.0]], third),
            rng.multivariate_normal([4.0, 4.0], [[1.0, -0.5], [-0.5, 2.0]], third),
            rng.multivariate_normal([0.0, 5.0], [[0.5, 0.0], [0.0, 0.5]], n2 - 2 * third),
        ]
    )
    digits = load_digits().data
    idx = rng.choice(digits.shape[0], 10, replace=False)
    cov = np.cov(digits, rowvar=False) + 0.1 * np.eye(64)
    it_big, it_digits = (5, 20) if quick else (21, 100)
    cases = [
        Case(f"1-D, N={n1:.0e}, K=2", x1, 2, "full", 0.10, ([0.5, 0.5], [[-1.0], [1.0]], [[[1.0]], [[1.0]]]), it_big),
        Case(
            f"2-D, N={n2:.0e}, K=3, full",
            x2,
            3,
            "full",
            0.10,
            (np.full(3, 1 / 3), [[0.5, 0.5], [3.0, 3.0], [0.5, 4.0]], np.array([np.eye(2)] * 3)),
            it_big,
        ),
    ]
    for ct, target in (("full", 0.55), ("diag", 0.50), ("tied", 0.55)):
        start = (np.full(10, 0.1), digits[idx].astype(float), _shaped(cov, 10, ct))
        cases.append(Case(f"digits D=64, K=10, {ct}", digits, 10, ct, target, start, it_digits))
    return cases


def _time_fit(make: Callable[[], object], X: np.ndarray) -> tuple[float, object]:
    est = make()
    t0 = time.process_time()
    est.fit(X)  # type: ignore[attr-defined]
    return time.process_time() - t0, est


def compare(case: Case, start: tuple[ArrayLike, ArrayLike, ArrayLike], repeats: int) -> tuple[float, float, float]:
    """(ours ms/it, sklearn ms/it, |Δ mean log-likelihood|) from ``start``, best of ``repeats``."""
    w, m, c = (np.asarray(a, dtype=float) for a in start)
    ours = functools.partial(
        GaussianMixture, case.K, covariance_type=case.ct, tol=0.0, weights_init=w, means_init=m, covariances_init=c
    )
    theirs = functools.partial(
        SkGaussianMixture,
        case.K,
        covariance_type=case.ct,
        tol=0.0,
        weights_init=w,
        means_init=m,
        precisions_init=_precisions(c, case.ct),
    )
    per_it: dict[str, list[float]] = {"ours": [], "sklearn": []}
    last: dict[str, object] = {}
    for _ in range(repeats):
        for side, make in (("ours", ours), ("sklearn", theirs)):
            t_n, est = _time_fit(functools.partial(make, max_iter=case.iters), case.X)
            t_1, _ = _time_fit(functools.partial(make, max_iter=1), case.X)
            per_it[side].append((t_n - t_1) / (case.iters - 1))
            last[side] = est
    est_o, est_s = last["ours"], last["sklearn"]
    dll = abs(est_o.score(case.X) - est_s.score(case.X))  # type: ignore[attr-defined]
    if not est_o.n_iter_ == est_s.n_iter_ == case.iters:  # type: ignore[attr-defined]
        dll = np.inf
    return min(per_it["ours"]) * 1e3, min(per_it["sklearn"]) * 1e3, dll


def run(quick: bool = False, repeats: int = 3, seeds: int = 5) -> int:
    """Print the table; 1 if a row fails."""
    if quick:
        repeats, seeds = 1, 1
    print(
        f"mle_lib {mle_lib.__version__} | numpy {np.__version__} | scipy {scipy.__version__} | "
        f"scikit-learn {sklearn.__version__} | Python {platform.python_version()} | tol=0, 1 BLAS thread, CPU time "
        f"per iteration | fixed start best of {repeats} | worst of {2 * seeds} random starts"
        f"{' | QUICK smoke run' if quick else ''}"
    )
    header = (
        f"{'case':26s} {'ours ms/it':>10s} {'sk ms/it':>9s} {'fixed':>6s} {'worst':>6s} {'(start)':>15s} "
        f"{'target':>6s} {'max|Δ loglik|':>13s} {'result':>6s}"
    )
    print(header)
    print("-" * len(header))
    failed = False
    with threadpool_limits(1), warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        for case in _cases(quick):
            a, b, dll = compare(case, case.start, repeats)
            worst, worst_at = 0.0, ""
            for seed in range(seeds):
                for ridge in RIDGES:
                    ra, rb, rd = compare(case, random_start(case, seed, ridge), 1)
                    dll = max(dll, rd)
                    if ra / rb > worst:
                        worst, worst_at = ra / rb, f"seed {seed}, +{ridge:g}I"
            ok = dll <= LL_TOL and (quick or max(a / b, worst) <= case.target)
            failed |= not ok
            target = f"≤{case.target:.2f}" if not quick else "smoke"
            print(
                f"{case.name:26s} {a:10.3f} {b:9.3f} {a / b:6.3f} {worst:6.3f} {worst_at:>15s} {target:>6s} "
                f"{dll:13.2e} {'PASS' if ok else 'FAIL':>6s}",
                flush=True,
            )
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    """Command line: ``--quick``, ``--repeats``, ``--seeds``."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small smoke run (speed targets not enforced)")
    parser.add_argument("--repeats", type=int, default=3, help="timings of the fixed start; the best is kept")
    parser.add_argument("--seeds", type=int, default=5, help="random seeds; each gives two starts (two ridges)")
    args = parser.parse_args(argv)
    return run(quick=args.quick, repeats=args.repeats, seeds=args.seeds)


if __name__ == "__main__":
    sys.exit(main())
