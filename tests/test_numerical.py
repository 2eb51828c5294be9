"""numerical_mle at the edges (mle_lib.numerical): support edges, kinks, float64 extremes, independence.

Independent routes: the closed-form MLEs of the shifted exponential and the Pareto, the Fisher information
of the normal, gamma, Poisson and binomial in closed form, and scipy.stats' logpdf summed at those answers.
"""

from __future__ import annotations

import math
import sys

import numpy as np
import pytest
import scipy.stats
from scipy import special

import mle_lib
from mle_lib import estimators
from mle_lib.numerical import NumericalMLE, _is_local_maximum, _Optimum, _problem, numerical_mle

SEEDS = range(30)


# --------------------------------------------------------------------------------------------------
# Edges of the support: the other parameters are re-maximised, and converged tells the truth
# --------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("seed", SEEDS)
def test_exponential_with_free_loc_matches_the_closed_form(seed):
    x = np.random.default_rng(seed).exponential(2.0, 30) + 5.0
    loc, scale = x.min(), x.mean() - x.min()  # closed form: loc = x₍₁₎, scale = x̄ − x₍₁₎
    fit = numerical_mle(scipy.stats.expon, x)
    assert fit.params["loc"] == loc and fit.on_boundary and fit.converged
    assert fit.params["scale"] == pytest.approx(scale, rel=1e-7)
    assert fit.loglik == pytest.approx(scipy.stats.expon.logpdf(x, loc, scale).sum(), abs=1e-9)


@pytest.mark.parametrize("seed", SEEDS)
def test_pareto_with_free_scale_matches_the_closed_form(seed):
    x = (np.random.default_rng(seed).pareto(3.0, 30) + 1.0) * 2.0
    scale = x.min()
    b = x.size / np.sum(np.log(x / scale))  # closed form: b = n / Σ ln(xᵢ / x₍₁₎)
    fit = numerical_mle(scipy.stats.pareto, x, fixed={"loc": 0})
    assert fit.params["scale"] == scale and fit.on_boundary and fit.converged
    assert fit.params["b"] == pytest.approx(b, rel=1e-7)
    assert fit.loglik == pytest.approx(scipy.stats.pareto.logpdf(x, b, scale=scale).sum(), abs=1e-9)
    with pytest.raises(ValueError, match="edge of the support"):
        fit.standard_errors


def test_converged_is_false_away_from_the_maximum():
    """The convergence check looks at the answer, not at the optimiser's stopping rule."""
    x = np.random.default_rng(1).normal(3.0, 2.0, 40)
    problem = _problem(scipy.stats.norm, x, None, None)
    best = {"loc": float(np.mean(x)), "scale": float(np.std(x))}

    def at(values):
        return _Optimum(values, problem.loglik(values), True, None, [])

    assert _is_local_maximum(problem, at(best))
    assert not _is_local_maximum(problem, at({**best, "loc": best["loc"] + 0.01}))
    assert not _is_local_maximum(problem, at({**best, "scale": best["scale"] * 0.999}))


# --------------------------------------------------------------------------------------------------
# Standard errors need a twice-differentiable ln L
# --------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("n", [20, 21, 100, 101, 1000])
def test_laplace_loc_has_no_standard_error(n):
    x = np.random.default_rng(n).laplace(0.0, 1.0, n)
    fit = numerical_mle(scipy.stats.laplace, x)
    assert fit.params["loc"] == pytest.approx(
        np.median(x), abs=0.5 * np.ptp(np.sort(x)[(n - 1) // 2 : n // 2 + 1]) + 1e-6
    )
    assert not fit.regular and not fit.on_boundary
    for attribute in ("observed_information", "covariance", "standard_errors"):
        with pytest.raises(ValueError, match="not twice differentiable|flat in loc") as err:
            getattr(fit, attribute)
        assert "Hessian" in str(err.value) or "not unique" in str(err.value)


def test_kink_detection_is_not_specific_to_the_laplace():
    """The asymmetric Laplace has a kink at loc too; a logistic (smooth, similar tails) does not."""
    x = np.random.default_rng(4).laplace(0.0, 1.0, 51)
    fit = numerical_mle(scipy.stats.laplace_asymmetric, x, fixed={"kappa": 0.7})
    assert not fit.regular
    with pytest.raises(ValueError, match="not twice differentiable"):
        fit.standard_errors
    fit = numerical_mle(scipy.stats.logistic, x)
    assert fit.regular and set(fit.standard_errors) == {"loc", "scale"}


def _fisher_gamma(a, theta, n):
    return n * np.array([[special.polygamma(1, a), 1.0 / theta], [1.0 / theta, a / theta**2]])


@pytest.mark.parametrize("seed", range(5))
def test_smooth_families_keep_standard_errors_from_the_closed_form_information(seed):
    rng = np.random.default_rng(seed)
    x = rng.normal(5.0, 2.0, 60)
    fit = numerical_mle(scipy.stats.norm, x)
    sigma = np.std(x)
    assert fit.regular and fit.converged
    assert fit.standard_errors == pytest.approx(
        {"loc": sigma / math.sqrt(60), "scale": sigma / math.sqrt(120)}, rel=1e-4
    )

    g = rng.gamma(2.5, 3.0, 80)
    fit = numerical_mle(scipy.stats.gamma, g, fixed={"loc": 0})
    a, _, theta = scipy.stats.gamma.fit(g, floc=0)
    se = np.sqrt(np.diag(np.linalg.inv(_fisher_gamma(a, theta, 80))))
    assert fit.regular and fit.converged
    assert [fit.standard_errors["a"], fit.standard_errors["scale"]] == pytest.approx(se, rel=1e-3)

    c = rng.poisson(4.0, 50)
    fit = numerical_mle(scipy.stats.poisson, c, fixed={"loc": 0})
    assert fit.standard_errors["mu"] == pytest.approx(math.sqrt(np.mean(c) / 50), rel=1e-4)

    k = rng.binomial(12, 0.3, 25)
    p = k.sum() / (25 * 12)
    fit = numerical_mle(scipy.stats.binom, k, fixed={"n": 12, "loc": 0})
    assert fit.standard_errors["p"] == pytest.approx(math.sqrt(p * (1 - p) / (25 * 12)), rel=1e-4)


# --------------------------------------------------------------------------------------------------
# Data near the ends of float64: true messages, or the right answer
# --------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("factor", [1e-300, 1e300])
def test_data_scaled_near_the_ends_of_float64_are_fitted(factor):
    z = np.random.default_rng(0).normal(size=50)
    fit = numerical_mle(scipy.stats.norm, factor * z)  # RuntimeWarnings from mle_lib are errors here
    sigma = float(np.std(z))
    assert fit.params["loc"] == pytest.approx(factor * np.mean(z), abs=1e-6 * factor * sigma)
    assert fit.params["scale"] == pytest.approx(factor * sigma, rel=1e-6)
    assert fit.standard_errors == pytest.approx(
        {"loc": factor * sigma / math.sqrt(50), "scale": factor * sigma / math.sqrt(100)}, rel=1e-4
    )
    # J ≈ n/σ² (1e601 or 1e-599) and J⁻¹ (1e-601 or 1e599) are not float64 numbers: said so, not garbage.
    unrepresentable = "observed_information" if factor < 1 else "covariance"
    with pytest.raises(ValueError, match="outside the range of float64"):
        getattr(fit, unrepresentable)


def test_all_equal_data_are_still_called_all_equal():
    with pytest.raises(ValueError, match="data are all equal"):
        numerical_mle(scipy.stats.norm, [1e-300, 1e-300, 1e-300])


def test_data_spanning_more_than_float64_name_the_cause():
    with pytest.raises(ValueError, match=r"data span more than float64 can hold .*rescale the data"):
        numerical_mle(scipy.stats.norm, [1e308, -1.5e308, 0.5e308])


def test_normal_mle_near_the_top_of_float64():
    assert estimators.normal_mle([1e308, 1e308]) == (1e308, 0.0)
    z = np.random.default_rng(0).normal(size=50)
    mean, var = estimators.normal_mle(1e154 * z)
    assert mean == pytest.approx(1e154 * np.mean(z)) and var == pytest.approx(1e308 * np.var(z))
    with pytest.raises(
        ValueError, match=r"x is too large in spread .* the variance is about 1e600, beyond the largest float64"
    ):
        estimators.normal_mle(1e300 * z)


# --------------------------------------------------------------------------------------------------
# Independence from the closed forms
# --------------------------------------------------------------------------------------------------
CLOSED_FORMS = {getattr(estimators, name) for name in estimators.__all__}


def test_numerical_mle_never_calls_the_closed_forms(monkeypatch):
    """Every name bound to a closed form, in every mle_lib module (and the package), raises if called."""

    def forbidden(*args, **kwargs):
        raise AssertionError("numerical_mle must not use the closed forms")

    patched = 0
    for modname, module in list(sys.modules.items()):
        if module is None or not (modname == "mle_lib" or modname.startswith("mle_lib.")):
            continue
        for attr, value in list(vars(module).items()):
            if callable(value) and value in CLOSED_FORMS:
                monkeypatch.setattr(module, attr, forbidden)
                patched += 1
    assert patched >= 2 * len(CLOSED_FORMS)  # at least mle_lib.estimators and the package namespace
    with pytest.raises(AssertionError, match="closed forms"):
        mle_lib.estimators.normal_mle([1.0, 2.0])  # the patch is live
    fits = [
        numerical_mle(scipy.stats.norm, [1.0, 2.0, 4.0]),
        numerical_mle(scipy.stats.uniform, [1.0, 2.0, 4.0]),
        numerical_mle(scipy.stats.poisson, [1, 2, 4], fixed={"loc": 0}),
        numerical_mle(scipy.stats.bernoulli, [0, 1, 1], fixed={"loc": 0}),
        numerical_mle(scipy.stats.binom, [3, 5], fixed={"n": 8, "loc": 0}),
        numerical_mle(scipy.stats.expon, [1.0, 2.0, 4.0]),
    ]
    assert all(isinstance(fit, NumericalMLE) for fit in fits)
    fits[0].standard_errors, fits[2].wald_ci()
