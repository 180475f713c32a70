"""`nixlite diff` engine: every golden case against a fake NixOS root built
from it (other hashes, NixOS's link layout) is identical; each kind of change
is reported exactly once, as what it is."""
from __future__ import annotations

import importlib.util
import shutil

import pytest

from fakeroot import CASES, GOLDEN
from nixlite.diff import DIFFERS, IDENTICAL, ONLY_BUILD, ONLY_NIXLITE, diff_paths, open_tree


def findings(report) -> list[tuple[str, str]]:
    return [(r.label, r.status) for r in report.rows if r.status != IDENTICAL]


def changed_lines(row) -> list[str]:
    return [ln for ln in row.diff if ln[:1] in "+-" and ln[:3] not in ("+++", "---")]


def diff_case(case: str, root) -> "object":
    return diff_paths(str(GOLDEN / case), str(root))[0]


@pytest.mark.parametrize("case", CASES)
def test_every_golden_case_is_identical_to_its_fake_root(case, make_root):
    fr = make_root(case)
    report = diff_case(case, fr.root)
    assert findings(report) == []
    # the hashes really differ: nothing was aligned by hash
    golden_paths = {p.name for p in (GOLDEN / case / "nix" / "store").iterdir()}
    assert not golden_paths & {p.rsplit("/", 1)[1] for p in fr.paths.values()}


@pytest.mark.parametrize("case", ["038-several-containers", "003-config-attrset"])
def test_toplevel_and_current_system_link_resolve_inside_the_root(case, make_root):
    fr = make_root(case)
    for arg in (fr.root / "run" / "current-system", fr.host(fr.toplevel)):
        assert findings(diff_case(case, arg)) == []
    assert open_tree(str(fr.root / "run" / "current-system")).etc == fr.toplevel + "/etc"


def test_every_artifact_kind_is_compared(make_root):
    fr = make_root("068-kitchen-sink")
    kinds = {r.kind for r in diff_case("068-kitchen-sink", fr.root).rows}
    assert kinds == {"conf", "unit", "start", "pre-start", "post-start", "pre-stop", "reload",
                     "container-init", "etc-conf", "wants", "hosts", "overrides"}


def test_wants_on_several_lines_are_found_too(make_root):
    fr = make_root("030-autostart", wants_lines=True)
    assert findings(diff_case("030-autostart", fr.root)) == []


def _edit(fr, path: str, old: str, new: str) -> None:
    text = fr.host(path).read_text()
    assert old in text
    fr.write(path, text.replace(old, new, 1).encode())


def test_one_byte_changed_is_one_difference(make_root):
    fr = make_root("038-several-containers")
    _edit(fr, fr.store("unit-script-container_db-post-start"), "ip route", "ip ruote")
    report = diff_case("038-several-containers", fr.root)
    assert findings(report) == [("unit-script-container_db-post-start", DIFFERS)]
    row = next(r for r in report.rows if r.status == DIFFERS)
    script = next((GOLDEN / "038-several-containers/nix/store").glob("*-unit-script-container_db-post-start"))
    line = next(ln for ln in script.read_text().splitlines() if "ip route" in ln)
    assert changed_lines(row) == ["-" + line, "+" + line.replace("ip route", "ip ruote")]


def test_changed_conf_reports_the_conf_and_its_store_copy(make_root):
    fr = make_root("030-autostart")
    _edit(fr, fr.store("etc-svc.conf"), "AUTO_START=1", "AUTO_START=0")
    assert findings(diff_case("030-autostart", fr.root)) == [
        ("etc/containers/svc.conf", DIFFERS), ("etc-svc.conf", DIFFERS)]


def test_store_name_changed_is_one_finding(make_root):
    fr = make_root("068-kitchen-sink", rename={"systemd-245.3": "systemd-246"})
    report = diff_case("068-kitchen-sink", fr.root)
    assert findings(report) == [("store path systemd", DIFFERS)]
    assert report.rows[0].detail == "store path name differs: systemd-245.3 (nixlite) vs systemd-246 (build)"
    assert report.renames == {"systemd-245.3": "systemd-246"}


def test_toplevel_name_of_a_config_container_is_one_finding(make_root):
    new = "nixos-system-db-20.09.2020.abcdef"
    fr = make_root("003-config-attrset", rename={"nixos-system-db-20.09pre-git": new})
    assert findings(diff_case("003-config-attrset", fr.root)) == [("store path nixos-system-db", DIFFERS)]


def test_store_name_change_and_content_change_both_show(make_root):
    fr = make_root("001-minimal-path", rename={"iproute2-5.6.0": "iproute2-5.7.0"})
    _edit(fr, fr.store("unit-script-container_web-pre-stop"), "poweroff", "terminate")
    assert findings(diff_case("001-minimal-path", fr.root)) == [
        ("store path iproute2", DIFFERS), ("unit-script-container_web-pre-stop", DIFFERS)]


def test_removed_conf_is_one_finding(make_root):
    fr = make_root("038-several-containers")
    etc_out = (fr.root / "etc" / "static").readlink()
    (fr.root / str(etc_out).lstrip("/") / "containers" / "db.conf").unlink()
    assert findings(diff_case("038-several-containers", fr.root)) == [("etc/containers/db.conf", ONLY_NIXLITE)]


def test_removed_unit_is_one_finding_not_one_per_script(make_root):
    fr = make_root("038-several-containers")
    units = next((fr.root / "nix/store").glob("*-system-units"))
    (units / "container@cache.service").unlink()
    assert findings(diff_case("038-several-containers", fr.root)) == [
        ("etc/systemd/system/container@cache.service", ONLY_NIXLITE)]


def test_removed_wants_link_is_one_finding(make_root):
    fr = make_root("030-autostart")
    units = next((fr.root / "nix/store").glob("*-system-units"))
    (units / "machines.target.wants" / "container@svc.service").unlink()
    assert findings(diff_case("030-autostart", fr.root)) == [
        ("etc/systemd/system/machines.target.wants/container@svc.service", ONLY_NIXLITE)]


def test_container_added_in_the_build_is_one_finding(make_root):
    fr = make_root("038-several-containers")
    units = next((fr.root / "nix/store").glob("*-system-units"))
    (units / "container@extra.service").symlink_to(str((units / "container@web.service").readlink()))
    etc_out = fr.root / str((fr.root / "etc/static").readlink()).lstrip("/")
    (etc_out / "containers" / "extra.conf").symlink_to(str((etc_out / "containers" / "web.conf").readlink()))
    assert findings(diff_case("038-several-containers", fr.root)) == [("container extra", ONLY_BUILD)]


def test_container_missing_from_the_build_is_one_finding(make_root):
    fr = make_root("038-several-containers", drop=("db",))
    assert findings(diff_case("038-several-containers", fr.root)) == [("container db", ONLY_NIXLITE)]


def test_host_line_changed_or_missing(make_root):
    fr = make_root("038-several-containers")
    _edit(fr, fr.store("hosts"), "10.1.2.2 db.containers", "10.1.2.9 db.containers")
    report = diff_case("038-several-containers", fr.root)
    assert findings(report) == [("etc/hosts", DIFFERS)]
    row = next(r for r in report.rows if r.status == DIFFERS)
    assert "-10.1.2.2 db.containers" in row.diff and "+10.1.2.9 db.containers" in row.diff
    _edit(fr, fr.store("hosts"), "10.1.2.9 db.containers\n", "")
    row = next(r for r in diff_case("038-several-containers", fr.root).rows if r.status == DIFFERS)
    assert changed_lines(row) == ["-10.1.2.2 db.containers"]


def test_other_modules_lines_are_never_flagged(make_root):
    fr = make_root("030-autostart")
    _edit(fr, fr.store("hosts"), "localhost\n", "localhost\n10.0.0.1 printer.lan\n")
    assert findings(diff_case("030-autostart", fr.root)) == []


def test_overrides_without_machines_target(make_root):
    fr = make_root("030-autostart")
    path = next((fr.root / "nix/store").glob("*-unit-multi-user.target/overrides.conf"))
    path.chmod(0o644)
    path.write_text(path.read_text().replace(" machines.target", ""))
    report = diff_case("030-autostart", fr.root)
    assert findings(report) == [("etc/systemd/system/multi-user.target.d/overrides.conf", DIFFERS)]
    assert "-Wants=machines.target" in report.rows[-1].diff


def test_two_render_outputs(tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(GOLDEN / "038-several-containers", copy)
    assert findings(diff_paths(str(GOLDEN / "038-several-containers"), str(copy))[0]) == []
    report = diff_paths(str(GOLDEN / "030-autostart"), str(copy))[0]
    assert ("container svc", ONLY_NIXLITE) in findings(report)
    assert ("container web", ONLY_BUILD) in findings(report)


HAVE_PIPELINE = all(importlib.util.find_spec(m) is not None
                    for m in ("nixlite.modules.containers", "nixlite.translate.nixos"))


@pytest.mark.skipif(not HAVE_PIPELINE, reason="needs nixlite.modules.containers and nixlite.translate.nixos")
@pytest.mark.parametrize("case", CASES)
def test_every_case_file_renders_identical_to_its_fake_root(case, make_root):
    fr = make_root(case)
    report = diff_paths(str(GOLDEN.parent / "cases" / case / "containers.nix"), str(fr.root))[0]
    assert findings(report) == []
