"""Printing values exactly as `nix-instantiate --eval [--strict] [--json]` (Nix 2.8).

Text form (`Value::print`): sets sorted by name as `{ a = 1; }`, lists as
`[ 1 2 ]`, floats like C++'s default `operator<<` (`%g`), unevaluated thunks
as `<CODE>`, functions as `<LAMBDA>`, builtins as `<PRIMOP>` /
`<PRIMOP-APP>`.  A non-empty set or list already printed once (the very same
object) prints as `«repeated»`.  Attribute names that are not plain
identifiers (or are keywords) are quoted.

JSON form (`printValueAsJSON`): compact, keys sorted, a set with
`__toString` or `outPath` becomes that string, paths are copied to the store.
"""
from __future__ import annotations

import re
from typing import Any

from ..errors import EvalError
from . import ops
from .values import Attrs, Lambda, NixList, NixPath, PrimOp, Thunk, force

_IDENT = re.compile(r"[a-zA-Z_][a-zA-Z0-9_'-]*\Z")
_KEYWORDS = frozenset({"if", "then", "else", "assert", "with", "let", "in", "rec", "inherit"})


def escape_string(s: str) -> str:
    """Nix's printString: a double-quoted literal with `${` escaped."""
    out = s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") \
        .replace("\r", "\\r").replace("\t", "\\t").replace("${", "\\${")
    return f'"{out}"'


def format_float(x: float) -> str:
    """C++ `ostream << double` with default precision: `%g`."""
    return "%g" % x


def attr_name(name: str) -> str:
    if _IDENT.match(name) and name not in _KEYWORDS:
        return name
    return escape_string(name)


def force_deep(v: Any) -> Any:
    """Force v and everything inside it (Nix's forceValueDeep); returns the value."""
    v = force(v)
    _force_deep(v, set())
    return v


def _force_deep(v: Any, seen: set) -> None:
    cls = v.__class__
    if cls is Attrs:
        if id(v) in seen:
            return
        seen.add(id(v))
        for name, x in v.d.items():
            try:
                _force_deep(force(x), seen)
            except EvalError as e:
                if len(e.trace) < 64:
                    e.add_trace(v.pos.get(name) if v.pos else None,
                                f"while evaluating the attribute '{name}'")
                raise
    elif cls is NixList:
        if id(v) in seen:
            return
        seen.add(id(v))
        for x in v:
            _force_deep(force(x), seen)


def print_value(v: Any, strict: bool = False) -> str:
    """The text `nix-instantiate --eval [--strict]` prints (without the newline)."""
    v = force_deep(v) if strict else force(v)
    out: list[str] = []
    _print(v, out, set())
    return "".join(out)


def _print(v: Any, out: list, seen: set) -> None:
    if isinstance(v, Thunk):
        if v.value is None or not isinstance(v.value, tuple):
            out.append("<CODE>")
            return
        v = v.value[0]
    cls = v.__class__
    if cls is Attrs:
        _print_attrs(v, out, seen)
    elif cls is NixList:
        _print_list(v, out, seen)
    else:
        out.append(_scalar(v))


def _print_attrs(v: Attrs, out: list, seen: set) -> None:
    if v.d and id(v) in seen:
        out.append("«repeated»")
        return
    seen.add(id(v))
    out.append("{ ")
    for name in sorted(v.d):
        out.append(attr_name(name))
        out.append(" = ")
        _print(v.d[name], out, seen)
        out.append("; ")
    out.append("}")


def _print_list(v: NixList, out: list, seen: set) -> None:
    if v and id(v) in seen:
        out.append("«repeated»")
        return
    seen.add(id(v))
    out.append("[ ")
    for x in v:
        _print(x, out, seen)
        out.append(" ")
    out.append("]")


def _scalar(v: Any) -> str:
    if v is True:
        return "true"
    if v is False:
        return "false"
    if v is None:
        return "null"
    cls = v.__class__
    if cls is int:
        return str(v)
    if cls is float:
        return format_float(v)
    if isinstance(v, str):
        return escape_string(v)
    if cls is NixPath:
        return v.path
    if isinstance(v, PrimOp):
        return "<PRIMOP-APP>" if v.args else "<PRIMOP>"
    if isinstance(v, Lambda):
        return "<LAMBDA>"
    return "<CODE>"


# --- JSON ---------------------------------------------------------------------------

def json_string(s: str) -> str:
    """Nix 2.8's JSON string escaping (control characters as \\u00XX, the rest raw)."""
    out = ['"']
    for ch in s:
        if ch == '"' or ch == "\\":
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\t":
            out.append("\\t")
        elif ord(ch) < 32:
            out.append("\\u%04x" % ord(ch))
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def to_json(v: Any, strict: bool = True, span=None) -> str:
    """The text `nix-instantiate --eval --json` / `builtins.toJSON` produce.

    Without `strict` (plain `--eval --json`), Nix 2.8 refuses to print a
    value that is still an unevaluated thunk."""
    out: list[str] = []
    _json(v if strict else _no_thunks(v), out, span)
    return "".join(out)


def _no_thunks(v: Any) -> Any:
    """Check (before printing) that no unevaluated thunk is reachable."""
    stack, seen = [v], set()
    while stack:
        x = stack.pop()
        if isinstance(x, Thunk):
            if not isinstance(x.value, tuple):
                raise EvalError("cannot convert a thunk to JSON", x.span)
            x = x.value[0]
        if id(x) in seen:
            continue
        seen.add(id(x))
        if x.__class__ is Attrs and "__toString" not in x.d:
            stack.extend([x.d["outPath"]] if "outPath" in x.d else x.d.values())
        elif x.__class__ is NixList:
            stack.extend(x)
    return v


def json_context(v: Any) -> frozenset:
    """The string context `builtins.toJSON` carries over (store paths of paths/strings)."""
    ctx: set = set()
    _json(v, [], None, ctx)
    return frozenset(ctx)


def _json(v: Any, out: list, span, ctx: set | None = None) -> None:
    v = force(v)
    cls = v.__class__
    if v is True or v is False or v is None or cls is int or cls is float:
        out.append(_scalar(v))  # JSON spells these as Nix prints them
    elif isinstance(v, str):
        if ctx is not None and hasattr(v, "context"):
            ctx |= v.context
        out.append(json_string(v))
    elif cls is NixPath:
        s = ops.coerce_to_string(v, span)
        if ctx is not None:
            ctx |= getattr(s, "context", frozenset())
        out.append(json_string(s))
    elif cls is NixList:
        _json_list(v, out, span, ctx)
    elif cls is Attrs:
        _json_attrs(v, out, span, ctx)
    else:
        raise EvalError(f"cannot convert {ops.show_type(v)} to JSON", _own_span(v, span))


def _own_span(v: Any, span):
    """Where Nix 2.8 points for a value (`Value::determinePos`): a lambda
    at itself, anything else at the place it was reached from."""
    node = getattr(v, "node", None) if isinstance(v, Lambda) else None
    return getattr(node, "span", None) or span


def _json_list(v: NixList, out: list, span, ctx) -> None:
    out.append("[")
    for i, x in enumerate(v):
        if i:
            out.append(",")
        _json(x, out, span, ctx)
    out.append("]")


def _json_attrs(v: Attrs, out: list, span, ctx) -> None:
    if "__toString" in v.d:
        s = ops.coerce_to_string(v, span, copy=False)
        if ctx is not None:
            ctx |= getattr(s, "context", frozenset())
        out.append(json_string(s))
        return
    if "outPath" in v.d:
        _json(v.d["outPath"], out, span, ctx)
        return
    out.append("{")
    for i, name in enumerate(sorted(v.d)):
        if i:
            out.append(",")
        out.append(json_string(name))
        out.append(":")
        _json(v.d[name], out, v.pos.get(name, span) if v.pos else span, ctx)
    out.append("}")
