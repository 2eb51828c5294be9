"""Numerical maximum likelihood for any ``scipy.stats`` distribution, as a short pipeline of named steps.

:func:`numerical_mle` maximises ln L(θ) = Σ ln f(xᵢ | θ) numerically. It is the independent route the
tests use to check the closed forms of :mod:`mle_lib.estimators` (it calls nothing there), and it reports
the observed information, standard errors and Wald intervals. One call runs these steps in order:

1. :func:`_problem` — resolve the family's parameters and their domains, what is fixed and what is free,
   and the log-likelihood as a function of the parameters (:class:`_Problem`);
2. :func:`_choose_start` — a start that gives the data a finite ln L;
3. :func:`_climb` — Nelder–Mead, then a BFGS polish, on an unconstrained transform of the free
   parameters (:class:`_Transform`);
4. :func:`_settle_edges` — a maximum on the edge of the parameter domain (p̂ = 0) or of the support
   (the uniform, the exponential with free ``loc``) is no interior point of the optimiser's search, so
   each edge (:class:`_Edge`) is pinned exactly and the remaining parameters are *re-maximised* there;
5. :func:`_is_local_maximum` — an honest ``converged``: no small step of any free parameter raises ln L;
6. :func:`_smoothness_failure` and :func:`_observed_information` — the information exists only where
   ln L is twice differentiable; a kink (the Laplace's Σ|xᵢ − μ| at the median) is detected and refused.

Every intermediate result is a small typed object, and :class:`NumericalMLE` is the public result.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike
from scipy import optimize, special, stats

from ._checks import as_float_array, as_sample

__all__ = ["NumericalMLE", "numerical_mle"]

_EPS = float(np.finfo(np.float64).eps)
_LOG_MAX = math.log(float(np.finfo(np.float64).max))
_LOG_TINY = math.log(float(np.finfo(np.float64).tiny))


# ----------------------------------------------------------------------------------------------------------
# The result
# ----------------------------------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class _Information:
    """The observed information J(θ̂) stored as J̃ = J ∘ (h hᵀ): −Hessian in units of the steps h.

    Data near the ends of float64 (scaled by 1e±300) have a J whose entries overflow or underflow while
    the standard errors are ordinary numbers; keeping J in step units lets each attribute be computed
    without passing through an unrepresentable intermediate.
    """

    scaled: np.ndarray  # (k, k), symmetric
    steps: np.ndarray  # (k,)

    def _rescale(self, matrix: np.ndarray, power: int, what: str) -> np.ndarray:
        """matrix ∘ (h hᵀ)^power, refusing a result that overflows or underflows float64."""
        log_h = np.log(self.steps)
        with np.errstate(divide="ignore"):
            log_abs = np.log(np.abs(matrix)) + power * (log_h[:, None] + log_h[None, :])
        nonzero = matrix != 0
        if np.any(nonzero & (log_abs > _LOG_MAX)) or np.any(nonzero & (log_abs < _LOG_TINY)):
            worst = float(np.max(np.abs(log_abs[nonzero]))) / math.log(10.0)
            raise ValueError(
                f"the {what} has entries of magnitude about 1e{'-' if log_abs[nonzero].min() < 0 else ''}"
                f"{worst:.0f}, outside the range of float64, because the data's spread is near the end of "
                f"that range; standard_errors and wald_ci are still available (they are computed without it)"
            )
        hh = np.outer(self.steps, self.steps) ** power
        return matrix * hh

    def matrix(self) -> np.ndarray:
        """J(θ̂) on the natural scale."""
        return self._rescale(self.scaled, -1, "observed information")

    def scaled_inverse(self) -> np.ndarray:
        """J̃⁻¹, refusing if J̃ is not positive definite."""
        try:
            np.linalg.cholesky(self.scaled)
        except np.linalg.LinAlgError:
            raise ValueError(
                "observed information is not positive definite (ln L is not strictly concave at "
                "the optimum; a parameter may be unidentifiable), so it has no covariance"
            ) from None
        return np.linalg.inv(self.scaled)

    def covariance(self) -> np.ndarray:
        """J(θ̂)⁻¹ = h hᵀ ∘ J̃⁻¹."""
        return self._rescale(self.scaled_inverse(), 1, "covariance")

    def standard_errors(self) -> np.ndarray:
        """hⱼ √(J̃⁻¹)ⱼⱼ, computed without forming J or J⁻¹."""
        return self.steps * np.sqrt(np.diag(self.scaled_inverse()))


@dataclass(frozen=True, eq=False)
class NumericalMLE:
    """Result of :func:`numerical_mle`.

    Attributes
    ----------
    params : dict of str to float
        The estimates θ̂ of the free parameters, in ``scipy.stats`` order (shapes, loc, scale).
    loglik : float
        ln L(θ̂), summed over the data (fixed parameters held at their values).
    converged : bool
        Whether the optimiser reported convergence *and* no small step of any free parameter (other
        than one pinned on an edge) from θ̂ raises ln L.
    on_boundary : bool
        Whether θ̂ lies on an edge: of the parameter space (e.g. p̂ = 0 when every trial failed) or
        of the support (e.g. the uniform, whose likelihood is maximised where the interval touches
        x₍₁₎ and x₍ₙ₎). The regularity conditions behind the information, standard errors and Wald
        intervals then fail, and those attributes raise ``ValueError``.
    regular : bool
        Whether the regularity conditions behind the information hold as far as they can be checked:
        θ̂ is not on an edge *and* ln L is twice differentiable there. It is False for a kink, such as
        the Laplace log-likelihood −Σ|xᵢ − μ|/b at its maximum μ̂ = median: the curvature of ln L then
        changes with the finite-difference step instead of settling, and the information-based
        attributes raise ``ValueError`` saying so (there is no Hessian to invert).
    fixed : dict of str to float
        The parameters that were held fixed.
    message : str
        A short account of how the optimum was reached, and why the information is missing if it is.
    observed_information : ndarray of shape (k, k)
        J(θ̂) = −∂² ln L / ∂θ ∂θᵀ at θ̂, for the k free parameters on their natural scale, by central
        finite differences (relative step 10⁻⁴). This and the next two attributes, and
        :meth:`wald_ci`, raise ``ValueError`` when ``regular`` is False.
    covariance : ndarray of shape (k, k)
        J(θ̂)⁻¹, the asymptotic covariance of θ̂.
    standard_errors : dict of str to float
        Square roots of the covariance's diagonal.
    """

    params: dict[str, float]
    loglik: float
    converged: bool
    on_boundary: bool
    fixed: dict[str, float]
    message: str
    regular: bool = True
    _information: _Information | None = field(default=None, repr=False)

    def _require_information(self) -> _Information:
        if self._information is None:
            raise ValueError(f"observed information is undefined here: {self.message}")
        return self._information

    @property
    def observed_information(self) -> np.ndarray:
        """J(θ̂) = −∇² ln L(θ̂) w.r.t. the free parameters, rows/columns in ``params`` order."""
        return self._require_information().matrix()

    @property
    def covariance(self) -> np.ndarray:
        """J(θ̂)⁻¹, the Wald (asymptotic) covariance of θ̂."""
        return self._require_information().covariance()

    @property
    def standard_errors(self) -> dict[str, float]:
        """se(θ̂ⱼ) = √(J(θ̂)⁻¹)ⱼⱼ for each free parameter."""
        se = self._require_information().standard_errors()
        return {name: float(s) for name, s in zip(self.params, se, strict=True)}

    def wald_ci(self, level: float = 0.95) -> dict[str, tuple[float, float]]:
        """Wald confidence intervals θ̂ⱼ ± z·se(θ̂ⱼ), z the (1 + level)/2 normal quantile.

        Parameters
        ----------
        level : float
            Confidence level in (0, 1).

        Returns
        -------
        dict of str to (float, float)
            ``(lower, upper)`` per free parameter. A Wald interval may leave the parameter space
            (e.g. below 0 for a probability near 0); that is a known weakness of the method.

        Examples
        --------
        >>> fit = numerical_mle(stats.norm, [1.0, 2.0, 3.0, 6.0])
        >>> lo, hi = fit.wald_ci(0.95)["loc"]
        >>> round(lo, 3), round(hi, 3)   # 3 ± 1.96·√(3.5/4)
        (1.167, 4.833)
        """
        lv = float(as_float_array(level, "level", ndim=0))
        if not 0.0 < lv < 1.0:
            raise ValueError(f"level must be in (0, 1); got {lv}")
        z = float(stats.norm.ppf(0.5 + lv / 2.0))
        se = self.standard_errors
        return {name: (value - z * se[name], value + z * se[name]) for name, value in self.params.items()}


# ----------------------------------------------------------------------------------------------------------
# Step 1: the problem — parameters, domains, fixed and free, ln L
# ----------------------------------------------------------------------------------------------------------
@dataclass
class _Domain:
    """Where one parameter may live: (lo, hi) with inclusive ends; integral parameters must be fixed."""

    lo: float
    hi: float
    lo_in: bool
    hi_in: bool
    integral: bool = False

    def contains(self, v: float) -> bool:
        above = v > self.lo or (self.lo_in and v == self.lo)
        below = v < self.hi or (self.hi_in and v == self.hi)
        return above and below

    def describe(self) -> str:
        """The interval in mathematical notation, e.g. ``(0, inf)``."""
        left = "[" if self.lo_in else "("
        right = "]" if self.hi_in else ")"
        return f"{left}{self.lo:g}, {self.hi:g}{right}"


@dataclass
class _Problem:
    """Everything the later steps need: the data, the parameters (fixed and free) and ln L.

    ``loglik`` takes values for the free parameters (a mapping; fixed ones are added) and returns the
    summed log-likelihood, with −inf for impossible data. A value of +inf (a density with a pole at an
    observation) is recorded in ``unbounded`` and reported as −inf to the optimiser, so that the caller
    can refuse the fit with the true cause.
    """

    dist: Any  # an unfrozen scipy.stats rv_continuous or rv_discrete
    kind: str  # "continuous" or "discrete"
    xs: np.ndarray
    shape_names: list[str]
    fixed: dict[str, float]
    free: list[str]
    search: dict[str, _Domain]
    data_unit: float  # the data's standard deviation, or a stand-in when it is 0
    unbounded: list[dict[str, float]] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.kind == "discrete":  # Σ over distinct values × multiplicity
            self._values, counts = np.unique(self.xs, return_counts=True)
            self._weights: np.ndarray | None = counts.astype(np.float64)
        else:
            self._values, self._weights = self.xs, None

    def terms(self, values: Mapping[str, float]) -> np.ndarray:
        """ln f(xᵢ | θ) for each distinct observation (discrete: times its multiplicity)."""
        p = {**self.fixed, **{nm: float(v) for nm, v in values.items()}}
        args = [p[nm] for nm in self.shape_names]
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            if self.kind == "discrete":
                raw = np.asarray(self.dist.logpmf(self._values, *args, loc=p["loc"]), dtype=np.float64)
                assert self._weights is not None
                return np.where(raw == -np.inf, -np.inf, self._weights * raw)
            return np.asarray(self.dist.logpdf(self._values, *args, loc=p["loc"], scale=p["scale"]), dtype=np.float64)

    def loglik(self, values: Mapping[str, float]) -> float:
        """ln L at the given free-parameter values (−inf if impossible or not a number)."""
        terms = self.terms(values)
        with np.errstate(all="ignore"):
            total = -np.inf if np.any(terms == -np.inf) else float(np.sum(terms))
        if total == np.inf and not self.unbounded:
            self.unbounded.append({**self.fixed, **{nm: float(v) for nm, v in values.items()}})
        return total if np.isfinite(total) else -np.inf

    def loglik_of(self, names: Sequence[str]) -> Callable[[Sequence[float]], float]:
        """ln L as a function of a vector of values for ``names`` (the other free parameters absent)."""
        return lambda vec: self.loglik(dict(zip(names, vec, strict=True)))


def _distribution_kind(dist: object) -> str:
    if isinstance(dist, stats.rv_continuous):
        return "continuous"
    if isinstance(dist, stats.rv_discrete):
        return "discrete"
    if isinstance(getattr(dist, "dist", None), (stats.rv_continuous, stats.rv_discrete)):
        raise TypeError(
            "dist must be an unfrozen scipy.stats distribution such as scipy.stats.norm, not a frozen "
            "one such as scipy.stats.norm(0, 1); hold parameters fixed with fixed={...}"
        )
    raise TypeError(f"dist must be a scipy.stats distribution such as scipy.stats.norm; got {type(dist).__name__}")


def _domains(dist: Any, kind: str) -> dict[str, _Domain]:
    """The family's parameter names in scipy's order (shapes, loc, scale) with their domains."""
    out: dict[str, _Domain] = {}
    try:
        # Private, but what scipy.stats.fit itself uses: present from scipy 1.9 on, with .inclusive from 1.15 on
        # (pyproject.toml's lower bound; make test-compat runs 1.15.0).
        infos = dist._shape_info()
    except Exception:  # a user-defined distribution without shape metadata
        infos = None
    if infos is not None:
        for info in infos:
            lo, hi = (float(v) for v in info.domain)
            if lo == 5e-324:  # scipy's spelling of "> 0"
                lo = 0.0
            out[info.name] = _Domain(lo, hi, bool(info.inclusive[0]), bool(info.inclusive[1]), bool(info.integrality))
    else:
        for name in (dist.shapes or "").replace(" ", "").split(","):
            if name:
                out[name] = _Domain(-np.inf, np.inf, False, False)
    out["loc"] = _Domain(-np.inf, np.inf, False, False, integral=(kind == "discrete"))
    if kind == "continuous":
        out["scale"] = _Domain(0.0, np.inf, False, False)
    return out


def _spread(xs: np.ndarray) -> float:
    """The population standard deviation of ``xs``, without overflow or underflow in the squares.

    The data are divided by a power of two near their largest magnitude (an exact operation), so data
    scaled by 1e±300 have the standard deviation they really have instead of inf or 0.
    """
    big = float(np.max(np.abs(xs)))
    if big == 0.0 or xs.max() == xs.min():
        return 0.0
    unit = math.ldexp(1.0, math.frexp(big)[1] - 1)
    return float(np.std(xs / unit)) * unit


def _check_data(dist: Any, kind: str, xs: np.ndarray) -> None:
    """Refuse data that no parameter of the family can explain, naming the true cause."""
    if kind == "discrete":
        frac = xs != np.floor(xs)
        if frac.any():
            i = int(np.flatnonzero(frac)[0])
            raise ValueError(
                f"data must be integers for the discrete distribution {dist.name}; got {xs[i]} at index {i}"
            )
    with np.errstate(over="ignore"):
        span = xs.max() - xs.min()
    if not np.isfinite(span):
        raise ValueError(
            f"data span more than float64 can hold (x_max - x_min = {xs.max():.6g} - ({xs.min():.6g}) "
            f"overflows), so the standardised values (x - loc)/scale cannot be computed; rescale the data"
        )


def _fixed_values(dist: Any, domains: dict[str, _Domain], fixed: object) -> dict[str, float]:
    """Validate ``fixed``: known names, values inside the domains, integers where required."""
    if fixed is None:
        return {}
    if not isinstance(fixed, Mapping):
        raise TypeError(f"fixed must be a dict of parameter names to values; got {type(fixed).__name__}")
    out: dict[str, float] = {}
    for key, value in fixed.items():
        if key not in domains:
            raise ValueError(f"fixed names unknown parameter {key!r}; {dist.name} has parameters {tuple(domains)}")
        v = float(as_float_array(value, f"fixed[{key!r}]", ndim=0))
        dom = domains[key]
        if not dom.contains(v):
            raise ValueError(f"fixed[{key!r}] is outside the parameter's domain {dom.describe()}; got {v}")
        if dom.integral and v != math.floor(v):
            raise ValueError(f"fixed[{key!r}] must be an integer; got {v}")
        out[key] = v
    return out


def _search_domains(dist: Any, domains: dict[str, _Domain], free: list[str], bounds: object) -> dict[str, _Domain]:
    """Each free parameter's natural domain, intersected with ``bounds`` (whose ends are allowed)."""
    search = {nm: _Domain(domains[nm].lo, domains[nm].hi, domains[nm].lo_in, domains[nm].hi_in) for nm in free}
    if bounds is None:
        return search
    if not isinstance(bounds, Mapping):
        raise TypeError(f"bounds must be a dict of parameter names to (low, high); got {type(bounds).__name__}")
    for key, pair in bounds.items():
        if key not in search:
            raise ValueError(
                f"bounds names {key!r}, which is not a free parameter of {dist.name}; free parameters are {tuple(free)}"
            )
        if isinstance(pair, (str, bytes)) or not isinstance(pair, Sequence) or len(pair) != 2:
            raise TypeError(f"bounds[{key!r}] must be a (low, high) pair; got {pair!r}")
        lo = -np.inf if pair[0] is None else float(as_float_array(pair[0], f"bounds[{key!r}] low", ndim=0))
        hi = np.inf if pair[1] is None else float(as_float_array(pair[1], f"bounds[{key!r}] high", ndim=0))
        dom = search[key]
        new_lo, lo_in = (lo, True) if lo > dom.lo else (dom.lo, dom.lo_in)
        new_hi, hi_in = (hi, True) if hi < dom.hi else (dom.hi, dom.hi_in)
        if not new_lo < new_hi:
            raise ValueError(f"bounds[{key!r}] = {pair!r} leaves no room inside the domain {dom.describe()}")
        search[key] = _Domain(new_lo, new_hi, lo_in, hi_in)
    return search


def _problem(dist: Any, data: ArrayLike, fixed: object, bounds: object) -> _Problem:
    """Step 1: validate the arguments and set up ln L over the free parameters."""
    kind = _distribution_kind(dist)
    domains = _domains(dist, kind)
    xs = as_sample(data, "data")
    _check_data(dist, kind, xs)
    fixed_vals = _fixed_values(dist, domains, fixed)
    free = [nm for nm in domains if nm not in fixed_vals]
    if not free:
        raise ValueError(
            f"fixed must leave at least one parameter of {dist.name} free; it fixes all of {tuple(domains)}"
        )
    for nm in free:
        if domains[nm].integral:
            what = "loc of a discrete distribution" if nm == "loc" else f"integer-valued parameter {nm!r}"
            raise ValueError(
                f"fixed must give the {what} (e.g. fixed={{{nm!r}: ...}}): the likelihood is a step "
                f"function of it, which a numerical optimiser cannot climb"
            )
    search = _search_domains(dist, domains, free, bounds)
    sd = _spread(xs)
    if sd == 0 and kind == "continuous" and "scale" in free:
        raise ValueError(
            f"data are all equal ({xs[0]}), so the {dist.name} likelihood grows without bound as "
            f"scale -> 0 and no maximum likelihood estimate exists"
        )
    return _Problem(
        dist=dist,
        kind=kind,
        xs=xs,
        shape_names=[nm for nm in domains if nm not in ("loc", "scale")],
        fixed=fixed_vals,
        free=free,
        search=search,
        data_unit=sd if sd > 0 else max(abs(float(xs[0])), 1.0),
    )


# ----------------------------------------------------------------------------------------------------------
# Step 2: a start value
# ----------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Start:
    """Start values for the free parameters, their ln L, and where they came from."""

    theta: list[float]
    loglik: float
    how: str


def _inside_start(dom: _Domain, preferred: float) -> float:
    """``preferred`` if it lies strictly inside the domain, else a sensible interior point."""
    lo, hi = dom.lo, dom.hi
    if lo < preferred < hi and np.isfinite(preferred):
        return float(preferred)
    if np.isfinite(lo) and np.isfinite(hi):
        return (lo + hi) / 2.0
    if np.isfinite(lo):
        return lo + 1.0
    if np.isfinite(hi):
        return hi - 1.0
    return 0.0


def _standard_support(dist: Any, shapes: list[float]) -> tuple[float, float]:
    """The support (a₀, b₀) of the standardised distribution (loc 0, scale 1) at these shapes."""
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        try:
            a0, b0 = (float(v) for v in dist.support(*shapes))
        except Exception:
            return -np.inf, np.inf
    return a0, b0


def _loc_guess(
    dist: Any, xs: np.ndarray, values: dict[str, float], shape_names: list[str], scale_free: bool
) -> tuple[float, float]:
    """Start values (loc, scale) that put the support around the data, given the shapes' start values.

    For a support bounded on both sides (the uniform) a free scale is widened so the support covers
    the data with a 5 % margin each side; otherwise scale is returned unchanged.
    """
    args = [values[nm] for nm in shape_names]
    scale = values.get("scale", 1.0)
    a0, b0 = _standard_support(dist, args)
    lo, hi = float(xs.min()), float(xs.max())
    pad = 0.05 * hi - 0.05 * lo if hi > lo else 0.05 * max(abs(lo), 1.0)
    if np.isfinite(a0) and np.isfinite(b0):
        if scale_free and b0 > a0:
            scale = (hi - lo + 2.0 * pad) / (b0 - a0)
        return lo / 2.0 + hi / 2.0 - scale * (a0 + b0) / 2.0, scale
    if np.isfinite(a0):
        return lo - pad - scale * a0, scale
    if np.isfinite(b0):
        return hi + pad - scale * b0, scale
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        try:
            centre = float(dist.median(*args))
        except Exception:
            centre = 0.0
    return float(np.median(xs)) - scale * (centre if np.isfinite(centre) else 0.0), scale


def _scipy_fit_start(problem: _Problem) -> dict[str, float] | None:
    """scipy's own ``dist.fit`` as a fallback start for a continuous distribution."""
    kwargs = {("f" + nm if nm in ("loc", "scale") else "fix_" + nm): v for nm, v in problem.fixed.items()}
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            est = problem.dist.fit(problem.xs, **kwargs)
    except Exception:
        return None
    values = dict(zip([*problem.shape_names, "loc", "scale"], (float(v) for v in est), strict=True))
    if not all(np.isfinite(values.get(nm, np.nan)) for nm in problem.free):
        return None
    return {nm: values[nm] for nm in problem.free}


def _parse_x0(
    x0: Mapping[str, float] | Sequence[float] | None, free: list[str], search: dict[str, _Domain]
) -> dict[str, float]:
    """Validate ``x0``: a dict for some free parameters or a sequence for all, strictly inside the search."""
    if x0 is None:
        return {}
    if isinstance(x0, Mapping):
        items = list(x0.items())
        for key, _ in items:
            if key not in search:
                raise ValueError(f"x0 names {key!r}, which is not a free parameter; free parameters are {tuple(free)}")
    else:
        arr = as_float_array(x0, "x0", ndim=1)
        if arr.size != len(free):
            raise ValueError(
                f"x0 must give {len(free)} start values, one per free parameter {tuple(free)}; got {arr.size}"
            )
        items = list(zip(free, arr, strict=True))
    out = {}
    for key, value in items:
        v = float(as_float_array(value, f"x0[{key!r}]", ndim=0))
        dom = search[key]
        if not dom.lo < v < dom.hi:
            raise ValueError(f"x0[{key!r}] must lie strictly inside the search interval {dom.describe()}; got {v}")
        out[key] = v
    return out


def _choose_start(problem: _Problem, x0: Mapping[str, float] | Sequence[float] | None) -> _Start:
    """Step 2: default start (shapes mid-domain, scale = sd, loc centring the support), ``x0``, or dist.fit."""
    search, free = problem.search, problem.free
    start: dict[str, float] = {nm: _inside_start(search[nm], np.nan) for nm in problem.shape_names if nm in search}
    if "scale" in search:
        start["scale"] = _inside_start(search["scale"], problem.data_unit)
    if "loc" in search:
        loc_g, scale_g = _loc_guess(
            problem.dist, problem.xs, {**problem.fixed, **start}, problem.shape_names, "scale" in search
        )
        start["loc"] = _inside_start(search["loc"], loc_g)
        if "scale" in search:
            start["scale"] = _inside_start(search["scale"], scale_g)
    user = _parse_x0(x0, free, search)
    start.update(user)
    best = _Start([start[nm] for nm in free], problem.loglik(start), "x0" if user else "default start")
    if best.loglik == -np.inf and problem.kind == "continuous" and len(user) < len(free):
        fitted = _scipy_fit_start(problem)
        if fitted is not None:
            cand = {**fitted, **user}
            if all(search[nm].lo < cand[nm] < search[nm].hi for nm in free):
                ll = problem.loglik(cand)
                if ll > best.loglik:
                    best = _Start([cand[nm] for nm in free], ll, "dist.fit start")
    if best.loglik == -np.inf:
        raise ValueError(
            f"data have log-likelihood -inf under {problem.dist.name} at the start values (is every "
            f"observation inside the support?); if they are, pass start values x0"
        )
    return best


# ----------------------------------------------------------------------------------------------------------
# Step 3: climb on an unconstrained scale
# ----------------------------------------------------------------------------------------------------------
class _Transform:
    """Maps an unconstrained u (0 at the start value) onto the parameter's open interval (lo, hi).

    logit for a bounded interval, log for a half-line, and a linear map in units of ``unit`` (the
    data's standard deviation for ``loc``) for the whole line.
    """

    def __init__(self, lo: float, hi: float, start: float, unit: float):
        self.lo, self.hi, self.start, self.unit = lo, hi, start, unit
        if np.isfinite(lo) and np.isfinite(hi):
            self.kind = "logit"
            self.offset = float(special.logit((start - lo) / (hi - lo)))
        elif np.isfinite(lo):
            self.kind = "log_lo"
        elif np.isfinite(hi):
            self.kind = "log_hi"
        else:
            self.kind = "linear"

    def __call__(self, u: float) -> float:
        if self.kind == "logit":
            return self.lo + (self.hi - self.lo) * float(special.expit(u + self.offset))
        if self.kind == "log_lo":
            return self.lo + (self.start - self.lo) * math.exp(min(u, 700.0))
        if self.kind == "log_hi":
            return self.hi - (self.hi - self.start) * math.exp(min(u, 700.0))
        return self.start + self.unit * u

    def inverse(self, v: float) -> float:
        """u with self(u) = v (v strictly inside the interval)."""
        if self.kind == "logit":
            return float(special.logit((v - self.lo) / (self.hi - self.lo))) - self.offset
        if self.kind == "log_lo":
            return math.log((v - self.lo) / (self.start - self.lo))
        if self.kind == "log_hi":
            return math.log((self.hi - v) / (self.hi - self.start))
        return (v - self.start) / self.unit


@dataclass(frozen=True)
class _Climb:
    """Where one climb ended: the values of the parameters it moved, ln L there, and how it went."""

    theta: list[float]
    loglik: float
    converged: bool
    notes: list[str]


def _unit(problem: _Problem, name: str, value: float) -> float:
    """The natural size of a step in ``name``: the data's spread for loc, else max(|value|, 1)."""
    return problem.data_unit if name == "loc" else max(abs(value), 1.0)


def _climb(
    problem: _Problem, names: list[str], fn: Callable[[Sequence[float]], float], theta0: list[float], ll0: float
) -> _Climb:
    """Step 3: maximise ``fn`` over ``names`` from ``theta0`` — Nelder–Mead, then a BFGS polish.

    The search runs on an unconstrained scale (:class:`_Transform`). Nelder–Mead tolerates the −inf of
    impossible data; BFGS with central-difference gradients then polishes, and is kept only if it does
    not lower ln L.
    """
    k = len(names)
    if k == 0:
        return _Climb([], ll0, True, [])
    search = problem.search
    transforms = [
        _Transform(search[nm].lo, search[nm].hi, v, _unit(problem, nm, v)) for nm, v in zip(names, theta0, strict=True)
    ]

    def natural(u: np.ndarray) -> list[float]:
        return [t(float(ui)) for t, ui in zip(transforms, u, strict=True)]

    def objective(u: np.ndarray) -> float:
        val = fn(natural(u))
        return -val if np.isfinite(val) else np.inf

    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        nm_res = optimize.minimize(
            objective,
            np.zeros(k),
            method="Nelder-Mead",
            options={
                "initial_simplex": np.vstack([np.zeros(k), 0.3 * np.eye(k)]),
                "xatol": 1e-9,
                "fatol": 1e-12 * max(1.0, abs(ll0)),
                "maxiter": 2000 * k,
                "maxfev": 4000 * k,
            },
        )
    theta = natural(nm_res.x)
    ll = fn(theta)
    if ll < ll0:  # never end below the start
        theta, ll = list(theta0), ll0
    converged = bool(nm_res.success)
    notes = [f"Nelder-Mead: {nm_res.message}"]
    if not all(t.lo < v < t.hi for t, v in zip(transforms, theta, strict=True)):
        return _Climb(theta, ll, converged, notes)  # ran onto an end in rounding: that is for the edge step
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        u_start = np.array([t.inverse(v) for t, v in zip(transforms, theta, strict=True)])
        pol = optimize.minimize(
            objective,
            u_start,
            method="BFGS",
            jac="3-point",
            options={"gtol": 1e-9 * max(1.0, abs(ll)), "maxiter": 200},
        )
    if np.all(np.isfinite(pol.x)) and np.isfinite(pol.fun) and -pol.fun >= ll:
        theta, ll = natural(pol.x), float(-pol.fun)
        converged = converged or bool(pol.success)
        notes.append(f"BFGS polish: {pol.message}")
    return _Climb(theta, ll, converged, notes)


# ----------------------------------------------------------------------------------------------------------
# Step 4: maxima on an edge of the parameter domain or of the support
# ----------------------------------------------------------------------------------------------------------
_PARAMETER_EDGE = (
    "the maximum is on the edge of the parameter space ({name} = {value:g}), where the log-likelihood is "
    "not differentiable in the usual sense and the asymptotic normal theory does not apply"
)
_SUPPORT_EDGE = (
    "the maximum is on the edge of the support (it touches the sample {which}), so ln L is not "
    "differentiable there and the asymptotic normal theory does not apply"
)


@dataclass(frozen=True)
class _Edge:
    """One edge to try: some free parameters pinned by formulas of the others, the rest re-maximised.

    ``pinned`` maps each pinned parameter to a function of the full parameter dict (applied in order,
    so a later formula may use an earlier pinned value). ``outward`` gives, per pinned parameter, the
    direction (+1 or −1) that widens the support: its formula is computed in floating point and may
    leave an extreme observation a rounding error outside, which a few ulps outward repair.
    """

    pinned: dict[str, Callable[[dict[str, float]], float]]
    outward: dict[str, float]
    note: str

    def place(self, problem: _Problem, values: dict[str, float]) -> tuple[float, dict[str, float]]:
        """ln L with the pinned parameters computed from ``values``, and the full free values used."""
        v = dict(values)
        for nm, formula in self.pinned.items():
            v[nm] = float(formula({**problem.fixed, **v}))
        for attempt in range(8):
            if not all(np.isfinite(v[nm]) and problem.search[nm].contains(v[nm]) for nm in self.pinned):
                return -np.inf, v
            ll = problem.loglik(v)
            if ll > -np.inf or not self.outward:
                return ll, v
            for nm, sign in self.outward.items():
                v[nm] = v[nm] + sign * (2.0**attempt) * float(np.spacing(abs(v[nm])))
        return -np.inf, v


def _constant(value: float) -> Callable[[dict[str, float]], float]:
    """A pinning formula that ignores the other parameters (an end of the parameter's interval)."""

    def formula(_values: dict[str, float]) -> float:
        return value

    return formula


def _parameter_edges(problem: _Problem) -> list[_Edge]:
    """Each finite, attainable end of each free parameter's search interval (p = 0, μ = 0, a bound)."""
    edges = []
    for nm in problem.free:
        dom = problem.search[nm]
        for end, attainable in ((dom.lo, dom.lo_in), (dom.hi, dom.hi_in)):
            if attainable and np.isfinite(end):
                edges.append(_Edge({nm: _constant(end)}, {}, _PARAMETER_EDGE.format(name=nm, value=end)))
    return edges


def _support_edges(problem: _Problem, values: dict[str, float]) -> list[_Edge]:
    """loc and/or scale placed so that the support [loc + scale·a₀, loc + scale·b₀] touches x₍₁₎ or x₍ₙ₎.

    a₀, b₀ (the standardised support) may depend on the shapes, so every formula recomputes them.
    """
    if problem.kind != "continuous" or not {"loc", "scale"} & set(problem.free):
        return []
    dist, shapes = problem.dist, problem.shape_names
    lo, hi = float(problem.xs.min()), float(problem.xs.max())

    def a0(p: dict[str, float]) -> float:
        return _standard_support(dist, [p[nm] for nm in shapes])[0]

    def b0(p: dict[str, float]) -> float:
        return _standard_support(dist, [p[nm] for nm in shapes])[1]

    low, high, both = (_SUPPORT_EDGE.format(which=w) for w in ("minimum", "maximum", "minimum and maximum"))
    edges = []
    if "loc" in problem.free and "scale" in problem.free and hi > lo:
        edges.append(
            _Edge(
                {"scale": lambda p: (hi - lo) / (b0(p) - a0(p)), "loc": lambda p: lo - p["scale"] * a0(p)},
                {"scale": 1.0, "loc": -1.0},
                both,
            )
        )
    if "loc" in problem.free:
        edges.append(_Edge({"loc": lambda p: lo - p["scale"] * a0(p)}, {"loc": -1.0}, low))
        edges.append(_Edge({"loc": lambda p: hi - p["scale"] * b0(p)}, {"loc": 1.0}, high))
    if "scale" in problem.free:
        # loc + scale·a₀ = x₍₁₎ fixes scale when a₀ ≠ 0 (the Pareto, a₀ = 1), and loc + scale·b₀ = x₍ₙ₎
        # when b₀ ≠ 0. The signs of a₀, b₀ (at the current shapes) say which way widens the support.
        a_now, b_now = _standard_support(dist, [values[nm] if nm in values else problem.fixed[nm] for nm in shapes])
        if np.isfinite(a_now) and a_now != 0:
            edges.append(_Edge({"scale": lambda p: (lo - p["loc"]) / a0(p)}, {"scale": -np.sign(a_now)}, low))
        if np.isfinite(b_now) and b_now != 0:
            edges.append(_Edge({"scale": lambda p: (hi - p["loc"]) / b0(p)}, {"scale": np.sign(b_now)}, high))
    return edges


@dataclass(frozen=True)
class _Optimum:
    """The chosen maximum: all free values, ln L, honest convergence, and the edge it is on (if any)."""

    values: dict[str, float]
    loglik: float
    converged: bool
    edge: _Edge | None
    notes: list[str]


def _climb_on_edge(problem: _Problem, edge: _Edge, interior: dict[str, float]) -> _Optimum | None:
    """Pin ``edge`` and re-maximise the remaining free parameters, from their interior values."""
    rest = [nm for nm in problem.free if nm not in edge.pinned]

    def fn(vec: Sequence[float]) -> float:
        return edge.place(problem, {**interior, **dict(zip(rest, vec, strict=True))})[0]

    theta0 = [interior[nm] for nm in rest]
    ll0 = fn(theta0)
    if ll0 == -np.inf:
        return None
    climb = _climb(problem, rest, fn, theta0, ll0)
    ll, values = edge.place(problem, {**interior, **dict(zip(rest, climb.theta, strict=True))})
    if ll == -np.inf:
        return None
    notes = [f"re-maximised {', '.join(rest)} on the edge: {'; '.join(climb.notes)}"] if rest else []
    return _Optimum(values, ll, climb.converged, edge, notes)


def _settle_edges(problem: _Problem, interior: _Optimum) -> _Optimum:
    """Step 4: try every edge; keep the most likely, preferring an edge that is at least as likely.

    The optimiser only approaches an edge (its transforms map to open intervals), so an edge maximum
    is pinned exactly here, and the other free parameters are re-maximised with the edge held: the
    exponential's ``scale`` at ``loc`` = x₍₁₎ is mean(x) − x₍₁₎ only once it has been re-fitted there.
    """
    best = interior
    slack = 1e-12 * max(1.0, abs(interior.loglik))  # an edge the climb approached from inside ties with it
    for edge in _parameter_edges(problem) + _support_edges(problem, interior.values):
        cand = _climb_on_edge(problem, edge, interior.values)
        if cand is None:
            continue
        if (best.edge is None and cand.loglik >= best.loglik - slack) or cand.loglik > best.loglik:
            best = cand
    return best


# ----------------------------------------------------------------------------------------------------------
# Step 5: an honest convergence flag
# ----------------------------------------------------------------------------------------------------------
def _is_local_maximum(problem: _Problem, optimum: _Optimum) -> bool:
    """Whether no step of ±10⁻³ and ±10⁻⁶ (relative) in any non-pinned free parameter raises ln L.

    The optimisers' own flags describe their stopping rules, not the answer; this checks the answer.
    """
    moving = [nm for nm in problem.free if optimum.edge is None or nm not in optimum.edge.pinned]
    tol = 1e-9 * max(1.0, abs(optimum.loglik))
    for nm in moving:
        v = optimum.values[nm]
        for rel in (1e-3, 1e-6):
            for sign in (1.0, -1.0):
                trial = v + sign * rel * _unit(problem, nm, v)
                if not problem.search[nm].contains(trial):
                    continue
                values = {**optimum.values, nm: trial}
                ll = optimum.edge.place(problem, values)[0] if optimum.edge is not None else problem.loglik(values)
                if ll > optimum.loglik + tol:
                    return False
    return True


# ----------------------------------------------------------------------------------------------------------
# Step 6: smoothness, then the observed information
# ----------------------------------------------------------------------------------------------------------
def _reference_steps(problem: _Problem, values: dict[str, float]) -> np.ndarray:
    """A natural length per free parameter; finite-difference steps are fractions of it.

    The distance to the nearest end of its domain if finite, else the data's spread for loc, else max(|θ̂ⱼ|, 1).
    """
    ref = np.empty(len(problem.free))
    for j, nm in enumerate(problem.free):
        v, dom = values[nm], problem.search[nm]
        gaps = [g for g in (v - dom.lo, dom.hi - v) if np.isfinite(g)]
        if gaps:
            ref[j] = min(gaps)
        elif nm == "loc":
            ref[j] = max(problem.data_unit, 1e-4 * abs(v))
        else:
            ref[j] = max(abs(v), 1.0)
    return ref


def _smoothness_failure(problem: _Problem, values: dict[str, float], loglik: float) -> str | None:
    """Is ln L twice differentiable at θ̂, with curvature? ``None`` if it looks so, else the reason not.

    For a smooth ln L the curvature estimate c(h) = −[ℓ(θ + h) − 2ℓ(θ) + ℓ(θ − h)]/h² settles to
    −∂²ℓ/∂θⱼ² as h shrinks. At a kink (left and right derivatives differ) it grows like 1/h; on a flat
    stretch between kinks it drops to 0. So c(h) is compared across steps h = 10⁻²…10⁻⁷ of the
    parameter's natural length, as the ratio c(h)/c(h₀) (no h² is formed, so data near the ends of
    float64 are fine). A step is used only where a smooth ℓ's second difference would stand well above
    the rounding noise of ℓ (≈ ε·Σ|ln f(xᵢ)|); a change of the ratio beyond 5 % is a failure. A second
    difference lost in the noise already at the largest step means ℓ is flat along θⱼ: the maximum is
    not unique (the Laplace's median for an even n) and there is no information either.
    """
    ref = _reference_steps(problem, values)
    abs_sum = float(np.sum(np.abs(problem.terms(values))))
    noise = 8.0 * (math.log2(problem.xs.size) + 4.0) * _EPS * max(abs_sum, abs(loglik))
    for j, nm in enumerate(problem.free):
        shrink = 10.0 ** -np.arange(0, 6)  # h / h₀
        steps = 1e-2 * ref[j] * shrink
        raw = []
        for h in steps:
            up = problem.loglik({**values, nm: values[nm] + h})
            down = problem.loglik({**values, nm: values[nm] - h})
            raw.append(-(up - 2.0 * loglik + down))
        if not np.isfinite(raw[0]):
            continue  # ln L = −inf nearby: the support's edge, reported by the information step
        if abs(raw[0]) <= 100.0 * noise:
            return (
                f"ln L is flat in {nm} near the maximum (no curvature above rounding noise within "
                f"{steps[0]:.3g} of {nm} = {values[nm]:.6g}), so the maximum is not unique, as for the "
                f"Laplace's median with an even n, and there is no information"
            )
        if raw[0] < 0:
            continue  # not a maximum along θⱼ: the definiteness check speaks
        for r, h, d in zip(shrink[1:], steps[1:], raw[1:], strict=True):
            if raw[0] * r * r < 100.0 * noise:
                break  # from here on a smooth ℓ would drown in rounding noise
            ratio = d / (raw[0] * r * r)  # c(h) / c(h₀)
            if not np.isfinite(ratio) or abs(ratio - 1.0) > 0.05 + 4.0 * noise / (raw[0] * r * r):
                return (
                    f"ln L is not twice differentiable at the maximum: its curvature in {nm}, estimated "
                    f"by second differences, changes by a factor of {ratio:.3g} when the step shrinks from "
                    f"{steps[0]:.3g} to {h:.3g} instead of settling (ln L has a kink there, as the "
                    f"Laplace's −Σ|xᵢ − μ|/b has at the median), so there is no Hessian and the "
                    f"asymptotic normal theory does not apply"
                )
    return None


def _observed_information(problem: _Problem, values: dict[str, float], loglik: float) -> _Information | str:
    """−Hessian of ln L at θ̂ on the natural scale, or the reason it does not exist.

    Central differences with step 10⁻⁴ of each parameter's natural length; it does not exist when ln L is −inf
    arbitrarily close.
    """
    free = problem.free
    k = len(free)
    h = 1e-4 * _reference_steps(problem, values)
    theta = np.array([values[nm] for nm in free])

    def f(shift_in_steps: np.ndarray) -> float:
        return problem.loglik(dict(zip(free, theta + shift_in_steps * h, strict=True)))

    scaled = np.empty((k, k))  # −Hessian in units of the steps: J̃ᵢⱼ = Jᵢⱼ hᵢ hⱼ
    for i in range(k):
        ei = np.zeros(k)
        ei[i] = 1.0
        scaled[i, i] = -(f(ei) - 2.0 * loglik + f(-ei))
        for j in range(i):
            ej = np.zeros(k)
            ej[j] = 1.0
            scaled[i, j] = scaled[j, i] = -(f(ei + ej) - f(ei - ej) - f(-ei + ej) + f(-ei - ej)) / 4.0
    if not np.all(np.isfinite(scaled)):
        return (
            "the maximum is on the edge of the support: ln L is -inf arbitrarily close to it, so it "
            "has no Hessian there and the asymptotic normal theory does not apply"
        )
    scaled.setflags(write=False)
    h.setflags(write=False)
    return _Information(scaled, h)


# ----------------------------------------------------------------------------------------------------------
# The public function
# ----------------------------------------------------------------------------------------------------------
def numerical_mle(
    dist: Any,
    data: ArrayLike,
    *,
    fixed: Mapping[str, float] | None = None,
    x0: Mapping[str, float] | Sequence[float] | None = None,
    bounds: Mapping[str, tuple[float | None, float | None]] | None = None,
) -> NumericalMLE:
    """Maximum likelihood estimate by numerical optimisation, for any ``scipy.stats`` distribution.

    Maximises ln L(θ) = Σ ln f(xᵢ | θ) (``logpdf`` or ``logpmf`` summed over the data) over the free
    parameters θ with ``scipy.optimize.minimize``. It shares no code with the closed forms of
    :mod:`mle_lib.estimators`, which makes it an independent check on them.

    Parameters
    ----------
    dist : scipy.stats distribution
        An unfrozen distribution object such as ``scipy.stats.norm`` or ``scipy.stats.poisson``. Its
        parameters are its shapes, then ``loc`` and (continuous only) ``scale``.
    data : array_like of shape (n,)
        The sample x₁ … xₙ (integers for a discrete distribution).
    fixed : dict, optional
        Parameters held at given values, e.g. ``{"loc": 0}``. A discrete distribution's ``loc`` and
        integer-valued shapes (binom's ``n``) must be fixed: the likelihood is a step function of them.
    x0 : dict or sequence, optional
        Start values for the free parameters: a dict for some of them, or a sequence for all, in
        ``scipy.stats`` order. By default: a midpoint for bounded shapes (p = 1/2), 1 for positive
        shapes (μ = 1 for the Poisson), the sample standard deviation for ``scale`` and a ``loc``
        that centres the support on the data; if that start makes the data impossible, scipy's own
        ``dist.fit`` (continuous only).
    bounds : dict, optional
        ``{name: (low, high)}`` to confine the search for some free parameters (``None`` = no limit);
        it is intersected with the parameter's natural domain and its ends are allowed.

    Returns
    -------
    NumericalMLE
        Estimates, ln L(θ̂), convergence flag, and — when θ̂ is an interior point of a smooth
        likelihood — the observed information, covariance, standard errors and Wald intervals.

    Notes
    -----
    The search runs on an unconstrained scale (log for positive parameters, logit for parameters in
    an interval, loc in units of the sample standard deviation) with Nelder–Mead, which tolerates the
    −inf of impossible data, and is then polished by BFGS with central-difference gradients.

    Two kinds of maximum are not interior points, and are handled explicitly rather than left to the
    optimiser's tolerance: (1) the parameter space's edge (p̂ = 0 when every trial failed, μ̂ = 0 for
    all-zero Poisson counts, the end of a ``bounds`` interval) — each finite end is tried; (2) the
    support's edge, where ``loc``/``scale`` make the support touch the sample minimum or maximum (the
    uniform, whose likelihood (b − a)^(−n) has no interior optimum; the exponential with free ``loc``;
    the Pareto with free ``scale``) — the support is snapped onto the data extremes. On each edge the
    other free parameters are maximised again, and the edge is kept if it is at least as likely.
    Either way ``on_boundary`` is True and the information-based attributes raise a ``ValueError``
    explaining why, since the asymptotic normal theory does not apply there.

    At an interior maximum the information exists only if ln L is twice differentiable there. This is
    checked by comparing second differences of ln L at steps from 10⁻² to 10⁻⁷ of each parameter's
    natural length: for a kink, such as the Laplace's at the median, they do not settle, ``regular`` is
    False and the information-based attributes raise a ``ValueError`` saying so.

    ``converged`` is True only if the optimiser reported success and no small step (relative 10⁻³ or
    10⁻⁶) of any free parameter that is not pinned on an edge raises ln L.

    Raises
    ------
    TypeError
        If ``dist`` is not an unfrozen ``scipy.stats`` distribution, or an argument has the wrong type.
    ValueError
        If ``data`` is empty, not 1-D, not finite, not integers for a discrete ``dist``, or span more
        than float64 can hold; if ``fixed``, ``x0`` or ``bounds`` name unknown parameters or give values
        outside a domain; if nothing is left free; if no start value gives the data a finite
        log-likelihood; or if no MLE exists because the likelihood is unbounded (all data equal with a
        free ``scale``; a density with a pole at the support's edge, such as the gamma with shape
        a < 1 and a free ``loc``).

    Examples
    --------
    >>> fit = numerical_mle(stats.poisson, [2, 0, 3, 1], fixed={"loc": 0})
    >>> round(fit.params["mu"], 6), round(fit.standard_errors["mu"], 6)   # x̄ and √(x̄/n)
    (1.5, 0.612372)
    >>> fit = numerical_mle(stats.uniform, [2.5, 0.5, 1.75, 3.0])
    >>> fit.params, fit.on_boundary                                       # loc = x₍₁₎, scale = x₍ₙ₎ − x₍₁₎
    ({'loc': 0.5, 'scale': 2.5}, True)
    >>> fit = numerical_mle(stats.expon, [1.0, 2.0, 4.0, 5.0])            # loc = x₍₁₎, scale = x̄ − x₍₁₎
    >>> fit.params["loc"], round(fit.params["scale"], 6), fit.converged
    (1.0, 2.0, True)
    """
    problem = _problem(dist, data, fixed, bounds)  # 1. parameters, domains, ln L
    start = _choose_start(problem, x0)  # 2. a start with finite ln L
    climb = _climb(problem, problem.free, problem.loglik_of(problem.free), start.theta, start.loglik)  # 3.
    interior = _Optimum(
        dict(zip(problem.free, climb.theta, strict=True)),
        climb.loglik,
        climb.converged,
        None,
        [f"from the {start.how}: {'; '.join(climb.notes)}"],
    )
    optimum = _settle_edges(problem, interior)  # 4. edges, with the rest re-maximised
    converged = optimum.converged and _is_local_maximum(problem, optimum)  # 5.
    if problem.unbounded:
        where = ", ".join(f"{nm}={v:.6g}" for nm, v in problem.unbounded[0].items())
        raise ValueError(
            f"the {problem.dist.name} likelihood of these data is unbounded (ln L = +inf at {where}, where "
            f"the density is infinite at an observation), so no maximum likelihood estimate exists; fix "
            f"the offending parameter with fixed={{...}}"
        )

    notes = list(interior.notes)
    info: _Information | None = None
    on_edge = optimum.edge is not None
    if optimum.edge is not None:
        notes += [*optimum.notes, optimum.edge.note]
    else:  # 6. smoothness, then the information
        kink = _smoothness_failure(problem, optimum.values, optimum.loglik)
        got = _observed_information(problem, optimum.values, optimum.loglik) if kink is None else kink
        if isinstance(got, _Information):
            info = got
        else:
            notes.append(got)
            on_edge = kink is None  # ln L = −inf arbitrarily close: the support's edge
    return NumericalMLE(
        params={nm: float(optimum.values[nm]) for nm in problem.free},
        loglik=float(optimum.loglik),
        converged=converged,
        on_boundary=on_edge,
        fixed=dict(problem.fixed),
        message="; ".join(notes),
        regular=info is not None,
        _information=info,
    )
