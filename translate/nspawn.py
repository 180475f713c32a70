"""`--target nspawn`: the containers as native systemd-nspawn configuration.

Instead of NixOS's own `container@.service` and its shell scripts, every
container becomes what a stock systemd host already understands:

* `etc/systemd/nspawn/<name>.nspawn`: the `[Exec]`, `[Files]` and `[Network]`
  settings of systemd.nspawn(5), read by the `systemd-nspawn@.service`
  template (which runs nspawn with `--settings=override`, so these win over
  the template's `--boot -U --network-veth`);
* `etc/systemd/system/systemd-nspawn@<name>.service.d/nixlite.conf`: the
  service-level settings a `.nspawn` file cannot hold (DeviceAllow,
  TimeoutStartSec, the directories the NixOS start script created, reload,
  and extra flags that have no settings key);
* `etc/systemd/network/40-nixlite-<iface>.network`: the host end of the veth
  pairs with the addresses and routes NixOS's post-start script set;
* `machines.target.wants/systemd-nspawn@<name>.service` links, as
  `machinectl enable` makes them, for `autoStart`.

The container still boots its NixOS closure: `Boot=no` and
`Parameters=<path>/init` run the same init the module's start script execs,
with `/nix/store` bound read-only as the module binds it.  What has no native
form (the container side of the network, which NixOS's container-init set
up) is reported through `self.unsupported`, never dropped silently.  Every
key written is checked against `NSPAWN_KEYS`, the keys systemd 252
(Debian 12) parses.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib.resources import files

from nixlite.errors import NixliteError
from nixlite.modules.schema import Container, ExtraVeth, Host

from .base import Artifact, Target
from .nixos import KERNEL_MODULES, NM_UDEV_RULE
from .writer import Writer

#: Every key systemd.nspawn(5) documents for systemd 252, by section (the
#: parser table of Debian 12's systemd-nspawn lists exactly these).
NSPAWN_KEYS: dict[str, frozenset[str]] = {
    "Exec": frozenset(
        "AmbientCapability Boot CPUAffinity Capability DropCapability Environment Ephemeral "
        "Hostname KillSignal LimitAS LimitCORE LimitCPU LimitDATA LimitFSIZE LimitLOCKS "
        "LimitMEMLOCK LimitMSGQUEUE LimitNICE LimitNOFILE LimitNPROC LimitRSS LimitRTPRIO "
        "LimitRTTIME LimitSIGPENDING LimitSTACK LinkJournal MachineID NoNewPrivileges "
        "NotifyReady OOMScoreAdjust Parameters Personality PivotRoot PrivateUsers ProcessTwo "
        "ResolvConf SuppressSync SystemCallFilter Timezone User WorkingDirectory".split()),
    "Files": frozenset(
        "Bind BindReadOnly BindUser Inaccessible Overlay OverlayReadOnly PrivateUsersChown "
        "PrivateUsersOwnership ReadOnly TemporaryFileSystem Volatile".split()),
    "Network": frozenset(
        "Bridge IPVLAN Interface MACVLAN Port Private VirtualEthernet VirtualEthernetExtra "
        "Zone".split()),
}
SECTIONS = ("Exec", "Files", "Network")
#: keys that may repeat (each line adds); any other key keeps its last value,
#: as a later command-line flag overrides an earlier one
MULTI_KEYS = frozenset(
    "AmbientCapability Bind BindReadOnly BindUser Capability DropCapability Environment "
    "IPVLAN Inaccessible Interface MACVLAN Overlay OverlayReadOnly Port TemporaryFileSystem "
    "VirtualEthernetExtra".split())

#: systemd-nspawn flag -> (section, key, how its value is given):
#: "arg" takes a value, "yes" is a switch, "opt" takes an optional value
#: (absent means yes), "caps" is a comma list the key wants space-separated.
FLAG_KEYS: dict[str, tuple[str, str, str]] = {
    "--boot": ("Exec", "Boot", "yes"), "-b": ("Exec", "Boot", "yes"),
    "--as-pid2": ("Exec", "ProcessTwo", "yes"), "-a": ("Exec", "ProcessTwo", "yes"),
    "--ephemeral": ("Exec", "Ephemeral", "yes"), "-x": ("Exec", "Ephemeral", "yes"),
    "--setenv": ("Exec", "Environment", "arg"), "-E": ("Exec", "Environment", "arg"),
    "--user": ("Exec", "User", "arg"), "-u": ("Exec", "User", "arg"),
    "--chdir": ("Exec", "WorkingDirectory", "arg"),
    "--pivot-root": ("Exec", "PivotRoot", "arg"),
    "--capability": ("Exec", "Capability", "caps"),
    "--drop-capability": ("Exec", "DropCapability", "caps"),
    "--ambient-capability": ("Exec", "AmbientCapability", "caps"),
    "--no-new-privileges": ("Exec", "NoNewPrivileges", "arg"),
    "--kill-signal": ("Exec", "KillSignal", "arg"),
    "--personality": ("Exec", "Personality", "arg"),
    "--uuid": ("Exec", "MachineID", "arg"),
    "--private-users": ("Exec", "PrivateUsers", "opt"),
    "--notify-ready": ("Exec", "NotifyReady", "arg"),
    "--system-call-filter": ("Exec", "SystemCallFilter", "arg"),
    "--oom-score-adjust": ("Exec", "OOMScoreAdjust", "arg"),
    "--cpu-affinity": ("Exec", "CPUAffinity", "arg"),
    "--hostname": ("Exec", "Hostname", "arg"),
    "--resolv-conf": ("Exec", "ResolvConf", "arg"),
    "--timezone": ("Exec", "Timezone", "arg"),
    "--link-journal": ("Exec", "LinkJournal", "arg"),
    "--suppress-sync": ("Exec", "SuppressSync", "arg"),
    "--read-only": ("Files", "ReadOnly", "yes"),
    "--volatile": ("Files", "Volatile", "opt"),
    "--bind": ("Files", "Bind", "arg"),
    "--bind-ro": ("Files", "BindReadOnly", "arg"),
    "--bind-user": ("Files", "BindUser", "arg"),
    "--tmpfs": ("Files", "TemporaryFileSystem", "arg"),
    "--inaccessible": ("Files", "Inaccessible", "arg"),
    "--overlay": ("Files", "Overlay", "arg"),
    "--overlay-ro": ("Files", "OverlayReadOnly", "arg"),
    "--private-users-ownership": ("Files", "PrivateUsersOwnership", "arg"),
    "--private-network": ("Network", "Private", "yes"),
    "--network-veth": ("Network", "VirtualEthernet", "yes"), "-n": ("Network", "VirtualEthernet", "yes"),
    "--network-veth-extra": ("Network", "VirtualEthernetExtra", "arg"),
    "--network-interface": ("Network", "Interface", "arg"),
    "--network-macvlan": ("Network", "MACVLAN", "arg"),
    "--network-ipvlan": ("Network", "IPVLAN", "arg"),
    "--network-bridge": ("Network", "Bridge", "arg"),
    "--network-zone": ("Network", "Zone", "arg"),
    "--port": ("Network", "Port", "arg"), "-p": ("Network", "Port", "arg"),
}

#: the ExecStart= of Debian 12's systemd-nspawn@.service (systemd 252), which
#: an override must repeat before adding flags
TEMPLATE_EXEC_START = ("--quiet --keep-unit --boot --link-journal=try-guest "
                       "--network-veth -U --settings=override --machine=%i")
#: where `machinectl enable` points the autoStart links on Debian
TEMPLATE_UNIT_PATH = "/lib/systemd/system/systemd-nspawn@.service"
#: the machine tree systemd-nspawn@.service uses (NixOS used /var/lib/containers)
MACHINE_ROOT = "/var/lib/machines/%i"
#: the Nix state the module's start script binds into every container
NIX_BINDS = (
    ("BindReadOnly", "/nix/store"),
    ("BindReadOnly", "/nix/var/nix/db"),
    ("BindReadOnly", "/nix/var/nix/daemon-socket"),
    ("Bind", "/nix/var/nix/profiles/per-container/{name}:/nix/var/nix/profiles"),
    ("Bind", "/nix/var/nix/gcroots/per-container/{name}:/nix/var/nix/gcroots"),
)
#: Linux interface names are at most 15 bytes (IFNAMSIZ - 1)
IFNAME_MAX = 15
#: the container system's bash, which a reload runs through systemd-run --machine
CONTAINER_BASH = "/run/current-system/sw/bin/bash"
NETWORK_PRIORITY = "40"  # sorts before systemd's own 80-container-ve.network


def load_host_paths(source: str | dict | None = None) -> dict[str, str | None]:
    """The package -> host prefix profile: the Debian default from
    `nixlite/data/host-paths.json`, with a user file or dict applied."""
    data = json.loads(files("nixlite").joinpath("data/host-paths.json").read_text())
    paths = dict(data["packages"])
    if source is None:
        return paths
    user = _read_profile(source) if isinstance(source, str) else source
    entries = user.get("packages") if isinstance(user, dict) else None
    if not isinstance(entries, dict):
        raise NixliteError("a host-path profile is a JSON object with a 'packages' object")
    for key, value in entries.items():
        if value is not None and not (isinstance(value, str) and value.startswith("/")):
            raise NixliteError(f"host-path profile: packages.{key} must be an absolute path or null: {value!r}")
        paths[key] = value
    return paths


def _read_profile(path: str) -> dict:
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except OSError as e:
        raise NixliteError(f"cannot read host-path profile '{path}': {e.strerror}") from None
    except json.JSONDecodeError as e:
        raise NixliteError(f"host-path profile '{path}' is not valid JSON: {e.msg} at line {e.lineno}") from None


def host_tool(paths: dict[str, str | None], package: str, rel: str) -> str:
    """`host_tool(p, "systemd", "bin/systemd-run")` -> "/usr/bin/systemd-run"."""
    prefix = paths.get(package)
    if prefix is None:
        raise NixliteError(f"host-path profile has no path for package '{package}'")
    return prefix.rstrip("/") + "/" + rel


def containers_enabled(host: Host) -> bool:
    """boot.enableContainers (the module system already folds in isContainer)."""
    return host.enableContainers


def hosts_fragment(host: Host) -> str:
    """The /etc/hosts lines the module adds (fixtures/SPEC.md §5)."""
    return "".join(f"{c.localAddress.split('/', 1)[0]} {name}.containers\n"
                   for name, c in host.sorted_containers if c.localAddress is not None)


def host_extras(host: Host) -> list[Artifact]:
    """Host settings of the module that a plain systemd host reads from
    files: the kernel modules it loads at boot (systemd-modules-load) and,
    with NetworkManager, the udev rule that keeps NM off the veths."""
    modules = Writer().line("# Kernel modules the NixOS containers module loads at boot, by nixlite.")
    for module in KERNEL_MODULES:
        modules.line(module)
    out = [text_artifact("etc/modules-load.d/nixlite-containers.conf", modules, "modules-load", None)]
    if host.networkmanager:
        rule = Writer().write(NM_UDEV_RULE, "networking.networkmanager.enable")
        out.append(text_artifact("etc/udev/rules.d/99-nixlite-containers.rules", rule, "udev-rule", None))
    return out


def full_prefix(address: str) -> str:
    """`ip addr add 10.0.0.1` means /32 (/128 for IPv6); networkd would
    guess a classful prefix, so the length is made explicit."""
    if "/" in address:
        return address
    return address + ("/128" if ":" in address else "/32")


def unit_escape(text: str) -> str:
    """Protect `%` (specifiers) and `$` (variables) in a unit command line."""
    return text.replace("%", "%%").replace("$", "$$")


def quote_parameter(word: str) -> str:
    """Parameters= splits on whitespace and honours double quotes."""
    if word and not any(ch.isspace() or ch in "\"'\\" for ch in word):
        return word
    return '"' + word.replace("\\", "\\\\").replace('"', '\\"') + '"'


# --- the .nspawn settings ----------------------------------------------------

@dataclass
class Settings:
    """An ordered `.nspawn` file: section -> [(key, value, origin)]."""

    sections: dict[str, list[tuple[str, str, str | None]]] = field(
        default_factory=lambda: {s: [] for s in SECTIONS})

    def put(self, section: str, key: str, value: str, origin: str | None = None) -> None:
        """Add a line; a single-valued key replaces its earlier value."""
        if key not in NSPAWN_KEYS[section]:
            raise AssertionError(f"{section}.{key} is not a systemd 252 .nspawn key")
        lines = self.sections[section]
        if key not in MULTI_KEYS:
            lines[:] = [entry for entry in lines if entry[0] != key]
        lines.append((key, value, origin))

    def render(self, header: str) -> Writer:
        out = Writer().write(header)
        for section in SECTIONS:
            if self.sections[section]:
                out.line().line(f"[{section}]")
                for key, value, origin in self.sections[section]:
                    out.line(f"{key}={value}", origin)
        return out


def split_flags(flags: list[str]) -> list[str]:
    """The words `$EXTRA_NSPAWN_FLAGS` splits into in the module's start
    script: the entries joined by spaces, then split on whitespace (an
    unquoted expansion does no quote processing)."""
    return " ".join(flags).split()


def flag_value(spec: str, value: str | None) -> str:
    if spec == "yes" or (spec == "opt" and value is None):
        return "yes"
    return value.replace(",", " ") if spec == "caps" else value


def translate_flags(words: list[str], settings: Settings) -> list[str]:
    """Turn each extraFlags word with a settings key into that key; return
    the words that have none (they go on an ExecStart= override)."""
    rest: list[str] = []
    queue = list(words)
    while queue:
        word = queue.pop(0)
        name, eq, value = word.partition("=")
        spec = FLAG_KEYS.get(name)
        takes_next = spec is not None and spec[2] in ("arg", "caps") and not eq
        if spec is None or (spec[2] == "yes" and eq) or (takes_next and not queue):
            rest.append(word)
            continue
        if takes_next:  # `--bind /a:/b`: the value is the next word
            value, eq = queue.pop(0), "="
        settings.put(spec[0], spec[1], flag_value(spec[2], value if eq else None), "extraFlags")
    return rest


# --- the target --------------------------------------------------------------

class NspawnTarget(Target):
    """Native systemd-nspawn settings, service drop-ins and networkd files."""

    name = "nspawn"
    description = "native systemd-nspawn: .nspawn files, systemd-nspawn@ drop-ins, networkd"

    def __init__(self, *, strict: bool = False, host_paths: str | dict | None = None, **options):
        super().__init__(strict=strict, **options)
        self.host_paths = load_host_paths(host_paths)

    def artifacts(self, host: Host) -> list[Artifact]:
        if not containers_enabled(host):
            return []
        out: list[Artifact] = []
        for name, container in host.sorted_containers:
            out.extend(self.render_container(name, container.with_tun_applied()))
        hosts = hosts_fragment(host)
        if hosts:
            out.append(Artifact("etc/hosts.extraHosts", hosts.encode(), "hosts"))
        return out + host_extras(host)

    def render_container(self, name: str, c: Container) -> list[Artifact]:
        settings = self.settings(name, c)
        rest = translate_flags(split_flags(c.extraFlags), settings)
        out = [self.render_nspawn(name, settings), self.render_dropin(name, c, rest)]
        out.extend(self.render_networks(name, c))
        if c.autoStart:
            out.append(self.render_autostart_link(name))
        return out

    # .nspawn ---------------------------------------------------------------

    def settings(self, name: str, c: Container) -> Settings:
        """The .nspawn settings the options give (before extraFlags)."""
        settings = Settings()
        self.exec_settings(name, c, settings)
        self.files_settings(name, c, settings)
        self.network_settings(name, c, settings)
        return settings

    def render_nspawn(self, name: str, settings: Settings) -> Artifact:
        header = (f"# systemd-nspawn settings for container '{name}', generated by nixlite\n"
                  "# from the NixOS containers module options (systemd.nspawn(5), systemd >= 252).\n")
        return text_artifact(f"etc/systemd/nspawn/{name}.nspawn", settings.render(header), "nspawn", name)

    def exec_settings(self, name: str, c: Container, s: Settings) -> None:
        # the module runs `container-init <path>/init` as PID 1, not --boot
        s.put("Exec", "Boot", "no")
        s.put("Exec", "Parameters", quote_parameter(c.path + "/init"), "path")
        s.put("Exec", "PrivateUsers", "no")
        s.put("Exec", "NotifyReady", "yes")
        # the module stopped the container with `machinectl poweroff`, i.e.
        # SIGRTMIN+3 to its init; without Boot=yes nspawn would not send it
        s.put("Exec", "KillSignal", "SIGRTMIN+3")
        s.put("Exec", "LinkJournal", "auto" if c.ephemeral else "try-guest", "ephemeral")
        if c.ephemeral:
            s.put("Exec", "Ephemeral", "yes", "ephemeral")
        if c.additionalCapabilities:
            s.put("Exec", "Capability", " ".join(c.additionalCapabilities), "additionalCapabilities")
        for var, value, origin in self.container_environment(c):
            s.put("Exec", "Environment", f"{var}={value}", origin)
        self.check_container_side(name, c)

    def container_environment(self, c: Container) -> list[tuple[str, str, str]]:
        """The variables the module's start script passes with --setenv
        (only the ones that are set: the container tests them with -n)."""
        if not c.privateNetwork:
            return []
        env = [("PRIVATE_NETWORK", "1", "privateNetwork")]
        for var, opt in (("HOST_BRIDGE", "hostBridge"), ("HOST_ADDRESS", "hostAddress"),
                         ("LOCAL_ADDRESS", "localAddress"), ("HOST_ADDRESS6", "hostAddress6"),
                         ("LOCAL_ADDRESS6", "localAddress6")):
            if getattr(c, opt) is not None:
                env.append((var, getattr(c, opt), opt))
        if c.forwardPorts:
            env.append(("HOST_PORT", ",".join(port_spec(p) for p in c.forwardPorts), "forwardPorts"))
        return env

    def check_container_side(self, name: str, c: Container) -> None:
        """NixOS's container-init configured the container's end of each
        veth; a .nspawn file has no key for addresses inside the container."""
        if c.privateNetwork and (c.localAddress or c.localAddress6 or c.hostAddress or c.hostAddress6):
            opt = "localAddress" if (c.localAddress or c.localAddress6) else "hostAddress"
            self.unsupported(name, opt, "no .nspawn key configures the container's side of the veth "
                             "(NixOS's container-init renamed host0 to eth0 and set its address and "
                             "default route); the addresses are passed as Environment= and the host "
                             "side is set by networkd, so configure host0 in the container's own config")
        for veth, cfg in sorted(c.extraVeths.items()):
            if cfg.localAddress or cfg.localAddress6:
                self.unsupported(name, f"extraVeths.{veth}.localAddress",
                                 "the container's end of the extra veth is not configured (no .nspawn key); "
                                 "the host end gets its address and routes from networkd")
            if cfg.forwardPorts:
                self.unsupported(name, f"extraVeths.{veth}.forwardPorts",
                                 "ignored, as the NixOS module ignores it")

    def files_settings(self, name: str, c: Container, s: Settings) -> None:
        for key, source in NIX_BINDS:
            s.put("Files", key, source.format(name=name))
        for entry, bind in sorted(c.bindMounts.items(), key=lambda kv: kv[0].encode()):
            spec = f"{bind.hostPath}:{bind.mountPoint}" if bind.hostPath else bind.mountPoint
            s.put("Files", "BindReadOnly" if bind.isReadOnly else "Bind", spec, f"bindMounts.{entry}")
        for mount in c.tmpfs:
            s.put("Files", "TemporaryFileSystem", mount, "tmpfs")

    def network_settings(self, name: str, c: Container, s: Settings) -> None:
        private = c.privateNetwork or bool(c.interfaces or c.macvlans or c.extraVeths)
        s.put("Network", "Private", yes_no(private), "privateNetwork")
        s.put("Network", "VirtualEthernet", yes_no(has_main_veth(c)), "privateNetwork")
        if c.privateNetwork and c.hostBridge:
            s.put("Network", "Bridge", c.hostBridge, "hostBridge")
        if c.privateNetwork:
            for i, port in enumerate(c.forwardPorts):
                s.put("Network", "Port", port_spec(port), f"forwardPorts.{i}")
        if c.interfaces:
            s.put("Network", "Interface", " ".join(c.interfaces), "interfaces")
        if c.macvlans:
            s.put("Network", "MACVLAN", " ".join(c.macvlans), "macvlans")
        for veth in sorted(c.extraVeths, key=str.encode):
            s.put("Network", "VirtualEthernetExtra", veth, f"extraVeths.{veth}")

    # the service drop-in ---------------------------------------------------

    def render_dropin(self, name: str, c: Container, flag_words: list[str]) -> Artifact:
        out = Writer()
        out.line(f"# Settings for container '{name}' that its .nspawn file cannot hold,")
        out.line("# generated by nixlite (systemd.service(5), systemd.resource-control(5)).")
        out.line("[Service]")
        out.line(f"TimeoutStartSec={c.timeoutStartSec}", "timeoutStartSec")
        for i, dev in enumerate(c.allowedDevices):
            out.line(f"DeviceAllow={dev.node.replace('%', '%%')} {dev.modifier}", f"allowedDevices.{i}")
        self.write_prepare(out)
        self.write_reload(out, c)
        self.write_exec_start(out, name, flag_words)
        path = f"etc/systemd/system/systemd-nspawn@{name}.service.d/nixlite.conf"
        return text_artifact(path, out, "dropin", name)

    def write_prepare(self, out: Writer) -> None:
        """What the module's start script prepared before running nspawn:
        the tree with os-release and machine-id, and the bound Nix dirs."""
        mkdir, touch = (host_tool(self.host_paths, "coreutils", f"bin/{t}") for t in ("mkdir", "touch"))
        out.line(f"ExecStartPre={mkdir} -p -m 0755 {MACHINE_ROOT}/etc {MACHINE_ROOT}/var/lib "
                 "/nix/var/nix/profiles/per-container/%i /nix/var/nix/gcroots/per-container/%i "
                 "/nix/var/nix/db /nix/var/nix/daemon-socket")
        out.line(f"ExecStartPre={touch} -a {MACHINE_ROOT}/etc/os-release {MACHINE_ROOT}/etc/machine-id")

    def write_reload(self, out: Writer, c: Container) -> None:
        """NixOS reloads by running switch-to-configuration inside the
        container (via nixos-container); systemd-run --machine does the
        same through machined and, unlike `machinectl shell`, returns the
        command's exit status."""
        run = host_tool(self.host_paths, "systemd", "bin/systemd-run")
        switch = unit_escape(quote_parameter(c.path + "/bin/switch-to-configuration"))
        out.line(f"ExecReload={run} --machine=%i --wait --pipe --quiet "
                 f"{CONTAINER_BASH} --login -c \"{switch} test\"", "path")

    def write_exec_start(self, out: Writer, name: str, words: list[str]) -> None:
        if not words:
            return
        self.unsupported(name, "extraFlags", f"{' '.join(words)!r} has no systemd.nspawn(5) key; "
                         "passed to systemd-nspawn by an ExecStart= override in the drop-in")
        nspawn = host_tool(self.host_paths, "systemd", "bin/systemd-nspawn")
        out.line("ExecStart=")
        out.line(f"ExecStart={nspawn} {TEMPLATE_EXEC_START} "
                 + " ".join(unit_escape(w) for w in words), "extraFlags")

    # networkd and links --------------------------------------------------

    def render_networks(self, name: str, c: Container) -> list[Artifact]:
        out = []
        if c.privateNetwork and not c.hostBridge and has_main_veth(c):
            out.append(self.render_network(name, self.main_veth_name(name), c, "", glob=len("ve-" + name) > IFNAME_MAX))
        for veth, cfg in sorted(c.extraVeths.items(), key=lambda kv: kv[0].encode()):
            out.append(self.render_network(name, veth, cfg, f"extraVeths.{veth}."))
        return out

    def main_veth_name(self, name: str) -> str:
        iface = "ve-" + name
        if len(iface) <= IFNAME_MAX:
            return iface
        self.unsupported(name, "privateNetwork", f"the host-side interface '{iface}' is longer than "
                         f"{IFNAME_MAX} bytes, so systemd-nspawn shortens it with a hash; the .network "
                         "file matches it by a prefix glob")
        return iface[:IFNAME_MAX - 4] + "*"

    def render_network(self, name: str, iface: str, net: Container | ExtraVeth, origin: str,
                       glob: bool = False) -> Artifact:
        out = Writer()
        out.line(f"# Host side of container '{name}'s veth {iface}, generated by nixlite")
        out.line("# (systemd.network(5); needs systemd-networkd on the host).")
        out.line("[Match]").line(f"Name={iface}").line()
        out.line("[Network]")
        if net.hostBridge:
            out.line(f"Bridge={net.hostBridge}", origin + "hostBridge")
        else:
            write_addresses(out, net, origin)
        stem = iface.rstrip("*")
        path = f"etc/systemd/network/{NETWORK_PRIORITY}-nixlite-{stem}.network"
        return text_artifact(path, out, "network", name)

    def render_autostart_link(self, name: str) -> Artifact:
        unit = f"systemd-nspawn@{name}.service"
        return Artifact(f"etc/systemd/system/machines.target.wants/{unit}", None, "link", name,
                        link=TEMPLATE_UNIT_PATH)


def text_artifact(path: str, w: Writer, kind: str, container: str | None) -> Artifact:
    return Artifact(path, w.text().encode(), kind, container, origins=w.origins())


def write_addresses(out: Writer, net: Container | ExtraVeth, origin: str) -> None:
    """hostAddress* are the host end's addresses, localAddress* are routed
    to the container through it (NixOS's post-start script did both)."""
    for opt in ("hostAddress", "hostAddress6"):
        if getattr(net, opt):
            out.line(f"Address={full_prefix(getattr(net, opt))}", origin + opt)
    for opt in ("localAddress", "localAddress6"):
        if getattr(net, opt):
            out.line().line("[Route]")
            out.line(f"Destination={full_prefix(getattr(net, opt))}", origin + opt)


def has_main_veth(c: Container) -> bool:
    """The module adds --network-veth when an address is set, and
    --network-bridge (which implies a veth) for hostBridge."""
    return c.privateNetwork and bool(
        c.hostBridge or c.hostAddress or c.localAddress or c.hostAddress6 or c.localAddress6)


def port_spec(port) -> str:
    return f"{port.protocol}:{port.hostPort}:{port.containerPort if port.containerPort is not None else port.hostPort}"


def yes_no(flag: bool) -> str:
    return "yes" if flag else "no"
