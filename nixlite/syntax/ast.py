"""The Nix abstract syntax tree.

Small frozen dataclasses, one per construct, each with a `span`.  The parser
(`nixlite.syntax.parse`) builds them and already performs the rewrites that
Nix itself performs while parsing, so the evaluator sees the same shapes
Nix's own `Expr*` classes have:

* attribute paths are merged into nested `Attrs` (`a.b = 1; a.c = 2;` is
  `a = { b = 1; c = 2; }`), and duplicates are parse errors;
* indented strings are de-indented; a string without interpolation is `Str`,
  one with interpolation is `ConcatStrings(force_string=True)`;
* paths are made absolute against the file's directory (`~/` against HOME);
  `<name>` becomes `SearchPath` (evaluated as Nix's `__findFile __nixPath`);
* `let ... in e` keeps its own node (`Let`); the legacy `let { body = e; }`
  is `Select(Attrs(rec=True), ("body",))`;
* `inherit x;` is an `AttrDef(Var("x"), inherited=True)` (looked up in the
  scope *around* a rec set or let); `inherit (e) x;` is
  `AttrDef(Select(e, ("x",)))` evaluated in the set's own scope like any
  other value (as Nix 2.8 does).

Attribute names in `Select`/`HasAttr` paths and in dynamic attributes are
either a `str` (static) or an expression node (dynamic, `${e}` or `"${e}"`).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Union

from ..source import Span


@dataclass(frozen=True, slots=True)
class Node:
    span: Span


# --- literals -----------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Int(Node):
    value: int


@dataclass(frozen=True, slots=True)
class Float(Node):
    value: float


@dataclass(frozen=True, slots=True)
class Str(Node):
    """A string literal without interpolation (escapes already decoded)."""
    value: str


@dataclass(frozen=True, slots=True)
class Path(Node):
    """An absolute path literal (resolved at parse time, as Nix does)."""
    value: str


@dataclass(frozen=True, slots=True)
class SearchPath(Node):
    """`<nixpkgs/lib>`: value is "nixpkgs/lib"."""
    value: str


@dataclass(frozen=True, slots=True)
class ConcatStrings(Node):
    """Interpolation: `"a${b}c"` (force_string=True) or `./a/${b}` whose first
    part is a `Path` (force_string=False: the result is a path)."""
    parts: tuple[Node, ...]
    force_string: bool


@dataclass(frozen=True, slots=True)
class CurPos(Node):
    """`__curPos`: evaluates to { file, line, column } of itself."""


# --- variables, sets, lists ---------------------------------------------------

@dataclass(frozen=True, slots=True)
class Var(Node):
    name: str


AttrName = Union[str, Node]


@dataclass(frozen=True, slots=True)
class Select(Node):
    """`e.a.b` or `e.a.b or default`."""
    expr: Node
    path: tuple[AttrName, ...]
    default: Node | None = None


@dataclass(frozen=True, slots=True)
class HasAttr(Node):
    """`e ? a.b`."""
    expr: Node
    path: tuple[AttrName, ...]


@dataclass(frozen=True, slots=True)
class AttrDef:
    """One static attribute definition; `span` is the span of its name."""
    value: Node
    span: Span
    inherited: bool = False


@dataclass(frozen=True, slots=True)
class DynamicAttr:
    """`${name} = value;` (also `"${name}" = value;`)."""
    name: Node
    value: Node
    span: Span


@dataclass(frozen=True, slots=True)
class Attrs(Node):
    rec: bool
    attrs: dict[str, AttrDef] = field(hash=False, compare=True)
    dynamic: tuple[DynamicAttr, ...] = ()


@dataclass(frozen=True, slots=True)
class List(Node):
    items: tuple[Node, ...]


# --- functions ----------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Formal:
    name: str
    default: Node | None
    span: Span


@dataclass(frozen=True, slots=True)
class Formals:
    entries: tuple[Formal, ...]
    ellipsis: bool


@dataclass(frozen=True, slots=True)
class Lambda(Node):
    """`x: body`, `{ a, b ? 1, ... }: body`, `x@{ ... }: body`.

    `param` is the plain or `@`-bound name (None if absent); `formals` is None
    for the plain `x: body` form."""
    param: str | None
    formals: Formals | None
    body: Node


@dataclass(frozen=True, slots=True)
class Call(Node):
    """Application `f a b` (args in order; the parser may fold a chain into one Call)."""
    fn: Node
    args: tuple[Node, ...]


# --- control ------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Let(Node):
    """`let <attrs> in body`; attrs is a recursive `Attrs` (no dynamic attrs)."""
    attrs: Attrs
    body: Node


@dataclass(frozen=True, slots=True)
class With(Node):
    env: Node
    body: Node


@dataclass(frozen=True, slots=True)
class If(Node):
    cond: Node
    then: Node
    else_: Node


@dataclass(frozen=True, slots=True)
class Assert(Node):
    cond: Node
    body: Node


# --- operators ----------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Not(Node):
    expr: Node


@dataclass(frozen=True, slots=True)
class Neg(Node):
    """Unary minus (Nix parses `-e` as `__sub 0 e`; we keep a node for speed)."""
    expr: Node


#: Binary operators, by their source spelling.
BINARY_OPS = ("==", "!=", "<", "<=", ">", ">=", "&&", "||", "->", "//", "++", "+", "-", "*", "/")


@dataclass(frozen=True, slots=True)
class BinOp(Node):
    op: str
    left: Node
    right: Node
