"""Table-driven parser tests: one row per construct, expected parse written
out by hand as fully parenthesised Nix (the `--dump` form), so every row
states the precedence, desugaring and rewriting it expects.  These run
without Nix; test_syntax_differential.py checks the same ground against
`nix-instantiate --parse`."""
from __future__ import annotations

import os

import pytest

from nixlite.syntax import ast
from nixlite.syntax.parse import parse
from nixlite.syntax.printer import to_nix

BASE = "/base/dir"

CASES = [
    # numbers: Nix 2.8's lexer, `1e3` is not a float, `01.5` is `01` applied to `.5`
    ("42", "42"),
    ("1.5", "1.5"),
    ("1.", "1.0"),
    (".5", "0.5"),
    ("1.5e-7", "1.5e-07"),
    ("1.e5", "100000.0"),
    ("1e3", "(1 (e3))"),
    ("01.5", "(1 (0.5))"),
    # strings and escapes
    (r'"a\nb\tc\\d\"e\$f"', '"a\\nb\\tc\\\\d\\"e\\$f"'),
    (r'"\q"', '"q"'),
    ('"$${a}"', '"\\$\\${a}"'),
    ('"a${b}c"', '"a${b}c"'),
    ('"${b}"', '"${b}"'),
    ('""', '""'),
    ('"a\r\nb"', '"a\\nb"'),
    ('"$"', '"\\$"'),
    # indented strings: indentation stripping and escapes
    ("''\n  a\n    b\n''", '"a\\n  b\\n"'),
    ("''  a\n  b''", '"a\\nb"'),
    ("''\n\ta\n''", '"\\ta\\n"'),
    # each escape is its own piece, as in Nix: a concatenation of literals
    ("''''$a'''b''\\nc''", '"\\$${"a"}\'\'${"b"}\\n${"c"}"'),
    ("''$${x}''", '"\\$\\${x}"'),
    ("''\n  ${x}\n  y\n''", '"${""}${x}\\ny\\n"'),
    ("''''", '""'),
    # paths
    ("./a/b", "/base/dir/a/b"),
    ("../a", "/base/a"),
    ("/x/./y/../z", "/x/z"),
    ("a/b", "/base/dir/a/b"),
    ("x/2", "/base/dir/x/2"),
    ("<nixpkgs/lib>", "<nixpkgs/lib>"),
    ("./a/${b}.nix", "/base/dir/a/${b}.nix"),
    ("./a${b}", "/base/dir/a${b}"),
    ("http://example.org/a?b=c", '"http://example.org/a?b=c"'),
    ("x:x", '"x:x"'),
    # lists and sets
    ("[ 1 a.b (f x) ]", "[ (1) ((a).b) ((f (x))) ]"),
    ("[ ]", "[ ]"),
    ("{ a = 1; b.c = 2; b.d = 3; }", "{ a = 1; b = { c = 2; d = 3; }; }"),
    ('{ "a b" = 1; ${k} = 2; "${j}" = 3; ${"s"} = 4; }', '{ "a b" = 1; s = 4; ${k} = 2; ${"${j}"} = 3; }'),
    ("rec { a = 1; b = a; }", "rec { a = 1; b = a; }"),
    ("{ inherit a b; inherit (x) c \"d\"; }", "{ inherit a; inherit b; c = (x).c; d = (x).d; }"),
    ("{ inherit; }", "{ }"),
    ("{ a = { b = 1; }; a.c = 2; }", "{ a = { b = 1; c = 2; }; }"),
    ("{ a.b = 1; a = { c = 2; }; }", "{ a = { b = 1; c = 2; }; }"),
    ("{ or = 1; }", "{ or = 1; }"),
    ("let a = 1; b.c = 2; in a", "(let a = 1; b = { c = 2; }; in a)"),
    ("let in 1", "(let in 1)"),
    ("let { body = 1; x = 2; }", "(rec { body = 1; x = 2; }).body"),
    # functions
    ("x: y: x", "(x: (y: x))"),
    ("{ a, b ? 1, ... }: a", "({ a, b ? (1), ... }: a)"),
    ("{ a, }: a", "({ a }: a)"),
    ("{ }: 1", "({ }: 1)"),
    ("args@{ a }: a", "({ a }@args: a)"),
    ("{ a }@args: a", "({ a }@args: a)"),
    ("f a b c", "(f (a) (b) (c))"),
    ("(f a) b", "(f (a) (b))"),
    ("f or", "(f or)"),
    ("map or [ 1 ]", "(map or ([ (1) ]))"),
    # control
    ("assert a; b", "(assert a; b)"),
    ("with a; b", "(with a; b)"),
    ("if a then b else c", "(if a then b else c)"),
    # selection, defaults, has-attr
    ("a.b.c", "(a).b.c"),
    ("a.b or c", "(a).b or (c)"),
    ("a.${b}.\"c d\" or d", '(a).${b}."c d" or (d)'),
    ("a.or", "(a).or"),
    ("a ? b.c", "((a) ? b.c)"),
    ("a ? b ? c", "((((a) ? b)) ? c)"),
    ("__curPos", "__curPos"),
    # operators: precedence and associativity
    ("1 + 2 * 3", "(1 + (2 * 3))"),
    ("1 - 2 - 3", "((1 - 2) - 3)"),
    ("a ++ b ++ c", "(a ++ (b ++ c))"),
    ("a // b // c", "(a // (b // c))"),
    ("a -> b -> c", "(a -> (b -> c))"),
    ("a || b && c", "(a || (b && c))"),
    ("a == b && c != d", "((a == b) && (c != d))"),
    ("a < b == c >= d", "((a < b) == (c >= d))"),
    ("!a + b", "(!(a + b))"),
    ("!a == b", "((!a) == b)"),
    ("a + !b + c", "(a + (!(b + c)))"),
    ("a * !b == c", "((a * (!b)) == c)"),
    ("-a + b", "((- a) + b)"),
    ("-f x", "(- (f (x)))"),
    ("-a.b", "(- (a).b)"),
    ("f -1", "(f - 1)"),
    ("- -1", "(- (- 1))"),
    ("-!a + b", "(- (!(a + b)))"),
    ("-a ? b", "(((- a)) ? b)"),
    ("a + b ? c", "(a + ((b) ? c))"),
    ("a // b + c", "(a // (b + c))"),
    ("a ++ b * c", "((a ++ b) * c)"),
    ("a.b c.d", "((a).b ((c).d))"),
    ("a.b or c d", "((a).b or (c) (d))"),
    # comments and whitespace
    ("1 # c\n+ /* d */ 2", "(1 + 2)"),
]


@pytest.mark.parametrize("source,expected", CASES, ids=[c[0] for c in CASES])
def test_construct(source, expected):
    assert to_nix(parse(source, base_dir=BASE)) == expected


def test_home_path(monkeypatch):
    monkeypatch.setenv("HOME", "/home/u")
    assert parse("~/a/b").value == "/home/u/a/b"
    # Nix does not canonicalise `~/` paths
    assert parse("~/a/../b").value == "/home/u/a/../b"


def test_string_file_resolves_against_cwd(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert parse("./x").value == os.path.join(str(tmp_path), "x")


def test_file_resolves_against_its_directory():
    assert parse("./x", file="/some/where/f.nix").value == "/some/where/x"


def test_curpos_and_spans():
    node = parse("{\n  a = __curPos;\n}")
    cur = node.attrs["a"].value
    assert isinstance(cur, ast.CurPos)
    assert (cur.span.line, cur.span.col, cur.span.end_col) == (2, 7, 15)
    assert (node.span.line, node.span.col, node.span.end_line, node.span.end_col) == (1, 1, 3, 2)


def test_indented_string_keeps_empty_pieces():
    node = parse("''\n  ${x}\n''")
    assert isinstance(node, ast.ConcatStrings) and node.force_string
    assert [type(p).__name__ for p in node.parts] == ["Str", "Var", "Str"]
    assert node.parts[0].value == "" and node.parts[2].value == "\n"


def test_inherit_is_marked_inherited():
    node = parse("rec { inherit a; inherit (s) b; }")
    assert node.attrs["a"].inherited and isinstance(node.attrs["a"].value, ast.Var)
    assert not node.attrs["b"].inherited and isinstance(node.attrs["b"].value, ast.Select)


def test_registers_source():
    from nixlite.source import SOURCES
    parse("1 + 1", file="«test-register»")
    assert SOURCES["«test-register»"] == "1 + 1"
