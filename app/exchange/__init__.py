"""Whole-database exchange files: the documented JSON export and its idempotent import.

See ``docs/export-format.md`` for the format; ``json_format`` holds it in code.
"""
