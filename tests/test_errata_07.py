"""Chapter 7's errata and foundations items (issue 16): each test fails if the correction, or the library
it leans on, were wrong.

* E14 — deck 2 describes EM as maximising an "expected likelihood": the M-step maximises the expected
  complete-data *log*-likelihood Q(θ | θ⁽ᵗ⁾); the expected likelihood has another maximiser.
* E16 — deck 1: "guaranteed to increase likelihood with every E-M iteration, hence will converge". EM never
  lowers ln L; the values converge only when ln L is bounded, to the value at a stationary point, and with free
  variances the mixture's ln L is unbounded: EM can climb into a collapse.
* Chapter 7's answer to "which model reaches the higher ln L?" no longer says the mixture's maximum "cannot be
  lower" (the mixture's ln L has no maximum); it says what holds.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest
from scipy import optimize, stats

import mle_lib as ml

ROOT = Path(__file__).resolve().parents[1]
CHAPTER = ROOT / "notebooks" / "07_em_1d.ipynb"


def _cells() -> list[str]:
    return ["".join(c["source"]) for c in json.loads(CHAPTER.read_text())["cells"]]


# --- E14: the M-step maximises E[ln L], not E[L] (deck 2's wording) ------------------------------------------


def _share_prices(n_a: int = 40, n_b: int = 30, seed: int = 14) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return np.concatenate([rng.normal(100, 2, n_a), rng.normal(90, 2, n_b)])


def test_e14_the_m_step_maximises_the_expected_log_likelihood_not_the_expected_likelihood():
    x = _share_prices()
    resp, _ = ml.e_step(x, [0.5, 0.5], [97.0, 93.0], [9.0, 9.0], "spherical")  # an E-step at a poor θ⁽ᵗ⁾
    w, mu, var = ml.m_step(x, resp, "spherical", reg_covar=0.0)

    def q(m):  # Q(θ | θ⁽ᵗ⁾) over the means, weights and variances at the M-step's
        return np.sum(resp * (np.log(w)[:, None] + stats.norm.logpdf(x, np.reshape(m, (2, 1)), np.sqrt(var)[:, None])))

    def log_expected_l(m):  # ln E[L] = Σ_i ln Σ_k γ_ik π_k f_ik, the decks' "expected likelihood"
        joint = resp * w[:, None] * stats.norm.pdf(x, np.reshape(m, (2, 1)), np.sqrt(var)[:, None])
        return np.sum(np.log(joint.sum(axis=0)))

    by_q = optimize.minimize(lambda m: -q(m), [96.0, 92.0]).x
    by_el = optimize.minimize(
        lambda m: -log_expected_l(m), [96.0, 92.0], method="Nelder-Mead", options={"xatol": 1e-8, "fatol": 1e-12}
    ).x
    assert np.allclose(by_q, mu[:, 0], atol=1e-4)  # the library's M-step is the maximiser of Q
    assert np.abs(by_el - mu[:, 0]).max() > 0.05  # the expected likelihood's maximiser is another point
    # and only the log version comes with the guarantee: this M-step did not lower ln L
    before = ml.e_step(x, [0.5, 0.5], [97.0, 93.0], [9.0, 9.0], "spherical")[1]
    assert ml.e_step(x, w, mu, var, "spherical")[1] >= before


def test_e14_the_chapter_names_deck_2_s_wording():
    text = "\n".join(_cells())
    assert "E14" in text and "maximizing the expected likelihood" in text


# --- E16: "hence will converge" ----------------------------------------------------------------------------


def _em_steps(x, weights, means, variances, n_steps):
    """ln L before each full EM step (reg_covar = 0), σ₁, and the error that stopped the run (or None)."""
    lls, sds = [], []
    for _ in range(n_steps):
        resp, ll = ml.e_step(x, weights, means, variances, "spherical")
        lls.append(ll)
        sds.append(float(np.sqrt(variances[0])))
        try:
            weights, m, variances = ml.m_step(x, resp, "spherical", reg_covar=0.0)
        except ValueError as err:
            return np.array(lls), np.array(sds), err
        means = m[:, 0]
    return np.array(lls), np.array(sds), None


X12 = np.round(np.random.default_rng(16).normal(0, 1, 12), 2)  # the chapter's twelve seeded points


def test_e16_monotone_values_converge_when_bounded_to_a_stationary_point():
    fit = ml.GaussianMixture(
        2,
        covariance_type="spherical",
        reg_covar=0.0,
        tol=1e-10,
        max_iter=1000,
        weights_init=[0.5, 0.5],
        means_init=[-0.6, 0.8],
        covariances_init=[0.5, 0.5],
    ).fit(X12)
    trace = fit.loglik_history_ * X12.size
    assert np.all(np.diff(trace) >= -1e-10) and fit.converged_
    # a stationary point: the M-step maps it to itself (the score is zero there)
    resp, _ = ml.e_step(X12, fit.weights_, fit.means_, fit.covariances_, "spherical")
    _w, m, v = ml.m_step(X12, resp, "spherical", reg_covar=0.0)
    assert np.allclose(m[:, 0], fit.means_[:, 0], atol=1e-6) and np.allclose(v, fit.covariances_, rtol=1e-5)
    # ... and it is not the top: a narrow component on one point has a higher ln L than this converged fit
    spike = ml.mixture_logpdf(X12, [0.1, 0.9], [X12.max(), 0.0], [1e-6, 1.0], "spherical").sum()
    assert spike > trace[-1]


def test_e16_em_can_rise_every_step_and_never_converge():
    lls, sds, err = _em_steps(X12, [0.1, 0.9], [X12.max(), 0.0], [0.3**2, 1.0], 10)
    assert len(lls) >= 3 and np.all(np.diff(lls) > 0) and np.all(np.diff(sds) < 0)
    assert err is not None and "reg_covar" in str(err)  # stopped by the collapse, not by convergence
    # the values have no limit: along the collapse ln L grows by ln 10 per tenfold shrink of σ₁, without bound
    grow = [
        ml.mixture_logpdf(X12, [0.1, 0.9], [X12.max(), 0.0], [s**2, 1.0], "spherical").sum()
        for s in (1e-10, 1e-11, 1e-12)
    ]
    assert np.allclose(np.diff(grow), np.log(10), atol=1e-6)
    with pytest.raises(ValueError, match="reg_covar"):
        ml.GaussianMixture(
            2,
            covariance_type="spherical",
            reg_covar=0.0,
            weights_init=[0.1, 0.9],
            means_init=[X12.max(), 0.0],
            covariances_init=[0.09, 1.0],
            max_iter=500,
        ).fit(X12)


def test_e16_the_chapter_states_it_and_shows_the_run():
    text = "\n".join(_cells())
    assert "E16" in text and "hence will converge" in text
    assert "x12 = np.round(np.random.default_rng(16).normal(0, 1, 12), 2)" in text  # the same data as above


# --- chapter 7 [26]: no "maximum cannot be lower" ---------------------------------------------------------


def test_the_mixture_answer_claims_no_maximum():
    cells = _cells()
    assert not any("maximum cannot be lower" in c for c in cells)
    answer = next(c for c in cells if c.startswith("*Answer.* (1) The mixture."))
    assert re.search(r"no maximum at all", answer) and "32.2" in answer
    # what it claims instead: any single normal is a mixture, so the mixture's ln L reaches the normal's
    x = np.random.default_rng(3).normal(171, 9, 200)
    mu, var = ml.normal_mle(x)
    one = stats.norm.logpdf(x, mu, np.sqrt(var)).sum()
    as_mixture = ml.mixture_logpdf(x, [0.3, 0.7], [mu, mu], [var, var], "spherical").sum()
    assert np.isclose(as_mixture, one)
