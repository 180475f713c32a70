"""Control builtins (Nix manual: abort, throw, addErrorContext, seq, deepSeq,
trace, tryEval).  `tryEval` catches only `throw` and failed assertions (Nix
2.8's AssertionError family), never `abort` or type errors."""
from __future__ import annotations

import sys

from ..errors import AbortError, CatchableError, ThrowError
from ..eval import ops
from ..eval.printer import force_deep, print_value
from ..eval.values import Attrs, force
from . import builtin


@builtin("throw", top_level=True)
def builtin_throw(msg):
    raise ThrowError(str(ops.coerce_to_string(msg)))


@builtin("abort", top_level=True)
def builtin_abort(msg):
    raise AbortError(f"evaluation aborted with the following error message: '{ops.coerce_to_string(msg)}'")


@builtin("addErrorContext", lazy={"ctx", "e"})
def builtin_add_error_context(ctx, e):
    return force(e)


@builtin("seq", lazy={"b"})
def builtin_seq(a, b):
    return force(b)


@builtin("deepSeq", lazy={"b"})
def builtin_deep_seq(a, b):
    force_deep(a)
    return force(b)


@builtin("trace", lazy={"e"})
def builtin_trace(msg, e):
    text = msg if isinstance(msg, str) else print_value(msg)
    sys.stderr.write(f"trace: {text}\n")
    return force(e)


@builtin("tryEval", lazy={"e"})
def builtin_try_eval(e):
    try:
        v = force(e)
    except CatchableError:
        return Attrs({"success": False, "value": False})
    return Attrs({"success": True, "value": v})
