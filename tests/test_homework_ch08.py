"""Chapter 8's self-checks: the Σ_k update against an independent loop, and the two traps (random starts
stopping on a saddle; BIC under rescaling) re-measured here the way the exercises ask."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.mixture import GaussianMixture as SklearnGaussianMixture

import mle_lib as ml
from mle_lib.homework import evaluate


def sigma_loop(X, resp, old_means, *, about_old=False, divide_by_n=False, weighted=True, ddof=0):
    X, resp = np.asarray(X, float), np.asarray(resp, float)
    nk = resp.sum(axis=1)
    centres = np.asarray(old_means) if about_old else resp @ X / nk[:, None]
    out = []
    for k in range(resp.shape[0]):
        d = X - centres[k]
        g = resp[k] if weighted else np.ones(X.shape[0])
        out.append((g[:, None] * d).T @ d / (X.shape[0] if divide_by_n else nk[k] - ddof))
    return np.array(out)


def test_turn8_1_right_passes_and_list_variant():
    assert evaluate("turn8.1", sigma_loop).correct
    assert evaluate("turn8.1", lambda *a: sigma_loop(*a).tolist()).correct


@pytest.mark.parametrize(
    "kwargs, words",
    [
        ({"divide_by_n": True}, "divided by n, the number of points"),
        ({"ddof": 1}, "you divided by n_k − 1; the MLE divides by n_k"),
        ({"about_old": True}, "old means"),
        ({"weighted": False}, "weight each point"),
        ({"weighted": False, "divide_by_n": True}, "weight each point"),
    ],
)
def test_turn8_1_mistakes(kwargs, words):
    r = evaluate("turn8.1", lambda X, resp, m: sigma_loop(X, resp, m, **kwargs))
    assert r.status == "wrong" and words in r.message, r.message


def test_turn8_1_shape_and_unanswered():
    r = evaluate("turn8.1", lambda X, resp, m: sigma_loop(X, resp, m)[0])
    assert r.status == "wrong" and "(K, d, d)" in r.message

    def stub(*a):
        raise NotImplementedError

    assert evaluate("turn8.1", stub).status == "unanswered"
    assert evaluate("turn8.1", ...).status == "unanswered"


@pytest.fixture(scope="module")
def faithful():
    X = ml.load_old_faithful()
    return X, (X - X.mean(axis=0)) / X.std(axis=0)


def test_trap_random_starts_stop_on_the_k1_saddle(faithful):
    # measured with scikit-learn, an independent EM, from the same kind of start: the saddle is the data
    _, Z = faithful
    one = SklearnGaussianMixture(1).fit(Z).score(Z)
    for s in range(10):
        fit = ml.GaussianMixture(2, init_params="random", random_state=s).fit(Z)
        assert fit.n_iter_ == 2 and fit.converged_
        assert abs(fit.score(Z) - one) < 0.002
    sk = SklearnGaussianMixture(2, init_params="random", random_state=0).fit(Z)
    assert abs(sk.score(Z) - one) < 0.002  # scikit-learn stops on the same saddle
    assert evaluate("ex8.1", "c").correct and evaluate("ex8.1", "a").status == "wrong"
    assert evaluate("ex8.2", "c").correct
    hints = {evaluate("ex8.2", o).message for o in "abd"}
    assert len(hints) == 1 and "two fits printed above the table" in hints.pop()  # one hint: no elimination
    assert "expected one of" in evaluate("ex8.2", "e").message


def test_trap_largest_rescuing_tol(faithful):
    _, Z = faithful
    best = SklearnGaussianMixture(2, tol=1e-10, max_iter=1000, random_state=0).fit(Z).score(Z)
    found = None
    for tol in (1e-3, 1e-4, 1e-5, 1e-6, 1e-7, 1e-8):
        scores = [
            ml.GaussianMixture(2, init_params="random", tol=tol, max_iter=5000, random_state=s).fit(Z).score(Z)
            for s in range(10)
        ]
        if min(scores) > best - 0.01:
            found = tol
            break
    assert found is not None
    assert evaluate("ex8.3", found).correct
    assert evaluate("ex8.3", [found]).status == "wrong"  # a list is a shape error, said clearly
    assert "shape" in evaluate("ex8.3", [found]).message
    # every wrong power of ten gets the same message: two tries must not bracket the answer
    wrong = {evaluate("ex8.3", tol).message for tol in (1e-3, 1e-4, 1e-5, 1e-6, 1e-7, 1e-8) if tol != found}
    assert len(wrong) == 1 and "find the largest" in wrong.pop()
    assert "close, but not exactly, as one of the six values tried" in evaluate("ex8.3", found * 1.02).message
    assert evaluate("ex8.3", ...).status == "unanswered"


def test_trap_bic_constant_breaks_at_k3(faithful):
    X, Z = faithful
    const = 2 * X.shape[0] * np.log(np.prod(X.std(axis=0)))
    types = ("full", "spherical")
    tz = ml.select_n_components(Z, [1, 2, 3], types, random_state=0, n_init=3)
    tx = ml.select_n_components(X, [1, 2, 3], types, random_state=0, n_init=3)
    diff = {ct: tx[tx["covariance_type"] == ct]["bic"] - tz[tz["covariance_type"] == ct]["bic"] - const for ct in types}
    assert np.all(np.abs(diff["full"][:2]) < 0.01) and abs(diff["full"][2]) > 0.01
    assert np.all(np.abs(diff["spherical"]) > 100)
    # why: from the standardised K = 3 fit mapped to minutes, EM on X gives the constant back
    gz = ml.GaussianMixture(3, n_init=3, random_state=0, tol=1e-8, max_iter=2000).fit(Z)
    A, b = np.diag(X.std(axis=0)), X.mean(axis=0)
    gx = ml.GaussianMixture(
        3,
        weights_init=gz.weights_,
        means_init=gz.means_ @ A + b,
        covariances_init=A @ gz.covariances_ @ A,
        tol=1e-8,
        max_iter=2000,
    ).fit(X)
    assert abs(gx.bic(X) - gz.bic(Z) - const) < 0.01
    assert evaluate("ex8.4", "b").correct
    assert "theory alone" in evaluate("ex8.4", "a").message
    assert evaluate("ex8.5", 3).correct and evaluate("ex8.5", 3.0).correct
    assert "look further" in evaluate("ex8.5", 1).message
    assert "at every K up to 6" in evaluate("ex8.5", 0).message  # "it never leaves the constant": wrong
    assert evaluate("ex8.5", 4).status == "wrong"
    assert "expected a number of components" in evaluate("ex8.5", "three").message


# ---- partial solutions never pass (issue 14): rejected on the exercise's cases and on other seeds' --------------
def rejected(exercise, f):
    return all(evaluate(exercise, f, seed=s).status == "wrong" for s in (None, 1, 2, 3, 4, 5))


def test_turn8_1_two_components_only_are_rejected():
    def two_only(X, resp, old_means):
        resp = np.asarray(resp, float)
        out = np.array([np.eye(np.shape(X)[1])] * resp.shape[0])
        out[:2] = sigma_loop(X, resp[:2], np.asarray(old_means)[:2])
        return out

    assert rejected("turn8.1", two_only)


# ---- ex8.6: the number of free parameters --------------------------------------------------------------------------
COV = {
    "full": lambda d, K: K * d * (d + 1) // 2,
    "tied": lambda d, K: d * (d + 1) // 2,
    "diag": lambda d, K: K * d,
    "spherical": lambda d, K: K,
}


def count(covariance_type, d, K, *, weights=None, cov=None):
    weights = K - 1 if weights is None else weights(K)
    return weights + K * d + (cov or COV)[covariance_type](d, K)


@pytest.mark.parametrize("covariance_type", ["full", "tied", "diag", "spherical"])
@pytest.mark.parametrize("d, K", [(1, 1), (2, 3), (5, 4)])
def test_ex8_6_library_count_agrees_with_scikit_learn(covariance_type, d, K):
    """The count the check compares with is scikit-learn's _n_parameters() on a fitted model (an independent route)."""
    from mle_lib.homework import ch08

    X = np.random.default_rng(d * 10 + K).normal(size=(40 * K, d)) * np.arange(1, d + 1)
    ours = ml.GaussianMixture(K, covariance_type=covariance_type, random_state=0).fit(X)
    theirs = SklearnGaussianMixture(K, covariance_type=covariance_type, random_state=0).fit(X)
    assert ours.n_parameters() == theirs._n_parameters() == ch08._count_ref(covariance_type, d, K)
    assert count(covariance_type, d, K) == theirs._n_parameters()


def test_ex8_6_right_passes_and_mistakes_get_their_hint():
    assert evaluate("ex8.6", count).correct
    assert evaluate("ex8.6", lambda *a: float(count(*a))).correct  # 11.0 for 11 is harmless
    cases = [
        (lambda ct, d, K: count(ct, d, K, weights=lambda K: K), "only K − 1 are free"),
        (lambda ct, d, K: count(ct, d, K, cov={**COV, "full": lambda d, K: K * d * d}), "symmetric"),
        (
            lambda ct, d, K: count(ct, d, K, cov={**COV, "full": lambda d, K: K * d * d, "tied": lambda d, K: d * d}),
            "symmetric",
        ),
        (lambda ct, d, K: count(ct, d, K, cov={**COV, "tied": lambda d, K: K * d * (d + 1) // 2}), "count it once"),
        (lambda ct, d, K: count(ct, d, K, cov={**COV, "spherical": lambda d, K: 1}), "its own variance"),
        (lambda ct, d, K: count(ct, d, K) - K * d, "leaves out the means"),
        (
            lambda ct, d, K: count(
                ct, d, K, cov={**COV, "full": lambda d, K: K * d * (d - 1) // 2, "tied": lambda d, K: d * (d - 1) // 2}
            ),
            "variances on the diagonal",
        ),
    ]
    for wrong, words in cases:
        r = evaluate("ex8.6", wrong)
        assert r.status == "wrong" and words in r.message, r.message
    # a count right for full covariances only is rejected, on every seed's cases
    assert rejected("ex8.6", lambda ct, d, K: count("full", d, K))
    assert evaluate("ex8.6", ...).status == "unanswered"


# ---- ex8.7: the M-step of a tied covariance ------------------------------------------------------------------------
def tied_loop(X, resp, *, equal_weights=False, divide=True, about_one_mean=False):
    X, resp = np.asarray(X, float), np.asarray(resp, float)
    nk = resp.sum(axis=1)
    means = resp @ X / nk[:, None]
    if about_one_mean:
        d = X - X.mean(axis=0)
        return d.T @ d / X.shape[0]
    parts = []
    for k in range(resp.shape[0]):
        d = X - means[k]
        parts.append((resp[k][:, None] * d).T @ d)
    if equal_weights:
        return np.mean([p / nk[k] for k, p in enumerate(parts)], axis=0)
    return sum(parts) / (X.shape[0] if divide else 1.0)


def test_ex8_7_right_passes_and_mistakes_get_their_hint():
    assert evaluate("ex8.7", tied_loop).correct
    for kwargs, words in [
        ({"equal_weights": True}, "equal weights 1/K"),
        ({"divide": False}, "divide by the coefficient"),
        ({"about_one_mean": True}, "about its component's mean"),
    ]:
        r = evaluate("ex8.7", lambda X, resp, kw=kwargs: tied_loop(X, resp, **kw))
        assert r.status == "wrong" and words in r.message, r.message
    r = evaluate("ex8.7", lambda X, resp: tied_loop(X, resp)[0])
    assert r.status == "wrong" and "(d, d)" in r.message

    def two_only(X, resp):
        resp = np.asarray(resp, float)
        return tied_loop(X, resp[:2] / resp[:2].sum(axis=0))

    assert rejected("ex8.7", two_only)


def test_ex8_7_tied_update_maximises_q_by_an_independent_route():
    """The library's tied update (the check's reference) beats random symmetric perturbations of Q(Σ) =
    Σ_i Σ_k γ_ik ln N(x_i | μ_k, Σ), with scipy.stats for the density."""
    from scipy import stats

    rng = np.random.default_rng(11)
    X = np.vstack([rng.normal([0, 0, 0], 1.0, (50, 3)), rng.normal([3, 1, -2], 0.7, (30, 3))])
    resp, _ = ml.e_step(X, [0.6, 0.4], [[0.2, 0, 0], [2.8, 1, -2]], [np.eye(3), np.eye(3)])
    _, means, shared = ml.m_step(X, resp, "tied", reg_covar=0.0)

    def q(S):
        return sum(resp[k] @ stats.multivariate_normal(means[k], S).logpdf(X) for k in range(2))

    best = q(shared)
    for _ in range(100):
        E = rng.normal(size=(3, 3))
        E = 0.05 * (E + E.T)
        assert q(shared + E) < best
    np.testing.assert_allclose(shared, tied_loop(X, resp), rtol=1e-10)
