"""Fake NixOS system roots built from the golden trees, for `nixlite diff` tests.

A golden tree is what nixlite's render must look like; a real system holds
the same bytes in another layout: `/etc/static` links into an `-etc` store
path, `/etc/systemd/system` and `/etc/containers` link to `/etc/static/...`,
each unit is a link into its own `unit-<name>` store package, every link is
absolute, and `/etc/hosts` and `multi-user.target`'s drop-in hold other
modules' lines too.  Every store path gets a *different hash* (the old path
re-hashed), so an identical report proves alignment by name, not hash.
"""
from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from nixlite.storepaths import STORE_PATH_RE, find_store_paths, nixbase32, store_name

GOLDEN = Path(__file__).resolve().parents[2] / "fixtures" / "golden"
CASES = sorted(p.name for p in GOLDEN.iterdir() if (p / "etc").is_dir())
OTHER_HOSTS_HEAD = "127.0.0.1 localhost\n::1 localhost\n"
OTHER_HOSTS_TAIL = "192.168.1.5 nas.lan nas\n"


def fake_path(name: str, salt: str) -> str:
    """A store path for `name` whose hash no renderer would compute."""
    digest = hashlib.sha256(f"fake-root:{salt}:{name}".encode()).digest()
    return f"/nix/store/{nixbase32(digest[:20])}-{name}"


@dataclass
class FakeRoot:
    root: Path
    golden: Path
    paths: dict[str, str] = field(default_factory=dict)  # golden store path -> fake one
    toplevel: str = ""

    def host(self, path: str) -> Path:
        """Where a path of the fake system is on disk (no link following)."""
        return self.root / path.lstrip("/")

    def store(self, name: str) -> str:
        """The (first) store path of the fake system with this store name."""
        return next(f"/nix/store/{p.name}" for p in sorted((self.root / "nix" / "store").iterdir())
                    if p.name[33:] == name)

    def write(self, path: str, data: bytes, mode: int = 0o444) -> None:
        target = self.host(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists():
            target.chmod(0o644)
        target.write_bytes(data)
        target.chmod(mode)

    def link(self, path: str, target: str) -> None:
        where = self.host(path)
        where.parent.mkdir(parents=True, exist_ok=True)
        if where.is_symlink():
            where.unlink()
        os.symlink(target, where)


def build_root(case: str, root: Path, *, drop: tuple[str, ...] = (), rename: dict[str, str] | None = None,
               wants_lines: bool = False) -> FakeRoot:
    """Lay out the golden case as a NixOS system under `root`."""
    fr = FakeRoot(root, GOLDEN / case)
    fr.paths = _rehash(fr.golden, rename or {})
    _write_store_files(fr)
    etc_out = fake_path("etc", case) + "/etc"
    units = _write_units(fr, drop, wants_lines)
    fr.link(etc_out + "/systemd/system", units)
    _write_containers(fr, etc_out, drop)
    _write_hosts(fr, etc_out, drop)
    fr.link("/etc/static", etc_out)
    fr.link("/etc/systemd/system", "/etc/static/systemd/system")
    fr.link("/etc/containers", "/etc/static/containers")
    fr.link("/etc/hosts", "/etc/static/hosts")
    fr.write("/etc/NIXOS", b"")
    fr.toplevel = fake_path("nixos-system-host-20.09.1234.abcdef", case)
    fr.link(fr.toplevel + "/etc", etc_out)
    fr.link("/run/current-system", fr.toplevel)
    return fr


def rewrite(text: str, paths: dict[str, str]) -> str:
    return STORE_PATH_RE.sub(lambda m: paths.get(m.group(0), m.group(0)), text)


def _rehash(golden: Path, rename: dict[str, str]) -> dict[str, str]:
    found = {f"/nix/store/{p.name}" for p in (golden / "nix" / "store").iterdir()}
    for f in (golden / "etc").rglob("*"):
        if f.is_file():
            found.update(find_store_paths(f.read_bytes().decode()))
    for f in (golden / "nix" / "store").iterdir():
        found.update(find_store_paths(f.read_bytes().decode()))
    return {p: fake_path(rename.get(store_name(p), store_name(p)), p) for p in sorted(found)}


def _write_store_files(fr: FakeRoot) -> None:
    generated = {f"/nix/store/{p.name}": p for p in (fr.golden / "nix" / "store").iterdir()}
    for old, new in fr.paths.items():
        if old in generated:
            src = generated[old]
            mode = 0o555 if os.access(src, os.X_OK) else 0o444
            fr.write(new, rewrite(src.read_bytes().decode(), fr.paths).encode(), mode)
        else:  # a package: a directory with a bin/
            fr.host(new + "/bin").mkdir(parents=True, exist_ok=True)


def _golden_text(fr: FakeRoot, rel: str) -> str:
    return rewrite((fr.golden / rel).read_bytes().decode(), fr.paths)


def _write_units(fr: FakeRoot, drop: tuple[str, ...], wants_lines: bool) -> str:
    """The system-units store dir: one link per unit into its own package."""
    units = fake_path("system-units", fr.golden.name)
    sysdir = fr.golden / "etc/systemd/system"
    for unit in sorted(p.name for p in sysdir.glob("container@*.service")):
        if unit[len("container@"):-len(".service")] in drop:
            continue
        pkg = fake_path("unit-" + unit.replace("@", "-"), fr.golden.name)
        fr.write(f"{pkg}/{unit}", _golden_text(fr, f"etc/systemd/system/{unit}").encode())
        fr.link(f"{units}/{unit}", f"{pkg}/{unit}")
    for wanted in sorted((sysdir / "machines.target.wants").glob("*")):  # none: an empty glob
        if wanted.name[len("container@"):-len(".service")] not in drop:
            fr.link(f"{units}/machines.target.wants/{wanted.name}", f"../{wanted.name}")
    other = fake_path("unit-sshd.service", fr.golden.name)
    fr.write(f"{other}/sshd.service", b"[Unit]\nDescription=SSH Daemon\n")
    fr.link(f"{units}/sshd.service", f"{other}/sshd.service")
    _write_overrides(fr, units, wants_lines)
    return units


def _write_overrides(fr: FakeRoot, units: str, wants_lines: bool) -> None:
    """multi-user.target's drop-in, with other modules' wants (one line, as
    NixOS writes `Wants = toString wants`, or several lines)."""
    text = (fr.golden / "etc/systemd/system/multi-user.target.d/overrides.conf").read_bytes().decode()
    others = "Wants=network-online.target\nWants=machines.target\nWants=sshd.service\n" if wants_lines \
        else "Wants=network-online.target machines.target sshd.service\n"
    text = text.replace("Wants=machines.target\n", "After=network-online.target\n" + others)
    pkg = fake_path("unit-multi-user.target", fr.golden.name)
    fr.write(f"{pkg}/overrides.conf", text.encode())
    fr.link(f"{units}/multi-user.target.d/overrides.conf", f"{pkg}/overrides.conf")


def _write_containers(fr: FakeRoot, etc_out: str, drop: tuple[str, ...]) -> None:
    """/etc/containers/<name>.conf links to the `etc-<name>.conf` store file,
    next to a podman file that is not a container's."""
    for conf in sorted((fr.golden / "etc/containers").glob("*.conf")):
        name = conf.stem
        if name in drop:
            continue
        copies = [new for old, new in fr.paths.items() if store_name(old) == f"etc-{name}.conf"]
        target = copies[0] if copies else fake_path(f"etc-{name}.conf", fr.golden.name)
        fr.write(target, _golden_text(fr, f"etc/containers/{name}.conf").encode())
        fr.link(f"{etc_out}/containers/{name}.conf", target)
    registries = fake_path("etc-registries.conf", fr.golden.name)
    fr.write(registries, b"[registries.search]\nregistries = ['docker.io']\n")
    fr.link(f"{etc_out}/containers/registries.conf", registries)


def _write_hosts(fr: FakeRoot, etc_out: str, drop: tuple[str, ...]) -> None:
    extra = fr.golden / "etc/hosts.extraHosts"
    lines = extra.read_bytes().decode().splitlines(keepends=True) if extra.is_file() else []
    lines = [ln for ln in lines if not any(re.search(rf"\s{re.escape(d)}\.containers\b", ln) for d in drop)]
    target = fake_path("hosts", fr.golden.name)
    fr.write(target, (OTHER_HOSTS_HEAD + "".join(lines) + OTHER_HOSTS_TAIL).encode())
    fr.link(f"{etc_out}/hosts", target)
