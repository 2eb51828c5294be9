"""Chapter 7's views (pure functions) and widgets (in the kernel, no browser)."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image
from scipy import optimize, stats

import mle_lib as ml
from mle_lib.views import em1d
from mle_lib.views.em1d import em_stepper_view, likelihood_surface, surface_path_view

START = em1d.HEIGHTS_START


def _estimator(k: int, hard: bool) -> ml.GaussianMixture:
    """The library's EM estimator, k iterations exactly, from the stepper's start."""
    return ml.GaussianMixture(
        2,
        covariance_type="spherical",
        reg_covar=0.0,
        tol=0.0,
        max_iter=k,
        classification=hard,
        weights_init=START["weights"],
        means_init=np.reshape(START["means"], (2, 1)),
        covariances_init=START["variances"],
    ).fit(em1d.HEIGHTS)


@pytest.mark.parametrize("hard", [False, True])
@pytest.mark.parametrize("k", [1, 3, 25])
def test_stepper_replay_equals_the_estimator_run_for_k_iterations(k, hard):
    v = em_stepper_view(("E", "M") * k, hard=hard)
    gm = _estimator(k, hard)
    np.testing.assert_allclose(v.weights, gm.weights_, rtol=1e-10)
    np.testing.assert_allclose(v.means, gm.means_[:, 0], rtol=1e-12)
    np.testing.assert_allclose(v.variances, gm.covariances_, rtol=1e-10)
    np.testing.assert_allclose(v.trace, gm.loglik_history_ * em1d.HEIGHTS.size, rtol=1e-12)
    assert v.loglik == pytest.approx(gm.score(em1d.HEIGHTS) * em1d.HEIGHTS.size, rel=1e-12)
    assert v.m_steps == k and v.next_step == "E" and v.trace.size == k + 1


def test_e_step_recolours_the_points_and_leaves_the_parameters():
    x = em1d.HEIGHTS
    v0, v1 = em_stepper_view(()), em_stepper_view(("E",))
    assert v0.resp is None and v1.next_step == "M"
    for a in ("weights", "means", "variances"):
        np.testing.assert_array_equal(getattr(v1, a), np.asarray(START[a]))
    joint = np.array(START["weights"])[:, None] * stats.norm.pdf(
        x, np.reshape(START["means"], (2, 1)), np.sqrt(START["variances"][0])
    )
    np.testing.assert_allclose(v1.resp, joint / joint.sum(axis=0), rtol=1e-10)  # Bayes' rule by scipy
    hard = em_stepper_view(("E",), hard=True).resp
    np.testing.assert_array_equal(hard, (joint / joint.sum(axis=0) > 0.5).astype(float))
    assert v1.loglik == pytest.approx(np.log(joint.sum(axis=0)).sum(), rel=1e-12)


def test_full_em_never_lowers_ln_l_but_hard_em_can():
    full = em_stepper_view(("E", "M") * 200).trace
    hard = em_stepper_view(("E", "M") * 200, hard=True).trace
    assert np.all(np.diff(full) >= -1e-9 * np.abs(full[1:]))
    assert np.diff(hard).min() < -0.05  # the chapter: hard EM climbs the classification objective, not ln L
    assert full[-1] > hard[-1]


@pytest.mark.parametrize(
    ("actions", "message"),
    [
        (("M",), "step 1 is an M-step, but the next step is the E-step (an M-step needs the responsibilities"),
        (("E", "E"), "step 2 is an E-step, but the next step is the M-step"),
        (("E", "M", "M"), "step 3 is an M-step, but the next step is the E-step"),
        (("E", "x"), "actions must be 'E' or 'M'; got 'x' at position 1"),
    ],
)
def test_stepper_refuses_an_illegal_order_naming_the_step(actions, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(")):
        em_stepper_view(actions)


def test_a_step_extends_the_cached_replay_instead_of_replaying(monkeypatch):
    monkeypatch.setattr(em1d, "_REPLAYS", {})  # an empty cache
    em_stepper_view(("E", "M") * 40)
    calls = []
    real = em1d.m_step
    monkeypatch.setattr(em1d, "m_step", lambda *a, **k: calls.append(1) or real(*a, **k))
    em_stepper_view(("E", "M") * 40)
    em_stepper_view(("E", "M") * 40 + ("E",))
    assert calls == []
    em_stepper_view(("E", "M") * 41)
    assert calls == [1]
    v = em_stepper_view(("E", "M") * 41)
    with pytest.raises(ValueError, match="read-only"):
        v.means[0] = 0.0  # the cache is shared: nobody may change it


def test_surface_is_the_chapters_e_step_grid():
    g, s = likelihood_surface()
    assert likelihood_surface()[1] is s  # computed once
    np.testing.assert_array_equal(g, np.linspace(-16, 16, 81))
    rng = np.random.default_rng(0)
    for i, j in rng.integers(0, g.size, size=(20, 2)):
        _, ll = ml.e_step(em1d.THREE_GROUPS, [0.5, 0.5], [g[j], g[i]], [4.0, 4.0], "spherical")
        assert s[i, j] == pytest.approx(ll, rel=1e-12)
    np.testing.assert_allclose(s, s.T, rtol=1e-12)  # label switching
    assert round(float(s.max()), 2) == -39.56  # the chapter's printed "highest -39.56"


def _mixture_loglik(mu: np.ndarray) -> float:
    """ln L(μ₁, μ₂) by scipy.stats, independently of the library (σ = 2, π = ½)."""
    dens = 0.5 * stats.norm.pdf(em1d.THREE_GROUPS[:, None], np.asarray(mu)[None, :], 2.0)
    return float(np.log(dens.sum(axis=1)).sum())


def _hessian(mu: np.ndarray, h: float = 1e-4) -> np.ndarray:
    f = _mixture_loglik
    e = np.eye(2) * h
    return np.array(
        [
            [
                (f(mu + e[a] + e[b]) - f(mu + e[a] - e[b]) - f(mu - e[a] + e[b]) + f(mu - e[a] - e[b])) / (4 * h * h)
                for b in range(2)
            ]
            for a in range(2)
        ]
    )


@pytest.mark.parametrize(
    ("start", "end", "which"),
    [
        ((-14.0, 14.0), (-5.0, 12.0), "global maximum"),
        ((14.0, -3.0), (12.0, -5.0), "global maximum"),
        ((-14.0, 2.0), (-10.0, 6.0), "lower maximum"),
        ((-14.0, -10.0), (-10.0, 6.0), "lower maximum"),
        ((3.0, 3.0), (2 / 3, 2 / 3), "saddle on the diagonal"),
    ],
)
def test_surface_path_ends_at_a_stationary_point_of_the_kind_it_names(start, end, which):
    v = surface_path_view(*start)
    assert v.which == which and v.n_iter == v.path.shape[0] - 1
    np.testing.assert_allclose(v.end, end, atol=1e-2)
    assert np.all(np.diff(v.loglik) >= -1e-12)  # EM climbs
    # stationary, by finite differences of an independent ln L (scipy.stats)
    grad = optimize.approx_fprime(v.end, _mixture_loglik, 1e-7)
    assert np.abs(grad).max() < 1e-4
    assert v.final_loglik == pytest.approx(_mixture_loglik(v.end), rel=1e-12)
    eig = np.linalg.eigvalsh(_hessian(v.end))
    if "maximum" in which:
        assert eig.max() < 0
        best = max(-optimize.minimize(lambda m: -_mixture_loglik(m), s0).fun for s0 in [(-8, 14), (-12, 4), (0, 5)])
        assert (v.final_loglik == pytest.approx(best, abs=1e-6)) == (which == "global maximum")
    else:
        assert eig.min() < 0 < eig.max()  # a saddle: the diagonal start can only slide along μ₁ = μ₂
    # the library's estimator (the same restricted model) from the same start ends at the same point
    gm = ml.GaussianMixture(
        2,
        covariance_type="spherical",
        weights_init=[0.5, 0.5],
        means_init=np.reshape(start, (2, 1)),
        covariances_init=[4.0, 4.0],
        fixed={"weights", "covariances"},
        reg_covar=0.0,
        tol=1e-12,
        max_iter=1000,
    ).fit(em1d.THREE_GROUPS)
    np.testing.assert_allclose(v.end, gm.means_[:, 0], atol=1e-6)


def test_restricted_em_reproduces_deck_1s_run():
    run = ml.deck1_two_component_run()
    means, z1, _ = em1d.restricted_em(run["x"], run["means_init"], [1.0, 1.0], n_steps=3)
    np.testing.assert_array_equal(np.round(means, 2), run["slide_means"])
    assert (np.char.mod("%.2e", z1) == np.char.mod("%.2e", run["slide_z1"])).all()


# -- widgets, in the kernel ---------------------------------------------------------------------


def _buttons(w):
    return {b.description: b for b in w.box.children[0].children if hasattr(b, "on_click")}


def _png_size(w):
    return Image.open(io.BytesIO(bytes(w.image.value))).size


def test_em_stepper_buttons_replay_the_steps():
    from mle_lib import widgets

    w = widgets.em_stepper()
    b = _buttons(w)
    assert {c: b[c]._dom_classes for c in b} == {
        "E-step": ("mle-button-e-step",),
        "M-step": ("mle-button-m-step",),
        "+10 iterations": ("mle-button-10-iterations",),
        "Reset": ("mle-button-reset",),
    }
    assert w.readout_text == em_stepper_view(()).readout() and b["E-step"].button_style == "primary"
    first = bytes(w.image.value)
    b["E-step"].click()
    after_e = bytes(w.image.value)
    assert after_e != first and b["M-step"].button_style == "primary"
    b["M-step"].click()
    assert w.readout_text == em_stepper_view(("E", "M")).readout()
    assert "π₁ = 0.543" in w.readout_text and "τ" not in w.readout_text  # the course's π_k, not deck 1's τ_j
    assert bytes(w.image.value) != after_e
    assert (
        'data-state="{&quot;hard&quot;: false, &quot;actions&quot;: [&quot;E&quot;, &quot;M&quot;]}"' in w.readout.value
    )
    assert _png_size(w) == (round(w.figsize[0] * widgets.DPI), round(w.figsize[1] * widgets.DPI))
    # an M-step now is refused: the readout says why, the steps stay, the next E-step works
    b["M-step"].click()
    assert w.readout_text.startswith("actions: step 3 is an M-step, but the next step is the E-step")
    assert w.state["actions"] == ("E", "M")
    b["E-step"].click()
    assert w.readout_text == em_stepper_view(("E", "M", "E")).readout()
    b["+10 iterations"].click()  # finishes the started iteration, then ten more
    assert w.state["actions"] == ("E", "M") * 12
    assert w.set(hard=True) == em_stepper_view(("E", "M") * 12, hard=True).readout()
    b["Reset"].click()
    assert w.state["actions"] == () and w.readout_text == em_stepper_view((), hard=True).readout()
    assert w.press("E-step") == em_stepper_view(("E",), hard=True).readout()  # press() clicks the button


def test_em_surface_picker_wiring():
    from mle_lib import widgets

    w = widgets.em_surface_picker()
    before = bytes(w.image.value)
    assert w.readout_text == surface_path_view(-14.0, 2.0).readout()
    text = w.set(mu1=-14.0, mu2=14.0)
    assert text == surface_path_view(-14.0, 14.0).readout() and "global maximum" in text
    assert bytes(w.image.value) != before
    assert _png_size(w) == (round(w.figsize[0] * widgets.DPI), round(w.figsize[1] * widgets.DPI))
    assert 'data-view="mle_lib.views.em1d:surface_path_view"' in w.readout.value


def test_reset_puts_a_widget_back_to_its_start():
    """Explorer.reset(): what a notebook's hidden wiring check calls after moving a widget (issue 14)."""
    from mle_lib import widgets

    stepper = widgets.em_stepper()
    start = stepper.readout_text
    stepper.press("E-step")
    stepper.set(hard=True)
    assert not stepper.at_start and stepper.readout_text != start
    assert stepper.reset() is None
    assert stepper.at_start and stepper.readout_text == start and not stepper.controls["hard"].value
    assert stepper.buttons["E-step"].button_style == "primary"  # E-step is next again
    picker = widgets.em_surface_picker()
    picker.set(mu1=0.0)
    picker.reset()
    assert picker.at_start and picker.controls["mu1"].value == -14.0
