"""`types.loaOf` given a list: the deprecated list form becomes a set.

In 2020 nixpkgs, a list assigned to a `loaOf` option is converted to an
attribute set whose names come from an identifying attribute of each element
(for `containers.<name>.bindMounts` that is `mountPoint`; elements lacking it
get `unnamed-<def>.<entry>`), and a deprecation warning naming the file and
the option is traced.  The warning text below reproduces what NixOS prints,
so users recognise it; the code is ours.
"""
from __future__ import annotations

from ..eval.values import Attrs, NixList, force
from .properties import Def


def convert_lists(loc, defs: list[Def], name_attrs) -> list[Def]:
    width = len(str(len(defs)))
    return [_convert(loc, d, f"unnamed-{str(i).zfill(width)}.", name_attrs) if d.value.__class__ is NixList else d
            for i, d in enumerate(defs, 1)]


def _name_attr(loc, name_attrs) -> str:
    for pattern, attr in name_attrs:
        if all(p == "*" or p == part for part, p in zip(loc, pattern)):
            return attr
    return "name"


def _convert(loc, d: Def, prefix: str, name_attrs) -> Def:
    attr = _name_attr(loc, name_attrs)
    elems = list(d.value)
    width = len(str(len(elems)))
    out, order = {}, []
    for i, x in enumerate(elems, 1):
        unnamed = prefix + str(i).zfill(width)
        name = _element_name(force(x), attr, unnamed)
        out[name] = x
        order.append((x, name))
    _warn(loc, d, attr, order)
    return Def(d.file, Attrs(out), d.span)


def _element_name(x, attr: str, unnamed: str) -> str:
    if x.__class__ is not Attrs or attr not in x.d:
        return unnamed
    v = force(x.d[attr])
    if v.__class__ is NixList:
        return force(v[0]) if v else unnamed
    return v


def _warn(loc, d: Def, attr: str, order) -> None:
    from .eval_modules import warn
    option = ".".join(loc)
    sample = order[:3]
    more = "; ..." if len(order) > 3 else ""
    as_set = "".join(f"{name} = {{...}}; " for _, name in sample)
    # element form as NixOS 2020 printed it: `{ name = "root"; ...}`
    as_list = " ".join(f"{{ {attr} = {_nix_string(name)}; ...}}" for _, name in sample)
    warn(f"In file {d.file}\n"
         f"a list is being assigned to the option config.{option}.\n"
         "This will soon be an error as type loaOf is deprecated.\n"
         "See https://github.com/NixOS/nixpkgs/pull/63103 for more information.\n"
         "Do\n"
         f"  {option} =\n"
         f"    {{ {as_set}{more}}}\n"
         "instead of\n"
         f"  {option} =\n"
         f"    [ {as_list}{more} ]\n")


def _nix_string(s: str) -> str:
    import json
    return json.dumps(s, ensure_ascii=False).replace("$", "\\$")
