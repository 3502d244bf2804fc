"""No search data in any log line, at any level, during the whole suite (issue 6).

Loaded for every test run (``-p tests.logcheck`` in pyproject.toml). Every log record of the
broker's code and of the libraries it runs on (spyne, Twisted, SQLAlchemy, lxml users, …) is
captured at DEBUG; a test fails when a record carries the search data of a request: the names
of the test persons that the suite searches for, or raw request XML. Servers started as
subprocesses are checked the same way on their log file (``tests.serving``).

Client-side libraries used by the tests as a vendor would (zeep, requests/urllib3) are not the
broker's logs and are left out: zeep logs the messages it sends at DEBUG by design.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from datenspiegel.fixtures.testpersons import TEST_CASES

__all__ = ["SEARCH_DATA", "search_data_in"]

_CLIENT_LIBRARIES = ("zeep", "urllib3", "requests", "charset_normalizer")
#: Texts that only a request's search data (or a request document) would bring into a log.
SEARCH_DATA: tuple[str, ...] = tuple(
    sorted(
        {
            "<auswahldaten",
            "<familienname",
            "Quastenberg",
            "Hannelore",
            "Wendebrink",
            "Schattenfroh",
            *(case.query.familienname for case in TEST_CASES if case.query.familienname),
        }
    )
)


def search_data_in(text: str) -> list[str]:
    return [item for item in SEARCH_DATA if item in text]


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.found: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.name.split(".")[0] in _CLIENT_LIBRARIES:
            return
        try:
            text = record.getMessage()
        except Exception:  # a broken format is the logger's problem, not a leak
            text = str(record.msg)
        if record.exc_info and record.exc_info[1] is not None:
            text += f"\n{record.exc_info[1]!r}"
        leaked = search_data_in(text)
        if leaked:
            self.found.append(f"{record.name} {record.levelname}: {leaked} in {text[:200]!r}")


@pytest.fixture(autouse=True)
def _no_search_data_in_logs() -> Iterator[None]:
    root = logging.getLogger()
    capture = _Capture()
    previous = root.level
    root.addHandler(capture)
    root.setLevel(logging.DEBUG)
    try:
        yield
    finally:
        root.removeHandler(capture)
        root.setLevel(previous)
    if capture.found:
        pytest.fail("search data reached the logs:\n" + "\n".join(capture.found[:5]))
