"""Definition properties: mkIf, mkMerge, mkOverride and mkOrder.

A definition of an option is a `Def` (file, value, span).  Its value may be
wrapped in property sets, encoded exactly as nixpkgs encodes them so user
code inspecting `_type` keeps working:

* `{ _type = "if"; condition; content; }`      mkIf
* `{ _type = "merge"; contents; }`             mkMerge
* `{ _type = "override"; priority; content; }` mkOverride / mkDefault / mkForce
* `{ _type = "order"; priority; content; }`    mkOrder / mkBefore / mkAfter

They are removed in the order nixpkgs' `mergeDefinitions` removes them:
`discharge` expands merges and drops false mkIf's (forcing the condition only
here, which keeps `mkIf config.x ...` lazy), `filter_overrides` keeps only
the definitions with the lowest priority number, and `sort_orders` sorts by
mkOrder priority (stable; plain definitions are 1000).  `push_down` moves
properties of an attribute set into its attributes, as nixpkgs does for every
level of the option tree above the options themselves.
"""
from __future__ import annotations

from typing import Any

from ..errors import OptionError
from ..eval.values import Attrs, NixList, force
from ..source import Span

DEFAULT_PRIORITY = 100      # a plain definition
MKDEFAULT_PRIORITY = 1000   # mkDefault
MKFORCE_PRIORITY = 50       # mkForce
OPTION_DEFAULT_PRIORITY = 1500  # mkOptionDefault: an option's `default`
DEFAULT_ORDER = 1000        # mkOrder of a plain definition
BEFORE_ORDER = 500          # mkBefore
AFTER_ORDER = 1500          # mkAfter


class Def:
    """One definition: where it comes from and its (possibly lazy) value.

    `prio` is preset only for an option's default (mkOptionDefault) so that
    defaults need no wrapper set and are never forced unless they win."""

    __slots__ = ("file", "value", "span", "prio")

    def __init__(self, file: str, value: Any, span: Span | None = None, prio: int | None = None):
        self.file = file
        self.value = value
        self.span = span
        self.prio = prio

    def __repr__(self) -> str:
        return f"Def({self.file!r}, {self.value!r})"


# --- constructors (also exposed to Nix through lib) -------------------------

def mk_if(condition: Any, content: Any) -> Attrs:
    return Attrs({"_type": "if", "condition": condition, "content": content})


def mk_merge(contents: Any) -> Attrs:
    return Attrs({"_type": "merge", "contents": contents})


def mk_override(priority: Any, content: Any) -> Attrs:
    return Attrs({"_type": "override", "priority": priority, "content": content})


def mk_order(priority: Any, content: Any) -> Attrs:
    return Attrs({"_type": "order", "priority": priority, "content": content})


def type_tag(v: Any) -> str:
    """`v._type or ""` of a forced value."""
    if v.__class__ is not Attrs:
        return ""
    t = v.d.get("_type")
    if t is None:
        return ""
    t = force(t)
    return t if isinstance(t, str) else ""


# --- discharge, overrides, orders ---------------------------------------------

def discharge(d: Def, out: list[Def]) -> None:
    """Append to `out` the definitions left after expanding mkMerge and mkIf."""
    if d.prio is not None:          # an option default: never discharged
        out.append(d)
        return
    v = force(d.value)
    tag = type_tag(v)
    if tag == "merge":
        for c in force(v.d["contents"]):
            discharge(Def(d.file, c, d.span), out)
    elif tag == "if":
        cond = force(v.d["condition"])
        if cond is not True and cond is not False:
            raise OptionError("‘mkIf’ called with a non-Boolean condition", d.span)
        if cond:
            discharge(Def(d.file, v.d["content"], d.span), out)
    else:
        d.value = v
        out.append(d)


def _priority(d: Def) -> int:
    if d.prio is not None:
        return d.prio
    v = d.value
    if v.__class__ is Attrs and type_tag(v) == "override":
        return force(v.d["priority"])
    return DEFAULT_PRIORITY


def filter_overrides(defs: list[Def]) -> tuple[list[Def], int]:
    """The definitions of the winning (lowest) priority, override wrappers
    stripped (their content is *not* discharged again, as in nixpkgs)."""
    prios = [_priority(d) for d in defs]
    best = min(prios, default=9999)
    if best == DEFAULT_PRIORITY and prios.count(best) == 1:  # fast path: one plain winner
        d = defs[prios.index(best)]
        if d.value.__class__ is not Attrs or type_tag(d.value) != "override":
            return [d], best
    kept = []
    for d, p in zip(defs, prios):
        if p != best:
            continue
        if d.prio is not None:
            kept.append(Def(d.file, d.value, d.span))
        elif p != DEFAULT_PRIORITY or type_tag(d.value) == "override":
            kept.append(Def(d.file, d.value.d["content"], d.span))
        else:
            kept.append(d)
    return kept, best


def sort_orders(defs: list[Def]) -> list[Def]:
    """Sort by mkOrder priority when any definition carries one."""
    keyed = []
    any_order = False
    for d in defs:
        v = force(d.value)
        if type_tag(v) == "order":
            any_order = True
            keyed.append((force(v.d["priority"]), Def(d.file, v.d["content"], d.span)))
        else:
            keyed.append((DEFAULT_ORDER, d))
    if not any_order:
        return defs
    keyed.sort(key=lambda kd: kd[0])
    return [d for _, d in keyed]


def final_definitions(defs: list[Def]) -> tuple[list[Def], int]:
    """discharge → filter_overrides → sort_orders, as nixpkgs' mergeDefinitions."""
    out: list[Def] = []
    for d in defs:
        discharge(d, out)
    single = _single_plain(out)
    if single is not None:  # what the two steps below give, without their passes
        return [single], DEFAULT_PRIORITY
    kept, prio = filter_overrides(out)
    return sort_orders(kept), prio


def _single_plain(defs: list[Def]) -> Def | None:
    """The common case of an option set once: the one discharged definition
    that carries no mkOverride/mkOrder wrapper, when all the others are the
    option's default (priority 1500, so it loses and is not even forced)."""
    found = None
    for d in defs:
        if d.prio is None:
            if found is not None or type_tag(d.value):
                return None
            found = d
    return found


# --- pushing properties down one level ------------------------------------------

def push_down(value: Any, where: tuple[str, ...], span: Span | None) -> list[Attrs]:
    """The attribute sets a configuration value stands for, with mkIf,
    mkMerge and mkOverride moved onto each attribute."""
    v = force(value)
    tag = type_tag(v)
    if tag == "merge":
        return [a for c in force(v.d["contents"]) for a in push_down(c, where, span)]
    if tag == "if":
        cond = v.d["condition"]
        return [_wrap_each(a, lambda x: mk_if(cond, x)) for a in push_down(v.d["content"], where, span)]
    if tag == "override":
        prio = v.d["priority"]
        return [_wrap_each(a, lambda x: mk_override(prio, x)) for a in push_down(v.d["content"], where, span)]
    if v.__class__ is not Attrs:
        from ..eval.ops import show_type
        from .types import show_option
        loc = show_option(where)
        msg = f"value is {show_type(v)} while a set was expected"
        raise OptionError(msg + (f" (definition of `{loc}')" if loc else ""), span, option_path=loc)
    return [v]


def _wrap_each(a: Attrs, wrap) -> Attrs:
    return Attrs({n: wrap(x) for n, x in a.d.items()}, a.pos)


def is_list(v: Any) -> bool:
    return v.__class__ is NixList
