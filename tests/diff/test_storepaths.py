"""Store-path normalisation and naming edge cases, as `nixlite diff` relies
on them (`nixlite.storepaths`, and the diff engine's name helpers)."""
from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nixlite.diff import rename_store_names, split_name
from nixlite.storepaths import (BASE32_CHARS, NORMAL_HASH, StoreProfile, find_store_paths,
                                normalise_store_paths, store_name, text_store_path)

H1 = "p8s024161zz11z2anq17w5n063qgq59j"
H2 = "0" * 31 + "1"
N = f"/nix/store/{NORMAL_HASH}-"


def test_normalise_keeps_names_and_sub_paths():
    text = f"PATH=/nix/store/{H1}-systemd-245.3/bin:/nix/store/{H2}-coreutils-8.31/sbin"
    assert normalise_store_paths(text) == f"PATH={N}systemd-245.3/bin:{N}coreutils-8.31/sbin"


@pytest.mark.parametrize("text", [
    f"/nix/store/{H1[:-1]}-short",            # 31 characters: not a hash
    f"/nix/store/{H1[:-1]}e-letter-e",        # e, o, u, t are not base-32
    f"/nix/store/{H1}_no-dash",
    f"/gnu/store/{H1}-other-store",
])
def test_normalise_leaves_non_store_paths_alone(text):
    assert normalise_store_paths(text) == text


def test_find_store_paths_stops_at_the_name():
    text = f'exec /nix/store/{H1}-systemd-245.3/bin/nspawn "/nix/store/{H2}-x.conf"'
    assert find_store_paths(text) == [f"/nix/store/{H1}-systemd-245.3", f"/nix/store/{H2}-x.conf"]
    assert store_name(f"/nix/store/{H1}-systemd-245.3/bin/x") == "systemd-245.3"
    assert store_name("/etc/hosts") == "/etc/hosts"


@given(st.lists(st.tuples(st.text(BASE32_CHARS, min_size=32, max_size=32),
                          st.from_regex(r"[a-z][a-z0-9.+-]{0,12}", fullmatch=True)), max_size=4),
       st.text(alphabet=" :\n=\"", max_size=3))
def test_normalise_is_idempotent_and_keeps_every_name(paths, sep):
    text = sep.join(f"/nix/store/{h}-{n}" for h, n in paths)
    once = normalise_store_paths(text)
    assert normalise_store_paths(once) == once
    assert [store_name(p) for p in find_store_paths(once)] == [store_name(p) for p in find_store_paths(text)]


def test_rename_respects_name_boundaries():
    text = f"{N}systemd-245.3/bin {N}systemd-245.35 {N}systemd-245.3"
    assert rename_store_names(text, {"systemd-245.3": "systemd-246"}) == \
        f"{N}systemd-246/bin {N}systemd-245.35 {N}systemd-246"


NAMES = ["systemd-245.3", "bash-4.4-p23", "nixos-container", "nixos-system-db-1-20.09pre-git", "a-b-c",
         "x-", "-1", "glibc-locales-2.30", "unit-script-container_web-start", "iproute2-5.6.0", "hello-"]


@pytest.mark.nix
def test_split_name_is_nix_parse_drv_name(run_nix):
    expr = "map builtins.parseDrvName [ %s ]" % " ".join(json.dumps(n) for n in NAMES)
    code, out, err = run_nix(expr, "--strict", "--json")
    assert code == 0, err
    assert [split_name(n) for n in NAMES] == [(d["name"], d["version"]) for d in json.loads(out)]


def test_profile_file_override_by_content_wins_over_name():
    content = "#! /bin/sh\necho a\n"
    import hashlib
    key = f"container-init@sha256:{hashlib.sha256(content.encode()).hexdigest()}"
    by_name, by_content = f"/nix/store/{H1}-container-init", f"/nix/store/{H2}-container-init"
    prof = StoreProfile.default().overridden({"files": {"container-init": by_name, key: by_content}})
    assert prof.file_path("container-init", content) == by_content
    assert prof.file_path("container-init", content + "other\n") == by_name
    assert StoreProfile.default().file_path("container-init", content) == text_store_path("container-init", content)
