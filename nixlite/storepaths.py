"""Nix store paths: how Nix names text files, and how nixlite compares
outputs "modulo store hashes".

Facts mirrored here (Nix 2.8, `src/libstore/store-api.cc` and `libutil/hash.cc`):

* a text file added by `builtins.toFile` / `writeText` gets the path
  ``/nix/store/<hash>-<name>`` with
  ``hash = nixbase32(fold20(sha256("text[:ref...]:sha256:<hex sha256(content)>:/nix/store:<name>")))``
  where the references are sorted and `fold20` xors the 32-byte digest into
  20 bytes (byte i into position i mod 20);
* Nix's base-32 alphabet omits e, o, u and t, and encodes the *last* 5 bits
  first.

`normalise_store_paths` is the one comparison rule shared by the tests and
`nixlite diff`: every ``/nix/store/<32 base-32 chars>-`` prefix becomes a
fixed hash, so two trees that differ only in hashes compare equal while a
different *name* (another package version) still shows.
"""
from __future__ import annotations

import hashlib
import re

STORE_DIR = "/nix/store"
BASE32_CHARS = "0123456789abcdfghijklmnpqrsvwxyz"
HASH_LEN = 32

#: A store path prefix: the store dir, 32 base-32 characters, and the dash.
STORE_HASH_RE = re.compile(r"/nix/store/([0-9a-df-np-sv-z]{32})-")
#: A whole store path reference as it appears in text: prefix + name characters.
STORE_PATH_RE = re.compile(r"/nix/store/[0-9a-df-np-sv-z]{32}-[A-Za-z0-9+\-._?=]+")
#: The placeholder hash normalised paths carry.
NORMAL_HASH = "0" * HASH_LEN


def nixbase32(data: bytes) -> str:
    """Encode bytes in Nix's base-32 (as in `nix-hash --to-base32`).

    Nix reads the bytes as one little-endian number and emits its 5-bit
    digits most significant first."""
    n_chars = (len(data) * 8 - 1) // 5 + 1
    number = int.from_bytes(data, "little")
    return "".join(BASE32_CHARS[(number >> (5 * n)) & 0x1F] for n in range(n_chars - 1, -1, -1))


def fold_hash(digest: bytes, size: int = 20) -> bytes:
    """Xor-fold a digest to `size` bytes (Nix's compressHash)."""
    out = bytearray(size)
    for i, b in enumerate(digest):
        out[i % size] ^= b
    return bytes(out)


def make_store_path(type_: str, inner_hex: str, name: str) -> str:
    fingerprint = f"{type_}:sha256:{inner_hex}:{STORE_DIR}:{name}"
    digest = hashlib.sha256(fingerprint.encode()).digest()
    return f"{STORE_DIR}/{nixbase32(fold_hash(digest))}-{name}"


def text_store_path(name: str, content: str | bytes, references: list[str] | tuple[str, ...] = ()) -> str:
    """The store path `builtins.toFile name content` gives (references: store paths)."""
    data = content.encode() if isinstance(content, str) else content
    type_ = "text" + "".join(":" + r for r in sorted(references))
    return make_store_path(type_, hashlib.sha256(data).hexdigest(), name)


#: the characters Nix allows in the name part of a store path
STORE_NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-._?=")


def check_store_path(path: str) -> str:
    """`path` itself if its name obeys Nix's rules; else Nix's error."""
    from .errors import EvalError
    base = path[len(STORE_DIR) + 1:]
    name = base[HASH_LEN + 1:]
    if not name:
        raise EvalError(f"store path '{base}' has an empty name").without_position()
    for ch in name:
        if ch not in STORE_NAME_CHARS:
            raise EvalError(f"store path '{base}' contains illegal character '{ch}'").without_position()
    return path


def store_name(path: str) -> str:
    """`/nix/store/<hash>-bash-4.4` -> `bash-4.4` (the path itself if not a store path)."""
    m = STORE_HASH_RE.match(path)
    return path[m.end():].split("/", 1)[0] if m else path


def normalise_store_paths(text: str) -> str:
    """Replace every store hash by a fixed one, keeping the names."""
    return STORE_HASH_RE.sub(f"{STORE_DIR}/{NORMAL_HASH}-", text)


def find_store_paths(text: str) -> list[str]:
    """Every store path mentioned in text (top-level path, no sub-path), in order."""
    return [m.group(0) for m in STORE_PATH_RE.finditer(text)]


# --- store-path profiles ------------------------------------------------------

class StoreProfile:
    """Where the packages and generated files live in the store.

    `packages` maps a nixpkgs attribute name ("bash", "systemd", "iproute",
    ...) to its store path; `files` maps the store *name* of a generated file
    ("unit-script-container_web-start", "nixos-system-web-20.09pre-git") to a
    real path that replaces the computed one.  The default profile ships in
    `nixlite/data/store-paths.json`; `--store-paths FILE.json` (same shape)
    overrides any entry."""

    def __init__(self, packages: dict[str, str], files: dict[str, str] | None = None):
        self.packages = dict(packages)
        self.files = dict(files or {})

    @classmethod
    def default(cls) -> "StoreProfile":
        import json
        from importlib.resources import files
        data = json.loads(files("nixlite").joinpath("data/store-paths.json").read_text())
        return cls(data["packages"], data.get("files"))

    def overridden(self, data: dict) -> "StoreProfile":
        """A copy with the entries of a user profile (validated) applied."""
        from .errors import NixliteError
        if not isinstance(data, dict) or not set(data) <= {"packages", "files", "_comment"}:
            raise NixliteError("a store-path profile is a JSON object with keys 'packages' and/or 'files'")
        new = StoreProfile(self.packages, self.files)
        for section in ("packages", "files"):
            entries = data.get(section, {})
            if not isinstance(entries, dict):
                raise NixliteError(f"store-path profile: '{section}' must be an object")
            for key, path in entries.items():
                if not isinstance(path, str) or not STORE_HASH_RE.match(path):
                    raise NixliteError(f"store-path profile: {section}.{key} is not a store path: {path!r}")
                getattr(new, section)[key] = path
        return new

    @classmethod
    def load(cls, path: str | None) -> "StoreProfile":
        """The default profile, with the file at `path` (if any) applied."""
        prof = cls.default()
        if path is None:
            return prof
        import json
        from .errors import NixliteError
        try:
            with open(path, encoding="utf-8") as f:
                data = json.load(f)
        except OSError as e:
            raise NixliteError(f"cannot read store-path profile '{path}': {e.strerror}") from None
        except json.JSONDecodeError as e:
            raise NixliteError(f"store-path profile '{path}' is not valid JSON: {e.msg} at line {e.lineno}") from None
        return prof.overridden(data)

    def package(self, attr: str) -> str:
        return self.packages[attr]

    def file_path(self, name: str, content: str | bytes, references=()) -> str:
        """The store path of a generated text file: a profile override, or
        the path `builtins.toFile` computes.  An override keyed
        `name@sha256:<hex of content>` wins over one keyed `name`: a real
        build can hold several files of one name (the container-init of each
        container with extra veths); `@` never occurs in a store name."""
        if not self.files:
            return text_store_path(name, content, references)
        data = content.encode() if isinstance(content, str) else content
        by_content = f"{name}@sha256:{hashlib.sha256(data).hexdigest()}"
        return self.files.get(by_content) or self.files.get(name) or text_store_path(name, content, references)
