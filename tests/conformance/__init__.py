"""Conformance corpora: the law as data tables, run through the real broker in-process.

- :mod:`tests.conformance.personensuche` — the Personensuche (1330 → 1331), one case per rule
  of DOMAIN.md §§ 3 and 5 (BMG §§ 34, 34a, 38, 39, 51, 52; BMeldDAV §§ 4, 6, 9, 11, Anlage);
  run by ``tests/test_conformance_personensuche.py``.
- :mod:`tests.conformance.freie_suche` — the place for the freie Suche (1332 → 1333, § 34a
  Abs. 3 BMG) once its handler exists; the same case format, empty until then.
- :mod:`tests.conformance.model` — the case format both tables share.
"""
