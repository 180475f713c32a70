"""`pkgs`: the stub package set modules receive.

nixlite has no nixpkgs.  Modules get a small set: `lib`, `system`, the
packages of the store-path profile (`nixlite.storepaths.StoreProfile`) as
derivation-like sets (`type = "derivation"`, `name`, `outPath`, `out`),
`runtimeShell`, and `writeText`/`writeScript` (store paths computed as
`builtins.toFile` does).  Any other attribute is Nix's ordinary
"attribute 'x' missing" error, raised only where the value is used: a
container's inner `config` may mention packages freely, since nixlite never
evaluates it.
"""
from __future__ import annotations

from functools import lru_cache

from ..eval.values import Attrs, Lazy, PrimOp, force, make_string
from ..storepaths import StoreProfile, store_name, text_store_path

SYSTEM = "x86_64-linux"


def derivation(path: str) -> Attrs:
    """A set that behaves like a built package whose output is `path`."""
    out = make_string(path, frozenset({path}))
    a = Attrs({"type": "derivation", "name": store_name(path), "outPath": out,
               "drvPath": out, "outputName": "out", "outputs": None, "system": SYSTEM})
    a.d["out"] = a
    from ..eval.values import NixList
    a.d["outputs"] = NixList(["out"])
    return a


def _write_text(name, text) -> str:
    name, text = force(name), force(text)
    path = text_store_path(name, str(text))
    return make_string(path, frozenset({path}))


@lru_cache(maxsize=1)
def pkgs_value() -> Attrs:
    from .lib import lib_value
    profile = StoreProfile.default()
    d = {name: derivation(path) for name, path in profile.packages.items()}
    d["iproute2"] = d.get("iproute")
    d.update({
        "lib": Lazy(lib_value),
        "system": SYSTEM,
        "runtimeShell": make_string(profile.package("bash") + "/bin/bash",
                                    frozenset({profile.package("bash")})),
        "writeText": PrimOp("writeText", 2, _write_text),
        "writeScript": PrimOp("writeScript", 2, _write_text),
    })
    d["stdenv"] = Attrs({"hostPlatform": Attrs({"system": SYSTEM}), "system": SYSTEM})
    return Attrs({k: v for k, v in d.items() if v is not None})
