"""`nixlite options`: the options of the containers module.

    nixlite options                 a table: option, type, default, description
    nixlite options --json          the same rows as JSON
    nixlite options --json-schema   the JSON schema of the resolved model (pydantic)

Rows come from the Python declarations in `nixlite.modules.containers`;
sub-options of submodules are listed under `<name>` (attribute sets) or `*`
(lists), as the NixOS manual lists them.
"""
from __future__ import annotations

import json as _json
import sys
from typing import Any, Iterator

import click

#: defaults computed from other options, shown as NixOS documents them
DEFAULT_TEXT = {"boot.enableContainers": "!config.boot.isContainer",
                "containers.<name>.config": "none (give `config' or `path')",
                "containers.<name>.bindMounts.<name>.mountPoint": "the attribute name",
                "containers.<name>.path": "from `config' when given"}


def option_rows() -> Iterator[dict[str, Any]]:
    """One row per option, in the order of the option tree (sorted names)."""
    from nixlite.modules.containers import HOST_OPTIONS
    yield from _walk((), HOST_OPTIONS)


def _walk(prefix: tuple[str, ...], tree: dict) -> Iterator[dict[str, Any]]:
    from nixlite.modules.eval_modules import Option
    for name in sorted(tree):
        sub = tree[name]
        if isinstance(sub, dict):
            yield from _walk((*prefix, name), sub)
        elif isinstance(sub, Option):
            yield _row((*prefix, name), sub)
            yield from _sub_rows((*prefix, name), sub.type)


def _sub_rows(loc: tuple[str, ...], t) -> Iterator[dict[str, Any]]:
    from nixlite.modules.eval_modules import PyModule
    from nixlite.modules.types import ListOf
    modules = t.sub_modules()
    if not modules:
        return
    part = "*" if type(t) is ListOf else "<name>"
    for m in modules:
        if isinstance(m, PyModule):
            yield from _walk((*loc, part), m.options)


def _row(loc: tuple[str, ...], opt) -> dict[str, Any]:
    from nixlite.modules.containers import to_py
    from nixlite.modules.eval_modules import MISSING
    name = ".".join(loc)
    row = {"name": name, "type": opt.type.description, "description": opt.description,
           "required": not opt.has_default and name not in DEFAULT_TEXT}
    if name in DEFAULT_TEXT:
        row["default"], row["defaultText"] = None, DEFAULT_TEXT[name]
    elif opt.default is not MISSING:
        value = to_py(opt.default)
        row["default"], row["defaultText"] = value, _nix_text(opt.default)
    else:
        row["default"], row["defaultText"] = None, "(required)"
    return row


def _nix_text(v: Any) -> str:
    from nixlite.eval.printer import print_value
    return print_value(v, strict=True)


def _table(rows: list[dict[str, Any]]):
    from rich.table import Table
    table = Table(title="containers module options", show_lines=False)
    table.add_column("option", style="bold", no_wrap=True)
    for col, style in (("type", "cyan"), ("default", "green"), ("description", "")):
        table.add_column(col, style=style or None, overflow="fold")
    for r in rows:
        table.add_row(r["name"], r["type"], r["defaultText"], r["description"])
    return table


@click.command("options")
@click.option("--json", "as_json", is_flag=True, help="Print the option rows as JSON.")
@click.option("--json-schema", "as_schema", is_flag=True, help="Print the JSON schema of the resolved model.")
def command(as_json: bool, as_schema: bool) -> None:
    """List the containers module's options: name, type, default, description."""
    if as_schema:
        from nixlite.modules.schema import Host
        sys.stdout.write(_json.dumps(Host.model_json_schema(), indent=2, sort_keys=True) + "\n")
        return
    rows = list(option_rows())
    if as_json:
        sys.stdout.write(_json.dumps(rows, indent=2) + "\n")
        return
    from nixlite.cli.app import console
    console(min_width=160).print(_table(rows))
