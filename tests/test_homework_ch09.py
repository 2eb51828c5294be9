"""Chapter 9's self-checks: right answers (computed here by another route) pass, known mistakes earn their
hint, harmless variants pass, ``...`` is not answered."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

import mle_lib as ml
from mle_lib.homework import evaluate
from mle_lib.homework.ch09 import EXERCISES
from mle_lib.homework.variants import RECIPES, params_for

H = np.array(ml.TWO_COINS_HEADS)


def test_chapter_has_four_exercises_and_a_turn_of_several_kinds():
    kinds = {type(ex).__name__ for ex in EXERCISES.values()}
    assert sum(k.startswith("ex9.") for k in EXERCISES) >= 4
    assert any(k.startswith("turn9.") for k in EXERCISES)
    assert kinds == {"Value", "Choice", "Function"}


@pytest.mark.parametrize("exercise", sorted(EXERCISES))
def test_ellipsis_is_not_answered(exercise):
    assert evaluate(exercise, ...).status == "unanswered"


# turn9.1 — the E-step, written here with scipy.stats.binom
def bayes(heads, n, ta, tb):
    la, lb = stats.binom.pmf(heads, n, ta), stats.binom.pmf(heads, n, tb)
    return np.array([la, lb]) / (la + lb)


def test_turn91_right_function_passes_also_as_lists():
    assert evaluate("turn9.1", bayes).correct
    assert evaluate("turn9.1", lambda *a: bayes(*a).tolist()).correct


@pytest.mark.parametrize(
    "wrong, words",
    [
        (lambda h, n, a, b: np.array([a**h, b**h]) / (a**h + b**h), "tails' factor"),
        (lambda h, n, a, b: bayes(h, n, a, b)[::-1], "disagrees"),
        (
            lambda h, n, a, b: (lambda j: j / j.sum(axis=1, keepdims=True))(
                np.array([stats.binom.pmf(h, n, a), stats.binom.pmf(h, n, b)])
            ),
            "normalised each row",
        ),
        (lambda h, n, a, b: np.array([stats.binom.pmf(h, n, a), stats.binom.pmf(h, n, b)]), "divide each column"),
    ],
)
def test_turn91_mistakes(wrong, words):
    r = evaluate("turn9.1", wrong)
    assert r.status == "wrong" and words in r.message, r.message


def test_turn91_shape_and_stub():
    r = evaluate("turn9.1", lambda *a: bayes(*a)[0])
    assert r.status == "wrong" and "shape" in r.message

    def stub(*a):
        raise NotImplementedError

    assert evaluate("turn9.1", stub).status == "unanswered"


def test_ex91_complete_data_with_a_sixth_set():
    # the demo: coin B made sets 1 and 4 (5 + 4 heads) and the sixth (4 heads in 10): 13 heads in 30 tosses
    assert RECIPES["ex9.1"].demo == {"coin": "B", "tosses": 10, "heads": 4}
    assert evaluate("ex9.1", 13 / 30).correct and evaluate("ex9.1", 0.433).correct
    assert evaluate("ex9.1", ml.binomial_mle([5, 4, 4], 10)).correct
    assert "other coin's estimate" in evaluate("ex9.1", 24 / 30).message
    assert "paper's five sets" in evaluate("ex9.1", 0.45).message  # the chapter's own 9/20
    assert "all six sets" in evaluate("ex9.1", 13 / 60).message


def em_by_hand(start, k=1):
    ta, tb = start
    for _ in range(k):
        ga = bayes(H, 10, ta, tb)[0]
        ta, tb = ga @ H / (10 * ga.sum()), (1 - ga) @ H / (10 * (1 - ga).sum())
    return ta, tb


def test_ex92_one_iteration_from_another_start():
    assert RECIPES["ex9.2"].demo == {"theta_a": 0.4, "theta_b": 0.7}
    right = em_by_hand((0.4, 0.7))
    assert evaluate("ex9.2", right).correct
    assert evaluate("ex9.2", np.round(right, 3)).correct
    assert "swapped" in evaluate("ex9.2", right[::-1]).message
    assert "hard EM" in evaluate("ex9.2", (0.45, 0.80)).message
    assert "many iterations" in evaluate("ex9.2", em_by_hand((0.4, 0.7), 200)).message


def test_ex93_free_weight_maximises_the_likelihood():
    from scipy import optimize

    def neg(x):
        return -np.sum(np.log(x[2] * stats.binom.pmf(H, 10, x[0]) + (1 - x[2]) * stats.binom.pmf(H, 10, x[1])))

    best = optimize.minimize(neg, [0.7, 0.5, 0.5], bounds=[(1e-6, 1 - 1e-6)] * 3, method="L-BFGS-B")
    assert best.x[0] > best.x[1]  # the same labelling as the paper's start
    assert evaluate("ex9.3", round(best.x[2], 3)).correct
    assert "fixed weight" in evaluate("ex9.3", 0.5).message
    assert "π_B" in evaluate("ex9.3", 1 - best.x[2]).message


def test_ex94_the_diagonal_is_a_trap():
    assert evaluate("ex9.4", "c").correct and evaluate("ex9.4", " C ").correct
    assert evaluate("ex9.4", "a").status == "wrong"
    # the claim behind answer c, by hand: from θ_A = θ_B every γ is ½ and both coins move to the pooled 33/50
    assert em_by_hand((0.5, 0.5), 5) == pytest.approx((0.66, 0.66))


def test_ex94_solution_the_pooled_point_is_a_saddle():
    # the solution calls (0.66, 0.66) a saddle: ln L falls along the diagonal and rises across it
    def ll(a, b):
        return np.sum(np.log(0.5 * stats.binom.pmf(H, 10, a) + 0.5 * stats.binom.pmf(H, 10, b)))

    centre, d = ll(0.66, 0.66), 0.01
    assert ll(0.66 + d, 0.66 + d) < centre and ll(0.66 - d, 0.66 - d) < centre
    assert ll(0.66 + d, 0.66 - d) > centre
    assert round(centre, 2) == -10.28


# ---- partial solutions never pass (issue 14): rejected on the exercise's cases and on other seeds' --------------
def rejected(exercise, f):
    return all(evaluate(exercise, f, seed=s).status == "wrong" for s in (None, 1, 2, 3, 4, 5))


def test_turn91_the_first_40_sets_only_are_rejected():
    def first_40(h, n, a, b):
        out = np.full((2, np.size(h)), 0.5)
        out[:, :40] = bayes(np.asarray(h)[:40], n, a, b)
        return out

    assert rejected("turn9.1", first_40)


# ---- variants (issue 15 §1): another student's right answer passes for them, the chapter's (the demo's) does not --
PAPER = {c: (int(H[np.array(list(ml.TWO_COINS_LABELS)) == c].sum()), 10 * ml.TWO_COINS_LABELS.count(c)) for c in "AB"}


def sixth_set_by_hand(coin, tosses, heads):
    paper_heads, paper_tosses = PAPER[coin]  # A: 24 heads in 30 tosses, B: 9 in 20
    return (paper_heads + heads) / (paper_tosses + tosses)


def test_ex91_variant():
    p = params_for("ex9.1", "s1")
    assert p != RECIPES["ex9.1"].demo
    right = sixth_set_by_hand(**p)
    assert evaluate("ex9.1", right, student="s1").correct
    assert evaluate("ex9.1", float(f"{right:.3g}"), student="s1").correct
    assert not evaluate("ex9.1", 13 / 30, student="s1").correct  # the demo's answer
    other = "B" if p["coin"] == "A" else "A"
    assert "other coin's estimate" in evaluate("ex9.1", PAPER[other][0] / PAPER[other][1], student="s1").message


def test_ex92_variant():
    p = params_for("ex9.2", "s1")
    assert p != RECIPES["ex9.2"].demo
    right = em_by_hand((p["theta_a"], p["theta_b"]))
    assert evaluate("ex9.2", right, student="s1").correct
    assert evaluate("ex9.2", np.round(right, 3), student="s1").correct
    assert not evaluate("ex9.2", em_by_hand((0.4, 0.7)), student="s1").correct  # the demo's answer
    assert "swapped" in evaluate("ex9.2", right[::-1], student="s1").message


@pytest.mark.parametrize("exercise", ["ex9.1", "ex9.2"])
def test_no_variant_lets_a_known_mistake_pass(exercise):
    """Over a class, every known mistake stays at least 2 % from the right answer (four times the tolerance)
    and earns a verdict, never an error (hard EM where every set leans to one coin is no answer at all)."""
    ex = EXERCISES[exercise]
    for i in range(150):
        p = params_for(exercise, f"s{i}", "t")
        right = np.asarray(ex.expected(**p), dtype=float)
        for wrong, _hint in ex.mistakes:
            value = np.asarray(wrong(**p), dtype=float)
            if np.isnan(value).any():
                continue
            assert np.max(np.abs(value - right) / np.abs(right)) > 0.02 - 1e-12, (p, wrong)
        result = evaluate(exercise, (right * 1.3).tolist(), student=f"s{i}", params=p)
        assert result.status == "wrong", (p, result.message)


def test_ex92_every_start_heads_for_the_top_on_its_side():
    """The solution's claim, for the starts a class gets: above the diagonal EM ends at (0.52, 0.80), below it at
    (0.80, 0.52); and the degenerate starts are the ones the recipe names."""
    for i in range(60):
        p = params_for("ex9.2", f"s{i}", "t")
        ta, tb = em_by_hand((p["theta_a"], p["theta_b"]), 300)
        assert (ta < tb) == (p["theta_a"] < p["theta_b"]) and sorted((ta, tb)) == pytest.approx(
            [0.5196, 0.7968], abs=1e-3
        )
    problem = RECIPES["ex9.2"].problem
    assert problem({"theta_a": 0.6, "theta_b": 0.5}) and problem({"theta_a": 0.2, "theta_b": 0.8})  # diagonal, far
    assert problem({"theta_a": 0.5, "theta_b": 0.78})  # next to a top
    assert problem(RECIPES["ex9.2"].demo) is None


def test_ex91_a_sixth_set_that_would_not_move_the_estimate_is_degenerate():
    problem = RECIPES["ex9.1"].problem
    assert problem({"coin": "B", "tosses": 20, "heads": 9})  # 9/20 again: the paper's 0.45 would pass
    assert problem({"coin": "A", "tosses": 5, "heads": 4})  # 0.8 again
    assert problem(RECIPES["ex9.1"].demo) is None
