"""Plain-JSON encoding of answers, test cases and outputs: what crosses the sandbox's wall, both ways.

The kernel in the sandbox encodes a student's answer (or each output of a student's function) with
:func:`encode`; the grader decodes it with :func:`decode` and judges the rebuilt object in its own process.
The grader encodes the test cases it chose the same way and the kernel decodes them. Only JSON is read
(never a pickle): the sandboxed code controls every byte it writes, so :func:`decode` caps depth and size
and rebuilds nothing but numbers, strings, lists, tuples, dicts, numpy arrays and scalars, and inert
stand-ins that carry the type name and a short repr of anything else ("expected a number; got Foo ...").

This file is copied into the sandbox as ``mle_grading_codec.py`` and must need nothing but the standard
library and numpy.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

import numpy as np

# Bound at import, before any student code runs in the kernel: a later monkeypatch of json.dumps/loads changes
# nothing here.
_json_dumps = json.dumps
_json_loads = json.loads

#: Entries (array elements, list items) one encoded value may hold in all.
MAX_ENTRIES = 2_000_000
#: Nesting depth of lists, tuples and dicts.
MAX_DEPTH = 12
#: Characters kept of a string (a longer one is cut and marked, so it cannot match an option by its prefix).
MAX_STR = 2000
#: Characters kept of the repr of an object that is not plain data.
MAX_REPR = 120

_NAME = re.compile(r"[^A-Za-z0-9_]")


class TooLarge(ValueError):
    """The value holds more than :data:`MAX_ENTRIES` entries or nests deeper than :data:`MAX_DEPTH`."""


def _safe_repr(obj: Any, limit: int = MAX_REPR) -> str:
    try:
        text = repr(obj)
    except BaseException:  # a student's __repr__ may raise anything
        text = "<unprintable>"
    text = " ".join(str(text)[: limit * 4].split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _type_name(obj: Any) -> str:
    try:
        name = type(obj).__name__
    except BaseException:
        name = "object"
    return str(name)[:40]


def _float(x: float) -> Any:
    return x if math.isfinite(x) else {"__float__": repr(x)}


def encode(obj: Any) -> Any:
    """``obj`` as JSON-ready data (see the module's docstring); raises :class:`TooLarge` past the caps."""
    return _Encoder().value(obj, 0)


class _Encoder:
    """One call of :func:`encode`: the entries it has left to spend and the encoding of each kind of value."""

    def __init__(self) -> None:
        self.budget = MAX_ENTRIES

    def spend(self, n: int) -> None:
        """Take ``n`` entries from the budget; :class:`TooLarge` once it is overdrawn."""
        self.budget -= n
        if self.budget < 0:
            raise TooLarge(f"more than {MAX_ENTRIES} entries")

    def value(self, x: Any, depth: int) -> Any:
        """Any value at nesting ``depth``, dispatched on its kind."""
        if depth > MAX_DEPTH:
            raise TooLarge(f"nested deeper than {MAX_DEPTH}")
        self.spend(1)
        if x is None or x is Ellipsis:
            return {"__ellipsis__": True} if x is Ellipsis else None
        if isinstance(x, np.ndarray):
            return self.array(x)
        if isinstance(x, np.generic):
            return self.scalar(x)
        if isinstance(x, bool | int | float | complex | str | bytes | bytearray):
            return self.plain(x)
        if isinstance(x, list | tuple | dict):
            return self.container(x, depth)
        return self.other(x)

    def plain(self, x: bool | int | float | complex | str | bytes | bytearray) -> Any:
        """A Python number, string or bytes: itself where JSON can hold it, else a tagged form."""
        if isinstance(x, bool):
            return x
        if isinstance(x, int):
            return x if abs(x) < 10**300 else {"__obj__": "int", "repr": _safe_repr(x)}
        if isinstance(x, float):
            return _float(float(x))
        if isinstance(x, complex):
            return {"__complex__": [_float(x.real), _float(x.imag)]}
        if isinstance(x, str):
            text = str(x)
            if len(text) > MAX_STR:
                return {"__str__": text[:MAX_STR], "len": len(text)}
            return text
        return {"__bytes__": bytes(x[:MAX_STR]).decode("latin-1"), "len": len(x), "type": _type_name(x)}

    def container(self, x: list[Any] | tuple[Any, ...] | dict[Any, Any], depth: int) -> Any:
        """A list (as a list), a tuple or a dict (tagged), its items one level deeper."""
        if isinstance(x, dict):
            return {"__dict__": [[self.value(k, depth + 1), self.value(v, depth + 1)] for k, v in x.items()]}
        items = [self.value(item, depth + 1) for item in x]
        return items if type(x) is list else {"__tuple__": items}

    def other(self, x: Any) -> Any:
        """A function by its name, a numeric array-like as its array, anything else as its type name and repr."""
        if callable(x) and not isinstance(x, type):
            return {"__fn__": str(getattr(x, "__name__", "function"))[:60]}
        if hasattr(x, "__array__"):  # pandas, array-likes: what np.asarray makes of it, as a check would
            try:
                arr = np.asarray(x)
            except BaseException:
                arr = None
            if arr is not None and arr.dtype.kind in "biufc":
                return self.array(arr)
        return {"__obj__": _type_name(x), "repr": _safe_repr(x)}

    def array(self, arr: np.ndarray[Any, Any]) -> Any:
        """A numpy array as its dtype, shape and flat data (object arrays item by item)."""
        self.spend(int(arr.size))
        kind = arr.dtype.kind
        shape = [int(n) for n in arr.shape]
        if kind in "biuf":
            data = [_float(v) if kind == "f" else v for v in np.asarray(arr).ravel().tolist()]
            return {"__nd__": np.dtype(arr.dtype).str, "shape": shape, "data": data}
        if kind == "c":
            flat = np.asarray(arr).ravel()
            data = [[_float(v.real), _float(v.imag)] for v in flat.tolist()]
            return {"__nd__": np.dtype(arr.dtype).str, "shape": shape, "data": data}
        if kind in "US":
            texts = [str(v)[:MAX_STR] if kind == "U" else bytes(v)[:MAX_STR].decode("latin-1") for v in arr.ravel()]
            return {"__nd__": "<U1" if kind == "U" else "|S1", "shape": shape, "data": texts}
        if kind == "O":
            items = [self.value(v, MAX_DEPTH - 1) for v in arr.ravel().tolist()]
            return {"__nd__": "|O", "shape": shape, "data": items}
        return {"__obj__": f"array of {arr.dtype}", "repr": _safe_repr(arr)}

    def scalar(self, x: np.generic[Any]) -> Any:
        """A numpy scalar as its dtype and value."""
        dtype = np.dtype(x.dtype)
        if dtype.kind in "biuf":
            value = x.item()
            return {"__np__": dtype.str, "v": _float(value) if dtype.kind == "f" else value}
        if dtype.kind == "c":
            return {"__np__": dtype.str, "v": [_float(x.real.item()), _float(x.imag.item())]}
        return {"__obj__": _type_name(x), "repr": _safe_repr(x)}


def dumps(obj: Any) -> str:
    """:func:`encode`, then one line of JSON (no NaN literals: non-finite floats are tagged)."""
    return _json_dumps(encode(obj), allow_nan=False, ensure_ascii=True, separators=(",", ":"))


# --- decoding ---------------------------------------------------------------------------------------------


class Opaque:
    """Stands in for an object that was not plain data: its type name and repr, nothing else."""

    def __init__(self, text: str) -> None:
        self._text = text

    def __repr__(self) -> str:
        return self._text


def _opaque(type_name: str, text: str) -> Any:
    name = _NAME.sub("_", str(type_name))[:40] or "object"
    if name[0].isdigit():
        name = "_" + name
    cls = type(name, (Opaque,), {})
    return cls(str(text)[:MAX_REPR])


def _function(name: str) -> Any:
    def stand_in(*args: Any, **kwargs: Any) -> Any:
        raise TypeError("a recorded function cannot be called")

    stand_in.__name__ = stand_in.__qualname__ = _NAME.sub("_", str(name))[:60] or "function"
    return stand_in


_ALLOWED_DTYPES = {"b", "i", "u", "f", "c"}


def _dtype(text: Any) -> np.dtype:
    dtype = np.dtype(str(text)[:8])
    if dtype.kind not in _ALLOWED_DTYPES | {"U", "S", "O"} or dtype.itemsize > 32:
        raise ValueError(f"dtype {text!r} is not allowed")
    return dtype


def _number(v: Any) -> Any:
    if isinstance(v, dict) and set(v) == {"__float__"}:
        return float(str(v["__float__"])[:8])
    if isinstance(v, bool) or not isinstance(v, int | float):
        if isinstance(v, bool):
            return v
        raise ValueError("expected a number")
    return v


def decode(data: Any) -> Any:
    """The object :func:`encode` described (numbers, strings, lists, arrays, inert stand-ins)."""
    return _Decoder().value(data, 0)


class _Decoder:
    """One call of :func:`decode`: the entries it has left to spend and the rebuilding of each tag."""

    def __init__(self) -> None:
        self.budget = MAX_ENTRIES

    def spend(self, n: int) -> None:
        """Take ``n`` entries from the budget; :class:`TooLarge` once it is overdrawn."""
        self.budget -= n
        if self.budget < 0:
            raise TooLarge(f"more than {MAX_ENTRIES} entries")

    def value(self, x: Any, depth: int) -> Any:
        """Any JSON value at nesting ``depth``: plain data as it is, lists item by item, tagged dicts rebuilt."""
        if depth > MAX_DEPTH + 2:
            raise TooLarge("nested too deep")
        self.spend(1)
        if x is None or isinstance(x, bool | int | float | str):
            return x
        if isinstance(x, list):
            return [self.value(item, depth + 1) for item in x]
        if not isinstance(x, dict):
            raise ValueError(f"unexpected {type(x).__name__}")
        return self.tagged(x, depth)

    def tagged(self, x: dict[str, Any], depth: int) -> Any:
        """The object a tagged dict stands for, by the first tag it carries; ``ValueError`` for none."""
        if "__float__" in x:
            return float(_number(x))
        if "__ellipsis__" in x:
            return Ellipsis
        if "__tuple__" in x:
            return tuple(self.value(item, depth + 1) for item in _list(x["__tuple__"]))
        if "__dict__" in x:
            return self.mapping(_list(x["__dict__"]), depth)
        if "__complex__" in x:
            re_, im = _list(x["__complex__"])
            return complex(_number(re_), _number(im))
        if "__str__" in x:
            return str(x["__str__"])[:MAX_STR] + "…"
        if "__bytes__" in x:
            return str(x["__bytes__"])[:MAX_STR].encode("latin-1", "replace")
        if "__fn__" in x:
            return _function(x["__fn__"])
        if "__obj__" in x:
            return _opaque(x["__obj__"], x.get("repr", ""))
        if "__np__" in x:
            return _np_scalar(x)
        if "__nd__" in x:
            return self.array(x, depth)
        raise ValueError("unknown tag")

    def mapping(self, pairs: list[Any], depth: int) -> dict[Any, Any]:
        """A dict from its ``[key, value]`` pairs; a key that cannot be one becomes its repr."""
        out = {}
        for pair in pairs:
            key, value = _list(pair)
            key = self.value(key, depth + 1)
            out[key if isinstance(key, str | int | float | bool | tuple) or key is None else repr(key)] = self.value(
                value, depth + 1
            )
        return out

    def array(self, x: dict[str, Any], depth: int) -> np.ndarray[Any, Any]:
        """A numpy array from its dtype, shape and flat data, the data checked against the shape."""
        dtype = _dtype(x["__nd__"])
        shape = tuple(int(n) for n in _list(x["shape"]))
        if len(shape) > 32 or any(n < 0 for n in shape):
            raise ValueError("bad shape")
        data = _list(x["data"])
        size = math.prod(shape)
        if size != len(data):
            raise ValueError("shape and data disagree")
        self.spend(size)
        flat = self.flat(dtype, data, depth)
        if dtype.kind in "US":
            return np.array(flat, dtype=str if dtype.kind == "U" else bytes).reshape(shape)
        if dtype.kind == "O":
            arr = np.empty(size, dtype=object)
            arr[:] = flat
            return arr.reshape(shape)
        return np.array(flat, dtype=dtype).reshape(shape)

    def flat(self, dtype: np.dtype[Any], data: list[Any], depth: int) -> list[Any]:
        """An array's flat data as Python values of its dtype's kind."""
        if dtype.kind == "c":
            return [complex(_number(a), _number(b)) for a, b in (_list(p) for p in data)]
        if dtype.kind in "biuf":
            return [_number(v) for v in data]
        if dtype.kind == "O":
            return [self.value(v, depth + 1) for v in data]
        return [str(v)[:MAX_STR] for v in data]


def _np_scalar(x: dict[str, Any]) -> Any:
    """A numpy scalar from its dtype and value."""
    dtype = _dtype(x["__np__"])
    v = x["v"]
    if dtype.kind == "c":
        re_, im = _list(v)
        return dtype.type(complex(_number(re_), _number(im)))
    if dtype.kind not in "biuf":
        raise ValueError("bad scalar")
    return dtype.type(_number(v))


def _list(x: Any) -> list[Any]:
    if not isinstance(x, list):
        raise ValueError("expected a list")
    return x


def loads(text: str | bytes, max_chars: int = 64 * 2**20) -> Any:
    """One JSON document as :func:`decode` rebuilds it; ``ValueError`` for anything malformed or too large."""
    if len(text) > max_chars:
        raise TooLarge(f"longer than {max_chars} characters")
    try:
        data = _json_loads(text, parse_constant=_no_constant)
    except RecursionError:
        raise TooLarge("nested too deep") from None
    return decode(data)


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON here")
