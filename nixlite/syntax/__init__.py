"""nixlite.syntax"""
