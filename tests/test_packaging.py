"""The package layout: grammars/ and translate/ ship inside nixlite."""
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _declared():
    cfg = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    return set(cfg["packages"]), cfg["package-dir"]


def test_every_package_folder_is_declared():
    declared, dirs = _declared()
    found = set()
    for init in (ROOT / "nixlite").rglob("__init__.py"):
        rel = init.parent.relative_to(ROOT)
        found.add(".".join(rel.parts))
    for top in ("translate", "grammars"):
        for init in (ROOT / top).rglob("__init__.py"):
            rel = init.parent.relative_to(ROOT / top)
            found.add(".".join(("nixlite", top, *rel.parts)))
    assert found <= declared, f"packages missing from pyproject.toml: {sorted(found - declared)}"
    assert dirs["nixlite.translate"] == "translate"


def test_translate_is_not_a_top_level_package():
    import importlib.util
    import nixlite.translate
    assert nixlite.translate.__name__ == "nixlite.translate"
    spec = importlib.util.find_spec("translate")
    assert spec is None or "nixlite" not in (spec.origin or ""), "a bare `translate` package is installed"


def test_grammar_is_a_package_resource():
    from importlib.resources import files
    assert files("nixlite.grammars").joinpath("nix.lark").is_file()


def test_wheel_ships_grammar_translate_and_data(tmp_path):
    """`pip install .` (non-editable) gets everything under nixlite/, and no
    bare top-level `translate` or `grammars` package."""
    import subprocess
    import sys
    import zipfile
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    (wheel,) = tmp_path.glob("nixlite-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in ("nixlite/grammars/nix.lark", "nixlite/translate/nixos.py", "nixlite/translate/base.py",
                     "nixlite/data/store-paths.json", "nixlite/data/lib/default.nix", "nixlite/cli/__init__.py"):
        assert required in names, f"{required} missing from the wheel"
    tops = {n.split("/", 1)[0] for n in names}
    assert tops == {"nixlite", f"{wheel.name.split('-')[0]}-{wheel.name.split('-')[1]}.dist-info"}, tops
