r"""The shell scripts of the 2020 containers module, built from a container.

Each function returns a `Writer` holding the text the module's Nix indented
string evaluates to (fixtures/SPEC.md §1 and §3).  The fixed parts below are
that text *after* Nix's de-indentation; the slots are filled from the
container.  Two Nix facts shape the odd-looking layout:

* an interpolated value is inserted verbatim: its own lines are not
  re-indented (hence the "mis-indented" `fi` after an unset address and the
  flush-left extra-veth blocks);
* an interpolation yielding "" leaves the rest of its line, so an unused
  nspawn flag slot still writes `␣␣␣\`.

The template unit (`container@`) renders the same functions with the
module's template values (`TEMPLATE_VALUES`): no extra veths, no
capabilities, not ephemeral, no tmpfs, no addresses.

Option paths given as origins are relative to `containers.<name>`.
"""
from __future__ import annotations

from nixlite.modules.schema import Container, ExtraVeth

from .writer import Writer

#: the values the module renders the template unit's scripts with
TEMPLATE_VALUES = Container.model_construct(path="", timeoutStartSec="15s")  # literal, valid: no validator needed

START_HEAD = r"""mkdir -p -m 0755 "$root/etc" "$root/var/lib"
mkdir -p -m 0700 "$root/var/lib/private" "$root/root" /run/containers
if ! [ -e "$root/etc/os-release" ]; then
  touch "$root/etc/os-release"
fi

if ! [ -e "$root/etc/machine-id" ]; then
  touch "$root/etc/machine-id"
fi

mkdir -p -m 0755 \
  "/nix/var/nix/profiles/per-container/$INSTANCE" \
  "/nix/var/nix/gcroots/per-container/$INSTANCE"

cp --remove-destination /etc/resolv.conf "$root/etc/resolv.conf"

if [ "$PRIVATE_NETWORK" = 1 ]; then
  extraFlags+=" --private-network"
fi

if [ -n "$HOST_ADDRESS" ]  || [ -n "$LOCAL_ADDRESS" ] ||
   [ -n "$HOST_ADDRESS6" ] || [ -n "$LOCAL_ADDRESS6" ]; then
  extraFlags+=" --network-veth"
fi

if [ -n "$HOST_PORT" ]; then
  OIFS=$IFS
  IFS=","
  for i in $HOST_PORT
  do
      extraFlags+=" --port=$i"
  done
  IFS=$OIFS
fi

if [ -n "$HOST_BRIDGE" ]; then
  extraFlags+=" --network-bridge=$HOST_BRIDGE"
fi

"""

START_IFACES = r"""for iface in $INTERFACES; do
  extraFlags+=" --network-interface=$iface"
done

for iface in $MACVLANS; do
  extraFlags+=" --network-macvlan=$iface"
done

# If the host is 64-bit and the container is 32-bit, add a
# --personality flag.
"""

#: only on an x86_64-linux host
START_PERSONALITY = r"""if [ "$(< ${SYSTEM_PATH:-/nix/var/nix/profiles/per-container/$INSTANCE/system}/system)" = i686-linux ]; then
  extraFlags+=" --personality=x86"
fi
"""

START_EXEC_COMMENT = r"""

# Run systemd-nspawn without startup notification (we'll
# wait for the container systemd to signal readiness).
"""

START_FIXED_FLAGS = r"""  --keep-unit \
  -M "$INSTANCE" -D "$root" $extraFlags \
  $EXTRA_NSPAWN_FLAGS \
  --notify-ready=yes \
  --bind-ro=/nix/store \
  --bind-ro=/nix/var/nix/db \
  --bind-ro=/nix/var/nix/daemon-socket \
  --bind="/nix/var/nix/profiles/per-container/$INSTANCE:/nix/var/nix/profiles" \
  --bind="/nix/var/nix/gcroots/per-container/$INSTANCE:/nix/var/nix/gcroots" \
"""

START_SETENV = r"""  --setenv PRIVATE_NETWORK="$PRIVATE_NETWORK" \
  --setenv HOST_BRIDGE="$HOST_BRIDGE" \
  --setenv HOST_ADDRESS="$HOST_ADDRESS" \
  --setenv LOCAL_ADDRESS="$LOCAL_ADDRESS" \
  --setenv HOST_ADDRESS6="$HOST_ADDRESS6" \
  --setenv LOCAL_ADDRESS6="$LOCAL_ADDRESS6" \
  --setenv HOST_PORT="$HOST_PORT" \
  --setenv PATH="$PATH" \
"""

START_INIT_ARG = ' "${SYSTEM_PATH:-/nix/var/nix/profiles/system}/init"\n'

PRE_START_HEAD = r"""# Clean up existing machined registration and interfaces.
machinectl terminate "$INSTANCE" 2> /dev/null || true

if [ -n "$HOST_ADDRESS" ]  || [ -n "$LOCAL_ADDRESS" ] ||
   [ -n "$HOST_ADDRESS6" ] || [ -n "$LOCAL_ADDRESS6" ]; then
  ip link del dev "ve-$INSTANCE" 2> /dev/null || true
  ip link del dev "vb-$INSTANCE" 2> /dev/null || true
fi

"""

POST_START_HEAD = r"""if [ -n "$HOST_ADDRESS" ]  || [ -n "$LOCAL_ADDRESS" ] ||
   [ -n "$HOST_ADDRESS6" ] || [ -n "$LOCAL_ADDRESS6" ]; then
  if [ -z "$HOST_BRIDGE" ]; then
    ifaceHost=ve-$INSTANCE
    ip link set dev $ifaceHost up

"""

INIT_HEAD = r"""
# Initialise the container side of the veth pair.
if [ -n "$HOST_ADDRESS" ]   || [ -n "$HOST_ADDRESS6" ]  ||
   [ -n "$LOCAL_ADDRESS" ]  || [ -n "$LOCAL_ADDRESS6" ] ||
   [ -n "$HOST_BRIDGE" ]; then
  ip link set host0 name eth0
  ip link set dev eth0 up

  if [ -n "$LOCAL_ADDRESS" ]; then
    ip addr add $LOCAL_ADDRESS dev eth0
  fi
  if [ -n "$LOCAL_ADDRESS6" ]; then
    ip -6 addr add $LOCAL_ADDRESS6 dev eth0
  fi
  if [ -n "$HOST_ADDRESS" ]; then
    ip route add $HOST_ADDRESS dev eth0
    ip route add default via $HOST_ADDRESS
  fi
  if [ -n "$HOST_ADDRESS6" ]; then
    ip -6 route add $HOST_ADDRESS6 dev eth0
    ip -6 route add default via $HOST_ADDRESS6
  fi

"""

INIT_TAIL = r"""
fi

# Start the regular stage 1 script.
exec "$1"
"""

#: (option, ip command, shell variable) of the post-start address slots, in order
HOST_SIDE_SLOTS = (
    ("hostAddress", "ip addr", "$HOST_ADDRESS"),
    ("hostAddress6", "ip -6 addr", "$HOST_ADDRESS6"),
    ("localAddress", "ip route", "$LOCAL_ADDRESS"),
    ("localAddress6", "ip -6 route", "$LOCAL_ADDRESS6"),
)


def shebang(shell: str) -> str:
    return f"#! {shell} -e\n"


def unit_script(shell: str, body: Writer) -> Writer:
    """A systemd unit script file: shebang, the hook's text, one newline."""
    return Writer().write(shebang(shell)).extend(body).line()


def sorted_veths(cfg: Container) -> list[tuple[str, ExtraVeth]]:
    return sorted(cfg.extraVeths.items(), key=lambda kv: kv[0].encode())


def flag_slot(w: Writer, flag: str, origin: str) -> None:
    """`␣␣<flag>␣\\⏎`; an empty flag leaves `␣␣␣\\⏎`."""
    w.write("  ").write(flag, origin).write(" \\\n")


# --- start ---------------------------------------------------------------------

def start_script(cfg: Container, *, nspawn: str, init: str, personality: bool) -> Writer:
    """The `script` hook: prepare the root, collect flags, exec systemd-nspawn.
    `nspawn` is the systemd-nspawn program, `init` the container-init path."""
    w = Writer().write(START_HEAD)
    veth_flags = " ".join(f"--network-veth-extra={name}" for name, _ in sorted_veths(cfg))
    w.write('extraFlags+=" ').write(veth_flags, "extraVeths").write('"\n\n')
    w.write(START_IFACES)
    if personality:
        w.write(START_PERSONALITY, "system")
    w.write(START_EXEC_COMMENT).line(f"exec {nspawn} \\").write(START_FIXED_FLAGS)
    flag_slot(w, "" if cfg.ephemeral else "--link-journal=try-guest", "ephemeral")
    w.write(START_SETENV)
    write_optional_flags(w, cfg)
    return w.write("  ").write(init).write(START_INIT_ARG)


def write_optional_flags(w: Writer, cfg: Container) -> None:
    caps = cfg.additionalCapabilities
    flag_slot(w, "--ephemeral" if cfg.ephemeral else "", "ephemeral")
    flag_slot(w, f'--capability="{",".join(caps)}"' if caps else "", "additionalCapabilities")
    flag_slot(w, "--tmpfs=" + " --tmpfs=".join(cfg.tmpfs) if cfg.tmpfs else "", "tmpfs")


# --- pre-start / pre-stop ------------------------------------------------------

def pre_start_script(cfg: Container) -> Writer:
    """The `preStart` hook: drop a stale machine registration and veths."""
    lines = [f"ip link del dev {name} 2> /dev/null || true " for name, _ in sorted_veths(cfg)]
    return Writer().write(PRE_START_HEAD).write("\n".join(lines), "extraVeths").line()


def pre_stop_script() -> Writer:
    """The `preStop` hook (no trailing newline of its own)."""
    return Writer().write("machinectl poweroff $INSTANCE")


# --- post-start ----------------------------------------------------------------

def ip_call(cfg: Container, option: str, cmd: str, variable: str) -> str:
    """One host-side address slot: the literal command when the option is
    set, else a runtime test of the variable (its lines not re-indented)."""
    value = getattr(cfg, option)
    if value is not None:
        return f"{cmd} add {value} dev $ifaceHost"
    return f'if [ -n "{variable}" ]; then\n  {cmd} add {variable} dev $ifaceHost\nfi\n'


def post_start_veth(name: str, veth: ExtraVeth) -> str:
    """Host side of one extra veth: join a bridge, or set addresses/routes."""
    if veth.hostBridge is not None:
        return f"# Add {name} to bridge {veth.hostBridge}\nip link set dev {name} master {veth.hostBridge} up\n"
    head = f'echo "Bring {name} up"\nip link set dev {name} up\n# Set IPs and routes for {name}\n'
    return head + "".join(
        (f"{cmd} add {getattr(veth, option)} dev {name}\n" if getattr(veth, option) is not None else "") + "\n"
        for option, cmd, _ in HOST_SIDE_SLOTS)


def post_start_script(cfg: Container) -> Writer:
    """The `postStart` hook: bring the host end of the veth pair(s) up."""
    w = Writer().write(POST_START_HEAD)
    for option, cmd, variable in HOST_SIDE_SLOTS:
        w.write("    ").write(ip_call(cfg, option, cmd, variable), option).line()
    w.write("  fi\n  ")
    blocks = [post_start_veth(name, veth) for name, veth in sorted_veths(cfg)]
    return w.write("\n".join(blocks), "extraVeths").write("\nfi\n")


# --- container-init and reload -------------------------------------------------

#: (option, message, ip command) of the container-side veth slots, in order
CONTAINER_SIDE_SLOTS = (
    ("localAddress", "Setting ip for", "ip addr"),
    ("localAddress6", "Setting ip6 for", "ip -6 addr"),
    ("hostAddress", "Setting route to host for", "ip route"),
    ("hostAddress6", "Setting route6 to host for", "ip -6 route"),
)


def init_veth(name: str, veth: ExtraVeth) -> str:
    """Container side of one extra veth: bring it up, set address and route."""
    out = [f'echo "Bringing {name} up"\nip link set dev {name} up\n']
    for option, message, cmd in CONTAINER_SIDE_SLOTS:
        value = getattr(veth, option)
        if value is not None:
            out.append(f'echo "{message} {name}"\n{cmd} add {value} dev {name}\n')
        out.append("\n")
    return "".join(out)


def container_init(cfg: Container, shell: str) -> Writer:
    """The init wrapper run inside the container before stage 2; the same
    file for every container without extra veths."""
    blocks = [init_veth(name, veth) for name, veth in sorted_veths(cfg)]
    w = Writer().write(shebang(shell)).write(INIT_HEAD).write("  ")
    return w.write("\n".join(blocks), "extraVeths").write(INIT_TAIL)


def reload_container(shell: str, nixos_container: str) -> Writer:
    """ExecReload: switch the running container to its current configuration."""
    return (Writer().write(shebang(shell))
            .line(f'{nixos_container} run "$INSTANCE" -- \\')
            .line('  bash --login -c "${SYSTEM_PATH:-/nix/var/nix/profiles/system}/bin/switch-to-configuration test"'))
