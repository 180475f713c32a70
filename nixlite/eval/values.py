"""Nix values as Python objects.

| Nix        | Python                                                        |
|------------|---------------------------------------------------------------|
| int        | `int` (wrapped to 64 bits by the arithmetic)                  |
| float      | `float`                                                       |
| bool       | `bool` (test for bool *before* int: bool subclasses int)      |
| null       | `None`                                                        |
| string     | `str`, or `ContextStr` (a str subclass) when it has context   |
| path       | `NixPath`                                                     |
| list       | `NixList` (a tuple subclass of values and thunks)             |
| attr set   | `Attrs` (dict name -> value or thunk, plus positions)         |
| function   | `Lambda` (closure over an AST node) or `PrimOp` (builtin)     |

Laziness: any list element, attribute value, let binding or argument may be
a `Thunk` instead of a value; `force(x)` turns either into a value (weak head
normal form).  A thunk has three states, after tvix: suspended (has a
computation), black hole (being forced: forcing it again is
`infinite recursion encountered`, reported at the span first forced), done
(holds its value).  Literals are never wrapped in thunks.
"""
from __future__ import annotations

from typing import Any, Callable

from ..errors import InfiniteRecursion
from ..source import Span

_BLACKHOLE = object()


class Thunk:
    """A suspended computation `compute()`, memoised.

    Subclasses (the interpreter's AST thunk) override `compute`.  `span` is
    used to report infinite recursion."""

    __slots__ = ("value", "span")

    def __init__(self, span: Span | None = None):
        self.value: Any = None
        self.span = span

    def compute(self) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def force(self) -> Any:
        v = self.value
        if v is None:
            self.value = _BLACKHOLE
            try:
                v = force(self.compute())
            except BaseException:
                self.value = None
                raise
            self.value = (v,)
            return v
        if v is _BLACKHOLE:
            raise InfiniteRecursion("infinite recursion encountered", self.span)
        return v[0]


class Lazy(Thunk):
    """A thunk over a Python callable (used by builtins: `map`'s elements...)."""

    __slots__ = ("fn", "args")

    def __init__(self, fn: Callable[..., Any], *args: Any, span: Span | None = None):
        super().__init__(span)
        self.fn = fn
        self.args = args

    def force(self) -> Any:
        # Thunk.force inlined: Lazy thunks are forced very often (builtins,
        # the module system), so save two Python calls per force.
        v = self.value
        if v is None:
            self.value = _BLACKHOLE
            try:
                v = self.fn(*self.args)
                while isinstance(v, Thunk):
                    v = v.force()
            except BaseException:
                self.value = None
                raise
            self.value = (v,)
            self.fn = self.args = None
            return v
        if v is _BLACKHOLE:
            raise InfiniteRecursion("infinite recursion encountered", self.span)
        return v[0]

    def compute(self) -> Any:
        v = self.fn(*self.args)
        # release references once computed (not before: a failed computation
        # is retried when the thunk is forced again, as in Nix)
        self.fn = self.args = None
        return v


def force(v: Any) -> Any:
    """The value of v, forcing it (and any thunk it yields) if it is a thunk."""
    while isinstance(v, Thunk):
        v = v.force()
    return v


class ContextStr(str):
    """A string with Nix string context (the store paths it depends on)."""

    __slots__ = ("context",)

    def __new__(cls, s: str, context: frozenset[str]):
        obj = super().__new__(cls, s)
        obj.context = context
        return obj


def string_context(s: str) -> frozenset[str]:
    return s.context if isinstance(s, ContextStr) else frozenset()


def make_string(s: str, context: frozenset[str] | None) -> str:
    return ContextStr(s, context) if context else str(s)


class NixPath:
    __slots__ = ("path",)

    def __init__(self, path: str):
        self.path = path

    def __eq__(self, other: object) -> bool:
        return isinstance(other, NixPath) and other.path == self.path

    def __hash__(self) -> int:
        return hash(("path", self.path))

    def __repr__(self) -> str:
        return f"NixPath({self.path!r})"


class NixList(tuple):
    """An immutable list of values and thunks."""

    __slots__ = ()


class Attrs:
    """An attribute set: `d` maps names to values or thunks; `pos` maps names
    to the span of their definition (for `unsafeGetAttrPos` and errors)."""

    __slots__ = ("d", "pos")

    def __init__(self, d: dict[str, Any] | None = None, pos: dict[str, Span] | None = None):
        self.d = d if d is not None else {}
        self.pos = pos

    def get(self, name: str, default: Any = None) -> Any:
        """The forced value of attribute `name`, or default."""
        v = self.d.get(name, _MISSING)
        return default if v is _MISSING else force(v)

    def __contains__(self, name: str) -> bool:
        return name in self.d

    def __len__(self) -> int:
        return len(self.d)

    def sorted_names(self) -> list[str]:
        """Names in Nix order (byte-wise, i.e. code point order)."""
        return sorted(self.d)

    def __repr__(self) -> str:
        return f"Attrs({sorted(self.d)})"


_MISSING = object()


class Lambda:
    """A closure: the `ast.Lambda` node and the environment it was created in."""

    __slots__ = ("node", "env")

    def __init__(self, node: Any, env: Any):
        self.node = node
        self.env = env


class PrimOp:
    """A builtin of `arity` arguments, possibly partially applied (`args`)."""

    __slots__ = ("name", "arity", "fn", "args")

    def __init__(self, name: str, arity: int, fn: Callable[..., Any], args: tuple = ()):
        self.name = name
        self.arity = arity
        self.fn = fn
        self.args = args


def type_name(v: Any) -> str:
    """Nix's name for a value's type, as `builtins.typeOf` returns it."""
    if v is True or v is False:
        return "bool"
    if v is None:
        return "null"
    cls = v.__class__
    if cls is int:
        return "int"
    if cls is float:
        return "float"
    if isinstance(v, str):
        return "string"
    if cls is NixPath:
        return "path"
    if cls is NixList:
        return "list"
    if cls is Attrs:
        return "set"
    if isinstance(v, (Lambda, PrimOp)):
        return "lambda"
    raise TypeError(f"not a Nix value: {v!r}")
