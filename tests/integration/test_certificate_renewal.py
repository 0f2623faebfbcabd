# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The certificate_renewal role through ansible-playbook against simulated devices with SIP-TLS
interfaces: every signer and key source, no mismatched pair ever served (handshakes during the
run), rerun, two phases, check mode, wrong-key signers, switching back, busy devices, secrets."""
from __future__ import annotations

import stat
import threading
import time
from pathlib import Path

import pytest
import requests
from cryptography import x509

from device_helpers import control, guard_still_pending, guard_uploads, stable
from renewal_harness import RenewalHarness
from tls_helpers import SIP_CONFIG, HandshakeWatcher, SigningCa, fingerprint, pem, served_certificate

FILES = Path(__file__).resolve().parent / "files" / "renewal"
KEY_PASSPHRASE = "waiting key passphrase 5d1e"
CORPORATE_PASSPHRASE = "corporate ca passphrase 33aa"


def _device(fleet, name, due=None, **spec):
    """A device with SIP-TLS interfaces; ``due``: {context id: days its certificate has left}.

    Each device of a test gets its own loopback address: its self-signed certificates name it,
    and a trust file holding two certificates with the same subject confuses the verification."""
    address = f"127.0.31.{len(fleet.devices) + 1}"
    return fleet.add_device({"name": name, "address": address, "port": 0, "config": SIP_CONFIG, "reset_seconds": 1,
                             "certificate_days": due or {}, **spec})


def _listeners(dev):
    return {item.get("interface", "https"): (item["address"], item["port"]) for item in dev.tls_listeners()}


def _endpoint(dev, interface, context):
    address, port = _listeners(dev)[interface]
    return {"context": context, "host": address, "port": port, "name": interface}


def _references(dev):
    sip = {row["InterfaceName"]: row["TLSContext"] for row in dev.running.table_rows("SIPInterface")}
    proxy = {row["ProxyName"]: row["TLSContextName"] for row in dev.running.table_rows("ProxySet")}
    return sip, proxy


def _context_names(dev):
    return {str(item["id"]): item["name"] for item in dev.tls_contexts()}


def _certificate(dev, ctx):
    return x509.load_pem_x509_certificate(dev.snapshot()["tls"][str(ctx)]["certificate"].encode())


def _alt_names(cert):
    try:
        names = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return []
    return [f"IP:{name.value}" if isinstance(name, x509.IPAddress) else f"DNS:{name.value}" for name in names]


def _ca_vars(ca):
    return {"certificate_renewal_ca_certificate_path": str(ca.cert_path),
            "certificate_renewal_ca_private_key_path": str(ca.key_path),
            "certificate_renewal_ca_passphrase": ca.passphrase}


def _unencrypted_keys_in(directory):
    found = []
    for path in directory.rglob("*"):
        if path.is_file():
            text = path.read_text(errors="replace")
            if "PRIVATE KEY-----" in text and "ENCRYPTED PRIVATE KEY-----" not in text:
                found.append(path)
    return found


def _assert_no_secrets(output, *secrets):
    for secret in secrets:
        assert secret not in output
    for marker in ("BEGIN PRIVATE KEY", "BEGIN RSA PRIVATE KEY", "BEGIN ENCRYPTED PRIVATE KEY"):
        assert marker not in output


@pytest.fixture
def ca(tmp_path):
    return SigningCa.create(tmp_path / "ca")


def test_own_ca_renews_staged_and_in_place_contexts_without_a_mismatched_pair(fleet, ca, tmp_path):
    # strict: listeners refuse handshakes while a context's key and certificate disagree.
    strict = _device(fleet, "strict", {"1": 12}, tls_mismatch="refuse")
    lenient = _device(fleet, "lenient", {"0": 10, "1": 12})
    peer_root = SigningCa.create(tmp_path / "peers", "SIP Peers Root").cert
    lenient.tls.add_trusted_root(1, pem(peer_root))
    before = {"strict": _references(strict), "strict-0": fingerprint(_certificate(strict, 0))}
    harness = RenewalHarness(tmp_path / "renewal", {"strict": strict, "lenient": lenient}, trusted=[pem(ca.cert)])
    hostvars = {
        # A key made on the device (no subjectAltNames in its CSR: the CA adds the current ones).
        "strict": {"certificate_renewal_context_settings": {"SIP-TLS": {"key_source": "device"}},
                   "certificate_renewal_tls_endpoints": [_endpoint(strict, "Teams", "SIP-TLS")]},
        "lenient": {"certificate_renewal_tls_endpoints": [_endpoint(lenient, "Teams", "SIP-TLS"),
                                                          _endpoint(lenient, "ITSP", "default")]},
    }
    watched = {f"strict-{label}": where for label, where in _listeners(strict).items() if label == "Teams"}
    watched.update({f"lenient-{label}": where for label, where in _listeners(lenient).items()})
    with HandshakeWatcher(watched) as watcher:
        run = harness.run(_ca_vars(ca), hostvars=hostvars, verbosity=3)
    assert run.rc == 0, run.output[-5000:]

    # Every handshake during the run completed, each listener served its old certificate, then the new one.
    assert watcher.failures == []
    assert watcher.handshakes > 50
    assert {label: len(prints) for label, prints in watcher.seen.items()} == {label: 2 for label in watched}
    for label, (address, port) in watched.items():
        assert fingerprint(served_certificate(address, port)) == watcher.seen[label][-1]

    # strict: SIP-TLS staged in SIP-TLS~2 with a device key, users switched in one change, saved.
    assert _context_names(strict) == {"0": "default", "1": "SIP-TLS", "2": "SIP-TLS~2"}
    assert _references(strict) == ({"Teams": "SIP-TLS~2", "ITSP": ""}, {"Teams-Proxies": "SIP-TLS~2"})
    new = _certificate(strict, 2)
    assert new.issuer == ca.cert.subject and _alt_names(new) == [f"IP:{strict.address}"]
    assert strict.snapshot()["tls"]["2"]["key"] == {"size": 2048, "valid": True}
    assert pem(ca.cert) in strict.snapshot()["tls"]["2"]["trusted_roots"]
    assert fingerprint(_certificate(strict, 0)) == before["strict-0"], "context 0 was not due"
    assert not strict.snapshot()["save_needed"]

    # lenient: context 0 renewed in place; a client trusting only the CA connects with host name checks.
    assert _certificate(lenient, 0).issuer == ca.cert.subject
    only_ca = tmp_path / "only-ca.pem"
    only_ca.write_text(pem(ca.cert))
    assert requests.get(f"{lenient.url}/api/v1/status", auth=("Admin", "Admin"), verify=str(only_ca), timeout=10).ok
    roots = lenient.snapshot()["tls"]["2"]["trusted_roots"]
    assert pem(peer_root) in roots and pem(ca.cert) in roots, "roots are added, never dropped"
    assert not list((tmp_path / "renewal" / "requests").rglob("*.key.pem")), "the waiting key is removed once installed"

    rows = run.rows()
    assert {key: row["result"] for key, row in rows.items()} == {
        ("strict", "0"): "not due", ("strict", "1"): "renewed", ("lenient", "0"): "renewed", ("lenient", "1"): "renewed"}
    assert "staged in SIP-TLS~2 (context 2), users switched; SIP-TLS kept for rollback" in rows[("strict", "1")]["detail"]
    assert "key made on the device" in rows[("strict", "1")]["detail"]
    assert rows[("lenient", "0")]["new_fingerprint"] == fingerprint(_certificate(lenient, 0))
    assert (run.report_dir / "certificates.html").exists() and (run.report_dir / "certificates.md").exists()

    # Secrets: neither the CA passphrase nor any key in -vvv output, no unencrypted key on disk.
    _assert_no_secrets(run.output, ca.passphrase)
    assert _unencrypted_keys_in(tmp_path / "renewal") == []

    # A second run changes nothing.
    harness.refresh_trust()
    again = harness.run(_ca_vars(ca), hostvars=hostvars)
    assert again.rc == 0, again.output[-3000:]
    assert [task["name"] for task in again.changed()] == []
    assert {row["result"] for row in again.rows().values()} == {"not due"}


def test_external_signer_and_a_signer_that_certifies_the_wrong_key(fleet, tmp_path):
    good = _device(fleet, "good", {"1": 5})
    mixup = _device(fleet, "mixup", {"1": 5})
    corporate = SigningCa.create(tmp_path / "corporate", "Corporate Issuing CA", CORPORATE_PASSPHRASE)
    passphrase_file = tmp_path / "corporate" / "passphrase"
    passphrase_file.write_text(CORPORATE_PASSPHRASE)
    before = {"mixup": _references(mixup), "mixup-1": fingerprint(_certificate(mixup, 1)),
              "served": fingerprint(served_certificate(*_listeners(mixup)["Teams"]))}
    harness = RenewalHarness(tmp_path / "renewal", {"good": good, "mixup": mixup})
    run = harness.run({
        "certificate_renewal_signer": "external", "certificate_renewal_signer_tasks": str(FILES / "signer_tasks.yml"),
        "corporate_ca_tool": str(FILES / "corporate_ca.py"), "corporate_ca_cert": str(corporate.cert_path),
        "corporate_ca_key": str(corporate.key_path), "corporate_ca_passphrase_file": str(passphrase_file),
    }, hostvars={"mixup": {"corporate_ca_mixes_up_requests": True}})
    assert run.rc != 0, "the device whose signer failed fails, after the report"
    rows = run.rows()

    assert rows[("good", "1")]["result"] == "renewed"
    assert _references(good)[0]["Teams"] == "SIP-TLS~2"
    new = _certificate(good, 2)
    assert new.issuer == corporate.cert.subject and _alt_names(new) == [f"IP:{good.address}"]
    assert "key made on the controller" in rows[("good", "1")]["detail"], "subjectAltNames: a controller key by default"

    # The wrong key was caught before the switch: nothing in service changed.
    assert rows[("mixup", "1")]["result"] == "stopped before the switch, nothing changed in service"
    assert "it certifies another key" in rows[("mixup", "1")]["detail"]
    assert rows[("mixup", "1")]["severity"] == "major"
    assert _references(mixup) == before["mixup"]
    assert fingerprint(_certificate(mixup, 1)) == before["mixup-1"]
    assert fingerprint(served_certificate(*_listeners(mixup)["Teams"])) == before["served"]
    assert "TLS context 1 SIP-TLS: check: the signed certificate cannot go into service: it certifies another key" in run.output
    report = run.report()
    assert report["problems"][0]["device"] == "mixup"


def _without_faults(snapshot):
    return {key: value for key, value in stable(snapshot).items() if key != "faults"}


def _sign_requests(directory, ca, host):
    """What the people with the CA do between the two phases: sign every CSR, put certificates beside them."""
    signed = []
    for csr_path in sorted((directory / host).glob("*.csr")):
        csr = x509.load_pem_x509_csr(csr_path.read_bytes())
        names = csr.extensions.get_extension_for_class(x509.SubjectAlternativeName).value if csr.extensions else []
        cert = ca.issue(csr.public_key(), csr.subject.rfc4514_string().removeprefix("CN="), days=400, alt_names=list(names))
        csr_path.with_suffix(".crt").write_text(pem(cert) + pem(ca.cert))
        signed.append(csr_path.stem)
    return signed


def test_check_mode_then_two_phases(fleet, ca, tmp_path):
    dev = _device(fleet, "sbc1", {"0": 8, "1": 8})
    harness = RenewalHarness(tmp_path / "renewal", {"sbc1": dev}, trusted=[pem(ca.cert)])
    two_phase = {"certificate_renewal_signer": "directory", "certificate_renewal_key_passphrase": KEY_PASSPHRASE}
    requests_dir = tmp_path / "renewal" / "requests" / "sbc1"

    # Check mode: the plan and a report, nothing sent.
    snapshot = dev.snapshot()
    for path in ("files/ini/incremental", "files/tls/0/privateKey", "files/tls/0/certificate", "files/tls/1/certificate"):
        guard_uploads(dev, path)
    check = harness.run(two_phase, check=True)
    assert check.rc == 0, check.output[-3000:]
    for path in ("files/ini/incremental", "files/tls/0/privateKey", "files/tls/0/certificate", "files/tls/1/certificate"):
        assert guard_still_pending(dev, path)
    dev.clear_faults()
    assert _without_faults(dev.snapshot()) == _without_faults(snapshot)
    assert check.report()["title"] == "Certificate report (check mode)"
    assert {row["result"] for row in check.rows().values()} == {"would renew (check mode)"}
    assert "context 1 SIP-TLS: renew (7 days left, fewer than 30) - stage in SIP-TLS~2" in check.output

    # Phase 1: requests written, keys waiting (context 0's encrypted on the controller), nothing in service changed.
    served = {label: fingerprint(served_certificate(*where)) for label, where in _listeners(dev).items()}
    first = harness.run(two_phase, verbosity=3)
    assert first.rc == 0, first.output[-3000:]
    assert {row["result"] for row in first.rows().values()} == {"waiting for the signed certificate"}
    assert sorted(path.name for path in requests_dir.iterdir()) == ["ctx0_default.csr", "ctx0_default.key.pem", "ctx1_SIP-TLS.csr"]
    key_file = requests_dir / "ctx0_default.key.pem"
    assert key_file.read_text().startswith("-----BEGIN ENCRYPTED PRIVATE KEY-----")
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert {label: fingerprint(served_certificate(*where)) for label, where in _listeners(dev).items()} == served
    assert _references(dev)[0]["Teams"] == "SIP-TLS"
    assert dev.snapshot()["tls"]["2"]["key"]["valid"] is False, "the spare's new key waits for its certificate"
    _assert_no_secrets(first.output, KEY_PASSPHRASE)

    # Between the phases the CA signs; phase 2 installs, switches and verifies.
    assert _sign_requests(requests_dir.parent, ca, "sbc1") == ["ctx0_default", "ctx1_SIP-TLS"]
    second = harness.run(two_phase)
    assert second.rc == 0, second.output[-3000:]
    assert {row["result"] for row in second.rows().values()} == {"renewed"}
    assert not key_file.exists()
    assert _references(dev)[0]["Teams"] == "SIP-TLS~2"
    for label, where in _listeners(dev).items():
        assert served_certificate(*where).issuer == ca.cert.subject, label
    harness.refresh_trust()
    third = harness.run(two_phase)
    assert third.rc == 0 and [task["name"] for task in third.changed()] == []


def test_a_device_that_keeps_serving_the_old_certificate_is_switched_back(fleet, ca, tmp_path):
    dev = _device(fleet, "stale", {"0": 8, "1": 8})
    old = {label: fingerprint(served_certificate(*where)) for label, where in _listeners(dev).items()}
    requests.post(f"{fleet.control_url}/devices/stale/stale-tls", json={"enabled": True}, timeout=10).raise_for_status()
    harness = RenewalHarness(tmp_path / "renewal", {"stale": dev}, trusted=[pem(ca.cert)])
    hostvars = {"stale": {"certificate_renewal_tls_endpoints": [_endpoint(dev, "Teams", "SIP-TLS")]}}
    run = harness.run(_ca_vars(ca), hostvars=hostvars)
    assert run.rc != 0
    rows = run.rows()
    # SIP-TLS: switched, the Teams listener still served the old certificate: switched back.
    assert rows[("stale", "1")]["result"] == "switched back to the previous context"
    assert "Teams at 127.0.31.1" in rows[("stale", "1")]["detail"] and "not the new certificate" in rows[("stale", "1")]["detail"]
    assert _references(dev) == ({"Teams": "SIP-TLS", "ITSP": ""}, {"Teams-Proxies": "SIP-TLS"})
    assert not dev.snapshot()["save_needed"]
    # Context 0 cannot go back: the failure says so and what the device holds.
    assert rows[("stale", "0")]["result"] == "failed" and rows[("stale", "0")]["severity"] == "critical"
    assert "cannot go back" in rows[("stale", "0")]["detail"] and "(the new one)" in rows[("stale", "0")]["detail"]
    assert {label: fingerprint(served_certificate(*where)) for label, where in _listeners(dev).items()} == old

    # Once the device applies certificates again, the next run completes the switch.
    requests.post(f"{fleet.control_url}/devices/stale/stale-tls", json={"enabled": False}, timeout=10).raise_for_status()
    harness.refresh_trust()
    again = harness.run(_ca_vars(ca), hostvars=hostvars)
    assert again.rc == 0, again.output[-3000:]
    assert again.rows()[("stale", "1")]["result"] == "renewed"
    assert "an earlier run staged SIP-TLS~2" in again.output
    assert _references(dev)[0]["Teams"] == "SIP-TLS~2"


def test_a_busy_device_is_waited_for(fleet, ca, tmp_path):
    """An HA synchronization window (writes answered 409) opens before the run and closes only
    once the role has started changing the device: the role waits it out and completes."""
    dev = _device(fleet, "busy", {"1": 8})
    harness = RenewalHarness(tmp_path / "renewal", {"busy": dev}, trusted=[pem(ca.cert)])
    during = {}

    def close_window_once_the_role_writes():
        # The role makes its request directory just before its first change of the device.
        deadline = time.monotonic() + 300
        while not (tmp_path / "renewal" / "requests" / "busy").exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(4)
        during.update(contexts=_context_names(dev), references=_references(dev))
        control(fleet, dev, "ha-sync", {"open": False})

    control(fleet, dev, "ha-sync", {"open": True})
    closer = threading.Thread(target=close_window_once_the_role_writes, daemon=True)
    closer.start()
    run = harness.run(_ca_vars(ca))
    closer.join(timeout=10)
    assert run.rc == 0, run.output[-3000:]
    assert during == {"contexts": {"0": "default", "1": "SIP-TLS"},
                      "references": ({"Teams": "SIP-TLS", "ITSP": ""}, {"Teams-Proxies": "SIP-TLS"})}, "nothing went through the window"
    assert run.rows()[("busy", "1")]["result"] == "renewed"
    assert _references(dev)[0]["Teams"] == "SIP-TLS~2"


def test_the_report_page_shows_the_documents_numbers(fleet, ca, tmp_path, browser):
    devices = {"sbc-a": _device(fleet, "sbc-a", {"0": 5, "1": -2}), "sbc-b": _device(fleet, "sbc-b")}
    harness = RenewalHarness(tmp_path / "renewal", devices, trusted=[pem(ca.cert)])
    run = harness.run(dict(_ca_vars(ca), certificate_renewal_key_source="device"), check=True)
    # A device key cannot renew context 0: the plan says so and the device fails, after the report.
    assert run.rc != 0
    assert "TLS context 0 default: context 0 serves HTTPS management" in run.output
    document = run.report()
    from selenium.webdriver.common.by import By
    browser.get((run.report_dir / "certificates.html").as_uri())
    figures = [(item.find_element(By.CSS_SELECTOR, ".label").text, item.find_element(By.CSS_SELECTOR, ".value").text)
               for item in browser.find_elements(By.CSS_SELECTOR, ".figure")]
    assert figures == [(figure["label"], str(figure["value"])) for figure in document["summary"]]
    rows = browser.find_elements(By.CSS_SELECTOR, "#section-1 tbody tr")
    assert len(rows) == len(document["sections"][0]["rows"]) == 4
    headers = [header.text.strip(" \u25b2\u25bc") for header in browser.find_elements(By.CSS_SELECTOR, "#section-1 thead th")]
    days_column = headers.index("Days left") + 1
    shown_days = [cell.text for cell in browser.find_elements(By.CSS_SELECTOR, f"#section-1 tbody td:nth-child({days_column})")]
    assert shown_days == [str(row["days_left"]) for row in document["sections"][0]["rows"]]
    assert len(browser.find_elements(By.CSS_SELECTOR, "#problems tbody tr")) == len(document["problems"])
    # Context 0 cannot take a device key: not renewed, a major problem, shown first with the expired one.
    assert document["problems"][0]["severity"] == "critical" and "1 SIP-TLS" in document["problems"][0]["text"]


def test_a_subject_with_a_line_break_changes_nothing_on_the_device(fleet, ca, tmp_path):
    """The subject reaches the device only through mediant_certificate_request's options; the plan refuses
    it before the spare context is staged, so the device is left exactly as it was (issue 8)."""
    dev = _device(fleet, "injected", {"1": 8})
    before = {key: dev.snapshot()[key] for key in ("running_config", "saved_config", "tls", "save_needed")}
    harness = RenewalHarness(tmp_path / "renewal", {"injected": dev}, trusted=[pem(ca.cert)])
    run = harness.run(dict(_ca_vars(ca), certificate_renewal_contexts=["SIP-TLS"],
                           certificate_renewal_subject={"common_name": "sbc1.example.com\nCN=evil"}))
    assert run.rc != 0
    assert ("the subject cannot be used: subject field common_name holds '\\n' (U+000A), a line break or control "
            "character; a subject field is one line of text") in run.rows()[("injected", "1")]["detail"]
    assert {key: dev.snapshot()[key] for key in ("running_config", "saved_config", "tls", "save_needed")} == before


def test_an_ha_pair_is_renewed_once_through_its_synchronization_windows(fleet, ca, tmp_path):
    """A simulated HA pair (one host): every change opens a synchronization window (writes answered
    409) that the role waits out; the report says when the redundant unit had the changes."""
    ha = {"units": [{"name": "pair-a", "serial": "4001"}, {"name": "pair-b", "serial": "4002"}],
          "sync_seconds": 1.0, "install_seconds": 0.3, "switchover_seconds": 0.5}
    dev = _device(fleet, "pair", {"1": 6}, ha=ha)
    harness = RenewalHarness(tmp_path / "renewal", {"pair": dev}, trusted=[pem(ca.cert)])
    watched = {"pair-Teams": _listeners(dev)["Teams"]}
    with HandshakeWatcher(watched) as watcher:
        run = harness.run(_ca_vars(ca))
    assert run.rc == 0, run.output[-3000:]
    assert watcher.failures == []
    assert run.rows()[("pair", "1")]["result"] == "renewed"
    assert _references(dev)[0]["Teams"] == "SIP-TLS~2"
    assert _certificate(dev, 2).issuer == ca.cert.subject
    snapshot = dev.snapshot()["ha"]["pair"]
    assert (snapshot["state"], snapshot["synced"]) == ("Operational", True)
    notes = " ".join(str(row) for section in run.report()["sections"] for row in section["rows"])
    assert "HA pair, active unit 4001: changes are made once, on the pair's address" in notes
    assert "the redundant unit had them at" in notes
