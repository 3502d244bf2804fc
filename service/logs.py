"""Log lines as operators' tools read them: text for people, or one JSON object per line.

``[logging] format`` (service/config.py) chooses; ``serve`` applies it to every log record of
the process with :func:`configure_logging`. A JSON line carries ``time`` (ISO 8601, UTC,
milliseconds), ``level``, ``logger``, ``message``, the record's structured fields and, for an
error with a traceback, ``exception``.

Structured lines (the transaction line, service/observation.py) are logged as a
:class:`Structured` message: its fields stay values until a handler formats the record, so a
disabled level costs nothing but the level check, and the same record reads as
``event key=value …`` in text and as top-level JSON fields in JSON.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, Final

__all__ = ["LOG_FORMATS", "TRANSACTION_LOGGER", "JsonFormatter", "Structured", "configure_logging"]

#: The values of ``[logging] format``.
LOG_FORMATS: Final = ("text", "json")
#: The logger of the one line per transaction (service/observation.py).
TRANSACTION_LOGGER: Final = "datenspiegel.transaction"

#: Attributes every LogRecord has: whatever else a record carries came as ``extra=``.
_STANDARD: Final = frozenset(
    {
        *logging.LogRecord("", 0, "", 0, "", (), None).__dict__,
        "message",
        "asctime",
        "taskName",
    }
)
#: The keys a JSON line always has; structured fields never replace them.
_OWN: Final = frozenset({"time", "level", "logger", "message"})
#: One encoder for every line (``json.dumps`` with options builds one per call).
_ENCODER: Final = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=str)


class Structured:
    """A log message that is an event name and fields (values JSON can carry)."""

    __slots__ = ("event", "fields")

    def __init__(self, event: str, fields: Mapping[str, Any]) -> None:
        self.event = event
        self.fields = fields

    def __str__(self) -> str:
        parts = [self.event]
        for key, value in self.fields.items():
            _text_parts(parts, key, value)
        return " ".join(parts)


def _text_parts(parts: list[str], key: str, value: Any) -> None:
    if isinstance(value, Mapping):
        for inner, item in value.items():
            _text_parts(parts, f"{key}.{inner}", item)
    elif isinstance(value, list | tuple):
        parts.append(f"{key}={','.join(map(str, value))}")
    elif isinstance(value, bool):
        parts.append(f"{key}={'true' if value else 'false'}")
    else:
        parts.append(f"{key}={value}")


class JsonFormatter(logging.Formatter):
    """One JSON object per record, on one line (see the module docstring)."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC)
            .isoformat(timespec="milliseconds")
            .replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
        }
        message = record.msg
        if isinstance(message, Structured) and not record.args:
            line["message"] = message.event
            for key, value in message.fields.items():
                if key not in _OWN:
                    line[key] = value
        else:
            line["message"] = record.getMessage()
        extras = record.__dict__.keys() - _STANDARD
        if extras:  # given as logging's extra=
            for key in sorted(extras):
                if key not in line and not key.startswith("_"):
                    line[key] = record.__dict__[key]
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            line["exception"] = record.exc_text
        if record.stack_info:
            line["stack"] = self.formatStack(record.stack_info)
        return _ENCODER.encode(line)


def configure_logging(
    log_format: str,
    *,
    transactions: bool = True,
    root: logging.Logger | None = None,
) -> None:
    """Apply ``[logging]``: JSON formatting on every handler of ``root`` (default: the root
    logger, as ``logging.basicConfig`` set it up) for ``"json"``; the transaction lines off
    (their logger above INFO, so nothing is built) unless ``transactions``."""
    if log_format not in LOG_FORMATS:
        raise ValueError(f"log format must be one of {', '.join(LOG_FORMATS)}, not {log_format!r}")
    root = root if root is not None else logging.getLogger()
    if log_format == "json":
        formatter = JsonFormatter()
        for handler in root.handlers:
            handler.setFormatter(formatter)
    level = logging.NOTSET if transactions else logging.WARNING
    logging.getLogger(TRANSACTION_LOGGER).setLevel(level)
