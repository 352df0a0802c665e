"""Tests of the sync server: a real app over SQLite and PostgreSQL.

The package has its own name so that it can never shadow the ``server`` package it tests.
"""
