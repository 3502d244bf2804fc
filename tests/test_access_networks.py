"""Client networks of an authority: strict CIDR parsing and membership (§ 39 Abs. 3 BMG).

DOMAIN.md § 7: access only from the state network; the operator restricts it to the
authority's authorised client machines. A typo in a network must not silently open (or close)
more than the operator meant, so parsing refuses everything that is not plain CIDR.
"""

from __future__ import annotations

from ipaddress import IPv4Network, IPv6Network

import pytest

from datenspiegel.access import ALLE_NETZE, InvalidNetwork, adresse_in_netzen, parse_netz
from datenspiegel.access.networks import netze_from_json, netze_to_json, parse_netze, umfasst_alle


@pytest.mark.parametrize(
    ("text", "network"),
    [
        ("10.20.0.0/16", IPv4Network("10.20.0.0/16")),
        ("10.20.30.40", IPv4Network("10.20.30.40/32")),  # one machine
        ("10.20.30.40/32", IPv4Network("10.20.30.40/32")),
        ("0.0.0.0/0", IPv4Network("0.0.0.0/0")),
        ("2001:db8::/32", IPv6Network("2001:db8::/32")),
        ("::1", IPv6Network("::1/128")),
    ],
)
def test_cidr_networks_and_single_machines(text: str, network: IPv4Network | IPv6Network) -> None:
    """§ 39 Abs. 3 BMG: a network of client machines, or one machine."""
    assert parse_netz(text) == network


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("10.20.30.40/16", "host bits set: did you mean 10.20.0.0/16"),
        ("2001:db8::1/32", "did you mean 2001:db8::/32"),
        ("10.0.0.0/255.0.0.0", "prefix length as a number"),
        ("10.0.0.0/0.255.255.255", "prefix length as a number"),
        ("10.0.0.0/", "prefix length as a number"),
        ("10.0.0.0/33", "not a network"),
        ("010.1.2.0/24", "not an IPv4 or IPv6 address"),
        ("10.1.2", "not an IPv4 or IPv6 address"),
        (" 10.0.0.0/8", "not a network"),
        ("10.0.0.0/8 ", "not a network"),
        ("", "not a network"),
        ("landesnetz", "not an IPv4 or IPv6 address"),
        ("10.0.0.0/+8", "prefix length as a number"),
        ("10.0.0.0/٨", "prefix length as a number"),  # a non-ASCII digit
    ],
)
def test_anything_but_plain_cidr_is_refused_saying_what_was_meant(text: str, message: str) -> None:
    """§ 39 Abs. 3 BMG: a mistyped network must not open more than the operator meant."""
    with pytest.raises(InvalidNetwork, match=message):
        parse_netz(text)


def test_several_networks() -> None:
    """§ 39 Abs. 3 BMG: an authority has one or more client networks, never none."""
    assert parse_netze(["10.0.0.0/8", "10.0.0.0/8", "::1"]) == (
        IPv4Network("10.0.0.0/8"),
        IPv6Network("::1/128"),
    )
    with pytest.raises(InvalidNetwork, match="at least one"):
        parse_netze([])
    netze = parse_netze(["10.0.0.0/8", "2001:db8::/32"])
    assert netze_from_json(netze_to_json(netze)) == netze
    assert umfasst_alle(ALLE_NETZE) and not umfasst_alle(netze)


def test_membership() -> None:
    """§ 39 Abs. 3 BMG: the source address as the server sees it (IPv4, IPv6, mapped, scoped)."""
    netze = parse_netze(["10.1.0.0/16", "2001:db8::/32"])
    assert adresse_in_netzen("10.1.0.1", netze)
    assert adresse_in_netzen("::ffff:10.1.0.1", netze)
    assert adresse_in_netzen("2001:db8::5", netze)
    assert adresse_in_netzen("fe80::1%eth0", parse_netze(["fe80::/10"]))
    assert not adresse_in_netzen("10.2.0.1", netze)
    assert not adresse_in_netzen("unix:/run/x", netze)
    for address in ("1.2.3.4", "::1", "::ffff:1.2.3.4"):
        assert adresse_in_netzen(address, ALLE_NETZE)
