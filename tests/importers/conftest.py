"""The import tests' fixtures live in ``list_sheets`` (shared with the CLI tests)."""

from list_sheets import service, workspace

__all__ = ["service", "workspace"]
