"""POSIX extended regular expressions as Nix 2.8 reads them: parser, AST and
translation to Python `re`.

Nix 2.8 compiles patterns with libstdc++'s `std::regex` (grammar `extended`),
so the accepted syntax is that library's, measured against nix-instantiate:

* only `\\^ \\$ \\\\ \\. \\* \\+ \\? \\( \\) \\[ \\{ \\|` are valid escapes
  (`\\d`, `\\n`, `\\]`, `\\}`, backreferences ... are errors);
* a quantifier needs an atom (not `^`, `$`, `(`, `|` or the start) and may be
  stacked (`a**`, `a+?` = `(a+)?`: there is no lazy form); `{n}`, `{n,}`,
  `{n,m}` with n <= m, anything else after `{` is an error; a lone `}` is
  literal;
* in brackets `\\` and `[` are literal, `]` first is literal, `-` first or
  last is literal, `[:class:]` (C locale, plus `w`, `d`, `s`), `[.x.]`,
  `[=x=]`; a range may not start at a class or be followed by `-x`;
* a pattern whose automaton would exceed libstdc++'s 100,000 states is
  refused ("memory limit exceeded"): `_states` counts them as that library
  builds them (an interval copies its body), fitted to nix-instantiate.

Strings are matched byte-wise (Nix strings are bytes): callers map UTF-8
text to one character per byte with latin-1 (`to_bytes_str`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional, Union

_ESCAPABLE = set("^$\\.*+?()[{|")

_CLASSES = {
    "alpha": "a-zA-Z", "digit": "0-9", "d": "0-9", "alnum": "a-zA-Z0-9", "upper": "A-Z",
    "lower": "a-z", "space": " \t\n\r\f\v", "s": " \t\n\r\f\v", "blank": " \t",
    "punct": "!-/:-@[-`{-~", "xdigit": "0-9A-Fa-f", "cntrl": "\x00-\x1f\x7f",
    "print": " -~", "graph": "!-~", "w": "a-zA-Z0-9_",
}


class RegexSyntaxError(Exception):
    """The pattern is not one libstdc++ accepts (Nix: invalid regular expression)."""


class RegexTooLarge(Exception):
    """libstdc++ would build more than STATE_LIMIT automaton states (Nix:
    memory limit exceeded by regular expression)."""


@dataclass(frozen=True)
class CharSet:
    """One byte from `ranges` (inclusive code-point pairs); `negate` inverts.
    A plain literal is a CharSet with one single-point range."""
    ranges: tuple[tuple[int, int], ...]
    negate: bool = False

    def test(self, ch: str) -> bool:
        o = ord(ch)
        return any(lo <= o <= hi for lo, hi in self.ranges) != self.negate


@dataclass(frozen=True)
class Any_:
    """`.`: any byte but NUL (libstdc++'s POSIX `.`)."""


@dataclass(frozen=True)
class Anchor:
    """`^` (begin=True) or `$`."""
    begin: bool


@dataclass(frozen=True)
class Group:
    index: int
    body: "Node"


@dataclass(frozen=True)
class Concat:
    items: tuple["Node", ...]


@dataclass(frozen=True)
class Alt:
    options: tuple["Node", ...]


@dataclass(frozen=True)
class Repeat:
    body: "Node"
    min: int
    max: Optional[int]          # None: unbounded
    op: str = "{}"              # as written: "*", "+", "?" or "{}" (an interval)


Node = Union[CharSet, Any_, Anchor, Group, Concat, Alt, Repeat]


@dataclass(frozen=True)
class Regex:
    root: Node
    groups: int


def to_bytes_str(s: str) -> str:
    """The UTF-8 bytes of s, one character per byte (what std::regex sees)."""
    return s if s.isascii() else s.encode("utf-8", "surrogateescape").decode("latin-1")


def from_bytes_str(s: str) -> str:
    return s if s.isascii() else s.encode("latin-1").decode("utf-8", "surrogateescape")


class _Parser:
    def __init__(self, p: str):
        self.p, self.i, self.groups = p, 0, 0

    def peek(self, k: int = 0) -> str:
        j = self.i + k
        return self.p[j] if j < len(self.p) else ""

    def parse(self) -> Regex:
        root = self.alternation()
        if self.i < len(self.p):
            raise RegexSyntaxError("unmatched ')'")
        return Regex(root, self.groups)

    def alternation(self) -> Node:
        options = [self.sequence()]
        while self.peek() == "|":
            self.i += 1
            options.append(self.sequence())
        return options[0] if len(options) == 1 else Alt(tuple(options))

    def sequence(self) -> Node:
        items: list[Node] = []
        while self.peek() not in ("", "|", ")"):
            items.append(self.term())
        return items[0] if len(items) == 1 else Concat(tuple(items))

    def term(self) -> Node:
        ch = self.peek()
        if ch in ("^", "$"):
            self.i += 1
            return Anchor(ch == "^")
        atom = self.atom()
        while True:
            bounds = self.quantifier()
            if bounds is None:
                return atom
            op = self.p[self.i - 1]
            atom = Repeat(atom, *bounds, op=op if op in "*+?" else "{}")

    def atom(self) -> Node:
        ch = self.peek()
        self.i += 1
        if ch == "(":
            self.groups += 1
            index = self.groups
            body = self.alternation()
            if self.peek() != ")":
                raise RegexSyntaxError("unmatched '('")
            self.i += 1
            return Group(index, body)
        if ch in ("*", "+", "?", "{"):
            raise RegexSyntaxError(f"nothing to repeat before '{ch}'")
        if ch == ".":
            return Any_()
        if ch == "[":
            return self.bracket()
        if ch == "\\":
            ch = self.peek()
            if ch not in _ESCAPABLE or ch == "":
                raise RegexSyntaxError("invalid escape")
            self.i += 1
        return _literal(ch)

    def quantifier(self) -> Optional[tuple[int, Optional[int]]]:
        ch = self.peek()
        simple = {"*": (0, None), "+": (1, None), "?": (0, 1)}
        if ch in simple:
            self.i += 1
            return simple[ch]
        if ch != "{":
            return None
        m = re.compile(r"\{(\d+)(,(\d*))?\}").match(self.p, self.i)
        if m is None:
            raise RegexSyntaxError("bad interval")
        self.i = m.end()
        lo = int(m.group(1))
        hi = lo if m.group(2) is None else (int(m.group(3)) if m.group(3) else None)
        if hi is not None and hi < lo:
            raise RegexSyntaxError("bad interval")
        return lo, hi

    def bracket(self) -> CharSet:
        negate = self.peek() == "^"
        self.i += negate
        ranges: list[tuple[int, int]] = []
        first = True
        while first or self.peek() != "]":
            if self.peek() == "":
                raise RegexSyntaxError("unterminated bracket")
            self.bracket_item(ranges)
            first = False
        self.i += 1
        return CharSet(tuple(ranges), negate)

    def bracket_item(self, ranges: list) -> None:
        start, is_class = self.bracket_atom(ranges)
        if self.peek() != "-" or self.peek(1) in ("]", ""):
            if not is_class:
                ranges.append((start, start))
            return
        if is_class:
            raise RegexSyntaxError("range from a character class")
        self.i += 1
        end, is_class = self.bracket_atom(ranges)
        if is_class or end < start:
            raise RegexSyntaxError("bad range")
        ranges.append((start, end))
        if self.peek() == "-" and self.peek(1) not in ("]", ""):
            raise RegexSyntaxError("bad range")

    def bracket_atom(self, ranges: list) -> tuple[int, bool]:
        """One bracket element: (its code point, False), or (0, True) for a
        [:class:], whose ranges are added at once."""
        if self.peek() == "[" and self.peek(1) in (":", ".", "="):
            kind = self.peek(1)
            end = self.p.find(kind + "]", self.i + 2)
            if end == -1:
                raise RegexSyntaxError("unterminated bracket element")
            name = self.p[self.i + 2:end]
            self.i = end + 2
            if kind != ":":
                return _collating(name), False
            if name not in _CLASSES:
                raise RegexSyntaxError(f"bad character class {name}")
            ranges.extend(_class_ranges(_CLASSES[name]))
            return 0, True
        self.i += 1
        return ord(self.p[self.i - 1]), False


def _collating(name: str) -> int:
    """`[.x.]` / `[=x=]` in the C locale: a single letter or digit names itself."""
    if len(name) == 1 and name.isascii() and name.isalnum():
        return ord(name)
    named = {"hyphen": "-", "space": " ", "period": ".", "underscore": "_", "slash": "/"}
    if name in named:
        return ord(named[name])
    raise RegexSyntaxError(f"bad collating element {name}")


def _class_ranges(spec: str) -> list[tuple[int, int]]:
    out, i = [], 0
    while i < len(spec):
        if i + 2 < len(spec) and spec[i + 1] == "-":
            out.append((ord(spec[i]), ord(spec[i + 2])))
            i += 3
        else:
            out.append((ord(spec[i]), ord(spec[i])))
            i += 1
    return out


def _literal(ch: str) -> CharSet:
    return CharSet(((ord(ch), ord(ch)),))


def parse(pattern: str) -> Regex:
    """Parse a (byte-string) pattern; RegexSyntaxError if libstdc++ rejects it,
    RegexTooLarge if its automaton would exceed libstdc++'s state limit."""
    regex = _Parser(pattern).parse()
    if 4 + _states(regex.root, top=True) > STATE_LIMIT:
        raise RegexTooLarge(pattern)
    return regex


# --- libstdc++'s automaton size (fitted to nix-instantiate's limit errors) ------------

STATE_LIMIT = 100_000


def _states(n: Node, top: bool = False) -> int:
    """States libstdc++ creates for n; `top`: n is a whole alternation body.
    Every alternative ends in a dummy state, `|` adds a branch and a join
    state, and an interval keeps the original body besides its copies."""
    if top or isinstance(n, (Alt, Concat)):
        options = n.options if isinstance(n, Alt) else (n,)
        return sum(_sequence_states(o) for o in options) + 2 * (len(options) - 1)
    if isinstance(n, Group):
        return 2 + _states(n.body, top=True)
    if isinstance(n, Repeat):
        return _repeat_states(n)
    return 1


def _sequence_states(n: Node) -> int:
    items = n.items if isinstance(n, Concat) else (n,)
    return sum(_states(x) for x in items) + 1


def _repeat_states(n: Repeat) -> int:
    body = _states(n.body)
    if n.op in ("*", "+"):
        return body + 1
    if n.op == "?":
        return body + 2
    extra = body + 1 if n.max is None else (n.max - n.min) * (body + 1)
    return body + 1 + n.min * body + extra


# --- which patterns Python `re` matches exactly like libstdc++ ----------------------

def nullable(n: Node) -> bool:
    if isinstance(n, (CharSet, Any_)):
        return False
    if isinstance(n, Anchor):
        return True
    if isinstance(n, Group):
        return nullable(n.body)
    if isinstance(n, Concat):
        return all(nullable(x) for x in n.items)
    if isinstance(n, Alt):
        return any(nullable(x) for x in n.options)
    return n.min == 0 or nullable(n.body)


def python_compatible(n: Node) -> bool:
    """True when Python's backtracking agrees with libstdc++'s executor: no
    alternation (libstdc++ tries every branch and keeps the longest) and no
    repetition of something that can match empty (libstdc++ lets such a body
    run twice at one position; Python stops at once)."""
    if isinstance(n, Alt):
        return False
    if isinstance(n, Group):
        return python_compatible(n.body)
    if isinstance(n, Concat):
        return all(python_compatible(x) for x in n.items)
    if isinstance(n, Repeat):
        return not nullable(n.body) and python_compatible(n.body)
    return True


def to_python(n: Node) -> str:
    """Python `re` source for the AST (compile with re.DOTALL)."""
    if isinstance(n, CharSet):
        if not n.negate and len(n.ranges) == 1 and n.ranges[0][0] == n.ranges[0][1]:
            return re.escape(chr(n.ranges[0][0]))
        body = "".join(_py_range(lo, hi) for lo, hi in n.ranges)
        return f"[{'^' if n.negate else ''}{body}]" if body else ("[\\s\\S]" if n.negate else "(?!)")
    if isinstance(n, Any_):
        return "[^\\x00]"
    if isinstance(n, Anchor):
        return "^" if n.begin else r"\Z"
    if isinstance(n, Group):
        return f"({to_python(n.body)})"
    if isinstance(n, Concat):
        return "".join(to_python(x) for x in n.items)
    if isinstance(n, Alt):
        return "|".join(f"(?:{to_python(x)})" for x in n.options)
    hi = "" if n.max is None else str(n.max)
    return f"(?:{to_python(n.body)}){{{n.min},{hi}}}"


def _py_range(lo: int, hi: int) -> str:
    esc = lambda c: "\\x%02x" % c if c < 128 else "\\u%04x" % c  # noqa: E731
    return esc(lo) if lo == hi else f"{esc(lo)}-{esc(hi)}"
