"""`builtins.toXML` (Nix manual: toXML): the XML rendering Nix 2.8 produces.

Layout facts mirrored: an `<?xml version='1.0' encoding='utf-8'?>` line,
then `<expr>` with children indented two spaces per level; scalars are empty
elements `<int value="1" />`; sets are `<attrs>` of `<attr name="...">`
sorted by name; a derivation is `<derivation drvPath=".." outPath="..">`
(`<repeated />` the second time the same drvPath shows up); a lambda is
`<function>` with `<varpat name=".." />` or `<attrspat>`; builtins and
unevaluated values are `<unevaluated />`.  Attribute values escape `"`, `<`,
`>`, `&` and newlines; attributes of an element are sorted by name."""
from __future__ import annotations

from ..eval.interp import Closure
from ..eval.printer import format_float
from ..eval.values import Attrs, NixList, NixPath, force, make_string, string_context
from . import builtin


def _esc(s: str) -> str:
    return (s.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
            .replace(">", "&gt;").replace("\n", "&#xA;"))


class _Writer:
    def __init__(self):
        self.out = ["<?xml version='1.0' encoding='utf-8'?>\n"]
        self.depth = 0
        self.context: set[str] = set()
        self.drvs_seen: set[str] = set()

    def _tag(self, tag: str, attrs: dict[str, str]) -> str:
        return tag + "".join(f' {k}="{_esc(v)}"' for k, v in sorted(attrs.items()))

    def empty(self, tag: str, **attrs: str) -> None:
        self.out.append("  " * self.depth + f"<{self._tag(tag, attrs)} />\n")

    def open(self, tag: str, **attrs: str) -> None:
        self.out.append("  " * self.depth + f"<{self._tag(tag, attrs)}>\n")
        self.depth += 1

    def close(self, tag: str) -> None:
        self.depth -= 1
        self.out.append("  " * self.depth + f"</{tag}>\n")


def _value(w: _Writer, v) -> None:
    v = force(v)
    cls = v.__class__
    if v is True or v is False:
        w.empty("bool", value="true" if v else "false")
    elif v is None:
        w.empty("null")
    elif cls is int:
        w.empty("int", value=str(v))
    elif cls is float:
        w.empty("float", value=format_float(v))
    elif isinstance(v, str):
        w.context |= string_context(v)
        w.empty("string", value=str(v))
    elif cls is NixPath:
        w.empty("path", value=v.path)
    elif cls is NixList:
        _list(w, v)
    elif cls is Attrs:
        _attrs(w, v)
    elif isinstance(v, Closure):
        _function(w, v)
    else:
        w.empty("unevaluated")


def _list(w: _Writer, v: NixList) -> None:
    w.open("list")
    for x in v:
        _value(w, x)
    w.close("list")


def _show_attrs(w: _Writer, v: Attrs) -> None:
    for name in sorted(v.d):
        w.open("attr", name=name)
        _value(w, v.d[name])
        w.close("attr")


def _attrs(w: _Writer, v: Attrs) -> None:
    t = v.d.get("type")
    if t is None or force(t) != "derivation":
        w.open("attrs")
        _show_attrs(w, v)
        w.close("attrs")
        return
    attrs = {}
    for key in ("drvPath", "outPath"):
        x = force(v.d[key]) if key in v.d else None
        if isinstance(x, str):
            attrs[key] = str(x)
    w.open("derivation", **attrs)
    drv = attrs.get("drvPath", "")
    if drv and drv not in w.drvs_seen:
        w.drvs_seen.add(drv)
        _show_attrs(w, v)
    else:
        w.empty("repeated")
    w.close("derivation")


def _function(w: _Writer, f: Closure) -> None:
    node = f.node
    w.open("function")
    if node.formals is None:
        w.empty("varpat", name=node.param)
    else:
        attrs = {"name": node.param} if node.param else {}
        if node.formals.ellipsis:
            attrs["ellipsis"] = "1"
        w.open("attrspat", **attrs)
        for name in sorted(x.name for x in node.formals.entries):
            w.empty("attr", name=name)
        w.close("attrspat")
    w.close("function")


@builtin("toXML")
def builtin_to_xml(v):
    w = _Writer()
    w.open("expr")
    _value(w, v)
    w.close("expr")
    return make_string("".join(w.out), frozenset(w.context))
