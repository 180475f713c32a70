"""The resolved, validated container configuration: the translators' only input.

These pydantic models mirror the options of the 2020 NixOS containers module
(`containers.<name>.*`) and the few host options it reads.  Field names are
the option names themselves (camelCase), so a model dumps to exactly the
shape of `meta/eval.json` in the fixtures and a user reading an error sees
the name they wrote.  Descriptions are nixlite's own words.

The module system (`nixlite.modules.containers`) builds these after merging
definitions, applying defaults and type-checking every option against the
same types, so a translator can trust every field; it constructs them
without re-validating (`model_construct`).  Models built anywhere else (tests,
other front ends) are validated as usual.
"""
from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class _Model(BaseModel):
    # defer_build: pydantic builds a model's validator on its first
    # validation, not at import; `nixlite render` never validates (the module
    # system constructs the models from values it has type-checked), which
    # saves ~15 ms per process.
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class ForwardPort(_Model):
    protocol: str = Field("tcp", description="Protocol of the forwarded port (tcp or udp).")
    hostPort: int = Field(description="Port on the host side.")
    containerPort: int | None = Field(None, description="Port inside the container; the host port when unset.")


class NetworkOptions(_Model):
    hostBridge: str | None = Field(None, description="Bridge on the host that the host end of the veth pair joins.")
    forwardPorts: list[ForwardPort] = Field(default_factory=list, description="Ports forwarded from host to container.")
    hostAddress: str | None = Field(None, description="IPv4 address of the host end of the veth pair.")
    hostAddress6: str | None = Field(None, description="IPv6 address of the host end of the veth pair.")
    localAddress: str | None = Field(None, description="IPv4 address of the container end (may carry a netmask).")
    localAddress6: str | None = Field(None, description="IPv6 address of the container end (may carry a netmask).")


class ExtraVeth(NetworkOptions):
    """One `extraVeths.<name>` entry: an additional veth pair."""


class BindMount(_Model):
    mountPoint: str = Field(description="Where the directory appears inside the container (defaults to the entry's name).")
    hostPath: str | None = Field(None, description="Directory on the host; the mount point's own path when unset.")
    isReadOnly: bool = Field(True, description="Mount read-only.")


class AllowedDevice(_Model):
    node: str = Field(description="Device node path or device group (e.g. /dev/fuse, char-usb_device).")
    modifier: str = Field(description="Access: a combination of r, w and m.")


class Container(NetworkOptions):
    """One declarative container, every option resolved (defaults filled in)."""

    path: str = Field(description="The container's NixOS system closure (a store path or a profile link).")
    additionalCapabilities: list[str] = Field(default_factory=list, description="Extra capabilities granted to the container.")
    pkgs: Any = Field(None, description="A nixpkgs set for the container's own evaluation; shown as null.")
    ephemeral: bool = Field(False, description="Start from an empty root on every boot and discard it at shutdown.")
    enableTun: bool = Field(False, description="Allow /dev/net/tun and grant CAP_NET_ADMIN.")
    privateNetwork: bool = Field(False, description="Give the container its own network namespace with a veth pair.")
    interfaces: list[str] = Field(default_factory=list, description="Host interfaces moved into the container.")
    macvlans: list[str] = Field(default_factory=list, description="Host interfaces on which a macvlan is created for the container.")
    extraVeths: dict[str, ExtraVeth] = Field(default_factory=dict, description="Additional veth pairs, by interface name.")
    autoStart: bool = Field(False, description="Start the container at boot (wanted by machines.target).")
    timeoutStartSec: str = Field("1min", description="systemd start timeout for the container unit.")
    bindMounts: dict[str, BindMount] = Field(default_factory=dict, description="Host directories bound into the container, by name.")
    allowedDevices: list[AllowedDevice] = Field(default_factory=list, description="Device nodes the container may access.")
    tmpfs: list[str] = Field(default_factory=list, description="tmpfs mounts, in systemd-nspawn --tmpfs syntax.")
    extraFlags: list[str] = Field(default_factory=list, description="Extra systemd-nspawn command-line flags.")

    def with_tun_applied(self) -> "Container":
        """The container as the module renders it: enableTun appends the tun
        device (rw) and CAP_NET_ADMIN (the seed does this before rendering)."""
        if not self.enableTun:
            return self
        return self.model_copy(update={
            "allowedDevices": [*self.allowedDevices, AllowedDevice.model_construct(node="/dev/net/tun", modifier="rw")],
            "additionalCapabilities": [*self.additionalCapabilities, "CAP_NET_ADMIN"],
        })


class Host(_Model):
    """The host options the containers module reads, and the containers."""

    enableContainers: bool = Field(True, description="boot.enableContainers: whether the module contributes anything.")
    isContainer: bool = Field(False, description="boot.isContainer: the host is itself a container.")
    networkmanager: bool = Field(False, description="networking.networkmanager.enable on the host.")
    system: str = Field("x86_64-linux", description="nixpkgs.localSystem.system of the host.")
    containers: dict[str, Container] = Field(default_factory=dict)

    @property
    def sorted_containers(self) -> list[tuple[str, Container]]:
        """Containers in Nix attribute order (byte-wise sorted names)."""
        return sorted(self.containers.items(), key=lambda kv: kv[0].encode())
