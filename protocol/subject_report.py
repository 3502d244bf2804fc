"""The data subject's report: which public bodies retrieved their data, when and why.

Art. 15 DSGVO i. V. m. § 10 BMG give the data subject the right to learn to whom their data
were transmitted; protocol data may be used to answer them (§ 40 BMG). Retrievals by security
authorities are never part of the answer (§ 11 Abs. 1 Nr. 3 BMG): only records answered as a
public body (``sicherheitsbehoerde`` false) are read for a report, and :func:`subject_report`
drops any other record it is given. The letter does not change with security authorities'
retrievals: it is the same whether there were any or not.

The data subject is identified by the register's internal person id(s) — the municipality
finds them in its register; the protocol holds no names (protocol.md). A report lists every
record whose hits name one of those ids: what was transmitted of them (``disclosed``, element
names from the code list of the service), or that they were found but nothing of them left
(held back by an Auskunftssperre, ``withheld``, or not disclosed for another reason such as an
ambiguous result).
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from datenspiegel.protocol.record import ProtocolRecord
from datenspiegel.xsd.codelists import (
    FREIESUCHE_ANFORDERUNGSELEMENT,
    PERSONENSUCHE_ANFORDERUNGSELEMENT,
)

__all__ = [
    "REPORT_FORMAT",
    "Retrieval",
    "SubjectReport",
    "element_label",
    "render_letter",
    "report_json",
    "subject_report",
]

REPORT_FORMAT = "datenspiegel.protocol.subject-report/1"
#: Times in the letter are German local time (the municipality writes to a resident).
LOCAL = ZoneInfo("Europe/Berlin")
_NUMBERED = re.compile(r"^(?:- |\d+\. )")
_DSMELD = re.compile(r"\s*\((?:DSMeld [^)]*|\d{4}[^)]*)\)\s*\.?$")


def element_label(service: str, code: int) -> str:
    """The name of element ``code`` in the code list of ``service`` (freie Suche: its own
    list 1–46; every other service: the Personensuche list 1–185), without the DSMeld
    reference."""
    codes = FREIESUCHE_ANFORDERUNGSELEMENT if service == "freieSuche" else None
    labels = (codes or PERSONENSUCHE_ANFORDERUNGSELEMENT).labels
    label = labels.get(str(code))
    return _DSMELD.sub("", label) if label else f"Datenelement {code}"


@dataclass(frozen=True, slots=True)
class Retrieval:
    """One retrieval by a public body that found the data subject."""

    record_id: str
    received_at: datetime
    service: str
    authority_kennung: str | None
    authority_name: str | None
    #: the requesting body as the request named it (BMeldDAV § 11 block)
    requesting_body: Mapping[str, str]
    anlass: str | None
    aktenzeichen: str | None
    #: the data subject's element codes that left (union over their ids), sorted
    elements: tuple[int, ...]
    #: whether anything of the data subject left (named in the answer, with or without codes)
    transmitted: bool
    #: found, but held back because of an Auskunftssperre (nothing left)
    withheld: bool
    person_ids: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class SubjectReport:
    person_ids: tuple[int, ...]
    name: str | None
    since: datetime | None
    until: datetime | None
    created_at: datetime
    broker: str
    retrievals: tuple[Retrieval, ...]

    @property
    def transmissions(self) -> tuple[Retrieval, ...]:
        return tuple(r for r in self.retrievals if r.transmitted)

    @property
    def found_only(self) -> tuple[Retrieval, ...]:
        return tuple(r for r in self.retrievals if not r.transmitted)


def subject_report(
    records: Iterable[ProtocolRecord],
    person_ids: Sequence[int],
    *,
    created_at: datetime,
    broker: str,
    name: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> SubjectReport:
    """The report for the data subject with ``person_ids`` from ``records`` (the protocol
    read for them). Records of security authorities are dropped whatever the caller read
    (§ 11 Abs. 1 Nr. 3 BMG), and so are records that do not name the data subject."""
    ids = frozenset(person_ids)
    if not ids:
        raise ValueError("a subject report needs the data subject's person id(s)")
    retrievals = []
    for record in sorted(records, key=lambda r: (r.received_at, r.record_id)):
        if record.sicherheitsbehoerde or not record.content_recorded:
            continue  # never a security authority's retrieval (§ 11 Abs. 1 Nr. 3 BMG)
        found = tuple(sorted(ids & set(record.hits)))
        if not found:
            continue
        disclosed = [p for p in found if p in record.disclosed]
        elements = sorted({code for p in disclosed for code in record.disclosed[p]})
        retrievals.append(
            Retrieval(
                record_id=record.record_id,
                received_at=record.received_at,
                service=record.service,
                authority_kennung=record.authority_kennung,
                authority_name=record.authority_name,
                requesting_body=dict(record.requesting_body),
                anlass=record.anlass,
                aktenzeichen=record.aktenzeichen,
                elements=tuple(elements),
                transmitted=bool(disclosed),
                withheld=not disclosed and any(p in record.withheld for p in found),
                person_ids=found,
            )
        )
    return SubjectReport(
        person_ids=tuple(sorted(ids)),
        name=name,
        since=since,
        until=until,
        created_at=created_at,
        broker=broker,
        retrievals=tuple(retrievals),
    )


# -- the forms ------------------------------------------------------------------------------


def report_json(report: SubjectReport) -> dict[str, Any]:
    def moment(value: datetime | None) -> str | None:
        return value.isoformat() if value is not None else None

    return {
        "format": REPORT_FORMAT,
        "person_ids": list(report.person_ids),
        "name": report.name,
        "since": moment(report.since),
        "until": moment(report.until),
        "created_at": moment(report.created_at),
        "broker": report.broker,
        "retrievals": [
            {
                "record_id": r.record_id,
                "received_at": r.received_at.isoformat(),
                "service": r.service,
                "authority_kennung": r.authority_kennung,
                "authority_name": r.authority_name,
                "requesting_body": dict(r.requesting_body),
                "anlass": r.anlass,
                "aktenzeichen": r.aktenzeichen,
                "transmitted": r.transmitted,
                "withheld": r.withheld,
                "elements": [
                    {"code": code, "label": element_label(r.service, code)} for code in r.elements
                ],
                "person_ids": list(r.person_ids),
            }
            for r in report.retrievals
        ],
    }


def _day(value: datetime) -> str:
    return value.astimezone(LOCAL).strftime("%d.%m.%Y")


def _when(value: datetime) -> str:
    local = value.astimezone(LOCAL)
    return f"{local:%d.%m.%Y}, {local:%H:%M} Uhr"


def _period(report: SubjectReport) -> str:
    since, until = report.since, report.until
    # ``until`` is exclusive: a period up to midnight is named by its last day
    last: date | None = None
    if until is not None:
        local = until.astimezone(LOCAL)
        last = (local - timedelta(days=1)).date() if local.time() == local.min.time() else None
    end = (
        last.strftime("%d.%m.%Y")
        if last is not None
        else (_when(until) if until is not None else _day(report.created_at))
    )
    if since is None:
        return f"alle gespeicherten Protokolldaten bis {end}"
    return f"{_day(since)} bis {end}"


def _body(retrieval: Retrieval) -> list[str]:
    lines = []
    name = retrieval.authority_name or "unbekannte Stelle"
    kennung = f" ({retrieval.authority_kennung})" if retrieval.authority_kennung else ""
    lines.append(f"Abrufende Stelle: {name}{kennung}")
    block = retrieval.requesting_body
    stated = block.get("behoerdenname")
    if stated and stated != retrieval.authority_name:
        street = " ".join(v for v in (block.get("strasse"), block.get("hausnummer")) if v)
        town = " ".join(v for v in (block.get("postleitzahl"), block.get("ort")) if v)
        address = ", ".join(v for v in (street, town) if v)
        lines.append(f"Anfragende Stelle laut Anfrage: {stated}{', ' + address if address else ''}")
    if retrieval.anlass:
        lines.append(f"Anlass: {retrieval.anlass}")
    if retrieval.aktenzeichen:
        lines.append(f"Aktenzeichen: {retrieval.aktenzeichen}")
    return lines


def render_letter(report: SubjectReport) -> str:
    """The report as a plain-text letter a municipality can send (German)."""
    broker = report.broker
    out: list[str] = []
    if report.name:
        out += [report.name, "", ""]
    out += [
        "Auskunft nach Art. 15 DSGVO i. V. m. § 10 BMG über Datenübermittlungen aus dem "
        f"Melderegister an öffentliche Stellen über den {broker}",
        "",
        f"Zeitraum: {_period(report)}",
        f"Stand: {_when(report.created_at)}",
        "",
        f"Guten Tag{' ' + report.name if report.name else ''},",
        "",
        "Sie haben Auskunft darüber erbeten, welche öffentlichen Stellen Daten zu Ihrer Person "
        f"aus dem Melderegister abgerufen haben. Der {broker} protokolliert jeden Abruf "
        "(§ 40 BMG). Für den genannten Zeitraum ergibt das Protokoll Folgendes.",
        "",
    ]
    transmissions, found_only = report.transmissions, report.found_only
    if not report.retrievals:
        out += [
            f"Im genannten Zeitraum hat keine öffentliche Stelle Daten zu Ihrer Person über den "
            f"{broker} abgerufen.",
            "",
        ]
    if transmissions:
        out += [f"1. Übermittlungen an öffentliche Stellen ({len(transmissions)})", ""]
        for number, retrieval in enumerate(transmissions, start=1):
            out.append(f"1.{number} {_when(retrieval.received_at)}")
            out += [f"     {line}" for line in _body(retrieval)]
            if retrieval.elements:
                out.append("     Übermittelte Daten:")
                out += [
                    f"       - {element_label(retrieval.service, code)}"
                    for code in retrieval.elements
                ]
            else:
                out.append(
                    "     Übermittelte Daten: Ihre Person wurde in der Antwort genannt, ohne "
                    "weitere Datenelemente"
                )
            out.append("")
    if found_only:
        number_of = "2" if transmissions else "1"
        out += [
            f"{number_of}. Abrufe, bei denen Ihre Person gefunden, aber keine Daten zu Ihnen "
            f"übermittelt wurden ({len(found_only)})",
            "",
        ]
        for number, retrieval in enumerate(found_only, start=1):
            out.append(f"{number_of}.{number} {_when(retrieval.received_at)}")
            out += [f"     {line}" for line in _body(retrieval)]
            out.append(
                "     Ergebnis: keine Daten übermittelt (Auskunftssperre)"
                if retrieval.withheld
                else "     Ergebnis: keine Daten übermittelt"
            )
            out.append("")
    out += [
        "Hinweise",
        "",
        "- Übermittlungen an Sicherheitsbehörden sind nach § 11 Abs. 1 Nr. 3 BMG von dieser "
        "Auskunft ausgenommen.",
        "- Protokolldaten werden mindestens zwölf Monate aufbewahrt und spätestens am Ende des "
        "Kalenderjahres gelöscht, das auf ihre Speicherung folgt (§ 40 BMG); frühere Abrufe "
        "sind nicht mehr feststellbar.",
        "- Zeitangaben in gesetzlicher Zeit für Deutschland.",
        "",
    ]
    return "".join(_wrapped(line) for line in out)


#: Width of the letter's lines.
WIDTH = 78


def _wrapped(line: str) -> str:
    """``line`` filled to :data:`WIDTH`; continuation lines keep its indent (and hang under
    the text of a ``- `` item or a ``Label:`` of an indented line)."""
    if len(line) <= WIDTH:
        return line + "\n"
    indent = line[: len(line) - len(line.lstrip(" "))]
    rest = line[len(indent) :]
    numbered = _NUMBERED.match(rest)
    hang = indent + (" " * len(numbered.group(0)) if numbered else "")
    return (
        textwrap.fill(
            line,
            width=WIDTH,
            subsequent_indent=hang,
            break_long_words=False,
            break_on_hyphens=False,
        )
        + "\n"
    )
