"""Attribute-set builtins (Nix manual: attrNames, attrValues, catAttrs,
getAttr, hasAttr, intersectAttrs, listToAttrs, mapAttrs, removeAttrs,
zipAttrsWith, functionArgs, unsafeGetAttrPos).  Names come back sorted;
`mapAttrs`/`zipAttrsWith` results are lazy per attribute; `listToAttrs`
keeps the *first* definition of a repeated name."""
from __future__ import annotations

from ..errors import EvalError
from ..eval import ops
from ..eval.interp import Closure, call
from ..eval.values import Attrs, Lazy, NixList, PrimOp, force
from . import builtin


def _attrs(v) -> Attrs:
    return ops.expect_attrs(v)


@builtin("attrNames")
def builtin_attr_names(s):
    return NixList(sorted(_attrs(s).d))


@builtin("attrValues")
def builtin_attr_values(s):
    d = _attrs(s).d
    return NixList([d[k] for k in sorted(d)])


@builtin("catAttrs")
def builtin_cat_attrs(name, xs):
    name = ops.expect_str(name)
    out = []
    for x in ops.expect_list(xs):
        d = _attrs(force(x)).d
        if name in d:
            out.append(d[name])
    return NixList(out)


@builtin("getAttr")
def builtin_get_attr(name, s):
    name, d = ops.expect_str(name), _attrs(s).d
    if name not in d:
        raise ops.missing_for_call(name, "getAttr")
    return force(d[name])


@builtin("hasAttr")
def builtin_has_attr(name, s):
    return ops.expect_str(name) in _attrs(s).d


@builtin("intersectAttrs")
def builtin_intersect_attrs(e1, e2):
    d1, d2 = _attrs(e1).d, _attrs(e2).d
    return Attrs({k: v for k, v in d2.items() if k in d1}, _attrs(e2).pos)


@builtin("listToAttrs")
def builtin_list_to_attrs(xs):
    out: dict = {}
    for x in ops.expect_list(xs):
        d = _attrs(force(x)).d
        if "name" not in d:
            raise ops.missing_for_call("name", "listToAttrs")
        name = ops.expect_str(force(d["name"]))
        if name not in out:
            if "value" not in d:
                raise ops.missing_for_call("value", "listToAttrs")
            out[name] = d["value"]
    return Attrs(out)


def _apply2(f, a, b):
    return call(call(f, a), b)


@builtin("mapAttrs")
def builtin_map_attrs(f, s):
    return Attrs({k: Lazy(_apply2, f, k, v) for k, v in _attrs(s).d.items()}, _attrs(s).pos)


@builtin("removeAttrs", top_level=True)
def builtin_remove_attrs(s, names):
    drop = {ops.expect_str(force(n)) for n in ops.expect_list(names)}
    a = _attrs(s)
    return Attrs({k: v for k, v in a.d.items() if k not in drop}, a.pos)


@builtin("zipAttrsWith")
def builtin_zip_attrs_with(f, sets):
    acc: dict[str, list] = {}
    ops.expect_function(f)  # before the list, as Nix 2.8
    for s in ops.expect_list(sets):
        s = force(s)
        if s.__class__ is not Attrs:  # Nix 2.8 forces each element with no position
            raise ops.type_error(s, "a set").without_position()
        for k, v in s.d.items():
            acc.setdefault(k, []).append(v)
    return Attrs({k: Lazy(_apply2, f, k, NixList(vs)) for k, vs in acc.items()})


@builtin("functionArgs")
def builtin_function_args(f):
    if isinstance(f, PrimOp):
        return Attrs({})
    if not isinstance(f, Closure):
        raise EvalError("'functionArgs' requires a function")
    formals = f.node.formals
    if formals is None:
        return Attrs({})
    return Attrs({x.name: x.default is not None for x in formals.entries})


@builtin("unsafeGetAttrPos")
def builtin_unsafe_get_attr_pos(name, s):
    name, a = ops.expect_str(name), _attrs(s)
    span = a.pos.get(name) if a.pos else None
    if span is None:
        return None
    from ..eval.interp import pos_file
    return Attrs({"file": pos_file(span), "line": span.line, "column": span.col})
