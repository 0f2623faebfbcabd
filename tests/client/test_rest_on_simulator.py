# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""MediantClient against the simulator, over HTTPS with the device's own certificate as ca_path:
API generations, faults, pagination, both upload encodings, privileges, resets."""
from __future__ import annotations

import json
import time

import pytest

from ansible_collections.audiocodes.mediant.plugins.module_utils.rest import MediantClient, MediantError
from simulator import Fleet

PASSWORD = "pw-S3cret!never-shown"


def assert_no_secret(err):
    for text in (str(err), repr(err), json.dumps({k: str(v) for k, v in vars(err).items()})):
        assert PASSWORD not in text


@pytest.fixture
def fleet(tmp_path):
    with Fleet(state_dir=tmp_path / "state") as running:
        yield running


def sim_client(dev, tmp_path, username="Admin", password="Admin", **kwargs):
    ca_file = tmp_path / ("%s-ca.pem" % dev.name)
    ca_file.write_text(dev.certificate_pem())
    kwargs.setdefault("retries", 3)
    kwargs.setdefault("backoff", 0.05)
    kwargs.setdefault("timeout", 5)
    return MediantClient(dev.address, username, password, port=dev.port, protocol=dev.protocol,
                         ca_path=str(ca_file), **kwargs)


@pytest.fixture
def sbc(fleet):
    return fleet.add_device({"name": "sbc1", "firmware": "7.40A.500.010", "reset_seconds": 1,
                             "users": [{"username": "Admin", "password": PASSWORD, "level": "security_admin"},
                                       {"username": "Operator", "password": "Operator", "level": "admin"},
                                       {"username": "Monitor", "password": "Monitor", "level": "monitor"}]})


@pytest.fixture
def gateway_v1(fleet):
    return fleet.add_device({"name": "gw1", "firmware": "7.00A.049.003", "reset_seconds": 1})


def test_simulator_status_over_verified_https_and_api_generations(sbc, gateway_v1, tmp_path):
    client = sim_client(sbc, tmp_path, password=PASSWORD)
    assert client.get_json("status")["versionID"] == "7.40A.500.010"
    assert client.api_version == "7.4"
    assert sim_client(gateway_v1, tmp_path).api_version == "1.0"


def test_simulator_409_fault_is_retried_for_get(sbc, tmp_path):
    sbc.inject_fault(path="license", method="GET", status=409, count=2,
                     description="Device is currently performing HA synchronization")
    assert sim_client(sbc, tmp_path, password=PASSWORD).get_json("license")["serialNumber"] == sbc.serial


def test_simulator_dropped_connection_is_retried_for_get(sbc, tmp_path):
    sbc.inject_fault(path="status", method="GET", drop=True, count=1)
    assert sim_client(sbc, tmp_path, password=PASSWORD).get_json("status")["serialNumber"] == sbc.serial


def test_simulator_paginates_active_alarms_and_kpi(sbc, tmp_path):
    raised = [sbc.raise_alarm("alarm number %d" % number, severity="Minor")["id"] for number in range(7)]
    client = sim_client(sbc, tmp_path, password=PASSWORD)
    alarms = client.paginate("alarms/active", "alarms", params={"limit": 2})
    assert [alarm["id"] for alarm in alarms] == raised
    whole = client.get_json("kpi/current/sbc/callStats/global")["items"]
    paged = client.paginate("kpi/current/sbc/callStats/global", "items", params={"limit": 3})
    assert [item["id"] for item in paged] == [item["id"] for item in whole] and len(whole) > 3


def test_simulator_takes_uploads_in_both_encodings(sbc, gateway_v1, tmp_path):
    ini = tmp_path / "incremental.ini"
    ini.write_text("[SYSTEM Params]\nSyslogServerIP = 10.1.2.3\n")
    for dev, password in ((sbc, PASSWORD), (gateway_v1, "Admin")):
        client = sim_client(dev, tmp_path, password=password)
        client.upload("files/ini/incremental", src=str(ini))
        assert "10.1.2.3" in client.get_text("files/ini"), dev.name


def test_simulator_privilege_and_credential_messages(sbc, tmp_path):
    with pytest.raises(MediantError) as caught:
        sim_client(sbc, tmp_path, username="Operator", password="Operator").put_json("license", {"key": "x"})
    assert caught.value.status == 403 and "Security Administrator privilege level" in str(caught.value)
    with pytest.raises(MediantError) as caught:
        sim_client(sbc, tmp_path, username="Monitor", password="Monitor").get_json("files")
    assert caught.value.status == 403 and "needs the Administrator privilege level" in str(caught.value)
    with pytest.raises(MediantError) as caught:
        sim_client(sbc, tmp_path, password=PASSWORD + "-wrong").get_json("status")
    assert caught.value.status == 401 and "user 'Admin'" in str(caught.value)
    assert_no_secret(caught.value)


def test_simulator_untrusted_certificate_message(sbc):
    client = MediantClient(sbc.address, "Admin", PASSWORD, port=sbc.port)
    with pytest.raises(MediantError) as caught:
        client.get_json("status")
    assert "ca_path" in str(caught.value) and "validate_certs" in str(caught.value)
    assert_no_secret(caught.value)


def test_wait_until_back_after_a_reset_answers_twice_and_login_works(sbc, tmp_path):
    client = sim_client(sbc, tmp_path, password=PASSWORD)
    uptime = client.get_json("status").get("systemUpTime")
    client.post_json("actions/reset", {"saveConfiguration": False})
    started = time.monotonic()
    status = client.wait_until_back(20, previous_uptime=uptime)
    assert status["serialNumber"] == sbc.serial
    assert time.monotonic() - started >= 0.9  # the simulator refuses connections for reset_seconds=1
    assert client.get_json("license")["serialNumber"] == sbc.serial  # fresh session, same credentials


def test_wait_until_back_names_the_option_to_raise_when_the_device_stays_down(sbc, tmp_path):
    client = sim_client(sbc, tmp_path, password=PASSWORD)
    sbc.hang_resets(True)
    try:
        client.post_json("actions/reset", {"saveConfiguration": False})
        with pytest.raises(MediantError) as caught:
            client.wait_until_back(2.5, timeout_option="reset_timeout")
    finally:
        sbc.hang_resets(False)
    assert "did not come back within 2.5 s" in str(caught.value) and "reset_timeout" in str(caught.value)
    assert_no_secret(caught.value)
