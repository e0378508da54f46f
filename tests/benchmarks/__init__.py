"""Benchmarks of the E-Akte client: ``uv run python -m tests.benchmarks [--size tiny|full]``.

Not pytest tests: no module here is named ``test_*``, so pytest never collects or imports them.
Every figure is printed as a ratio against a floor measured in the same run on the same data
(raw PyMuPDF, raw SQLite, a bare interpreter); see docs/benchmarks.md.
"""
