"""The Lark grammars nixlite ships (installed as `nixlite.grammars`)."""
