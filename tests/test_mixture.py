"""Tests of mle_lib.mixture: the decks' worked tables, scikit-learn parity, numerics, bad input."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import mle_lib
from mle_lib import (
    GaussianMixture,
    NotFittedError,
    deck1_mstep_table,
    deck1_two_component_run,
    default_prior,
    e_step,
    m_step,
    select_n_components,
)
from mle_lib import _mixture_numerics as nx
from mle_lib._covariance_types import UNITS
from mle_lib._mixture_params import resolve_prior

TYPES = ("full", "tied", "diag", "spherical")


def _three_blobs(n=600, D=2, seed=0, offset=0.0):
    rng = np.random.default_rng(seed)
    centres = np.array([[0.0] * D, [5.0] * D, [0.0] * (D - 1) + [6.0]]) if D > 1 else np.array([[0.0], [5.0], [10.0]])
    scales = [1.0, 1.5, 0.6]
    parts = [
        c + s * rng.standard_normal((n // 3, D)) @ np.diag(np.linspace(1.0, 1.6, D))
        for c, s in zip(centres, scales, strict=False)
    ]
    return np.vstack(parts) + offset


def _start(X, K, ct, seed=1):
    """A reasonable, deterministic starting point in every covariance shape."""
    rng = np.random.default_rng(seed)
    N, D = X.shape
    m = X[rng.choice(N, K, replace=False)] + 0.1
    cov = np.cov(X, rowvar=False).reshape(D, D) + 0.1 * np.eye(D)
    c = {
        "full": np.array([cov] * K),
        "tied": cov,
        "diag": np.array([np.diag(cov)] * K),
        "spherical": np.full(K, float(np.mean(np.diag(cov)))),
    }[ct]
    return np.full(K, 1.0 / K), m, c


def _precisions(c, ct):
    return np.linalg.inv(c) if ct in ("full", "tied") else 1.0 / c


# ----------------------------------------------------------------------------------------------
# Deck 1: the two worked tables
# ----------------------------------------------------------------------------------------------


def test_deck1_mstep_table_is_one_call_of_m_step():
    t = deck1_mstep_table()
    w, mu, _var = m_step(t["x"], t["resp"], "spherical", reg_covar=0.0)
    assert [f"{v:.2f}" for v in mu[:, 0]] == ["10.66", "19.09"]
    np.testing.assert_allclose(mu[:, 0], t["slide_means"], atol=5e-3)
    # the table's intermediate columns: row sums 2.91 / 3.09 and Σ E[z]x = 31.02 / 58.98
    np.testing.assert_allclose(w * 6, [2.91, 3.09], rtol=1e-12)
    np.testing.assert_allclose(mu[:, 0] * w * 6, [31.02, 58.98], rtol=1e-12)


def _deck1_steps():
    run = deck1_two_component_run()
    x, sigma, tau = run["x"], run["sigma"], run["tau"]
    w, mu, var = np.array([tau, 1 - tau]), run["means_init"], np.array([sigma**2] * 2)
    zs, mus = [], [mu.copy()]
    for _ in range(3):
        resp, _ = e_step(x, w, mu, var, "spherical")
        zs.append(resp[0])
        w, mu2, var = m_step(
            x, resp, "spherical", 0.0, weights=w, means=mu, covariances=var, fixed={"weights", "covariances"}
        )
        mu = mu2[:, 0]
        mus.append(mu.copy())
    return run, np.array(zs), np.array(mus)


def test_deck1_two_component_run_reproduces_every_printed_number():
    run, zs, mus = _deck1_steps()
    for step in range(3):
        assert [f"{z:.2e}" for z in zs[step]] == [f"{z:.2e}" for z in run["slide_z1"][step]], step
    assert [[f"{v:.2f}" for v in row] for row in mus] == [[f"{v:.2f}" for v in row] for row in run["slide_means"]]


def test_deck1_run_through_the_estimator_with_fixed_parameters():
    run, _, mus = _deck1_steps()
    gm = GaussianMixture(
        2,
        covariance_type="spherical",
        weights_init=[0.5, 0.5],
        means_init=run["means_init"],
        covariances_init=[1.0, 1.0],
        fixed={"weights", "covariances"},
        reg_covar=0.0,
        tol=0.0,
        max_iter=3,
    ).fit(run["x"])
    np.testing.assert_allclose(gm.means_[:, 0], mus[-1], rtol=1e-13)
    np.testing.assert_array_equal(gm.weights_, [0.5, 0.5])
    np.testing.assert_array_equal(gm.covariances_, [1.0, 1.0])
    assert gm.n_iter_ == 3 and len(gm.loglik_history_) == 4
    assert np.all(np.diff(gm.loglik_history_) >= 0)


def test_deck1_classification_em_rounds_responsibilities():
    run = deck1_two_component_run()
    resp, ll = e_step(run["x"], [0.5, 0.5], [-6.0, 0.0], [1.0, 1.0], "spherical", hard=True)
    np.testing.assert_array_equal(resp[0], [1, 1, 1, 0, 0, 0, 0])
    np.testing.assert_array_equal(resp.sum(axis=0), np.ones(7))
    _soft, ll_soft = e_step(run["x"], [0.5, 0.5], [-6.0, 0.0], [1.0, 1.0], "spherical")
    assert ll == ll_soft  # the log-likelihood is the mixture's either way


# ----------------------------------------------------------------------------------------------
# scikit-learn parity from the same start
# ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("D", [1, 2, 6])
@pytest.mark.parametrize("ct", TYPES)
def test_same_start_same_result_as_sklearn(ct, D):
    from sklearn.mixture import GaussianMixture as Sk

    X = _three_blobs(450, D, seed=D)
    w, m, c = _start(X, 3, ct)
    ours = GaussianMixture(
        3, covariance_type=ct, weights_init=w, means_init=m, covariances_init=c, tol=1e-5, max_iter=300
    ).fit(X)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sk = Sk(
            3,
            covariance_type=ct,
            weights_init=w,
            means_init=m,
            precisions_init=_precisions(c, ct),
            tol=1e-5,
            max_iter=300,
        ).fit(X)
    assert ours.n_iter_ == sk.n_iter_ and ours.converged_ == sk.converged_
    np.testing.assert_allclose(ours.weights_, sk.weights_, rtol=0, atol=1e-8)
    np.testing.assert_allclose(ours.means_, sk.means_, rtol=0, atol=1e-8)
    np.testing.assert_allclose(ours.covariances_, sk.covariances_, rtol=1e-8, atol=1e-10)
    np.testing.assert_allclose(ours.precisions_cholesky_, sk.precisions_cholesky_, rtol=1e-7, atol=1e-9)
    np.testing.assert_allclose(ours.score_samples(X), sk.score_samples(X), rtol=1e-10)
    np.testing.assert_allclose(ours.predict_proba(X), sk.predict_proba(X), atol=1e-8)
    np.testing.assert_array_equal(ours.predict(X), sk.predict(X))
    assert ours.bic(X) == pytest.approx(sk.bic(X), rel=1e-10)
    assert ours.aic(X) == pytest.approx(sk.aic(X), rel=1e-10)
    assert ours.n_parameters() == sk._n_parameters()
    # lower_bound_ means what scikit-learn's means (the last E-step's value); the history ends at score(X)
    assert ours.lower_bound_ == pytest.approx(sk.lower_bound_, rel=1e-12)
    assert ours.loglik_history_[-1] == pytest.approx(ours.score(X), rel=1e-12)


@pytest.mark.parametrize("ct", TYPES)
def test_tol_zero_runs_exactly_max_iter(ct):
    X = _three_blobs(150, 2)
    w, m, c = _start(X, 3, ct)
    gm = GaussianMixture(
        3, covariance_type=ct, weights_init=w, means_init=m, covariances_init=c, tol=0, max_iter=17
    ).fit(X)
    assert gm.n_iter_ == 17 and not gm.converged_
    assert gm.loglik_history_.shape == (18,) and gm.objective_history_.shape == (18,)
    assert gm.loglik_history_[-1] == pytest.approx(gm.score(X), rel=1e-12)


# ----------------------------------------------------------------------------------------------
# Fit loop == the one-step functions (every kernel layout, hard EM, MAP, fixed)
# ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("D", [1, 2, 6])
@pytest.mark.parametrize("ct", TYPES)
@pytest.mark.parametrize("variant", ["ml", "hard", "map", "fixed"])
def test_fused_fit_loop_equals_e_step_then_m_step(ct, D, variant):
    X = _three_blobs(240, D, seed=7)
    w, m, c = _start(X, 3, ct, seed=3)
    kw = {}
    if variant == "hard":
        kw["classification"] = True
    if variant == "map":
        kw["prior"] = "default"
    if variant == "fixed":
        kw["fixed"] = {"weights"} if ct in ("tied", "spherical") else {"covariances"}
    params = (w, m, c)
    for _it in range(3):
        resp, _ll = e_step(X, *params, ct, hard=(variant == "hard"))
        params = m_step(
            X,
            resp,
            ct,
            1e-6,
            weights=params[0],
            means=params[1],
            covariances=params[2],
            fixed=kw.get("fixed", ()),
            prior=kw.get("prior"),
        )
    gm = GaussianMixture(
        3, covariance_type=ct, weights_init=w, means_init=m, covariances_init=c, tol=0, max_iter=3, **kw
    ).fit(X)
    np.testing.assert_allclose(gm.weights_, params[0], rtol=1e-11, atol=1e-13)
    np.testing.assert_allclose(gm.means_, params[1], rtol=1e-11, atol=1e-11)
    np.testing.assert_allclose(gm.covariances_, params[2], rtol=1e-10, atol=1e-12)


# ----------------------------------------------------------------------------------------------
# Recovery, determinism, permutation invariance
# ----------------------------------------------------------------------------------------------


def test_known_parameters_are_recovered_up_to_label_order():
    from scipy.optimize import linear_sum_assignment

    rng = np.random.default_rng(11)
    true_w = np.array([0.5, 0.3, 0.2])
    true_m = np.array([[0.0, 0.0], [6.0, 1.0], [1.0, 7.0]])
    true_c = np.array([[[1.0, 0.4], [0.4, 1.0]], [[2.0, -0.6], [-0.6, 1.0]], [[0.5, 0.0], [0.0, 1.5]]])
    counts = rng.multinomial(6000, true_w)
    X = np.vstack([rng.multivariate_normal(true_m[k], true_c[k], counts[k]) for k in range(3)])
    gm = GaussianMixture(3, n_init=2, random_state=rng.integers(1000)).fit(X)
    cost = ((gm.means_[:, None, :] - true_m[None]) ** 2).sum(-1)
    rows, cols = linear_sum_assignment(cost)
    order = rows[np.argsort(cols)]
    np.testing.assert_allclose(gm.means_[order], true_m, atol=0.12)
    np.testing.assert_allclose(gm.weights_[order], true_w, atol=0.02)
    np.testing.assert_allclose(gm.covariances_[order], true_c, atol=0.15)


@pytest.mark.parametrize("init", ["kmeans", "k-means++", "random", "random_from_data"])
def test_same_random_state_is_bit_identical(init):
    X = _three_blobs(300, 2, seed=4)
    a = GaussianMixture(3, init_params=init, n_init=2, random_state=123).fit(X)
    b = GaussianMixture(3, init_params=init, n_init=2, random_state=123).fit(X)
    for name in ("weights_", "means_", "covariances_", "loglik_history_", "precisions_cholesky_"):
        assert np.array_equal(getattr(a, name), getattr(b, name)), name
    assert a.n_iter_ == b.n_iter_ and a.lower_bound_ == b.lower_bound_
    xa, la = a.sample(50)
    xb, lb = b.sample(50)
    assert np.array_equal(xa, xb) and np.array_equal(la, lb)
    c = GaussianMixture(3, init_params="random", random_state=np.random.default_rng(123)).fit(X)
    d = GaussianMixture(3, init_params="random", random_state=np.random.default_rng(123)).fit(X)
    assert np.array_equal(c.means_, d.means_)


def test_permuting_the_data_does_not_change_the_fit():
    X = _three_blobs(300, 2, seed=9)
    w, m, c = _start(X, 3, "full")
    perm = np.random.default_rng(0).permutation(len(X))
    a = GaussianMixture(3, weights_init=w, means_init=m, covariances_init=c, tol=0, max_iter=25).fit(X)
    b = GaussianMixture(3, weights_init=w, means_init=m, covariances_init=c, tol=0, max_iter=25).fit(X[perm])
    np.testing.assert_allclose(a.means_, b.means_, rtol=1e-10)
    np.testing.assert_allclose(a.covariances_, b.covariances_, rtol=1e-10)
    np.testing.assert_allclose(a.loglik_history_, b.loglik_history_, rtol=1e-12)


def test_n_init_keeps_the_best_lower_bound():
    X = _three_blobs(300, 2, seed=2)
    best = GaussianMixture(3, init_params="random", n_init=3, random_state=np.random.RandomState(7)).fit(X)
    shared = np.random.RandomState(7)  # three single fits draw the same three starts in turn
    singles = [GaussianMixture(3, init_params="random", random_state=shared).fit(X) for _ in range(3)]
    bounds = [g.lower_bound_ for g in singles]
    assert best.lower_bound_ == max(bounds)
    np.testing.assert_array_equal(best.means_, singles[int(np.argmax(bounds))].means_)
    assert best.lower_bound_ == pytest.approx(best.objective_history_[-2])  # the last E-step's value


# ----------------------------------------------------------------------------------------------
# Numerics: offset 1e8 against a long-double reference
# ----------------------------------------------------------------------------------------------

LD_PI = np.longdouble("3.14159265358979323846264338327950288")


def _ref_log_density(X, w, means, cov, ct):
    """ln p(x_n) in long double (64-bit mantissa) with analytic centring and a hand-made Cholesky."""
    ld = np.longdouble
    X = X.astype(ld)
    N, D = X.shape
    K = len(w)
    full = {
        "full": lambda: np.asarray(cov, dtype=ld),
        "tied": lambda: np.array([cov] * K, dtype=ld),
        "diag": lambda: np.array([np.diag(v) for v in cov], dtype=ld),
        "spherical": lambda: np.array([v * np.eye(D) for v in cov], dtype=ld),
    }[ct]()
    out = np.empty((K, N), dtype=ld)
    for k in range(K):
        S = full[k]
        L = np.zeros((D, D), dtype=ld)
        for i in range(D):
            for j in range(i + 1):
                s = S[i, j] - sum(L[i, p] * L[j, p] for p in range(j))
                L[i, j] = np.sqrt(s) if i == j else s / L[j, j]
        d = X - np.asarray(means[k], dtype=ld)
        y = np.zeros_like(d)
        for i in range(D):
            acc = d[:, i].copy()
            for p in range(i):
                acc -= L[i, p] * y[:, p]
            y[:, i] = acc / L[i, i]
        q = (y * y).sum(axis=1)
        logdet = 2 * sum(np.log(L[i, i]) for i in range(D))
        out[k] = np.log(ld(w[k])) - (D * np.log(2 * LD_PI) + logdet + q) / 2
    mx = out.max(axis=0)
    return mx + np.log(np.exp(out - mx).sum(axis=0))


@pytest.mark.parametrize("D", [2, 6])
@pytest.mark.parametrize("ct", TYPES)
def test_log_density_exact_with_data_offset_by_1e8(ct, D):
    X = _three_blobs(300, D, seed=5, offset=1e8)
    w, m, c = _start(X, 3, ct, seed=6)
    ref = _ref_log_density(X, w, m, c, ct)
    gm = GaussianMixture(
        3, covariance_type=ct, weights_init=w, means_init=m, covariances_init=c, tol=0, max_iter=1
    ).fit(X)
    # the fit loop's log-likelihood at the start (fused kernels) ...
    assert abs(gm.loglik_history_[0] - float(ref.mean())) <= 1e-12 * abs(float(ref.mean()))
    # ... and the per-sample log-density of the public path
    _, ll = e_step(X, w, m, c, ct)
    assert abs(ll - float(ref.sum())) <= 1e-12 * abs(float(ref.sum()))
    frozen = GaussianMixture(
        3,
        covariance_type=ct,
        weights_init=w,
        means_init=m,
        covariances_init=c,
        fixed={"weights", "means", "covariances"},
        max_iter=1,
    ).fit(X)
    ours = frozen.score_samples(X)
    rel = np.abs((ours - ref.astype(float)) / ref.astype(float))
    assert rel.max() <= 1e-12


# ----------------------------------------------------------------------------------------------
# Variants: MAP, fixed, classification, collapse and empty components
# ----------------------------------------------------------------------------------------------


def test_default_prior_is_mclusts():
    X = _three_blobs(90, 3, seed=1)
    for ct in ("full", "tied"):
        p = default_prior(X, 4, ct)
        np.testing.assert_allclose(p["scale"], np.cov(X, rowvar=False, ddof=1) / 4 ** (2 / 3))
        assert p["shrinkage"] == 0.01 and p["dof"] == 5.0
        np.testing.assert_allclose(p["mean"], X.mean(axis=0))
    for ct in ("diag", "spherical"):
        p = default_prior(X, 4, ct)
        assert p["scale"] == pytest.approx(X.var(axis=0, ddof=1).mean() / 4 ** (2 / 3))
    few = X[:2]  # n <= d: mclust uses only the variances
    np.testing.assert_allclose(default_prior(few, 1, "full")["scale"], np.diag(few.var(axis=0, ddof=1)))


def test_map_m_step_matches_fraley_raftery_formulas():
    rng = np.random.default_rng(2)
    X = rng.normal(size=(50, 2)) * [1.0, 3.0]
    resp = rng.random((3, 50))
    resp /= resp.sum(axis=0)
    nk = resp.sum(axis=1)
    xbar = resp @ X / nk[:, None]
    for ct in ("full", "diag"):
        p = default_prior(X, 3, ct)
        kappa, mu_p, nu, lam = p["shrinkage"], p["mean"], p["dof"], p["scale"]
        w, mu, cov = m_step(X, resp, ct, reg_covar=0.0, prior=p)
        for k in range(3):
            mk = (nk[k] * xbar[k] + kappa * mu_p) / (nk[k] + kappa)
            Wk = (resp[k][:, None] * (X - xbar[k])).T @ (X - xbar[k])
            dev = xbar[k] - mu_p
            shrink = kappa * nk[k] / (kappa + nk[k]) * np.outer(dev, dev)
            np.testing.assert_allclose(mu[k], mk, rtol=1e-12)
            if ct == "full":
                np.testing.assert_allclose(cov[k], (lam + shrink + Wk) / (nu + nk[k] + 2 + 2), rtol=1e-11)
            else:
                np.testing.assert_allclose(cov[k], (lam + np.diag(shrink) + np.diag(Wk)) / (nu + nk[k] + 3), rtol=1e-11)
        np.testing.assert_allclose(w, nk / 50)


@pytest.mark.parametrize("ct", TYPES)
def test_map_update_maximises_expected_log_posterior(ct):
    """Random perturbations of the MAP M-step never raise Q(θ) + ln p(θ)."""
    rng = np.random.default_rng(3)
    X = rng.normal(size=(40, 3)) * [1, 2, 0.5] + [1, -1, 2]
    resp = rng.random((3, 40))
    resp /= resp.sum(axis=0)
    prior = resolve_prior("default", X, 3, UNITS[ct], 0.0)

    def q(w, m, c):
        f = UNITS[ct].factorise(c, 3, 3, "covariances")
        lp = nx.log_gaussian_kn(X, m, f) + np.log(w)[:, None]
        return float((resp * lp).sum()) + nx.log_prior(m, c, f, prior)

    w, m, c = m_step(X, resp, ct, 0.0, prior="default")
    base = q(w, m, c)
    for _ in range(60):
        m2 = m + 1e-3 * rng.normal(size=m.shape)
        if ct in ("full", "tied"):
            A = 1e-3 * rng.normal(size=c.shape)
            c2 = c + (A + np.swapaxes(A, -1, -2)) / 2
        else:
            c2 = c * np.exp(1e-3 * rng.normal(size=c.shape))
        assert q(w, m2, c2) <= base + 1e-12 * abs(base)


@pytest.mark.parametrize("name", ["weights", "means", "covariances"])
def test_fixed_parameters_stay_at_their_init(name):
    X = _three_blobs(240, 2, seed=3)
    w, m, c = _start(X, 3, "full")
    gm = GaussianMixture(3, weights_init=w, means_init=m, covariances_init=c, fixed={name}, tol=0, max_iter=10).fit(X)
    np.testing.assert_array_equal(getattr(gm, name + "_"), {"weights": w, "means": m, "covariances": c}[name])
    assert np.all(np.diff(gm.objective_history_) >= -1e-12)
    assert gm.n_parameters() < GaussianMixture(3).fit(X).n_parameters()


def test_collapse_onto_a_point_is_an_error_naming_reg_covar_without_regularisation():
    x = np.array([0.0, 0.0, 0.0, 5.0, 6.0, 7.0])
    kw = dict(
        covariance_type="spherical",
        weights_init=[0.5, 0.5],
        means_init=[0.0, 6.0],
        covariances_init=[1.0, 1.0],
        tol=0,
        max_iter=20,
    )
    with pytest.raises(ValueError, match="reg_covar"):
        GaussianMixture(2, reg_covar=0.0, **kw).fit(x)
    for gm in (
        GaussianMixture(2, reg_covar=1e-6, **kw).fit(x),
        GaussianMixture(2, reg_covar=0.0, prior="default", **kw).fit(x),
    ):
        assert np.all(np.isfinite(gm.covariances_)) and np.all(gm.covariances_ > 0)
        assert np.all(np.isfinite(gm.loglik_history_)) and np.all(np.isfinite(gm.means_))


def test_empty_component_keeps_its_parameters_or_returns_to_the_prior_mode():
    x = np.random.default_rng(0).normal(size=50)
    kw = dict(
        covariance_type="spherical",
        weights_init=[0.5, 0.5],
        means_init=[0.0, 1e3],
        covariances_init=[1.0, 1e-4],
        tol=0,
        max_iter=5,
    )
    gm = GaussianMixture(2, **kw).fit(x)
    assert gm.weights_[1] < 1e-250 and gm.means_[1, 0] == 1e3 and gm.covariances_[1] == 1e-4
    assert np.all(np.isfinite(gm.loglik_history_)) and np.isfinite(gm.score(x))
    assert np.all(gm.predict(x) == 0) and np.all(np.isfinite(gm.predict_proba(x)))
    gm = GaussianMixture(2, prior="default", **kw).fit(x)
    p = gm.prior_
    assert gm.weights_[1] < 1e-250
    np.testing.assert_allclose(gm.means_[1], p["mean"])
    assert gm.covariances_[1] == pytest.approx(p["scale"] / (p["dof"] + 1 + 2))


def test_classification_em_gives_hard_partition_and_climbs_its_objective():
    X = _three_blobs(300, 2, seed=8)
    gm = GaussianMixture(3, classification=True, random_state=0, tol=0, max_iter=15).fit(X)
    assert np.all(np.diff(gm.objective_history_) >= -1e-12)
    # at convergence the weights are cluster fractions, the means cluster averages
    labels = gm.predict(X)
    counts = np.bincount(labels, minlength=3)
    np.testing.assert_allclose(np.sort(gm.weights_), np.sort(counts / len(X)), atol=1e-12)
    # classification log-likelihood <= log-likelihood
    assert gm.objective_history_[-1] <= gm.loglik_history_[-1]


def test_reg_covar_makes_ml_em_non_monotone():
    """Documented: Σ = S + εI is not a maximiser, so a K=1 fit started at its MLE loses likelihood."""
    x = np.random.default_rng(1).normal(size=(200, 1))
    gm = GaussianMixture(
        1,
        weights_init=[1.0],
        means_init=x.mean(axis=0)[None],
        tol=0,
        max_iter=1,
        covariances_init=x.var()[None, None, None] * np.ones((1, 1, 1)),
        reg_covar=1e-2,
    ).fit(x)
    assert gm.loglik_history_[1] < gm.loglik_history_[0]


# ----------------------------------------------------------------------------------------------
# The rest of the API
# ----------------------------------------------------------------------------------------------


def test_one_dimensional_input_and_1d_parameter_shapes_are_accepted():
    x = np.concatenate([np.random.default_rng(0).normal(-3, 1, 100), np.random.default_rng(1).normal(3, 1, 100)])
    gm = GaussianMixture(
        2, covariance_type="full", means_init=[-1.0, 1.0], covariances_init=[1.0, 1.0], random_state=0
    ).fit(x)
    assert gm.means_.shape == (2, 1) and gm.covariances_.shape == (2, 1, 1)
    assert gm.predict_proba(x).shape == (200, 2)


def test_sample_shapes_grouping_and_moments():
    X = _three_blobs(600, 2, seed=1)
    gm = GaussianMixture(3, random_state=0).fit(X)
    S, lab = gm.sample(30000)
    assert S.shape == (30000, 2) and lab.shape == (30000,)
    assert np.all(np.diff(lab) >= 0)
    np.testing.assert_allclose(np.bincount(lab) / 30000, gm.weights_, atol=0.015)
    for k in range(3):
        np.testing.assert_allclose(S[lab == k].mean(axis=0), gm.means_[k], atol=0.08)
        # ~5 standard errors of a sample covariance from ≥ 5000 draws
        np.testing.assert_allclose(np.cov(S[lab == k], rowvar=False), gm.covariances_[k], rtol=0.1, atol=0.1)
    for ct in ("tied", "diag", "spherical"):
        S, lab = GaussianMixture(3, covariance_type=ct, random_state=0).fit(X).sample(10)
        assert S.shape == (10, 2)


def test_select_n_components_table():
    rng = np.random.default_rng(1)
    X = np.concatenate([rng.normal(-4, 1, (150, 2)), rng.normal(4, 1, (150, 2))])
    t = select_n_components(X, [1, 2, 3], ("full", "diag"), random_state=0)
    assert t.shape == (6,) and set(t.dtype.names) >= {"K", "covariance_type", "bic", "aic", "loglik", "best"}
    assert t["best"].sum() == 1 and t["K"][t["best"]][0] == 2
    gm = GaussianMixture(2, covariance_type="diag", random_state=0).fit(X)
    row = t[(t["K"] == 2) & (t["covariance_type"] == "diag")][0]
    assert row["bic"] == pytest.approx(gm.bic(X)) and row["aic"] == pytest.approx(gm.aic(X))
    assert row["loglik"] == pytest.approx(gm.score(X) * len(X))
    t_aic = select_n_components(X, [1, 2], criterion="aic", random_state=0)
    assert t_aic["best"].sum() == 1


def test_get_set_params_repr_and_sklearn_clone():
    from sklearn.base import clone

    gm = GaussianMixture(3, covariance_type="diag", prior="default", fixed={"weights"})
    assert gm.get_params()["covariance_type"] == "diag"
    assert gm.set_params(tol=1e-4) is gm and gm.tol == 1e-4
    with pytest.raises(ValueError, match="bogus"):
        gm.set_params(bogus=1)
    c = clone(gm)
    assert c.get_params() == gm.get_params() and c is not gm
    assert "covariance_type='diag'" in repr(gm)


def test_fit_predict_and_verbose(capsys):
    X = _three_blobs(150, 2)
    gm = GaussianMixture(3, random_state=0, verbose=2, verbose_interval=1)
    labels = gm.fit_predict(X)
    np.testing.assert_array_equal(labels, gm.predict(X))
    out = capsys.readouterr().out
    assert "Initialization 0" in out and "Iteration 1" in out


def test_public_names_and_light_import():
    import subprocess
    import sys

    code = "import sys, mle_lib; print('sklearn' in sys.modules, 'matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split()[0] == "False"
    for name in ("GaussianMixture", "e_step", "m_step", "default_prior", "select_n_components", "NotFittedError"):
        assert hasattr(mle_lib, name)


# ----------------------------------------------------------------------------------------------
# Bad input: every error names its argument
# ----------------------------------------------------------------------------------------------

X_OK = np.random.default_rng(0).normal(size=(20, 2))


@pytest.mark.parametrize(
    "X, exc",
    [
        ([[1.0, np.nan], [0.0, 1.0]], ValueError),
        ([[1.0, np.inf], [0.0, 1.0]], ValueError),
        (np.empty((0, 2)), ValueError),
        (np.empty((3, 0)), ValueError),
        (np.ones((3, 2, 2)), ValueError),
        ([["a", "b"], ["c", "d"]], ValueError),
        ("abc", ValueError),
    ],
)
def test_bad_X(X, exc):
    with pytest.raises(exc, match="X"):
        GaussianMixture(1).fit(X)


@pytest.mark.parametrize(
    "kwargs, exc, name",
    [
        (dict(n_components=0), ValueError, "n_components"),
        (dict(n_components=21), ValueError, "n_components"),
        (dict(n_components=2.5), TypeError, "n_components"),
        (dict(n_components=2, tol=-1.0), ValueError, "tol"),
        (dict(n_components=2, tol=float("nan")), ValueError, "tol"),
        (dict(n_components=2, reg_covar=-1e-6), ValueError, "reg_covar"),
        (dict(n_components=2, max_iter=-1), ValueError, "max_iter"),
        (dict(n_components=2, n_init=0), ValueError, "n_init"),
        (dict(n_components=2, covariance_type="bogus"), ValueError, "covariance_type"),
        (dict(n_components=2, init_params="bogus"), ValueError, "init_params"),
        (dict(n_components=2, weights_init=[0.5, 0.3, 0.2]), ValueError, "weights_init"),
        (dict(n_components=2, weights_init=[0.5, 0.6]), ValueError, "weights_init"),
        (dict(n_components=2, weights_init=[1.5, -0.5]), ValueError, "weights_init"),
        (dict(n_components=2, means_init=np.zeros((3, 2))), ValueError, "means_init"),
        (dict(n_components=2, means_init=[[0.0, np.nan], [1.0, 1.0]]), ValueError, "means_init"),
        (dict(n_components=2, covariances_init=np.ones((2, 2))), ValueError, "covariances_init"),
        (
            dict(n_components=2, covariances_init=np.array([np.eye(2), [[1.0, 2.0], [2.0, 1.0]]])),
            ValueError,
            "covariances_init",
        ),
        (
            dict(n_components=2, covariances_init=np.array([np.eye(2), [[1.0, 0.5], [0.4, 1.0]]])),
            ValueError,
            "covariances_init",
        ),
        (dict(n_components=2, covariance_type="tied", covariances_init=-np.eye(2)), ValueError, "covariances_init"),
        (
            dict(n_components=2, covariance_type="diag", covariances_init=[[1.0, 0.0], [1.0, 1.0]]),
            ValueError,
            "covariances_init",
        ),
        (
            dict(n_components=2, covariance_type="spherical", covariances_init=[1.0, -1.0]),
            ValueError,
            "covariances_init",
        ),
        (dict(n_components=2, covariance_type="spherical", covariances_init=[1.0]), ValueError, "covariances_init"),
        (dict(n_components=2, fixed={"bogus"}), ValueError, "fixed"),
        (dict(n_components=2, fixed={"weights"}), ValueError, "fixed"),
        (dict(n_components=2, prior="bogus"), ValueError, "prior"),
        (dict(n_components=2, prior={"shrinkage": -1.0}), ValueError, "prior"),
        (dict(n_components=2, prior={"dof": 0.5}), ValueError, "prior"),
        (dict(n_components=2, prior={"color": 1}), ValueError, "prior"),
        (dict(n_components=2, random_state="seed"), TypeError, "random_state"),
        (dict(n_components=2, classification="yes"), TypeError, "classification"),
    ],
)
def test_bad_hyper_parameters(kwargs, exc, name):
    with pytest.raises(exc, match=name):
        GaussianMixture(**kwargs).fit(X_OK)


def test_not_fitted_and_wrong_features():
    gm = GaussianMixture(2)
    for call in (
        lambda: gm.predict(X_OK),
        lambda: gm.predict_proba(X_OK),
        lambda: gm.score(X_OK),
        lambda: gm.score_samples(X_OK),
        lambda: gm.sample(3),
        lambda: gm.bic(X_OK),
    ):
        with pytest.raises(NotFittedError, match="fit"):
            call()
    assert issubclass(NotFittedError, ValueError) and issubclass(NotFittedError, AttributeError)
    gm.fit(X_OK)
    with pytest.raises(ValueError, match="X has 3 features, but GaussianMixture is expecting 2"):
        gm.predict(np.ones((4, 3)))
    with pytest.raises(ValueError, match="n_samples"):
        gm.sample(0)
    with pytest.raises(ValueError, match="X"):
        gm.score([[np.nan, 0.0]])


def test_bad_input_to_the_step_functions():
    with pytest.raises(ValueError, match="resp"):
        m_step(X_OK, np.ones((20, 2)) / 2)  # N×K instead of K×N
    with pytest.raises(ValueError, match="resp"):
        m_step(X_OK, -np.ones((2, 20)))
    with pytest.raises(ValueError, match="resp"):
        m_step(X_OK, np.vstack([np.ones(20), np.zeros(20)]))  # an empty component, no current params
    with pytest.raises(ValueError, match="fixed"):
        m_step(X_OK, np.ones((2, 20)) / 2, fixed={"means"})
    with pytest.raises(ValueError, match="weights"):
        e_step(X_OK, [0.7, 0.7], np.zeros((2, 2)), np.array([np.eye(2)] * 2))
    with pytest.raises(ValueError, match="covariances"):
        e_step(X_OK, [0.5, 0.5], np.zeros((2, 2)), np.array([np.eye(2), -np.eye(2)]))
    with pytest.raises(ValueError, match="means"):
        e_step(X_OK, [0.5, 0.5], np.zeros((2, 3)), np.array([np.eye(2)] * 2))
    with pytest.raises(ValueError, match="covariance_type"):
        e_step(X_OK, [0.5, 0.5], np.zeros((2, 2)), np.array([np.eye(2)] * 2), "bogus")
    with pytest.raises(ValueError, match="X spans"):
        GaussianMixture(1).fit(np.array([[1e200], [-1e200]]))
    with pytest.raises(ValueError, match="X spans only"):
        GaussianMixture(1).fit(np.array([[0.0, 0.0], [1.0, 1e-160]]))
    with pytest.raises(ValueError, match="n_components"):
        default_prior(X_OK, 0)
    with pytest.raises(ValueError, match="n_components_range"):
        select_n_components(X_OK, [0])
    with pytest.raises(TypeError, match=r"^n_components_range must be a sequence of integers"):
        select_n_components(X_OK, 3)
    with pytest.raises(ValueError, match="criterion"):
        select_n_components(X_OK, [1], criterion="icl")


@pytest.mark.parametrize("covariance_type", ["full", "tied", "diag", "spherical"])
def test_mixture_logpdf_equals_scipy_and_sums_to_the_e_step_loglik(covariance_type):
    """Independent route: scipy.stats.multivariate_normal, component by component."""
    from scipy import stats

    rng = np.random.default_rng(11)
    X = rng.normal(size=(40, 2)) * [1.0, 3.0] + [5.0, -2.0]
    weights = np.array([0.2, 0.5, 0.3])
    means = rng.normal(size=(3, 2)) * 2 + [5.0, -2.0]
    full = np.array([[[1.0, 0.3], [0.3, 2.0]], [[0.5, -0.1], [-0.1, 4.0]], [[2.0, 0.0], [0.0, 1.0]]])
    given = {
        "full": full,
        "tied": full[0],
        "diag": np.array([[1.0, 2.0], [0.5, 4.0], [2.0, 1.0]]),
        "spherical": np.array([1.0, 0.5, 2.0]),
    }[covariance_type]
    as_full = {
        "full": full,
        "tied": np.array([full[0]] * 3),
        "diag": np.array([np.diag(d) for d in given]) if covariance_type == "diag" else None,
        "spherical": np.array([v * np.eye(2) for v in given]) if covariance_type == "spherical" else None,
    }
    covs = as_full[covariance_type]
    expected = np.log(
        sum(w * stats.multivariate_normal(m, c).pdf(X) for w, m, c in zip(weights, means, covs, strict=False))
    )
    got = mle_lib.mixture_logpdf(X, weights, means, given, covariance_type)
    np.testing.assert_allclose(got, expected, rtol=1e-12)
    assert got.sum() == pytest.approx(mle_lib.e_step(X, weights, means, given, covariance_type)[1], rel=1e-13)


def test_mixture_logpdf_refuses_bad_parameters():
    with pytest.raises(ValueError, match="weights"):
        mle_lib.mixture_logpdf([0.0, 1.0], [0.7, 0.7], [0.0, 1.0], [1.0, 1.0], "spherical")
    with pytest.raises(ValueError, match="covariance_type"):
        mle_lib.mixture_logpdf([0.0, 1.0], [0.5, 0.5], [0.0, 1.0], [1.0, 1.0], "round")
    with pytest.raises(ValueError, match="X"):
        mle_lib.mixture_logpdf([0.0, np.nan], [0.5, 0.5], [0.0, 1.0], [1.0, 1.0], "spherical")


# ----------------------------------------------------------------------------------------------
# Far from every component: the limit, never NaN or a uniform guess (one route with the hat trick)
# ----------------------------------------------------------------------------------------------


def test_far_out_posterior_in_two_dimensions_tied():
    means = np.array([[0.0, 0.0], [3.0, 0.0]])
    X = np.array([[1e160, 0.0], [-1e160, 0.0], [1e17, 5.0], [1.5, 1e160], [1.5, -1e200]])
    resp, ll = e_step(X, [0.3, 0.7], means, np.eye(2), "tied")
    np.testing.assert_allclose(resp[:, 0], [0.0, 1.0])  # x far right: the right-hand mean is nearer
    np.testing.assert_allclose(resp[:, 1], [1.0, 0.0])
    np.testing.assert_allclose(resp[:, 2], [0.0, 1.0])  # log-odds 3·(1e17 − 1.5): exact, one-hot
    np.testing.assert_allclose(resp[:, 3], [0.3, 0.7])  # equidistant for ever: the weights decide
    np.testing.assert_allclose(resp[:, 4], [0.3, 0.7])
    assert not np.any(np.isnan(resp)) and ll == -np.inf


def test_far_out_posterior_moderate_x_is_exact():
    """Where the log-joint is finite but beyond the softmax's resolution, the linear form is exact."""
    means = np.array([[0.0, 0.0], [1e-7, 0.0]])
    x = np.array([[-1.5e8 * 1e-9, 0.0]])  # small: ordinary softmax
    resp, _ = e_step(x, [0.5, 0.5], means, np.eye(2), "tied")
    expected = 1.0 / (1.0 + np.exp((x[0, 0] - 0.5e-7) * 1e-7))
    assert resp[0, 0] == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("ct", ["full", "diag", "spherical"])
def test_far_out_the_widest_component_wins(ct):
    means = np.array([[0.0, 0.0], [1.0, 1.0]])
    cov = {
        "full": np.array([np.eye(2), 4 * np.eye(2)]),
        "diag": np.array([[1.0, 1.0], [4.0, 4.0]]),
        "spherical": np.array([1.0, 4.0]),
    }[ct]
    X = np.array([[1e160, 1e160], [-1e200, 3.0]])
    resp, _ = e_step(X, [0.9, 0.1], means, cov, ct)
    np.testing.assert_allclose(resp[1], [1.0, 1.0])
    gm = GaussianMixture(
        2, covariance_type=ct, weights_init=[0.9, 0.1], means_init=means, covariances_init=cov, max_iter=0
    ).fit(np.random.default_rng(0).normal(size=(20, 2)))
    np.testing.assert_allclose(gm.predict_proba(X)[:, 1], [1.0, 1.0])
    np.testing.assert_array_equal(gm.predict(X), [1, 1])
