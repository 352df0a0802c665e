"""Sync on the server: table rules and scopes, validation, push (merge, conflicts), pull."""
