"""The file system as the evaluator sees it: reading files, the search path,
and what Nix does when a path meets a string (copy it to the store).

Facts mirrored (Nix 2.8): `<name/rest>` is looked up in the search path
(`-I` entries, then `NIX_PATH`), an entry `prefix=dir` matching `name` or
`name/...`, a bare `dir` matching anything; a path interpolated into a string
is "copied to the store" as `/nix/store/<hash>-<basename>` where the hash is
the fixed-output "source" path of the NAR serialisation's sha256 (we compute
the name without writing anything).

Virtual files: other phases (the module system) may `provide` a value for a
search-path name such as `nixpkgs/lib`; `<nixpkgs/lib>` then resolves to a
path under `VIRTUAL_ROOT` whose `import` yields that value.
"""
from __future__ import annotations

import hashlib
import os
import stat
from typing import Any, Callable, Iterable

from ..errors import EvalError
from ..storepaths import make_store_path

VIRTUAL_ROOT = "/nixlite-virtual"


def parse_nix_path(text: str) -> list[tuple[str, str]]:
    """`a=/x:/y` -> [("a", "/x"), ("", "/y")] (entries with URLs are kept whole)."""
    out = []
    for entry in (e for e in text.split(":") if e):
        prefix, eq, path = entry.partition("=")
        out.append((prefix, path) if eq else ("", entry))
    return out


def find_file(search_path: Iterable[tuple[str, str]], name: str,
              provided: dict[str, Any] | None = None, span=None) -> str:
    """Resolve `<name>` against the search path (Nix 2.8 `findFile`)."""
    if provided:
        hit = _provided(provided, name)
        if hit:
            return hit
    for prefix, path in search_path:
        if prefix and name != prefix and not name.startswith(prefix + "/"):
            continue
        rest = name[len(prefix):] if prefix else "/" + name
        candidate = os.path.normpath(path + rest) if rest else path
        if os.path.exists(candidate):
            return candidate
    raise EvalError(f"file '{name}' was not found in the Nix search path (add it using $NIX_PATH or -I)", span)


def _provided(provided: dict[str, Any], name: str) -> str | None:
    for key in provided:
        if name == key or name.startswith(key + "/"):
            return f"{VIRTUAL_ROOT}/{name}"
    return None


# Filesystem errors come from Nix's store layer, which knows no expression:
# Nix 2.8 prints them without a position, and so do we.

def no_such_path(path: str) -> EvalError:
    return EvalError(f"getting status of '{path}': No such file or directory").without_position()


def os_failure(what: str, path: str, e: OSError) -> EvalError:
    """`what` is "opening file", "opening directory", ..."""
    return EvalError(f"{what} '{path}': {e.strerror}").without_position()


def read_bytes(path: str) -> bytes:
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError as e:
        raise os_failure("opening file", path, e) from None


def read_file(path: str, span=None) -> str:
    return read_bytes(path).decode("utf-8", errors="surrogateescape")


def path_exists(path: str) -> bool:
    return path.startswith(VIRTUAL_ROOT + "/") or os.path.lexists(path)


def file_type(path: str) -> str:
    """Nix's readDir type names."""
    mode = os.lstat(path).st_mode
    if stat.S_ISREG(mode):
        return "regular"
    if stat.S_ISDIR(mode):
        return "directory"
    if stat.S_ISLNK(mode):
        return "symlink"
    return "unknown"


# --- store paths of source files -------------------------------------------------

def _nar_str(h, data: bytes) -> None:
    h.update(len(data).to_bytes(8, "little"))
    h.update(data)
    h.update(b"\0" * (-len(data) % 8))


def _nar(h, path: str, keep=None) -> None:
    st = os.lstat(path)
    _nar_str(h, b"(")
    _nar_str(h, b"type")
    if stat.S_ISLNK(st.st_mode):
        for s in (b"symlink", b"target", os.fsencode(os.readlink(path))):
            _nar_str(h, s)
    elif stat.S_ISDIR(st.st_mode):
        _nar_str(h, b"directory")
        for name in sorted(os.listdir(path), key=os.fsencode):
            child = os.path.join(path, name)
            if keep is not None and not keep(child, file_type(child)):
                continue
            for s in (b"entry", b"(", b"name", os.fsencode(name), b"node"):
                _nar_str(h, s)
            _nar(h, child, keep)
            _nar_str(h, b")")
    else:
        _nar_str(h, b"regular")
        if st.st_mode & 0o100:
            _nar_str(h, b"executable")
            _nar_str(h, b"")
        _nar_str(h, b"contents")
        with open(path, "rb") as f:
            _nar_str(h, f.read())
    _nar_str(h, b")")


def nar_hash(path: str, keep: Callable[[str, str], bool] | None = None) -> str:
    """Hex sha256 of the NAR serialisation of path; `keep(path, type)` filters
    directory entries (as `builtins.filterSource` and `builtins.path` do)."""
    h = hashlib.sha256()
    _nar_str(h, b"nix-archive-1")
    _nar(h, path, keep)
    return h.hexdigest()


_STORE_CACHE: dict[str, str] = {}


def copy_path_to_store(path: str, span=None) -> str:
    """The store path `"${./path}"` gets (nothing is written)."""
    if path.startswith("/nix/store/"):
        return path
    hit = _STORE_CACHE.get(path)
    if hit is None:
        if not os.path.lexists(path):
            raise no_such_path(path)
        hit = make_store_path("source", nar_hash(path), os.path.basename(path) or "source")
        _STORE_CACHE[path] = hit
    return hit


Factory = Callable[[], Any]
