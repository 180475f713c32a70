"""`lib`: the nixpkgs-compatible library passed to modules.

Two halves.  The module-system part is Python (this file): mkIf, mkMerge,
mkOverride and friends build the very `_type` sets nixpkgs builds
(`nixlite.modules.properties`), `mkOption` returns `{ _type = "option"; ... }`,
and `types.*` are `_type = "option-type"` sets backed by the Python types of
`nixlite.modules.types` (a map from each such set to its Python type lets the
module system merge without calling back into Nix).  The generic list,
attribute-set and string helpers are Nix (`nixlite/data/lib/default.nix`,
written for nixlite), evaluated once per process with the Python part as
its argument: one-liners over builtins are clearest in Nix and keep Nix's
laziness for free.
"""
from __future__ import annotations

from functools import lru_cache
from importlib.resources import files
from typing import Any, Callable

from ..eval.values import Attrs, Lazy, NixList, PrimOp, force
from . import properties as P
from . import types as T

_PY_TYPE: dict[int, tuple[Attrs, T.OptionType]] = {}
_NIX_TYPE: dict[int, Attrs] = {}


def _prim(name: str, arity: int, fn: Callable, strict: bool = True) -> PrimOp:
    if strict:
        if arity == 1:
            return PrimOp(name, 1, lambda a: fn(force(a)))
        return PrimOp(name, arity, lambda *a: fn(*map(force, a)))
    return PrimOp(name, arity, fn)


# --- types <-> Nix ------------------------------------------------------------------

def type_to_nix(t: T.OptionType) -> Attrs:
    """The `_type = "option-type"` set standing for a Python type (cached)."""
    a = _NIX_TYPE.get(id(t))
    if a is not None:
        return a
    a = Attrs({"_type": "option-type", "name": t.name, "description": t.description,
               "check": _prim("check", 1, lambda v: bool(t.check(v))),
               "merge": _prim("merge", 2, lambda loc, defs: t.merge(_loc(loc), _defs(defs))),
               "getSubModules": NixList(t.sub_modules()) if t.sub_modules() is not None else None,
               "emptyValue": Attrs({})})
    _NIX_TYPE[id(t)] = a
    _PY_TYPE[id(a)] = (a, t)
    return a


def _loc(loc: NixList) -> tuple[str, ...]:
    return tuple(force(x) for x in loc)


def _defs(defs: NixList) -> list[P.Def]:
    out = []
    for x in defs:
        a = force(x)
        out.append(P.Def(force(a.d["file"]), force(a.d["value"])))
    return out


def from_nix(v: Any) -> T.OptionType:
    """The Python type for a type set (one of ours, or a user's mkOptionType)."""
    v = force(v)
    hit = _PY_TYPE.get(id(v))
    if hit is not None and hit[0] is v:
        return hit[1]
    if v.__class__ is not Attrs or "_type" not in v.d or force(v.d["_type"]) != "option-type":
        from ..errors import OptionError
        raise OptionError("an option's `type' is not an option type (make one with mkOptionType or lib.types)")
    return NixType(v)


class NixType(T.OptionType):
    """A type made in Nix (`mkOptionType`, or a type set edited with `//`):
    its check and merge are Nix functions."""

    def __init__(self, attrs: Attrs):
        self.attrs = attrs
        d = attrs.d
        self.name = force(d["name"]) if "name" in d else "unspecified"
        desc = force(d["description"]) if "description" in d else None
        self.description = desc if isinstance(desc, str) else self.name

    def check(self, v):
        from ..eval.interp import call
        c = self.attrs.d.get("check")
        return True if c is None else force(call(force(c), v)) is True

    def merge(self, loc, defs):
        from ..eval.interp import call
        m = self.attrs.d.get("merge")
        if m is None:
            return T.UNSPECIFIED.merge(loc, defs)
        nix_defs = NixList(Attrs({"file": d.file, "value": d.value}) for d in defs)
        return call(call(force(m), NixList(loc)), nix_defs)

    def sub_modules(self):
        g = self.attrs.d.get("getSubModules")
        return None if g is None or force(g) is None else list(force(g))


def option_from_nix(v: Attrs, file: str):
    """An `Option` from a `mkOption { ... }` set."""
    from .eval_modules import MISSING, Option
    d = v.d
    type_ = from_nix(d["type"]) if "type" in d else T.UNSPECIFIED
    desc = d.get("description", "")
    read_only = force(d["readOnly"]) is True if "readOnly" in d else False
    return Option(type_, d.get("default", MISSING), desc, file=file, apply=d.get("apply"),
                  example=d.get("example", MISSING), read_only=read_only)


# --- the Python half of lib ---------------------------------------------------------------

def _mk_option(attrs: Attrs) -> Attrs:
    return Attrs({"_type": "option", **attrs.d}, attrs.pos)


def _mk_enable_option(name: Any) -> Attrs:
    return Attrs({"_type": "option", "default": False, "example": True, "type": type_to_nix(T.BOOL),
                  "description": Lazy(lambda: f"Whether to enable {force(name)}.")})


def _mk_option_type(attrs: Attrs) -> Attrs:
    return Attrs({"_type": "option-type", **attrs.d}, attrs.pos)


def _ignored_module(*_args) -> Attrs:
    """mkRenamedOptionModule & co.: accepted; nixlite models no renamed options."""
    return Attrs({})


def _submodule(m: Any) -> Attrs:
    ms = list(m) if m.__class__ is NixList else [m]
    return type_to_nix(T.Submodule(ms))


def _submodule_with(attrs: Attrs) -> Attrs:
    ms = force(attrs.d["modules"]) if "modules" in attrs.d else NixList()
    special = force(attrs.d["specialArgs"]).d if "specialArgs" in attrs.d else {}
    return type_to_nix(T.Submodule(list(ms), dict(special)))


def _wrap1(ctor) -> Callable:
    return lambda t: type_to_nix(ctor(from_nix(t)))


def _types() -> Attrs:
    simple = {"str": T.STR, "string": T.STRING, "lines": T.LINES, "commas": T.COMMAS, "bool": T.BOOL,
              "int": T.INT, "float": T.FLOAT, "port": T.PORT, "path": T.PATH, "package": T.PACKAGE,
              "attrs": T.ATTRS, "unspecified": T.UNSPECIFIED, "anything": T.ANYTHING, "raw": T.UNSPECIFIED}
    d: dict[str, Any] = {k: type_to_nix(t) for k, t in simple.items()}
    d["ints"] = Attrs({"between": _prim("between", 2, lambda lo, hi: type_to_nix(T.int_between(lo, hi))),
                       "unsigned": type_to_nix(T.UNSIGNED), "positive": type_to_nix(T.POSITIVE),
                       "signed": type_to_nix(T.INT), "u16": type_to_nix(T.PORT)})
    for name, ctor in (("listOf", T.ListOf), ("attrsOf", T.AttrsOf), ("loaOf", T.LoaOf),
                       ("nullOr", T.NullOr), ("uniq", lambda t: t), ("functionTo", lambda t: T.FUNCTION)):
        d[name] = _prim(name, 1, _wrap1(ctor))
    d["lazyAttrsOf"] = d["attrsOf"]
    d["submodule"] = _prim("submodule", 1, _submodule)
    d["submoduleWith"] = _prim("submoduleWith", 1, _submodule_with)
    d["enum"] = _prim("enum", 1, lambda vs: type_to_nix(T.Enum([force(x) for x in vs])))
    d["either"] = _prim("either", 2, lambda a, b: type_to_nix(T.Either(from_nix(a), from_nix(b))))
    d["oneOf"] = _prim("oneOf", 1, lambda ts: type_to_nix(T.one_of([from_nix(t) for t in ts])))
    d["strMatching"] = _prim("strMatching", 1, lambda p: type_to_nix(T.StrMatching(p)))
    d["separatedString"] = _prim("separatedString", 1, lambda s: type_to_nix(T.separated_string(s)))
    d["isType"] = _prim("isType", 2, lambda name, v: P.type_tag(v) == name)
    return Attrs(d)


def _merge_fn(fn) -> PrimOp:
    return _prim(fn.__name__, 2, lambda loc, defs: fn(_loc(loc), _defs(defs)))


def prims() -> Attrs:
    """The Python half, handed to default.nix."""
    d = {
        "mkIf": _prim("mkIf", 2, P.mk_if, strict=False),
        "mkMerge": _prim("mkMerge", 1, P.mk_merge, strict=False),
        "mkOverride": _prim("mkOverride", 2, P.mk_override, strict=False),
        "mkOrder": _prim("mkOrder", 2, P.mk_order, strict=False),
        "mkOption": _prim("mkOption", 1, _mk_option),
        "mkEnableOption": _prim("mkEnableOption", 1, _mk_enable_option, strict=False),
        "mkOptionType": _prim("mkOptionType", 1, _mk_option_type),
        "literalExample": _prim("literalExample", 1, lambda t: Attrs({"_type": "literalExample", "text": t}),
                                strict=False),
        "isOption": _prim("isOption", 1, lambda v: P.type_tag(v) == "option"),
        "mergeEqualOption": _merge_fn(T.merge_equal),
        "mergeOneOption": _merge_fn(T.merge_one),
        "mergeDefaultOption": _merge_fn(T._merge_default),
        "showOption": _prim("showOption", 1, lambda parts: T.show_option(_loc(parts))),
        "types": _types(),
    }
    for name, arity in (("mkRenamedOptionModule", 2), ("mkRemovedOptionModule", 2),
                        ("mkAliasOptionModule", 2), ("mkChangedOptionModule", 3),
                        ("mkMergedOptionModule", 3)):
        d[name] = PrimOp(name, arity, _ignored_module)
    return Attrs(d)


LIB_NIX = str(files("nixlite").joinpath("data/lib/default.nix"))


@lru_cache(maxsize=1)
def lib_value() -> Attrs:
    """The complete lib (evaluated once per process)."""
    from ..eval.evaluator import default_evaluator
    from ..eval.interp import call
    fn = default_evaluator().import_path(LIB_NIX)
    return force(call(fn, prims()))


def install_search_path(ev=None) -> None:
    """Make `<nixpkgs/lib>` import our lib (in `ev`, default: the default
    evaluator) unless a real nixpkgs is on the search path."""
    from ..eval.evaluator import default_evaluator
    ev = ev or default_evaluator()
    if not any(name == "nixpkgs" for name, _ in ev.search_path) and "nixpkgs/lib" not in ev.provided:
        ev.provide("nixpkgs/lib", lib_value)
