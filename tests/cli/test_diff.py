"""`nixlite diff`: exit codes like diff(1), the table, --json, --quiet,
--learn-store-paths, and errors as one message (never a traceback)."""
from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from nixlite.cli import cli

_spec = importlib.util.spec_from_file_location("diff_fakeroot", Path(__file__).parents[1] / "diff" / "fakeroot.py")
fakeroot = sys.modules.setdefault("diff_fakeroot", importlib.util.module_from_spec(_spec))
_spec.loader.exec_module(fakeroot)
GOLDEN = fakeroot.GOLDEN


def invoke(*args: str):
    return CliRunner().invoke(cli, ["diff", *map(str, args)], catch_exceptions=False)


@pytest.fixture
def root(tmp_path):
    return fakeroot.build_root("038-several-containers", tmp_path / "root", rename={"gnused-4.8": "gnused-4.9"})


def test_identical_exits_0(tmp_path):
    fr = fakeroot.build_root("030-autostart", tmp_path / "root")
    result = invoke(GOLDEN / "030-autostart", "--against", fr.root)
    assert result.exit_code == 0, result.output
    assert "identical" in result.output and "differs" not in result.output


def test_differences_exit_1_with_table_and_diff(root):
    fr = root
    path = fr.host(fr.store("unit-script-container_web-pre-stop"))
    path.chmod(0o644)
    path.write_text(path.read_text().replace("poweroff", "terminate"))
    result = invoke(GOLDEN / "038-several-containers", fr.root)
    assert result.exit_code == 1
    assert "store path name differs: gnused-4.8 (nixlite) vs gnused-4.9 (build)" in result.output
    assert "-machinectl poweroff $INSTANCE" in result.output
    assert "+machinectl terminate $INSTANCE" in result.output
    assert "2 differences" in result.output


def test_json_lists_every_artifact(root):
    result = invoke(GOLDEN / "038-several-containers", "--against", root.root, "--json")
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert data["identical"] is False
    assert [(a["artifact"], a["status"]) for a in data["artifacts"] if a["status"] != "identical"] == [
        ("store path gnused", "differs")]
    assert {"etc/containers/web.conf", "unit-script-container_db-start"} <= {a["artifact"] for a in data["artifacts"]}


def test_quiet_prints_nothing(root):
    result = invoke(GOLDEN / "038-several-containers", "--against", root.root, "--quiet")
    assert (result.exit_code, result.output) == (1, "")


def test_learn_store_paths_writes_a_profile(root, tmp_path):
    out = tmp_path / "learned.json"
    result = invoke(GOLDEN / "038-several-containers", "--against", root.root, "--learn-store-paths", out, "-q")
    assert result.exit_code == 1
    data = json.loads(out.read_text())
    assert data["packages"]["gnused"] == root.store("gnused-4.9")
    assert data["files"]["unit-script-container_web-start"] == root.store("unit-script-container_web-start")


@pytest.mark.parametrize("setup, message", [
    ("plain", "is not a NixOS root"),
    ("dangling", "dangling symlink"),
    ("loop", "symlink loop"),
    ("unreadable", "cannot read /etc/containers/web.conf"),
    ("missing", "no such file"),
])
def test_errors_exit_2_with_a_message(setup, message, tmp_path):
    target = _broken_root(setup, tmp_path)
    result = invoke(GOLDEN / "001-minimal-path", "--against", target)
    assert result.exit_code == 2
    assert "error:" in result.output and message in result.output
    assert "Traceback" not in result.output


def _broken_root(setup: str, tmp_path: Path) -> Path:
    if setup == "plain":
        (tmp_path / "etc").mkdir()
        return tmp_path
    if setup == "missing":
        return tmp_path / "nothing"
    fr = fakeroot.build_root("001-minimal-path", tmp_path / "root")
    etc_out = fr.root / str((fr.root / "etc/static").readlink()).lstrip("/")
    conf = etc_out / "containers" / "web.conf"
    conf.unlink()
    if setup == "dangling":
        conf.symlink_to("/nix/store/00000000000000000000000000000000-gone")
    elif setup == "loop":
        conf.symlink_to("/etc/containers/web.conf")
    else:  # a directory where the conf file should be: unreadable even for root
        conf.mkdir()
    return fr.root


def test_usage_errors_exit_2(tmp_path):
    assert invoke(GOLDEN / "001-minimal-path").exit_code == 2
    assert invoke(GOLDEN / "001-minimal-path", GOLDEN / "001-minimal-path", "--against", tmp_path).exit_code == 2


def test_bad_store_paths_file_is_an_error(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{")
    (tmp_path / "c.nix").write_text("{ }")
    result = invoke(tmp_path / "c.nix", "--against", GOLDEN / "001-minimal-path", "--store-paths", bad)
    assert result.exit_code == 2 and "error:" in result.output and "Traceback" not in result.output


# --- a containers file against a root ---------------------------------------------

@pytest.fixture
def render_case(monkeypatch):
    """render_case(case): the .nix file renders as the golden case's resolved Host
    (real Nix's values), through the real NixOS target, until the module system lands."""
    try:
        from golden_support import host_from_eval_json
        from nixlite.translate import get_target
        get_target("nixos")
    except Exception as e:  # noqa: BLE001 - renderer not there yet
        pytest.skip(f"NixOS renderer not available: {e}")

    def use(case: str):
        def render_tree(path, store_paths=None):
            from nixlite.diff import MemoryTree
            from nixlite.storepaths import StoreProfile
            target = get_target("nixos")(profile=StoreProfile.load(store_paths))
            return MemoryTree(target.artifacts(host_from_eval_json(case)), description=path)
        monkeypatch.setattr("nixlite.diff.render_tree", render_tree)
    return use


@pytest.mark.parametrize("case", ["001-minimal-path", "068-kitchen-sink"])
def test_containers_file_against_a_root(case, render_case, tmp_path):
    render_case(case)
    fr = fakeroot.build_root(case, tmp_path / "root")
    source = GOLDEN.parent / "cases" / case / "containers.nix"
    result = invoke(source, "--against", fr.root)
    assert result.exit_code == 0, result.output
    learned = tmp_path / "learned.json"
    assert invoke(source, "--against", fr.root, "--learn-store-paths", learned, "-q").exit_code == 0
    # with the learned profile nixlite's files are the build's, hashes included
    assert invoke(source, fr.root, "--store-paths", learned, "-q").exit_code == 0


def test_render_output_tree_against_a_root(monkeypatch, tmp_path):
    """What `nixlite render -o OUT` writes (manifest, real symlinks) reads as a tree."""
    try:
        from golden_support import host_from_eval_json
        monkeypatch.setattr("nixlite.cli.render.load_host", lambda path, profile=None: host_from_eval_json("030-autostart"))
    except Exception as e:  # noqa: BLE001 - renderer not there yet
        pytest.skip(f"nixlite render not available: {e}")
    out = tmp_path / "out"
    rendered = CliRunner().invoke(cli, ["render", "x.nix", "-o", str(out)], catch_exceptions=False)
    assert rendered.exit_code == 0, rendered.output
    fr = fakeroot.build_root("030-autostart", tmp_path / "root")
    result = invoke(out, "--against", fr.root)
    assert result.exit_code == 0, result.output


def test_real_containers_file_against_a_root(tmp_path):
    fr = fakeroot.build_root("038-several-containers", tmp_path / "root")
    result = invoke(GOLDEN.parent / "cases" / "038-several-containers" / "containers.nix", "--against", fr.root)
    assert result.exit_code == 0, result.output

