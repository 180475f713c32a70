"""Interpreter unit tests: laziness, black holes, scoping checks, deep data,
the public API other phases call, and hand-built ASTs."""
from __future__ import annotations

import pytest

from nixlite.errors import EvalError, InfiniteRecursion, ThrowError
from nixlite.eval import interp
from nixlite.eval.evaluator import Evaluator, make_base_env
from nixlite.eval.printer import print_value, to_json
from nixlite.eval.values import Attrs, NixList, PrimOp, force
from nixlite.source import Span
from nixlite.syntax import ast as A


def ev_str(text: str, strict: bool = True, ev: Evaluator | None = None) -> str:
    ev = ev or Evaluator(use_nix_path_env=False)
    return interp.run_deep(lambda: print_value(ev.eval_string(text), strict))


SP = Span("«test»", 1, 1, 1, 2)


def test_hand_built_ast():
    # let x = 20; in x + 22, built by hand (independent of the parser)
    node = A.Let(SP, A.Attrs(SP, True, {"x": A.AttrDef(A.Int(SP, 20), SP)}),
                 A.BinOp(SP, "+", A.Var(SP, "x"), A.Int(SP, 22)))
    assert interp.evaluate(node) == 42


def test_hand_built_lambda_with_formals():
    formals = A.Formals((A.Formal("a", None, SP), A.Formal("b", A.Var(SP, "a"), SP)), False)
    fn = A.Lambda(SP, None, formals, A.BinOp(SP, "*", A.Var(SP, "a"), A.Var(SP, "b")))
    call = A.Call(SP, fn, (A.Attrs(SP, False, {"a": A.AttrDef(A.Int(SP, 7), SP)}),))
    assert interp.evaluate(call) == 49


def test_undefined_variable_is_reported_before_evaluation():
    with pytest.raises(EvalError, match="undefined variable 'nope'") as e:
        ev_str("builtins.trace \"evaluated\" (if true then 1 else nope)")
    assert e.value.span is not None and e.value.span.col > 1


def test_thunks_are_memoised(capsys):
    out = ev_str('let x = builtins.trace "forced" 21; in x + x')
    assert out == "42"
    assert capsys.readouterr().err.count("trace: forced") == 1


def test_black_hole_reports_infinite_recursion():
    with pytest.raises(InfiniteRecursion, match="infinite recursion encountered"):
        ev_str("let a = b; b = a; in a")


def test_failed_thunk_can_be_retried():
    # tryEval leaves the thunk suspended again: forcing it twice fails twice, never "infinite recursion"
    out = ev_str('let x = throw "t"; in [ (builtins.tryEval x).success (builtins.tryEval x).success ]')
    assert out == "[ false false ]"


def test_non_strict_printing_shows_code_for_thunks():
    assert ev_str("{ a = 1 + 1; b = 2; }", strict=False) == "{ a = <CODE>; b = 2; }"


@pytest.mark.parametrize("expr, expected", [
    ("builtins.foldl' (a: b: a + b) 0 (builtins.genList (x: x) 100000)", "4999950000"),
    ("builtins.length (builtins.genList (x: x) 100000)", "100000"),
    ("let f = n: if n == 0 then 0 else 1 + f (n - 1); in f 5000", "5000"),
    ("let f = n: if n == 0 then 0 else let r = f (n - 1); in r + 1; in f 10000", "10000"),
    ("let f = n: if n == 0 then {} else { a = f (n - 1); }; in builtins.stringLength (builtins.toJSON (f 10000))",
     "60002"),  # checked with nix-instantiate
])
def test_deep_data(expr, expected):
    assert ev_str(expr) == expected


def test_runaway_recursion_is_a_nix_error():
    with pytest.raises(EvalError, match="stack overflow"):
        ev_str("let f = n: f (n + 1) + 1; in f 0")


def test_integer_overflow_wraps():
    assert ev_str("9223372036854775807 + 1") == "-9223372036854775808"


def test_make_base_env_overrides_and_call():
    ev = make_base_env(overrides={"answer": 42, "double": PrimOp("double", 1, lambda x: 2 * force(x))})
    assert ev_str("double answer", ev=ev) == "84"
    fn = ev.eval_string("x: { y = x; }")
    res = interp.run_deep(interp.call, fn, 5)
    assert isinstance(res, Attrs) and force(res.d["y"]) == 5


def test_provided_search_path_entry():
    ev = make_base_env()
    ev.provide("nixpkgs/lib", lambda: Attrs({"id": ev.eval_string("x: x")}))
    assert ev_str("(import <nixpkgs/lib>).id 3", ev=ev) == "3"
    with pytest.raises(EvalError, match="was not found in the Nix search path"):
        ev_str("<other>", ev=ev)


def test_search_path_from_include(tmp_path):
    (tmp_path / "lib.nix").write_text("{ v = 7; }")
    ev = make_base_env(search_path=[("mine", str(tmp_path))])
    assert ev_str("(import <mine/lib.nix>).v", ev=ev) == "7"


def test_eval_file_is_cached(tmp_path):
    f = tmp_path / "a.nix"
    f.write_text("{ x = 1; }")
    ev = Evaluator(use_nix_path_env=False)
    v1 = ev.eval_file(str(f))
    assert v1 is ev.eval_file(str(f))
    assert interp.run_deep(lambda: print_value(ev.eval_string(f"import {f} == import {f}"))) == "true"


def test_force_deep_and_json():
    v = interp.eval_string("{ b = [ (1 + 1) ]; a = null; }")
    interp.force_deep(v)
    assert to_json(v) == '{"a":null,"b":[2]}'
    assert isinstance(force(v.d["b"]), NixList)


def test_throw_is_catchable_error():
    with pytest.raises(ThrowError, match="boom"):
        ev_str('throw "boom"')


def test_builtin_registry_is_extensible():
    from nixlite.builtins import BUILTINS, builtin

    @builtin("nixliteTestTriple")
    def builtin_triple(x):
        return 3 * x
    try:
        assert ev_str("builtins.nixliteTestTriple 5") == "15"
    finally:
        del BUILTINS["nixliteTestTriple"]


def test_current_system_follows_evaluator():
    assert ev_str("builtins.currentSystem", ev=Evaluator(system="aarch64-linux")) == '"aarch64-linux"'
