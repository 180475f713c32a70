"""`match` and `split`: POSIX extended regular expressions as Nix 2.8 runs
them (libstdc++'s `std::regex` with the `extended` grammar).

Every pattern is parsed by our own ERE parser (`ere`), which accepts exactly
the syntax libstdc++ does.  Matching then takes one of two roads:

* the common case (no alternation, no repetition of something that can match
  empty) is translated to Python `re`: there Python's backtracking order is
  the executor's, and `re.finditer` steps past empty matches as
  `std::regex_iterator` does;
* the rest runs on `ere_match`, a depth-first matcher with libstdc++'s rules
  (every alternative is tried and the furthest-reaching solution kept).

Strings are matched as bytes, like Nix: `.` is one byte of UTF-8.  `match`
must match the whole string.  Results carry no string context, as in 2.8.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Callable, Optional

from ..errors import EvalError
from ..eval import ops
from ..eval.values import NixList
from . import builtin
from . import ere, ere_match


class _Compiled:
    """A parsed pattern with the matcher chosen for it."""

    def __init__(self, regex: ere.Regex):
        self.groups = regex.groups
        self.python: Optional[re.Pattern] = None
        self.program: Optional[ere_match.Program] = None
        if ere.python_compatible(regex.root):
            self.python = re.compile(ere.to_python(regex.root), re.DOTALL)
        else:
            self.program = ere_match.Program(regex)

    def fullmatch(self, s: str) -> Optional[list]:
        if self.python is not None:
            m = self.python.fullmatch(s)
            return None if m is None else _spans(m)
        return ere_match.fullmatch(self.program, s)

    def finditer(self, s: str):
        if self.python is not None:
            return (_spans(m) for m in self.python.finditer(s))
        return ere_match.finditer(self.program, s)


def _spans(m: re.Match) -> list:
    return [None if m.start(k) == -1 else m.span(k) for k in range(len(m.groups()) + 1)]


@lru_cache(maxsize=512)
def compile_regex(p: str) -> _Compiled:
    try:
        return _Compiled(ere.parse(ere.to_bytes_str(p)))
    except ere.RegexTooLarge:
        raise EvalError(f"memory limit exceeded by regular expression '{p}'") from None
    except (ere.RegexSyntaxError, re.error, RecursionError, OverflowError, ere_match.RegexTooComplex):
        raise EvalError(f"invalid regular expression '{p}'") from None


def _run(fn: Callable, *args):
    try:
        return fn(*args)
    except ere_match.RegexTooComplex as e:
        raise EvalError(str(e)) from None


def _groups(s: str, spans: list) -> NixList:
    return NixList([None if sp is None else ere.from_bytes_str(s[sp[0]:sp[1]]) for sp in spans[1:]])


@builtin("match")
def builtin_match(regex, s):
    r, s = compile_regex(ops.expect_str(regex)), ere.to_bytes_str(ops.expect_str(s))
    spans = _run(r.fullmatch, s)
    return None if spans is None else _groups(s, spans)


@builtin("split")
def builtin_split(regex, s):
    r, s = compile_regex(ops.expect_str(regex)), ere.to_bytes_str(ops.expect_str(s))
    out, last = [], 0
    for spans in _run(lambda: list(r.finditer(s))):
        start, end = spans[0]
        out.append(ere.from_bytes_str(s[last:start]))
        out.append(_groups(s, spans))
        last = end
    out.append(ere.from_bytes_str(s[last:]))
    return NixList(out)
