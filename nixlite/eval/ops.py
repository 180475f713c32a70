"""Operator semantics shared by the interpreter and the builtins.

Facts mirrored from Nix 2.8 (`eval.cc`): integers are 64-bit and wrap;
`+` is string concatenation whose *first* operand decides the result type
(number, path or string); interpolation and `+` copy a path to the store when
the result is a string; `toString` additionally accepts numbers, booleans,
null and lists; `==` is deep, never true for functions except that the very
same value object is equal to itself (the "pointer equality" hack Nix keeps
for old code); `<` orders numbers, strings, paths and lists.
"""
from __future__ import annotations

from typing import Any

from ..errors import EvalError
from .values import (Attrs, ContextStr, Lambda, NixList, NixPath, PrimOp, Thunk, force,
                     make_string, string_context)

INT_MIN = -(1 << 63)
INT_MAX = (1 << 63) - 1


def wrap(n: int) -> int:
    """Wrap an integer to 64 bits, as Nix 2.8's int64_t arithmetic does."""
    if INT_MIN <= n <= INT_MAX:
        return n
    return ((n - INT_MIN) & 0xFFFFFFFFFFFFFFFF) + INT_MIN


# --- type descriptions ---------------------------------------------------------

def show_type(v: Any) -> str:
    """Nix's `showType(Value)`: "an integer", "a set", ..."""
    if v is True or v is False:
        return "a Boolean"
    if v is None:
        return "null"
    cls = v.__class__
    if cls is int:
        return "an integer"
    if cls is float:
        return "a float"
    if cls is str:
        return "a string"
    if cls is ContextStr:
        return "a string with context"
    if cls is NixPath:
        return "a path"
    if cls is NixList:
        return "a list"
    if cls is Attrs:
        return "a set"
    if isinstance(v, PrimOp):
        return (f"the partially applied built-in function '{v.name}'" if v.args
                else f"the built-in function '{v.name}'")
    if isinstance(v, Lambda):
        return "a function"
    return "a thunk"


def type_error(v: Any, expected: str, span=None) -> EvalError:
    return EvalError(f"value is {show_type(v)} while {expected} was expected", span)


def expect_int(v: Any, span=None) -> int:
    if v.__class__ is not int:
        raise type_error(v, "an integer", span)
    return v


def expect_bool(v: Any, span=None) -> bool:
    if v is not True and v is not False:
        raise type_error(v, "a Boolean", span)
    return v


def expect_str(v: Any, span=None) -> str:
    """A string value (not coerced: paths and sets are errors)."""
    if not isinstance(v, str):
        raise type_error(v, "a string", span)
    return v


def expect_list(v: Any, span=None) -> NixList:
    if v.__class__ is not NixList:
        raise type_error(v, "a list", span)
    return v


def expect_attrs(v: Any, span=None) -> Attrs:
    if v.__class__ is not Attrs:
        raise type_error(v, "a set", span)
    return v


def missing_for_call(name: str, primop: str) -> EvalError:
    """A builtin's required attribute is absent (getAttr, listToAttrs, ...)."""
    return EvalError(f"attribute '{name}' missing for call to '{primop}'")


def expect_function(v: Any, span=None) -> Any:
    if not isinstance(v, (Lambda, PrimOp)) and not (v.__class__ is Attrs and "__functor" in v.d):
        raise type_error(v, "a function", span)
    return v


def is_number(v: Any) -> bool:
    cls = v.__class__
    return cls is int or cls is float


# --- paths ----------------------------------------------------------------------

def canon_path(p: str) -> str:
    """Nix's canonPath: absolute, no `.`/`..`/empty components, no trailing slash."""
    out: list[str] = []
    for part in p.split("/"):
        if part == "" or part == ".":
            continue
        if part == "..":
            if out:
                out.pop()
        else:
            out.append(part)
    return "/" + "/".join(out)


# --- coercion to strings --------------------------------------------------------

def coerce_to_string(v: Any, span=None, *, more: bool = False, copy: bool = True) -> str:
    """Nix's coerceToString; the result keeps (and may gain) string context."""
    v = force(v)
    if isinstance(v, str):
        return v
    cls = v.__class__
    if cls is NixPath:
        if not copy:
            return v.path
        from .files import copy_path_to_store
        sp = copy_path_to_store(v.path)
        return ContextStr(sp, frozenset([sp]))
    if cls is Attrs:
        return _coerce_attrs(v, span, more, copy)
    if more:
        return _coerce_more(v, span, copy)
    raise EvalError(f"cannot coerce {show_type(v)} to a string", span)


def _coerce_attrs(v: Attrs, span, more: bool, copy: bool) -> str:
    if "__toString" in v.d:
        from .interp import call
        res = force(call(v.d["__toString"], v, span))
        return coerce_to_string(res, span, more=more, copy=copy)
    if "outPath" in v.d:
        return coerce_to_string(v.d["outPath"], span, more=more, copy=copy)
    raise EvalError("cannot coerce a set to a string", span)


def _coerce_more(v: Any, span, copy: bool) -> str:
    if v is True:
        return "1"
    if v is False or v is None:
        return ""
    cls = v.__class__
    if cls is int:
        return str(v)
    if cls is float:
        return "%f" % v
    if cls is NixList:
        return _coerce_list(v, span, copy)
    raise EvalError(f"cannot coerce {show_type(v)} to a string", span)


def _coerce_list(xs: NixList, span, copy: bool) -> str:
    parts, ctx, n = [], set(), len(xs)
    for i, x in enumerate(xs):
        x = force(x)
        s = coerce_to_string(x, span, more=True, copy=copy)
        ctx |= string_context(s)
        parts.append(s)
        # Nix 2.8 puts a space after every element but the last and after no empty list.
        if i < n - 1 and not (x.__class__ is NixList and len(x) == 0):
            parts.append(" ")
    return make_string("".join(parts), frozenset(ctx))


# --- `+` and interpolation ---------------------------------------------------------

def concat(values: list, spans: list, force_string: bool, span=None) -> Any:
    """ExprConcatStrings: `+` (force_string False) and `"${...}"` (True)."""
    first = force(values[0])
    kind = "string" if force_string else _kind(first)
    if kind == "int" or kind == "float":
        return _add_numbers(first, values, spans, kind)
    parts, ctx = [], set()
    for i, v in enumerate(values):
        s = coerce_to_string(first if i == 0 else v, spans[i], copy=(kind == "string"))
        if s.__class__ is ContextStr:
            ctx |= s.context
        parts.append(s)
    if kind == "path":
        if ctx:
            raise EvalError("a string that refers to a store path cannot be appended to a path", span)
        return NixPath(canon_path("".join(parts)))
    return make_string("".join(parts), frozenset(ctx))


def _kind(v: Any) -> str:
    cls = v.__class__
    if cls is int:
        return "int"
    if cls is float:
        return "float"
    if cls is NixPath:
        return "path"
    return "string" if isinstance(v, str) else "other"


def _add_numbers(first, values, spans, kind):
    acc = first
    for i in range(1, len(values)):
        v = force(values[i])
        cls = v.__class__
        if cls is not int and cls is not float:
            what = "an integer" if kind == "int" else "a float"
            raise EvalError(f"cannot add {show_type(v)} to {what}", spans[i])
        acc = acc + v
        if cls is float:
            kind = "float"
    return wrap(acc) if acc.__class__ is int else float(acc)


def add(a: Any, b: Any, span=None, bspan=None) -> Any:
    """`a + b` on forced values, with a fast path for the common cases."""
    ca, cb = a.__class__, b.__class__
    if ca is int and cb is int:
        r = a + b
        return r if INT_MIN <= r <= INT_MAX else wrap(r)
    if ca is str and cb is str:
        return a + b
    return concat([a, b], [span, bspan or span], False, span)


# --- arithmetic -------------------------------------------------------------------

def _numbers(a, b, span):
    """Check both operands are numbers (prim_sub/mul/div force floats when either is one)."""
    want = "a float" if a.__class__ is float or b.__class__ is float else "an integer"
    for v in (a, b):
        if not is_number(v) or v.__class__ is bool:
            raise type_error(v, want, span)


def sub(a, b, span=None):
    _numbers(a, b, span)
    r = a - b
    return wrap(r) if r.__class__ is int else r


def mul(a, b, span=None):
    _numbers(a, b, span)
    r = a * b
    return wrap(r) if r.__class__ is int else r


def div(a, b, span=None):
    # prim_div forces the divisor as a float and tests it for zero before
    # it looks at the dividend
    if not is_number(b) or b.__class__ is bool:
        raise type_error(b, "a float", span)
    if b == 0:
        raise EvalError("division by zero", span)
    _numbers(a, b, span)
    if a.__class__ is int and b.__class__ is int:
        if a == INT_MIN and b == -1:
            raise EvalError("overflow in integer division", span)
        q = abs(a) // abs(b)
        return wrap(q if (a >= 0) == (b >= 0) else -q)
    return a / b


# --- equality and ordering -----------------------------------------------------------

def equal(a: Any, b: Any) -> bool:
    """Deep equality (Nix 2.8 eqValues) of two stored values (may be thunks):
    the very same stored object is equal to itself, even a function."""
    if a is b:
        return True
    return equal_values(force(a), force(b))


def equal_values(a: Any, b: Any) -> bool:
    """Deep equality of two forced temporaries (`==` itself): no identity shortcut."""
    ca, cb = a.__class__, b.__class__
    if ca is bool or cb is bool or a is None or b is None:
        return a is b
    if (ca is int or ca is float) and (cb is int or cb is float):
        return a == b
    if isinstance(a, str):
        return isinstance(b, str) and str.__eq__(a, b)
    if ca is not cb:
        return False
    if ca is NixPath:
        return a.path == b.path
    if ca is NixList:
        return len(a) == len(b) and all(equal(x, y) for x, y in zip(a, b))
    if ca is Attrs:
        return _equal_attrs(a, b)
    return False


def _is_derivation(v: Attrs) -> bool:
    t = v.d.get("type")
    return t is not None and force(t) == "derivation"


def _equal_attrs(a: Attrs, b: Attrs) -> bool:
    if _is_derivation(a) and _is_derivation(b) and "outPath" in a.d and "outPath" in b.d:
        return equal(a.d["outPath"], b.d["outPath"])
    if len(a.d) != len(b.d):
        return False
    bd = b.d
    for k, v in a.d.items():
        if k not in bd or not equal(v, bd[k]):
            return False
    return True


def less_than(a: Any, b: Any, span=None) -> bool:
    """Nix 2.8 CompareValues (`<`, `builtins.lessThan`, `sort`'s default)."""
    a, b = force(a), force(b)
    ca, cb = a.__class__, b.__class__
    if (ca is int or ca is float) and (cb is int or cb is float) and ca is not bool and cb is not bool:
        return a < b
    if isinstance(a, str) and isinstance(b, str):
        return str.__lt__(a, b)
    if ca is NixPath and cb is NixPath:
        return a.path < b.path
    if ca is NixList and cb is NixList:
        return _list_less(a, b, span)
    # Nix 2.8's CompareValues throws with no position, whoever calls it
    raise EvalError(f"cannot compare {show_type(a)} with {show_type(b)}").without_position()


def _list_less(a: NixList, b: NixList, span) -> bool:
    for x, y in zip(a, b):
        if not equal(x, y):
            return less_than(x, y, span)
    return len(a) < len(b)


def is_thunk(v: Any) -> bool:
    return isinstance(v, Thunk)
