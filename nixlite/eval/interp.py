"""The interpreter: AST nodes are compiled once into Python closures.

`Compiler.compile(node, scope)` turns a node into a function `code(env) ->
value` (a value in weak head normal form); `Compiler.lazy(node, scope)` into
`code(env) -> value or thunk` for the lazy positions (list elements, attribute
values, `let` bindings, arguments).  Variables are resolved while compiling
(see `env.py`), so undefined variables are reported before evaluation, and a
variable reference in a lazy position shares the referenced thunk instead of
allocating a new one, as Nix's `maybeThunk` does (this matters for what
`--eval` prints as `<CODE>` and for `«repeated»`).

Compiling instead of re-dispatching on every evaluation is what makes the
interpreter fast enough; the per-file compiled code is cached by the
`Evaluator` together with the file's value (`import` semantics).

Deep recursion is handled by `deep.run_deep` (re-exported here).
"""
from __future__ import annotations

import functools
from typing import Any, Callable

from ..errors import (AbortError, AssertionFailed, EvalError, InfiniteRecursion, NixliteError,
                      ThrowError)
from ..syntax import ast as A
from . import ops
from .env import Scope, resolve, up
from .values import _BLACKHOLE, Attrs, Lambda, NixList, NixPath, PrimOp, Thunk, force

_MISSING = object()
#: a `let`/`rec` slot whose binding is not set up yet (None is Nix's null)
_UNSET = object()


class CodeThunk(Thunk):
    """A thunk over compiled code and its environment (the hot path of laziness)."""

    __slots__ = ("code", "env")

    def __init__(self, code: Callable, env: Any, span=None):
        self.value = None
        self.span = span
        self.code = code
        self.env = env

    def force(self) -> Any:
        v = self.value
        if v is None:
            self.value = _BLACKHOLE
            try:
                v = self.code(self.env)
            except BaseException:
                self.value = None
                raise
            self.value = (v,)
            self.code = self.env = None  # let the environment be collected
            return v
        if v is _BLACKHOLE:
            raise InfiniteRecursion("infinite recursion encountered", self.span)
        return v[0]

    def compute(self) -> Any:  # for callers of the generic Thunk protocol
        return self.code(self.env)


class LambdaCode:
    """The compiled form of an `ast.Lambda`."""

    __slots__ = ("body", "formals", "names", "ellipsis", "param_slot", "nslots", "node", "name")

    def describe(self) -> str:
        """How Nix 2.8 names a function in errors: "'f' at F:L:C" or "anonymous function at ..."."""
        sp = self.node.span
        file = "(string)" if sp.file.startswith("«") else sp.file
        where = f"{file}:{sp.line}:{sp.col}"
        return f"'{self.name}' at {where}" if self.name else f"anonymous function at {where}"


class Closure(Lambda):
    """A Nix lambda value: `node`, `env` (as `values.Lambda`) plus its compiled code."""

    __slots__ = ("code",)

    def __init__(self, node: Any, env: Any, code: LambdaCode):
        self.node = node
        self.env = env
        self.code = code


# --- function application -------------------------------------------------------

def call(f: Any, arg: Any, span=None) -> Any:
    """Apply a function value (Lambda, PrimOp or set with `__functor`) to arg."""
    cls = f.__class__
    if cls is Closure:
        code = f.code
        if code.formals is None:
            return code.body([f.env, arg])
        return code.body(_bind_formals(f, code, arg, span))
    if cls is PrimOp:
        args = f.args + (arg,)
        if len(args) < f.arity:
            return PrimOp(f.name, f.arity, f.fn, args)
        try:
            return f.fn(*args)
        except NixliteError as e:
            _lend_span(e, span)
            raise
    if cls is Attrs and "__functor" in f.d:
        return call(call(force(f.d["__functor"]), f, span), arg, span)
    if isinstance(f, Thunk):
        return call(f.force(), arg, span)
    raise EvalError(f"attempt to call something which is not a function but {ops.show_type(f)}", span)


def _bind_formals(f: Closure, code: LambdaCode, arg: Any, span) -> list:
    args = force(arg)
    if args.__class__ is not Attrs:
        raise ops.type_error(args, "a set", span)
    env = [f.env] + [_UNSET] * code.nslots
    if code.param_slot:
        env[code.param_slot] = args
    d, used = args.d, 0
    for name, slot, default in code.formals:
        v = d.get(name, _MISSING)
        if v is _MISSING:
            if default is None:
                raise EvalError(f"{code.describe()} called without required argument '{name}'", span)
            v = default(env)  # lazy code: a thunk, or a constant / shared value as in Nix
        else:
            used += 1
        env[slot] = v
    if not code.ellipsis and used != len(d):
        _unexpected_argument(code, d, span)
    return env


def _unexpected_argument(code: LambdaCode, d: dict, span) -> None:
    import difflib
    for k in sorted(d):
        if k not in code.names:
            close = difflib.get_close_matches(k, sorted(code.names), 1)
            hint = f"Did you mean {close[0]}?" if close else None
            raise EvalError(f"{code.describe()} called with unexpected argument '{k}'", span, hint=hint)


# --- the compiler ---------------------------------------------------------------------

class Compiler:
    """Compiles AST nodes against a dictionary of global values."""

    def __init__(self, globals_: dict[str, Any]):
        self.globals = globals_

    def compile(self, node: A.Node, scope: Scope | None) -> Callable:
        return _DISPATCH[node.__class__](self, node, scope)

    def lazy(self, node: A.Node, scope: Scope | None, name: str | None = None) -> Callable:
        """Code producing a value or thunk; never evaluates anything itself."""
        cls = node.__class__
        if cls in (A.Int, A.Float, A.Str, A.Path):
            const = _literal(node)
            return lambda env: const
        if cls is A.Var:
            r = self._resolve(node, scope)
            if r[0] == "local":
                return _local_raw(r[1], r[2], node.span)
            if r[0] == "global":
                const = r[1]
                return lambda env: const
        code = self.compile_lambda(node, scope, name) if cls is A.Lambda else self.compile(node, scope)
        span = node.span
        return lambda env: CodeThunk(code, env, span)

    def _resolve(self, node: A.Var, scope):
        r = resolve(scope, node.name, self.globals)
        if r is None:
            raise EvalError(f"undefined variable '{node.name}'", node.span)
        return r

    # literals ---------------------------------------------------------------------
    def c_literal(self, node, scope):
        const = _literal(node)
        return lambda env: const

    def c_search_path(self, node: A.SearchPath, scope):
        sp = node.span
        find = self.compile(A.Var(sp, "__findFile"), scope)
        nix_path = self.lazy(A.Var(sp, "__nixPath"), scope)
        name = node.value
        return lambda env: call(call(find(env), nix_path(env), sp), name, sp)

    def c_concat(self, node: A.ConcatStrings, scope):
        codes = [self.compile(p, scope) for p in node.parts]
        spans = [p.span if p.__class__ is A.Str else _interpolation_span(p.span) for p in node.parts]
        fs, span = node.force_string, node.span
        return lambda env: ops.concat([c(env) for c in codes], spans, fs, span)

    def c_cur_pos(self, node: A.CurPos, scope):
        sp = node.span
        file = pos_file(sp)
        return lambda env: Attrs({"file": file, "line": sp.line, "column": sp.col})

    # variables ----------------------------------------------------------------------
    def c_var(self, node: A.Var, scope):
        r = self._resolve(node, scope)
        if r[0] == "local":
            return _local(r[1], r[2])
        if r[0] == "global":
            const = force(r[1])
            return lambda env: const
        return _with_lookup(node.name, r[1], node.span)

    def c_select(self, node: A.Select, scope):
        obj = self.compile(node.expr, scope)
        path = self._attr_path(node.path, scope)
        default = self.compile(node.default, scope) if node.default is not None else None
        span = node.span
        if default is None and len(path) == 1 and isinstance(path[0], str):
            return _select1(obj, path[0], span)
        return lambda env: _select(obj(env), path, env, default, span)

    def _attr_path(self, path, scope) -> tuple:
        return tuple(p if isinstance(p, str) else self.compile(p, scope) for p in path)

    def c_has_attr(self, node: A.HasAttr, scope):
        obj = self.compile(node.expr, scope)
        path = self._attr_path(node.path, scope)
        return lambda env: _has_attr(obj(env), path, env)

    # sets and lists -------------------------------------------------------------------
    def c_attrs(self, node: A.Attrs, scope):
        if node.rec:
            return self._rec_attrs(node, scope)
        items = [(n, self.lazy(d.value, scope, n)) for n, d in node.attrs.items()]
        pos = {n: d.span for n, d in node.attrs.items()} or None
        dyn = self._dynamic(node, scope)
        if dyn:
            return lambda env: _add_dynamic(Attrs({n: f(env) for n, f in items}, dict(pos or {})), dyn, env)
        return lambda env: Attrs({n: f(env) for n, f in items}, pos)

    def _dynamic(self, node: A.Attrs, scope):
        return [(self.compile(d.name, scope), self.lazy(d.value, scope), d.span) for d in node.dynamic]

    def _bindings(self, attrs: A.Attrs, scope, inner: Scope):
        """(inherited?, lazy code) per binding of a recursive set or let."""
        return [(d.inherited, self.lazy(d.value, scope if d.inherited else inner, n))
                for n, d in attrs.attrs.items()]

    def _rec_attrs(self, node: A.Attrs, scope):
        names = list(node.attrs)
        inner = Scope.of(names, scope)
        binds = self._bindings(node, scope, inner)
        pos = {n: d.span for n, d in node.attrs.items()} or None
        dyn = self._dynamic(node, inner)

        def run(env):
            e = _rec_env(env, binds)
            a = Attrs(dict(zip(names, e[1:])), pos)
            return _add_dynamic(a, dyn, e) if dyn else a
        return run

    def c_list(self, node: A.List, scope):
        items = [self.lazy(x, scope) for x in node.items]
        return lambda env: NixList([f(env) for f in items])

    # functions --------------------------------------------------------------------------
    def c_lambda(self, node: A.Lambda, scope):
        return self.compile_lambda(node, scope, None)

    def compile_lambda(self, node: A.Lambda, scope, name: str | None):
        code = LambdaCode()
        code.node, code.name = node, name
        if node.formals is None:
            code.formals, code.param_slot, code.nslots = None, 1, 1
            inner = Scope.of([node.param], scope)
        else:
            self._compile_formals(node, scope, code)
            inner = self._formals_scope
        code.body = self.compile(node.body, inner)
        return lambda env: Closure(node, env, code)

    def _compile_formals(self, node: A.Lambda, scope, code: LambdaCode) -> None:
        names = [f.name for f in node.formals.entries]
        if node.param is not None and node.param not in names:
            names = [node.param] + names
        inner = Scope.of(names, scope)
        code.param_slot = inner.names[node.param] if node.param is not None else 0
        code.formals = tuple((f.name, inner.names[f.name],
                              self.lazy(f.default, inner) if f.default is not None else None)
                             for f in node.formals.entries)
        code.names = frozenset(f.name for f in node.formals.entries)
        code.ellipsis, code.nslots = node.formals.ellipsis, len(names)
        self._formals_scope = inner

    def c_call(self, node: A.Call, scope):
        fn = self.compile(node.fn, scope)
        args = [self.lazy(a, scope) for a in node.args]
        span = node.span
        if len(args) == 1:
            a0 = args[0]

            def run1(env):
                f = fn(env)
                try:
                    return call(f, a0(env), span)
                except NixliteError as e:
                    _traced(e, span)
                    raise
            return run1

        def run(env):
            f = fn(env)
            for a in args:
                f = _call_traced(f, a(env), span)
            return f
        return run

    # control --------------------------------------------------------------------------------
    def c_let(self, node: A.Let, scope):
        names = list(node.attrs.attrs)
        inner = Scope.of(names, scope)
        binds = self._bindings(node.attrs, scope, inner)
        body = self.compile(node.body, inner)
        return lambda env: body(_rec_env(env, binds))

    def c_with(self, node: A.With, scope):
        attrs = self.lazy(node.env, scope)
        body = self.compile(node.body, Scope(None, scope))
        return lambda env: body([env, attrs(env)])

    def c_if(self, node: A.If, scope):
        cond, then, else_ = (self.compile(n, scope) for n in (node.cond, node.then, node.else_))
        span = node.span  # Nix points at the `if`, not at the condition

        def run(env):
            c = cond(env)
            if c is True:
                return then(env)
            if c is False:
                return else_(env)
            raise ops.type_error(c, "a Boolean", span)
        return run

    def c_assert(self, node: A.Assert, scope):
        cond, body = self.compile(node.cond, scope), self.compile(node.body, scope)
        span, cnode = node.span, node.cond

        def run(env):
            c = cond(env)
            if c is True:
                return body(env)
            if c is False:
                from .show import show_expr
                raise AssertionFailed(f"assertion '{show_expr(cnode)}' failed", span)
            raise ops.type_error(c, "a Boolean", span)  # at the `assert`, as Nix
        return run

    def c_not(self, node: A.Not, scope):
        e = self.compile(node.expr, scope)

        def run(env):
            v = e(env)
            if v is True or v is False:
                return not v
            raise ops.type_error(v, "a Boolean").without_position()  # as Nix 2.8: no position
        return run

    def c_neg(self, node: A.Neg, scope):
        e, span = self.compile(node.expr, scope), node.span
        return lambda env: ops.sub(0, e(env), span)

    def c_binop(self, node: A.BinOp, scope):
        from .binops import compile_binop
        return compile_binop(node.op, self.compile(node.left, scope),
                             self.compile(node.right, scope), node)


def pos_file(span) -> str:
    """The `file` of a position as Nix 2.8 reports it: for `-E` text, the text itself."""
    if span.file.startswith("«"):
        from ..source import SOURCES
        return SOURCES.get(span.file, span.file)
    return span.file


def _literal(node):
    return NixPath(node.value) if node.__class__ is A.Path else node.value


def _local(depth: int, slot: int):
    """Code reading (and forcing) a variable `depth` scopes up."""
    if depth == 0:
        def var(env):
            v = env[slot]
            return v.force() if isinstance(v, Thunk) else v
    elif depth == 1:
        def var(env):
            v = env[0][slot]
            return v.force() if isinstance(v, Thunk) else v
    elif depth == 2:
        def var(env):
            v = env[0][0][slot]
            return v.force() if isinstance(v, Thunk) else v
    else:
        def var(env):
            v = up(env, depth)[slot]
            return v.force() if isinstance(v, Thunk) else v
    return var


def _local_raw(depth: int, slot: int, span=None):
    """Share the slot's value or thunk; a slot not filled yet (a later binding of
    the same `let`/`rec` being set up) gets a thunk, as Nix's maybeThunk does."""
    if depth == 0:
        strict = _local(0, slot)

        def raw(env):
            v = env[slot]
            return v if v is not _UNSET else CodeThunk(strict, env, span)
        return raw
    if depth == 1:
        return lambda env: env[0][slot]
    return lambda env: up(env, depth)[slot]


def _with_lookup(name: str, depths: tuple, span):
    def var(env):
        for d in depths:
            a = force(up(env, d)[1])
            if a.__class__ is not Attrs:  # `with 1; x`: Nix 2.8 shows no position
                raise ops.type_error(a, "a set").without_position()
            v = a.d.get(name, _MISSING)
            if v is not _MISSING:
                return force(v)
        raise EvalError(f"undefined variable '{name}'", span)
    return var


def _rec_env(env, binds) -> list:
    e = [env]
    e.extend([_UNSET] * len(binds))
    for i, (inherited, f) in enumerate(binds, 1):
        e[i] = f(env if inherited else e)
    return e


def _attr_name(name, env, span) -> str:
    if isinstance(name, str):
        return name
    return _no_context(name(env), span)


def _no_context(v, span) -> str:
    """Nix's forceStringNoCtx, for computed attribute names."""
    if not isinstance(v, str):
        raise ops.type_error(v, "a string", span)
    if v.__class__ is not str and getattr(v, "context", None):
        raise EvalError(f"the string '{v}' is not allowed to refer to a store path "
                        f"(such as '{sorted(v.context)[0].lstrip('=!').split('!')[-1]}')", span)
    return v


def _missing(name: str, a: Attrs, span) -> EvalError:
    import difflib
    close = difflib.get_close_matches(name, sorted(a.d), 1)
    return EvalError(f"attribute '{name}' missing", span, hint=f"Did you mean {close[0]}?" if close else None)


def _select1(obj, name: str, span):
    def run(env):
        a = obj(env)
        if a.__class__ is not Attrs:
            raise ops.type_error(a, "a set", span)
        v = a.d.get(name, _MISSING)
        if v is _MISSING:
            raise _missing(name, a, span)
        return _force_attr(v, name, span) if isinstance(v, Thunk) else v
    return run


def _force_attr(v: Thunk, name: str, span):
    try:
        return v.force()
    except NixliteError as e:
        if len(e.trace) < 64:
            e.add_trace(span, f"while evaluating the attribute '{name}'")
        raise


def _select(v, path, env, default, span):
    for p in path:
        name = _attr_name(p, env, span)
        if v.__class__ is not Attrs:
            if default is not None:
                return default(env)
            raise ops.type_error(v, "a set", span)
        x = v.d.get(name, _MISSING)
        if x is _MISSING:
            if default is not None:
                return default(env)
            raise _missing(name, v, span)
        v = _force_attr(x, name, span) if isinstance(x, Thunk) else x
    return v


def _has_attr(v, path, env) -> bool:
    last = len(path) - 1
    for i, p in enumerate(path):
        name = _attr_name(p, env, None)
        if v.__class__ is not Attrs or name not in v.d:
            return False
        if i < last:
            v = force(v.d[name])
    return True


def _add_dynamic(a: Attrs, dyn, env) -> Attrs:
    """Evaluate `${name} = value;` bindings (a null name omits the binding)."""
    if a.pos is not None:
        a.pos = dict(a.pos)
    for name_code, value, span in dyn:
        name = name_code(env)
        if name is None:
            continue
        if not isinstance(name, str):  # `{ ${1} = 2; }`: Nix 2.8 shows no position
            raise ops.type_error(name, "a string").without_position()
        name = _no_context(name, span)
        if name in a.d:
            raise EvalError(f"dynamic attribute '{name}' already defined", span)
        a.d[name] = value(env)
        if a.pos is not None:
            a.pos[name] = span
    return a


def _interpolation_span(span):
    """Nix 2.8 points a failed interpolation at its `${`, not at the expression
    inside: find the `${` before it on the same line (else keep the span)."""
    from ..source import SOURCES, Span
    text = SOURCES.get(span.file) if span is not None else None
    lines = _split_lines(text) if text is not None else ()
    if not 1 <= span.line <= len(lines):
        return span
    head = lines[span.line - 1].encode("utf-8", "surrogateescape")[: span.col - 1].rstrip()
    if not head.endswith(b"${"):
        return span
    return Span(span.file, span.line, len(head) - 1, span.end_line, span.end_col)


@functools.lru_cache(maxsize=4)
def _split_lines(text: str) -> list[str]:
    return text.split("\n")


def _lend_span(e: NixliteError, span) -> None:
    """A call's position stands in for that of an error raised without one,
    unless Nix shows that error with no position at all (`throw`, `abort`,
    and the errors marked `unlocated`)."""
    if e.span is None and not e.unlocated and not isinstance(e, (ThrowError, AbortError)):
        e.span = span


def _call_traced(f, arg, span):
    try:
        return call(f, arg, span)
    except NixliteError as e:
        _traced(e, span)
        raise


def _traced(e: NixliteError, span) -> NixliteError:
    """Give a position-less error the call's position and record the frame."""
    _lend_span(e, span)
    if len(e.trace) < 64:
        e.add_trace(span, "while calling a function")
    return e


_DISPATCH: dict[type, Callable] = {
    A.Int: Compiler.c_literal, A.Float: Compiler.c_literal, A.Str: Compiler.c_literal,
    A.Path: Compiler.c_literal, A.SearchPath: Compiler.c_search_path,
    A.ConcatStrings: Compiler.c_concat, A.CurPos: Compiler.c_cur_pos, A.Var: Compiler.c_var,
    A.Select: Compiler.c_select, A.HasAttr: Compiler.c_has_attr, A.Attrs: Compiler.c_attrs,
    A.List: Compiler.c_list, A.Lambda: Compiler.c_lambda, A.Call: Compiler.c_call,
    A.Let: Compiler.c_let, A.With: Compiler.c_with, A.If: Compiler.c_if,
    A.Assert: Compiler.c_assert, A.Not: Compiler.c_not, A.Neg: Compiler.c_neg,
    A.BinOp: Compiler.c_binop,
}


# --- deep evaluation (see deep.py) -------------------------------------------------------
from .deep import run_deep  # noqa: E402

# the public API lives in evaluator.py; re-exported here for the documented names
from .evaluator import (Evaluator, default_evaluator, eval_file, eval_string, evaluate,  # noqa: E402
                        force_deep, make_base_env)

__all__ = ["call", "force", "evaluate", "eval_file", "eval_string", "force_deep", "make_base_env",
           "Evaluator", "default_evaluator", "run_deep", "Closure", "CodeThunk", "Compiler"]
