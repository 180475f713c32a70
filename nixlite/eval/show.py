"""Nix 2.8's `Expr::show`: the text of an expression inside error messages
(`assertion '(x == 1)' failed`).  Nix prints its *desugared* form, so
`a - b` shows as `(__sub a b)` and `a > b` as `(__lessThan b a)`."""
from __future__ import annotations

from ..syntax import ast as A


def show_expr(n) -> str:
    fn = _SHOW.get(n.__class__)
    return fn(n) if fn else "..."


def _string(s: str) -> str:
    from .printer import escape_string
    return escape_string(s)


def _path(path) -> str:
    return ".".join(p if isinstance(p, str) else f"${{{show_expr(p)}}}" for p in path)


def _binop(n: A.BinOp) -> str:
    l, r = show_expr(n.left), show_expr(n.right)
    desugared = {"-": f"(__sub {l} {r})", "*": f"(__mul {l} {r})", "/": f"(__div {l} {r})",
                 "<": f"(__lessThan {l} {r})", ">": f"(__lessThan {r} {l})",
                 "<=": f"(! (__lessThan {r} {l}))", ">=": f"(! (__lessThan {l} {r}))"}
    return desugared.get(n.op, f"({l} {n.op} {r})")


def _select(n: A.Select) -> str:
    s = f"({show_expr(n.expr)}).{_path(n.path)}"
    return s + f" or ({show_expr(n.default)})" if n.default is not None else s


_SHOW = {
    A.Int: lambda n: str(n.value),
    A.Float: lambda n: "%g" % n.value,
    A.Str: lambda n: _string(n.value),
    A.Path: lambda n: n.value,
    A.Var: lambda n: n.name,
    A.BinOp: _binop,
    A.Select: _select,
    A.HasAttr: lambda n: f"(({show_expr(n.expr)}) ? {_path(n.path)})",
    A.Not: lambda n: f"(! {show_expr(n.expr)})",
    A.Neg: lambda n: f"(__sub 0 {show_expr(n.expr)})",
    A.Call: lambda n: "(" + " ".join([show_expr(n.fn)] + [show_expr(a) for a in n.args]) + ")",
    A.List: lambda n: "[ " + "".join(show_expr(x) + " " for x in n.items) + "]",
    A.ConcatStrings: lambda n: "(" + " + ".join(show_expr(p) for p in n.parts) + ")",
}
