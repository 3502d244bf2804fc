"""Conformance corpora: the law as data tables, run through the real broker in-process.

- :mod:`tests.conformance.personensuche` — the Personensuche (1330 → 1331), one case per rule
  of DOMAIN.md §§ 3 and 5 (BMG §§ 34, 34a, 38, 39, 51, 52; BMeldDAV §§ 4, 6, 9, 11, Anlage);
  run by ``tests/test_conformance_personensuche.py``.
- :mod:`tests.conformance.freie_suche` — the freie Suche (1332 → 1333), one case per rule of
  DOMAIN.md §§ 4 and 5 (BMG §§ 34, 34a Abs. 3, 39, 40, 51, 52; BMeldDAV §§ 7, 9, 11, Anlage);
  run by ``tests/test_conformance_freie_suche.py``.
- :mod:`tests.conformance.model` — the case format both tables share.
- :mod:`tests.conformance.runner` — places the cases (a municipality each; for the freie Suche a
  district each) and sends them through the real broker in-process.
"""
