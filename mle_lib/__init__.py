"""mle_lib — the helper library of the MLE & EM course.

Every public name a lecture or homework calls is importable from here.  ``import mle_lib`` imports
neither matplotlib, ipywidgets nor scikit-learn: plotting lives in :mod:`mle_lib.plotting` (imported
on demand), and the scikit-learn estimator :class:`GaussianMixture` (with
:func:`select_n_components` and scikit-learn's ``NotFittedError``) is loaded from
:mod:`mle_lib.gaussian_mixture` the first time one of those names is used.
"""

from importlib import import_module
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as _version
from typing import Any

try:
    __version__ = _version("mle-lib")
except PackageNotFoundError:  # pragma: no cover - only when run from an uninstalled tree
    __version__ = "0.0.0"

from .bayes import bayes_factor, hypothesis_densities, posterior_crossings, posterior_odds, posterior_probs
from .binomial_mixture import (
    BinomialEMResult,
    binomial_e_step,
    binomial_em,
    binomial_log_pmf,
    binomial_m_step,
    binomial_mixture_loglik,
)
from .datasets import (
    COIN_100_CANDIDATES,
    COIN_100_FLIPS,
    COIN_100_HEADS,
    DECK2_SAMPLE,
    FLIPS_14,
    HAT_TRICK_MEANS,
    HAT_TRICK_X,
    HAT_TRICK_X_ALT,
    HHTHH,
    TWO_COINS_HEADS,
    TWO_COINS_LABELS,
    TWO_COINS_PUBLISHED,
    TWO_COINS_START,
    TWO_COINS_TOSSES,
    deck1_mstep_table,
    deck1_two_component_run,
    flips_to_binary,
    load_old_faithful,
)
from .estimators import bernoulli_mle, binomial_mle, normal_mle, poisson_mle, uniform_mle
from .likelihood import (
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
    significant_digits,
    uniform_likelihood,
    uniform_loglik,
)
from .mixture import default_prior, e_step, lower_bound, m_step, mixture_logpdf
from .numerical import NumericalMLE, numerical_mle
from .order_stats import (
    uniform_max_bias,
    uniform_max_expectation,
    uniform_max_pdf,
    uniform_min_pdf,
    uniform_mle_unbiased,
    uniform_upper_unbiased,
)
from .simulation import (
    EstimatorSummary,
    consistency_table,
    estimator_summary,
    prob_within,
    sample_means,
    simulate_estimator,
)

#: Names served by :mod:`mle_lib.gaussian_mixture`, imported (with scikit-learn) on first use.
_LAZY = {"GaussianMixture", "NotFittedError", "select_n_components"}

__all__ = [
    # estimators (closed-form MLEs)
    "bernoulli_mle",
    "binomial_mle",
    "normal_mle",
    "poisson_mle",
    "uniform_mle",
    # likelihood (log-likelihoods, numerical MLE, Fisher information)
    "bernoulli_likelihood",
    "bernoulli_loglik",
    "binomial_likelihood",
    "binomial_loglik",
    "normal_likelihood",
    "normal_loglik",
    "poisson_likelihood",
    "poisson_loglik",
    "uniform_likelihood",
    "uniform_loglik",
    "pick_mle",
    "significant_digits",
    "numerical_mle",
    "NumericalMLE",
    "fisher_information",
    # order statistics
    "uniform_max_bias",
    "uniform_max_expectation",
    "uniform_max_pdf",
    "uniform_min_pdf",
    "uniform_mle_unbiased",
    "uniform_upper_unbiased",
    # the hat trick
    "bayes_factor",
    "hypothesis_densities",
    "posterior_odds",
    "posterior_probs",
    "posterior_crossings",
    # simulation
    "EstimatorSummary",
    "consistency_table",
    "estimator_summary",
    "prob_within",
    "sample_means",
    "simulate_estimator",
    # EM for Gaussian mixtures
    "e_step",
    "m_step",
    "mixture_logpdf",
    "lower_bound",
    "default_prior",
    "GaussianMixture",
    "NotFittedError",
    "select_n_components",
    # EM beyond Gaussians: mixtures of binomials
    "binomial_log_pmf",
    "binomial_e_step",
    "binomial_m_step",
    "binomial_mixture_loglik",
    "binomial_em",
    "BinomialEMResult",
    # data
    "COIN_100_CANDIDATES",
    "COIN_100_FLIPS",
    "COIN_100_HEADS",
    "DECK2_SAMPLE",
    "FLIPS_14",
    "HAT_TRICK_MEANS",
    "HAT_TRICK_X",
    "HAT_TRICK_X_ALT",
    "HHTHH",
    "TWO_COINS_HEADS",
    "TWO_COINS_LABELS",
    "TWO_COINS_PUBLISHED",
    "TWO_COINS_START",
    "TWO_COINS_TOSSES",
    "deck1_mstep_table",
    "deck1_two_component_run",
    "flips_to_binary",
    "load_old_faithful",
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(import_module(".gaussian_mixture", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | _LAZY)
