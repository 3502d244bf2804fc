"""The lines of a delivery through a pool of worker processes, in order, in bounded memory.

:func:`encoded_chunks` cuts the line stream into chunks, has
:func:`~datenspiegel.register.bulk_chunks.encode_chunk` run on each in a process pool and
yields the results in the order of the file. At most ``2 × workers + 1`` chunks are in flight
(submitted, running or waiting to be written), so a file of ten million lines streams through
in the memory of a few chunks. ``workers=0`` encodes in the calling process (tests, tiny
deliveries).

Worker processes are started with ``spawn``: the parent holds database connections and
threads (progress bars, connection pools) that a forked child must not inherit.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor

from datenspiegel.register.bulk_chunks import ChunkTask, EncodedChunk, RowFormat, encode_chunk

__all__ = ["DEFAULT_CHUNK_LINES", "default_workers", "encoded_chunks"]

#: Lines per chunk: large enough that a task's overhead (pickling, scheduling) is noise, small
#: enough that a few in flight stay a few megabytes.
DEFAULT_CHUNK_LINES = 2000


def default_workers() -> int:
    """One worker per core the process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _tasks(
    lines: Iterable[str], *, chunk_lines: int, row_format: RowFormat, imported_at: str
) -> Iterator[ChunkTask]:
    iterator = iter(lines)
    first = 1
    while chunk := tuple(itertools.islice(iterator, chunk_lines)):
        yield ChunkTask(first, chunk, row_format, imported_at)
        first += len(chunk)


def encoded_chunks(
    lines: Iterable[str],
    *,
    row_format: RowFormat,
    imported_at: str,
    workers: int,
    chunk_lines: int = DEFAULT_CHUNK_LINES,
) -> Iterator[EncodedChunk]:
    """The encoded chunks of ``lines`` (line 1 first), computed by ``workers`` processes."""
    if workers < 0 or chunk_lines < 1:
        raise ValueError("workers must be ≥ 0 and chunk_lines ≥ 1")
    tasks = _tasks(lines, chunk_lines=chunk_lines, row_format=row_format, imported_at=imported_at)
    if workers == 0:
        yield from map(encode_chunk, tasks)
        return
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"))
    window: deque[Future[EncodedChunk]] = deque()
    try:
        for task in tasks:
            window.append(pool.submit(encode_chunk, task))
            if len(window) > 2 * workers:
                yield window.popleft().result()
        while window:
            yield window.popleft().result()
    finally:
        # Also when the consumer stops early (a bad line, a database error): nothing more runs.
        pool.shutdown(wait=True, cancel_futures=True)
