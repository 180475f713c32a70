"""Shared CLI helpers: consoles (rich, markup off: Nix's `[ a b ]` is not
markup), aborting with a rendered error, reading `-E`/FILE arguments."""
from __future__ import annotations

import sys
from typing import NoReturn

import click


def console(stderr: bool = False):
    from rich.console import Console
    return Console(stderr=stderr, markup=False, highlight=False, soft_wrap=True)


def abort(message: str, code: int = 1) -> NoReturn:
    """Print `error: message` to stderr and exit with `code`."""
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


def fail(err, show_trace: bool = False, code: int = 1) -> NoReturn:
    """Render a NixliteError and exit."""
    from nixlite.cli.diagnostics import print_error
    print_error(err, show_trace)
    sys.exit(code)
