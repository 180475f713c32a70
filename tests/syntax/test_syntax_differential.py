"""Differential tests against Nix 2.8 itself (`nix-instantiate --parse`).

* acceptance: for a corpus of valid and invalid snippets, nixlite accepts
  exactly when Nix does;
* shape: for the accepted ones, our AST printed in Nix's own `--parse`
  format (syntax_support.nix_show) equals Nix's printout;
* randomly generated operator expressions, strings and indented strings
  (seeded, batched into one Nix call each to stay fast);
* the fixture modules and the NixOS containers module (the seed).
All skip when nix-instantiate is absent.
"""
from __future__ import annotations

import glob
import json
import random
import subprocess
from pathlib import Path

import pytest

from syntax_support import NIX_INSTANTIATE, nix_env, nix_parse, nix_show, nixlite_accepts, same_parse
from nixlite.syntax import ast
from nixlite.syntax.parse import parse

pytestmark = [pytest.mark.nix,
              pytest.mark.skipif(NIX_INSTANTIATE is None, reason="nix-instantiate not installed")]

ROOT = Path(__file__).resolve().parents[2]
SEED = Path("/work/shared/seed/nixos-containers.nix.txt")

CORPUS = [
    # literals and lexer corners
    "1", "1.", ".5", "0.5", "00.5", "1.5e-7", "1.e5", "1e3", "1E3", "01.5", "0.", "1.2.3",
    "9223372036854775807", "9223372036854775808", "1.e999", "1.e-999", "1.e-310",
    '"a${b}c"', '"$${a}"', '"\\${a}"', '"$"', '"a$"', '"${"', '"\\', '"${a}${b}"', '"a\\\nb"',
    "\"${\"a\"}\"", "{ \"${\"a\"}\" = 1; a = 2; }", "a.\"${\"b\"}\"", "''a''", "''a", "'''''", "''${a}''", "''$''", "''''$''", "''\\''", "'a'",
    "x:x", "x: x", "a:b:c", "http://a.b/c?d=e&f", "urn:isbn:0451450523",
    "./a", "../a", "/a", "a/b", "x/2", "./a/", "a/b/", "./a/${b}", "./a${b}c/d", "/${a}",
    "~/a", "~/", "~/${a}", "~", "<a>", "<a/b.c>", "<a/>", "< a >", "-1/2", "+a/b", "a/b/c.d-e_f+g",
    "./a ${b}", "a/b//c", "./a//b", "a/b/${c}/d", "a/b/${c}d/", "a/b/${c}d//e", "a//b", "a / b", "a/ b", "./.", "/.", "./..",
    # comments
    "1 # c", "/* c */ 1", "/* c ** d */ 1", "/* unterminated", "1 /* a */ /* b */ + 2", "#",
    # sets, lets, inherits
    "{ }", "{ a = 1; }", "{ a = 1 }", "{ a = 1;; }", "{ a.b.c = 1; a.b.d = 2; }",
    "{ a = 1; a = 2; }", "{ a.b = 1; a.b = 2; }", "{ a = 1; a.b = 2; }", "{ a.b = 1; a = 2; }",
    "{ a = { b = 1; }; a.c = 2; }", "{ a.c = 2; a = { b = 1; }; }", "{ a = { b = 1; }; a = { c = 2; }; }",
    "{ a = { b = 1; }; a = { b = 2; }; }", "{ a = rec { b = 1; }; a.c = b; }", "{ a = ({ b = 1; }); a.c = 2; }",
    "{ a = let { body = 1; }; a.c = 2; }", "{ inherit a; a.b = 1; }", "{ inherit a; inherit a; }",
    "{ inherit (x) a; a = {}; }", '{ "a" = 1; a = 2; }', '{ ${"a"} = 1; a = 2; }', '{ "${a}" = 1; ${a} = 2; }',
    '{ a.${b}.c = 1; a.${b}.d = 2; }', '{ "" = 1; }', '{ "a b".c = 1; }', "{ or = 1; }", "{ a.or = 1; }",
    "{ inherit or; }", "{ inherit; }", "{ inherit (a); }", "{ inherit ${a}; }", '{ inherit "${a}"; }',
    '{ inherit "a" ${"b"}; }', "{ if = 1; }", '{ "if" = 1; }', "rec { }", "rec { a = 1; b = a; }",
    "let a = 1; in a", "let in 1", "let a = 1; a = 2; in a", "let ${a} = 1; in 1", "let a.b = 1; a.c = 2; in a",
    "let inherit a; in a", "let inherit (x) a b; in a", "let { body = 1; }", "let { }", "let { ${a} = 1; }",
    "let", "let a = 1; in", "let a = 1 in a", "{ a = 1; } // { b = 2; }",
    # functions
    "x: x", "{ }: 1", "{ a }: a", "{ a, }: a", "{ a, b }: a", "{ a ? 1, b ? a }: a", "{ ... }: 1",
    "{ a, ... }: a", "{ ..., a }: a", "{ a, ..., }: a", "{ , }: 1", "{ a b }: a", "{ a, a }: a",
    "a@{ a }: a", "{ a }@a: a", "x@{ ... }: x", "{ ... }@x: x", "x @ { }: x", "{ } @ x: x",
    "x@y: x", "{ a }@{ b }: a", "{ or }: 1", "{ a ? x: x }: a", "{ a ? }: a",
    # application, select, or
    "f a b", "f (a b)", "a.b.c", "a.b or c", "a.b or c.d or e", "a.or", "a.or or b", "f or", "f or x",
    "map or [ 1 ]", "a or b", "or", "a.b.or.c", "a.\"b\".${c}", "a.${b} or c", "a.", "a.b.", "a . b",
    "a ? b", "a ? b.c", "a ? ${b}", 'a ? "b c"', "a ? b ? c", "a ? b or c", "(a ? b).c", "a.b ? c",
    "__curPos", "__curPos.line", "f __curPos",
    # operators
    "1 + 2 * 3 - 4 / 5", "a ++ b ++ c", "a // b // c", "a -> b -> c", "a || b || c && d",
    "a == b", "a == b == c", "a != b == c", "a < b < c", "a < b <= c", "a <= b == c", "a > b",
    "a >= b", "!a", "!!a", "!a + b", "!a == b", "a + !b", "a + !b + c", "a * !b * c", "a ++ !b ++ c",
    "a ? b + c", "-a", "- -a", "--a", "-a + b", "-a * b", "a - -b", "-f x", "-a.b", "-a ? b", "f -1",
    "-!a + b", "!-a + b", "a + -b * c", "a // !b", "a -> !b || c", "!a -> b", "a && !b == c",
    "a+b", "a+ +b", "a++b", "a+++b", "a ++ + b", "a**b", "a //b", "a!b", "a!=b",
    "if a then b else c", "if a then b", "if a then if b then c else d else e", "if a then b else c + d",
    "assert a; b", "assert a b", "with a; b", "with a; with b; c", "a + with b; c", "a + if b then c else d",
    "a + x: x", "f x: x", "[ x: x ]", "[ (x: x) ]", "[ if a then b else c ]", "[ a.b or c ]",
    "[ -1 ]", "[ a -1 ]", "[ f x ]",
    # stray tokens
    ")", "(", "}", "]", "[", ";", "=", "a =", "a;", "a b;", "1 2", "", " ", "@", "$", "\\", "'",
    "&", "|", "`", "%", "^", "a ? (b)", "{ a = 1; } . a", "{a=1;}.a",
]


@pytest.mark.parametrize("expr", CORPUS)
def test_accepts_iff_nix_accepts(expr):
    accepted, out = nix_parse(expr)
    assert nixlite_accepts(expr) == accepted, out
    if accepted:
        ours = nix_show(parse(expr, base_dir="/"))
        assert same_parse(parse(expr, base_dir="/"), out), (ours, out)


def _nix_eval_json(exprs: list[str]) -> list:
    listing = "[\n" + "\n".join(f"({e})" for e in exprs) + "\n]"
    p = subprocess.run([NIX_INSTANTIATE, "--eval", "--strict", "--json", "-E", listing],
                       capture_output=True, text=True, env=nix_env(), timeout=120)
    assert p.returncode == 0, p.stderr[:2000]
    return json.loads(p.stdout)


def _nix_parse_batch(exprs: list[str]) -> list[str]:
    """Nix's printouts of many expressions at once (elements of one list)."""
    ok, out = nix_parse("[\n" + "\n".join(f"({e})" for e in exprs) + "\n]")
    assert ok, out
    return out


# --- random operator expressions ------------------------------------------------------

_ATOMS = ["a", "b", "c.d", "f x", "1", '"s"', "(g)", "e.f or h", "[ 1 ]", "{ }.k"]
_BINARY = ["+", "-", "*", "/", "++", "//", "==", "!=", "<", "<=", ">", ">=", "&&", "||", "->"]


def _random_expr(rng: random.Random, depth: int = 0) -> str:
    if depth > 5 or rng.random() < 0.25:
        return rng.choice(_ATOMS)
    kind = rng.random()
    if kind < 0.15:
        return rng.choice(["!", "-"]) + _random_expr(rng, depth + 1)
    if kind < 0.22:
        return _random_expr(rng, depth + 1) + " ? " + rng.choice(["x", "x.y", '"z"'])
    op = rng.choice(_BINARY)
    return f"{_random_expr(rng, depth + 1)} {op} {_random_expr(rng, depth + 1)}"


def test_random_operator_expressions_parse_as_in_nix():
    rng = random.Random(20261204)
    exprs = []
    while len(exprs) < 400:
        e = _random_expr(rng)
        if nixlite_accepts(e):
            exprs.append(e)
    # nonassociative chains (`a == b == c`) are rejected by both; check a sample
    assert not nixlite_accepts("a == b == c") and not nix_parse("a == b == c")[0]
    printout = _nix_parse_batch(exprs)
    ours = "[ " + "".join(f"({nix_show(parse(e, base_dir='/'))}) " for e in exprs) + "]"
    assert ours == printout


def test_random_operator_expressions_rejected_alike():
    rng = random.Random(7)
    exprs = [_random_expr(rng) for _ in range(60)]
    for e in exprs:
        # splice a random token in, to get some invalid ones
        tokens = e.split(" ")
        tokens.insert(rng.randrange(len(tokens) + 1), rng.choice(["==", "?", "<", "!", ")", "or"]))
        mutated = " ".join(tokens)
        assert nixlite_accepts(mutated) == nix_parse(mutated)[0], mutated


# --- strings ------------------------------------------------------------------------------

_IND_PIECES = [" ", "  ", "    ", "\t", "\n", "\n", "a", "b c", '${"x"}', '${"  y\\n"}', "''$", "'''",
               "''\\n", "''\\t", "''\\ ", "$$", "' ", "$", "\r\n", "#", "\\", "'x", "${\"\"}", "\n  \n"]
_STR_PIECES = ["a", " ", "\\n", "\\t", "\\r", "\\\\", '\\"', "\\$", "$$", "$", "\\x", 'a${"i"}', "\n", "\r\n",
               "\r", "'", "''", "#"]


def _value(node) -> str:
    if isinstance(node, ast.Str):
        return node.value
    assert isinstance(node, ast.ConcatStrings)
    return "".join(_value(p) for p in node.parts)


def _random_string(rng, pieces, quote) -> str:
    body = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 14)))
    if body.endswith(("'", "$", "\\")):
        body += "z"
    return quote + body + quote


@pytest.mark.parametrize("quote,pieces", [("''", _IND_PIECES), ('"', _STR_PIECES)], ids=["indented", "plain"])
def test_random_strings_evaluate_as_in_nix(quote, pieces):
    rng = random.Random(1204)
    exprs = [_random_string(rng, pieces, quote) for _ in range(1500)]
    exprs = [e for e in exprs if nixlite_accepts(e)]
    assert len(exprs) > 1000
    expected = _nix_eval_json(exprs)
    mismatches = [(e, _value(parse(e)), want) for e, want in zip(exprs, expected) if _value(parse(e)) != want]
    assert mismatches == []


# --- real files -------------------------------------------------------------------------

FILES = sorted(glob.glob(str(ROOT / "fixtures" / "cases" / "*" / "containers.nix")))


@pytest.mark.parametrize("path", FILES, ids=[Path(p).parent.name for p in FILES])
def test_fixture_modules_parse_as_in_nix(path):
    text = Path(path).read_text()
    accepted, out = nix_parse(text)
    assert accepted, out
    assert same_parse(parse(text, base_dir="/"), out)


@pytest.mark.skipif(not SEED.exists(), reason="seed module not available")
def test_nixos_containers_module_parses_as_in_nix():
    text = SEED.read_text().split("\n", 15)[15]   # 15-line header before the Nix code
    accepted, out = nix_parse(text)
    assert accepted, out
    assert same_parse(parse(text, base_dir="/"), out)


# --- token soup ---------------------------------------------------------------------------

_SOUP = ["a", "b", "or", "1", "2.5", ".5", '"s"', '"${a}"', "''x''", "./p", "a/b", "<n>", "x:y", "~/h",
         "{", "}", "[", "]", "(", ")", ";", ":", ".", "=", "@", ",", "?", "!", "+", "-", "*", "/", "<", ">",
         "==", "!=", "<=", ">=", "&&", "||", "->", "//", "++", "...", "${", "if", "then", "else", "assert",
         "with", "let", "in", "rec", "inherit", "__curPos", " ", "\n", "#c\n", "/*c*/", "${a}", "$", '"',
         "''", "/", "a/", "./a/", "1.", "0", "e5", "-1", "x@"]


def test_token_soup_accepted_iff_nix_accepts():
    """Random token sequences: mostly errors, some valid; both sides must agree."""
    rng = random.Random(99)
    disagreements = []
    for _ in range(200):
        expr = rng.choice(["", " "]).join(rng.choice(_SOUP) for _ in range(rng.randint(1, 10)))
        accepted, out = nix_parse(expr)
        if accepted != nixlite_accepts(expr) or (accepted and not same_parse(parse(expr, base_dir="/"), out)):
            disagreements.append(expr)
    assert disagreements == []
