"""The self-checks of chapter 1: right answers pass, known mistakes earn their hints, harmless variants pass.

Every right answer is computed here by an independent route (closed forms with ``math``, ``scipy.stats``,
brute force), never by calling the check's own lambda.
"""

import math

import numpy as np
import pytest
from scipy import stats

from mle_lib.homework import REGISTRY, evaluate


def hint(exercise, i):
    """The i-th listed mistake's hint, as the check prints it."""
    return f"not yet — {REGISTRY[exercise].mistakes[i][1]}"


def choice_hint(exercise, option):
    return f"not yet — {REGISTRY[exercise].hints[option]}"


def test_the_chapter_has_four_exercises_and_a_your_turn_stop():
    ids = [k for k in REGISTRY if k.startswith(("ex1.", "turn1."))]
    assert sum(k.startswith("ex1.") for k in ids) >= 4 and sum(k.startswith("turn1.") for k in ids) >= 1


@pytest.mark.parametrize("exercise", ["turn1.1", "turn1.2", "ex1.1", "ex1.2", "ex1.3", "ex1.4", "ex1.5"])
def test_ellipsis_is_not_answered(exercise):
    assert evaluate(exercise, ...).status == "unanswered"


# ---- turn1.1: L(0.8)/L(0.5) for HHTHH ---------------------------------------------------------------------
L_08, L_05 = 0.8**4 * 0.2, 0.5**5


def test_turn1_1_right_and_rounded():
    assert evaluate("turn1.1", L_08 / L_05).correct
    assert evaluate("turn1.1", round(L_08 / L_05, 2)).correct


def test_turn1_1_mistakes():
    assert evaluate("turn1.1", L_08 - L_05).message == hint("turn1.1", 0)
    assert evaluate("turn1.1", L_05 / L_08).message == hint("turn1.1", 1)
    assert evaluate("turn1.1", 2.0).message == f"not yet — {REGISTRY['turn1.1'].hint}"


def test_turn1_1_wrong_type_and_shape():
    assert "expected a ratio" in evaluate("turn1.1", "two").message
    assert "got shape (2,)" in evaluate("turn1.1", [2.6, 2.6]).message


# ---- turn1.2: the product of 1000 factors underflows ------------------------------------------------------
def test_turn1_2_prediction():
    factors = np.where(np.random.default_rng(2023).integers(0, 2, size=1000) == 1, 0.3, 0.7)
    assert np.prod(factors) == 0.0  # the fact the right option states
    assert evaluate("turn1.2", "b").correct and evaluate("turn1.2", " B ").correct
    assert evaluate("turn1.2", "a").message == choice_hint("turn1.2", "a")
    assert evaluate("turn1.2", "c").message == choice_hint("turn1.2", "c")
    assert "expected one of ['a', 'b', 'c']" in evaluate("turn1.2", 2).message
    assert "expected one of" in evaluate("turn1.2", "e").message


# ---- ex1.1: TTHTT --------------------------------------------------------------------------------------------
def test_ex1_1():
    assert evaluate("ex1.1", "TTHTT".count("H") / 5).correct
    assert evaluate("ex1.1", np.float32(0.2)).correct
    assert evaluate("ex1.1", "TTHTT".count("T") / 5).message == hint("ex1.1", 0)
    assert "expected a probability" in evaluate("ex1.1", "H").message


# ---- ex1.2: 0.505 or 0.71 -------------------------------------------------------------------------------------
def test_ex1_2():
    lls = {p: stats.binom.logpmf(61, 100, p) for p in (0.505, 0.71)}
    best = max(lls, key=lls.get)
    assert evaluate("ex1.2", str(best)).correct
    assert evaluate("ex1.2", "0.71").message == choice_hint("ex1.2", "0.71")
    assert "expected one of" in evaluate("ex1.2", 0.505).message  # a number, not the option's string


# ---- ex1.3: n · Var(median) of Laplace data → 1/(4 f(0)²) = 1 -----------------------------------------------------
def test_ex1_3():
    rng = np.random.default_rng(0)
    n = 401
    n_var = n * np.median(rng.laplace(size=(4000, n)), axis=1).var()
    assert 0.85 < n_var < 1.3  # "a constant clearly below 2" (the mean's n · Var = 2): option (d)
    assert n * rng.laplace(size=(4000, n)).mean(axis=1).var() == pytest.approx(2, rel=0.1)
    assert evaluate("ex1.3", "d").correct
    for wrong in ("a", "b", "c"):
        assert evaluate("ex1.3", wrong).message == choice_hint("ex1.3", wrong)


# ---- ex1.4: ∫₀¹ θ⁵(1 − θ)⁹ dθ = 5! 9!/15! ----------------------------------------------------------------------
def test_ex1_4():
    exact = math.factorial(5) * math.factorial(9) / math.factorial(15)
    assert exact == pytest.approx(1 / 30030)
    assert evaluate("ex1.4", exact).correct
    assert evaluate("ex1.4", float(f"{exact:.3g}")).correct
    assert evaluate("ex1.4", 1).message == hint("ex1.4", 0)
    assert evaluate("ex1.4", 1 / 30).message == f"not yet — {REGISTRY['ex1.4'].hint}"  # HHTHH's area


# ---- ex1.5: the best candidate -----------------------------------------------------------------------------------
def brute_best(candidates, k, n):
    cands = list(np.asarray(candidates, dtype=float))
    return max(cands, key=lambda p: stats.binom.logpmf(k, n, p))


def test_ex1_5_right_function_passes():
    assert evaluate("ex1.5", brute_best).correct
    assert evaluate("ex1.5", lambda c, k, n: [brute_best(c, k, n)][0]).correct


def test_ex1_5_nearest_candidate_earns_its_hint():
    def nearest(candidates, k, n):
        c = np.asarray(candidates, dtype=float)
        return c[np.argmin(np.abs(c - k / n))]

    assert evaluate("ex1.5", nearest).message == hint("ex1.5", 0)


def test_ex1_5_wrong_type_shape_and_stub():
    def stub(candidates, k, n):
        raise NotImplementedError("your code here")

    assert evaluate("ex1.5", stub).status == "unanswered"
    assert "expected a function" in evaluate("ex1.5", 0.505).message
    assert "returned shape (2,)" in evaluate("ex1.5", lambda c, k, n: np.array([0.5, 0.5])).message
    assert "your function raised ZeroDivisionError" in evaluate("ex1.5", lambda c, k, n: 1 / 0).message


# ---- partial solutions never pass (issue 14): rejected on the exercise's cases and on other seeds' --------------
def rejected(exercise, f):
    return all(evaluate(exercise, f, seed=s).status == "wrong" for s in (None, 1, 2, 3, 4, 5))


def test_ex1_5_looking_at_the_first_two_candidates_only_is_rejected():
    assert rejected("ex1.5", lambda c, k, n: brute_best(list(c)[:2], k, n))


def test_ex1_5_comparing_likelihoods_that_underflow_is_rejected():
    def products(candidates, k, n):
        c = np.asarray(candidates, dtype=float)
        return float(c[np.argmax(c**k * (1 - c) ** (n - k))])  # 0 for every candidate once n is large

    assert rejected("ex1.5", products)


# ---- variants (issue 15 §1): another student's right answer passes for them, the chapter's (the demo's) does not --
def _heads_tails(flips):
    return flips.count("H"), flips.count("T")


def test_turn1_1_variant():
    from mle_lib.homework.variants import RECIPES, params_for

    flips = params_for("turn1.1", "s1")["flips"]
    assert flips != RECIPES["turn1.1"].demo["flips"] and set(flips) == {"H", "T"}
    k, t = _heads_tails(flips)
    n = k + t
    right = stats.binom.pmf(k, n, k / n) / stats.binom.pmf(k, n, 0.5)  # the coefficient C(n, k) cancels
    assert evaluate("turn1.1", right, student="s1").correct
    assert evaluate("turn1.1", float(f"{right:.3g}"), student="s1").correct
    assert not evaluate("turn1.1", L_08 / L_05, student="s1").correct  # HHTHH's (the demo's) ratio
    at_08 = stats.binom.pmf(k, n, 0.8) / stats.binom.pmf(k, n, 0.5)
    assert evaluate("turn1.1", at_08, student="s1").message == hint("turn1.1", 2)


def test_ex1_1_variant():
    from mle_lib.homework.variants import RECIPES, params_for

    flips = params_for("ex1.1", "s1")["flips"]
    assert flips != RECIPES["ex1.1"].demo["flips"]
    k, t = _heads_tails(flips)
    grid = np.linspace(0, 1, 100_001)  # brute force: the θ that makes the sequence most likely
    best = grid[np.argmax(stats.bernoulli.logpmf(1, grid) * k + stats.bernoulli.logpmf(0, grid) * t)]
    assert evaluate("ex1.1", best, student="s1").correct
    assert not evaluate("ex1.1", 0.2, student="s1").correct  # TTHTT's (the demo's) θ̂
    assert evaluate("ex1.1", t / (k + t), student="s1").message == hint("ex1.1", 0)


def test_the_variants_of_chapter_1_are_sequences_of_flips_of_both_faces():
    from mle_lib.homework.variants import params_for

    for exercise, (low, high) in {"turn1.1": (6, 24), "ex1.1": (8, 30)}.items():
        for i in range(200):
            flips = params_for(exercise, f"s{i}", "t")["flips"]
            k, t = _heads_tails(flips)
            assert low <= len(flips) <= high and k + t == len(flips) and k and t and k != t


@pytest.mark.parametrize("exercise", ["turn1.1", "ex1.1"])
def test_no_variant_lets_a_known_mistake_pass(exercise):
    from mle_lib.homework.variants import params_for

    ex = REGISTRY[exercise]
    for i in range(200):
        p = params_for(exercise, f"s{i}", "t")
        for wrong, hint_text in ex.mistakes:
            result = evaluate(exercise, wrong(**p), student=f"s{i}", params=p)
            assert result.status == "wrong" and hint_text in result.message, (p, hint_text)
