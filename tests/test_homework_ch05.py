"""Chapter 5's self-checks: right answers pass (computed here by another route), known mistakes earn their
hint, harmless variants pass, wrong types/shapes get a clear message, ``...`` is not answered."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import integrate, stats

from mle_lib.homework import REGISTRY, evaluate
from mle_lib.homework.ch05 import EXERCISES
from mle_lib.homework.variants import RECIPES, params_for

SERIALS = RECIPES["ex5.3"].demo["serials"]  # the chapter's five tanks (the demo student's variant)


def test_chapter_has_four_exercises_and_a_turn_of_several_kinds():
    kinds = {type(ex).__name__ for ex in EXERCISES.values()}
    assert sum(k.startswith("ex5.") for k in EXERCISES) >= 4
    assert any(k.startswith("turn5.") for k in EXERCISES)
    assert kinds == {"Value", "Choice", "Function"}


@pytest.mark.parametrize("exercise", sorted(EXERCISES))
def test_ellipsis_is_not_answered(exercise):
    assert evaluate(exercise, ...).status == "unanswered"


# turn5.1 — the uniform MLE from order statistics, against scipy.stats.uniform.fit here
def test_turn51_reference_agrees_with_scipy_fit():
    x = np.random.default_rng(3).uniform(2.0, 10.0, size=12)
    loc, scale = stats.uniform.fit(x)
    assert EXERCISES["turn5.1"].reference(x) == pytest.approx((loc, loc + scale))
    assert evaluate("turn5.1", lambda s: (min(s), max(s))).correct


def test_turn51_right_function_passes_with_list_return():
    assert evaluate("turn5.1", lambda x: [np.sort(x)[0], np.sort(x)[-1]]).correct


def test_turn51_unbiased_version_is_not_the_mle():
    def unbiased(x):
        r = np.ptp(x) / (len(x) - 1)
        return np.min(x) - r, np.max(x) + r

    res = evaluate("turn5.1", unbiased)
    assert res.status == "wrong" and "that is the bias-corrected estimator, not the MLE" in res.message


@pytest.mark.parametrize("ddof", [0, 1])
def test_turn51_mean_plus_minus_spread_is_method_of_moments(ddof):
    def moments(x):
        half = np.sqrt(3) * np.std(x, ddof=ddof)
        return np.mean(x) - half, np.mean(x) + half

    assert "method-of-moments" in evaluate("turn5.1", moments).message


def test_turn51_swapped_and_off_by_one():
    assert "lower end first" in evaluate("turn5.1", lambda x: (np.max(x), np.min(x))).message
    assert "off by one" in evaluate("turn5.1", lambda x: (np.sort(x)[1], np.sort(x)[-2])).message


def test_turn51_wrong_shape_and_type():
    assert "shape" in evaluate("turn5.1", lambda x: np.max(x)).message
    assert "expected a function" in evaluate("turn5.1", (0.0, 1.0)).message


# turn5.2 — MSE prediction
def test_turn52_prediction():
    assert evaluate("turn5.2", "b").correct
    assert "bias²" in evaluate("turn5.2", "a").message
    assert "far apart" in evaluate("turn5.2", "c").message
    assert "expected one of" in evaluate("turn5.2", "mle").message


# ex5.1 — MSE of (n + 2)/(n + 1) · X₍ₙ₎ by numerical integration against the density n xⁿ⁻¹/bⁿ
def _mse_by_quad(c, n=5, b=10.0):
    return integrate.quad(lambda t: (c * t - b) ** 2 * n * t ** (n - 1) / b**n, 0.0, b)[0]


def test_ex51_right_answer_passes():
    assert evaluate("ex5.1", _mse_by_quad(7 / 6)).correct
    assert evaluate("ex5.1", 2.78).correct
    assert _mse_by_quad(7 / 6) == pytest.approx(100 / 36)


def test_ex51_mistakes():
    assert "MSE of the MLE" in evaluate("ex5.1", _mse_by_quad(1.0)).message
    assert "unbiased" in evaluate("ex5.1", _mse_by_quad(6 / 5)).message
    assert "MSE/b²" in evaluate("ex5.1", _mse_by_quad(7 / 6) / 100).message


# ex5.2 — bias of the minimum at n = 3, (a, b) = (2, 10): E[X₍₁₎] by integration, and by simulation
def test_ex52_right_answer_passes():
    n, a, b = 3, 2.0, 10.0
    e_min = integrate.quad(lambda t: t * n * (b - t) ** (n - 1) / (b - a) ** n, a, b)[0]
    assert evaluate("ex5.2", e_min - a).correct
    sim = np.random.default_rng(5).uniform(a, b, size=(400_000, n)).min(axis=1).mean() - a
    assert evaluate("ex5.2", sim).correct


def test_ex52_mistakes():
    assert "sign" in evaluate("ex5.2", -2.0).message
    assert "count the gaps" in evaluate("ex5.2", 8 / 3).message
    assert "width" in evaluate("ex5.2", 0.25).message


# ex5.3 — German tanks: (max, 6/5 · max), order matters
def test_ex53_right_answer_passes_as_tuple_list_or_array():
    mle = max(SERIALS)
    corrected = (len(SERIALS) + 1) / len(SERIALS) * mle
    for answer in ((mle, corrected), [mle, corrected], np.array([mle, corrected]), (113, 135.6)):
        assert evaluate("ex5.3", answer).correct


def test_ex53_mistakes_and_shape():
    assert "discrete correction" in evaluate("ex5.3", (113, 113 + 113 / 5 - 1)).message
    assert "the order is" in evaluate("ex5.3", (135.6, 113)).message
    assert "method-of-moments" in evaluate("ex5.3", (2 * np.mean(SERIALS), 135.6)).message
    assert "shape" in evaluate("ex5.3", 113).message


# ex5.4 — the flat likelihood of Uniform(θ, θ + 1): confirm on data that L is constant on [x₍ₙ₎ − 1, x₍₁₎]
def test_ex54_plateau_and_choice():
    x = np.random.default_rng(7).uniform(4.0, 5.0, size=8)
    thetas = np.linspace(x.max() - 1, x.min(), 50)
    lik = [np.prod(((x >= t) & (x <= t + 1)).astype(float)) for t in thetas]
    assert np.all(np.array(lik) == 1.0)  # every θ on the plateau maximises: not unique
    assert evaluate("ex5.4", "c").correct
    assert "only θ" in evaluate("ex5.4", "a").message
    assert "only θ" in evaluate("ex5.4", "b").message
    assert "method-of-moments" in evaluate("ex5.4", "d").message


# ---- partial solutions never pass (issue 14): rejected on the exercise's cases and on other seeds' --------------
def rejected(exercise, f):
    return all(evaluate(exercise, f, seed=s).status == "wrong" for s in (None, 1, 2, 3, 4, 5))


def test_turn51_the_first_40_points_only_are_rejected():
    assert rejected("turn5.1", lambda x: (min(x[:40]), max(x[:40])))


# ---- ex5.2 is answered by simulation: an honest simulation of the chapter's size passes (issue 14) ----------------
REPS = 4000  # the chapter's replicate samples (ml.simulate_estimator(..., 4000, ...) in its bias section)


def honest_ex52_simulations(n_simulations, seed):
    """n_simulations independent simulated biases of x₍₁₎ at n = 3, (a, b) = (2, 10), each from REPS samples."""
    rng = np.random.default_rng(seed)
    return np.concatenate(
        [
            rng.uniform(2.0, 10.0, size=(100, REPS, 3)).min(axis=2).mean(axis=1) - 2.0
            for _ in range(n_simulations // 100)
        ]
    )


def test_ex52_tolerance_covers_a_simulation_of_the_chapters_size():
    n, a, b = 3, 2.0, 10.0
    sd_min = (b - a) * np.sqrt(n / ((n + 1) ** 2 * (n + 2)))  # the sd of X₍₁₎, from its Beta(1, n) law
    se = sd_min / np.sqrt(REPS)
    ex = EXERCISES["ex5.2"]
    assert ex.rtol * (b - a) / (n + 1) >= 3.5 * se  # at least 3.5 standard errors either side


def test_ex52_honest_simulations_pass_999_times_in_1000():
    biases = honest_ex52_simulations(1000, seed=2052)
    passed = sum(evaluate("ex5.2", float(v)).correct for v in biases)
    print(f"ex5.2: {passed} of 1000 honest simulations of {REPS} repetitions pass")
    assert passed >= 999


# ---- variants (issue 15 §1): another student's right answer passes for them, the chapter's (the demo's) does not --


def test_ex51_variant():
    p = params_for("ex5.1", "s1")
    assert p != RECIPES["ex5.1"].demo
    n, b = p["n"], p["b"]
    right = _mse_by_quad((n + 2) / (n + 1), n, b)
    assert right == pytest.approx(b**2 / (n + 1) ** 2)
    assert evaluate("ex5.1", right, student="s1").correct
    assert not evaluate("ex5.1", _mse_by_quad(7 / 6), student="s1").correct
    assert "unbiased" in evaluate("ex5.1", _mse_by_quad((n + 1) / n, n, b), student="s1").message


def test_ex52_variant():
    p = params_for("ex5.2", "s1")
    assert p != RECIPES["ex5.2"].demo
    a, b, n = p["a"], p["b"], p["n"]
    e_min = integrate.quad(lambda t: t * n * (b - t) ** (n - 1) / (b - a) ** n, a, b)[0]
    assert evaluate("ex5.2", e_min - a, student="s1").correct
    assert not evaluate("ex5.2", 2.0, student="s1").correct  # the demo's (b − a)/(n + 1) = 8/4


def test_ex53_variant():
    serials = params_for("ex5.3", "s1")["serials"]
    assert serials != SERIALS and serials == sorted(set(serials)) and serials[0] >= 1
    top = max(serials)
    assert evaluate("ex5.3", (top, (len(serials) + 1) / len(serials) * top), student="s1").correct
    assert not evaluate("ex5.3", (113, 135.6), student="s1").correct


def test_ex52_tolerance_covers_a_simulation_of_the_chapters_size_for_every_variant():
    """5 % of (b − a)/(n + 1) is 0.05 √(REPS (n + 2)/n) standard errors: the fewest at the largest n a variant has."""
    ns = {params_for("ex5.2", f"s{i}", "t")["n"] for i in range(300)}
    assert max(ns) <= 6 and min(ns) >= 2
    for n in range(2, 7):
        a, b = 0.0, 1.0
        se = (b - a) * np.sqrt(n / ((n + 1) ** 2 * (n + 2))) / np.sqrt(REPS)
        assert EXERCISES["ex5.2"].rtol * (b - a) / (n + 1) >= 3.6 * se


def test_ex52_honest_simulations_of_the_widest_variant_pass_999_times_in_1000():
    params = {"a": -3.7, "b": 15.2, "n": 6}  # the largest n of any variant: the fewest standard errors
    assert RECIPES["ex5.2"].problem(params) is None
    rng = np.random.default_rng(3052)
    biases = np.concatenate(
        [rng.uniform(-3.7, 15.2, size=(100, REPS, 6)).min(axis=2).mean(axis=1) + 3.7 for _ in range(10)]
    )
    passed = sum(evaluate("ex5.2", float(v), student="x", params=params).correct for v in biases)
    print(f"ex5.2 at n = 6: {passed} of 1000 honest simulations of {REPS} repetitions pass")
    assert passed >= 999


@pytest.mark.parametrize("exercise", ["ex5.1", "ex5.2", "ex5.3"])
def test_no_variant_lets_a_known_mistake_pass(exercise):
    ex = REGISTRY[exercise]
    for i in range(200):
        p = params_for(exercise, f"s{i}", "t")
        for wrong, hint in ex.mistakes:  # (two mistakes may coincide on a variant: then either hint is given)
            result = evaluate(exercise, wrong(**p), student=f"s{i}", params=p)
            assert result.status == "wrong" and any(h in result.message for _, h in ex.mistakes), (p, hint)
