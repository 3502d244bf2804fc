"""The cache of search statements (register/search_sql.py) under concurrent first use."""

from __future__ import annotations

import threading

from datenspiegel.fixtures.testpersons import TEST_CASES
from datenspiegel.register import search_sql
from datenspiegel.register.query import normalisierte_suche


def test_a_shape_cached_while_waiting_for_the_lock_is_taken_from_the_cache() -> None:
    """Two threads miss the same shape; the second finds it cached once it holds the lock.

    Seen under load as an S999 (``Boolean value of this clause is not defined``) for the
    first requests of a fresh ``serve --workers 2``: the second thread must take the cached
    statement, not ask a statement for its truth value.
    """
    suche = normalisierte_suche(TEST_CASES[0].query)
    limit = 987_654  # a shape of its own: no other test has cached it
    built, _ = search_sql.search_statement(suche, limit)
    shape = next(k for k, v in search_sql._cache.items() if v is built)
    del search_sql._cache[shape]
    results: list[object] = []
    errors: list[BaseException] = []

    def search() -> None:
        try:
            results.append(search_sql.search_statement(suche, limit)[0])
        except BaseException as exc:  # the failure this test is about
            errors.append(exc)

    with search_sql._lock:  # the other thread has missed and is building under the lock
        waiting = threading.Thread(target=search)
        waiting.start()
        waiting.join(timeout=0.5)  # it misses outside the lock and now waits for it
        assert waiting.is_alive()
        search_sql._cache[shape] = built  # what the other thread stores before releasing
    waiting.join(timeout=10)
    assert not errors, errors
    assert results == [built]
