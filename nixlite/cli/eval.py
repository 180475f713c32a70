"""`nixlite eval FILE | -E EXPR`: what `nix-instantiate --eval` prints.

Plain expressions are evaluated and printed byte for byte like Nix 2.8
(`--strict`, `--json`, `-A`, `--arg`, `--argstr`, `-I`).  A NixOS-style
containers module (detected, or forced with `--module`) is handed to the
module system, which prints the resolved container options instead.
Only light modules are imported here: the evaluator loads its builtins
lazily and nothing pulls in pydantic or rich unless an error is shown on a
terminal.
"""
from __future__ import annotations

import os
import sys

import click


@click.command("eval")
@click.argument("file", required=False)
@click.option("-E", "expression", metavar="EXPR", help="Evaluate EXPR instead of a file.")
@click.option("--strict", is_flag=True, help="Evaluate the result deeply.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.option("-A", "--attr", "attr", metavar="PATH", help="Select an attribute of the result.")
@click.option("--arg", "args", nargs=2, multiple=True, metavar="NAME EXPR",
              help="Pass NAME = EXPR to a top-level function.")
@click.option("--argstr", "argstrs", nargs=2, multiple=True, metavar="NAME VALUE",
              help="Pass NAME = \"VALUE\" to a top-level function.")
@click.option("-I", "include", multiple=True, metavar="NAME=PATH", help="Add to the search path.")
@click.option("--system", default="x86_64-linux", show_default=True, help="Value of builtins.currentSystem.")
@click.option("--show-trace", is_flag=True, help="Show the trace of an error.")
@click.option("--module", "as_module", is_flag=True, help="Treat FILE as a NixOS containers module.")
@click.option("--expr", "as_expr", is_flag=True, help="Treat FILE as a plain Nix expression.")
def command(file, expression, strict, as_json, attr, args, argstrs, include, system, show_trace,
            as_module, as_expr) -> None:
    """Evaluate a Nix file or expression and print the result."""
    if (file is None) == (expression is None):
        raise click.UsageError("give exactly one of FILE or -E EXPR")
    if file is not None and not as_expr and _wants_module(file, as_module):
        sys.exit(_run_module(file, as_json, strict, attr, show_trace, include, system))
    from nixlite.errors import NixliteError
    try:
        text = _evaluate(file, expression, strict, as_json, attr, args, argstrs, include, system)
    except NixliteError as e:
        from nixlite.cli.diagnostics import print_error
        print_error(e, show_trace)
        sys.exit(1)
    out = sys.stdout.buffer
    out.write(text.encode("utf-8", "surrogateescape"))
    out.flush()


def _wants_module(file: str, as_module: bool) -> bool:
    if as_module:
        return True
    from nixlite.modules.detect import looks_like_module
    return bool(looks_like_module(file))


def _run_module(file, as_json, strict, attr, show_trace, include=(), system=None):
    """The module system's exit code."""
    from nixlite.modules.detect import eval_module_command
    _configure_default_evaluator(include, system)
    return eval_module_command(file, json=as_json, strict=strict, attr=attr, show_trace=show_trace)


def _configure_default_evaluator(include, system) -> None:
    """The module system takes its search path from the process-wide
    evaluator: give that the `-I` entries (before NIX_PATH's, as
    nix-instantiate orders them)."""
    from nixlite.eval.evaluator import configure_default_evaluator
    configure_default_evaluator(_search_path(include), system)


def _evaluate(file, expression, strict, as_json, attr, args, argstrs, include, system) -> str:
    from nixlite.eval.interp import run_deep
    return run_deep(_evaluate_deep, file, expression, strict, as_json, attr, args, argstrs, include, system)


def _provide_bundled_lib(ev) -> None:
    """`<nixpkgs/lib>` is nixlite's own lib unless a real nixpkgs is on the
    search path; it is built only when an expression imports it."""
    if any(name == "nixpkgs" for name, _ in ev.search_path):
        return

    def bundled_lib():
        from nixlite.modules.lib import lib_value
        return lib_value()
    ev.provide("nixpkgs/lib", bundled_lib)


def _search_path(include) -> list[tuple[str, str]]:
    out = []
    for entry in include:
        prefix, eq, path = entry.partition("=")
        out.append((prefix, os.path.abspath(path)) if eq else ("", os.path.abspath(entry)))
    return out


def _evaluate_deep(file, expression, strict, as_json, attr, args, argstrs, include, system) -> str:
    from nixlite.eval.evaluator import Evaluator
    from nixlite.eval.printer import print_value, to_json, force_deep
    from nixlite.eval.values import force
    ev = Evaluator(_search_path(include), system=system)
    _provide_bundled_lib(ev)
    if expression is not None:
        value = ev.eval_string(expression, "«string»", os.getcwd())
    else:
        value = ev.import_path(os.path.abspath(file))
    auto = _auto_args(ev, args, argstrs)
    value = _select_path(ev, value, attr, auto)
    if auto:
        value = _auto_call(value, auto)
    if as_json:
        return to_json(force_deep(value) if strict else force(value), strict)
    return print_value(value, strict) + "\n"


def _auto_args(ev, args, argstrs) -> dict:
    from nixlite.eval.interp import CodeThunk
    auto = {name: s for name, s in argstrs}
    for name, text in args:
        from nixlite.syntax.parse import parse
        node = parse(text, "«string»", os.getcwd())
        code = ev.compiler.compile(node, None)
        auto[name] = CodeThunk(code, None, node.span)
    return auto


def _auto_call(value, auto: dict):
    """Nix's autoCallFunction: call a function with formals using the given arguments."""
    from nixlite.errors import EvalError
    from nixlite.eval.interp import Closure, call
    from nixlite.eval.values import Attrs, force
    value = force(value)
    if value.__class__ is Attrs and "__functor" in value.d:
        return force(call(value, Attrs({k: v for k, v in auto.items()})))
    if not isinstance(value, Closure) or value.node.formals is None:
        return value
    given = {}
    for f in value.node.formals.entries:
        if f.name in auto:
            given[f.name] = auto[f.name]
        elif f.default is None:
            raise EvalError(f"cannot evaluate a function that has an argument without a value ('{f.name}')",
                            f.span)
    return force(call(value, Attrs(given)))


def _select_path(ev, value, attr: str | None, auto: dict):
    """`-A a.b.0`: attribute names and list indices."""
    from nixlite.errors import EvalError
    from nixlite.eval.values import Attrs, NixList, force
    if not attr:
        return value
    for i, part in enumerate(attr.split(".")):
        value = _auto_call(value, auto)  # Nix auto-calls at every step of the path
        if value.__class__ is NixList and part.isdigit():
            if int(part) >= len(value):
                raise EvalError(f"list index {part} in selection path '{attr}' is out of range")
            value = force(value[int(part)])
        elif value.__class__ is Attrs:
            if part not in value.d:
                raise EvalError(f"attribute '{part}' in selection path '{attr}' not found")
            value = force(value.d[part])
        else:
            raise EvalError(f"the expression selected by the selection path '{attr}' should be a set "
                            f"but is {__import__('nixlite.eval.ops', fromlist=['x']).show_type(value)}")
    return value
