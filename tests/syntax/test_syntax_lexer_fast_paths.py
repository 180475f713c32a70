"""The lexer's fast paths give exactly the tokens of the general rules:
simple strings (lexed in one match) and runs of path characters (where no
path or URI can start, the path alternatives are skipped, which keeps long
`a.a.a…` selections linear)."""
from __future__ import annotations

import pytest

from nixlite.syntax import ast
from nixlite.syntax.lexer import Lexer
from nixlite.syntax.parse import parse


def tokens(text: str) -> list[tuple[str, str, int, int, str]]:
    lexer = Lexer(text, "«t»")
    return [(t.type, t.value, t.start, t.end, lexer.state_before) for t in lexer.tokens()]


def test_simple_string_tokens_are_the_string_states():
    assert tokens('x "ab"') == [
        ("ID", "x", 0, 1, "DEFAULT"), ("DQUOTE", '"', 2, 3, "DEFAULT"), ("STR", "ab", 3, 5, "STRING"),
        ("DQUOTE", '"', 5, 6, "STRING"), ("$END", "", 6, 6, "DEFAULT")]


def test_empty_simple_string_has_no_content_token():
    assert [t[0] for t in tokens('""')] == ["DQUOTE", "DQUOTE", "$END"]


@pytest.mark.parametrize("text, value", [('"a\\nb"', "a\nb"), ('"a\r\nb"', "a\nb"), ('"a$b"', "a$b")])
def test_strings_with_escapes_cr_or_dollar_take_the_general_path(text, value):
    node = parse(text)
    assert isinstance(node, ast.Str) and node.value == value


def test_string_span_covers_the_quotes():
    value = parse('{ x = "ab"; }').attrs["x"].value
    assert (value.span.line, value.span.col, value.span.end_col) == (1, 7, 11)


@pytest.mark.parametrize("text, kinds", [
    ("a.b.c/d", ["PATH", "PATH_END"]),          # the run ends in `/`: a path
    ("a.b:c", ["URI"]),                                # ... in `:`: a URI
    ("a.b.c", ["ID", "DOT", "ID", "DOT", "ID"]),
    ("a.b-c.d_e", ["ID", "DOT", "ID", "DOT", "ID"]),
    ("x.y ./z", ["ID", "DOT", "ID", "PATH", "PATH_END"]),
])
def test_runs_of_path_characters(text, kinds):
    assert [t[0] for t in tokens(text)][:-1] == kinds


def test_long_selection_parses():
    # 20 000 parts: quadratic in the lexer before the path-free fast path
    n = 20_000
    node = parse("let a = { }; in " + ".".join(["a"] * n))
    assert isinstance(node.body, ast.Select) and len(node.body.path) == n - 1
