"""One protocol key for every process and host that writes into one broker database.

The protocol key (``signing.protocol_key``, 32 random bytes in a file of the data directory)
tags every § 40 record (:mod:`datenspiegel.protocol.log`) and wraps the period keys of the
kept answers (:mod:`datenspiegel.protocol.payloads`). Several hosts on one broker database
(docs/operations.md, "Several hosts") therefore need the *same* key file: a host with a key of
its own would tag its records so that ``datenspiegel protocol verify`` reports each of them as
written by someone else, and could not open the period key to keep its answers — every
answered transaction of that host would fail closed (§ 40 Abs. 1 BMG: no answer without its
record). A host whose key file is missing would make itself such a key.

The database already holds what tells whether a key is the one in use: the tags of the newest
records and the wrapped period keys. :func:`key_problem` checks them before a process serves,
so that a wrongly set-up host refuses to start, naming the file to copy; :func:`keyed` says
whether the database holds anything a key was used for (then a missing key file must not be
replaced by a fresh one).
"""

from __future__ import annotations

from cryptography.hazmat.primitives.keywrap import InvalidUnwrap, aes_key_unwrap
from sqlalchemy import Engine, select

from datenspiegel.protocol._schema import records
from datenspiegel.protocol.log import tag_verifies
from datenspiegel.protocol.payloads import kek, period_keys

__all__ = ["key_problem", "keyed"]

#: How many of the newest tagged records are asked: one altered record must not make the
#: right key look wrong, so the key is judged wrong only when none of them carries its tag.
_SAMPLE = 8


def keyed(engine: Engine) -> bool:
    """Whether the database holds a tagged record or a period key (a key was used)."""
    with engine.connect() as conn:
        tagged = conn.execute(
            select(records.c.seq).where(records.c.tag.is_not(None)).limit(1)
        ).first()
        wrapped = conn.execute(
            select(period_keys.c.period).where(period_keys.c.wrapped_key.is_not(None)).limit(1)
        ).first()
    return tagged is not None or wrapped is not None


def key_problem(engine: Engine, key: bytes) -> str | None:
    """Why ``key`` is not the protocol key this database's records and kept answers were
    written with, or None when it is (or nothing was written with any key yet)."""
    with engine.connect() as conn:
        newest = (
            conn.execute(
                select(records)
                .where(records.c.tag.is_not(None))
                .order_by(records.c.seq.desc())
                .limit(_SAMPLE)
            )
            .mappings()
            .all()
        )
        wrapped = conn.execute(
            select(period_keys.c.period, period_keys.c.wrapped_key)
            .where(period_keys.c.wrapped_key.is_not(None))
            .order_by(period_keys.c.period)
        ).all()
    if newest and not any(tag_verifies(key, row) for row in newest):
        return (
            f"none of the {len(newest)} newest protocol records carries this key's tag: they "
            "were written by a process with another protocol key"
        )
    wrapping = kek(key)
    for period, blob in wrapped:
        try:
            aes_key_unwrap(wrapping, bytes(blob))
        except InvalidUnwrap:
            return (
                f"the key of the kept answers of period {period} was wrapped with another "
                "protocol key"
            )
    return None
