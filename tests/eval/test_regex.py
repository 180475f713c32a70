"""`builtins.match` / `builtins.split`: the ERE parser, the libstdc++-style
matcher and the choice between it and Python `re`.

Expected values below were measured with nix-instantiate (Nix 2.8); the
differential suite (`fixtures/lang/differential.txt`) re-checks many of them
against real Nix when it is installed."""
from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nixlite.builtins import ere, ere_match, regex
from nixlite.errors import EvalError
from nixlite.eval import interp
from nixlite.eval.evaluator import Evaluator
from nixlite.eval.printer import print_value


def nix(text: str) -> str:
    ev = Evaluator(use_nix_path_env=False)
    return interp.run_deep(lambda: print_value(ev.eval_string(text), True))


# --- syntax: what libstdc++ accepts (measured) ---------------------------------------

VALID = ["a(|)b", "()", "[]a]", "[^]a]", "[a-]", "[-a]", "[[.a.]]", "[[=a=]]", "[[]", "[a[]",
         "x{2}{3}", "a||b", "a|", "[[:w:]]", "[[:d:]]", "[[:s:]]", "[--/]", "[%--]", "[]-a]",
         "[^-a]", "a**", "a+*", "a*?", "[[:upper:]-]", "a{2}?", "x{0,0}", "a}", "\\{", "\\[",
         "\\|", "\\\\", "[\\n]", "a^", "a$b"]
INVALID = ["*a", "a|*b", "(*a)", "(", ")", "a)", "[]", "[z-a]", "[a-c-e]", "[[:alpha:]-z]",
           "[[.-.]]", "[[:foo:]]", "[[:word:]]", "[[:alpha:]", "x{3,2}", "{1}", "^*", "$*",
           "\\", "a{ 1}", "a{1,2,3}", "a{a}", "a{,2}", "a{", "x{,}", "+a", "?a", "\\d", "\\n",
           "\\]", "\\}", "\\/", "\\-", "\\1", "\\b", "[[.]", "[[=]", "[[:]"]


@pytest.mark.parametrize("pattern", VALID)
def test_accepted_syntax(pattern):
    ere.parse(pattern)


@pytest.mark.parametrize("pattern", INVALID)
def test_rejected_syntax(pattern):
    with pytest.raises(ere.RegexSyntaxError):
        ere.parse(pattern)


# largest counts libstdc++ (100,000 automaton states) still builds, measured with Nix
@pytest.mark.parametrize("template,largest", [
    ("a{%d}", 99993), ("(a|b){%d}", 12498), ("a{1,%d}", 49997), ("(a?){%d,}", 16663),
    ("(ab|c*){%d}", 9998), ("x(a+b?){%d}y|z", 12497), ("((a)(b)){3,%d}", 8332), ("a?{%d}", 33330),
])
def test_state_limit(template, largest):
    ere.parse(template % largest)
    with pytest.raises(ere.RegexTooLarge):
        ere.parse(template % (largest + 1))


def test_state_limit_message():
    with pytest.raises(EvalError, match=r"memory limit exceeded by regular expression 'a\{2000000000\}'"):
        nix('builtins.match "a{2000000000}" "a"')


def test_invalid_pattern_is_an_eval_error():
    with pytest.raises(EvalError, match=r"invalid regular expression '\\d'"):
        nix('builtins.match "\\\\d" "d"')


# --- semantics (results measured with Nix 2.8) ----------------------------------------

CASES = [
    ('builtins.split "(a|ab)" "abc"', '[ "" [ "ab" ] "c" ]'),
    ('builtins.match "(a|ab)(c|bcd)(d*)" "abcd"', '[ "a" "bcd" "" ]'),
    ('builtins.split "(a|ab)(c|bcd)(d*)" "abcd"', '[ "" [ "a" "bcd" "" ] "" ]'),
    ('builtins.split "a?(ab)?" "ab"', '[ "" [ null ] "" [ null ] "b" [ null ] "" ]'),
    ('builtins.split "(|b)" "ab"', '[ "" [ "" ] "a" [ "b" ] "" [ "" ] "" ]'),
    ('builtins.split "a+?" "aaa"', '[ "" [ ] "" [ ] "" ]'),
    ('builtins.match "a**" "aaa"', '[ ]'),
    ('builtins.match "(a*)*" "aa"', '[ "" ]'),
    ('builtins.match "(a){2}" "aa"', '[ "a" ]'),
    ('builtins.match "(|a)" "a"', '[ "a" ]'),
    ('builtins.match "|" "a"', 'null'),
    ('builtins.match ".." "é"', '[ ]'),
    ('builtins.match "[[:alpha:][:digit:]]" "5"', '[ ]'),
    ('builtins.match "[[.hyphen.]]" "-"', '[ ]'),
]


@pytest.mark.parametrize("expr,expected", CASES)
def test_measured(expr, expected):
    assert nix(expr) == expected


def test_pathological_pattern_is_bounded():
    # exponential in libstdc++ too; we stop with an error instead of hanging
    with pytest.raises(EvalError, match="too complex"):
        nix('builtins.split "((.|()){2,}|.)*" "' + "ab" * 20 + '"')


# --- which engine runs ----------------------------------------------------------------

@pytest.mark.parametrize("pattern,compatible", [
    ("(.*)\\.nix", True), ("([^-]*)-(.*)", True), ("[a-z]+", True), ("(a?b)*", True),
    ("a|b", False), ("(a*)*", False), ("(a?){2,}", False), ("(x|y)+", False),
])
def test_engine_choice(pattern, compatible):
    assert ere.python_compatible(ere.parse(pattern).root) is compatible
    assert (regex.compile_regex(pattern).python is not None) is compatible


def _atoms():
    return st.sampled_from(["a", "b", ".", "[ab]", "[^a]", "^", "$", "(a)", "(ab)", "()"])


def _patterns():
    def extend(inner):
        seq = st.lists(inner, min_size=2, max_size=3).map("".join)
        group = inner.map(lambda p: f"({p})")
        rep = st.tuples(inner.filter(lambda p: p[-1] not in "*+?}^$"),
                        st.sampled_from(["*", "+", "?", "{2}", "{1,2}", "{2,}"])).map("".join)
        return st.one_of(seq, group, rep)
    return st.recursive(_atoms(), extend, max_leaves=5)


@settings(max_examples=200, deadline=None)
@given(_patterns(), st.text(alphabet="abc", max_size=6))
def test_python_fast_path_agrees_with_dfs(pattern, s):
    """Where the fast path is taken, Python `re` must give what the
    libstdc++-style matcher gives, for `match` and for `split`."""
    parsed = ere.parse(pattern)
    if not ere.python_compatible(parsed.root):
        return
    py = re.compile(ere.to_python(parsed.root), re.DOTALL)
    prog = ere_match.Program(parsed)
    m = py.fullmatch(s)
    assert (None if m is None else regex._spans(m)) == ere_match.fullmatch(prog, s)
    assert [regex._spans(x) for x in py.finditer(s)] == list(ere_match.finditer(prog, s))
