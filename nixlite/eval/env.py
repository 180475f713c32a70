"""Lexical environments, resolved statically.

Nix resolves every variable before evaluating (Nix 2.8 `bindVars`): a name
bound by a `let`, a `rec` set or a function parameter is found at a fixed
(depth, slot) position; a name found nowhere lexically but present in the base
environment (the globals: `builtins`, `map`, `true`, ...) is a constant; only
a name found nowhere at all is looked up at run time in the enclosing `with`
scopes, innermost first.  If there is no `with` either, the name is an
"undefined variable" error before evaluation starts.

At run time an environment is a Python list `[parent, slot1, slot2, ...]`
(a list is the cheapest mutable record in CPython).  A `with` scope is an
environment with one slot holding the (lazy) attribute set.
"""
from __future__ import annotations

from typing import Any


class Scope:
    """A compile-time scope: names -> slot index (None for a `with` scope)."""

    __slots__ = ("names", "parent")

    def __init__(self, names: dict[str, int] | None, parent: "Scope | None"):
        self.names = names
        self.parent = parent

    @classmethod
    def of(cls, names: list[str], parent: "Scope | None") -> "Scope":
        return cls({n: i for i, n in enumerate(names, 1)}, parent)

    @property
    def is_with(self) -> bool:
        return self.names is None


#: What `resolve` found: ("local", depth, slot), ("global", value) or ("with", depths).
Resolution = tuple


def resolve(scope: Scope | None, name: str, globals_: dict[str, Any]) -> Resolution | None:
    """Find `name` the way Nix does: lexical scopes, then globals, then `with`s."""
    depth, withs, s = 0, [], scope
    while s is not None:
        if s.names is None:
            withs.append(depth)
        else:
            slot = s.names.get(name)
            if slot is not None:
                return ("local", depth, slot)
        depth += 1
        s = s.parent
    if name in globals_:
        return ("global", globals_[name])
    if withs:
        return ("with", tuple(withs))
    return None


def up(env: list, depth: int) -> list:
    """The environment `depth` levels above env."""
    for _ in range(depth):
        env = env[0]
    return env
