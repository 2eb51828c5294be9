"""Views of chapter 7: EM one step at a time, and EM's path over the likelihood surface.

Two pure functions, each replayed from its inputs alone (so a browser test can recompute what a
widget shows from the widget's state):

* :func:`em_stepper_view` — the E-steps and M-steps taken since Reset on simulated heights, full or
  classification ("hard") EM, from the chapter's start (means 160 and 185 cm, σ = 8, π = ½);
* :func:`surface_path_view` — EM for the two means only (σ = 2, π = ½ held fixed) on the chapter's
  three-group data, from a start picked on the ln L(μ₁, μ₂) surface to where it stops.

Both call :func:`mle_lib.e_step` and :func:`mle_lib.m_step` (the surface uses
:func:`mle_lib.mixture_logpdf`); nothing here re-derives a density.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from .._checks import as_float_array, as_sample, check_bool, check_int, check_positive, check_real
from ..mixture import e_step, m_step, mixture_logpdf

__all__ = [
    "HEIGHTS",
    "HEIGHTS_START",
    "StepperView",
    "em_stepper_view",
    "THREE_GROUPS",
    "SURFACE_WEIGHTS",
    "SURFACE_VARIANCES",
    "SURFACE_GRID",
    "likelihood_surface",
    "restricted_em",
    "surface_maxima",
    "SurfacePathView",
    "surface_path_view",
]

# =================================================================================================
# The E-step / M-step stepper
# =================================================================================================

#: 400 simulated students' heights (cm): women N(165, 6.5²) then men N(178, 7²), 200 each — the
#: chapter's model of deck 1's "living histogram" (a smaller class than the chapter's 2000, drawn
#: with its own seed, so the numbers differ from the chapter's fit).
HEIGHTS = np.random.default_rng(312).normal(np.repeat([165.0, 178.0], 200), np.repeat([6.5, 7.0], 200))
HEIGHTS.flags.writeable = False

#: The chapter's start for full against hard EM: weights ½, means 160 and 185 cm, variances 8².
HEIGHTS_START = {"weights": (0.5, 0.5), "means": (160.0, 185.0), "variances": (64.0, 64.0)}

#: Most actions one replay accepts (500 E/M pairs): enough to converge, a bound on the cache.
MAX_ACTIONS = 1000


@dataclass(frozen=True)
class _Step:
    """Where EM is after some actions.

    Its parameters, the responsibilities of the last E-step (None before the first), and the responsibilities and
    ln L that an E-step would give now.
    """

    weights: np.ndarray
    means: np.ndarray
    variances: np.ndarray
    resp: np.ndarray | None
    next_resp: np.ndarray
    loglik: float


def _read_only(*arrays: np.ndarray) -> None:
    """Cached arrays are shared by every view that shows them: nobody may change them in place."""
    for a in arrays:
        a.flags.writeable = False


def _start(hard: bool) -> _Step:
    w, m, v = (np.array(HEIGHTS_START[k], dtype=float) for k in ("weights", "means", "variances"))
    resp, ll = e_step(HEIGHTS, w, m, v, "spherical", hard=hard)
    _read_only(w, m, v, resp)
    return _Step(w, m, v, None, resp, ll)


def _advance(s: _Step, action: str, hard: bool) -> _Step:
    if action == "E":  # the responsibilities at the current parameters (already computed)
        return _Step(s.weights, s.means, s.variances, s.next_resp, s.next_resp, s.loglik)
    assert s.resp is not None  # the view checks the order
    w, m, v = m_step(
        HEIGHTS, s.resp, "spherical", reg_covar=0.0, weights=s.weights, means=s.means, covariances=s.variances
    )
    nxt, ll = e_step(HEIGHTS, w, m, v, "spherical", hard=hard)
    m = m[:, 0].copy()
    _read_only(w, m, v, nxt)
    return _Step(w, m, v, s.resp, nxt, ll)


#: Replays so far, per EM kind: ``_REPLAYS[hard][i]`` is the step after i actions (E, M, E, M, …).
#: Legal action sequences are the prefixes of (E, M, E, M, …), so the length names the sequence and a
#: click extends the list by one step instead of replaying from the start.
_REPLAYS: dict[bool, list[_Step]] = {}


def _replay(hard: bool, n_actions: int) -> list[_Step]:
    steps = _REPLAYS.setdefault(hard, [_start(hard)])
    while len(steps) <= n_actions:
        steps.append(_advance(steps[-1], "EM"[(len(steps) - 1) % 2], hard))
    return steps[: n_actions + 1]


@dataclass(frozen=True)
class StepperView:
    """EM on :data:`HEIGHTS` after the actions taken since Reset.

    Attributes
    ----------
    actions : tuple of str
        The steps taken, e.g. ``("E", "M", "E")``.
    hard : bool
        Classification EM: every E-step rounds each point's responsibilities to 0 or 1.
    x : ndarray of shape (n,)
        The data.
    weights, means, variances : ndarray of shape (2,)
        πₖ, μₖ and σₖ² now (the start's until the first M-step).
    resp : ndarray of shape (2, n) or None
        The responsibilities γᵢₖ of the last E-step (one-hot in hard EM); None before the first.
    loglik : float
        ln L = Σᵢ ln Σₖ πₖ f(xᵢ | μₖ, σₖ²) at the current parameters (in hard EM too: it is the
        mixture's log-likelihood, not the classification objective hard EM climbs).
    trace : ndarray of shape (m + 1,)
        ln L at the start and after each of the m completed M-steps.
    """

    actions: tuple[str, ...]
    hard: bool
    x: np.ndarray
    weights: np.ndarray
    means: np.ndarray
    variances: np.ndarray
    resp: np.ndarray | None
    loglik: float
    trace: np.ndarray

    @property
    def next_step(self) -> str:
        """``"E"`` or ``"M"``: EM alternates, starting with an E-step."""
        return "EM"[len(self.actions) % 2]

    @property
    def m_steps(self) -> int:
        """Completed iterations (E-step + M-step)."""
        return len(self.actions) // 2

    def readout(self) -> str:
        """One line: the EM variant, steps, iterations, next step, parameters and ln L."""
        kind = "hard EM" if self.hard else "full EM"
        nxt = "E-step" if self.next_step == "E" else "M-step"
        mu, sd = self.means, np.sqrt(self.variances)
        return (
            f"{kind}, steps: {len(self.actions)}, iterations: {self.m_steps}, next: {nxt}; "
            f"μ₁ = {mu[0]:.2f}, μ₂ = {mu[1]:.2f}, σ₁ = {sd[0]:.2f}, σ₂ = {sd[1]:.2f}, "
            f"π₁ = {self.weights[0]:.3f}; ln L = {self.loglik:.2f}"
        )


def em_stepper_view(actions: tuple[str, ...] | list[str] = (), hard: bool = False) -> StepperView:
    """Replay the E-steps and M-steps taken since Reset, with :func:`mle_lib.e_step` and :func:`mle_lib.m_step`.

    EM alternates: the first action must be an E-step (an M-step needs responsibilities, and the
    start has none), and no step may be repeated (a second E-step in a row would give the same
    responsibilities, a second M-step the same parameters).  Any other order is refused with an error
    naming the first wrong action.  The M-step is exact maximum likelihood (``reg_covar=0``), so
    full EM never lowers ln L; hard EM can.  Toggling ``hard`` replays the same actions as the other
    kind of EM.

    Parameters
    ----------
    actions : sequence of {"E", "M"}
        The steps since Reset (at most 1000).
    hard : bool
        Classification EM (``e_step(..., hard=True)``).

    Examples
    --------
    >>> v = em_stepper_view(("E", "M"))
    >>> v.next_step, v.m_steps, bool(v.trace[1] > v.trace[0])
    ('E', 1, True)
    """
    if isinstance(actions, str) or not isinstance(actions, (tuple, list)):
        raise TypeError(f"actions must be a tuple or list of 'E' and 'M'; got {type(actions).__name__} {actions!r}")
    acts = tuple(actions)
    if len(acts) > MAX_ACTIONS:
        raise ValueError(f"actions: at most {MAX_ACTIONS} steps are replayed; got {len(acts)} (press Reset)")
    for i, a in enumerate(acts):
        expected = "EM"[i % 2]
        if a != expected:
            if a not in ("E", "M"):
                raise ValueError(f"actions must be 'E' or 'M'; got {a!r} at position {i}")
            why = "an M-step needs the responsibilities of an E-step first" if a == "M" else "EM alternates"
            raise ValueError(f"actions: step {i + 1} is an {a}-step, but the next step is the {expected}-step ({why})")
    hard = check_bool(hard, "hard")
    steps = _replay(hard, len(acts))
    now = steps[-1]
    trace = np.array([s.loglik for s in steps[::2]])
    return StepperView(acts, hard, HEIGHTS, now.weights, now.means, now.variances, now.resp, now.loglik, trace)


# =================================================================================================
# The likelihood surface over (μ₁, μ₂) and EM's path on it
# =================================================================================================

#: The chapter's three tight groups, around −10, 0 and 12 (the four-bump surface).
THREE_GROUPS = np.array([-10.2, -10.0, -9.8, -0.2, 0.0, 0.2, 11.8, 12.0, 12.2])
#: π₁ = π₂ = ½ and σ₁ = σ₂ = 2, held fixed on the surface.
SURFACE_WEIGHTS = (0.5, 0.5)
SURFACE_VARIANCES = (4.0, 4.0)
#: The grid of both means (μ₁ on the x axis, μ₂ on the y axis).
SURFACE_GRID = np.linspace(-16.0, 16.0, 81)
#: Where the chapter starts EM to find the four maxima.
_BUMP_STARTS = ((-8.0, 14.0), (14.0, -8.0), (-12.0, 4.0), (4.0, -12.0))
#: EM on the surface stops when no mean moves more than this in one step (or after _MAX_ITER steps).
PATH_TOL = 1e-8
_MAX_ITER = 1000


@functools.cache
def likelihood_surface() -> tuple[np.ndarray, np.ndarray]:
    """The chapter's ln L(μ₁, μ₂) for :data:`THREE_GROUPS` on :data:`SURFACE_GRID` (computed once).

    Returns
    -------
    grid : ndarray of shape (81,)
        The values of each mean, −16 … 16.
    surface : ndarray of shape (81, 81)
        ``surface[i, j]`` = ln L at μ₁ = ``grid[j]``, μ₂ = ``grid[i]`` (σ = 2, π = ½), the sum of
        :func:`mle_lib.mixture_logpdf` over the nine points.

    Examples
    --------
    >>> g, s = likelihood_surface()
    >>> s.shape, round(float(s.max()), 2)
    ((81, 81), -39.56)
    """
    g = SURFACE_GRID
    s = np.array(
        [
            [mixture_logpdf(THREE_GROUPS, SURFACE_WEIGHTS, [m1, m2], SURFACE_VARIANCES, "spherical").sum() for m1 in g]
            for m2 in g
        ]
    )
    _read_only(g, s)
    return g, s


def restricted_em(
    x: ArrayLike, start: ArrayLike, variances: ArrayLike, n_steps: int, *, tol: float | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``n_steps`` of EM for the two means only, weights ½ and the given variances held fixed.

    Each step is one :func:`mle_lib.e_step` and one :func:`mle_lib.m_step` with
    ``fixed={"weights", "covariances"}`` — deck 1's restricted model.

    Parameters
    ----------
    x : array_like of shape (n,)
    start : array_like of shape (2,)
        The starting means (μ₁, μ₂).
    variances : array_like of shape (2,)
        σ₁² and σ₂², fixed.
    n_steps : int
        Steps to take (at most, with ``tol``).
    tol : float, optional
        Stop after the first step that moves no mean by more than ``tol``.

    Returns
    -------
    means : ndarray of shape (t + 1, 2)
        The means at the start and after each of the t steps taken.
    z1 : ndarray of shape (t, n)
        The responsibilities γᵢ₁ of each E-step.
    loglik : ndarray of shape (t,)
        ln L at the start of each step.

    Examples
    --------
    Deck 1's run from (−20, 6) with σ = 1:

    >>> means, _, _ = restricted_em([-6, -5, -4, 0, 4, 5, 6], [-20, 6], [1.0, 1.0], 3)
    >>> np.round(means[-1], 2).tolist()
    [-4.99, 3.75]
    """
    x = as_sample(x, "x")
    first = as_float_array(start, "start", ndim=1)
    if first.size != 2:
        raise ValueError(f"start must hold the two starting means (μ₁, μ₂); got {first.size} numbers")
    variances = as_float_array(variances, "variances", ndim=1)
    if variances.size != 2:
        raise ValueError(f"variances must hold the two fixed variances (σ₁², σ₂²); got {variances.size} numbers")
    check_positive(variances, "variances")
    n_steps = check_int(n_steps, "n_steps", minimum=0)
    if tol is not None:
        tol = check_real(tol, "tol", minimum=0.0)
    w = [0.5, 0.5]
    means, z1, lls = [first], [], []
    for _ in range(n_steps):
        resp, ll = e_step(x, w, means[-1], variances, "spherical")
        _, m, _ = m_step(
            x,
            resp,
            "spherical",
            reg_covar=0.0,
            weights=w,
            means=means[-1],
            covariances=variances,
            fixed={"weights", "covariances"},
        )
        means.append(m[:, 0])
        z1.append(resp[0])
        lls.append(ll)
        if tol is not None and np.max(np.abs(means[-1] - means[-2])) <= tol:
            break
    return np.array(means), np.array(z1), np.array(lls)


def _path(start: tuple[float, float]) -> tuple[np.ndarray, np.ndarray]:
    """EM from ``start`` on the surface's model until no mean moves more than PATH_TOL: (means, ln L)."""
    means, _, lls = restricted_em(THREE_GROUPS, start, SURFACE_VARIANCES, _MAX_ITER, tol=PATH_TOL)
    last = mixture_logpdf(THREE_GROUPS, SURFACE_WEIGHTS, means[-1], SURFACE_VARIANCES, "spherical").sum()
    out = means, np.append(lls, last)
    _read_only(*out)
    return out


@functools.cache
def surface_maxima() -> tuple[np.ndarray, np.ndarray]:
    """The four maxima of the surface, where EM stops from the chapter's four starts (computed once).

    Returns
    -------
    maxima : ndarray of shape (4, 2)
        (μ₁, μ₂) of each: the global maximum (−5, 12), its label-switched twin, the lower maximum
        (−10, 6) and its twin.
    loglik : ndarray of shape (4,)
        ln L at each.
    """
    ends = [_path(s) for s in _BUMP_STARTS]
    out = np.array([m[-1] for m, _ in ends]), np.array([ll[-1] for _, ll in ends])
    _read_only(*out)
    return out


@dataclass(frozen=True)
class SurfacePathView:
    """EM's path on the ln L(μ₁, μ₂) surface from a picked start.

    Attributes
    ----------
    start, end : ndarray of shape (2,)
        (μ₁, μ₂) where EM starts and where it stops.
    path : ndarray of shape (t + 1, 2)
        The means at the start and after each of the t iterations.
    loglik : ndarray of shape (t + 1,)
        ln L along the path (never decreasing).
    n_iter : int
        t, the EM iterations until no mean moved more than ``PATH_TOL``.
    grid, surface : ndarray
        :func:`likelihood_surface`.
    maxima, maxima_loglik : ndarray
        :func:`surface_maxima`.
    which : str
        Where EM stopped: ``"global maximum"``, ``"lower maximum"``, ``"saddle on the diagonal"``
        (a start with μ₁ = μ₂ never leaves the diagonal: both components stay identical) or
        ``"other stationary point"``.
    """

    start: np.ndarray
    end: np.ndarray
    path: np.ndarray
    loglik: np.ndarray
    n_iter: int
    grid: np.ndarray
    surface: np.ndarray
    maxima: np.ndarray
    maxima_loglik: np.ndarray
    which: str

    @property
    def final_loglik(self) -> float:
        """ln L at the end of the run."""
        return float(self.loglik[-1])

    def readout(self) -> str:
        """One line: the start, the end, iterations, final ln L and which maximum it reached."""
        return (
            f"start (μ₁, μ₂) = ({self.start[0]:.1f}, {self.start[1]:.1f}) → end ({self.end[0]:.2f}, "
            f"{self.end[1]:.2f}) after {self.n_iter} iterations; ln L = {self.final_loglik:.3f}: "
            f"{self.which} (global ln L = {self.maxima_loglik.max():.3f})"
        )


def surface_path_view(mu1: float = -14.0, mu2: float = 2.0) -> SurfacePathView:
    """EM for the means from the start (μ₁, μ₂) on the chapter's three-group surface, to where it stops.

    Parameters
    ----------
    mu1, mu2 : float
        The starting means.

    Examples
    --------
    >>> v = surface_path_view(-14.0, 2.0)
    >>> np.round(v.end, 2).tolist(), v.which
    ([-10.0, 6.0], 'lower maximum')
    """
    start = np.array([check_real(mu1, "mu1"), check_real(mu2, "mu2")])
    path, lls = _cached_path(float(start[0]), float(start[1]))
    maxima, top = surface_maxima()
    end = path[-1]
    near = np.max(np.abs(maxima - end), axis=1) < 1e-4
    if near.any():
        which = "global maximum" if top[np.argmax(near)] >= top.max() - 1e-9 else "lower maximum"
    elif abs(end[0] - end[1]) < 1e-6:
        which = "saddle on the diagonal"
    else:
        which = "other stationary point"
    g, s = likelihood_surface()
    return SurfacePathView(start, end, path, lls, path.shape[0] - 1, g, s, maxima, top, which)


@functools.lru_cache(maxsize=4096)
def _cached_path(mu1: float, mu2: float) -> tuple[np.ndarray, np.ndarray]:
    return _path((mu1, mu2))
