"""`nixlite parse FILE | -E EXPR`: check syntax; `--dump` / `--json` show the AST.

Like `nix-instantiate --parse`, minus the variable check: exit 0 and print
nothing when the input parses (unless asked to dump it); a syntax error is
rendered with file:line:col and a caret, exit 1.
"""
from __future__ import annotations

import sys

import click


@click.command("parse")
@click.argument("file", required=False)
@click.option("-E", "expression", metavar="EXPR", help="Parse EXPR instead of a file.")
@click.option("--dump", is_flag=True, help="Print the parsed AST as fully parenthesised Nix.")
@click.option("--json", "as_json", is_flag=True, help="Print the parsed AST as JSON.")
@click.option("--no-spans", is_flag=True, help="Leave source spans out of --json.")
def command(file, expression, dump, as_json, no_spans) -> None:
    """Parse a Nix file or expression; print the AST with --dump or --json."""
    if (file is None) == (expression is None):
        raise click.UsageError("give exactly one of FILE or -E EXPR")
    from nixlite.cli.app import fail
    from nixlite.errors import NixliteError
    from nixlite.syntax import parse as parser
    try:
        node = parser.parse(expression) if file is None else _parse_file(parser, file)
    except NixliteError as e:
        fail(e)
    if as_json:
        from nixlite.syntax.printer import to_json
        _write(to_json(node, spans=not no_spans))
    elif dump:
        from nixlite.syntax.printer import to_nix
        _write(to_nix(node, pretty=True))


def _parse_file(parser, file: str):
    if file == "-":
        return parser.parse(sys.stdin.read(), "«stdin»")
    return parser.parse_file(file)


def _write(text: str) -> None:
    sys.stdout.write(text + "\n")
