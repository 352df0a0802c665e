"""Offline-first sync with the bureau server: the wire protocol, merge rules and the client."""
