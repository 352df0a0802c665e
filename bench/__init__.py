"""Benchmarks of DESIGN §7. Each figure is printed beside a bare baseline from the same run."""
