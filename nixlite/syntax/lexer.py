"""The Nix lexer: a hand-written state machine that feeds the LALR parser.

Why not Lark's own lexer: Nix's tokens depend on context.  Inside `"..."`
and `''...''` the text is string content until `${`, which opens an
expression whose matching `}` returns to the string (braces nest); after a
path literal, `${` continues the path.  Nix's flex lexer keeps a stack of
start conditions for this; we keep the same stack (`DEFAULT`, `STRING`,
`IND`, `PATH`, `PATH_SLASH`) and give Lark's parse table a stream of
`Tok`s.

In the default state flex picks the *longest* match, earliest rule on a
tie.  `_DEFAULT` is one alternation ordered so that Python's first match is
that longest match (a path beats an identifier or number it starts with; a
URI beats an identifier; a keyword beats an identifier of the same length).
The token regexes follow Nix 2.8's lexer: floats are `1.`, `.5`, `1.5e-7`
but not `1e3`; `x/2` is a path; `x:x` is a URI.

Speed: whitespace and the next token are one regex match, the default
state is inlined in `tokens()`, and tokens carry offsets; line/column spans
are computed (by bisection over line starts) only for the tokens that end
up in the AST.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from functools import partial
from itertools import accumulate
from typing import Iterator, NamedTuple

from ..errors import ParseError
from ..source import Span

_PC = r"[a-zA-Z0-9._+\-]"          # a path character
_ANYSTR = r"(?:[^$\"\\]|\$[^{\"\\]|\\[\s\S]|\$\\[\s\S])"

_WS = r"(?:[ \t\r\n]+|#[^\r\n]*|/\*(?:[^*]|\*+[^*/])*\*+/)*"

#: the alternatives that start with a run of path characters and need a `/`
#: (paths) or `:` (URIs) right after that run
_RUN_TOKENS = [
    rf"(?P<PATH_SEG>{_PC}*/)(?=\$\{{)",
    r"(?P<HPATH_START>~/)(?=\$\{)",
    rf"(?P<PATH>{_PC}*(?:/{_PC}+)+/?)",
    rf"(?P<HPATH>~(?:/{_PC}+)+/?)",
    r"(?P<URI>[a-zA-Z][a-zA-Z0-9+\-.]*:[a-zA-Z0-9%/?:@&=+$,\-_.!~*']+)",
]
_OTHER_TOKENS = [
    # a string without `\`, `$` or CR is its own text: lexed in one match
    r"(?P<SIMPLE_STR>\"[^\"\\$\r]*\")",
    r"(?P<FLOAT>(?:[1-9][0-9]*\.[0-9]*|0?\.[0-9]+)(?:[Ee][+-]?[0-9]+)?)",
    r"(?P<INT>[0-9]+)",
    r"(?P<ID>[a-zA-Z_][a-zA-Z0-9_'\-]*)",
    rf"(?P<SPATH><{_PC}+(?:/{_PC}+)*>)",
    r"(?P<IND_OPEN>''(?: *\n)?)",
    r"(?P<OP>\.\.\.|==|!=|<=|>=|&&|\|\||->|//|\+\+|\$\{|[{}()\[\];:.=@,?!+\-*/<>\"])",
]


def _default_regex(alternatives: list[str]):
    """Whitespace and comments, then one token (the named group says which).
    The whitespace is matched atomically (lookahead + backreference), so a
    failed token never backtracks into a comment and lexes its inside."""
    return re.compile(f"(?=(?P<ws>{_WS}))(?P=ws)" + "(?:" + "|".join(alternatives) + ")").match


_DEFAULT = _default_regex(_RUN_TOKENS + _OTHER_TOKENS)
#: `_DEFAULT` where no path or URI can start (see `Lexer._run_end`): the path
#: and URI alternatives scan the whole run of path characters before failing,
#: which made `a.a.a…` (20 000 parts) quadratic
_DEFAULT_NO_PATH = _default_regex(_OTHER_TOKENS)
_PC_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._+-")
_RUN = re.compile(f"{_PC}*").match
_SKIP_WS = re.compile(_WS).match

_STRING = re.compile("|".join([
    rf"(?P<STR>{_ANYSTR}*\$(?=\")|{_ANYSTR}+)",
    r"(?P<DOLLAR_CURLY>\$\{)",
    r"(?P<DQUOTE>\")",
    r"(?P<STR_EOF>\$\\|\$|\\)",
])).match

_IND = re.compile("|".join([
    r"(?P<DOLLAR_CURLY>\$\{)",
    r"(?P<IND_STR>(?:[^$']|\$[^{']|'[^'$])+)",
    r"(?P<ESC_QUOTES>''')",
    r"(?P<ESC_DOLLAR>''\$|\$)",
    r"(?P<ESC>''\\[\s\S])",
    r"(?P<IND_CLOSE>'')",
    r"(?P<QUOTE>')",
])).match

_INPATH = re.compile(rf"(?P<DOLLAR_CURLY>\$\{{)|(?P<STR>{_PC}*(?:/{_PC}+)+/?|{_PC}*/|{_PC}+)").match

KEYWORDS = {
    "if": "IF", "then": "THEN", "else": "ELSE", "assert": "ASSERT", "with": "WITH",
    "let": "LET", "in": "IN", "rec": "REC", "inherit": "INHERIT", "or": "OR_KW",
}

PUNCT = {
    "...": "ELLIPSIS", "==": "EQ", "!=": "NEQ", "<=": "LEQ", ">=": "GEQ", "&&": "AND",
    "||": "OR", "->": "IMPL", "//": "UPDATE", "++": "CONCAT", "${": "DOLLAR_CURLY",
    "{": "LBRACE", "}": "RBRACE", "(": "LPAR", ")": "RPAR", "[": "LBRACK", "]": "RBRACK",
    ";": "SEMI", ":": "COLON", ".": "DOT", "=": "ASSIGN", "@": "AT", ",": "COMMA",
    "?": "QUESTION", "!": "BANG", "+": "PLUS", "-": "MINUS", "*": "STAR", "/": "SLASH",
    "<": "LT", ">": "GT", '"': "DQUOTE",
}

_ESCAPES = {"n": "\n", "r": "\r", "t": "\t"}
_UNESCAPE = re.compile(r"\\([\s\S])|\r\n?")


def unescape(text: str) -> str:
    r"""Decode `\n \r \t \X` (X itself) and normalise CR/CRLF to LF, as Nix's unescapeStr."""
    if "\\" not in text and "\r" not in text:
        return text
    return _UNESCAPE.sub(lambda m: _ESCAPES.get(m[1], m[1]) if m[1] is not None else "\n", text)


_STACKY = {"DOLLAR_CURLY", "LBRACE", "RBRACE", "DQUOTE"}
_PATHS = {"PATH", "HPATH", "PATH_SEG", "HPATH_START"}


class Tok(NamedTuple):
    """A token: `type` is a terminal of grammars/nix.lark, `start`/`end` are
    offsets into the text; the `span` is computed only when asked for.  For
    IND_STR, `indent` tells whether its text counts for indentation
    stripping (escapes such as `''$` do not)."""
    type: str
    value: str
    start: int
    end: int
    src: "Lexer"
    indent: bool = False

    @property
    def span(self) -> Span:
        return self.src.span(self.start, self.end)


#: `_new_tok((type, value, start, end, src, indent))` builds a Tok without the
#: Python-level `__new__` NamedTuple generates: half the cost, and the lexer
#: makes one per token (~140 000 for 500 containers)
_new_tok = partial(tuple.__new__, Tok)


class Lexer:
    """Tokenises one source text; `tokens()` is consumed lazily by the parser,
    so a lexical error is reported only once every earlier token parsed."""

    def __init__(self, text: str, file: str):
        self.text = text
        self.file = file
        self.pos = 0
        self.stack = ["DEFAULT"]
        self.state_before = "DEFAULT"
        self._line_starts: list[int] | None = None
        self._ascii: bool | None = None

    # --- positions -------------------------------------------------------------

    def _lines(self) -> list[int]:
        if self._line_starts is None:
            starts = [0]
            starts.extend(accumulate(len(line) + 1 for line in self.text.split("\n")))
            self._line_starts = starts[:-1]
        return self._line_starts

    def span(self, start: int, end: int) -> Span:
        """The 1-based line/column span of text[start:end]."""
        starts = self._lines()
        line = bisect_right(starts, start)
        end_line = bisect_right(starts, end, line - 1) if end > start else line
        return Span(self.file, line, self._column(starts[line - 1], start),
                    end_line, self._column(starts[end_line - 1], end))

    def position(self, offset: int) -> tuple[int, int]:
        """(line, column) of an offset, both 1-based."""
        starts = self._lines()
        line = bisect_right(starts, offset)
        return line, self._column(starts[line - 1], offset)

    def _column(self, line_start: int, offset: int) -> int:
        """Columns count UTF-8 bytes, as Nix's do (`"é" + x`: x is at column 8)."""
        if self._ascii is None:
            self._ascii = self.text.isascii()
        if self._ascii:
            return offset - line_start + 1
        return len(self.text[line_start:offset].encode("utf-8", "surrogateescape")) + 1

    def error(self, message: str, start: int, end: int | None = None) -> ParseError:
        return ParseError(message, self.span(start, max(start + 1, end or start + 1)))

    def _tok(self, type_: str, start: int, end: int, value: str | None = None, indent: bool = False) -> Tok:
        self.pos = end
        return _new_tok((type_, self.text[start:end] if value is None else value, start, end, self, indent))

    # --- the token stream ------------------------------------------------------

    def tokens(self) -> Iterator[Tok]:
        """The default state is inlined here (it produces most tokens): one
        regex match per token, no method call for identifiers, simple
        strings and non-nesting punctuation."""
        text, stack, n = self.text, self.stack, len(self.text)
        keywords, punct = KEYWORDS, PUNCT
        other = {"STRING": self._string, "IND": self._ind, "PATH": self._path, "PATH_SLASH": self._path}
        no_path_until = -1   # no path or URI starts before this offset
        while True:
            self.state_before = state = stack[-1]   # for "expecting ..." in errors
            if state != "DEFAULT":
                if self.pos >= n:
                    yield from self._at_eof(state)
                    return
                yield other[state]()
                continue
            m = (_DEFAULT_NO_PATH if self.pos < no_path_until else _DEFAULT)(text, self.pos)
            if m is None:
                yield from self._no_token()
                return
            kind = m.lastgroup
            start, end = m.start(kind), m.end()
            self.pos = end
            if end < n and end >= no_path_until and text[end] in _PC_CHARS:
                no_path_until = self._run_end(end)
            if kind == "ID":
                yield _new_tok((keywords.get(m[kind], "ID"), m[kind], start, end, self, False))
            elif kind == "OP":
                type_ = punct[m[kind]]
                if type_ in _STACKY:
                    yield self._punct(m[kind], start, end)
                else:
                    yield _new_tok((type_, m[kind], start, end, self, False))
            elif kind == "SIMPLE_STR":
                yield from self._simple_string(start, end)
            elif kind in _PATHS:
                yield self._path_start(kind, start, end)
            else:
                if kind == "IND_OPEN":
                    stack.append("IND")
                yield Tok(kind, m[kind], start, end, self)

    def _run_end(self, offset: int) -> int:
        """For a token ending inside a run of path characters: the end of
        that run if no path or URI can start in it (the run is not followed
        by `/` or `:`), else -1."""
        end = _RUN(self.text, offset).end()
        return end if self.text[end:end + 1] not in ("/", ":") else -1

    def _simple_string(self, start: int, end: int) -> Iterator[Tok]:
        """The tokens the STRING state would give for a `"..."` without
        escapes, `$` or CR: DQUOTE, STR (unless empty), DQUOTE."""
        yield _new_tok(("DQUOTE", '"', start, start + 1, self, False))
        self.state_before = "STRING"
        if end - start > 2:
            yield _new_tok(("STR", self.text[start + 1:end - 1], start + 1, end - 1, self, False))
        yield _new_tok(("DQUOTE", '"', end - 1, end, self, False))

    def _no_token(self) -> Iterator[Tok]:
        """No token at self.pos: only whitespace up to the end, or a bad character."""
        self.pos = _SKIP_WS(self.text, self.pos).end()
        if self.pos < len(self.text):
            raise self._invalid()
        yield from self._at_eof("DEFAULT")

    def _at_eof(self, state: str) -> Iterator[Tok]:
        if state == "PATH":
            self.stack.pop()
            yield self._tok("PATH_END", self.pos, self.pos)
        elif state == "PATH_SLASH":
            raise self.error("path has a trailing slash", self.pos)
        end = len(self.text)
        yield Tok("$END", "", end, end, self)

    def _punct(self, text: str, start: int, end: int) -> Tok:
        type_ = PUNCT[text]
        if type_ in _STACKY:
            if type_ == "RBRACE":
                # An unbalanced `}` must stay an error in the parser, not pop the bottom state.
                if len(self.stack) > 1:
                    self.stack.pop()
            else:
                self.stack.append("STRING" if type_ == "DQUOTE" else "DEFAULT")
        return Tok(type_, text, start, end, self)

    def _path_start(self, kind: str, start: int, end: int) -> Tok:
        self.stack.append("PATH_SLASH" if self.text[end - 1] == "/" else "PATH")
        return self._tok("HPATH" if kind.startswith("H") else "PATH", start, end)

    def _invalid(self) -> ParseError:
        ch = self.text[self.pos]
        shown = f"character '{repr(ch)[1:-1]}'" if not ch.isprintable() or ch == "\\" else f"character '{ch}'"
        if ch == "'":
            shown = 'character "\'"'
        elif "\udc80" <= ch <= "\udcff":   # an undecodable byte (surrogateescape)
            shown = f"byte 0x{ord(ch) - 0xdc00:02x}"
        return self.error(f"syntax error, unexpected invalid {shown}", self.pos)

    def _string(self) -> Tok:
        m = _STRING(self.text, self.pos)
        kind, start, end = m.lastgroup, m.start(), m.end()
        if kind == "DQUOTE":
            self.stack.pop()
        elif kind == "DOLLAR_CURLY":
            self.stack.append("DEFAULT")
        else:
            return self._tok("STR", start, end, unescape(m[0]))
        return self._tok(kind, start, end)

    def _ind(self) -> Tok:
        m = _IND(self.text, self.pos)
        kind, start, end = m.lastgroup, m.start(), m.end()
        if kind == "IND_STR":
            return self._tok("IND_STR", start, end, indent=True)
        if kind == "DOLLAR_CURLY":
            self.stack.append("DEFAULT")
            return self._tok(kind, start, end)
        if kind == "IND_CLOSE":
            self.stack.pop()
            return self._tok(kind, start, end)
        value = {"ESC_QUOTES": "''", "ESC_DOLLAR": "$", "QUOTE": "'"}.get(kind)
        if value is None:
            value = unescape(m[0][2:])
        return self._tok("IND_STR", start, end, value)

    def _path(self) -> Tok:
        m = _INPATH(self.text, self.pos)
        state = self.stack.pop()
        if m is None:
            if state == "PATH_SLASH":
                raise self.error("path has a trailing slash", self.pos)
            return self._tok("PATH_END", self.pos, self.pos)
        if m.lastgroup == "DOLLAR_CURLY":
            self.stack += ["PATH", "DEFAULT"]
            return self._tok("DOLLAR_CURLY", m.start(), m.end())
        self.stack.append("PATH_SLASH" if m[0].endswith("/") else "PATH")
        return self._tok("STR", m.start(), m.end())
