"""Property tests of the whole pipeline: containers.nix text → module system
→ NixOS (and fhs) target → tree → `nixlite diff`.

Hypothesis writes random but valid containers files (names within Nix's
identifier rules, random subsets of options, odd paths, flags with spaces,
quotes and `$`), and each test asserts an invariant that must hold for every
input, whatever the exact text: store references resolve, store names follow
the text-file rule, the conf file holds exactly the keys its options call
for, /etc/hosts is sorted, rendering is deterministic, a fake NixOS root made
from a render diffs identical and one changed option shows up as exactly the
artifacts it affects.  No expected value comes from a rendering.
"""
from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings, strategies as st

from nixlite.diff import IDENTICAL, MemoryTree, collect, compare, open_tree
from nixlite.errors import NixliteError
from nixlite.modules.containers import resolve_string
from nixlite.modules.schema import Container
from nixlite.storepaths import StoreProfile, find_store_paths, store_name, text_store_path
from nixlite.translate import get_target
from nixlite.translate.output import build_manifest, manifest_json

#: NIXLITE_PROPERTY_EXAMPLES=N runs every test with N examples (bug hunts);
#: the defaults keep the file well under 20 s
SCALE = int(os.environ.get("NIXLITE_PROPERTY_EXAMPLES", "0"))


def examples(n: int) -> int:
    return SCALE or n


SETTINGS = settings(max_examples=examples(25), deadline=None, suppress_health_check=[HealthCheck.too_slow])
#: the characters Nix allows in a store path's name
STORE_NAME_RE = re.compile(r"[A-Za-z0-9+\-._?=]+")
KEYWORDS = {"if", "then", "else", "let", "in", "with", "rec", "inherit", "assert", "or"}

# --- random containers files ------------------------------------------------------

name_st = st.from_regex(r"[A-Za-z_][A-Za-z0-9_-]{0,10}", fullmatch=True).filter(lambda n: n not in KEYWORDS)
octet = st.integers(0, 255).map(str)
ipv4 = st.builds(lambda a, b, c, d, m: f"{a}.{b}.{c}.{d}" + (f"/{m}" if m is not None else ""),
                 octet, octet, octet, octet, st.none() | st.integers(8, 32))
ipv6 = st.builds(lambda a, b, m: f"fd{a:02x}::{b:x}" + (f"/{m}" if m is not None else ""),
                 st.integers(0, 255), st.integers(1, 0xffff), st.none() | st.just(64))
# odd but shell-safe path characters (paths reach the start script unquoted,
# as in NixOS); quotes and `$` go into extraFlags, which only the conf holds
path_st = st.from_regex(r"/[A-Za-z0-9 ._+@:-]{1,12}(/[A-Za-z0-9._-]{1,6})?", fullmatch=True)
flag_st = st.text(st.sampled_from("abcXYZ019 -=_/.\"'$\\{}"), min_size=1, max_size=12)
iface_st = st.from_regex(r"[a-z][a-z0-9]{0,6}", fullmatch=True)
port_st = st.fixed_dictionaries({"hostPort": st.integers(1, 65535)},
                                optional={"containerPort": st.integers(1, 65535),
                                          "protocol": st.sampled_from(["tcp", "udp"])})
net_opts = {"hostAddress": ipv4, "localAddress": ipv4, "hostAddress6": ipv6, "localAddress6": ipv6}
veth_st = st.fixed_dictionaries({}, optional={**net_opts, "hostBridge": iface_st})
# bind mounts reach only the conf file, so their paths may hold anything but a newline
odd_path_st = st.from_regex(r"/[^\n\x00]{1,12}", fullmatch=True)
bind_st = st.fixed_dictionaries({}, optional={"mountPoint": odd_path_st, "hostPath": odd_path_st, "isReadOnly": st.booleans()})
device_st = st.fixed_dictionaries({"node": path_st, "modifier": st.sampled_from(["r", "rw", "rwm", "m"])})

container_st = st.fixed_dictionaries({}, optional={
    **net_opts,
    "privateNetwork": st.booleans(), "autoStart": st.booleans(), "ephemeral": st.booleans(),
    "enableTun": st.booleans(), "hostBridge": iface_st,
    "forwardPorts": st.lists(port_st, max_size=3),
    "interfaces": st.lists(iface_st, max_size=3), "macvlans": st.lists(iface_st, max_size=2),
    "extraVeths": st.dictionaries(st.from_regex(r"ve-[a-z0-9]{1,6}", fullmatch=True), veth_st, max_size=3),
    "bindMounts": st.dictionaries(odd_path_st, bind_st, max_size=3),
    "allowedDevices": st.lists(device_st, max_size=2),
    "additionalCapabilities": st.lists(st.from_regex(r"CAP_[A-Z_]{2,10}", fullmatch=True), max_size=3),
    "tmpfs": st.lists(path_st, max_size=3),
    "extraFlags": st.lists(flag_st, max_size=3),
    "timeoutStartSec": st.sampled_from(["1min", "30s", "5min", "infinity"]),
})
host_st = st.dictionaries(name_st, container_st, min_size=1, max_size=4)


def nix(value) -> str:
    """A Python value as Nix source (strings escaped, so `$`, `"` and `\\` stay literal)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        # a raw CR in Nix source reads as LF (as in Nix 2.8), so it is escaped too
        escaped = re.sub(r'([\\"$])', r"\\\1", value).replace("\r", "\\r").replace("\n", "\\n")
        return '"' + escaped + '"'
    if isinstance(value, list):
        return "[ " + " ".join(nix(v) for v in value) + " ]"
    return "{ " + "".join(f"{nix(k)} = {nix(v)}; " for k, v in value.items()) + "}"


def attr_name(name: str) -> str:
    """A name as written after `containers.`: bare when it is an identifier."""
    return name if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_'-]*", name) and name not in KEYWORDS else nix(name)


def system_path(name: str) -> str:
    return f"/nix/var/nix/profiles/per-container/{name}"


def containers_file(host: dict) -> str:
    lines = [f"  containers.{attr_name(n)} = {nix({'path': system_path(n), **opts})};" for n, opts in host.items()]
    return "{\n" + "\n".join(lines) + "\n}\n"


def expected_model(name: str, opts: dict) -> dict:
    """What the module system must make of `opts` (defaults filled in)."""
    binds = {k: {"mountPoint": k, **b} for k, b in opts.get("bindMounts", {}).items()}
    return Container(**{"path": system_path(name), **opts, "bindMounts": binds}).model_dump()


def render(host: dict, target: str = "nixos"):
    return get_target(target)().artifacts(resolve_string(containers_file(host)))


def texts(artifacts) -> dict[str, str]:
    return {a.path: a.content.decode() for a in artifacts if a.content is not None}


def test_container_name_outside_the_store_name_charset_is_an_error():
    with pytest.raises(NixliteError, match="illegal character"):
        render({"A'": {}})


# --- invariants of one rendering --------------------------------------------------

@SETTINGS
@given(host_st)
def test_module_system_keeps_every_value(host):
    resolved = resolve_string(containers_file(host))
    assert sorted(resolved.containers) == sorted(host)
    for name, opts in host.items():
        assert resolved.containers[name].model_dump() == expected_model(name, opts)


@SETTINGS
@given(host_st)
def test_store_references_resolve_and_follow_the_text_file_rule(host):
    arts = render(host)
    generated = {"/" + a.path: a for a in arts if a.path.startswith("nix/store/")}
    packages = set(StoreProfile.default().packages.values())
    for path, text in texts(arts).items():
        for ref in find_store_paths(text):
            assert ref in generated or ref in packages, f"{path} names {ref}"
    for path, a in generated.items():
        assert STORE_NAME_RE.fullmatch(store_name(path)), path
        refs = [r for r in find_store_paths(a.content.decode()) if r in generated]
        assert a.store_path == path == text_store_path(store_name(path), a.content, refs)
        assert a.mode == (0o755 if a.content.startswith(b"#!") else 0o644)


def conf_keys(opts: dict) -> set[str]:
    keys = {"SYSTEM_PATH", "INTERFACES", "MACVLANS", "EXTRA_NSPAWN_FLAGS"}
    if opts.get("autoStart"):
        keys.add("AUTO_START")
    if opts.get("privateNetwork"):
        keys.add("PRIVATE_NETWORK")
        keys |= {k for opt, k in (("hostBridge", "HOST_BRIDGE"), ("forwardPorts", "HOST_PORT"),
                                  ("hostAddress", "HOST_ADDRESS"), ("hostAddress6", "HOST_ADDRESS6"),
                                  ("localAddress", "LOCAL_ADDRESS"), ("localAddress6", "LOCAL_ADDRESS6"))
                 if opts.get(opt)}
    return keys


@SETTINGS
@given(host_st)
def test_conf_holds_exactly_the_keys_its_options_call_for(host):
    t = texts(render(host))
    for name, opts in host.items():
        conf = t[f"etc/containers/{name}.conf"]
        # split on LF only: a bind-mount path may hold a CR
        keys = [line.split("=", 1)[0] for line in conf.split("\n") if line]
        assert sorted(keys) == sorted(conf_keys(opts)), conf
        assert keys[0] == "SYSTEM_PATH" and keys[-1] == "EXTRA_NSPAWN_FLAGS"


@SETTINGS
@given(host_st)
def test_hosts_lines_sorted_by_container_name(host):
    want = [f"{opts['localAddress'].split('/')[0]} {name}.containers"
            for name, opts in sorted(host.items(), key=lambda kv: kv[0].encode()) if "localAddress" in opts]
    got = texts(render(host)).get("etc/hosts.extraHosts")
    assert (got.splitlines() if got is not None else []) == want


def snapshot(host: dict) -> tuple[list, str]:
    arts = render(host)
    return [(a.path, a.content, a.mode, a.link) for a in arts], manifest_json(build_manifest("nixos", arts))


@settings(max_examples=examples(10), deadline=None)
@given(host_st)
def test_rendering_is_deterministic(host):
    assert snapshot(host) == snapshot(host)


def tree_bytes(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): (os.readlink(p).encode() if p.is_symlink() else p.read_bytes())
            for p in sorted(root.rglob("*")) if p.is_symlink() or p.is_file()}


@settings(max_examples=examples(2), deadline=None)
@given(host_st)
def test_render_bytes_do_not_depend_on_the_hash_seed(host):
    """Two processes with different PYTHONHASHSEEDs write identical trees
    (catches output that follows set or dict-of-set iteration order)."""
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "containers.nix"
        src.write_text(containers_file(host))
        for target in ("nixos", "fhs", "nspawn"):
            trees = []
            for seed in ("0", "4242"):
                out = Path(tmp) / f"{target}-{seed}"
                env = {**os.environ, "PYTHONHASHSEED": seed}
                subprocess.run([sys.executable, "-m", "nixlite", "render", str(src), "--target", target, "-o", str(out)],
                               env=env, check=True, capture_output=True)
                trees.append(tree_bytes(out))
            assert trees[0] == trees[1] and trees[0]
        # and the CLI finds its own NixOS render identical (exit 0, like diff)
        cli = [sys.executable, "-m", "nixlite", "diff", str(src), "--against", str(Path(tmp) / "nixos-0"), "--quiet"]
        assert subprocess.run(cli, capture_output=True).returncode == 0


# --- nixlite diff against a fake NixOS root made from the render ------------------

def _fakeroot():
    if "fakeroot" not in sys.modules:
        spec = importlib.util.spec_from_file_location("fakeroot", Path(__file__).parent / "diff" / "fakeroot.py")
        sys.modules["fakeroot"] = module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    return sys.modules["fakeroot"]


def write_tree(root: Path, artifacts) -> None:
    for a in artifacts:
        dest = root / a.path
        dest.parent.mkdir(parents=True, exist_ok=True)
        if a.content is None:
            dest.symlink_to(a.link)
        else:
            dest.write_bytes(a.content)


def differing(ours, root: Path) -> set[str]:
    report = compare(collect(MemoryTree(ours)), collect(open_tree(str(root))))
    return {r.role or r.label for r in report.rows if r.status != IDENTICAL}


def build_fake_root(tmp: Path, artifacts) -> Path:
    """A NixOS-like root (tests/diff/fakeroot.py) holding `artifacts`, with other hashes."""
    fakeroot = _fakeroot()
    write_tree(tmp / "render" / "case", artifacts)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(fakeroot, "GOLDEN", tmp / "render")
        fakeroot.build_root("case", tmp / "root")
    return tmp / "root"


def _conf_change(c: str, o: dict) -> set[str]:
    """The conf and, for autoStart, the store copy the unit's X-Restart-Triggers names."""
    return {f"conf {c}"} | ({f"container@{c}.service X-Restart-Triggers"} if o.get("autoStart") else set())


def _address_change(c: str, o: dict) -> set[str]:
    conf = _conf_change(c, o) if o.get("privateNetwork") else set()
    return {f"container@{c}.service ExecStartPost", "hosts"} | conf


def _autostart_change(c: str, o: dict) -> set[str]:
    return {f"conf {c}", f"container@{c}.service", f"container@{c}.service X-Restart-Triggers", f"wants {c}"}


#: option -> (its new value given the old options, roles that then differ for container `c`)
MUTATIONS = {
    "timeoutStartSec": (lambda o: "17min", lambda c, o: {f"container@{c}.service"}),
    "tmpfs": (lambda o: ["/mutated"], lambda c, o: {f"container@{c}.service ExecStart"}),
    "extraFlags": (lambda o: ["--mutated"], _conf_change),
    "localAddress": (lambda o: "10.250.250.250/30", _address_change),
    "autoStart": (lambda o: not o.get("autoStart", False), _autostart_change),
}


def mutated(host: dict, name: str, option: str) -> tuple[dict, set[str]]:
    new_value, affected = MUTATIONS[option]
    old = host[name]
    value = new_value(old)
    if old.get(option, Container.model_fields[option].get_default(call_default_factory=True)) == value:
        return host, set()
    return {**host, name: {**old, option: value}}, affected(name, old)


@settings(max_examples=examples(12), deadline=None)
@given(host_st, st.data())
def test_fake_root_diffs_identical_then_reports_one_change(host, data):
    name = data.draw(st.sampled_from(sorted(host)), label="container")
    option = data.draw(st.sampled_from(sorted(MUTATIONS)), label="option")
    with tempfile.TemporaryDirectory() as tmp:
        write_tree(Path(tmp) / "plain", render(host))  # the render output itself, CRs and all
        assert differing(render(host), Path(tmp) / "plain") == set()
        root = build_fake_root(Path(tmp), render(host))
        roles = {p.role for p in collect(open_tree(str(root)))}
        assert {f"conf {n}" for n in host} | {f"container@{n}.service" for n in host} <= roles
        assert differing(render(host), root) == set()
        changed, want = mutated(host, name, option)
        assert differing(render(changed), root) == want


@settings(max_examples=examples(8), deadline=None)
@given(host_st, name_st, container_st, st.data())
def test_fake_root_reports_an_added_or_removed_container(host, new, opts, data):
    assume(new not in host)
    gone = data.draw(st.sampled_from(sorted(host)), label="removed")
    with tempfile.TemporaryDirectory() as tmp:
        root = build_fake_root(Path(tmp), render(host))
        assert differing(render({**host, new: opts}), root) == {f"container {new}"}
        rest = {n: o for n, o in host.items() if n != gone}
        if rest:
            assert differing(render(rest), root) == {f"container {gone}"}


def test_removed_container_is_one_finding_even_with_the_only_hosts_line(tmp_path):
    root = build_fake_root(tmp_path, render({"b": {"localAddress": "10.0.0.2"}, "c": {}}))
    assert differing(render({"c": {}}), root) == {"container b"}


@settings(max_examples=examples(8), deadline=None)
@given(host_st)
def test_learned_store_paths_reproduce_the_build_byte_for_byte(host):
    """Issue 6: after learning the build's store paths, rendering the same
    file reproduces every artifact, hashes included."""
    from nixlite.diff import learn_profile
    with tempfile.TemporaryDirectory() as tmp:
        root = build_fake_root(Path(tmp), render(host))
        theirs = collect(open_tree(str(root)))
        assert {p.kind for p in theirs} >= {"conf", "unit", "start", "container-init", "reload"}
        profile = StoreProfile.default().overridden(learn_profile(theirs, {}))
        arts = get_target("nixos")(profile=profile).artifacts(resolve_string(containers_file(host)))
        ours = {p.role: p for p in collect(MemoryTree(arts))}
        for piece in theirs:
            if piece.kind in ("hosts", "overrides"):  # host-wide files hold other modules' lines
                continue
            assert ours[piece.role].data == piece.data, piece.role
            assert ours[piece.role].store_path == piece.store_path, piece.role


# --- fhs scripts under shellcheck -------------------------------------------------

@SETTINGS
@given(host_st)
def test_fhs_tree_has_no_store_and_every_exec_is_a_script_in_it(host):
    arts = {a.path: a for a in render(host, "fhs")}
    assert not [p for p in arts if p.startswith("nix/")]
    for a in arts.values():
        if a.kind != "unit":
            continue
        for cmd in re.findall(r"^Exec[A-Za-z]*=[-@:+!]*(\S+)", a.content.decode(), re.M):
            if cmd.startswith("/usr/local/lib/nixlite/"):
                assert arts[cmd.lstrip("/")].mode == 0o755, cmd
            else:  # a host tool at its Debian path (issue 7)
                assert cmd.startswith(("/bin/", "/usr/bin/", "/sbin/", "/usr/sbin/")), cmd


@pytest.mark.skipif(shutil.which("shellcheck") is None, reason="shellcheck not installed")
@settings(max_examples=examples(8), deadline=None)
@given(host_st)
def test_fhs_scripts_pass_shellcheck(host):
    scripts = [a for a in render(host, "fhs") if a.path.startswith("usr/local/lib/nixlite/") and a.content]
    assert scripts
    with tempfile.TemporaryDirectory() as tmp:
        files = []
        for i, a in enumerate(scripts):
            files.append(Path(tmp) / f"{i}-{Path(a.path).name}")
            files[-1].write_bytes(a.content)
        run = subprocess.run(["shellcheck", "-S", "error", *map(str, files)], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout
