"""How errors look: Nix 2.8's layout, checked against real Nix where the
message is the same, plus nixlite's own rules (long lines, multi-line
messages)."""
import subprocess
import sys

import pytest

from nixlite.cli.diagnostics import MAX_SHOWN, format_error
from nixlite.errors import EvalError, OptionError
from nixlite.source import Span, register

#: programs whose whole error output nixlite reproduces byte for byte
SAME_AS_NIX = [
    "let\n  a = 1;\n  b = y;\nin b\n",
    "\n\n\n\n\n\n\n\n\nlet\n  x = x;\nin\n  x\n",
    "{ a = 1;\n  a = 2; }\n",
    "{ a = 1; }}\n",
]


@pytest.mark.parametrize("program", SAME_AS_NIX)
def test_error_output_is_nixs(program, tmp_path, nix_instantiate):
    from nix_oracle import nix_env
    f = tmp_path / "t.nix"
    f.write_text(program)
    ours = subprocess.run([sys.executable, "-m", "nixlite", "eval", str(f)], capture_output=True, text=True)
    nix = subprocess.run([nix_instantiate, "--eval", str(f)], capture_output=True, text=True, env=nix_env())
    assert ours.returncode == 1 and nix.returncode != 0
    assert ours.stderr == nix.stderr


def test_multi_line_message_continues_at_the_message_column():
    text = format_error(EvalError("\nFailed assertions:\n- first\n\n- second"))
    assert text.splitlines() == ["error:", "       Failed assertions:", "       - first", "", "       - second"]


def test_long_line_is_windowed_around_the_column():
    line = "x" * 5000 + " BAD " + "y" * 5000
    register("long.nix", line)
    col = 5002
    text = format_error(EvalError("boom", Span("long.nix", 1, col, 1, col + 3)))
    shown, caret = [ln for ln in text.splitlines() if "|" in ln]
    assert len(shown) < MAX_SHOWN + 30
    assert shown.split("| ", 1)[1].startswith("…") and shown.endswith("…")
    # the caret stands under the B of BAD
    assert shown[caret.index("^")] == "B" and caret.count("^") == 3


def test_option_errors_point_at_show_trace_like_nixos():
    text = format_error(OptionError("The option `containers.web.x' does not exist.", option_path="containers.web.x"))
    assert text.endswith("(use '--show-trace' to show detailed location information)")


def test_columns_count_bytes_like_nix_but_the_caret_sits_under_the_character():
    from nixlite.errors import ParseError
    from nixlite.eval.evaluator import eval_string
    try:
        eval_string('{ a = "ééé"; b = y; }', "/virtual/u.nix", "/virtual")
    except (ParseError, EvalError) as e:
        err = e
    else:
        raise AssertionError("undefined variable not reported")
    assert (err.span.line, err.span.col) == (1, 21)  # Nix 2.8 says 1:21 (bytes)
    text = format_error(err)
    shown, caret = [ln for ln in text.splitlines() if "| " in ln and ("y;" in ln or "^" in ln)]
    assert shown[caret.index("^")] == "y"
