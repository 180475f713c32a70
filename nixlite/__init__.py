"""nixlite: a pure-Python Nix evaluator and NixOS-containers translator.

The pipeline, phase by phase (each a subpackage; no phase imports a later one):
source -> `syntax` (parse) -> `eval` (lazy evaluation, `builtins`) ->
`modules` (NixOS module system, container schema) -> `translate` (targets)
-> `cli`.  `nixlite.api` glues them in a few short functions.
"""
__version__ = "0.1.0"
