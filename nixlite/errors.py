"""The one error family of nixlite.

Phases raise these; only the CLI (`nixlite.cli.diagnostics`) renders them.
An error carries a message (in Nix's words where Nix has words for it), an
optional `Span`, and a trace of enclosing (span, description) frames that
`--show-trace` prints.
"""
from __future__ import annotations

from .source import Span


class NixliteError(Exception):
    """Base of every error a user can cause."""

    #: True for an error Nix 2.8 reports without any position (e.g. `!1`,
    #: `1 < "a"`, a missing file): enclosing calls must not lend it theirs.
    unlocated = False

    def __init__(self, message: str, span: Span | None = None, *, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.span = span
        self.hint = hint
        self.trace: list[tuple[Span | None, str]] = []

    def without_position(self) -> "NixliteError":
        """Mark as reported without a position (see `unlocated`)."""
        self.span, self.unlocated = None, True
        return self

    def add_trace(self, span: Span | None, what: str) -> "NixliteError":
        self.trace.append((span, what))
        return self


class ParseError(NixliteError):
    """Syntax errors, and the semantic errors Nix reports while parsing
    (duplicate attributes, duplicate formals)."""


class EvalError(NixliteError):
    """An error during evaluation (type errors, missing attributes, ...)."""


class CatchableError(EvalError):
    """The only errors `builtins.tryEval` catches."""


class ThrowError(CatchableError):
    """`throw "msg"`."""


class AssertionFailed(CatchableError):
    """`assert false; ...`."""


class AbortError(EvalError):
    """`abort "msg"`: not catchable."""


class InfiniteRecursion(EvalError):
    """A thunk forced itself (black hole), or the evaluation depth limit was hit."""


class OptionError(EvalError):
    """A NixOS module-system error (unknown option, type mismatch, conflict).

    `option_path` is the dotted option name, e.g. "containers.web.hostPort"."""

    def __init__(self, message: str, span: Span | None = None, *, option_path: str = "", hint: str | None = None):
        super().__init__(message, span, hint=hint)
        self.option_path = option_path


class UnsupportedError(NixliteError):
    """A feature nixlite deliberately does not implement, or a target cannot express."""


class RenderError(NixliteError):
    """Rendering or writing artifacts failed (e.g. refusing to overwrite)."""


class DiffError(NixliteError):
    """`nixlite diff` could not read the build it compares against."""
