"""Closed-form MLEs (mle_lib.estimators) checked against independent routes.

Every closed form is compared with (1) ``numerical_mle`` (a generic optimiser over scipy.stats'
logpmf/logpdf), (2) the argmax of our own log-likelihood found by ``scipy.optimize`` — never by the
closed form — and (3) scipy's fitting (``dist.fit`` or ``scipy.stats.fit``). The slide numbers are
pinned, including the Session-15 erratum (0,1,0,0,1,0 gives 1/3, not 2/5).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import scipy.stats
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import optimize

from mle_lib.estimators import bernoulli_mle, binomial_mle, normal_mle, poisson_mle, uniform_mle
from mle_lib.likelihood import (
    bernoulli_loglik,
    binomial_loglik,
    normal_loglik,
    poisson_loglik,
    uniform_loglik,
)
from mle_lib.numerical import numerical_mle

FAST = settings(max_examples=50, deadline=None)
SLOW = settings(max_examples=20, deadline=None)  # for properties that run an optimiser per example

binary = st.lists(st.integers(0, 1), min_size=1, max_size=60)
counts = st.lists(st.integers(0, 40), min_size=1, max_size=60)
reals = st.lists(st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False), min_size=2, max_size=60)


def _argmax_scalar(negloglik, lo: float, hi: float) -> float:
    """Bounded Brent search of a 1-D negative log-likelihood, to 1e-10."""
    res = optimize.minimize_scalar(negloglik, bounds=(lo, hi), method="bounded", options={"xatol": 1e-10})
    assert res.success
    return float(res.x)


def _spread_ok(x) -> bool:
    x = np.asarray(x, dtype=float)
    return np.ptp(x) > 1e-3 * max(1.0, float(np.max(np.abs(x))))


def _with_spread(x: list[float]) -> list[float]:
    """A sample (nearly) without spread gets some: its last point moves ½(1 + |x₁|) away from the first."""
    return x if _spread_ok(x) else [*x[:-1], x[0] + 0.5 * (1.0 + abs(x[0]))]


# Samples on which the closed forms are compared with optimisers. They are built to be non-degenerate,
# not filtered with `assume` (hypothesis favours samples like [0.0, 0.0], so a filter would discard many
# examples and could discard most); each test asserts the promise, so every example reaches its checks.
# The degenerate samples have their own test (test_degenerate_samples_return_the_boundary).
spread_reals = reals.map(_with_spread)
positive_counts = counts.map(lambda c: c if any(c) else [*c[:-1], 1])  # λ̂ > 0: not all zero


# --------------------------------------------------------------------------------------------------
# The slides' numbers
# --------------------------------------------------------------------------------------------------
def test_fourteen_flips_give_five_fourteenths():
    flips = "HHTTTTHTHTTTTH"
    assert bernoulli_mle([int(c == "H") for c in flips]) == 5 / 14


def test_hhthh_mle_is_four_fifths():
    assert bernoulli_mle([1, 1, 0, 1, 1]) == 0.8


def test_session15_example3_erratum():
    sample = [0, 1, 0, 0, 1, 0]  # four zeros and two ones
    assert bernoulli_mle(sample) == 1 / 3
    # The deck writes L(p) = (1 − p)³ p² (three zeros, miscounted) and gets 2/5; that is indeed the
    # maximiser of its own (wrong) likelihood, which is the likelihood of 0,1,0,0,1 instead.
    wrong = _argmax_scalar(lambda p: -(3 * math.log1p(-p) + 2 * math.log(p)), 1e-12, 1 - 1e-12)
    assert wrong == pytest.approx(2 / 5, abs=1e-8)
    assert bernoulli_mle([0, 1, 0, 0, 1]) == 2 / 5
    right = _argmax_scalar(lambda p: -bernoulli_loglik(p, sample), 1e-12, 1 - 1e-12)
    assert right == pytest.approx(1 / 3, abs=1e-8)


def test_61_heads_mle_is_061():
    assert binomial_mle(61, 100) == 0.61
    assert binomial_mle([61], 100) == 0.61


def test_return_types_are_python_floats():
    assert type(bernoulli_mle([0, 1])) is float
    assert type(binomial_mle(np.array([1, 2]), np.int64(3))) is float
    assert type(poisson_mle([1, 2])) is float
    assert all(type(v) is float for v in normal_mle([1.0, 2.0]))
    assert all(type(v) is float for v in uniform_mle([1.0, 2.0]))


def test_normal_ddof_one_is_the_unbiased_variance():
    x = [1.0, 2.0, 3.0, 6.0]
    assert normal_mle(x, ddof=1) == (3.0, pytest.approx(np.var(x, ddof=1)))
    assert normal_mle(x)[1] == pytest.approx(np.var(x) * 1.0)
    assert normal_mle(x, ddof=1)[1] == pytest.approx(normal_mle(x)[1] * 4 / 3)


def test_degenerate_samples_return_the_boundary():
    assert bernoulli_mle([0, 0, 0]) == 0.0
    assert bernoulli_mle([1, 1]) == 1.0
    assert poisson_mle([0, 0]) == 0.0
    assert normal_mle([2.0, 2.0]) == (2.0, 0.0)
    assert uniform_mle([2.0]) == (2.0, 2.0)


# --------------------------------------------------------------------------------------------------
# Closed form == numerical_mle == argmax of our log-likelihood (hypothesis)
# --------------------------------------------------------------------------------------------------
@SLOW
@given(binary)
def test_bernoulli_matches_numerical_and_argmax(x):
    theta = bernoulli_mle(x)
    fit = numerical_mle(scipy.stats.bernoulli, x, fixed={"loc": 0})
    assert fit.params["p"] == pytest.approx(theta, abs=1e-6)
    arg = _argmax_scalar(lambda p: -bernoulli_loglik(p, x), 0.0, 1.0)
    assert arg == pytest.approx(theta, abs=1e-6)


@SLOW
@given(
    st.integers(1, 20).flatmap(lambda n: st.tuples(st.just(n), st.lists(st.integers(0, n), min_size=1, max_size=30)))
)
def test_binomial_matches_numerical_and_argmax(case):
    n, k = case
    p_hat = binomial_mle(k, n)
    fit = numerical_mle(scipy.stats.binom, k, fixed={"n": n, "loc": 0})
    assert fit.params["p"] == pytest.approx(p_hat, abs=1e-6)
    arg = _argmax_scalar(lambda p: -binomial_loglik(p, k, n), 0.0, 1.0)
    assert arg == pytest.approx(p_hat, abs=1e-6)


@SLOW
@given(counts)
def test_poisson_matches_numerical_and_argmax(x):
    lam = poisson_mle(x)
    fit = numerical_mle(scipy.stats.poisson, x, fixed={"loc": 0})
    assert fit.params["mu"] == pytest.approx(lam, rel=1e-6, abs=1e-7)
    # ln L is defined for λ > 0 only: for all-zero counts the argmax sits at the search's lower end, ≈ 0.
    arg = _argmax_scalar(lambda v: -poisson_loglik(v, x), 1e-9, max(x) + 1.0)
    assert arg == pytest.approx(lam, rel=1e-6, abs=1e-7)


@SLOW
@given(spread_reals)
def test_normal_matches_numerical_fit_and_argmax(x):
    assert _spread_ok(x)  # every example reaches the comparison (see spread_reals)
    mu, var = normal_mle(x)
    fit = numerical_mle(scipy.stats.norm, x)
    assert fit.params["loc"] == pytest.approx(mu, abs=1e-6 * math.sqrt(var))
    assert fit.params["scale"] ** 2 == pytest.approx(var, rel=1e-6)
    loc, scale = scipy.stats.norm.fit(x)  # scipy's fit is the n-divisor MLE too
    assert (loc, scale**2) == (pytest.approx(mu, abs=1e-9 * math.sqrt(var) + 1e-12), pytest.approx(var, rel=1e-9))
    # argmax of our ln L over (μ, ln σ²), from a deliberately poor start
    res = optimize.minimize(
        lambda t: -normal_loglik(t[0], math.exp(t[1]), x) / len(x),
        [float(np.median(x)) + 0.3 * math.sqrt(var), math.log(var) + 0.5],
        method="Nelder-Mead",
        options={"xatol": 1e-10, "fatol": 1e-14, "maxiter": 4000},
    )
    assert res.x[0] == pytest.approx(mu, abs=1e-6 * math.sqrt(var))
    assert math.exp(res.x[1]) == pytest.approx(var, rel=1e-6)


@SLOW
@given(spread_reals)
def test_uniform_matches_numerical_fit_and_loglik(x):
    assert _spread_ok(x)
    low, high = uniform_mle(x)
    fit = numerical_mle(scipy.stats.uniform, x)
    assert fit.on_boundary
    assert fit.params["loc"] == pytest.approx(low, abs=1e-12 * (1 + abs(low)))
    assert fit.params["loc"] + fit.params["scale"] == pytest.approx(high, rel=1e-12, abs=1e-12)
    loc, scale = scipy.stats.uniform.fit(x)
    assert (loc, loc + scale) == (pytest.approx(low), pytest.approx(high))
    # (x₍₁₎, x₍ₙ₎) is the best interval: any interval covering the data is wider, any narrower one is impossible.
    best = uniform_loglik(low, high, x)
    width = high - low
    for a, b in [(low - 0.1 * width, high), (low, high + 0.01 * width), (low - width, high + width)]:
        assert uniform_loglik(a, b, x) < best
    assert uniform_loglik(low + 1e-3 * width, high, x) == -np.inf
    assert uniform_loglik(low, high - 1e-3 * width, x) == -np.inf


# --------------------------------------------------------------------------------------------------
# Closed form == scipy's own fitting (seeded samples; scipy.stats.fit is slow, so not under hypothesis)
# --------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_discrete_closed_forms_match_scipy_stats_fit(seed):
    rng = np.random.default_rng(seed)
    b = rng.integers(0, 2, 40)
    res = scipy.stats.fit(scipy.stats.bernoulli, b, bounds={"p": (0, 1)})
    assert res.success and res.params.p == pytest.approx(bernoulli_mle(b), abs=1e-6)
    k = rng.binomial(12, 0.3, 25)
    res = scipy.stats.fit(scipy.stats.binom, k, bounds={"n": (12, 12), "p": (0, 1)})
    assert res.success and res.params.p == pytest.approx(binomial_mle(k, 12), abs=1e-6)
    c = rng.poisson(4.2, 50)
    res = scipy.stats.fit(scipy.stats.poisson, c, bounds={"mu": (0, 50)})
    assert res.success and res.params.mu == pytest.approx(poisson_mle(c), rel=1e-6)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_continuous_closed_forms_match_scipy_dist_fit(seed):
    rng = np.random.default_rng(seed)
    x = rng.normal(10.0, 3.0, 80)
    loc, scale = scipy.stats.norm.fit(x)
    assert normal_mle(x) == (pytest.approx(loc), pytest.approx(scale**2))
    u = rng.uniform(-2.0, 5.0, 30)
    loc, scale = scipy.stats.uniform.fit(u)
    assert uniform_mle(u) == (pytest.approx(loc), pytest.approx(loc + scale))


# --------------------------------------------------------------------------------------------------
# Properties: permutation invariance; the MLE's ln L beats every other θ
# --------------------------------------------------------------------------------------------------
@FAST
@given(st.data())
def test_estimates_are_invariant_to_permutation(data):
    b = data.draw(binary)
    assert bernoulli_mle(data.draw(st.permutations(b))) == pytest.approx(bernoulli_mle(b), rel=1e-15)
    c = data.draw(counts)
    assert poisson_mle(data.draw(st.permutations(c))) == pytest.approx(poisson_mle(c), rel=1e-12)
    assert binomial_mle(data.draw(st.permutations(c)), 40) == pytest.approx(binomial_mle(c, 40), rel=1e-12)
    x = data.draw(reals)
    mu, var = normal_mle(x)
    mu2, var2 = normal_mle(data.draw(st.permutations(x)))
    scale = max(1.0, float(np.max(np.abs(x))))
    assert mu2 == pytest.approx(mu, abs=1e-12 * scale)
    assert var2 == pytest.approx(var, rel=1e-9, abs=1e-12 * scale**2)
    assert uniform_mle(data.draw(st.permutations(x))) == uniform_mle(x)


@FAST
@given(binary, st.floats(0, 1))
def test_bernoulli_mle_maximises_loglik(x, other):
    assert bernoulli_loglik(bernoulli_mle(x), x) >= bernoulli_loglik(other, x)


@FAST
@given(
    st.integers(1, 20).flatmap(lambda n: st.tuples(st.just(n), st.lists(st.integers(0, n), min_size=1, max_size=30))),
    st.floats(0, 1),
)
def test_binomial_mle_maximises_loglik(case, other):
    n, k = case
    assert binomial_loglik(binomial_mle(k, n), k, n) >= binomial_loglik(other, k, n)


@FAST
@given(positive_counts, st.floats(1e-6, 100))
def test_poisson_mle_maximises_loglik(x, other):
    lam = poisson_mle(x)
    assert lam > 0  # λ̂ = 0 (all-zero counts) is the edge of λ > 0, where ln L is not evaluated
    assert poisson_loglik(lam, x) >= poisson_loglik(other, x) - 1e-9 * abs(poisson_loglik(other, x))


@FAST
@given(spread_reals, st.floats(-2e3, 2e3), st.floats(1e-3, 1e7))
def test_normal_mle_maximises_loglik(x, mu_other, var_other):
    assert _spread_ok(x)
    mu, var = normal_mle(x)
    best = normal_loglik(mu, var, x)
    assert best >= normal_loglik(mu_other, var_other, x) - 1e-9 * abs(best)


@FAST
@given(spread_reals, st.floats(0, 100), st.floats(0, 100))
def test_uniform_mle_maximises_loglik(x, widen_low, widen_high):
    assert _spread_ok(x)
    low, high = uniform_mle(x)
    assert uniform_loglik(low, high, x) >= uniform_loglik(low - widen_low, high + widen_high, x)


# --------------------------------------------------------------------------------------------------
# Bad input: every error names the argument that broke the rule
# --------------------------------------------------------------------------------------------------
SAMPLE_ESTIMATORS = [bernoulli_mle, poisson_mle, normal_mle, uniform_mle]
SAMPLE_ARG = {bernoulli_mle: "x", poisson_mle: "counts", normal_mle: "x", uniform_mle: "x"}


@pytest.mark.parametrize("func", SAMPLE_ESTIMATORS, ids=lambda f: f.__name__)
@pytest.mark.parametrize(
    "bad, error",
    [
        ([], ValueError),  # empty
        ([0.0, float("nan")], ValueError),  # NaN
        ([1.0, float("inf")], ValueError),  # inf
        ([[0.0, 1.0], [1.0, 0.0]], ValueError),  # 2-D
        ("0101", TypeError),  # a string
        ([1, None], (TypeError, ValueError)),  # None in a list (_checks.py reads None as NaN)
        (["a", "b"], TypeError),  # strings in a list
        (None, (TypeError, ValueError)),  # _checks.py reads None as a 0-d NaN
        ([True, False], TypeError),  # booleans are not measurements
    ],
    ids=["empty", "nan", "inf", "2d", "string", "none-in-list", "strings", "none", "bools"],
)
def test_sample_estimators_reject_bad_samples(func, bad, error):
    with pytest.raises(error, match=SAMPLE_ARG[func]):
        func(bad)


@pytest.mark.parametrize("bad", [[0, 2], [0, -1], [0.5, 1]])
def test_bernoulli_rejects_values_other_than_0_and_1(bad):
    with pytest.raises(ValueError, match="x must contain only 0 and 1"):
        bernoulli_mle(bad)


@pytest.mark.parametrize("bad", [[1, -1], [1, 2.5]])
def test_poisson_rejects_negative_or_fractional_counts(bad):
    with pytest.raises(ValueError, match="counts must be non-negative integers"):
        poisson_mle(bad)


@pytest.mark.parametrize(
    "successes, n_trials, error, name",
    [
        ([], 10, ValueError, "successes"),
        ([1, float("nan")], 10, ValueError, "successes"),
        ([1, float("inf")], 10, ValueError, "successes"),
        ([[1, 2]], 10, ValueError, "successes"),
        ([1, -1], 10, ValueError, "successes"),
        ([1, 2.5], 10, ValueError, "successes"),
        (-3, 10, ValueError, "successes"),
        ([3, 11], 10, ValueError, "successes must not exceed n_trials"),
        ("3", 10, TypeError, "successes"),
        ([1, None], 10, (TypeError, ValueError), "successes"),
        ([1, 2], 0, ValueError, "n_trials"),
        ([1, 2], -5, ValueError, "n_trials"),
        ([1, 2], 10.0, TypeError, "n_trials"),
        ([1, 2], 2.5, TypeError, "n_trials"),
        ([1, 2], "10", TypeError, "n_trials"),
        ([1, 2], None, TypeError, "n_trials"),
        ([1, 2], True, TypeError, "n_trials"),
    ],
)
def test_binomial_rejects_bad_input(successes, n_trials, error, name):
    with pytest.raises(error, match=name):
        binomial_mle(successes, n_trials)


@pytest.mark.parametrize(
    "ddof, error",
    [
        (2, ValueError),
        (-1, ValueError),
        (0.0, TypeError),
        (1.5, TypeError),
        ("1", TypeError),
        (None, TypeError),
        (True, TypeError),
    ],
)
def test_normal_rejects_bad_ddof(ddof, error):
    with pytest.raises(error, match="ddof"):
        normal_mle([1.0, 2.0, 3.0], ddof=ddof)


def test_normal_needs_more_values_than_ddof():
    with pytest.raises(ValueError, match="x must have more than ddof=1"):
        normal_mle([1.0], ddof=1)
    assert normal_mle([1.0], ddof=0) == (1.0, 0.0)


def test_normal_refuses_to_overflow():
    with pytest.raises(ValueError, match="x is too large"):
        normal_mle([-1e308, 1e308])
