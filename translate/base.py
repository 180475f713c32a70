"""The `Target` base class, the artifact record, and the target registry."""
from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import ClassVar

from nixlite.errors import UnsupportedError

#: target name -> module that defines it (imported on first use)
TARGET_MODULES = {
    "nixos": "nixlite.translate.nixos",
    "fhs": "nixlite.translate.fhs",
    "nspawn": "nixlite.translate.nspawn",
}
_REGISTRY: dict[str, type["Target"]] = {}


@dataclass(frozen=True)
class Artifact:
    """One entry of an output tree.

    path: relative to the output root ("etc/containers/web.conf");
    content: the bytes of a regular file, or None for a symlink;
    link: the symlink target when content is None;
    mode: file mode (0o644, or 0o755 for scripts);
    container: the container it belongs to, None for host-wide files;
    kind: a short stable name ("conf", "unit", "start-script", ...);
    store_path: the store path it has on a real system, if any;
    origins: (line number, option path) of the lines an option produced
    (provenance from `translate.writer.Writer`; not part of equality).
    """

    path: str
    content: bytes | None
    kind: str
    container: str | None = None
    mode: int = 0o644
    link: str | None = None
    store_path: str | None = None
    origins: tuple[tuple[int, str], ...] = field(default=(), compare=False, repr=False)


@dataclass
class Warning_:
    container: str | None
    option: str
    message: str

    def __str__(self) -> str:
        where = f"containers.{self.container}.{self.option}" if self.container else self.option
        return f"{where}: {self.message}"


class Target:
    """Base class: subclasses set `name` and implement `artifacts(host)`."""

    name: ClassVar[str] = ""
    description: ClassVar[str] = ""

    def __init_subclass__(cls, **kw):
        super().__init_subclass__(**kw)
        if cls.name:
            _REGISTRY[cls.name] = cls

    def __init__(self, *, profile=None, strict: bool = False, **options):
        from nixlite.storepaths import StoreProfile
        #: where packages and generated files live in the store (also names
        #: the toplevels of `config` containers, so the CLI passes it to the
        #: module system)
        self.profile = profile or StoreProfile.default()
        self.strict = strict
        self.options = options
        self.warnings: list[Warning_] = []

    def artifacts(self, host) -> list[Artifact]:  # pragma: no cover - abstract
        raise NotImplementedError

    def unsupported(self, container: str | None, option: str, why: str) -> None:
        """Record that an option has no faithful form in this target."""
        w = Warning_(container, option, why)
        if self.strict:
            raise UnsupportedError(f"{w} (--strict)")
        self.warnings.append(w)


def get_target(name: str) -> type[Target]:
    if name not in _REGISTRY and name in TARGET_MODULES:
        importlib.import_module(TARGET_MODULES[name])
    if name not in _REGISTRY:
        raise UnsupportedError(f"unknown target '{name}' (known: {', '.join(list_targets())})")
    return _REGISTRY[name]


def list_targets() -> list[str]:
    return [n for n, mod in TARGET_MODULES.items() if importlib.util.find_spec(mod) is not None]


import importlib.util  # noqa: E402  (used by list_targets)
