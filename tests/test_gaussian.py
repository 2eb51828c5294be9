"""The one home of the normal log-density, log-sum-exp and the posterior over components.

Checked by independent routes: scipy.stats.norm and scipy.special for ordinary values, exact
rational arithmetic (fractions) and 700-digit decimal arithmetic for the far-out limits.
"""

from __future__ import annotations

import ast
import math
import pathlib
import warnings
from decimal import Decimal, localcontext
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import special, stats

import mle_lib
from mle_lib import _gaussian as g
from mle_lib._checks import SIMPLEX_ATOL, check_simplex
from mle_lib.bayes import posterior_probs

SETTINGS = settings(max_examples=60, deadline=None, derandomize=True, database=None)
EPS = np.finfo(float).eps


# --- reference: the posterior in 700-digit decimal arithmetic -------------------------------------------


def decimal_posterior(x: float, means, sds, priors) -> np.ndarray:
    """P(k | x) ∝ π_k/σ_k · exp(−(x − μ_k)²/(2σ_k²)), from the exact binary values, 700 digits."""
    with localcontext() as ctx:
        ctx.prec = 700
        ctx.Emax, ctx.Emin = 10**8, -(10**8)
        dx = Decimal(x)
        lj = []
        for m, s, p in zip(means, sds, priors, strict=True):
            if p == 0:
                lj.append(None)
                continue
            ds = Decimal(s)
            lj.append(Decimal(p).ln() - ds.ln() - (dx - Decimal(m)) ** 2 / (2 * ds * ds))
        out = []
        for a in lj:
            if a is None:
                out.append(0.0)
                continue
            total = Decimal(0)
            for b in lj:
                if b is None:
                    continue
                diff = b - a
                if diff > 10**6:  # another component outweighs this one by more than e^(10⁶)
                    total = Decimal("Infinity")
                    break
                if diff > -(10**6):
                    total += diff.exp()
            out.append(float(1 / total))
        return np.array(out)


# --- the one home ---------------------------------------------------------------------------------------


def test_log_2pi_is_defined_once_and_no_module_writes_the_density_again():
    assert math.log(2 * math.pi) == g.LOG_2PI
    root = pathlib.Path(mle_lib.__file__).parent
    for name in ("bayes.py", "plotting.py", "likelihood.py", "_checks.py"):
        text = (root / name).read_text()
        for pattern in ("2 * np.pi", "2.0 * np.pi", "2 * math.pi", "2.0 * math.pi", "np.exp(-0.5", "sqrt(2"):
            assert pattern not in text, f"{name} writes {pattern!r}"
        tree = ast.parse(text)
        defined = {
            t.id
            for node in ast.walk(tree)
            if isinstance(node, ast.Assign)
            for t in node.targets
            if isinstance(t, ast.Name)
        }
        assert not {n for n in defined if "2PI" in n.upper()}, f"{name} defines its own log 2π"


def test_gaussian_module_is_light():
    text = pathlib.Path(g.__file__).read_text()
    imports = {
        (node.module or "") if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(ast.parse(text))
        if isinstance(node, (ast.Import, ast.ImportFrom))
        for alias in node.names
    }
    assert imports <= {"__future__", "math", "collections.abc", "numpy", "numpy.typing", "scipy.special"}


# --- normal_logpdf ----------------------------------------------------------------------------------------


def test_normal_logpdf_matches_scipy():
    rng = np.random.default_rng(6)
    x = rng.normal(0, 10, 200)
    mean = rng.normal(0, 10, 200)
    sd = rng.uniform(0.01, 30, 200)
    expected = stats.norm.logpdf(x, mean, sd)
    np.testing.assert_allclose(g.normal_logpdf(x, mean, sd**2), expected, rtol=1e-13, atol=1e-13)
    np.testing.assert_allclose(g.normal_logpdf(x, mean, sd=sd), expected, rtol=1e-13, atol=1e-13)


def test_normal_logpdf_broadcasts_component_major():
    x = np.linspace(-3, 3, 7)
    means = np.array([-1.0, 0.0, 2.0])
    var = np.array([0.5, 1.0, 4.0])
    out = g.normal_logpdf(x[None, :], means[:, None], var[:, None])
    assert out.shape == (3, 7)
    np.testing.assert_allclose(out, stats.norm.logpdf(x[None, :], means[:, None], np.sqrt(var)[:, None]), rtol=1e-13)


def test_normal_logpdf_is_centred_far_from_the_origin():
    # Unix-time-like data: 1.7e9 s with millisecond jitter. Forming x² of uncentred data would lose
    # every digit of the quadratic term; exact rational arithmetic is the reference.
    x = 1.7e9 + 1e-3 * np.array([-2.0, -0.5, 0.0, 1.0, 3.0])
    mean, var = 1.7e9 + 1e-4, 1e-6
    got = g.normal_logpdf(x, mean, var)
    for xi, gi in zip(x, got, strict=True):
        z2 = (Fraction(xi) - Fraction(mean)) ** 2 / Fraction(var)
        exact = -float(z2) / 2 - 0.5 * math.log(var) - 0.5 * math.log(2 * math.pi)
        assert gi == pytest.approx(exact, rel=1e-9, abs=1e-9)


def test_normal_logpdf_overflow_is_minus_inf_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = g.normal_logpdf(np.array([1e200, -1.7e308, 0.0]), 1.7e308, sd=1e-100)
    assert np.all(out == -np.inf)


def test_normal_logpdf_needs_exactly_one_scale():
    with pytest.raises(TypeError, match="exactly one of var and sd"):
        g.normal_logpdf(0.0, 0.0)
    with pytest.raises(TypeError, match="exactly one of var and sd"):
        g.normal_logpdf(0.0, 0.0, 1.0, sd=1.0)


# --- normal_log_density_ratio ------------------------------------------------------------------------------


@pytest.mark.parametrize("x", [6.001, -3.25, 1e10, 1e160, -1e300])
def test_log_density_ratio_is_exact(x):
    a, b, s = 7.0, 3.0, 1.5
    exact = (Fraction(a) - Fraction(b)) * (Fraction(x) - (Fraction(a) + Fraction(b)) / 2) / Fraction(s) ** 2
    assert float(g.normal_log_density_ratio(x, a, b, s)) == pytest.approx(float(exact), rel=4 * EPS)


def test_log_density_ratio_matches_scipy_and_overflows_cleanly():
    x = np.linspace(-5, 15, 41)
    np.testing.assert_allclose(
        g.normal_log_density_ratio(x, 7.0, 3.0, 2.0),
        stats.norm.logpdf(x, 7, 2) - stats.norm.logpdf(x, 3, 2),
        rtol=1e-12,
        atol=1e-13,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        np.testing.assert_array_equal(g.normal_log_density_ratio([1e308, -1e308], 7.0, 3.0, 1.0), [np.inf, -np.inf])
        assert g.normal_log_density_ratio(1e308, 3.0, 3.0, 1e-300) == 0.0


# --- normalize_log_joint: ordinary columns ----------------------------------------------------------------


@pytest.mark.parametrize("k", [1, 2, 5])
def test_normalize_matches_scipy_logsumexp_and_softmax(k):
    rng = np.random.default_rng(k)
    lj = rng.normal(-50, 30, (k, 300))
    lj[:, ::7] -= 700  # densities that underflow on their own
    if k > 1:
        lj[0, ::5] = -np.inf  # a zero weight
    before = lj.copy()
    ev, post = g.normalize_log_joint(lj)
    np.testing.assert_array_equal(lj, before)  # input untouched by default
    np.testing.assert_allclose(ev, special.logsumexp(lj, axis=0), rtol=1e-13)
    np.testing.assert_allclose(post, special.softmax(lj, axis=0), rtol=1e-12, atol=1e-300)
    np.testing.assert_allclose(post.sum(axis=0), 1.0, rtol=1e-14)
    ev2, post2 = g.normalize_log_joint(lj, overwrite_input=True)
    assert post2 is lj
    np.testing.assert_array_equal(post2, post)
    np.testing.assert_array_equal(ev2, ev)


# --- normalize_log_joint: the limit -------------------------------------------------------------------------


def _terms(half_log_q, relative=None):
    half_log_q = np.asarray(half_log_q, dtype=float)
    rel = np.zeros_like(half_log_q) if relative is None else np.asarray(relative, dtype=float)
    return lambda cols: (half_log_q[:, cols], rel[:, cols])


def test_all_minus_inf_column_takes_the_smallest_quadratic_form_not_nan_or_uniform():
    lj = np.array([[-1.0, -np.inf], [-2.0, -np.inf], [-3.0, -np.inf]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ev, post = g.normalize_log_joint(lj, limit=_terms([[0.0, 3.0], [0.0, 1.0], [0.0, 2.0]]))
    np.testing.assert_array_equal(post[:, 1], [0.0, 1.0, 0.0])
    assert ev[1] == -np.inf and np.isfinite(ev[0])
    np.testing.assert_allclose(post[:, 0], special.softmax(lj[:, 0]))


def test_limit_terms_are_asked_only_for_the_far_columns():
    seen = []

    def terms(cols):
        seen.append(cols.copy())
        return np.zeros((2, cols.size)), np.zeros((2, cols.size))

    lj = np.array([[0.0, -np.inf, -1.0, -(2.0**59)], [0.0, -np.inf, -1.0, -(2.0**59) - 2.0**7]])
    g.normalize_log_joint(lj, limit=terms)
    assert len(seen) == 1
    np.testing.assert_array_equal(seen[0], [1, 3])  # −inf, and a log-joint beyond SOFTMAX_RESOLUTION
    g.normalize_log_joint(lj[:, [0, 2]], limit=terms)
    assert len(seen) == 1  # ordinary columns never call it


def test_far_posterior_uses_the_window_the_relative_log_joint_and_the_offsets():
    lj = np.full((4, 1), -np.inf)
    offset = np.log([0.1, 0.2, 0.6, 0.1])
    # component 3 has the smallest quadratic form by far more than the window: it alone wins
    _, post = g.normalize_log_joint(lj, log_offset=offset, limit=_terms([[1.0], [1.0], [1.0], [0.5]]))
    np.testing.assert_array_equal(post.ravel(), [0, 0, 0, 1])
    # a four-way tie: the relative log-joint decides, then the offsets share
    hlq = [[1.0], [1.0], [1.0 + 2.0**-38], [1.0]]  # inside the window
    rel = [[-1.0], [0.0], [0.0], [-np.inf]]
    _, post = g.normalize_log_joint(lj, log_offset=offset, limit=_terms(hlq, rel))
    w = np.array([0.1 * np.exp(-1.0), 0.2, 0.6, 0.0])
    np.testing.assert_allclose(post.ravel(), w / w.sum(), rtol=1e-15)
    # +inf relative log-joints win outright and share by offset
    _, post = g.normalize_log_joint(lj, log_offset=offset, limit=_terms(hlq, [[np.inf], [0.0], [np.inf], [0.0]]))
    np.testing.assert_allclose(post.ravel(), [1 / 7, 0, 6 / 7, 0], rtol=1e-15)


def test_far_posterior_keeps_the_offsets_next_to_a_large_relative_log_joint():
    # r is defined up to a per-column constant: 1e16 + ln 0.2 would round the prior away
    lj = np.full((2, 1), -np.inf)
    _, post = g.normalize_log_joint(lj, log_offset=np.log([0.2, 0.8]), limit=_terms([[1.0], [1.0]], [[1e16], [1e16]]))
    np.testing.assert_allclose(post.ravel(), [0.2, 0.8], rtol=1e-15)


def test_far_posterior_never_picks_a_zero_weight():
    lj = np.full((2, 1), -np.inf)
    _, post = g.normalize_log_joint(lj, log_offset=[-np.inf, 0.0], limit=_terms([[0.0], [5.0]]))
    np.testing.assert_array_equal(post.ravel(), [0.0, 1.0])


def test_without_terms_an_underflowed_column_falls_back_to_the_offsets():
    lj = np.array([[-np.inf, -(2.0**60)], [-np.inf, -(2.0**60) - 1e3]])
    _, post = g.normalize_log_joint(lj, log_offset=np.log([0.25, 0.75]))
    np.testing.assert_allclose(post[:, 0], [0.25, 0.75])
    np.testing.assert_array_equal(post[:, 1], [1.0, 0.0])  # finite: the softmax keeps its answer


# --- normal_limit_terms and normal_mixture_posterior: the limits of the brief -------------------------------


EXTREME_X = [1e17, 1e100, 1e160, -1e160, 1e200, -1e300, 1.7e308, -1.7e308]


@pytest.mark.parametrize("x", EXTREME_X)
def test_equal_sigma_far_out_the_nearest_mean_wins(x):
    _, post = g.normal_mixture_posterior(np.array([x]), np.log([0.5, 0.5]), np.array([3.0, 7.0]), sd=np.ones(2))
    expected = [0.0, 1.0] if x > 0 else [1.0, 0.0]
    np.testing.assert_array_equal(post.ravel(), expected)
    np.testing.assert_array_equal(post.ravel(), decimal_posterior(x, [3.0, 7.0], [1.0, 1.0], [0.5, 0.5]))


@pytest.mark.parametrize("x", EXTREME_X)
def test_unequal_sigma_far_out_the_widest_wins(x):
    means, sds, priors = [3.0, 7.0, 0.0], [1.0, 1.0, 2.0], [0.45, 0.45, 0.1]
    _, post = g.normal_mixture_posterior(np.array([x]), np.log(priors), np.array(means), sd=np.array(sds))
    np.testing.assert_array_equal(post.ravel(), [0.0, 0.0, 1.0])
    np.testing.assert_array_equal(post.ravel(), decimal_posterior(x, means, sds, priors))


def test_exact_ties_far_out_are_split_by_prior():
    # σ = 1e-160: every density underflows, x = 5 is exactly between the means.
    _, post = g.normal_mixture_posterior(
        np.array([4.9, 5.0, 5.1]), np.log([0.3, 0.7]), np.array([3.0, 7.0]), sd=np.full(2, 1e-160)
    )
    np.testing.assert_allclose(post.T, [[1.0, 0.0], [0.3, 0.7], [0.0, 1.0]], rtol=1e-13)
    for x, row in zip([4.9, 5.0, 5.1], post.T, strict=True):
        np.testing.assert_allclose(row, decimal_posterior(x, [3.0, 7.0], [1e-160] * 2, [0.3, 0.7]), rtol=1e-14)


def test_same_mean_unequal_priors_far_out():
    # Identical components: the data say nothing, the prior stands, even where the densities underflow.
    _, post = g.normal_mixture_posterior(
        np.array([0.0, 1e200]), np.log([0.2, 0.8]), np.array([1.0, 1.0]), sd=np.ones(2)
    )
    np.testing.assert_allclose(post.T, [[0.2, 0.8], [0.2, 0.8]], rtol=1e-15)


def test_posterior_matches_decimal_reference_on_ordinary_x():
    rng = np.random.default_rng(61)
    for _ in range(15):
        k = int(rng.integers(1, 5))
        means = rng.normal(0, 5, k)
        sds = rng.uniform(0.3, 3.0, k)
        priors = rng.dirichlet(np.ones(k))
        x = rng.normal(0, 8, 6)
        _, post = g.normal_mixture_posterior(x, np.log(priors), means, sd=sds)
        for n in range(x.size):
            np.testing.assert_allclose(post[:, n], decimal_posterior(x[n], means, sds, priors), rtol=1e-11, atol=1e-15)


magnitudes = st.floats(-3, 308).map(lambda e: 10.0**e)


@st.composite
def far_mixtures(draw):
    k = draw(st.integers(2, 4))
    means = draw(st.lists(st.floats(-100, 100), min_size=k, max_size=k))
    equal = draw(st.booleans())
    sds = [draw(st.floats(0.05, 20))] * k if equal else draw(st.lists(st.floats(0.05, 20), min_size=k, max_size=k))
    weights = np.array(draw(st.lists(st.floats(0.01, 1.0), min_size=k, max_size=k)))
    x = draw(magnitudes) * draw(st.sampled_from([-1.0, 1.0]))
    return x, np.array(means), np.array(sds), weights / weights.sum()


@SETTINGS
@given(far_mixtures())
def test_posterior_is_right_or_at_its_limit_at_any_magnitude(case):
    # Exact where the log-joint resolves the components; the exact one-hot limit beyond it. In between
    # (|ln p| ~ 1e13…3e17) the error is bounded by the rounding of ln p: ~4ε|ln p| in the log-odds.
    x, means, sds, priors = case
    _, post = g.normal_mixture_posterior(np.array([x]), np.log(priors), means, sd=sds)
    ref = decimal_posterior(x, means, sds, priors)
    assert np.all(np.isfinite(post)) and post.sum() == pytest.approx(1.0, rel=1e-14)
    scale = float(np.max(((x - means) / sds) ** 2)) if abs(x) < 1e150 else np.inf
    if scale < 1e6:
        np.testing.assert_allclose(post.ravel(), ref, rtol=1e-9, atol=1e-12)
    elif scale >= 2.0**59:
        np.testing.assert_allclose(post.ravel(), ref, rtol=1e-13, atol=0)  # a 0 must be an exact 0
    else:
        assert np.max(np.abs(post.ravel() - ref)) <= 1e-12 + 8 * EPS * scale


# --- bayes uses it; e_step will --------------------------------------------------------------------------


def test_bayes_posterior_is_the_shared_one():
    x = np.array([6.001, 4.9, -3.0, 1e17, 1e160, -1e300])
    means, sds, priors = np.array([3.0, 7.0, 0.0]), np.array([1.0, 1.0, 0.5]), np.array([0.3, 0.3, 0.4])
    _, post = g.normal_mixture_posterior(x, np.log(priors), means, sd=sds)
    np.testing.assert_array_equal(posterior_probs(x, means, sds, priors), post.T)


ORDINARY_X = np.array([6.001, 4.9, -3.0, 0.0, 12.5, 40.0])
FAR_X = np.array([1e17, 1e100, 1e160, -1e160, 1e200, -1e300, 1.7e308])
CASES = [
    ([3.0, 7.0], [1.0, 1.0], [0.5, 0.5]),  # the slide: equal σ
    ([3.0, 7.0], [1.0, 1.0], [0.2, 0.8]),
    ([3.0, 7.0, 0.0], [1.0, 1.0, 0.5], [0.3, 0.3, 0.4]),  # unequal σ
    ([3.0, 7.0, 0.0], [1.0, 1.0, 2.0], [0.45, 0.45, 0.1]),
]


def _compare_with_e_step(x):
    for means, sds, priors in CASES:
        sigma = np.array(sds)
        resp, _ = mle_lib.e_step(x, priors, means, sigma**2, "spherical")
        np.testing.assert_allclose(posterior_probs(x, means, sigma, priors), resp.T, rtol=1e-12, atol=1e-300)


def test_bayes_posterior_equals_e_step_on_ordinary_x():
    _compare_with_e_step(ORDINARY_X)


def test_bayes_posterior_equals_e_step_far_out():
    _compare_with_e_step(FAR_X)


# --- the one rule for weights and priors ----------------------------------------------------------------


def test_check_simplex_tolerance_is_one_constant():
    assert SIMPLEX_ATOL == 1e-8
    np.testing.assert_array_equal(check_simplex([0.5, 0.5 + 0.9e-8], "w"), [0.5, 0.5 + 0.9e-8])
    with pytest.raises(ValueError, match=r"^w must sum to 1; got sum 1\.00000001"):
        check_simplex([0.5, 0.5 + 1.1e-8], "w")
    # bayes and plotting both follow it (they used 1e-9 and 1e-6 before)
    posterior_probs(5.0, [3.0, 7.0], priors=[0.5, 0.5 + 0.9e-8])
    with pytest.raises(ValueError, match="^priors must sum to 1"):
        posterior_probs(5.0, [3.0, 7.0], priors=[0.5, 0.5 + 1.1e-8])


def test_check_simplex_messages_name_the_argument_and_rule():
    with pytest.raises(ValueError, match=r"^weights must have one entry per component \(3\); got 2"):
        check_simplex([0.5, 0.5], "weights", 3)
    with pytest.raises(ValueError, match=r"^priors must be a probability in \[0, 1\]; got 1.5 at index 0"):
        check_simplex([1.5, -0.5], "priors", 2, per="mean")
    with pytest.raises(ValueError, match="^weights must be 1-D"):
        check_simplex([[1.0]], "weights")
    with pytest.raises(ValueError, match="^weights must contain only finite"):
        check_simplex([np.nan, 1.0], "weights")
    with pytest.raises(TypeError, match="^weights must be numeric"):
        check_simplex([True, False], "weights")


def test_check_simplex_none_means_equal_weights_and_needs_a_size():
    np.testing.assert_array_equal(check_simplex(None, "priors", 4, per="mean"), [0.25] * 4)
    with pytest.raises(TypeError, match="priors is None and no size"):
        check_simplex(None, "priors")


def test_softmax_resolution_hands_a_log_joint_of_1e18_to_the_limit():
    """Identical components with priors 0.2 / 0.8 at ½x² ≈ 1e18, beyond SOFTMAX_RESOLUTION = 2⁵⁸ ≈ 2.9e17.

    There one ulp of the log-joint is 128, which swallows ln 4: a softmax returns 0.5 / 0.5, the limit
    the prior.  Moved 10× up (2.9e18) the softmax would handle this column, and fail here.
    """
    x = np.sqrt(2e18)
    assert 2.0**58 < 0.5 * x**2 < 10 * 2.0**58
    _, post = g.normal_mixture_posterior(np.array([x]), np.log([0.2, 0.8]), np.array([1.0, 1.0]), sd=np.ones(2))
    np.testing.assert_allclose(post.ravel(), [0.2, 0.8], rtol=1e-15)


def test_limit_key_window_parts_quadratic_forms_one_part_in_1e10_apart(monkeypatch):
    """Far out, two quadratic forms that differ by one part in 10¹⁰ are not a tie: the smaller wins outright.

    ½ ln(q₂/q₁) = 5e-11 here, above the window 2⁻³⁶ ≈ 1.5e-11 and below ten times it: a window moved up by 10×
    calls them tied and splits the posterior by the offsets (the negative control below).
    """
    import mle_lib._gaussian as g

    log_joint = np.full((2, 1), -np.inf)  # every component's density overflowed: the limit decides

    def limit(cols):
        return np.array([[50.0], [50.0 + 5e-11]]), np.zeros((2, cols.size))

    _, post = g.normalize_log_joint(log_joint, log_offset=[0.0, 0.0], limit=limit)
    assert post[:, 0].tolist() == [1.0, 0.0]

    def tie(cols):
        return np.array([[50.0], [50.0]]), np.zeros((2, cols.size))

    _, post = g.normalize_log_joint(log_joint.copy(), log_offset=[0.0, 0.0], limit=tie)
    assert post[:, 0].tolist() == [0.5, 0.5]
    monkeypatch.setattr(g, "LIMIT_KEY_WINDOW", 10 * g.LIMIT_KEY_WINDOW)
    _, post = g.normalize_log_joint(log_joint.copy(), log_offset=[0.0, 0.0], limit=limit)
    assert post[:, 0].tolist() == [0.5, 0.5]  # the window too wide: a real difference read as a tie
