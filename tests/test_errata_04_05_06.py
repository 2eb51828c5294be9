"""Chapters 4–6: the foundations the outside read of issue 16 found loose, and deck 1's "Y ± 2σ" (ERRATA E17).

* Chapter 4 states *why* 1/√information is the standard error (chapter 2 promises it): the Taylor expansion of
  the score. The argument's pieces and its conclusion are checked here by seeded simulation, on a case where
  the MLE is a mean (σ² with μ known) and on one where it is not (the exponential rate 1/x̄); the uniform's
  maximum, whose support moves with the parameter, is the negative control (its error shrinks like 1/n).
* Consistency is convergence in probability; MSE → 0 is only sufficient (chapters 4 and 5 say so, and the
  uniform's direct argument is checked against a simulation).
* Every "Exercise N.M" a chapter's prose names is an exercise of that chapter, and the one the sentence means.
* E17: deck 1's "Y ± 2σ" as printed (σ = 1, one draw's spread) is not a 95 % interval; Y ± 2σ/√n is.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import numpy as np
import pytest
from scipy import stats

import mle_lib as ml

ROOT = Path(__file__).resolve().parents[1]
NB = {
    k: ROOT / "notebooks" / name
    for k, name in (("04", "04_normal.ipynb"), ("05", "05_uniform.ipynb"), ("06", "06_hat_trick.ipynb"))
}
WHY_HEADING = "## Why one over root information is the standard error"


def _cells(chapter: str):
    return nbformat.read(NB[chapter], as_version=4).cells


def _tags(cell) -> list[str]:
    return cell.get("metadata", {}).get("tags", [])


def _slide_type(cell) -> str:
    return cell.get("metadata", {}).get("slideshow", {}).get("slide_type", "-")


def _slug(heading: str) -> str:
    """The anchor JupyterLab and Jupyter Book give a Markdown heading."""
    text = heading.lstrip("#").strip().lower()
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


# --- why 1/√information is the standard error ----------------------------------------------------------------


def test_score_has_mean_zero_variance_information_and_curvature_information():
    """The two pieces of the argument, for θ = σ² with μ known: E[ℓ′] = 0, Var(ℓ′) = I, E[−ℓ″] = I."""
    rng = np.random.default_rng(4)
    mu, var = 10.0, 4.0
    x = rng.normal(mu, np.sqrt(var), size=2_000_000)
    score = -1 / (2 * var) + (x - mu) ** 2 / (2 * var**2)  # d/dv ln f(x | mu, v)
    minus_curv = -1 / (2 * var**2) + (x - mu) ** 2 / var**3  # -d²/dv² ln f(x | mu, v)
    info = ml.fisher_information("normal", (mu, var), n=1)[1, 1]
    assert abs(score.mean()) < 0.005 * np.sqrt(info)
    assert score.var() == pytest.approx(info, rel=0.01)
    assert minus_curv.mean() == pytest.approx(info, rel=0.01)


def test_spread_of_the_mle_is_one_over_root_n_information():
    """sd(θ̂) ≈ 1/√(n I(θ₀)): exactly for σ² with μ known, asymptotically for the exponential rate 1/x̄."""
    rng = np.random.default_rng(44)
    mu, var, n, reps = 10.0, 4.0, 50, 20_000
    x = rng.normal(mu, np.sqrt(var), size=(reps, n))
    var_hat = np.mean((x - mu) ** 2, axis=1)
    info = ml.fisher_information("normal", (mu, var), n=1)[1, 1]
    assert var_hat.std() == pytest.approx(1 / np.sqrt(n * info), rel=0.03)

    # The exponential rate: the MLE 1/x̄ is not a mean; I(λ) is measured as the variance of the score 1/λ − x.
    lam, n = 2.0, 400
    draws = rng.exponential(1 / lam, size=(reps, n))
    lam_hat = 1 / draws.mean(axis=1)
    info_exp = np.var(1 / lam - draws[:, 0])
    assert np.sqrt(n) * lam_hat.std() == pytest.approx(1 / np.sqrt(info_exp), rel=0.03)
    z = np.sqrt(n * info_exp) * (lam_hat - lam)  # ≈ N(0, 1)
    assert stats.kstest(z, "norm").statistic < 0.03


def test_uniform_maximum_is_the_negative_control():
    """The support moves with b: the argument does not apply, and the error shrinks like 1/n, not 1/√n."""
    rng = np.random.default_rng(45)
    b = 10.0
    scaled = {}
    for n in (25, 100, 400):
        tops = rng.uniform(0.0, b, size=(20_000, n)).max(axis=1)
        scaled[n] = (n * tops.std(), np.sqrt(n) * tops.std())
    assert scaled[400][0] == pytest.approx(scaled[25][0], rel=0.1)  # n · sd stays put ...
    assert scaled[400][1] < 0.3 * scaled[25][1]  # ... so √n · sd goes to 0


def test_chapter_4_gives_the_argument_under_the_heading_chapter_2_can_cite():
    cells = _cells("04")
    hits = [c for c in cells if c.cell_type == "markdown" and c.source.startswith(WHY_HEADING)]
    assert len(hits) == 1, f"chapter 4 needs one cell opening {WHY_HEADING!r}"
    why = hits[0]
    assert _slide_type(why) == "slide" and "going-further" not in _tags(why), "the argument is a lecture slide"
    start = cells.index(why)
    stop = next(j for j in range(start + 1, len(cells)) if _slide_type(cells[j]) in ("slide", "subslide"))
    text = "\n".join(c.source for c in cells[start:stop] if c.cell_type == "markdown" and _slide_type(c) != "notes")
    for phrase in (
        r"0 = \ell'(\hat\theta) \approx \ell'(\theta_0) + (\hat\theta - \theta_0)\,\ell''(\theta_0)",
        "central limit theorem",
        "law of large",
        "N\\big(0,\\ 1/I(\\theta_0)\\big)",
        "1/\\sqrt{I_n(\\theta_0)}",
    ):
        assert phrase in text, f"the argument lacks {phrase!r}"


def test_links_into_chapter_4_name_a_heading_it_has():
    """A chapter that cites chapter 4 by anchor (chapter 2's promise) lands on a heading that exists."""
    slugs = {
        _slug(line)
        for c in _cells("04")
        if c.cell_type == "markdown"
        for line in c.source.splitlines()
        if line.startswith("#")
    }
    assert _slug(WHY_HEADING) == "why-one-over-root-information-is-the-standard-error" and _slug(WHY_HEADING) in slugs
    for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        text = path.read_text(encoding="utf-8")
        for anchor in re.findall(r"04_normal\.ipynb#([\w\-]+)", text):
            assert anchor in slugs, f"{path.name} links 04_normal.ipynb#{anchor}, which is no heading of chapter 4"


# --- consistency: convergence in probability ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("chapter", "heading"), [("04", "### Consistent, though"), ("05", "## Consistency: biased, but right in the end")]
)
def test_consistency_is_defined_in_probability_and_mse_is_only_sufficient(chapter, heading):
    cell = next(c for c in _cells(chapter) if c.source.startswith(heading))
    assert "*in probability*" in cell.source
    assert re.search(r"sufficient\*? condition", cell.source) and "MSE" in cell.source


def test_no_chapter_defines_consistency_by_the_mse():
    wrong = re.compile(
        r"consisten\w*\s+(means|is when|if and only if)[^.]{0,80}(MSE|mean squared error|bias and (its )?variance)",
        re.I,
    )
    for chapter in NB:
        for i, cell in enumerate(_cells(chapter)):
            if _slide_type(cell) == "notes":  # a speaker note quotes the misconception to watch for
                continue
            assert not wrong.search(cell.source), f"chapter {chapter} cell {i} defines consistency by the MSE"


def test_uniform_maximum_misses_by_more_than_eps_with_the_stated_probability():
    """Chapter 5's direct argument: P(b − x₍ₙ₎ > ε) = (1 − ε/(b − a))ⁿ → 0."""
    rng = np.random.default_rng(5)
    a, b, eps = 2.0, 10.0, 0.5
    for n in (5, 20, 60):
        tops = rng.uniform(a, b, size=(100_000, n)).max(axis=1)
        exact = (1 - eps / (b - a)) ** n
        assert np.mean(b - tops > eps) == pytest.approx(exact, abs=4 * np.sqrt(exact * (1 - exact) / 100_000) + 1e-4)
    assert (1 - eps / (b - a)) ** 400 < 1e-10


# --- cross-references name the right exercise ----------------------------------------------------------------

#: (chapter, words just before the reference, reference, words its heading must contain)
MEANT = [
    ("04", "would move $\\hat\\sigma^2$ (", "Exercise 4.3", "slide's constant"),
    ("04", "wins on MSE at every n (", "Exercise 4.2", "best divisor"),
    ("05", "Is unbiased then best? ", "Exercise 5.1", "beating the unbiased"),
    ("06", "appears (", "Exercise 6.3", "unequal spreads"),
    ("06", "Take the hat of ", "Exercise 6.3", "unequal spreads"),
]


def _headings(chapter: str) -> dict[str, str]:
    out = {}
    for c in _cells(chapter):
        m = re.match(r"^### (Exercise|Your turn) (\d+\.\d+) — (.*)$", c.source.split("\n", 1)[0])
        if m:
            out[f"{m.group(1)} {m.group(2)}"] = m.group(3)
    return out


@pytest.mark.parametrize(("chapter", "before", "ref", "words"), MEANT, ids=[f"{c}-{r}" for c, _, r, _ in MEANT])
def test_each_cross_reference_points_to_the_exercise_it_means(chapter, before, ref, words):
    text = "\n".join(c.source for c in _cells(chapter))
    assert re.search(re.escape(before) + r"\s*" + re.escape(ref), text), (
        f"chapter {chapter}: {before!r} {ref!r} not found"
    )
    assert words in _headings(chapter)[ref], f"{ref} is {_headings(chapter)[ref]!r}, not about {words!r}"


@pytest.mark.parametrize("chapter", NB)
def test_references_are_never_bare_numbers(chapter):
    heads = _headings(chapter)
    for i, cell in enumerate(_cells(chapter)):
        body = "\n".join(ln for ln in cell.source.splitlines() if not ln.startswith("###"))
        assert not re.search(r"\bexercise \d", body), f"chapter {chapter} cell {i}: write 'Exercise N.M'"
        for ref in re.findall(r"\b(?:Exercise|Your turn) \d+\.\d+", body):
            if ref.split()[-1].startswith(chapter.lstrip("0") + "."):
                assert ref in heads, f"chapter {chapter} cell {i} names {ref}, which the chapter does not have"


# --- E17: deck 1's "Y ± 2σ" ---------------------------------------------------------------------------------


def test_deck1_y_plus_minus_two_sigma_is_not_the_95_percent_interval():
    """With σ = 1 (one draw) and n = 16, Y ± 2σ = Y ± 2 covers with probability P(|Z| ≤ 8); Y ± 2σ/√n covers 95 %."""
    sigma, n = 1.0, 16
    as_printed = ml.prob_within(2 * sigma, n, sigma=sigma)
    right = ml.prob_within(2 * sigma / np.sqrt(n), n, sigma=sigma)
    assert as_printed > 1 - 1e-12 and as_printed == pytest.approx(1 - 2 * stats.norm.sf(8), abs=1e-14)
    assert round(right, 4) == 0.9545 and right == pytest.approx(2 * stats.norm.cdf(2) - 1)
    assert 2 * sigma / np.sqrt(n) == 0.5  # the deck's own ±0.5 two lines earlier
    rng = np.random.default_rng(17)
    ybar = rng.normal(0.0, sigma, size=(20_000, n)).mean(axis=1)
    assert np.mean(np.abs(ybar) <= 2 * sigma / np.sqrt(n)) == pytest.approx(0.9545, abs=0.01)


def test_chapter_6_says_the_deck_is_wrong_about_y_plus_minus_two_sigma():
    cells = _cells("06")
    hit = [c for c in cells if "(ERRATA.md, E17)" in c.source]
    assert len(hit) == 1 and hit[0].source.startswith("### ")
    assert "The slide is wrong here." in hit[0].source and "2\\sigma/\\sqrt n" in hit[0].source
    assert _slide_type(hit[0]) == "subslide" and "going-further" not in _tags(hit[0])


# --- the second outside read: references that stay right, one index per kind of thing ---------------------------


def _errata_headings() -> list[str]:
    text = (ROOT / "ERRATA.md").read_text(encoding="utf-8")
    return [line[3:] for line in text.splitlines() if line.startswith("## ")]


def _errata_reference_problem(ref: str, headings: list[str]) -> str | None:
    """Why '(ERRATA.md, <ref>)' points nowhere, or None: an entry number that exists, or a quoted section title."""
    entries = {h.split(" ·")[0] for h in headings}
    if re.fullmatch(r"E\d+", ref):
        return None if ref in entries else f"no entry {ref}"
    title = ref.strip('"')
    if not (ref.startswith('"') and ref.endswith('"')):
        return f"{ref!r} is neither an entry number nor a quoted section title (positions move when entries are added)"
    return None if any(h.startswith(title) for h in headings) else f"no section {title!r}"


def test_errata_references_name_an_entry_or_a_section_that_exists():
    headings = _errata_headings()
    assert _errata_reference_problem("last section", headings)  # what chapter 4 wrote before the second read
    assert _errata_reference_problem('"No such section"', headings) and _errata_reference_problem("E99", headings)
    seen = 0
    for chapter in NB:
        for i, cell in enumerate(_cells(chapter)):
            for ref in re.findall(r"\(ERRATA\.md, ([^)]*)\)", cell.source):
                seen += 1
                problem = _errata_reference_problem(ref, headings)
                assert problem is None, f"chapter {chapter} cell {i}: {problem}"
    assert seen >= 7  # E1 ×3 and the typographical slips in chapter 4; E8, E9, E17 in chapter 6


def test_chapter_6_indexes_hypotheses_by_k_not_by_the_data_index():
    """NOTATION.md: i indexes the data, k = 1 … K the components (here the slips of the hat)."""
    data_index_on_a_hypothesis = re.compile(r"(?<![A-Za-z\\])m_i\b|\\pi_i\b|\\sigma_i\b|m_1, \\dots, m_k\b")
    for i, cell in enumerate(_cells("06")):
        assert not data_index_on_a_hypothesis.search(cell.source), f"chapter 6 cell {i} indexes a slip by i"
    turn = next(c.source for c in _cells("06") if c.source.startswith("### Your turn 6.1"))
    assert "m_1, \\dots, m_K" in turn and "P(\\mu = m_k \\mid X = x)" in turn
