# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The renewal plan from facts: users of contexts, due or not, staged or in place, spare slots,
resumed and previous generations, key sources; the check of a signed certificate; the report
document."""
from __future__ import annotations

import datetime

import pytest

from ansible_collections.audiocodes.mediant.plugins.module_utils import certificate_issuing as issuing
from ansible_collections.audiocodes.mediant.plugins.module_utils import certificate_renewal as renewal
from ansible_collections.audiocodes.mediant.plugins.module_utils import certificates as certs
from ansible_collections.audiocodes.mediant.plugins.module_utils.certificate_renewal_report import build_report
from ansible_collections.audiocodes.mediant.plugins.plugin_utils.report import validate as validate_document

NOW = datetime.datetime(2026, 12, 4, 12, 0, tzinfo=datetime.timezone.utc)
INI = """
[SYSTEM Params]
[ TLSContexts ]
FORMAT Index = Name, TLSVersion, ServerCipherString;
TLSContexts 0 = "default", 0, "DEFAULT";
TLSContexts 1 = "SIP-TLS", 4, "HIGH";
TLSContexts 2 = "Spare", 0, "DEFAULT";
[ \\TLSContexts ]
[ SIPInterface ]
FORMAT Index = InterfaceName, TLSContext;
SIPInterface 0 = "Teams", "SIP-TLS";
SIPInterface 1 = "ITSP", "";
[ \\SIPInterface ]
[ ProxySet ]
FORMAT Index = ProxyName, TLSContextName;
ProxySet 3 = "Teams-Proxies", "SIP-TLS";
[ \\ProxySet ]
[ IPGroup ]
FORMAT Index = Name, DTLSContext;
IPGroup 0 = "WebRTC", "SIP-TLS";
[ \\IPGroup ]
"""
OPTIONS = {"renew_before_days": 30, "slot_suffix": "~2"}


def cert_info(days_left, lifetime=365, names=("IP:192.0.2.1",), subject=None):
    end = NOW + datetime.timedelta(days=days_left, hours=1)
    return {"subject": "CN=sbc1", "subject_fields": subject or {"common_name": "sbc1.example.com"},
            "subject_alt_names": list(names), "issuer": "CN=CA", "fingerprint": f"FP{days_left}",
            "not_before": (end - datetime.timedelta(days=lifetime)).isoformat(), "not_after": end.isoformat()}


def context(ctx, name, days_left, valid=True, **info):
    return {"id": ctx, "name": name, "certificate": cert_info(days_left, **info) if days_left is not None else None,
            "private_key": {"size": 2048, "valid": valid}}


def facts(*contexts, ini=INI):
    return {"tls": list(contexts), "config": {"ini": ini}}


def by_id(plan):
    return {entry["id"]: entry for entry in plan["contexts"]}


def test_users_are_found_in_every_table_that_names_a_context():
    users = renewal.find_users(INI)
    labels = [user["label"] for user in users["SIP-TLS"]]
    assert labels == ["SIP interface Teams (SIPInterface 0)", "proxy set Teams-Proxies (ProxySet 3)", "IP group WebRTC (IPGroup 0)"]
    assert renewal.switch_data(users["SIP-TLS"], {"id": "4", "name": "SIP-TLS~2"}) == {"parameters": {}, "tables": {
        "SIPInterface": [{"Index": 0, "TLSContext": "SIP-TLS~2"}],
        "ProxySet": [{"Index": 3, "TLSContextName": "SIP-TLS~2"}],
        "IPGroup": [{"Index": 0, "DTLSContext": "SIP-TLS~2"}]}}


def test_references_by_index_and_parameters_switch_too():
    ini = INI + "[ WebInterfaces ]\nFORMAT Index = Name, TLSContextIndex;\nWebInterfaces 0 = \"Mgmt2\", 1;\n[ \\WebInterfaces ]\n"
    ini = ini.replace("[SYSTEM Params]", "[SYSTEM Params]\nLdapTLSContext = 'SIP-TLS'")
    plan = renewal.plan(facts(context("0", "default", 300), context("1", "SIP-TLS", 5)), OPTIONS, NOW)
    entry = by_id(renewal.plan(facts(context("0", "default", 300), context("1", "SIP-TLS", 5), ini=ini), OPTIONS, NOW))["1"]
    assert "web interface Mgmt2 (WebInterfaces 0)" in entry["user_labels"] and "parameter LdapTLSContext" in entry["user_labels"]
    switch = renewal.switch_data(entry["users"], {"id": "7", "name": "SIP-TLS~2"})
    assert switch["tables"]["WebInterfaces"] == [{"Index": 0, "TLSContextIndex": "7"}]
    assert switch["parameters"] == {"LdapTLSContext": "SIP-TLS~2"}
    assert by_id(plan)["1"]["method"] == "staged"


def test_due_contexts_are_staged_or_renewed_in_place():
    plan = renewal.plan(facts(context("0", "default", 10), context("1", "SIP-TLS", 20), context("2", "Spare", 25)), OPTIONS, NOW)
    entries = by_id(plan)
    assert (entries["0"]["method"], entries["0"]["action"], entries["0"]["key_source"]) == ("in_place", "renew", "controller")
    assert entries["0"]["user_labels"][0] == "HTTPS management (always context 0)"
    assert "SIPInterface 1 (ITSP)" not in entries["0"]["user_labels"], "an empty TLSContext is context 0 implicitly"
    one = entries["1"]
    assert (one["method"], one["action"], one["target"]) == ("staged", "renew", {"id": None, "name": "SIP-TLS~2", "exists": False})
    assert one["staged_row"] == {"TLSVersion": "4", "ServerCipherString": "HIGH", "Name": "SIP-TLS~2"}
    assert one["reason"] == "20 days left, fewer than 30"
    assert one["subject"] == {"common_name": "sbc1.example.com"} and one["subject_alt_names"] == ["IP:192.0.2.1"]
    assert one["key_source"] == "controller", "subjectAltNames need a controller key"
    assert (entries["2"]["method"], entries["2"]["in_use"]) == ("in_place", False)
    assert plan["remove"] == [] and plan["problems"] == []


def test_not_due_and_percentage_and_force():
    contexts = (context("0", "default", 100, lifetime=400), context("1", "SIP-TLS", 100, lifetime=1000))
    plan = renewal.plan(facts(*contexts), dict(OPTIONS, renew_before_percent=20), NOW)
    assert by_id(plan)["0"]["action"] == "none" and by_id(plan)["0"]["reason"] == "100 days left"
    assert by_id(plan)["1"]["action"] == "renew" and "10% of its lifetime left, less than 20.0%" in by_id(plan)["1"]["reason"]
    forced = renewal.plan(facts(*contexts), dict(OPTIONS, force=True), NOW)
    assert {entry["reason"] for entry in forced["contexts"]} == {"forced"}
    per_context = renewal.plan(facts(*contexts), dict(OPTIONS, context_settings={"SIP-TLS": {"renew_before_days": 200}}), NOW)
    assert by_id(per_context)["1"]["action"] == "renew" and by_id(per_context)["0"]["action"] == "none"


@pytest.mark.parametrize("days, valid, reason", [
    (-3, True, "expired 3 days ago"),
    (200, False, "its private key does not match its certificate"),
    (None, True, "the context has no certificate"),
])
def test_expired_mismatched_and_empty_contexts_are_due(days, valid, reason):
    plan = renewal.plan(facts(context("0", "default", 300), context("1", "SIP-TLS", days, valid=valid)),
                        dict(OPTIONS, contexts=["SIP-TLS"], subject={"common_name": "x"}), NOW)
    assert [entry["id"] for entry in plan["contexts"]] == ["1"]
    assert plan["contexts"][0]["reason"] == reason


def test_device_keys_where_no_names_are_needed_and_never_for_context_0():
    contexts = (context("0", "default", 5), context("1", "SIP-TLS", 5, names=()))
    entries = by_id(renewal.plan(facts(*contexts), OPTIONS, NOW))
    assert entries["1"]["key_source"] == "device" and entries["0"]["key_source"] == "controller"
    plan = renewal.plan(facts(*contexts), dict(OPTIONS, key_source="device"), NOW)
    assert by_id(plan)["0"]["action"] == "blocked" and "use key_source controller" in by_id(plan)["0"]["reason"]
    assert by_id(plan)["1"]["action"] == "renew"
    assert any("context 0 serves HTTPS management" in text for text in plan["problems"])


def test_a_staged_partner_is_resumed_and_the_previous_one_removed_after_the_rollback_time():
    ini = INI.replace('TLSContexts 2 = "Spare", 0, "DEFAULT";', 'TLSContexts 2 = "SIP-TLS~2", 4, "HIGH";')
    pending = context("2", "SIP-TLS~2", 3650, valid=False)
    entries = by_id(renewal.plan(facts(context("0", "default", 300), context("1", "SIP-TLS", 200), pending, ini=ini), OPTIONS, NOW))
    assert set(entries) == {"0", "1"}, "the spare is handled with its context"
    assert entries["1"]["action"] == "resume" and entries["1"]["target"] == {"id": "2", "name": "SIP-TLS~2", "exists": True}
    # After the switch: SIP-TLS~2 in use with a fresh certificate, SIP-TLS the previous one.
    switched = ini.replace('"Teams", "SIP-TLS"', '"Teams", "SIP-TLS~2"').replace('"Teams-Proxies", "SIP-TLS"', '"Teams-Proxies", "SIP-TLS~2"')
    switched = switched.replace('"WebRTC", "SIP-TLS"', '"WebRTC", "SIP-TLS~2"')
    fresh = context("2", "SIP-TLS~2", 365, lifetime=365)
    fresh["certificate"]["not_before"] = (NOW - datetime.timedelta(hours=2)).isoformat()
    old = context("1", "SIP-TLS", 20)
    soon = renewal.plan(facts(context("0", "default", 300), old, fresh, ini=switched), OPTIONS, NOW)
    assert soon["remove"] == [] and [item["name"] for item in soon["kept"]] == ["SIP-TLS"]
    assert by_id(soon)["2"]["action"] == "none" and "1" not in by_id(soon)
    later = renewal.plan(facts(context("0", "default", 300), old, fresh, ini=switched), dict(OPTIONS, keep_previous_hours=1), NOW)
    assert [item["name"] for item in later["remove"]] == ["SIP-TLS"]
    assert later["remove_tables"] == {"TLSContexts": [{"Index": 1, "state": "absent"}]}
    # Renewing again while the previous one is kept: blocked, with the time it frees up.
    forced = renewal.plan(facts(context("0", "default", 300), old, fresh, ini=switched), dict(OPTIONS, force=True), NOW)
    assert by_id(forced)["2"]["action"] == "blocked" and "kept for rollback until" in by_id(forced)["2"]["reason"]
    # Once removed, the slot's name is free: staged there again.
    again = renewal.plan(facts(context("0", "default", 300), old, fresh, ini=switched),
                         dict(OPTIONS, force=True, keep_previous_hours=0), NOW)
    assert by_id(again)["2"]["target"] == {"id": None, "name": "SIP-TLS", "exists": False}


def test_long_names_are_cut_for_the_spare_slot():
    name = "A-very-long-TLS-context-name-31"
    assert len(name) == 31
    assert renewal.partner_name(name, "~2") == name[:29] + "~2"
    assert renewal.partner_name(name[:29] + "~2", "~2") == name[:29]


def test_unknown_listed_contexts_and_missing_ini_are_named():
    plan = renewal.plan(facts(context("0", "default", 300)), dict(OPTIONS, contexts=["nope"]), NOW)
    assert plan["problems"] == ["TLS context 'nope' is not on the device (contexts: 0 default)"]
    with pytest.raises(renewal.PlanError, match="gather the config subset"):
        renewal.plan({"tls": []}, OPTIONS, NOW)


def test_endpoints_and_probe_problems():
    entry = by_id(renewal.plan(facts(context("0", "default", 300), context("1", "SIP-TLS", 5)), OPTIONS, NOW))["1"]
    endpoints = [{"context": "SIP-TLS", "host": "a", "port": 1}, {"context": 1, "host": "b", "port": 2, "name": None},
                 {"context": "SIP-TLS~2", "host": "c", "port": 3}, {"context": "default", "host": "d", "port": 4}]
    assert renewal.endpoints_of(endpoints, entry) == [{"context": "SIP-TLS", "host": "a", "port": 1},
                                                      {"context": "1", "host": "b", "port": 2},
                                                      {"context": "SIP-TLS~2", "host": "c", "port": 3}]
    listeners = [{"host": "a", "port": 1, "fingerprint": "NEW", "trusted": None},
                 {"host": "b", "port": 2, "name": "ITSP", "fingerprint": "OLD", "subject": "CN=old"},
                 {"host": "c", "port": 3, "error": "refused"},
                 {"host": "d", "port": 4, "fingerprint": "NEW", "trusted": False, "trust_error": "unknown CA"}]
    assert [p["text"] for p in renewal.probe_problems(listeners, "NEW")] == [
        "ITSP at b:2 serves CN=old (OLD), not the new certificate (NEW)",
        "listener at c:3: refused",
        "listener at d:4: a verifying client refuses it: unknown CA"]


# -- the check of a signed certificate


@pytest.fixture(scope="module")
def ca():
    key = issuing.generate_key(2048)
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.x509.oid import NameOID
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Root")])
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(1).not_valid_before(NOW - datetime.timedelta(days=1)).not_valid_after(NOW + datetime.timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True).sign(key, hashes.SHA256()))
    return cert, key


def test_check_signed_accepts_a_fitting_certificate_and_splits_its_chain(ca):
    ca_cert, ca_key = ca
    key = issuing.generate_key(2048)
    csr = issuing.build_csr(key, {"common_name": "sbc1.example.com"}, ["sbc1.example.com"])
    cert = issuing.issue_certificate(csr, ca_cert, ca_key, 365, now=NOW)
    text = certs.certificate_pem(cert) + certs.certificate_pem(ca_cert)
    result = renewal.check_signed(text, certs.csr_pem(csr), trust_text=certs.certificate_pem(ca_cert),
                                  subject={"common_name": "sbc1.example.com"}, alt_names=["sbc1.example.com"],
                                  hostname="sbc1.example.com", min_days_left=30, now=NOW.isoformat())
    assert result["problems"] == []
    assert result["certificate"] == certs.certificate_pem(cert) and result["chain"] == [certs.certificate_pem(ca_cert)]
    assert result["info"]["fingerprint"] == certs.fingerprint(cert)


def test_check_signed_names_what_is_wrong(ca):
    ca_cert, ca_key = ca
    csr = issuing.build_csr(issuing.generate_key(2048), {"common_name": "sbc1.example.com"})
    other = issuing.build_csr(issuing.generate_key(2048), {"common_name": "sbc1.example.com"})
    cert = issuing.issue_certificate(other, ca_cert, ca_key, 10, now=NOW)
    result = renewal.check_signed(certs.certificate_pem(cert), certs.csr_pem(csr), min_days_left=30, hostname="sbc9",
                                  trust_text=certs.certificate_pem(ca_cert), now=NOW)
    assert result["problems"][0].startswith("it certifies another key")
    assert any("within the renewal window of 30 days" in text for text in result["problems"])
    assert any("a client connecting to sbc9 would refuse it" in text for text in result["problems"])
    garbage = renewal.check_signed("not a certificate", certs.csr_pem(csr))
    assert garbage["problems"] == ["the signed certificate holds no PEM certificate (no -----BEGIN CERTIFICATE----- block)"]


# -- the report document


def test_report_document_is_valid_and_puts_problems_first():
    plan = renewal.plan(facts(context("0", "default", 300), context("1", "SIP-TLS", -2), context("2", "Spare", 10)),
                        OPTIONS, NOW)
    hosts = [
        {"host": "sbc1", "address": "192.0.2.1", "ha_state": "Not Operational", "plan": plan, "outcomes": {
            "1": {"outcome": "switched_back", "detail": "verify: Teams serves the old certificate"},
            "2": {"outcome": "renewed", "key_source": "device", "signer": "ca",
                  "new_certificate": cert_info(365)}}},
        {"host": "sbc2", "address": "192.0.2.2", "error": "Read the device: connection refused", "plan": {}, "outcomes": {}},
    ]
    document = build_report(hosts, NOW.isoformat(), 30)
    validate_document(document)
    rows = document["sections"][0]["rows"]
    assert [(row["context"], row["severity"], row["result"]) for row in rows] == [
        ("1 SIP-TLS", "critical", "switched back to the previous context"),
        ("0 default", "ok", "not due"),
        ("2 Spare", "ok", "renewed")]
    assert document["problems"][0]["severity"] == "critical"
    assert {problem["device"] for problem in document["problems"]} == {"sbc1", "sbc2"}
    figures = {figure["label"]: figure["value"] for figure in document["summary"]}
    assert figures == {"Devices": 2, "TLS contexts": 3, "Renewed": 1, "Not due": 1, "Waiting for a signed certificate": 0,
                       "Failed or not renewed": 1, "Expired and not renewed": 1, "Unreachable devices": 1}


def test_check_mode_report_says_would_renew():
    plan = renewal.plan(facts(context("0", "default", 3)), OPTIONS, NOW)
    document = build_report([{"host": "sbc1", "plan": plan, "outcomes": {}}], NOW.isoformat(), 30, check_mode=True)
    validate_document(document)
    assert document["title"] == "Certificate report (check mode)"
    assert document["sections"][0]["rows"][0]["result"] == "would renew (check mode)"
    assert {"label": "Would renew", "value": 1} in document["summary"]


@pytest.mark.parametrize("ha_after, note", [
    ({"state": "Operational", "synchronized_at": "2026-12-04T12:05:00Z"},
     "HA pair, active unit 111: changes are made once, on the pair's address; the redundant unit had them at "
     "2026-12-04T12:05:00Z (pair synchronized)"),
    ({"state": "Synchronizing", "synchronized_at": ""}, "still synchronizing when the run ended"),
    ({"state": "Redundant Not Available", "synchronized_at": ""}, "pair state Redundant Not Available after the changes"),
])
def test_report_says_when_the_redundant_unit_has_the_changes(ha_after, note):
    plan = renewal.plan(facts(context("0", "default", 3)), OPTIONS, NOW)
    host = {"host": "pair-1", "ha_state": "Operational", "serial": "111", "ha_after": ha_after, "plan": plan,
            "outcomes": {"0": {"outcome": "renewed", "new_certificate": cert_info(365)}}}
    devices = build_report([host], NOW.isoformat(), 30)["sections"][2]["rows"]
    assert note in devices[0]["note"]
    alone = build_report([dict(host, ha_state="Not Operational")], NOW.isoformat(), 30)["sections"][2]["rows"]
    assert alone[0]["note"] == "stand-alone"


@pytest.mark.parametrize("subject, cause", [
    ({"common_name": "sbc1.example.com\nCN=evil"}, "subject field common_name holds '\\n' (U+000A)"),
    ({"common_name": "sbc1.example.com", "organization": "ACME\x1b[2J"}, "subject field organization holds '\\x1b' (U+001B)"),
    ({"common_name": "sbc1.example.com", "country": "USA"}, "country must be a two-letter country code"),
])
def test_a_subject_that_cannot_be_used_blocks_the_context_before_anything_is_staged(subject, cause):
    plan = renewal.plan(facts(context("0", "default", 300), context("1", "SIP-TLS", 5)),
                        dict(OPTIONS, contexts=["SIP-TLS"], subject=subject), NOW)
    entry = by_id(plan)["1"]
    assert entry["action"] == "blocked" and entry["reason"].startswith("the subject cannot be used: " + cause)
    assert plan["problems"] == [f"TLS context 1 SIP-TLS: {entry['reason']}"]
