"""File-system and environment builtins (Nix manual: import, scopedImport,
readFile, readDir, pathExists, hashFile, toFile, toPath, path, getEnv,
findFile, placeholder, storeDir, nixPath, currentSystem, currentTime,
langVersion, nixVersion).  Nothing is written to a store: `toFile` and
`path` compute the store path real Nix would create."""
from __future__ import annotations

import os
import time

from ..errors import EvalError
from ..eval import files, ops
from ..eval.values import Attrs, ContextStr, NixList, NixPath, force, string_context
from ..storepaths import STORE_DIR, check_store_path, make_store_path, nixbase32, text_store_path
from . import builtin
from .strings import base_name_of, hash_bytes


def real_path(v, what: str = "path") -> str:
    """A path argument: a path value, or a string holding an absolute path."""
    if v.__class__ is NixPath:
        return v.path
    s = ops.coerce_to_string(v, copy=False)
    if not s.startswith("/"):
        raise EvalError(f"string '{s}' doesn't represent an absolute path")
    return ops.canon_path(s)


@builtin("import", top_level=True)
def builtin_import(ev, path):
    return ev.import_path(real_path(path))


@builtin("scopedImport", top_level=True)
def builtin_scoped_import(ev, scope, path):
    return ev.scoped_import(ops.expect_attrs(scope), real_path(path))


@builtin("readFile")
def builtin_read_file(path):
    return files.read_file(real_path(path))


@builtin("readDir")
def builtin_read_dir(path):
    p = real_path(path)
    try:
        names = sorted(os.listdir(p))
    except OSError as e:
        raise files.os_failure("opening directory", p, e) from None
    return Attrs({n: files.file_type(os.path.join(p, n)) for n in names})


@builtin("pathExists")
def builtin_path_exists(path):
    return files.path_exists(real_path(path))


@builtin("hashFile")
def builtin_hash_file(algo, path):
    return hash_bytes(ops.expect_str(algo), files.read_bytes(real_path(path)))




@builtin("toFile")
def builtin_to_file(name, content):
    name, content = ops.expect_str(name), ops.expect_str(content)
    refs = sorted(c for c in string_context(content) if not c.startswith(("=", "!")))
    p = check_store_path(text_store_path(name, content.encode("utf-8", "surrogateescape"), refs))
    return ContextStr(p, frozenset([p]))


@builtin("toPath")
def builtin_to_path(s):
    s2 = ops.coerce_to_string(s, copy=False)
    if not s2.startswith("/"):
        raise EvalError(f"string '{s2}' doesn't represent an absolute path")
    return ops.canon_path(s2)


def _source_path(path: str, name: str | None, filter_fn) -> ContextStr:
    """The store path of a (filtered) source tree, as `builtins.path` computes it."""
    from ..eval.interp import call
    if not os.path.lexists(path):
        raise files.no_such_path(path)
    def keep(child: str, type_: str) -> bool:
        return ops.expect_bool(force(call(call(filter_fn, child), type_)))
    sp = make_store_path("source", files.nar_hash(path, keep if filter_fn is not None else None),
                         name or base_name_of(path))
    return ContextStr(check_store_path(sp), frozenset([sp]))


@builtin("path")
def builtin_path(args):
    d = ops.expect_attrs(args).d
    if "path" not in d:
        raise EvalError("'path' required")
    name = ops.expect_str(force(d["name"])) if "name" in d else None
    filter_fn = ops.expect_function(force(d["filter"])) if "filter" in d else None
    return _source_path(real_path(force(d["path"])), name, filter_fn)


@builtin("filterSource")
def builtin_filter_source(filter_fn, path):
    return _source_path(real_path(path), None, ops.expect_function(filter_fn))


@builtin("getEnv")
def builtin_get_env(name):
    return os.environ.get(ops.expect_str(name), "")


@builtin("findFile")
def builtin_find_file(ev, search_path, name):
    entries = []
    for e in ops.expect_list(search_path):
        d = ops.expect_attrs(force(e)).d
        prefix = ops.expect_str(force(d["prefix"])) if "prefix" in d else ""
        if "path" not in d:
            raise ops.missing_for_call("path", "findFile")
        entries.append((prefix, str(ops.coerce_to_string(d["path"], copy=False))))
    name = ops.expect_str(name)
    for hook in ev.hooks:
        hit = hook(name)
        if hit is not None:
            return NixPath(hit)
    return NixPath(files.find_file(entries, name, ev.provided))


@builtin("placeholder", top_level=True)
def builtin_placeholder(output):
    import hashlib
    digest = hashlib.sha256(("nix-output:" + ops.expect_str(output)).encode()).digest()
    return "/" + nixbase32(digest)


@builtin("storeDir", constant=True)
def builtin_store_dir():
    return STORE_DIR


@builtin("nixPath", constant=True)
def builtin_nix_path(ev):
    return NixList([Attrs({"path": p, "prefix": pre}) for pre, p in ev.search_path])


@builtin("currentSystem", constant=True)
def builtin_current_system(ev):
    return ev.system


@builtin("currentTime", constant=True)
def builtin_current_time():
    return int(time.time())


@builtin("langVersion", constant=True)
def builtin_lang_version():
    return 6


@builtin("nixVersion", constant=True)
def builtin_nix_version():
    return "2.8.0"


__all__ = ["base_name_of", "real_path"]
