"""Every widget factory refuses a value it cannot show, naming the argument (issue 20).

A factory's arguments become controls through one rule, :func:`mle_lib.widgets._base.make_controls`:
the value is checked against the control's range and by the view's own checks, and only then is any
control built.  The generated test below feeds every argument of every factory values its control
cannot show (or its view refuses) and asserts an error that names the argument — with every control's
``build`` booby-trapped, so a factory that builds (and clamps) before it checks fails.
"""

from __future__ import annotations

import inspect
import math
import pathlib
import re
import time
import tracemalloc

import ipywidgets as W
import numpy as np
import pytest

import mle_lib as ml
from mle_lib import widgets
from mle_lib.widgets import _base

#: Arguments a factory requires (no default), with a valid value; every other argument keeps its default.
REQUIRED = {
    "poisson_explorer": {"counts": [2, 0, 3, 1, 1, 2]},
    "normal_explorer": {"x": [9.0, 10.0, 11.5, 12.0, 8.5]},
}
CONTROL_SPECS = (_base.IntSlider, _base.FloatSlider, _base.RangeSlider, _base.Choice, _base.Checkbox, _base.Text)


def _factories() -> dict[str, object]:
    out = {}
    for name in widgets.__all__:
        obj = getattr(widgets, name)
        if inspect.isfunction(obj) and inspect.signature(obj).return_annotation in ("Explorer", "EMStepper"):
            out[name] = obj
    return out


FACTORIES = _factories()


def test_thirteen_factories_all_through_the_one_rule():
    assert len(FACTORIES) == 13
    folder = pathlib.Path(_base.__file__).parent
    direct = re.compile(r"W\.(IntSlider|FloatSlider|FloatRangeSlider|Dropdown|ToggleButtons|Checkbox|Text)\(")
    for path in sorted(folder.glob("ch0*.py")):
        source = path.read_text(encoding="utf-8")
        assert not direct.search(source), f"{path.name} builds a control itself instead of through make_controls"
        assert "def " not in source or "make_controls(" in source, path.name


def _bad_values(control: W.ValueWidget | None) -> list[object]:
    """Values that no argument accepts (wrong type, NaN) plus, for a control, values outside its range."""
    bad: list[object] = ["zz", object(), float("nan")]
    if isinstance(control, (W.IntSlider, W.FloatSlider)):
        lo, hi, step = control.min, control.max, control.step
        bad += [lo - step, hi + step, lo - 1000 * step, hi + 1000 * step]  # far out: most views refuse them too
        if isinstance(control, W.IntSlider):
            bad += [lo - 1, hi + 1, lo + 0.5, float(lo)]  # a float is refused, not truncated to an integer
        else:
            bad += [lo - step / 2, hi + step / 2]  # just outside the slider, inside what the view accepts
    elif isinstance(control, W.FloatRangeSlider):
        lo, hi, step = control.min, control.max, control.step
        bad += [(lo - step, hi), (lo, hi + step), (hi, lo), (lo, lo), (lo, hi, hi), 5.0]
    return bad


def _cases():
    for name, factory in FACTORIES.items():
        for arg in inspect.signature(factory).parameters:
            yield pytest.param(name, arg, id=f"{name}-{arg}")


@pytest.mark.parametrize(("factory_name", "arg"), list(_cases()))
def test_every_factory_refuses_every_unshowable_value_naming_the_argument(factory_name, arg, monkeypatch):
    factory = FACTORIES[factory_name]
    base = REQUIRED.get(factory_name, {})
    control = factory(**base).controls.get(arg)  # the valid widget tells the ranges

    def trap(self, value):
        raise AssertionError(f"{factory_name} built the {arg!r} control before refusing the bad value")

    for spec in CONTROL_SPECS:
        monkeypatch.setattr(spec, "build", trap)
    values = _bad_values(control)
    assert len(values) >= 3
    for bad in values:
        with pytest.raises((TypeError, ValueError)) as err:
            factory(**{**base, arg: bad})
        assert re.search(rf"\b{arg}\b", str(err.value)), f"{factory_name}({arg}={bad!r}): {err.value}"


def test_the_trap_fires_when_a_factory_builds_before_it_checks(monkeypatch):
    """The booby trap above can fail: a factory that built first (as they all did) trips it."""

    def build_first(view, specs, values, state=None):
        return {s.name: s.build(values[s.name]) for s in specs}

    monkeypatch.setattr(_base.IntSlider, "build", lambda self, v: (_ for _ in ()).throw(AssertionError("built")))
    monkeypatch.setattr(widgets.ch01, "make_controls", build_first)
    with pytest.raises(AssertionError, match="built"):
        widgets.underflow_explorer(0)


# -- the cases of issue 20, one by one ---------------------------------------------------------------

FACTORY_CASES = [
    (lambda: widgets.binomial_explorer(25, 20), ValueError, r"^k must be in \[0, 20\] .*k cannot exceed n.*got 25"),
    (lambda: widgets.underflow_explorer(0), ValueError, r"^n must be in \[10, 5000\] .*'flips n' slider.*got 0"),
    (lambda: widgets.coin_explorer(1.5), ValueError, r"^theta must be in \[0.01, 0.99\] .*got 1.5"),
    (lambda: widgets.two_coins_em(0.0, 0.5), ValueError, r"^theta_a must be in \[0.05, 0.95\] .*got 0.0"),
    (lambda: widgets.binomial_explorer(2.5, 10), TypeError, r"^k must be an integer; got float 2.5"),
    (lambda: widgets.binomial_explorer(7, -5), ValueError, r"^n must be in \[1, 100\] .*got -5"),
    (lambda: widgets.uniform_explorer((5, 3)), ValueError, r"^interval must have a < b .*a = 5, b = 3"),
    (lambda: widgets.uniform_explorer((-1, 3)), ValueError, r"^interval must be in \[0, 12\] .*both ends"),
    (lambda: widgets.divisor_explorer("n-2"), ValueError, r"^divisor must be one of \['n-1', 'n', 'n\+1'\]; got 'n-2'"),
    (lambda: widgets.em_stepper("no"), TypeError, r"^hard must be True or False; got str 'no'"),
    (lambda: widgets.poisson_explorer([1.5, 2]), ValueError, r"^counts must be non-negative integers; got 1.5"),
    (lambda: widgets.mixture_fit_explorer(2, reg_covar=-1), ValueError, r"^reg_covar must be >= 0; got -1.0"),
    (lambda: widgets.mixture_fit_explorer(7), ValueError, r"^n_components must be in \[1, 6\]"),
]


@pytest.mark.parametrize(("call", "kind", "message"), FACTORY_CASES)
def test_issue_cases_of_the_factories(call, kind, message):
    with pytest.raises(kind, match=message):
        call()


def test_a_reg_covar_off_the_menu_is_shown_as_asked():
    w = widgets.mixture_fit_explorer(2, reg_covar=0.5)  # the view accepts 0.5: the menu gains it
    assert w.controls["reg_covar"].value == 0.5 and w.controls["reg_covar"].label == "0.5"
    assert "reg_covar = 0.5," in w.readout_text
    assert widgets.mixture_fit_explorer(2, reg_covar=np.float32(1e-6)).controls["reg_covar"].label == "1e-06"


def test_valid_values_are_shown_exactly():
    assert widgets.binomial_explorer(20, 20).controls["k"].value == 20
    assert widgets.coin_explorer(0.01).state["theta"] == 0.01
    w = widgets.poisson_explorer([2, 0, 3, 1], lam=1.234)  # no rounding of a λ the caller gave
    assert w.state["lam"] == 1.234 and w.controls["lam"].value == 1.234


# -- the views' boundaries ---------------------------------------------------------------------------


def test_em_path_checks_its_arguments_and_caches_only_good_ones():
    from mle_lib.views import emnd

    before = emnd._em_path.cache_info().currsize
    for kwargs, kind, message in [
        ({"tol": math.nan}, ValueError, "^tol must be a finite number; got nan"),
        ({"tol": -1}, ValueError, "^tol must be >= 0; got -1.0"),
        ({"max_iter": -1}, ValueError, "^max_iter must be >= 1; got -1"),
        ({"max_iter": 2.5}, TypeError, "^max_iter must be an integer; got float 2.5"),
        ({"tol": "a"}, TypeError, "^tol must be a single number; got str 'a'"),
        ({"tol": [1e-3]}, TypeError, r"^tol must be a single number; got list \[0.001\]"),
    ]:
        with pytest.raises(kind, match=message):
            emnd.em_path(**kwargs)
    assert emnd._em_path.cache_info().currsize == before
    assert emnd.em_path(tol=1e-3) is emnd.em_path() is emnd.em_path(np.float64(1e-3), 100)


def test_restricted_em_blames_start_not_weights():
    from mle_lib.views.em1d import restricted_em

    with pytest.raises(ValueError, match=r"^start must hold the two starting means \(μ₁, μ₂\); got 3 numbers"):
        restricted_em([-1.0, 0.0, 1.0], [0.0, 1.0, 2.0], [1.0, 1.0], 3)
    with pytest.raises(ValueError, match="^variances must hold the two fixed variances"):
        restricted_em([-1.0, 0.0, 1.0], [0.0, 1.0], [1.0], 3)
    with pytest.raises(ValueError, match="^variances must be > 0"):
        restricted_em([-1.0, 0.0, 1.0], [0.0, 1.0], [1.0, 0.0], 3)


def test_binomial_em_blames_weights_init_for_a_zero_weight():
    with pytest.raises(ValueError, match=r"^weights_init must be > 0 for every coin: coin 0 has weight 0"):
        ml.binomial_em([5, 9, 8], 10, [0.6, 0.5], [0.0, 1.0])


@pytest.mark.parametrize("fix_weights", [True, False])
def test_binomial_em_survives_responsibilities_that_underflow(fix_weights):
    """5 heads in 10¹⁵ tosses from θ = (0.6, 0.5): coin A's γ underflows to 0 in the first E-step (ln γ ≈
    −2·10¹⁴); the M-step works from ln γ, so both coins move to the only estimate the data allow, 5/10¹⁵."""
    r = ml.binomial_em([5], 10**15, [0.6, 0.5], fix_weights=fix_weights)
    np.testing.assert_allclose(r.thetas, [5e-15, 5e-15], rtol=1e-12)
    assert np.all(np.diff(r.loglik) >= 0) and r.converged
    assert r.loglik[-1] == pytest.approx(ml.binomial_loglik(5e-15, 5, 10**15), rel=1e-9)


def test_binomial_em_matches_its_steps_where_nothing_underflows():
    """The log-domain M-step inside binomial_em is the public M-step on ordinary data."""
    h = ml.TWO_COINS_HEADS
    r = ml.binomial_em(h, 10, [0.6, 0.5], [0.3, 0.7], tol=0, max_iter=3)
    t, w = np.array([0.6, 0.5]), np.array([0.3, 0.7])
    for _ in range(3):
        resp, _ = ml.binomial_e_step(h, 10, t, w)
        t, w = ml.binomial_m_step(h, 10, resp)
    np.testing.assert_allclose(r.thetas, t, rtol=1e-13)
    np.testing.assert_allclose(r.weights, w, rtol=1e-13)


def test_coin_view_names_flips_for_a_non_string():
    from mle_lib.views.coins import coin_view

    with pytest.raises(TypeError, match=r"^flips must be a str of the letters 'H' and 'T', e.g. 'HHTHH'; got int 123"):
        coin_view(0.5, 123)
    assert coin_view(0.5, "H" * 20000).n_sequences == "2^20000"  # 2ⁿ is not printed with 6000 digits


def test_underflow_view_stays_closed_form_for_huge_n():
    from mle_lib.views.coins import MAX_FLIPS, underflow_view

    tracemalloc.start()
    start = time.perf_counter()
    v = underflow_view(10**12)
    seconds = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 5_000_000 and seconds < 1.0  # the old code asked for 4.37 TiB
    assert v.heads == 6 * 10**11 and v.likelihood == 0.0
    assert v.loglik == pytest.approx(6e11 * math.log(0.6) + 4e11 * math.log(0.4), rel=1e-12)
    assert underflow_view(100).loglik == pytest.approx(ml.bernoulli_loglik(0.6, [1] * 60 + [0] * 40), rel=1e-14)
    with pytest.raises(ValueError, match=r"^n must be <= 9007199254740992"):
        underflow_view(MAX_FLIPS + 1)


def test_em_stepper_view_refuses_a_string_for_hard():
    from mle_lib.views.em1d import em_stepper_view

    with pytest.raises(TypeError, match="^hard must be True or False; got str 'no'"):
        em_stepper_view(hard="no")
    with pytest.raises(TypeError, match="^actions must be a tuple or list of 'E' and 'M'; got int 5"):
        em_stepper_view(5)
    assert em_stepper_view(("E",), hard=np.bool_(True)).hard is True


def test_mixture_fit_view_takes_numpy_scalars_and_its_docstring_tells_the_true_k_range():
    from mle_lib.views.emnd import MAX_COMPONENTS, mixture_fit_view

    v = mixture_fit_view(np.int64(2), "full", np.float32(1e-6))
    assert v.n_components == 2 and v.reg_covar == pytest.approx(1e-6, rel=1e-6)
    stated = re.search(r"K, from 1 to :data:`MAX_COMPONENTS` \((\d+)\)", mixture_fit_view.__doc__)
    assert stated and int(stated.group(1)) == MAX_COMPONENTS
    with pytest.raises(ValueError, match=f"^n_components must be <= {MAX_COMPONENTS}; got {MAX_COMPONENTS + 1}"):
        mixture_fit_view(MAX_COMPONENTS + 1)
    with pytest.raises(ValueError, match="^prior must be None"):
        mixture_fit_view(2, prior=np.array(["default", "x"]))


@pytest.mark.parametrize(
    ("call", "kind", "message"),
    [
        (lambda: ml.views.normal.divisor_view(["n"], 5), ValueError, "^divisor must be one of"),
        (lambda: ml.views.normal.normal_view(0.0, [1.0, 2.0], [1.0, 2.0]), TypeError, "^sigma must be a single number"),
        (lambda: ml.views.poisson.poisson_view([1, 2], [1, 2]), TypeError, "^lam must be a single number"),
        (lambda: ml.views.em1d.surface_path_view("a"), TypeError, "^mu1 must be a single number"),
    ],
)
def test_other_views_name_the_argument(call, kind, message):
    import mle_lib.views.em1d
    import mle_lib.views.normal
    import mle_lib.views.poisson  # noqa: F401

    with pytest.raises(kind, match=message):
        call()


def test_check_int_sequence_says_a_range_is_wanted():
    from mle_lib._checks import check_int_sequence

    with pytest.raises(TypeError, match=r"^n_components_range must be a sequence of integers such as \[1, 2, 3\]"):
        check_int_sequence(3, "n_components_range", minimum=1)
    with pytest.raises(ValueError, match="^n_components_range must hold integers >= 1; got 0 at index 1"):
        check_int_sequence([1, 0], "n_components_range", minimum=1)
    assert check_int_sequence(np.arange(1, 4), "n_components_range", minimum=1) == [1, 2, 3]
