"""`nixlite eval`: the search path reaches plain expressions and modules alike."""
import json
import subprocess
import sys


def run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "nixlite", "eval", *args],
                          capture_output=True, text=True, timeout=120, cwd=cwd)


def test_bundled_lib_is_importable_in_plain_expressions():
    p = run("-E", 'let lib = import <nixpkgs/lib>; in lib.concatMapStringsSep "," toString (lib.range 1 3)')
    assert p.returncode == 0, p.stderr
    assert p.stdout == '"1,2,3"\n'


def test_dash_i_reaches_imports_of_a_containers_module(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "web.nix").write_text('{ containers.web.path = "/nix/var/nix/profiles/web"; }\n')
    top = tmp_path / "top.nix"
    top.write_text("{ imports = [ <extra/web.nix> ]; }\n")
    p = run("-I", f"extra={tmp_path / 'sub'}", str(top), "--json")
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout)["web"]["path"] == "/nix/var/nix/profiles/web"


def test_missing_search_path_entry_is_a_located_error(tmp_path):
    top = tmp_path / "top.nix"
    top.write_text("{ imports = [ <extra/web.nix> ]; }\n")
    p = run(str(top))
    assert p.returncode == 1
    assert "file 'extra/web.nix' was not found in the Nix search path" in p.stderr
    assert f"{top}:1:15" in p.stderr and "^" in p.stderr
    assert "Traceback" not in p.stderr
