"""List builtins (Nix manual: all, any, concatLists, concatMap, elem, elemAt,
filter, foldl', genList, genericClosure, groupBy, head, length, map,
partition, sort, tail).  `map` and `genList` elements are lazy; `foldl'`
forces the accumulator at every step; `sort` is stable."""
from __future__ import annotations

from ..errors import EvalError
from ..eval import ops
from ..eval.binops import concat_lists
from ..eval.interp import call
from ..eval.values import Attrs, Lambda, Lazy, NixList, NixPath, PrimOp, force
from . import builtin


def _list(v) -> NixList:
    return ops.expect_list(v)


def _fn_list(f, xs) -> NixList:
    """The list argument of a higher-order builtin, once its function
    argument is checked (Nix 2.8 forces the function first, even for `[ ]`)."""
    ops.expect_function(f)
    return _list(xs)


def _pred(f, x) -> bool:
    return ops.expect_bool(force(call(f, x)))


@builtin("all")
def builtin_all(f, xs):
    return all(_pred(f, x) for x in _fn_list(f, xs))


@builtin("any")
def builtin_any(f, xs):
    return any(_pred(f, x) for x in _fn_list(f, xs))


@builtin("concatLists")
def builtin_concat_lists(xss):
    out = []
    for xs in _list(xss):
        out.extend(_list(force(xs)))
    return NixList(out)


@builtin("concatMap")
def builtin_concat_map(f, xs):
    out = []
    where = f.node.span if isinstance(f, Lambda) else None  # Nix points at the lambda
    for x in _fn_list(f, xs):
        out.extend(ops.expect_list(force(call(f, x)), where))
    return NixList(out)


@builtin("elem")
def builtin_elem(x, xs):
    return any(ops.equal(x, y) for y in _list(xs))


@builtin("elemAt")
def builtin_elem_at(xs, n):
    xs, n = _list(xs), ops.expect_int(n)
    if n < 0 or n >= len(xs):
        raise EvalError(f"list index {n} is out of bounds")
    return force(xs[n])


@builtin("filter")
def builtin_filter(f, xs):
    xs = _fn_list(f, xs)
    out = [x for x in xs if _pred(f, x)]
    return xs if len(out) == len(xs) else NixList(out)


@builtin("foldl'", lazy={"nul"})
def builtin_foldl_strict(op, nul, xs):
    ops.expect_function(op)
    acc = force(nul)
    for x in _list(xs):
        acc = force(call(call(op, acc), x))
    return acc


@builtin("genList")
def builtin_gen_list(f, n):
    n = ops.expect_int(n)
    if n < 0:
        raise EvalError(f"cannot create list of size {n}")
    return NixList([Lazy(call, f, i) for i in range(n)])


@builtin("groupBy")
def builtin_group_by(f, xs):
    groups: dict[str, list] = {}
    for x in _fn_list(f, xs):
        groups.setdefault(ops.expect_str(force(call(f, x))), []).append(x)
    return Attrs({k: NixList(v) for k, v in groups.items()})


@builtin("head")
def builtin_head(xs):
    xs = _list(xs)
    if not xs:
        raise EvalError("list index 0 is out of bounds")
    return force(xs[0])


@builtin("tail")
def builtin_tail(xs):
    xs = _list(xs)
    if not xs:
        raise EvalError("'tail' called on an empty list")
    return NixList(xs[1:])


@builtin("length")
def builtin_length(xs):
    return len(_list(xs))


@builtin("map", top_level=True)
def builtin_map(f, xs):
    return NixList([Lazy(call, f, x) for x in _list(xs)])


@builtin("partition")
def builtin_partition(f, xs):
    right, wrong = [], []
    for x in _fn_list(f, xs):
        (right if _pred(f, x) else wrong).append(x)
    return Attrs({"right": NixList(right), "wrong": NixList(wrong)})


class _SortKey:
    """Python's sort only asks `<`: each comparison calls the Nix comparator once."""

    __slots__ = ("v", "cmp")

    def __init__(self, v, cmp):
        self.v, self.cmp = v, cmp

    def __lt__(self, other: "_SortKey") -> bool:
        return ops.expect_bool(force(call(call(self.cmp, self.v), other.v)))


def _native_sortable(cmp, xs) -> list | None:
    """The forced elements when `cmp` is the `lessThan` primop and they are all
    numbers or all strings: Python's own ordering then agrees with Nix's."""
    if not (isinstance(cmp, PrimOp) and cmp.name == "lessThan" and not cmp.args):
        return None
    vals = [force(x) for x in xs]
    kinds = {v.__class__ for v in vals}
    if kinds <= {int, float} and not any(v != v for v in vals if v.__class__ is float):
        return vals
    if kinds <= {str}:
        return vals
    return None


@builtin("sort")
def builtin_sort(cmp, xs):
    xs = _fn_list(cmp, xs)
    native = _native_sortable(cmp, xs)
    if native is not None:
        return NixList(sorted(native))
    return NixList(sorted(xs, key=lambda x: _SortKey(x, cmp)))


def _closure_key(v):
    """A hashable stand-in for a genericClosure key (compared as Nix's `<`/`==` do)."""
    v = force(v)
    cls = v.__class__
    if cls is int or cls is float:
        return ("n", v)
    if isinstance(v, str):
        return ("s", str(v))
    if cls is NixPath:
        return ("p", v.path)
    if cls is NixList:
        return ("l", tuple(_closure_key(x) for x in v))
    raise EvalError(f"cannot compare {ops.show_type(v)} with {ops.show_type(v)}").without_position()


@builtin("genericClosure")
def builtin_generic_closure(args):
    d = ops.expect_attrs(args).d
    for required in ("startSet", "operator"):
        if required not in d:
            raise ops.missing_for_call(required, "genericClosure")
    work, op = list(_list(force(d["startSet"]))), d["operator"]
    seen, out, i = set(), [], 0
    while i < len(work):
        item = force(work[i])
        i += 1
        e = ops.expect_attrs(item).d
        if "key" not in e:
            raise EvalError("attribute 'key' required")
        try:
            key = _closure_key(e["key"])
        except EvalError:
            if seen:  # Nix only fails once such a key has to be compared
                raise
            key = ("o", id(item))
        if key in seen:
            continue
        seen.add(key)
        out.append(item)
        work.extend(_list(force(call(op, item))))
    return NixList(out)


__all__ = ["concat_lists"]
