# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pure planning for the certificate_renewal role (no Ansible imports): which TLS contexts of a
device to renew and how, read from what mediant_facts returns (the ``tls`` and ``config``
subsets); which configuration rows to point at a new context; what a signed certificate must
satisfy before it goes into service.

The design (docs/certificate-renewal.md): a context something uses (a SIP interface, a proxy
set, an IP group, ...) is renewed in a spare context - its *partner*, named like it plus a
suffix - and its users are pointed at the partner in one configuration change; the previous
context stays until the next run (rollback). Context 0 serves the HTTPS management listener,
which cannot use another context: it is renewed in place, with a key made on the controller
and uploaded together with its certificate. A context nothing uses is renewed in place.
"""

from __future__ import annotations

import datetime
import re
from typing import TYPE_CHECKING, Any

from ansible_collections.audiocodes.mediant.plugins.module_utils import certificate_checks as checks
from ansible_collections.audiocodes.mediant.plugins.module_utils import certificates as certs
from ansible_collections.audiocodes.mediant.plugins.module_utils.certificate_issuing import normalize_alt_names
from ansible_collections.audiocodes.mediant.plugins.module_utils.ini import IniError, parse

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    # A record of the plan (a context, a user, an entry): plain data the role passes on.
    Record = dict[str, Any]
    Given = Mapping[str, Any]

MAX_CONTEXT_NAME = 31
# Columns and parameters that name a TLS context: TLSContext, TLSContextName, DTLSContext, ...
_REFERENCE = re.compile(r"tlscontext", re.IGNORECASE)
_BY_INDEX = re.compile(r"(index|id)$", re.IGNORECASE)
# Columns that name a row, for labels ("SIP interface Teams").
_LABEL_COLUMNS = ("InterfaceName", "ProxyName", "Name")
_TABLE_WORDS = {"sipinterface": "SIP interface", "proxyset": "proxy set", "ipgroup": "IP group",
                "webinterfaces": "web interface"}
KEY_SOURCES = ("auto", "device", "controller")


class PlanError(ValueError):
    """Input the plan cannot be made from; the message names the cause and the fix."""


# ---------------------------------------------------------------------------------------------
# Names of the two slots a context alternates between
# ---------------------------------------------------------------------------------------------
def partner_name(name: str, suffix: str) -> str:
    """The other slot of a context: ``SIP-TLS`` <-> ``SIP-TLS~2`` (cut to the device's 31 characters)."""
    if name.endswith(suffix):
        return name[: -len(suffix)]
    return name[: MAX_CONTEXT_NAME - len(suffix)] + suffix


def base_name(name: str, suffix: str) -> str:
    return name[: -len(suffix)] if name.endswith(suffix) else name


# ---------------------------------------------------------------------------------------------
# Who uses a context: the configuration rows and parameters that name it
# ---------------------------------------------------------------------------------------------
def _label(table: str, index: int, row: Given) -> str:
    """``SIP interface Teams (SIPInterface 0)``: what a person calls the row, then where it is."""
    kind = _TABLE_WORDS.get(table.casefold(), table)
    for column in _LABEL_COLUMNS:
        value = row.get(column)
        if value:
            return f"{kind} {value} ({table} {index})"
    return f"{kind} ({table} {index})"


def find_users(ini_text: str | None) -> dict[str, list[Record]]:
    """{context name or id text: [user]} from the device's INI file, where a user is
    ``{"table", "index", "column", "label", "by_index"}`` (tables) or
    ``{"parameter", "label", "by_index"}`` (global parameters)."""
    try:
        document = parse(ini_text or "")
    except IniError as err:
        raise PlanError(f"the device's INI file cannot be read: {err}") from None
    users: dict[str, list[Record]] = {}
    for table_name, table in document.tables.items():
        if table_name.casefold() == "tlscontexts":
            continue
        columns = [column for column in table.columns if _REFERENCE.search(column)]
        for index in sorted(table.rows):
            if table.is_deletion(index):
                continue
            row = table.row(index)
            for column in columns:
                value = (row.get(column) or "").strip()
                if value:
                    users.setdefault(value, []).append({
                        "table": table.name, "index": index, "column": column, "label": _label(table.name, index, row),
                        "by_index": bool(_BY_INDEX.search(column))})
    for name, parameter in document.parameters.items():
        value = parameter.value
        if _REFERENCE.search(name) and isinstance(value, str) and value.strip():
            users.setdefault(value.strip(), []).append({"parameter": name, "label": f"parameter {name}",
                                                        "by_index": bool(_BY_INDEX.search(name))})
    return users


def context_rows(ini_text: str | None) -> dict[int, Record]:
    """{index: row} of the TLSContexts table (column → text)."""
    document = parse(ini_text or "")
    table = document.tables.get("TLSContexts")
    if table is None:
        return {}
    return {index: dict(table.row(index)) for index in table.rows if not table.is_deletion(index)}


def users_of(context: Given, users: Mapping[str, list[Record]]) -> list[Record]:
    found = [user for user in users.get(context["name"], []) if not user["by_index"]]
    found += [user for user in users.get(str(context["id"]), []) if user["by_index"]]
    return found


def switch_data(users: Iterable[Given], target: Given) -> Record:
    """The mediant_ini ``tables`` and ``parameters`` that point ``users`` at ``target`` ({id, name})."""
    tables: dict[str, list[Record]] = {}
    parameters: dict[str, str] = {}
    for user in users:
        value = str(target["id"]) if user["by_index"] else target["name"]
        if "parameter" in user:
            parameters[user["parameter"]] = value
        else:
            tables.setdefault(user["table"], []).append({"Index": user["index"], user["column"]: value})
    return {"tables": tables, "parameters": parameters}


# ---------------------------------------------------------------------------------------------
# The plan
# ---------------------------------------------------------------------------------------------
def _utc(text: object) -> datetime.datetime:
    value = datetime.datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    return value if value.tzinfo else value.replace(tzinfo=datetime.timezone.utc)


def _days_and_percent(info: Given | None, now: datetime.datetime) -> tuple[int | None, float | None]:
    if not info:
        return None, None
    start, end = _utc(info["not_before"]), _utc(info["not_after"])
    days = (end - now).days
    total = (end - start).total_seconds()
    percent = 0.0 if total <= 0 else max(0.0, min(100.0, 100.0 * (end - now).total_seconds() / total))
    return days, round(percent, 1)


def _newer(staged: Given, current: Given) -> bool:
    """A partner is a staged (new) generation when its key waits for a certificate, it has no
    certificate yet, or its certificate ends later than the current one's."""
    if not staged["private_key"] or not staged["private_key"].get("valid"):
        return True
    if not staged["certificate"] or not current["certificate"]:
        return True
    return _utc(staged["certificate"]["not_after"]) > _utc(current["certificate"]["not_after"])


def _settings(options: Given, context: Given) -> Record:
    """Per-context settings (by id or name, or the name of its base slot) over the global ones."""
    per_context = options.get("context_settings") or {}
    suffix = options["slot_suffix"]
    for key in (str(context["id"]), context["name"], base_name(context["name"], suffix)):
        if key in per_context:
            return per_context[key] or {}
    return {}


def _wanted(options: Given, context: Given, listed: Iterable[object]) -> bool:
    """Whether the user asked to look after this context (all when the list is empty)."""
    if not listed:
        return bool(context["certificate"]) or context["id"] == "0"
    suffix = options["slot_suffix"]
    names = {str(item) for item in listed}
    return str(context["id"]) in names or context["name"] in names or base_name(context["name"], suffix) in names


def _due(options: Given, context: Given, days: int | None, percent: float | None, settings: Given) -> tuple[bool, str]:
    before_days = settings.get("renew_before_days", options["renew_before_days"])
    before_percent = settings.get("renew_before_percent", options.get("renew_before_percent"))
    if options.get("force") or settings.get("force"):
        return True, "forced"
    if not context["certificate"] or days is None or percent is None:   # no certificate, no days
        return True, "the context has no certificate"
    if context["private_key"] and context["private_key"].get("valid") is False:
        return True, "its private key does not match its certificate"
    if days < 0:
        return True, f"expired {-days} days ago"
    if days < before_days:
        return True, f"{days} days left, fewer than {before_days}"
    if before_percent is not None and percent < before_percent:
        return True, f"{percent:.0f}% of its lifetime left, less than {before_percent}%"
    return False, f"{days} days left"


def plan(facts: Given, options: Given, now: datetime.datetime | str | None = None) -> Record:
    """The renewal plan of one device from its facts (``tls``, ``config.ini``) and the role's
    options; see docs/certificate-renewal.md for its fields."""
    now = now or datetime.datetime.now(datetime.timezone.utc)
    if isinstance(now, str):
        now = _utc(now)
    suffix = options.get("slot_suffix") or "~2"
    percent = options.get("renew_before_percent")
    options = dict(options, slot_suffix=suffix, renew_before_days=int(options.get("renew_before_days", 30)),
                   renew_before_percent=None if percent in (None, "", "None") else float(percent))
    if options.get("key_source", "auto") not in KEY_SOURCES:
        raise PlanError(f"key_source must be one of {', '.join(KEY_SOURCES)}, got {options.get('key_source')!r}")
    contexts = [dict(item, id=str(item["id"])) for item in facts.get("tls") or []]
    ini_text = (facts.get("config") or {}).get("ini")
    if ini_text is None:
        raise PlanError("the plan needs the device's INI file: gather the config subset (config_formats: [ini])")
    users = find_users(ini_text)
    rows = context_rows(ini_text)
    by_name = {context["name"]: context for context in contexts}
    for context in contexts:
        context["users"] = users_of(context, users)
        context["in_use"] = context["id"] == "0" or bool(context["users"])

    entries: list[Record] = []
    remove: list[Record] = []
    kept: list[Record] = []
    problems: list[str] = []
    keep_hours = float(options.get("keep_previous_hours", 24) or 0)
    partners_taken: set[str] = set()
    for context in contexts:
        partner = by_name.get(partner_name(context["name"], suffix))
        if context["in_use"] or partner is None or not partner["in_use"]:
            continue
        # An unused partner of a context in use: the next generation, or the one it replaced.
        partners_taken.add(context["id"])
        if _newer(context, partner):
            continue
        item = {"id": context["id"], "name": context["name"],
                "reason": f"replaced by {partner['name']} (context {partner['id']}) in an earlier run"}
        until = _utc(partner["certificate"]["not_before"]) + datetime.timedelta(hours=keep_hours)
        if not options.get("remove_previous", True):
            continue
        if now >= until:
            remove.append(item)
        else:
            kept.append(dict(item, until=until.isoformat()))

    listed = options.get("contexts") or []
    for context in contexts:
        if context["id"] in partners_taken or not _wanted(options, context, listed):
            continue
        entries.append(_entry(context, by_name, rows, options, now, remove, kept, problems))
    found = {str(item) for entry in entries for item in (entry["id"], entry["name"], base_name(entry["name"], suffix))}
    for item in listed:
        if str(item) not in found:
            problems.append(f"TLS context {item!r} is not on the device (contexts: "
                            f"{', '.join(c['id'] + ' ' + c['name'] for c in contexts)})")
    remove_tables = {"TLSContexts": [{"Index": int(item["id"]), "state": "absent"} for item in remove]} if remove else {}
    result = {"contexts": entries, "remove": remove, "kept": kept, "remove_tables": remove_tables, "problems": problems,
              "generated": now.isoformat()}
    result["text"] = plan_text(result)
    return result


def _entry(context: Record, by_name: Mapping[str, Record], rows: Mapping[int, Given], options: Given,  # pylint: disable=too-many-arguments
           now: datetime.datetime, remove: list[Record], kept: list[Record], problems: list[str]) -> Record:
    suffix = options["slot_suffix"]
    settings = _settings(options, context)
    info = context["certificate"]
    days, percent = _days_and_percent(info, now)
    due, reason = _due(options, context, days, percent, settings)
    in_place = context["id"] == "0" or not context["users"]
    entry = {
        "id": context["id"], "name": context["name"], "users": context["users"],
        "user_labels": ["HTTPS management (always context 0)"] * (context["id"] == "0") + [u["label"] for u in context["users"]],
        "in_use": context["in_use"], "certificate": info, "private_key": context["private_key"],
        "days_left": days, "percent_left": percent, "due": due, "reason": reason,
        "method": "in_place" if in_place else "staged", "action": "renew" if due else "none",
        "aliases": sorted({context["id"], context["name"], base_name(context["name"], suffix),
                           partner_name(context["name"], suffix)}),
        "endpoints": [],
        "file_base": re.sub(r"[^A-Za-z0-9_.-]+", "_", f"ctx{context['id']}_{base_name(context['name'], suffix)}"),
    }
    partner = by_name.get(partner_name(context["name"], suffix))
    if in_place:
        entry["target"] = {"id": context["id"], "name": context["name"], "exists": True}
    elif partner is None or any(item["id"] == partner["id"] for item in remove):
        entry["target"] = {"id": None, "name": partner_name(context["name"], suffix), "exists": False}
    elif any(item["id"] == partner["id"] for item in kept):
        if entry["action"] == "none":
            return entry
        until = next(item["until"] for item in kept if item["id"] == partner["id"])
        return _blocked(entry, problems, f"{entry['reason']}, but its spare slot {partner['name']!r} still holds the "
                                         f"previous certificate, kept for rollback until {until}; run again then "
                                         "(or set keep_previous_hours to 0)")
    elif partner["in_use"]:
        if entry["action"] == "none":
            return entry
        return _blocked(entry, problems, f"its spare slot {partner['name']!r} is in use too; point one set of users "
                                         "elsewhere or rename one of them")
    else:
        entry["target"] = {"id": partner["id"], "name": partner["name"], "exists": True}
        entry.update(action="resume", reason=f"an earlier run staged {partner['name']} (context {partner['id']})")
    if entry["action"] == "none":
        return entry
    row = rows.get(int(context["id"]), {})
    entry["staged_row"] = {column: value for column, value in row.items() if column.lower() not in ("index", "name")}
    entry["staged_row"]["Name"] = entry["target"]["name"]
    entry["subject"] = dict(settings.get("subject") or options.get("subject") or (info or {}).get("subject_fields") or {})
    names = settings.get("subject_alt_names", options.get("subject_alt_names"))
    entry["subject_alt_names"] = normalize_alt_names(names if names is not None else (info or {}).get("subject_alt_names") or [])
    entry["key_source"] = _key_source(context, entry, settings.get("key_source", options.get("key_source", "auto")), problems)
    if not entry["subject"].get("common_name"):
        _blocked(entry, problems, "no subject common name: the certificate has none; give subject in the role's "
                                  "settings for this context")
    try:
        # refused here, before the spare context is staged, rather than by the request step after it
        certs.build_name(entry["subject"])
    except certs.CertificateError as err:
        _blocked(entry, problems, f"the subject cannot be used: {err}")
    entry["endpoints"] = endpoints_of(options.get("tls_endpoints"), entry)
    entry["switch"] = switch_data(context["users"], entry["target"]) if entry["method"] == "staged" else None
    entry["switch_back"] = switch_data(context["users"], context) if entry["method"] == "staged" else None
    return entry


def _blocked(entry: Record, problems: list[str], reason: str) -> Record:
    """Mark a context as not renewed, for a reason the user must act on."""
    entry.update(action="blocked", reason=reason)
    problems.append(f"TLS context {entry['id']} {entry['name']}: {reason}")
    return entry


def _key_source(context: Given, entry: Record, wanted: str | None, problems: list[str]) -> str | None:
    in_service_in_place = entry["method"] == "in_place" and context["in_use"]
    if wanted == "auto":
        return "controller" if in_service_in_place or entry["subject_alt_names"] else "device"
    if wanted == "device" and in_service_in_place:
        _blocked(entry, problems, "context 0 serves HTTPS management and is renewed in place: a key generated there "
                                  "would not match its certificate until the new one is signed; use key_source "
                                  "controller (or auto)")
    return wanted


# ---------------------------------------------------------------------------------------------
# A signed certificate before it goes into service
# ---------------------------------------------------------------------------------------------
def check_signed(certificate_text: object, csr_text: object, chain_text: str | None = "", trust_text: str | None = "",
                 subject: Given | None = None, alt_names: Iterable[object] | None = None, hostname: str | None = None,
                 min_days_left: int = 0, min_percent_left: float | None = None,
                 now: datetime.datetime | str | None = None) -> Record:
    """What the role checks before installing a certificate a signer returned.

    ``certificate_text`` holds the certificate, optionally followed by its chain; ``chain_text``
    more chain certificates. ``trust_text``: the roots a client must reach (the controller's
    ca_path for the HTTPS context); without it the chain is only checked to issue the
    certificate. Returns ``{"problems", "certificate" (PEM), "chain" ([PEM]), "info"}``.
    """
    try:
        blocks = certs.split_certificates(certificate_text, "the signed certificate")
        chain = blocks[1:] + (certs.split_certificates(chain_text, "the chain") if (chain_text or "").strip() else [])
        csr = certs.load_csr(csr_text, "the CSR")
        trust = certs.split_certificates(trust_text, "the trusted CA file") if (trust_text or "").strip() else []
    except certs.CertificateError as err:
        return {"problems": [str(err)], "certificate": None, "chain": [], "info": None}
    leaf = blocks[0]
    if isinstance(now, str):
        now = _utc(now)
    roots = trust if trust else (chain if chain else None)
    problems = checks.certificate_problems(leaf, key_of=csr, subject=subject, alt_names=alt_names, chain=chain,
                                           roots=roots, hostname=hostname, now=now, min_days_left=min_days_left,
                                           min_percent_left=min_percent_left)
    return {"problems": problems, "certificate": certs.certificate_pem(leaf),
            "chain": [certs.certificate_pem(cert) for cert in chain], "info": certs.certificate_info(leaf, now)}


# ---------------------------------------------------------------------------------------------
# Small helpers the role's tasks use
# ---------------------------------------------------------------------------------------------
def endpoints_of(endpoints: Iterable[Given] | None, entry: Given) -> list[Record]:
    """The user's TLS endpoints ({context, host, port, name}) that belong to this context (by id,
    name or either slot's name)."""
    aliases = set(entry.get("aliases") or [entry["id"], entry["name"]])
    return [dict({key: value for key, value in endpoint.items() if value is not None}, context=str(endpoint["context"]))
            for endpoint in endpoints or [] if str(endpoint.get("context")) in aliases]


def probe_problems(listeners: Iterable[Given] | None, fingerprint: str | None) -> list[dict[str, str]]:
    """[{"text"}] for every probed listener that does not serve ``fingerprint`` or that a
    verifying client refuses."""
    problems: list[dict[str, str]] = []
    for listener in listeners or []:
        where = f"{listener.get('name') or 'listener'} at {listener['host']}:{listener['port']}"
        if listener.get("error"):
            problems.append({"text": f"{where}: {listener['error']}"})
        elif listener.get("fingerprint") != fingerprint:
            problems.append({"text": f"{where} serves {listener.get('subject')} ({listener.get('fingerprint')}), "
                                     f"not the new certificate ({fingerprint})"})
        elif listener.get("trusted") is False:
            problems.append({"text": f"{where}: a verifying client refuses it: {listener.get('trust_error')}"})
    return problems


def plan_text(plan_: Given) -> list[str]:
    """One line per context and per removal, for the play's output."""
    lines = []
    for entry in plan_["contexts"]:
        head = f"context {entry['id']} {entry['name']}"
        if entry["action"] == "none":
            lines.append(f"{head}: not due ({entry['reason']})")
        elif entry["action"] == "blocked":
            lines.append(f"{head}: NOT RENEWED - {entry['reason']}")
        else:
            how = (f"stage in {entry['target']['name']} and switch {', '.join(entry['user_labels'])}"
                   if entry["method"] == "staged" else "renew in place")
            lines.append(f"{head}: {entry['action']} ({entry['reason']}) - {how}, key made on the {entry['key_source']}")
    lines += [f"remove context {item['id']} {item['name']} ({item['reason']})" for item in plan_["remove"]]
    lines += [f"keep context {item['id']} {item['name']} for rollback until {item['until']} ({item['reason']})"
              for item in plan_.get("kept", [])]
    lines += [f"problem: {text}" for text in plan_["problems"]]
    return lines or ["no TLS context to look after"]
