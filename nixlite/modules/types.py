"""Option types: how definitions are checked and merged.

Each `OptionType` has nixpkgs' `name` and `description` (the description is
what type errors print, e.g. "signed integer"), a `check` of one forced
value, and a `merge(loc, defs)` of the final definitions (properties already
removed, values forced and checked).  The semantics follow the 2020 nixpkgs
`lib/types.nix`: `str`/`int`/`bool`/`path` need all definitions equal,
`lines` joins with newlines, `listOf` concatenates (elements are merged one
by one, so a bad element is reported as `[definition N-entry M]`), `attrsOf`
merges per attribute, `submodule` evaluates a nested module system
(`nixlite.modules.eval_modules`) with `name` bound to the attribute name.

Types reach Nix code as attribute sets with `_type = "option-type"` (see
`nixlite.modules.lib`); `from_nix` maps such a set back to the Python type,
or wraps a user-made `mkOptionType` whose check/merge are Nix functions.
"""
from __future__ import annotations

import json
import re
from typing import Any, Callable

from ..errors import OptionError
from ..eval.values import Attrs, Lambda, NixList, NixPath, PrimOp, Lazy, force
from .properties import Def, final_definitions


# --- NixOS's way of naming options and files -----------------------------------

def show_option(loc: tuple[str, ...] | list[str]) -> str:
    """nixpkgs' showOption: parts joined by dots, a part quoted as a Nix
    string only when it holds characters a Nix string must escape."""
    return ".".join(_show_part(p) for p in loc)


def _show_part(part: str) -> str:
    escaped = json.dumps(part, ensure_ascii=False).replace("$", "\\$")
    return part if escaped == f'"{part}"' else escaped


def show_files(defs: list[Def]) -> str:
    return " and ".join(f"`{d.file}'" for d in defs)


def type_error(loc, d: Def, t: "OptionType") -> OptionError:
    msg = f"The option value `{show_option(loc)}' in `{d.file}' is not of type `{t.description}'."
    return OptionError(msg, d.span, option_path=show_option(loc))


# --- merge helpers (nixpkgs' mergeEqualOption and friends) --------------------

def merge_equal(loc, defs: list[Def]) -> Any:
    from ..eval.ops import equal
    first = defs[0].value
    for d in defs[1:]:
        if not equal(d.value, first):
            msg = f"The option `{show_option(loc)}' has conflicting definitions, in {show_files(defs)}."
            raise OptionError(msg, d.span, option_path=show_option(loc))
    return first


def merge_one(loc, defs: list[Def]) -> Any:
    if len(defs) != 1:
        msg = f"The unique option `{show_option(loc)}' is defined multiple times, in {show_files(defs)}."
        raise OptionError(msg, defs[1].span, option_path=show_option(loc))
    return defs[0].value


class Merged:
    """The definitions of one option location, merged lazily: nixpkgs'
    `mergeDefinitions` (with `isDefined`, `defsFinal`, `mergedValue`)."""

    __slots__ = ("loc", "type", "raw", "_final", "prio")

    def __init__(self, loc: tuple[str, ...], type_: "OptionType", raw: list[Def]):
        self.loc, self.type, self.raw = loc, type_, raw
        self._final: list[Def] | None = None
        self.prio = 9999

    def final(self) -> list[Def]:
        if self._final is None:
            self._final, self.prio = final_definitions(self.raw)
        return self._final

    def is_defined(self) -> bool:
        return bool(self.final())

    def value(self) -> Any:
        defs = self.final()
        if not defs:
            msg = f"The option `{show_option(self.loc)}' is used but not defined."
            raise OptionError(msg, None, option_path=show_option(self.loc))
        t = self.type
        for d in defs:
            v = d.value = force(d.value)
            if not t.check(v):
                raise type_error(self.loc, d, t)
        return t.merge(self.loc, defs)


# --- the types --------------------------------------------------------------------

class OptionType:
    name = "unspecified"
    description = "unspecified value"

    def check(self, v: Any) -> bool:
        return True

    def merge(self, loc, defs: list[Def]) -> Any:
        return merge_equal(loc, defs)

    def sub_modules(self) -> list | None:
        """The modules of a submodule type (for `nixlite options`)."""
        return None

    def type_merge(self, other: "OptionType") -> "OptionType | None":
        """Combine two declarations of one option (submodules extend)."""
        return self if other is self else None

    def __repr__(self) -> str:
        return f"<type {self.description}>"


class Simple(OptionType):
    def __init__(self, name: str, description: str, check: Callable[[Any], bool], merge=merge_equal):
        self.name, self.description = name, description
        self._check, self._merge = check, merge

    def check(self, v):
        return self._check(v)

    def merge(self, loc, defs):
        return self._merge(loc, defs)


def _is_str(v) -> bool:
    return isinstance(v, str)


def _is_int(v) -> bool:
    return v.__class__ is int


def _is_bool(v) -> bool:
    return v is True or v is False


def _to_string(v) -> str | None:
    from ..eval.ops import coerce_to_string
    try:
        return coerce_to_string(v, more=True, copy=False)
    except Exception:  # noqa: BLE001 - not coercible: simply not a path
        return None


def _is_path(v) -> bool:
    if isinstance(v, str):
        return v.startswith("/")
    if isinstance(v, NixPath):
        return True
    s = _to_string(v) if v.__class__ is Attrs else None
    return s is not None and s.startswith("/")


def _is_derivation(v) -> bool:
    return v.__class__ is Attrs and "type" in v.d and force(v.d["type"]) == "derivation"


def _is_package(v) -> bool:
    return _is_derivation(v) or (isinstance(v, str) and v.startswith("/nix/store/"))


def _is_function(v) -> bool:
    return isinstance(v, (Lambda, PrimOp)) or (v.__class__ is Attrs and "__functor" in v.d)


def _merge_concat(sep: str):
    def merge(loc, defs):
        from ..eval.values import make_string, string_context
        ctx = frozenset().union(*(string_context(d.value) for d in defs))
        return make_string(sep.join(d.value for d in defs), ctx or None)
    return merge


def _merge_attrs(loc, defs):
    out: dict = {}
    pos: dict = {}
    for d in defs:
        out.update(d.value.d)
        if d.value.pos:
            pos.update(d.value.pos)
    return Attrs(out, pos or None)


def _merge_default(loc, defs):
    """nixpkgs' mergeDefaultOption (for `unspecified`)."""
    vals = [d.value for d in defs]
    if len(vals) == 1:
        return vals[0]
    if all(v.__class__ is NixList for v in vals):
        return NixList(x for v in vals for x in v)
    if all(v.__class__ is Attrs for v in vals):
        return _merge_attrs(loc, defs)
    if all(_is_bool(v) for v in vals):
        return any(vals)
    if all(isinstance(v, str) for v in vals):
        return _merge_concat("")(loc, defs)
    if all(_is_int(v) for v in vals) and all(v == vals[0] for v in vals):
        return vals[0]
    raise OptionError(f"Cannot merge definitions of `{show_option(loc)}' given in {show_files(defs)}.",
                      defs[-1].span, option_path=show_option(loc))


STR = Simple("str", "string", _is_str)
STRING = Simple("string", "string", _is_str, _merge_concat(""))
LINES = Simple("lines", 'strings concatenated with "\\n"', _is_str, _merge_concat("\n"))
COMMAS = Simple("commas", 'strings concatenated with ","', _is_str, _merge_concat(","))
BOOL = Simple("bool", "boolean", _is_bool)
INT = Simple("int", "signed integer", _is_int)
FLOAT = Simple("float", "floating point number", lambda v: v.__class__ is float)
PATH = Simple("path", "path", _is_path)
PACKAGE = Simple("package", "package", _is_package, merge_one)
ATTRS = Simple("attrs", "attribute set", lambda v: v.__class__ is Attrs, _merge_attrs)
UNSPECIFIED = Simple("unspecified", "unspecified value", lambda v: True, _merge_default)
FUNCTION = Simple("functionTo", "function", _is_function, merge_one)


def separated_string(sep: str) -> OptionType:
    desc = "Concatenated string" if sep == "" else f"strings concatenated with {json.dumps(sep)}"
    return Simple("separatedString", desc, _is_str, _merge_concat(sep))


def int_between(lo: int, hi: int, name: str = "intBetween", description: str | None = None) -> OptionType:
    desc = description or f"integer between {lo} and {hi} (both inclusive)"
    return Simple(name, desc, lambda v: _is_int(v) and lo <= v <= hi)


PORT = int_between(0, 65535, "unsignedInt16", "16 bit unsigned integer; between 0 and 65535 (both inclusive)")
UNSIGNED = Simple("unsignedInt", "unsigned integer, meaning >=0", lambda v: _is_int(v) and v >= 0)
POSITIVE = Simple("positiveInt", "positive integer, meaning >0", lambda v: _is_int(v) and v > 0)


class Anything(OptionType):
    """`anything`: sets merge per attribute, lists concatenate, other values
    must be equal.  Also the type of options nixlite ignores."""
    name = "anything"
    description = "anything"

    def merge(self, loc, defs):
        vals = [d.value for d in defs]
        if all(v.__class__ is Attrs for v in vals):
            return AttrsOf(self).merge(loc, defs)
        if all(v.__class__ is NixList for v in vals):
            return NixList(x for v in vals for x in v)
        return merge_equal(loc, defs)


ANYTHING = Anything()


class Enum(OptionType):
    name = "enum"

    def __init__(self, values: list):
        self.values = values
        self.description = "one of " + ", ".join(_show_enum(v) for v in values)

    def check(self, v):
        from ..eval.ops import equal
        return any(equal(v, x) for x in self.values)


def _show_enum(v) -> str:
    if isinstance(v, str):
        return f'"{v}"'
    if _is_int(v):
        return str(v)
    from ..eval.values import type_name
    return f"<{type_name(v)}>"


class StrMatching(OptionType):
    def __init__(self, pattern: str):
        self.pattern = pattern
        self.name = f"strMatching {json.dumps(pattern)}"
        self.description = f"string matching the pattern {pattern}"
        self._re = _posix_regex(pattern)

    def check(self, v):
        return isinstance(v, str) and self._re.fullmatch(v) is not None


def _posix_regex(pattern: str) -> re.Pattern:
    """builtins.match uses POSIX extended regexes: translate the bracket classes."""
    classes = {"[:alpha:]": "a-zA-Z", "[:digit:]": "0-9", "[:alnum:]": "a-zA-Z0-9",
               "[:space:]": r"\s", "[:upper:]": "A-Z", "[:lower:]": "a-z",
               "[:xdigit:]": "0-9A-Fa-f", "[:punct:]": r"!-/:-@\[-`{-~"}
    for k, v in classes.items():
        pattern = pattern.replace(k, v)
    return re.compile(pattern, re.DOTALL)


class NullOr(OptionType):
    name = "nullOr"

    def __init__(self, elem: OptionType):
        self.elem = elem
        self.description = f"null or {elem.description}"

    def check(self, v):
        return v is None or self.elem.check(v)

    def merge(self, loc, defs):
        nulls = sum(1 for d in defs if d.value is None)
        if nulls == len(defs):
            return None
        if nulls == 0:
            return self.elem.merge(loc, defs)
        msg = f"The option `{show_option(loc)}' is defined both null and not null, in {show_files(defs)}."
        raise OptionError(msg, defs[0].span, option_path=show_option(loc))

    def sub_modules(self):
        return self.elem.sub_modules()

    def type_merge(self, other):
        if isinstance(other, NullOr):
            m = self.elem.type_merge(other.elem)
            return None if m is None else NullOr(m)
        return None


class Either(OptionType):
    name = "either"

    def __init__(self, left: OptionType, right: OptionType):
        self.left, self.right = left, right
        self.description = f"{left.description} or {right.description}"

    def check(self, v):
        return self.left.check(v) or self.right.check(v)

    def merge(self, loc, defs):
        if all(self.left.check(d.value) for d in defs):
            return self.left.merge(loc, defs)
        if all(self.right.check(d.value) for d in defs):
            return self.right.merge(loc, defs)
        return merge_one(loc, defs)


def one_of(ts: list[OptionType]) -> OptionType:
    if not ts:
        raise OptionError("types.oneOf needs at least one type")
    out = ts[0]
    for t in ts[1:]:
        out = Either(out, t)
    return out


class ListOf(OptionType):
    name = "listOf"

    def __init__(self, elem: OptionType):
        self.elem = elem
        self.description = f"list of {elem.description}s"

    def check(self, v):
        return v.__class__ is NixList

    def merge(self, loc, defs):
        out = []
        for n, d in enumerate(defs, 1):
            for m, x in enumerate(d.value, 1):
                sub = Merged((*loc, f"[definition {n}-entry {m}]"), self.elem, [Def(d.file, x, d.span)])
                if sub.is_defined():
                    out.append(Lazy(sub.value))
        return NixList(out)

    def sub_modules(self):
        return self.elem.sub_modules()

    def type_merge(self, other):
        if type(other) is type(self):
            m = self.elem.type_merge(other.elem)
            return None if m is None else type(self)(m)
        return None


class AttrsOf(ListOf):
    name = "attrsOf"

    def __init__(self, elem: OptionType):
        self.elem = elem
        self.description = f"attribute set of {elem.description}s"

    def check(self, v):
        return v.__class__ is Attrs

    def merge(self, loc, defs):
        by_name: dict[str, list[Def]] = {}
        for d in defs:
            pos = d.value.pos
            for n, x in d.value.d.items():
                span = pos.get(n, d.span) if pos else d.span
                by_name.setdefault(n, []).append(Def(d.file, x, span))
        out = {}
        for n in sorted(by_name):
            sub = Merged((*loc, n), self.elem, by_name[n])
            if sub.is_defined():
                out[n] = Lazy(sub.value)
        return Attrs(out)


class LoaOf(AttrsOf):
    """`loaOf`: like attrsOf, but a list definition is turned into a set
    keyed by an identifying attribute of its elements (deprecated in 2020:
    NixOS traces a warning, which `warn` receives)."""
    name = "loaOf"
    #: (option location pattern, attribute naming an element); "*" matches any part
    NAME_ATTRS = ((("environment", "etc"), "target"), (("containers", "*", "bindMounts"), "mountPoint"),
                  (("security", "acme", "certs"), "name"), (("users", "users"), "name"),
                  (("users", "groups"), "name"))
    warn: Callable[[str], None] | None = None

    def __init__(self, elem: OptionType):
        self.elem = elem
        self.description = f"list or attribute set of {elem.description}s"

    def check(self, v):
        return v.__class__ is NixList or v.__class__ is Attrs

    def merge(self, loc, defs):
        from .loaof import convert_lists
        return AttrsOf.merge(self, loc, convert_lists(loc, defs, self.NAME_ATTRS))


class Submodule(OptionType):
    """`submodule`: each value is evaluated as a module system of its own;
    `modules` are the declaring modules (Python `PyModule`s or Nix values)."""
    name = "submodule"
    description = "submodule"

    def __init__(self, modules: list, special_args: dict | None = None):
        self.modules = modules
        self.special_args = special_args or {}

    def check(self, v):
        return v.__class__ is Attrs or _is_function(v) or _is_path(v)

    def merge(self, loc, defs):
        from .eval_modules import eval_submodule
        return eval_submodule(self, loc, defs)

    def sub_modules(self):
        return self.modules

    def type_merge(self, other):
        if isinstance(other, Submodule):
            return Submodule(self.modules + other.modules, {**self.special_args, **other.special_args})
        return None


class Opaque(OptionType):
    """A value nixlite keeps but never evaluates (a container's inner NixOS
    `config`): forcing the merged value is an UnsupportedError."""

    def __init__(self, name: str, why: str):
        self.name = self.description = name
        self.why = why

    def merge(self, loc, defs):
        from ..errors import UnsupportedError
        why = self.why

        def fail():
            raise UnsupportedError(f"{why} (option `{show_option(loc)}')", defs[0].span)
        return Lazy(fail)
