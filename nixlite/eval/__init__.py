"""nixlite.eval: the lazy evaluator (phase 2 of the pipeline).

Public API (what the module system and the CLI use):

* `interp.evaluate(node, ev=None)`, `interp.eval_file(path)`,
  `interp.eval_string(text, file, base_dir)`: values in weak head normal form;
  `interp.call(f, arg)` applies a function value; `interp.force_deep(v)`.
* `evaluator.Evaluator` / `interp.make_base_env(search_path, overrides)`:
  a base environment (globals, search path, import cache); `ev.provide(name,
  factory)` makes `<name>` import to a Python-built value (e.g. `nixpkgs/lib`).
* `printer.print_value(v, strict)` / `printer.to_json(v)`: exactly what
  `nix-instantiate --eval [--strict] [--json]` prints.
* `deep.run_deep(fn, ...)`: run a large evaluation on a big stack.

Modules: `values` (representation), `env` (static scopes), `interp`
(compiler to closures), `binops`/`ops` (operator semantics), `printer`,
`files` (paths, search path, store paths of sources), `show` (expressions in
messages), `evaluator` (base environment and file cache).
"""
