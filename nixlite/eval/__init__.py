"""nixlite.eval"""
