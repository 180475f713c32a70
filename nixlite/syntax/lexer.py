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
"""
from __future__ import annotations

import re
from typing import Iterator, NamedTuple

from ..errors import ParseError
from ..source import Span

_PC = r"[a-zA-Z0-9._+\-]"          # a path character
_ANYSTR = r"(?:[^$\"\\]|\$[^{\"\\]|\\[\s\S]|\$\\[\s\S])"

_DEFAULT = re.compile("|".join([
    r"(?P<WS>(?:[ \t\r\n]+|#[^\r\n]*|/\*(?:[^*]|\*+[^*/])*\*+/)+)",
    rf"(?P<PATH_SEG>{_PC}*/)(?=\$\{{)",
    r"(?P<HPATH_START>~/)(?=\$\{)",
    rf"(?P<PATH>{_PC}*(?:/{_PC}+)+/?)",
    rf"(?P<HPATH>~(?:/{_PC}+)+/?)",
    r"(?P<URI>[a-zA-Z][a-zA-Z0-9+\-.]*:[a-zA-Z0-9%/?:@&=+$,\-_.!~*']+)",
    r"(?P<FLOAT>(?:[1-9][0-9]*\.[0-9]*|0?\.[0-9]+)(?:[Ee][+-]?[0-9]+)?)",
    r"(?P<INT>[0-9]+)",
    r"(?P<ID>[a-zA-Z_][a-zA-Z0-9_'\-]*)",
    rf"(?P<SPATH><{_PC}+(?:/{_PC}+)*>)",
    r"(?P<IND_OPEN>''(?: *\n)?)",
    r"(?P<OP>\.\.\.|==|!=|<=|>=|&&|\|\||->|//|\+\+|\$\{|[{}()\[\];:.=@,?!+\-*/<>\"])",
])).match

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


class Tok(NamedTuple):
    """A token: `type` is a terminal of grammars/nix.lark.  For IND_STR,
    `indent` tells whether its text counts for indentation stripping
    (escapes such as `''$` do not)."""
    type: str
    value: str
    span: Span
    indent: bool = False


class Lexer:
    """Tokenises one source text; `tokens()` is consumed lazily by the parser,
    so a lexical error is reported only once every earlier token parsed."""

    def __init__(self, text: str, file: str):
        self.text = text
        self.file = file
        self.pos = 0
        self.line = 1
        self.line_start = 0          # offset of the first character of `line`
        self.stack = ["DEFAULT"]
        self.last: Tok | None = None

    # --- positions -------------------------------------------------------------

    def _span(self, start: int, end: int) -> Span:
        """Span of text[start:end]; advances the line counter past it."""
        line, col = self.line, start - self.line_start + 1
        nl = self.text.count("\n", start, end)
        if nl:
            self.line += nl
            self.line_start = self.text.rindex("\n", start, end) + 1
        return Span(self.file, line, col, self.line, end - self.line_start + 1)

    def error(self, message: str, start: int, end: int | None = None) -> ParseError:
        line = self.text.count("\n", 0, start) + 1
        col = start - (self.text.rfind("\n", 0, start) + 1) + 1
        width = max(1, (end or start + 1) - start)
        return ParseError(message, Span(self.file, line, col, line, col + width))

    def _tok(self, type_: str, start: int, end: int, value: str | None = None, indent: bool = False) -> Tok:
        tok = Tok(type_, self.text[start:end] if value is None else value, self._span(start, end), indent)
        self.pos = end
        self.last = tok
        return tok

    # --- the token stream ------------------------------------------------------

    def tokens(self) -> Iterator[Tok]:
        step = {"DEFAULT": self._default, "STRING": self._string, "IND": self._ind,
                "PATH": self._path, "PATH_SLASH": self._path}
        text_len = len(self.text)
        while True:
            state = self.stack[-1]
            if self.pos >= text_len:
                yield from self._at_eof(state)
                return
            tok = step[state]()
            if tok is not None:
                yield tok

    def _at_eof(self, state: str) -> Iterator[Tok]:
        if state == "PATH":
            self.stack.pop()
            yield self._tok("PATH_END", self.pos, self.pos)
        elif state == "PATH_SLASH":
            raise self.error("path has a trailing slash", self.pos)
        end = len(self.text)
        yield Tok("$END", "", self._span(end, end))

    def _default(self) -> Tok | None:
        m = _DEFAULT(self.text, self.pos)
        if m is None:
            raise self._invalid()
        kind, start, end = m.lastgroup, m.start(), m.end()
        if kind == "WS":
            self._span(start, end)
            self.pos = end
            return None
        if kind == "ID":
            return self._tok(KEYWORDS.get(m[0], "ID"), start, end)
        if kind == "OP":
            return self._punct(m[0], start, end)
        if kind in ("PATH", "HPATH", "PATH_SEG", "HPATH_START"):
            return self._path_start(kind, start, end)
        if kind == "IND_OPEN":
            self.stack.append("IND")
        return self._tok(kind, start, end)

    def _punct(self, text: str, start: int, end: int) -> Tok:
        type_ = PUNCT[text]
        if type_ in ("DOLLAR_CURLY", "LBRACE"):
            self.stack.append("DEFAULT")
        elif type_ == "RBRACE":
            # An unbalanced `}` must stay an error in the parser, not pop the bottom state.
            if len(self.stack) > 1:
                self.stack.pop()
        elif type_ == "DQUOTE":
            self.stack.append("STRING")
        return self._tok(type_, start, end)

    def _path_start(self, kind: str, start: int, end: int) -> Tok:
        self.stack.append("PATH_SLASH" if self.text[end - 1] == "/" else "PATH")
        return self._tok("HPATH" if kind.startswith("H") else "PATH", start, end)

    def _invalid(self) -> ParseError:
        ch = self.text[self.pos]
        shown = f"'{repr(ch)[1:-1]}'" if not ch.isprintable() or ch == "\\" else f"'{ch}'"
        if ch == "'":
            shown = '"\'"'
        return self.error(f"syntax error, unexpected invalid character {shown}", self.pos)

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
