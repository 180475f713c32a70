"""Helpers for differential tests: evaluate many expressions with real Nix in
few processes, and the same expressions with nixlite in-process.

`nix-instantiate --eval -E e1 e2 ...` prints one result per expression and
stops at the first error, so a batch is run, and re-run from the expression
after a failing one, until every expression has an outcome.  Text results end
with a newline; JSON results have none and are followed by a separator.
"""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

from nix_oracle import NIX_INSTANTIATE, nix_env  # noqa: F401  (shared with conftest)

DATA_DIR = Path(__file__).resolve().parents[2] / "fixtures" / "lang" / "data"

#: an outcome: (ok, output) where output is the printed value (or "" on error)
Outcome = tuple[bool, str]


SEP = '"@@nixdiff@@"'


def _run_nix(rest: list[str], flags: tuple[str, ...]) -> tuple[list[str], bool]:
    """(outputs of the expressions that completed, whether all of them did).

    JSON results have no terminator and a failing expression may leave a
    partial (even syntactically complete) text behind, so in JSON mode every
    expression is followed by a separator string expression: only outputs
    followed by a separator count."""
    as_json = "--json" in flags
    args = [x for e in rest for x in (e, SEP)] if as_json else rest
    p = subprocess.run([NIX_INSTANTIATE, "--eval", *flags, "-E", *args], capture_output=True,
                       env=nix_env(), cwd=DATA_DIR, timeout=300)
    out = p.stdout.decode("utf-8", "surrogateescape")
    if as_json:
        outs = out.split(SEP)[:-1]
    else:
        outs = out.split("\n")[:-1] if out else []
    return outs, p.returncode == 0


def nix_batch(exprs: list[str], flags: tuple[str, ...] = ("--strict",)) -> list[Outcome]:
    """Outcomes of real Nix for every expression (in order)."""
    results: list[Outcome] = []
    while len(results) < len(exprs):
        # a leading space keeps "-5" from being read as a command-line flag
        rest = [" " + e if e.startswith("-") else e for e in exprs[len(results):]]
        outs, ok = _run_nix(rest, flags)
        results.extend((True, o) for o in outs[:len(rest)])
        if not ok and len(results) < len(exprs):
            results.append((False, ""))
    return results


def nixlite_outcome(expr: str, as_json: bool = False, strict: bool = True) -> Outcome:
    """nixlite's outcome for one expression, evaluated in-process."""
    from nixlite.errors import NixliteError
    from nixlite.eval.interp import run_deep
    try:
        return True, run_deep(_render, expr, as_json, strict)
    except NixliteError:
        return False, ""


_EVALUATOR = None


def _render(expr: str, as_json: bool, strict: bool) -> str:
    global _EVALUATOR
    from nixlite.eval.evaluator import Evaluator
    from nixlite.eval.printer import force_deep, print_value, to_json
    if _EVALUATOR is None:
        _EVALUATOR = Evaluator(use_nix_path_env=False)
    v = _EVALUATOR.eval_string(expr, "«string»", str(DATA_DIR))
    return to_json(force_deep(v)) if as_json else print_value(v, strict)


def read_cases(path: Path) -> list[str]:
    """One expression per line; blank lines and lines starting with '#' are skipped."""
    lines = path.read_text(encoding="utf-8").split("\n")
    return [ln for ln in lines if ln.strip() and not ln.lstrip().startswith("#")]


__all__ = ["nix_batch", "nixlite_outcome", "read_cases", "DATA_DIR", "os"]
