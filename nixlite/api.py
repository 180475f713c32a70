"""The nixlite pipeline, phase by phase, in a few short functions.

    source --parse--> AST --evaluate--> value --modules--> Host --target--> artifacts

Each phase lives in its own subpackage and never imports a later one; this
module is the only place they meet (besides the CLI, which calls these).
Imports are local so that `import nixlite.api` stays cheap.
"""
from __future__ import annotations


def parse_file(path: str):
    """Source file -> AST (`nixlite.syntax.ast`)."""
    from nixlite.syntax.parse import parse_file as _parse_file
    return _parse_file(path)


def evaluate_file(path: str):
    """Source file -> Nix value (weak head normal form)."""
    from nixlite.eval.interp import eval_file
    return eval_file(path)


def resolve_containers(path: str, profile=None):
    """A containers.nix module -> the validated `Host` model.  `profile` (a
    `StoreProfile`) names the toplevels of `config` containers."""
    from nixlite.modules.containers import resolve_file
    return resolve_file(path, profile=profile)


def render(path: str, target: str = "nixos", store_paths: str | None = None, **options):
    """A containers.nix module -> (artifacts, target warnings) for a target."""
    from nixlite.storepaths import StoreProfile
    from nixlite.translate import get_target
    profile = StoreProfile.load(store_paths)
    host = resolve_containers(path, profile)
    tgt = get_target(target)(profile=profile, **options)
    return tgt.artifacts(host), tgt.warnings
