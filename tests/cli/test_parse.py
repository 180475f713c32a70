"""`nixlite parse`: silent success, rendered errors with a caret, --dump, --json."""
from __future__ import annotations

import json
import subprocess
import sys

from click.testing import CliRunner

from nixlite.cli import cli


def run(*args, input=None):
    return CliRunner().invoke(cli, ["parse", *args], input=input, catch_exceptions=False)


def test_success_prints_nothing(tmp_path):
    f = tmp_path / "ok.nix"
    f.write_text("{ a = 1; }\n")
    result = run(str(f))
    assert result.exit_code == 0 and result.output == ""


def test_expression_dump():
    result = run("-E", "1 + 2 * 3", "--dump")
    assert result.exit_code == 0
    assert result.output == "(1 + (2 * 3))\n"


def test_dump_puts_bindings_on_lines():
    result = run("-E", "{ a = 1; b = let c = [ x ]; in c; }", "--dump")
    assert result.output == "{\n  a = 1;\n  b = (let\n    c = [ (x) ];\n  in c);\n}\n"


def test_json_dump_without_spans():
    result = run("-E", "[ x ]", "--json", "--no-spans")
    assert json.loads(result.output) == {"type": "List", "items": [{"type": "Var", "name": "x"}]}


def test_stdin():
    result = run("-", "--dump", input="a.b or c")
    assert result.output == "(a).b or (c)\n"


def test_needs_exactly_one_input():
    assert CliRunner().invoke(cli, ["parse"]).exit_code != 0


def _nixlite(*args):
    # a real process: the error path calls sys.exit after printing to stderr
    return subprocess.run([sys.executable, "-m", "nixlite", "parse", *args], capture_output=True, text=True)


def test_syntax_error_has_location_and_caret(tmp_path):
    f = tmp_path / "bad.nix"
    f.write_text("{\n  a = 1\n}\n")
    p = _nixlite(str(f))
    assert p.returncode == 1 and p.stdout == ""
    assert "error: syntax error, unexpected '}', expecting ';'" in p.stderr
    assert f"at {f}:3:1:" in p.stderr
    assert "3| }" in p.stderr and "| ^" in p.stderr
    assert "Traceback" not in p.stderr


def test_binary_file_is_an_error_not_a_traceback(tmp_path):
    f = tmp_path / "bin.nix"
    f.write_bytes(bytes(range(256)) * 4)
    p = _nixlite(str(f))
    assert p.returncode == 1 and "error:" in p.stderr and "Traceback" not in p.stderr


def test_deep_nesting_is_an_error_not_a_crash(tmp_path):
    f = tmp_path / "deep.nix"
    f.write_text("(" * 100_000 + "1" + ")" * 100_000)
    p = _nixlite(str(f))
    assert p.returncode == 1 and "nested too deeply" in p.stderr
