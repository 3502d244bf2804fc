"""A refused read of the protocol, handled once for every command that reads it.

§ 40 BMG: protocol data are read only for the stated purposes, and every read is recorded. A
reader whose roles do not cover the purpose reads nothing; the attempt is logged as a WARNING,
recorded in the read log (``ProtocolStore.log_refused_read``) and told to the person.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Mapping
from typing import Any

from datenspiegel.protocol.reads import ReadPurpose, ReadRefused

__all__ = ["refuse_read"]

_log = logging.getLogger("datenspiegel.protocol.reads")


def refuse_read(
    exc: ReadRefused,
    *,
    reader: str,
    purpose: ReadPurpose,
    query: Mapping[str, Any],
    context: Mapping[str, Any],
    config: Any = None,
    stores: Any = None,
) -> None:
    """Log, record and report a refused read; on ``stores`` if open, else on ``config``'s."""
    _log.warning(
        "protocol read refused: reader %r, purpose %s, command %s, system user %r: %s",
        reader,
        purpose.value,
        context.get("command"),
        context.get("system_user"),
        exc,
    )
    try:
        opened = stores
        if opened is None:
            from datenspiegel.service.app import open_stores

            opened = open_stores(config)
        try:
            opened.protocol.log_refused_read(
                reader=reader,
                purpose=purpose,
                reason=str(exc),
                query=dict(query),
                context=dict(context),
            )
        finally:
            if stores is None:
                opened.close()
    except Exception as unlogged:  # refused all the same; the WARNING above remains
        _log.warning("the refused read could not be recorded: %s", unlogged)
    print(f"refused: {exc}", file=sys.stderr)
