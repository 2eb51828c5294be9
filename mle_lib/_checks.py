"""Validation at the boundary of every public function.

Each checker takes the value and the *name of the argument* it came from, so that the error a
student sees says which argument broke which rule, e.g.::

    ValueError: counts must be non-negative integers; got -1 at index 3

Inside the library the data are trusted once they have passed through one of these.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

__all__ = [
    "as_float_array",
    "as_sample",
    "as_binary_sample",
    "as_count_sample",
    "check_probability",
    "check_positive",
    "check_int",
    "check_simplex",
    "as_generator",
    "SIMPLEX_ATOL",
]

SIMPLEX_ATOL = 1e-8
"""How far from 1 the sum of weights or priors may be: |Σ wₖ − 1| ≤ 1e-8.

Loose enough for weights typed as rounded decimals of exact fractions to 1e-9 (and for any float
computation of them), tight enough that a typo such as [0.3, 0.6] is refused.
"""


def _first_bad(mask: np.ndarray) -> str:
    """Describe the first True position of ``mask`` as ``'index i'`` (flat index)."""
    idx = int(np.flatnonzero(mask.ravel())[0])
    return f"index {idx}"


def as_float_array(
    value: ArrayLike, name: str, *, ndim: int | tuple[int, ...] | None = None, allow_empty: bool = False
) -> np.ndarray:
    """Convert ``value`` to a finite float64 array, refusing anything else.

    Parameters
    ----------
    value : array_like
        Numbers (bools are refused: ``True`` is not a measurement).
    name : str
        The argument name used in error messages.
    ndim : int or tuple of int, optional
        Required number(s) of dimensions.
    allow_empty : bool
        Whether an array with no elements is acceptable.

    Examples
    --------
    >>> as_float_array([1, 2.5], "x")
    array([1. , 2.5])
    >>> as_float_array([1, None], "x")
    Traceback (most recent call last):
    ...
    TypeError: x must be numeric; got None
    >>> as_float_array([1, float("nan")], "x")
    Traceback (most recent call last):
    ...
    ValueError: x must contain only finite numbers; got nan at index 1
    """
    if isinstance(value, (str, bytes)):
        raise TypeError(f"{name} must be numeric; got a {type(value).__name__}")
    try:
        raw = np.asarray(value)
    except Exception as exc:  # ragged lists and the like
        raise TypeError(f"{name} must be an array of numbers; {exc}") from None
    if raw.dtype == bool:
        raise TypeError(f"{name} must be numeric; got booleans")
    if raw.dtype.kind not in "iuf":
        if raw.dtype.kind == "O":
            if any(v is None for v in raw.ravel()):
                raise TypeError(f"{name} must be numeric; got None")
            try:
                raw = raw.astype(float)
            except (TypeError, ValueError):
                raise TypeError(f"{name} must be numeric; got non-numeric entries") from None
        else:
            raise TypeError(f"{name} must be numeric; got dtype {raw.dtype}")
    arr = np.asarray(raw, dtype=np.float64)
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else tuple(ndim)
        if arr.ndim not in allowed:
            want = " or ".join(f"{d}-D" for d in allowed)
            raise ValueError(f"{name} must be {want}; got {arr.ndim}-D with shape {arr.shape}")
    if arr.size == 0 and not allow_empty:
        raise ValueError(f"{name} must not be empty")
    bad = ~np.isfinite(arr)
    if bad.any():
        first = arr.ravel()[np.flatnonzero(bad.ravel())[0]]
        raise ValueError(f"{name} must contain only finite numbers; got {first} at {_first_bad(bad)}")
    return arr


def as_sample(value: ArrayLike, name: str = "x") -> np.ndarray:
    """A non-empty, finite, one-dimensional sample x₁ … xₙ as float64.

    Examples
    --------
    >>> as_sample([[1, 2]], "x")
    Traceback (most recent call last):
    ...
    ValueError: x must be 1-D; got 2-D with shape (1, 2)
    """
    return as_float_array(value, name, ndim=1)


def as_binary_sample(value: ArrayLike, name: str = "x") -> np.ndarray:
    """A non-empty 1-D sample whose every value is 0 or 1.

    Examples
    --------
    >>> as_binary_sample([0, 1, 2], "x")
    Traceback (most recent call last):
    ...
    ValueError: x must contain only 0 and 1; got 2.0 at index 2
    """
    arr = as_sample(value, name)
    bad = (arr != 0) & (arr != 1)
    if bad.any():
        raise ValueError(f"{name} must contain only 0 and 1; got {arr[bad][0]} at {_first_bad(bad)}")
    return arr


def as_count_sample(
    value: ArrayLike, name: str = "counts", *, upper: int | None = None, upper_name: str | None = None
) -> np.ndarray:
    """A non-empty 1-D sample of non-negative integers (as float64), optionally ≤ ``upper``.

    Examples
    --------
    >>> as_count_sample([2, 0, 3], "counts")
    array([2., 0., 3.])
    >>> as_count_sample([2, -1], "counts")
    Traceback (most recent call last):
    ...
    ValueError: counts must be non-negative integers; got -1.0 at index 1
    >>> as_count_sample([1.5], "counts")
    Traceback (most recent call last):
    ...
    ValueError: counts must be non-negative integers; got 1.5 at index 0
    """
    arr = as_sample(value, name)
    bad = (arr < 0) | (arr != np.floor(arr))
    if bad.any():
        raise ValueError(f"{name} must be non-negative integers; got {arr[bad][0]} at {_first_bad(bad)}")
    if upper is not None:
        over = arr > upper
        if over.any():
            bound = upper_name or str(upper)
            raise ValueError(f"{name} must not exceed {bound}={upper}; got {arr[over][0]} at {_first_bad(over)}")
    return arr


def check_probability(value: ArrayLike, name: str = "p") -> np.ndarray:
    """Probabilities in [0, 1], as a float64 array of the input's shape (a 0-d array for a scalar).

    Examples
    --------
    >>> check_probability(1.5, "theta")
    Traceback (most recent call last):
    ...
    ValueError: theta must be a probability in [0, 1]; got 1.5 at index 0
    """
    arr = as_float_array(value, name)
    bad = (arr < 0) | (arr > 1)
    if bad.any():
        raise ValueError(
            f"{name} must be a probability in [0, 1]; got {arr.ravel()[np.flatnonzero(bad.ravel())[0]]} "
            f"at {_first_bad(bad)}"
        )
    return arr


def check_positive(value: ArrayLike, name: str, *, strict: bool = True) -> np.ndarray:
    """Numbers > 0 (or ≥ 0 with ``strict=False``), as a float64 array.

    Examples
    --------
    >>> check_positive(0.0, "sigma")
    Traceback (most recent call last):
    ...
    ValueError: sigma must be > 0; got 0.0 at index 0
    """
    arr = as_float_array(value, name)
    bad = arr <= 0 if strict else arr < 0
    if bad.any():
        rule = "> 0" if strict else ">= 0"
        raise ValueError(
            f"{name} must be {rule}; got {arr.ravel()[np.flatnonzero(bad.ravel())[0]]} at {_first_bad(bad)}"
        )
    return arr


def check_int(value: object, name: str, *, minimum: int | None = None, maximum: int | None = None) -> int:
    """An integer (Python or NumPy, not bool, not a float) within optional bounds.

    Examples
    --------
    >>> check_int(0, "n_trials", minimum=1)
    Traceback (most recent call last):
    ...
    ValueError: n_trials must be >= 1; got 0
    >>> check_int(2.5, "n_trials")
    Traceback (most recent call last):
    ...
    TypeError: n_trials must be an integer; got float 2.5
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer; got {type(value).__name__} {value!r}")
    value = int(value)
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be >= {minimum}; got {value}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} must be <= {maximum}; got {value}")
    return value


def check_simplex(value: ArrayLike | None, name: str, size: int | None = None, *, per: str = "component") -> np.ndarray:
    """Weights or priors: a 1-D float64 array of probabilities in [0, 1] summing to 1.

    The one rule for mixing weights and prior probabilities; the sum may miss 1 by at most
    :data:`SIMPLEX_ATOL` (1e-8). The array is returned as given (not renormalised). ``None`` means
    equal weights, ``1/size`` each (``size`` is then required).

    Parameters
    ----------
    value : array_like of shape (size,), or None
    name : str
        The argument name used in error messages.
    size : int, optional
        The required number of entries (one per ``per``).
    per : str
        What each entry belongs to, for the message (``"component"``, ``"mean"``, …).

    Examples
    --------
    >>> check_simplex([0.25, 0.75], "weights")
    array([0.25, 0.75])
    >>> check_simplex([0.3, 0.6], "weights")
    Traceback (most recent call last):
    ...
    ValueError: weights must sum to 1; got sum 0.8999999999999999
    >>> check_simplex([0.5, 0.5], "priors", 3, per="mean")
    Traceback (most recent call last):
    ...
    ValueError: priors must have one entry per mean (3); got 2
    >>> check_simplex(None, "priors", 4, per="mean")
    array([0.25, 0.25, 0.25, 0.25])
    """
    if value is None:
        if size is None:
            raise TypeError(f"{name} is None and no size is given: equal weights need the number of entries")
        return np.full(size, 1.0 / size)
    arr = as_float_array(value, name, ndim=1)
    if size is not None and arr.size != size:
        raise ValueError(f"{name} must have one entry per {per} ({size}); got {arr.size}")
    check_probability(arr, name)
    total = float(arr.sum())
    if abs(total - 1.0) > SIMPLEX_ATOL:
        raise ValueError(f"{name} must sum to 1; got sum {total!r}")
    return arr


def check_columns_sum_to_one(value: np.ndarray, name: str = "resp") -> np.ndarray:
    """Each column of a (K, N) array is a distribution over the K components: it sums to 1.

    The one rule for responsibilities (and any q over hidden labels), with the tolerance of
    :func:`check_simplex`, :data:`SIMPLEX_ATOL`. Shape and signs are the caller's to check.

    Examples
    --------
    >>> check_columns_sum_to_one(np.array([[0.5, 0.2], [0.5, 0.9]]), "resp")
    Traceback (most recent call last):
    ...
    ValueError: each column of resp must sum to 1 (a distribution over the components); column 1 sums to 1.1
    """
    sums = value.sum(axis=0)
    bad = np.abs(sums - 1.0) > SIMPLEX_ATOL
    if bad.any():
        n = int(np.flatnonzero(bad)[0])
        raise ValueError(
            f"each column of {name} must sum to 1 (a distribution over the components); "
            f"column {n} sums to {float(sums[n])!r}"
        )
    return value


def as_generator(seed: object, name: str = "rng") -> np.random.Generator:
    """A ``numpy.random.Generator`` from a Generator, an int seed, a SeedSequence or None.

    ``None`` gives fresh OS entropy (not reproducible); pass a seed for repeatable results.
    A legacy ``RandomState`` is refused so that hidden global state never enters.

    Examples
    --------
    >>> bool(as_generator(2023).integers(10) == as_generator(2023).integers(10))
    True
    """
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is None or isinstance(seed, np.random.SeedSequence):
        return np.random.default_rng(seed)
    if isinstance(seed, numbers.Integral) and not isinstance(seed, bool):
        if seed < 0:
            raise ValueError(f"{name} seed must be non-negative; got {seed}")
        return np.random.default_rng(int(seed))
    raise TypeError(f"{name} must be a numpy.random.Generator, an int seed or None; got {type(seed).__name__}")


# -------------------------------------------------------------------------------------------------
# Scalars, switches and choices (the views' and the widget factories' arguments)
# -------------------------------------------------------------------------------------------------


def check_real(
    value: object, name: str, *, minimum: float | None = None, maximum: float | None = None, strict: bool = False
) -> float:
    """One finite real number (Python or NumPy, not bool, not a string, not a sequence), as a float.

    ``minimum``/``maximum`` bound it (``strict=True`` excludes the bounds themselves).

    Examples
    --------
    >>> check_real(np.float32(0.5), "reg_covar", minimum=0.0)
    0.5
    >>> check_real([1e-3], "tol")
    Traceback (most recent call last):
    ...
    TypeError: tol must be a single number; got list [0.001]
    >>> check_real(-1.0, "tol", minimum=0.0)
    Traceback (most recent call last):
    ...
    ValueError: tol must be >= 0; got -1.0
    """
    zero_d = isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype.kind in "iuf"
    ok = isinstance(value, numbers.Real) or zero_d
    if isinstance(value, (bool, np.bool_)) or not ok:
        raise TypeError(f"{name} must be a single number; got {type(value).__name__} {value!r}")
    out = float(value)  # type: ignore[arg-type]
    if not np.isfinite(out):
        raise ValueError(f"{name} must be a finite number; got {out}")
    if minimum is not None and (out <= minimum if strict else out < minimum):
        raise ValueError(f"{name} must be {'>' if strict else '>='} {minimum:g}; got {out!r}")
    if maximum is not None and (out >= maximum if strict else out > maximum):
        raise ValueError(f"{name} must be {'<' if strict else '<='} {maximum:g}; got {out!r}")
    return out


def check_bool(value: object, name: str) -> bool:
    """A switch: ``True`` or ``False`` (Python or NumPy bool).

    A string such as ``"no"`` is refused: it would count as true.

    Examples
    --------
    >>> check_bool("no", "hard")
    Traceback (most recent call last):
    ...
    TypeError: hard must be True or False; got str 'no'
    """
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False; got {type(value).__name__} {value!r}")
    return bool(value)


def check_choice(value: object, name: str, options: tuple[Any, ...] | list[Any] | dict[Any, Any]) -> object:
    """One of a fixed set of values (compared with ``==``; an unhashable value is simply not one of them).

    Examples
    --------
    >>> check_choice("n-2", "divisor", ("n-1", "n", "n+1"))
    Traceback (most recent call last):
    ...
    ValueError: divisor must be one of ['n-1', 'n', 'n+1']; got 'n-2'
    """
    allowed = list(options)
    if not any(_same_option(value, o) for o in allowed):
        raise ValueError(f"{name} must be one of {allowed}; got {value!r}")
    return value


def _same_option(value: object, option: object) -> bool:
    """``value`` is ``option``: equal strings (NumPy's included), else the same type and equal (so 1 is not True)."""
    if isinstance(option, str):
        return isinstance(value, str) and value == option
    return value is option or (type(value) is type(option) and bool(value == option))


def check_int_sequence(value: object, name: str, *, minimum: int | None = None) -> list[int]:
    """A non-empty sequence (list, tuple, range, 1-D array) of integers, each within the bound.

    Examples
    --------
    >>> check_int_sequence(range(1, 4), "n_components_range", minimum=1)
    [1, 2, 3]
    >>> check_int_sequence(3, "n_components_range", minimum=1)
    Traceback (most recent call last):
    ...
    TypeError: n_components_range must be a sequence of integers such as [1, 2, 3] or range(1, 7); got int 3
    """
    if isinstance(value, (str, bytes, numbers.Number)) or not hasattr(value, "__iter__"):
        raise TypeError(
            f"{name} must be a sequence of integers such as [1, 2, 3] or range(1, 7); "
            f"got {type(value).__name__} {value!r}"
        )
    out = []
    for i, v in enumerate(value):
        if isinstance(v, bool) or not isinstance(v, numbers.Integral):
            raise TypeError(f"{name} must hold only integers; got {type(v).__name__} {v!r} at index {i}")
        if minimum is not None and v < minimum:
            raise ValueError(f"{name} must hold integers >= {minimum}; got {int(v)} at index {i}")
        out.append(int(v))
    if not out:
        raise ValueError(f"{name} must not be empty")
    return out


__all__ += ["check_real", "check_bool", "check_choice", "check_int_sequence"]
