"""Every fixture case resolves to the containers of its meta/eval.json, or
fails with the message of its ERROR file (input path shown as `<input>`)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from nixlite.errors import NixliteError
from nixlite.modules.containers import resolve_file, resolve_meta

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
CASES = sorted(p.name for p in (FIXTURES / "cases").iterdir() if (p / "containers.nix").exists())


def expected_error(case: str) -> str | None:
    f = FIXTURES / "golden" / case / "ERROR"
    if not f.exists():
        return None
    lines = [ln for ln in f.read_text().splitlines() if not ln.startswith("(use '--show-trace'")]
    text = "\n".join(ln[7:] if ln.startswith(" " * 7) else ln for ln in lines)
    return text.removeprefix("error:").strip()


def message_of(err: NixliteError, path: Path) -> str:
    return err.message.replace(str(path), "<input>").strip()


@pytest.mark.parametrize("case", CASES)
def test_case(case):
    path = FIXTURES / "cases" / case / "containers.nix"
    want = expected_error(case)
    if want is None:
        got = resolve_meta(str(path))
        exp = json.loads((FIXTURES / "golden" / case / "meta" / "eval.json").read_text())["containers"]
        assert got == exp
    else:
        with pytest.raises(NixliteError) as info:
            resolve_file(str(path))
        assert message_of(info.value, path) == want


def test_error_points_at_definition():
    path = FIXTURES / "cases" / "051-err-unknown-container-option" / "containers.nix"
    with pytest.raises(NixliteError) as info:
        resolve_file(str(path))
    span = info.value.span
    assert (span.file, span.line) == (str(path), 5)
    assert info.value.option_path == "containers.web.privateNetwrok"


def test_config_container_path_is_stub_toplevel():
    host = resolve_file(str(FIXTURES / "cases" / "002-config-function" / "containers.nix"))
    assert host.containers["web"].path.endswith("-nixos-system-web-20.09pre-git")
    assert host.enableContainers and not host.isContainer


def test_enable_containers_false_and_networkmanager():
    off = resolve_file(str(FIXTURES / "cases" / "060-enable-containers-false" / "containers.nix"))
    nm = resolve_file(str(FIXTURES / "cases" / "045-networkmanager-host" / "containers.nix"))
    assert (off.enableContainers, nm.enableContainers) == (False, True)
    assert (off.networkmanager, nm.networkmanager) == (False, True)
