"""fixtures/cases/<case>/containers.nix -> fixtures/golden/<case>/, byte for byte.

Three views of the same goldens:

* `test_renderer_from_eval_json`: the renderer alone, fed the Host that real
  Nix resolved (meta/eval.json, via the test-only adapter);
* `test_case_renders_golden_tree`: the whole pipeline through
  `nixlite.modules.containers.resolve_file` when it is importable, else
  through the same adapter (so the case list is always exercised);
* `test_error_case_message`: cases with an ERROR file must fail with the
  same first message line (input path shown as `<input>`); skipped until
  the module system exists.

Trees are compared as a whole: the same set of paths, the same bytes
(after store-hash normalisation, and then exactly: generated files hash
reproducibly), the same link targets, the same mode on store files.
"""
from __future__ import annotations

import re

import pytest

from golden_support import (CASES, GOLDEN, compare_trees, error_cases, eval_json, host_from_eval_json,
                            read_tree, success_cases, tree_of)
from nixlite.translate import get_target

def render(host):
    return get_target("nixos")().artifacts(host)


def resolve(case: str):
    """The Host for a case, through the module system."""
    from nixlite.modules.containers import resolve_file
    return resolve_file(str(CASES / case / "containers.nix"))


@pytest.mark.parametrize("case", success_cases())
def test_renderer_from_eval_json(case):
    compare_trees(tree_of(render(host_from_eval_json(case))), read_tree(GOLDEN / case))


@pytest.mark.parametrize("case", success_cases())
def test_case_renders_golden_tree(case):
    compare_trees(tree_of(render(resolve(case))), read_tree(GOLDEN / case))


@pytest.mark.parametrize("case", success_cases())
def test_host_settings_match_eval_json(case):
    target = get_target("nixos")()
    assert target.host_settings(host_from_eval_json(case)) == eval_json(case)["host"]


def first_message_line(text: str) -> str:
    """The first non-empty line of an error, without the `error:` prefix."""
    body = re.sub(r"^error:", "", text.strip())
    return next(line.strip() for line in body.splitlines() if line.strip())


@pytest.mark.parametrize("case", error_cases())
def test_error_case_message(case):
    from nixlite.cli.diagnostics import format_error
    from nixlite.errors import NixliteError
    path = str(CASES / case / "containers.nix")
    with pytest.raises(NixliteError) as info:
        render(resolve(case))
    got = format_error(info.value).replace(path, "<input>")
    assert first_message_line(got) == first_message_line((GOLDEN / case / "ERROR").read_text())


# --- the comparison itself must be able to fail ----------------------------------------

def test_compare_trees_catches_a_changed_byte_a_mode_and_a_missing_file():
    want = read_tree(GOLDEN / "068-kitchen-sink")
    got = tree_of(render(host_from_eval_json("068-kitchen-sink")))
    conf = "etc/containers/everything.conf"
    store = next(p for p in got if p.endswith("-reload-container"))
    for broken in ({**got, conf: ("file", got[conf][1] + b"\n", 0o644)},
                   {**got, store: ("file", got[store][1], 0o644)},
                   {p: v for p, v in got.items() if p != conf}):
        with pytest.raises(AssertionError):
            compare_trees(broken, want)
