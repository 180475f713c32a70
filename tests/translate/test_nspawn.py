"""`--target nspawn`: option by option, over the fixture cases, and with the real tools.

The matrix rows start from a bare container "web", set one option, and list
lines that must (or must not) appear in an artifact; the expected lines are
written by hand from systemd.nspawn(5), systemd.network(5) and the option's
meaning in the NixOS module, not taken from the renderer.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from golden_support import host_from_eval_json, success_cases
from migrate_support import (NSPAWN_TEMPLATE, SYSTEMD_ANALYZE, case_host, check_golden, provide_program, render,
                             unit_root, verify)
from nixlite.errors import UnsupportedError
from nixlite.modules.schema import Container, Host
from nixlite.translate.nspawn import NSPAWN_KEYS, NspawnTarget

P = "/nix/var/nix/profiles/per-container/web"
PN = {"privateNetwork": True}
NSPAWN = "etc/systemd/nspawn/web.nspawn"
DROPIN = "etc/systemd/system/systemd-nspawn@web.service.d/nixlite.conf"
VE = "etc/systemd/network/40-nixlite-ve-web.network"
SYSTEMD_NSPAWN = shutil.which("systemd-nspawn")


def render_web(opts: dict | None = None, name: str = "web", **kw):
    host = Host(containers={name: Container(**{"path": P, **(opts or {})})})
    artifacts, warnings = render("nspawn", host, **kw)
    files = {a.path: a.content.decode() if a.content is not None else "-> " + a.link for a in artifacts}
    return files, warnings


# (id, options, {artifact: lines it must hold}, {artifact: lines it must not hold}, warned options)
MATRIX = [
    ("bare", {}, {NSPAWN: ["Boot=no", f"Parameters={P}/init", "PrivateUsers=no", "NotifyReady=yes",
                           "LinkJournal=try-guest", "Private=no", "VirtualEthernet=no",
                           "BindReadOnly=/nix/store", "BindReadOnly=/nix/var/nix/db",
                           "Bind=/nix/var/nix/profiles/per-container/web:/nix/var/nix/profiles",
                           "Bind=/nix/var/nix/gcroots/per-container/web:/nix/var/nix/gcroots"],
                  DROPIN: ["[Service]", "TimeoutStartSec=1min"]}, {}, []),
    ("private-only", PN, {NSPAWN: ["Private=yes", "VirtualEthernet=no", "Environment=PRIVATE_NETWORK=1"]},
     {VE: None}, []),
    ("addresses", {**PN, "hostAddress": "10.0.0.1", "localAddress": "10.0.0.2"},
     {NSPAWN: ["VirtualEthernet=yes", "Environment=HOST_ADDRESS=10.0.0.1", "Environment=LOCAL_ADDRESS=10.0.0.2"],
      VE: ["Name=ve-web", "Address=10.0.0.1/32", "Destination=10.0.0.2/32"]}, {}, ["localAddress"]),
    ("addresses6", {**PN, "hostAddress6": "fc00::1", "localAddress6": "fc00::2"},
     {VE: ["Address=fc00::1/128", "Destination=fc00::2/128"]}, {}, ["localAddress"]),
    ("netmask-kept", {**PN, "hostAddress": "10.0.0.1", "localAddress": "10.0.0.2/24"},
     {VE: ["Destination=10.0.0.2/24"], "etc/hosts.extraHosts": ["10.0.0.2 web.containers"]}, {}, ["localAddress"]),
    ("host-only-address", {**PN, "hostAddress": "10.0.0.1"}, {VE: ["Address=10.0.0.1/32"]}, {}, ["hostAddress"]),
    ("bridge", {**PN, "hostBridge": "br0", "localAddress": "10.0.0.2/24"},
     {NSPAWN: ["Bridge=br0", "VirtualEthernet=yes", "Environment=HOST_BRIDGE=br0"]}, {VE: None}, ["localAddress"]),
    ("bridge-needs-private", {"hostBridge": "br0"}, {}, {NSPAWN: ["Bridge=br0"]}, []),
    ("ports", {**PN, "forwardPorts": [{"hostPort": 8080, "containerPort": 80}, {"protocol": "udp", "hostPort": 53}]},
     {NSPAWN: ["Port=tcp:8080:80", "Port=udp:53:53", "Environment=HOST_PORT=tcp:8080:80,udp:53:53"]}, {}, []),
    ("ports-need-private", {"forwardPorts": [{"hostPort": 8080}]}, {}, {NSPAWN: ["Port=tcp:8080:8080"]}, []),
    ("interfaces", {"interfaces": ["eth1", "eth2"]}, {NSPAWN: ["Interface=eth1 eth2", "Private=yes"]}, {}, []),
    ("macvlans", {"macvlans": ["eth3"]}, {NSPAWN: ["MACVLAN=eth3", "Private=yes"]}, {}, []),
    ("extra-veth", {**PN, "extraVeths": {"ve-x": {"hostAddress": "10.1.0.1", "localAddress": "10.1.0.2"}}},
     {NSPAWN: ["VirtualEthernetExtra=ve-x"],
      "etc/systemd/network/40-nixlite-ve-x.network": ["Name=ve-x", "Address=10.1.0.1/32", "Destination=10.1.0.2/32"]},
     {VE: None}, ["extraVeths.ve-x.localAddress"]),
    ("extra-veth-bridge", {"extraVeths": {"vb1": {"hostBridge": "br1"}}},
     {"etc/systemd/network/40-nixlite-vb1.network": ["Name=vb1", "Bridge=br1"]}, {}, []),
    ("extra-veth-ports-ignored", {"extraVeths": {"vb1": {"forwardPorts": [{"hostPort": 1}]}}},
     {}, {NSPAWN: ["Port=tcp:1:1"]}, ["extraVeths.vb1.forwardPorts"]),
    ("bind-rw", {"bindMounts": {"/data": {"mountPoint": "/data", "hostPath": "/srv", "isReadOnly": False}}},
     {NSPAWN: ["Bind=/srv:/data"]}, {}, []),
    ("bind-ro-same-path", {"bindMounts": {"/ro": {"mountPoint": "/ro"}}}, {NSPAWN: ["BindReadOnly=/ro"]}, {}, []),
    ("tmpfs", {"tmpfs": ["/tmp:size=10M", "/var/tmp"]},
     {NSPAWN: ["TemporaryFileSystem=/tmp:size=10M", "TemporaryFileSystem=/var/tmp"]}, {}, []),
    ("capabilities", {"additionalCapabilities": ["CAP_SYS_ADMIN", "CAP_NET_RAW"]},
     {NSPAWN: ["Capability=CAP_SYS_ADMIN CAP_NET_RAW"]}, {}, []),
    ("tun", {"enableTun": True}, {NSPAWN: ["Capability=CAP_NET_ADMIN"], DROPIN: ["DeviceAllow=/dev/net/tun rw"]}, {}, []),
    ("ephemeral", {"ephemeral": True}, {NSPAWN: ["Ephemeral=yes", "LinkJournal=auto"]},
     {NSPAWN: ["LinkJournal=try-guest"]}, []),
    ("devices", {"allowedDevices": [{"node": "/dev/fuse", "modifier": "rwm"}, {"node": "char-usb_device", "modifier": "r"}]},
     {DROPIN: ["DeviceAllow=/dev/fuse rwm", "DeviceAllow=char-usb_device r"]}, {}, []),
    ("timeout", {"timeoutStartSec": "5min"}, {DROPIN: ["TimeoutStartSec=5min"]}, {DROPIN: ["TimeoutStartSec=1min"]}, []),
    ("autostart", {"autoStart": True},
     {"etc/systemd/system/machines.target.wants/systemd-nspawn@web.service": ["-> /lib/systemd/system/systemd-nspawn@.service"]},
     {}, []),
    ("flag-private-users", {"extraFlags": ["--private-users=pick"]}, {NSPAWN: ["PrivateUsers=pick"]},
     {NSPAWN: ["PrivateUsers=no"], DROPIN: ["ExecStart="]}, []),
    ("flag-separate-value", {"extraFlags": ["--bind /a:/b", "--capability=CAP_A,CAP_B"]},
     {NSPAWN: ["Bind=/a:/b", "Capability=CAP_A CAP_B"]}, {DROPIN: ["ExecStart="]}, []),
    ("flag-short-and-zone", {"extraFlags": ["--network-zone=z", "-E", "FOO=1", "--read-only"]},
     {NSPAWN: ["Zone=z", "Environment=FOO=1", "ReadOnly=yes"]}, {}, []),
    ("flag-optional-value", {"extraFlags": ["--private-users", "--volatile=state"]},
     {NSPAWN: ["PrivateUsers=yes", "Volatile=state"]}, {}, []),
    ("flag-missing-value", {"extraFlags": ["--bind"]}, {DROPIN: ["ExecStart="]}, {NSPAWN: ["Bind="]}, ["extraFlags"]),
    ("switch-with-value", {"extraFlags": ["--read-only=yes"]}, {DROPIN: ["ExecStart="]}, {NSPAWN: ["ReadOnly=yes"]},
     ["extraFlags"]),
    ("flag-no-key", {"extraFlags": ["--register=no", "--foo=100%"]},
     {DROPIN: ["ExecStart=", "ExecStart=/usr/bin/systemd-nspawn --quiet --keep-unit --boot --link-journal=try-guest "
                             "--network-veth -U --settings=override --machine=%i --register=no --foo=100%%"]},
     {}, ["extraFlags"]),
    ("reload", {}, {DROPIN: [f'ExecReload=/usr/bin/systemd-run --machine=%i --wait --pipe --quiet '
                             f'/run/current-system/sw/bin/bash --login -c "{P}/bin/switch-to-configuration test"']},
     {}, []),
]


@pytest.mark.parametrize("opts,must,must_not,warned", [r[1:] for r in MATRIX], ids=[r[0] for r in MATRIX])
def test_option_mapping(opts, must, must_not, warned):
    files, warnings = render_web(opts)
    for path, lines in must.items():
        assert path in files, f"{path} missing; have {sorted(files)}"
        assert not [ln for ln in lines if ln not in files[path].splitlines()], files[path]
    for path, lines in must_not.items():
        if lines is None:
            assert path not in files
        else:
            assert not [ln for ln in lines if ln in files.get(path, "").splitlines()], files[path]
    assert [w.split(":", 1)[0] for w in warnings] == [f"containers.web.{o}" for o in warned]


def test_long_name_matches_shortened_interface():
    files, warnings = render_web({**PN, "hostAddress": "10.0.0.1"}, name="averylongname1")
    net = files["etc/systemd/network/40-nixlite-ve-averylon.network"]
    assert "Name=ve-averylon*" in net.splitlines()
    assert any(w.startswith("containers.averylongname1.privateNetwork:") for w in warnings)


def test_strict_turns_a_warning_into_an_error():
    with pytest.raises(UnsupportedError, match=r"containers\.web\.extraFlags.*--strict"):
        render_web({"extraFlags": ["--register=no"]}, strict=True)


def test_strict_passes_when_everything_maps():
    files, warnings = render_web({"extraFlags": ["--private-users=pick"], "tmpfs": ["/t"]}, strict=True)
    assert warnings == [] and NSPAWN in files


def test_disabled_containers_render_nothing():
    host = Host(enableContainers=False, containers={"web": Container(path=P)})
    assert render("nspawn", host) == ([], [])


def test_accepts_the_nixos_constructor_arguments():
    from nixlite.storepaths import StoreProfile
    t = NspawnTarget(profile=StoreProfile.default(), strict=False, host_paths={"packages": {"systemd": "/opt/sd"}})
    arts = t.artifacts(Host(containers={"web": Container(path=P, extraFlags=["--x"])}))
    dropin = next(a for a in arts if a.kind == "dropin").content.decode()
    assert "ExecStart=/opt/sd/bin/systemd-nspawn " in dropin and "/opt/sd/bin/systemd-run " in dropin


# --- every fixture case ------------------------------------------------------------

CASES = success_cases()


@pytest.mark.parametrize("case", CASES)
def test_golden(case, update_goldens):
    artifacts, warnings = render("nspawn", case_host(case))
    check_golden("nspawn", case, artifacts, warnings, update_goldens)


@pytest.mark.parametrize("case", CASES)
def test_only_systemd_252_keys(case):
    artifacts, _ = render("nspawn", host_from_eval_json(case))
    for a in artifacts:
        if a.kind == "nspawn":
            section = None
            for line in a.content.decode().splitlines():
                if line.startswith("["):
                    section = line.strip("[]")
                elif line and not line.startswith("#"):
                    assert line.split("=", 1)[0] in NSPAWN_KEYS[section], (a.path, line)


def test_key_list_matches_the_installed_systemd_nspawn():
    """NSPAWN_KEYS is the parser table of systemd 252's systemd-nspawn."""
    if SYSTEMD_NSPAWN is None:
        pytest.skip("systemd-nspawn not installed")
    data = Path(SYSTEMD_NSPAWN).read_bytes()
    found: dict[str, set[str]] = {}
    for section, key in re.findall(rb"(?<=\x00)(Exec|Files|Network)\.([A-Z][A-Za-z]+)(?=\x00)", data):
        found.setdefault(section.decode(), set()).add(key.decode())
    version = subprocess.run([SYSTEMD_NSPAWN, "--version"], capture_output=True, text=True).stdout.split()[1]
    for section, keys in NSPAWN_KEYS.items():
        assert keys <= found[section], f"{section}: unknown to systemd {version}: {keys - found[section]}"
        if version == "252":
            assert keys == found[section]


@pytest.mark.skipif(SYSTEMD_NSPAWN is None or os.geteuid() != 0, reason="needs systemd-nspawn and root")
@pytest.mark.parametrize("case", CASES)
def test_systemd_nspawn_parses_the_settings(case, tmp_path):
    """systemd-nspawn reads the file (reporting any unknown key or bad value)
    and then refuses the empty directory before doing anything."""
    artifacts, _ = render("nspawn", host_from_eval_json(case))
    for a in (a for a in artifacts if a.kind == "nspawn"):
        (tmp_path / a.container).mkdir()
        (tmp_path / f"{a.container}.nspawn").write_bytes(a.content)
        p = subprocess.run([SYSTEMD_NSPAWN, "--settings=trusted", "--register=no", "-D", str(tmp_path / a.container)],
                           capture_output=True, text=True, timeout=30, cwd=tmp_path)
        out = (p.stdout + p.stderr).strip().splitlines()
        assert p.returncode != 0 and len(out) == 1 and "doesn't look like it has an OS tree" in out[0], out


@pytest.mark.skipif(SYSTEMD_ANALYZE is None, reason="systemd-analyze not installed")
@pytest.mark.skipif(not NSPAWN_TEMPLATE.exists() or SYSTEMD_NSPAWN is None,
                    reason="systemd-container (systemd-nspawn@.service) not installed")
@pytest.mark.parametrize("case", CASES)
def test_systemd_analyze_verifies_the_dropins(case, tmp_path):
    artifacts, _ = render("nspawn", host_from_eval_json(case))
    units = [f"systemd-nspawn@{a.container}.service" for a in artifacts if a.kind == "dropin"]
    if not units:
        pytest.skip("no containers")
    root = unit_root(tmp_path, artifacts)
    provide_program(root, SYSTEMD_NSPAWN)  # the template runs it from PATH
    assert verify(root, units) == ""


@pytest.mark.parametrize("target", ["nspawn", "fhs"])
def test_host_settings_become_files(target):
    """boot.kernelModules and, with NetworkManager, the udev rule keeping it off the veths."""
    host = Host(networkmanager=True, containers={"web": Container(path=P)})
    files = {a.path: a.content.decode() for a in render(target, host)[0] if a.content is not None}
    modules = files["etc/modules-load.d/nixlite-containers.conf"].splitlines()
    assert [m for m in modules if not m.startswith("#")] == ["bridge", "macvlan", "tap", "tun"]
    rule = files["etc/udev/rules.d/99-nixlite-containers.rules"]
    assert 'ENV{INTERFACE}=="v[eb]-*", ENV{NM_UNMANAGED}="1"' in rule.splitlines()
    host = Host(containers={"web": Container(path=P)})
    assert "etc/udev/rules.d/99-nixlite-containers.rules" not in {a.path for a in render(target, host)[0]}


def test_flag_table_uses_only_known_keys():
    from nixlite.translate.nspawn import FLAG_KEYS
    assert all(key in NSPAWN_KEYS[section] for section, key, _ in FLAG_KEYS.values())
