"""Log-likelihoods, pick_mle, numerical_mle and fisher_information (mle_lib.likelihood).

Log-likelihoods are checked against scipy.stats' logpmf/logpdf summed over the data; numerical_mle's
observed information against the closed-form expected information; the slides' numbers are pinned.
"""

from __future__ import annotations

import dataclasses
import math
import warnings

import numpy as np
import pytest
import scipy.stats
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from mle_lib.estimators import bernoulli_mle, binomial_mle, normal_mle, poisson_mle
from mle_lib.likelihood import (
    bernoulli_likelihood,
    bernoulli_loglik,
    binomial_likelihood,
    binomial_loglik,
    fisher_information,
    normal_likelihood,
    normal_loglik,
    pick_mle,
    poisson_likelihood,
    poisson_loglik,
    uniform_likelihood,
    uniform_loglik,
)
from mle_lib.numerical import NumericalMLE, numerical_mle

FAST = settings(max_examples=50, deadline=None)
SLOW = settings(max_examples=20, deadline=None)
Z95 = 1.959963984540054

binary = st.lists(st.integers(0, 1), min_size=1, max_size=60)
counts = st.lists(st.integers(0, 40), min_size=1, max_size=60)
reals = st.lists(st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False), min_size=1, max_size=60)
probs = st.floats(0, 1)


def same(ours, theirs, rtol=1e-10, atol=1e-10) -> bool:
    """Equal as log-likelihoods: both −inf, or close."""
    ours, theirs = np.asarray(ours, dtype=float), np.asarray(theirs, dtype=float)
    both_neg_inf = (ours == -np.inf) & (theirs == -np.inf)
    return bool(np.all(both_neg_inf | np.isclose(ours, theirs, rtol=rtol, atol=atol)))


# --------------------------------------------------------------------------------------------------
# The slides' numbers
# --------------------------------------------------------------------------------------------------
def test_hhthh_likelihoods():
    hhthh = [1, 1, 0, 1, 1]
    assert round(bernoulli_likelihood(0.6, hhthh), 5) == 0.05184
    assert round(bernoulli_likelihood(0.5, hhthh), 5) == 0.03125
    assert bernoulli_likelihood(0.6, hhthh) > bernoulli_likelihood(0.5, hhthh)
    grid = np.linspace(0, 1, 1001)
    assert grid[np.argmax(bernoulli_loglik(grid, hhthh))] == pytest.approx(0.8)


def test_61_of_100_probabilities():
    # The slide's values: 9.6e-9, 0.007, 0.040 (all correct when rounded as the slide rounds them).
    assert float(f"{binomial_likelihood(1 / 3, 61, 100):.2g}") == 9.6e-9
    assert round(binomial_likelihood(1 / 2, 61, 100), 3) == 0.007
    assert round(binomial_likelihood(2 / 3, 61, 100), 3) == 0.040
    assert binomial_likelihood(1 / 2, 61, 100) == pytest.approx(scipy.stats.binom.pmf(61, 100, 0.5), rel=1e-12)


def test_61_of_100_pick_mle_and_global_mle():
    assert pick_mle([1 / 3, 1 / 2, 2 / 3], lambda p: binomial_loglik(p, 61, 100)) == 2 / 3
    grid = np.linspace(0, 1, 10001)
    assert pick_mle(grid, lambda p: binomial_loglik(p, 61, 100)) == pytest.approx(0.61, abs=1e-12)
    assert binomial_likelihood(0, 61, 100) == 0.0 and binomial_likelihood(1, 61, 100) == 0.0
    fit = numerical_mle(scipy.stats.binom, [61], fixed={"n": 100, "loc": 0})
    assert fit.params["p"] == pytest.approx(0.61, abs=1e-7)


# --------------------------------------------------------------------------------------------------
# Log-likelihoods equal scipy.stats' logpmf / logpdf summed over the data
# --------------------------------------------------------------------------------------------------
@FAST
@given(binary, probs)
def test_bernoulli_loglik_matches_scipy(x, theta):
    assert same(bernoulli_loglik(theta, x), scipy.stats.bernoulli.logpmf(x, theta).sum())


@FAST
@given(
    st.integers(1, 30).flatmap(lambda n: st.tuples(st.just(n), st.lists(st.integers(0, n), min_size=1, max_size=30))),
    probs,
)
def test_binomial_loglik_matches_scipy(case, p):
    n, k = case
    assert same(binomial_loglik(p, k, n), scipy.stats.binom.logpmf(k, n, p).sum(), rtol=1e-9)


@FAST
@given(counts, st.floats(1e-3, 1e3))
def test_poisson_loglik_matches_scipy(x, lam):
    assert same(poisson_loglik(lam, x), scipy.stats.poisson.logpmf(x, lam).sum(), rtol=1e-9)


@FAST
@given(reals, st.floats(-2e3, 2e3), st.floats(1e-2, 1e6))
def test_normal_loglik_matches_scipy(x, mu, var):
    assert same(normal_loglik(mu, var, x), scipy.stats.norm.logpdf(x, mu, math.sqrt(var)).sum(), rtol=1e-9)


@FAST
@given(reals, st.floats(-2e3, 2e3), st.floats(1e-2, 1e3))
def test_uniform_loglik_matches_scipy(x, low, width):
    high = low + width
    # Stay clear of the endpoints, where scipy's (x − loc)/scale and our comparisons may round differently.
    xs = np.asarray(x)
    assume(np.all(np.minimum(np.abs(xs - low), np.abs(xs - high)) > 1e-9 * (1 + np.abs(xs))))
    assert same(uniform_loglik(low, high, x), scipy.stats.uniform.logpdf(x, low, high - low).sum(), rtol=1e-9)


@pytest.mark.parametrize("theta", [0.0, 0.1, 0.5, 0.9, 1.0])
def test_loglik_at_several_theta(theta):
    x = [0, 1, 1, 0, 1]
    assert same(bernoulli_loglik(theta, x), scipy.stats.bernoulli.logpmf(x, theta).sum())
    k = [3, 7, 0, 10]
    assert same(binomial_loglik(theta, k, 10), scipy.stats.binom.logpmf(k, 10, theta).sum())
    if theta > 0:
        c = [0, 3, 5, 2]
        assert same(poisson_loglik(10 * theta, c), scipy.stats.poisson.logpmf(c, 10 * theta).sum())
        z = [-1.0, 0.5, 2.0]
        assert same(
            normal_loglik(theta - 0.5, 2 * theta, z),
            scipy.stats.norm.logpdf(z, theta - 0.5, math.sqrt(2 * theta)).sum(),
        )
        assert same(uniform_loglik(-theta, 2.5 * theta, z), scipy.stats.uniform.logpdf(z, -theta, 3.5 * theta).sum())


# --------------------------------------------------------------------------------------------------
# Shapes, types, boundaries, and exp(loglik) = likelihood
# --------------------------------------------------------------------------------------------------
def test_grid_in_grid_out_scalar_in_float_out():
    grid = np.linspace(0.05, 0.95, 12).reshape(3, 4)
    assert bernoulli_loglik(grid, [0, 1, 1]).shape == (3, 4)
    assert binomial_loglik(grid, [2, 3], 5).shape == (3, 4)
    assert poisson_loglik(grid, [2, 3]).shape == (3, 4)
    assert uniform_loglik(-grid, grid + 3, [0.0, 1.0]).shape == (3, 4)
    for value in (
        bernoulli_loglik(0.3, [0, 1]),
        binomial_loglik(0.3, 1, 2),
        poisson_loglik(2.0, [1]),
        normal_loglik(0.0, 1.0, [0.0]),
        uniform_loglik(0.0, 1.0, [0.5]),
        bernoulli_likelihood(0.3, [1]),
    ):
        assert type(value) is float
    assert type(bernoulli_loglik(np.float64(0.3), [0, 1])) is float
    assert type(bernoulli_loglik(np.array(0.3), [0, 1])) is float


def test_normal_loglik_broadcasts_a_meshgrid():
    x = [1.0, 2.0, 4.0]
    mus, vars_ = np.meshgrid(np.linspace(0, 5, 7), np.linspace(0.5, 4, 5))
    surface = normal_loglik(mus, vars_, x)
    assert surface.shape == (5, 7)
    i, j = 2, 3
    assert surface[i, j] == pytest.approx(normal_loglik(mus[i, j], vars_[i, j], x))
    assert normal_loglik(np.array([0.0, 1.0]), 1.0, x).shape == (2,)
    assert normal_loglik(1.0, np.array([[1.0], [2.0]]), x).shape == (2, 1)


def test_boundary_values_are_exact_and_silent():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert bernoulli_loglik(0.0, [0, 0, 0]) == 0.0
        assert bernoulli_loglik(1.0, [1, 1]) == 0.0
        assert bernoulli_loglik(0.0, [0, 1]) == -np.inf
        assert bernoulli_loglik(1.0, [0, 1]) == -np.inf
        assert bernoulli_likelihood(1.0, [0, 1]) == 0.0
        assert binomial_loglik(0.0, [0, 0], 5) == 0.0
        assert binomial_loglik(1.0, [5, 5], 5) == 0.0
        assert binomial_loglik(np.array([0.0, 1.0]), [2], 5).tolist() == [-np.inf, -np.inf]
        assert uniform_loglik(0.0, 1.0, [0.0, 1.0]) == 0.0  # the endpoints belong to [low, high]
        assert uniform_loglik(0.0, 1.0, [0.5, 1.5]) == -np.inf
        assert uniform_likelihood(0.0, 1.0, [0.5, 1.5]) == 0.0
        assert bernoulli_likelihood(0.5, [0] * 2000) == 0.0  # underflow rounds to 0, no warning
        assert uniform_loglik(-1e308, 1e308, [0.0]) == pytest.approx(-(math.log(1e308) + math.log(2.0)))


@FAST
@given(binary, probs, counts, st.floats(0.1, 20))
def test_likelihood_is_exp_loglik(x, theta, c, lam):
    assert bernoulli_likelihood(theta, x) == pytest.approx(math.exp(bernoulli_loglik(theta, x)), rel=1e-12)
    assert poisson_likelihood(lam, c) == pytest.approx(math.exp(poisson_loglik(lam, c)), rel=1e-12)
    assert binomial_likelihood(theta, c, 40) == pytest.approx(math.exp(binomial_loglik(theta, c, 40)), rel=1e-12)
    assert normal_likelihood(theta, lam, c) == pytest.approx(math.exp(normal_loglik(theta, lam, c)), rel=1e-12)
    assert uniform_likelihood(-lam, lam, c) == pytest.approx(math.exp(uniform_loglik(-lam, lam, c)), rel=1e-12)


def test_likelihood_refuses_to_overflow():
    with pytest.raises(ValueError, match="normal_loglik"):
        normal_likelihood(0.0, 1e-300, [0.0, 0.0, 0.0])
    with pytest.raises(ValueError, match="uniform_loglik"):
        uniform_likelihood(0.0, 1e-300, [0.0, 0.0, 0.0])
    assert normal_loglik(0.0, 1e-300, [0.0, 0.0, 0.0]) > 709


# --------------------------------------------------------------------------------------------------
# pick_mle
# --------------------------------------------------------------------------------------------------
def test_pick_mle_ties_go_to_the_first_candidate_and_neg_inf_is_allowed():
    assert pick_mle([0.3, 0.7, 0.5], lambda p: np.where(p > 0.4, 0.0, -1.0)) == 0.7
    assert pick_mle([0.0, 0.5, 1.0], lambda p: bernoulli_loglik(p, [0, 1])) == 0.5


@pytest.mark.parametrize(
    "candidates, loglik, error, name",
    [
        ([], lambda p: p, ValueError, "candidates"),
        ([[0.1, 0.2]], lambda p: p, ValueError, "candidates"),
        ([0.1, float("nan")], lambda p: p, ValueError, "candidates"),
        ("0.1", lambda p: p, TypeError, "candidates"),
        ([0.1, 0.2], "not callable", TypeError, "loglik"),
        ([0.1, 0.2], lambda p: p[:1], ValueError, "loglik"),
        ([0.1, 0.2], lambda p: p * np.nan, ValueError, "loglik"),
        ([0.0, 1.0], lambda p: bernoulli_loglik(p, [0, 1]), ValueError, "loglik is -inf at every candidate"),
    ],
)
def test_pick_mle_rejects_bad_input(candidates, loglik, error, name):
    with pytest.raises(error, match=name):
        pick_mle(candidates, loglik)


# --------------------------------------------------------------------------------------------------
# numerical_mle: information, standard errors, Wald intervals, boundaries
# --------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_observed_information_equals_fisher_at_the_mle(seed):
    rng = np.random.default_rng(seed)
    b = rng.integers(0, 2, 40)
    fit = numerical_mle(scipy.stats.bernoulli, b, fixed={"loc": 0})
    assert fit.observed_information[0, 0] == pytest.approx(
        fisher_information("bernoulli", bernoulli_mle(b), n=40), rel=1e-4
    )
    k = rng.binomial(8, 0.4, 15)
    fit = numerical_mle(scipy.stats.binom, k, fixed={"n": 8, "loc": 0})
    assert fit.observed_information[0, 0] == pytest.approx(
        fisher_information("binomial", binomial_mle(k, 8), n=15, n_trials=8), rel=1e-4
    )
    c = rng.poisson(3.0, 30)
    fit = numerical_mle(scipy.stats.poisson, c, fixed={"loc": 0})
    assert fit.observed_information[0, 0] == pytest.approx(
        fisher_information("poisson", poisson_mle(c), n=30), rel=1e-4
    )
    x = rng.normal(5.0, 2.0, 50)
    fit = numerical_mle(scipy.stats.norm, x)
    mu, var = normal_mle(x)
    expected = fisher_information("normal", (mu, var), n=50)  # for (μ, σ²)
    sigma = fit.params["scale"]
    jac = np.diag([1.0, 1.0 / (2.0 * sigma)])  # dσ/dσ² = 1/(2σ)
    assert jac @ fit.observed_information @ jac == pytest.approx(expected, rel=1e-4, abs=1e-6)


@SLOW
@given(st.lists(st.floats(-100, 100), min_size=3, max_size=40))
def test_standard_error_of_normal_mean_is_sigma_over_root_n(x):
    assume(np.ptp(x) > 1e-2)
    fit = numerical_mle(scipy.stats.norm, x)
    _, var = normal_mle(x)
    assert fit.standard_errors["loc"] == pytest.approx(math.sqrt(var / len(x)), rel=1e-4)
    assert fit.standard_errors["scale"] == pytest.approx(math.sqrt(var / (2 * len(x))), rel=1e-4)
    assert fit.covariance == pytest.approx(np.linalg.inv(fit.observed_information))


def test_wald_ci_is_estimate_plus_minus_z_se():
    c = [2, 0, 3, 1, 4, 2, 2, 5]
    fit = numerical_mle(scipy.stats.poisson, c, fixed={"loc": 0})
    lam, se = poisson_mle(c), math.sqrt(poisson_mle(c) / len(c))
    lo, hi = fit.wald_ci()["mu"]
    assert (lo, hi) == (pytest.approx(lam - Z95 * se, rel=1e-5), pytest.approx(lam + Z95 * se, rel=1e-5))
    lo90, hi90 = fit.wald_ci(0.90)["mu"]
    assert lo < lo90 < hi90 < hi
    for bad in (0.0, 1.0, 1.5, -0.1, float("nan")):
        with pytest.raises(ValueError, match="level"):
            fit.wald_ci(bad)
    with pytest.raises(TypeError, match="level"):
        fit.wald_ci("95%")


def test_result_is_frozen_and_reports_free_params_in_scipy_order():
    fit = numerical_mle(scipy.stats.gamma, np.random.default_rng(5).gamma(2.0, 3.0, 200), fixed={"loc": 0})
    assert list(fit.params) == ["a", "scale"] and fit.fixed == {"loc": 0.0}
    assert fit.converged and not fit.on_boundary
    a, _loc, scale = scipy.stats.gamma.fit(np.random.default_rng(5).gamma(2.0, 3.0, 200), floc=0)
    assert fit.params == {"a": pytest.approx(a, rel=1e-5), "scale": pytest.approx(scale, rel=1e-5)}
    with pytest.raises(dataclasses.FrozenInstanceError):
        fit.loglik = 0.0  # type: ignore[misc]
    info = fit.observed_information
    info[0, 0] = 0.0
    assert fit.observed_information[0, 0] != 0.0
    assert isinstance(fit, NumericalMLE)


def test_loglik_of_result_is_the_scipy_sum_at_the_estimate():
    x = np.random.default_rng(7).exponential(2.0, 60)
    fit = numerical_mle(scipy.stats.expon, x, fixed={"loc": 0})
    assert fit.params["scale"] == pytest.approx(x.mean(), rel=1e-7)
    assert fit.loglik == pytest.approx(scipy.stats.expon.logpdf(x, scale=fit.params["scale"]).sum(), rel=1e-12)


def test_uniform_is_a_boundary_maximum_without_information():
    x = [2.5, 0.5, 1.75, 3.0]
    fit = numerical_mle(scipy.stats.uniform, x)
    assert fit.on_boundary and fit.params == {"loc": 0.5, "scale": 2.5}
    assert fit.loglik == pytest.approx(uniform_loglik(0.5, 3.0, x))
    for attribute in ("observed_information", "covariance", "standard_errors"):
        with pytest.raises(ValueError, match="observed information is undefined.*support"):
            getattr(fit, attribute)
    with pytest.raises(ValueError, match="observed information is undefined"):
        fit.wald_ci()
    fit = numerical_mle(scipy.stats.uniform, x, fixed={"loc": 0})  # U(0, θ): θ̂ = x₍ₙ₎
    assert fit.params == {"scale": 3.0} and fit.on_boundary


def test_exponential_with_free_loc_snaps_loc_to_the_minimum():
    x = np.random.default_rng(3).exponential(2.0, 50) + 1.0
    fit = numerical_mle(scipy.stats.expon, x)
    assert fit.on_boundary
    assert fit.params["loc"] == x.min()
    assert fit.params["scale"] == pytest.approx(np.mean(x - x.min()), rel=1e-6)


def test_unbounded_likelihood_is_refused():
    x = np.random.default_rng(0).gamma(0.7, 2.0, 200) + 3.0  # a < 1: the density has a pole at loc
    with pytest.raises(ValueError, match="unbounded"):
        numerical_mle(scipy.stats.gamma, x)
    fit = numerical_mle(scipy.stats.gamma, x, fixed={"loc": 3.0})
    assert fit.params["a"] == pytest.approx(scipy.stats.gamma.fit(x, floc=3.0)[0], rel=1e-4)


@pytest.mark.parametrize(
    "dist, data, fixed, name, value",
    [
        (scipy.stats.bernoulli, [0, 0, 0], {"loc": 0}, "p", 0.0),
        (scipy.stats.bernoulli, [1, 1], {"loc": 0}, "p", 1.0),
        (scipy.stats.binom, [0, 0], {"n": 5, "loc": 0}, "p", 0.0),
        (scipy.stats.poisson, [0, 0, 0], {"loc": 0}, "mu", 0.0),
    ],
)
def test_parameter_space_edges_are_exact(dist, data, fixed, name, value):
    fit = numerical_mle(dist, data, fixed=fixed)
    assert fit.params[name] == value and fit.on_boundary and fit.loglik == 0.0
    with pytest.raises(ValueError, match="edge of the parameter space"):
        fit.standard_errors


def test_x0_and_bounds():
    b = [1, 1, 1, 0, 1, 1, 0, 1]  # p̂ = 0.75
    fit = numerical_mle(scipy.stats.bernoulli, b, fixed={"loc": 0}, x0={"p": 0.1})
    assert fit.params["p"] == pytest.approx(0.75, abs=1e-7)
    fit = numerical_mle(scipy.stats.bernoulli, b, fixed={"loc": 0}, x0=[0.9])
    assert fit.params["p"] == pytest.approx(0.75, abs=1e-7)
    fit = numerical_mle(scipy.stats.bernoulli, b, fixed={"loc": 0}, bounds={"p": (0.2, 0.5)})
    assert fit.params["p"] == 0.5 and fit.on_boundary  # the constrained maximum
    fit = numerical_mle(scipy.stats.norm, [1.0, 2.0, 4.0], bounds={"loc": (None, 2.0), "scale": (0.1, None)})
    assert fit.params["loc"] == 2.0


@pytest.mark.parametrize(
    "kwargs, error, name",
    [
        (dict(dist="norm", data=[1.0, 2.0]), TypeError, "dist"),
        (dict(dist=scipy.stats.norm(0, 1), data=[1.0, 2.0]), TypeError, "dist must be an unfrozen"),
        (dict(dist=scipy.stats.norm, data=[]), ValueError, "data"),
        (dict(dist=scipy.stats.norm, data=[1.0, float("nan")]), ValueError, "data"),
        (dict(dist=scipy.stats.norm, data=[1.0, float("inf")]), ValueError, "data"),
        (dict(dist=scipy.stats.norm, data=[[1.0, 2.0]]), ValueError, "data"),
        (dict(dist=scipy.stats.norm, data="12"), TypeError, "data"),
        (dict(dist=scipy.stats.norm, data=[1.0, None]), (TypeError, ValueError), "data"),
        (dict(dist=scipy.stats.norm, data=[3.0, 3.0]), ValueError, "data are all equal"),
        (dict(dist=scipy.stats.poisson, data=[1, 2.5], fixed={"loc": 0}), ValueError, "data must be integers"),
        (dict(dist=scipy.stats.poisson, data=[-1, 2], fixed={"loc": 0}), ValueError, "data have log-likelihood -inf"),
        (dict(dist=scipy.stats.bernoulli, data=[0, 2], fixed={"loc": 0}), ValueError, "data have log-likelihood -inf"),
        (dict(dist=scipy.stats.poisson, data=[1, 2]), ValueError, "fixed must give the loc"),
        (dict(dist=scipy.stats.binom, data=[1, 2], fixed={"loc": 0}), ValueError, "fixed must give the integer"),
        (dict(dist=scipy.stats.norm, data=[1.0, 2.0], fixed={"loc": 0, "scale": 1}), ValueError, "fixed must leave"),
        (dict(dist=scipy.stats.norm, data=[1.0, 2.0], fixed=[("loc", 0)]), TypeError, "fixed"),
        (dict(dist=scipy.stats.norm, data=[1.0, 2.0], fixed={"mu": 0}), ValueError, "fixed names unknown"),
        (dict(dist=scipy.stats.norm, data=[1.0, 2.0], fixed={"scale": -1}), ValueError, r"fixed\['scale'\]"),
        (dict(dist=scipy.stats.norm, data=[1.0, 2.0], fixed={"scale": float("nan")}), ValueError, r"fixed\['scale'\]"),
        (dict(dist=scipy.stats.norm, data=[1.0, 2.0], fixed={"loc": "0"}), TypeError, r"fixed\['loc'\]"),
        (dict(dist=scipy.stats.binom, data=[1, 2], fixed={"n": 5.5, "loc": 0}), ValueError, r"fixed\['n'\]"),
        (dict(dist=scipy.stats.binom, data=[1, 2], fixed={"n": 5, "p": 1.5, "loc": 0}), ValueError, r"fixed\['p'\]"),
        (dict(dist=scipy.stats.bernoulli, data=[0, 1], fixed={"loc": 0}, x0={"p": 1.5}), ValueError, r"x0\['p'\]"),
        (dict(dist=scipy.stats.bernoulli, data=[0, 1], fixed={"loc": 0}, x0={"p": 0.0}), ValueError, r"x0\['p'\]"),
        (dict(dist=scipy.stats.bernoulli, data=[0, 1], fixed={"loc": 0}, x0={"q": 0.5}), ValueError, "x0 names"),
        (dict(dist=scipy.stats.bernoulli, data=[0, 1], fixed={"loc": 0}, x0=[0.5, 0.5]), ValueError, "x0 must give"),
        (dict(dist=scipy.stats.bernoulli, data=[0, 1], fixed={"loc": 0}, bounds={"q": (0, 1)}), ValueError, "bounds"),
        (
            dict(dist=scipy.stats.bernoulli, data=[0, 1], fixed={"loc": 0}, bounds={"p": (0.6, 0.4)}),
            ValueError,
            r"bounds\['p'\]",
        ),
        (
            dict(dist=scipy.stats.bernoulli, data=[0, 1], fixed={"loc": 0}, bounds={"p": 0.5}),
            TypeError,
            r"bounds\['p'\]",
        ),
        (dict(dist=scipy.stats.bernoulli, data=[0, 1], fixed={"loc": 0}, bounds=[(0, 1)]), TypeError, "bounds"),
    ],
)
def test_numerical_mle_rejects_bad_input(kwargs, error, name):
    kwargs = dict(kwargs)
    dist, data = kwargs.pop("dist"), kwargs.pop("data")
    with pytest.raises(error, match=name):
        numerical_mle(dist, data, **kwargs)


# --------------------------------------------------------------------------------------------------
# fisher_information
# --------------------------------------------------------------------------------------------------
def test_fisher_information_values():
    assert fisher_information("bernoulli", 0.5) == 4.0
    assert fisher_information("Bernoulli", 0.2, n=10) == pytest.approx(10 / 0.16)
    assert fisher_information("binomial", 0.5, n=3, n_trials=10) == pytest.approx(120.0)
    assert fisher_information("poisson", 2.0, n=6) == 3.0
    assert fisher_information("normal", (1.0, 2.0), n=8) == pytest.approx(np.diag([4.0, 1.0]))
    grid = np.array([[0.2, 0.5], [0.8, 0.25]])
    out = fisher_information("bernoulli", grid, n=2)
    assert out.shape == (2, 2) and out[0, 1] == 8.0
    assert type(fisher_information("poisson", 1.0)) is float


def test_inverse_information_is_the_sampling_variance_of_the_mle():
    rng = np.random.default_rng(11)
    p, n = 0.3, 200
    estimates = rng.binomial(n, p, 4000) / n
    assert np.var(estimates) == pytest.approx(1 / fisher_information("bernoulli", p, n=n), rel=0.1)


@pytest.mark.parametrize(
    "args, kwargs, error, name",
    [
        ((3, 0.5), {}, TypeError, "family"),
        (("gamma", 0.5), {}, ValueError, "family"),
        (("bernoulli", 1.5), {}, ValueError, "theta"),
        (("bernoulli", 0.0), {}, ValueError, "theta"),
        (("bernoulli", 1.0), {}, ValueError, "theta"),
        (("bernoulli", float("nan")), {}, ValueError, "theta"),
        (("bernoulli", "0.5"), {}, TypeError, "theta"),
        (("poisson", 0.0), {}, ValueError, "theta"),
        (("poisson", -1.0), {}, ValueError, "theta"),
        (("normal", (0.0, 0.0)), {}, ValueError, "theta"),
        (("normal", (0.0, -1.0)), {}, ValueError, "theta"),
        (("normal", 1.0), {}, ValueError, "theta"),
        (("normal", (0.0, 1.0, 2.0)), {}, ValueError, "theta"),
        (("bernoulli", 0.5), {"n": 0}, ValueError, "n must"),
        (("bernoulli", 0.5), {"n": 2.0}, TypeError, "n must"),
        (("binomial", 0.5), {}, ValueError, "n_trials"),
        (("binomial", 0.5), {"n_trials": 0}, ValueError, "n_trials"),
        (("binomial", 0.5), {"n_trials": 2.5}, TypeError, "n_trials"),
        (("poisson", 1.0), {"n_trials": 5}, ValueError, "n_trials"),
    ],
)
def test_fisher_information_rejects_bad_input(args, kwargs, error, name):
    with pytest.raises(error, match=name):
        fisher_information(*args, **kwargs)


# --------------------------------------------------------------------------------------------------
# Log-likelihoods: bad input names the argument
# --------------------------------------------------------------------------------------------------
LOGLIKS = {
    "bernoulli": (bernoulli_loglik, lambda data: (0.5, data), "x"),
    "poisson": (poisson_loglik, lambda data: (1.0, data), "counts"),
    "normal": (normal_loglik, lambda data: (0.0, 1.0, data), "x"),
    "uniform": (uniform_loglik, lambda data: (-10.0, 10.0, data), "x"),
    "binomial": (binomial_loglik, lambda data: (0.5, data, 10), "successes"),
}


@pytest.mark.parametrize("family", list(LOGLIKS))
@pytest.mark.parametrize(
    "bad, error",
    [
        ([], ValueError),
        ([0.0, float("nan")], ValueError),
        ([1.0, float("inf")], ValueError),
        ([[0.0, 1.0], [1.0, 0.0]], ValueError),
        ("01", TypeError),
        ([0, None], (TypeError, ValueError)),
        (["a"], TypeError),
    ],
    ids=["empty", "nan", "inf", "2d", "string", "none-in-list", "strings"],
)
def test_logliks_reject_bad_data(family, bad, error):
    func, make_args, name = LOGLIKS[family]
    with pytest.raises(error, match=name):
        func(*make_args(bad))


@pytest.mark.parametrize(
    "call, error, name",
    [
        (lambda: bernoulli_loglik(0.5, [0, 2]), ValueError, "x must contain only 0 and 1"),
        (lambda: bernoulli_loglik(1.5, [0, 1]), ValueError, "theta must be a probability"),
        (lambda: bernoulli_loglik(-0.1, [0, 1]), ValueError, "theta must be a probability"),
        (lambda: bernoulli_loglik([0.5, float("nan")], [0, 1]), ValueError, "theta"),
        (lambda: bernoulli_loglik("0.5", [0, 1]), TypeError, "theta"),
        (lambda: bernoulli_loglik([0.5, None], [0, 1]), (TypeError, ValueError), "theta"),
        (lambda: binomial_loglik(1.1, [1, 2], 5), ValueError, "p must be a probability"),
        (lambda: binomial_loglik(0.5, [1, 6], 5), ValueError, "successes must not exceed n_trials"),
        (lambda: binomial_loglik(0.5, [1, -1], 5), ValueError, "successes must be non-negative integers"),
        (lambda: binomial_loglik(0.5, [1, 1.5], 5), ValueError, "successes must be non-negative integers"),
        (lambda: binomial_loglik(0.5, [1, 2], 0), ValueError, "n_trials"),
        (lambda: binomial_loglik(0.5, [1, 2], 5.0), TypeError, "n_trials"),
        (lambda: poisson_loglik(0.0, [1, 2]), ValueError, "lam must be > 0"),
        (lambda: poisson_loglik(-1.0, [1, 2]), ValueError, "lam must be > 0"),
        (lambda: poisson_loglik(1.0, [1, -2]), ValueError, "counts must be non-negative integers"),
        (lambda: poisson_loglik(1.0, [1, 0.5]), ValueError, "counts must be non-negative integers"),
        (lambda: normal_loglik(0.0, 0.0, [1.0]), ValueError, "var must be > 0"),
        (lambda: normal_loglik(0.0, -1.0, [1.0]), ValueError, "var must be > 0"),
        (lambda: normal_loglik(float("nan"), 1.0, [1.0]), ValueError, "mu"),
        (lambda: normal_loglik("0", 1.0, [1.0]), TypeError, "mu"),
        (lambda: normal_loglik([0.0, 1.0], [1.0, 2.0, 3.0], [1.0]), ValueError, "mu and var must broadcast"),
        (lambda: uniform_loglik(1.0, 1.0, [1.0]), ValueError, "low must be < high"),
        (lambda: uniform_loglik(2.0, 1.0, [1.0]), ValueError, "low must be < high"),
        (lambda: uniform_loglik([0.0, 2.0], [1.0, 1.0], [0.5]), ValueError, "low must be < high.*index 1"),
        (lambda: uniform_loglik(0.0, float("inf"), [1.0]), ValueError, "high"),
        (lambda: uniform_loglik(None, 1.0, [1.0]), (TypeError, ValueError), "low"),
        (lambda: uniform_loglik([0.0, 1.0], [1.0, 2.0, 3.0], [1.0]), ValueError, "low and high must broadcast"),
    ],
)
def test_logliks_reject_bad_parameters(call, error, name):
    with pytest.raises(error, match=name):
        call()


# --- significant_digits: float64 precision, counted from the bits (chapter 1's subnormal claim) ---------------


def _significand_bits(x: float) -> int:
    """Bits of the significand that float64 really stores for x, read from its IEEE-754 bit pattern."""
    import struct

    bits = struct.unpack("<Q", struct.pack("<d", x))[0]
    exponent, fraction = (bits >> 52) & 0x7FF, bits & ((1 << 52) - 1)
    return 53 if exponent else fraction.bit_length()  # a normal number has the implicit leading 1


@pytest.mark.parametrize("x", [1.0, 0.1, 1e300, 2.3e-308, 2.9e-313, 1e-320, 4.9e-324])
def test_significant_digits_agree_with_the_stored_bits(x):
    from mle_lib.likelihood import significant_digits

    # the bit count is an integer, the digits a real log: they agree to within one bit
    assert abs(significant_digits(x) - _significand_bits(x) * math.log10(2)) <= math.log10(2)


def test_a_subnormal_likelihood_keeps_about_eleven_digits_not_a_few():
    """Chapter 1 (issue 9): the product at θ = 0.6, about 2.9e-313, keeps ~10.8 digits — not "a few"."""
    from mle_lib.likelihood import significant_digits

    assert significant_digits(2.9e-313) == pytest.approx(10.77, abs=0.01)
    assert significant_digits(2.9e-313) > 10 > 3
    assert significant_digits(np.finfo(float).smallest_normal) == pytest.approx(15.95, abs=0.01)
    with pytest.raises(ValueError, match="value must be a finite, non-zero"):
        significant_digits(0.0)
