"""JSON and TOML builtins (Nix manual: toJSON, fromJSON, fromTOML).

`fromJSON` keeps integers as (64-bit wrapped) integers and everything with a
fraction or exponent as floats, like nlohmann::json in Nix 2.8; a number too
large for a double is an error."""
from __future__ import annotations

import json
import math

from ..errors import EvalError
from ..eval import ops
from ..eval.printer import json_context, to_json
from ..eval.values import Attrs, NixList, make_string
from . import builtin


@builtin("toJSON")
def builtin_to_json(v):
    text = to_json(v)
    return make_string(text, json_context(v))


def _float(s: str) -> float:
    x = float(s)
    if math.isinf(x):
        raise EvalError(f"[json.exception.out_of_range.406] number overflow parsing '{s}'")
    return x


def _int(s: str):
    n = int(s)
    if n >= 2 ** 64 or n < -(2 ** 63):
        return _float(s)
    return ops.wrap(n)


def _convert(v):
    if isinstance(v, dict):
        return Attrs({k: _convert(x) for k, x in v.items()})
    if isinstance(v, list):
        return NixList([_convert(x) for x in v])
    return v


def _parse_error(s: str, e: Exception) -> EvalError:
    """Nix's words for bad JSON (reported, as by Nix 2.8, without a position)."""
    from .json_errors import describe
    text = describe(s.encode("utf-8", "surrogateescape"))
    if text is None:  # e.g. a control character in a string: keep Python's reason
        text = f"[json.exception.parse_error.101] parse error: {e}"
    return EvalError(text).without_position()


@builtin("fromJSON")
def builtin_from_json(s):
    s = ops.expect_str(s)
    try:
        v = json.loads(s, parse_int=_int, parse_float=_float,
                       parse_constant=lambda c: (_ for _ in ()).throw(ValueError(c)))
    except (ValueError, RecursionError) as e:
        if isinstance(e, EvalError):
            raise
        raise _parse_error(s, e) from None
    return _convert(v)


def _convert_toml(v):
    if isinstance(v, dict):
        return Attrs({k: _convert_toml(x) for k, x in v.items()})
    if isinstance(v, list):
        return NixList([_convert_toml(x) for x in v])
    if isinstance(v, (bool, int, float, str)):
        return ops.wrap(v) if v.__class__ is int else v
    raise EvalError(f"while parsing a TOML string: unsupported value {v!r}")


@builtin("fromTOML", top_level=True)
def builtin_from_toml(s):
    import tomllib
    try:
        return _convert_toml(tomllib.loads(ops.expect_str(s)))
    except tomllib.TOMLDecodeError as e:
        raise EvalError(f"while parsing a TOML string: {e}") from None
