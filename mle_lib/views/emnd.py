"""Chapter 8's views: EM on Old Faithful step by step, and refits as K, Σ's type, reg_covar and the prior change."""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from .._checks import check_choice, check_int, check_real
from ..datasets import load_old_faithful
from ..mixture import COVARIANCE_TYPES, e_step, m_step

__all__ = [
    "EM_START",
    "EmPath",
    "em_path",
    "EmIterationView",
    "em_iteration_view",
    "MixtureFitView",
    "mixture_fit_view",
    "old_faithful_standardised",
]

#: Chapter 8's starting guess for EM on the standardised data (weights, means, covariances).
EM_START = {
    "weights": ((0.5, 0.5)),
    "means": ((-1.0, 1.5), (1.0, -1.0)),
    "covariances": (((1.0, 0.0), (0.0, 1.0)), ((1.0, 0.0), (0.0, 1.0))),
}
#: Largest K the refit view accepts; BIC and AIC are shown for every K from 1 to this (BIC prefers 2–3).
MAX_COMPONENTS = 6


@lru_cache(maxsize=1)
def old_faithful_standardised() -> np.ndarray:
    """Chapter 8's Z: Old Faithful (272 × 2), each column standardised to mean 0 and sd 1 (read-only)."""
    X = load_old_faithful()
    Z = (X - X.mean(axis=0)) / X.std(axis=0)
    Z.flags.writeable = False
    return Z


@dataclass(frozen=True)
class EmPath:
    """EM's iterates θ₀, θ₁, …, θ_T from chapter 8's start, with the E-step at each.

    ``weights[t]``, ``means[t]``, ``covariances[t]`` are θ_t; ``resp[t]`` (K × n) and ``loglik[t]``
    (ln p(X | θ_t), the total) come from the E-step at θ_t.
    """

    weights: tuple[np.ndarray, ...]
    means: tuple[np.ndarray, ...]
    covariances: tuple[np.ndarray, ...]
    resp: tuple[np.ndarray, ...]
    loglik: np.ndarray
    tol: float

    @property
    def n_iter(self) -> int:
        """The number of iterations of the run (the start not counted)."""
        return len(self.weights) - 1


def em_path(tol: float = 1e-3, max_iter: int = 100) -> EmPath:
    """Run chapter 8's EM loop once (cached): alternate :func:`~mle_lib.e_step` and :func:`~mle_lib.m_step`.

    Plain maximum likelihood (``reg_covar = 0``) from :data:`EM_START`; it stops after the first
    iteration t ≥ 2 whose E-step value ln p(X | θ_{t−1})/n differs from the previous one by less than
    ``tol`` — the chapter's loop, so θ_t here is the notebook's ``iterates[t]``.

    Parameters
    ----------
    tol : float
        ≥ 0 (0: run all ``max_iter`` iterations).
    max_iter : int
        ≥ 1, the most iterations taken.

    Examples
    --------
    >>> path = em_path()
    >>> path.n_iter, bool(np.all(np.diff(path.loglik) >= 0))
    (20, True)
    """
    return _em_path(check_real(tol, "tol", minimum=0.0), check_int(max_iter, "max_iter", minimum=1))


@lru_cache(maxsize=4)
def _em_path(tol: float, max_iter: int) -> EmPath:
    """:func:`em_path` on checked arguments (cached by their values: ``tol=1e-3`` and ``1e-3`` are one run)."""
    Z = old_faithful_standardised()
    N = Z.shape[0]
    w, m, c = (np.array(EM_START[k], dtype=float) for k in ("weights", "means", "covariances"))
    weights, means, covs, resps, lls = [w], [m], [c], [], []
    for t in range(1, max_iter + 1):
        r, ll = e_step(Z, w, m, c)
        resps.append(r)
        lls.append(ll)
        w, m, c = m_step(Z, r, reg_covar=0.0)
        weights.append(w)
        means.append(m)
        covs.append(c)
        if t >= 2 and abs(lls[-1] - lls[-2]) / N < tol:
            break
    r, ll = e_step(Z, w, m, c)
    resps.append(r)
    lls.append(ll)
    for a in (*weights, *means, *covs, *resps):
        a.flags.writeable = False
    return EmPath(tuple(weights), tuple(means), tuple(covs), tuple(resps), np.array(lls), tol)


@dataclass(frozen=True)
class EmIterationView:
    """Chapter 8's EM at iteration t: the data coloured by γ_i2, the two ellipses, the trace.

    Attributes
    ----------
    iteration, n_iter : int
        t and T (the last iteration of the run).
    X : ndarray of shape (n, 2)
        The standardised data.
    weights, means, covariances : ndarray
        θ_t: (2,), (2, 2), (2, 2, 2).
    resp : ndarray of shape (2, n)
        γ_ik at θ_t (component-major).
    trace : ndarray of shape (T + 1,)
        ln p(X | θ_s)/n for s = 0 … T.
    """

    iteration: int
    n_iter: int
    X: np.ndarray
    weights: np.ndarray
    means: np.ndarray
    covariances: np.ndarray
    resp: np.ndarray
    trace: np.ndarray

    @property
    def loglik(self) -> float:
        """ln p(X | θ_t)/n."""
        return float(self.trace[self.iteration])

    def readout(self) -> str:
        """One line: the iteration, ln p(X)/n, the weights and the means."""
        mu = "; ".join(f"μ{k + 1} = ({m[0]:.3f}, {m[1]:.3f})" for k, m in enumerate(self.means))
        return (
            f"EM iteration t = {self.iteration} of {self.n_iter}: ln p(X)/n = {self.loglik:.4f}; "
            f"π = ({self.weights[0]:.3f}, {self.weights[1]:.3f}); {mu}"
        )


def em_iteration_view(iteration: int) -> EmIterationView:
    """Chapter 8's EM (from :data:`EM_START`, tol 1e-3, reg_covar 0) shown at iteration t (0 = the start).

    Examples
    --------
    >>> em_iteration_view(0).readout()
    'EM iteration t = 0 of 20: ln p(X)/n = -3.9714; π = (0.500, 0.500); μ1 = (-1.000, 1.500); μ2 = (1.000, -1.000)'
    >>> em_iteration_view(20).readout()[:48]
    'EM iteration t = 20 of 20: ln p(X)/n = -1.4171; '
    """
    path = em_path()
    t = check_int(iteration, "iteration", minimum=0, maximum=path.n_iter)
    N = old_faithful_standardised().shape[0]
    return EmIterationView(
        iteration=t,
        n_iter=path.n_iter,
        X=old_faithful_standardised(),
        weights=path.weights[t],
        means=path.means[t],
        covariances=path.covariances[t],
        resp=path.resp[t],
        trace=path.loglik / N,
    )


@dataclass(frozen=True)
class MixtureFitView:
    """A :class:`~mle_lib.GaussianMixture` fitted to chapter 8's standardised Old Faithful data.

    Attributes
    ----------
    n_components, covariance_type, reg_covar, prior
        The settings (``prior`` None for maximum likelihood, ``'default'`` for MAP-EM).
    X : ndarray of shape (n, 2)
    weights, means, covariances : ndarray
        The fit, covariances in scikit-learn's shape for ``covariance_type``.
    resp : ndarray of shape (K, n)
        γ_ik at the fit.
    loglik : float
        ln p(X) (total) at the fit.
    n_parameters : int
    bic, aic : float
        −2 ln p(X) + p ln n and −2 ln p(X) + 2p.
    n_iter : int
    converged : bool
    history : ndarray
        ln p(X)/n after each iteration of the kept initialisation (``loglik_history_``).
    ks, bic_by_k, aic_by_k : ndarray of shape (MAX_COMPONENTS,)
        BIC and AIC of the fits with K = 1 … MAX_COMPONENTS and the same other settings (NaN where a
        fit failed, e.g. a collapse with ``reg_covar = 0``).
    """

    n_components: int
    covariance_type: str
    reg_covar: float
    prior: str | None
    X: np.ndarray
    weights: np.ndarray
    means: np.ndarray
    covariances: np.ndarray
    resp: np.ndarray
    loglik: float
    n_parameters: int
    bic: float
    aic: float
    n_iter: int
    converged: bool
    history: np.ndarray
    ks: np.ndarray
    bic_by_k: np.ndarray
    aic_by_k: np.ndarray

    def readout(self) -> str:
        """One line: K, covariance type, reg_covar, prior, ln p(X), parameter count, BIC, AIC and convergence."""
        prior = "none (ML)" if self.prior is None else "default (MAP)"
        conv = "converged" if self.converged else "not converged"
        return (
            f"K = {self.n_components}, {self.covariance_type}, reg_covar = {self.reg_covar:g}, prior {prior}: "
            f"ln p(X) = {self.loglik:.2f}, p = {self.n_parameters}, BIC = {self.bic:.2f}, AIC = {self.aic:.2f} "
            f"({self.n_iter} iterations, {conv})"
        )


#: Restarts and seed of every refit (small: a first fit stays well under a second).
FIT_N_INIT, FIT_SEED = 2, 0


@lru_cache(maxsize=256)
def _fit(n_components: int, covariance_type: str, reg_covar: float, prior: str | None) -> dict[str, Any]:
    from sklearn.exceptions import ConvergenceWarning
    from threadpoolctl import threadpool_limits

    from ..gaussian_mixture import GaussianMixture  # scikit-learn: loaded on the first refit only

    Z = old_faithful_standardised()
    gm = GaussianMixture(
        n_components,
        covariance_type=covariance_type,
        reg_covar=reg_covar,
        prior=prior,
        n_init=FIT_N_INIT,
        random_state=FIT_SEED,
    )
    # One thread: on 272 points the OpenMP threads of scikit-learn's k-means start (and, on a busy 2-core
    # machine, wait for each other) for far longer than they compute — 250–900 ms per fit instead of 15–30 ms.
    with warnings.catch_warnings(), threadpool_limits(limits=1):
        warnings.simplefilter("ignore", ConvergenceWarning)  # the readout says "not converged"
        gm.fit(Z)
    N = Z.shape[0]
    return dict(
        weights=gm.weights_,
        means=gm.means_,
        covariances=gm.covariances_,
        resp=np.ascontiguousarray(gm.predict_proba(Z).T),
        loglik=float(gm.score(Z) * N),
        n_parameters=gm.n_parameters(),
        bic=gm.bic(Z),
        aic=gm.aic(Z),
        n_iter=int(gm.n_iter_),
        converged=bool(gm.converged_),
        history=np.asarray(gm.loglik_history_),
    )


def mixture_fit_view(
    n_components: int = 2, covariance_type: str = "full", reg_covar: float = 1e-6, prior: str | None = None
) -> MixtureFitView:
    """Fit :class:`~mle_lib.GaussianMixture` (``n_init=2``, seeded) to chapter 8's data; cached by the arguments.

    Parameters
    ----------
    n_components : int
        K, from 1 to :data:`MAX_COMPONENTS` (6).
    covariance_type : {'full', 'tied', 'diag', 'spherical'}
    reg_covar : float
        ≥ 0 (any real number type, NumPy's included), added to each covariance (to the prior's scale
        under MAP).
    prior : None or 'default'
        Maximum likelihood, or MAP-EM with :func:`~mle_lib.default_prior`.

    Examples
    --------
    >>> v = mixture_fit_view(2, "full")
    >>> v.n_parameters, bool(np.isclose(v.bic, -2 * v.loglik + 11 * np.log(272)))
    (11, True)
    """
    k = check_int(n_components, "n_components", minimum=1, maximum=MAX_COMPONENTS)
    check_choice(covariance_type, "covariance_type", COVARIANCE_TYPES)
    reg = check_real(reg_covar, "reg_covar", minimum=0.0)
    try:
        check_choice(prior, "prior", (None, "default"))
    except ValueError:
        raise ValueError(f"prior must be None (maximum likelihood) or 'default' (MAP-EM); got {prior!r}") from None
    settings = (str(covariance_type), reg, None if prior is None else "default")
    fit = _fit(k, *settings)
    ks = np.arange(1, MAX_COMPONENTS + 1)
    criteria = np.full((2, ks.size), np.nan)
    for i, kk in enumerate(ks):
        try:
            other = _fit(int(kk), *settings)
        except ValueError:  # a collapse (reg_covar = 0) at another K: leave a gap, not an error
            continue
        criteria[:, i] = other["bic"], other["aic"]
    return MixtureFitView(
        k, *settings, X=old_faithful_standardised(), **fit, ks=ks, bic_by_k=criteria[0], aic_by_k=criteria[1]
    )
