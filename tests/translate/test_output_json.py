"""`manifest_json` writes exactly what `json.dumps(indent=2, sort_keys=True)`
writes (the manifest format is unchanged; only faster to produce)."""
from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from nixlite.translate.base import Artifact
from nixlite.translate.output import build_manifest, manifest_json

SCALARS = st.none() | st.booleans() | st.integers() | st.floats() | st.text()
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner)
                      | st.dictionaries(st.text(max_size=5), inner, max_size=4), max_leaves=30)


@settings(max_examples=300, deadline=None)
@given(VALUES)
def test_same_text_as_json_dumps(value):
    assert manifest_json(value) == json.dumps(value, indent=2, sort_keys=True)


def test_a_manifest():
    arts = [Artifact("etc/containers/wé.conf", b"x", "conf", "wé", store_path=None),
            Artifact("etc/l", None, "wants-link", None, link="../x")]
    manifest = build_manifest("nixos", arts, {"kernelModules": ["tun"], "extraHosts": ""}, source="c.nix")
    assert manifest_json(manifest) == json.dumps(manifest, indent=2, sort_keys=True)
