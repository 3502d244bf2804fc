"""Migration 2 of the access registry (issue 8): existing registrations carried over.

Authorities registered before keep working (any network, so that the upgrade cuts nobody
off — § 39 Abs. 3 BMG restrictions are then set by the operator), users' instruction dates
(§ 41 BMG) stay unknown rather than invented, blocks keep their reason in the new status
history (DOMAIN.md § 7), and ids are never handed out twice — on SQLite too, where version 1
would have reused the id of a deleted newest row.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import MetaData, inspect

from datenspiegel.access import (
    ALLE_NETZE,
    AccessStore,
    Action,
    Actor,
    Behoerdenklasse,
    UserRole,
    certificate_fingerprint,
)
from datenspiegel.access._schema import (
    COMPONENT,
    MIGRATIONS,
    VOR_VERSION_2,
    _access_tables,
    anschrift_lines,
    authorities,
    status,
)
from datenspiegel.access.networks import parse_netze
from datenspiegel.store import migrate, schema_version
from tests.test_access_store import make_certificate

V1_AUTHORITIES, V1_USERS, V1_CERTIFICATES = _access_tables(MetaData(), version=1)
CREATED = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)
BLOCKED_AT = datetime(2025, 9, 1, 12, 30, tzinfo=UTC)
LONG_ADDRESS = "Landeshauptstadt Hannover, Fachbereich Öffentliche Ordnung, " * 12


@pytest.fixture
def v1_store(database_url: str) -> Iterator[AccessStore]:
    """A store whose database is at access schema version 1, as before issue 8."""
    s = AccessStore(database_url)
    assert migrate(s.engine, COMPONENT, MIGRATIONS[:1]) == 1
    yield s
    s.dispose()


def _fill_v1(store: AccessStore) -> str:
    """Two authorities (one blocked, one with a long free-text address), three users (one
    blocked), one certificate — written as version 1 did (ids 1, 2 and 1–3 in insertion
    order, handed out by the database). Returns the certificate's fingerprint."""
    certificate = make_certificate("BA-1")
    fingerprint = certificate_fingerprint(certificate)
    common = {"gesperrt_at": None, "created_at": CREATED, "untertyp": None}
    with store.engine.begin() as conn:
        conn.execute(
            V1_AUTHORITIES.insert(),
            [
                {
                    **common,
                    "kennung": "ags:03241001",
                    "name": "Bürgeramt Hannover",
                    "klasse": "oeffentlich",
                    "anschrift": "Trammplatz 2, 30159 Hannover",
                    "administrator": "Erika Mustermann, +49 511 168-0",
                    "protokollierung_durch_betreiber": False,
                    "gesperrt": False,
                    "gesperrt_grund": None,
                },
                {
                    **common,
                    "kennung": "dbs:pd-hannover",
                    "name": "Polizeidirektion Hannover",
                    "klasse": "sicherheit",
                    "untertyp": 1,
                    "anschrift": LONG_ADDRESS,
                    "administrator": "Max Mustermann",
                    "protokollierung_durch_betreiber": True,
                    "gesperrt": True,
                    "gesperrt_grund": "Prüfung nach Hinweis",
                    "gesperrt_at": BLOCKED_AT,
                },
            ],
        )
        user = {
            "erlaubte_elemente": None,
            "gesperrt": False,
            "gesperrt_grund": None,
            "gesperrt_at": None,
            "created_at": CREATED,
            "roles": ["sachbearbeitung"],
        }
        conn.execute(
            V1_USERS.insert(),
            [
                {
                    **user,
                    "authority_id": 1,
                    "kennung": "BA-1",
                    "name": "Eins",
                    "erlaubte_elemente": [1, 7, 13],
                },
                {
                    **user,
                    "authority_id": 1,
                    "kennung": "BA-2",
                    "name": "Zwei",
                    "gesperrt": True,
                    "gesperrt_grund": "ausgeschieden",
                    "gesperrt_at": BLOCKED_AT,
                },
                {
                    **user,
                    "authority_id": 2,
                    "kennung": "KOK-1",
                    "name": "Drei",
                    "roles": ["administrator", "sachbearbeitung"],
                },
            ],
        )
        conn.execute(
            V1_CERTIFICATES.insert().values(
                fingerprint=fingerprint,
                user_id=1,
                subject="CN=BA-1",
                serial="1",
                not_after=datetime.now(UTC) + timedelta(days=300),
                bound_at=CREATED,
            )
        )
    return fingerprint


def test_migration_2_carries_every_registration_over(v1_store: AccessStore) -> None:
    """§ 39 BMG registrations, blocks (DOMAIN.md § 7) and bindings survive the upgrade unchanged;
    the new facts (§ 39 Abs. 3 networks, § 41 instruction) are filled without inventing any."""
    fingerprint = _fill_v1(v1_store)
    assert v1_store.migrate() == MIGRATIONS[-1].version == 4  # 2, 3, then 4 (protocol keys)
    assert schema_version(v1_store.engine, COMPONENT) == MIGRATIONS[-1].version
    assert v1_store.migrate() == 4  # once only

    public, police = v1_store.authorities()
    assert (public.id, public.kennung, police.id, police.kennung) == (
        1,
        "ags:03241001",
        2,
        "dbs:pd-hannover",
    )
    # § 39 Abs. 3 BMG: nobody is cut off by the upgrade; the operator restricts afterwards
    assert public.netze == police.netze == ALLE_NETZE
    assert public.administrator == "Erika Mustermann, +49 511 168-0"
    assert public.administrator_id is None and public.kontakt is None
    assert public.anschrift == ("Trammplatz 2, 30159 Hannover",)
    assert police.anschrift is not None and " ".join(police.anschrift) == LONG_ADDRESS.strip()
    assert police.gesperrt and police.gesperrt_grund == "Prüfung nach Hinweis"
    assert police.protokollierung_durch_betreiber and police.untertyp == 1

    one, two = v1_store.users(1)
    (three,) = v1_store.users(2)
    assert one.erlaubte_elemente == frozenset({1, 7, 13})
    assert two.gesperrt and two.gesperrt_grund == "ausgeschieden"
    assert three.roles == frozenset({UserRole.ADMINISTRATOR, UserRole.SACHBEARBEITUNG})
    # § 41 BMG: nobody recorded the instruction before — unknown, not invented
    assert one.belehrt_am is None and two.belehrt_am is None and three.belehrt_am is None
    principal = v1_store.principal_for_certificate(fingerprint)
    assert principal is not None and principal.user == one and principal.authority == public

    # DOMAIN.md § 7: the current state opens each history, with the block's reason and time
    (police_status,) = v1_store.status_history(2)
    assert police_status.gesperrt and police_status.grund == "Prüfung nach Hinweis"
    assert police_status.at == BLOCKED_AT and police_status.actor == VOR_VERSION_2
    (public_status,) = v1_store.status_history(1)
    assert not public_status.gesperrt and public_status.at == CREATED
    (two_status,) = v1_store.status_history(1, two.id)
    assert two_status.gesperrt and two_status.grund == "ausgeschieden"
    assert v1_store.admin_events() == []  # the migration is no administrative change

    # the migrated registry takes today's changes
    operator = Actor.operator("Betrieb Schulz")
    v1_store.set_networks(1, parse_netze(["10.20.0.0/16"]), actor=operator)
    v1_store.unblock_authority(2, grund="geklärt", actor=operator)
    assert [e.action for e in v1_store.admin_events()] == [
        Action.AUTHORITY_SET_NETWORKS,
        Action.AUTHORITY_UNBLOCK,
    ]
    columns = {c["name"] for c in inspect(v1_store.engine).get_columns("access_authority")}
    assert columns == {c.name for c in authorities.columns}
    if v1_store.engine.dialect.name == "sqlite":
        database = v1_store.engine.url.database
        assert database is not None
        with closing(sqlite3.connect(database)) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
            for name in ("access_authority", "access_user", "access_status", "access_event"):
                sql = conn.execute(
                    "SELECT sql FROM sqlite_master WHERE name = ?", (name,)
                ).fetchone()[0]
                assert "AUTOINCREMENT" in sql, name
            leftovers = conn.execute(
                "SELECT name FROM sqlite_master WHERE name LIKE '%__v1'"
            ).fetchall()
            assert leftovers == []


def test_ids_are_never_reused(v1_store: AccessStore) -> None:
    """Protocol records and Identifikationsmerkmale name authorities and users by id (§ 40
    Abs. 1 Nr. 1, 6 BMG): a deleted newest row's id must not come back as someone else."""
    _fill_v1(v1_store)
    v1_store.migrate()
    operator = Actor.operator("Betrieb Schulz")
    newest = v1_store.add_user(
        authority_id=2,
        kennung="KOK-2",
        name="Vier",
        belehrt_am=datetime.now(UTC).date(),
        actor=operator,
    )
    v1_store.delete_user(newest.id, actor=operator)
    again = v1_store.add_user(
        authority_id=2,
        kennung="KOK-2",
        name="Vier",
        belehrt_am=datetime.now(UTC).date(),
        actor=operator,
    )
    assert again.id == newest.id + 1
    # there is no command that deletes an authority; the table guarantees it all the same
    added = v1_store.add_authority(
        kennung="dbs:neu",
        name="Neu",
        klasse=Behoerdenklasse.OEFFENTLICHE_STELLE,
        administrator="Verwaltung",
    )
    with v1_store.engine.begin() as conn:
        conn.execute(status.delete().where(status.c.authority_id == added.id))
        conn.execute(authorities.delete().where(authorities.c.id == added.id))
    later = v1_store.add_authority(
        kennung="dbs:neu",
        name="Neu",
        klasse=Behoerdenklasse.OEFFENTLICHE_STELLE,
        administrator="Verwaltung",
    )
    assert later.id == added.id + 1


@pytest.mark.parametrize(
    ("text", "lines"),
    [
        ("Trammplatz 2, 30159 Hannover", ["Trammplatz 2, 30159 Hannover"]),
        ("Trammplatz 2\n\n30159 Hannover\n", ["Trammplatz 2", "30159 Hannover"]),
        ("  viel   Raum  ", ["viel Raum"]),
        ("x" * 121, ["x" * 120, "x"]),
        ("wort " * 30, None),
    ],
)
def test_a_version_1_address_becomes_lines(text: str, lines: list[str] | None) -> None:
    """The free-text address of version 1 becomes envelope lines (DOMAIN.md § 7: identity of
    the registered authority) without losing a character."""
    result = anschrift_lines(text)
    if lines is None:  # word-wrapped: nothing lost, every line fits
        assert " ".join(result) == " ".join(text.split())
        assert all(len(line) <= 120 for line in result) and len(result) == 2
    else:
        assert result == lines
    assert len(anschrift_lines("y" * 1000)) <= 10
