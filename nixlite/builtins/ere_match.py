"""A backtracking matcher with the semantics of libstdc++'s depth-first
`std::regex` executor for POSIX grammars, which is what Nix 2.8 runs.

It is *not* textbook POSIX leftmost-longest.  Measured against
nix-instantiate, the rules are those of a depth-first walk over the pattern:

* alternation tries every branch, left to right, and keeps the solution
  that ends furthest; on a tie the first one found wins (with its groups);
* a greedy repetition tries one more iteration first and, if anything below
  it reached a solution, never tries stopping earlier (so `a?(ab)?` finds
  "a" in "ab", not the longer "ab");
* a repetition whose body matched empty may run once more at the same
  position, then must stop;
* a group keeps the text of its last completed iteration;
* `x+` is x followed by a loop back into the *same* x (so the guard above is
  shared), while `x{2,}`, `x{1,3}` ... work on copies of x;
* `match` only accepts at the end of the string; `split` accepts anywhere and
  can be told to reject an empty match (the retry after an empty match).

Patterns here are tiny, but the walk is exponential in the worst case, as in
Nix; `STEP_LIMIT` bounds it with an error instead of a hang.
"""
from __future__ import annotations

from typing import Optional

from .ere import Alt, Anchor, Any_, CharSet, Concat, Group, Node, Regex, Repeat

STEP_LIMIT = 2_000_000
STATE_LIMIT = 100_000
CHAR, BOL, EOL, OPEN, CLOSE, ALT, REP, ACCEPT = range(8)

Groups = list  # [(start, end) or None] for groups 0..n


class RegexTooComplex(Exception):
    """The pattern (or its expansion) exceeds the bounds above."""


class Program:
    """The pattern flattened into states: (kind, arg, next[, single-char test])."""

    def __init__(self, regex: Regex):
        self.states: list = []
        self.groups = regex.groups
        accept = self._add((ACCEPT, None, None))
        close = self._add((CLOSE, 0, accept))
        self.start = self._add((OPEN, 0, self._compile(regex.root, close)))

    def _add(self, state) -> int:
        if len(self.states) >= STATE_LIMIT:
            raise RegexTooComplex("regular expression too large")
        self.states.append(state)
        return len(self.states) - 1

    def _compile(self, n: Node, nxt: int) -> int:
        if isinstance(n, CharSet):
            return self._add((CHAR, n.test, nxt))
        if isinstance(n, Any_):
            return self._add((CHAR, _not_nul, nxt))
        if isinstance(n, Anchor):
            return self._add((BOL if n.begin else EOL, None, nxt))
        if isinstance(n, Group):
            close = self._add((CLOSE, n.index, nxt))
            return self._add((OPEN, n.index, self._compile(n.body, close)))
        if isinstance(n, Concat):
            for item in reversed(n.items):
                nxt = self._compile(item, nxt)
            return nxt
        if isinstance(n, Alt):
            return self._add((ALT, tuple(self._compile(o, nxt) for o in n.options), None))
        return self._repeat(n, nxt)

    def _repeat(self, n: Repeat, nxt: int) -> int:
        """Like libstdc++: `x+` is x then a loop back into the same x; `x*` and
        `{n,m}` are `min` copies, then a loop or (max - min) nested optionals."""
        if n.op == "+":
            loop = self._add(None)
            body = self._compile(n.body, loop)
            self._set_loop(loop, body, n.body, nxt)
            return body
        if n.max is None:
            loop = self._add(None)
            self._set_loop(loop, self._compile(n.body, loop), n.body, nxt)
            tail = loop
        else:
            tail = nxt
            for _ in range(n.max - n.min):
                tail = self._add((REP, self._compile(n.body, tail), nxt, None))
        for _ in range(n.min):
            tail = self._compile(n.body, tail)
        return tail

    def _set_loop(self, loop: int, body: int, body_node: Node, nxt: int) -> None:
        single = self.states[body][1] if isinstance(body_node, (CharSet, Any_)) else None
        self.states[loop] = (REP, body, nxt, single)


def _not_nul(ch: str) -> bool:
    return ch != "\x00"


class _Walk:
    """One depth-first walk from `begin` (one call of the executor)."""

    def __init__(self, prog: Program, s: str, begin: int, exact: bool, not_null: bool):
        self.prog, self.s, self.n, self.begin = prog, s, len(s), begin
        self.exact, self.not_null = exact, not_null
        self.cur = begin
        self.groups: list = [[None, None] for _ in range(prog.groups + 1)]
        self.counts: dict[int, tuple[int, int]] = {}
        self.has_sol = False
        self.sol_end: Optional[int] = None
        self.sol: Optional[Groups] = None
        self.steps = 0

    def run(self) -> Optional[Groups]:
        self.dfs(self.prog.start)
        return self.sol

    def dfs(self, i: int) -> None:
        self.steps += 1
        if self.steps > STEP_LIMIT:
            raise RegexTooComplex("regular expression too complex to match")
        state = self.prog.states[i]
        kind = state[0]
        if kind == CHAR:
            self._char(state)
        elif kind == REP:
            self._repeat(i, state)
        elif kind == ALT:
            self._alternation(state[1])
        elif kind == OPEN or kind == CLOSE:
            self._group(kind, state)
        elif kind == BOL:
            if self.cur == 0:
                self.dfs(state[2])
        elif kind == EOL:
            if self.cur == self.n:
                self.dfs(state[2])
        else:
            self._accept()

    def _char(self, state) -> None:
        if self.cur < self.n and state[1](self.s[self.cur]):
            self.cur += 1
            self.dfs(state[2])
            self.cur -= 1

    def _alternation(self, options) -> None:
        found = False
        for o in options:
            self.has_sol = False
            self.dfs(o)
            found = found or self.has_sol
        self.has_sol = found

    def _group(self, kind: int, state) -> None:
        slot = self.groups[state[1]]
        saved = slot[:]
        if kind == OPEN:
            slot[0] = self.cur
        else:
            slot[1] = self.cur
        self.dfs(state[2])
        slot[:] = saved

    def _repeat(self, i: int, state) -> None:
        if state[3] is not None:
            return self._char_loop(state[3], state[2])
        old = self.counts.get(i)
        if old is None or old[0] != self.cur:
            self._once_more(i, state[1], (self.cur, 1), old)
        elif old[1] < 2:
            self._once_more(i, state[1], (self.cur, 2), old)
        if not self.has_sol:
            self.dfs(state[2])

    def _once_more(self, i: int, body: int, count: tuple[int, int], old) -> None:
        self.counts[i] = count
        self.dfs(body)
        if old is None:
            del self.counts[i]
        else:
            self.counts[i] = old

    def _char_loop(self, test, nxt: int) -> None:
        """`x*` for a one-byte x, without one recursion level per byte: the
        same order as the general walk (longest run first, stop at a solution)."""
        start, end = self.cur, self.cur
        while end < self.n and test(self.s[end]):
            end += 1
        for pos in range(end, start - 1, -1):
            self.cur = pos
            self.dfs(nxt)
            if self.has_sol:
                break
        self.cur = start

    def _accept(self) -> None:
        if self.exact and self.cur != self.n:
            return
        if self.not_null and self.cur == self.begin:
            return
        self.has_sol = True
        if self.sol_end is None or self.cur > self.sol_end:
            self.sol_end = self.cur
            self.sol = [tuple(g) if g[1] is not None else None for g in self.groups]
            self.sol[0] = (self.begin, self.cur)


def fullmatch(prog: Program, s: str) -> Optional[Groups]:
    """std::regex_match: the groups (as (start, end) or None), or None."""
    return _Walk(prog, s, 0, exact=True, not_null=False).run()


def search(prog: Program, s: str, start: int, not_null: bool = False,
           continuous: bool = False) -> Optional[Groups]:
    """std::regex_search from `start`: the first start position with a solution."""
    last = start if continuous else len(s)
    for begin in range(start, last + 1):
        sol = _Walk(prog, s, begin, exact=False, not_null=not_null).run()
        if sol is not None:
            return sol
    return None


def finditer(prog: Program, s: str):
    """Successive matches as std::regex_iterator yields them: after an empty
    match, first a non-empty match at the same place, else search one further."""
    m = search(prog, s, 0)
    while m is not None:
        yield m
        begin, end = m[0]
        if begin != end:
            m = search(prog, s, end)
            continue
        if end == len(s):
            return
        m = search(prog, s, end, not_null=True, continuous=True) or search(prog, s, end + 1)
