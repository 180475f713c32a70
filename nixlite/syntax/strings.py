"""Indented strings (`''...''`): Nix's indentation stripping, and paths.

Nix 2.8 strips indentation at parse time (`stripIndentation` in its
parser), and rendered shell scripts are byte-identical to NixOS's only if we
do exactly the same:

1. The minimum indentation is the least number of leading *spaces* (tabs do
   not count) over the lines that have content.  A line made only of spaces
   does not count.  An interpolation or an escape (`''$`, `'''`, `''\\x`)
   ends a line's indentation, even at column 0, so such a line counts.
2. Then up to that many leading spaces are removed from every line (escapes
   are processed by the same character loop; only literal text is counted
   in step 1).
3. If the last piece is literal text whose last line is spaces only, that
   line is dropped (the newline before it is kept).
4. A whitespace-only first line was already swallowed by the lexer
   (`''` followed by spaces and a newline).

The result is a `Str` when it is one literal piece, else
`ConcatStrings(force_string=True)` (empty pieces are kept, as Nix does).
"""
from __future__ import annotations

from .ast import ConcatStrings, Node, Str
from .lexer import Tok


def _min_indent(parts: list) -> int:
    at_start, cur, least = True, 0, 1_000_000
    for part in parts:
        if not isinstance(part, Tok) or not part.indent:
            if at_start:
                at_start, least = False, min(least, cur)
            continue
        for ch in part.value:
            if at_start:
                if ch == " ":
                    cur += 1
                elif ch == "\n":
                    cur = 0
                else:
                    at_start, least = False, min(least, cur)
            elif ch == "\n":
                at_start, cur = True, 0
    return least


class _Stripper:
    """Step 2: walks the pieces once, dropping up to `indent` spaces per line."""

    def __init__(self, indent: int):
        self.indent = indent
        self.at_start = True
        self.dropped = 0

    def text(self, value: str) -> str:
        out = []
        for ch in value:
            if not self.at_start:
                out.append(ch)
                self.at_start = ch == "\n"
            elif ch == " ":
                self.dropped += 1
                if self.dropped > self.indent:
                    out.append(ch)
            else:
                self.dropped = 0
                self.at_start = ch == "\n"
                out.append(ch)
        return "".join(out)

    def expr(self) -> None:
        self.at_start, self.dropped = False, 0


def _drop_blank_last_line(s: str) -> str:
    nl = s.rfind("\n")
    if nl >= 0 and s[nl + 1:].strip(" ") == "":
        return s[: nl + 1]
    return s


def strip_indentation(parts: list, span) -> Node:
    """`parts` are IND_STR `Tok`s and expression nodes, in source order."""
    if not parts:
        return Str(span, "")
    stripper = _Stripper(_min_indent(parts))
    out: list[Node] = []
    for i, part in enumerate(parts):
        if isinstance(part, Tok):
            s = stripper.text(part.value)
            if i == len(parts) - 1:
                s = _drop_blank_last_line(s)
            out.append(Str(part.span, s))
        else:
            stripper.expr()
            out.append(part)
    if len(out) == 1 and isinstance(out[0], Str):
        return Str(span, out[0].value)
    return ConcatStrings(span, tuple(out), True)


# --- paths ----------------------------------------------------------------------

def canon_path(path: str) -> str:
    """Nix's canonPath: absolute, no `.`/`..`/empty components, no trailing slash."""
    out: list[str] = []
    for comp in path.split("/"):
        if comp in ("", "."):
            continue
        if comp == "..":
            if out:
                out.pop()
        else:
            out.append(comp)
    return "/" + "/".join(out)


def resolve_path(text: str, base_dir: str) -> str:
    """A path literal's value: made absolute against the file's directory and
    canonicalised; a trailing `/` (a path that continues with `${...}`) stays."""
    full = canon_path(text if text.startswith("/") else base_dir + "/" + text)
    if text.endswith("/") and len(text) > 1:
        full += "/"
    return full
