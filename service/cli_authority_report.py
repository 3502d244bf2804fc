"""``datenspiegel authority report``: what the operator should look at, per authority.

The operator audits the authorities' measures (DOMAIN.md § 7): the report lists per authority
its users and blocked users, certificates that expire soon or have expired, users whose
instruction on the purpose limitation (§ 41 BMG) is older than the period or was never
recorded, the status changes of the recent past, and findings — an authority without network
restriction (§ 39 Abs. 3 BMG), a main administrator who is not a registered, reachable person
with a valid certificate (§ 39 BMG, Nds. NMeldVO § 26).
"""

from __future__ import annotations

import argparse
from datetime import date, datetime
from typing import Any

from datenspiegel.access import AccessStore, Authority
from datenspiegel.access.networks import umfasst_alle

__all__ = ["authority_report", "print_report"]


def authority_report(
    store: AccessStore,
    authority: Authority,
    *,
    now: datetime,
    certificates_until: datetime,
    belehrt_before: date,
    since: datetime,
) -> dict[str, Any]:
    """The report of one authority as plain data (the ``--json`` form)."""
    users = {u.id: u for u in store.users(authority.id)}
    certificates = store.certificates_of_authority(authority.id)
    with_certificate = {c.user_id for c in certificates if c.not_after > now}
    expiring = [
        {
            "user": users[c.user_id].kennung,
            "fingerprint": c.fingerprint,
            "not_after": c.not_after.isoformat(),
            "expired": c.not_after <= now,
        }
        for c in certificates
        if c.not_after <= certificates_until
    ]
    belehrung = [
        {"user": u.kennung, "belehrt_am": u.belehrt_am.isoformat() if u.belehrt_am else None}
        for u in users.values()
        if u.belehrt_am is None or u.belehrt_am < belehrt_before
    ]
    changes = [
        {"user": users[user_id].kennung if user_id in users else None, **change.as_json()}
        for user_id, change in store.status_changes_since(authority.id, since)
    ]
    findings: list[str] = []
    if umfasst_alle(authority.netze):
        findings.append(
            "accepts requests from any network: set its client networks (§ 39 Abs. 3 BMG; "
            "authority set-networks)"
        )
    admin = users.get(authority.administrator_id) if authority.administrator_id else None
    if admin is None:
        findings.append(
            "the main administrator is named only, not a registered user (authority set-admin)"
        )
    else:
        if admin.gesperrt:
            findings.append(f"the main administrator {admin.kennung} is blocked")
        if admin.id not in with_certificate:
            findings.append(
                f"the main administrator {admin.kennung} has no valid certificate "
                "(user bind-certificate)"
            )
    if expiring:
        findings.append(f"{len(expiring)} certificate(s) expired or expiring soon")
    if belehrung:
        findings.append(
            f"{len(belehrung)} user(s) without a recent instruction on purpose limitation "
            "(§ 41 BMG; user change --belehrt-am)"
        )
    return {
        "kennung": authority.kennung,
        "name": authority.name,
        "status": "blocked" if authority.gesperrt else "active",
        "gesperrt_grund": authority.gesperrt_grund,
        "users": len(users),
        "blocked_users": sum(u.gesperrt for u in users.values()),
        "users_without_certificate": sorted(
            u.kennung for u in users.values() if u.id not in with_certificate
        ),
        "certificates_expiring": expiring,
        "belehrung_overdue": belehrung,
        "status_changes": changes,
        "findings": findings,
    }


def print_report(report: list[dict[str, Any]], args: argparse.Namespace) -> None:
    if not report:
        print("no authorities registered")
    for entry in report:
        state = f"BLOCKED ({entry['gesperrt_grund']})" if entry["status"] == "blocked" else "active"
        print(f"{entry['kennung']}  {entry['name']}  — {state}")
        print(f"  users: {entry['users']} ({entry['blocked_users']} blocked)")
        if entry["users_without_certificate"]:
            names = ", ".join(entry["users_without_certificate"])
            print(f"  without a valid certificate: {names}")
        for c in entry["certificates_expiring"]:
            verb = "expired" if c["expired"] else "expires"
            print(
                f"  certificate of {c['user']} {verb} {c['not_after'][:10]}  "
                f"{c['fingerprint'][:16]}…"
            )
        for b in entry["belehrung_overdue"]:
            when = b["belehrt_am"] or "never recorded"
            print(f"  instruction (§ 41 BMG) of {b['user']}: {when}")
        if entry["status_changes"]:
            print(f"  status changes in the last {args.since_days} days:")
            for s in entry["status_changes"]:
                who = s["user"] or "authority"
                reason = f": {s['grund']}" if s["grund"] else ""
                print(f"    {s['at'][:16]}  {who:<20} {s['status']:<8} {s['actor']}{reason}")
        for finding in entry["findings"]:
            print(f"  ! {finding}")
    total = sum(len(e["findings"]) for e in report)
    print(f"{len(report)} authorities, {total} finding(s)")
