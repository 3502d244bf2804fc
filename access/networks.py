"""The client networks an authority may retrieve from (§ 39 Abs. 3 BMG, DOMAIN.md § 7).

Retrieval is allowed "only from the state network"; the operator restricts each authority to
its authorised client machines. An authority's networks are a non-empty tuple of CIDR networks.
:data:`ALLE_NETZE` (``0.0.0.0/0`` and ``::/0``) is the explicit "any network" — for development
and demos, and for authorities registered before networks were recorded (access schema
version 2 gives them that value so that the upgrade does not cut them off; ``authority report``
lists them until the operator sets their networks). An empty tuple is refused: to stop an
authority, block it — a block has a reason and a history, an empty allowlist would be a block
without either.

Parsing is strict: ``ADDRESS/PREFIX`` with a decimal prefix length and no host bits set, or a
bare address for one machine (``/32``, ``/128``). Netmask notation, leading zeros, spaces and
host bits are refused with a message that says what was meant.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network

from datenspiegel.access.errors import InvalidNetwork

__all__ = [
    "ALLE_NETZE",
    "IPNetwork",
    "adresse_in_netzen",
    "check_netze",
    "netze_from_json",
    "netze_to_json",
    "parse_netz",
    "parse_netze",
    "umfasst_alle",
]

IPNetwork = IPv4Network | IPv6Network

#: Any source address (explicit; for development, demos and registrations from before
#: schema version 2).
ALLE_NETZE: tuple[IPNetwork, ...] = (IPv4Network("0.0.0.0/0"), IPv6Network("::/0"))

_MAX_NETZE = 100


def parse_netz(text: str) -> IPNetwork:
    """One network in CIDR notation (``10.20.0.0/16``, ``2001:db8::/48``) or one address."""
    if not isinstance(text, str) or not text or text != text.strip():
        raise InvalidNetwork(f"{text!r} is not a network: write e.g. 10.20.0.0/16 or 2001:db8::/48")
    address, slash, prefix = text.partition("/")
    if slash and not (prefix.isascii() and prefix.isdigit()):
        raise InvalidNetwork(
            f"{text!r}: give the prefix length as a number (CIDR, e.g. 10.20.0.0/16), not a netmask"
        )
    try:
        ipaddress.ip_address(address)
    except ValueError:
        raise InvalidNetwork(
            f"{text!r}: {address!r} is not an IPv4 or IPv6 address (e.g. 10.20.0.0/16)"
        ) from None
    try:
        return ipaddress.ip_network(text, strict=True)
    except ValueError as exc:
        if "host bits set" in str(exc):
            meant = ipaddress.ip_network(text, strict=False)
            raise InvalidNetwork(
                f"{text!r} has host bits set: did you mean {meant}? (the network address, "
                "or a single machine without a prefix length)"
            ) from None
        raise InvalidNetwork(f"{text!r} is not a network: {exc}") from None


def parse_netze(texts: Iterable[str]) -> tuple[IPNetwork, ...]:
    """Several networks, duplicates dropped, order kept; at least one."""
    return check_netze(tuple(parse_netz(t) for t in texts))


def check_netze(netze: object) -> tuple[IPNetwork, ...]:
    """``netze`` as a valid allowlist, or :class:`InvalidNetwork` saying what is wrong."""
    if not isinstance(netze, tuple):
        raise InvalidNetwork("networks must be a tuple of IPv4Network / IPv6Network")
    if not netze:
        raise InvalidNetwork(
            "an authority needs at least one client network (§ 39 Abs. 3 BMG: retrieval only "
            "from authorised machines); to stop its access, block it instead"
        )
    for netz in netze:
        if not isinstance(netz, IPv4Network | IPv6Network):
            raise InvalidNetwork(f"{netz!r} is not an IPv4Network or IPv6Network")
    unique = tuple(dict.fromkeys(netze))
    if len(unique) > _MAX_NETZE:
        raise InvalidNetwork(
            f"at most {_MAX_NETZE} networks per authority (got {len(unique)}): "
            "combine them into larger prefixes"
        )
    return unique


def umfasst_alle(netze: Iterable[IPNetwork]) -> bool:
    """Whether ``netze`` leaves the source address unrestricted for IPv4 or IPv6."""
    return any(netz.prefixlen == 0 for netz in netze)


def _address(text: str) -> IPv4Address | IPv6Address | None:
    try:
        address = ipaddress.ip_address(text.strip().removeprefix("[").removesuffix("]"))
    except ValueError:
        return None
    # A dual-stack listener reports IPv4 clients as ::ffff:a.b.c.d.
    if isinstance(address, IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def adresse_in_netzen(client_address: str, netze: Iterable[IPNetwork]) -> bool:
    """Whether ``client_address`` lies in one of ``netze``; an unreadable address never does."""
    address = _address(client_address)
    if address is None:
        return False
    return any(address.version == netz.version and address in netz for netz in netze)


def netze_to_json(netze: Iterable[IPNetwork]) -> list[str]:
    return [str(netz) for netz in netze]


def netze_from_json(values: Iterable[str]) -> tuple[IPNetwork, ...]:
    return tuple(ipaddress.ip_network(value) for value in values)
