"""The access value types validate themselves and derive the legal facts from registration."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, cast

import pytest

from datenspiegel.access import (
    SICHERHEITSBEHOERDE_UNTERTYPEN,
    Authority,
    Behoerdenklasse,
    InvalidAuthority,
    InvalidUser,
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


def test_operator_logs_content_only_when_commissioned() -> None:
    assert not BASE.betreiber_protokolliert_inhalt
    assert replace(BASE, protokollierung_durch_betreiber=True).betreiber_protokolliert_inhalt
    public = replace(BASE, klasse=Behoerdenklasse.OEFFENTLICHE_STELLE, untertyp=None)
    assert public.betreiber_protokolliert_inhalt
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
