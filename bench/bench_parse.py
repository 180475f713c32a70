#!/usr/bin/env python3
"""Parser benchmark (a script, not a test): nixlite against `nix-instantiate --parse`.

    python bench/bench_parse.py [--size-mb 2.5] [--repeat 3]

Prints, side by side with Nix:
* throughput (MB/s) on a generated module-like Nix file of >= 2 MB;
* time to first parse in a fresh process: `python -c` parsing the NixOS
  containers module (the seed, its 15-line header stripped), i.e. Python
  start-up + imports + loading the cached parse table + parsing;
Targets: >= 1 MB/s, first parse of the seed <= 0.25 s wall.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SEED = Path("/work/shared/seed/nixos-containers.nix.txt")
HEADER_LINES = 15

_MODULE = """\
  # --- service {i} -------------------------------------------------------------
  options.services.svc{i} = {{
    enable = mkEnableOption "service number {i}";
    port = mkOption {{
      type = types.port;
      default = {port};
      description = "Port of service {i} (see <https://example.org/{i}>).";
    }};
    extraArgs = mkOption {{
      type = with types; listOf str;
      default = [ "--verbose" "--level=${{toString {i}}}" ];
    }};
    settings = mkOption {{
      type = types.attrsOf (types.either types.str types.int);
      default = {{ }};
    }};
  }};
  config.systemd.services.svc{i} = mkIf cfg{i}.enable {{
    description = "Service {i}";
    wantedBy = [ "multi-user.target" ];
    after = [ "network.target" ] ++ optional (cfg{i}.port > 1024) "firewall.service";
    environment = {{ PORT = toString cfg{i}.port; HOME = "/var/lib/svc{i}"; }};
    serviceConfig = {{
      ExecStart = "${{pkgs.svc}}/bin/svc --port ${{toString cfg{i}.port}} ${{concatStringsSep " " cfg{i}.extraArgs}}";
      Restart = if cfg{i}.port == {port} then "always" else "on-failure";
      DynamicUser = true;
    }};
    preStart = ''
      mkdir -p /var/lib/svc{i}
      ${{optionalString (cfg{i}.settings != {{ }}) ''
        cat > /var/lib/svc{i}/config.json <<EOF
        ${{builtins.toJSON cfg{i}.settings}}
        EOF
      ''}}
      echo "svc{i}: ''${{PORT:-{port}}}" >&2
    '';
  }};
  config.networking.firewall.allowedTCPPorts = mkIf (cfg{i}.enable && !cfg{i}.hidden or false)
    (map (p: p + {i} * 2 - 1) [ cfg{i}.port ({port} / 2) ]);
"""


def generate(size_mb: float) -> str:
    """A module-like file: a `let` over many services, one module each in `imports`."""
    parts, total, i = [], 0, 0
    while total < size_mb * 1_000_000:
        block = "  {\n" + _MODULE.format(i=i, port=1024 + i % 50000) + "  }\n"
        parts.append(block)
        total += len(block)
        i += 1
    lets = "\n".join(f"  cfg{j} = config.services.svc{j};" for j in range(i))
    return ("{ config, lib, pkgs, ... }:\nwith lib;\nlet\n" + lets + "\nin\n{\nimports = [\n"
            + "".join(parts) + "];\n}\n")


def best_of(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def nixlite_throughput(path: Path, repeat: int) -> float:
    from nixlite.syntax.parse import parse
    text = path.read_text()
    return best_of(lambda: parse(text, str(path)), repeat)


def nix_time(path: Path, repeat: int) -> float | None:
    exe = shutil.which("nix-instantiate")
    if exe is None:
        return None
    env = dict(os.environ, NIX_REMOTE="", NIX_PATH="")

    def run():
        subprocess.run([exe, "--parse", str(path)], stdout=subprocess.DEVNULL, check=True, env=env)
    return best_of(run, repeat)


def fresh_nixlite(path: Path, repeat: int) -> float:
    code = ("import sys; from nixlite.syntax.parse import parse; "
            f"parse(open({str(path)!r}).read(), {str(path)!r})")
    subprocess.run([sys.executable, "-c", code], check=True)   # warms the table cache
    return best_of(lambda: subprocess.run([sys.executable, "-c", code], check=True), repeat)


def row(what: str, ours: float, nix: float | None, unit: str, higher_is_better: bool = False) -> str:
    theirs = f"{nix:10.3f} {unit}" if nix is not None else "   n/a      "
    slowdown = (nix / ours if higher_is_better else ours / nix) if nix else None
    ratio = f"{slowdown:8.1f}x" if slowdown else "     n/a"
    return f"{what:<40} {ours:10.3f} {unit}   {theirs}   {ratio}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size-mb", type=float, default=2.5)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "module.nix"
        big.write_text(generate(args.size_mb))
        seed = Path(tmp) / "nixos-containers.nix"
        seed.write_text(SEED.read_text().split("\n", HEADER_LINES)[HEADER_LINES])
        size = big.stat().st_size / 1e6
        ours, nix = nixlite_throughput(big, args.repeat), nix_time(big, args.repeat)
        print(f"generated module: {size:.2f} MB; seed: {seed.stat().st_size / 1e3:.1f} kB\n")
        print(f"{'':<40} {'nixlite':>15}   {'nix 2.8':>15}   {'slowdown':>9}")
        print(row("parse, generated module", ours, nix, "s   "))
        print(row("throughput (nix: incl. process start)", size / ours, size / nix if nix else None,
                  "MB/s", higher_is_better=True))
        print(row("fresh process, first parse of the seed", fresh_nixlite(seed, args.repeat),
                  nix_time(seed, args.repeat), "s   "))
        print("\ntargets: >= 1 MB/s; fresh first parse of the seed <= 0.25 s")


if __name__ == "__main__":
    main()
