"""`nixlite options`, module detection and `nixlite eval` on a module file."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from nixlite.cli.options import command as options_command
from nixlite.modules.detect import eval_module_command, looks_like_module

CASES = Path(__file__).resolve().parents[2] / "fixtures" / "cases"


def test_options_json_rows():
    res = CliRunner().invoke(options_command, ["--json"], catch_exceptions=False)
    rows = {r["name"]: r for r in json.loads(res.output)}
    assert rows["containers.<name>.timeoutStartSec"]["default"] == "1min"
    assert rows["containers.<name>.forwardPorts.*.hostPort"]["type"] == "signed integer"
    assert rows["containers.<name>.forwardPorts.*.hostPort"]["required"] is True
    assert rows["containers.<name>.bindMounts"]["type"] == "list or attribute set of submodules"
    assert rows["containers.<name>.extraVeths.<name>.localAddress6"]["type"] == "null or string"
    assert rows["boot.enableContainers"]["defaultText"] == "!config.boot.isContainer"
    assert "networking.networkmanager.enable" in rows and "nixpkgs.localSystem.system" in rows


def test_options_table_and_schema():
    runner = CliRunner()
    table = runner.invoke(options_command, [], catch_exceptions=False).output
    assert "containers module options" in table and "boot.isContainer" in table
    schema = json.loads(runner.invoke(options_command, ["--json-schema"], catch_exceptions=False).output)
    assert "Container" in schema["$defs"] and "containers" in schema["properties"]


@pytest.mark.parametrize("text, want", [
    ("{ containers.a.path = \"/p\"; }", True),
    ("{ config, lib, ... }: { }", True),
    ("{ lib, ... }: let x = 1; in { imports = [ ]; }", True),
    ("let a = 1; in { imports = [ ]; }", True),
    ("{ ... }: { }", True),
    ("{ a = 1; }", False),
    ("1 + 1", False),
    ("{ pkgs ? import <nixpkgs> { } }: pkgs.hello", False),
    ("{ x, y }: x + y", False),
    ("x: x", False),
    ("{ broken", False),
])
def test_looks_like_module(tmp_path, text, want):
    p = tmp_path / "f.nix"
    p.write_text(text)
    assert looks_like_module(str(p)) is want


def test_eval_module_command_nix_text(capsys):
    code = eval_module_command(str(CASES / "014-forward-ports-no-container-port" / "containers.nix"),
                               attr="ssh.forwardPorts")
    assert code == 0
    assert capsys.readouterr().out == "[ { containerPort = null; hostPort = 2222; protocol = \"tcp\"; } ]\n"


def test_eval_module_command_json_and_errors(capsys):
    assert eval_module_command(str(CASES / "031-tmpfs" / "containers.nix"), json=True, attr="tmpfs.tmpfs") == 0
    assert json.loads(capsys.readouterr().out) == ["/var", "/tmp:mode=1777"]
    assert eval_module_command(str(CASES / "052-err-no-path-no-config" / "containers.nix")) == 1
    assert "The option `containers.empty.path' is used but not defined." in capsys.readouterr().err
    assert eval_module_command(str(CASES / "031-tmpfs" / "containers.nix"), attr="nope") == 1
    assert "attribute 'nope' in selection path 'nope' not found" in capsys.readouterr().err
