"""Benchmarks for summarizer (run with `python -m bench`)."""
