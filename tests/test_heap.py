"""Freed heap goes back to the system (service/heap.py; issue 11 point 6: worker RSS flat).

glibc keeps freed memory in its arenas; a worker after a flood of connections would keep its
peak size (service/connections.py trims after one). The test shows the effect and its remedy
in a fresh interpreter.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from datenspiegel.service.heap import release_free_heap

_BURST = """
from datenspiegel.service.heap import release_free_heap

def rss_anon_kib():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("RssAnon:"))

blocks = [bytearray(1000) for _ in range(200_000)]  # 200 MB of malloc chunks, no mmap
pinned = bytearray(1000)  # allocated after them: free() cannot shrink the heap from its top
peak = rss_anon_kib()
del blocks
freed = rss_anon_kib()
released = release_free_heap()
print(peak, freed, rss_anon_kib(), released)
"""


def _glibc() -> bool:
    return sys.platform == "linux" and release_free_heap()


@pytest.mark.skipif(not _glibc(), reason="malloc_trim is glibc's; elsewhere nothing is trimmed")
def test_a_burst_freed_stays_resident_until_the_heap_is_released() -> None:
    run = subprocess.run(
        [sys.executable, "-c", _BURST], capture_output=True, text=True, check=True, timeout=60
    )
    peak, freed, released, called = run.stdout.split()
    peak_kib, freed_kib, released_kib = int(peak), int(freed), int(released)
    assert called == "True"
    assert freed_kib > peak_kib - 50_000, (peak_kib, freed_kib)  # free() alone keeps it
    assert released_kib < peak_kib - 150_000, (peak_kib, released_kib)  # the 200 MB go back
