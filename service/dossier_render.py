"""The authority dossier as JSON, Markdown or HTML (service/dossier.py builds it).

The Markdown and the HTML form show the same sections, built once (:func:`_sections`) as
paragraphs and tables of plain text and then written in either syntax. Every text from the
registry or the protocol is escaped for the form it goes into: an authority's name or a
finding cannot add markup, links or scripts. The HTML page is self-contained and printable —
one file, its style inline, nothing loaded from anywhere (its Content-Security-Policy forbids
it), a page break before each major section when printed.
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from datenspiegel.access import SICHERHEITSBEHOERDE_UNTERTYPEN

__all__ = ["FORMS", "render"]

FORMS = ("json", "md", "html")


@dataclass(frozen=True, slots=True)
class _Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


_Block = str | _Table
_Section = tuple[str, list[_Block]]


def render(dossier: Mapping[str, Any], form: str) -> str:
    """The dossier in ``form`` (one of :data:`FORMS`), as text ending with a line break."""
    if form == "json":
        return json.dumps(dossier, ensure_ascii=False, indent=2) + "\n"
    if form == "md":
        return _markdown(dossier)
    if form == "html":
        return _html(dossier)
    raise ValueError(f"a dossier is written as {', '.join(FORMS)}, not {form!r}")


# -- the sections, in plain text -------------------------------------------------------------


def _when(value: str | None) -> str:
    if not value:
        return "—"
    moment = datetime.fromisoformat(value)
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def _text(value: Any) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(_text(v) for v in value)
    if isinstance(value, Mapping):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return " ".join(str(value).split())  # one line: a table cell


def _counts(counts: Mapping[str, int]) -> str:
    return ", ".join(f"{name} {number}" for name, number in counts.items()) or "—"


def _title(d: Mapping[str, Any]) -> str:
    a = d["authority"]
    return f"Dossier: {a['name']} ({a['kennung']})"


def _sections(d: Mapping[str, Any]) -> list[_Section]:
    return [
        _header(d),
        _registration(d),
        _history(d),
        _users(d),
        _blocks(d),
        _retrievals(d),
        _audits(d),
        _findings(d),
    ]


def _header(d: Mapping[str, Any]) -> _Section:
    period = d["period"]
    return (
        "About this dossier",
        [
            f"Made on {_when(d['created_at'])} by {d['created_by']} for: {d['occasion']}.",
            "Reading the protocol for it was recorded, for the purpose of data-protection "
            "control (§ 40 BMG). The registry sections cover the whole file; the retrieval "
            f"statistics and findings cover {period['first_day']} to {period['last_day']} "
            "(German time, both days included).",
            "It contains personal data of the authority's users: keep it as the audit's file.",
        ],
    )


def _klasse(a: Mapping[str, Any]) -> str:
    if a["untertyp"] is None:
        return "öffentliche Stelle (§ 34 Abs. 1 Satz 1 BMG)"
    name = SICHERHEITSBEHOERDE_UNTERTYPEN.get(a["untertyp"], "?")
    return f"Sicherheitsbehörde Nr. {a['untertyp']}: {name} (§ 34 Abs. 4 Satz 1 BMG)"


def _registration(d: Mapping[str, Any]) -> _Section:
    a = d["authority"]
    kontakt = a["kontakt"] or {}
    rows = [
        ("Kennung", a["kennung"]),
        ("Name", a["name"]),
        ("Class", _klasse(a)),
        ("Address", _text(a["anschrift"])),
        ("Contact", _text([v for v in (kontakt.get("telefon"), kontakt.get("email")) if v])),
        ("Client networks", _text(a["netze"]) + (" (ANY NETWORK)" if a["any_network"] else "")),
        ("Main administrator", a["administrator"]["name"]),
        ("Status", a["status"] + (f": {a['gesperrt_grund']}" if a["gesperrt_grund"] else "")),
        ("Registered", _when(a["registered_at"])),
    ]
    if a["untertyp"] is not None:
        rows.insert(
            3,
            (
                "Operator logs content (§ 40 Abs. 3 BMG)",
                _text(a["protokollierung_durch_betreiber"]),
            ),
        )
    return ("Registration", [_Table(("", ""), tuple((k, _text(v)) for k, v in rows))])


def _events(events: list[Mapping[str, Any]]) -> _Block:
    if not events:
        return "none"
    return _Table(
        ("#", "when", "change", "user", "by", "details"),
        tuple(
            (
                str(e["seq"]),
                _when(e["at"]),
                e["action"],
                _text(e["target"]),
                e["by"],
                _text(e["details"]),
            )
            for e in events
        ),
    )


def _history(d: Mapping[str, Any]) -> _Section:
    admins = _Table(
        ("from", "until", "Kennung", "name"),
        tuple(
            (
                _when(p["from"]) if p["from"] else "unknown (before the event log)",
                _when(p["until"]) if p["until"] else "today",
                _text(p["kennung"]) + (" (named only)" if p["named_only"] else ""),
                _text(p["name"]),
            )
            for p in d["administrators"]
        ),
    )
    status = _Table(
        ("from", "status", "by", "reason"),
        tuple(
            (_when(s["at"]), s["status"], s["actor"], _text(s["grund"]))
            for s in d["status_history"]
        ),
    )
    return (
        "Registration history",
        [
            "Main administrators (§ 39 BMG, Nds. NMeldVO § 26):",
            admins,
            "Status of the authority:",
            status,
            "Changes of the registration (administrative event log):",
            _events(d["registration_history"]),
        ],
    )


_BELEHRUNG = {
    "current": "current",
    "due": "DUE",
    "overdue": "OVERDUE (suspended)",
    "unknown": "never recorded",
}


def _users(d: Mapping[str, Any]) -> _Section:
    users = d["users"]
    table = _Table(
        ("Kennung", "name", "roles", "status", "instructed (§ 41 BMG)", "instruction", "since"),
        tuple(
            (
                u["kennung"] + (" (main administrator)" if u["main_administrator"] else ""),
                u["name"],
                _text(u["roles"]),
                u["status"] + (f": {u['gesperrt_grund']}" if u["gesperrt_grund"] else ""),
                _text(u["belehrt_am"]),
                _BELEHRUNG[u["belehrung"]["state"]]
                + (f", due {u['belehrung']['due_on']}" if u["belehrung"]["due_on"] else ""),
                _when(u["registered_at"]),
            )
            for u in users
        ),
    )
    certificates = _Table(
        ("user", "fingerprint (SHA-256)", "subject", "valid until", "valid"),
        tuple(
            (
                u["kennung"],
                c["fingerprint"],
                c["subject"],
                _when(c["not_after"]),
                "yes" if c["valid"] else "EXPIRED",
            )
            for u in users
            for c in u["certificates"]
        ),
    )
    removed = d["removed_users"]
    return (
        "Users",
        [
            table if users else "none",
            "Certificates:",
            certificates if certificates.rows else "none",
            "Users removed:",
            _Table(
                ("Kennung", "removed", "by"),
                tuple((_text(r["kennung"]), _when(r["removed_at"]), r["by"]) for r in removed),
            )
            if removed
            else "none",
            "Changes of users (administrative event log):",
            _events(d["user_changes"]),
        ],
    )


def _blocks(d: Mapping[str, Any]) -> _Section:
    blocks = d["blocks"]
    return (
        "Blocks and unblocks",
        [
            _Table(
                ("when", "of", "status from then", "by", "reason"),
                tuple(
                    (_when(b["at"]), b["subject"], b["status"], b["by"], _text(b["grund"]))
                    for b in blocks
                ),
            )
            if blocks
            else "none"
        ],
    )


def _count_rows(per: Mapping[str, Mapping[str, Any]], hits: bool) -> tuple[tuple[str, ...], ...]:
    return tuple(
        (
            key,
            str(c["transactions"]),
            _counts(c["outcomes"]),
            _counts(c["codes"]),
            _counts(c["services"]),
            *((str(c["hits"]),) if hits else ()),
        )
        for key, c in per.items()
    )


def _retrievals(d: Mapping[str, Any]) -> _Section:
    r = d["retrievals"]
    hits = not r["metadata_only"]
    header = ("transactions", "outcomes", "codes", "services", *(("hits",) if hits else ()))
    blocks: list[_Block] = [
        f"{r['total']['transactions']} transaction(s) in the period (§ 40 protocol)."
        + (
            " A security authority: counts only, no content (§ 40 Abs. 3 BMG); users as "
            "the records name them."
            if not hits
            else ""
        )
    ]
    if not r["complete"]:
        blocks.append(
            "INCOMPLETE: the read of "
            + ", ".join(r["incomplete_months"])
            + " reached its limit; the counts of these months are lower bounds."
        )
    blocks += [
        "Per month (German time):",
        _Table(("month", *header), _count_rows(r["per_month"], hits)) if r["per_month"] else "none",
        "Per user:",
        _Table(("user", *header), _count_rows(r["per_user"], hits)) if r["per_user"] else "none",
    ]
    return ("Retrievals", blocks)


def _audits(d: Mapping[str, Any]) -> _Section:
    blocks: list[_Block] = []
    for a in d["audits"]:
        closed = (
            f"; closed {_when(a['closed_at'])} by {a['closed_by']}: {a['result']}"
            if a["status"] == "closed"
            else ""
        )
        if a["closed_with_open_remedies"]:
            closed += f" (with open remedies: {a['closed_with_open_remedies']})"
        blocks.append(
            f"Audit {a['id']} — {a['status'].upper()} — {a['scope']}. Opened "
            f"{_when(a['opened_at'])} by {a['opened_by']}{closed}."
        )
        blocks.append(
            _Table(
                ("finding", "when", "by", "text"),
                tuple((str(n["id"]), _when(n["at"]), n["author"], n["text"]) for n in a["notes"]),
            )
            if a["notes"]
            else "No findings."
        )
        blocks.append(
            _Table(
                ("remedy", "text", "deadline", "status", "settled"),
                tuple(
                    (
                        str(m["id"]),
                        m["text"],
                        m["deadline"],
                        m["status"] + (f" — OVERDUE {m['days_overdue']} d" if m["overdue"] else ""),
                        f"{_when(m['settled_at'])} by {m['settled_by']}: {m['settlement']}"
                        if m["settled_at"]
                        else "—",
                    )
                    for m in a["remedies"]
                ),
            )
            if a["remedies"]
            else "No remedies demanded."
        )
    return ("Audits", blocks or ["none"])


def _findings(d: Mapping[str, Any]) -> _Section:
    f = d["findings"]
    if not f["available"]:
        return ("Findings of the protocol review", [f["note"]])
    items = f["items"]
    return (
        "Findings of the protocol review",
        [
            _Table(
                ("when", "kind", "severity", "finding", "records", "status"),
                tuple(
                    (
                        _when(i["at"]),
                        i["kind"],
                        _text(i["severity"]),
                        i["summary"],
                        _text(i["records"]),
                        _text(i["status"]),
                    )
                    for i in items
                ),
            )
            if items
            else "none in the period"
        ],
    )


# -- Markdown --------------------------------------------------------------------------------

_MD_SPECIAL = str.maketrans({c: f"\\{c}" for c in "\\`*_[]<>|&~#"})


def _md(text: str) -> str:
    return _text(text).translate(_MD_SPECIAL)


def _markdown(d: Mapping[str, Any]) -> str:
    lines = [f"# {_md(_title(d))}", ""]
    for title, blocks in _sections(d):
        lines += [f"## {_md(title)}", ""]
        for block in blocks:
            if isinstance(block, _Table):
                lines.append("| " + " | ".join(_md(h) if h else " " for h in block.header) + " |")
                lines.append("|" + "---|" * len(block.header))
                lines += ["| " + " | ".join(_md(c) for c in row) + " |" for row in block.rows]
            else:
                lines.append(_md(block))
            lines.append("")
    return "\n".join(lines)


# -- HTML ------------------------------------------------------------------------------------

_STYLE = """
body { font: 10.5pt/1.4 "DejaVu Sans", Arial, sans-serif; margin: 2em; color: #000; }
h1 { font-size: 16pt; } h2 { font-size: 13pt; border-bottom: 1px solid #888; }
table { border-collapse: collapse; width: 100%; margin: 0.4em 0 1em; }
th, td { border: 1px solid #999; padding: 2px 5px; text-align: left; vertical-align: top;
  overflow-wrap: anywhere; }
th { background: #eee; }
@media print { body { margin: 0; } h2 { break-before: page; } h2:first-of-type {
  break-before: avoid; } tr { break-inside: avoid; } thead { display: table-header-group; } }
"""


def _html(d: Mapping[str, Any]) -> str:
    e = html.escape
    parts = [
        "<!DOCTYPE html>",
        '<html lang="de"><head><meta charset="utf-8">',
        # nothing may be loaded: no scripts, images, fonts or styles from anywhere
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'\">",
        f"<title>{e(_title(d))}</title><style>{_STYLE}</style></head><body>",
        f"<h1>{e(_title(d))}</h1>",
    ]
    for title, blocks in _sections(d):
        parts.append(f"<h2>{e(title)}</h2>")
        for block in blocks:
            if isinstance(block, _Table):
                head = "".join(f"<th>{e(h)}</th>" for h in block.header)
                body = "".join(
                    "<tr>" + "".join(f"<td>{e(c)}</td>" for c in row) + "</tr>"
                    for row in block.rows
                )
                parts.append(f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
            else:
                parts.append(f"<p>{e(block)}</p>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
