"""Shared CLI helpers: consoles (rich, markup off: Nix's `[ a b ]` is not
markup), aborting with a rendered error, reading `-E`/FILE arguments."""
from __future__ import annotations

import sys
from typing import NoReturn

import click


def console(stderr: bool = False, min_width: int | None = None):
    """A rich console; `min_width` widens it when the output is not a
    terminal (rich would assume 80 columns and wrap tables mid-word)."""
    from rich.console import Console
    con = Console(stderr=stderr, markup=False, highlight=False, soft_wrap=True)
    if min_width and not con.is_terminal and con.width < min_width:
        con = Console(stderr=stderr, markup=False, highlight=False, soft_wrap=True, width=min_width)
    return con


def abort(message: str, code: int = 1) -> NoReturn:
    """Print `error: message` to stderr and exit with `code`."""
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


def fail(err, show_trace: bool = False, code: int = 1) -> NoReturn:
    """Render a NixliteError and exit."""
    from nixlite.cli.diagnostics import print_error
    print_error(err, show_trace)
    sys.exit(code)
