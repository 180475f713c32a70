"""`nixlite render`: writing, refusing, filtering, printing.

Until the module system exists the containers file is replaced by the Host
real Nix resolved for a golden case (`load_host` is the seam); the README
command itself runs once `nixlite.modules.containers` is importable.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from golden_support import GOLDEN, ROOT, compare_trees, host_from_eval_json, read_tree
from nixlite.cli import cli
from nixlite.translate.output import MANIFEST



@pytest.fixture
def use_case(monkeypatch):
    """use_case(case): `render` reads that golden case's resolved Host."""
    def use(case: str):
        monkeypatch.setattr("nixlite.cli.render.load_host", lambda path, profile=None: host_from_eval_json(case))
    return use


def invoke(*args: str):
    return CliRunner().invoke(cli, ["render", *args], catch_exceptions=False)


def test_writes_the_golden_tree_and_a_manifest(use_case, tmp_path):
    use_case("068-kitchen-sink")
    out = tmp_path / "out"
    result = invoke("x.nix", "-o", str(out))
    assert result.exit_code == 0, result.output
    compare_trees(read_tree(out), read_tree(GOLDEN / "068-kitchen-sink"))
    assert os.readlink(out / "etc/systemd/system/machines.target.wants/container@everything.service") \
        == "../container@everything.service"
    manifest = json.loads((out / MANIFEST).read_text())
    assert manifest["generator"] == "nixlite" and manifest["target"] == "nixos"
    listed = {a["path"] for a in manifest["artifacts"]}
    assert listed == set(read_tree(out))
    assert manifest["host"]["kernelModules"] == ["bridge", "macvlan", "tap", "tun"]
    assert "everything" in result.output  # the summary table


def test_rerender_replaces_own_tree_without_force(use_case, tmp_path):
    out = tmp_path / "out"
    use_case("038-several-containers")
    assert invoke("x.nix", "-o", str(out)).exit_code == 0
    assert (out / "etc/containers/cache.conf").exists()
    use_case("001-minimal-path")
    assert invoke("x.nix", "-o", str(out)).exit_code == 0
    assert not (out / "etc/containers/cache.conf").exists()  # stale files go
    compare_trees(read_tree(out), read_tree(GOLDEN / "001-minimal-path"))
    assert [p.name for p in tmp_path.iterdir()] == ["out"]  # no temporary leftovers


def test_refuses_a_foreign_directory_unless_forced(use_case, tmp_path):
    use_case("001-minimal-path")
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("keep me")
    result = invoke("x.nix", "-o", str(out))
    assert result.exit_code == 1
    assert "refusing to write into" in result.output and "Traceback" not in result.output
    assert [p.name for p in out.iterdir()] == ["notes.txt"]
    assert invoke("x.nix", "-o", str(out), "--force").exit_code == 0
    assert (out / "notes.txt").read_text() == "keep me"
    assert (out / "etc/containers/web.conf").exists() and (out / MANIFEST).exists()


def test_empty_existing_directory_is_fine(use_case, tmp_path):
    use_case("001-minimal-path")
    assert invoke("x.nix", "-o", str(tmp_path)).exit_code == 0
    assert (tmp_path / "etc/containers/web.conf").exists()


def test_stdout_prints_each_artifact_with_a_header(use_case):
    use_case("030-autostart")
    result = invoke("x.nix", "--stdout")
    assert result.exit_code == 0
    text = result.stdout
    assert "==> etc/containers/svc.conf <==\nSYSTEM_PATH=" in text
    assert "==> etc/systemd/system/machines.target.wants/container@svc.service <==\n-> ../container@svc.service\n" in text


def test_json_output_is_the_manifest(use_case, tmp_path):
    use_case("001-minimal-path")
    result = invoke("x.nix", "-o", str(tmp_path / "o"), "--json")
    data = json.loads(result.stdout)
    assert data["output"] == str(tmp_path / "o")
    kinds = {a["kind"] for a in data["artifacts"] if a["container"] == "web"}
    assert {"conf", "unit", "start-script", "pre-start-script", "post-start-script", "pre-stop-script"} <= kinds


def test_container_filter_and_unknown_name(use_case):
    use_case("038-several-containers")
    text = invoke("x.nix", "--stdout", "--container", "web").stdout
    assert "etc/containers/web.conf" in text and "etc/containers/db.conf" not in text
    assert "10.1.2.2 db.containers" not in text and "10.1.1.2 web.containers" in text
    bad = invoke("x.nix", "--stdout", "--container", "wbe")
    assert bad.exit_code == 1 and "no container named 'wbe'" in bad.output and "did you mean 'web'" in bad.output


def test_store_paths_file(use_case, tmp_path):
    use_case("001-minimal-path")
    bash = "/nix/store/" + "a" * 32 + "-bash-5.0"
    prof = tmp_path / "p.json"
    prof.write_text(json.dumps({"packages": {"bash": bash}}))
    text = invoke("x.nix", "--stdout", "--store-paths", str(prof)).stdout
    assert f"#! {bash}/bin/bash -e\n" in text
    prof.write_text("{not json")
    bad = invoke("x.nix", "--stdout", "--store-paths", str(prof))
    assert bad.exit_code == 1 and "is not valid JSON" in bad.output and "Traceback" not in bad.output


def test_disabled_containers_write_only_the_manifest(use_case, tmp_path):
    use_case("060-enable-containers-false")
    out = tmp_path / "o"
    assert invoke("x.nix", "-o", str(out)).exit_code == 0
    assert [p.name for p in out.iterdir()] == [MANIFEST]


def test_list_targets_and_usage_errors():
    assert "nixos" in invoke("--list-targets").stdout
    missing = invoke("x.nix")
    assert missing.exit_code == 2 and "-o OUT" in missing.output


def test_readme_command(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    example = str(ROOT / "fixtures/examples/web.nix")
    for _ in range(2):  # a second run re-renders into the tree the first one wrote
        result = invoke(example, "-o", "out/")
        assert result.exit_code == 0, result.output
    assert (tmp_path / "out/etc/containers/web.conf").read_text().startswith("SYSTEM_PATH=")


def test_real_case_and_real_error(tmp_path):
    case = ROOT / "fixtures/cases"
    ok = invoke(str(case / "068-kitchen-sink/containers.nix"), "-o", str(tmp_path / "o"))
    assert ok.exit_code == 0, ok.output
    compare_trees(read_tree(tmp_path / "o"), read_tree(GOLDEN / "068-kitchen-sink"))
    bad = invoke(str(case / "051-err-unknown-container-option/containers.nix"), "-o", str(tmp_path / "e"))
    assert bad.exit_code == 1 and "Traceback" not in bad.output
    assert "containers.web.privateNetwrok' defined in" in bad.output and not (tmp_path / "e").exists()


@pytest.mark.parametrize("target", ["nixos", "fhs", "nspawn"])
def test_every_target_renders_the_readme_example_through_the_real_pipeline(tmp_path, target):
    """No seam: containers.nix -> modules -> target -> tree, as a user runs it."""
    import subprocess
    import sys
    example = Path(__file__).resolve().parents[2] / "fixtures" / "examples" / "web.nix"
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "nixlite", "render", str(example), "--target", target, "-o", str(out)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr
    written = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    assert "manifest.json" in written
    expected = {"nixos": "etc/containers/web.conf", "fhs": "etc/containers/web.conf",
                "nspawn": "etc/systemd/nspawn/web.nspawn"}[target]
    assert expected in written
