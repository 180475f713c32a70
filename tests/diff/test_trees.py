"""Trees: links resolved inside the root (never on the host), loops and
dangling links as errors, in-memory artifacts read like a directory."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from fakeroot import GOLDEN
from nixlite.diff import FsTree, MemoryTree, collect, compare, open_tree
from nixlite.errors import DiffError
from nixlite.translate import Artifact


def tree_with(tmp_path: Path, links: dict[str, str], files: dict[str, str] = {}) -> FsTree:
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    for rel, target in links.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        os.symlink(target, tmp_path / rel)
    return FsTree(str(tmp_path))


def test_absolute_link_resolves_inside_the_root(tmp_path):
    tree = tree_with(tmp_path, {"etc/static": "/nix/store/x-etc/etc", "etc/hosts": "/etc/static/hosts"},
                     {"nix/store/x-etc/etc/hosts": "inside\n"})
    assert tree.read("/etc/hosts") == b"inside\n"


def test_a_link_to_a_host_file_is_not_followed_onto_the_host(tmp_path):
    assert Path("/etc/passwd").exists()  # present on the host, absent from the root
    tree = tree_with(tmp_path, {"etc/passwd": "/etc/shadow-not-here", "etc/hosts": "/etc/passwd"})
    with pytest.raises(DiffError, match="dangling symlink /etc/passwd -> /etc/shadow-not-here"):
        tree.read("/etc/hosts")


def test_dotdot_stops_at_the_root(tmp_path):
    tree = tree_with(tmp_path, {"etc/x": "../../../../../etc/y"}, {"etc/y": "y\n"})
    assert tree.read("/etc/x") == b"y\n"


def test_link_loop_is_an_error(tmp_path):
    tree = tree_with(tmp_path, {"etc/a": "/etc/b", "etc/b": "/etc/a"})
    with pytest.raises(DiffError, match="symlink loop"):
        tree.read("/etc/a/x")


def test_missing_path_is_absent_not_an_error(tmp_path):
    tree = tree_with(tmp_path, {"etc/static": "/nix/store/x-etc/etc"}, {"nix/store/x-etc/etc/hosts": ""})
    assert tree.read("/etc/static/nothing") is None
    assert tree.list("/etc/nothing") == []


def test_directory_where_a_file_is_expected_is_an_error(tmp_path):
    tree = tree_with(tmp_path, {}, {"etc/hosts/x": ""})
    with pytest.raises(DiffError, match="cannot read /etc/hosts"):
        tree.read("/etc/hosts")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files of mode 000")
def test_unreadable_file_is_an_error(tmp_path):
    tree = tree_with(tmp_path, {}, {"etc/hosts": "x"})
    (tmp_path / "etc/hosts").chmod(0)
    with pytest.raises(DiffError, match="Permission denied"):
        tree.read("/etc/hosts")


def test_readlink_resolves_only_the_parents(tmp_path):
    tree = tree_with(tmp_path, {"etc/units": "/nix/store/u", "nix/store/u/w/a.service": "../a.service"})
    assert tree.readlink("/etc/units/w/a.service") == "../a.service"


def test_not_a_nixos_root(tmp_path):
    (tmp_path / "etc").mkdir()
    (tmp_path / "etc" / "passwd").write_text("")
    with pytest.raises(DiffError, match="is not a NixOS root"):
        open_tree(str(tmp_path))
    with pytest.raises(DiffError, match="no such file"):
        open_tree(str(tmp_path / "missing"))


def golden_artifacts(case: str) -> list[Artifact]:
    """A golden tree as `Artifact`s, the wants entries as real links."""
    out = []
    for f in sorted((GOLDEN / case).rglob("*")):
        rel = f.relative_to(GOLDEN / case).as_posix()
        if f.is_file() and not rel.startswith("meta/"):
            if "machines.target.wants/" in rel:
                out.append(Artifact(rel, None, "wants", link=f.read_text()))
            else:
                out.append(Artifact(rel, f.read_bytes(), "file"))
    return out


@pytest.mark.parametrize("case", ["030-autostart", "068-kitchen-sink"])
def test_memory_tree_reads_like_the_directory(case):
    mem = collect(MemoryTree(golden_artifacts(case)))
    disk = collect(open_tree(str(GOLDEN / case)))
    assert [(p.role, p.data) for p in mem] == [(p.role, p.data) for p in disk]
    assert compare(mem, disk).identical


def test_memory_tree_follows_relative_links():
    tree = MemoryTree([Artifact("etc/a/x", b"x", "f"), Artifact("etc/b/y", None, "l", link="../a/x")])
    assert tree.read("/etc/b/y") == b"x" and tree.readlink("/etc/b/y") == "../a/x"
    assert tree.list("/etc") == ["a", "b"]
