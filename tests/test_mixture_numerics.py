"""EM numerics at the edges: data far from the origin with a small spread, and true collapses.

Data such as timestamps in Unix seconds with millisecond jitter (1.7e9 + 1e-3·z) are stored to
ulp(1.7e9) = 2.4e-7, so σ = 1e-3 is ~4000 units of their rounding: they are fittable, and scikit-learn
fits them.  The reference is scikit-learn on the same data shifted by the offset (the shift is exact,
Sterbenz), from the same start: there its arithmetic is well conditioned.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning
from sklearn.mixture import GaussianMixture as SkGaussianMixture

from mle_lib import GaussianMixture
from mle_lib._covariance import SufficientStats
from mle_lib._covariance_types import UNITS
from mle_lib._em_sweeps import Engine
from mle_lib._gaussian import normalize_log_joint

T0 = 1.7e9
ULP = float(np.spacing(T0))  # 2.4e-7


def _timestamps(D: int, two_clusters: bool, seed: int = 0) -> np.ndarray:
    Z = 1e-3 * np.random.default_rng(seed).standard_normal((500, D))
    if two_clusters:
        Z[:250] -= 5e-3
        Z[250:] += 5e-3
    return T0 + Z


def _start(D: int, ct: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    v = 4e-6
    c = {
        "full": np.array([v * np.eye(D)] * 2),
        "tied": v * np.eye(D),
        "diag": np.full((2, D), v),
        "spherical": np.full(2, v),
    }[ct]
    return np.array([0.5, 0.5]), np.array([[-2e-3] * D, [2e-3] * D]), c


def _sklearn(X, ct, w, m, c, **kw):
    prec = np.linalg.inv(c) if ct in ("full", "tied") else 1.0 / c
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return SkGaussianMixture(2, covariance_type=ct, weights_init=w, means_init=m, precisions_init=prec, **kw).fit(X)


@pytest.mark.parametrize("two_clusters", [False, True])
def test_timestamps_with_millisecond_jitter_fit_with_default_settings(two_clusters):
    X = _timestamps(1, two_clusters)
    gm = GaussianMixture(2, random_state=0).fit(X)  # σ = 1e-3 is ~4000 units of ulp(1.7e9): resolvable
    assert np.all(np.isfinite(gm.covariances_)) and np.all(gm.covariances_ > 1e-6)
    np.testing.assert_allclose(gm.means_, T0, rtol=1e-11)
    if two_clusters:
        np.testing.assert_allclose(np.sort(gm.means_[:, 0]) - T0, [-5e-3, 5e-3], atol=2e-4)


def test_offset_two_clusters_agree_with_sklearn_on_the_raw_data():
    """The brief's check, on the data as a user has them (scikit-learn's own rounding: the covariances differ
    from ours by 7e-7 relative with scikit-learn 1.9, by 3.0e-6 with 1.6: its result moves, not ours)."""
    X = _timestamps(1, True)
    w, m, c = _start(1, "full")
    kw = dict(tol=0, max_iter=50)
    ours = GaussianMixture(2, weights_init=w, means_init=m + T0, covariances_init=c, **kw).fit(X)
    sk = _sklearn(X, "full", w, m + T0, c, **kw)
    np.testing.assert_allclose(ours.means_, sk.means_, rtol=1e-9)
    np.testing.assert_allclose(ours.covariances_, sk.covariances_, rtol=5e-6)
    np.testing.assert_allclose(ours.weights_, sk.weights_, rtol=1e-6)


@pytest.mark.parametrize("D, ct", [(1, "full"), (2, "full"), (5, "full"), (5, "tied"), (5, "diag"), (5, "spherical")])
def test_offset_data_agree_with_sklearn_on_the_shifted_data(D, ct):
    """Every fit-engine layout (small, blas, expand) at an offset of 1.7e9, against exact arithmetic."""
    X = _timestamps(D, True, seed=D)
    w, m, c = _start(D, ct)
    kw = dict(covariance_type=ct, tol=0, max_iter=50)
    ours = GaussianMixture(2, weights_init=w, means_init=m + T0, covariances_init=c, **kw).fit(X)
    ref = _sklearn(X - T0, ct, w, m, c, tol=0, max_iter=50)
    # means to the data's own resolution (one ulp of 1.7e9, i.e. ~1e-16 relative), variances to 1e-6
    np.testing.assert_allclose(ours.means_ - T0, ref.means_, rtol=0, atol=ULP)
    np.testing.assert_allclose(ours.covariances_, ref.covariances_, rtol=1e-6, atol=1e-6 * 1e-6)
    np.testing.assert_allclose(ours.weights_, ref.weights_, rtol=1e-6)


def test_offset_single_cluster_log_likelihood_agrees_with_sklearn_on_the_shifted_data():
    X = _timestamps(1, False)
    w, m, c = _start(1, "full")
    ours = GaussianMixture(2, weights_init=w, means_init=m + T0, covariances_init=c, tol=0, max_iter=50).fit(X)
    ref = _sklearn(X - T0, "full", w, m, c, tol=0, max_iter=50)
    assert ours.score(X) == pytest.approx(ref.score(X - T0), rel=1e-9)


def test_collapse_onto_a_point_far_from_the_origin_still_raises():
    # three copies of one timestamp (variance exactly 0) and three points one ulp apart (variance
    # ~ulp², a positive-definite but meaningless covariance: the resolution floor must catch it)
    for close in ([0.0, 0.0, 0.0], [0.0, ULP, 0.0]):
        x = T0 + np.array([*close, 5e-3, 6e-3, 7e-3])
        kw = dict(
            covariance_type="spherical",
            weights_init=[0.5, 0.5],
            means_init=[T0, T0 + 6e-3],
            covariances_init=[1e-6, 1e-6],
            tol=0,
            max_iter=20,
        )
        with pytest.raises(ValueError, match="reg_covar"):
            GaussianMixture(2, reg_covar=0.0, **kw).fit(x)
        gm = GaussianMixture(2, reg_covar=1e-6, **kw).fit(x)  # regularised: a finite fit
        assert np.all(np.isfinite(gm.covariances_)) and np.all(gm.covariances_ >= 1e-6)


def test_a_pd_variance_at_the_rounding_level_is_refused_by_the_resolution_floor():
    # the whole data set varies by one or two units of rounding: with reg_covar = 0 the fitted
    # variance (~ulp²) is positive but meaningless, and the error says why
    x = T0 + ULP * np.random.default_rng(1).integers(0, 3, size=200)
    with pytest.raises(ValueError, match="resolution"):
        GaussianMixture(1, reg_covar=0.0, init_params="random", random_state=0).fit(x)
    gm = GaussianMixture(1, init_params="random", random_state=0).fit(x)  # reg_covar = 1e-6 dominates
    assert gm.covariances_[0, 0, 0] == pytest.approx(1e-6 + x.var(), rel=1e-6)


@pytest.mark.parametrize(("units", "fits"), [(5, False), (150, True)])
def test_the_resolution_floor_refuses_only_what_the_rounding_hides(units, fits):
    """Timestamps whose spread is ``units`` units of their rounding, one component, pure ML.

    150 units (a spread of a few hundred ulps across the data) fit, and agree with scikit-learn on
    the exactly shifted data; 5 units do not resolve and are refused.  RESOLUTION_ULPS = 10 puts the
    floor at ~16 ulps of 1.7e9 in σ: at 100 the 150-unit data would be refused, at 1 the 5-unit data
    would fit, so either move of 10× fails here.
    """
    x = T0 + units * ULP * np.random.default_rng(2).standard_normal(500)
    kw = dict(reg_covar=0.0, init_params="random", random_state=0, max_iter=3, tol=0)
    if not fits:
        with pytest.raises(ValueError, match="resolution"):
            GaussianMixture(1, **kw).fit(x)
        return
    gm = GaussianMixture(1, **kw).fit(x)
    sk = SkGaussianMixture(1, reg_covar=0.0, max_iter=3, tol=0).fit((x - T0)[:, None])
    np.testing.assert_allclose(
        gm.covariances_.ravel(), sk.covariances_.ravel(), rtol=1e-6
    )  # about a mean rounded to ulp
    np.testing.assert_allclose(gm.means_.ravel() - T0, sk.means_.ravel(), rtol=0, atol=ULP)


@pytest.mark.parametrize(("ratio", "fits"), [(5e-12, True), (1e-12, False)])
def test_the_spread_floor_refuses_a_component_shrunk_onto_a_point(ratio, fits):
    """A tight cluster whose σ is ``ratio`` of the data's spread, beside a broad one, pure ML.

    RESOLUTION_REL = (1e4·ε)² ≈ 4.9e-24 in variance (σ ratio 2.2e-12): 5e-12 fits and 1e-12 is
    refused; moved 10× up (σ ratio 7e-12) the first would be refused, 10× down (7e-13) the second
    would fit.
    """
    rng = np.random.default_rng(3)
    spread = 0.5  # about the data's standard deviation: half the points at 0, half at 1
    X = np.concatenate([ratio * spread * rng.standard_normal(200), 1.0 + 0.1 * rng.standard_normal(200)])
    kw = dict(
        reg_covar=0.0, weights_init=[0.5, 0.5], means_init=[[0.0], [1.0]], max_iter=3, tol=0, covariance_type="diag"
    )
    kw["covariances_init"] = [[(ratio * spread) ** 2], [0.01]]
    if fits:
        gm = GaussianMixture(2, **kw).fit(X)
        assert gm.covariances_[0, 0] == pytest.approx(X[:200].var(), rel=1e-6)
    else:
        with pytest.raises(ValueError, match="resolution"):
            GaussianMixture(2, **kw).fit(X)


@pytest.mark.parametrize("ct", ["full", "tied"])
def test_a_thin_but_resolved_cluster_fits_and_a_line_is_refused_in_pure_ml(ct):
    """Pure ML (reg_covar = 0): a cluster with σ = 3e-6 across a line y = 2x (a Cholesky pivot 2.3e-12
    of Σ_yy) is resolved — it fits, as scikit-learn fits it; points exactly on the line (a pivot at the
    rounding of Σ's entries, ~1e-16) are a subspace collapse.  SINGULAR_REL = 1e-12 sits between: at
    1e-11 the thin cluster would be refused.  (Its small eigenvalue agrees to the rounding of Σ's
    entries, ε·‖Σ‖.)"""
    rng = np.random.default_rng(4)
    t = rng.standard_normal(400)
    thin = np.column_stack([t, 2.0 * t + 3e-6 * rng.standard_normal(400)])
    kw = dict(covariance_type=ct, reg_covar=0.0, max_iter=2, tol=0, init_params="random", random_state=0)
    gm = GaussianMixture(1, **kw).fit(thin)
    sk = SkGaussianMixture(1, covariance_type=ct, reg_covar=0.0, max_iter=2, tol=0).fit(thin)
    np.testing.assert_allclose(
        np.linalg.eigvalsh(gm.covariances_.reshape(2, 2)),
        np.linalg.eigvalsh(sk.covariances_.reshape(2, 2)),
        rtol=1e-6,
        atol=1e-14,
    )
    line = np.column_stack([np.arange(400.0), 2.0 * np.arange(400.0)])  # exactly collinear
    with pytest.raises(ValueError, match="singular|positive definite"):
        GaussianMixture(1, **kw).fit(line)


# ----------------------------------------------------------------------------------------------
# The fit engine's sweeps (mle_lib._em_sweeps) against the reference kernels
# ----------------------------------------------------------------------------------------------


def _blobs(D: int, separation: float, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centres = separation * rng.standard_normal((3, D))
    return np.concatenate([c + rng.standard_normal((200, D)) for c in centres])


def _params(X: np.ndarray, ct: str, seed: int = 1):
    rng = np.random.default_rng(seed)
    N, D = X.shape
    m = X[rng.choice(N, 3, replace=False)]
    A = rng.standard_normal((3, D, D))
    full = A @ np.swapaxes(A, 1, 2) / D + np.eye(D)
    c = {
        "full": full,
        "tied": full[0],
        "diag": np.diagonal(full, axis1=1, axis2=2).copy(),
        "spherical": np.diagonal(full, axis1=1, axis2=2).mean(axis=1),
    }[ct]
    return rng.dirichlet(np.ones(3)), m, c


@pytest.mark.parametrize(
    "D, ct, layout",
    [
        (2, "full", "SmallSweep"),
        (2, "tied", "SmallSweep"),
        (1, "diag", "SmallSweep"),
        (3, "spherical", "SmallSweep"),
        (6, "full", "BlasSweep"),
        (6, "tied", "TiedSweep"),
        (6, "diag", "ExpandSweep"),
        (6, "spherical", "ExpandSweep"),
    ],
)
@pytest.mark.parametrize("hard", [False, True])
@pytest.mark.parametrize("chunk", [None, 128])
def test_every_sweep_layout_gives_the_reference_log_likelihood_and_m_step(D, ct, layout, hard, chunk):
    from mle_lib import _mixture_numerics as nx

    X = _blobs(D, 4.0)
    w, m, c = _params(X, ct)
    f = UNITS[ct].factorise(c, 3, D, "covariances")
    engine = Engine(X, 3, UNITS[ct])
    assert type(engine.layout).__name__ == layout
    if chunk is not None:  # several chunks, the last one short, all strided views into larger buffers
        engine.layout.C = chunk
    ll, cl, stats = engine.sweep(w, m, f, True, hard)
    assert isinstance(stats, SufficientStats)
    # reference: per-component Cholesky solves, then two-pass exactly centred statistics
    lp = nx.log_gaussian_kn(X, m, f) + np.log(w)[:, None]
    cl_ref = float(lp.max(axis=0).sum())
    ll_ref, resp = normalize_log_joint(lp)
    if hard:
        resp = nx.one_hot_kn(resp)
    ref_stats = nx.exact_stats(X, resp, UNITS[ct], m)
    assert ll == pytest.approx(float(ll_ref.sum()), rel=1e-13)
    assert cl == pytest.approx(cl_ref, rel=1e-13)
    kw = dict(n_samples=X.shape[0], unit=UNITS[ct], reg_covar=1e-6, prev=(w, m, c), fixed=frozenset(), prior=None)
    for got, want in zip(nx.m_update(stats, **kw), nx.m_update(ref_stats, **kw), strict=True):
        np.testing.assert_allclose(got, want, rtol=1e-11, atol=1e-12)


def test_tied_pooled_scatter_stays_accurate_for_well_separated_clusters():
    """TiedSweep subtracts the between-component scatter from the total: check the cost at 1e3 σ."""
    from mle_lib import _mixture_numerics as nx

    X = _blobs(6, 1e3)
    w, m, c = _params(X, "tied")
    m = np.array([X[0], X[200], X[400]])  # one start in each cluster
    f = UNITS["tied"].factorise(c, 3, 6, "covariances")
    _, _, stats = Engine(X, 3, UNITS["tied"]).sweep(w, m, f, True)
    _, resp = normalize_log_joint(nx.log_gaussian_kn(X, m, f) + np.log(w)[:, None])
    kw = dict(n_samples=600, unit=UNITS["tied"], reg_covar=0.0, prev=None, fixed=frozenset(), prior=None)
    got = nx.m_update(stats, **kw)[2]
    want = nx.m_update(nx.exact_stats(X, resp, UNITS["tied"], m), **kw)[2]
    # between/within ≈ 1e6 in variance: the loss is ~ε·1e6 ≈ 2e-10 of the within-cluster scale
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-8 * np.diag(want).max())
    np.testing.assert_allclose(np.diag(got), np.diag(want), rtol=1e-8)


@pytest.mark.parametrize("ct", ["full", "diag", "tied"])
def test_near_singular_start_on_the_digits_agrees_with_sklearn(ct):
    """The benchmark's near-singular start (data covariance + 1e-6·I): same path as scikit-learn."""
    from sklearn.datasets import load_digits

    X = load_digits().data
    cov = np.cov(X, rowvar=False) + 1e-6 * np.eye(64)
    c = {"full": np.array([cov] * 10), "diag": np.array([np.diag(cov)] * 10), "tied": cov}[ct]
    m = X[np.random.default_rng(20240917).choice(X.shape[0], 10, replace=False)].astype(float)
    w = np.full(10, 0.1)
    kw = dict(covariance_type=ct, tol=0, max_iter=20, weights_init=w, means_init=m)
    ours = GaussianMixture(10, covariances_init=c, **kw).fit(X)
    prec = np.linalg.inv(c) if ct != "diag" else 1.0 / c
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        sk = SkGaussianMixture(10, precisions_init=prec, **kw).fit(X)
    assert abs(ours.score(X) - sk.score(X)) <= 1e-9


# ----------------------------------------------------------------------------------------------
# No subnormal number reaches a product of the sweeps (they run up to 100× slower in BLAS)
# ----------------------------------------------------------------------------------------------

TINY = float(np.finfo(np.float64).tiny)  # 2.2e-308, the smallest normal number


@pytest.mark.parametrize(
    ("D", "ct"), [(2, "full"), (3, "diag"), (6, "full"), (6, "tied"), (6, "diag"), (6, "spherical")]
)
def test_no_sweep_feeds_a_subnormal_responsibility_to_its_statistics(monkeypatch, D, ct):
    """Points spread along a line give terms ln r from 0 down to −10⁴, some between −745 and −708,
    where e^t is subnormal: every responsibility the statistics see must be far above 2.2e-308
    (the clamp at e⁻⁶⁰⁰; at e⁻⁶⁰⁰⁰ this fails: the subnormal terms come through)."""
    from mle_lib import _em_sweeps
    from mle_lib import _mixture_numerics as nx

    X = np.random.default_rng(0).standard_normal((600, D))
    X[:, 0] = np.linspace(0.0, 150.0, 600)  # a continuum of distances from every mean
    w, m, c = _params(X, ct)
    m = X[[0, 300, 599]]
    seen: list[np.ndarray] = []
    real = _em_sweeps.normalise_chunk

    def spy(lp, hard):
        out = real(lp, hard)
        seen.append(lp.copy())
        return out

    monkeypatch.setattr(_em_sweeps, "normalise_chunk", spy)
    terms = nx.log_gaussian_kn(X, m, UNITS[ct].factorise(c, 3, D, "covariances")) + np.log(w)[:, None]
    terms -= terms.max(axis=0)
    assert np.any((terms < -708) & (terms > -745)), "the case must contain subnormal-range terms"
    Engine(X, 3, UNITS[ct]).sweep(w, m, UNITS[ct].factorise(c, 3, D, "covariances"), True)
    r = np.concatenate([s.ravel() for s in seen])
    assert r.size == 3 * X.shape[0]
    assert np.all(r > 1e-265), f"smallest responsibility {r.min():.3g}"


@pytest.mark.parametrize(
    ("D", "ct"), [(1, "full"), (2, "diag"), (3, "tied"), (6, "tied"), (6, "diag"), (6, "spherical")]
)
def test_a_component_far_from_every_sample_stays_empty_in_fit(D, ct):
    """A component 1000 σ away gathers N·e⁻⁶⁰⁰ ≈ 1e-258 < EMPTY_NK through the clamp: it is empty and
    keeps its mean and covariance, as m_step does (with the clamp at e⁻⁶⁰ it would gather 1e-24 and
    jump to the data's mean)."""
    X = np.random.default_rng(0).standard_normal((500, D))
    w, m, c = _params(X, ct)
    m = np.array([np.zeros(D), np.full(D, 1e3), np.full(D, -1e3)])
    gm = GaussianMixture(3, covariance_type=ct, max_iter=1, tol=0, weights_init=w, means_init=m, covariances_init=c)
    gm.fit(X)
    np.testing.assert_array_equal(gm.means_[1:], m[1:])
    assert np.all(gm.weights_[1:] < 1e-250)


def test_the_full_blas_scatter_drops_weights_below_the_skip_threshold_on_both_branches():
    """70 % of the chunk is kept (the whole-chunk branch) or 30 % (the gathering branch): either way
    the samples with r < SKIP_R count 0 (they would enter syrk as √r ~ 1e-16 d otherwise)."""
    from mle_lib._em_sweeps import SKIP_R, _ScatterAccumulator

    rng = np.random.default_rng(0)
    xb = rng.standard_normal((100, 6))
    for kept in (70, 30):
        r = np.full((1, 100), 0.5 * SKIP_R)
        r[0, :kept] = 10 * SKIP_R
        acc = _ScatterAccumulator(1, 6, 100)
        acc.add(xb, r, np.zeros((1, 6)))
        stats = acc.statistics(np.zeros((1, 6)))
        np.testing.assert_allclose(stats.nk, [kept * 10 * SKIP_R], rtol=1e-14)
        np.testing.assert_allclose(stats.S1[0], 10 * SKIP_R * xb[:kept].sum(axis=0), rtol=1e-12)
