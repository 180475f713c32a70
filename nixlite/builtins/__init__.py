"""The builtins registry: one decorator feeds `BUILTINS`.

    @builtin("foldl'", lazy={"nul"})
    def builtin_foldl_strict(op, nul, xs): ...

The arity is the number of parameters (a leading parameter named `ev`
receives the `Evaluator` and does not count); every parameter not listed in
`lazy` is forced to weak head normal form before the function runs (strict by
default, after tvix's `#[lazy]`).  `constant=True` registers a value computed
once per evaluator (`currentSystem`, `nixVersion`).  `top_level=True` also
binds the bare name in the global scope (`map`, `toString`, ...); every other
builtin is reachable as `builtins.name` and `__name`, as in Nix 2.8.

Families live in one module each and register on import; `load_all()`
imports them.  Other phases may register their own primops the same way.
"""
from __future__ import annotations

import importlib
import inspect
from dataclasses import dataclass
from typing import Any, Callable

FAMILIES = ("types", "arith", "attrs", "lists", "strings", "regex", "control", "json",
            "files", "derivations", "context", "xml", "unsupported")


@dataclass
class Builtin:
    name: str
    fn: Callable[..., Any]
    arity: int
    strict: tuple[bool, ...]
    wants_ev: bool
    top_level: bool
    constant: bool


BUILTINS: dict[str, Builtin] = {}


def builtin(name: str, lazy: set[str] | frozenset[str] | tuple = (), *,
            top_level: bool = False, constant: bool = False):
    """Register the decorated function as builtin `name` (see module docstring)."""
    def register(fn: Callable[..., Any]) -> Callable[..., Any]:
        params = list(inspect.signature(fn).parameters)
        wants_ev = bool(params) and params[0] == "ev"
        if wants_ev:
            params = params[1:]
        strict = tuple(p not in lazy for p in params)
        BUILTINS[name] = Builtin(name, fn, len(params), strict, wants_ev, top_level, constant)
        return fn
    return register


_loaded = False


def load_all() -> dict[str, Builtin]:
    """Import every family module once (they register themselves)."""
    global _loaded
    if not _loaded:
        for fam in FAMILIES:
            importlib.import_module(f"{__name__}.{fam}")
        _loaded = True
    return BUILTINS
