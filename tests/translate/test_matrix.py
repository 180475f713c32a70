"""Option → artifact matrix, through the module system (STYLE.md guideline 9).

One row per case: a Nix snippet for container `web` (as written in a
containers.nix, so the module system's merging, defaults and priorities are
exercised), the lines each NixOS artifact gains over the empty container, and
key lines of the fhs and nspawn targets.  Every expected line was written by
hand from fixtures/SPEC.md (NixOS) and issue 7's mapping (fhs, nspawn), not
copied from a rendering.  See `matrix_support` for the exact semantics.
"""
from __future__ import annotations

import pytest

from matrix_support import P, Z, check

DEV = 'allowedDevices = [ { node = "/dev/fuse"; modifier = "rwm"; } { node = "char-usb_device"; modifier = "r"; } ];'
PN = "privateNetwork = true;"
VETH_ADDRS = ('extraVeths.ve-x = { hostAddress = "10.5.0.1"; localAddress = "10.5.0.2"; '
              'hostAddress6 = "fd05::1"; localAddress6 = "fd05::2"; };')
AUTO_LINK = "etc/systemd/system/machines.target.wants/container@web.service -> ../container@web.service"
NSPAWN_LINK = "etc/systemd/system/machines.target.wants/systemd-nspawn@web.service -> /lib/systemd/system/systemd-nspawn@.service"
TOPLEVEL = Z + "-nixos-system-{}-20.09pre-git"


def veth_x(start=True, **kw):
    """The lines every extra veth `ve-x` adds (start, pre-start)."""
    base = {"start": ['extraFlags+=" --network-veth-extra=ve-x"'],
            "pre_start": ["ip link del dev ve-x 2> /dev/null || true "]}
    return {**base, **kw}


ROWS = [
    # --- the private network block of the conf file ---------------------------------
    (PN, dict(conf=["PRIVATE_NETWORK=1"], fhs=["PRIVATE_NETWORK=1"],
              nspawn=["Private=yes", "Environment=PRIVATE_NETWORK=1"])),
    (PN + ' hostAddress = "10.0.0.1";',
     dict(conf=["PRIVATE_NETWORK=1", "HOST_ADDRESS=10.0.0.1"], post_start=["    ip addr add 10.0.0.1 dev $ifaceHost"],
          fhs=["HOST_ADDRESS=10.0.0.1", "    ip addr add 10.0.0.1 dev $ifaceHost"],
          nspawn=["Private=yes", "VirtualEthernet=yes", "Environment=HOST_ADDRESS=10.0.0.1", "Name=ve-web",
                  "Address=10.0.0.1/32"], nspawn_warns=["hostAddress"])),
    (PN + ' hostAddress6 = "fd00::1";',
     dict(conf=["PRIVATE_NETWORK=1", "HOST_ADDRESS6=fd00::1"], post_start=["    ip -6 addr add fd00::1 dev $ifaceHost"],
          nspawn=["VirtualEthernet=yes", "Environment=HOST_ADDRESS6=fd00::1", "Address=fd00::1/128"],
          nspawn_warns=["hostAddress"])),
    (PN + ' localAddress = "10.0.0.2/24";',
     dict(conf=["PRIVATE_NETWORK=1", "LOCAL_ADDRESS=10.0.0.2/24"],
          post_start=["    ip route add 10.0.0.2/24 dev $ifaceHost"], hosts=["10.0.0.2 web.containers"],
          fhs=["LOCAL_ADDRESS=10.0.0.2/24", "10.0.0.2 web.containers"],
          nspawn=["Environment=LOCAL_ADDRESS=10.0.0.2/24", "[Route]", "Destination=10.0.0.2/24",
                  "10.0.0.2 web.containers"], nspawn_warns=["localAddress"])),
    (PN + ' localAddress6 = "fd00::2/64";',
     dict(conf=["PRIVATE_NETWORK=1", "LOCAL_ADDRESS6=fd00::2/64"],
          post_start=["    ip -6 route add fd00::2/64 dev $ifaceHost"],
          nspawn=["Environment=LOCAL_ADDRESS6=fd00::2/64", "Destination=fd00::2/64"], nspawn_warns=["localAddress"])),
    (PN + ' hostBridge = "br0";',
     dict(conf=["PRIVATE_NETWORK=1", "HOST_BRIDGE=br0"], fhs=["HOST_BRIDGE=br0"],
          nspawn=["Bridge=br0", "Environment=HOST_BRIDGE=br0"])),
    (PN + ' forwardPorts = [ { hostPort = 8080; containerPort = 80; } { protocol = "udp"; hostPort = 53; } ];',
     dict(conf=["PRIVATE_NETWORK=1", "HOST_PORT=tcp:8080:80,udp:53:53"],
          nspawn=["Port=tcp:8080:80", "Port=udp:53:53", "Environment=HOST_PORT=tcp:8080:80,udp:53:53"])),
    # without privateNetwork the conf ignores every network option; the
    # scripts and /etc/hosts do not
    ('hostBridge = "br0"; forwardPorts = [ { hostPort = 1; } ]; hostAddress6 = "fd00::9";',
     dict(post_start=["    ip -6 addr add fd00::9 dev $ifaceHost"])),
    ('localAddress = "10.1.2.3";',
     dict(post_start=["    ip route add 10.1.2.3 dev $ifaceHost"], hosts=["10.1.2.3 web.containers"],
          nspawn=["10.1.2.3 web.containers"])),
    # --- the rest of the conf file ----------------------------------------------------
    ('path = "/other/system";',
     dict(conf=["SYSTEM_PATH=/other/system"], nspawn=["Parameters=/other/system/init"])),
    ("config = { };", dict(conf=["SYSTEM_PATH=" + TOPLEVEL.format("web")])),
    ("config = { }; autoStart = true;",
     dict(conf=["SYSTEM_PATH=" + TOPLEVEL.format("web"), "AUTO_START=1"],
          unit=["After=network.target", "Wants=network.target",
                f"X-Restart-Triggers={TOPLEVEL.format('web')} {Z}-etc-web.conf"],
          links=[AUTO_LINK], nspawn=[f"Parameters={TOPLEVEL.format('web')}/init"])),
    ('config = { networking.hostName = "inner"; };', dict(conf=["SYSTEM_PATH=" + TOPLEVEL.format("inner")])),
    ('interfaces = [ "eth1" "eth2" ];',
     dict(conf=['INTERFACES="eth1 eth2"'], fhs=['INTERFACES="eth1 eth2"'], nspawn=["Private=yes", "Interface=eth1 eth2"])),
    ('macvlans = [ "mv0" ];', dict(conf=['MACVLANS="mv0"'], nspawn=["Private=yes", "MACVLAN=mv0"])),
    ('bindMounts."/data" = { hostPath = "/srv/data"; isReadOnly = false; };',
     dict(conf=['EXTRA_NSPAWN_FLAGS=" --bind=/srv/data:/data"'], nspawn=["Bind=/srv/data:/data"])),
    ('bindMounts.ro = { mountPoint = "/mnt/ro"; };',
     dict(conf=['EXTRA_NSPAWN_FLAGS=" --bind-ro=/mnt/ro"'], nspawn=["BindReadOnly=/mnt/ro"])),
    # entries in byte order of their *names*, not of their mount points
    ('bindMounts = { "/z" = { }; "/Z" = { }; "/_m" = { mountPoint = "/a"; }; };',
     dict(conf=['EXTRA_NSPAWN_FLAGS=" --bind-ro=/Z --bind-ro=/a --bind-ro=/z"'])),
    # the deprecated list form: keyed by mountPoint
    ('bindMounts = [ { mountPoint = "/b"; } { mountPoint = "/a"; hostPath = "/h"; } ];',
     dict(conf=['EXTRA_NSPAWN_FLAGS=" --bind-ro=/h:/a --bind-ro=/b"'], nspawn=["BindReadOnly=/h:/a", "BindReadOnly=/b"])),
    ('extraFlags = [ "--private-users=pick" ];',
     dict(conf=['EXTRA_NSPAWN_FLAGS=" --private-users=pick"'], nspawn=["PrivateUsers=pick"])),
    ('extraFlags = [ "-q" ]; bindMounts."/d" = { };', dict(conf=['EXTRA_NSPAWN_FLAGS=" --bind-ro=/d -q"'], nspawn_warns=["extraFlags"])),
    ("autoStart = true;",
     dict(conf=["AUTO_START=1"],
          unit=["After=network.target", "Wants=network.target", f"X-Restart-Triggers={P} {Z}-etc-web.conf"],
          links=[AUTO_LINK], absent=["X-RestartIfChanged=false"],
          fhs=["AUTO_START=1", f"X-Restart-Triggers={P} /etc/containers/web.conf", AUTO_LINK],
          nspawn=[NSPAWN_LINK])),
    # --- unit directives ----------------------------------------------------------------
    ('timeoutStartSec = "5min";', dict(unit=["TimeoutStartSec=5min"], fhs=["TimeoutStartSec=5min"],
                                       nspawn=["TimeoutStartSec=5min"])),
    (DEV, dict(unit=["DeviceAllow=/dev/fuse rwm", "DeviceAllow=char-usb_device r"],
               fhs=["DeviceAllow=/dev/fuse rwm"], nspawn=["DeviceAllow=/dev/fuse rwm", "DeviceAllow=char-usb_device r"])),
    ("ephemeral = true;",
     dict(unit=['Environment="root=/run/containers/%i"', "RuntimeDirectory=containers/%i"],
          start=["   \\", "  --ephemeral \\"],
          absent=["RequiresMountsFor=/var/lib/containers/%i", "  --link-journal=try-guest \\"],
          fhs=["RuntimeDirectory=containers/%i", "  --ephemeral \\"], nspawn=["Ephemeral=yes", "LinkJournal=auto"])),
    # --- start script flags ---------------------------------------------------------------
    ('additionalCapabilities = [ "CAP_SYS_TIME" "CAP_NET_RAW" ];',
     dict(start=['  --capability="CAP_SYS_TIME,CAP_NET_RAW" \\'], nspawn=["Capability=CAP_SYS_TIME CAP_NET_RAW"])),
    ('tmpfs = [ "/var" "/tmp:mode=1777" ];',
     dict(start=["  --tmpfs=/var --tmpfs=/tmp:mode=1777 \\"],
          fhs=["  --tmpfs=/var --tmpfs=/tmp:mode=1777 \\"],
          nspawn=["TemporaryFileSystem=/var", "TemporaryFileSystem=/tmp:mode=1777"])),
    ("enableTun = true;",
     dict(unit=["DeviceAllow=/dev/net/tun rw"], start=['  --capability="CAP_NET_ADMIN" \\'],
          nspawn=["DeviceAllow=/dev/net/tun rw", "Capability=CAP_NET_ADMIN"])),
    # tun comes after the user's devices and capabilities
    ('enableTun = true; additionalCapabilities = [ "CAP_SYS_TIME" ]; ' + DEV,
     dict(unit=["DeviceAllow=/dev/fuse rwm", "DeviceAllow=char-usb_device r", "DeviceAllow=/dev/net/tun rw"],
          start=['  --capability="CAP_SYS_TIME,CAP_NET_ADMIN" \\'],
          nspawn=["Capability=CAP_SYS_TIME CAP_NET_ADMIN", "DeviceAllow=/dev/net/tun rw"])),
    # enableTun appends even what the user already listed (the module does no dedup)
    ('enableTun = true; additionalCapabilities = [ "CAP_NET_ADMIN" ]; '
     'allowedDevices = [ { node = "/dev/net/tun"; modifier = "rw"; } ];',
     dict(unit=["DeviceAllow=/dev/net/tun rw", "DeviceAllow=/dev/net/tun rw"],
          start=['  --capability="CAP_NET_ADMIN,CAP_NET_ADMIN" \\'])),
    # --- extra veths ----------------------------------------------------------------------
    ("extraVeths.ve-x = { };",
     dict(**veth_x(post_start=['  echo "Bring ve-x up"', "ip link set dev ve-x up", "# Set IPs and routes for ve-x"],
                   init=['  echo "Bringing ve-x up"', "ip link set dev ve-x up"]),
          fhs=['extraFlags+=" --network-veth-extra=ve-x"'],
          nspawn=["Private=yes", "VirtualEthernetExtra=ve-x", "Name=ve-x"])),
    ("extraVeths = { ve-z = { }; ve-a = { }; };",
     dict(start=['extraFlags+=" --network-veth-extra=ve-a --network-veth-extra=ve-z"'],
          pre_start=["ip link del dev ve-a 2> /dev/null || true ", "ip link del dev ve-z 2> /dev/null || true "],
          post_start=['  echo "Bring ve-a up"', "ip link set dev ve-a up", "# Set IPs and routes for ve-a",
                      'echo "Bring ve-z up"', "ip link set dev ve-z up", "# Set IPs and routes for ve-z"],
          init=['  echo "Bringing ve-a up"', "ip link set dev ve-a up",
                'echo "Bringing ve-z up"', "ip link set dev ve-z up"],
          nspawn=["VirtualEthernetExtra=ve-a", "VirtualEthernetExtra=ve-z"])),
    (VETH_ADDRS,
     dict(**veth_x(post_start=['  echo "Bring ve-x up"', "ip link set dev ve-x up", "# Set IPs and routes for ve-x",
                               "ip addr add 10.5.0.1 dev ve-x", "ip -6 addr add fd05::1 dev ve-x",
                               "ip route add 10.5.0.2 dev ve-x", "ip -6 route add fd05::2 dev ve-x"],
                   init=['  echo "Bringing ve-x up"', "ip link set dev ve-x up",
                         'echo "Setting ip for ve-x"', "ip addr add 10.5.0.2 dev ve-x",
                         'echo "Setting ip6 for ve-x"', "ip -6 addr add fd05::2 dev ve-x",
                         'echo "Setting route to host for ve-x"', "ip route add 10.5.0.1 dev ve-x",
                         'echo "Setting route6 to host for ve-x"', "ip -6 route add fd05::1 dev ve-x"]),
          nspawn=["Address=10.5.0.1/32", "Address=fd05::1/128", "Destination=10.5.0.2/32", "Destination=fd05::2/128"],
          nspawn_warns=["extraVeths.ve-x.localAddress"])),
    ('extraVeths.ve-x.hostBridge = "br1";',
     dict(**veth_x(post_start=["  # Add ve-x to bridge br1", "ip link set dev ve-x master br1 up"],
                   init=['  echo "Bringing ve-x up"', "ip link set dev ve-x up"]),
          nspawn=["VirtualEthernetExtra=ve-x", "Bridge=br1"])),
    # an extra veth's forwardPorts are accepted and ignored (as the module does)
    ("extraVeths.ve-x.forwardPorts = [ { hostPort = 22; } ];",
     dict(**veth_x(post_start=['  echo "Bring ve-x up"', "ip link set dev ve-x up", "# Set IPs and routes for ve-x"],
                   init=['  echo "Bringing ve-x up"', "ip link set dev ve-x up"]),
          nspawn_warns=["extraVeths.ve-x.forwardPorts"])),
    ("pkgs = null;", dict()),
    # extraFlags split into words as the start script's unquoted $EXTRA_NSPAWN_FLAGS does
    ('extraFlags = [ "-E X=1" "--setenv=Y=2" "--bind" "/a:/b" ];',
     dict(conf=['EXTRA_NSPAWN_FLAGS=" -E X=1 --setenv=Y=2 --bind /a:/b"'],
          nspawn=["Environment=X=1", "Environment=Y=2", "Bind=/a:/b"])),
    ('extraFlags = [ "--private-users" "--read-only" ];',
     dict(conf=['EXTRA_NSPAWN_FLAGS=" --private-users --read-only"'], nspawn=["PrivateUsers=yes", "ReadOnly=yes"])),
    # veths sort byte-wise: upper case first
    ("extraVeths = { ve-a = { }; ve-B = { }; };",
     dict(start=['extraFlags+=" --network-veth-extra=ve-B --network-veth-extra=ve-a"'],
          pre_start=["ip link del dev ve-B 2> /dev/null || true ", "ip link del dev ve-a 2> /dev/null || true "],
          post_start=['  echo "Bring ve-B up"', "ip link set dev ve-B up", "# Set IPs and routes for ve-B",
                      'echo "Bring ve-a up"', "ip link set dev ve-a up", "# Set IPs and routes for ve-a"],
          init=['  echo "Bringing ve-B up"', "ip link set dev ve-B up",
                'echo "Bringing ve-a up"', "ip link set dev ve-a up"])),
    # a bridged veth: post-start only bridges it, container-init still sets its address
    ('extraVeths.ve-x = { hostBridge = "br1"; localAddress = "10.5.0.2"; };',
     dict(**veth_x(post_start=["  # Add ve-x to bridge br1", "ip link set dev ve-x master br1 up"],
                   init=['  echo "Bringing ve-x up"', "ip link set dev ve-x up",
                         'echo "Setting ip for ve-x"', "ip addr add 10.5.0.2 dev ve-x"]),
          nspawn=["Bridge=br1"], nspawn_warns=["extraVeths.ve-x.localAddress"])),
    (PN + " forwardPorts = [ { hostPort = 22; containerPort = null; } ];",
     dict(conf=["PRIVATE_NETWORK=1", "HOST_PORT=tcp:22:22"], nspawn=["Port=tcp:22:22"])),
    # systemd specifiers: NixOS writes `%` verbatim, a .nspawn drop-in must double it
    ('allowedDevices = [ { node = "/dev/x%y"; modifier = "r"; } ];',
     dict(unit=["DeviceAllow=/dev/x%y r"], nspawn=["DeviceAllow=/dev/x%%y r"])),
    # the language around the values
    ('timeoutStartSec = "${toString (2 + 3)}min";', dict(unit=["TimeoutStartSec=5min"])),
    ('tmpfs = lib.optional true "/a" ++ map (x: "/" + x) [ "b" "c" ];',
     dict(start=["  --tmpfs=/a --tmpfs=/b --tmpfs=/c \\"])),
    ('enableTun = lib.mkForce false;', dict(extra="enableTun = true;")),
    ("ephemeral = let e = true; in e;",
     dict(unit=['Environment="root=/run/containers/%i"', "RuntimeDirectory=containers/%i"],
          start=["   \\", "  --ephemeral \\"])),
    # --- lib: priorities, conditions, ordering ------------------------------------------
    ('tmpfs = [ "/b" ];', dict(extra='tmpfs = lib.mkBefore [ "/a" ];', start=["  --tmpfs=/a --tmpfs=/b \\"],
                               nspawn=["TemporaryFileSystem=/a", "TemporaryFileSystem=/b"])),
    ('tmpfs = lib.mkAfter [ "/z" ];', dict(extra='tmpfs = [ "/y" ];', start=["  --tmpfs=/y --tmpfs=/z \\"])),
    ('tmpfs = lib.mkMerge [ (lib.mkAfter [ "/3" ]) [ "/2" ] (lib.mkBefore [ "/1" ]) ];',
     dict(start=["  --tmpfs=/1 --tmpfs=/2 --tmpfs=/3 \\"])),
    ('tmpfs = lib.mkDefault [ "/x" ];', dict(extra='tmpfs = [ "/y" ];', start=["  --tmpfs=/y \\"])),
    ('extraFlags = lib.mkMerge [ [ "-q" ] (lib.mkBefore [ "--keep-unit" ]) ];',
     dict(conf=['EXTRA_NSPAWN_FLAGS=" --keep-unit -q"'], nspawn_warns=["extraFlags"])),
    ('timeoutStartSec = lib.mkForce "7min";', dict(extra='timeoutStartSec = "2min";', unit=["TimeoutStartSec=7min"])),
    ('timeoutStartSec = lib.mkDefault "9min";', dict(extra='timeoutStartSec = "2min";', unit=["TimeoutStartSec=2min"])),
    ('timeoutStartSec = lib.mkOverride 40 "1s";', dict(extra='timeoutStartSec = lib.mkForce "2s";',
                                                       unit=["TimeoutStartSec=1s"])),
    ('allowedDevices = lib.mkOverride 90 [ { node = "/dev/a"; modifier = "r"; } ];',
     dict(extra='allowedDevices = [ { node = "/dev/b"; modifier = "w"; } ];', unit=["DeviceAllow=/dev/a r"])),
    ("ephemeral = lib.mkIf false true;", dict()),
    ("autoStart = lib.mkIf (1 + 1 == 2) true;",
     dict(conf=["AUTO_START=1"],
          unit=["After=network.target", "Wants=network.target", f"X-Restart-Triggers={P} {Z}-etc-web.conf"],
          links=[AUTO_LINK])),
    ("autoStart = lib.mkDefault true;", dict(extra="autoStart = false;")),
    ('hostAddress = lib.mkIf false "10.9.9.9"; localAddress = lib.mkDefault "10.7.0.2";',
     dict(extra='localAddress = "10.8.0.2";', post_start=["    ip route add 10.8.0.2 dev $ifaceHost"],
          hosts=["10.8.0.2 web.containers"])),
    # extraVeths entries from two modules merge by name
    ('extraVeths.ve-x.hostAddress = "10.5.0.1";',
     dict(extra='extraVeths.ve-x.localAddress6 = "fd05::2";',
          **veth_x(post_start=['  echo "Bring ve-x up"', "ip link set dev ve-x up", "# Set IPs and routes for ve-x",
                               "ip addr add 10.5.0.1 dev ve-x", "ip -6 route add fd05::2 dev ve-x"],
                   init=['  echo "Bringing ve-x up"', "ip link set dev ve-x up",
                         'echo "Setting ip6 for ve-x"', "ip -6 addr add fd05::2 dev ve-x",
                         'echo "Setting route to host for ve-x"', "ip route add 10.5.0.1 dev ve-x"]),
          nspawn_warns=["extraVeths.ve-x.localAddress"])),
]


@pytest.mark.parametrize("snippet,expected", ROWS, ids=[f"{i:02d}-{r[0][:50]}" for i, r in enumerate(ROWS)])
def test_option_matrix(snippet, expected):
    check(snippet, **expected)


def test_matrix_covers_every_container_option():
    """Each option of the containers module appears in some row."""
    from nixlite.modules.schema import Container, ExtraVeth
    text = " ".join(r[0] + " " + r[1].get("extra", "") for r in ROWS)
    names = set(Container.model_fields) | {f"extraVeths.ve-x.{n}" for n in ExtraVeth.model_fields} | {"config"}
    missing = sorted(n for n in names if n.split(".")[-1] not in text)
    assert not missing


# --- the host options the module reads ------------------------------------------------

HOST_ROWS = [
    # (host settings, whether the module contributes anything)
    ("", True),
    ("boot.enableContainers = false;", False),
    ("boot.isContainer = true;", False),  # enableContainers defaults to !isContainer
    ("boot.isContainer = true; boot.enableContainers = lib.mkForce true;", True),
    ("boot.enableContainers = lib.mkIf false false;", True),
]


@pytest.mark.parametrize("settings,enabled", HOST_ROWS)
@pytest.mark.parametrize("target", ["nixos", "fhs", "nspawn"])
def test_host_switches(settings, enabled, target):
    from nixlite.modules.containers import resolve_string
    from nixlite.translate import get_target
    host = resolve_string(f'{{ lib, ... }}: {{ {settings} containers.web.path = "{P}"; }}')
    paths = [a.path for a in get_target(target)().artifacts(host)]
    assert bool(paths) == enabled
    if enabled:
        assert any("web" in p for p in paths)


def test_networkmanager_adds_the_udev_rule_only_when_enabled():
    from nixlite.modules.containers import resolve_string
    from nixlite.translate import get_target
    text = '{{ networking.networkmanager.enable = {}; containers.web.path = "{}"; }}'
    on, off = (get_target("nixos")().host_settings(resolve_string(text.format(v, P))) for v in ("true", "false"))
    # the rule keeps NetworkManager off the host-side veths (ve-*) and bridges (vb-*)
    # (golden/045-networkmanager-host/meta/eval.json)
    assert off["udevExtraRules"] == "" and 'ENV{INTERFACE}=="v[eb]-*", ENV{NM_UNMANAGED}="1"' in on["udevExtraRules"]


def test_long_name_with_private_network_fails_only_for_config_containers():
    """SPEC §7: the name check runs inside the container's own evaluation."""
    from nixlite.errors import NixliteError
    from nixlite.modules.containers import resolve_string
    with pytest.raises(NixliteError, match="11 characters"):
        resolve_string("{ containers.averylongname = { privateNetwork = true; config = { }; }; }")
    host = resolve_string(f'{{ containers.averylongname = {{ privateNetwork = true; path = "{P}"; }}; }}')
    assert host.containers["averylongname"].path == P


def test_quoted_container_name_with_a_dot():
    """SPEC §2.6: `@` maps to `_`, a dot stays."""
    from nixlite.modules.containers import resolve_string
    from nixlite.translate import get_target
    arts = get_target("nixos")().artifacts(resolve_string(f'{{ containers."my.box".path = "{P}"; }}'))
    names = {a.path.split("-", 1)[1] for a in arts if a.path.startswith("nix/store/") and a.container == "my.box"}
    assert names == {f"unit-script-container_my.box-{k}" for k in ("pre-start", "start", "post-start", "pre-stop")}


def nspawn_values(text: str) -> dict[tuple[str, str], list[str]]:
    values: dict[tuple[str, str], list[str]] = {}
    section = ""
    for line in text.splitlines():
        if line.startswith("["):
            section = line.strip("[]")
        elif "=" in line and not line.startswith("#"):
            key, _, value = line.partition("=")
            values.setdefault((section, key), []).append(value)
    return values


@pytest.mark.parametrize("flag,section,key,value", [
    ("--link-journal=no", "Exec", "LinkJournal", "no"),
    ("--kill-signal=SIGTERM", "Exec", "KillSignal", "SIGTERM"),
    ("--notify-ready=no", "Exec", "NotifyReady", "no"),
    ("--private-users=pick", "Exec", "PrivateUsers", "pick"),
    ("--private-network", "Network", "Private", "yes"),
])
def test_nspawn_flag_overrides_the_default_it_replaces(flag, section, key, value):
    """A single-valued .nspawn key set by the target and again by a flag:
    systemd uses the last assignment, which must be the flag's (as the
    flag came last on the module's nspawn command line)."""
    from matrix_support import render
    arts, _ = render("nspawn", f'extraFlags = [ "{flag}" ];')
    nspawn = next(a.content.decode() for a in arts if a.path == "etc/systemd/nspawn/web.nspawn")
    assert nspawn_values(nspawn)[(section, key)][-1] == value
