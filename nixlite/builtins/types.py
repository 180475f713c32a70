"""Type predicates and `typeOf` (Nix manual, "Built-in Functions": isAttrs ... typeOf)."""
from __future__ import annotations

from ..eval.values import Attrs, Lambda, NixList, NixPath, PrimOp
from . import builtin


def nix_type(v) -> str:
    """`builtins.typeOf`'s names."""
    if v is True or v is False:
        return "bool"
    if v is None:
        return "null"
    cls = v.__class__
    if cls is int:
        return "int"
    if cls is float:
        return "float"
    if isinstance(v, str):
        return "string"
    if cls is NixPath:
        return "path"
    if cls is NixList:
        return "list"
    if cls is Attrs:
        return "set"
    if isinstance(v, (Lambda, PrimOp)):
        return "lambda"
    raise TypeError(f"not a Nix value: {v!r}")


@builtin("typeOf")
def builtin_type_of(v):
    return nix_type(v)


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
