"""Sync screens: account, controller, status bar, conflicts and rejected changes."""
