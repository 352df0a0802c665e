"""Bare baselines: the same job done with nothing but the underlying library."""
