"""Parse errors: positions and messages, robustness, and `parse_file`.

`fixtures/errors/*.nix` hold chunks separated by `---` lines; the line
where the error must be reported ends with `### "regex"` (starlark-go's
layout).  Each chunk must fail with a `ParseError` on that line whose
message matches the regex, and real Nix must reject the chunk too.
"""
from __future__ import annotations

import os
import re
import subprocess
import time
from pathlib import Path

import pytest

from syntax_support import NIX_INSTANTIATE, nix_parse
from nixlite.errors import ParseError
from nixlite.source import SOURCES
from nixlite.syntax.parse import parse, parse_file

ERRORS = Path(__file__).resolve().parents[2] / "fixtures" / "errors"
_MARK = re.compile(r'### "(.*)"\s*$')


def _chunks():
    for path in sorted(ERRORS.glob("*.nix")):
        for i, chunk in enumerate(path.read_text().split("\n---\n")):
            lines = chunk.split("\n")
            marked = [(n, _MARK.search(line)) for n, line in enumerate(lines, 1) if _MARK.search(line)]
            assert len(marked) == 1, f"{path.name} chunk {i}: need exactly one ### marker"
            line, match = marked[0]
            yield pytest.param(chunk, line, match[1], id=f"{path.stem}-{i}")


@pytest.mark.parametrize("source,line,pattern", list(_chunks()))
def test_error_position_and_message(source, line, pattern):
    with pytest.raises(ParseError) as info:
        parse(source, file="/errors/case.nix")
    err = info.value
    assert err.span is not None and err.span.file == "/errors/case.nix"
    assert err.span.line == line, (err.message, err.span)
    assert re.search(pattern, err.message), err.message


@pytest.mark.skipif(NIX_INSTANTIATE is None, reason="nix-instantiate not installed")
@pytest.mark.parametrize("source,line,pattern", list(_chunks()))
def test_nix_rejects_error_fixtures_too(source, line, pattern):
    accepted, _ = nix_parse(source)
    assert not accepted


def test_duplicate_attribute_message_names_both_places():
    with pytest.raises(ParseError) as info:
        parse("{ a = 1;\n  a = 2; }", file="/x/y.nix")
    assert info.value.message == "attribute 'a' already defined at /x/y.nix:1:3"
    assert (info.value.span.line, info.value.span.col) == (2, 3)


def test_string_source_shows_as_nix_does():
    with pytest.raises(ParseError) as info:
        parse("{ a = 1; a = 2; }")
    assert info.value.message == "attribute 'a' already defined at (string):1:3"


# --- robustness: never a Python exception other than ParseError ----------------

def test_deep_parentheses_do_not_recurse():
    depth = 100_000
    with pytest.raises(ParseError) as info:
        parse("(" * depth + "1" + ")" * depth)
    assert "nested too deeply" in info.value.message


def test_moderately_deep_nesting_is_fine():
    node = parse("[" * 3000 + "]" * 3000)
    from nixlite.syntax.printer import to_json, to_nix
    assert to_nix(node).count("[") == 3000
    assert to_json(node, spans=False).count('"List"') == 3000


def test_nul_byte_ends_the_input_as_in_nix():
    assert parse("1 # comment\0 garbage )").value == 1
    with pytest.raises(ParseError) as info:
        parse("{ a = 1;\0 }")
    assert "unexpected end of file" in info.value.message
    assert "NUL byte" in info.value.hint


@pytest.mark.parametrize("text", ["\x01\x02", "\x7f", "\ufeff1", "1 \u00a0 2", "é", "{ a = \x1b; }"])
def test_control_and_unicode_characters(text):
    with pytest.raises(ParseError) as info:
        parse(text)
    assert "unexpected invalid character" in info.value.message


def test_random_bytes_never_crash():
    import random
    rng = random.Random(5)
    alphabet = "{}[]();:.=@,?!+-*/<>\"'$\\~#&| \n\tabcxyz019_"
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        try:
            parse(text)
        except ParseError as e:
            assert e.span is not None and e.message


def test_unterminated_string_points_after_last_token():
    with pytest.raises(ParseError) as info:
        parse('x = "abc')
    assert info.value.span.line == 1


# --- files ----------------------------------------------------------------------------

def test_parse_file_registers_absolute_path(tmp_path, monkeypatch):
    f = tmp_path / "a.nix"
    f.write_text("./b")
    monkeypatch.chdir(tmp_path)
    node = parse_file("a.nix")
    assert node.span.file == str(f)
    assert node.value == str(tmp_path / "b")
    assert SOURCES[str(f)] == "./b"


def test_parse_file_directory_means_default_nix(tmp_path):
    (tmp_path / "default.nix").write_text("42")
    assert parse_file(str(tmp_path)).value == 42


def test_parse_file_cache_follows_mtime(tmp_path):
    f = tmp_path / "c.nix"
    f.write_text("1")
    first = parse_file(str(f))
    assert parse_file(str(f)) is first
    f.write_text("22")
    os.utime(f, ns=(time.time_ns() + 10**9, time.time_ns() + 10**9))
    assert parse_file(str(f)).value == 22


@pytest.mark.parametrize("content", [b"\xff\xfe\x00binary", bytes(range(256)), bytes(range(1, 256)) * 3])
def test_parse_file_binary_is_a_parse_error(tmp_path, content):
    f = tmp_path / "bin.nix"
    f.write_bytes(content)
    with pytest.raises(ParseError) as info:
        parse_file(str(f))
    assert info.value.span.file == str(f)


def test_non_utf8_bytes_are_kept_in_strings_and_reported_elsewhere(tmp_path):
    f = tmp_path / "latin1.nix"
    f.write_bytes(b'# caf\xe9\n"caf\xe9"')
    assert parse_file(str(f)).value.encode("utf-8", "surrogateescape") == b"caf\xe9"
    f.write_bytes(b"1 +\n  \xe9")
    with pytest.raises(ParseError) as info:
        parse_file(str(f))
    assert info.value.message == "syntax error, unexpected invalid byte 0xe9"
    assert (info.value.span.line, info.value.span.col) == (2, 3)


def test_parse_file_missing(tmp_path):
    with pytest.raises(ParseError) as info:
        parse_file(str(tmp_path / "nope.nix"))
    assert "cannot read" in info.value.message


def test_fresh_process_uses_cached_table(tmp_path):
    """A second process loads the pickled table and does not import Lark."""
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path))
    code = "import sys; from nixlite.syntax.parse import parse; parse('1'); print('lark' in sys.modules)"
    runs = [subprocess.run(["python", "-c", code], capture_output=True, text=True, env=env) for _ in range(2)]
    assert [r.stdout.strip() for r in runs] == ["True", "False"], [r.stderr for r in runs]


def test_parentheses_widen_only_the_spans_built_around_them():
    """Nix locates a rule at its first token: `(f) x` is at the `(`, while the
    parenthesised node keeps its own position."""
    from nixlite.syntax import ast as A
    from nixlite.syntax.parse import parse
    call = parse("(x: x) 1")
    assert isinstance(call, A.Call) and (call.span.col, call.span.end_col) == (1, 9)
    assert call.fn.span.col == 2 and call.fn.span.end_col == 6
    nested = parse("((a)).b")
    assert isinstance(nested, A.Select) and nested.span.col == 1 and nested.expr.span.col == 3
    plus = parse("1 + (2)")
    assert plus.span.end_col == 8 and plus.right.span.col == 6
