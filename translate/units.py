"""systemd unit files as the spring-2020 NixOS systemd module wrote them.

A `Service` holds the already-merged options of one `systemd.services.<n>`
entry; `render_service` lays them out byte for byte (fixtures/SPEC.md §2.1):

    [Unit]⏎ SECTION(unitConfig) ⏎
    [Service]⏎ ENV ⏎ RESTART ⏎ STOP ⏎ SECTION(serviceConfig) ⏎

Keys are sorted in Nix attribute order (byte-wise), a list value repeats the
key (an empty list writes nothing), booleans are `true`/`false`, and each
`Environment=` value is the JSON encoding of `NAME=value` that
`builtins.toJSON` gives.  Values are never quoted or escaped otherwise.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Union

from .writer import Writer

#: a directive value: one scalar, or a list that repeats the key
Value = Union[str, bool, int, list]


@dataclass
class Service:
    """The options of one systemd service that reach its unit file.

    `origins` maps a directive key (or "Environment.<NAME>") to the option
    path behind it, for provenance."""

    name: str
    unit_config: dict[str, Value] = field(default_factory=dict)
    environment: dict[str, str] = field(default_factory=dict)
    service_config: dict[str, Value] = field(default_factory=dict)
    restart_if_changed: bool = True
    reload_if_changed: bool = False
    stop_if_changed: bool = True
    origins: dict[str, str] = field(default_factory=dict)


def unit_file_name(service: str) -> str:
    """`container@web` -> `container@web.service` (the template: `container@.service`)."""
    return service + ".service"


def script_store_name(service: str, kind: str) -> str:
    """Store name of a unit script (SPEC §2.6): backslashes are doubled,
    then each `\\` becomes `-` and each `@` becomes `_`."""
    mangled = service.replace("\\", "\\\\").replace("\\", "-").replace("@", "_")
    return f"unit-script-{mangled}-{kind}"


def render_value(value: str | bool | int) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    return str(value)


def write_section(w: Writer, attrs: dict[str, Value], origins: dict[str, str]) -> None:
    """`Key=value⏎` per value, keys sorted byte-wise; lists repeat the key."""
    for key in sorted(attrs):
        value = attrs[key]
        for item in value if isinstance(value, list) else [value]:
            w.line(f"{key}={render_value(item)}", origins.get(key))


def json_string(text: str) -> str:
    """A string as Nix 2.8's `builtins.toJSON` encodes it: `"` and `\\`
    escaped, \\n \\r \\t by name, other control characters as \\u00XX,
    everything else (including non-ASCII) verbatim."""
    return '"' + _JSON_SPECIAL.sub(_json_escape, text) + '"'


_JSON_SPECIAL = re.compile(r'[\x00-\x1f"\\]')
_JSON_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _json_escape(m: re.Match) -> str:
    ch = m.group(0)
    return _JSON_ESCAPES.get(ch) or f"\\u{ord(ch):04x}"


def write_environment(w: Writer, env: dict[str, str], origins: dict[str, str]) -> None:
    for name in sorted(env):
        w.line("Environment=" + json_string(f"{name}={env[name]}"), origins.get("Environment." + name))


def restart_line(svc: Service) -> str:
    """The X-ReloadIfChanged / X-RestartIfChanged slot, with its newline."""
    if svc.reload_if_changed:
        return "X-ReloadIfChanged=true\n"
    return "" if svc.restart_if_changed else "X-RestartIfChanged=false\n"


def render_service(svc: Service, global_env: dict[str, str]) -> Writer:
    """The unit file of a service; `global_env` is systemd.globalEnvironment
    (the service's own variables win)."""
    w = Writer().line("[Unit]")
    write_section(w, svc.unit_config, svc.origins)
    w.line().line("[Service]")
    write_environment(w, {**global_env, **svc.environment}, svc.origins)
    w.line().write(restart_line(svc), "restartIfChanged").line()
    # X-StopIfChanged carries no newline of its own (SPEC §2.1 STOP)
    w.write("" if svc.stop_if_changed else "X-StopIfChanged=false").line()
    write_section(w, svc.service_config, svc.origins)
    return w.line()


def render_target_dropin(unit_config: dict[str, Value]) -> Writer:
    """A target unit's text (`[Unit]⏎` + SECTION + `⏎`), as the drop-in
    `<target>.d/overrides.conf` NixOS writes for targets systemd ships."""
    w = Writer().line("[Unit]")
    write_section(w, unit_config, {})
    return w.line()
