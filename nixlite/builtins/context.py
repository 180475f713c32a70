"""String-context builtins (Nix manual: appendContext, getContext,
hasContext, unsafeDiscardOutputDependency, unsafeDiscardStringContext).

Context elements use Nix's own encoding: `/nix/store/x` (a plain path),
`=/nix/store/x.drv` (a derivation and its closure), `!out!/nix/store/x.drv`
(one output of a derivation)."""
from __future__ import annotations

from ..errors import EvalError
from ..eval import ops
from ..eval.values import Attrs, NixList, force, make_string, string_context
from . import builtin


@builtin("hasContext")
def builtin_has_context(s):
    return bool(string_context(ops.expect_str(s)))


@builtin("unsafeDiscardStringContext")
def builtin_unsafe_discard_string_context(s):
    return str(ops.coerce_to_string(s))


@builtin("unsafeDiscardOutputDependency")
def builtin_unsafe_discard_output_dependency(s):
    s = ops.coerce_to_string(s)
    ctx = frozenset(c[1:] if c.startswith("=") else c for c in string_context(s))
    return make_string(str(s), ctx)


def _parse(c: str) -> tuple[str, str, str | None]:
    """(path, kind, output) of one context element."""
    if c.startswith("="):
        return c[1:], "all", None
    if c.startswith("!"):
        out, _, path = c[1:].partition("!")
        return path, "output", out
    return c, "path", None


@builtin("getContext")
def builtin_get_context(s):
    info: dict[str, dict] = {}
    for c in sorted(string_context(ops.expect_str(s))):
        path, kind, out = _parse(c)
        entry = info.setdefault(path, {})
        if kind == "path":
            entry["path"] = True
        elif kind == "all":
            entry["allOutputs"] = True
        else:
            entry.setdefault("outputs", []).append(out)
    return Attrs({p: Attrs({k: NixList(v) if isinstance(v, list) else v for k, v in e.items()})
                  for p, e in info.items()})


@builtin("appendContext")
def builtin_append_context(s, ctx):
    s = ops.expect_str(s)
    new = set(string_context(s))
    for path, spec in ops.expect_attrs(ctx).d.items():
        if not path.startswith("/nix/store/"):
            raise EvalError(f"context key '{path}' is not a store path")
        d = ops.expect_attrs(force(spec)).d
        if "path" in d and ops.expect_bool(force(d["path"])):
            new.add(path)
        if "allOutputs" in d and ops.expect_bool(force(d["allOutputs"])):
            new.add("=" + path)
        for out in ops.expect_list(force(d["outputs"])) if "outputs" in d else ():
            new.add(f"!{ops.expect_str(force(out))}!{path}")
    return make_string(str(s), frozenset(new))
