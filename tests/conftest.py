"""Shared pytest fixtures and options.

* `--update-goldens` rewrites nixlite-authored golden files (FHS, nspawn,
  error texts) — never the NixOS-made goldens under fixtures/golden/.
* `nix_instantiate` gives the path of `nix-instantiate` or skips the test.
* `run_nix(expr, *flags)` evaluates with real Nix (the oracle).
"""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"


def pytest_addoption(parser):
    parser.addoption("--update-goldens", action="store_true", default=False,
                     help="rewrite nixlite-authored golden files")


@pytest.fixture
def update_goldens(request) -> bool:
    return request.config.getoption("--update-goldens")


from nix_oracle import NIX_INSTANTIATE, nix_env  # noqa: E402  (one definition, shared)


@pytest.fixture(scope="session")
def nix_instantiate() -> str:
    if NIX_INSTANTIATE is None:
        pytest.skip("nix-instantiate not installed")
    return NIX_INSTANTIATE




@pytest.fixture(scope="session")
def run_nix(nix_instantiate):
    """run_nix(expr, *flags) -> (returncode, stdout, stderr) from real Nix."""
    def run(expr: str, *flags: str, cwd: str | None = None):
        p = subprocess.run([nix_instantiate, "--eval", *flags, "-E", expr],
                           capture_output=True, text=True, env=nix_env(), cwd=cwd, timeout=60)
        return p.returncode, p.stdout, p.stderr
    return run
