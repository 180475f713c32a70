"""The parser: source text -> AST (`nixlite.syntax.ast`).

`parse()` drives the LALR(1) table of grammars/nix.lark (built by Lark,
cached by `table.py`) with tokens from `lexer.py`, and calls one `Builder`
method per reduction.  The driver is a plain loop with explicit stacks, so
nesting depth (100 000 parentheses) never touches Python's recursion limit.
Every failure is a `ParseError` with a span; messages follow Nix's bison
wording ("syntax error, unexpected '}', expecting ';'"), with "an expression"
standing for the long list of tokens that can start one.

`parse_file()` reads a file (a directory means its `default.nix`) and caches
the AST by (path, mtime, size).
"""
from __future__ import annotations

import gc
import os

from ..errors import ParseError
from ..source import register
from .ast import Node
from .build import Builder
from .lexer import Lexer, Tok
from .table import Table, get_table

__all__ = ["parse", "parse_file", "ParseError"]

#: parser stack limit; Nix's bison parser gives up ("memory exhausted") at 10000
MAX_DEPTH = 10000

#: tokens that can start an expression: if all are expected, say "an expression"
_EXPR_START = {"ID", "INT", "FLOAT", "DQUOTE", "IND_OPEN", "PATH", "HPATH", "SPATH", "URI",
               "LPAR", "LBRACE", "LBRACK", "REC", "LET", "MINUS", "BANG"}
#: the keywords that start the loosest expressions; part of "an expression" too
_EXPR_KEYWORDS = {"IF", "ASSERT", "WITH"}

#: tokens the lexer can produce in each of its states (the LALR table's
#: expected sets mix contexts: a string's `"` and a path's end share states)
_IN_STATE = {
    "STRING": {"DQUOTE", "DOLLAR_CURLY", "STR"},
    "IND": {"IND_CLOSE", "IND_STR", "DOLLAR_CURLY"},
    "PATH": {"PATH_END", "DOLLAR_CURLY", "STR"},
    "PATH_SLASH": {"DOLLAR_CURLY", "STR"},
}
_NOT_DEFAULT = {"STR", "IND_STR", "IND_CLOSE", "PATH_END"}

_NAMES = {
    "$END": "end of file", "ID": "identifier", "INT": "integer", "FLOAT": "float",
    "STR": "string content", "IND_STR": "string content", "PATH": "path", "HPATH": "path",
    "SPATH": "<path>", "URI": "URI", "PATH_END": "end of path", "IND_OPEN": "''",
    "IND_CLOSE": "''", "OR_KW": "'or'",
}


def parse(text: str, file: str = "«string»", base_dir: str | None = None) -> Node:
    """Parse Nix source text.  Relative paths resolve against `base_dir`
    (default: the directory of `file`, or the working directory for «string»)."""
    register(file, text)
    if base_dir is None:
        base_dir = os.getcwd() if file.startswith("«") else os.path.dirname(os.path.abspath(file))
    table = get_table()
    builder = Builder(base_dir)
    callbacks = [_callback(builder, rule) for rule in table.rules]
    nul = text.find("\0")
    if nul < 0:
        return _without_gc(_run, table, callbacks, Lexer(text, file))
    # Nix reads its input as a C string: a NUL byte ends it.
    try:
        return _without_gc(_run, table, callbacks, Lexer(text[:nul], file))
    except ParseError as e:
        e.hint = f"(the input has a NUL byte at {Lexer(text, file).span(nul, nul + 1)}, which ends it for Nix)"
        raise


def _without_gc(fn, *args):
    """Run fn with the cyclic GC paused: parsing allocates many small objects
    and no cycles, so the collector's passes would only cost time."""
    if not gc.isenabled():
        return fn(*args)
    gc.disable()
    try:
        return fn(*args)
    finally:
        gc.enable()


def _callback(builder: Builder, rule):
    if rule.inline:
        return None
    return getattr(builder, rule.name)


#: (state below, state on top, terminal) -> top state after every unit
#: reduction of `?rule`s (an atom climbs ~15 precedence levels: done once)
_CHAINS: dict[tuple[int, int, str], int] = {}


def _chain(table: Table, below: int, top: int, ttype: str) -> int:
    key = (below, top, ttype)
    final = _CHAINS.get(key)
    if final is None:
        final = top
        act = table.actions[final].get(ttype)
        while act is not None and act < 0 and table.rules[~act].inline:
            final = table.gotos[below][table.rules[~act].lhs]
            act = table.actions[final].get(ttype)
        _CHAINS[key] = final
    return final


def _run(table: Table, callbacks: list, lexer: Lexer) -> Node:
    """The LALR(1) loop of any yacc driver, with unit reductions short-cut."""
    actions, gotos, end = table.actions, table.gotos, table.end
    info = [(r.size, r.lhs, cb) for r, cb in zip(table.rules, callbacks)]
    states, values, last = [table.start], [], None
    for tok in lexer.tokens():
        ttype = tok.type
        while True:
            top = states[-1]
            act = actions[top].get(ttype)
            if act is None:
                raise _syntax_error(table, top, tok, last, lexer)
            if act >= 0:
                states.append(act)
                values.append(tok)
                last = tok
                if len(states) > MAX_DEPTH:
                    raise ParseError("memory exhausted: expression nested too deeply", tok.span)
                break
            size, lhs, cb = info[~act]
            if cb is None:  # a `?rule` passing its only child through
                states[-1] = _chain(table, states[-2], top, ttype)
                continue
            if size == 1:  # most reductions: replace the top in place
                values[-1] = cb(values[-1:])
                states[-1] = gotos[states[-2]][lhs]
            else:
                if size:
                    children = values[-size:]
                    del states[-size:]
                    del values[-size:]
                else:
                    children = []
                values.append(cb(children))
                states.append(gotos[states[-1]][lhs])
            if ttype == "$END" and states[-1] == end:
                return values[-1]
    raise ParseError("syntax error, unexpected end of file")  # unreachable: $END always comes


def _describe(tok: Tok, lex_state: str) -> str:
    if tok.type == "STR" and lex_state.startswith("PATH"):
        return f"path segment '{tok.value}'"
    if tok.type in ("ID", "INT", "FLOAT", "PATH", "HPATH", "SPATH", "URI"):
        return f"{_NAMES[tok.type]} '{tok.value}'"
    if tok.type in _NAMES:
        return _NAMES[tok.type]
    return f"'{tok.value}'"


def _expected(table: Table, state: int, lex_state: str) -> list[str]:
    expected = set(table.actions[state])
    expected = expected & _IN_STATE[lex_state] if lex_state in _IN_STATE else expected - _NOT_DEFAULT
    names = []
    if _EXPR_START <= expected:
        expected -= _EXPR_START | _EXPR_KEYWORDS
        names.append("an expression")
    from .lexer import KEYWORDS, PUNCT
    spell = {v: k for k, v in {**PUNCT, **KEYWORDS}.items()}
    names += sorted(_NAMES.get(t) or f"'{spell.get(t, t)}'" for t in expected if t not in ("STR", "IND_STR"))
    return names


def _syntax_error(table: Table, state: int, tok: Tok, last: Tok | None, lexer: Lexer) -> ParseError:
    message = f"syntax error, unexpected {_describe(tok, lexer.state_before)}"
    expected = _expected(table, state, lexer.state_before)
    if 0 < len(expected) <= 4:
        message += ", expecting " + " or ".join(expected)
    span = tok.span
    if tok.type == "$END" and last is not None:
        # As Nix: at the last token, not at a trailing blank line.
        span = last.span
    return ParseError(message, span)


# --- files -----------------------------------------------------------------------

_FILE_CACHE: dict[str, tuple[tuple[int, int], Node]] = {}


def parse_file(path: str) -> Node:
    """Parse a file; a directory stands for its `default.nix` (as in Nix)."""
    path = os.path.abspath(path)
    if os.path.isdir(path):
        path = os.path.join(path, "default.nix")
    try:
        st = os.stat(path)
        key = (st.st_mtime_ns, st.st_size)
        hit = _FILE_CACHE.get(path)
        if hit is not None and hit[0] == key:
            return hit[1]
        text = _read(path)
    except OSError as e:
        raise ParseError(f"cannot read '{path}': {e.strerror or e}") from None
    node = parse(text, path, os.path.dirname(path))
    _FILE_CACHE[path] = (key, node)
    return node


def _read(path: str) -> str:
    """The file's text.  Bytes that are not UTF-8 survive as surrogates (as
    everywhere in nixlite): Nix reads bytes, so they are fine in strings and
    comments, and the lexer reports them anywhere else."""
    with open(path, "rb") as f:
        return f.read().decode("utf-8", "surrogateescape")
