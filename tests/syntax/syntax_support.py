"""Test helpers for the parser: Nix's own AST printout, and running real Nix.

`nix_show(node)` prints a nixlite AST the way `nix-instantiate --parse`
prints Nix 2.8's AST (its `Expr::show`), desugarings included (`a - b` is
`(__sub a b)`, `a <= b` is `(! (__lessThan b a))`, `<p>` is
`(__findFile __nixPath "p")`).  Comparing the two strings checks our AST
shape (precedence, associativity, string pieces, attribute merging) against
Nix's, not against our own expectations.

One wrinkle: Nix 2.8 prints a `let`'s bindings and a lambda's formals in
symbol-table order, which is not reproducible, so `same_parse()` falls back
to comparing both printouts parsed back with nixlite (where bindings are an
unordered dict), with formals sorted.
"""
from __future__ import annotations

import json
import re
import subprocess

from nixlite.errors import ParseError
from nixlite.syntax import ast
from nixlite.syntax.parse import parse
from nixlite.syntax.printer import to_json

from nix_oracle import NIX_INSTANTIATE, nix_env  # noqa: F401  (shared with conftest)

_IDENT = re.compile(r"[a-zA-Z_][a-zA-Z0-9_'\-]*\Z")
_KEYWORDS = {"if", "then", "else", "assert", "with", "let", "in", "rec", "inherit"}
_ESC = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "$": "\\$"}
_CALLS = {"-": "__sub", "*": "__mul", "/": "__div"}


def show_string(s: str) -> str:
    return '"' + "".join(_ESC.get(c, c) for c in s) + '"'


def show_name(name) -> str:
    if not isinstance(name, str):
        return '"${' + nix_show(name) + '}"'
    return name if _IDENT.match(name) and name not in _KEYWORDS else show_string(name)


def show_path(path) -> str:
    return ".".join(show_name(n) for n in path)


def _binop(n: ast.BinOp) -> str:
    left, right = nix_show(n.left), nix_show(n.right)
    if n.op in _CALLS:
        return f"({_CALLS[n.op]} {left} {right})"
    if n.op in ("<", ">"):
        return f"(__lessThan {left} {right})" if n.op == "<" else f"(__lessThan {right} {left})"
    if n.op in ("<=", ">="):
        inner = f"(__lessThan {right} {left})" if n.op == "<=" else f"(__lessThan {left} {right})"
        return f"(! {inner})"
    return f"({left} {n.op} {right})"


def _attrs(n: ast.Attrs) -> str:
    out = "rec { " if n.rec else "{ "
    for name in sorted(n.attrs):
        d = n.attrs[name]
        if d.inherited:
            out += f"inherit {show_name(name)} ; "
        else:
            out += f"{show_name(name)} = {nix_show(d.value)}; "
    for d in n.dynamic:
        out += f'"${{{nix_show(d.name)}}}" = {nix_show(d.value)}; '
    return out + "}"


def _let(n: ast.Let) -> str:
    out = "(let "
    for name, d in n.attrs.attrs.items():
        out += f"inherit {show_name(name)}; " if d.inherited else f"{show_name(name)} = {nix_show(d.value)}; "
    return out + f"in {nix_show(n.body)})"


def _lambda(n: ast.Lambda) -> str:
    if n.formals is None:
        return f"({n.param}: {nix_show(n.body)})"
    items = [f.name if f.default is None else f"{f.name} ? {nix_show(f.default)}" for f in n.formals.entries]
    if n.formals.ellipsis:
        items.append("...")
    at = f" @ {n.param}" if n.param is not None else ""
    return "({ " + ", ".join(items) + " }" + at + f": {nix_show(n.body)})"


def _select(n: ast.Select) -> str:
    out = f"({nix_show(n.expr)}).{show_path(n.path)}"
    return out + (f" or ({nix_show(n.default)})" if n.default is not None else "")


def _float(v: float) -> str:
    return "%g" % v


_SHOW = {
    ast.Int: lambda n: str(n.value),
    ast.Float: lambda n: _float(n.value),
    ast.Str: lambda n: show_string(n.value),
    ast.Path: lambda n: n.value,
    ast.SearchPath: lambda n: f"(__findFile __nixPath {show_string(n.value)})",
    ast.CurPos: lambda n: "__curPos",
    ast.Var: lambda n: n.name,
    ast.ConcatStrings: lambda n: "(" + " + ".join(nix_show(p) for p in n.parts) + ")",
    ast.Select: _select,
    ast.HasAttr: lambda n: f"(({nix_show(n.expr)}) ? {show_path(n.path)})",
    ast.Attrs: _attrs,
    ast.List: lambda n: "[ " + "".join(f"({nix_show(i)}) " for i in n.items) + "]",
    ast.Lambda: _lambda,
    ast.Call: lambda n: "(" + " ".join(nix_show(x) for x in (n.fn, *n.args)) + ")",
    ast.Let: _let,
    ast.With: lambda n: f"(with {nix_show(n.env)}; {nix_show(n.body)})",
    ast.Assert: lambda n: f"assert {nix_show(n.cond)}; {nix_show(n.body)}",
    ast.If: lambda n: f"(if {nix_show(n.cond)} then {nix_show(n.then)} else {nix_show(n.else_)})",
    ast.Not: lambda n: f"(! {nix_show(n.expr)})",
    ast.Neg: lambda n: f"(__sub 0 {nix_show(n.expr)})",
    ast.BinOp: _binop,
}


def nix_show(node) -> str:
    return _SHOW[type(node)](node)


# --- running Nix ----------------------------------------------------------------------

def nix_parse(expr: str, cwd: str = "/") -> tuple[bool, str]:
    """(accepted, printout or error) from `nix-instantiate --parse`.  The
    expression is wrapped in `with {};` so that Nix's free-variable check,
    which --parse also runs, never rejects it."""
    p = subprocess.run([NIX_INSTANTIATE, "--parse", "-E", "with {}; " + expr], capture_output=True,
                       text=True, env=nix_env(), cwd=cwd, timeout=60)
    out = p.stdout.strip()
    if p.returncode == 0:
        assert out.startswith("(with { }; ") and out.endswith(")"), out
        out = out[len("(with { }; "):-1]
    return p.returncode == 0, out if p.returncode == 0 else p.stderr


def nixlite_accepts(expr: str) -> bool:
    try:
        parse(expr, base_dir="/")
        return True
    except ParseError:
        return False


def _shape(text: str):
    return _sort_formals(json.loads(to_json(parse(text, base_dir="/"), spans=False)))


def _sort_formals(tree):
    """Nix 2.8 also prints formals in symbol-table order: compare them as a set."""
    if isinstance(tree, list):
        return [_sort_formals(x) for x in tree]
    if not isinstance(tree, dict):
        return tree
    out = {k: _sort_formals(v) for k, v in tree.items()}
    if out.get("type") == "Formals":
        out["entries"] = sorted(out["entries"], key=lambda f: f["name"])
    return out


def same_parse(ours: ast.Node, nix_printout: str) -> bool:
    """Our AST, printed in Nix's format, equals Nix's printout (up to `let` order)."""
    mine = nix_show(ours)
    if mine == nix_printout:
        return True
    try:
        return _shape(mine) == _shape(nix_printout)
    except ParseError:
        return False
