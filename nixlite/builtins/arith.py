"""Arithmetic and bit builtins (Nix manual: add, sub, mul, div, lessThan,
bitAnd, bitOr, bitXor, ceil, floor).  Integers wrap at 64 bits; a float
operand makes the result a float; division by zero is an error."""
from __future__ import annotations

import math

from ..errors import EvalError
from ..eval import ops
from . import builtin


def _float(v) -> float:
    """Nix's forceFloat: ints are accepted and converted."""
    if v.__class__ is int or v.__class__ is float:
        return float(v)
    raise ops.type_error(v, "a float")


def _int(v) -> int:
    return ops.expect_int(v)


@builtin("add")
def builtin_add(a, b):
    if a.__class__ is float or b.__class__ is float:
        return _float(a) + _float(b)
    return ops.wrap(_int(a) + _int(b))


@builtin("sub")
def builtin_sub(a, b):
    if a.__class__ is float or b.__class__ is float:
        return _float(a) - _float(b)
    return ops.wrap(_int(a) - _int(b))


@builtin("mul")
def builtin_mul(a, b):
    if a.__class__ is float or b.__class__ is float:
        return _float(a) * _float(b)
    return ops.wrap(_int(a) * _int(b))


@builtin("div")
def builtin_div(a, b):
    if a.__class__ is float or b.__class__ is float:
        x, y = _float(a), _float(b)
        if y == 0:
            raise EvalError("division by zero")
        return x / y
    return ops.div(_int(a), _int(b))


@builtin("lessThan")
def builtin_less_than(a, b):
    return ops.less_than(a, b)


@builtin("bitAnd")
def builtin_bit_and(a, b):
    return _int(a) & _int(b)


@builtin("bitOr")
def builtin_bit_or(a, b):
    return _int(a) | _int(b)


@builtin("bitXor")
def builtin_bit_xor(a, b):
    return _int(a) ^ _int(b)


def _to_int(x: float) -> int:
    if math.isnan(x) or math.isinf(x):
        return ops.INT_MIN  # what a C++ cast of an out-of-range double gives on x86-64
    return ops.wrap(int(x))


@builtin("ceil")
def builtin_ceil(v):
    return _to_int(math.ceil(_float(v)) if math.isfinite(_float(v)) else _float(v))


@builtin("floor")
def builtin_floor(v):
    return _to_int(math.floor(_float(v)) if math.isfinite(_float(v)) else _float(v))
