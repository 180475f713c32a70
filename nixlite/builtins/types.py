"""Type predicates and `typeOf` (Nix manual, "Built-in Functions": isAttrs ... typeOf)."""
from __future__ import annotations

from ..eval.values import Attrs, Lambda, NixList, NixPath, PrimOp, type_name
from . import builtin


@builtin("typeOf")
def builtin_type_of(v):
    return type_name(v)


@builtin("isAttrs")
def builtin_is_attrs(v):
    return v.__class__ is Attrs


@builtin("isBool")
def builtin_is_bool(v):
    return v is True or v is False


@builtin("isFloat")
def builtin_is_float(v):
    return v.__class__ is float


@builtin("isFunction")
def builtin_is_function(v):
    return isinstance(v, (Lambda, PrimOp))


@builtin("isInt")
def builtin_is_int(v):
    return v.__class__ is int


@builtin("isList")
def builtin_is_list(v):
    return v.__class__ is NixList


@builtin("isNull", top_level=True)
def builtin_is_null(v):
    return v is None


@builtin("isPath")
def builtin_is_path(v):
    return v.__class__ is NixPath


@builtin("isString")
def builtin_is_string(v):
    return isinstance(v, str)
