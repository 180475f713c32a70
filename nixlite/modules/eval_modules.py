"""The module system: collect modules, merge declarations and definitions,
and tie the knot through a lazy `config`.

This is nixpkgs' `evalModules` (2020) re-done in Python over Nix values:

1. **collect**: starting from the given modules, breadth-first through
   `imports` (as `builtins.genericClosure` does), each module is loaded (a
   path is imported; a function is called with the module arguments, whose
   `config` and `options` are still unevaluated thunks) and brought to the
   full form `{ _file, key, imports, options, config }`.  As in nixpkgs, a
   function gets *all* of `config`, `options`, `lib`, `specialArgs` and the
   special arguments (so a pattern without `...` that lacks one of them is
   Nix's unexpected-argument error), plus each other name its pattern asks
   for, looked up lazily in `config._module.args`.  Modules with a key
   seen before are skipped; `disabledModules` are dropped.  The list is then
   *reversed*, as nixpkgs reverses it, which fixes the order of definitions.
2. **merge**: a `Level` is one attribute level of the option tree below a
   prefix.  Declarations (`options`) and definitions (`config`, with mkIf,
   mkMerge and mkOverride pushed down) are grouped by name; a name declared
   as an option becomes an `OptionNode` (default + definitions, merged by
   type on demand), any other declared name a nested `Level` (built on
   demand), and a defined but undeclared name is the error NixOS gives.
3. **fixpoint**: `config` is a thunk for the top level's attribute set of
   lazy values, so modules can read `config` as long as they do not need a
   value to produce the names of their own definitions (same rule as NixOS).

Every evaluation also holds the internal module of nixpkgs: the options
`_module.args` (a lazy attribute set: an argument nobody uses is never
forced) and `_module.check` (accepted, not acted on).

Declarations written in Python (`Option` in a `PyModule`'s option tree) and
in Nix (`mkOption` sets) are handled alike; Python ones avoid any Nix
evaluation for the containers module's schema.  `IGNORED` in a Python tree
marks a namespace nixlite accepts without modelling (warning once); a `"*"`
key makes every unknown name of that level such a namespace.
"""
from __future__ import annotations

import sys
from collections import deque
from contextlib import contextmanager
from typing import Any, Callable

from ..errors import EvalError, InfiniteRecursion, NixliteError, OptionError
from ..eval.values import Attrs, Lambda, Lazy, NixList, NixPath, PrimOp, force
from ..source import Span
from .properties import OPTION_DEFAULT_PRIORITY, Def, push_down
from .types import ANYTHING, BOOL, UNSPECIFIED, AttrsOf, Merged, OptionType, show_files, show_option

MISSING: Any = object()
IGNORED: Any = type("Ignored", (), {"__repr__": lambda self: "IGNORED"})()
_SKIP_KEYS = frozenset({"_file", "key", "disabledModules", "imports", "meta"})
_FULL_KEYS = _SKIP_KEYS | {"options", "config"}


# --- warnings -------------------------------------------------------------------

def _stderr_warn(msg: str) -> None:
    sys.stderr.write(f"trace: warning: {msg}\n")


#: where warnings go; tests and callers may replace it
WARN: list[Callable[[str], None]] = [_stderr_warn]


def warn(msg: str) -> None:
    WARN[0](msg)


# --- declarations -----------------------------------------------------------------

class Option:
    """One option declaration (what `mkOption` returns, parsed)."""

    __slots__ = ("type", "default", "default_fn", "description", "file", "apply", "example", "read_only")

    def __init__(self, type_: OptionType, default: Any = MISSING, description: str = "", *,
                 default_fn: Callable | None = None, file: str = "<nixlite>", apply: Any = None,
                 example: Any = MISSING, read_only: bool = False):
        self.type, self.default, self.default_fn = type_, default, default_fn
        self.description, self.file, self.apply = description, file, apply
        self.example, self.read_only = example, read_only

    @property
    def has_default(self) -> bool:
        return self.default is not MISSING or self.default_fn is not None


class PyModule:
    """A module written in Python: an option tree (nested dicts of `Option`,
    `IGNORED`, and `"*": IGNORED`) and a `config(evaluation)` giving its
    definitions as a Nix attribute set (or None)."""

    def __init__(self, key: str, options: dict, config: Callable[["Evaluation"], Attrs | None] | None = None,
                 file: str | None = None):
        self.key, self.options, self.config = key, options, config
        self.file = file or key


class Module:
    """A collected module in full form."""

    __slots__ = ("file", "key", "options", "config", "imports", "disabled")

    def __init__(self, file, key, options, config, imports=(), disabled=()):
        self.file, self.key, self.options, self.config = file, key, options, config
        self.imports, self.disabled = imports, disabled


# --- collecting modules -------------------------------------------------------------

def _path_of(v: Any) -> str | None:
    if isinstance(v, NixPath):
        return v.path
    if isinstance(v, str) and v.startswith("/"):
        return str(v)
    return None


#: the evaluators of the resolves in progress (innermost last); see `using_evaluator`
_EVALUATORS: list = []


@contextmanager
def using_evaluator(ev):
    """Import module files with `ev` (one per resolve, so its import cache
    and compiled code die with the resolve) while the block runs."""
    _EVALUATORS.append(ev)
    try:
        yield ev
    finally:
        _EVALUATORS.pop()


def current_evaluator():
    if _EVALUATORS:
        return _EVALUATORS[-1]
    from ..eval.evaluator import default_evaluator
    return default_evaluator()


def _import(path: str) -> Any:
    return current_evaluator().import_path(path)


def is_function(v: Any) -> bool:
    return isinstance(v, (Lambda, PrimOp)) or (v.__class__ is Attrs and "__functor" in v.d)


def _formals(fn: Any) -> list:
    """`lib.functionArgs`: the entries of a set pattern (defaults included)."""
    formals = getattr(getattr(fn, "node", None), "formals", None)
    return [] if formals is None else list(formals.entries)


def call_module(fn: Any, args: dict, lookup: Callable[[str, str, Any], Any], key: str) -> Any:
    """nixpkgs' applyIfFunction: call with all of `args`, plus every other name
    the pattern lists (even one with a default, as nixpkgs does) as a lazy
    lookup in `config._module.args`.  The span is the module function's, so
    a pattern without `...` that misses an argument is reported there."""
    from ..eval.interp import call
    given = dict(args)
    for f in _formals(fn):
        if f.name not in given:
            given[f.name] = Lazy(lookup, f.name, key, f.span)
    return call(fn, Attrs(given), getattr(getattr(fn, "node", None), "span", None))


def _load(value: Any, file: str, key: str, args: tuple, shorthand: bool) -> Module:
    if isinstance(value, PyModule):
        return Module(value.file, value.key, value.options, _PyConfig(value))
    v = force(value)
    path = _path_of(v)
    if path is not None:
        file = key = path
        v = force(_import(path))
        shorthand = False
    if is_function(v):
        v = force(call_module(v, *args, key))
    if v.__class__ is not Attrs:
        from ..eval.ops import show_type
        raise OptionError(f"module `{key}' (in `{file}') is {show_type(v)}, not a set or a function")
    if shorthand:
        return Module(file, key, {}, v)
    return _unify(file, key, v)


def _unify(file: str, key: str, m: Attrs) -> Module:
    """nixpkgs' unifyModuleSyntax: full form or shorthand."""
    d = m.d
    if "_file" in d:
        file = _str(force(d["_file"]))
    if "key" in d:
        key = _str(force(d["key"]))
    imports = force(d["imports"]) if "imports" in d else ()
    disabled = force(d["disabledModules"]) if "disabledModules" in d else ()
    if "config" in d or "options" in d:
        bad = sorted(n for n in d if n not in _FULL_KEYS)
        if bad:
            raise OptionError(f"Module `{key}' has an unsupported attribute `{bad[0]}'. This is caused by "
                              "assignments to the top-level attributes `config' or `options'.",
                              m.pos.get(bad[0]) if m.pos else None)
        return Module(file, key, d.get("options", _EMPTY), d.get("config", _EMPTY), imports, disabled)
    config = Attrs({n: x for n, x in d.items() if n not in _SKIP_KEYS}, m.pos)
    return Module(file, key, _EMPTY, config, imports, disabled)


def _str(v: Any) -> str:
    p = _path_of(v)
    return p if p is not None else str(v)


_EMPTY = Attrs({})


class _PyConfig:
    """Marker: the config of a PyModule, produced when the level is built."""
    __slots__ = ("module",)

    def __init__(self, module: PyModule):
        self.module = module


def collect(start: list[tuple[Any, str, str, bool]], args: tuple[dict, Callable]) -> list[Module]:
    """Breadth-first closure over imports, deduplicated by key; disabledModules
    removed; returned in nixpkgs' (reversed) order.  `args`: the arguments
    every module function gets, and the lookup of the other names."""
    queue = deque(start)
    seen: set[str] = set()
    out: list[Module] = []
    while queue:
        value, file, key, shorthand = queue.popleft()
        pre = _path_of(force(value)) if not isinstance(value, PyModule) else None
        if pre is not None and pre in seen:
            continue
        m = _load(value, file, key, args, shorthand)
        if m.key in seen:
            continue
        seen.add(m.key)
        out.append(m)
        for n, imp in enumerate(m.imports, 1):
            queue.append((imp, m.file, f"{m.key}:anon-{n}", False))
    disabled = {_str(force(k)) for m in out for k in m.disabled}
    return [m for m in reversed(out) if m.key not in disabled]


# --- evaluation -------------------------------------------------------------------------

MODULES_PATH = "/nixlite/nixos/modules"


def nixos_args() -> tuple[dict, dict]:
    """What NixOS's eval-config gives the host's modules: the special argument
    `modulesPath`, and `pkgs` as a `_module.args` entry (passed only to
    functions that name it)."""
    from .pkgs import pkgs_value
    return {"modulesPath": MODULES_PATH}, {"pkgs": Lazy(pkgs_value)}


class LazyAttrsOf(AttrsOf):
    """`lazyAttrsOf`: like attrsOf, but a value is merged only when used."""
    name = "lazyAttrsOf"

    def __init__(self, elem: OptionType):
        self.elem = elem
        self.description = f"lazy attribute set of {elem.description}s"

    def merge(self, loc, defs):
        by_name: dict[str, list[Def]] = {}
        for d in defs:
            for n, x in d.value.d.items():
                by_name.setdefault(n, []).append(Def(d.file, x, d.span))
        return Attrs({n: Lazy(Merged((*loc, n), self.elem, ds).value) for n, ds in sorted(by_name.items())})


INTERNAL_FILE = "nixlite/modules/eval_modules.py"
INTERNAL_OPTIONS = {"_module": {
    "args": Option(LazyAttrsOf(UNSPECIFIED), description="Arguments passed to every module function.",
                   file=INTERNAL_FILE),
    "check": Option(BOOL, True, "Whether definitions must match declarations (nixlite always checks).",
                    file=INTERNAL_FILE),
}}


#: nixpkgs' internalModule: declares `_module` and defines the evaluation's args
INTERNAL = PyModule("nixlite:internal-module", INTERNAL_OPTIONS,
                    lambda ev: Attrs({"_module": Attrs({"args": Attrs(dict(ev.module_args))})}), INTERNAL_FILE)


class Evaluation:
    """One `evalModules`: the collected modules and the lazy top level.

    `special_args` are passed to every module function (nixpkgs' specialArgs);
    `module_args` are the internal module's `_module.args` definitions.  Both
    default to what NixOS gives a host configuration (`nixos_args`)."""

    def __init__(self, start: list[tuple[Any, str, str, bool]], prefix: tuple[str, ...] = (),
                 special_args: dict | None = None, module_args: dict | None = None,
                 warn_ignored: bool = True, name: str | None = None):
        if special_args is None and module_args is None:
            special_args, module_args = nixos_args()
        self.prefix, self.name, self.module_args = prefix, name, module_args or {}
        self.warn_ignored = warn_ignored
        self.config_thunk = Lazy(self.config)
        from .lib import lib_value
        special = dict(special_args or {})
        self.args = {**special, "lib": Lazy(lib_value), "specialArgs": Attrs(special),
                     "config": self.config_thunk, "options": Lazy(self.options)}
        self.modules: list[Module] | None = None
        self._level: Level | None = None
        self.modules = collect([*start, (INTERNAL, INTERNAL_FILE, INTERNAL.key, False)],
                               (self.args, self.module_arg))

    def module_arg(self, name: str, key: str, span: Span | None = None) -> Any:
        """`config._module.args.<name>`, for a module function naming it
        (`span`: where the pattern names it)."""
        try:
            args = force(force(force(self.config_thunk).d["_module"]).d["args"])
            if name not in args.d:
                raise EvalError(f"attribute '{name}' missing", span, hint=f"no module defines `_module.args."
                                f"{name}'; the arguments are " + ", ".join(sorted({*self.args, *args.d})))
            return force(args.d[name])
        except NixliteError as e:
            if e.span is None:  # e.g. infinite recursion: `imports` needing the argument
                e.span = span
            raise e.add_trace(span, f"while evaluating the module argument `{name}' in \"{key}\":")

    def level(self) -> "Level":
        if self._level is None:
            if self.modules is None:  # `config` needed to find the modules themselves
                raise InfiniteRecursion("infinite recursion encountered")
            decls = [(m.file, m.options) for m in self.modules]
            defs = [Def(m.file, self._config_of(m)) for m in self.modules]
            self._level = Level(self, self.prefix, decls, defs)
        return self._level

    def _config_of(self, m: Module) -> Any:
        if isinstance(m.config, _PyConfig):
            fn = m.config.module.config
            return (fn(self) if fn else None) or _EMPTY
        return m.config

    def config(self) -> Attrs:
        level = self.level()
        if len(level.entries.get("_module", ((), ()))[1]) > 1:
            level.node("_module")  # checks the names (NixOS checks every definition when config is used)
        return level.config_attrs()

    def options(self) -> Attrs:
        return self.level().options_attrs()


def eval_submodule(t, loc: tuple[str, ...], defs: list[Def]) -> Attrs:
    """`types.submodule` merge: the declaring modules plus each definition
    (an attribute set or function defining only `config`)."""
    start = [(m, "<unknown-file>", f":anon-{i}", False) for i, m in enumerate(t.modules, 1)]
    for n, d in enumerate(defs, 1):
        shorthand = _path_of(d.value) is None
        start.append((d.value, d.file, f"{d.file}-{n}", shorthand))
    ev = Evaluation(start, loc, t.special_args, {"name": loc[-1]}, name=loc[-1])
    return ev.config()


# --- levels and options -------------------------------------------------------------

def _tree_items(tree: Any):
    if isinstance(tree, dict):
        return tree.items()
    t = force(tree)
    if t.__class__ is not Attrs:
        from ..eval.ops import show_type
        raise OptionError(f"an `options' declaration is {show_type(t)} while a set was expected")
    return t.d.items()


def _classify(sub: Any, file: str) -> Any:
    """Option, IGNORED, or a subtree (dict / Attrs)."""
    if isinstance(sub, (Option, dict)) or sub is IGNORED:
        return sub
    v = force(sub)
    if v.__class__ is Attrs and "_type" in v.d and force(v.d["_type"]) == "option":
        from .lib import option_from_nix
        return option_from_nix(v, file)
    return v


class Level:
    """The options and definitions of one attribute level of the tree."""

    __slots__ = ("ev", "prefix", "entries", "nodes")

    def __init__(self, ev: Evaluation, prefix: tuple[str, ...], decls: list, defs: list[Def]):
        self.ev, self.prefix = ev, prefix
        decl_by: dict[str, list] = {}
        is_open = False
        for file, tree in decls:
            for name, sub in _tree_items(tree):
                if name == "*" and sub is IGNORED:
                    is_open = True
                else:
                    decl_by.setdefault(name, []).append((file, sub))
        def_by = self._definitions(defs, decl_by, is_open)
        if ev.warn_ignored:
            self._warn_ignored(decl_by, def_by)
        self.entries = {n: (ds, def_by.get(n, [])) for n, ds in decl_by.items()}
        self.nodes: dict[str, Any] = {}

    def _definitions(self, defs: list[Def], decl_by: dict, is_open: bool) -> dict[str, list[Def]]:
        def_by: dict[str, list[Def]] = {}
        for d in defs:
            for a in push_down(d.value, self.prefix, d.span):
                pos = a.pos
                for n in sorted(a.d):
                    span = pos.get(n, d.span) if pos else d.span
                    if n not in decl_by:
                        self._undeclared(n, d.file, span, decl_by, is_open)
                    def_by.setdefault(n, []).append(Def(d.file, a.d[n], span))
        return def_by

    def _undeclared(self, name: str, file: str, span: Span | None, decl_by: dict, is_open: bool) -> None:
        loc = show_option((*self.prefix, name))
        if not is_open:
            raise OptionError(f"The option `{loc}' defined in `{file}' does not exist.", span,
                              option_path=loc, hint=_suggest(name, decl_by))
        decl_by[name] = [(file, IGNORED)]

    def _warn_ignored(self, decl_by: dict, def_by: dict[str, list[Def]]) -> None:
        for name in sorted(def_by):
            if all(sub is IGNORED for _, sub in decl_by[name]):
                loc = show_option((*self.prefix, name))
                warn(f"nixlite ignores the option `{loc}' (defined in `{def_by[name][0].file}'): "
                     "only the containers module's options are modelled")

    # -- nodes --

    def node(self, name: str) -> Any:
        n = self.nodes.get(name)
        if n is None:
            n = self.nodes[name] = self._make_node(name)
        return n

    def _make_node(self, name: str) -> Any:
        decls, defs = self.entries[name]
        loc = (*self.prefix, name)
        if len(decls) == 1 and decls[0][1].__class__ is Option:  # the common case, quickly
            return OptionNode(self.ev, loc, decls, defs)
        kinds = [(f, _classify(s, f)) for f, s in decls]
        if all(k is IGNORED for _, k in kinds):
            return OptionNode(self.ev, loc, [(decls[0][0], Option(ANYTHING))], defs)
        opts = [(f, k) for f, k in kinds if isinstance(k, Option)]
        if len(opts) == len(kinds):
            return OptionNode(self.ev, loc, opts, defs)
        if opts:
            other = next(f for f, k in kinds if not isinstance(k, Option))
            raise OptionError(f"The option `{show_option(loc)}' in `{opts[0][0]}' is a prefix of options in `{other}'.")
        subtrees = [(f, k) for f, k in kinds if k is not IGNORED]
        if len(subtrees) < len(kinds):  # options declared inside an ignored namespace
            subtrees.append((subtrees[0][0], {"*": IGNORED}))
        return Level(self.ev, loc, subtrees, defs)

    def value_of(self, name: str) -> Any:
        n = self.node(name)
        return n.value() if isinstance(n, OptionNode) else n.config_attrs()

    def config_attrs(self) -> Attrs:
        return Attrs({n: Lazy(self.value_of, n) for n in self.entries})

    def options_attrs(self) -> Attrs:
        return Attrs({n: Lazy(self._options_of, n) for n in self.entries})

    def _options_of(self, name: str) -> Any:
        n = self.node(name)
        return n.option_attrs() if isinstance(n, OptionNode) else n.options_attrs()


def _suggest(name: str, declared) -> str | None:
    import difflib
    close = difflib.get_close_matches(name, sorted(declared), 1)
    return f"Did you mean `{close[0]}'?" if close else None


def merge_option_decls(loc, decls: list[tuple[str, Option]]) -> Option:
    """Several declarations of one option: at most one may give a default;
    submodule types combine (an option's submodule can be extended)."""
    file, opt = decls[0]
    for f, o in decls[1:]:
        t = opt.type.type_merge(o.type)
        if t is None or (o.has_default and opt.has_default):
            raise OptionError(f"The option `{show_option(loc)}' in `{f}' is already declared in `{file}'.")
        default = opt.default if opt.default is not MISSING else o.default
        opt = Option(t, default, opt.description or o.description, default_fn=opt.default_fn or o.default_fn,
                     file=file, apply=opt.apply or o.apply)
    return opt


class OptionNode:
    """One option: its declaration and definitions, merged on demand."""

    __slots__ = ("ev", "loc", "opt", "merged", "_value")

    def __init__(self, ev: Evaluation, loc: tuple[str, ...], decls: list, defs: list[Def]):
        self.ev, self.loc = ev, loc
        self.opt = opt = decls[0][1] if len(decls) == 1 else merge_option_decls(loc, decls)
        raw = defs
        if opt.has_default:
            dv = opt.default if opt.default_fn is None else Lazy(opt.default_fn, ev)
            raw = [Def(opt.file, dv, None, OPTION_DEFAULT_PRIORITY), *defs]
        if opt.read_only and len(raw) > 1:
            raise OptionError(f"The option `{show_option(loc)}' is read-only, but it's set multiple times.")
        self.merged = Merged(loc, opt.type, raw)
        self._value = MISSING

    def value(self) -> Any:
        if self._value is MISSING:
            try:
                v = self.merged.value()
                if self.opt.apply is not None:
                    from ..eval.interp import call
                    v = call(self.opt.apply, v)
            except NixliteError as e:  # NixOS's addErrorContext, shown by --show-trace
                self._definitions_trace(e)
                raise e.add_trace(None, f"while evaluating the option `{show_option(self.loc)}':")
            self._value = v
        return self._value

    def _definitions_trace(self, e: NixliteError) -> None:
        """Where the option is defined (NixOS: "while evaluating definitions
        from `file'"), with the definition's position when there is one."""
        defs = [d for d in self.merged.raw if d.prio is None]  # not the option's default
        files = list(dict.fromkeys(d.file for d in defs))
        if not files or any(w.startswith("while evaluating definitions from") for _, w in e.trace):
            return
        span = defs[0].span if len(defs) == 1 else None
        if span is None or span != e.span:  # else the error shows that very place already
            e.add_trace(span, "while evaluating definitions from " + ", ".join(f"`{f}'" for f in files) + ":")

    def is_defined(self) -> bool:
        return self.merged.is_defined()

    def option_attrs(self) -> Attrs:
        """What `options.<path>` shows to Nix code."""
        from .lib import type_to_nix
        m = self.merged
        d = {"_type": "option", "value": Lazy(self.value), "isDefined": Lazy(m.is_defined),
             "loc": NixList(self.loc), "type": Lazy(type_to_nix, self.opt.type),
             "description": self.opt.description,
             "definitions": Lazy(lambda: NixList(x.value for x in m.final())),
             "files": Lazy(lambda: NixList(x.file for x in m.final())),
             "highestPrio": Lazy(lambda: (m.final(), m.prio)[1]),
             "declarations": NixList([self.opt.file])}
        if self.opt.default is not MISSING:
            d["default"] = self.opt.default
        return Attrs(d)


__all__ = ["Evaluation", "Option", "PyModule", "IGNORED", "MISSING", "warn", "WARN",
           "eval_submodule", "show_files", "using_evaluator", "current_evaluator", "nixos_args"]
