"""Helpers for the module-system tests: evaluate module source text, either
with nixlite's containers module (`host`) or alone (`config_of`, for rules
of the module system that need options of the test's own)."""
from __future__ import annotations

import pytest

from nixlite.eval.evaluator import eval_string
from nixlite.eval.values import force
from nixlite.modules import eval_modules as EM
from nixlite.modules.containers import resolve_string, to_py
from nixlite.modules.lib import install_search_path

FILE = "/virtual/test/containers.nix"


def evaluate(text: str, file: str = FILE) -> EM.Evaluation:
    install_search_path()
    value = eval_string(text, file, "/virtual/test")
    return EM.Evaluation([(value, file, file, False)])


def read(ev: EM.Evaluation, path: str):
    v = ev.config_thunk
    for p in path.split("."):
        v = force(v).d[p]
    return to_py(v)


@pytest.fixture
def config_of():
    """config_of(text, "a.b") -> the resolved value of option a.b."""
    return lambda text, path: read(evaluate(text), path)


@pytest.fixture
def host():
    """host(text) -> the validated Host of a containers module."""
    return lambda text: resolve_string(text, FILE)


@pytest.fixture
def warnings():
    """The warnings traced during the test."""
    got: list[str] = []
    old = EM.WARN[0]
    EM.WARN[0] = got.append
    yield got
    EM.WARN[0] = old
