"""The one way tests run real Nix (the oracle): where it is, and the
environment it runs in (no daemon, no store writes, empty NIX_PATH)."""
from __future__ import annotations

import os
import shutil

NIX_INSTANTIATE = shutil.which("nix-instantiate")


def nix_env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("NIX_REMOTE", "")
    env["NIX_PATH"] = ""
    env.setdefault("HOME", "/tmp")
    return env
