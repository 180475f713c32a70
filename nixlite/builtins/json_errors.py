"""The words of Nix 2.8's JSON parser when `builtins.fromJSON` gets bad input.

Python's `json` finds the error; this module re-reads the text the way a
token-by-token recursive-descent reader does, to say what Nix says: where
(line and column just after the offending token, end of input counting as one
character), in which context (`value`, `array`, `object key`, `object
separator`, `object`), what was found and what was expected:

    [json.exception.parse_error.101] parse error at line 1, column 4: syntax
    error while parsing array - unexpected number literal; expected ']'
"""
from __future__ import annotations

import re

_PUNCT = {"[": "'['", "]": "']'", "{": "'{'", "}": "'}'", ":": "':'", ",": "','"}
_NUMBER = re.compile(rb"-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?")
_LITERALS = {b"true": "true literal", b"false": "false literal", b"null": "null literal"}
_VALUE_START = "'[', '{', or a literal"


_LEXERR = "<parse error>"
#: a token: (type name, offset just after it, lexer message for `_LEXERR`)
Token = tuple[str, int, str]


class _Fail(Exception):
    def __init__(self, at: int, text: str):
        self.at, self.text = at, text


def _fail(context: str, tok: Token, expected: str | None) -> _Fail:
    kind, end, detail = tok
    what = detail if kind == _LEXERR else f"unexpected {kind}"
    tail = f"; expected {expected}" if expected else ""
    return _Fail(end, f"syntax error while parsing {context} - {what}{tail}")


class _Reader:
    """Tokens of the input; each token remembers where it ends."""

    def __init__(self, data: bytes):
        # `mark`: where the text Nix quotes as "last read" starts; only strings
        # and numbers restart it (whitespace, punctuation and literals pile up)
        self.data, self.i, self.mark = data, 0, 0

    def token(self) -> Token:
        d = self.data
        while self.i < len(d) and d[self.i] in b" \t\n\r":
            self.i += 1
        if self.i >= len(d):
            return "end of input", self.i + 1, ""  # reading the end counts as a character
        ch = chr(d[self.i])
        if ch in _PUNCT:
            self.i += 1
            return _PUNCT[ch], self.i, ""
        if ch == '"':
            return self._string()
        if ch == "-" or ch.isdigit():
            return self._number()
        return self._literal()

    def _error(self, end: int, what: str) -> Token:
        """A lexer error after reading up to `end` (the end of input reads as one more)."""
        raw = self.data[self.mark: min(end, len(self.data))].decode("utf-8", "replace")
        read = "".join(f"<U+{ord(c):04X}>" if ord(c) < 0x20 else c for c in raw)
        return _LEXERR, end, f"{what}; last read: '{read}'"

    def _literal(self) -> Token:
        start = self.i
        for word, name in _LITERALS.items():
            if self.data.startswith(word, start):
                self.i += len(word)
                return name, self.i, ""
        word = next((w for w in _LITERALS if w[0] == self.data[start]), b"")
        n = 0
        while n < len(word) and self.data[start + n: start + n + 1] == word[n:n + 1]:
            n += 1
        return self._error(start + n + 1, "invalid literal")

    def _number(self) -> Token:
        self.mark = self.i
        m = _NUMBER.match(self.data, self.i)
        if m is None:
            return self._error(self.i + 2, "invalid number; expected digit after '-'")
        j, nxt = m.end(), self.data[m.end(): m.end() + 1]
        if m.group(3) is None and (nxt in (b"e", b"E") or nxt == b"." and m.group(2) is None):
            return self._bad_fraction(j)
        self.i = j
        return "number literal", j, ""

    def _bad_fraction(self, j: int) -> Token:
        """`1.`, `1e`, `1e+` followed by a non-digit."""
        d = self.data
        if d[j: j + 1] == b".":
            return self._error(j + 2, "invalid number; expected digit after '.'")
        if d[j + 1: j + 2] in (b"+", b"-"):
            return self._error(j + 3, "invalid number; expected digit after exponent sign")
        return self._error(j + 2, "invalid number; expected '+', '-', or digit after exponent")

    def _string(self) -> Token:
        self.mark = self.i
        d, j = self.data, self.i + 1
        while j < len(d) and d[j] != ord('"'):
            if d[j] < 0x20:
                return self._error(j + 1, _control_character(d[j]))
            j += 2 if d[j] == ord("\\") else 1
        if j >= len(d):
            return self._error(len(d) + 1, "invalid string: missing closing quote")
        self.i = j + 1
        return "string literal", self.i, ""


_CONTROL_NAMES = ("NUL SOH STX ETX EOT ENQ ACK BEL BS HT LF VT FF CR SO SI "
                  "DLE DC1 DC2 DC3 DC4 NAK SYN ETB CAN EM SUB ESC FS GS RS US").split()
_SHORT_ESCAPES = {8: "b", 9: "t", 10: "n", 12: "f", 13: "r"}


def _control_character(c: int) -> str:
    short = f" or \\{_SHORT_ESCAPES[c]}" if c in _SHORT_ESCAPES else ""
    return (f"invalid string: control character U+{c:04X} ({_CONTROL_NAMES[c]}) "
            f"must be escaped to \\u{c:04X}{short}")


def _value(r: _Reader, tok: Token) -> None:
    if tok[0] == "'['":
        _array(r)
    elif tok[0] == "'{'":
        _object(r)
    elif tok[0] == _LEXERR:
        raise _fail("value", tok, None)
    elif not tok[0].endswith("literal"):
        raise _fail("value", tok, _VALUE_START)


def _array(r: _Reader) -> None:
    tok = r.token()
    if tok[0] == "']'":
        return
    while True:
        _value(r, tok)
        tok = r.token()
        if tok[0] == "']'":
            return
        if tok[0] != "','":
            raise _fail("array", tok, "']'")
        tok = r.token()


def _object(r: _Reader) -> None:
    tok = r.token()
    if tok[0] == "'}'":
        return
    while True:
        if tok[0] != "string literal":
            raise _fail("object key", tok, "string literal")
        tok = r.token()
        if tok[0] != "':'":
            raise _fail("object separator", tok, "':'")
        _value(r, r.token())
        tok = r.token()
        if tok[0] == "'}'":
            return
        if tok[0] != "','":
            raise _fail("object", tok, "'}'")
        tok = r.token()


def describe(data: bytes) -> str | None:
    """Nix's message for invalid JSON text, or None if this reader finds no error."""
    r = _Reader(data)
    try:
        _value(r, r.token())
        tok = r.token()
        if tok[0] != "end of input":
            raise _fail("value", tok, "end of input")
    except _Fail as f:
        return _message(data, f)
    return None


def _message(data: bytes, f: _Fail) -> str:
    head = data[: min(f.at, len(data))]
    line = head.count(b"\n") + 1
    col = f.at - (head.rfind(b"\n") + 1)
    return f"[json.exception.parse_error.101] parse error at line {line}, column {col}: {f.text}"
