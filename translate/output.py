"""Writing an artifact list to a directory, atomically, with a manifest.

The tree is first written into a fresh temporary directory next to the
destination, then moved into place, so a failed render never leaves a
half-written tree.  `manifest.json` at the root lists every artifact (path,
kind, container, store path, mode, link target) and the host settings that
are not files; its `generator` field marks the directory as nixlite's.

Safety: a destination that exists, is not empty, and has no nixlite
manifest is refused unless `force` is given; with `force` the artifacts are
written *into* it (replacing same-named files, deleting nothing).  A
directory nixlite wrote before is replaced as a whole.
"""
from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

from nixlite import __version__
from nixlite.errors import RenderError

from .base import Artifact

MANIFEST = "manifest.json"
GENERATOR = "nixlite"


def artifact_entry(a: Artifact) -> dict:
    entry = {"path": a.path, "kind": a.kind, "container": a.container, "store_path": a.store_path}
    if a.content is None:
        entry["link"] = a.link
    else:
        entry["mode"] = f"{a.mode:o}"
    return entry


def build_manifest(target: str, artifacts: list[Artifact], host_settings: dict | None = None,
                   warnings=(), source: str | None = None) -> dict:
    """The manifest describing one render (JSON-ready)."""
    return {
        "generator": GENERATOR, "version": __version__, "target": target, "source": source,
        "artifacts": [artifact_entry(a) for a in artifacts],
        "host": host_settings or {},
        "warnings": [str(w) for w in warnings],
    }


def manifest_json(value) -> str:
    """`json.dumps(value, indent=2, sort_keys=True)`, byte for byte, about
    twice as fast: with `indent` the standard library encodes in pure
    Python, one generator step per token, while a manifest is thousands of
    small flat objects.  Here only the nesting is Python; every scalar and
    key goes through the C encoder."""
    return _json_indented(value, "\n")


def _json_indented(value, newline: str) -> str:
    """`value` as indented JSON, `newline` being the line break plus the
    indentation of the line `value` starts on."""
    if isinstance(value, dict) and value and all(isinstance(k, str) for k in value):
        inner = newline + "  "
        items = [_json_key(k) + ": " + (_json_key(v) if v.__class__ is str else _json_indented(v, inner))
                 for k, v in sorted(value.items())]
        return "{" + inner + ("," + inner).join(items) + newline + "}"
    if isinstance(value, (list, tuple)) and value:
        inner = newline + "  "
        return "[" + inner + ("," + inner).join(_json_indented(v, inner) for v in value) + newline + "]"
    if isinstance(value, (dict, list, tuple)):
        return json.dumps(value, indent=2, sort_keys=True).replace("\n", newline)  # empty, or odd keys
    if value is None:
        return "null"
    return _json_key(value) if isinstance(value, str) else json.dumps(value)


_json_key = json.encoder.encode_basestring_ascii


def is_nixlite_tree(path: Path) -> bool:
    """Whether `path` holds a manifest nixlite wrote."""
    try:
        data = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and data.get("generator") == GENERATOR


def check_destination(out: Path, force: bool) -> str:
    """'new', 'replace' (empty or nixlite's) or 'merge' (foreign, forced)."""
    if not out.exists() and not out.is_symlink():
        return "new"
    if not out.is_dir():
        raise RenderError(f"output path '{out}' exists and is not a directory")
    if not any(out.iterdir()) or is_nixlite_tree(out):
        return "replace"
    if force:
        return "merge"
    raise RenderError(f"refusing to write into '{out}': it is not empty and was not written by nixlite",
                      hint="choose another directory, or pass --force to write into it anyway")


def populate(root: Path, artifacts: list[Artifact], manifest: dict) -> None:
    """Write every artifact below `root` (which exists and is empty)."""
    made: set[str] = set()
    umask = _umask()
    root = os.fspath(root)
    for a in artifacts:
        dest = os.path.join(root, a.path)
        parent = os.path.dirname(dest)
        if parent not in made:  # thousands of files share a handful of directories
            os.makedirs(parent, exist_ok=True)
            made.add(parent)
        if a.content is None:
            os.symlink(a.link, dest)
        else:
            write_file(dest, a.content, a.mode, umask)
    Path(root, MANIFEST).write_text(manifest_json(manifest) + "\n", encoding="utf-8")


def write_file(path: str, content: bytes, mode: int, umask: int | None = None) -> None:
    """Create a new file with exactly `mode` (the umask does not apply).
    `umask`, when the caller knows it, saves the fchmod (one system call per
    file) when it removes none of the mode's bits, the usual case."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, mode)
    try:
        view = memoryview(content)
        while view:
            view = view[os.write(fd, view):]
        if umask is None or mode & umask:
            os.fchmod(fd, mode)
    finally:
        os.close(fd)


def write_tree(out: str | os.PathLike, artifacts: list[Artifact], manifest: dict, force: bool = False) -> str:
    """Write the tree to `out` atomically; returns how ('new', 'replace', 'merge')."""
    out = Path(os.path.abspath(out))
    how = check_destination(out, force)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.nixlite-", dir=out.parent))
    try:
        os.chmod(tmp, 0o777 & ~_umask())
        populate(tmp, artifacts, manifest)
        {"new": _move_new, "replace": _swap, "merge": _merge}[how](tmp, out)
    except OSError as e:
        raise RenderError(f"cannot write '{out}': {e.strerror or e}") from None
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return how


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _move_new(tmp: Path, out: Path) -> None:
    os.rename(tmp, out)


def _swap(tmp: Path, out: Path) -> None:
    """Replace a previous nixlite tree: move it aside, move the new one in,
    then delete the old one (a crash in between leaves both, never neither)."""
    old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
    os.rename(out, old / "tree")
    os.rename(tmp, out)
    shutil.rmtree(old, ignore_errors=True)


def _merge(tmp: Path, out: Path) -> None:
    """--force into a foreign directory: replace same-named entries only."""
    for src in sorted(tmp.rglob("*")):
        dest = out / src.relative_to(tmp)
        if src.is_dir() and not src.is_symlink():
            dest.mkdir(exist_ok=True)
            continue
        if dest.is_dir() and not dest.is_symlink():
            raise RenderError(f"cannot write '{dest}': a directory is in the way")
        os.replace(src, dest)
