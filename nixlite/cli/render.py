"""`nixlite render FILE -o OUT`: write the artifacts a target builds.

    nixlite render containers.nix -o out/              the NixOS files, byte for byte
    nixlite render containers.nix --stdout             every artifact, with headers
    nixlite render containers.nix -o out/ --json       the manifest, for scripts
    nixlite render containers.nix -o out/ --container web --store-paths real.json

On a terminal a summary table (container -> artifacts) follows the write.
Errors (in the input, or refusing to overwrite a foreign directory) are
rendered by `cli.diagnostics`, never as a traceback.
"""
from __future__ import annotations

import json
import sys

import click

from nixlite.cli.app import console, fail
from nixlite.errors import NixliteError, RenderError


def load_host(path: str, profile=None):
    """The resolved `Host` of a containers file (a seam for tests); `profile`
    names the toplevels of `config` containers (--store-paths)."""
    from nixlite.api import resolve_containers
    return resolve_containers(path, profile)


def select_containers(host, names: tuple[str, ...]):
    """The host restricted to the named containers (all when none given)."""
    if not names:
        return host
    for name in names:
        if name not in host.containers:
            import difflib
            close = difflib.get_close_matches(name, list(host.containers), n=1)
            hint = f"did you mean '{close[0]}'?" if close else f"known: {', '.join(sorted(host.containers)) or 'none'}"
            raise RenderError(f"no container named '{name}'", hint=hint)
    return host.model_copy(update={"containers": {n: host.containers[n] for n in names}})


def make_target(name: str, store_paths: str | None, host_paths: str | None, strict: bool):
    """The target, with the store-path profile (and host paths for fhs/nspawn)."""
    from nixlite.storepaths import StoreProfile
    from nixlite.translate import get_target
    extra = {"host_paths": host_paths} if host_paths else {}
    return get_target(name)(profile=StoreProfile.load(store_paths), strict=strict, **extra)


@click.command("render")
@click.argument("file", required=False, type=click.Path(dir_okay=False))
@click.option("-o", "--output", "out", type=click.Path(file_okay=False), help="Directory to write the tree to.")
@click.option("--target", "target_name", default="nixos", show_default=True, help="Output target.")
@click.option("--store-paths", type=click.Path(dir_okay=False), help="JSON profile of real store paths.")
@click.option("--host-paths", type=click.Path(dir_okay=False), help="JSON host-path profile (fhs, nspawn).")
@click.option("--container", "containers", multiple=True, metavar="NAME", help="Render only these containers.")
@click.option("--force", is_flag=True, help="Write into a non-empty directory nixlite did not write.")
@click.option("--stdout", "to_stdout", is_flag=True, help="Print the artifacts instead of writing them.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option("--list-targets", is_flag=True, help="List the available targets and exit.")
@click.option("--strict", is_flag=True, help="Fail when the target cannot express an option.")
@click.option("--show-trace", is_flag=True, help="Show the evaluation trace of an error.")
def command(file, out, target_name, store_paths, host_paths, containers, force, to_stdout, as_json,
            list_targets, strict, show_trace):
    """Render the artifacts NixOS (or another target) would build for FILE."""
    if list_targets:
        return print_targets(as_json)
    if file is None:
        raise click.UsageError("missing argument FILE")
    if out is None and not to_stdout:
        raise click.UsageError("give an output directory with -o OUT, or --stdout")
    try:
        target = make_target(target_name, store_paths, host_paths, strict)
        run(target, file, out, containers, force, to_stdout, as_json)
    except NixliteError as e:
        fail(e, show_trace)


def run(target, file, out, containers, force, to_stdout, as_json) -> None:
    from nixlite.translate.output import build_manifest, manifest_json, write_tree
    host = select_containers(load_host(file, target.profile), containers)
    artifacts = target.artifacts(host)
    settings = target.host_settings(host) if hasattr(target, "host_settings") else {}
    manifest = build_manifest(target.name, artifacts, settings, target.warnings, source=file)
    print_warnings(target.warnings)
    if to_stdout:
        return print_artifacts(artifacts, as_json)
    write_tree(out, artifacts, manifest, force=force)
    if as_json:
        click.echo(manifest_json({"output": out, **manifest}))
    else:
        print_summary(out, artifacts)


def print_targets(as_json: bool) -> None:
    from nixlite.translate import get_target, list_targets
    rows = [(n, get_target(n).description) for n in list_targets()]
    if as_json:
        click.echo(json.dumps([{"name": n, "description": d} for n, d in rows], indent=2))
    else:
        for name, description in rows:
            click.echo(f"{name:8} {description}")


def print_warnings(warnings) -> None:
    for w in warnings:
        click.echo(f"warning: {w}", err=True)


def print_artifacts(artifacts, as_json: bool) -> None:
    """--stdout: every artifact after a `==> path <==` header (links as `-> target`)."""
    if as_json:
        items = [{"path": a.path, "kind": a.kind, "container": a.container,
                  "content": None if a.content is None else a.content.decode("utf-8", "replace"),
                  "link": a.link} for a in artifacts]
        click.echo(json.dumps(items, indent=2))
        return
    out = sys.stdout
    for i, a in enumerate(artifacts):
        out.write(("\n" if i else "") + f"==> {a.path} <==\n")
        out.write(f"-> {a.link}\n" if a.content is None else a.content.decode("utf-8", "replace"))
    out.flush()


def summary_rows(artifacts) -> list[tuple[str, int, str]]:
    """(container or "(host)", number of artifacts, their kinds) per owner."""
    groups: dict[str, list[str]] = {}
    for a in artifacts:
        groups.setdefault(a.container or "(host)", []).append(a.kind)
    order = sorted(groups, key=lambda k: (k == "(host)", k))
    return [(k, len(groups[k]), ", ".join(sorted(set(groups[k])))) for k in order]


def print_summary(out: str, artifacts) -> None:
    from rich.table import Table
    table = Table(title=f"{len(artifacts)} artifacts written to {out}", title_justify="left")
    for col in ("container", "files", "kinds"):
        table.add_column(col)
    for name, count, kinds in summary_rows(artifacts):
        table.add_row(name, str(count), kinds)
    console(min_width=120).print(table)
