"""The letter asking an authority to check retrievals behind a finding (Markdown or HTML).

DOMAIN.md § 7: the operator "contacts an authority on suspected unlawful retrievals". The
letter says, in neutral words and without accusing anyone, what the review of the § 40 BMG
protocol showed, lists the retrievals (time, message id, service, outcome) so that the
authority can find them in its own files, and asks it to check whether they served its tasks
and to answer by a date. It is a document for the operator to send (``datenspiegel anomalies
letter``); sending it puts the finding in the state *authority asked*.

For a **security authority** the operator does not review what was asked or found (§ 40
Abs. 3 BMG): its letter carries metadata only — times, message ids, service, outcome codes —
never Aktenzeichen, Anlass, search data or persons, even where the operator keeps its records
on its behalf. For a public body the Aktenzeichen and Anlass the authority itself sent are
listed too (its own file numbers); never search data, names or who was found. No letter names
a person of the register: a decoy is described as a retrieval whose occasion should be
checked, never as a decoy.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from datenspiegel.access.model import Authority
from datenspiegel.protocol.anomalies import DetectorKind
from datenspiegel.protocol.anomalies.store import StoredFinding
from datenspiegel.protocol.record import Outcome, ProtocolRecord

__all__ = [
    "KIND_TEXT",
    "Letter",
    "RecordLine",
    "compose_letter",
    "german_date",
    "german_moment",
    "letter_html",
    "letter_markdown",
]

LOCAL = ZoneInfo("Europe/Berlin")
#: Most retrievals a letter lists one by one.
MAX_LINES = 50

#: What each kind of finding is, in neutral words (no suspicion, no method revealed).
KIND_TEXT: dict[DetectorKind, str] = {
    DetectorKind.UNUSUAL_HOURS: "Abrufe außerhalb der bei Ihnen üblichen Dienstzeiten "
    "(nachts, am Wochenende oder an einem Feiertag)",
    DetectorKind.BURST_USER: "eine ungewöhnlich hohe Zahl von Abrufen einer Nutzerkennung "
    "in kurzer Zeit",
    DetectorKind.BURST_AUTHORITY: "eine ungewöhnlich hohe Zahl von Abrufen Ihrer Behörde in "
    "kurzer Zeit",
    DetectorKind.VOLUME_BASELINE: "an einem Tag deutlich mehr Abrufe einer Nutzerkennung als "
    "an ihren bisherigen Arbeitstagen",
    DetectorKind.REPEAT_PERSON_USER: "wiederholte Abrufe zu derselben Person durch eine "
    "Nutzerkennung",
    DetectorKind.REPEAT_PERSON_AUTHORITIES: "Abrufe zu derselben Person durch mehrere "
    "Behörden in kurzer Zeit, darunter Ihre",
    DetectorKind.FISHING: "ein hoher Anteil von Personensuchen ohne eindeutiges Ergebnis "
    "(keine oder mehrere gefundene Personen)",
    DetectorKind.BROAD_FREIE_SUCHE: "freie Suchen mit sehr wenigen Suchkriterien oder sehr "
    "vielen Ergebnissen",
    DetectorKind.DECOY: "ein Abruf, dessen Anlass wir Sie zu prüfen bitten",
    DetectorKind.AFTER_BLOCK: "Abrufversuche, während die Nutzerkennung oder Ihre Behörde "
    "gesperrt war",
    DetectorKind.FAILURES: "wiederholt fehlgeschlagene Signatur-, Zertifikats- oder "
    "Netzprüfungen von einem Rechner",
    DetectorKind.REPLAY: "wiederholt eingereichte oder zeitlich ungültige Nachrichten",
}

_SERVICES = {"personensuche": "Personensuche", "freieSuche": "freie Suche"}
_OUTCOMES = {
    Outcome.ANSWERED: "beantwortet",
    Outcome.REJECTED: "zurückgewiesen",
    Outcome.RETURNED: "technisch abgewiesen",
    Outcome.FAILED: "fehlgeschlagen",
    Outcome.DUPLICATE: "wiederholt eingereicht",
}


def german_date(day: date) -> str:
    return f"{day:%d.%m.%Y}"


def german_moment(moment: datetime) -> str:
    """A UTC moment in German local time, as a letter writes it."""
    return f"{moment.astimezone(LOCAL):%d.%m.%Y %H:%M:%S}"


@dataclass(frozen=True, slots=True)
class RecordLine:
    """One retrieval as the letter lists it."""

    at: str
    message_id: str | None
    service: str
    outcome: str
    #: public bodies only: the Aktenzeichen and Anlass the authority sent
    aktenzeichen: str | None = None
    anlass: str | None = None


@dataclass(frozen=True, slots=True)
class Letter:
    sender: str
    recipient: tuple[str, ...]
    contact: str | None
    day: date
    reference: str
    subject: str
    paragraphs: tuple[str, ...]
    lines: tuple[RecordLine, ...]
    #: retrievals behind the finding that are not listed (beyond MAX_LINES, or not read)
    unlisted: int
    metadata_only: bool
    requests: tuple[str, ...]
    closing: tuple[str, ...]


def _line(record: ProtocolRecord, *, metadata_only: bool) -> RecordLine:
    codes = ", ".join(record.outcome_codes) or "–"
    return RecordLine(
        at=german_moment(record.received_at),
        message_id=record.request_message_id,
        service=_SERVICES.get(record.service, record.service),
        outcome=f"{_OUTCOMES[record.outcome]} ({codes})",
        aktenzeichen=None if metadata_only else record.aktenzeichen,
        anlass=None if metadata_only else record.anlass,
    )


def compose_letter(
    stored: StoredFinding,
    authority: Authority,
    records: Sequence[ProtocolRecord],
    *,
    sender: str,
    reviewer: str,
    today: date,
    respond_by: date,
) -> Letter:
    """The letter to ``authority`` about ``stored``, listing ``records`` (the finding's,
    those of this authority; see the module docstring for what each kind of authority is
    told)."""
    finding = stored.finding
    metadata_only = authority.ist_sicherheitsbehoerde or any(r.sicherheitsbehoerde for r in records)
    own = sorted(
        (r for r in records if r.authority_id in (None, authority.id)),
        key=lambda r: (r.received_at, r.record_id),
    )
    lines = tuple(_line(r, metadata_only=metadata_only) for r in own[:MAX_LINES])
    subject = finding.subject
    who = ""
    if subject.user_kennung is not None and subject.authority_id == authority.id:
        who = f" Betroffen ist die Nutzerkennung {subject.user_kennung}."
    count = finding.record_count
    observed = (
        f"bei der regelmäßigen Kontrolle der Protokolldaten nach § 40 BMG haben wir bei Abrufen "
        f"Ihrer Behörde aus dem Melderegisterdatenspiegel Folgendes festgestellt: "
        f"{KIND_TEXT[finding.kind]}. Es geht um {count} "
        f"{'Vorgang' if count == 1 else 'Vorgänge'} zwischen "
        f"{german_moment(finding.window_start)} und {german_moment(finding.window_end)} Uhr "
        f"(gemessen {finding.measured:g}, Prüfschwelle {finding.threshold:g}).{who}"
    )
    neutral = (
        "Eine solche Auffälligkeit kann dienstlich begründet sein, etwa durch einen "
        "Einsatz, eine Sonderlage oder eine Sammelbearbeitung. Wir teilen sie Ihnen mit, "
        "damit Sie sie prüfen können; ein Vorwurf ist damit nicht verbunden."
    )
    paragraphs = [observed, neutral]
    if metadata_only:
        paragraphs.append(
            "Den Inhalt der Abrufe von Sicherheitsbehörden sehen wir nicht ein (§ 40 Abs. 3 "
            "BMG). Wir nennen Ihnen daher nur technische Angaben: Zeitpunkt, Nachrichten-ID, "
            "Dienst und Ergebnis. Bitte gleichen Sie sie mit Ihrer eigenen Protokollierung ab."
        )
    else:
        paragraphs.append(
            "Die folgende Übersicht nennt die Abrufe mit Zeitpunkt, Nachrichten-ID, "
            "Aktenzeichen und Anlass, wie Ihre Behörde sie übermittelt hat."
        )
    requests = (
        "ob die genannten Abrufe zur Erfüllung Ihrer Aufgaben erforderlich waren und von den "
        "dazu berechtigten Personen gestellt wurden (§ 34 BMG; Zweckbindung nach § 41 BMG);",
        "ob die Zugangsdaten und Zertifikate der Nutzerkennung nur ihrer Inhaberin oder "
        "ihrem Inhaber zugänglich sind und ob alle Nutzerkennungen Ihrer Behörde noch "
        "berechtigt sind; nicht mehr berechtigte sperren Sie bitte (§ 39 BMG, § 26 NMeldVO).",
    )
    closing = (
        f"Bitte teilen Sie uns das Ergebnis Ihrer Prüfung bis zum {german_date(respond_by)} "
        f"unter Angabe des Vorgangs {_reference(stored)} mit.",
        "Rechtsgrundlagen: § 40 BMG (Protokollierung der Abrufe; Verwendung der "
        "Protokolldaten für die Datenschutzkontrolle), §§ 39, 41 BMG und § 26 NMeldVO "
        "(Pflichten der abrufenden Stelle).",
    )
    contact = None
    if authority.kontakt is not None:
        parts = [p for p in (authority.kontakt.telefon, authority.kontakt.email) if p]
        contact = "Ihre Kontaktdaten laut Registrierung: " + ", ".join(parts)
    return Letter(
        sender=sender,
        recipient=(authority.name, *(authority.anschrift or ())),
        contact=contact,
        day=today,
        reference=_reference(stored),
        subject=(
            "Bitte um Prüfung von Abrufen aus dem Melderegisterdatenspiegel "
            f"(Vorgang {_reference(stored)})"
        ),
        paragraphs=tuple(paragraphs),
        lines=lines,
        unlisted=max(0, count - len(lines)),
        metadata_only=metadata_only,
        requests=requests,
        closing=(*closing, "Mit freundlichen Grüßen", "Im Auftrag", reviewer, sender),
    )


def _reference(stored: StoredFinding) -> str:
    return f"A-{stored.id}"


def letter_markdown(letter: Letter) -> str:
    out = [f"{letter.sender}", "", *letter.recipient, ""]
    if letter.contact:
        out += [letter.contact, ""]
    out += [f"Datum: {german_date(letter.day)}", "", f"**Betreff: {letter.subject}**", ""]
    out += ["Sehr geehrte Damen und Herren,", ""]
    for paragraph in letter.paragraphs:
        out += [paragraph, ""]
    header = "| Zeitpunkt | Nachrichten-ID | Dienst | Ergebnis |"
    rule = "|---|---|---|---|"
    if not letter.metadata_only:
        header += " Aktenzeichen | Anlass |"
        rule += "---|---|"
    out += [header, rule]
    for line in letter.lines:
        row = f"| {line.at} | {line.message_id or '–'} | {line.service} | {line.outcome} |"
        if not letter.metadata_only:
            row += f" {_cell(line.aktenzeichen)} | {_cell(line.anlass)} |"
        out.append(row)
    if letter.unlisted:
        out += ["", f"… und {letter.unlisted} weitere Vorgänge im selben Zeitraum."]
    out += ["", "Wir bitten Sie zu prüfen,", ""]
    out += [f"- {request}" for request in letter.requests]
    out.append("")
    for paragraph in letter.closing:
        out += [paragraph, ""]
    return "\n".join(out).rstrip() + "\n"


def _cell(value: str | None) -> str:
    return (value or "–").replace("|", "/")


_STYLE = """
body { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 11pt; line-height: 1.4;
       max-width: 17cm; margin: 2cm auto; color: #111; }
.sender { font-size: 9pt; border-bottom: 1px solid #777; margin-bottom: 1em; }
.recipient { margin-bottom: 2em; white-space: pre-line; }
.date { text-align: right; }
h1 { font-size: 11pt; }
table { border-collapse: collapse; width: 100%; font-size: 9pt; margin: 1em 0; }
th, td { border: 1px solid #999; padding: 3px 5px; text-align: left; vertical-align: top; }
@media print { body { margin: 0 auto; } }
"""


def letter_html(letter: Letter) -> str:
    """A printable, self-contained HTML page (no scripts, no external resources)."""
    e = html.escape
    head = ["Zeitpunkt", "Nachrichten-ID", "Dienst", "Ergebnis"]
    if not letter.metadata_only:
        head += ["Aktenzeichen", "Anlass"]
    rows = []
    for line in letter.lines:
        cells = [line.at, line.message_id or "–", line.service, line.outcome]
        if not letter.metadata_only:
            cells += [line.aktenzeichen or "–", line.anlass or "–"]
        rows.append("<tr>" + "".join(f"<td>{e(c)}</td>" for c in cells) + "</tr>")
    parts = [
        "<!DOCTYPE html>",
        '<html lang="de"><head><meta charset="utf-8">',
        f"<title>{e(letter.subject)}</title><style>{_STYLE}</style></head><body>",
        f'<div class="sender">{e(letter.sender)}</div>',
        f'<div class="recipient">{e(chr(10).join(letter.recipient))}</div>',
    ]
    if letter.contact:
        parts.append(f"<p>{e(letter.contact)}</p>")
    parts += [
        f'<p class="date">Datum: {e(german_date(letter.day))}</p>',
        f"<h1>Betreff: {e(letter.subject)}</h1>",
        "<p>Sehr geehrte Damen und Herren,</p>",
        *(f"<p>{e(p)}</p>" for p in letter.paragraphs),
        "<table><thead><tr>" + "".join(f"<th>{e(h)}</th>" for h in head) + "</tr></thead>",
        "<tbody>" + "".join(rows) + "</tbody></table>",
    ]
    if letter.unlisted:
        parts.append(f"<p>… und {letter.unlisted} weitere Vorgänge im selben Zeitraum.</p>")
    parts.append("<p>Wir bitten Sie zu prüfen,</p><ul>")
    parts += [f"<li>{e(r)}</li>" for r in letter.requests]
    parts.append("</ul>")
    parts += [f"<p>{e(p)}</p>" for p in letter.closing]
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
