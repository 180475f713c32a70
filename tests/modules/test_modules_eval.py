"""Module evaluation: imports, full and shorthand forms, _file, key,
disabledModules, module arguments, user-declared options, unknown and
ignored options."""
from __future__ import annotations

import pytest

from nixlite.errors import OptionError
from nixlite.modules.containers import resolve_file

DECL = '{ lib, ... }: { options.l = lib.mkOption { type = lib.types.listOf lib.types.str; default = [ ]; }; }'


def write(tmp_path, name: str, text: str) -> str:
    p = tmp_path / name
    p.write_text(text)
    return str(p)


def test_imports_paths_and_inline(tmp_path):
    write(tmp_path, "web.nix", '{ containers.web.path = "/p/web"; }')
    write(tmp_path, "db.nix", '{ lib, ... }: { imports = [ { containers.db.path = "/p/db"; } ]; }')
    main = write(tmp_path, "containers.nix", "{ imports = [ ./web.nix ./db.nix ]; }")
    assert sorted(resolve_file(main).containers) == ["db", "web"]


def test_same_path_imported_twice_counts_once(tmp_path):
    write(tmp_path, "decl.nix", DECL)
    write(tmp_path, "a.nix", '{ imports = [ ./decl.nix ]; l = [ "a" ]; }')
    main = write(tmp_path, "main.nix", '{ imports = [ ./decl.nix ./a.nix ]; }')
    ev = _evaluate_file(main)
    assert _read(ev, "l") == ["a"]


def test_key_deduplicates_inline_modules(config_of):
    text = ('{ imports = [ (%s) { key = "k"; l = [ "x" ]; } { key = "k"; l = [ "x" ]; } ]; }' % DECL)
    assert config_of(text, "l") == ["x"]


def test_disabled_modules(tmp_path):
    write(tmp_path, "decl.nix", DECL)
    write(tmp_path, "extra.nix", '{ l = [ "disabled" ]; }')
    main = write(tmp_path, "main.nix", '{ imports = [ ./decl.nix ./extra.nix ]; disabledModules = [ ./extra.nix ];'
                                       ' l = [ "kept" ]; }')
    assert _read(_evaluate_file(main), "l") == ["kept"]


def test_full_form_and_file_in_errors(host):
    with pytest.raises(OptionError) as e:
        host('{ imports = [ { _file = "/elsewhere.nix"; config.containers.x.nope = 1; } ]; }')
    assert e.value.message == "The option `containers.x.nope' defined in `/elsewhere.nix' does not exist."


def test_full_form_rejects_stray_attributes(host):
    with pytest.raises(OptionError, match="has an unsupported attribute `containers'"):
        host('{ config = { }; containers.x.path = "/p"; }')


def test_user_declared_options_feed_containers(host):
    h = host('{ lib, config, ... }: { options.my.net = lib.mkEnableOption "networking";'
             ' options.my.prefix = lib.mkOption { type = lib.types.str; default = "10.1"; };'
             ' config = { my.net = true; containers.a = { path = "/p"; privateNetwork = config.my.net;'
             ' localAddress = "${config.my.prefix}.0.2"; }; }; }')
    assert h.containers["a"].privateNetwork is True
    assert h.containers["a"].localAddress == "10.1.0.2"


def test_module_arguments(host):
    h = host('{ config, options, lib, pkgs, ... }: { containers.a = { path = "/p";'
             ' extraFlags = [ (toString options.containers.isDefined) pkgs.system pkgs.lib.version'
             ' "${pkgs.bash}/bin/bash" ]; }; }')
    flags = h.containers["a"].extraFlags
    assert flags[:3] == ["1", "x86_64-linux", "20.09pre-git"]
    assert flags[3].startswith("/nix/store/") and flags[3].endswith("-bash-4.4-p23/bin/bash")


def test_nixpkgs_lib_is_importable(host):
    h = host('let lib = import <nixpkgs/lib>; in { containers = lib.genAttrs [ "a" "b" ] (n: { path = "/p/${n}"; }); }')
    assert [c.path for _, c in h.sorted_containers] == ["/p/a", "/p/b"]


def test_unknown_top_level_option(host):
    with pytest.raises(OptionError) as e:
        host('{ containerz.web.path = "/p"; }')
    assert e.value.message == "The option `containerz' defined in `/virtual/test/containers.nix' does not exist."
    assert e.value.hint == "Did you mean `containers'?"


def test_ignored_namespaces_warn(host, warnings):
    h = host('{ services.nginx.enable = true; networking.firewall.enable = false;'
             ' networking.networkmanager.enable = true; containers.a.path = "/p"; }')
    assert h.networkmanager is True
    assert any("`services'" in w for w in warnings)
    assert any("`networking.firewall'" in w for w in warnings)


def test_is_container_disables_containers(host):
    assert host("{ boot.isContainer = true; }").enableContainers is False
    assert host("{ boot.isContainer = true; boot.enableContainers = true; }").enableContainers is True


def test_no_path_no_config(host):
    with pytest.raises(OptionError, match="The option `containers.e.path' is used but not defined."):
        host("{ containers.e.privateNetwork = true; }")


def test_config_container_hostname_and_assertion(host):
    h = host('{ containers.web.config = { lib, ... }: { networking.hostName = "www"; services.x = 1; }; }')
    assert h.containers["web"].path.endswith("-nixos-system-www-20.09pre-git")
    long_ok = host('{ containers.averyverylongname.path = "/p"; containers.averyverylongname.privateNetwork = true; }')
    assert "averyverylongname" in long_ok.containers


def test_path_and_config_both_given_conflict(host):
    with pytest.raises(OptionError, match="has conflicting definitions"):
        host('{ containers.a = { path = "/p"; config = { }; }; }')


def test_enable_tun_applied_by_schema(host):
    c = host('{ containers.t = { path = "/p"; enableTun = true; }; }').containers["t"]
    assert c.allowedDevices == [] and c.additionalCapabilities == []
    tun = c.with_tun_applied()
    assert tun.additionalCapabilities == ["CAP_NET_ADMIN"]
    assert (tun.allowedDevices[0].node, tun.allowedDevices[0].modifier) == ("/dev/net/tun", "rw")


def test_renamed_option_module_is_accepted(host):
    h = host('{ lib, ... }: { imports = [ (lib.mkRenamedOptionModule [ "a" ] [ "b" ]) ]; containers.x.path = "/p"; }')
    assert list(h.containers) == ["x"]


def _evaluate_file(path: str):
    from nixlite.eval.values import NixPath
    from nixlite.modules.eval_modules import Evaluation
    return Evaluation([(NixPath(path), path, path, False)])


def _read(ev, name: str):
    from nixlite.eval.values import force
    from nixlite.modules.containers import to_py
    return to_py(force(ev.config_thunk).d[name])


def test_pkgs_stub_is_lazy_about_unknown_packages(host, warnings):
    h = host('{ pkgs, ... }: { environment.systemPackages = [ pkgs.hello ]; containers.a.path = "/p"; }')
    assert list(h.containers) == ["a"]
    from nixlite.errors import NixliteError
    with pytest.raises(NixliteError, match="attribute 'hello' missing"):
        host('{ pkgs, ... }: { containers.a.path = "${pkgs.hello}"; }')
