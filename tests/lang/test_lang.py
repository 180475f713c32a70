"""Table-driven language tests (the layout of tvix's and Nix's own suites).

* `fixtures/lang/eval-okay-X.nix` must evaluate; `nixlite eval --strict`
  output must equal `eval-okay-X.exp`, which was produced by
  `nix-instantiate --eval --strict` (Nix 2.8).
* `fixtures/lang/eval-fail-X.nix` must fail; the rendered error must match
  the regular expression in `eval-fail-X.err` (written from Nix's wording).
* `fixtures/lang/notyetpassing/` holds known failures: each must still fail,
  so a fix is noticed and the case moved up.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from nixlite.cli.diagnostics import format_error
from nixlite.errors import NixliteError
from nixlite.eval.evaluator import Evaluator
from nixlite.eval.interp import run_deep
from nixlite.eval.printer import print_value

LANG = Path(__file__).resolve().parents[2] / "fixtures" / "lang"


def _run(path: Path) -> tuple[bool, str]:
    ev = Evaluator(use_nix_path_env=False)
    try:
        return True, run_deep(lambda: print_value(ev.import_path(str(path)), strict=True) + "\n")
    except NixliteError as e:
        return False, format_error(e)


def _cases(pattern: str, folder: Path = LANG) -> list[Path]:
    return sorted(folder.glob(pattern))


@pytest.mark.parametrize("path", _cases("eval-okay-*.nix"), ids=lambda p: p.stem)
def test_eval_okay(path: Path):
    ok, out = _run(path)
    assert ok, out
    assert out == path.with_suffix(".exp").read_text(encoding="utf-8")


@pytest.mark.parametrize("path", _cases("eval-fail-*.nix"), ids=lambda p: p.stem)
def test_eval_fail(path: Path):
    ok, out = _run(path)
    assert not ok, f"unexpectedly evaluated to {out}"
    pattern = path.with_suffix(".err").read_text(encoding="utf-8").rstrip("\n")
    assert re.search(pattern, out), f"error text does not match {pattern!r}:\n{out}"


@pytest.mark.parametrize("path", _cases("*.nix", LANG / "notyetpassing"), ids=lambda p: p.stem)
def test_not_yet_passing(path: Path):
    ok, out = _run(path)
    exp = path.with_suffix(".exp")
    passing = ok and exp.exists() and out == exp.read_text(encoding="utf-8")
    assert not passing, "this case passes now: move it to fixtures/lang/"


def test_there_are_cases():
    assert len(_cases("eval-okay-*.nix")) >= 8 and len(_cases("eval-fail-*.nix")) >= 20
