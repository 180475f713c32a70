"""Module function arguments as nixpkgs 2020 passes them, `_module.args`,
one evaluator per resolve, and what `nixlite eval` prints for warnings and
`--show-trace` on a module file."""
from __future__ import annotations


import pytest
from click.testing import CliRunner

from nixlite.errors import EvalError, NixliteError, OptionError
from nixlite.eval.evaluator import default_evaluator
from nixlite.modules.containers import resolve_file, resolve_string
from nixlite.modules.detect import node_is_module
from nixlite.syntax.parse import parse


def _error(host, text: str) -> NixliteError:
    with pytest.raises(NixliteError) as info:
        host(text)
    return info.value


# --- every module argument is passed, so a pattern without `...` must list them --------

def test_pattern_without_ellipsis_is_nix_unexpected_argument_error(host):
    e = _error(host, '{ lib }:\n{ containers.a.path = "/p"; }')
    assert isinstance(e, EvalError)
    assert e.message == "anonymous function at /virtual/test/containers.nix:1:1 called with unexpected argument 'config'"
    assert (e.span.line, e.span.col) == (1, 1)


def test_unexpected_argument_wording_is_nix_own(tmp_path, run_nix):
    """The one argument NixOS passes that the pattern lacks is `config`."""
    f = tmp_path / "m.nix"
    f.write_text('{ lib, options, specialArgs, modulesPath }: { containers.a.path = "/p"; }')
    with pytest.raises(EvalError) as info:
        resolve_file(str(f))
    _, _, err = run_nix(f"(import {f}) {{ lib = 1; options = 2; specialArgs = 3; modulesPath = 4; config = 5; }}")
    assert err.splitlines()[0] == f"error: {info.value.message}"


def test_pattern_listing_every_argument_needs_no_ellipsis(host):
    h = host('{ config, lib, options, specialArgs, modulesPath }:\n'
             '{ containers.a.path = modulesPath + "/x"; containers.b.path = "/p${toString (specialArgs ? modulesPath)}"; }')
    assert h.containers["a"].path == "/nixlite/nixos/modules/x" and h.containers["b"].path == "/p1"


def test_unused_arguments_are_never_forced(host):
    h = host('{ lib, boom, unused ? 1, ... }: { _module.args.boom = throw "forced"; containers.a.path = "/p"; }')
    assert list(h.containers) == ["a"]


def test_named_pkgs_comes_from_module_args(host):
    h = host('{ pkgs, ... }: { containers.a.path = "/p/${pkgs.system}"; }')
    assert h.containers["a"].path == "/p/x86_64-linux"


# --- _module.args -----------------------------------------------------------------------

def test_module_args_reach_every_module(host):
    h = host('{ config, ... }: {\n'
             '  imports = [ ({ myConf, lib, ... }: { containers.a.path = myConf.path; }) ];\n'
             '  _module.args.myConf = { path = "/from/args"; };\n'
             '}')
    assert h.containers["a"].path == "/from/args"


def test_module_args_from_two_modules_merge(host):
    h = host('{ a, b, ... }: {\n'
             '  imports = [ { _module.args.b = "/two"; } ];\n'
             '  _module.args.a = "/one";\n'
             '  containers.x.path = a + b;\n'
             '}')
    assert h.containers["x"].path == "/one/two"


def test_missing_module_argument_is_missing_attribute_at_the_pattern(host):
    e = _error(host, '{ config, nope, ... }:\n{ containers.a.path = nope; }')
    assert e.message == "attribute 'nope' missing"
    assert (e.span.line, e.span.col) == (1, 11)
    assert any("module argument `nope'" in w for _, w in e.trace)


def test_default_of_a_module_argument_is_not_used(host):
    """nixpkgs passes every named argument (functionArgs includes defaults)."""
    e = _error(host, '{ port ? 80, ... }:\n{ containers.a = { path = "/p"; forwardPorts = [ { hostPort = port; } ]; }; }')
    assert e.message == "attribute 'port' missing"


def test_submodule_gets_name_but_not_host_module_args(host):
    h = host('{ containers.web = { name, ... }: { path = "/srv/${name}"; }; }')
    assert h.containers["web"].path == "/srv/web"
    e = _error(host, '{ _module.args.x = "/p"; containers.web = { x, ... }: { path = x; }; }')
    assert e.message == "attribute 'x' missing"


def test_pkgs_is_not_a_submodule_argument(host):
    e = _error(host, '{ containers.web = { pkgs, ... }: { path = "/p/${pkgs.system}"; }; }')
    assert e.message == "attribute 'pkgs' missing"


def test_unknown_module_option_does_not_exist(host):
    e = _error(host, '{\n  _module.check = false;\n  _module.foo = 1;\n  containers.a.path = "/p";\n}')
    assert isinstance(e, OptionError)
    assert e.message == "The option `_module.foo' defined in `/virtual/test/containers.nix' does not exist."
    assert e.span.line == 3


def test_module_check_is_accepted(host):
    assert list(host('{ _module.check = false; containers.a.path = "/p"; }').containers) == ["a"]


@pytest.mark.parametrize("text, want", [
    ("{ config, myConf, ... }: { }", True),
    ("{ myConf, ... }: { }", False),
    ("{ config, myConf }: { }", False),
    ("{ _module.args.x = 1; }", True),
])
def test_detection_with_module_args(text, want):
    assert node_is_module(parse(text, file="«t»")) is want


# --- one evaluator per resolve --------------------------------------------------------------

def test_resolve_imports_with_its_own_evaluator(tmp_path):
    (tmp_path / "part.nix").write_text('{ containers.a.path = "/one"; }')
    main = tmp_path / "main.nix"
    main.write_text("{ imports = [ ./part.nix ]; }")
    assert resolve_file(str(main)).containers["a"].path == "/one"
    assert str(tmp_path / "part.nix") not in default_evaluator().files
    (tmp_path / "part.nix").write_text('{ containers.a.path = "/second"; }')
    assert resolve_file(str(main)).containers["a"].path == "/second"


def test_search_path_parameter(tmp_path):
    (tmp_path / "mod.nix").write_text('{ containers.a.path = "/via-search-path"; }')
    h = resolve_string("{ imports = [ <here/mod.nix> ]; }", "/virtual/t.nix", search_path=[("here", str(tmp_path))])
    assert h.containers["a"].path == "/via-search-path"


# --- nixlite eval: warnings once, --show-trace ------------------------------------------------

def _cli(args, tmp_path, text):
    from nixlite.cli.eval import command
    f = tmp_path / "containers.nix"
    f.write_text(text)
    return CliRunner().invoke(command, [*args, str(f)], catch_exceptions=False), str(f)


def test_each_warning_is_printed_once(tmp_path):
    res, _ = _cli([], tmp_path, '{ lib, ... }: {\n  services.x = 1;\n'
                  '  containers.a = { path = lib.warn "careful" "/p"; bindMounts = [ { mountPoint = "/m"; } ]; };\n}')
    assert res.exit_code == 0
    assert res.stderr.count("trace: warning: careful\n") == 1
    assert res.stderr.count("a list is being assigned to the option config.containers.a.bindMounts") == 1
    assert res.stderr.count("`services'") == 1


def test_show_trace_names_option_and_definition(tmp_path):
    res, f = _cli(["--show-trace"], tmp_path, '{ lib, ... }: {\n  containers.a.path = "/p";\n'
                  '  containers.a.timeoutStartSec = lib.mkIf (1 + "a" == 2) "1s";\n}')
    assert res.exit_code == 1
    err = res.stderr
    assert "error: cannot add a string to an integer" in err
    assert f"while evaluating definitions from `{f}':\n       at {f}:3:3:" in err
    assert "while evaluating the option `containers.a.timeoutStartSec':" in err
    assert err.index("definitions from") < err.index("while evaluating the option")


def test_imports_needing_a_module_argument_is_infinite_recursion_at_the_pattern(host):
    """As in NixOS: `imports` must be known before `config` exists."""
    e = _error(host, '{ myConf, ... }: { imports = [ myConf.m ]; _module.args.myConf = { m = { }; }; }')
    assert e.message == "infinite recursion encountered"
    assert (e.span.line, e.span.col) == (1, 3)


def test_cli_include_reaches_the_module_evaluator(tmp_path):
    lib_dir = tmp_path / "inc"
    lib_dir.mkdir()
    (lib_dir / "mod.nix").write_text('{ containers.a.path = "/included"; }')
    res, _ = _cli(["--json", "-I", f"here={lib_dir}"], tmp_path, "{ imports = [ <here/mod.nix> ]; }")
    assert res.exit_code == 0, res.output
    assert '"path":"/included"' in res.stdout
