"""Microbenchmarks of the evaluator: nixlite against nix-instantiate (Nix 2.8).

    python bench/bench_eval.py [--repeat N]

Each benchmark is one expression evaluated with `--strict` by both (nixlite
in-process, Nix as a subprocess whose ~15 ms start-up is subtracted using an
empty expression); prints both times and the ratio (target: <= 30x).  Then
times a fresh `nixlite eval -E '1 + 1'` process (target: <= 0.2 s).
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time

BENCHMARKS = {
    "fib 20": "let fib = n: if n < 2 then n else fib (n - 1) + fib (n - 2); in fib 20",
    # bigger than the list, so that Nix's own time is well above timer noise
    "fib 25 (extra)": "let fib = n: if n < 2 then n else fib (n - 1) + fib (n - 2); in fib 25",
    "attrs 10k build+merge": (
        "let a = builtins.listToAttrs (builtins.genList (i: { name = \"k${toString i}\"; value = i; }) 10000);"
        " b = builtins.mapAttrs (n: v: v * 2) a; c = a // b // { extra = 1; };"
        " in builtins.length (builtins.attrNames c) + c.k9999"),
    "foldl' 100k": "builtins.foldl' (a: b: a + b) 0 (builtins.genList (x: x) 100000)",
    "string building": (
        "builtins.stringLength (builtins.foldl' (acc: i: acc + toString i + \",\") \"\""
        " (builtins.genList (x: x) 20000))"),
    "sort 10k": (
        "let xs = builtins.genList (i: (i * 7919) - (i / 13) * 13 * 7919) 10000;"
        " in builtins.head (builtins.sort builtins.lessThan xs)"),
}


def time_nixlite(expr: str, repeat: int) -> float:
    from nixlite.eval.evaluator import Evaluator
    from nixlite.eval.interp import run_deep
    from nixlite.eval.printer import print_value
    best = float("inf")
    for _ in range(repeat):
        ev = Evaluator(use_nix_path_env=False)
        t = time.perf_counter()
        run_deep(lambda: print_value(ev.eval_string(expr), strict=True))
        best = min(best, time.perf_counter() - t)
    return best


def time_nix(nix: str, expr: str, repeat: int) -> float:
    best = float("inf")
    env = dict(os.environ, NIX_PATH="")
    for _ in range(repeat):
        t = time.perf_counter()
        subprocess.run([nix, "--eval", "--strict", "-E", expr], check=True, capture_output=True, env=env)
        best = min(best, time.perf_counter() - t)
    return best


def time_startup(repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "nixlite", "eval", "-E", "1 + 1"], check=True, capture_output=True)
        best = min(best, time.perf_counter() - t)
    return best


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    nix = shutil.which("nix-instantiate")
    base = time_nix(nix, "0", args.repeat) if nix else 0.0
    print(f"{'benchmark':24} {'nixlite':>9} {'nix':>9} {'ratio':>7}")
    for name, expr in BENCHMARKS.items():
        ours = time_nixlite(expr, args.repeat)
        if nix:
            theirs = max(time_nix(nix, expr, args.repeat) - base, 1e-3)
            print(f"{name:24} {ours:8.3f}s {theirs:8.3f}s {ours / theirs:6.1f}x")
        else:
            print(f"{name:24} {ours:8.3f}s {'-':>9} {'-':>7}")
    print(f"{'startup: eval -E 1 + 1':24} {time_startup(args.repeat):8.3f}s  (target <= 0.2 s)")


if __name__ == "__main__":
    main()
