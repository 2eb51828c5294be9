"""Chapter 8's views (pure functions) and widgets (in the kernel, no browser)."""

from __future__ import annotations

import io
import warnings

import numpy as np
import pytest
import scipy.stats as stats
from PIL import Image
from sklearn.mixture import GaussianMixture as SklearnGaussianMixture

import mle_lib as ml
from mle_lib.views import emnd
from mle_lib.views.emnd import EM_START, em_iteration_view, em_path, mixture_fit_view, old_faithful_standardised

Z = old_faithful_standardised()
START = {k + "_init": np.array(v) for k, v in EM_START.items()}


def test_old_faithful_standardised_is_the_chapters_z():
    X = ml.load_old_faithful()
    np.testing.assert_allclose(Z, (X - X.mean(axis=0)) / X.std(axis=0), rtol=0, atol=0)
    assert not Z.flags.writeable


def test_em_path_is_computed_once_and_stops_where_the_chapter_does():
    assert em_path() is em_path()  # cached: a slider move only draws
    path = em_path()
    gm = ml.GaussianMixture(2, reg_covar=0.0, tol=1e-3, **START).fit(Z)
    assert path.n_iter == gm.n_iter_ == 20  # the notebook: "stopped after 20 iterations"
    np.testing.assert_allclose(path.loglik / Z.shape[0], gm.loglik_history_, rtol=1e-10)
    assert np.all(np.diff(path.loglik) >= -1e-9)  # EM never lowers ln p(X) (reg_covar = 0)


@pytest.mark.parametrize("t", [1, 2, 5, 13, 20])
def test_em_path_iterates_match_scikit_learn_run_for_t_iterations(t):
    path = em_path()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # scikit-learn warns that t iterations did not converge
        sk = SklearnGaussianMixture(
            2,
            reg_covar=0.0,
            tol=0.0,
            max_iter=t,
            weights_init=START["weights_init"],
            means_init=START["means_init"],
            precisions_init=np.linalg.inv(START["covariances_init"]),  # scikit-learn starts from Σ⁻¹
        ).fit(Z)
    np.testing.assert_allclose(path.weights[t], sk.weights_, rtol=1e-7)
    np.testing.assert_allclose(path.means[t], sk.means_, rtol=1e-7, atol=1e-9)
    np.testing.assert_allclose(path.covariances[t], sk.covariances_, rtol=1e-7, atol=1e-9)
    np.testing.assert_allclose(path.resp[t].T, sk.predict_proba(Z), atol=1e-7)
    assert path.loglik[t] == pytest.approx(sk.score(Z) * Z.shape[0], rel=1e-9)


def test_em_iteration_view_readout_and_bounds():
    v = em_iteration_view(0)
    np.testing.assert_array_equal(v.means, EM_START["means"])
    np.testing.assert_allclose(v.resp.sum(axis=0), 1.0)
    mix = 0.5 * stats.multivariate_normal(v.means[0], np.eye(2)).pdf(Z) + 0.5 * stats.multivariate_normal(
        v.means[1], np.eye(2)
    ).pdf(Z)
    assert v.loglik == pytest.approx(np.log(mix).mean(), rel=1e-12)  # independent: scipy's densities
    assert v.readout().startswith("EM iteration t = 0 of 20: ln p(X)/n = -3.9714")
    with pytest.raises(ValueError, match="^iteration must be <= 20; got 21"):
        em_iteration_view(21)


@pytest.mark.parametrize(
    "args",
    [(2, "full", 1e-6, None), (3, "tied", 1e-6, None), (1, "diag", 1e-2, None), (3, "spherical", 1e-6, "default")],
)
def test_mixture_fit_view_criteria_by_an_independent_route(args):
    v = mixture_fit_view(*args)
    K, ctype = args[0], args[1]
    if ctype == "full":
        cov = v.covariances
    elif ctype == "tied":
        cov = np.broadcast_to(v.covariances, (K, 2, 2))
    elif ctype == "diag":
        cov = v.covariances[..., None] * np.eye(2)
    else:
        cov = v.covariances[:, None, None] * np.eye(2)
    dens = sum(v.weights[k] * stats.multivariate_normal(v.means[k], cov[k]).pdf(Z) for k in range(K))
    ll = np.log(dens).sum()
    p = (K - 1) + 2 * K + {"full": 3 * K, "tied": 3, "diag": 2 * K, "spherical": K}[ctype]
    assert v.loglik == pytest.approx(ll, rel=1e-10) and v.n_parameters == p
    assert v.bic == pytest.approx(-2 * ll + p * np.log(272), rel=1e-10)
    assert v.aic == pytest.approx(-2 * ll + 2 * p, rel=1e-10)
    assert v.bic_by_k[K - 1] == v.bic and v.aic_by_k[K - 1] == v.aic
    assert f"BIC = {v.bic:.2f}, AIC = {v.aic:.2f}" in v.readout()


def test_mixture_fit_view_finds_scikit_learns_optimum_and_caches():
    v = mixture_fit_view(2, "full")
    sk = SklearnGaussianMixture(2, n_init=5, random_state=0).fit(Z)
    assert v.loglik == pytest.approx(sk.score(Z) * 272, abs=1e-3)
    before = emnd._fit.cache_info()
    again = mixture_fit_view(2, "full")
    after = emnd._fit.cache_info()
    assert after.misses == before.misses and after.hits > before.hits  # a revisit refits nothing
    assert again.readout() == v.readout()


def test_mixture_fit_view_refuses_bad_settings_naming_them():
    with pytest.raises(ValueError, match="^n_components must be <= 6"):
        mixture_fit_view(7)
    with pytest.raises(ValueError, match="^covariance_type must be one of"):
        mixture_fit_view(2, "round")
    with pytest.raises(ValueError, match="^reg_covar must be >= 0"):
        mixture_fit_view(2, "full", -1.0)
    with pytest.raises(ValueError, match="^prior must be None"):
        mixture_fit_view(2, "full", 1e-6, "flat")


def _png_size(w):
    return Image.open(io.BytesIO(bytes(w.image.value))).size


def test_em_path_widget_wiring_and_picture():
    from mle_lib import widgets

    w = widgets.em_path_explorer()
    assert w.controls["iteration"].max == em_path().n_iter
    before = bytes(w.image.value)
    assert w.set(iteration=5) == em_iteration_view(5).readout()
    assert bytes(w.image.value) != before
    assert _png_size(w) == (round(w.figsize[0] * widgets.DPI), round(w.figsize[1] * widgets.DPI))


def test_mixture_fit_widget_wiring_and_picture():
    from mle_lib import widgets

    w = widgets.mixture_fit_explorer()
    before = bytes(w.image.value)
    assert w.set(n_components=3) == mixture_fit_view(3, "full", 1e-6, None).readout()
    assert bytes(w.image.value) != before
    assert w.set(covariance_type="tied", prior="default") == mixture_fit_view(3, "tied", 1e-6, "default").readout()
    assert _png_size(w) == (round(w.figsize[0] * widgets.DPI), round(w.figsize[1] * widgets.DPI))
