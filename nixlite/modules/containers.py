"""The containers module: its option schema, and resolving a containers.nix.

The declarations mirror the 2020 NixOS `containers.<name>` submodule (and the
four host options it reads) as Python `Option`s, so resolving needs no Nix
evaluation of the schema.  Descriptions are nixlite's own words.

`resolve_file` evaluates the user's module together with this schema and
returns the validated `Host` (the translators' only input).  Three rules of
the seed module are reproduced here:

* `path` of a container given by `config` is its system toplevel; nixlite
  does not build it but names it as NixOS does, `nixos-system-<hostName>-
  20.09pre-git`, reading only `networking.hostName` of the inner modules
  (defaulting to the container name); see SPEC.md §6;
* that toplevel carries the container-name assertion (name of 12 or more
  bytes with privateNetwork fails), so it fires only for `config` containers;
* host namespaces NixOS has but nixlite does not model (services, users,
  most of networking and boot, ...) are accepted with a warning and ignored;
  any other unknown top-level name is an error, as in NixOS.
"""
from __future__ import annotations

from typing import Any

from ..errors import NixliteError, ThrowError
from ..eval.values import Attrs, NixList, NixPath, force
from ..storepaths import StoreProfile
from . import types as T
from .eval_modules import IGNORED, Evaluation, Option, PyModule
from .properties import mk_if, mk_override

DECL_FILE = "nixlite/modules/containers.py"
RELEASE = "20.09pre-git"


def _opt(t: T.OptionType, default: Any = None, desc: str = "", **kw) -> Option:
    from .eval_modules import MISSING
    return Option(t, MISSING if default is _REQUIRED else default, desc, file=DECL_FILE, **kw)


_REQUIRED = object()
_NONE_STR = T.NullOr(T.STR)

FORWARD_PORT = PyModule("nixlite:forward-port", {
    "protocol": _opt(T.STR, "tcp", "Protocol to forward (tcp or udp)."),
    "hostPort": _opt(T.INT, _REQUIRED, "Port on the host side."),
    "containerPort": _opt(T.NullOr(T.INT), None, "Port inside the container; the host port when null."),
}, file=DECL_FILE)

NETWORK_OPTIONS = {
    "hostBridge": _opt(_NONE_STR, None, "Host bridge the host end of the veth pair joins."),
    "forwardPorts": _opt(T.ListOf(T.Submodule([FORWARD_PORT])), NixList(), "Ports forwarded from host to container."),
    "hostAddress": _opt(_NONE_STR, None, "IPv4 address of the host end of the veth pair."),
    "hostAddress6": _opt(_NONE_STR, None, "IPv6 address of the host end of the veth pair."),
    "localAddress": _opt(_NONE_STR, None, "IPv4 address of the container end (netmask allowed)."),
    "localAddress6": _opt(_NONE_STR, None, "IPv6 address of the container end (netmask allowed)."),
}

BIND_MOUNT = PyModule("nixlite:bind-mount", {
    "mountPoint": _opt(T.STR, _REQUIRED, "Where the directory appears in the container (default: the entry's name)."),
    "hostPath": _opt(_NONE_STR, None, "Host directory to bind; the mount point's own path when null."),
    "isReadOnly": _opt(T.BOOL, True, "Bind read-only."),
}, lambda ev: Attrs({"mountPoint": mk_override(1000, ev.name)}), file=DECL_FILE)

ALLOWED_DEVICE = PyModule("nixlite:allowed-device", {
    "node": _opt(T.STR, _REQUIRED, "Device node or device group, e.g. /dev/fuse."),
    "modifier": _opt(T.STR, _REQUIRED, "Access: a combination of r, w and m."),
}, file=DECL_FILE)

_STRS = T.ListOf(T.STR)
CONTAINER_OPTIONS = {
    "config": _opt(T.Opaque("Toplevel NixOS config", "nixlite does not evaluate a container's inner NixOS "
                            "configuration"), _REQUIRED, "The container's own NixOS configuration (a module)."),
    "path": _opt(T.PATH, _REQUIRED, "The container's system profile; set from `config` when that is given."),
    "additionalCapabilities": _opt(_STRS, NixList(), "Extra capabilities granted to the container."),
    "pkgs": _opt(T.NullOr(T.ATTRS), None, "nixpkgs for the container's own evaluation."),
    "ephemeral": _opt(T.BOOL, False, "Start from an empty root each time; discard it at shutdown."),
    "enableTun": _opt(T.BOOL, False, "Allow /dev/net/tun and grant CAP_NET_ADMIN."),
    "privateNetwork": _opt(T.BOOL, False, "Own network namespace with a veth pair to the host."),
    "interfaces": _opt(_STRS, NixList(), "Host interfaces moved into the container."),
    "macvlans": _opt(_STRS, NixList(), "Host interfaces to create a macvlan on for the container."),
    "extraVeths": _opt(T.AttrsOf(T.Submodule([PyModule("nixlite:extra-veth", NETWORK_OPTIONS, file=DECL_FILE)])),
                       Attrs({}), "Additional veth pairs, by interface name."),
    "autoStart": _opt(T.BOOL, False, "Start the container at boot."),
    "timeoutStartSec": _opt(T.STR, "1min", "systemd start timeout of the container unit."),
    "bindMounts": _opt(T.LoaOf(T.Submodule([BIND_MOUNT])), Attrs({}), "Host directories bound into the container."),
    "allowedDevices": _opt(T.ListOf(T.Submodule([ALLOWED_DEVICE])), NixList(), "Devices the container may use."),
    "tmpfs": _opt(_STRS, NixList(), "tmpfs mounts (systemd-nspawn --tmpfs syntax)."),
    "extraFlags": _opt(_STRS, NixList(), "Extra systemd-nspawn flags."),
    **NETWORK_OPTIONS,
}


def _container_config(ev: Evaluation) -> Attrs:
    """The submodule's own definitions: `path` from `config` when it is defined."""
    is_defined = _Thunk(lambda: ev.level().node("config").is_defined())
    return Attrs({"path": mk_if(is_defined, _Thunk(lambda: toplevel_path(ev)))})


def _Thunk(fn):
    from ..eval.values import Lazy
    return Lazy(fn)


CONTAINER = PyModule("nixlite:container", CONTAINER_OPTIONS, _container_config, file=DECL_FILE)

#: host namespaces of NixOS that nixlite accepts and ignores
IGNORED_NAMESPACES = ("appstream", "assertions", "console", "documentation", "environment",
                      "fileSystems", "fonts", "gtk", "hardware", "i18n", "ids", "krb5", "location",
                      "meta", "nix", "power", "powerManagement", "programs", "qt5", "security",
                      "services", "sound", "swapDevices", "system", "systemd", "time", "users",
                      "virtualisation", "warnings", "xdg", "zramSwap")


def _enable_containers_default(ev: Evaluation) -> bool:
    return not force(force(force(ev.config_thunk).d["boot"]).d["isContainer"])


HOST_OPTIONS = {
    "boot": {
        "isContainer": _opt(T.BOOL, False, "The host is itself a NixOS container."),
        "enableContainers": _opt(T.BOOL, _REQUIRED, "Whether the containers module does anything "
                                 "(default: not boot.isContainer).", default_fn=_enable_containers_default),
        "*": IGNORED,
    },
    "networking": {"networkmanager": {"enable": _opt(T.BOOL, False, "NetworkManager runs on the host."),
                                      "*": IGNORED}, "*": IGNORED},
    "nixpkgs": {"localSystem": {"system": _opt(T.STR, "x86_64-linux", "The host's platform."), "*": IGNORED},
                "*": IGNORED},
    "containers": _opt(T.AttrsOf(T.Submodule([CONTAINER])), Attrs({}), "The declarative containers, by name."),
    **{n: IGNORED for n in IGNORED_NAMESPACES},
}
HOST = PyModule("nixlite:containers-module", HOST_OPTIONS, file=DECL_FILE)


# --- the toplevel of a `config` container -------------------------------------------

ASSERTION = ("Container name `{name}` is too long: When `privateNetwork` is enabled, container names can\n"
             "not be longer than 11 characters, because the container's interface name is derived from it.\n"
             "This might be fixed in the future. See https://github.com/NixOS/nixpkgs/issues/38509")


def toplevel_path(ev: Evaluation, profile: StoreProfile | None = None) -> str:
    name = ev.name
    cfg = force(ev.config_thunk)
    if force(cfg.d["privateNetwork"]) and len(name.encode()) >= 12:
        raise ThrowError("\nFailed assertions:\n- " + ASSERTION.format(name=name)).add_trace(
            None, f"while checking the assertions of the NixOS configuration of container '{name}'")
    store_name = f"nixos-system-{inner_hostname(ev)}-{RELEASE}"
    content = f"nixlite-oracle stub toplevel containers.{name}\n"
    return (profile or _default_profile()).file_path(store_name, content)


_PROFILE: list[StoreProfile] = []


def _default_profile() -> StoreProfile:
    if not _PROFILE:
        _PROFILE.append(StoreProfile.default())
    return _PROFILE[0]


def inner_hostname(ev: Evaluation) -> str:
    """`networking.hostName` of the container's inner modules, evaluating
    nothing else: a module system that declares only that option."""
    name = ev.name
    hostname = PyModule(f"nixlite:container-hostname:{name}", {
        "networking": {"hostName": _opt(T.STR, "nixos", "host name"), "*": IGNORED}, "*": IGNORED},
        lambda _ev: Attrs({"networking": Attrs({"hostName": mk_override(1000, name)})}), file=DECL_FILE)
    defs = ev.level().node("config").merged.final()
    start = [(hostname, DECL_FILE, hostname.key, False)]
    start += [(d.value, d.file, f":anon-{i}", False) for i, d in enumerate(defs, 2)]
    inner = Evaluation(start, (), warn_ignored=False)  # NixOS arguments (pkgs, modulesPath), as the host
    return force(force(force(inner.config_thunk).d["networking"]).d["hostName"])


# --- resolving a file ---------------------------------------------------------------------

def evaluate(value: Any, file: str) -> Evaluation:
    """The host evaluation of a user module (value: the file's value or path)."""
    return Evaluation([(HOST, DECL_FILE, HOST.key, False), (value, file, file, False)])


def to_py(v: Any) -> Any:
    """A forced Nix value as plain Python data (for pydantic and JSON)."""
    v = force(v)
    cls = v.__class__
    if cls is Attrs:
        return {k: to_py(v.d[k]) for k in sorted(v.d)}
    if cls is NixList:
        return [to_py(x) for x in v]
    if isinstance(v, str):
        return str(v)
    if cls is NixPath:
        return v.path
    if v is None or isinstance(v, (bool, int, float)):
        return v
    return "<LAMBDA>"


def _nested_models() -> dict[str, tuple[type, type]]:
    """Fields holding submodules: field -> (list or dict, model)."""
    from . import schema as S
    return {"forwardPorts": (list, S.ForwardPort), "extraVeths": (dict, S.ExtraVeth),
            "bindMounts": (dict, S.BindMount), "allowedDevices": (list, S.AllowedDevice)}


def _model(model, a: Attrs, nested: dict[str, tuple[type, type]]):
    """The schema model of a resolved submodule (user-added options dropped).

    Built with `model_construct`, i.e. without pydantic re-validating: every
    field is an option of this module's schema, whose type the module system
    has just checked (bool, int, str, nullOr, listOf/attrsOf submodule, ...:
    a user module can add options but cannot change these types), and `to_py`
    gives the plain Python value of that type.  Validating again cost more
    than building the models, and building pydantic's validators ~15 ms per
    process (the schema defers them until something validates)."""
    out = {}
    for f in sorted(model.model_fields):  # attribute order, as toJSON forces them
        v = force(a.d[f])
        kind = nested.get(f)
        if f == "pkgs":
            out[f] = None if v is None else "<pkgs>"
        elif kind is None:
            out[f] = to_py(v)
        elif kind[0] is list:
            out[f] = [_model(kind[1], force(x), nested) for x in v]
        else:
            out[f] = {k: _model(kind[1], force(v.d[k]), nested) for k in sorted(v.d)}
    return model.model_construct(**out)


def host_model(ev: Evaluation):
    """The resolved `Host` (see `_model` for why it is not re-validated)."""
    from .schema import Container, Host
    cfg = force(ev.config_thunk)

    def get(*path):
        v = cfg
        for p in path:
            v = force(force(v).d[p])
        return v
    cs = force(cfg.d["containers"])
    nested = _nested_models()
    containers = {n: _model(Container, force(cs.d[n]), nested) for n in sorted(cs.d)}
    return Host.model_construct(
        enableContainers=get("boot", "enableContainers"), isContainer=get("boot", "isContainer"),
        networkmanager=get("networking", "networkmanager", "enable"),
        system=str(get("nixpkgs", "localSystem", "system")), containers=containers)


def new_evaluator(search_path=None):
    """The evaluator of one resolve: its import cache and compiled code die
    with the resolve.  The search path (default: the process-wide
    evaluator's, i.e. the CLI's `-I` entries and NIX_PATH) is copied; the
    bundled lib stays the process-wide one (`lib_value`: pure, built once)."""
    from ..eval.evaluator import Evaluator, default_evaluator
    from .lib import install_search_path
    base = default_evaluator()
    ev = Evaluator(base.search_path if search_path is None else search_path, system=base.system,
                   use_nix_path_env=search_path is not None)
    install_search_path(ev)
    return ev


#: gc.freeze state: "fresh" (no resolve yet), "frozen" (the first resolve's
#: heap is frozen), "released" (unfrozen again; never frozen any more)
_FREEZE = ["fresh"]


def _run(ev, fn, *args):
    """Run fn with `ev` importing the module files, under the evaluator's deep
    stack, with the cyclic garbage collector paused: resolving allocates many
    small objects, and collections over the large parsed tree cost more than
    half the time otherwise.

    A resolve leaves its module system (Evaluation, Level, OptionNode, Merged,
    ... pointing at each other) as cyclic garbage: ~600 000 objects at 500
    containers, whose collection costs ~0.2 s, at interpreter exit if not
    before.  A process that resolves once (the CLI) never needs that memory
    back, so after the *first* resolve the heap is frozen (`gc.freeze`: the
    collector skips it, exit included).  A process that resolves again
    unfreezes it then (the next full collection frees it), and from then on
    lets the collector work normally, so memory stays bounded."""
    import gc

    from ..eval.interp import run_deep
    from .eval_modules import using_evaluator
    if _FREEZE[0] == "frozen":
        gc.unfreeze()
        _FREEZE[0] = "released"
    enabled = gc.isenabled()
    gc.disable()
    try:
        with using_evaluator(ev):
            result = run_deep(fn, *args)
        if _FREEZE[0] == "fresh":
            gc.freeze()
            _FREEZE[0] = "frozen"
        return result
    finally:
        if enabled:
            gc.enable()


def resolve_value(value: Any, file: str, ev=None):
    """The validated `Host` for a module value (or path) from `file`,
    importing with `ev` (default: a new evaluator)."""
    return _run(ev or new_evaluator(), lambda: host_model(evaluate(value, file)))


def resolve_file(path: str, *, show_trace: bool = False, profile: StoreProfile | None = None,
                 search_path=None):
    """Evaluate a containers.nix module file to the validated `Host`.
    `profile` (default: the bundled one) names the stub toplevels of
    `config` containers (its `files` may map them to real paths);
    `search_path` ([(prefix, path)], default: the CLI's `-I` and NIX_PATH)."""
    import os
    path = os.path.abspath(path)
    if not os.path.exists(path):
        raise NixliteError(f"getting status of '{path}': No such file or directory")
    saved = list(_PROFILE)
    _PROFILE[:] = [profile] if profile is not None else saved
    try:
        return resolve_value(NixPath(path), path, new_evaluator(search_path))
    finally:
        _PROFILE[:] = saved


def resolve_string(text: str, file: str = "«string»", *, search_path=None):
    """Like resolve_file, for module source text (tests)."""
    import os
    base = os.path.dirname(file) if file.startswith("/") else None
    ev = new_evaluator(search_path)
    return resolve_value(_run(ev, ev.eval_string, text, file, base), file, ev)


def resolve_meta(path: str) -> dict:
    """The `containers` part of fixtures' meta/eval.json for a module file."""
    host = resolve_file(path)
    return {n: c.model_dump(mode="json") for n, c in host.containers.items()}
