"""Option types: checks, merges and NixOS's error wording."""
from __future__ import annotations

import pytest

from nixlite.errors import OptionError


def one(type_: str, *defs: str) -> str:
    """A module declaring option `o` of type_, defined once per element of defs
    (each from its own imported module, so repeated definitions are legal Nix).
    The imports are listed in reverse: nixpkgs merges the collected modules in
    reverse order, so the definitions then merge in the order of `defs`."""
    imports = " ".join(f"{{ o = {d}; }}" for d in reversed(defs))
    return f"{{ lib, ... }}: {{ options.o = lib.mkOption {{ type = with lib.types; {type_}; }}; imports = [ {imports} ]; }}"


@pytest.mark.parametrize("type_, defs, want", [
    ("lines", ['"a"', '"b"'], "a\nb"),
    ("listOf int", ["[ 1 ]", "[ 2 3 ]"], [1, 2, 3]),
    ("attrsOf int", ["{ a = 1; }", "{ b = 2; }"], {"a": 1, "b": 2}),
    ("attrsOf (listOf str)", ['{ a = [ "x" ]; }', '{ a = [ "y" ]; }'], {"a": ["x", "y"]}),
    ("nullOr str", ["null"], None),
    ("nullOr str", ['"s"'], "s"),
    ("bool", ["true", "true"], True),
    ("port", ["8080"], 8080),
    ('enum [ "tcp" "udp" ]', ['"udp"'], "udp"),
    ("either int str", ['"s"'], "s"),
    ("oneOf [ bool int str ]", ["7"], 7),
    ('strMatching "[a-z]+"', ['"abc"'], "abc"),
    ("attrs", ["{ a = 1; }", "{ b = 2; }"], {"a": 1, "b": 2}),
    ("path", ['"/srv"'], "/srv"),
])
def test_merge(config_of, type_, defs, want):
    assert config_of(one(type_, *defs), "o") == want


@pytest.mark.parametrize("type_, value, desc", [
    ("int", '"80"', "signed integer"),
    ("str", "1", "string"),
    ("bool", '"yes"', "boolean"),
    ("port", "70000", "16 bit unsigned integer; between 0 and 65535 (both inclusive)"),
    ('enum [ "tcp" "udp" ]', '"icmp"', 'one of "tcp", "udp"'),
    ("nullOr int", '"x"', "null or signed integer"),
    ("listOf str", '"x"', "list of strings"),
    ('strMatching "[0-9]+"', '"12a"', "string matching the pattern [0-9]+"),
    ("path", '"relative"', "path"),
])
def test_type_error_wording(config_of, type_, value, desc):
    with pytest.raises(OptionError) as e:
        config_of(one(type_, value), "o")
    assert e.value.message == f"The option value `o' in `/virtual/test/containers.nix' is not of type `{desc}'."


def test_list_element_error_names_definition_and_entry(config_of):
    with pytest.raises(OptionError) as e:
        config_of(one("listOf int", "[ 1 ]", '[ 2 "x" ]'), "o")
    assert "`o.[definition 2-entry 2]'" in e.value.message


def test_null_and_not_null(config_of):
    with pytest.raises(OptionError, match="is defined both null and not null"):
        config_of(one("nullOr str", "null", '"x"'), "o")


def test_conflicting_ints(config_of):
    with pytest.raises(OptionError, match="The option `o' has conflicting definitions"):
        config_of(one("int", "1", "2"), "o")


def test_used_but_not_defined(config_of):
    with pytest.raises(OptionError) as e:
        config_of(one("str"), "o")
    assert e.value.message == "The option `o' is used but not defined."


def test_submodule_name_and_defaults(host):
    h = host('{ containers.c = { path = "/p"; bindMounts."/data" = { hostPath = "/srv"; }; }; }')
    bm = h.containers["c"].bindMounts["/data"]
    assert (bm.mountPoint, bm.hostPath, bm.isReadOnly) == ("/data", "/srv", True)


def test_submodule_function_definition_gets_name(host):
    h = host('{ containers.c = { name, ... }: { path = "/profiles/${name}"; }; }')
    assert h.containers["c"].path == "/profiles/c"


def test_loaof_list_is_keyed_by_mount_point_with_warning(host, warnings):
    h = host('{ containers.c = { path = "/p"; bindMounts = [ { mountPoint = "/a"; hostPath = "/x"; }'
             ' { mountPoint = "/b"; isReadOnly = false; } ]; }; }')
    assert sorted(h.containers["c"].bindMounts) == ["/a", "/b"]
    assert h.containers["c"].bindMounts["/b"].isReadOnly is False
    assert len(warnings) == 1
    assert "a list is being assigned to the option config.containers.c.bindMounts." in warnings[0]
    assert "type loaOf is deprecated" in warnings[0]
    # the suggestion has the shape NixOS 2020 printed (seen in users' logs)
    assert '    { /a = {...}; /b = {...}; }' in warnings[0]
    assert '    [ { mountPoint = "/a"; ...} { mountPoint = "/b"; ...} ]' in warnings[0]


def test_forward_port_defaults_and_type_error(host):
    h = host('{ containers.c = { path = "/p"; forwardPorts = [ { hostPort = 22; } ]; }; }')
    fp = h.containers["c"].forwardPorts[0]
    assert (fp.protocol, fp.hostPort, fp.containerPort) == ("tcp", 22, None)


def test_user_mkoptiontype(config_of):
    text = ('{ lib, ... }: { options.o = lib.mkOption { type = lib.mkOptionType { name = "even";'
            ' check = x: builtins.isInt x && lib.mod x 2 == 0; merge = loc: defs: (builtins.head defs).value; }; };'
            ' config.o = 3; }')
    with pytest.raises(OptionError, match="is not of type `even'"):
        config_of(text, "o")


def test_types_are_inspectable_from_nix(config_of):
    text = ('{ lib, ... }: { options.o = lib.mkOption { type = lib.types.attrs; }; config.o = with lib.types; {'
            ' a = (listOf int).description; b = port.name != ""; c = (nullOr str).check null;'
            ' d = str._type; }; }')
    assert config_of(text, "o") == {"a": "list of signed integers", "b": True, "c": True, "d": "option-type"}
