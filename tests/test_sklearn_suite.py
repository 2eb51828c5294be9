"""scikit-learn's own tests for its GaussianMixture, run against ``mle_lib.GaussianMixture``.

The test functions are imported from the module inside the pinned scikit-learn wheel
(``sklearn.mixture.tests.test_gaussian_mixture``); the only change is that the name
``GaussianMixture`` in that module is rebound to ours for the duration of each test (the autouse
fixture below).  Nothing is copied.  Tests of scikit-learn's *private* helpers are excluded, each
with its reason in ``EXCLUDED``; everything that exercises public behaviour runs.
"""

from __future__ import annotations

import numpy as np
import pytest
import sklearn
import sklearn.mixture.tests.test_gaussian_mixture as sk_tests
from packaging.version import Version

import mle_lib

#: Tests not run, and why.  A test listed here must exist in scikit-learn's module (checked below).
EXCLUDED: dict[str, str] = {
    # --- scikit-learn's private helpers, called directly -----------------------------------------
    "test_suffstat_sk_full": "tests sklearn's private _estimate_gaussian_covariances_full",
    "test_suffstat_sk_tied": "tests sklearn's private _estimate_gaussian_covariances_tied",
    "test_suffstat_sk_diag": "tests sklearn's private _estimate_gaussian_covariances_diag",
    "test_gaussian_suffstat_sk_spherical": "tests sklearn's private _estimate_gaussian_covariances_spherical",
    "test_compute_log_det_cholesky": "tests sklearn's private _compute_log_det_cholesky",
    "test_gaussian_mixture_log_probabilities": "tests sklearn's private _estimate_log_gaussian_prob",
    "test_gaussian_mixture_estimate_log_prob_resp": "calls the estimator's private _estimate_log_prob_resp",
    "test_gaussian_mixture_precisions_init": "calls the estimator's private _set_parameters and _initialize",
    "test_gaussian_mixture_all_init_does_not_estimate_gaussian_parameters": (
        "counts calls of sklearn's private _estimate_gaussian_parameters with a mock"
    ),
    # --- a genuine collapse that scikit-learn survives by rounding noise -------------------------
    "test_gaussian_mixture_setting_best_params": (
        "its start (precision 1e6, reg_covar=0) leaves component 0 owning exactly one sample, so the M-step "
        "variance is exactly 0: a collapse onto a point. scikit-learn carries on with rounding noise (3.6e-16) "
        "as the variance; we raise the documented collapse error naming reg_covar (test below)"
    ),
    # --- the array API (numpy only here) ----------------------------------------------------------
    "test_gaussian_mixture_array_api_compliance": "array API namespaces (torch, cupy, ...): we compute in numpy",
    "test_gaussian_mixture_raises_where_array_api_not_implemented": "array API namespaces: numpy only",
    # --- message wording that would make our messages untrue ------------------------------------
    "test_check_weights": (
        "asserts sklearn's wording 'but got max value <min>, min value <max>', which swaps the minimum and "
        "the maximum; ours says the same with the values the right way round (tested in test_mixture.py)"
    ),
    "test_regularisation": (
        "asserts sklearn's collapse message, which advises 'or scale the input data' — rescaling does not "
        "help a component collapsed onto one point; ours names reg_covar and the component (tested below)"
    ),
}


#: Excluded tests that scikit-learn's module gained after its oldest release pyproject.toml allows (1.6, which
#: `make test-compat` installs), with the release that added each: older modules do not have them.
ADDED_LATER: dict[str, str] = {
    "test_gaussian_mixture_array_api_compliance": "1.8",
    "test_gaussian_mixture_raises_where_array_api_not_implemented": "1.8",
}


def _collected() -> list[str]:
    return [name for name in dir(sk_tests) if name.startswith("test_") and callable(getattr(sk_tests, name))]


for _name in _collected():
    if _name not in EXCLUDED:
        globals()[_name] = getattr(sk_tests, _name)


@pytest.fixture(autouse=True)
def _our_estimator(monkeypatch: pytest.MonkeyPatch) -> None:
    """Rebind the estimator scikit-learn's tests use to ours."""
    monkeypatch.setattr(sk_tests, "GaussianMixture", mle_lib.GaussianMixture)


@pytest.fixture
def global_random_seed() -> int:
    """scikit-learn's fixture (its conftest is not loaded here): its default seed, 42."""
    return 42


@pytest.fixture(params=[np.float64], ids=["float64"])
def global_dtype(request: pytest.FixtureRequest) -> type:
    """scikit-learn's fixture: float64 (its float32 runs are opt-in there; we compute in float64)."""
    return request.param


def test_exclusions_name_real_tests() -> None:
    installed = Version(sklearn.__version__)
    expected = {name for name in EXCLUDED if Version(ADDED_LATER.get(name, "0")) <= installed}
    assert expected <= set(_collected()), sorted(expected - set(_collected()))
    assert set(ADDED_LATER) <= set(EXCLUDED)
    assert len(_collected()) - len(EXCLUDED) >= 25  # most of the module runs


def test_the_rebinding_reaches_sklearn_tests() -> None:
    assert sk_tests.GaussianMixture is mle_lib.GaussianMixture


def test_regularisation_names_the_cause_and_the_cure() -> None:
    """scikit-learn's degenerate data (two points repeated, K = N, reg_covar = 0), our message."""
    X = np.vstack((np.ones((5, 5)), np.zeros((5, 5))))
    for covariance_type in ("full", "tied", "diag", "spherical"):
        gm = mle_lib.GaussianMixture(10, reg_covar=0, covariance_type=covariance_type, random_state=0)
        with pytest.raises(ValueError, match="reg_covar"):
            gm.fit(X)
        gm.set_params(reg_covar=1e-6).fit(X)


def test_a_component_on_one_sample_is_a_collapse_not_a_variance_of_rounding_noise() -> None:
    """The start of scikit-learn's test_gaussian_mixture_setting_best_params: component 0 owns one sample."""
    X = np.random.RandomState(0).uniform(size=(30, 3))
    means = np.array(
        [
            [0.670637869618158, 0.21038256107384043, 0.12892629765485303],
            [0.09394051075844147, 0.5759464955561779, 0.929296197576212],
            [0.5033230372781258, 0.9569852381759425, 0.08654043447295741],
            [0.18578301420435747, 0.5531158970919143, 0.19388943970532435],
            [0.4548589928173794, 0.35182513658825276, 0.568146063202464],
            [0.609279894978321, 0.7929063819678847, 0.9620097270828052],
        ]
    )
    precisions = np.array([1e6, 1e6, 553.76, 204.79, 15.87, 85.46])
    weights = np.array([1, 1, 2, 2, 21, 3]) / 30
    resp, _ = mle_lib.e_step(X, weights, means, 1 / precisions, "spherical")
    assert np.count_nonzero(resp[0]) == 1  # exactly one sample has a non-zero responsibility
    gm = mle_lib.GaussianMixture(
        6,
        covariance_type="spherical",
        reg_covar=0,
        weights_init=weights,
        means_init=means,
        precisions_init=precisions,
        max_iter=1,
    )
    with pytest.raises(ValueError, match=r"collapsed onto a point.*reg_covar"):
        gm.fit(X)
    gm.set_params(reg_covar=1e-6)
    with pytest.warns(sk_tests.ConvergenceWarning):
        gm.fit(X)
    assert np.all(gm.covariances_ >= 1e-6)
