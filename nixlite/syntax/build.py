"""Reduction callbacks: from grammar rules to AST nodes.

One method per rule alias of grammars/nix.lark; each receives the rule's
children (lexer `Tok`s, nodes, or the small intermediate lists below) and
returns a node.  The rewrites Nix performs while parsing happen here:
`__curPos`, `<path>`, `~/`, paths made absolute, `f a b` folded into one
`Call`, `f or` (Nix's backwards-compatible call of a function named `or`),
legacy `let { }`, attribute-path merging (`binds.py`), indentation stripping
(`strings.py`), duplicate formals.
"""
from __future__ import annotations

import os
import sys

from ..errors import ParseError
from ..source import Span
from . import ast
from .binds import Binds
from .lexer import Tok
from .strings import resolve_path, strip_indentation

_MAX_INT = 2**63 - 1


#: node id -> the `(` and `)` tokens around it, for the current parse.  Nix
#: gives a rule the position of its first token, so `(f) x` is located at the
#: `(`, while the parenthesised node keeps its own position ("anonymous
#: function at 1:2"): the parentheses widen only the spans built around them.
_PARENS: dict[int, tuple[Tok, Tok]] = {}


def _span(first, last) -> Span:
    """From the start of `first` to the end of `last` (tokens or nodes)."""
    if _PARENS:
        if type(first) is not Tok and id(first) in _PARENS:
            first = _PARENS[id(first)][0]
        if type(last) is not Tok and id(last) in _PARENS:
            last = _PARENS[id(last)][1]
    if type(first) is Tok:
        if type(last) is Tok:
            return first.src.span(first.start, last.end)
        end = last.span
        line, col = first.src.position(first.start)
        return Span(end.file, line, col, end.end_line, end.end_col)
    return first.span.to(last.span)


def home_dir() -> str:
    home = os.environ.get("HOME")
    if home:
        return home
    try:
        import pwd
        return pwd.getpwuid(os.getuid()).pw_dir
    except (ImportError, KeyError):
        return "/"


class Builder:
    """The callbacks for one parse (they need the base directory for paths)."""

    def __init__(self, base_dir: str):
        self.base_dir = base_dir
        _PARENS.clear()

    # --- lambdas -----------------------------------------------------------------

    def lambda_simple(self, c):
        return ast.Lambda(_span(c[0], c[2]), c[0].value, None, c[2])

    def lambda_formals(self, c):
        return self._lambda(c, None, c[1], c[4])

    def lambda_empty(self, c):
        return self._lambda(c, None, ([], False), c[3])

    def lambda_formals_at(self, c):
        return self._lambda(c, c[4], c[1], c[6])

    def lambda_empty_at(self, c):
        return self._lambda(c, c[3], ([], False), c[5])

    def lambda_at_formals(self, c):
        return self._lambda(c, c[0], c[3], c[6])

    def lambda_at_empty(self, c):
        return self._lambda(c, c[0], ([], False), c[5])

    def _lambda(self, c, at: Tok | None, formals, body):
        entries, ellipsis = formals
        span = _span(c[0], body)
        seen: set[str] = set()
        for f in entries:
            if f.name in seen:
                raise ParseError(f"duplicate formal function argument '{f.name}'", f.span)
            seen.add(f.name)
        if at is not None and at.value in seen:
            raise ParseError(f"duplicate formal function argument '{at.value}'", span)
        return ast.Lambda(span, at.value if at else None, ast.Formals(tuple(entries), ellipsis), body)

    def formals(self, c):
        return (c[0], False)

    def formals_comma(self, c):
        return (c[0], False)

    def formals_ellipsis(self, c):
        return (c[0], True)

    def formals_only_ellipsis(self, c):
        return ([], True)

    def formal_first(self, c):
        return [c[0]]

    def formal_more(self, c):
        c[0].append(c[2])
        return c[0]

    def formal_plain(self, c):
        return ast.Formal(c[0].value, None, c[0].span)

    def formal_default(self, c):
        return ast.Formal(c[0].value, c[2], c[0].span)

    # --- assert, with, let, if -----------------------------------------------------

    def assert_(self, c):
        return ast.Assert(_span(c[0], c[3]), c[1], c[3])

    def with_(self, c):
        return ast.With(_span(c[0], c[3]), c[1], c[3])

    def let(self, c):
        binds: Binds = c[1]
        if binds.has_dynamic():
            raise ParseError("dynamic attributes not allowed in let", c[0].span)
        span = _span(c[0], c[3])
        return ast.Let(span, binds.freeze(True, _span(c[0], c[2])), c[3])

    def let_empty(self, c):
        return ast.Let(_span(c[0], c[2]), ast.Attrs(_span(c[0], c[1]), True, {}), c[2])

    def if_(self, c):
        return ast.If(_span(c[0], c[5]), c[1], c[3], c[5])

    # --- operators -------------------------------------------------------------------

    def binop(self, c):
        return ast.BinOp(_span(c[0], c[2]), c[1].value, c[0], c[2])

    def not_(self, c):
        return ast.Not(_span(c[0], c[1]), c[1])

    def neg(self, c):
        return ast.Neg(_span(c[0], c[1]), c[1])

    def has_attr(self, c):
        return ast.HasAttr(c[0].span.to(c[2][-1][1]), c[0], _names(c[2]))

    def call(self, c):
        fn, arg = c
        if isinstance(fn, ast.Call):
            return ast.Call(_span(fn, arg), fn.fn, fn.args + (arg,))
        return ast.Call(_span(fn, arg), fn, (arg,))

    def select(self, c):
        return ast.Select(_span(c[0], c[0]).to(c[2][-1][1]), c[0], _names(c[2]))

    def select_or(self, c):
        return ast.Select(_span(c[0], c[4]), c[0], _names(c[2]), c[4])

    def call_or(self, c):
        return ast.Call(_span(c[0], c[1]), c[0], (ast.Var(c[1].span, "or"),))

    # --- simple expressions ---------------------------------------------------------

    def var(self, c):
        tok = c[0]
        if tok.value == "__curPos":
            return ast.CurPos(tok.span)
        return ast.Var(tok.span, tok.value)

    def int_(self, c):
        value = int(c[0].value)
        if value > _MAX_INT:
            raise ParseError(f"invalid integer '{c[0].value}'", c[0].span)
        return ast.Int(c[0].span, value)

    def float_(self, c):
        text = c[0].value
        value = float(text)
        mantissa = text.lower().split("e")[0]
        # strtod reports overflow and underflow (ERANGE); Nix turns both into errors.
        if value in (float("inf"), 0.0) and mantissa.strip("0.") or 0 < value < sys.float_info.min:
            raise ParseError(f"invalid float '{text}'", c[0].span)
        return ast.Float(c[0].span, value)

    def string_empty(self, c):
        return ast.Str(_span(c[0], c[1]), "")

    def string(self, c):
        return _string(c[1], _span(c[0], c[2]))

    def ind_string_empty(self, c):
        return ast.Str(_span(c[0], c[1]), "")

    def ind_string(self, c):
        return strip_indentation(c[1], _span(c[0], c[2]))

    def path(self, c):
        return ast.Path(c[0].span, resolve_path(c[0].value, self.base_dir))

    def path_interp(self, c):
        first = ast.Path(c[0].span, resolve_path(c[0].value, self.base_dir))
        return ast.ConcatStrings(_span(c[0], c[2]), (first, *_pieces(c[1])), False)

    def hpath(self, c):
        return ast.Path(c[0].span, home_dir() + c[0].value[1:])

    def hpath_interp(self, c):
        first = ast.Path(c[0].span, home_dir() + c[0].value[1:])
        return ast.ConcatStrings(_span(c[0], c[2]), (first, *_pieces(c[1])), False)

    def spath(self, c):
        return ast.SearchPath(c[0].span, c[0].value[1:-1])

    def uri(self, c):
        return ast.Str(c[0].span, c[0].value)

    def paren(self, c):
        _PARENS[id(c[1])] = (c[0], c[2])
        return c[1]

    # --- sets and lists ---------------------------------------------------------------

    def let_legacy(self, c):
        span = _span(c[0], c[3])
        return ast.Select(span, c[2].freeze(True, _span(c[1], c[3])), ("body",))

    def let_legacy_empty(self, c):
        span = _span(c[0], c[2])
        return ast.Select(span, ast.Attrs(_span(c[1], c[2]), True, {}), ("body",))

    def rec_attrs(self, c):
        return c[2].freeze(True, _span(c[0], c[3]))

    def rec_attrs_empty(self, c):
        return ast.Attrs(_span(c[0], c[2]), True, {})

    def attrs(self, c):
        return c[1].freeze(False, _span(c[0], c[2]))

    def attrs_empty(self, c):
        return ast.Attrs(_span(c[0], c[1]), False, {})

    def list_empty(self, c):
        return ast.List(_span(c[0], c[1]), ())

    def list(self, c):
        return ast.List(_span(c[0], c[2]), tuple(c[1]))

    # --- pieces -------------------------------------------------------------------------

    def items_first(self, c):
        return [c[0]]

    def items_more(self, c):
        c[0].append(c[1])
        return c[0]

    parts_first = items_first
    parts_more = items_more

    def parts_first_expr(self, c):
        return [c[1]]

    def part_str(self, c):
        return c[0]   # a literal piece stays a Tok until its string is built (see _string)

    def part_ind(self, c):
        return c[0]

    def part_expr(self, c):
        return c[1]

    # --- bindings ------------------------------------------------------------------------

    def binds_first(self, c):
        binds = Binds(c[0][-1])
        c[0][0](binds)
        return binds

    def binds_more(self, c):
        c[1][0](c[0])
        return c[0]

    def bind_value(self, c):
        path, value = c[0], c[2]
        span = path[0][1].to(path[-1][1])
        return (lambda b: b.add(path, value, span), span)

    def bind_inherit(self, c):
        names = _static(c[1])
        return (lambda b: b.inherit(names, None), c[0].span)

    def bind_inherit_none(self, c):
        return (lambda b: None, c[0].span)

    def bind_inherit_from(self, c):
        names, source = _static(c[4]), c[2]
        return (lambda b: b.inherit(names, source), c[0].span)

    def bind_inherit_from_none(self, c):
        return (lambda b: None, c[0].span)

    def names_first(self, c):
        return [c[0]]

    def names_more(self, c):
        c[0].append(c[1])
        return c[0]

    def names_more_dot(self, c):
        c[0].append(c[2])
        return c[0]

    def name_id(self, c):
        return (c[0].value, c[0].span)

    def name_string_empty(self, c):
        return ("", _span(c[0], c[1]))

    def name_string(self, c):
        parts, span = c[1], _span(c[0], c[2])
        if len(parts) == 1 and isinstance(parts[0], Tok):  # `"name"`: no node needed, only its text
            return (parts[0].value, span)
        node = _string(parts, span)
        return (node.value if isinstance(node, ast.Str) else node, span)

    def name_dynamic(self, c):
        node = c[1]
        span = _span(c[0], c[2])
        return (node.value if isinstance(node, ast.Str) else node, span)

    def start(self, c):
        return c[0]


def _string(parts: list, span: Span) -> ast.Node:
    """One literal piece is a `Str`; anything else (even `"${"a"}"`, as in
    Nix) a concatenation."""
    if len(parts) == 1 and isinstance(parts[0], Tok):
        return ast.Str(span, parts[0].value)
    return ast.ConcatStrings(span, _pieces(parts), True)


def _pieces(parts: list) -> tuple:
    return tuple(ast.Str(p.span, p.value) if isinstance(p, Tok) else p for p in parts)


def _names(path) -> tuple:
    return tuple(name for name, _ in path)


def _static(names) -> list[tuple[str, Span]]:
    for name, span in names:
        if not isinstance(name, str):
            raise ParseError("dynamic attributes not allowed in inherit", span)
    return names
