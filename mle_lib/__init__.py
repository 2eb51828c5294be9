"""mle_lib — the helper library of the MLE & EM course.

Every public name a lecture or homework calls is importable from here. ``import mle_lib`` imports
neither matplotlib nor ipywidgets: plotting lives in :mod:`mle_lib.plotting` and is imported on demand.
"""

from importlib.metadata import PackageNotFoundError, version as _version

try:
    __version__ = _version("mle-lib")
except PackageNotFoundError:  # pragma: no cover - only when run from an uninstalled tree
    __version__ = "0.0.0"

# --- estimators (closed-form MLEs) ---------------------------------------------------------------
# --- likelihood (log-likelihoods, numerical MLE, Fisher information) ------------------------------
# --- order statistics, bayes (hat trick), simulation ------------------------------------------------
# --- mixture (EM for Gaussian mixtures) -----------------------------------------------------------
# --- datasets ---------------------------------------------------------------------------------------
