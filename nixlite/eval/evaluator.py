"""The `Evaluator`: a base environment (globals + search path) and the cache of
imported files, plus the module-level API other phases call.

    ev = make_base_env(search_path=[("nixpkgs", "/src/nixpkgs")], overrides={...})
    ev.provide("nixpkgs/lib", lambda: my_lib_value)   # <nixpkgs/lib> -> that value
    value = ev.eval_file("containers.nix")            # import semantics, cached
    text = print_value(value, strict=True)

Every entry point runs under `run_deep` (big stack); code that calls
`call`/`force` itself on large data should do so inside `run_deep` too.
"""
from __future__ import annotations

import os
from typing import Any, Callable

from . import files
from .env import Scope
from .values import Attrs, Lazy, PrimOp, force

DEFAULT_SYSTEM = "x86_64-linux"


class Evaluator:
    def __init__(self, search_path=(), overrides: dict[str, Any] | None = None,
                 system: str = DEFAULT_SYSTEM, use_nix_path_env: bool = True):
        self.search_path: list[tuple[str, str]] = list(search_path)
        if use_nix_path_env:
            self.search_path += files.parse_nix_path(os.environ.get("NIX_PATH", ""))
        self.system = system
        self.provided: dict[str, Callable[[], Any]] = {}
        self.hooks: list[Callable[[str], str | None]] = []
        self.files: dict[str, Lazy] = {}
        self.globals = _make_globals(self, overrides or {})
        from .interp import Compiler
        self.compiler = Compiler(self.globals)

    # --- search path ------------------------------------------------------------
    def provide(self, name: str, factory: Callable[[], Any]) -> None:
        """Make `<name>` (and `<name/...>` unless provided separately) import to factory()."""
        self.provided[name] = factory

    def add_search_hook(self, hook: Callable[[str], str | None]) -> None:
        """hook(name) -> a path for `<name>`, or None to fall through."""
        self.hooks.append(hook)

    def find_file(self, name: str, span=None) -> str:
        for hook in self.hooks:
            hit = hook(name)
            if hit is not None:
                return hit
        return files.find_file(self.search_path, name, self.provided, span)

    # --- evaluation -----------------------------------------------------------------
    def eval_node(self, node, scope: Scope | None = None, env: Any = None) -> Any:
        return self.compiler.compile(node, scope)(env)

    def eval_string(self, text: str, file: str = "«string»", base_dir: str | None = None) -> Any:
        from ..syntax.parse import parse
        from .interp import run_deep
        node = parse(text, file=file, base_dir=base_dir)
        return run_deep(self.eval_node, node)

    def eval_file(self, path: str) -> Any:
        from .interp import run_deep
        return run_deep(self.import_path, os.path.abspath(path))

    def import_path(self, path: str, span=None) -> Any:
        """`import path`: evaluate a file once (a directory means its default.nix)."""
        if path.startswith(files.VIRTUAL_ROOT + "/"):
            return self._import_virtual(path, span)
        if os.path.isdir(path):
            path = os.path.join(path, "default.nix")
        thunk = self.files.get(path)
        if thunk is None:
            thunk = self.files[path] = Lazy(self._eval_file_uncached, path, span)
        return thunk.force()

    def _eval_file_uncached(self, path: str, span) -> Any:
        if not os.path.exists(path):
            raise files.no_such_path(path)
        from ..syntax.parse import parse_file
        return self.eval_node(parse_file(path))

    def _import_virtual(self, path: str, span) -> Any:
        name = path[len(files.VIRTUAL_ROOT) + 1:]
        thunk = self.files.get(path)
        if thunk is None:
            if name not in self.provided:
                raise files.no_such_path(path)
            thunk = self.files[path] = Lazy(self.provided[name])
        return thunk.force()

    def scoped_import(self, scope_attrs: Attrs, path: str) -> Any:
        """`scopedImport attrs path`: the file sees attrs as variables (not cached)."""
        if os.path.isdir(path):
            path = os.path.join(path, "default.nix")
        from ..syntax.parse import parse_file
        names = list(scope_attrs.d)
        env = [None] + [scope_attrs.d[n] for n in names]
        return self.eval_node(parse_file(path), Scope.of(names, None), env)


def _make_globals(ev: Evaluator, overrides: dict[str, Any]) -> dict[str, Any]:
    """The base environment: `builtins`, the top-level names and `__name` aliases."""
    from ..builtins import load_all
    values: dict[str, Any] = {}
    top: set[str] = set()
    for name, b in load_all().items():
        fn = b.fn if not b.wants_ev else _bind_ev(b.fn, ev)
        values[name] = fn() if b.constant else PrimOp(name, b.arity, _wrap(fn, b.strict))
        if b.top_level:
            top.add(name)
    values.update({"true": True, "false": False, "null": None})
    values.update(overrides)
    builtins_set = Attrs(dict(values))
    builtins_set.d["builtins"] = builtins_set
    g = {"builtins": builtins_set, "true": True, "false": False, "null": None}
    for name, v in values.items():
        g[name if name in top or name in overrides else "__" + name] = v
    return g


def _bind_ev(fn, ev):
    return lambda *args: fn(ev, *args)


def _wrap(fn: Callable, strict: tuple[bool, ...]) -> Callable:
    """Force the strict arguments before calling fn."""
    if not any(strict):
        return fn
    if strict == (True,):
        return lambda a: fn(force(a))
    if strict == (True, True):
        return lambda a, b: fn(force(a), force(b))
    return lambda *args: fn(*[force(a) if s else a for a, s in zip(args, strict)])


# --- module-level API ------------------------------------------------------------------

_default: Evaluator | None = None


def default_evaluator() -> Evaluator:
    global _default
    if _default is None:
        _default = Evaluator()
    return _default


def configure_default_evaluator(search_path=(), system: str = DEFAULT_SYSTEM) -> Evaluator:
    """Replace the process-wide evaluator (used by the module system) by one
    with these `-I` entries (before NIX_PATH's) and system.  The search path
    is fixed at construction because `builtins.nixPath` is a constant."""
    global _default
    _default = Evaluator(search_path, system=system)
    return _default


def make_base_env(search_path=(), overrides: dict[str, Any] | None = None,
                  system: str = DEFAULT_SYSTEM) -> Evaluator:
    """A fresh evaluator whose globals include `overrides` (name -> value)."""
    return Evaluator(search_path, overrides, system)


def evaluate(node, env: Evaluator | None = None) -> Any:
    """Evaluate a parsed expression to weak head normal form."""
    from .interp import run_deep
    return run_deep((env or default_evaluator()).eval_node, node)


def eval_file(path: str, ev: Evaluator | None = None) -> Any:
    return (ev or default_evaluator()).eval_file(path)


def eval_string(text: str, file: str = "«string»", base_dir: str | None = None,
                ev: Evaluator | None = None) -> Any:
    return (ev or default_evaluator()).eval_string(text, file, base_dir)


def force_deep(value: Any) -> Any:
    from .interp import run_deep
    from .printer import force_deep as deep
    return run_deep(deep, value)
