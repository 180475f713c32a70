"""Attribute bindings: merging attribute paths as Nix's parser does.

Nix 2.8 (`addAttr` in its parser) builds a set binding by binding, so the
same rules and the same errors apply here, in source order:

* `a.b.c = v;` creates (non-recursive) nested sets for `a` and `b`, or
  descends into an existing entry whose value is a literal set (`a = { };`
  or an earlier `a.x = ...;`, even a `rec { }`);
* defining an existing name again is an error, unless both the old and the
  new value are literal sets: then the new set's *static* attributes are
  added to the old one (its dynamic attributes and `rec` are dropped, as in
  2.8), each checked for duplicates;
* `inherit` never merges.

Error texts are Nix's: "attribute 'a.b' already defined at FILE:L:C".  The
builder is mutable; `freeze()` returns the frozen `Attrs` node.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import ParseError
from ..source import Span
from .ast import AttrDef, Attrs, DynamicAttr, Node


@dataclass
class _Entry:
    value: object          # a Node, or a nested _Set under construction
    span: Span
    inherited: bool = False


@dataclass
class _Set:
    rec: bool
    span: Span
    attrs: dict[str, _Entry] = field(default_factory=dict)
    dynamic: list[tuple[Node, object, Span]] = field(default_factory=list)

    @staticmethod
    def thaw(node: Attrs) -> "_Set":
        """A literal set that an attribute path now extends."""
        s = _Set(node.rec, node.span)
        s.attrs = {k: _Entry(d.value, d.span, d.inherited) for k, d in node.attrs.items()}
        s.dynamic = [(d.name, d.value, d.span) for d in node.dynamic]
        return s

    def children(self) -> list["_Set"]:
        sets = [e.value for e in self.attrs.values() if isinstance(e.value, _Set)]
        return sets + [v for _, v, _ in self.dynamic if isinstance(v, _Set)]

    def freeze(self) -> Attrs:
        """The frozen node, built bottom-up without recursion (a path
        `a.a.a...` may be thousands of sets deep)."""
        order, todo = [], [self]
        while todo:
            s = todo.pop()
            order.append(s)
            todo.extend(s.children())
        done: dict[int, Attrs] = {}
        for s in reversed(order):
            done[id(s)] = s._freeze_one(done)
        return done[id(self)]

    def _freeze_one(self, done: dict[int, Attrs]) -> Attrs:
        def value(v):
            return done[id(v)] if isinstance(v, _Set) else v
        attrs = {k: AttrDef(value(e.value), e.span, e.inherited) for k, e in self.attrs.items()}
        dynamic = tuple(DynamicAttr(n, value(v), sp) for n, v, sp in self.dynamic)
        return Attrs(self.span, self.rec, attrs, dynamic)


def show_pos(span: Span) -> str:
    """A position as Nix 2.8 prints it inside messages ("(string)" for -E text)."""
    file = "(string)" if span.file == "«string»" else span.file
    return f"{file}:{span.line}:{span.col}"


def dup_error(name: str, span: Span, previous: Span) -> ParseError:
    return ParseError(f"attribute '{name}' already defined at {show_pos(previous)}", span)


class Binds:
    """The bindings of one set, `let` or `rec` under construction."""

    def __init__(self, span: Span):
        self.root = _Set(False, span)

    def add(self, path: list[tuple[object, Span]], value: Node, span: Span) -> None:
        """`a.b.${c} = value;`: `path` holds (str | Node, span) pairs; `span` is the path's."""
        cur = self.root
        for name, _ in path[:-1]:
            cur = self._descend(cur, name, path, span)
        last = path[-1][0]
        if not isinstance(last, str):
            cur.dynamic.append((last, value, span))
            return
        old = cur.attrs.get(last)
        if old is None:
            cur.attrs[last] = _Entry(value, span)
        elif not old.inherited and isinstance(old.value, (Attrs, _Set)) and isinstance(value, Attrs):
            self._merge(cur, last, value)
        else:
            raise dup_error(_show_path(path), span, old.span)

    def _descend(self, cur: _Set, name, path, span: Span) -> _Set:
        if not isinstance(name, str):
            nested = _Set(False, span)
            cur.dynamic.append((name, nested, span))
            return nested
        old = cur.attrs.get(name)
        if old is None:
            old = cur.attrs[name] = _Entry(_Set(False, span), span)
        elif old.inherited or not isinstance(old.value, (Attrs, _Set)):
            raise dup_error(_show_path(path), span, old.span)
        elif isinstance(old.value, Attrs):
            old.value = _Set.thaw(old.value)
        return old.value

    @staticmethod
    def _merge(cur: _Set, name: str, value: Attrs) -> None:
        entry = cur.attrs[name]
        if isinstance(entry.value, Attrs):
            entry.value = _Set.thaw(entry.value)
        target: _Set = entry.value
        for key, d in value.attrs.items():
            if key in target.attrs:
                # Nix 2.8 reports this one the other way round: at the old
                # definition, naming the new one.
                raise dup_error(key, target.attrs[key].span, d.span)
            target.attrs[key] = _Entry(d.value, d.span, d.inherited)

    def inherit(self, names: list[tuple[str, Span]], source: Node | None) -> None:
        """`inherit a b;` or, with `source`, `inherit (source) a b;`."""
        from .ast import Select, Var
        for name, span in names:
            old = self.root.attrs.get(name)
            if old is not None:
                raise dup_error(name, span, old.span)
            if source is None:
                self.root.attrs[name] = _Entry(Var(span, name), span, True)
            else:
                self.root.attrs[name] = _Entry(Select(span, source, (name,)), span)

    def has_dynamic(self) -> bool:
        return bool(self.root.dynamic)

    def freeze(self, rec: bool, span: Span) -> Attrs:
        self.root.rec, self.root.span = rec, span
        return self.root.freeze()


def _show_path(path) -> str:
    return ".".join(n if isinstance(n, str) else '"${...}"' for n, _ in path)
