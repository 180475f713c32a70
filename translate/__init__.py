"""Translation targets (installed as `nixlite.translate`).

A target turns the resolved `Host` model into artifacts (files and links of
an output tree).  Targets are classes registered by name, like sqlglot's
dialects: `get_target("nixos")`, `get_target("fhs")`, `get_target("nspawn")`.
A derived target overrides only the artifacts that differ.
"""
from .base import Artifact, Target, get_target, list_targets

__all__ = ["Artifact", "Target", "get_target", "list_targets"]
