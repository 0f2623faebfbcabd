# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The role audiocodes.mediant.report against a simulated fleet: the report's numbers are the
devices' (alarms, certificates, saved state, drift, backups, a device that cannot be read), the
page shows them in headless Chromium, sorts, and a screenshot is kept (tests/output/)."""
from __future__ import annotations

import datetime
import json

import pytest
import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from simulator import Fleet
from tests.browser import console_errors, full_page_screenshot
from tests.integration.fleet_plays import host_results, run_fleet_play

NOW = datetime.datetime.now(datetime.timezone.utc)


def _put(device, tmp_path, path, content):
    ca_file = tmp_path / f"{device.name}-direct-ca.pem"
    ca_file.write_text(device.certificate_pem())
    response = requests.put(f"{device.url}/api/v1/{path}", auth=("Admin", "Admin"), verify=str(ca_file),
                            files={"file": ("f.txt", content)}, timeout=30)
    assert response.status_code == 200, response.text


def expiring_context(device, tmp_path, days):
    """TLS context 1 "SIP-TLS" with a certificate that expires in `days` days."""
    _put(device, tmp_path, "files/ini/incremental", '[ TLSContexts ]\nFORMAT Index = Name;\nTLSContexts 1 = "SIP-TLS";\n[ \\TLSContexts ]\n')
    key = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "sip.example.com <b>bold</b>")])
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(NOW - datetime.timedelta(days=300))
            .not_valid_after(NOW + datetime.timedelta(days=days, hours=12)).sign(key, hashes.SHA256()))
    _put(device, tmp_path, "files/tls/1/privateKey",
         key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode())
    _put(device, tmp_path, "files/tls/1/certificate", cert.public_bytes(serialization.Encoding.PEM).decode())


def backup_metadata(root, run, host, taken):
    directory = root / run / host
    directory.mkdir(parents=True)
    (directory / "backup.json").write_text(json.dumps({
        "taken": taken.strftime("%Y-%m-%dT%H:%M:%SZ"), "changed": True, "files": {"ini": {"name": "config.ini"}}}))


def drift_document(directory, host, in_sync, total):
    directory.mkdir(exist_ok=True)
    (directory / f"{host}.json").write_text(json.dumps({
        "host": host, "generated": NOW.strftime("%Y-%m-%dT%H:%M:%SZ"), "mode": "check", "in_sync": in_sync, "changed": False,
        "summary": {"parameters": total, "rows_added": 0, "rows_updated": 0, "rows_removed": 0, "cli_lines": 0, "total": total},
        "error": None}))


@pytest.fixture
def fleet(tmp_path):
    with Fleet(state_dir=tmp_path / "state") as running:
        yield running


def _column(driver, section, index):
    from selenium.webdriver.common.by import By
    return [cell.text for cell in driver.find_elements(By.CSS_SELECTOR, f"#{section} tbody tr td:nth-child({index})")]


def test_fleet_report(fleet, tmp_path, browser, monkeypatch):
    spec = {"address": "127.0.0.1", "port": 0, "reset_seconds": 1}
    sbc_a = fleet.add_device({"name": "sbc-a", "firmware": "7.40A.500.010", **spec})
    sbc_b = fleet.add_device({"name": "sbc-b", "firmware": "7.40A.600.001", **spec})
    gateway = fleet.add_device({"name": "gw-1", "firmware": "7.00A.049.003", "product": "Mediant 1000", **spec})
    broken = fleet.add_device({"name": "sbc-x", "firmware": "7.40A.500.010", **spec})
    sbc_a.raise_alarm('Proxy set "ITSP" <script>alert(1)</script> is down', "Critical", source="ProxySet#0")
    sbc_a.raise_alarm("NTP server not reachable", "Minor")
    monkeypatch.setenv("SIMULATOR_DEFAULT_KEY_SIZE", "1024")  # context 1's own key: fast (the listener keeps its own)
    expiring_context(sbc_a, tmp_path, days=5)  # also leaves sbc-a's configuration unsaved

    drift_dir, backup_root, report_dir = tmp_path / "drift", tmp_path / "backups", tmp_path / "reports"
    drift_document(drift_dir, "sbc-a", False, 3)
    drift_document(drift_dir, "sbc-b", True, 0)
    backup_metadata(backup_root, "20260101T000000Z", "sbc-a", NOW - datetime.timedelta(days=20))
    backup_metadata(backup_root, (NOW - datetime.timedelta(days=10)).strftime("%Y%m%dT%H%M%SZ"), "sbc-a", NOW - datetime.timedelta(days=10))
    backup_metadata(backup_root, NOW.strftime("%Y%m%dT%H%M%SZ"), "sbc-b", NOW - datetime.timedelta(hours=1))

    devices = [sbc_a, sbc_b, gateway, broken]
    before = {device.name: device.snapshot()["running_config"] for device in devices}
    play = {"name": "fleet report", "hosts": "mediant", "gather_facts": False, "roles": [{
        "role": "audiocodes.mediant.report",
        "vars": {"report_dir": str(report_dir), "report_drift_dir": str(drift_dir), "report_backup_root": str(backup_root)}}]}
    result = run_fleet_play(tmp_path / "play", devices, play, check=True, hostvars={"sbc-x": {"mediant_password": "wrong"}})
    assert result.rc == 2, result.stdout + result.stderr
    assert "failed at 'Read status, license, alarms and certificates' on sbc-x" in \
        host_results(result, "Fail on a device that could not be read")["sbc-x"]["result"]["msg"]
    assert {device.name: device.snapshot()["running_config"] for device in devices} == before  # reads only

    document = json.loads((report_dir / "fleet-report.json").read_text())
    figures = {figure["label"]: figure["value"] for figure in document["summary"]}
    active_alarms = sum(len(device.snapshot()["alarms"]["active"]) for device in (sbc_a, sbc_b, gateway))
    assert figures == {
        "Devices": 4, "Not reachable": 1, "Active alarms": active_alarms, "Certificates expiring within 30 days": 1,
        "Configuration not saved": sum(1 for device in (sbc_a, sbc_b, gateway) if device.snapshot()["save_needed"]),
        "Firmware versions": 3, "Drift from the desired state": 1, "Backups missing or older than 7 days": 2}
    assert figures["Configuration not saved"] == 1
    problems = [(problem["severity"], problem["device"], problem["text"]) for problem in document["problems"]]
    assert problems[0][:2] in {("critical", "sbc-a"), ("critical", "sbc-x")}
    assert ("major", "sbc-a", "TLS context 1 (SIP-TLS) certificate expires in 5 days") in problems
    assert ("warning", "sbc-a", "3 differences from the desired configuration") in problems
    assert ("warning", "sbc-a", "last configuration backup is 10 days old") in problems
    assert ("warning", "gw-1", "no configuration backup found") in problems
    assert ("warning", "sbc-a", "configuration changed but not saved to non-volatile memory") in problems
    devices_rows = {row["device"]: row for row in document["sections"][0]["rows"]}
    for severity in ("critical", "major", "minor", "warning"):  # the device's own alarms, by severity
        assert devices_rows["sbc-a"]["alarms_" + severity] == sum(
            1 for alarm in sbc_a.snapshot()["alarms"]["active"] if alarm["severity"].lower() == severity)
    assert devices_rows["sbc-a"]["alarms_critical"] == 1
    assert devices_rows["sbc-b"]["firmware"] == "7.40A.600.001"
    assert devices_rows["gw-1"]["product"] == "Mediant 1000"
    assert devices_rows["sbc-a"]["saved"] is False and devices_rows["sbc-b"]["saved"] is True
    assert devices_rows["sbc-x"]["severity"] == "critical"
    certificates = {(row["device"], row["context"]): row for row in document["sections"][2]["rows"]}
    assert certificates[("sbc-a", "1")]["days_left"] == 5
    assert ("gw-1", "0") not in certificates  # the v1.0 API has no TLS contexts
    assert (report_dir / "fleet-report.md").read_text().startswith("# Mediant fleet report\n")

    # The page: the numbers the document holds, problems first, sortable, device text inert.
    browser.get((report_dir / "fleet-report.html").as_uri())
    assert console_errors(browser) == []
    from selenium.webdriver.common.by import By
    labels = browser.find_elements(By.CSS_SELECTOR, ".figure .label")
    values = browser.find_elements(By.CSS_SELECTOR, ".figure .value")
    shown = {label.text: value.text for label, value in zip(labels, values)}
    assert shown == {label: str(value) for label, value in figures.items()}
    assert _column(browser, "problems", 1)[0] == "CRITICAL"
    assert browser.execute_script("return document.images.length === 0 && document.scripts.length === 1")
    assert any("<script>alert(1)</script>" in text for text in _column(browser, "problems", 3))
    assert _column(browser, "section-1", 2)[:2] in (["sbc-a", "sbc-x"], ["sbc-x", "sbc-a"])
    header = [th for th in browser.find_elements(By.CSS_SELECTOR, "#section-1 thead th") if th.text.startswith("Critical alarms")][0]
    header.find_element(By.TAG_NAME, "button").click()
    header.find_element(By.TAG_NAME, "button").click()  # descending: most critical alarms first
    critical_column = 1 + [th.text.strip(" \u25b2\u25bc") for th in browser.find_elements(By.CSS_SELECTOR, "#section-1 thead th")].index("Critical alarms")
    assert _column(browser, "section-1", critical_column) == ["1", "0", "0", ""]
    shot = full_page_screenshot(browser, "fleet-report")  # kept in tests/output/ as the test's artifact
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000
