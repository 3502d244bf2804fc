"""The access value types validate themselves and derive the legal facts from registration."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from ipaddress import IPv4Network
from typing import Any, cast

import pytest

from datenspiegel.access import (
    ALLE_NETZE,
    SICHERHEITSBEHOERDE_UNTERTYPEN,
    Authority,
    Behoerdenklasse,
    Hauptadministrator,
    InvalidAuthority,
    InvalidContact,
    InvalidNetwork,
    InvalidUser,
    Kontakt,
    Principal,
    User,
    UserRole,
)

BASE = Authority(
    id=1,
    kennung="dbs:bka",
    name="Bundeskriminalamt",
    klasse=Behoerdenklasse.SICHERHEITSBEHOERDE,
    untertyp=1,
    anschrift=None,
    administrator="M. Muster",
    protokollierung_durch_betreiber=False,
)


def test_thirteen_sub_types() -> None:
    assert sorted(SICHERHEITSBEHOERDE_UNTERTYPEN) == list(range(1, 14))


@pytest.mark.parametrize("untertyp", range(1, 14))
def test_derived_facts_per_sub_type(untertyp: int) -> None:
    authority = replace(BASE, untertyp=untertyp)
    assert authority.ist_sicherheitsbehoerde
    assert authority.sperrausnahme_34a_abs_6 == (untertyp in {1, 6, 7, 8, 9})
    assert authority.unterfaellt_34_abs_5 == (untertyp in {1, 2, 3, 4, 6, 7, 8, 9, 11})


def test_public_body_facts() -> None:
    public = replace(BASE, klasse=Behoerdenklasse.OEFFENTLICHE_STELLE, untertyp=None)
    assert not public.ist_sicherheitsbehoerde
    assert not public.sperrausnahme_34a_abs_6 and not public.unterfaellt_34_abs_5


def test_block_needs_a_reason_and_only_then() -> None:
    with pytest.raises(InvalidAuthority, match="reason"):
        replace(BASE, gesperrt=True)
    with pytest.raises(InvalidAuthority, match="not blocked"):
        replace(BASE, gesperrt_grund="x")


def test_kennung_forms() -> None:
    assert replace(BASE, kennung="ags:03101000").kennung == "ags:03101000"
    for bad in ("ags:3101000", "ags:0310100a", "dbs:", "DBS:bka", "dbs: bka", "xyz:1"):
        with pytest.raises(InvalidAuthority):
            replace(BASE, kennung=bad)


def test_user_and_principal_validation() -> None:
    user = User(
        id=5,
        authority_id=1,
        kennung="K-1",
        name="Kommissar",
        roles=frozenset({UserRole.SACHBEARBEITUNG}),
    )
    assert Principal(BASE, user, "00" * 32).user is user
    with pytest.raises(InvalidUser, match="belongs to authority 2"):
        Principal(BASE, replace(user, authority_id=2), "00" * 32)
    with pytest.raises(InvalidUser, match="1–185"):
        replace(user, erlaubte_elemente=frozenset({True}))
    with pytest.raises(InvalidUser, match="frozenset"):
        replace(user, erlaubte_elemente=cast(Any, {1, 2}))
    with pytest.raises(InvalidUser, match="not a UserRole"):
        replace(user, roles=cast(Any, frozenset({"administrator"})))
    with pytest.raises(InvalidUser, match="NUL"):
        replace(user, name="a\x00b")


# -- registration in full (issue 8): address, contact, networks, administrator, § 41 -----------


def test_address_is_given_as_lines() -> None:
    """DOMAIN.md § 7: the registration leaves no doubt about the authority's identity — its
    postal address as the lines of an envelope."""
    lines = ("Fachbereich Öffentliche Ordnung", "Trammplatz 2", "30159 Hannover")
    assert replace(BASE, anschrift=lines).anschrift == lines
    for bad, message in (
        (cast(Any, "Trammplatz 2, 30159 Hannover"), "as its lines"),
        ((), "as its lines"),
        (("Trammplatz 2", " "), "non-empty"),
        (("Trammplatz 2\n30159 Hannover",), "separately"),
        (("x" * 121,), "120 characters"),
        (tuple(f"Zeile {n}" for n in range(11)), "at most 10 lines"),
    ):
        with pytest.raises(InvalidAuthority, match=message):
            replace(BASE, anschrift=bad)


@pytest.mark.parametrize(
    ("telefon", "email", "message"),
    [
        (None, None, "telephone number or an e-mail"),
        ("0511 abc", None, "telephone number"),
        ("++49 511", None, "telephone number"),
        (None, "poststelle", "name@host.tld"),
        (None, "a@b", "name@host.tld"),
        (None, "a b@c.de", "name@host.tld"),
        (None, "x" * 250 + "@c.de", "name@host.tld"),
    ],
)
def test_contact_validation(telefon: str | None, email: str | None, message: str) -> None:
    """DOMAIN.md § 7: the operator contacts an authority on suspected unlawful retrievals — a
    contact must be usable: a telephone number or an e-mail address that looks like one."""
    with pytest.raises(InvalidContact, match=message):
        Kontakt(telefon=telefon, email=email)


def test_valid_contacts() -> None:
    """DOMAIN.md § 7: the usual German spellings of telephone numbers are accepted."""
    assert Kontakt(telefon="+49 511 168-0").email is None
    assert Kontakt(telefon="(0511) 109/0").telefon == "(0511) 109/0"
    assert Kontakt(email="poststelle@pd-h.polizei.example").telefon is None
    assert replace(BASE, kontakt=Kontakt(email="it@bka.example")).kontakt is not None
    with pytest.raises(InvalidAuthority, match="Kontakt"):
        replace(BASE, kontakt=cast(Any, "it@bka.example"))


def test_networks_are_a_non_empty_tuple_of_networks() -> None:
    """§ 39 Abs. 3 BMG: an authority retrieves from its client networks; none at all would be
    a block without reason or history — refused (block the authority instead)."""
    assert BASE.netze == ALLE_NETZE
    one = (IPv4Network("10.20.0.0/16"),)
    assert replace(BASE, netze=one).netze == one
    assert replace(BASE, netze=one + one).netze == one  # duplicates dropped
    with pytest.raises(InvalidNetwork, match="at least one client network"):
        replace(BASE, netze=())
    with pytest.raises(InvalidNetwork, match="tuple"):
        replace(BASE, netze=cast(Any, [IPv4Network("10.0.0.0/8")]))
    with pytest.raises(InvalidNetwork, match="not an IPv4Network"):
        replace(BASE, netze=cast(Any, ("10.0.0.0/8",)))
    with pytest.raises(InvalidNetwork, match="at most 100"):
        replace(BASE, netze=tuple(IPv4Network(f"10.0.{n}.0/24") for n in range(101)))
    assert isinstance(InvalidNetwork("x"), InvalidAuthority)


def test_user_instruction_date_and_contact() -> None:
    """§ 41 BMG: users are bound to the purpose of the data; the registry keeps the day each
    was instructed (``None`` only for users from before schema version 2)."""
    user = User(
        id=5,
        authority_id=1,
        kennung="K-1",
        name="Kommissar",
        roles=frozenset({UserRole.SACHBEARBEITUNG}),
        belehrt_am=date(2026, 1, 15),
        kontakt=Kontakt(email="k1@pd.example"),
    )
    assert user.belehrt_am == date(2026, 1, 15)
    assert replace(user, belehrt_am=None).belehrt_am is None
    with pytest.raises(InvalidUser, match="must be a date"):
        replace(user, belehrt_am=cast(Any, "2026-01-15"))
    with pytest.raises(InvalidUser, match="must be a date"):
        replace(user, belehrt_am=cast(Any, datetime(2026, 1, 15, tzinfo=UTC)))
    with pytest.raises(InvalidUser, match="Kontakt"):
        replace(user, kontakt=cast(Any, "k1@pd.example"))


def test_main_administrator_is_a_reachable_instructed_person() -> None:
    """§ 39 BMG, Nds. NMeldVO § 26: the registration names one known main administrator —
    reachable (contact) and instructed on the purpose limitation (§ 41 BMG)."""
    admin = Hauptadministrator(
        kennung="ADM-1",
        name="Erika Mustermann",
        kontakt=Kontakt(telefon="+49 511 1"),
        belehrt_am=date(2026, 1, 2),
    )
    assert admin.certificate is None
    with pytest.raises(InvalidAuthority, match="contact"):
        replace(admin, kontakt=cast(Any, None))
    with pytest.raises(InvalidUser, match="instruction"):
        replace(admin, belehrt_am=cast(Any, None))
    with pytest.raises(InvalidUser, match="administrator name"):
        replace(admin, name=" ")
    with pytest.raises(InvalidUser, match="120 characters"):
        replace(admin, kennung="k" * 121)
