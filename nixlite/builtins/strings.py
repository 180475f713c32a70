"""String builtins (Nix manual: baseNameOf, dirOf, compareVersions,
concatStringsSep, parseDrvName, replaceStrings, splitVersion, stringLength,
substring, toString, hashString).  Lengths and offsets count UTF-8 *bytes*,
as Nix's C++ strings do; context is carried through."""
from __future__ import annotations

import hashlib

from ..errors import EvalError
from ..eval import ops
from ..eval.values import Attrs, NixList, NixPath, force, make_string, string_context
from . import builtin


def _bytes(s: str) -> bytes:
    return s.encode("utf-8", "surrogateescape")


def _unbytes(b: bytes) -> str:
    return b.decode("utf-8", "surrogateescape")


@builtin("toString", top_level=True)
def builtin_to_string(v):
    return ops.coerce_to_string(v, more=True, copy=False)


@builtin("stringLength")
def builtin_string_length(s):
    s = ops.coerce_to_string(s)
    return len(s) if s.isascii() else len(_bytes(s))


@builtin("substring")
def builtin_substring(start, length, s):
    start, length = ops.expect_int(start), ops.expect_int(length)
    s = ops.coerce_to_string(s)
    if start < 0:
        raise EvalError("negative start position in 'substring'")
    ctx = string_context(s)
    if s.isascii():
        return make_string(s[start:start + length] if length >= 0 else s[start:], ctx)
    b = _bytes(s)
    return make_string(_unbytes(b[start:start + length] if length >= 0 else b[start:]), ctx)


@builtin("concatStringsSep")
def builtin_concat_strings_sep(sep, xs):
    sep = ops.expect_str(sep)
    ctx = set(string_context(sep))
    parts = []
    for x in ops.expect_list(xs):
        s = ops.coerce_to_string(x)
        ctx |= string_context(s)
        parts.append(s)
    return make_string(sep.join(parts), frozenset(ctx))


def base_name_of(path: str) -> str:
    if not path:
        return ""
    last = len(path) - 1
    if path[last] == "/" and last > 0:
        last -= 1
    pos = path.rfind("/", 0, last + 1)
    return path[pos + 1:last + 1]


@builtin("baseNameOf", top_level=True)
def builtin_base_name_of(v):
    s = ops.coerce_to_string(v, copy=False)
    return make_string(base_name_of(s), string_context(s))


def dir_of(path: str) -> str:
    pos = path.rfind("/")
    if pos == -1:
        return "."
    return "/" if pos == 0 else path[:pos]


@builtin("dirOf", top_level=True)
def builtin_dir_of(v):
    s = ops.coerce_to_string(v, copy=False)
    if v.__class__ is NixPath:
        return NixPath(dir_of(s))
    return make_string(dir_of(s), string_context(s))


@builtin("replaceStrings")
def builtin_replace_strings(frm, to, s):
    frm, to = ops.expect_list(frm), ops.expect_list(to)
    if len(frm) != len(to):
        raise EvalError("'from' and 'to' arguments to 'replaceStrings' have different lengths")
    pats = [ops.expect_str(force(x)) for x in frm]
    reps = [ops.expect_str(force(x)) for x in to]
    s = ops.expect_str(s)
    ctx = set(string_context(s))
    out, p, n = [], 0, len(s)
    while p <= n:
        for pat, rep in zip(pats, reps):
            if s.startswith(pat, p):
                out.append(rep)
                ctx |= string_context(rep)
                if pat:
                    p += len(pat)
                else:
                    out.append(s[p:p + 1])
                    p += 1
                break
        else:
            out.append(s[p:p + 1])
            p += 1
    return make_string("".join(out), frozenset(ctx))


# --- versions ---------------------------------------------------------------------

def _next_component(s: str, p: int) -> tuple[str, int]:
    n = len(s)
    while p < n and s[p] in ".-":
        p += 1
    start = p
    if p < n and s[p].isdigit() and s[p].isascii():
        while p < n and s[p].isascii() and s[p].isdigit():
            p += 1
    else:
        while p < n and not (s[p].isascii() and s[p].isdigit()) and s[p] not in ".-":
            p += 1
    return s[start:p], p


def split_version(s: str) -> list[str]:
    out, p = [], 0
    while p < len(s):
        c, p = _next_component(s, p)
        if not c:
            break
        out.append(c)
    return out


def _as_int(c: str):
    if c and c.isascii() and c.isdigit() and int(c) < 2 ** 31:
        return int(c)
    return None


def _component_lt(c1: str, c2: str) -> bool:
    n1, n2 = _as_int(c1), _as_int(c2)
    if n1 is not None and n2 is not None:
        return n1 < n2
    if c1 == "" and n2 is not None:
        return True
    if c1 == "pre" and c2 != "pre":
        return True
    if c2 == "pre":
        return False
    if n2 is not None:
        return True
    if n1 is not None:
        return False
    return c1 < c2


def compare_versions(v1: str, v2: str) -> int:
    p1 = p2 = 0
    while p1 < len(v1) or p2 < len(v2):
        c1, p1 = _next_component(v1, p1)
        c2, p2 = _next_component(v2, p2)
        if _component_lt(c1, c2):
            return -1
        if _component_lt(c2, c1):
            return 1
    return 0


@builtin("compareVersions")
def builtin_compare_versions(a, b):
    return compare_versions(ops.expect_str(a), ops.expect_str(b))


@builtin("splitVersion")
def builtin_split_version(v):
    return NixList(split_version(ops.expect_str(v)))


@builtin("parseDrvName")
def builtin_parse_drv_name(s):
    s = ops.expect_str(s)
    name, version = s, ""
    for i, ch in enumerate(s):
        if ch == "-" and i + 1 < len(s) and not s[i + 1].isalpha():
            name, version = s[:i], s[i + 1:]
            break
    return Attrs({"name": name, "version": version})


HASHES = {"md5": hashlib.md5, "sha1": hashlib.sha1, "sha256": hashlib.sha256, "sha512": hashlib.sha512}


def hash_bytes(algo: str, data: bytes) -> str:
    if algo not in HASHES:
        raise EvalError(f"unknown hash algorithm '{algo}'").without_position()  # as Nix 2.8
    return HASHES[algo](data).hexdigest()


@builtin("hashString")
def builtin_hash_string(algo, s):
    return hash_bytes(ops.expect_str(algo), _bytes(ops.expect_str(s)))
