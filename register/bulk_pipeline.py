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
from pathlib import Path

from datenspiegel.register.bulk_chunks import (
    ChunkTask,
    EncodedChunk,
    FileSlice,
    RowFormat,
    encode_chunk,
)

__all__ = [
    "DEFAULT_CHUNK_BYTES",
    "DEFAULT_CHUNK_LINES",
    "default_workers",
    "encoded_chunks",
    "file_slices",
]

#: Lines per chunk: large enough that a task's overhead (pickling, scheduling) is noise, small
#: enough that a few in flight stay a few megabytes.
DEFAULT_CHUNK_LINES = 2000
#: Bytes per chunk of a file (about 2 000 records of the register's size)
DEFAULT_CHUNK_BYTES = 2 << 20


def default_workers() -> int:
    """One worker per core the process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def file_slices(path: Path, *, chunk_bytes: int = DEFAULT_CHUNK_BYTES) -> Iterator[FileSlice]:
    """``path`` cut into byte ranges of whole lines, each about ``chunk_bytes`` long: a range
    ends after the newline of the line that crosses its ``chunk_bytes`` mark, or at the end."""
    if chunk_bytes < 1:
        raise ValueError("chunk_bytes must be ≥ 1")
    with path.open("rb") as stream:
        size = os.fstat(stream.fileno()).st_size
        start = 0
        while start < size:
            end = start + chunk_bytes
            if end < size:
                stream.seek(end - 1)  # from the mark's last byte: a newline there ends the range
                stream.readline()
                end = stream.tell()
            else:
                end = size
            yield FileSlice(str(path), start, end)
            start = end


def _tasks(
    lines: Iterable[str] | Path,
    *,
    chunk_lines: int,
    chunk_bytes: int,
    row_format: RowFormat,
    imported_at: str,
) -> Iterator[ChunkTask]:
    if isinstance(lines, Path):
        for piece in file_slices(lines, chunk_bytes=chunk_bytes):
            yield ChunkTask(1, piece, row_format, imported_at)
        return
    iterator = iter(lines)
    while chunk := tuple(itertools.islice(iterator, chunk_lines)):
        yield ChunkTask(1, chunk, row_format, imported_at)


def encoded_chunks(
    lines: Iterable[str] | Path,
    *,
    row_format: RowFormat,
    imported_at: str,
    workers: int,
    chunk_lines: int = DEFAULT_CHUNK_LINES,
    chunk_bytes: int = DEFAULT_CHUNK_BYTES,
) -> Iterator[EncodedChunk]:
    """The encoded chunks of ``lines`` — a stream of lines, or a JSON Lines file — line 1
    first and numbered as in the stream, computed by ``workers`` processes."""
    if workers < 0 or chunk_lines < 1 or chunk_bytes < 1:
        raise ValueError("workers must be ≥ 0, chunk_lines and chunk_bytes ≥ 1")
    tasks = _tasks(
        lines,
        chunk_lines=chunk_lines,
        chunk_bytes=chunk_bytes,
        row_format=row_format,
        imported_at=imported_at,
    )
    first = 1
    for chunk in _encoded(tasks, workers):
        yield chunk.numbered(first)
        first += chunk.lines


def _encoded(tasks: Iterator[ChunkTask], workers: int) -> Iterator[EncodedChunk]:
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
