"""Running evaluations on a big stack.

Nix programs recurse deeply (`foldl'` over long lists, recursive functions,
deeply nested data), and the interpreter recurses in Python for each level.
`run_deep` runs an evaluation in a thread with a 1 GiB stack (reserved, not
committed) and a recursion limit of 400 000 frames; a `RecursionError` then
becomes Nix's own "stack overflow (possible infinite recursion)" error, never
a Python traceback or a segfault.  Calls nest: inside such a thread,
`run_deep` just calls the function.

CPython 3.11 keeps frames in 16 KiB "data stack chunks" and unmaps a chunk as
soon as the frame at its start returns; a recursion oscillating across a
chunk boundary (fib's leaves) then pays an mmap/munmap and page faults on
every call, up to 10x slower.  So the evaluation runs under one frame that
claims a huge value stack (`co_stacksize`): CPython gives it a 32 MiB chunk
and the evaluation's frames fill the unused rest of that chunk, crossing no
boundary until it is ~100 000 frames deep.  (Only the pages used are
committed.)
"""
from __future__ import annotations

import sys
import threading
import types
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
    """Start target on the largest stack the system grants (1 GiB, else less)."""
    old = threading.stack_size()
    try:
        for size in (STACK_SIZE, STACK_SIZE // 4, STACK_SIZE // 16):
            try:
                threading.stack_size(size)
                thread = threading.Thread(target=target, args=args, daemon=True)
                thread.start()
            except (ValueError, RuntimeError, MemoryError):  # pragma: no cover - platform limits
                continue
            if size != STACK_SIZE:  # keep the frame budget proportional to the stack
                sys.setrecursionlimit(max(sys.getrecursionlimit() * size // STACK_SIZE, 10_000))
            return thread
        raise EvalError("cannot start the evaluation thread (not enough memory for its stack)")
    finally:
        threading.stack_size(old)


def _trampoline(fn, args, kwargs):
    return fn(*args, **kwargs)


def _big_frame_trampoline() -> Callable:
    """_trampoline with a 16 MiB value stack (see the module docstring)."""
    if sys.version_info < (3, 11):
        return _trampoline
    code = _trampoline.__code__.replace(co_stacksize=(16 << 20) // 8 + 16)
    return types.FunctionType(code, _trampoline.__globals__, "_trampoline")


_TRAMPOLINE = _big_frame_trampoline()


def _deep_target(fn, args, kwargs, box) -> None:
    _local_state.deep = True
    try:
        box["value"] = _TRAMPOLINE(fn, args, kwargs)
    except RecursionError:
        box["error"] = EvalError("stack overflow (possible infinite recursion)")
    except BaseException as e:  # noqa: BLE001 - re-raised in the caller's thread
        box["error"] = e
