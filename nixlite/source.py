"""Source text and spans.

Every AST node carries a `Span` (file, 1-based line and column of its first
character, and of the character just past its end).  Source texts are kept in
one registry, `SOURCES`, filled by the parser, so that diagnostics can show
the offending line long after parsing; nothing else in nixlite needs the text.
"""
from __future__ import annotations

from dataclasses import dataclass

#: path (or a pseudo-name such as "«string»") -> full source text
SOURCES: dict[str, str] = {}


@dataclass(frozen=True, slots=True)
class Span:
    file: str
    line: int
    col: int
    end_line: int
    end_col: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"

    def to(self, other: "Span") -> "Span":
        """The span from the start of self to the end of other."""
        return Span(self.file, self.line, self.col, other.end_line, other.end_col)


def register(name: str, text: str) -> None:
    SOURCES[name] = text


def source_line(span: Span) -> str | None:
    """The text of the span's first line, or None when the source is unknown."""
    text = SOURCES.get(span.file)
    if text is None:
        return None
    lines = text.split("\n")
    if 1 <= span.line <= len(lines):
        return lines[span.line - 1]
    return None
