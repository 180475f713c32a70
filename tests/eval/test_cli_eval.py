"""`nixlite eval`: flags, output format and error rendering (CliRunner)."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from nixlite.cli import cli


def run(*args: str):
    return CliRunner().invoke(cli, ["eval", *args], catch_exceptions=False)


def test_expression_and_strict():
    assert run("-E", "1 + 1").output == "2\n"
    assert run("-E", "{ a = 1 + 1; }").output == "{ a = <CODE>; }\n"
    assert run("--strict", "-E", "{ a = 1 + 1; }").output == "{ a = 2; }\n"


def test_json_has_no_trailing_newline():
    r = run("--strict", "--json", "-E", '{ b = [ 1 2.5 "x" ]; a = null; }')
    assert r.output == '{"a":null,"b":[1,2.5,"x"]}'
    assert json.loads(r.output) == {"a": None, "b": [1, 2.5, "x"]}


def test_file_with_args_and_attr(tmp_path):
    f = tmp_path / "f.nix"
    f.write_text('{ n, s ? "d", extra ? 0 }: { out = { v = n * 2; inherit s; }; }\n')
    r = run(str(f), "--arg", "n", "21", "--argstr", "s", "hi", "-A", "out", "--strict", "--expr")
    assert r.exit_code == 0, r.output
    assert r.output == '{ s = "hi"; v = 42; }\n'
    assert run(str(f), "--expr").output == "<LAMBDA>\n"


def test_attr_path_into_list():
    assert run("-E", "{ xs = [ 10 { y = 3; } ]; }", "-A", "xs.1.y").output == "3\n"
    r = run("-E", "{ }", "-A", "missing")
    assert r.exit_code == 1 and "attribute 'missing' in selection path 'missing' not found" in r.output


def test_include_and_system(tmp_path):
    (tmp_path / "v.nix").write_text("5")
    assert run("-I", f"here={tmp_path}", "-E", "import <here/v.nix>").output == "5\n"
    assert run("--system", "aarch64-linux", "-E", "builtins.currentSystem").output == '"aarch64-linux"\n'


def test_error_rendering_has_position_and_caret(tmp_path):
    f = tmp_path / "bad.nix"
    f.write_text("let\n  a = 1;\nin a + b\n")
    r = run(str(f), "--expr")
    assert r.exit_code == 1
    assert r.output.startswith("error: undefined variable 'b'\n")
    assert f"at {f}:3:8:" in r.output
    assert "     3| in a + b\n" in r.output and "|        ^" in r.output


def test_show_trace_lists_frames():
    expr = "let f = x: x.missing; in f { }"
    plain, traced = run("-E", expr), run("--show-trace", "-E", expr)
    assert "--show-trace" in plain.output and "while calling a function" not in plain.output
    assert "while calling a function" in traced.output


def test_parse_error_is_reported():
    r = run("-E", "let a = ; in a")
    assert r.exit_code == 1 and r.output.startswith("error: syntax error")


def test_usage_error_without_input():
    assert run().exit_code != 0


def test_fresh_process_never_prints_a_traceback():
    p = subprocess.run([sys.executable, "-m", "nixlite", "eval", "-E", "let f = n: f (n + 1) + 1; in f 0"],
                       capture_output=True, text=True, timeout=120)
    assert p.returncode == 1
    assert "stack overflow" in p.stderr and "Traceback" not in p.stderr


@pytest.mark.parametrize("flag", ["--strict", "--json"])
def test_expr_flag_forces_plain_evaluation(tmp_path, flag):
    f = tmp_path / "plain.nix"
    f.write_text("{ x = 1; }")
    r = run(str(f), "--expr", "--strict", flag)
    assert r.exit_code == 0 and r.output in ("{ x = 1; }\n", '{"x":1}')


def test_module_files_are_delegated(tmp_path, monkeypatch):
    import types
    calls = []
    fake = types.ModuleType("nixlite.modules.detect")
    fake.looks_like_module = lambda path: path.endswith("containers.nix")
    fake.eval_module_command = lambda path, **kw: calls.append((path, kw)) or 0
    monkeypatch.setitem(sys.modules, "nixlite.modules.detect", fake)
    f = tmp_path / "containers.nix"
    f.write_text("{ containers = { }; }")
    assert run(str(f), "--json", "-A", "a.b").exit_code == 0
    assert calls == [(str(f), {"json": True, "strict": False, "attr": "a.b", "show_trace": False})]
    other = tmp_path / "other.nix"
    other.write_text("{ y = 2; }")
    assert run(str(other), "--module").exit_code == 0 and len(calls) == 2
    assert run(str(other), "--strict").output == "{ y = 2; }\n" and len(calls) == 2
