"""`lib`: the helpers container files use, with values worked out by hand
from the nixpkgs manual's definitions."""
from __future__ import annotations

import pytest

from nixlite.eval.evaluator import eval_string
from nixlite.eval.interp import run_deep
from nixlite.eval.printer import force_deep
from nixlite.modules.containers import to_py
from nixlite.modules.lib import install_search_path


def lib_eval(expr: str):
    install_search_path()
    value = eval_string(f"let lib = import <nixpkgs/lib>; in with lib; {expr}", "/virtual/lib-test.nix", "/virtual")
    return to_py(run_deep(force_deep, value))


@pytest.mark.parametrize("expr, want", [
    ('optional true "x" ++ optional false "y"', ["x"]),
    ('optionals false [ 1 ] ++ optionals true [ 2 3 ]', [2, 3]),
    ('optionalString false "no" + optionalString true "yes"', "yes"),
    ("optionalAttrs true { a = 1; } // optionalAttrs false { b = 2; }", {"a": 1}),
    ('concatStrings [ "a" "b" ]', "ab"),
    ('concatStringsSep ", " [ "a" "b" ]', "a, b"),
    ('concatMapStrings (x: x + "!") [ "a" "b" ]', "a!b!"),
    ('concatMapStringsSep "-" toUpper [ "a" "b" ]', "A-B"),
    ("mapAttrs (n: v: v + 1) { a = 1; }", {"a": 2}),
    ('mapAttrs\' (n: v: nameValuePair "x-${n}" v) { a = 1; }', {"x-a": 1}),
    ('mapAttrsToList (n: v: "${n}=${toString v}") { b = 2; a = 1; }', ["a=1", "b=2"]),
    ('listToAttrs [ (nameValuePair "k" 1) ]', {"k": 1}),
    ("filterAttrs (n: v: v > 1) { a = 1; b = 2; }", {"b": 2}),
    ('genAttrs [ "x" "y" ] (n: n + n)', {"x": "xx", "y": "yy"}),
    ("attrValues { b = 2; a = 1; }", [1, 2]),
    ("attrNames { b = 2; a = 1; }", ["a", "b"]),
    ('attrByPath [ "a" "b" ] 0 { a.b = 5; }', 5),
    ('attrByPath [ "a" "c" ] 0 { a.b = 5; }', 0),
    ('setAttrByPath [ "a" "b" ] 1', {"a": {"b": 1}}),
    ("recursiveUpdate { a = { b = 1; c = 2; }; } { a = { b = 3; }; d = 4; }", {"a": {"b": 3, "c": 2}, "d": 4}),
    ('foldl (acc: x: acc + x) "" [ "a" "b" "c" ]', "abc"),
    ('foldr (x: acc: acc + x) "" [ "a" "b" "c" ]', "cba"),
    ('fold (x: acc: [ x ] ++ acc) [ ] [ 1 2 ]', [1, 2]),
    ("flatten [ 1 [ 2 [ 3 ] ] ]", [1, 2, 3]),
    ("unique [ 1 2 1 3 2 ]", [1, 2, 3]),
    ("range 2 5", [2, 3, 4, 5]),
    ('imap0 (i: x: "${toString i}${x}") [ "a" "b" ]', ["0a", "1b"]),
    ('imap1 (i: x: "${toString i}${x}") [ "a" "b" ]', ["1a", "2b"]),
    ("head [ 1 2 ] + last [ 1 2 3 ]", 4),
    ("elem 2 [ 1 2 ]", True),
    ('splitString "/" "10.0.0.2/24"', ["10.0.0.2", "24"]),
    ('splitString "." "a.b.c"', ["a", "b", "c"]),
    ('hasPrefix "ab" "abc" && hasSuffix "bc" "abc" && !(hasPrefix "b" "abc")', True),
    ('removePrefix "/dev/" "/dev/fuse" + removeSuffix ".nix" "x.nix"', "fusex"),
    ('toUpper "abC" + toLower "XyZ"', "ABCxyz"),
    ('replaceStrings [ "a" ] [ "b" ] "banana"', "bbnbnb"),
    ("escapeShellArg \"it's\"", "'it'\\''s'"),
    ('escapeShellArgs [ "a b" "c" ]', "'a b' 'c'"),
    ('makeBinPath [ "/opt/a" "/opt/b" ]', "/opt/a/bin:/opt/b/bin"),
    ('makeSearchPath "lib" [ "/x" ]', "/x/lib"),
    ('makeSearchPathOutput "bin" "sbin" [ "/y" ]', "/y/sbin"),
    ('stringLength "hello"', 5),
    ('toInt "42" + toInt "-2"', 40),
    ('versionAtLeast "20.09" "20.03"', True),
    ('versionOlder "2.8" "2.10"', True),
    ("fix (self: { a = 1; b = self.a + 1; })", {"a": 1, "b": 2}),
    ('id 3 + const 4 5 + flip (a: b: a - b) 1 10', 16),
    ('fixedWidthString 3 "0" "7"', "007"),
    ("mod 7 3", 1),
    ('(mkOption { type = types.str; })._type', "option"),
    ('(mkEnableOption "tun").description', "Whether to enable tun."),
    ('(literalExample "pkgs").text', "pkgs"),
    ("types.port.description", "16 bit unsigned integer; between 0 and 65535 (both inclusive)"),
])
def test_lib(expr, want):
    assert lib_eval(expr) == want


def test_pkgs_lib_is_the_same_lib(host):
    h = host('{ pkgs, lib, ... }: { containers.a.path = "/p"; containers.a.tmpfs = pkgs.lib.optional true "/t"; }')
    assert h.containers["a"].tmpfs == ["/t"]
