"""Error messages against Nix 2.8: users read them, so they must be Nix's words.

Every expression of `fixtures/lang/error-messages.txt` fails under
`nix-instantiate --eval --strict -E EXPR`.  Each is evaluated by real Nix (one
process per expression, since Nix stops at the first error; run a few at a
time) and by nixlite in-process, and the two stderr texts are compared on
  * the first line (`error: ...`), and
  * the position line (`at «string»:L:C:`), or its absence.
Cases where nixlite deliberately differs are in `ALLOWED`, each with its reason.
Run as a script (`python tests/test_error_messages.py`) to print every
mismatch and the match counts.  Skipped without nix-instantiate.
"""
from __future__ import annotations

import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "eval"))
from nixdiff import DATA_DIR, NIX_INSTANTIATE, nix_env, read_cases  # noqa: E402

pytestmark = [pytest.mark.nix,
              pytest.mark.skipif(NIX_INSTANTIATE is None, reason="nix-instantiate not installed")]

CASES = read_cases(Path(__file__).resolve().parent.parent / "fixtures" / "lang" / "error-messages.txt")

#: expression -> why nixlite's first line or position deliberately differs from Nix 2.8's
_SET_POS = ("position only: Nix points at the set literal / attribute that lacks something; nixlite values "
            "do not keep the position of a set, so the call's position is shown")
ALLOWED: dict[str, str] = {
    'builtins.getAttr "x" {}': _SET_POS,
    'builtins.listToAttrs [ { name = "a"; } ]': _SET_POS,
    "builtins.listToAttrs [ { value = 1; } ]": _SET_POS,
    "builtins.listToAttrs [ { name = 1; value = 1; } ]": _SET_POS,
    "builtins.genericClosure { }": _SET_POS,
    "builtins.genericClosure { startSet = [ { key = 1; } ]; }": _SET_POS,
    "derivation { }": _SET_POS,
    'derivation { name = "a"; }': _SET_POS,
    'derivation { name = "a"; builder = "b"; }': _SET_POS,
    # position only: Nix 2.8 points `inherit (e) x` at odd places (the `inherit`
    # keyword's neighbourhood); nixlite points at the inherited name
    "let inherit ({}) x; in x": "position only: Nix 2.8's position for `inherit (e)` is not the name's",
    "{ inherit ({ a = 1; }) b; }.b": "position only: Nix 2.8's position for `inherit (e)` is not the name's",
    # position only: which thunk of a cycle is re-entered first differs (Nix
    # points at the variable whose thunk it re-enters, nixlite at the binding)
    "let x = y; y = x; in x": "position only: a different member of the recursion cycle is shown",
    "(let x = { a = x.a; }; in x).a": "position only: a different member of the recursion cycle is shown",
    # message: the text after "while parsing a TOML string: " is toml11's (a C++
    # library); nixlite parses TOML with Python's tomllib and keeps its reason
    'builtins.fromTOML "a ="': "message: toml11's parser wording, nixlite uses tomllib's",
    'builtins.fromTOML "a = 1\\na = 2"': "message: toml11's parser wording, nixlite uses tomllib's",
    # message: nixlite has no store; it says so instead of "path is not in the Nix store"
    'builtins.storePath "/tmp"': "message: storePath is deliberately unsupported (no store)",
}

#: (first stderr line, position line or None)
Summary = tuple[str, "str | None"]

_AT = re.compile(r"^\s+at (.*):$")


def summarise(stderr: str) -> Summary:
    """The first line and the `at FILE:L:C` of the first location block."""
    lines = stderr.split("\n")
    first = lines[0] if lines else ""
    at = next((m.group(1) for m in map(_AT.match, lines[1:]) if m), None)
    return first, at


def nix_summary(expr: str) -> Summary:
    arg = " " + expr if expr.startswith("-") else expr
    p = subprocess.run([NIX_INSTANTIATE, "--eval", "--strict", "-E", arg], capture_output=True,
                       env=nix_env(), cwd=DATA_DIR, timeout=60)
    if p.returncode == 0:
        return "", None
    return summarise(p.stderr.decode("utf-8", "replace"))


def nix_summaries(exprs: list[str]) -> list[Summary]:
    with ThreadPoolExecutor(max_workers=4) as pool:
        return list(pool.map(nix_summary, exprs))


_EVALUATOR = None


def nixlite_summary(expr: str) -> Summary:
    """Evaluated in-process, rendered by the CLI's own error formatter."""
    global _EVALUATOR
    from nixlite.cli.diagnostics import format_error
    from nixlite.errors import NixliteError
    from nixlite.eval.evaluator import Evaluator
    from nixlite.eval.interp import run_deep
    from nixlite.eval.printer import print_value
    if _EVALUATOR is None:
        _EVALUATOR = Evaluator(use_nix_path_env=False)
    text = " " + expr if expr.startswith("-") else expr  # what Nix is given (columns!)
    try:
        run_deep(lambda: print_value(_EVALUATOR.eval_string(text, "«string»", str(DATA_DIR)), True))
    except NixliteError as e:
        return summarise(format_error(e))
    return "", None


@pytest.fixture(scope="module")
def nix_results() -> list[Summary]:
    return nix_summaries(CASES)


def test_corpus_fails_under_nix(nix_results):
    assert len(CASES) >= 150
    succeeded = [e for e, (first, _) in zip(CASES, nix_results) if not first.startswith("error:")]
    assert not succeeded, f"these do not fail under Nix: {succeeded}"


def test_allow_list_is_current():
    assert set(ALLOWED) <= set(CASES), set(ALLOWED) - set(CASES)


@pytest.mark.parametrize("index", range(len(CASES)), ids=lambda i: f"{i}")
def test_message(nix_results, index):
    expr = CASES[index]
    got, want = nixlite_summary(expr), nix_results[index]
    reason = ALLOWED.get(expr, "")
    if reason.startswith("position only"):
        # the message itself must still be Nix's; only the position may differ
        assert got[0] == want[0], expr
        assert got[1] != want[1], f"{expr}: now matches Nix, drop it from ALLOWED"
    elif reason:
        assert got[0].startswith("error:") and got[0] != want[0], f"{expr}: now matches Nix, drop it from ALLOWED"
    else:
        assert got == want, expr


def main() -> None:
    """Print mismatches and counts: first lines, positions, both."""
    nix = nix_summaries(CASES)
    first = pos = both = 0
    for expr, want in zip(CASES, nix):
        got = nixlite_summary(expr)
        first += got[0] == want[0]
        pos += got[1] == want[1]
        both += got == want
        if got != want:
            print(f"{expr}\n  nix:     {want}\n  nixlite: {got}")
    print(f"{len(CASES)} cases: first line {first}, position {pos}, both {both}")


if __name__ == "__main__":
    main()
