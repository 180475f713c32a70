"""Helpers shared by the migration-target tests (`fhs`, `nspawn`).

* `case_host(case)` is the Host of a fixture case: through the module system
  (`resolve_file`) when it is importable, else from the oracle's eval.json;
* `render(target, host)` runs a target and returns its artifacts and warnings;
* `check_golden(target, case, artifacts, warnings, update)` compares with (or,
  under `--update-goldens`, rewrites) `fixtures/golden-<target>/<case>/`: the
  tree itself, links stored as files holding their target (as in
  fixtures/golden), and `meta/warnings.txt`;
* `unit_root(tmp_path, artifacts)` lays the artifacts out under a fresh root
  next to a hard-linked copy of the host's system units, with an executable
  stand-in for every absolute command the units name (after checking that
  the real host has it), so `systemd-analyze verify --root` can check them;
* `verify(root, units)` runs systemd-analyze and returns its diagnostics.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

from golden_support import CASES, ROOT, read_tree, tree_of
from nixlite.translate import get_target

SYSTEMD_ANALYZE = shutil.which("systemd-analyze")
SHELLCHECK = shutil.which("shellcheck")
SYSTEM_UNITS = Path("/usr/lib/systemd/system")
NSPAWN_TEMPLATE = SYSTEM_UNITS / "systemd-nspawn@.service"
#: an absolute program at the start of an Exec*= value (after systemd's prefixes)
EXEC_RE = re.compile(r"^Exec[A-Za-z]*=[-@:+!]*(/\S+)", re.M)


def case_host(case: str):
    from nixlite.modules.containers import resolve_file
    return resolve_file(str(CASES / case / "containers.nix"))


def render(target: str, host, **options):
    t = get_target(target)(**options)
    return t.artifacts(host), [str(w) for w in t.warnings]


def golden_dir(target: str, case: str) -> Path:
    return ROOT / "fixtures" / f"golden-{target}" / case


def write_artifacts(root: Path, artifacts, links_as_files: bool = False) -> None:
    for a in artifacts:
        dest = root / a.path
        dest.parent.mkdir(parents=True, exist_ok=True)
        if a.content is None and links_as_files:
            dest.write_text(a.link)
        elif a.content is None:
            os.symlink(a.link, dest)
        else:
            dest.write_bytes(a.content)
            dest.chmod(a.mode)


def check_golden(target: str, case: str, artifacts, warnings: list[str], update: bool) -> None:
    where = golden_dir(target, case)
    text = "".join(w + "\n" for w in warnings)
    if update:
        shutil.rmtree(where, ignore_errors=True)
        (where / "meta").mkdir(parents=True)
        (where / "meta" / "warnings.txt").write_text(text)
        write_artifacts(where, artifacts, links_as_files=True)
    assert where.is_dir(), f"no golden for {case}: run pytest --update-goldens and read the result"
    want, got = read_tree(where), tree_of(artifacts)
    assert sorted(got) == sorted(want), "different file sets"
    for rel, (kind, data, mode) in want.items():
        assert got[rel][:2] == (kind, data), rel
        assert got[rel][2] & 0o111 == mode & 0o111, f"{rel}: executable bit differs"
    assert (where / "meta" / "warnings.txt").read_text() == text


def unit_root(tmp_path: Path, artifacts) -> Path:
    root = tmp_path / "root"
    shutil.copytree(SYSTEM_UNITS, root / SYSTEM_UNITS.relative_to("/"), symlinks=True, copy_function=os.link)
    write_artifacts(root, artifacts)
    for a in artifacts:
        if a.content is not None and a.path.endswith((".service", ".conf")):
            for program in EXEC_RE.findall(a.content.decode()):
                provide_program(root, program)
    return root


def provide_program(root: Path, program: str) -> None:
    """A stand-in in the root for a program the real host must have."""
    stand_in = root / program.lstrip("/")
    if stand_in.exists():
        return
    assert os.access(program, os.X_OK), f"{program} is not an executable on this host"
    stand_in.parent.mkdir(parents=True, exist_ok=True)
    stand_in.write_text("#!/bin/sh\n")
    stand_in.chmod(0o755)


def verify(root: Path, units: list[str]) -> str:
    """systemd-analyze verify's diagnostics (empty when all is well)."""
    p = subprocess.run([SYSTEMD_ANALYZE, "verify", "--man=no", f"--root={root}", *units],
                       capture_output=True, text=True, timeout=60)
    return (p.stdout + p.stderr).strip() + ("" if p.returncode == 0 else f"\n(exit {p.returncode})")
