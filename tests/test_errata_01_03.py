"""Chapters 1–3: the foundations stated exactly, and errata E15, E18 and E19.

Each test checks a statement the chapters make, by a route independent of the notebooks' own code
(scipy.stats, scipy.integrate, exact enumeration), and, where the correction is a wording, that the chapter
says it and no longer says the loose version. A test fails if the library, the correction, or the chapter's
text were wrong.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import nbformat
import numpy as np
import pytest
from scipy import integrate, stats

import mle_lib as ml

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


def _cells(name: str) -> list[nbformat.NotebookNode]:
    """The chapter's Markdown cells a reader sees (speaker notes excluded)."""
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    return [
        c
        for c in nb.cells
        if c.cell_type == "markdown" and c.metadata.get("slideshow", {}).get("slide_type") != "notes"
    ]


def _text(name: str) -> str:
    return "\n".join(c.source for c in _cells(name))


CH1, CH2, CH3 = "01_likelihood.ipynb", "02_bernoulli_binomial.ipynb", "03_poisson.ipynb"


# --- consistency is convergence in probability; MSE -> 0 is only sufficient --------------------------------------


def test_consistency_is_defined_as_convergence_in_probability():
    cell = next(c.source for c in _cells(CH1) if c.source.startswith("### 4.2 Consistent"))
    assert "in probability" in cell and r"P\big(|\hat\theta_n - \theta| > \varepsilon\big) \to 0" in cell
    assert "**sufficient** condition, not the definition" in cell
    goals = next(c.source for c in _cells(CH1) if c.source.startswith("## 4. What makes an estimator good"))
    assert "*in probability*" in goals


def test_markov_bound_and_a_consistent_estimator_whose_mse_diverges():
    # Exact, for the coin: P(|θ̂ − θ| > ε) <= MSE/ε², and both go to 0.
    theta, eps = 0.3, 0.1
    previous = 1.0
    for n in (10, 100, 1000):
        k = np.arange(n + 1)
        pmf = stats.binom.pmf(k, n, theta)
        miss = pmf[np.abs(k / n - theta) > eps].sum()
        mse = float(np.sum(pmf * (k / n - theta) ** 2))
        assert mse == pytest.approx(theta * (1 - theta) / n)
        assert miss <= mse / eps**2 and miss < previous
        previous = miss
    # The chapter's counterexample: right except with probability 1/n, when it returns n.
    for n in (10, 100, 1000):
        p_wrong = 1 / n
        mse = p_wrong * (n - theta) ** 2
        assert p_wrong == pytest.approx(1 / n) and mse > n / 2  # P(miss) -> 0 while MSE -> infinity


# --- efficiency, and the Fisher information defined before it is used --------------------------------------------


def test_efficient_means_smallest_variance_among_unbiased_estimators():
    goals = next(c.source for c in _cells(CH1) if c.source.startswith("## 4. What makes an estimator good"))
    assert re.search(
        r"\*\*efficient\*\* — it is unbiased, and no other unbiased estimator has a smaller variance", goals
    )
    info = next(c.source for c in _cells(CH1) if c.source.startswith("### 4.3 Efficient"))
    assert "An unbiased estimator whose variance equals the bound is **efficient**" in info


def test_fisher_information_is_defined_before_chapter_1_uses_it():
    cells = [c.source for c in _cells(CH1)]
    start = next(i for i, s in enumerate(cells) if s.startswith("## Part 1"))  # after the learning goals
    uses = [i for i, s in enumerate(cells) if i > start and re.search(r"Fisher information|Cramér–Rao|I_n\(", s)]
    definition = next(
        i for i, s in enumerate(cells) if s.startswith("### 4.3 Efficient: the score and the Fisher information")
    )
    assert uses[0] == definition, f"first use in cell {uses[0]}: {cells[uses[0]][:80]!r}"
    text = cells[definition]
    assert (
        r"I(\theta) = \operatorname{Var}_\theta\big[\ell'(\theta; X)\big] = -E_\theta\big[\ell''(\theta; X)\big]"
        in text
    )
    assert r"I_n(\theta) = n\,I(\theta)" in text


def _two_forms(loglik, theta, outcomes, h=1e-4):
    """Var of the score and −E[ℓ″] of one observation, by finite differences of the library's log-likelihood."""
    score = {x: (loglik(theta + h, x) - loglik(theta - h, x)) / (2 * h) for x in outcomes}
    bend = {x: (loglik(theta + h, x) - 2 * loglik(theta, x) + loglik(theta - h, x)) / h**2 for x in outcomes}
    mean = sum(p * score[x] for x, p in outcomes.items())
    var = sum(p * score[x] ** 2 for x, p in outcomes.items()) - mean**2
    return mean, var, -sum(p * bend[x] for x, p in outcomes.items())


@pytest.mark.parametrize("theta", [0.1, 0.3, 0.5, 0.8])
def test_bernoulli_information_var_score_equals_minus_expected_curvature(theta):
    mean, var, curv = _two_forms(lambda t, x: ml.bernoulli_loglik(t, [x]), theta, {0: 1 - theta, 1: theta})
    assert abs(mean) < 1e-6
    assert var == pytest.approx(1 / (theta * (1 - theta)), rel=1e-6)
    assert curv == pytest.approx(var, rel=1e-4)
    assert ml.fisher_information("bernoulli", theta) == pytest.approx(var, rel=1e-6)
    assert ml.fisher_information("bernoulli", theta, n=14) == pytest.approx(14 * var, rel=1e-6)


@pytest.mark.parametrize("lam", [0.5, 2.0, 7.0])
def test_poisson_information_var_score_equals_minus_expected_curvature(lam):
    xs = range(0, int(lam + 20 * math.sqrt(lam) + 20))
    outcomes = {x: stats.poisson.pmf(x, lam) for x in xs}
    mean, var, curv = _two_forms(lambda t, x: ml.poisson_loglik(t, [x]), lam, outcomes)
    assert abs(mean) < 1e-6
    assert var == pytest.approx(1 / lam, rel=1e-5) and curv == pytest.approx(1 / lam, rel=1e-4)
    assert ml.fisher_information("poisson", lam, n=24) == pytest.approx(24 / lam)


def test_chapter_3_uses_the_sample_information_I_n():
    text = _text(CH3)
    assert r"I_n(\lambda) = n\,I(\lambda) = n/\lambda" in text and r"\frac{1}{I_n(\lambda)}" in text
    assert not re.search(r"(?<!n\\,)I\(\\lambda\) = n/\\lambda", text), "I(λ) is one count's information"


# --- the regularity conditions, chapter by chapter ---------------------------------------------------------------


def test_the_regularity_claim_names_each_chapter_correctly():
    for text in (_text(CH1),):
        assert "every one-parameter family of chapters 2–6" not in text
        assert "the uniform of chapter 5 included" not in text
    table = next(c.source for c in _cells(CH1) if "4.5 What deck 2 claims for MLEs" in c.source)
    assert "one-parameter families of chapters 2 and 3" in table
    assert "normal of chapter 4, a two-parameter model" in table
    assert "uniform of chapter 5, also a two-parameter model, breaks the smoothness condition" in table
    assert "consistent all the same, by a direct argument" in table
    # chapter 6 adds no family of its own, but its Part 2 does estimate (normal means, sigma known)
    assert "Chapter 6 estimates no family" not in table
    assert "Chapter 6 adds no family" in table and "estimates normal means with σ known, chapter 4's case" in table


@pytest.mark.parametrize("n", [5, 20, 100])
def test_the_uniform_mle_is_consistent_by_the_direct_argument(n):
    # P(b − b̂ > ε) = ((b − ε − a)/(b − a))ⁿ: integrate the library's density of the maximum, and simulate.
    a, b, eps = 2.0, 5.0, 0.3
    exact = ((b - eps - a) / (b - a)) ** n
    integral, _ = integrate.quad(lambda x: ml.uniform_max_pdf(x, n, a, b), a, b - eps)
    assert integral == pytest.approx(exact, rel=1e-6, abs=1e-12)
    rng = np.random.default_rng(n)
    b_hats = [ml.uniform_mle(rng.uniform(a, b, n))[1] for _ in range(4000)]
    share = np.mean(b - np.array(b_hats) > eps)
    assert abs(share - exact) < 4 * math.sqrt(exact * (1 - exact) / 4000) + 1e-3
    assert ((b - eps - a) / (b - a)) ** (10 * n) < exact  # → 0 as n grows


# --- chapter 2's promise about the standard error ------------------------------------------------------------


def test_chapter_2_points_to_the_section_of_chapter_4_that_explains_the_standard_error():
    text = _text(CH2)
    assert "(chapter 4 explains why)" not in text
    heading = "Why one over root information is the standard error"
    assert f'Part 2,\nsection "{heading}"' in text
    assert "(04_normal.ipynb#why-one-over-root-information-is-the-standard-error)" in text
    ch4 = [c.source for c in _cells("04_normal.ipynb")]
    part2 = next(i for i, s in enumerate(ch4) if s.startswith("## Part 2"))
    section = next(s for s in ch4[part2:] if s.startswith(f"## {heading}"))
    assert "Taylor" in section, "chapter 4's section gives the argument (a Taylor expansion of the score)"


# --- E15: "MLEs are consistent, efficient, sufficient" -----------------------------------------------------------


def test_e15_deck_2_overstates_the_properties_of_mles():
    slide = next(c.source for c in _cells(CH1) if c.source.startswith("### What deck 2 claims for MLEs (erratum E15)"))
    assert "only under conditions" in slide and "only *asymptotically*" in slide
    assert "need not be sufficient itself" in slide
    # Efficient only asymptotically: at n = 5 the MLE of a normal variance is biased, E[σ̂²] = (n − 1)/n σ².
    n, var = 5, 4.0
    expected = integrate.quad(lambda q: q * var / n * stats.chi2.pdf(q, n - 1), 0, np.inf)[0]
    assert expected == pytest.approx((n - 1) / n * var)
    rng = np.random.default_rng(15)
    var_hats = [ml.normal_mle(rng.normal(0.0, 2.0, n))[1] for _ in range(20_000)]
    assert abs(np.mean(var_hats) - expected) < 0.05 and abs(np.mean(var_hats) - var) > 0.5
    # A function of the sufficient count: two sequences with the same number of heads, one estimate.
    assert ml.bernoulli_mle(ml.flips_to_binary("HHTHH")) == ml.bernoulli_mle(ml.flips_to_binary("THHHH"))


# --- E18: "for Binomial unknown parameters are n, p" ---------------------------------------------------------------


def test_e18_with_the_number_of_trials_unknown_one_count_gives_a_degenerate_mle():
    k = 7
    grid_theta = np.linspace(0.0, 1.0, 201)
    best = max((stats.binom.pmf(k, n, t), n, t) for n in range(k, 60) for t in grid_theta)
    assert best[0] == pytest.approx(1.0) and best[1:] == (k, 1.0)
    assert ml.binomial_likelihood(1.0, k, k) == pytest.approx(1.0)
    # With n known (the decks' examples), the MLE is the ordinary k/n, strictly inside (0, 1).
    assert ml.binomial_mle(k, 20) == pytest.approx(0.35)
    assert ml.binomial_likelihood(0.35, k, 20) == pytest.approx(stats.binom.pmf(k, 20, 0.35))
    assert ml.binomial_likelihood(0.35, k, 20) < 0.2
    assert "### Which parameters are unknown? (erratum E18)" in _text(CH2)


# --- E19: "the best and most popular" method -------------------------------------------------------------------------


@pytest.mark.parametrize(("theta", "mle_wins"), [(0.05, True), (0.1, True), (0.3, False), (0.5, False)])
def test_e19_no_rule_has_the_smaller_mse_at_every_theta(theta, mle_wins):
    n = 14
    k = np.arange(n + 1)
    pmf = stats.binom.pmf(k, n, theta)
    mse_mle = float(np.sum(pmf * (k / n - theta) ** 2))
    mse_laplace = float(np.sum(pmf * ((k + 1) / (n + 2) - theta) ** 2))
    assert mse_mle == pytest.approx(theta * (1 - theta) / n)
    assert mse_laplace == pytest.approx((n * theta * (1 - theta) + (1 - 2 * theta) ** 2) / (n + 2) ** 2)
    assert (mse_mle < mse_laplace) is mle_wins
    # the library's likelihood gives the same weights the chapter sums
    lib = [ml.binomial_likelihood(theta, int(j), n) for j in k]
    assert np.allclose(lib, pmf)
    assert '"The best" method? Not at every θ (erratum E19)' in _text(CH1)


# --- θ, not p, for the coin --------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", [CH1, CH2])
def test_the_coin_is_theta_in_the_chapters_own_formulas(name):
    # Deck 2's p survives only in cells that quote a slide ("slide", "deck 2"); the chapter's own text says θ.
    own = [c.source for c in _cells(name) if re.search(r"\\hat p|L\(p\)|p̂", c.source)]
    unquoted = [s[:80] for s in own if not re.search(r"[Ss]lide|[Dd]eck 2", s)]
    assert not unquoted, f"{name}: {unquoted}"
    assert "deck 2 writes p" in _text(name) or "deck 2's p" in _text(name)


# --- the second outside read (issue 16, section 3, last bullet) -------------------------------------------------


def test_efficiency_of_mles_is_stated_for_the_asymptotic_variance():
    # Var(θ̂) and 1/I_n(θ) both go to 0, so "the variance approaches the bound" says nothing; the ratio, or the
    # limiting distribution's variance, is what the theorem is about.
    ch1 = _text(CH1)
    assert "approaches the Cramér–Rao bound" not in ch1.replace("\n  ", " ")
    assert "*asymptotic* variance of θ̂" in ch1 and "the asymptotic variance of θ̂ equals the Cramér–Rao bound" in ch1
    # the smallest variance among unbiased estimators need not reach the bound: the summary must not say it does
    summary = next(c.source for c in _cells(CH1) if c.source.startswith("## Summary"))
    assert "which in regular models is the" not in summary and "none goes below the" in summary
    # for the coin the bound is attained exactly, for every n: Var(n₁/n) = θ(1 − θ)/n = 1/I_n(θ)
    for n in (5, 14, 100):
        k = np.arange(n + 1)
        var = float(np.sum(stats.binom.pmf(k, n, 0.3) * (k / n - 0.3) ** 2))
        assert var == pytest.approx(1 / ml.fisher_information("bernoulli", 0.3, n=n))


def test_the_sample_mean_is_unbiased_without_symmetry():
    # 4.1 says the mean is unbiased for any distribution with mean μ, the median only by symmetry: on a skewed
    # distribution (exponential, mean 1, median ln 2) the mean stays unbiased and the median does not.
    cell = next(c.source for c in _cells(CH1) if c.source.startswith("### 4.1 Unbiased"))
    assert "for any distribution with mean μ" in cell and "symmetric about μ" in cell
    rng = np.random.default_rng(41)
    samples = rng.exponential(1.0, size=(20_000, 11))
    assert abs(samples.mean(axis=1).mean() - 1.0) < 0.01
    assert np.median(samples, axis=1).mean() < 0.8


@pytest.mark.parametrize("name", [CH1, CH2, CH3])
def test_learners_see_no_asserts(name):
    # regression asserts live in hidden check cells (remove-cell) or in tests, not in the cells a learner reads
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    shown = [
        i
        for i, c in enumerate(nb.cells)
        if c.cell_type == "code"
        and "remove-cell" not in c.metadata.get("tags", [])
        and re.search(r"^\s*assert\b", c.source, re.M)
    ]
    assert not shown, f"{name}: visible asserts in cells {shown}"


def test_chapter_1_notes_give_no_exercise_away():
    # the public decks carry the notes: none of chapter 1's may tell how Exercises 1.2 and 1.3 come out
    nb = nbformat.read(NOTEBOOKS / CH1, as_version=4)
    notes = "\n".join(c.source for c in nb.cells if c.metadata.get("slideshow", {}).get("slide_type") == "notes")
    assert "Exercise 1.2 shows" not in notes and "Exercise 1.3 is about" not in notes
    assert "the median ever the better choice" not in notes


def test_chapter_1_underflow_text_promises_only_what_the_widget_draws():
    # the text promises a grey floor at 4.9e-324 and a curve that stops: the widget's picture must show both
    cell = next(c.source for c in _cells(CH1) if c.source.startswith("### Try it: L and ln L for many flips"))
    assert "grey floor" in cell and "the curve\nstops there" in cell
    from matplotlib.figure import Figure

    from mle_lib.views.coins import underflow_view
    from mle_lib.widgets import ch01

    fig = Figure()
    ch01._draw_underflow(fig, underflow_view(2000))
    left = fig.axes[0]
    tiny = float(np.nextafter(0.0, 1.0))
    floors = [ln for ln in left.lines if list(ln.get_ydata()) == [tiny, tiny] and ln.get_visible()]
    assert floors and left.get_ylim()[0] <= tiny  # a visible line at the floor, inside the axis
    # the cliff: exp(n (0.6 ln 0.6 + 0.4 ln 0.4)) falls below the smallest subnormal near n ≈ 1106
    per_flip = 0.6 * math.log(0.6) + 0.4 * math.log(0.4)
    assert math.log(np.nextafter(0.0, 1.0)) / per_flip == pytest.approx(1106, abs=2)
