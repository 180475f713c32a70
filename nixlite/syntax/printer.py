"""AST -> text: Nix source (`to_nix`) and a JSON form (`to_json`).

`to_nix` prints every compound expression in parentheses, so the output
shows the parse (`nixlite parse --dump`) and parses back to the same AST,
spans aside (the round-trip property the tests check).  Desugared forms
print as their desugaring: `inherit (e) x;` as `x = (e).x;`, `a.b = 1;` as
`a = { b = 1; };`, indented strings as ordinary strings.

Both printers walk the tree with an explicit stack of generators instead
of recursion, so a 100 000-deep list prints without a RecursionError.
"""
from __future__ import annotations

import json
import re
from typing import Iterator

from . import ast
from .lexer import KEYWORDS

_ID = re.compile(r"[a-zA-Z_][a-zA-Z0-9_'\-]*\Z")
_PATH = re.compile(r"(?:/[a-zA-Z0-9._+\-]+)+/?\Z")
_FLOAT = re.compile(r"(?:[1-9][0-9]*\.[0-9]*|0?\.[0-9]+)(?:[Ee][+-]?[0-9]+)?\Z")
_STR_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "$": "\\$"}


class _Mark:
    """Layout marks a printer may yield between strings: a line break (a
    space when not pretty-printing), and indentation in and out."""
    __slots__ = ("name",)

    def __init__(self, name: str):
        self.name = name


NL, IN, OUT = _Mark("nl"), _Mark("in"), _Mark("out")


def _walk(root, parts, pretty: bool = False) -> str:
    """Expand `parts(node)` generators depth-first without recursion."""
    out: list[str] = []
    stack: list[Iterator] = [parts(root)]
    level = 0
    while stack:
        item = next(stack[-1], None)
        if item is None:
            stack.pop()
        elif isinstance(item, str):
            out.append(item)
        elif isinstance(item, _Mark):
            level += {"in": 1, "out": -1}.get(item.name, 0)
            if item is NL:
                out.append("\n" + "  " * level if pretty else " ")
        else:
            stack.append(parts(item))
    return "".join(out)


# --- Nix source -------------------------------------------------------------------

def to_nix(node: ast.Node, pretty: bool = False) -> str:
    """Fully parenthesised Nix; `pretty` puts each binding on its own line."""
    return _walk(node, _nix, pretty)


def quote(s: str) -> str:
    return '"' + "".join(_STR_ESCAPES.get(ch, ch) for ch in s) + '"'


def attr_name(name) -> str | ast.Node:
    """A static name bare when it lexes as an identifier (`or` does), else quoted."""
    if isinstance(name, str):
        return name if _ID.match(name) and (name not in KEYWORDS or name == "or") else quote(name)
    return name


def _float(value: float) -> str:
    text = repr(value)
    if not _FLOAT.match(text):
        mantissa, _, exp = text.partition("e")
        text = (mantissa if "." in mantissa else mantissa + ".") + ("e" + exp if exp else "")
    return text


def _path(value: str) -> str:
    if _PATH.match(value):
        return value
    return "/." if value == "/" else f"(/. + {quote(value)})"


def _nix(node) -> Iterator:
    handler = _NIX.get(type(node))
    if handler is None:
        raise TypeError(f"cannot print {type(node).__name__}")
    yield from handler(node)


def _path_elems(path, sep: str = ".") -> Iterator:
    for i, name in enumerate(path):
        dot = sep if i == 0 else "."
        shown = attr_name(name)
        if isinstance(shown, str):
            yield dot + shown
        else:
            yield from (dot + "${", shown, "}")


def _select(n: ast.Select) -> Iterator:
    yield from ("(", n.expr, ")")
    yield from _path_elems(n.path)
    if n.default is not None:
        yield from (" or (", n.default, ")")


def _has_attr(n: ast.HasAttr) -> Iterator:
    yield from ("((", n.expr, ") ?")
    yield from _path_elems(n.path, " ")
    yield ")"


def _concat(n: ast.ConcatStrings) -> Iterator:
    if not n.force_string:
        yield from _path_interp(n)
        return
    yield '"'
    inline_before = False
    for part in n.parts:
        if isinstance(part, ast.Str) and part.value and not inline_before and len(n.parts) > 1:
            yield quote(part.value)[1:-1]
            inline_before = True
        else:
            yield from ("${", part, "}")
            inline_before = False
    yield '"'


def _path_interp(n: ast.ConcatStrings) -> Iterator:
    first, *rest = n.parts
    yield first.value if isinstance(first, ast.Path) else "${" + to_nix(first) + "}"
    for part in rest:
        if isinstance(part, ast.Str):
            yield part.value
        else:
            yield from ("${", part, "}")


def _binds(attrs: ast.Attrs) -> Iterator:
    yield IN
    for name, d in attrs.attrs.items():
        if d.inherited:
            yield from (NL, f"inherit {attr_name(name)};")
        else:
            yield from (NL, f"{attr_name(name)} = ", d.value, ";")
    for d in attrs.dynamic:
        yield from (NL, "${", d.name, "} = ", d.value, ";")
    yield from (OUT, NL)


def _attrs(n: ast.Attrs) -> Iterator:
    yield "rec {" if n.rec else "{"
    if n.attrs or n.dynamic:
        yield from _binds(n)
        yield "}"
    else:
        yield " }"


def _formals(n: ast.Lambda) -> Iterator:
    yield "{"
    for i, f in enumerate(n.formals.entries):
        yield (", " if i else " ") + f.name
        if f.default is not None:
            yield from (" ? (", f.default, ")")
    if n.formals.ellipsis:
        yield ", ..." if n.formals.entries else " ..."
    yield " }"


def _lambda(n: ast.Lambda) -> Iterator:
    yield "("
    if n.formals is None:
        yield n.param
    else:
        yield from _formals(n)
        if n.param is not None:
            yield "@" + n.param
    yield from (": ", n.body, ")")


#: what needs no parentheses in function position (`(a).b or (c) x` is `(a.b or c) x`)
_ATOMS = (ast.Var, ast.Int, ast.Float, ast.Str, ast.Path, ast.SearchPath, ast.CurPos, ast.Select)


def _call(n: ast.Call) -> Iterator:
    yield from ("(", n.fn) if isinstance(n.fn, _ATOMS) else ("((", n.fn, ")")
    for i, arg in enumerate(n.args):
        if i == 0 and isinstance(arg, ast.Var) and arg.name == "or":
            yield " or"   # `f or`: Nix's call of a function named `or`
        else:
            yield from (" (", arg, ")")
    yield ")"


def _list(n: ast.List) -> Iterator:
    yield "["
    for item in n.items:
        yield from (" (", item, ")")
    yield " ]"


_NIX = {
    ast.Int: lambda n: [str(n.value)],
    ast.Float: lambda n: [_float(n.value)],
    ast.Str: lambda n: [quote(n.value)],
    ast.Path: lambda n: [_path(n.value)],
    ast.SearchPath: lambda n: [f"<{n.value}>"],
    ast.CurPos: lambda n: ["__curPos"],
    ast.Var: lambda n: [n.name],
    ast.ConcatStrings: _concat,
    ast.Select: _select,
    ast.HasAttr: _has_attr,
    ast.Attrs: _attrs,
    ast.List: _list,
    ast.Lambda: _lambda,
    ast.Call: _call,
    ast.Let: lambda n: ["(let", *_binds(n.attrs), "in ", n.body, ")"],
    ast.With: lambda n: ["(with ", n.env, "; ", n.body, ")"],
    ast.Assert: lambda n: ["(assert ", n.cond, "; ", n.body, ")"],
    ast.If: lambda n: ["(if ", n.cond, " then ", n.then, " else ", n.else_, ")"],
    ast.Not: lambda n: ["(!", n.expr, ")"],
    ast.Neg: lambda n: ["(- ", n.expr, ")"],   # a space: `-/a` would lex as a path
    ast.BinOp: lambda n: ["(", n.left, f" {n.op} ", n.right, ")"],
}


# --- JSON -------------------------------------------------------------------------

def to_json(node: ast.Node, spans: bool = True) -> str:
    """A stable JSON document: every node is an object whose "type" is its class."""
    return _walk(_Boxed(node, spans), _json_walk_parts)


def _json(value, spans: bool) -> Iterator:
    if isinstance(value, (ast.Node, ast.AttrDef, ast.DynamicAttr, ast.Formal, ast.Formals)):
        yield from _json_object(value, spans)
    elif isinstance(value, (tuple, list)):
        yield "["
        for i, item in enumerate(value):
            yield ", " if i else ""
            yield _Boxed(item, spans)
        yield "]"
    elif isinstance(value, dict):
        yield "{"
        for i, (k, v) in enumerate(value.items()):
            yield (", " if i else "") + json.dumps(k) + ": "
            yield _Boxed(v, spans)
        yield "}"
    else:
        yield json.dumps(value, ensure_ascii=False)


class _Boxed:
    """A child value for `_walk` (which treats plain strs as output text)."""
    __slots__ = ("value", "spans")

    def __init__(self, value, spans):
        self.value, self.spans = value, spans


def _json_object(node, spans: bool) -> Iterator:
    yield '{"type": ' + json.dumps(type(node).__name__)
    for name in node.__dataclass_fields__:
        if name == "span" and not spans:
            continue
        value = getattr(node, name)
        if name == "span":
            yield f', "span": "{value.file}:{value.line}:{value.col}-{value.end_line}:{value.end_col}"'
            continue
        yield f", {json.dumps(name)}: "
        yield _Boxed(value, spans)
    yield "}"


def _json_walk_parts(item: _Boxed) -> Iterator:
    return _json(item.value, item.spans)
