"""The `nixos` target: the files the 2020 NixOS containers module builds.

For a resolved `Host` this renders, byte for byte as fixtures/SPEC.md
describes (the goldens in fixtures/golden are the reference):

* `etc/containers/<name>.conf` per container (§4);
* `etc/systemd/system/container@.service` (the template) and
  `container@<name>.service` per container (§2);
* the unit scripts, `container-init` and `reload-container` under
  `nix/store/<hash>-<name>` (§3), and `etc-<name>.conf` for autoStart
  containers (the only place their conf's store copy is referenced);
* the host-wide files: `etc/hosts.extraHosts` (§5), the
  `multi-user.target.d/overrides.conf` drop-in and the
  `machines.target.wants/` links (§2.5).

Every text is built from the model; nothing is copied from a golden.
Derived targets (FHS, nspawn) override the small lookup methods —
`package`, `program`, `file_location`, `tree_path` — or single `render_*`
methods, and inherit the rest.
"""
from __future__ import annotations

from dataclasses import replace

from nixlite.modules.schema import Container, Host
from nixlite.errors import EvalError, RenderError
from nixlite.storepaths import StoreProfile, check_store_path

from . import scripts
from .base import Artifact, Target
from .units import Service, render_service, render_target_dropin, script_store_name, unit_file_name
from .writer import Writer

#: systemd's default service PATH packages, after the module's own [iproute] (SPEC §2.3)
SERVICE_PATH = ("iproute", "coreutils", "findutils", "gnugrep", "gnused", "systemd")
#: the template unit, used by imperative containers
TEMPLATE_SERVICE = "container@"
#: host options the module sets besides files (compare meta/eval.json "host")
KERNEL_MODULES = ["bridge", "macvlan", "tap", "tun"]
DHCPCD_DENY = ["ve-*", "vb-*"]
NM_UDEV_RULE = ("# Don't manage interfaces created by nixos-container.\n"
                'ENV{INTERFACE}=="v[eb]-*", ENV{NM_UNMANAGED}="1"\n')
#: option behind a unit directive, for provenance
DIRECTIVE_ORIGINS = {
    "TimeoutStartSec": "timeoutStartSec", "DeviceAllow": "allowedDevices",
    "RuntimeDirectory": "ephemeral", "RequiresMountsFor": "ephemeral", "Environment.root": "ephemeral",
    "After": "autoStart", "Wants": "autoStart", "X-Restart-Triggers": "autoStart",
}


class NixosTarget(Target):
    """Renders what `nixos-rebuild` would put in /etc and the store."""

    name = "nixos"
    description = "the files the 2020 NixOS containers module builds, byte for byte"
    unit_dir = "etc/systemd/system"

    def __init__(self, *, profile: StoreProfile | None = None, strict: bool = False, **options):
        super().__init__(profile=profile, strict=strict, **options)
        self._out: dict[str, Artifact] = {}

    # --- lookups a derived target overrides ---------------------------------

    def package(self, attr: str) -> str:
        """Where a nixpkgs package lives (a store path from the profile)."""
        return self.profile.package(attr)

    def program(self, attr: str, prog: str) -> str:
        return f"{self.package(attr)}/bin/{prog}"

    def shell(self) -> str:
        """`pkgs.runtimeShell`, the interpreter of every generated script."""
        return self.program("bash", "bash")

    def file_location(self, name: str, content: str, references: tuple[str, ...], container: str | None) -> str:
        """Absolute path of a generated file: its text-file store path.  A
        container whose name cannot appear in a store path fails here, as its
        NixOS evaluation would (the unit scripts are named after it)."""
        path = self.profile.file_path(name, content, references)
        try:
            return check_store_path(path)
        except EvalError as e:
            raise RenderError(f"container '{container}': {e.message}",
                              hint="NixOS names the container's unit scripts after it: use letters, digits "
                                   "and + - . _ ? = in container names") from None

    def tree_path(self, location: str) -> str:
        """Where an absolute path lands in the output tree."""
        return location.lstrip("/")

    # --- entry point -----------------------------------------------------------

    def artifacts(self, host: Host) -> list[Artifact]:
        """Every file and link of the output tree, sorted by path."""
        self._out = {}
        if host.enableContainers:
            self.add_template(host)
            for name, container in host.sorted_containers:
                self.add_container(host, name, container.with_tun_applied())
            self.add_host_files(host)
        return sorted(self._out.values(), key=lambda a: a.path)

    def host_settings(self, host: Host) -> dict:
        """The host options the module sets that are not files, in the shape
        of meta/eval.json "host" (for the manifest)."""
        on = host.enableContainers
        return {
            "dhcpcdDenyInterfaces": list(DHCPCD_DENY) if on else [],
            "extraHosts": self.render_hosts(host).text() if on else "",
            "kernelModules": list(KERNEL_MODULES) if on else [],
            "systemPackages": [self.package("nixos-container")] if on else [],
            "systemdGlobalEnvironment": self.global_environment(),
            "udevExtraRules": NM_UDEV_RULE if on and host.networkmanager else "",
        }

    # --- registering artifacts -------------------------------------------------

    def emit(self, artifact: Artifact) -> None:
        """Add an artifact; a file two containers share belongs to neither."""
        old = self._out.get(artifact.path)
        if old is not None and old.container != artifact.container:
            artifact = replace(old, container=None)
        self._out[artifact.path] = artifact

    def emit_text(self, path: str, w: Writer, kind: str, container: str | None, **kw) -> None:
        self.emit(Artifact(path, w.text().encode(), kind, container, origins=w.origins(), **kw))

    def store_file(self, name: str, w: Writer, kind: str, container: str | None, references=()) -> str:
        """Emit a generated file (mode 755 iff it starts with `#!`); returns its location."""
        text = w.text()
        location = self.file_location(name, text, tuple(references), container)
        mode = 0o755 if text.startswith("#!") else 0o644
        self.emit(Artifact(self.tree_path(location), text.encode(), kind, container, mode=mode,
                           store_path=location, origins=w.origins()))
        return location

    # --- the template and the containers ---------------------------------------

    def add_template(self, host: Host) -> None:
        """`container@.service`, used by imperative containers."""
        execs = self.add_unit_scripts(host, TEMPLATE_SERVICE, scripts.TEMPLATE_VALUES, None)
        self.emit_text(f"{self.unit_dir}/{unit_file_name(TEMPLATE_SERVICE)}",
                       self.render_template_unit(execs), "template-unit", None)

    def add_container(self, host: Host, name: str, cfg: Container) -> None:
        conf = self.render_conf(cfg)
        self.emit_text(f"etc/containers/{name}.conf", conf, "conf", name)
        service = f"container@{name}"
        execs = self.add_unit_scripts(host, service, cfg, name)
        conf_copy = self.store_file(f"etc-{name}.conf", conf, "conf-copy", name) if cfg.autoStart else None
        self.emit_text(f"{self.unit_dir}/{unit_file_name(service)}",
                       self.render_unit(service, cfg, execs, conf_copy), "unit", name)
        if cfg.autoStart:
            self.emit(self.render_wants_link(service, name))

    def add_unit_scripts(self, host: Host, service: str, cfg: Container, container: str | None) -> dict[str, str]:
        """Emit the four unit scripts (and container-init, reload-container);
        returns the Exec* directives pointing at them."""
        init = self.store_file("container-init", self.render_container_init(cfg), "container-init", container)
        def script(kind: str, body: Writer, refs=()) -> str:
            w = scripts.unit_script(self.shell(), body)
            return self.store_file(script_store_name(service, kind), w, kind + "-script", container, refs)
        return {
            "ExecReload": self.store_file("reload-container", self.render_reload_script(), "reload-script", None),
            # the empty script-argument string is appended after a space
            "ExecStart": script("start", self.render_start_script(host, cfg, init), (init,)) + " ",
            "ExecStartPost": script("post-start", self.render_post_start_script(cfg)),
            "ExecStartPre": script("pre-start", self.render_pre_start_script(cfg)),
            "ExecStop": script("pre-stop", self.render_pre_stop_script(cfg)),
        }

    def add_host_files(self, host: Host) -> None:
        self.emit_text(f"{self.unit_dir}/multi-user.target.d/overrides.conf",
                       self.render_multi_user_dropin(), "target-dropin", None)
        hosts = self.render_hosts(host)
        if hosts.text():
            self.emit_text("etc/hosts.extraHosts", hosts, "hosts", None)

    # --- one render_* per artifact ---------------------------------------------

    def render_conf(self, cfg: Container) -> Writer:
        """`/etc/containers/<name>.conf`, read by the unit as EnvironmentFile (SPEC §4)."""
        w = Writer().line(f"SYSTEM_PATH={cfg.path}", "path")
        if cfg.privateNetwork:
            self.write_network_conf(w, cfg)
        w.line().line(f'INTERFACES="{" ".join(cfg.interfaces)}"', "interfaces")
        w.line(f'MACVLANS="{" ".join(cfg.macvlans)}"', "macvlans")
        if cfg.autoStart:
            w.line("AUTO_START=1", "autoStart")
        w.line()
        return w.line(f'EXTRA_NSPAWN_FLAGS="{bind_flags(cfg)}{extra_flags(cfg)}"', "bindMounts")

    def write_network_conf(self, w: Writer, cfg: Container) -> None:
        """The PRIVATE_NETWORK block: each optional line and the blank line
        its `optionalString` leaves behind."""
        w.line("PRIVATE_NETWORK=1", "privateNetwork")
        optional_line(w, "HOST_BRIDGE", cfg.hostBridge, "hostBridge")
        optional_line(w, "HOST_PORT", port_spec(cfg) or None, "forwardPorts")
        for option, key in (("hostAddress", "HOST_ADDRESS"), ("hostAddress6", "HOST_ADDRESS6"),
                            ("localAddress", "LOCAL_ADDRESS"), ("localAddress6", "LOCAL_ADDRESS6")):
            optional_line(w, key, getattr(cfg, option), option)

    def render_unit(self, service: str, cfg: Container, execs: dict[str, str], conf_copy: str | None) -> Writer:
        """`container@<name>.service`: the template with this container's
        scripts and directives; autoStart adds the boot-time wiring (SPEC §2.2)."""
        svc = Service(
            service,
            unit_config={"Description": "Container '%i'",
                         "RequiresMountsFor": [] if cfg.ephemeral else ["/var/lib/containers/%i"]},
            environment=self.service_environment(cfg.ephemeral),
            service_config=self.service_directives(cfg, execs),
            restart_if_changed=cfg.autoStart, origins=dict(DIRECTIVE_ORIGINS))
        if cfg.autoStart:
            svc.unit_config.update({"After": "network.target", "Wants": "network.target",
                                    "X-Restart-Triggers": f"{cfg.path} {conf_copy}"})
        return render_service(svc, self.global_environment())

    def render_template_unit(self, execs: dict[str, str]) -> Writer:
        """`container@.service`, rendered with the module's template values."""
        svc = Service(
            TEMPLATE_SERVICE,
            unit_config={"Description": "Container '%i'", "RequiresMountsFor": "/var/lib/containers/%i"},
            environment=self.service_environment(False),
            service_config=self.service_directives(scripts.TEMPLATE_VALUES, execs),
            restart_if_changed=False)
        return render_service(svc, self.global_environment())

    def render_start_script(self, host: Host, cfg: Container, init: str) -> Writer:
        return scripts.start_script(cfg, nspawn=self.program("systemd", "systemd-nspawn"), init=init,
                                    personality=host.system == "x86_64-linux")

    def render_pre_start_script(self, cfg: Container) -> Writer:
        return scripts.pre_start_script(cfg)

    def render_post_start_script(self, cfg: Container) -> Writer:
        return scripts.post_start_script(cfg)

    def render_pre_stop_script(self, cfg: Container) -> Writer:
        return scripts.pre_stop_script()

    def render_container_init(self, cfg: Container) -> Writer:
        return scripts.container_init(cfg, self.shell())

    def render_reload_script(self) -> Writer:
        return scripts.reload_container(self.shell(), self.program("nixos-container", "nixos-container"))

    def render_hosts(self, host: Host) -> Writer:
        """`networking.extraHosts` lines: `<IPv4 without netmask> <name>.containers`."""
        w = Writer()
        for name, cfg in host.sorted_containers:
            if cfg.localAddress is not None:
                w.line(f"{cfg.localAddress.split('/', 1)[0]} {name}.containers", f"containers.{name}.localAddress")
        return w

    def render_multi_user_dropin(self) -> Writer:
        """multi-user.target wants machines.target; systemd ships the
        target, so NixOS writes a drop-in."""
        return render_target_dropin({"Wants": "machines.target"})

    def render_wants_link(self, service: str, container: str) -> Artifact:
        unit = unit_file_name(service)
        return Artifact(f"{self.unit_dir}/machines.target.wants/{unit}", None, "wants-link", container,
                        link=f"../{unit}")

    # --- unit ingredients ------------------------------------------------------

    def global_environment(self) -> dict[str, str]:
        return {"LOCALE_ARCHIVE": self.package("glibcLocales") + "/lib/locale/locale-archive",
                "TZDIR": self.package("tzdata") + "/share/zoneinfo"}

    def service_path(self) -> str:
        """PATH: every package's bin, then every package's sbin (SPEC §2.3)."""
        pkgs = [self.package(attr) for attr in SERVICE_PATH]
        return ":".join([p + "/bin" for p in pkgs] + [p + "/sbin" for p in pkgs])

    def service_environment(self, ephemeral: bool) -> dict[str, str]:
        root = "/run/containers/%i" if ephemeral else "/var/lib/containers/%i"
        return {"INSTANCE": "%i", "PATH": self.service_path(), "root": root}

    def service_directives(self, cfg: Container, execs: dict[str, str]) -> dict:
        """The module's serviceConfig for a container (SPEC §2.2)."""
        return {
            **execs, "SyslogIdentifier": "container %i", "EnvironmentFile": "-/etc/containers/%i.conf",
            "Type": "notify", "RuntimeDirectory": ["containers/%i"] if cfg.ephemeral else [],
            "RestartForceExitStatus": "133", "SuccessExitStatus": "133",
            "TimeoutStartSec": cfg.timeoutStartSec, "Restart": "on-failure", "Slice": "machine.slice",
            "Delegate": True, "KillMode": "mixed", "KillSignal": "WINCH", "DevicePolicy": "closed",
            "DeviceAllow": [f"{d.node} {d.modifier}" for d in cfg.allowedDevices],
        }


# --- conf helpers ---------------------------------------------------------------

def optional_line(w: Writer, key: str, value: str | None, origin: str) -> None:
    """`KEY=value⏎⏎` when set, else the lone `⏎` of an empty optionalString."""
    if value is not None:
        w.line(f"{key}={value}", origin)
    w.line()


def port_spec(cfg: Container) -> str:
    """HOST_PORT: `proto:hostPort:containerPort`, comma-separated."""
    return ",".join(
        f"{p.protocol}:{p.hostPort}:{p.hostPort if p.containerPort is None else p.containerPort}"
        for p in cfg.forwardPorts)


def bind_flags(cfg: Container) -> str:
    """One ` --bind[-ro]=[host:]mountPoint` per bind mount, by sorted entry name."""
    out = []
    for _, b in sorted(cfg.bindMounts.items(), key=lambda kv: kv[0].encode()):
        mount = f"{b.hostPath}:{b.mountPoint}" if b.hostPath is not None else b.mountPoint
        out.append((" --bind-ro=" if b.isReadOnly else " --bind=") + mount)
    return "".join(out)


def extra_flags(cfg: Container) -> str:
    return " " + " ".join(cfg.extraFlags) if cfg.extraFlags else ""
