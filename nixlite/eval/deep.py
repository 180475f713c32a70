"""Running evaluations on a big stack.

Nix programs recurse deeply (`foldl'` over long lists, recursive functions,
deeply nested data), and the interpreter recurses in Python for each level.
`run_deep` runs an evaluation in a thread with a 1 GiB stack (reserved, not
committed) and a recursion limit of 400 000 frames; a `RecursionError` then
becomes Nix's own "stack overflow (possible infinite recursion)" error, never
a Python traceback or a segfault.  Calls nest: inside such a thread,
`run_deep` just calls the function.
"""
from __future__ import annotations

import sys
import threading
from typing import Any, Callable

from ..errors import EvalError

STACK_SIZE = 1024 * 1024 * 1024
RECURSION_LIMIT = 400_000
_local_state = threading.local()


_deep_lock = threading.Lock()
_deep_active = [0, 0]  # [threads running, recursion limit to restore]


def run_deep(fn: Callable, *args: Any, **kwargs: Any) -> Any:
    """Run fn in a thread with a large stack (unless already in one).

    Every public entry point uses it; callers that drive `call`/`force`
    themselves over a large evaluation should wrap their work in it too.
    The high recursion limit only holds while such a thread runs, so deep
    recursion elsewhere (on the main thread's small stack) still stops at
    Python's usual limit instead of overflowing the C stack."""
    if getattr(_local_state, "deep", False):
        return fn(*args, **kwargs)
    box: dict[str, Any] = {}
    _raise_limit()
    try:
        thread = _start_thread(_deep_target, fn, args, kwargs, box)
        while thread.is_alive():
            thread.join(0.1)
    finally:
        _restore_limit()
    if "error" in box:
        raise box["error"]
    return box.get("value")


def _raise_limit() -> None:
    with _deep_lock:
        if _deep_active[0] == 0:
            _deep_active[1] = sys.getrecursionlimit()
            sys.setrecursionlimit(max(_deep_active[1], RECURSION_LIMIT))
        _deep_active[0] += 1


def _restore_limit() -> None:
    with _deep_lock:
        _deep_active[0] -= 1
        if _deep_active[0] == 0:
            sys.setrecursionlimit(_deep_active[1])


def _start_thread(target, *args) -> threading.Thread:
    old = threading.stack_size()
    try:
        threading.stack_size(STACK_SIZE)
    except (ValueError, RuntimeError):  # pragma: no cover - platform limits
        threading.stack_size(256 * 1024 * 1024)
    try:
        thread = threading.Thread(target=target, args=args, daemon=True)
        thread.start()
    finally:
        threading.stack_size(old)
    return thread


def _deep_target(fn, args, kwargs, box) -> None:
    _local_state.deep = True
    try:
        box["value"] = fn(*args, **kwargs)
    except RecursionError:
        box["error"] = EvalError("stack overflow (possible infinite recursion)")
    except BaseException as e:  # noqa: BLE001 - re-raised in the caller's thread
        box["error"] = e
