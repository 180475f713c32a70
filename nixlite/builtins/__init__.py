"""nixlite.builtins"""
