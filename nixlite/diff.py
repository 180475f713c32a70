"""Comparing nixlite's artifacts with a real NixOS build (`nixlite diff`).

Three steps:

1. *Trees.*  A `Tree` answers read / readlink / list for absolute paths as
   the described system sees them.  `FsTree` serves a directory on disk as if
   it were `/` (a mounted image, a copy, a render output): every absolute
   symlink is resolved *inside* that directory, never on the host, and more
   than 40 links in one lookup (Linux's MAXSYMLINKS) count as a loop.
   `MemoryTree` serves artifacts rendered in memory.
2. *Pieces.*  `collect(tree)` finds the artifacts where NixOS puts them
   (`/etc/containers/*.conf`, `/etc/systemd/system/container@*.service`, the
   scripts their `Exec*=` lines name, the `container-init` the start script
   names, `/etc/hosts`, `multi-user.target.d/overrides.conf`).  Each piece
   has a *role* ("container@web.service ExecStart") that no store hash
   enters, so the two sides align by role and name, never by hash.
3. *Comparison.*  Contents are compared after `normalise_store_paths`.  A
   store name that differs (another systemd version) is one finding, then
   mapped away so it does not show on every line.  Host-wide files hold other
   modules' lines too: only nixlite's lines are looked for, in order.
"""
from __future__ import annotations

import difflib
import hashlib
import os
import posixpath
import re
import stat
from dataclasses import dataclass, field

from nixlite.errors import DiffError
from nixlite.storepaths import (NORMAL_HASH, STORE_DIR, STORE_HASH_RE, StoreProfile, find_store_paths,
                                normalise_store_paths, store_name)

IDENTICAL, DIFFERS = "identical", "differs"
ONLY_NIXLITE, ONLY_BUILD = "only in nixlite", "only in the build"
#: unit directive -> kind of the script it runs (SPEC.md §2.2)
EXEC_KINDS = {"ExecStartPre": "pre-start", "ExecStart": "start", "ExecStartPost": "post-start",
              "ExecStop": "pre-stop", "ExecReload": "reload"}
MAX_LINKS = 40  # Linux's MAXSYMLINKS: the kernel's loop detection, mirrored
HOST_WIDE = ("hosts", "overrides")
SYSTEM = "/systemd/system"


# --- trees -------------------------------------------------------------------

class Tree:
    """Read-only access to a system's files by absolute path."""

    description = ""
    etc = "/etc"

    def read(self, path: str) -> bytes | None:  # pragma: no cover - interface
        raise NotImplementedError

    def readlink(self, path: str) -> str | None:  # pragma: no cover - interface
        raise NotImplementedError

    def list(self, path: str) -> list[str]:  # pragma: no cover - interface
        raise NotImplementedError


def _parts(path: str) -> list[str]:
    return [p for p in path.split("/") if p not in ("", ".")]


class FsTree(Tree):
    """A directory on disk seen as the root `/` of the system it holds."""

    def __init__(self, chroot: str, etc: str = "/etc", description: str | None = None):
        self.chroot = os.path.abspath(chroot)
        self.etc = etc
        self.description = description or chroot

    def host_path(self, path: str, follow_last: bool = True) -> str | None:
        """The host path of `path`, links resolved inside the tree; None if absent.

        Each pending name carries the link whose target it came from, so a
        missing name tells a dangling link from a plain absent file."""
        done: list[str] = []
        todo: list[tuple[str, tuple[str, str] | None]] = [(p, None) for p in _parts(path)]
        links = 0
        while todo:
            comp, origin = todo.pop(0)
            if comp == "..":
                done = done[:-1]  # `..` at the root stays at the root, as in a chroot
                continue
            st = self._lstat(self._join(done + [comp]))
            if st is None:
                return self._missing(origin)
            if stat.S_ISLNK(st.st_mode) and (todo or follow_last):
                links += 1
                done = self._follow(done, comp, todo, links)
            else:
                done.append(comp)
        return self._join(done)

    def _follow(self, done: list[str], comp: str, todo: list, links: int) -> list[str]:
        """Queue a link's target; return the directory it is relative to."""
        link = "/" + "/".join(done + [comp])
        if links > MAX_LINKS:
            raise DiffError(f"{self.description}: too many levels of symbolic links at {link} (a symlink loop)")
        target = os.readlink(self._join(done + [comp]))
        todo[:0] = [(p, (link, target)) for p in _parts(target)]
        return [] if target.startswith("/") else done

    def _missing(self, origin: tuple[str, str] | None) -> None:
        if origin is not None:  # the name came from a link's target: the link dangles
            link, target = origin
            raise DiffError(f"{self.description}: dangling symlink {link} -> {target} "
                            f"(resolved inside {self.description})")
        return None

    def _join(self, parts: list[str]) -> str:
        return os.path.join(self.chroot, *parts) if parts else self.chroot

    def _lstat(self, host: str):
        try:
            return os.lstat(host)
        except (FileNotFoundError, NotADirectoryError):
            return None
        except OSError as e:
            raise DiffError(f"{self.description}: cannot read {host}: {e.strerror}") from None

    def read(self, path: str) -> bytes | None:
        host = self.host_path(path)
        if host is None:
            return None
        try:
            with open(host, "rb") as f:
                return f.read()
        except OSError as e:
            raise DiffError(f"{self.description}: cannot read {path}: {e.strerror}") from None

    def readlink(self, path: str) -> str | None:
        host = self.host_path(path, follow_last=False)
        return os.readlink(host) if host is not None and os.path.islink(host) else None

    def list(self, path: str) -> list[str]:
        host = self.host_path(path)
        if host is None or not os.path.isdir(host):
            return []
        try:
            return sorted(os.listdir(host))
        except OSError as e:
            raise DiffError(f"{self.description}: cannot list {path}: {e.strerror}") from None

    def exists(self, path: str) -> bool:
        return self.host_path(path) is not None


class MemoryTree(Tree):
    """Artifacts (`translate.base.Artifact`) seen as a tree rooted at `/`."""

    def __init__(self, artifacts, description: str = "nixlite"):
        self.files = {"/" + a.path.lstrip("/"): a for a in artifacts}
        self.description = description

    def read(self, path: str, _depth: int = 0) -> bytes | None:
        path = posixpath.normpath(path)
        art = self.files.get(path)
        if art is None or _depth > MAX_LINKS:
            return None
        if art.content is None and art.link is not None:
            return self.read(posixpath.join(posixpath.dirname(path), art.link), _depth + 1)
        return art.content

    def readlink(self, path: str) -> str | None:
        art = self.files.get(posixpath.normpath(path))
        return art.link if art is not None and art.content is None else None

    def list(self, path: str) -> list[str]:
        prefix = posixpath.normpath(path).rstrip("/") + "/"
        return sorted({p[len(prefix):].split("/", 1)[0] for p in self.files if p.startswith(prefix)})


#: a system toplevel (`./result`, `/run/current-system`) is a store path; its
#: `etc` holds what /etc/static holds.
TOPLEVEL_RE = re.compile(r"^/nix/store/[^/]+$")


def open_tree(path: str) -> FsTree:
    """A NixOS root, a system toplevel, or a render output directory.

    The nearest ancestor of `path` that has a `nix/store` is the root links
    resolve in (so `/mnt/run/current-system` resolves inside `/mnt`, and
    `./result` inside the host's `/`); `path` itself is resolved in it."""
    if not os.path.lexists(path):
        raise DiffError(f"cannot read '{path}': no such file or directory")
    chroot, inner = _locate(os.path.abspath(path))
    if inner == "/":
        tree = FsTree(chroot, description=path)
    elif TOPLEVEL_RE.match(inner):
        tree = FsTree(chroot, inner + "/etc", description=path)
    else:
        tree = FsTree(os.path.join(chroot, inner.lstrip("/")), description=path)
    _check_root(tree)
    return tree


def _locate(path: str) -> tuple[str, str]:
    """(root of the system holding `path`, `path` resolved inside it)."""
    here = path
    while True:
        if os.path.isdir(os.path.join(here, "nix", "store")):
            host = FsTree(here, description=path).host_path(path[len(here):] or "/")
            if host is None:
                return path, "/"
            inner = host[len(here):] if here != "/" else host
            return here, inner or "/"
        if os.path.dirname(here) == here:
            return path, "/"
        here = os.path.dirname(here)


def _check_root(tree: FsTree) -> None:
    markers = ["/NIXOS", "/static", SYSTEM + "/container@.service", "/containers", "/hosts.extraHosts"]
    if not os.access(tree.chroot, os.R_OK | os.X_OK):
        raise DiffError(f"cannot read '{tree.description}': permission denied")
    if not any(tree.exists(tree.etc + m) for m in markers) and not tree.exists("/manifest.json"):
        raise DiffError(f"'{tree.description}' is not a NixOS root, a system toplevel or a nixlite render output "
                        f"(none of {', '.join('etc' + m for m in markers)} exists)")


# --- pieces --------------------------------------------------------------------

@dataclass(frozen=True)
class Piece:
    """One comparable artifact of a tree, keyed by its hash-free role."""

    role: str
    label: str
    kind: str
    container: str | None
    data: bytes
    store_path: str | None = None
    parent: str | None = None
    full_file: bool = False  # a whole /etc/hosts rather than nixlite's fragment


def collect(tree: Tree) -> list[Piece]:
    """Every container artifact of a tree, in a stable order."""
    pieces: list[Piece] = []
    for name in container_names(tree):
        pieces += container_pieces(tree, name)
    pieces += unit_pieces(tree, "container@.service", None)
    return pieces + host_pieces(tree)


def container_names(tree: Tree) -> list[str]:
    """Containers with a unit or a conf; a conf counts only if it is the
    containers module's (it sets SYSTEM_PATH): /etc/containers also holds
    podman's registries.conf and the like."""
    units = {n[len("container@"):-len(".service")] for n in tree.list(tree.etc + SYSTEM)
             if n.startswith("container@") and n.endswith(".service")} - {""}
    confs = {n[:-5] for n in tree.list(tree.etc + "/containers") if n.endswith(".conf")}
    confs = {n for n in confs - units if _is_container_conf(tree.read(f"{tree.etc}/containers/{n}.conf"))}
    return sorted(units | confs)


def _is_container_conf(data: bytes | None) -> bool:
    return data is not None and re.search(rb"^SYSTEM_PATH=", data, re.M) is not None


def container_pieces(tree: Tree, name: str) -> list[Piece]:
    out = []
    conf = tree.read(f"{tree.etc}/containers/{name}.conf")
    if conf is not None:
        out.append(Piece(f"conf {name}", f"etc/containers/{name}.conf", "conf", name, conf))
    out += unit_pieces(tree, f"container@{name}.service", name)
    wants = f"{tree.etc}{SYSTEM}/machines.target.wants/container@{name}.service"
    link = tree.readlink(wants)
    data = link.encode() if link is not None else tree.read(wants)
    if data is not None:  # a render output may hold the link as a file with its target
        out.append(Piece(f"wants {name}", wants.replace(tree.etc, "etc", 1), "wants", name, data.strip()))
    return out


def unit_pieces(tree: Tree, unit: str, container: str | None) -> list[Piece]:
    """A unit file and the store files it runs."""
    data = tree.read(f"{tree.etc}{SYSTEM}/{unit}")
    if data is None:
        return []
    out = [Piece(unit, f"etc/systemd/system/{unit}", "unit", container, data)]
    for key, ref in unit_references(data):
        out += store_pieces(tree, f"{unit} {key}", ref, EXEC_KINDS.get(key, "etc-conf"), container, unit)
    return out


def unit_references(data: bytes) -> list[tuple[str, str]]:
    """(directive, store path) for the Exec*= scripts and the restart-trigger conf copy."""
    refs = []
    for line in _text(data).splitlines():
        key, _, value = line.partition("=")
        words = value.split()
        if key in EXEC_KINDS and words and STORE_HASH_RE.match(words[0]):
            refs.append((key, words[0]))
        elif key == "X-Restart-Triggers":
            refs += [(key, w) for w in words if STORE_HASH_RE.match(w) and store_name(w).startswith("etc-")]
    return refs


def store_pieces(tree: Tree, role: str, ref: str, kind: str, container: str | None, parent: str) -> list[Piece]:
    """A store file a unit refers to, and the container-init a start script runs."""
    data = tree.read(ref)
    if data is None:
        return []
    top = ref[: len(STORE_DIR) + 34 + len(store_name(ref))]
    out = [Piece(role, ref[len(STORE_DIR) + 34:], kind, container, data, top, parent)]
    if kind == "start":
        for init in find_store_paths(_text(data)):
            if store_name(init) == "container-init":
                out += store_pieces(tree, role + " container-init", init, "container-init", container, role)
    return out


def host_pieces(tree: Tree) -> list[Piece]:
    """/etc/hosts (nixlite's fragment, or the whole file) and the multi-user.target drop-in."""
    out = []
    fragment = tree.read(tree.etc + "/hosts.extraHosts")
    data = fragment if fragment is not None else tree.read(tree.etc + "/hosts")
    if data is not None:
        out.append(Piece("hosts", "etc/hosts", "hosts", None, data, full_file=fragment is None))
    overrides = tree.read(f"{tree.etc}{SYSTEM}/multi-user.target.d/overrides.conf")
    if overrides is not None:
        out.append(Piece("overrides", "etc/systemd/system/multi-user.target.d/overrides.conf",
                         "overrides", None, overrides))
    return out


def _text(data: bytes) -> str:
    return data.decode("utf-8", "surrogateescape")


# --- comparison --------------------------------------------------------------

@dataclass
class Row:
    """One line of the summary: an artifact (or a finding) and its status."""

    label: str
    status: str
    kind: str
    container: str | None = None
    role: str = ""
    detail: str = ""
    diff: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"artifact": self.label, "status": self.status, "kind": self.kind, "container": self.container,
                "role": self.role, "detail": self.detail, "diff": self.diff}


@dataclass
class Report:
    nixlite: str
    build: str
    rows: list[Row]
    renames: dict[str, str] = field(default_factory=dict)

    @property
    def identical(self) -> bool:
        return all(r.status == IDENTICAL for r in self.rows)

    def to_json(self) -> dict:
        return {"identical": self.identical, "nixlite": self.nixlite, "build": self.build,
                "artifacts": [r.to_json() for r in self.rows]}


Pair = tuple["Piece | None", "Piece | None"]


def compare(ours: list[Piece], theirs: list[Piece], nixlite: str = "nixlite", build: str = "build") -> Report:
    """Align two piece lists by role and compare them."""
    pairs = align(ours, theirs)
    rows, pairs, only_ours = fold_containers(pairs)
    only_theirs = {r.container for r in rows if r.status == ONLY_BUILD}
    renames = store_name_changes(pairs)
    rows = [_rename_row(old, new) for old, new in sorted(renames.items())] + rows
    seen: set[tuple] = set()
    for a, b in pairs:
        if _redundant(a, b, pairs, seen) or _foreign_hosts(a, b, only_theirs):
            continue
        rows.append(compare_pair(a, b, renames, only_ours))
    return Report(nixlite, build, rows, renames)


def align(ours: list[Piece], theirs: list[Piece]) -> list[Pair]:
    by_role = {p.role: p for p in theirs}
    pairs: list[Pair] = [(p, by_role.pop(p.role, None)) for p in ours]
    return pairs + [(None, p) for p in by_role.values()]


def fold_containers(pairs: list[Pair]) -> tuple[list[Row], list[Pair], set[str]]:
    """A container on one side only is one finding, not one per artifact."""
    ours = {a.container for a, _ in pairs if a is not None and a.container}
    theirs = {b.container for _, b in pairs if b is not None and b.container}
    rows = [Row(f"container {n}", ONLY_NIXLITE, "container", n) for n in sorted(ours - theirs)]
    rows += [Row(f"container {n}", ONLY_BUILD, "container", n) for n in sorted(theirs - ours)]
    kept = [(a, b) for a, b in pairs if (a or b).container not in ours ^ theirs]
    return rows, kept, ours - theirs


def _redundant(a: Piece | None, b: Piece | None, pairs: list[Pair], seen: set) -> bool:
    """Skip a store file already shown (container-init and reload-container are
    shared), and a one-sided file whose referring unit is one-sided already."""
    one = a or b
    if (a is None or b is None) and one.parent is not None:
        parent = next((p for p in pairs if (p[0] or p[1]).role == one.parent), None)
        if parent is not None and (parent[0] is None or parent[1] is None):
            return True
    if one.store_path is None:
        return False
    key = (a.store_path if a else None, b.store_path if b else None)
    if key in seen:
        return True
    seen.add(key)
    return False


def _foreign_hosts(a: Piece | None, b: Piece | None, only_theirs: set[str]) -> bool:
    """A build's /etc/hosts where nixlite writes none, and whose container
    lines (if any) belong to containers only the build has (each of those is
    already one finding)."""
    if a is not None or b.kind != "hosts":
        return False
    theirs = {f"{c}.containers" for c in only_theirs}
    return not any(_is_container_host(ln) and not _hosts_of(ln) <= theirs for ln in _text(b.data).splitlines())


def compare_pair(a: Piece | None, b: Piece | None, renames: dict[str, str], dropped: set[str]) -> Row:
    one = a or b
    row = Row(one.label, IDENTICAL, one.kind, one.container, one.role)
    if a is None or b is None:
        row.status = ONLY_NIXLITE if b is None else ONLY_BUILD
        return row
    if a.kind in HOST_WIDE:
        ours = _own_lines(a, dropped)
        theirs = project(a.kind, ours, normalise_store_paths(_text(b.data)))
    else:
        ours = rename_store_names(normalise_store_paths(_text(a.data)), renames)
        theirs = normalise_store_paths(_text(b.data))
    if ours != theirs:
        row.status = DIFFERS
        row.diff = unified_diff(ours, theirs, a.label, b.label)
    return row


def _rename_row(old: str, new: str) -> Row:
    return Row(f"store path {split_name(old)[0]}", DIFFERS, "store-name",
               detail=f"store path name differs: {old} (nixlite) vs {new} (build)")


def unified_diff(ours: str, theirs: str, label_a: str, label_b: str) -> list[str]:
    """Unified diff lines, without newlines; a missing final newline is marked."""
    a, b = _diff_lines(ours), _diff_lines(theirs)
    out = difflib.unified_diff(a, b, f"nixlite/{label_a}", f"build/{label_b}", lineterm="\n")
    return [part for line in out for part in line.rstrip("\n").split("\n")]


def _diff_lines(text: str) -> list[str]:
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n\\ No newline at end of file\n"
    return lines


# --- store names -------------------------------------------------------------

def split_name(name: str) -> tuple[str, str]:
    """`systemd-245.3` -> (`systemd`, `245.3`): the version starts at the first
    dash not followed by a letter, as Nix's `builtins.parseDrvName` splits."""
    for i, ch in enumerate(name):
        if ch == "-" and i + 1 < len(name) and not name[i + 1].isalpha():
            return name[:i], name[i + 1:]
    return name, ""


def _referenced_names(pieces: list[Piece], own: set[str]) -> dict[str, set[str]]:
    """pname -> store names referenced by the pieces, except the pieces' own files."""
    names: dict[str, set[str]] = {}
    for p in pieces:
        for path in find_store_paths(_text(p.data)):
            n = store_name(path)
            if n not in own:
                names.setdefault(split_name(n)[0], set()).add(n)
    return names


def store_name_changes(pairs: list[Pair]) -> dict[str, str]:
    """nixlite store name -> the build's, for each package whose name differs
    on the two sides (aligned by the name without its version)."""
    ours = [a for a, _ in pairs if a is not None]
    theirs = [b for _, b in pairs if b is not None]
    own = {store_name(p.store_path) for p in ours + theirs if p.store_path}
    a, b = _referenced_names(ours, own), _referenced_names(theirs, own)
    return {next(iter(a[k])): next(iter(b[k])) for k in a.keys() & b.keys()
            if len(a[k]) == len(b[k]) == 1 and a[k] != b[k]}


def rename_store_names(text: str, renames: dict[str, str]) -> str:
    """In normalised text, replace each old store name by the new one."""
    if not renames:
        return text
    prefix = re.escape(f"{STORE_DIR}/{NORMAL_HASH}-")
    names = "|".join(re.escape(n) for n in sorted(renames, key=len, reverse=True))
    pattern = re.compile(f"{prefix}({names})(?![A-Za-z0-9+\\-._?=])")
    return pattern.sub(lambda m: f"{STORE_DIR}/{NORMAL_HASH}-{renames[m.group(1)]}", text)


# --- host-wide files -----------------------------------------------------------

def _own_lines(piece: Piece, dropped: set[str]) -> str:
    """nixlite's lines of a host-wide file, minus those of containers the
    build lacks (already one finding each)."""
    text = normalise_store_paths(_text(piece.data))
    if piece.kind != "hosts":
        return text
    gone = {f"{c}.containers" for c in dropped}
    keep = [ln for ln in text.splitlines(keepends=True)
            if (not piece.full_file or _is_container_host(ln)) and not _hosts_of(ln) & gone]
    return "".join(keep)


def _is_container_host(line: str) -> bool:
    return any(h.endswith(".containers") for h in _hosts_of(line))


def _hosts_of(line: str) -> set[str]:
    return set(line.split("#", 1)[0].split()[1:])


def project(kind: str, ours: str, theirs: str) -> str:
    """The part of the build's file that corresponds to nixlite's lines, in
    the build's order: nixlite's text equals it iff every line is there."""
    return project_hosts(ours, theirs) if kind == "hosts" else project_ini(ours, theirs)


def project_hosts(ours: str, theirs: str) -> str:
    lines = [ln.rstrip("\n") for ln in theirs.splitlines()]
    picked: dict[int, str] = {}
    for line in ours.splitlines():
        free = [i for i in range(len(lines)) if i not in picked]
        same = [i for i in free if lines[i] == line]
        named = [i for i in free if _hosts_of(line) and _hosts_of(lines[i]) == _hosts_of(line)]
        if same or named:
            picked[(same or named)[0]] = (same or named)[0]
    return "".join(lines[i] + "\n" for i in sorted(picked))


def project_ini(ours: str, theirs: str) -> str:
    """For each `Key=v1 v2` of ours, the build's values of Key in that section
    that are among ours (a unit's list keys hold every module's values, on
    one line or several)."""
    values = _ini_values(theirs)
    out, section = [], ""
    for line in ours.split("\n"):
        key, eq, value = line.partition("=")
        if not eq or line.startswith(("[", "#")):
            section = line if line.startswith("[") else section
            out.append(line)
            continue
        kept = [v for v in values.get((section, key), []) if v in value.split()]
        if kept:
            out.append(f"{key}={' '.join(kept)}")
    return "\n".join(out)


def _ini_values(text: str) -> dict[tuple[str, str], list[str]]:
    values: dict[tuple[str, str], list[str]] = {}
    section = ""
    for line in text.splitlines():
        if line.startswith("["):
            section = line.strip()
        elif "=" in line and not line.startswith("#"):
            key, _, value = line.partition("=")
            values.setdefault((section, key.strip()), []).extend(value.split())
    return values


# --- learning store paths ----------------------------------------------------

def learn_profile(theirs: list[Piece], renames: dict[str, str], default: StoreProfile | None = None) -> dict:
    """A `StoreProfile`-shaped dict with the build's store paths: packages by
    the default profile's attribute names (matched by name without version),
    generated files by the store name nixlite gives them.  A name the build
    uses for several files (container-init of containers with extra veths) is
    keyed `name@sha256:<content hash>`, which `StoreProfile.file_path` checks first."""
    default = default or StoreProfile.default()
    attrs = {split_name(store_name(p))[0]: a for a, p in default.packages.items()}
    packages, files = {}, _learn_files(theirs)
    back = {new: old for old, new in renames.items()}
    for path in _foreign_references(theirs):
        name = store_name(path)
        attr = attrs.get(split_name(name)[0])
        if attr:
            packages[attr] = path
        else:  # e.g. a container's system toplevel, under the name nixlite gives it
            files[back.get(name, name)] = path
    return {"packages": dict(sorted(packages.items())), "files": dict(sorted(files.items()))}


def _foreign_references(pieces: list[Piece]) -> list[str]:
    """Store paths the pieces mention that are not pieces themselves."""
    own = {store_name(p.store_path) for p in pieces if p.store_path}
    return [path for p in pieces for path in find_store_paths(_text(p.data)) if store_name(path) not in own]


def _learn_files(theirs: list[Piece]) -> dict[str, str]:
    by_name: dict[str, dict[str, bytes]] = {}
    for p in theirs:
        if p.store_path:
            by_name.setdefault(store_name(p.store_path), {})[p.store_path] = p.data
    files = {}
    for name, paths in by_name.items():
        if len(paths) == 1:
            files[name] = next(iter(paths))
        else:
            files.update({f"{name}@sha256:{hashlib.sha256(d).hexdigest()}": path for path, d in paths.items()})
    return files


# --- entry points ------------------------------------------------------------

def render_tree(path: str, store_paths: str | None = None) -> MemoryTree:
    """Render a containers file in memory with the NixOS target."""
    from nixlite.api import render
    artifacts, _warnings = render(path, "nixos", store_paths)
    return MemoryTree(artifacts, description=path)


def load_side(path: str, store_paths: str | None = None) -> Tree:
    """A directory is a tree to read; a file is a containers module to render."""
    if os.path.isfile(path):
        return render_tree(path, store_paths)
    return open_tree(path)


def diff_paths(source: str, against: str, store_paths: str | None = None) -> tuple[Report, list[Piece]]:
    """Compare SOURCE (file or tree) with the build at AGAINST; also return
    the build's pieces (for `learn_profile`)."""
    ours, theirs = load_side(source, store_paths), open_tree(against)
    build_pieces = collect(theirs)
    return compare(collect(ours), build_pieces, ours.description, theirs.description), build_pieces
