"""Support for the option → artifact matrix (`test_matrix.py`).

A matrix row is a Nix snippet for the attribute set of one container, `web`,
written as users write containers.nix.  `module(snippet, extra)` wraps it in
a module (the container's `path` is a `mkDefault` in an imported module, so a
row may set its own),
with `extra` as a second, imported module defining the same container: that
is how two definitions of one option meet, so priorities and list ordering
(mkBefore/mkAfter) go through the real module system.

Each target's rendering is compared with the rendering of the empty snippet
(the *base*).  For the NixOS target every artifact of `web` is compared line
by line: a row names the non-blank lines each artifact gains, and any
artifact it does not name must be unchanged (modulo store hashes).  For the
fhs and nspawn targets a row names key lines that must be new somewhere in
that target's output.  Symlinks appear as a pseudo-artifact `links`, one line
`path -> target` each.
"""
from __future__ import annotations

import difflib
from functools import lru_cache

from nixlite.modules.containers import resolve_string
from nixlite.storepaths import normalise_store_paths
from nixlite.translate import get_target

P = "/nix/var/nix/profiles/per-container/web"
#: the normalised form of any store hash (storepaths.NORMAL_HASH)
Z = "/nix/store/" + "0" * 32
#: NixOS artifact kind of container `web` -> short name used in the rows
SHORT = {"conf": "conf", "unit": "unit", "start-script": "start", "pre-start-script": "pre_start",
         "post-start-script": "post_start", "pre-stop-script": "pre_stop"}
NIXOS_NAMES = (*SHORT.values(), "init", "hosts", "links")


def module(snippet: str, extra: str = "") -> str:
    imports = f'{{ containers.web.path = lib.mkDefault "{P}"; }}'
    if extra:
        imports += f" {{ containers.web = {{ {extra} }}; }}"
    return ("{ lib, ... }:\n{\n"
            f"  imports = [ {imports} ];\n"
            f"  containers.web = {{ {snippet} }};\n"
            "}\n")


@lru_cache(maxsize=None)
def host_of(snippet: str, extra: str = ""):
    return resolve_string(module(snippet, extra))


def render(target: str, snippet: str, extra: str = ""):
    t = get_target(target)()
    return t.artifacts(host_of(snippet, extra)), t.warnings


def link_lines(arts) -> str:
    return "".join(f"{a.path} -> {a.link}\n" for a in arts if a.content is None)


def nixos_texts(snippet: str, extra: str = "") -> dict[str, str]:
    """Short artifact name -> normalised text, for container `web`."""
    arts, _ = render("nixos", snippet, extra)
    out = {SHORT[a.kind]: a.content.decode() for a in arts if a.kind in SHORT and a.container == "web"}
    # the container-init the start script runs (shared with the template
    # unless the container has extra veths)
    out["init"] = next(a.content.decode() for a in arts
                       if a.kind == "container-init" and a.store_path in out["start"])
    out["hosts"] = next((a.content.decode() for a in arts if a.path == "etc/hosts.extraHosts"), "")
    out["links"] = link_lines(arts)
    return {k: normalise_store_paths(v) for k, v in out.items()}


def other_texts(target: str, snippet: str, extra: str = "") -> tuple[dict[str, str], list[str]]:
    """Path -> normalised text of a migration target's output, and the
    options its warnings name."""
    arts, warnings = render(target, snippet, extra)
    texts = {a.path: normalise_store_paths(a.content.decode()) for a in arts if a.content is not None}
    texts["links"] = link_lines(arts)
    return texts, sorted(w.option for w in warnings)


def added_lines(before: str, after: str) -> list[str]:
    diff = difflib.ndiff(before.splitlines(), after.splitlines())
    return [d[2:] for d in diff if d.startswith("+ ") and d[2:].strip()]


def all_lines(texts: dict[str, str]) -> set[str]:
    return {line for t in texts.values() for line in t.splitlines()}


def check_nixos(snippet: str, extra: str, expected: dict[str, list[str]], absent: list[str]) -> None:
    before, after = nixos_texts(""), nixos_texts(snippet, extra)
    for name in NIXOS_NAMES:
        got = added_lines(before[name], after[name])
        assert got == expected.get(name, []), f"nixos {name}:\n{after[name]}"
    present = all_lines(after)
    assert not [line for line in absent if line in present], "lines that should be gone"


def check_other(target: str, snippet: str, extra: str, want: list[str] | None, warns: list[str] | None) -> None:
    (before, _), (after, warned) = other_texts(target, "", ""), other_texts(target, snippet, extra)
    new: set[str] = set()
    for path, text in after.items():
        new.update(added_lines(before.get(path, ""), text))
    missing = [line for line in (want or []) if line not in new]
    assert not missing, f"{target}: lines not added: {missing}\n" + "\n".join(
        f"== {p}\n{t}" for p, t in after.items())
    if warns is not None:
        assert warned == sorted(warns), f"{target} warnings"


def check(snippet: str, *, extra: str = "", fhs: list[str] | None = None, nspawn: list[str] | None = None,
          nspawn_warns: list[str] | None = None, absent: list[str] = (), **nixos: list[str]) -> None:
    """One matrix row: `nixos` maps NixOS artifact short names to the lines
    they gain; `fhs`/`nspawn` list key lines new in those targets."""
    unknown = set(nixos) - set(NIXOS_NAMES)
    assert not unknown, f"unknown artifact names {unknown}"
    check_nixos(snippet, extra, nixos, list(absent))
    check_other("fhs", snippet, extra, fhs, None)
    check_other("nspawn", snippet, extra, nspawn, nspawn_warns if nspawn_warns is not None else [])
