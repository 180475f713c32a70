"""Test helpers shared by the golden, translator and CLI tests.

* `host_from_eval_json(case)` is a TEST-ONLY path: it builds the `Host`
  model from the oracle's `meta/eval.json` (the values real Nix resolved),
  so the renderer can be checked without the module system.  Host flags the
  JSON does not state directly are derived from what the oracle recorded:
  containers enabled iff it rendered any systemd service; NetworkManager iff
  it set the udev rule.
* `read_tree(root)` / `tree_of(artifacts)` give comparable views of an
  output tree; `compare_trees` asserts they are equal.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

from nixlite.modules.schema import Host
from nixlite.storepaths import normalise_store_paths

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "fixtures" / "cases"
GOLDEN = ROOT / "fixtures" / "golden"
#: golden entries that are not artifacts
NOT_ARTIFACTS = ("meta/", "ERROR", "TRACE")


def eval_json(case: str) -> dict:
    return json.loads((GOLDEN / case / "meta" / "eval.json").read_text())


def host_from_eval_json(case: str) -> Host:
    """TEST-ONLY: the Host as the oracle resolved it (see module docstring)."""
    data = eval_json(case)
    return Host(
        enableContainers=bool(data["services"]),
        networkmanager=bool(data["host"]["udevExtraRules"]),
        containers=data["containers"],
    )


def success_cases() -> list[str]:
    return sorted(p.name for p in GOLDEN.iterdir() if not (p / "ERROR").exists())


def error_cases() -> list[str]:
    return sorted(p.name for p in GOLDEN.iterdir() if (p / "ERROR").exists())


def is_store_file(rel: str) -> bool:
    return rel.startswith("nix/store/")


def read_tree(root: Path) -> dict[str, tuple[str, bytes, int]]:
    """rel path -> (type, content or link target, mode) for a golden tree.

    The golden checkout stores the machines.target.wants links as regular
    files holding the link target (git/copy lost the symlinks), so a file
    under `machines.target.wants/` is read as a link."""
    out = {}
    for dirpath, _, files in os.walk(root):
        for f in files:
            p = Path(dirpath) / f
            rel = p.relative_to(root).as_posix()
            if rel.startswith(NOT_ARTIFACTS) or rel == "manifest.json":
                continue
            if p.is_symlink():
                out[rel] = ("link", os.readlink(p).encode(), 0)
            elif "machines.target.wants/" in rel:
                out[rel] = ("link", p.read_bytes(), 0)
            else:
                out[rel] = ("file", p.read_bytes(), p.stat().st_mode & 0o777)
    return out


def tree_of(artifacts) -> dict[str, tuple[str, bytes, int]]:
    """The same view of an artifact list."""
    return {a.path: ("link", a.link.encode(), 0) if a.content is None else ("file", a.content, a.mode)
            for a in artifacts}


def compare_trees(got: dict, want: dict) -> None:
    """Same paths; same bytes modulo store hashes (exact for generated store
    files); same link targets; store files with the same mode."""
    norm = {normalise_store_paths(p): p for p in got}
    want_norm = {normalise_store_paths(p): p for p in want}
    assert sorted(norm) == sorted(want_norm), "different file sets"
    assert sorted(got) == sorted(want), "same names, different store hashes"
    for rel, (kind, data, mode) in want.items():
        g_kind, g_data, g_mode = got[rel]
        assert g_kind == kind, rel
        assert normalise_store_paths(g_data.decode()) == normalise_store_paths(data.decode()), rel
        assert g_data == data, f"{rel}: differs only in store hashes"
        if is_store_file(rel):
            assert g_mode & 0o111 == mode & 0o111, f"{rel}: mode {oct(g_mode)} != {oct(mode)}"
