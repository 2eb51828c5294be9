"""Chapter 6's self-checks: right answers pass (computed here by another route), known mistakes earn their
hint, harmless variants pass, wrong types/shapes get a clear message, ``...`` is not answered."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from mle_lib.homework import REGISTRY, evaluate
from mle_lib.homework.ch06 import EXERCISES
from mle_lib.homework.variants import RECIPES, params_for


def test_chapter_has_four_exercises_and_a_turn_of_several_kinds():
    kinds = {type(ex).__name__ for ex in EXERCISES.values()}
    assert sum(k.startswith("ex6.") for k in EXERCISES) >= 4
    assert any(k.startswith("turn6.") for k in EXERCISES)
    assert kinds == {"Value", "Choice", "Function"}


@pytest.mark.parametrize("exercise", sorted(EXERCISES))
def test_ellipsis_is_not_answered(exercise):
    assert evaluate(exercise, ...).status == "unanswered"


# turn6.1 — the posterior, written here with scipy.stats.norm
def bayes(x, means, sigma, priors):
    joint = np.asarray(priors) * stats.norm.pdf(x, means, sigma)
    return joint / joint.sum()


def test_turn61_right_function_passes_also_as_a_list():
    assert evaluate("turn6.1", bayes).correct
    assert evaluate("turn6.1", lambda *a: list(bayes(*a))).correct


def test_turn61_forgotten_prior():
    res = evaluate("turn6.1", lambda x, m, s, p: bayes(x, m, s, np.ones(len(m))))
    assert res.status == "wrong" and "you left out the prior" in res.message


def test_turn61_unnormalised():
    joint = evaluate("turn6.1", lambda x, m, s, p: np.asarray(p) * stats.norm.pdf(x, m, s))
    assert "must sum to 1" in joint.message
    likelihoods = evaluate("turn6.1", lambda x, m, s, p: stats.norm.pdf(x, m, s))
    assert "these are the likelihoods" in likelihoods.message


def test_turn61_wrong_shape_and_stub():
    assert "shape" in evaluate("turn6.1", lambda x, m, s, p: bayes(x, m, s, p)[-1]).message

    def stub(x, means, sigma, priors):
        raise NotImplementedError("your code here")

    assert evaluate("turn6.1", stub).status == "unanswered"


# turn6.2 — prediction: the posterior at σ = 2 is the logistic 1/(1 + e^{−4(x − 5)/σ²}), smaller than at σ = 1
def test_turn62_prediction():
    at = lambda s: 1 / (1 + np.exp(-4 * (6.001 - 5) / s**2))  # noqa: E731
    assert at(2.0) < at(1.0)
    assert evaluate("turn6.2", "c").correct
    assert "noisier" in evaluate("turn6.2", "a").message
    assert "slope" in evaluate("turn6.2", "b").message


# ex6.1 — lopsided hat: odds = BF · (1/3), from the normal pdf directly
def test_ex61_right_answer_passes():
    bf = stats.norm.pdf(6.001, 7, 1) / stats.norm.pdf(6.001, 3, 1)
    odds = bf / 3
    assert evaluate("ex6.1", odds / (1 + odds)).correct
    assert evaluate("ex6.1", round(odds / (1 + odds), 3)).correct


def test_ex61_mistakes():
    bf = stats.norm.pdf(6.001, 7, 1) / stats.norm.pdf(6.001, 3, 1)
    assert "equal priors" in evaluate("ex6.1", bf / (1 + bf)).message
    assert "turn odds into a probability" in evaluate("ex6.1", bf / 3).message
    assert "swapped the priors" in evaluate("ex6.1", 3 * bf / (1 + 3 * bf)).message
    assert "μ = 3" in evaluate("ex6.1", 1 / (1 + bf / 3)).message
    assert "not finite" in evaluate("ex6.1", float("nan")).message


# ex6.2 — smallest n with (2Φ(0.5√n) − 1)² ≥ 0.99, by the inverse normal here
def test_ex62_right_answer_passes():
    z = stats.norm.ppf((1 + np.sqrt(0.99)) / 2)
    n = int(np.ceil((z / 0.5) ** 2))
    assert evaluate("ex6.2", n).correct
    assert evaluate("ex6.2", float(n)).correct
    assert evaluate("ex6.2", np.int64(n)).correct


def test_ex62_mistakes():
    z_one = stats.norm.ppf(0.995)
    assert "one secret" in evaluate("ex6.2", int(np.ceil((z_one / 0.5) ** 2))).message
    z = stats.norm.ppf((1 + np.sqrt(0.99)) / 2)
    assert "just below" in evaluate("ex6.2", int(np.ceil((z / 0.5) ** 2)) - 1).message


# ex6.3 — crossings: roots of the quadratic −ln 3 − (x − 7)²/18 + (x − 3)²/2 = 0, solved by hand
def _roots(s_pink, s_blue):
    a = 1 / (2 * s_pink**2) - 1 / (2 * s_blue**2)
    b = -3 / s_pink**2 + 7 / s_blue**2
    c = 9 / (2 * s_pink**2) - 49 / (2 * s_blue**2) - np.log(s_blue / s_pink)
    d = np.sqrt(b * b - 4 * a * c)
    return np.array([(-b - d) / (2 * a), (-b + d) / (2 * a)])


def test_ex63_right_answer_passes_in_either_order_and_rounded():
    r = _roots(1.0, 3.0)
    assert evaluate("ex6.3", r).correct
    assert evaluate("ex6.3", list(r[::-1])).correct
    assert evaluate("ex6.3", tuple(np.round(r, 3))).correct


def test_ex63_mistakes_and_shape():
    assert "standard deviation" in evaluate("ex6.3", _roots(1.0, np.sqrt(3.0))).message
    swapped = _roots(3.0, 1.0)  # same quadratic with the spreads exchanged
    assert "swapped the spreads" in evaluate("ex6.3", swapped).message
    assert "shape" in evaluate("ex6.3", 4.673).message


# ex6.4 — far on the pink side the wider blue normal wins
def test_ex64_choice():
    assert stats.norm.pdf(-10, 7, 3) > stats.norm.pdf(-10, 3, 1)
    assert evaluate("ex6.4", "Blue").correct
    assert "closer is not everything" in evaluate("ex6.4", "pink").message
    assert "expected one of" in evaluate("ex6.4", "green").message


# ---- partial solutions never pass (issue 14): rejected on the exercise's cases and on other seeds' --------------
def rejected(exercise, f):
    return all(evaluate(exercise, f, seed=s).status == "wrong" for s in (None, 1, 2, 3, 4, 5))


def test_turn61_two_slips_only_are_rejected():
    def two_only(x, means, sigma, priors):
        k = len(means)
        s, p = np.broadcast_to(sigma, (k,)), np.asarray(priors)
        out = np.zeros(k)
        out[:2] = bayes(x, np.asarray(means)[:2], s[:2], p[:2] / p[:2].sum())
        return out

    assert rejected("turn6.1", two_only)


# ---- variants (issue 15 §1): another student's right answer passes for them, the chapter's (the demo's) does not --


def test_ex61_variant():
    p = params_for("ex6.1", "s1")
    assert p != RECIPES["ex6.1"].demo and p["blue"] < p["pink"]
    x, prior_blue = p["x"], p["blue"] / (p["pink"] + p["blue"])
    blue, pink = prior_blue * stats.norm.pdf(x, 7, 1), (1 - prior_blue) * stats.norm.pdf(x, 3, 1)
    assert evaluate("ex6.1", blue / (blue + pink), student="s1").correct
    assert not evaluate("ex6.1", EXERCISES["ex6.1"].expected(**RECIPES["ex6.1"].demo), student="s1").correct


def test_ex62_variant():
    p = params_for("ex6.2", "s1")
    assert p != RECIPES["ex6.2"].demo
    z = stats.norm.ppf((1 + np.sqrt(p["target"])) / 2)  # (2Φ(h√n/σ) − 1)² ≥ p  ⇔  n ≥ (zσ/h)²
    n = int(np.ceil((z * p["sigma"] / p["margin"]) ** 2))
    assert evaluate("ex6.2", n, student="s1").correct
    assert not evaluate("ex6.2", 32, student="s1").correct


def test_ex63_variant():
    p = params_for("ex6.3", "s1")
    assert p != RECIPES["ex6.3"].demo and p["sigma_pink"] < p["sigma_blue"]
    assert evaluate("ex6.3", _roots(p["sigma_pink"], p["sigma_blue"]), student="s1").correct
    assert not evaluate("ex6.3", _roots(1.0, 3.0), student="s1").correct


@pytest.mark.parametrize("exercise", ["ex6.1", "ex6.2", "ex6.3"])
def test_no_variant_lets_a_known_mistake_pass(exercise):
    ex = REGISTRY[exercise]
    for i in range(200):
        p = params_for(exercise, f"s{i}", "t")
        for wrong, hint in ex.mistakes:  # (two mistakes may coincide on a variant: then either hint is given)
            result = evaluate(exercise, wrong(**p), student=f"s{i}", params=p)
            assert result.status == "wrong" and any(h in result.message for _, h in ex.mistakes), (p, hint)


def test_ex63_variants_cross_twice_inside_the_plotted_range():
    for i in range(200):
        p = params_for("ex6.3", f"s{i}", "t")
        r = _roots(p["sigma_pink"], p["sigma_blue"])
        assert -5 < r[0] < r[1] < 15 and r[1] - r[0] > 1, p
        assert evaluate("ex6.3", r, student=f"s{i}", params=p).correct
