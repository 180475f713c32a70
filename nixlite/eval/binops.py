"""Binary operators, compiled to one specialised closure each.

Nix 2.8 desugars `-`, `*`, `/`, `<`, `<=`, `>`, `>=` into calls of
`__sub`, `__mul`, `__div`, `__lessThan` (so `a > b` is `__lessThan b a` and
`a <= b` is `! (__lessThan b a)`); `+` is string concatenation
(`ExprConcatStrings`); the logical operators demand Booleans.  The top-level
`==` never takes the pointer-equality shortcut (Nix compares two fresh
temporaries there); elements of lists and sets do.
"""
from __future__ import annotations

from typing import Callable

from ..errors import EvalError
from . import ops
from .values import Attrs, NixList


def _eq(l, r, sp):
    def run(env):
        a, b = l(env), r(env)
        ca = a.__class__
        if ca is b.__class__ and (ca is int or ca is str):
            return a == b
        return ops.equal_values(a, b)
    return run


def _neq(l, r, sp):
    def run(env):
        a = l(env)
        return not ops.equal_values(a, r(env))
    return run


def _lt(l, r, sp):
    def run(env):
        a, b = l(env), r(env)
        if a.__class__ is int and b.__class__ is int:  # the common case, without forcing again
            return a < b
        return ops.less_than(a, b, sp)
    return run


def _gt(l, r, sp):
    def run(env):
        a = l(env)
        return ops.less_than(r(env), a, sp)
    return run


def _le(l, r, sp):
    def run(env):
        a = l(env)
        return not ops.less_than(r(env), a, sp)
    return run


def _ge(l, r, sp):
    return lambda env: not ops.less_than(l(env), r(env), sp)


def _and(l, r, sp):
    def run(env):
        if ops.expect_bool(l(env), sp) is False:
            return False
        return ops.expect_bool(r(env), sp)
    return run


def _or(l, r, sp):
    def run(env):
        if ops.expect_bool(l(env), sp) is True:
            return True
        return ops.expect_bool(r(env), sp)
    return run


def _impl(l, r, sp):
    def run(env):
        if ops.expect_bool(l(env), sp) is False:
            return True
        return ops.expect_bool(r(env), sp)
    return run


def update(a, b, sp=None) -> Attrs:
    """`a // b`: right-biased; an empty side returns the other set itself (as Nix does)."""
    # Nix 2.8 reports a non-set operand of `//` with no position
    for v in (a, b):
        if v.__class__ is not Attrs:
            raise ops.type_error(v, "a set").without_position()
    if not b.d:
        return a
    if not a.d:
        return b
    pos = None
    if a.pos is not None or b.pos is not None:
        pos = {**(a.pos or {}), **(b.pos or {})}
    return Attrs({**a.d, **b.d}, pos)


def _update(l, r, sp):
    def run(env):
        a = l(env)
        return update(a, r(env), sp)
    return run


def concat_lists(a, b, sp=None) -> NixList:
    if a.__class__ is not NixList:
        raise ops.type_error(a, "a list", sp)
    if b.__class__ is not NixList:
        raise ops.type_error(b, "a list", sp)
    if not b:
        return a
    if not a:
        return b
    return NixList(a + b)


def _concat(l, r, sp):
    def run(env):
        a = l(env)
        return concat_lists(a, r(env), sp)
    return run


def _add(l, r, sp, rsp):
    def run(env):
        a = l(env)
        return ops.add(a, r(env), sp, rsp)
    return run


def _arith(fn):
    def make(l, r, sp):
        def run(env):
            a = l(env)
            return fn(a, r(env), sp)
        return run
    return make


def _sub(l, r, sp):
    def run(env):
        a, b = l(env), r(env)
        if a.__class__ is int and b.__class__ is int:
            n = a - b
            if ops.INT_MIN <= n <= ops.INT_MAX:
                return n
        return ops.sub(a, b, sp)
    return run


_MAKERS: dict[str, Callable] = {
    "==": _eq, "!=": _neq, "<": _lt, ">": _gt, "<=": _le, ">=": _ge,
    "&&": _and, "||": _or, "->": _impl, "//": _update, "++": _concat,
    "-": _sub, "*": _arith(ops.mul), "/": _arith(ops.div),
}


def compile_binop(op: str, left: Callable, right: Callable, node) -> Callable:
    if op == "+":
        # a left-operand error is located where the whole `+` starts (at a `(`
        # around the operand, as Nix's rule position is), a right one at it
        return _add(left, right, node.span.to(node.left.span), node.right.span)
    if op not in _MAKERS:
        raise EvalError(f"unknown operator '{op}'", node.span)
    return _MAKERS[op](left, right, node.span)
