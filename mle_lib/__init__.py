"""mle_lib — the helper library of the MLE & EM course.

Every public name a lecture or homework calls is importable from here. ``import mle_lib`` imports
neither matplotlib nor ipywidgets: plotting lives in :mod:`mle_lib.plotting` and is imported on demand.
"""

from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as _version

try:
    __version__ = _version("mle-lib")
except PackageNotFoundError:  # pragma: no cover - only when run from an uninstalled tree
    __version__ = "0.0.0"

# --- estimators (closed-form MLEs) ---------------------------------------------------------------
from .bayes import bayes_factor, hypothesis_densities, posterior_odds, posterior_probs

# --- datasets ---------------------------------------------------------------------------------------
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
    flips_to_binary,
    load_old_faithful,
)
from .estimators import bernoulli_mle, binomial_mle, normal_mle, poisson_mle, uniform_mle

# --- likelihood (log-likelihoods, Fisher information) ----------- ------------------------------
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
    uniform_likelihood,
    uniform_loglik,
)

# --- mixture (EM for Gaussian mixtures) -----------------------------------------------------------
from .mixture import (
    GaussianMixture,
    NotFittedError,
    deck1_mstep_table,
    deck1_two_component_run,
    default_prior,
    e_step,
    m_step,
    mixture_logpdf,
    select_n_components,
)

# --- numerical MLE for any scipy.stats distribution ----------------------------------------------
from .numerical import NumericalMLE, numerical_mle

# --- order statistics, bayes (hat trick), simulation ------------------------------------------------
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
