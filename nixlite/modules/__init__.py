"""nixlite.modules"""
