"""Benchmarks (`make bench`): measured, reported, never asserted in tests."""
