# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""mediant_facts: subsets, privilege skips, API generations, pagination, failures."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.unit.framework import pki
from tests.unit.framework.device_data import SERIAL, api_generation, status
from tests.unit.framework.fake_http import Call
from tests.unit.framework.tasks import PASSWORD

FORBIDDEN = {"description": "Forbidden"}


def test_default_subset_reads_the_status_only(device, run):
    device.always(api_generation("7.4"))
    device.expect(Call("GET", "status", answer=status()))
    result = run("mediant_facts", {})
    assert not result["changed"] and not result.get("failed")
    facts = result["ansible_facts"]["mediant"]
    assert facts["gathered_subsets"] == ["status"] and facts["skipped_subsets"] == {}
    assert facts["api_version"] == "7.4"
    assert facts["status"]["version"] == "7.40A.500.010"
    assert facts["status"]["serial"] == SERIAL
    assert facts["status"]["ha_state"] == "Not Operational"
    assert facts["status"]["save_needed"] is False
    assert facts["status"]["api_version"] == "7.4"


def test_every_subset_walks_every_page_and_reads_each_context(device, run):
    key = pki.new_key()
    cert = pki.certificate(key, "sbc1.example.com", days=40)
    device.always(api_generation("7.4"))
    device.expect(
        Call("GET", "status", answer=status()),
        Call("GET", "license", answer={"serialNumber": SERIAL, "licenseVersion": 1, "keyDescription": "Key features",
                                       "key": "SECRET-KEY"}),
        Call("GET", "alarms/active", answer={"alarms": [{"id": "1"}, {"id": "2"}], "cursor": {"after": "2", "before": "-1"}}),
        Call("GET", "alarms/active", query={"after": "2"}, answer={"alarms": [{"id": "3"}], "cursor": {"after": "-1"}}),
        Call("GET", "alarms/active/1", answer={"id": "1", "description": "License key is missing", "severity": "Critical",
                                               "source": "Board#1", "date": "2024-03-01T23:00:00.000Z"}),
        Call("GET", "alarms/active/2", status=404, answer={"description": "No such alarm"}),  # cleared meanwhile
        Call("GET", "alarms/active/3", answer={"id": "3", "description": "Trunk down", "severity": "Major",
                                               "source": "Trunk#1", "date": "2024-03-02T00:00:00.000Z"}),
        Call("GET", "files/tls", answer={"tls": [{"id": 0, "name": "default"}, {"id": 1, "name": "teams"}]}),
        Call("GET", "files/tls/0/certificate", answer=pki.pem(cert)),
        Call("GET", "files/tls/0/privateKey", answer={"size": 256, "valid": True}),
        Call("GET", "files/tls/1/certificate", status=404, answer={"description": "No certificate"}),
        Call("GET", "files/tls/1/privateKey", answer={"size": 2048, "valid": False}),
        Call("GET", "files", answer={"files": [{"id": "ini", "description": "INI configuration file", "url": "/api/v1/files/ini"}]}),
        Call("GET", "kpi/current/sbc/callStats/global", query={"detailed": "false"},
             answer={"items": [{"id": "activeCallsIn", "value": "3"}], "cursor": [{"after": "activeCallsIn", "end": "x"}]}),
        Call("GET", "kpi/current/sbc/callStats/global", query={"detailed": "false", "after": "activeCallsIn"},
             answer={"items": [{"id": "activeCallsOut", "value": "4"}], "cursor": [{"after": "-1"}]}),
        Call("GET", "files/ini", answer="[SYSTEM Params]\r\nEnableSyslog = 1\r\n"),
        Call("GET", "files/cliScript", answer="configure system\n exit\n"),
    )
    result = run("mediant_facts", {"gather_subset": ["all"], "config_formats": ["ini", "cli"]})
    facts = result["ansible_facts"]["mediant"]
    assert facts["gathered_subsets"] == ["status", "license", "alarms", "tls", "files", "kpi", "config"]
    assert facts["license"] == {"serial": SERIAL, "license_version": 1, "key_description": "Key features"}
    assert [alarm["id"] for alarm in facts["alarms"]] == ["1", "3"]
    assert facts["alarms"][0] == {"id": "1", "description": "License key is missing", "severity": "Critical",
                                  "source": "Board#1", "date": "2024-03-01T23:00:00.000Z"}
    default, teams = facts["tls"]
    assert default["name"] == "default" and default["private_key"] == {"size": 256, "valid": True}
    assert default["certificate"]["subject"] == "CN=sbc1.example.com" and default["certificate"]["self_signed"] is True
    assert 38 <= default["certificate"]["days_left"] <= 40
    assert teams == {"id": "1", "name": "teams", "certificate": None, "private_key": {"size": 2048, "valid": False}}
    assert facts["files"][0]["id"] == "ini"
    assert facts["kpi"]["source"] == "kpi/current/sbc/callStats/global"
    assert facts["kpi"]["counters"] == {"activeCallsIn": 3, "activeCallsOut": 4}  # numbers, as the device's strings say
    assert facts["config"] == {"ini": "[SYSTEM Params]\r\nEnableSyslog = 1\r\n", "cli": "configure system\n exit\n"}
    assert "SECRET-KEY" not in str(result)


def test_the_license_key_only_when_asked(device, run):
    device.always(api_generation("7.4"))
    device.expect(Call("GET", "status", answer=status()),
                  Call("GET", "license", answer={"serialNumber": SERIAL, "key": "THE-KEY"}))
    facts = run("mediant_facts", {"gather_subset": ["license"], "include_license_key": True})["ansible_facts"]["mediant"]
    assert facts["license"]["key"] == "THE-KEY"


def test_a_subset_the_user_may_not_read_is_skipped_with_a_warning(device, run):
    device.always(api_generation("7.4"))
    device.expect(Call("GET", "status", answer=status()),
                  Call("GET", "license", status=403, answer=FORBIDDEN),
                  Call("GET", "files", status=403, answer=FORBIDDEN))
    result = run("mediant_facts", {"gather_subset": ["license", "files"], "username": "Monitor"})
    facts = result["ansible_facts"]["mediant"]
    assert facts["gathered_subsets"] == ["status"]
    assert facts["skipped_subsets"] == {"license": "user 'Monitor' lacks the Administrator privilege level",
                                        "files": "user 'Monitor' lacks the Administrator privilege level"}
    assert "Subset license skipped: user 'Monitor' lacks the Administrator privilege level it needs (HTTP 403)." in result["warnings"]
    assert not result.get("failed")


def test_v10_device_reads_performance_monitoring_and_skips_tls(device, run):
    device.always(api_generation("1.0"))
    device.expect(
        Call("GET", "status", answer=status(versionID="7.00A.049.003")),
        Call("GET", "performanceMonitoring", answer={"items": ["sbcActiveCalls", "unknownMonitor"]}),
        Call("GET", "performanceMonitoring/sbcActiveCalls", query={"index": 0}, answer={"value": 7}),
        Call("GET", "performanceMonitoring/unknownMonitor", query={"index": 0}, status=404, answer={"description": "No index 0"}),
    )
    result = run("mediant_facts", {"gather_subset": ["tls", "kpi"]})
    facts = result["ansible_facts"]["mediant"]
    assert facts["api_version"] == "1.0"
    assert facts["gathered_subsets"] == ["status", "kpi"]
    assert "REST API v1.0" in facts["skipped_subsets"]["tls"]
    assert any(warning.startswith("Subset tls skipped: TLS contexts are not available") for warning in result["warnings"])
    assert facts["kpi"]["source"] == "performanceMonitoring"
    assert facts["kpi"]["counters"] == {"sbcActiveCalls": 7}


def test_tls_left_out_by_exclusion_is_skipped_silently_on_v10(device, run):
    device.always(api_generation("1.0"))
    device.expect(Call("GET", "status", answer=status(versionID="7.00A.049.003")),
                  Call("GET", "license", answer={"serialNumber": SERIAL}),
                  Call("GET", "alarms/active", status=204),
                  Call("GET", "files", answer={"files": []}),
                  Call("GET", "performanceMonitoring", answer={"items": []}))
    result = run("mediant_facts", {"gather_subset": ["!config"]})
    assert "tls" in result["ansible_facts"]["mediant"]["skipped_subsets"]
    assert result["warnings"] == []
    assert result["ansible_facts"]["mediant"]["alarms"] == []


def test_an_unknown_subset_fails_before_any_request(device, run):
    result = run("mediant_facts", {"gather_subset": ["status", "routes"]})
    assert result["failed"]
    assert result["msg"] == ("gather_subset: unknown subset 'routes'; choose from all, min, status, license, alarms, tls, files, "
                             "kpi, config (prefix ! to exclude)")
    assert device.sent == []


def test_wrong_credentials_fail_naming_the_user_and_never_the_password(device, run):
    device.always(api_generation("7.4"))
    device.expect(Call("GET", "status", status=401, answer={"description": "Unauthorized"}))
    result = run("mediant_facts", {})
    assert result["failed"] and result["status"] == 401
    assert "Authentication failed (HTTP 401) for GET /api/v1/status" in result["msg"] and "user 'Admin'" in result["msg"]
    assert PASSWORD not in str(result)


@pytest.mark.parametrize("answer", [{"ok": 1}, None])
def test_requests_carry_basic_auth_and_verify_certificates_by_default(device, run, answer):
    device.always(api_generation("7.4"))
    device.expect(Call("GET", "status", answer=answer))
    run("mediant_facts", {})
    (sent,) = [sent for sent in device.sent if sent.path == "status"]
    assert sent.headers["Authorization"].startswith("Basic ")
    assert sent.verify is True or isinstance(sent.verify, str)
    assert sent.headers["User-Agent"] == "ansible-collection-audiocodes.mediant"


def test_reads_are_repeated_while_the_device_is_busy(device, run, clock):
    busy = {"description": "Device is currently performing HA synchronization"}
    device.always(api_generation("7.4"))
    device.expect(Call("GET", "status", status=409, answer=busy), Call("GET", "status", status=409, answer=busy),
                  Call("GET", "status", answer=status()))
    result = run("mediant_facts", {})
    assert result["ansible_facts"]["mediant"]["status"]["serial"] == SERIAL
    assert len(clock.slept) == 2


def test_without_cryptography_the_tls_subset_is_skipped_with_the_missing_library_message(device, run, monkeypatch):
    from ansible_collections.audiocodes.mediant.plugins.module_utils import certificates  # pylint: disable=import-outside-toplevel
    monkeypatch.setattr(certificates, "HAS_CRYPTOGRAPHY", False)
    device.always(api_generation("7.4"))
    device.expect(Call("GET", "status", answer=status()))  # no files/tls request
    result = run("mediant_facts", {"gather_subset": ["tls"]})
    facts = result["ansible_facts"]["mediant"]
    assert facts["gathered_subsets"] == ["status"] and not result.get("failed")
    assert facts["skipped_subsets"]["tls"] == certificates.MISSING_CRYPTOGRAPHY_MSG
    assert "Subset tls skipped: " + certificates.MISSING_CRYPTOGRAPHY_MSG in result["warnings"]


def test_the_module_imports_cryptography_only_for_the_tls_subset():
    """Start-up cost of a module process (issue 9 item 8): certificate parsing is imported by the
    subset that parses certificates, not by every run of mediant_facts."""
    code = ("import sys\n"
            "from ansible_collections.audiocodes.mediant.plugins.modules import mediant_facts\n"
            "before = 'cryptography' in sys.modules\n"
            "from ansible_collections.audiocodes.mediant.plugins.module_utils import tls_context\n"
            "print(before, 'cryptography' in sys.modules)\n")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(path for path in sys.path if path))
    answer = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert answer.stdout.split() == ["False", "True"]  # the second: the check itself can fail


@pytest.mark.parametrize("version_id, api", [("7.40A.500.010", "7.4"), ("7.00A.049.003", "1.0")])
def test_the_status_answer_tells_the_api_generation_in_one_request(device, run, version_id, api):
    """Issue 9 item 8: the default subset is one request; the navigation tree (GET /api/v1) is not asked."""
    device.always(api_generation(api))
    device.expect(Call("GET", "status", answer=status(versionID=version_id)))
    facts = run("mediant_facts", {})["ansible_facts"]["mediant"]
    assert facts["api_version"] == facts["status"]["api_version"] == api
    assert device.calls(include_standing=True) == ["GET /api/v1/status"]


def test_a_status_without_a_firmware_version_asks_the_navigation_tree(device, run):
    device.always(api_generation("1.0"))
    device.expect(Call("GET", "status", answer=status(versionID=None)))
    facts = run("mediant_facts", {})["ansible_facts"]["mediant"]
    assert facts["api_version"] == "1.0"
    assert device.calls(include_standing=True) == ["GET /api/v1/status", "GET /api/v1"]
