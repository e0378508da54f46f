"""Demo data and sample documents (tests, demo installation, benchmarks)."""
