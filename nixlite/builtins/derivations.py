"""`derivation` and `derivationStrict`, with real store paths.

Facts mirrored from Nix 2.8 (`primops.cc` derivationStrict, `derivations.cc`):
every attribute except `args` becomes an environment variable via
`toString`-like coercion (paths are copied to the store); string contexts
become the input sources and input derivations; the output paths are
`makeStorePath("output:<out>", H, name[-out])` where H is the sha256 of the
derivation's ATerm with empty outputs and every input derivation replaced by
its own such hash ("hash modulo"); the `.drv` path is the text store path of
the final ATerm with the inputs as references.  A fixed-output derivation
(`outputHash`, in hex, Nix base-32, base-64 or SRI form) gets Nix's
fixed-output path instead, and its hash modulo is that of its output.

`derivation` wraps the result like Nix's corepkgs `derivation.nix`: one set
per output sharing the original attributes plus `all`, `drvAttrs`, `outPath`,
`drvPath`, `type = "derivation"` and `outputName`.
"""
from __future__ import annotations

import hashlib

from ..errors import EvalError
from ..eval import ops
from ..eval.values import Attrs, ContextStr, Lazy, NixList, force, string_context
from ..storepaths import make_store_path, text_store_path
from . import builtin

#: drv path -> its hash modulo (hex), for derivations used as inputs of others.
DRV_HASHES: dict[str, str] = {}


def _q(s: str) -> str:
    s = s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
    return f'"{s}"'


def _list(items) -> str:
    return "[" + ",".join(items) + "]"


def unparse(drv: dict, inputs: dict[str, list[str]]) -> str:
    """The ATerm text of a derivation (`Derive(...)`)."""
    fixed = drv.get("fixed")
    outs = _list(f"({_q(o)},{_q(p)},{_q(fixed[0] if fixed else '')},{_q(fixed[1] if fixed else '')})"
                 for o, p in sorted(drv["outputs"].items()))
    ins = _list(f"({_q(k)},{_list(_q(o) for o in sorted(v))})" for k, v in sorted(inputs.items()))
    srcs = _list(_q(s) for s in sorted(drv["srcs"]))
    env = _list(f"({_q(k)},{_q(v)})" for k, v in sorted(drv["env"].items()))
    args = _list(_q(a) for a in drv["args"])
    return f"Derive({outs},{ins},{srcs},{_q(drv['system'])},{_q(drv['builder'])},{args},{env})"


def _modulo_inputs(drv: dict) -> dict[str, list[str]]:
    return {DRV_HASHES.get(p, p): outs for p, outs in drv["drvs"].items()}


def _collect(d: dict) -> dict:
    drv = {"env": {}, "args": [], "srcs": set(), "drvs": {}, "outputs_list": ["out"]}
    ctx: set[str] = set()
    ignore_nulls = "__ignoreNulls" in d and force(d["__ignoreNulls"]) is True
    for key in sorted(d):
        if key == "__ignoreNulls":
            continue
        v = force(d[key])
        if ignore_nulls and v is None:
            continue
        if key == "args":
            for a in ops.expect_list(v):
                s = ops.coerce_to_string(a, more=True)
                ctx |= string_context(s)
                drv["args"].append(str(s))
            continue
        s = ops.coerce_to_string(v, more=True)
        ctx |= string_context(s)
        drv["env"][key] = str(s)
        if key == "outputs":
            drv["outputs_list"] = _outputs(str(s))
    _inputs(drv, ctx)
    return drv


def _outputs(s: str) -> list[str]:
    outs = s.split()
    if not outs or len(set(outs)) != len(outs) or "drv" in outs:
        raise EvalError(f"invalid derivation outputs '{s}'")
    return outs


def _inputs(drv: dict, ctx: set[str]) -> None:
    for c in ctx:
        if c.startswith("!"):
            out, _, path = c[1:].partition("!")
            drv["drvs"].setdefault(path, []).append(out)
        else:
            drv["srcs"].add(c.lstrip("="))


def derivation_strict(attrs: Attrs) -> Attrs:
    d = ops.expect_attrs(attrs).d
    if "name" not in d:  # Nix 2.8 reads `name` as a plain argument of derivationStrict
        raise ops.missing_for_call("name", "derivationStrict")
    for required in ("builder", "system"):
        if required not in d:
            raise EvalError(f"required attribute '{required}' missing")
    name = ops.expect_str(force(d["name"]))
    drv = _collect(d)
    drv["builder"], drv["system"] = drv["env"]["builder"], drv["env"]["system"]
    if "outputHash" in drv["env"]:
        return _fixed_output(name, drv)
    drv["outputs"] = {o: "" for o in drv["outputs_list"]}
    for o in drv["outputs_list"]:
        drv["env"][o] = ""
    h = hashlib.sha256(unparse(drv, _modulo_inputs(drv)).encode()).hexdigest()
    from ..storepaths import check_store_path
    for o in drv["outputs_list"]:
        p = check_store_path(make_store_path(f"output:{o}", h, name if o == "out" else f"{name}-{o}"))
        drv["outputs"][o] = drv["env"][o] = p
    return _finish(name, drv, None)


def _finish(name: str, drv: dict, modulo: str | None) -> Attrs:
    """Write (in thought) the .drv: its path, and the strings pointing at it."""
    text = unparse(drv, drv["drvs"])
    drv_path = text_store_path(name + ".drv", text, sorted(drv["srcs"] | set(drv["drvs"])))
    DRV_HASHES[drv_path] = modulo or hashlib.sha256(unparse(drv, _modulo_inputs(drv)).encode()).hexdigest()
    res = {o: ContextStr(p, frozenset([f"!{o}!{drv_path}"])) for o, p in drv["outputs"].items()}
    res["drvPath"] = ContextStr(drv_path, frozenset(["=" + drv_path]))
    return Attrs(res)


# --- fixed-output derivations --------------------------------------------------------

HASH_SIZES = {"md5": 16, "sha1": 20, "sha256": 32, "sha512": 64}


def _nix32_decode(s: str, size: int) -> bytes:
    from ..storepaths import BASE32_CHARS
    out = bytearray(size)
    for k, ch in enumerate(s):
        d = BASE32_CHARS.find(ch)
        if d < 0:
            raise EvalError(f"invalid base-32 hash '{s}'")
        i, j = divmod((len(s) - 1 - k) * 5, 8)
        out[i] |= (d << j) & 0xFF
        if i + 1 < size:
            out[i + 1] |= d >> (8 - j)
    return bytes(out)


def parse_hash(text: str, algo: str) -> tuple[str, bytes]:
    """(algorithm, digest) of a hash written in hex, Nix base-32, base-64 or SRI."""
    import base64
    head, dash, rest = text.partition("-")
    if dash and head in HASH_SIZES:
        return head, base64.b64decode(rest)
    if ":" in text:
        algo, text = text.split(":", 1)
    size = HASH_SIZES.get(algo)
    if size is None:
        raise EvalError(f"unknown hash algorithm '{algo}'").without_position()  # as Nix 2.8
    if len(text) == size * 2:
        return algo, bytes.fromhex(text)
    if len(text) == (size * 8 - 1) // 5 + 1:
        return algo, _nix32_decode(text, size)
    if len(text) == 4 * ((size + 2) // 3):
        return algo, base64.b64decode(text)
    raise EvalError(f"hash '{text}' has wrong length for hash type '{algo}'")


def _fixed_output(name: str, drv: dict) -> Attrs:
    env = drv["env"]
    algo, digest = parse_hash(env["outputHash"], env.get("outputHashAlgo", ""))
    recursive = env.get("outputHashMode", "flat") == "recursive"
    if drv["outputs_list"] != ["out"]:
        raise EvalError("multiple outputs are not supported in fixed-output derivations")
    method = "r:" if recursive else ""
    if recursive and algo == "sha256":
        path = make_store_path("source", digest.hex(), name)
    else:
        inner = hashlib.sha256(f"fixed:out:{method}{algo}:{digest.hex()}:".encode()).hexdigest()
        path = make_store_path("output:out", inner, name)
    from ..storepaths import check_store_path
    drv["outputs"] = {"out": check_store_path(path)}
    env["out"] = path
    drv["fixed"] = (method + algo, digest.hex())
    modulo = hashlib.sha256(f"fixed:out:{method}{algo}:{digest.hex()}:{path}".encode()).hexdigest()
    return _finish(name, drv, modulo)


@builtin("derivationStrict", top_level=True)
def builtin_derivation_strict(attrs):
    return derivation_strict(attrs)


def _get(strict: Lazy, name: str):
    return force(strict).d[name]


@builtin("derivation", top_level=True)
def builtin_derivation(attrs):
    d = ops.expect_attrs(attrs).d
    outputs = [ops.expect_str(force(o)) for o in ops.expect_list(force(d["outputs"]))] \
        if "outputs" in d else ["out"]
    if not outputs:
        raise EvalError("list index 0 is out of bounds")  # what Nix's derivation.nix runs into
    strict = Lazy(derivation_strict, attrs)
    sets = {o: Attrs({}) for o in outputs}
    common = dict(d)
    common.update(sets)
    common["all"] = Lazy(NixList, list(sets.values()))  # a thunk in Nix too (shows as <CODE>)
    common["drvAttrs"] = attrs
    for o, s in sets.items():
        s.d.update(common)
        s.d.update({"outPath": Lazy(_get, strict, o), "drvPath": Lazy(_get, strict, "drvPath"),
                    "type": "derivation", "outputName": o})
    return sets[outputs[0]]
