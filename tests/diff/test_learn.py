"""`--learn-store-paths`: the build's store paths as a `StoreProfile` with
which nixlite's output becomes the build's, byte for byte, hashes included."""
from __future__ import annotations

import re

import pytest

from fakeroot import GOLDEN
from nixlite.diff import MemoryTree, collect, diff_paths, learn_profile, open_tree
from nixlite.storepaths import STORE_PATH_RE, StoreProfile, store_name

#: host-wide files hold other modules' lines too: never byte for byte
HOST_WIDE = ("hosts", "overrides")
CASES = ["001-minimal-path", "003-config-attrset", "030-autostart", "038-several-containers",
         "068-kitchen-sink"]


def learned(fr, case: str) -> dict:
    report, build = diff_paths(str(GOLDEN / case), str(fr.root))
    return learn_profile(build, report.renames)


def apply_profile(case: str, profile: StoreProfile) -> dict[str, bytes]:
    """What a renderer honouring `profile` makes of the golden tree: package
    paths from the profile, every generated file at `profile.file_path` of its
    new content (dependencies first).  Role -> bytes."""
    default = StoreProfile.default()
    mapping = {default.packages[a]: profile.packages.get(a, default.packages[a]) for a in default.packages}
    store = {f"/nix/store/{p.name}": p for p in (GOLDEN / case / "nix/store").iterdir()}

    def resolve(path: str) -> str:
        if path not in mapping:
            content = fix(store[path].read_bytes()) if path in store else b""
            mapping[path] = profile.file_path(store_name(path), content)
        return mapping[path]

    def fix(data: bytes) -> bytes:
        return STORE_PATH_RE.sub(lambda m: resolve(m.group(0)), data.decode()).encode()
    return {p.role: fix(p.data) for p in collect(open_tree(str(GOLDEN / case))) if p.role not in HOST_WIDE}


def pieces_of(tree) -> dict[str, bytes]:
    return {p.role: p.data for p in collect(tree) if p.role not in HOST_WIDE}


@pytest.mark.parametrize("case", CASES)
def test_learned_profile_reproduces_the_build_byte_for_byte(case, make_root):
    fr = make_root(case, rename={"systemd-245.3": "systemd-246",
                                 "nixos-system-db-20.09pre-git": "nixos-system-db-20.09.1"})
    data = learned(fr, case)
    profile = StoreProfile.default().overridden(data)  # the shape `render --store-paths` accepts
    assert apply_profile(case, profile) == pieces_of(open_tree(str(fr.root)))


def test_learned_packages_are_keyed_by_attribute(make_root):
    fr = make_root("001-minimal-path", rename={"systemd-245.3": "systemd-246"})
    data = learned(fr, "001-minimal-path")
    assert set(data) == {"packages", "files"}
    assert store_name(data["packages"]["systemd"]) == "systemd-246"
    assert data["packages"]["bash"] == fr.paths[StoreProfile.default().packages["bash"]]
    assert "lndir" not in data["packages"]  # not referenced by any artifact


def test_files_of_one_name_are_keyed_by_content(make_root):
    fr = make_root("068-kitchen-sink")
    files = learned(fr, "068-kitchen-sink")["files"]
    inits = [k for k in files if k.startswith("container-init")]
    assert len(inits) == 2 and all(re.fullmatch(r"container-init@sha256:[0-9a-f]{64}", k) for k in inits)
    assert files["unit-script-container_everything-start"] == fr.store("unit-script-container_everything-start")


def test_config_container_toplevel_is_keyed_by_nixlites_name(make_root):
    fr = make_root("003-config-attrset", rename={"nixos-system-db-20.09pre-git": "nixos-system-db-20.09.1"})
    files = learned(fr, "003-config-attrset")["files"]
    assert store_name(files["nixos-system-db-20.09pre-git"]) == "nixos-system-db-20.09.1"


def _renderer():
    from golden_support import host_from_eval_json
    from nixlite.translate import get_target
    return get_target("nixos"), host_from_eval_json


def _path_only(case: str) -> bool:
    """No `config` container: their toplevel comes verbatim from eval.json here."""
    return not any(b"nixos-system-" in f.read_bytes() for f in (GOLDEN / case / "etc/containers").glob("*.conf"))


@pytest.mark.parametrize("case", [c for c in CASES if _path_only(c)])
def test_rendering_with_the_learned_profile_gives_the_build(case, make_root):
    target, host_of = _renderer()
    fr = make_root(case, rename={"systemd-245.3": "systemd-246"})
    profile = StoreProfile.default().overridden(learned(fr, case))
    artifacts = target(profile=profile).artifacts(host_of(case))
    assert pieces_of(MemoryTree(artifacts)) == pieces_of(open_tree(str(fr.root)))


# every case, `config` containers included: the learned profile also names
# their toplevels, and `api.render` hands it to the module system
@pytest.mark.parametrize("case", CASES)
def test_rendering_a_file_with_the_learned_profile_gives_the_build(case, make_root, tmp_path):
    import json
    fr = make_root(case)
    path = tmp_path / "learned.json"
    path.write_text(json.dumps(learned(fr, case)))
    source = str(GOLDEN.parent / "cases" / case / "containers.nix")
    from nixlite.diff import render_tree
    assert pieces_of(render_tree(source, str(path))) == pieces_of(open_tree(str(fr.root)))
