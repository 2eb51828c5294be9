"""Chapter 7's self-checks: right answers pass (computed here by independent routes), known mistakes earn
their hints, harmless variants pass, wrong types/shapes get a clear message, ``...`` is unanswered."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

import mle_lib as ml
from mle_lib.homework import evaluate
from mle_lib.homework.ch07 import EXERCISES as EXERCISES_7
from mle_lib.homework.variants import RECIPES, params_for


def e_step_scipy(x, weights, means, variances):
    """γ_ij by Bayes' rule with scipy's normal density, (K, n)."""
    x, w, mu, var = (np.asarray(a, float) for a in (x, weights, means, variances))
    joint = w[:, None] * stats.norm.pdf(x[None, :], mu[:, None], np.sqrt(var)[:, None])
    return joint / joint.sum(axis=0)


def m_step_numpy(x, resp):
    x, resp = np.asarray(x, float), np.asarray(resp, float)
    nk = resp.sum(axis=1)
    mu = resp @ x / nk
    return nk / x.size, mu, np.sum(resp * (x[None, :] - mu[:, None]) ** 2, axis=1) / nk


# --- turn7.1: the E-step --------------------------------------------------------------------------------


def test_e_step_right_passes():
    r = evaluate("turn7.1", e_step_scipy)
    assert r.correct, r.message


def test_e_step_list_output_passes():
    assert evaluate("turn7.1", lambda *a: e_step_scipy(*a).tolist()).correct


@pytest.mark.parametrize(
    "wrong, words",
    [
        (lambda x, w, m, v: e_step_scipy(x, np.full(len(w), 1 / len(w)), m, v), "mixing weights"),
        (lambda x, w, m, v: e_step_scipy(x, w, m, np.asarray(v) ** 2), "standard deviation"),
        (
            lambda x, w, m, v: (lambda j: j / j.sum(axis=1, keepdims=True))(
                np.asarray(w)[:, None]
                * stats.norm.pdf(np.asarray(x)[None], np.asarray(m)[:, None], np.sqrt(v)[:, None])
            ),
            "each column",
        ),
    ],
)
def test_e_step_mistakes_get_their_hints(wrong, words):
    r = evaluate("turn7.1", wrong)
    assert r.status == "wrong" and words in r.message, r.message


def test_e_step_transposed_gets_shape_message():
    r = evaluate("turn7.1", lambda *a: e_step_scipy(*a).T)
    assert r.status == "wrong" and "shape (K, n)" in r.message and "returned shape" in r.message


def test_e_step_stub_and_ellipsis_unanswered():
    def stub(*a):
        raise NotImplementedError("your code here")

    assert evaluate("turn7.1", stub).status == "unanswered"
    assert evaluate("turn7.1", ...).status == "unanswered"
    assert "expected a function" in evaluate("turn7.1", 3.0).message


# --- turn7.2: the M-step --------------------------------------------------------------------------------


def test_m_step_right_passes_and_list_variant():
    assert evaluate("turn7.2", m_step_numpy).correct
    assert evaluate("turn7.2", lambda x, r: [list(a) for a in m_step_numpy(x, r)]).correct


def _by_n(x, resp):
    resp = np.asarray(resp)
    mu = resp @ x / x.size
    return resp.sum(1) / x.size, mu, np.sum(resp * (x[None] - mu[:, None]) ** 2, axis=1) / x.size


@pytest.mark.parametrize(
    "wrong, words",
    [
        (_by_n, "divided the weighted sums by n"),
        (
            lambda x, r: (*m_step_numpy(x, r)[:2], m_step_numpy(x, r)[2] * np.sum(r, 1) / x.size),
            "variances are divided by n",
        ),
        (lambda x, r: (*m_step_numpy(x, r)[:2], m_step_numpy(x, r)[2] * np.sum(r, 1) / (np.sum(r, 1) - 1)), "unbiased"),
        (lambda x, r: (np.sum(r, 1), *m_step_numpy(x, r)[1:]), "do not sum to 1"),
    ],
)
def test_m_step_mistakes_get_their_hints(wrong, words):
    r = evaluate("turn7.2", wrong)
    assert r.status == "wrong" and words in r.message, r.message


def test_m_step_wrong_shape_message():
    r = evaluate("turn7.2", lambda x, resp: m_step_numpy(x, resp)[1])
    assert r.status == "wrong" and "(weights, means, variances)" in r.message


# --- ex7.1: the share-price responsibility ---------------------------------------------------------------


def test_ex7_1():
    # at 95 the two equal-variance densities are equal, so γ_B is the prior τ_B (closed form)
    assert evaluate("ex7.1", 800 / 1800).correct
    assert evaluate("ex7.1", 0.444).correct  # rounded
    assert "left out the weights" in evaluate("ex7.1", 0.5).message
    assert "company A" in evaluate("ex7.1", 1000 / 1800).message
    assert evaluate("ex7.1", 0.3).status == "wrong"
    assert "expected a probability" in evaluate("ex7.1", "0.44x").message
    assert "shape" in evaluate("ex7.1", [0.4, 0.6]).message
    assert evaluate("ex7.1", ...).status == "unanswered"


def test_ex7_1_variant():
    # another student's counts and price (issue 15 §1): γ_B from scipy's densities, Bayes' rule by hand
    p = params_for("ex7.1", "s1")
    assert p != RECIPES["ex7.1"].demo
    tau_a, tau_b = p["n_a"] / (p["n_a"] + p["n_b"]), p["n_b"] / (p["n_a"] + p["n_b"])
    f_a, f_b = stats.norm.pdf(p["price"], 100, 2), stats.norm.pdf(p["price"], 90, 2)
    assert evaluate("ex7.1", tau_b * f_b / (tau_a * f_a + tau_b * f_b), student="s1").correct
    assert not evaluate("ex7.1", 800 / 1800, student="s1").correct  # the demo's answer
    if p["price"] != 95:
        assert "only at Rs. 95" in evaluate("ex7.1", tau_b, student="s1").message
    for i in range(200):  # no variant lets a known mistake pass (τ_B is right where the price is 95)
        q = params_for("ex7.1", f"s{i}", "t")
        for wrong, _hint in EXERCISES_7["ex7.1"].mistakes:
            value = wrong(**q)
            if not np.isclose(value, EXERCISES_7["ex7.1"].expected(**q), rtol=1e-12):
                assert evaluate("ex7.1", value, student=f"s{i}", params=q).status == "wrong", q


# --- ex7.2–ex7.4: choices, verified by measuring what they claim ---------------------------------------


def test_ex7_2_saddle_on_the_antidiagonal():
    x = ml.deck1_two_component_run()["x"]
    gm = ml.GaussianMixture(
        2,
        covariance_type="spherical",
        weights_init=[0.5, 0.5],
        means_init=[-1, 1],
        covariances_init=[1.0, 1.0],
        fixed={"weights", "covariances"},
        reg_covar=0.0,
        tol=1e-10,
        max_iter=500,
    ).fit(x)
    m = gm.means_[:, 0]

    def ll(a, b):
        return float(np.sum(np.log(0.5 * stats.norm.pdf(x, a, 1) + 0.5 * stats.norm.pdf(x, b, 1))))

    assert np.isclose(m[0], -m[1])
    h = 1e-2
    assert ll(m[0] + h, m[1] + h) > ll(*m) > ll(m[0] + h, m[1] - h)  # up one way, down the other: a saddle
    top = ml.GaussianMixture(
        2,
        covariance_type="spherical",
        weights_init=[0.5, 0.5],
        means_init=[-8, 0],
        covariances_init=[1.0, 1.0],
        fixed={"weights", "covariances"},
        reg_covar=0.0,
        tol=1e-10,
    ).fit(x)
    assert ll(*top.means_[:, 0]) > ll(*m) + 0.5
    assert evaluate("ex7.2", "b").correct and evaluate("ex7.2", " B ").correct
    assert evaluate("ex7.2", "a").status == "wrong" and evaluate("ex7.2", "c").status == "wrong"
    assert "expected one of" in evaluate("ex7.2", "e").message
    assert "as a string" in evaluate("ex7.2", 2).message
    assert evaluate("ex7.2", ...).status == "unanswered"


def test_ex7_3_m_step_refuses_nan():
    x = np.append(ml.deck1_two_component_run()["x"], 60.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        f1, f2 = stats.norm.pdf(x, -20, 1), stats.norm.pdf(x, 6, 1)
        z = f1 / (f1 + f2)
    with pytest.raises(ValueError, match="resp"):
        ml.m_step(x, np.vstack([z, 1 - z]), "spherical")
    assert evaluate("ex7.3", "b").correct
    assert "try it" in evaluate("ex7.3", "a").message


def test_ex7_4_hard_em_catches_up_when_groups_are_far_apart():
    sex = np.repeat([0, 1], 1000)
    h = np.random.default_rng(7).normal(np.take([165.0, 190.0], sex), np.take([6.5, 7.0], sex))
    start = dict(weights_init=[0.5, 0.5], means_init=[160.0, 197.0], covariances_init=[64.0, 64.0])
    full = ml.GaussianMixture(2, covariance_type="spherical", reg_covar=0.0, tol=1e-8, max_iter=1000, **start).fit(h)
    hard = ml.GaussianMixture(
        2, covariance_type="spherical", reg_covar=0.0, tol=1e-8, max_iter=1000, classification=True, **start
    ).fit(h)
    assert np.abs(full.means_ - hard.means_).max() < 1.0
    assert evaluate("ex7.4", "c").correct
    assert "overlap" in evaluate("ex7.4", "a").message


# ---- partial solutions never pass (issue 14): rejected on the exercise's cases and on other seeds' --------------
def rejected(exercise, f):
    return all(evaluate(exercise, f, seed=s).status == "wrong" for s in (None, 1, 2, 3, 4, 5))


def test_e_step_for_two_components_only_is_rejected():
    def two_only(x, w, m, v):
        w = np.asarray(w, float)
        out = np.zeros((w.size, np.size(x)))
        out[:2] = e_step_scipy(x, w[:2] / w[:2].sum(), np.asarray(m)[:2], np.asarray(v)[:2])
        return out

    assert rejected("turn7.1", two_only)


def test_e_step_for_the_first_40_points_only_is_rejected():
    def first_40(x, w, m, v):
        out = np.full((len(w), np.size(x)), 1.0 / len(w))
        out[:, :40] = e_step_scipy(np.asarray(x)[:40], w, m, v)
        return out

    assert rejected("turn7.1", first_40)


def test_m_step_for_two_components_only_is_rejected():
    def two_only(x, resp):
        resp = np.asarray(resp, float)
        w, mu, var = (np.ones(resp.shape[0]) for _ in range(3))
        w[:2], mu[:2], var[:2] = m_step_numpy(x, resp[:2])
        return w, mu, var

    assert rejected("turn7.2", two_only)


# --- ex7.5: the weights by a Lagrange multiplier (a derivation, entered as (λ, π_2)) --------------------


def _lagrange_by_hand(p):
    """Maximise Σ n_k ln π_k on the simplex with scipy (softmax parameters), then λ from ∂/∂π_2 = 0."""
    from scipy.optimize import minimize

    counts = np.array([p["n_1"], p["n_2"], p["n"] - p["n_1"] - p["n_2"]])
    res = minimize(lambda a: -(counts @ (a - np.log(np.exp(a).sum()))), np.zeros(3), tol=1e-12)
    pi = np.exp(res.x) / np.exp(res.x).sum()
    return [-counts[1] / pi[1], pi[1]]


@pytest.mark.parametrize("student", [None, "s1", "s2"])
def test_ex7_5_right_passes_for_every_variant(student):
    p = params_for("ex7.5", student) if student else RECIPES["ex7.5"].demo
    right = _lagrange_by_hand(p)
    assert np.isclose(right[0], -p["n"], rtol=1e-6) and np.isclose(right[1], p["n_2"] / p["n"], rtol=1e-6)
    assert evaluate("ex7.5", right, student=student).correct
    assert evaluate("ex7.5", (round(right[0]), round(right[1], 3)), student=student).correct  # rounded


def test_ex7_5_common_mistakes_get_their_hints():
    p = RECIPES["ex7.5"].demo
    n, n_2 = p["n"], p["n_2"]
    assert "sign" in evaluate("ex7.5", [n, n_2 / n]).message  # λ(1 − Σπ) habit: the sign
    assert "1/K" in evaluate("ex7.5", [-n, 1 / 3]).message
    assert "sum over k" in evaluate("ex7.5", [-1, n_2]).message
    assert "not a count" in evaluate("ex7.5", [-n, n_2]).message
    assert evaluate("ex7.5", [-n + 50, n_2 / n]).status == "wrong"
    assert evaluate("ex7.5", -n).status == "wrong" and "shape" in evaluate("ex7.5", -n).message
    assert evaluate("ex7.5", ...).status == "unanswered"


# --- ex7.6: the boundary and its σ → 0 limit (hard EM) ---------------------------------------------------


def _boundary_by_hand(p):
    """x* from the log-odds of scipy's densities (a root of ln π_1 f_1 − ln π_2 f_2), and the midpoint."""
    from scipy.optimize import brentq

    def log_odds(x):
        return (np.log(p["pi_1"]) + stats.norm.logpdf(x, p["mu_1"], p["sigma"])) - (
            np.log(1 - p["pi_1"]) + stats.norm.logpdf(x, p["mu_2"], p["sigma"])
        )

    return [brentq(log_odds, p["mu_1"] - 100, p["mu_2"] + 100, xtol=1e-12), (p["mu_1"] + p["mu_2"]) / 2]


@pytest.mark.parametrize("student", [None, "s1", "s2", "s3"])
def test_ex7_6_right_passes_for_every_variant(student):
    p = params_for("ex7.6", student) if student else RECIPES["ex7.6"].demo
    right = _boundary_by_hand(p)
    assert evaluate("ex7.6", right, student=student).correct
    assert evaluate("ex7.6", [round(v, 2) for v in right], student=student).correct


def test_ex7_6_the_limit_is_k_means_nearest_mean_rule():
    # as σ shrinks, the library's responsibilities become one-hot by the nearest mean, whatever the weights
    x = np.linspace(160, 185, 26)
    resp = ml.e_step(x, [0.9, 0.1], [165.0, 178.0], [1e-4, 1e-4], "spherical")[0]
    nearest = (np.abs(x - 165) > np.abs(x - 178)).astype(int)
    assert np.array_equal(np.argmax(resp, axis=0), nearest) and np.allclose(resp.max(axis=0), 1.0)


def test_ex7_6_common_mistakes_get_their_hints():
    p = RECIPES["ex7.6"].demo
    mid = (p["mu_1"] + p["mu_2"]) / 2
    shift = p["sigma"] ** 2 * np.log(p["pi_1"] / (1 - p["pi_1"])) / (p["mu_2"] - p["mu_1"])
    assert "the midpoint is the limit only" in evaluate("ex7.6", [mid, mid]).message
    assert "direction" in evaluate("ex7.6", [mid - shift, mid]).message
    assert "σ², not σ" in evaluate("ex7.6", [mid + shift / p["sigma"], mid]).message
    assert "let σ → 0" in evaluate("ex7.6", [mid + shift, mid + shift]).message
    assert "half the right one" in evaluate("ex7.6", [mid + shift / 2, mid]).message  # 2σ² written σ²
    assert "twice the right one" in evaluate("ex7.6", [mid + 2 * shift, mid]).message  # 2x written x
    assert evaluate("ex7.6", [mid + shift + 0.3, mid]).status == "wrong"


def test_ex7_6_a_close_answer_is_not_only_told_to_round_better():
    # x* is about 170 cm and the checker's "close" is 5 % of it, wider than the gap between the means: an answer
    # 3 cm off (a wrong formula, not a rounding) lands there, so the advice must name the formula too
    p = RECIPES["ex7.6"].demo
    right = EXERCISES_7["ex7.6"].expected(**p)
    message = evaluate("ex7.6", [right[0] + 3.0, right[1]]).message
    assert "close" in message and "formula" in message and "two decimals" in message, message
    assert evaluate("ex7.6", ...).status == "unanswered"


def test_ex7_6_no_variant_lets_a_known_mistake_pass():
    for i in range(200):
        q = params_for("ex7.6", f"s{i}", "t")
        right = EXERCISES_7["ex7.6"].expected(**q)
        for wrong, _hint in EXERCISES_7["ex7.6"].mistakes:
            assert evaluate("ex7.6", wrong(**q), student=f"s{i}", params=q).status == "wrong", (q, right)
    for i in range(200):
        q = params_for("ex7.5", f"s{i}", "t")
        for wrong, _hint in EXERCISES_7["ex7.5"].mistakes:
            assert evaluate("ex7.5", wrong(**q), student=f"s{i}", params=q).status == "wrong", q
