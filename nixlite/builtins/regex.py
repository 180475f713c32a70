"""`match` and `split`: POSIX extended regular expressions (Nix 2.8 uses
`std::regex::extended`), translated once to Python `re` and cached.

Translation notes: `.` matches newlines too (DOTALL); `$` means the very end
(`\\Z`, Python's `$` would also match before a final newline); inside a
bracket expression a backslash and `[` are literal, and `[:alpha:]`-style
classes are expanded.  `match` must match the whole string.  POSIX's
leftmost-longest rule for alternations is not emulated (Python takes the
first alternative that matches)."""
from __future__ import annotations

import re
from functools import lru_cache

from ..errors import EvalError
from ..eval import ops
from ..eval.values import NixList
from . import builtin

_CLASSES = {
    "alpha": "a-zA-Z", "digit": "0-9", "alnum": "a-zA-Z0-9", "upper": "A-Z", "lower": "a-z",
    "space": r" \t\n\r\f\v", "blank": r" \t", "punct": r"!-/:-@\[-`{-~", "xdigit": "0-9A-Fa-f",
    "cntrl": r"\x00-\x1f\x7f", "print": r"\x20-\x7e", "graph": r"\x21-\x7e", "word": r"a-zA-Z0-9_",
}


def _bracket(p: str, i: int) -> tuple[str, int]:
    """Translate the bracket expression starting at p[i] == '['; return (text, next index)."""
    out, i = ["["], i + 1
    if i < len(p) and p[i] == "^":
        out.append("^")
        i += 1
    if i < len(p) and p[i] == "]":
        out.append(r"\]")
        i += 1
    while i < len(p) and p[i] != "]":
        if p.startswith("[:", i):
            end = p.find(":]", i + 2)
            name = p[i + 2:end] if end != -1 else None
            if name not in _CLASSES:
                raise re.error(f"bad character class {name}")
            out.append(_CLASSES[name])
            i = end + 2
            continue
        ch = p[i]
        out.append("\\" + ch if ch in "\\[&~|" else ch)
        i += 1
    if i >= len(p):
        raise re.error("unterminated bracket expression")
    out.append("]")
    return "".join(out), i + 1


def translate(p: str) -> str:
    out, i = [], 0
    while i < len(p):
        ch = p[i]
        if ch == "[":
            text, i = _bracket(p, i)
            out.append(text)
            continue
        if ch == "\\" and i + 1 < len(p):
            out.append(p[i:i + 2])
            i += 2
            continue
        out.append(r"\Z" if ch == "$" else ch)
        i += 1
    return "".join(out)


@lru_cache(maxsize=512)
def compile_regex(p: str) -> re.Pattern:
    try:
        return re.compile(translate(p), re.DOTALL)
    except (re.error, RecursionError, OverflowError):
        raise EvalError(f"invalid regular expression '{p}'") from None


def _groups(m: re.Match) -> NixList:
    return NixList(list(m.groups()))


@builtin("match")
def builtin_match(regex, s):
    m = compile_regex(ops.expect_str(regex)).fullmatch(ops.expect_str(s))
    return None if m is None else _groups(m)


@builtin("split")
def builtin_split(regex, s):
    r, s = compile_regex(ops.expect_str(regex)), ops.expect_str(s)
    out, last = [], 0
    for m in r.finditer(s):
        out.append(s[last:m.start()])
        out.append(_groups(m))
        last = m.end()
    out.append(s[last:])
    return NixList(out)
