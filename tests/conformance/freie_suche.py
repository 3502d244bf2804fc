"""Conformance corpus of the freie Suche (1332 → 1333, § 34a Abs. 3 BMG) — the place for it.

The handler exists (``service/operations/freie_suche.py``; its rules are tested in
``tests/test_freie_suche.py``); this table in the corpus format, with its 1332 runner in
``tests/test_conformance_personensuche.py``, is the next step of issue 7. Cases use the format
of :mod:`tests.conformance.model`
(register state, request, expectation, paragraph); the request's ``suche`` then holds the
freie Suche's fields and its ``suchbereich`` (one AGS, a district or ``03``), and the rules to
cover are DOMAIN.md § 4: Suchbereich outside the state (22), house-number range (19),
birth range (20), currency filter without street (21), wildcards with phonetics (15), the
security-only criteria (04, 05, 06) and elements (07, 09, 10, 11), status 04 or 03, the
1 000 limit (13), and persons with an Auskunftssperre never included.
"""

from __future__ import annotations

from tests.conformance.model import Fall

FAELLE: tuple[Fall, ...] = ()
