"""Priorities and properties: mkDefault/mkForce/mkOverride winners, mkIf,
mkMerge, mkOrder, as NixOS resolves them."""
from __future__ import annotations

import pytest

from nixlite.errors import OptionError

OPT = """
  options.s = lib.mkOption { type = lib.types.str; default = "from-default"; };
  options.l = lib.mkOption { type = lib.types.listOf lib.types.str; default = [ ]; };
  options.t = lib.mkOption { type = lib.types.lines; default = ""; };
  options.b = lib.mkOption { type = lib.types.bool; default = false; };
"""


def mod(config: str, extra: str = "") -> str:
    return f"{{ lib, config, ... }}: {{ {OPT} imports = [ {extra} ]; config = {config}; }}"


@pytest.mark.parametrize("defs, want", [
    ("{ }", "from-default"),                                               # option default, 1500
    ('{ s = lib.mkDefault "dflt"; }', "dflt"),                              # 1000 beats 1500
    ('{ s = "plain"; }', "plain"),
    ('{ s = lib.mkForce "forced"; }', "forced"),
    ('{ s = lib.mkOverride 90 "ninety"; }', "ninety"),
])
def test_single_definition_priority(config_of, defs, want):
    assert config_of(mod(defs), "s") == want


@pytest.mark.parametrize("a, b, want", [
    ('"plain"', 'lib.mkDefault "dflt"', "plain"),       # 100 < 1000
    ('lib.mkForce "forced"', '"plain"', "forced"),       # 50 < 100
    ('lib.mkOverride 90 "x"', '"plain"', "x"),
    ('lib.mkDefault "d"', 'lib.mkOverride 1200 "y"', "d"),
])
def test_lowest_priority_number_wins(config_of, a, b, want):
    text = mod(f"{{ s = {a}; }}", f"{{ s = {b}; }}")
    assert config_of(text, "s") == want


def test_equal_priority_str_conflict_names_both_files(config_of):
    text = mod('{ s = "one"; }', '{ _file = "/other.nix"; s = "two"; }')
    with pytest.raises(OptionError) as e:
        config_of(text, "s")
    assert e.value.message == ("The option `s' has conflicting definitions, in `/other.nix' and "
                               "`/virtual/test/containers.nix'.")


def test_equal_values_at_same_priority_are_fine(config_of):
    assert config_of(mod('{ s = "same"; }', '{ s = "same"; }'), "s") == "same"


def test_mkif_false_drops_definition(config_of):
    assert config_of(mod('{ s = lib.mkIf false "never"; }'), "s") == "from-default"
    assert config_of(mod('{ l = lib.mkIf false [ "x" ]; }', '{ l = [ "y" ]; }'), "l") == ["y"]


def test_mkif_condition_reads_config_lazily(config_of):
    text = mod('{ b = true; s = lib.mkIf config.b "on"; }')
    assert config_of(text, "s") == "on"


def test_mkif_at_config_level_is_pushed_down(config_of):
    text = mod('lib.mkIf config.b { s = "pushed"; }', "{ b = true; }")
    assert config_of(text, "s") == "pushed"


def test_mkif_non_boolean_condition(config_of):
    with pytest.raises(OptionError, match="mkIf’ called with a non-Boolean condition"):
        config_of(mod('{ s = lib.mkIf "yes" "x"; }'), "s")


def test_mkmerge_inside_mkif_and_mkif_inside_mkmerge(config_of):
    text = mod('{ l = lib.mkIf true (lib.mkMerge [ [ "a" ] (lib.mkIf false [ "b" ]) [ "c" ] ]); }')
    assert config_of(text, "l") == ["a", "c"]


def test_mkmerge_of_attrsets_at_config_level(config_of):
    text = mod('lib.mkMerge [ { l = [ "a" ]; } { l = [ "b" ]; s = "m"; } ]')
    assert config_of(text, "l") == ["a", "b"]
    assert config_of(text, "s") == "m"


def test_mkorder_sorts_list_definitions(config_of):
    text = mod('lib.mkMerge [ { l = [ "mid" ]; } { l = lib.mkAfter [ "last" ]; } { l = lib.mkBefore [ "first" ]; } ]')
    assert config_of(text, "l") == ["first", "mid", "last"]


def test_mkorder_numeric_and_lines(config_of):
    text = mod('lib.mkMerge [ { t = "b"; } { t = lib.mkOrder 10 "a"; } { t = lib.mkOrder 2000 "c"; } ]')
    assert config_of(text, "t") == "a\nb\nc"


def test_list_definitions_keep_module_order(config_of):
    # nixpkgs reverses the collected module list: the importer's definition comes after its import's.
    text = mod('{ l = [ "importer" ]; }', '{ l = [ "imported" ]; }')
    assert config_of(text, "l") == ["imported", "importer"]


def test_mkforce_inside_mkmerge_beats_plain(host):
    h = host('{ lib, ... }: { containers.a = lib.mkMerge [ { path = "/p"; timeoutStartSec = "1s"; }'
             ' { timeoutStartSec = lib.mkForce "2s"; } ]; }')
    assert h.containers["a"].timeoutStartSec == "2s"


def test_property_encoding_matches_nixpkgs(config_of):
    text = ('{ lib, ... }: { options.x = lib.mkOption { type = lib.types.attrs; }; config.x = {'
            ' a = (lib.mkIf true 1)._type; b = (lib.mkDefault 1).priority; c = (lib.mkBefore 1).priority;'
            ' d = (lib.mkMerge [ ])._type; e = (lib.mkForce 1)._type; f = (lib.mkOrder 7 1)._type; }; }')
    assert config_of(text, "x") == {"a": "if", "b": 1000, "c": 500, "d": "merge", "e": "override", "f": "order"}


# --- property: the winners are exactly the definitions of the lowest priority ---------

from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402

PRIO = {"plain": 100, "mkDefault": 1000, "mkForce": 50, "mkOverride 90": 90, "mkOverride 1200": 1200}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(sorted(PRIO)), st.booleans()), min_size=1, max_size=6))
def test_priority_property(config_of, defs):
    parts = []
    for i, (kind, cond) in enumerate(defs):
        value = f'[ "v{i}" ]'
        wrapped = value if kind == "plain" else f"(lib.{kind} {value})"
        parts.append(f"(lib.mkIf {'true' if cond else 'false'} {wrapped})")
    text = mod(f"{{ l = lib.mkMerge [ {' '.join(parts)} ]; }}")
    live = [(PRIO[k], f"v{i}") for i, (k, c) in enumerate(defs) if c]
    best = min((p for p, _ in live), default=None)
    want = [v for p, v in live if p == best] if best is not None and best < 1500 else []
    assert config_of(text, "l") == want
