"""EM speed, side by side: mle_lib.GaussianMixture against sklearn.mixture.GaussianMixture.

Both estimators start from the same parameters (weights, means and covariances given; scikit-learn
gets ``precisions_init`` computed from the covariances), run ``tol=0`` for exactly 100 iterations
with one BLAS thread, and each case keeps the best of 3 timings (the two libraries alternate, so
they share the machine's conditions).  Times are the process's CPU time (``time.process_time``):
both fits are single-threaded, so on an idle machine this equals the wall-clock time, and on a
shared 2-core machine it leaves out the time spent waiting for a core.  A row PASSes when the time
ratio ours/sklearn meets its target **and** the final mean log-likelihoods agree to 1e-9.  The exit
status is 1 if any row fails.

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

import numpy as np
import scipy
import sklearn
from sklearn.datasets import load_digits
from sklearn.exceptions import ConvergenceWarning
from sklearn.mixture import GaussianMixture as SkGaussianMixture
from threadpoolctl import threadpool_limits

import mle_lib
from mle_lib import GaussianMixture

LL_TOL = 1e-9


def _precisions(cov: np.ndarray, covariance_type: str) -> np.ndarray:
    if covariance_type in ("full", "tied"):
        return np.linalg.inv(cov)
    return 1.0 / cov


def _cases(quick: bool) -> list[dict]:
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
    # A near-singular start: the data covariance plus a tiny ridge (the digits have constant
    # pixels, so this covariance is singular up to the ridge), reg_covar = 1e-6 as always.
    cov_ns = np.cov(digits, rowvar=False) + 1e-6 * np.eye(64)
    return [
        dict(
            name=f"1-D, N={n1:.0e}, K=2",
            X=x1,
            K=2,
            ct="full",
            target=0.10,
            w=np.array([0.5, 0.5]),
            m=np.array([[-1.0], [1.0]]),
            c=np.array([[[1.0]], [[1.0]]]),
        ),
        dict(
            name=f"2-D, N={n2:.0e}, K=3, full",
            X=x2,
            K=3,
            ct="full",
            target=0.10,
            w=np.full(3, 1 / 3),
            m=np.array([[0.5, 0.5], [3.0, 3.0], [0.5, 4.0]]),
            c=np.array([np.eye(2)] * 3),
        ),
        *(
            dict(name=name, X=digits, K=10, ct=ct, target=target, w=np.full(10, 0.1), m=digits[idx].astype(float), c=c)
            for name, ct, target, c in (
                ("digits D=64, K=10, full", "full", 0.55, np.array([cov] * 10)),
                ("digits D=64, K=10, diag", "diag", 0.50, np.array([np.diag(cov)] * 10)),
                ("digits near-singular, full", "full", 0.55, np.array([cov_ns] * 10)),
                ("digits near-singular, diag", "diag", 0.50, np.array([np.diag(cov_ns)] * 10)),
                ("digits near-singular, tied", "tied", 0.55, cov_ns),
            )
        ),
    ]


def _time_fit(make, X) -> tuple[float, object]:
    est = make()
    t0 = time.process_time()
    est.fit(X)
    return time.process_time() - t0, est


def run(quick: bool = False, repeats: int = 3, iters: int = 100) -> int:
    if quick:
        iters, repeats = 20, 1
    print(
        f"mle_lib {mle_lib.__version__} | numpy {np.__version__} | scipy {scipy.__version__} | "
        f"scikit-learn {sklearn.__version__} | Python {platform.python_version()} | "
        f"{iters} iterations, tol=0, best of {repeats}, 1 BLAS thread, CPU time{' | QUICK smoke run' if quick else ''}"
    )
    header = (
        f"{'case':28s} {'ours ms/it':>11s} {'sklearn ms/it':>14s} {'ratio':>7s} {'target':>7s} "
        f"{'|Δ mean loglik|':>16s} {'result':>7s}"
    )
    print(header)
    print("-" * len(header))
    failed = False
    with threadpool_limits(1), warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        for case in _cases(quick):
            X, K, ct = case["X"], case["K"], case["ct"]
            w, m, c = case["w"], case["m"], case["c"]

            # Construction is not timed (see _time_fit); partial binds this case's values, not the loop's.
            ours = functools.partial(
                GaussianMixture,
                K,
                covariance_type=ct,
                tol=0.0,
                max_iter=iters,
                weights_init=w,
                means_init=m,
                covariances_init=c,
            )
            theirs = functools.partial(
                SkGaussianMixture,
                K,
                covariance_type=ct,
                tol=0.0,
                max_iter=iters,
                weights_init=w,
                means_init=m,
                precisions_init=_precisions(c, ct),
            )

            t_ours, t_sk = [], []
            for _ in range(repeats):
                t, est_ours = _time_fit(ours, X)
                t_ours.append(t)
                t, est_sk = _time_fit(theirs, X)
                t_sk.append(t)
            a = min(t_ours) / iters * 1e3
            b = min(t_sk) / iters * 1e3
            ratio = a / b
            dll = abs(est_ours.score(X) - est_sk.score(X))
            ok_ll = dll <= LL_TOL and est_ours.n_iter_ == est_sk.n_iter_ == iters
            ok_speed = quick or ratio <= case["target"]
            ok = ok_ll and ok_speed
            failed |= not ok
            target = f"≤{case['target']:.2f}" if not quick else "(smoke)"
            print(
                f"{case['name']:28s} {a:11.3f} {b:14.3f} {ratio:7.3f} {target:>7s} {dll:16.2e} "
                f"{'PASS' if ok else 'FAIL':>7s}"
            )
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small smoke run (speed targets not enforced)")
    parser.add_argument("--repeats", type=int, default=3, help="timings per case; the best is kept")
    args = parser.parse_args(argv)
    return run(quick=args.quick, repeats=args.repeats)


if __name__ == "__main__":
    sys.exit(main())
