"""Telling a containers module from a plain Nix expression, and `nixlite eval`
on a module file.

A file is a *module* when its top-level expression (looking through `let`,
`with` and `assert`) is

* an attribute set that defines `containers`, `imports`, `options`,
  `config` or `_module` (the names a NixOS configuration uses), or
* a function with a set pattern without defaults (`{ pkgs ? import
  <nixpkgs> {} }:` is a plain expression) whose arguments are all module
  arguments (`config`, `lib`, `pkgs`, `options`, `modulesPath`, `name`,
  `specialArgs`) and that names at least one of them or takes `...`; or
  that takes `...` and names at least one module argument besides others
  (`{ config, myConf, ... }:`, with `myConf` from `_module.args`).

Anything else is a plain expression.  Only the syntax is looked at, so the
test never evaluates anything.  `MODULE_HELP` is the wording `nixlite eval
--help` shows.
"""
from __future__ import annotations

import json as _json
from typing import Any

from ..syntax import ast as A

MODULE_ARGS = frozenset({"config", "lib", "pkgs", "options", "modulesPath", "name", "specialArgs"})
MODULE_KEYS = frozenset({"containers", "imports", "options", "config", "_module"})

MODULE_HELP = ("FILE is read as a containers module (and the resolved `containers' set is printed, every "
               "default filled in, inner `config' omitted) when its top-level expression is an attribute "
               "set defining `containers', `imports', `options', `config' or `_module', or a function taking module "
               "arguments without defaults, like { config, lib, pkgs, ... } (other names only with `...'); otherwise it is evaluated as a plain Nix expression. "
               "--module / --expr force either reading.")


def _unwrap(node: Any) -> Any:
    while isinstance(node, (A.Let, A.With, A.Assert)):
        node = node.body
    return node


def node_is_module(node: Any) -> bool:
    node = _unwrap(node)
    if isinstance(node, A.Attrs):
        return any(k in MODULE_KEYS for k in node.attrs)
    if isinstance(node, A.Lambda) and node.formals is not None:
        entries = node.formals.entries
        names = {f.name for f in entries}
        if any(f.default is not None for f in entries):
            return False
        if names <= MODULE_ARGS:
            return bool(names) or node.formals.ellipsis
        return node.formals.ellipsis and bool(names & MODULE_ARGS)
    return False


def looks_like_module(path: str) -> bool:
    """Whether `nixlite eval FILE` should resolve FILE as a containers module."""
    from ..errors import NixliteError
    from ..syntax.parse import parse_file
    try:
        return node_is_module(parse_file(path))
    except (NixliteError, OSError):
        return False  # the plain evaluation reports the problem


# --- nixlite eval on a module ----------------------------------------------------

def _select(data: Any, attr: str) -> Any:
    from ..errors import EvalError
    parts = [p for p in attr.split(".") if p]
    if parts[:1] == ["containers"]:
        parts = parts[1:]
    for i, p in enumerate(parts):
        if not isinstance(data, dict) or p not in data:
            raise EvalError(f"attribute '{p}' in selection path '{'.'.join(parts[:i + 1])}' not found")
        data = data[p]
    return data


def to_nix_value(data: Any) -> Any:
    from ..eval.values import Attrs, NixList
    if isinstance(data, dict):
        return Attrs({k: to_nix_value(v) for k, v in data.items()})
    if isinstance(data, list):
        return NixList(to_nix_value(v) for v in data)
    return data


def format_containers(data: Any, json: bool) -> str:
    if json:
        return _json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    from ..eval.printer import print_value
    return print_value(to_nix_value(data), strict=True)


def eval_module_command(path: str, json: bool = False, strict: bool = True, attr: str | None = None,
                        show_trace: bool = False) -> int:
    """Print the resolved `containers` of a module file; the exit code.
    (`strict` changes nothing: the resolved set is data, printed in full.)"""
    import sys

    from ..errors import NixliteError
    from .containers import resolve_meta
    try:
        data = resolve_meta(path)
        if attr:
            data = _select(data, attr)
    except NixliteError as e:
        from ..cli.diagnostics import print_error
        print_error(e, show_trace)
        return 1
    sys.stdout.write(format_containers(data, json) + "\n")
    return 0
