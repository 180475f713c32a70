"""Rendering of `NixliteError`s for a terminal, in the layout Nix 2.8 uses:

    error: undefined variable 'y'

           at /path/file.nix:3:5:

                2|   a = 1;
                3|   b = y;
                 |       ^
    (use '--show-trace' to show detailed location information)

Only this module knows how errors look; phases only raise them.
"""
from __future__ import annotations

import sys

from nixlite.errors import NixliteError, OptionError
from nixlite.source import Span, SOURCES

INDENT = " " * 7


#: source lines longer than this are shown as a window around the column
MAX_SHOWN = 120


def format_location(span: Span) -> list[str]:
    """The `at FILE:L:C:` block: the line before, the line with a caret
    under the span, and the line after (Nix 2.8's layout: line numbers
    right-aligned so that the bar stands in column 14).  A very long line
    (minified or generated code) is cut to a window around the column."""
    out = ["", f"{INDENT}at {span.file}:{span.line}:{span.col}:", ""]
    text = SOURCES.get(span.file)
    lines = text.split("\n") if text is not None else []
    if not 1 <= span.line <= len(lines):
        return out[:2]
    line = lines[span.line - 1]
    col = _char_column(line, span.col)
    end_col = _char_column(line, span.end_col) if span.end_line == span.line else col + 1
    start = _window_start(line, col)
    if span.line > 1:
        out.append(_numbered(span.line - 1, _cut(lines[span.line - 2], start)))
    out.append(_numbered(span.line, _cut(line, start)))
    caret_len = min(max(1, end_col - col), MAX_SHOWN)
    prefix = "".join("\t" if ch == "\t" else " " for ch in line[start: col - 1])
    out.append(f"{INDENT}{' ' * 6}| {' ' if start else ''}{prefix}{'^' * caret_len}")
    if span.line < len(lines) and (span.line < len(lines) - 1 or lines[span.line]):
        out.append(_numbered(span.line + 1, _cut(lines[span.line], start)))
    return out


def _char_column(line: str, byte_col: int) -> int:
    """Spans count columns in UTF-8 bytes (as Nix does); the caret needs characters."""
    if line.isascii():
        return byte_col
    head = line.encode("utf-8", "surrogateescape")[: byte_col - 1]
    return len(head.decode("utf-8", "ignore")) + 1


def _window_start(line: str, col: int) -> int:
    """0 for lines that fit; else an offset that keeps the column in view."""
    if len(line) <= MAX_SHOWN:
        return 0
    return max(0, min(col - 1 - MAX_SHOWN // 3, len(line) - MAX_SHOWN))


def _cut(line: str, start: int) -> str:
    """The shown part of a line: `…` marks what was cut on either side."""
    if len(line) <= MAX_SHOWN and not start:
        return _printable(line)
    shown = _printable(line[start: start + MAX_SHOWN])
    return ("…" if start else "") + shown + ("…" if start + MAX_SHOWN < len(line) else "")


def _numbered(n: int, text: str) -> str:
    return f"{INDENT}{str(n).rjust(6)}| {text}"


def _printable(line: str) -> str:
    return "".join(ch if ch.isprintable() or ch == "\t" else "\ufffd" for ch in line)


def format_message(message: str) -> list[str]:
    """`error: ` + the message, continuation lines indented by 7 spaces, as
    Nix prints a multi-line message (a message starting with a newline gives
    a bare `error:` line)."""
    first, *rest = message.split("\n")
    return [f"error: {first}".rstrip() if not first else f"error: {first}",
            *(f"{INDENT}{line}" if line else "" for line in rest)]


def format_error(err: NixliteError, show_trace: bool = False) -> str:
    lines = format_message(err.message)
    if isinstance(err, OptionError) and err.option_path and err.option_path not in err.message:
        lines.append(f"{INDENT}(option `{err.option_path}')")
    if err.span is not None:
        lines.extend(format_location(err.span))
    if err.hint:
        lines.append(f"{INDENT}{err.hint}")
    if show_trace:
        for span, what in err.trace:
            lines.append("")
            lines.append(f"{INDENT}… {what}")
            if span is not None:
                lines.extend(format_location(span)[1:])
    elif err.trace or isinstance(err, OptionError):
        lines.append("(use '--show-trace' to show detailed location information)")
    return "\n".join(lines)


def print_error(err: NixliteError, show_trace: bool = False) -> None:
    """Print to stderr, in red on a terminal."""
    text = format_error(err, show_trace)
    if sys.stderr.isatty():
        from rich.console import Console
        from rich.text import Text
        console = Console(stderr=True, markup=False, highlight=False)
        head, _, rest = text.partition("\n")
        t = Text()
        t.append("error:", style="bold red")
        t.append(head[len("error:"):])
        if rest:
            t.append("\n" + rest)
        console.print(t)
    else:
        sys.stderr.write(text + "\n")
