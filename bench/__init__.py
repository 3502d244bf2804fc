"""Benchmarks of datenspiegel (never part of the test suite's pass/fail).

``python -m bench`` (``make bench``) runs them all with defaults sized for a few minutes on a
2-core machine and prints one summary table; each module also runs on its own with ``--help``:

- ``bench.primitives``: the floor — raw ECDSA, signxml, parse + validate, lookup, append;
- ``bench.transaction``: in-process broker time per transaction against that floor;
- ``bench.load``: ``datenspiegel serve`` over real TLS under concurrent clients;
- ``bench.register_scale``: import rate, database size and search latency at scale.

Figures are written as JSON to ``bench/results/`` (git-ignored); see ``docs/performance.md``.
"""

__all__: list[str] = []
