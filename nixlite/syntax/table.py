"""The LALR(1) parse table for grammars/nix.lark, built by Lark and cached.

Lark computes the table; we keep only plain data (per state: terminal ->
action, nonterminal -> goto; per rule: callback name, length, whether it is
an inlined `?rule`) so that the table can be pickled into the user's cache
directory.  A fresh process then loads it in a few milliseconds without
importing Lark at all, which is what makes `nixlite` start fast.  The cache
key is a hash of the grammar text.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

#: bump when the pickled layout below changes
_FORMAT = 1


@dataclass(frozen=True, slots=True)
class Rule:
    name: str          # callback name: the alias, or the rule name
    size: int          # number of symbols on the right-hand side
    lhs: str
    inline: bool       # a `?rule` alternative with one child and no alias: pass it through


@dataclass(frozen=True, slots=True)
class Table:
    """`actions[state][terminal]` is `state' >= 0` (shift) or `~rule` (reduce);
    `gotos[state][nonterminal]` is the state after a reduction."""
    actions: list[dict[str, int]]
    gotos: list[dict[str, int]]
    rules: list[Rule]
    start: int
    end: int


def grammar_text() -> str:
    return resources.files("nixlite.grammars").joinpath("nix.lark").read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def get_table() -> Table:
    """The table, from the pickle cache when it matches the grammar, else built."""
    text = grammar_text()
    path = _cache_path(text)
    table = _load(path) if path else None
    if table is None:
        table = build_table(text)
        if path:
            _store(path, table)
    return table


def _cache_path(text: str) -> str | None:
    # The pickle holds plain data derived from the grammar alone, so the
    # grammar text (and our layout version) is the whole cache key.
    key = hashlib.sha256(f"{_FORMAT}\0{text}".encode()).hexdigest()[:16]
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "nixlite", f"nix-lalr-{key}.pickle")


def _load(path: str) -> Table | None:
    try:
        with open(path, "rb") as f:
            table = pickle.load(f)
        return table if isinstance(table, Table) else None
    except Exception:  # noqa: BLE001 - a broken cache is rebuilt, never fatal
        return None


def _store(path: str, table: Table) -> None:
    """Write atomically (rename), so concurrent processes never read half a file."""
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path))
        with os.fdopen(fd, "wb") as f:
            pickle.dump(table, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:
        pass  # read-only home: build the table in every process instead


def build_table(text: str) -> Table:
    """Run Lark's LALR analysis on the grammar and flatten the result.

    Lark resolves the grammar's shift/reduce conflicts (the `bang` operands,
    see the grammar's header) as shifts, as bison's precedences would."""
    from lark import Lark
    from lark.lexer import Lexer
    from lark.parsers.lalr_analysis import IntParseTable

    class _NoLexer(Lexer):  # tokens come from nixlite.syntax.lexer
        def __init__(self, conf):
            pass

        def lex(self, data):
            return iter(())

    lark = Lark(text, parser="lalr", lexer=_NoLexer, start="start")
    parse_table = lark.parser.parser.parser.parse_table
    if not isinstance(parse_table, IntParseTable):
        parse_table = IntParseTable.from_ParseTable(parse_table)
    return _flatten(parse_table)


def _flatten(parse_table) -> Table:
    from lark.parsers.lalr_analysis import Shift
    rules: dict[object, int] = {}
    actions: list[dict[str, int]] = [{} for _ in parse_table.states]
    gotos: list[dict[str, int]] = [{} for _ in parse_table.states]
    for state, row in parse_table.states.items():
        for symbol, (action, arg) in row.items():
            if action is Shift:
                (actions if symbol.isupper() else gotos)[state][str(symbol)] = arg
            else:
                actions[state][str(symbol)] = ~rules.setdefault(arg, len(rules))
    return Table(actions, gotos, [_rule(r) for r in rules], parse_table.start_states["start"],
                 parse_table.end_states["start"])


def _rule(rule) -> Rule:
    size = len(rule.expansion)
    inline = bool(rule.options.expand1) and rule.alias is None and size == 1
    # str(): Lark's names may be its own str subclasses, which would make
    # unpickling import Lark.
    return Rule(str(rule.alias or rule.origin.name), size, str(rule.origin.name), inline)
