"""The self-checks of chapter 2, where students write the Bernoulli/binomial log-likelihood and its maximiser.

Right answers are computed here independently (``scipy.stats``, closed forms with ``math``), and the
students' functions are written here from scratch, never by calling the check's reference.
"""

import math

import numpy as np
import pytest
from scipy import stats

from mle_lib.homework import REGISTRY, evaluate


def hint(exercise, i):
    return f"not yet — {REGISTRY[exercise].mistakes[i][1]}"


def choice_hint(exercise, option):
    return f"not yet — {REGISTRY[exercise].hints[option]}"


def test_the_chapter_has_four_exercises_and_a_your_turn_stop():
    assert sum(k.startswith("ex2.") for k in REGISTRY) >= 4
    assert sum(k.startswith("turn2.") for k in REGISTRY) >= 1


@pytest.mark.parametrize("exercise", ["turn2.1", "ex2.1", "ex2.2", "ex2.3", "ex2.4", "ex2.5", "ex2.6", "ex2.7"])
def test_ellipsis_is_not_answered(exercise):
    assert evaluate(exercise, ...).status == "unanswered"


# ---- turn2.1: 5 of 14 pooled with 6 of 10 ----------------------------------------------------------------
def test_turn2_1():
    assert evaluate("turn2.1", 11 / 24).correct and evaluate("turn2.1", 0.458).correct
    assert evaluate("turn2.1", (5 / 14 + 6 / 10) / 2).message == hint("turn2.1", 0)
    assert evaluate("turn2.1", 13 / 24).message == hint("turn2.1", 1)
    assert "got shape (2,)" in evaluate("turn2.1", [5 / 14, 6 / 10]).message


# ---- ex2.1: no heads in 8 ------------------------------------------------------------------------------------
def test_ex2_1():
    assert evaluate("ex2.1", 0).correct and evaluate("ex2.1", 0.0).correct
    assert evaluate("ex2.1", 1 / 10).message == hint("ex2.1", 0)  # Laplace (0 + 1)/(8 + 2)
    assert evaluate("ex2.1", 1.0).message == hint("ex2.1", 1)
    assert "expected a probability" in evaluate("ex2.1", "zero").message


# ---- ex2.2: 1, 2, 4 successes of 5 ---------------------------------------------------------------------------
def test_ex2_2():
    right = 7 / 15
    assert evaluate("ex2.2", right).correct and evaluate("ex2.2", 0.467).correct
    assert evaluate("ex2.2", 4 / 3).message == hint("ex2.2", 0)
    assert evaluate("ex2.2", 7 / 9).message == hint("ex2.2", 1)
    assert evaluate("ex2.2", 7 / 3).message == hint("ex2.2", 2)
    assert evaluate("ex2.2", 8 / 15).message == hint("ex2.2", 3)


# ---- ex2.3: Wald interval for 5 of 14 -------------------------------------------------------------------------
def test_ex2_3():
    theta = 5 / 14
    se = math.sqrt(theta * (1 - theta) / 14)
    z = stats.norm.ppf(0.975)
    right = (theta - z * se, theta + z * se)
    assert evaluate("ex2.3", right).correct
    assert evaluate("ex2.3", [round(right[1], 3), round(right[0], 3)]).correct  # a list, the other order
    assert evaluate("ex2.3", np.array(right)).correct
    assert evaluate("ex2.3", (theta - se, theta + se)).message == hint("ex2.3", 0)
    se_one = math.sqrt(theta * (1 - theta))
    assert evaluate("ex2.3", (theta - z * se_one, theta + z * se_one)).message == hint("ex2.3", 1)
    assert "expected a pair (low, high) (shape (2,)); got shape" in evaluate("ex2.3", 0.357).message


# ---- ex2.4: the student's Bernoulli log-likelihood, compared by value -------------------------------------------
def bernoulli_loglik_scipy(theta, x):
    return float(stats.bernoulli.logpmf(np.asarray(x), theta).sum())


def test_ex2_4_right_function_passes():
    assert evaluate("ex2.4", bernoulli_loglik_scipy).correct
    assert evaluate("ex2.4", lambda t, x: [bernoulli_loglik_scipy(t, x)][0]).correct


def test_ex2_4_a_loop_over_flips_passes():
    def loop(theta, x):
        return sum(math.log(theta) if xi == 1 else math.log(1 - theta) for xi in x)

    assert evaluate("ex2.4", loop).correct


def test_ex2_4_mistakes_earn_their_hints():
    assert evaluate("ex2.4", lambda t, x: bernoulli_loglik_scipy(1 - t, x)).message == hint("ex2.4", 0)
    assert evaluate("ex2.4", lambda t, x: math.exp(bernoulli_loglik_scipy(t, x))).message == hint("ex2.4", 1)


def test_ex2_4_wrong_shape_and_stub():
    def stub(theta, x):
        raise NotImplementedError("your code here")

    assert evaluate("ex2.4", stub).status == "unanswered"
    per_flip = evaluate("ex2.4", lambda t, x: stats.bernoulli.logpmf(np.asarray(x), t))  # forgot the sum
    assert per_flip.status == "wrong" and "your function returned shape" in per_flip.message


# ---- ex2.5: the student's binomial log-likelihood, compared by VALUE (coefficients count) -------------------------
def binomial_loglik_scipy(p, successes, n_trials):
    return float(stats.binom.logpmf(np.asarray(successes), n_trials, p).sum())


def test_ex2_5_right_function_passes():
    assert evaluate("ex2.5", binomial_loglik_scipy).correct


def test_ex2_5_without_coefficients_earns_its_hint():
    def no_coef(p, successes, n_trials):
        k = np.asarray(successes)
        return k.sum() * math.log(p) + (k.size * n_trials - k.sum()) * math.log(1 - p)

    assert evaluate("ex2.5", no_coef).message == hint("ex2.5", 0)


def test_ex2_5_the_slides_failures_term_earns_its_hint():
    def slide(p, successes, n_trials):
        k = np.asarray(successes)
        coef = sum(math.log(math.comb(n_trials, int(ki))) for ki in k)
        return coef + k.sum() * math.log(p) + k.sum() * math.log(1 - p)

    assert evaluate("ex2.5", slide).message == hint("ex2.5", 1)


# ---- ex2.6: the student's maximiser, compared with the library's p̂ ---------------------------------------------
def mle_by_optimiser(successes, n_trials):
    from scipy import optimize

    k = np.asarray(successes)
    if k.sum() in (0, k.size * n_trials):  # the boundary: the optimiser cannot reach it exactly
        return k.sum() / (k.size * n_trials)
    res = optimize.minimize_scalar(
        lambda p: -stats.binom.logpmf(k, n_trials, p).sum(),
        bounds=(1e-12, 1 - 1e-12),
        method="bounded",
        options={"xatol": 1e-12},
    )
    return res.x


def test_ex2_6_an_independent_maximiser_passes():
    # Without the binomial coefficients the maximiser is the same, so this exercise does not need them.
    assert evaluate("ex2.6", lambda k, n: float(np.sum(k)) / (len(k) * n)).correct
    # a numerical maximiser agrees with p̂ to ~1e-9, inside the check's tolerance
    from mle_lib.homework.ch02 import _mle_cases

    for k, n in _mle_cases(np.random.default_rng(1)):
        assert mle_by_optimiser(k, n) == pytest.approx(np.sum(k) / (len(k) * n), abs=1e-7)


@pytest.mark.parametrize(
    ("wrong", "i"),
    [
        (lambda k, n: 1 - np.sum(k) / (len(k) * n), 0),  # the share of failures
        (lambda k, n: np.mean(k), 1),  # the average count
        (lambda k, n: k[-1] / len(k), 2),  # the slide's x_N / N
        (lambda k, n: np.sum(k) / len(k) ** 2, 3),  # divided by N twice
    ],
)
def test_ex2_6_mistakes_earn_their_hints(wrong, i):
    assert evaluate("ex2.6", wrong).message == hint("ex2.6", i)


# ---- ex2.7: double the flips -> se × 1/√2 ------------------------------------------------------------------------
def test_ex2_7():
    se = [math.sqrt(t * (1 - t) / n) for t, n in ((5 / 14, 14), (10 / 28, 28))]
    assert se[1] / se[0] == pytest.approx(1 / math.sqrt(2))  # option (b)
    assert evaluate("ex2.7", "b").correct
    for wrong in ("a", "c", "d"):
        assert evaluate("ex2.7", wrong).message == choice_hint("ex2.7", wrong)


# ---- partial solutions never pass (issue 14): rejected on the exercise's cases and on other seeds' --------------
def rejected(exercise, f):
    return all(evaluate(exercise, f, seed=s).status == "wrong" for s in (None, 1, 2, 3, 4, 5))


def test_ex2_4_a_naive_product_is_rejected():
    def product(theta, x):
        x = np.asarray(x)
        with np.errstate(divide="ignore"):
            return float(np.log(np.prod(np.where(x == 1, theta, 1 - theta))))  # underflows to 0 on long samples

    assert rejected("ex2.4", product)


def test_ex2_4_the_first_40_flips_only_are_rejected():
    assert rejected("ex2.4", lambda theta, x: bernoulli_loglik_scipy(theta, np.asarray(x)[:40]))


def test_ex2_5_a_naive_product_is_rejected():
    def product(p, successes, n_trials):
        with np.errstate(divide="ignore"):
            return float(np.log(np.prod(stats.binom.pmf(np.asarray(successes), n_trials, p))))

    assert rejected("ex2.5", product)


def test_ex2_6_the_first_40_experiments_only_are_rejected():
    assert rejected("ex2.6", lambda k, n: float(np.sum(k[:40])) / (len(k[:40]) * n))


# ---- variants (issue 15 §1): another student's right answer passes for them, the chapter's (the demo's) does not --
def test_ex2_3_variant():
    from mle_lib.homework.variants import RECIPES, params_for

    p = params_for("ex2.3", "s1")
    assert p != RECIPES["ex2.3"].demo
    n, k = p["flips"], p["heads"]
    assert 5 <= k <= n - 5
    theta = k / n
    # se from the curvature of scipy's binomial log-pmf at θ̂ (a central second difference)
    h = 1e-5
    curvature = (stats.binom.logpmf(k, n, theta + h) - 2 * stats.binom.logpmf(k, n, theta)
                 + stats.binom.logpmf(k, n, theta - h)) / h**2  # fmt: skip
    se = 1 / math.sqrt(-curvature)
    z = stats.norm.ppf(0.975)
    right = (theta - z * se, theta + z * se)
    assert evaluate("ex2.3", right, student="s1").correct
    assert evaluate("ex2.3", [float(f"{right[1]:.3g}"), float(f"{right[0]:.3g}")], student="s1").correct
    demo_theta = 5 / 14
    demo_se = math.sqrt(demo_theta * (1 - demo_theta) / 14)
    assert not evaluate("ex2.3", (demo_theta - z * demo_se, demo_theta + z * demo_se), student="s1").correct
    assert evaluate("ex2.3", (theta - se, theta + se), student="s1").message == hint("ex2.3", 0)


def test_ex2_3_variants_keep_the_interval_inside_0_1():
    from mle_lib.homework.variants import params_for

    for i in range(300):
        p = params_for("ex2.3", f"s{i}", "t")
        low, high = REGISTRY["ex2.3"].expected(**p)
        assert 0 < low < p["heads"] / p["flips"] < high < 1, p


def test_no_variant_of_ex2_3_lets_a_known_mistake_pass():
    from mle_lib.homework.variants import params_for

    ex = REGISTRY["ex2.3"]
    for i in range(200):
        p = params_for("ex2.3", f"s{i}", "t")
        for wrong, hint_text in ex.mistakes:
            result = evaluate("ex2.3", wrong(**p), student=f"s{i}", params=p)
            assert result.status == "wrong" and hint_text in result.message, (p, hint_text)
