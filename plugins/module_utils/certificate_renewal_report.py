# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The fleet certificate report of the certificate_renewal role as a report document (the dict
the collection's report_html / report_markdown filters render and the JSON report is), built
from what each host's run recorded. Pure (no Ansible imports)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

SEVERITY_ORDER = ("critical", "major", "minor", "warning", "info", "ok")
# highAvailability of a device without an HA partner (the guides' examples).
STAND_ALONE_STATES = ("", "Not Operational", "Stand Alone")

# outcome -> (severity, text shown in the Result column)
OUTCOMES = {
    "renewed": ("ok", "renewed"),
    "not_due": ("ok", "not due"),
    "would_renew": ("warning", "would renew (check mode)"),
    "waiting": ("warning", "waiting for the signed certificate"),
    "blocked": ("major", "not renewed"),
    "stopped": ("major", "stopped before the switch, nothing changed in service"),
    "switched_back": ("major", "switched back to the previous context"),
    "failed": ("critical", "failed"),
}


def _worst(*severities: str) -> str:
    return min(severities, key=SEVERITY_ORDER.index)


def _context_label(entry: Mapping[str, Any]) -> str:
    return f"{entry['id']} {entry['name']}"


# Looked up by a record's signer, which may be missing (None).
SIGNERS: dict[str | None, str] = {"ca": "signed by the CA on the controller", "external": "signed by the signer tasks",
                                  "directory": "signed certificate from the directory"}


def _method_text(entry: Mapping[str, Any], outcome: Mapping[str, Any]) -> str:
    if entry.get("method") == "staged":
        target = outcome.get("target") or entry.get("target") or {}
        if outcome.get("outcome") == "renewed":
            return (f"staged in {target.get('name')} (context {target.get('id')}), users switched; "
                    f"{entry['name']} kept for rollback")
        return f"staged in {target.get('name')} (context {target.get('id') or 'new'}), users switched after signing"
    if entry.get("method") == "in_place":
        return "in place"
    return ""


def _default_outcome(entry: Mapping[str, Any], check_mode: bool) -> str:
    action = entry.get("action")
    if action == "none":
        return "not_due"
    if action == "blocked":
        return "blocked"
    return "would_renew" if check_mode else "failed"


def _row(host: Mapping[str, Any], entry: Mapping[str, Any], outcome: Mapping[str, Any], renew_before_days: int,
         check_mode: bool) -> dict[str, Any]:
    kind = outcome.get("outcome") or _default_outcome(entry, check_mode)
    severity, text = OUTCOMES.get(kind, ("critical", kind))
    cert = entry.get("certificate") or {}
    days = entry.get("days_left")
    if kind not in ("renewed",) and days is not None:
        if days < 0:
            severity = _worst(severity, "critical")
        elif days < renew_before_days and kind != "not_due":
            severity = _worst(severity, "warning")
    new = outcome.get("new_certificate") or {}
    detail = outcome.get("detail") or ("" if kind == "not_due" else entry.get("reason", ""))
    if kind in ("renewed", "would_renew", "waiting"):
        method = _method_text(entry, outcome)
        how = ", ".join(part for part in (method, outcome.get("key_source") and f"key made on the {outcome['key_source']}",
                                          SIGNERS.get(outcome.get("signer"))) if part)
        detail = "; ".join(part for part in (entry.get("reason") if kind != "renewed" else "", how, outcome.get("detail")) if part)
    return {
        "device": host["host"],
        "context": _context_label(entry),
        "used_by": ", ".join(entry.get("user_labels") or []) or "nothing",
        "subject": cert.get("subject", ""),
        "issuer": cert.get("issuer", ""),
        "expires": cert.get("not_after", ""),
        "days_left": days,
        "result": text,
        "new_expires": new.get("not_after", ""),
        "new_fingerprint": new.get("fingerprint", ""),
        "detail": detail,
        "severity": severity,
    }


def _ha_note(host: Mapping[str, Any]) -> str:
    if (host.get("ha_state") or "") in STAND_ALONE_STATES:
        return "stand-alone"
    changed = any((item or {}).get("outcome") in ("renewed", "switched_back", "failed") for item in (host.get("outcomes") or {}).values())
    note = f"HA pair, active unit {host.get('serial') or '?'}: changes are made once, on the pair's address"
    if not changed:
        return note
    after = host.get("ha_after") or {}
    if after.get("synchronized_at"):
        return note + f"; the redundant unit had them at {after['synchronized_at']} (pair synchronized)"
    if after.get("state") == "Synchronizing":
        return note + "; the pair was still synchronizing when the run ended: the redundant unit gets them when it ends"
    return note + (f"; pair state {after.get('state') or 'unknown'} after the changes: the redundant unit gets them "
                   "at the pair's next synchronization")


def build_report(hosts: Iterable[Mapping[str, Any]], generated: str, renew_before_days: int = 30,
                 title: str = "Certificate report", check_mode: bool = False) -> dict[str, Any]:
    """The report document for every host's record (see the role's docs for the record)."""
    rows: list[dict[str, Any]] = []
    problems: list[dict[str, Any]] = []
    devices: list[dict[str, Any]] = []
    removed: list[dict[str, Any]] = []
    for host in sorted(hosts, key=lambda item: item["host"]):
        device = {"device": host["host"], "address": host.get("address", ""), "ha": host.get("ha_state") or "",
                  "note": _ha_note(host), "severity": "ok"}
        if host.get("error"):
            device.update(note=host["error"], severity="critical")
            problems.append({"severity": "critical", "device": host["host"], "text": host["error"]})
        plan = host.get("plan") or {}
        for text in plan.get("problems", []):
            problems.append({"severity": "major", "device": host["host"], "text": text})
        outcomes = host.get("outcomes") or {}
        for entry in plan.get("contexts", []):
            row = _row(host, entry, outcomes.get(str(entry["id"])) or {}, renew_before_days, check_mode)
            rows.append(row)
            if row["severity"] != "ok":
                problems.append({"severity": row["severity"], "device": host["host"],
                                 "text": f"TLS context {row['context']}: {row['result']}"
                                         + (f" - {row['detail']}" if row["detail"] else "")})
        for item in plan.get("remove") or []:
            removed.append({"device": host["host"], "context": f"{item['id']} {item['name']}", "reason": item["reason"],
                            "done": "would remove (check mode)" if check_mode else "removed"})
        for item in plan.get("kept") or []:
            removed.append({"device": host["host"], "context": f"{item['id']} {item['name']}", "reason": item["reason"],
                            "done": f"kept for rollback until {item['until']}"})
        devices.append(device)
    problems.sort(key=lambda item: (SEVERITY_ORDER.index(item["severity"]), item["device"]))
    rows.sort(key=lambda row: (SEVERITY_ORDER.index(row["severity"]), row["device"], row["context"]))
    counts: dict[str, int] = {}
    for row in rows:
        counts[row["result"]] = counts.get(row["result"], 0) + 1
    expired = sum(1 for row in rows if row["days_left"] is not None and row["days_left"] < 0 and row["result"] != "renewed")
    failed = sum(counts.get(OUTCOMES[kind][1], 0) for kind in ("stopped", "switched_back", "failed", "blocked"))
    waiting = counts.get(OUTCOMES["waiting"][1], 0)
    summary = [
        {"label": "Devices", "value": len(devices)},
        {"label": "TLS contexts", "value": len(rows)},
        {"label": "Would renew" if check_mode else "Renewed",
         "value": counts.get(OUTCOMES["would_renew" if check_mode else "renewed"][1], 0)},
        {"label": "Not due", "value": counts.get(OUTCOMES["not_due"][1], 0)},
        {"label": "Waiting for a signed certificate", "value": waiting, **({"severity": "warning"} if waiting else {})},
        {"label": "Failed or not renewed", "value": failed, **({"severity": "major"} if failed else {})},
        {"label": "Expired and not renewed", "value": expired, **({"severity": "critical"} if expired else {})},
        {"label": "Unreachable devices", "value": sum(1 for d in devices if d["severity"] == "critical"),
         **({"severity": "critical"} if any(d["severity"] == "critical" for d in devices) else {})},
    ]
    description = (f"TLS contexts of {len(devices)} device(s); a certificate is renewed when fewer than "
                   f"{renew_before_days} days are left." + (" Check mode: nothing was sent to the devices." if check_mode else ""))
    return {
        "title": title + (" (check mode)" if check_mode else ""),
        "generated": generated,
        "description": description,
        "summary": summary,
        "problems": problems,
        "sections": [
            {"title": "Certificates", "empty": "No TLS contexts", "rows": rows, "columns": [
                {"key": "device", "label": "Device"},
                {"key": "context", "label": "Context"},
                {"key": "used_by", "label": "Used by"},
                {"key": "subject", "label": "Subject"},
                {"key": "issuer", "label": "Issuer"},
                {"key": "expires", "label": "Expires", "type": "date"},
                {"key": "days_left", "label": "Days left", "type": "number"},
                {"key": "result", "label": "Result"},
                {"key": "new_expires", "label": "New certificate expires", "type": "date"},
                {"key": "detail", "label": "Details"},
            ]},
            {"title": "Previous contexts", "empty": "None", "rows": removed, "columns": [
                {"key": "device", "label": "Device"}, {"key": "context", "label": "Context"},
                {"key": "reason", "label": "Why"}, {"key": "done", "label": "What happens"}]},
            {"title": "Devices", "empty": "No devices", "rows": devices, "columns": [
                {"key": "device", "label": "Device"}, {"key": "address", "label": "Address"},
                {"key": "ha", "label": "HA state"}, {"key": "note", "label": "Notes"}]},
        ],
    }
