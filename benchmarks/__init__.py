"""Benchmarks: instance presets, timings and peers (run as `python -m benchmarks.<name>`)."""
