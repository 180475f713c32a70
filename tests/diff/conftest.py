"""Fixtures for the `nixlite diff` engine tests: fake NixOS roots (see fakeroot.py)."""
from __future__ import annotations

import pytest

from fakeroot import build_root


@pytest.fixture
def make_root(tmp_path):
    """make_root(case, **options) -> FakeRoot under a fresh temporary directory."""
    count = iter(range(1000))

    def make(case: str, **options):
        return build_root(case, tmp_path / f"root{next(count)}", **options)
    return make
