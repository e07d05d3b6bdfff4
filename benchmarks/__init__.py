"""`make bench`: broadsheet measured against its engine and its peers.

Run as `python -m benchmarks` (see `benchmarks/run.py`); never part of `make test`,
because timings belong in a report read by people, not in assertions.
"""
