"""`nixlite diff`: compare nixlite's artifacts with a real NixOS build.

    nixlite diff containers.nix --against /mnt      a file against a system root
    nixlite diff containers.nix --against ./result  ... or a system toplevel
    nixlite diff OUT_A OUT_B                        two render outputs

The engine (`nixlite.diff`) finds, aligns and compares; this module only
presents: a summary table, a coloured unified diff per differing artifact,
`--json`, `--quiet`.  Exit codes follow diff(1): 0 identical, 1 differences,
2 trouble (unreadable root, not a NixOS root, bad input).
"""
from __future__ import annotations

import json
import sys

import click

from nixlite.cli.app import abort, console, fail

STATUS_STYLE = {"identical": "green", "differs": "yellow", "only in nixlite": "red", "only in the build": "magenta"}
DIFF_STYLE = {"+": "green", "-": "red", "@": "cyan"}


@click.command("diff")
@click.argument("source", type=click.Path())
@click.argument("other", required=False, type=click.Path())
@click.option("--against", "against", type=click.Path(), metavar="ROOT",
              help="A NixOS root (/, a mounted image), a system toplevel (./result) or a render output.")
@click.option("--store-paths", "store_paths", type=click.Path(dir_okay=False), metavar="FILE.json",
              help="Store-path profile used when SOURCE is a .nix file.")
@click.option("--learn-store-paths", "learn", type=click.Path(dir_okay=False), metavar="FILE.json",
              help="Write the build's store paths as a profile for `nixlite render --store-paths`.")
@click.option("--json", "as_json", is_flag=True, help="Print the comparison as JSON.")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing; only the exit code tells.")
def command(source, other, against, store_paths, learn, as_json, quiet):
    """Compare SOURCE (a containers .nix file, or a render output) with a build.

    The build is OTHER or --against ROOT.  Store paths are aligned by name,
    not hash.  Exit status: 0 identical, 1 differences, 2 error."""
    from nixlite.errors import NixliteError
    if (other is None) == (against is None):
        abort("give the build to compare with: `nixlite diff SOURCE --against ROOT` or `nixlite diff OUT_A OUT_B`", 2)
    try:
        report = _run(source, other or against, store_paths, learn)
    except NixliteError as e:
        fail(e, code=2)
    if not quiet:
        _show_json(report) if as_json else _show(report)
    sys.exit(0 if report.identical else 1)


def _run(source, build, store_paths, learn):
    from nixlite.diff import diff_paths, learn_profile
    report, build_pieces = diff_paths(source, build, store_paths)
    if learn:
        _write_profile(learn, learn_profile(build_pieces, report.renames))
    return report


def _write_profile(path: str, profile: dict) -> None:
    from nixlite.errors import DiffError
    try:
        with open(path, "w", encoding="utf-8") as f:
            json.dump(profile, f, indent=2, sort_keys=True)
            f.write("\n")
    except OSError as e:
        raise DiffError(f"cannot write '{path}': {e.strerror}") from None


def _show_json(report) -> None:
    click.echo(json.dumps(report.to_json(), indent=2))


def _show(report) -> None:
    from rich.table import Table
    from rich.text import Text
    out = console(min_width=120)
    table = Table(title=f"nixlite: {report.nixlite}  vs  build: {report.build}", title_justify="left")
    table.add_column("artifact", overflow="fold")
    table.add_column("container")
    table.add_column("status", no_wrap=True)
    for row in report.rows:
        status = Text(row.status, style=STATUS_STYLE.get(row.status, ""))
        table.add_row(row.label, row.container or "", status)
    out.print(table)
    for row in report.rows:
        _show_row(out, row, Text)
    n = sum(r.status != "identical" for r in report.rows)
    out.print("identical" if n == 0 else f"{n} difference{'s' * (n != 1)}")


def _show_row(out, row, Text) -> None:
    if row.detail:
        out.print(Text(f"{row.label}: {row.detail}", style="yellow"))
    for line in row.diff:
        out.print(Text(line, style=DIFF_STYLE.get(line[:1], "") if not line.startswith(("+++", "---")) else "bold"))
