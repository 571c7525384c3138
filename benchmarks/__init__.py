"""Benchmarks: standalone scripts that measure Vivier on a large PostgreSQL data set."""
