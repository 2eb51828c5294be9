"""Chapter 4's self-checks: right answers pass (computed here by another route), known mistakes earn their
hint, harmless variants pass, wrong types/shapes get a clear message, ``...`` is not answered."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import optimize

from mle_lib.homework import evaluate
from mle_lib.homework.ch04 import EXERCISES, READINGS
from mle_lib.homework.variants import RECIPES, params_for

X = np.array(READINGS)
N = X.size
SS = float(np.sum((X - X.mean()) ** 2))


def test_chapter_has_four_exercises_and_a_turn_of_several_kinds():
    kinds = {type(ex).__name__ for ex in EXERCISES.values()}
    assert sum(k.startswith("ex4.") for k in EXERCISES) >= 4
    assert any(k.startswith("turn4.") for k in EXERCISES)
    assert kinds == {"Value", "Choice", "Function"}


@pytest.mark.parametrize("exercise", sorted(EXERCISES))
def test_ellipsis_is_not_answered(exercise):
    assert evaluate(exercise, ...).status == "unanswered"


# turn4.1 — σ̂² by hand
def test_turn41_right_answer_and_rounded_variant_pass():
    assert evaluate("turn4.1", SS / N).correct
    assert evaluate("turn4.1", round(SS / N, 3)).correct


def test_turn41_n_minus_1_earns_the_classic_hint():
    res = evaluate("turn4.1", SS / (N - 1))
    assert res.status == "wrong"
    assert "you divided by n − 1: that is the unbiased estimator; the MLE divides by n" in res.message


def test_turn41_standard_deviation_and_mean_earn_their_hints():
    assert "standard deviation" in evaluate("turn4.1", np.sqrt(SS / N)).message
    assert "the mean" in evaluate("turn4.1", X.mean()).message


def test_turn41_wrong_type_and_shape_are_named():
    assert "expected a number" in evaluate("turn4.1", "half").message
    assert "shape" in evaluate("turn4.1", [0.5, 0.6]).message


# turn4.2 — coverage prediction
def test_turn42_prediction():
    assert evaluate("turn4.2", "c").correct
    assert evaluate("turn4.2", " C ").correct
    assert evaluate("turn4.2", "a").status == "wrong"
    assert "n = 10" in evaluate("turn4.2", "b").message
    assert "expected one of" in evaluate("turn4.2", "d").message
    assert "as a string" in evaluate("turn4.2", 3).message


# ex4.1 — known-mean MSE: Var(σ²χ²₅/5) = 2σ⁴/n, checked here against a seeded simulation too
def test_ex41_exact_and_simulated_answers_pass():
    exact = 2 * 4.0**2 / 5
    assert evaluate("ex4.1", exact).correct
    rng = np.random.default_rng(0)
    s = rng.normal(10.0, 2.0, size=(400_000, 5))
    simulated = np.mean((np.mean((s - 10.0) ** 2, axis=1) - 4.0) ** 2)
    assert evaluate("ex4.1", simulated).correct


def test_ex41_mistakes():
    assert "measures from x̄" in evaluate("ex4.1", (2 * 5 - 1) / 25 * 16).message  # MSE of σ̂²
    assert "divisor n − 1" in evaluate("ex4.1", 2 / 4 * 16).message  # MSE of s²
    assert "unbiased is not the same as exact" in evaluate("ex4.1", 0).message


# ex4.2 — MSE of the divisor n + 1 at n = 10, σ² = 4, by brute-force Monte Carlo and closed form
def _mse_divisor(n, c, var=4.0):
    return var**2 * (((n - 1) / c - 1) ** 2 + 2 * (n - 1) / c**2)


def test_ex42_right_answer_passes_and_matches_simulation():
    assert evaluate("ex4.2", 32 / 11).correct
    assert evaluate("ex4.2", 2.91).correct
    rng = np.random.default_rng(1)
    s = rng.normal(0.0, 2.0, size=(200_000, 10))
    est = np.sum((s - s.mean(axis=1, keepdims=True)) ** 2, axis=1) / 11
    assert np.mean((est - 4.0) ** 2) == pytest.approx(32 / 11, rel=0.02)


def test_ex42_mistakes():
    assert "divisor n (the MLE)" in evaluate("ex4.2", _mse_divisor(10, 10)).message
    assert "divisor n − 1" in evaluate("ex4.2", _mse_divisor(10, 9)).message
    assert "n = 5" in evaluate("ex4.2", _mse_divisor(5, 6)).message
    assert "σ⁴" in evaluate("ex4.2", 2 / 11).message


# ex4.3 — the slide density's maximiser: closed form Σ(xᵢ − x̄)²/(2n), and scipy.optimize on the printed density
def test_ex43_half_the_mle():
    def neg(v):
        return -np.sum(np.log(np.exp(-((X - X.mean()) ** 2) / (2 * v)) / (np.sqrt(2 * np.pi) * v)))

    numeric = optimize.minimize_scalar(neg, bounds=(0.01, 5), method="bounded").x
    assert numeric == pytest.approx(SS / (2 * N), rel=1e-4)
    assert evaluate("ex4.3", SS / (2 * N)).correct
    assert evaluate("ex4.3", round(SS / (2 * N), 3)).correct


def test_ex43_mistakes():
    assert "correct likelihood" in evaluate("ex4.3", SS / N).message
    assert "n − 1" in evaluate("ex4.3", SS / (N - 1) / 2).message
    assert "standard deviation" in evaluate("ex4.3", np.sqrt(SS / (2 * N))).message


# ex4.4 — normal_mle by hand
def test_ex44_right_function_passes_with_list_and_tuple_returns():
    assert evaluate("ex4.4", lambda x: (np.mean(x), np.var(x))).correct
    assert evaluate("ex4.4", lambda x: [float(np.mean(x)), float(np.mean((x - np.mean(x)) ** 2))]).correct


def test_ex44_mistakes():
    assert "the MLE divides by n" in evaluate("ex4.4", lambda x: (np.mean(x), np.var(x, ddof=1))).message
    assert "standard deviation" in evaluate("ex4.4", lambda x: (np.mean(x), np.std(x))).message
    assert "mean first" in evaluate("ex4.4", lambda x: (np.var(x), np.mean(x))).message


def test_ex44_wrong_shape_type_stub_and_crash():
    assert "shape" in evaluate("ex4.4", lambda x: np.var(x)).message
    assert "expected a function" in evaluate("ex4.4", 3.0).message

    def stub(x):
        raise NotImplementedError("your code here")

    assert evaluate("ex4.4", stub).status == "unanswered"
    assert "raised ZeroDivisionError" in evaluate("ex4.4", lambda x: (1 / 0, 0)).message


# ---- partial solutions never pass (issue 14): rejected on the exercise's cases and on other seeds' --------------
def rejected(exercise, f):
    return all(evaluate(exercise, f, seed=s).status == "wrong" for s in (None, 1, 2, 3, 4, 5))


def test_ex44_the_first_40_points_only_are_rejected():
    assert rejected("ex4.4", lambda x: (np.mean(x[:40]), np.var(x[:40])))


# ---- variants (issue 15 §1): another student's right answer passes for them, the chapter's (the demo's) does not --
def test_the_demo_readings_are_the_chapters():
    assert RECIPES["turn4.1"].demo["readings"] == RECIPES["ex4.3"].demo["readings"] == list(READINGS)


def test_turn41_variant():
    x = np.array(params_for("turn4.1", "s1")["readings"])
    assert x.size == 6 and list(x) != list(READINGS)
    right = float(np.sum((x - x.mean()) ** 2) / x.size)
    assert evaluate("turn4.1", right, student="s1").correct
    assert not evaluate("turn4.1", SS / N, student="s1").correct  # the chapter's readings' σ̂²
    assert "divided by n − 1" in evaluate("turn4.1", right * 6 / 5, student="s1").message


def test_ex41_variant():
    p = params_for("ex4.1", "s1")
    assert p != RECIPES["ex4.1"].demo
    n, var = p["n"], p["var"]
    rng = np.random.default_rng(41)
    s = rng.normal(10.0, np.sqrt(var), size=(400_000, n))
    simulated = np.mean((np.mean((s - 10.0) ** 2, axis=1) - var) ** 2)
    assert simulated == pytest.approx(2 * var**2 / n, rel=0.01)
    assert evaluate("ex4.1", 2 * var**2 / n, student="s1").correct
    assert not evaluate("ex4.1", 6.4, student="s1").correct  # the demo's n = 5, σ² = 4
    assert "measures from x̄" in evaluate("ex4.1", (2 * n - 1) / n**2 * var**2, student="s1").message


def test_ex42_variant():
    p = params_for("ex4.2", "s1")
    assert p != RECIPES["ex4.2"].demo
    n, var = p["n"], p["var"]
    rng = np.random.default_rng(42)
    s = rng.normal(0.0, np.sqrt(var), size=(200_000, n))
    est = np.sum((s - s.mean(axis=1, keepdims=True)) ** 2, axis=1) / (n + 1)
    assert np.mean((est - var) ** 2) == pytest.approx(_mse_divisor(n, n + 1, var), rel=0.02)
    assert evaluate("ex4.2", _mse_divisor(n, n + 1, var), student="s1").correct
    assert evaluate("ex4.2", 2 * var**2 / (n + 1), student="s1").correct  # the same, simplified
    assert not evaluate("ex4.2", 32 / 11, student="s1").correct  # the demo's n = 10, σ² = 4
    assert "n = 5" in evaluate("ex4.2", _mse_divisor(5, 6, var), student="s1").message


def test_ex43_variant():
    x = np.array(params_for("ex4.3", "s1")["readings"])
    assert list(x) != list(READINGS)

    def neg(v):
        return -np.sum(np.log(np.exp(-((x - x.mean()) ** 2) / (2 * v)) / (np.sqrt(2 * np.pi) * v)))

    numeric = optimize.minimize_scalar(neg, bounds=(1e-4, 20), method="bounded", options={"xatol": 1e-9}).x
    assert evaluate("ex4.3", numeric, student="s1").correct
    assert not evaluate("ex4.3", SS / (2 * N), student="s1").correct  # the chapter's readings'
    assert "correct likelihood" in evaluate("ex4.3", float(np.var(x)), student="s1").message


@pytest.mark.parametrize("exercise", ["turn4.1", "ex4.1", "ex4.2", "ex4.3"])
def test_no_variant_lets_a_known_mistake_pass(exercise):
    ex = EXERCISES[exercise]
    for i in range(200):
        p = params_for(exercise, f"s{i}", "t")
        for wrong, hint_text in ex.mistakes:  # (two mistakes may coincide on a variant: then either hint is given)
            result = evaluate(exercise, wrong(**p), student=f"s{i}", params=p)
            assert result.status == "wrong" and any(h in result.message for _, h in ex.mistakes), (p, hint_text)
