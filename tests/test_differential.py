"""Differential tests: nixlite against `nix-instantiate --eval` (Nix 2.8).

Every expression of `fixtures/lang/differential.txt` (one per line, several
hundred, covering each builtin and language rule) is evaluated by real Nix
in a few batched processes and by nixlite in-process; the outcomes must be
identical: error vs. no error, and the exact `--strict` text and `--json`
text.  Hypothesis then generates random arithmetic / string / list / set
expressions, compared the same way (a batch of expressions per example, so
the number of Nix processes stays small).  Skipped without nix-instantiate.
"""
from __future__ import annotations

import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parent / "eval"))
from nixdiff import NIX_INSTANTIATE, nix_batch, nixlite_outcome, read_cases  # noqa: E402

pytestmark = [pytest.mark.nix,
              pytest.mark.skipif(NIX_INSTANTIATE is None, reason="nix-instantiate not installed")]

CASES = read_cases(Path(__file__).resolve().parent.parent / "fixtures" / "lang" / "differential.txt")
#: mode -> (nix-instantiate flags, as_json, strict)
MODES = {"strict": (("--strict",), False, True), "json": (("--strict", "--json"), True, True),
         "lazy": ((), False, False)}


@pytest.fixture(scope="module")
def nix_outcomes() -> dict[str, list]:
    return {mode: nix_batch(CASES, flags) for mode, (flags, _, _) in MODES.items()}


def test_enough_cases():
    assert len(CASES) >= 400


@pytest.mark.parametrize("mode", list(MODES))
@pytest.mark.parametrize("index", range(len(CASES)), ids=lambda i: f"{i}")
def test_case(nix_outcomes, index, mode):
    expr = CASES[index]
    expected = nix_outcomes[mode][index]
    got = nixlite_outcome(expr, as_json=MODES[mode][1], strict=MODES[mode][2])
    assert got == expected, f"{expr}\n  nix:     {expected}\n  nixlite: {got}"


# --- generated expressions ---------------------------------------------------------

_ints = st.integers(min_value=-(2 ** 63), max_value=2 ** 63 - 1).map(str)
_small = st.integers(min_value=-20, max_value=20).map(lambda n: f"({n})")
_floats = st.sampled_from(["0.5", "1.25", "3.0", "0.1", "100.0", "2.5e3", "1.0e-3"])
_strs = st.text(alphabet="abcxyz \n\"\\${}é", max_size=6).map(
    lambda s: '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("${", "\\${") + '"')
_atoms = st.one_of(_ints, _small, _floats, _strs, st.sampled_from(["true", "false", "null", "[ ]", "{ }"]))
_binops = ["+", "-", "*", "/", "==", "!=", "<", "<=", ">", ">=", "&&", "||", "++", "//"]
_unary = ["builtins.length", "builtins.typeOf", "toString", "builtins.toJSON", "builtins.attrNames",
          "builtins.stringLength", "builtins.isString", "builtins.head", "builtins.tail",
          "builtins.attrValues", "(x: [ x x ])", "(x: { a = x; })", "builtins.isList", "!"]


def _extend(children):
    binop = st.tuples(children, st.sampled_from(_binops), children).map(lambda t: f"({t[0]} {t[1]} {t[2]})")
    unary = st.tuples(st.sampled_from(_unary), children).map(lambda t: f"({t[0]} {t[1]})")
    lst = st.lists(children, max_size=3).map(lambda xs: "[ " + "".join(x + " " for x in xs) + "]")
    attrs = st.dictionaries(st.sampled_from(["a", "b", "c"]), children, max_size=3).map(
        lambda d: "{ " + "".join(f"{k} = {v}; " for k, v in d.items()) + "}")
    select = st.tuples(children, st.sampled_from(["a", "b"])).map(lambda t: f"({t[0]}).{t[1]} or null")
    cond = st.tuples(children, children, children).map(lambda t: f"(if {t[0]} then {t[1]} else {t[2]})")
    return st.one_of(binop, unary, lst, attrs, select, cond)


EXPRESSIONS = st.recursive(_atoms, _extend, max_leaves=8)


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(EXPRESSIONS, min_size=40, max_size=40))
def test_generated(exprs):
    for mode, (flags, as_json, strict) in MODES.items():
        expected = nix_batch(exprs, flags)
        for expr, exp in zip(exprs, expected):
            got = nixlite_outcome(expr, as_json=as_json, strict=strict)
            assert got == exp, f"[{mode}] {expr}\n  nix:     {exp}\n  nixlite: {got}"
