"""``GaussianMixture``: EM for Gaussian mixtures as a scikit-learn estimator.

This module imports scikit-learn; ``import mle_lib`` loads it only when one of its names is first
used, so the MLE chapters never pay for it.  It stands beside the lecture functions of
:mod:`mle_lib.mixture` on the same layers and calls none of them: validation in
:mod:`mle_lib._mixture_params`, one unit per covariance type in :mod:`mle_lib._covariance_types`,
the kernels (M-step, prior, posterior) in :mod:`mle_lib._mixture_numerics` and the fused EM sweeps
in :mod:`mle_lib._em_sweeps`.  This module holds the estimator: its parameters, the initialisation,
the EM loop and model selection.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from numbers import Integral, Real
from typing import Any, ClassVar

import numpy as np
from numpy.typing import ArrayLike
from sklearn.base import BaseEstimator, DensityMixin, _fit_context
from sklearn.cluster import KMeans, kmeans_plusplus
from sklearn.exceptions import ConvergenceWarning, NotFittedError
from sklearn.metrics import pairwise_distances_argmin
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted, validate_data

from . import _mixture_numerics as _nx
from . import _mixture_params as _pp
from ._checks import check_int, check_int_sequence
from ._covariance import Factors, SufficientStats
from ._covariance_types import COVARIANCE_TYPES, CovarianceType
from ._em_sweeps import Engine

__all__ = ["GaussianMixture", "NotFittedError", "select_n_components"]

INIT_PARAMS = ("kmeans", "k-means++", "random", "random_from_data")


# ----------------------------------------------------------------------------------------------
# Typed configuration and results
# ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _FitConfig:
    """Everything ``fit`` needs, validated once against the training data."""

    n_components: int
    unit: CovarianceType
    tol: float
    reg_covar: float
    max_iter: int
    n_init: int
    verbose: int
    verbose_interval: int
    hard: bool
    fixed: frozenset[str]
    weights_init: np.ndarray | None
    means_init: np.ndarray | None
    covariances_init: np.ndarray | None
    prior: dict[str, Any] | None
    rng: np.random.RandomState
    floor: np.ndarray
    strict: bool  # pure ML (reg_covar = 0, no prior): a numerically singular covariance is a collapse

    @property
    def all_given(self) -> bool:
        """Whether weights, means and covariances are all given (no initialisation needed)."""
        return self.weights_init is not None and self.means_init is not None and self.covariances_init is not None


@dataclass
class _Parameters:
    """One set of mixture parameters (π, μ, Σ) with the Cholesky factors of Σ."""

    weights: np.ndarray
    means: np.ndarray
    covariances: np.ndarray
    factors: Factors


@dataclass
class _Run:
    """The outcome of EM from one start."""

    params: _Parameters
    n_iter: int
    converged: bool
    lower_bound: float
    lower_bounds: list[float]
    loglik_history: np.ndarray
    objective_history: np.ndarray


# ----------------------------------------------------------------------------------------------
# Random state: scikit-learn's conventions on top of numpy Generators
# ----------------------------------------------------------------------------------------------


def _as_random_state(random_state: object) -> np.random.RandomState:
    """scikit-learn's random state from what its users pass, or from a numpy Generator.

    None, an int or a ``RandomState`` mean what they mean in scikit-learn
    (:func:`sklearn.utils.check_random_state`): an int gives the same fit every time, a shared
    ``RandomState`` is consumed, so two fits sharing one differ.  A ``Generator`` or
    ``SeedSequence`` (numpy's modern interface, which the course uses) seeds a ``RandomState``
    from its next draws.  All the randomness of a fit comes from this one stream, in the same
    order as scikit-learn's, so the same int seed gives scikit-learn's initialisation.
    """
    if isinstance(random_state, np.random.SeedSequence):
        return np.random.RandomState(random_state.generate_state(4))
    if isinstance(random_state, np.random.Generator):
        return np.random.RandomState(random_state.integers(0, 2**32, size=4, dtype=np.uint32))
    return check_random_state(random_state)


# ----------------------------------------------------------------------------------------------
# Precisions (scikit-learn's alternative to covariances_init)
# ----------------------------------------------------------------------------------------------


def _precisions_to_covariances(precisions: ArrayLike, unit: CovarianceType, K: int, D: int) -> np.ndarray:
    """Covariances from user-given precisions Σ⁻¹, checked with scikit-learn's messages."""
    p = np.asarray(precisions, dtype=float)
    shape = unit.shape(K, D)
    label = f"'{unit.name} precision'"
    if p.shape != shape:
        raise ValueError(f"precisions_init: The parameter {label} should have the shape of {shape}, but got {p.shape}")
    if not np.all(np.isfinite(p)):
        raise ValueError(f"precisions_init must be finite; the parameter {label} has NaN or infinite entries")
    return unit.from_precisions(p, label)


# ----------------------------------------------------------------------------------------------
# Initial responsibilities
# ----------------------------------------------------------------------------------------------


def _ensure_nonempty(Xc: np.ndarray, labels: np.ndarray, K: int) -> np.ndarray:
    """Give every empty cluster the sample farthest from its cluster's mean (taken from a cluster of ≥ 2)."""
    counts = np.bincount(labels, minlength=K)
    for k in np.flatnonzero(counts == 0):
        centres = np.array([Xc[labels == j].mean(axis=0) if counts[j] else Xc[0] for j in range(K)])
        diff = Xc - centres[labels]
        dist = np.where(counts[labels] > 1, np.einsum("nd,nd->n", diff, diff), -1.0)
        i = int(np.argmax(dist))
        counts[labels[i]] -= 1
        labels[i] = k
        counts[k] += 1
    return labels


def _initial_resp(X: np.ndarray, K: int, init_params: str, rng: np.random.RandomState) -> np.ndarray:
    """Component-major (K, N) starting responsibilities; every component owns at least one sample.

    The draws are scikit-learn's, from the same random state in the same order: ``KMeans(n_init=1)``
    for 'kmeans', ``kmeans_plusplus`` for 'k-means++', uniform responsibilities for 'random', K
    distinct samples for 'random_from_data'.  Unlike scikit-learn, the two seeding methods assign
    every sample to its nearest seed (scikit-learn gives each component its seed alone, a start
    with Σ = reg_covar·I), and no component starts empty.
    """
    N = X.shape[0]
    if init_params == "random":
        resp = rng.uniform(size=(N, K)).T
        return resp / resp.sum(axis=0)
    Xc = X - X.mean(axis=0)
    if init_params == "kmeans":
        labels = KMeans(n_clusters=K, n_init=1, random_state=rng).fit(Xc).labels_.astype(np.intp)
    else:
        if init_params == "k-means++":
            _, seeds = kmeans_plusplus(Xc, K, random_state=rng)
        else:
            seeds = rng.choice(N, size=K, replace=False)
        labels = pairwise_distances_argmin(Xc, Xc[seeds])
        labels[seeds] = np.arange(K)  # a seed owns itself, even when duplicated elsewhere
    labels = _ensure_nonempty(Xc, labels, K)
    resp = np.zeros((K, N))
    resp[labels, np.arange(N)] = 1.0
    return resp


# ----------------------------------------------------------------------------------------------
# The estimator
# ----------------------------------------------------------------------------------------------


class GaussianMixture(DensityMixin, BaseEstimator):
    """Gaussian mixture fitted by EM — a scikit-learn estimator, with the decks' variants.

    A drop-in for :class:`sklearn.mixture.GaussianMixture` (same parameters, attributes and
    methods; it works in :class:`~sklearn.pipeline.Pipeline`, :class:`~sklearn.model_selection.GridSearchCV`
    and :func:`~sklearn.base.clone`), plus classification EM, fixed parameters, MAP-EM with a
    conjugate prior and the log-likelihood history a lecture plots.

    Parameters
    ----------
    n_components : int, default 1
        K, the number of components (1 ≤ K ≤ n_samples).
    covariance_type : {'full', 'tied', 'diag', 'spherical'}, default 'full'
        Each component its own full Σ_k; one Σ shared by all; diagonal Σ_k; σ²_k I.
    tol : float, default 1e-3
        Convergence threshold on the change of the *mean per-sample* objective (see Notes).
        ``tol=0`` runs exactly ``max_iter`` iterations.
    reg_covar : float, default 1e-6
        Added to the diagonal of every ML covariance update (scikit-learn's rule), so that a
        component that collapses onto a point keeps a positive-definite Σ_k.  With ``prior`` it is
        added to the prior's scale instead (so the MAP objective stays exact).
    max_iter : int, default 100
        Maximum number of EM iterations per initialisation.  ``max_iter=0`` returns the
        initialisation itself (no warning), as in scikit-learn.
    n_init : int, default 1
        Number of initialisations; the one with the largest ``lower_bound_`` is kept.
    init_params : {'kmeans', 'k-means++', 'random', 'random_from_data'}, default 'kmeans'
        How the starting responsibilities are made (then one M-step gives the starting parameters):
        scikit-learn's k-means (one run) or k-means++ seeds, uniform random responsibilities, or K
        distinct samples as seeds.  Seeds assign every sample to the nearest seed; every component
        keeps at least one sample.
    weights_init, means_init : array_like, optional
        Starting weights (K,) and means (K, D).
    covariances_init : array_like, optional
        Starting **covariances** in scikit-learn's shape for ``covariance_type`` (the table of
        :func:`mle_lib.e_step`).
    precisions_init : array_like, optional
        Starting **precisions** Σ⁻¹ in the same shapes (scikit-learn's parameter); give this or
        ``covariances_init``, not both.  When weights, means and covariances (or precisions) are
        all given, ``init_params`` and ``n_init`` do not matter.
    random_state : int, RandomState, numpy Generator, SeedSequence or None
        Seeds the initialisation and :meth:`sample`.  The same int gives bit-identical fits.
    warm_start : bool, default False
        If True, each ``fit`` after the first starts from the parameters the previous one ended
        with (``n_init`` is then ignored), as in scikit-learn.
    verbose : int, default 0
        1 prints one line per initialisation, 2 also one line per ``verbose_interval`` iterations.
    verbose_interval : int, default 10
        Iterations between two lines printed with ``verbose=2``.
    classification : bool, default False
        Classification ("hard") EM, deck 1's "Classification EM": after each E-step every
        responsibility column is rounded to one-hot (largest γ wins; ties to the lowest index).
    fixed : set of {'weights', 'means', 'covariances'}, optional
        Parameters held at their ``*_init`` values while EM updates the rest, e.g. deck 1's
        restricted model ``fixed={'weights', 'covariances'}`` with σ₁ = σ₂ and τ = 0.5.
    prior : None, 'default' or dict, default None
        MAP-EM (deck 2's "Bayesian treatment" of singularities) with mclust's conjugate prior;
        ``'default'`` = :func:`~mle_lib.default_prior` of the training data, or a dict with any of
        ``shrinkage``, ``mean``, ``dof``, ``scale`` overriding it.

    Attributes
    ----------
    weights_ : ndarray of shape (K,)
    means_ : ndarray of shape (K, D)
    covariances_ : ndarray in scikit-learn's shape for ``covariance_type``
    precisions_, precisions_cholesky_ : ndarray
        As in scikit-learn (Σ⁻¹ = U Uᵀ with U upper triangular for full/tied).
    converged_ : bool
    n_iter_ : int
        EM iterations (E-step + M-step) of the best initialisation.
    lower_bound_ : float
        As in scikit-learn: the objective (mean per-sample log-likelihood for plain EM) evaluated
        in the E-step of the *last* iteration, i.e. at the parameters before the last M-step
        (−∞ when ``max_iter=0``).  The value at the returned parameters is
        ``loglik_history_[-1]`` (= ``score(X)``).
    lower_bounds_ : list of float
        ``lower_bound_`` of every iteration of the best initialisation (scikit-learn's).
    loglik_history_ : ndarray of shape (``n_iter_`` + 1,)
        Mean per-sample log-likelihood ln p(X)/N at the start and after every iteration — the
        curve a lecture plots.  ``loglik_history_[-1] == score(X)``.
    objective_history_ : ndarray of shape (``n_iter_`` + 1,)
        The per-sample objective EM climbs: the log-likelihood; with ``classification`` the
        classification log-likelihood Σ_n max_k ln π_k N(x_n|μ_k,Σ_k); with ``prior`` plus
        ln p(θ)/N.  It never decreases when ``reg_covar = 0`` (or with a prior).
    prior_ : dict or None
        The prior actually used (with ``reg_covar`` folded into its scale).
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        Only when ``X`` had string column names (a pandas DataFrame).

    Notes
    -----
    **Design choices that differ from scikit-learn's estimator** (each shown by a test in
    ``tests/test_gaussian_mixture_sklearn.py``):

    * A 1-D ``X`` is read as N samples of one feature (a lecture's data are 1-D); scikit-learn
      refuses it.  ``check_estimator``'s ``check_fit1d`` therefore fails, on purpose.
    * scikit-learn adds 10·ε to every N_k before dividing (π_k = (N_k + 10ε)/N); we use the exact
      N_k, so an empty component gets weight N_k/N rather than 10ε/N.
    * We compute every covariance and log-density on centred data (x − μ_k) through Cholesky
      factors; scikit-learn expands ‖U(x − μ)‖² as X·U − μ·U, which loses accuracy when the data sit
      far from the origin (relative error ~1e-8 at an offset of 1e8; ours ~1e-15).
    * 'k-means++' and 'random_from_data' assign every sample to its nearest seed (see ``init_params``).
    * Only float64 is computed (float32 input is converted).

    **Convergence test** (scikit-learn's): iteration t evaluates the objective at the current
    parameters in its E-step, then updates them in its M-step; EM stops after the first iteration
    whose E-step value differs from the previous one by less than ``tol`` in absolute value (the
    first iteration compares against −∞, or against ``lower_bound_`` of the previous fit with
    ``warm_start``).  A fit whose best initialisation did not converge warns with scikit-learn's
    :class:`~sklearn.exceptions.ConvergenceWarning`, except when ``max_iter=0`` (as scikit-learn) or
    ``tol=0`` (unlike scikit-learn: ``tol=0`` asks for exactly ``max_iter`` iterations, as a lecture does
    to plot a fixed number of steps, so not converging is what was asked for).

    **What is monotone.**  Each EM iteration never lowers ln p(X) when ``reg_covar = 0`` (the
    M-step maximises the expected complete-data log-likelihood); classification EM never lowers
    the classification log-likelihood; MAP-EM never lowers ln p(X) + ln p(θ) whatever
    ``reg_covar`` (it is part of the prior).  Holding ``fixed`` parameters keeps these properties.
    ML-EM with ``reg_covar > 0`` is *not* monotone for any fixed objective: Σ = S + εI is not a
    maximiser of the expected log-likelihood.

    **Collapse and empty components.**  The likelihood is unbounded when a component shrinks onto
    a point or a subspace.  An update is a *collapse*, and raises a ``ValueError`` naming
    ``reg_covar``, when its covariance is not positive definite or a Cholesky pivot falls below
    what double precision resolves for these data (:func:`mle_lib._mixture_numerics.variance_resolution`).
    ``fit`` refuses features spanning more than 1e100 or less than 1e-100 (but not 0).  A
    component whose total responsibility N_k falls below 1e-250 is *empty*: in ML it keeps its
    mean and covariance and gets weight N_k/N; under a prior it moves to the prior's mode.  No
    NaN is ever produced.

    **The M-step rules.**  ML and MAP (Fraley & Raftery 2007, Table 2) for each covariance type
    are written once, in the docstrings of that type's unit (``ml_covariance``, ``map_covariance``
    in :mod:`mle_lib._covariance_types`), and the means' and weights' rules in
    :func:`mle_lib._mixture_numerics.m_update`; :func:`~mle_lib.m_step` applies the same code.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> X = np.concatenate([rng.normal(-3, 1, 300), rng.normal(3, 1, 200)])
    >>> gm = GaussianMixture(2, random_state=0).fit(X)
    >>> print(np.round(np.sort(gm.means_.ravel()), 1))
    [-3.  3.]
    """

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "n_components": [Interval(Integral, 1, None, closed="left")],
        "covariance_type": [StrOptions(set(COVARIANCE_TYPES))],
        "tol": [Interval(Real, 0.0, None, closed="left")],
        "reg_covar": [Interval(Real, 0.0, None, closed="left")],
        "max_iter": [Interval(Integral, 0, None, closed="left")],
        "n_init": [Interval(Integral, 1, None, closed="left")],
        "init_params": [StrOptions(set(INIT_PARAMS))],
        "weights_init": ["array-like", None],
        "means_init": ["array-like", None],
        "covariances_init": ["array-like", None],
        "precisions_init": ["array-like", None],
        "random_state": ["random_state", np.random.Generator, np.random.SeedSequence],
        "warm_start": ["boolean"],
        "verbose": ["verbose"],
        "verbose_interval": [Interval(Integral, 1, None, closed="left")],
        "classification": ["boolean"],
        "fixed": [None, str, list, tuple, set, frozenset],
        "prior": [None, StrOptions({"default"}), dict],
    }

    def __init__(
        self,
        n_components: int = 1,
        *,
        covariance_type: str = "full",
        tol: float = 1e-3,
        reg_covar: float = 1e-6,
        max_iter: int = 100,
        n_init: int = 1,
        init_params: str = "kmeans",
        weights_init: ArrayLike | None = None,
        means_init: ArrayLike | None = None,
        covariances_init: ArrayLike | None = None,
        precisions_init: ArrayLike | None = None,
        random_state: object = None,
        warm_start: bool = False,
        verbose: int = 0,
        verbose_interval: int = 10,
        classification: bool = False,
        fixed: Iterable[str] | None = None,
        prior: dict[str, Any] | str | None = None,
    ) -> None:
        self.n_components = n_components
        self.covariance_type = covariance_type
        self.tol = tol
        self.reg_covar = reg_covar
        self.max_iter = max_iter
        self.n_init = n_init
        self.init_params = init_params
        self.weights_init = weights_init
        self.means_init = means_init
        self.covariances_init = covariances_init
        self.precisions_init = precisions_init
        self.random_state = random_state
        self.warm_start = warm_start
        self.verbose = verbose
        self.verbose_interval = verbose_interval
        self.classification = classification
        self.fixed = fixed
        self.prior = prior

    # -- input ---------------------------------------------------------------------------------
    def _validate_X(self, X: ArrayLike, *, reset: bool) -> np.ndarray:
        """scikit-learn's validation (finite float64, no sparse matrices), 1-D read as one feature."""
        one_feature = reset or getattr(self, "n_features_in_", None) == 1
        if one_feature and not hasattr(X, "toarray") and np.ndim(X) == 1:
            X = np.reshape(np.asarray(X), (-1, 1))  # else scikit-learn says "Reshape your data"
        try:
            Xv = validate_data(self, X, reset=reset, dtype=np.float64, ensure_min_samples=1 if not reset else 2)
        except (TypeError, ValueError) as exc:
            if str(exc).startswith("X") or "input X" in str(exc) or "Input X" in str(exc):
                raise
            raise type(exc)(f"X: {exc}") from None  # name the argument, keep scikit-learn's words
        return np.ascontiguousarray(Xv)

    def _check_starts(
        self, X: np.ndarray, unit: CovarianceType
    ) -> tuple[frozenset[str], np.ndarray | None, np.ndarray | None, np.ndarray | None]:
        """Validate ``fixed`` and the given starting parameters against X: (fixed, w0, m0, c0)."""
        N, D = X.shape
        K = self.n_components
        if K > N:
            raise ValueError(f"n_components must be <= n_samples = {N}; got n_components = {K}")
        fixed = _pp.check_fixed(self.fixed)
        w0 = _pp.check_weights(self.weights_init, K, "weights_init") if self.weights_init is not None else None
        m0 = _pp.check_means(self.means_init, K, D, "means_init") if self.means_init is not None else None
        if self.covariances_init is not None and self.precisions_init is not None:
            raise ValueError("covariances_init and precisions_init are two ways to give the same start; give one")
        c0 = None
        if self.covariances_init is not None:
            c0, _ = _pp.check_covariances(self.covariances_init, unit, K, D, "covariances_init")
        elif self.precisions_init is not None:
            c0 = _precisions_to_covariances(self.precisions_init, unit, K, D)
            c0, _ = _pp.check_covariances(c0, unit, K, D, "precisions_init (as covariances)")
        for name, val in (("weights", w0), ("means", m0), ("covariances", c0)):
            if name in fixed and val is None:
                init = f"{name}_init" + (" or precisions_init" if name == "covariances" else "")
                raise ValueError(f"fixed contains {name!r}, so {init} must be given")
        return fixed, w0, m0, c0

    def _resolve(
        self,
        X: np.ndarray,
        unit: CovarianceType,
        starts: tuple[frozenset[str], np.ndarray | None, np.ndarray | None, np.ndarray | None],
    ) -> _FitConfig:
        """Everything the EM loop needs, resolved once: the prior, the resolution floor, the random state."""
        fixed, w0, m0, c0 = starts
        reg = float(self.reg_covar)
        prior = _pp.resolve_prior(self.prior, X, self.n_components, unit, reg)
        return _FitConfig(
            n_components=self.n_components,
            unit=unit,
            tol=float(self.tol),
            reg_covar=reg,
            max_iter=int(self.max_iter),
            n_init=int(self.n_init),
            verbose=int(self.verbose),
            verbose_interval=int(self.verbose_interval),
            hard=bool(self.classification),
            fixed=fixed,
            weights_init=w0,
            means_init=m0,
            covariances_init=c0,
            prior=prior,
            rng=_as_random_state(self.random_state),
            floor=_nx.variance_resolution(X),
            strict=(reg == 0.0 and prior is None),
        )

    # -- initialisation ------------------------------------------------------------------------
    def _initial_parameters(self, X: np.ndarray, cfg: _FitConfig) -> _Parameters:
        """The start of one initialisation: the given parameters, else one M-step from ``_initial_resp``."""
        K, unit = cfg.n_components, cfg.unit
        N, D = X.shape
        if cfg.all_given:
            w, m, c = cfg.weights_init.copy(), cfg.means_init.copy(), cfg.covariances_init.copy()  # type: ignore[union-attr]
        else:
            resp = _initial_resp(X, K, self.init_params, cfg.rng)
            stats = _nx.exact_stats(X, resp, unit, np.broadcast_to(X.mean(axis=0), (K, D)))
            w, m, c = _nx.m_update(
                stats, n_samples=N, unit=unit, reg_covar=cfg.reg_covar, prev=None, fixed=frozenset(), prior=cfg.prior
            )
            w = w if cfg.weights_init is None else cfg.weights_init.copy()
            m = m if cfg.means_init is None else cfg.means_init.copy()
            c = c if cfg.covariances_init is None else cfg.covariances_init.copy()
        f = _nx.checked_factors(
            c,
            unit,
            K,
            D,
            floor=cfg.floor if cfg.covariances_init is None else None,  # a given start is only checked for PD
            strict=cfg.strict,
            what="initial covariances",
            message=f"{{cause}} (from init_params={self.init_params!r}); increase reg_covar (now {cfg.reg_covar}) "
            "or give covariances_init",
        )
        return _Parameters(w, m, c, f)

    def _current_parameters(self) -> _Parameters:
        return _Parameters(self.weights_, self.means_, self.covariances_, self._factors)

    # -- EM ------------------------------------------------------------------------------------
    def _objective(self, ll: float, cl: float, p: _Parameters, cfg: _FitConfig) -> float:
        """What EM climbs: ln p(X), or the classification log-likelihood, plus ln p(θ) with a prior."""
        obj = cl if cfg.hard else ll
        if cfg.prior is not None:
            obj += _nx.log_prior(p.means, p.covariances, p.factors, cfg.prior)
        return obj

    def _m_step(self, stats: SufficientStats, p: _Parameters, cfg: _FitConfig, n_iter: int, N: int) -> _Parameters:
        """The shared M-step, then the one collapse check."""
        w, m, c = _nx.m_update(
            stats,
            n_samples=N,
            unit=cfg.unit,
            reg_covar=cfg.reg_covar,
            prev=(p.weights, p.means, p.covariances),
            fixed=cfg.fixed,
            prior=cfg.prior,
        )
        if cfg.prior is None:
            hint = f"increase reg_covar (now {cfg.reg_covar}) or use prior='default'"
        else:
            hint = (
                "the prior's scale is too ill-conditioned for this data; increase reg_covar "
                f"(now {cfg.reg_covar}, added to the prior's scale)"
            )
        f = _nx.checked_factors(
            c,
            cfg.unit,
            cfg.n_components,
            m.shape[1],
            floor=None if "covariances" in cfg.fixed else cfg.floor,
            strict=cfg.strict,
            what="covariances",
            message=f"EM iteration {n_iter}: {{cause}} — the component collapsed onto a point or a subspace; {hint}",
        )
        return _Parameters(w, m, c, f)

    def _run_em(self, engine: Engine, N: int, p: _Parameters, cfg: _FitConfig, start_bound: float) -> _Run:
        """EM from ``p``: at most ``max_iter`` sweeps and M-steps, scikit-learn's convergence rule."""
        hist_ll: list[float] = []
        hist_obj: list[float] = []
        bounds: list[float] = []
        converged = False
        n_iter = 0
        bound = start_bound
        for n_iter in range(1, cfg.max_iter + 1):
            ll, cl, stats = engine.sweep(p.weights, p.means, p.factors, True, cfg.hard)
            assert stats is not None  # asked for
            prev, bound = bound, self._objective(ll, cl, p, cfg) / N
            hist_ll.append(ll / N)
            hist_obj.append(bound)
            bounds.append(bound)
            p = self._m_step(stats, p, cfg, n_iter, N)
            change = bound - prev
            if cfg.verbose >= 2 and n_iter % cfg.verbose_interval == 0:
                print(f"  Iteration {n_iter}: objective {bound:.10g}, change {change:.3g}")
            if abs(change) < cfg.tol:
                converged = True
                break
        ll, cl, _ = engine.sweep(p.weights, p.means, p.factors, False, cfg.hard)
        hist_ll.append(ll / N)
        hist_obj.append(self._objective(ll, cl, p, cfg) / N)
        if cfg.verbose and cfg.max_iter > 0:
            state = "converged" if converged else "did not converge"
            print(f"Initialization {state}: objective {hist_obj[-1]:.10g} after {n_iter} iterations")
        return _Run(
            params=p,
            n_iter=n_iter,
            converged=converged,
            lower_bound=bound if cfg.max_iter > 0 else -math.inf,
            lower_bounds=bounds,
            loglik_history=np.array(hist_ll),
            objective_history=np.array(hist_obj),
        )

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X: ArrayLike, y: object = None) -> GaussianMixture:
        """Estimate the parameters with EM (``n_init`` starts, the best kept); returns self.

        The pipeline, in the order the code runs it:

        1. **validate** — X (scikit-learn's checks, then the span of every feature), the starting
           parameters and ``fixed`` against X (:meth:`_check_starts`); the constructor's parameters
           were checked by scikit-learn's ``_parameter_constraints``;
        2. **resolve** — the covariance type's unit, the prior (``reg_covar`` folded in), the data's
           resolution floor and the random state (:meth:`_resolve`), and the sweep layout
           (:class:`~mle_lib._em_sweeps.Engine`);
        3. **initialise** — per start, the given parameters or one M-step from the initial
           responsibilities (:meth:`_initial_parameters`);
        4. **loop of sweeps** — each iteration one fused sweep (E-step and the statistics) and one
           M-step with the collapse check (:meth:`_run_em`); the best start is kept;
        5. **store** — the fitted attributes (:meth:`_store`).

        Parameters
        ----------
        X : array_like of shape (n_samples, n_features) or (n_samples,)
            A 1-D array is n samples of one feature.
        y : ignored
            Present for scikit-learn's API.

        Returns
        -------
        GaussianMixture
            self, fitted.
        """
        warm = bool(self.warm_start) and hasattr(self, "converged_")
        X = self._validate_X(X, reset=not warm)  # 1. validate
        _pp.check_span(X)
        unit = _pp.covariance_unit(self.covariance_type)
        starts = self._check_starts(X, unit)
        if warm and self.means_.shape != (self.n_components, X.shape[1]):
            raise ValueError(
                f"warm_start: the previous fit has {self.means_.shape[0]} components of dimension "
                f"{self.means_.shape[1]}; n_components and X now ask for {self.n_components} x {X.shape[1]}"
            )
        cfg = self._resolve(X, unit, starts)  # 2. resolve
        engine = Engine(X, cfg.n_components, unit)
        best: _Run | None = None
        for init in range(1 if (warm or cfg.all_given) else cfg.n_init):
            if cfg.verbose:
                print(f"Initialization {init}")
            start = self._current_parameters() if warm else self._initial_parameters(X, cfg)  # 3. initialise
            run = self._run_em(engine, X.shape[0], start, cfg, self.lower_bound_ if warm else -math.inf)  # 4. loop
            if best is None or run.lower_bound > best.lower_bound:
                best = run
        assert best is not None
        if not best.converged and cfg.max_iter > 0 and cfg.tol > 0:  # tol=0 asks for max_iter iterations
            warnings.warn(
                "Best performing initialization did not converge. Try different init parameters, or "
                "increase max_iter, tol, or check for degenerate data. (Its last iteration, "
                f"{best.n_iter}, still changed the mean log-likelihood by more than tol={cfg.tol:g}.)",
                ConvergenceWarning,
                stacklevel=2,
            )
        self._store(best, cfg)  # 5. store
        return self

    def _store(self, run: _Run, cfg: _FitConfig) -> None:
        """The fitted attributes of the best run."""
        p = run.params
        self.weights_ = p.weights
        self.means_ = p.means
        self.covariances_ = p.covariances
        self.precisions_cholesky_ = p.factors.precisions_cholesky()
        self.precisions_ = cfg.unit.precisions(p.factors)
        self.converged_ = bool(run.converged)
        self.n_iter_ = int(run.n_iter)
        self.lower_bound_ = float(run.lower_bound)
        self.lower_bounds_ = run.lower_bounds
        self.loglik_history_ = run.loglik_history
        self.objective_history_ = run.objective_history
        self.prior_ = cfg.prior
        self._factors = p.factors

    def fit_predict(self, X: ArrayLike, y: object = None) -> np.ndarray:
        """Fit, then return the most probable component of every sample (shape (n_samples,))."""
        return self.fit(X).predict(X)

    # -- using a fitted model --------------------------------------------------------------------
    def _check_X(self, X: ArrayLike) -> np.ndarray:
        check_is_fitted(self)
        return self._validate_X(X, reset=False)  # any finite X: far-out points get the limit posterior

    def _posterior(self, X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return _nx.posterior_kn(X, self.weights_, self.means_, self._factors)

    def score_samples(self, X: ArrayLike) -> np.ndarray:
        """ln p(x_n) for every sample, shape (n_samples,)."""
        return self._posterior(self._check_X(X))[0]

    def score(self, X: ArrayLike, y: object = None) -> float:
        """Mean per-sample log-likelihood (1/N) Σ_n ln p(x_n), as scikit-learn's ``score``."""
        return float(np.mean(self.score_samples(X)))

    def predict_proba(self, X: ArrayLike) -> np.ndarray:
        """Responsibilities γ(z_nk), shape (n_samples, n_components) like scikit-learn."""
        return np.ascontiguousarray(self._posterior(self._check_X(X))[1].T)

    def predict(self, X: ArrayLike) -> np.ndarray:
        """The most probable component of every sample, shape (n_samples,)."""
        return self._posterior(self._check_X(X))[1].argmax(axis=0)

    def sample(self, n_samples: int = 1, random_state: object = None) -> tuple[np.ndarray, np.ndarray]:
        """Draw samples from the fitted mixture.

        Parameters
        ----------
        n_samples : int, default 1
        random_state : optional
            Overrides the estimator's ``random_state`` for this draw (an int seed gives the same
            sample on every call, as in scikit-learn).

        Returns
        -------
        X : ndarray of shape (n_samples, n_features)
            Grouped by component, as in scikit-learn.
        labels : ndarray of shape (n_samples,)
            The component of each row.
        """
        check_is_fitted(self)
        if isinstance(n_samples, Integral) and not isinstance(n_samples, bool) and n_samples < 1:
            raise ValueError(f"Invalid value for 'n_samples': {n_samples}. The sampling requires at least one sample.")
        n = check_int(n_samples, "n_samples", minimum=1)
        rng = _as_random_state(self.random_state if random_state is None else random_state)
        K, D = self.means_.shape
        counts = rng.multinomial(n, self.weights_ / self.weights_.sum())
        f = self._factors
        parts = [f.unit.sample(rng.standard_normal((int(counts[k]), D)), k, self.means_[k], f) for k in range(K)]
        return np.vstack(parts), np.repeat(np.arange(K), counts)

    def n_parameters(self) -> int:
        """Number of free parameters (scikit-learn's count, minus any ``fixed`` group).

        K − 1 weights + K·D means + covariance parameters (full K·D(D+1)/2, tied D(D+1)/2,
        diag K·D, spherical K).
        """
        check_is_fitted(self)
        K, D = self.means_.shape
        return _nx.n_parameters(self._factors.unit, K, D, _pp.check_fixed(self.fixed))

    _n_parameters = n_parameters  # scikit-learn's private name, used by its own tests

    def bic(self, X: ArrayLike) -> float:
        """Bayesian information criterion −2 ln p(X) + p ln N (lower is better)."""
        return self._criteria(X)[0]

    def aic(self, X: ArrayLike) -> float:
        """Akaike information criterion −2 ln p(X) + 2p (lower is better)."""
        return self._criteria(X)[1]

    def _criteria(self, X: ArrayLike) -> tuple[float, float]:
        """(BIC, AIC) at X through the one formula, :func:`mle_lib._mixture_numerics.information_criteria`."""
        Xv = self._check_X(X)
        return _nx.information_criteria(float(self._posterior(Xv)[0].sum()), self.n_parameters(), Xv.shape[0])


# ----------------------------------------------------------------------------------------------
# Model selection
# ----------------------------------------------------------------------------------------------


def select_n_components(
    X: ArrayLike,
    n_components_range: Iterable[int],
    covariance_types: Iterable[str] = ("full",),
    *,
    criterion: str = "bic",
    random_state: object = None,
    **gmm_params: object,
) -> np.ndarray:
    """Fit a mixture for every K and covariance type; return the BIC/AIC table a lecture plots.

    Parameters
    ----------
    X : array_like of shape (n_samples, n_features) or (n_samples,)
    n_components_range : iterable of int
        The K values to try.
    covariance_types : iterable of str
        Any of 'full', 'tied', 'diag', 'spherical'.
    criterion : {'bic', 'aic'}
        Which column decides the ``best`` row (the minimum).
    random_state : int, Generator or None
        Passed to every fit (an int gives every fit the same seed: reproducible).
    **gmm_params
        Further :class:`GaussianMixture` arguments (``n_init``, ``tol``, ``reg_covar``, ...).

    Returns
    -------
    numpy structured array, one row per (K, covariance_type), with fields
        ``K`` (int), ``covariance_type`` (str), ``bic``, ``aic``, ``loglik`` (the *total*
        ln p(X)), ``n_parameters`` (int), ``converged`` (bool) and ``best`` (bool, the row with the
        smallest ``criterion``).  ``table["K"]``, ``table["bic"]`` plot directly.

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> X = np.concatenate([rng.normal(-4, 1, 200), rng.normal(4, 1, 200)])
    >>> t = select_n_components(X, [1, 2, 3], random_state=0)
    >>> int(t["K"][t["best"]][0])
    2
    """
    ks = check_int_sequence(n_components_range, "n_components_range", minimum=1)
    if isinstance(covariance_types, str):
        covariance_types = (covariance_types,)
    cts = list(covariance_types)
    if not cts:
        raise ValueError("covariance_types must not be empty")
    bad = [ct for ct in cts if not isinstance(ct, str) or ct not in COVARIANCE_TYPES]
    if bad:
        raise ValueError(f"covariance_types must contain only {COVARIANCE_TYPES}; got {bad}")
    if criterion not in ("bic", "aic"):
        raise ValueError(f"criterion must be 'bic' or 'aic'; got {criterion!r}")
    dtype = [
        ("K", np.int64),
        ("covariance_type", "U9"),
        ("bic", float),
        ("aic", float),
        ("loglik", float),
        ("n_parameters", np.int64),
        ("converged", bool),
        ("best", bool),
    ]
    rows = []
    for ct in cts:
        for k in ks:
            gm = GaussianMixture(k, covariance_type=ct, random_state=random_state, **gmm_params)  # type: ignore[arg-type]
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ConvergenceWarning)  # reported in the 'converged' column
                gm.fit(X)
            Xv = gm._validate_X(X, reset=False)
            loglik = float(gm.score_samples(Xv).sum())
            p = gm.n_parameters()
            bic, aic = _nx.information_criteria(loglik, p, Xv.shape[0])
            rows.append((k, ct, bic, aic, loglik, p, gm.converged_, False))
    table = np.array(rows, dtype=dtype)
    table["best"][int(np.argmin(table[criterion]))] = True
    return table
