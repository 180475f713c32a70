"""Builtins of Nix 2.8 that need a store or the network.

They exist (so `builtins.attrNames builtins` and `builtins ? fetchGit` agree
with Nix) but fail with a clear `UnsupportedError` when called."""
from __future__ import annotations

from ..errors import UnsupportedError
from . import builtin


def _unsupported(name: str, why: str):
    def fail(arg):
        raise UnsupportedError(f"'builtins.{name}' is not supported by nixlite ({why})")
    fail.__name__ = f"builtin_{name}"
    return fail


for _name, _why, _top in [
    ("fetchurl", "it needs the network", False),
    ("fetchTarball", "it needs the network", True),
    ("fetchGit", "it needs the network", True),
    ("fetchMercurial", "it needs the network", True),
    ("fetchTree", "it needs the network", True),
    ("storePath", "it needs a store", False),
]:
    builtin(_name, top_level=_top)(_unsupported(_name, _why))
