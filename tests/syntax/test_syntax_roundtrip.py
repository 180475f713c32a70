"""Property test: generate an AST, print it as Nix, parse it back, compare.

The generated trees are the shapes the parser itself produces (e.g. no
`Call` whose function is a `Call`, since `f a b` is folded; no two
adjacent literal pieces in a string), so the printed text must parse to
exactly the same tree, spans aside.  A failure means the printer or the
parser mishandles some construct (precedence, quoting, escapes, paths).
"""
from __future__ import annotations

import json
import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nixlite.source import Span
from nixlite.syntax import ast
from nixlite.syntax.lexer import KEYWORDS
from nixlite.syntax.parse import parse
from nixlite.syntax.printer import to_json, to_nix

S = Span("«gen»", 1, 1, 1, 1)
_ID_START = string.ascii_letters + "_"
_ID_REST = _ID_START + string.digits + "'-"
_PC = string.ascii_letters + string.digits + "._+-"

idents = st.builds(lambda a, b: a + b, st.sampled_from(_ID_START), st.text(_ID_REST, max_size=6)).filter(
    lambda s: s not in KEYWORDS and s != "__curPos")
names = st.one_of(idents, st.text(max_size=5).filter(lambda s: "\0" not in s))
texts = st.text(max_size=8).filter(lambda s: "\0" not in s)
segments = st.text(_PC, min_size=1, max_size=5).filter(lambda s: s not in (".", ".."))
abs_paths = st.lists(segments, min_size=1, max_size=3).map(lambda xs: "/" + "/".join(xs))
floats = st.floats(min_value=0, max_value=1e300, allow_nan=False, allow_infinity=False).filter(
    lambda v: v == 0 or v >= 2.3e-308)

leaves = st.one_of(
    st.builds(lambda v: ast.Int(S, v), st.integers(0, 2**63 - 1)),
    st.builds(lambda v: ast.Float(S, v), floats),
    st.builds(lambda v: ast.Str(S, v), texts),
    st.builds(lambda v: ast.Path(S, v), abs_paths),
    st.builds(lambda v: ast.SearchPath(S, v[1:]), abs_paths),
    st.builds(lambda v: ast.Var(S, v), idents),
    st.just(ast.CurPos(S)),
)


def _attr_path(expr):
    dynamic = expr.filter(lambda e: not isinstance(e, ast.Str))
    return st.lists(st.one_of(names, dynamic), min_size=1, max_size=3).map(tuple)


def _attrs(expr, rec=None, dynamic=True):
    entry = st.one_of(
        st.builds(lambda v: ("value", v), expr),
        st.just(("inherit", None)),
    )

    def build(rec_flag, items, dyn):
        attrs = {}
        for name, (kind, value) in items.items():
            inherited = kind == "inherit"
            attrs[name] = ast.AttrDef(ast.Var(S, name) if inherited else value, S, inherited)
        dyns = tuple(ast.DynamicAttr(n, v, S) for n, v in dyn)
        return ast.Attrs(S, rec_flag, attrs, dyns)

    dyn = st.lists(st.tuples(expr.filter(lambda e: not isinstance(e, ast.Str)), expr), max_size=2) \
        if dynamic else st.just([])
    return st.builds(build, st.booleans() if rec is None else st.just(rec),
                     st.dictionaries(names, entry, max_size=3), dyn)


def _interpolation(expr):
    """`"a${b}c"`: literal pieces never adjacent, never empty."""
    lit = texts.filter(bool).map(lambda v: ast.Str(S, v))
    other = expr.filter(lambda e: not isinstance(e, ast.Str))

    def build(first_lit, exprs, lits):
        parts = [first_lit] if first_lit else []
        for i, e in enumerate(exprs):
            parts.append(e)
            if i < len(lits) and lits[i] is not None:
                parts.append(lits[i])
        return ast.ConcatStrings(S, tuple(parts), True)

    return st.builds(build, st.one_of(st.none(), lit), st.lists(other, min_size=1, max_size=3),
                     st.lists(st.one_of(st.none(), lit), max_size=3))


def _path_interp(expr):
    piece = st.lists(segments, min_size=1, max_size=2).map(lambda xs: ast.Str(S, "/".join(xs)))
    other = expr.filter(lambda e: not isinstance(e, ast.Str))

    def build(path, slash, exprs, lits):
        parts = [ast.Path(S, path + ("/" if slash else ""))]
        for i, e in enumerate(exprs):
            parts.append(e)
            if i < len(exprs) - 1:
                parts.append(lits[i] if i < len(lits) else ast.Str(S, "x"))
        return ast.ConcatStrings(S, tuple(parts), False)

    return st.builds(build, abs_paths, st.booleans(), st.lists(other, min_size=1, max_size=2),
                     st.lists(piece, max_size=2))


def _lambda(expr):
    formal = st.builds(lambda n, d: ast.Formal(n, d, S), idents, st.one_of(st.none(), expr))

    def build(param, formals, ellipsis, use_formals, body):
        if not use_formals:
            return ast.Lambda(S, param, None, body)
        uniq = {f.name: f for f in formals}
        if param in uniq:
            param = None
        return ast.Lambda(S, param, ast.Formals(tuple(uniq.values()), ellipsis), body)

    return st.builds(build, st.one_of(st.none(), idents), st.lists(formal, max_size=3), st.booleans(),
                     st.booleans(), expr).filter(lambda n: n.param is not None or n.formals is not None)


def _extend(expr):
    not_call = expr.filter(lambda e: not isinstance(e, ast.Call))
    return st.one_of(
        st.builds(lambda xs: ast.List(S, tuple(xs)), st.lists(expr, max_size=3)),
        _attrs(expr),
        st.builds(lambda e, p, d: ast.Select(S, e, p, d), expr, _attr_path(expr), st.one_of(st.none(), expr)),
        st.builds(lambda e, p: ast.HasAttr(S, e, p), expr, _attr_path(expr)),
        _lambda(expr),
        st.builds(lambda f, xs: ast.Call(S, f, tuple(xs)), not_call, st.lists(expr, min_size=1, max_size=3)),
        st.builds(lambda a, b: ast.Let(S, a, b), _attrs(expr, rec=True, dynamic=False), expr),
        st.builds(lambda a, b: ast.With(S, a, b), expr, expr),
        st.builds(lambda a, b: ast.Assert(S, a, b), expr, expr),
        st.builds(lambda a, b, c: ast.If(S, a, b, c), expr, expr, expr),
        st.builds(lambda a: ast.Not(S, a), expr),
        st.builds(lambda a: ast.Neg(S, a), expr),
        st.builds(lambda o, a, b: ast.BinOp(S, o, a, b), st.sampled_from(ast.BINARY_OPS), expr, expr),
        _interpolation(expr),
        _path_interp(expr),
    )


trees = st.recursive(leaves, _extend, max_leaves=12)


def _shape(node) -> object:
    return json.loads(to_json(node, spans=False))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(trees)
def test_print_then_parse_gives_the_same_tree(tree):
    text = to_nix(tree)
    assert _shape(parse(text, base_dir="/")) == _shape(tree), text


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(trees)
def test_printing_is_a_fixpoint(tree):
    text = to_nix(tree)
    assert to_nix(parse(text, base_dir="/")) == text
