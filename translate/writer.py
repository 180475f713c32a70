"""A text writer that remembers which option produced each line.

Like Jinja2's `writeline(text, node)`, every chunk written carries an
optional *origin*: the option path behind it ("localAddress",
"extraVeths.ve-x.hostAddress", ...).  Fixed text has no origin.  The
translator builds every artifact through a `Writer`, so `nixlite diff` can
later name the option behind a line that differs from a real build.

Chunks are written verbatim (an interpolated value may hold several lines,
exactly as a Nix indented string inserts it), so line numbers are computed
only when `origins()` is asked for.
"""
from __future__ import annotations


class Writer:
    """Accumulates text chunks, each with an optional origin."""

    __slots__ = ("_chunks",)

    def __init__(self) -> None:
        self._chunks: list[tuple[str, str | None]] = []

    def write(self, text: str, origin: str | None = None) -> "Writer":
        """Append `text` as is (no newline added)."""
        if text:
            self._chunks.append((text, origin))
        return self

    def line(self, text: str = "", origin: str | None = None) -> "Writer":
        """Append `text` followed by one newline."""
        self._chunks.append((text + "\n", origin))
        return self

    def extend(self, other: "Writer") -> "Writer":
        """Append another writer's chunks, origins included."""
        self._chunks.extend(other._chunks)
        return self

    def text(self) -> str:
        return "".join(chunk for chunk, _ in self._chunks)

    def origins(self) -> tuple[tuple[int, str], ...]:
        """(1-based line number, origin) for every line some option produced."""
        found: dict[int, str] = {}
        line_no = 1
        for chunk, origin in self._chunks:
            newlines = chunk.count("\n")
            if origin is not None:
                # a chunk ending in a newline does not touch the next line
                last = line_no + newlines - (1 if chunk.endswith("\n") else 0)
                for n in range(line_no, last + 1):
                    found.setdefault(n, origin)
            line_no += newlines
        return tuple(sorted(found.items()))
