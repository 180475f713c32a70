"""The NixOS target, option by option (not from goldens).

Each row of `MATRIX` starts from a base container, changes one option, and
names the non-blank lines that must appear in each artifact (expected text
written by hand from fixtures/SPEC.md).  Every artifact the row does not
name must stay identical to the base rendering (modulo store hashes).
"""
from __future__ import annotations

import difflib

import pytest

from nixlite.modules.schema import Container, Host
from nixlite.storepaths import StoreProfile, normalise_store_paths, text_store_path
from nixlite.translate import get_target

P = "/nix/var/nix/profiles/per-container/web"
PN = {"privateNetwork": True}
#: artifact kind (per container "web") -> short name used in the matrix
SHORT = {"conf": "conf", "unit": "unit", "start-script": "start", "pre-start-script": "pre_start",
         "post-start-script": "post_start", "pre-stop-script": "pre_stop", "container-init": "init"}


def render(opts: dict | None = None, **host) -> dict[str, str]:
    """Render one container "web"; short artifact name -> text."""
    h = Host(containers={"web": Container(**{"path": P, **(opts or {})})}, **host)
    arts = get_target("nixos")().artifacts(h)
    out = {SHORT[a.kind]: a.content.decode() for a in arts if a.kind in SHORT and a.container == "web"}
    # container-init may be shared with the template: take the one web's start script runs
    out["init"] = next(a.content.decode() for a in arts
                       if a.kind == "container-init" and a.store_path in out["start"])
    out["hosts"] = next((a.content.decode() for a in arts if a.kind == "hosts"), "")
    return out


def added_lines(before: str, after: str) -> list[str]:
    diff = difflib.ndiff(normalise_store_paths(before).splitlines(), normalise_store_paths(after).splitlines())
    return [d[2:] for d in diff if d.startswith("+ ") and d[2:].strip()]


def check(change: dict, base: dict | None = None, **expected: list[str]) -> None:
    before, after = render(base), render({**(base or {}), **change})
    for name in after:
        want = expected.get(name, [])
        assert added_lines(before[name], after[name]) == want, name
        if name not in expected:
            assert normalise_store_paths(before[name]) == normalise_store_paths(after[name]), name


Z = "/nix/store/" + "0" * 32
MATRIX = [
    # conf: the private network block
    (PN, None, {"conf": ["PRIVATE_NETWORK=1"]}),
    ({"hostBridge": "br0"}, PN, {"conf": ["HOST_BRIDGE=br0"]}),
    ({"forwardPorts": [{"hostPort": 80}]}, PN, {"conf": ["HOST_PORT=tcp:80:80"]}),
    ({"forwardPorts": [{"protocol": "udp", "hostPort": 53, "containerPort": 5353},
                       {"hostPort": 8080, "containerPort": 80}]}, PN,
     {"conf": ["HOST_PORT=udp:53:5353,tcp:8080:80"]}),
    ({"hostAddress": "10.0.0.1"}, PN,
     {"conf": ["HOST_ADDRESS=10.0.0.1"], "post_start": ["    ip addr add 10.0.0.1 dev $ifaceHost"]}),
    ({"hostAddress6": "fd00::1"}, PN,
     {"conf": ["HOST_ADDRESS6=fd00::1"], "post_start": ["    ip -6 addr add fd00::1 dev $ifaceHost"]}),
    ({"localAddress": "10.0.0.2/24"}, PN,
     {"conf": ["LOCAL_ADDRESS=10.0.0.2/24"], "post_start": ["    ip route add 10.0.0.2/24 dev $ifaceHost"],
      "hosts": ["10.0.0.2 web.containers"]}),
    ({"localAddress6": "fd00::2/64"}, PN,
     {"conf": ["LOCAL_ADDRESS6=fd00::2/64"], "post_start": ["    ip -6 route add fd00::2/64 dev $ifaceHost"]}),
    # without privateNetwork the conf ignores addresses, the scripts and hosts do not
    ({"localAddress": "10.0.0.2"}, None,
     {"post_start": ["    ip route add 10.0.0.2 dev $ifaceHost"], "hosts": ["10.0.0.2 web.containers"]}),
    ({"hostBridge": "br0", "forwardPorts": [{"hostPort": 1}]}, None, {}),
    # conf: the rest
    ({"path": "/other/system"}, None, {"conf": ["SYSTEM_PATH=/other/system"]}),
    ({"interfaces": ["eth1", "eth2"]}, None, {"conf": ['INTERFACES="eth1 eth2"']}),
    ({"macvlans": ["eth3"]}, None, {"conf": ['MACVLANS="eth3"']}),
    ({"bindMounts": {"/data": {"mountPoint": "/data"}}}, None, {"conf": ['EXTRA_NSPAWN_FLAGS=" --bind-ro=/data"']}),
    ({"bindMounts": {"x": {"mountPoint": "/data", "hostPath": "/srv", "isReadOnly": False}}}, None,
     {"conf": ['EXTRA_NSPAWN_FLAGS=" --bind=/srv:/data"']}),
    ({"bindMounts": {"b": {"mountPoint": "/mnt/b"}, "a": {"mountPoint": "/mnt/a"}}}, None,
     {"conf": ['EXTRA_NSPAWN_FLAGS=" --bind-ro=/mnt/a --bind-ro=/mnt/b"']}),
    ({"extraFlags": ["--private-users=pick", "-E", "X=1"]}, None,
     {"conf": ['EXTRA_NSPAWN_FLAGS=" --private-users=pick -E X=1"']}),
    ({"extraFlags": ["-q"], "bindMounts": {"/d": {"mountPoint": "/d"}}}, None,
     {"conf": ['EXTRA_NSPAWN_FLAGS=" --bind-ro=/d -q"']}),
    # unit directives
    ({"timeoutStartSec": "5min"}, None, {"unit": ["TimeoutStartSec=5min"]}),
    ({"allowedDevices": [{"node": "/dev/fuse", "modifier": "rwm"}, {"node": "char-usb", "modifier": "r"}]}, None,
     {"unit": ["DeviceAllow=/dev/fuse rwm", "DeviceAllow=char-usb r"]}),
    ({"ephemeral": True}, None,
     {"unit": ['Environment="root=/run/containers/%i"', "RuntimeDirectory=containers/%i"],
      "start": ["   \\", "  --ephemeral \\"]}),
    ({"autoStart": True}, None,
     {"conf": ["AUTO_START=1"],
      "unit": ["After=network.target", "Wants=network.target", f"X-Restart-Triggers={P} {Z}-etc-web.conf"]}),
    # start script flags
    ({"additionalCapabilities": ["CAP_A", "CAP_B"]}, None, {"start": ['  --capability="CAP_A,CAP_B" \\']}),
    ({"tmpfs": ["/var", "/tmp:mode=1777"]}, None, {"start": ["  --tmpfs=/var --tmpfs=/tmp:mode=1777 \\"]}),
    ({"enableTun": True}, None,
     {"unit": ["DeviceAllow=/dev/net/tun rw"], "start": ['  --capability="CAP_NET_ADMIN" \\']}),
    ({"enableTun": True, "additionalCapabilities": ["CAP_SYS_TIME"],
      "allowedDevices": [{"node": "/dev/fuse", "modifier": "rwm"}]}, None,
     {"unit": ["DeviceAllow=/dev/fuse rwm", "DeviceAllow=/dev/net/tun rw"],
      "start": ['  --capability="CAP_SYS_TIME,CAP_NET_ADMIN" \\']}),
    # extra veths
    ({"extraVeths": {"ve-a": {}}}, None,
     {"start": ['extraFlags+=" --network-veth-extra=ve-a"'],
      "pre_start": ["ip link del dev ve-a 2> /dev/null || true "],
      "post_start": ['  echo "Bring ve-a up"', "ip link set dev ve-a up", "# Set IPs and routes for ve-a"],
      "init": ['  echo "Bringing ve-a up"', "ip link set dev ve-a up"]}),
    ({"extraVeths": {"ve-z": {}, "ve-a": {}}}, None,
     {"start": ['extraFlags+=" --network-veth-extra=ve-a --network-veth-extra=ve-z"'],
      "pre_start": ["ip link del dev ve-a 2> /dev/null || true ", "ip link del dev ve-z 2> /dev/null || true "],
      "post_start": ['  echo "Bring ve-a up"', "ip link set dev ve-a up", "# Set IPs and routes for ve-a",
                     'echo "Bring ve-z up"', "ip link set dev ve-z up", "# Set IPs and routes for ve-z"],
      "init": ['  echo "Bringing ve-a up"', "ip link set dev ve-a up",
               'echo "Bringing ve-z up"', "ip link set dev ve-z up"]}),
    ({"hostBridge": "br1"}, {"extraVeths": {"ve-b": {}}}, {}),  # the container's bridge, not the veth's
    ({"extraVeths": {"ve-b": {"hostBridge": "br1"}}}, {"extraVeths": {"ve-b": {}}},
     {"post_start": ["  # Add ve-b to bridge br1", "ip link set dev ve-b master br1 up"]}),
    ({"extraVeths": {"ve-a": {"hostAddress": "10.5.0.1", "localAddress6": "fd05::2"}}},
     {"extraVeths": {"ve-a": {}}},
     {"post_start": ["ip addr add 10.5.0.1 dev ve-a", "ip -6 route add fd05::2 dev ve-a"],
      "init": ['echo "Setting ip6 for ve-a"', "ip -6 addr add fd05::2 dev ve-a",
               'echo "Setting route to host for ve-a"', "ip route add 10.5.0.1 dev ve-a"]}),
]


@pytest.mark.parametrize("change,base,expected", MATRIX, ids=[str(r[0])[:60] for r in MATRIX])
def test_option_changes_exactly_these_lines(change, base, expected):
    check(change, base, **expected)


# --- whole texts, layout included --------------------------------------------------

def test_base_conf_layout():
    assert render()["conf"] == f'SYSTEM_PATH={P}\n\nINTERFACES=""\nMACVLANS=""\n\nEXTRA_NSPAWN_FLAGS=""\n'


def test_private_network_conf_layout():
    conf = render({"privateNetwork": True, "hostAddress": "10.0.0.1"})["conf"]
    assert conf == (f"SYSTEM_PATH={P}\nPRIVATE_NETWORK=1\n\n\nHOST_ADDRESS=10.0.0.1\n\n\n\n\n\n"
                    'INTERFACES=""\nMACVLANS=""\n\nEXTRA_NSPAWN_FLAGS=""\n')


def test_pre_stop_script_text():
    bash = StoreProfile.default().package("bash")
    assert render()["pre_stop"] == f"#! {bash}/bin/bash -e\nmachinectl poweroff $INSTANCE\n"


def test_unset_address_keeps_runtime_test_unindented():
    post = render()["post_start"]
    assert '    if [ -n "$HOST_ADDRESS" ]; then\n  ip addr add $HOST_ADDRESS dev $ifaceHost\nfi\n\n' in post


def test_non_x86_host_has_no_personality_block():
    assert "--personality=x86" in render()["start"]
    start = render(system="aarch64-linux")["start"]
    assert "--personality" not in start.replace("# --personality flag.", "")
    assert "# --personality flag.\n\n\n# Run systemd-nspawn" in start


def test_unit_layout_restart_slot():
    """Non-autoStart: X-RestartIfChanged=false then two blank lines; autoStart: three."""
    assert "\n\nX-RestartIfChanged=false\n\n\nDelegate=true\n" in render()["unit"]
    auto = render({"autoStart": True})["unit"]
    assert "X-RestartIfChanged" not in auto and '/var/lib/containers/%i"\n\n\n\nDelegate=true\n' in auto
    assert auto.endswith("Type=notify\n\n")


# --- host-wide artifacts -------------------------------------------------------------

def artifacts(**containers) -> dict:
    h = Host(containers={n: Container(path=P, **o) for n, o in containers.items()})
    return {a.path: a for a in get_target("nixos")().artifacts(h)}


def test_hosts_lines_in_byte_order_ipv4_only():
    arts = artifacts(beta={"localAddress": "10.0.0.3/8"}, Alpha={"localAddress": "10.0.0.1"},
                     _gamma={"localAddress": "10.0.0.2"}, v6={"localAddress6": "fd00::1"})
    assert arts["etc/hosts.extraHosts"].content.decode() == (
        "10.0.0.1 Alpha.containers\n10.0.0.2 _gamma.containers\n10.0.0.3 beta.containers\n")


def test_no_hosts_file_without_local_addresses():
    assert "etc/hosts.extraHosts" not in artifacts(web={})


def test_autostart_link_and_conf_copy():
    arts = artifacts(web={"autoStart": True}, db={})
    link = arts["etc/systemd/system/machines.target.wants/container@web.service"]
    assert (link.content, link.link) == (None, "../container@web.service")
    assert "etc/systemd/system/machines.target.wants/container@db.service" not in arts
    conf = arts["etc/containers/web.conf"].content
    copy = text_store_path("etc-web.conf", conf)
    assert arts[copy.lstrip("/")].content == conf and arts[copy.lstrip("/")].mode == 0o644
    assert not any(p.endswith("-etc-db.conf") for p in arts)


def test_store_files_modes_and_start_script_reference():
    arts = artifacts(web={})
    start = next(a for p, a in arts.items() if p.endswith("unit-script-container_web-start"))
    init = next(a for a in arts.values() if a.kind == "container-init")
    assert start.mode == init.mode == 0o755
    assert start.store_path == text_store_path("unit-script-container_web-start", start.content, [init.store_path])
    assert init.store_path in start.content.decode()


def test_shared_container_init_belongs_to_no_container():
    arts = artifacts(a={}, b={}, c={"extraVeths": {"ve-c": {}}})
    inits = [a for a in arts.values() if a.kind == "container-init"]
    assert sorted(i.container or "-" for i in inits) == ["-", "c"]


def test_script_names_mangle_service_names():
    arts = artifacts(**{"my.box": {}})
    assert any(p.endswith("-unit-script-container_my.box-post-start") for p in arts)
    assert "etc/systemd/system/container@my.box.service" in arts


def test_multi_user_dropin_and_template():
    arts = artifacts()
    assert arts["etc/systemd/system/multi-user.target.d/overrides.conf"].content == b"[Unit]\nWants=machines.target\n\n"
    template = arts["etc/systemd/system/container@.service"].content.decode()
    assert "TimeoutStartSec=15s\n" in template and "RequiresMountsFor=/var/lib/containers/%i\n" in template


def test_enable_containers_false_renders_nothing():
    h = Host(enableContainers=False, containers={"web": Container(path=P)})
    t = get_target("nixos")()
    assert t.artifacts(h) == []
    assert t.host_settings(h)["kernelModules"] == []


def test_networkmanager_adds_udev_rule_only_to_settings():
    t = get_target("nixos")()
    on = t.host_settings(Host(networkmanager=True))["udevExtraRules"]
    assert 'ENV{INTERFACE}=="v[eb]-*", ENV{NM_UNMANAGED}="1"' in on
    assert t.host_settings(Host())["udevExtraRules"] == ""


# --- store-path profiles ---------------------------------------------------------------

def test_profile_overrides_packages_and_files():
    systemd = "/nix/store/" + "1" * 32 + "-systemd-999"
    init = "/nix/store/" + "2" * 32 + "-container-init"
    prof = StoreProfile.default().overridden({"packages": {"systemd": systemd}, "files": {"container-init": init}})
    h = Host(containers={"web": Container(path=P)})
    arts = get_target("nixos")(profile=prof).artifacts(h)
    start = next(a for a in arts if a.kind == "start-script" and a.container == "web").content.decode()
    assert f"exec {systemd}/bin/systemd-nspawn \\\n" in start and f"  {init} " in start
    unit = next(a for a in arts if a.kind == "unit").content.decode()
    assert f"{systemd}/bin:" in unit and f"{systemd}/sbin\"" in unit
    assert "nix/store/" + "2" * 32 + "-container-init" in {a.path for a in arts}


# --- provenance ---------------------------------------------------------------------------

def test_conf_lines_name_their_option():
    h = Host(containers={"web": Container(path=P, privateNetwork=True, localAddress="10.0.0.2")})
    conf = next(a for a in get_target("nixos")().artifacts(h) if a.kind == "conf")
    lines = conf.content.decode().splitlines()
    origins = dict(conf.origins)
    assert origins[lines.index("LOCAL_ADDRESS=10.0.0.2") + 1] == "localAddress"
    assert origins[1] == "path"


# --- Environment= quoting is builtins.toJSON ----------------------------------------------

def nix_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("${", "\\${") + '"'


@pytest.mark.nix
@pytest.mark.parametrize("value", ["PATH=/a/bin:/b/sbin", 'q="x" \\ y', "tab\tnl\ncr\r", "\x01\x08\x0c\x1f\x7f", "é ü ${x}"])
def test_environment_quoting_matches_nix_tojson(run_nix, value):
    import json
    from nixlite.translate.units import json_string
    code, out, err = run_nix(f"builtins.toJSON (builtins.fromJSON {nix_string(json.dumps(value))})", "--json")
    assert code == 0, err
    assert json_string(value) == json.loads(out)


def test_multi_line_slot_attributes_every_line():
    h = Host(containers={"web": Container(path=P)})
    post = next(a for a in get_target("nixos")().artifacts(h) if a.kind == "post-start-script" and a.container == "web")
    lines = post.content.decode().splitlines()
    first = lines.index('    if [ -n "$HOST_ADDRESS" ]; then') + 1
    origins = dict(post.origins)
    assert [origins.get(n) for n in range(first, first + 3)] == ["hostAddress"] * 3
    assert origins.get(first - 1) is None  # the fixed line before it
