"""The self-checks of chapter 3: right answers pass, known mistakes earn their hints, harmless variants pass.

Right answers are computed here independently (``scipy.stats``, closed forms with ``math``); the day's counts
are the ones the chapter prints.
"""

import math

import numpy as np
import pytest
from scipy import special, stats

from mle_lib.homework import REGISTRY, evaluate
from mle_lib.homework.ch03 import _day

#: The day the chapter prints ("emails per hour: 0 1 3 2 …"), typed in from the notebook.
DAY = np.array([0, 1, 3, 2, 2, 3, 2, 4, 3, 6, 3, 3, 1, 1, 2, 4, 4, 3, 2, 1, 2, 3, 1, 0])


def hint(exercise, i):
    return f"not yet — {REGISTRY[exercise].mistakes[i][1]}"


def choice_hint(exercise, option):
    return f"not yet — {REGISTRY[exercise].hints[option]}"


def test_the_checks_redraw_the_chapters_day():
    np.testing.assert_array_equal(_day(), DAY)


def test_the_chapter_has_four_exercises_and_a_your_turn_stop():
    assert sum(k.startswith("ex3.") for k in REGISTRY) >= 4
    assert sum(k.startswith("turn3.") for k in REGISTRY) >= 1


@pytest.mark.parametrize("exercise", ["turn3.1", "turn3.2", "ex3.1", "ex3.2", "ex3.3", "ex3.4", "ex3.5"])
def test_ellipsis_is_not_answered(exercise):
    assert evaluate(exercise, ...).status == "unanswered"


# ---- turn3.1: the score at λ = 1 ------------------------------------------------------------------------
def test_turn3_1():
    h = 1e-6  # central difference of scipy's log-pmf: an independent derivative
    slope = (stats.poisson.logpmf(DAY, 1 + h).sum() - stats.poisson.logpmf(DAY, 1 - h).sum()) / (2 * h)
    assert evaluate("turn3.1", slope).correct and evaluate("turn3.1", round(slope)).correct
    assert evaluate("turn3.1", DAY.sum() / 1.0).message == hint("turn3.1", 0)
    assert evaluate("turn3.1", -slope).message == hint("turn3.1", 1)
    assert "expected a number (the slope of ln L)" in evaluate("turn3.1", "positive").message


# ---- turn3.2: the numerical MLE of an all-zero day ---------------------------------------------------------
def test_turn3_2():
    assert evaluate("turn3.2", "b").correct
    for wrong in ("a", "c"):
        assert evaluate("turn3.2", wrong).message == choice_hint("turn3.2", wrong)
    assert "as a string" in evaluate("turn3.2", 0).message


# ---- ex3.1: λ̂ from a total alone (a second desk: 75 emails in 40 hours) -------------------------------------
def test_ex3_1():
    from scipy import optimize

    total, n = 75, 40
    res = optimize.minimize_scalar(
        lambda lam: -stats.poisson.logpmf(total, n * lam), bounds=(0.1, 10), method="bounded"
    )
    assert evaluate("ex3.1", res.x).correct
    assert evaluate("ex3.1", round(total / n, 2)).correct
    assert evaluate("ex3.1", float(total)).message == hint("ex3.1", 0)
    assert evaluate("ex3.1", total / DAY.size).message == hint("ex3.1", 1)
    assert evaluate("ex3.1", DAY.mean()).message == hint("ex3.1", 2)  # the chapter's own λ̂ is not the answer
    assert evaluate("ex3.1", 2.0).message == f"not yet — {REGISTRY['ex3.1'].hint}"


# ---- ex3.2: P(all zero) --------------------------------------------------------------------------------------
def test_ex3_2():
    right = stats.poisson.pmf(0, 0.2) ** 5
    assert evaluate("ex3.2", right).correct and evaluate("ex3.2", 0.368).correct
    assert evaluate("ex3.2", math.exp(-0.2)).message == hint("ex3.2", 0)
    assert evaluate("ex3.2", 1 - right).message == hint("ex3.2", 1)
    assert "not finite" in evaluate("ex3.2", float("nan")).message


# ---- ex3.3: θ̂ = ln x̄ -----------------------------------------------------------------------------------------
def test_ex3_3():
    thetas = np.linspace(0.5, 1.2, 70001)  # brute force over θ = ln λ
    best = thetas[np.argmax([stats.poisson.logpmf(DAY, math.exp(t)).sum() for t in thetas])]
    assert evaluate("ex3.3", best).correct
    assert evaluate("ex3.3", DAY.mean()).message == hint("ex3.3", 0)
    assert "got shape (2,)" in evaluate("ex3.3", [best, DAY.mean()]).message


# ---- ex3.4: the student's Poisson log-likelihood --------------------------------------------------------------
def test_ex3_4_right_function_passes():
    assert evaluate("ex3.4", lambda lam, c: stats.poisson.logpmf(np.asarray(c), lam).sum()).correct
    assert evaluate("ex3.4", lambda lam, c: [float(stats.poisson.logpmf(np.asarray(c), lam).sum())][0]).correct


def test_ex3_4_mistakes_earn_their_hints():
    def no_factorials(lam, c):
        c = np.asarray(c)
        return -c.size * lam + c.sum() * math.log(lam)

    def slide(lam, c):
        c = np.asarray(c, dtype=float)
        with np.errstate(divide="ignore"):
            return no_factorials(lam, c) - np.log(np.prod(c))

    assert evaluate("ex3.4", no_factorials).message == hint("ex3.4", 0)
    assert evaluate("ex3.4", slide).message == hint("ex3.4", 1)


def test_ex3_4_stub_and_wrong_type():
    def stub(lam, counts):
        raise NotImplementedError("your code here")

    assert evaluate("ex3.4", stub).status == "unanswered"
    assert "expected a function" in evaluate("ex3.4", -41.9).message
    per_hour = evaluate("ex3.4", lambda lam, c: special.xlogy(np.asarray(c), lam) - lam)  # forgot the sum
    assert "your function returned shape" in per_hour.message


# ---- ex3.5: four times the hours -> half the width -----------------------------------------------------------
def test_ex3_5():
    lam = DAY.mean()
    widths = [2 * stats.norm.ppf(0.975) * math.sqrt(lam / n) for n in (24, 96)]
    assert widths[1] / widths[0] == pytest.approx(0.5)  # option (a)
    assert evaluate("ex3.5", "a").correct
    for wrong in ("b", "c", "d"):
        assert evaluate("ex3.5", wrong).message == choice_hint("ex3.5", wrong)


# ---- partial solutions never pass (issue 14): rejected on the exercise's cases and on other seeds' --------------
def rejected(exercise, f):
    return all(evaluate(exercise, f, seed=s).status == "wrong" for s in (None, 1, 2, 3, 4, 5))


def test_ex3_4_a_naive_product_is_rejected():
    def product(lam, c):
        with np.errstate(divide="ignore"):
            return float(np.log(np.prod(stats.poisson.pmf(np.asarray(c), lam))))  # underflows on long days

    assert rejected("ex3.4", product)


def test_ex3_4_the_first_40_counts_only_are_rejected():
    assert rejected("ex3.4", lambda lam, c: stats.poisson.logpmf(np.asarray(c)[:40], lam).sum())


# ---- variants (issue 15 §1): another student's right answer passes for them, the chapter's (the demo's) does not --
def test_turn3_1_variant():
    from mle_lib.homework.variants import RECIPES, params_for

    lam = params_for("turn3.1", "s1")["lam"]
    assert lam != RECIPES["turn3.1"].demo["lam"] and not 2.1 <= lam <= 2.6
    h = 1e-6
    slope = (stats.poisson.logpmf(DAY, lam + h).sum() - stats.poisson.logpmf(DAY, lam - h).sum()) / (2 * h)
    assert evaluate("turn3.1", slope, student="s1").correct
    assert not evaluate("turn3.1", DAY.sum() - DAY.size, student="s1").correct  # the slope at λ = 1 (the demo's)
    assert evaluate("turn3.1", -slope, student="s1").message == hint("turn3.1", 1)


def test_ex3_1_variant():
    from scipy import optimize

    from mle_lib.homework.variants import RECIPES, params_for

    p = params_for("ex3.1", "s1")
    assert p != RECIPES["ex3.1"].demo
    total, n = p["total"], p["hours"]
    res = optimize.minimize_scalar(
        lambda lam: -stats.poisson.logpmf(total, n * lam), bounds=(0.01, 10), method="bounded", options={"xatol": 1e-8}
    )
    assert evaluate("ex3.1", res.x, student="s1").correct
    assert not evaluate("ex3.1", 75 / 40, student="s1").correct  # the demo's week
    assert evaluate("ex3.1", total / DAY.size, student="s1").message == hint("ex3.1", 1)


def test_ex3_2_variant():
    from mle_lib.homework.variants import RECIPES, params_for

    p = params_for("ex3.2", "s1")
    assert p != RECIPES["ex3.2"].demo
    right = stats.poisson.pmf(0, p["lam"]) ** p["hours"]
    assert evaluate("ex3.2", right, student="s1").correct
    assert not evaluate("ex3.2", math.exp(-1.0), student="s1").correct  # the demo's λ = 0.2, n = 5
    assert evaluate("ex3.2", stats.poisson.pmf(0, p["lam"]), student="s1").message == hint("ex3.2", 0)


def test_ex3_2_variants_leave_all_zero_samples_common_enough_to_simulate():
    from mle_lib.homework.variants import params_for

    for i in range(300):
        p = params_for("ex3.2", f"s{i}", "t")
        assert 3 <= p["hours"] <= 16 and 4000 * stats.poisson.pmf(0, p["lam"]) ** p["hours"] >= 4000 * math.exp(-3)


@pytest.mark.parametrize("exercise", ["turn3.1", "ex3.1", "ex3.2"])
def test_no_variant_lets_a_known_mistake_pass(exercise):
    from mle_lib.homework.variants import params_for

    ex = REGISTRY[exercise]
    for i in range(200):
        p = params_for(exercise, f"s{i}", "t")
        for wrong, hint_text in ex.mistakes:  # (two mistakes may coincide on a variant: then either hint is given)
            result = evaluate(exercise, wrong(**p), student=f"s{i}", params=p)
            assert result.status == "wrong" and any(h in result.message for _, h in ex.mistakes), (p, hint_text)
