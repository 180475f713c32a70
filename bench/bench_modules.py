"""Benchmark: resolve a containers.nix of 500 containers with every option set.

    python bench/bench_modules.py [--containers 500] [--runs 3]

Each run is a fresh `python -c` process calling
`nixlite.modules.containers.resolve_file`, so imports, parsing, evaluation,
the module system and pydantic validation are all counted (the child also
reports the parse and module-system shares); wall time and the child's peak RSS (resource.getrusage RUSAGE_CHILDREN, which reports the
largest child) are printed.  Children run from compiled bytecode, as an
installed nixlite does (one untimed run compiles it; `--no-bytecode` to
recompile in every child).  Target: <= 1 s and <= 200 MB.
"""
from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time


def container(i: int) -> str:
    a, b = divmod(i, 250)
    return f"""  c{i:03d} = {{
    path = "/nix/var/nix/profiles/per-container/c{i:03d}";
    privateNetwork = true;
    hostAddress = "10.{a}.{b}.1";
    localAddress = "10.{a}.{b}.2/24";
    hostAddress6 = "fc00::{i:x}:1";
    localAddress6 = "fc00::{i:x}:2";
    hostBridge = null;
    forwardPorts = [ {{ protocol = "tcp"; hostPort = {10000 + i}; containerPort = 80; }} {{ protocol = "udp"; hostPort = {20000 + i}; }} ];
    extraVeths.ve{i:03d} = {{ hostAddress = "10.200.{b}.1"; localAddress = "10.200.{b}.2"; hostAddress6 = null; localAddress6 = null; hostBridge = null; forwardPorts = [ ]; }};
    interfaces = [ "eth{i}" ];
    macvlans = [ "mv{i}" ];
    bindMounts."/data" = {{ hostPath = "/srv/data/{i}"; isReadOnly = false; mountPoint = "/data"; }};
    bindMounts."/ro" = {{ }};
    allowedDevices = [ {{ node = "/dev/fuse"; modifier = "rwm"; }} ];
    enableTun = true;
    additionalCapabilities = [ "CAP_SYS_TIME" ];
    tmpfs = [ "/var/tmp" ];
    extraFlags = [ "--private-users=pick" ];
    timeoutStartSec = "3min";
    autoStart = {"true" if i % 2 else "false"};
    ephemeral = false;
    pkgs = null;
  }};
"""


def generate(n: int) -> str:
    return "{ lib, ... }:\n{\n containers = {\n" + "".join(container(i) for i in range(n)) + " };\n}\n"


CHILD = """
import gc, sys, time
t0 = time.perf_counter()
from nixlite.modules.containers import resolve_file
from nixlite.syntax.parse import parse_file
t1 = time.perf_counter()
gc.disable(); parse_file(sys.argv[1]); gc.enable()   # cached: resolve_file reuses the tree
t2 = time.perf_counter()
host = resolve_file(sys.argv[1])
t3 = time.perf_counter()
assert len(host.containers) == int(sys.argv[2]), len(host.containers)
print(f"{t1 - t0:.3f} {t2 - t1:.3f} {t3 - t2:.3f}")
"""


def child_env(bytecode_dir: str | None) -> dict[str, str]:
    """Children run from compiled bytecode, as an installed nixlite does (pip
    compiles at install time), kept in `bytecode_dir`; None keeps this
    environment's setting (a checkout under PYTHONDONTWRITEBYTECODE
    recompiles every module in every process)."""
    env = dict(os.environ)
    if bytecode_dir is not None:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = bytecode_dir
    return env


def run_once(path: str, n: int, env: dict[str, str] | None = None) -> tuple[float, list[float]]:
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", CHILD, path, str(n)], check=True, capture_output=True,
                         text=True, env=env)
    return time.perf_counter() - start, [float(x) for x in out.stdout.split()]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--containers", type=int, default=500)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--no-bytecode", action="store_true", help="recompile nixlite in every child")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "containers.nix")
        with open(path, "w") as f:
            f.write(generate(args.containers))
        env = child_env(None if args.no_bytecode else os.path.join(d, "bytecode"))
        if not args.no_bytecode:
            run_once(path, args.containers, env)  # untimed: compiles the bytecode
        runs = sorted(run_once(path, args.containers, env) for _ in range(args.runs))
    rss_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    best, (imp, parse, resolve) = runs[0]
    print(f"{args.containers} containers: best {best:.3f} s, median {runs[len(runs) // 2][0]:.3f} s, "
          f"peak RSS {rss_mb:.0f} MB (target <= 1 s, <= 200 MB)"
          f"{'; bytecode recompiled in every run' if args.no_bytecode else ''}")
    print(f"  best run: imports {imp:.3f} s, parsing {parse:.3f} s, module system + models {resolve:.3f} s")


if __name__ == "__main__":
    main()
