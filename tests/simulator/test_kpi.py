"""KPIs: the tree (applications, groups, entities, indexes, values), cursors, live counters,
entities that follow the configuration, history intervals; v1.0 /performanceMonitoring."""

from __future__ import annotations

import time

import pytest

from sim_testdata import IP_GROUPS_INI


def test_kpi_root(api):
    assert [item["id"] for item in api.get("kpi").json()["items"]] == ["current", "history", "interval"]


def test_applications_with_groups(api):
    items = {item["id"]: item for item in api.get("kpi/current").json()["items"]}
    assert set(items) == {"sbc", "media", "network", "system"}
    assert items["sbc"]["groups"] == ["callStats", "otherStats"]
    assert items["sbc"]["url"] == "/api/v1/kpi/current/sbc"


def test_groups_and_entities(api):
    assert [item["id"] for item in api.get("kpi/current/sbc").json()["items"]] == ["callStats", "otherStats"]
    entities = api.get("kpi/current/sbc/callStats").json()["items"]
    assert [item["id"] for item in entities] == ["global", "ipGroup"]
    assert entities[1]["description"] == "Per-IPGroup statistics"


def test_ip_group_indexes_follow_configuration(api):
    assert [item["name"] for item in api.get("kpi/current/sbc/callStats/ipGroup").json()["items"]] == ["Default_IPG"]
    api.upload("files/ini/incremental", IP_GROUPS_INI)
    body = api.get("kpi/current/sbc/callStats/ipGroup").json()
    assert [(item["id"], item["name"]) for item in body["items"]] == [("0", "Teams"), ("2", "ITSP")]
    assert body["items"][0]["url"] == "/api/v1/kpi/current/sbc/callStats/ipGroup/0"
    assert api.get("kpi/current/sbc/callStats/ipGroup", params={"id": 2}).json()["items"][0]["name"] == "ITSP"
    assert api.get("kpi/current/sbc/callStats/ipGroup/2/attemptedCallsInTotal").status_code == 200
    assert api.get("kpi/current/sbc/callStats/ipGroup/1").status_code == 400


def test_entity_cursor(api):
    api.upload("files/ini/incremental", IP_GROUPS_INI)
    body = api.get("kpi/current/sbc/callStats/ipGroup", params={"limit": 1}).json()
    assert [item["id"] for item in body["items"]] == ["0"]
    assert body["cursor"] == [{"start": "0", "before": "-1", "after": "0", "end": "2"}]
    body = api.get("kpi/current/sbc/callStats/ipGroup", params={"limit": 1, "after": "0"}).json()
    assert [item["id"] for item in body["items"]] == ["2"]
    assert body["cursor"][0]["after"] == "-1" and body["cursor"][0]["before"] == "2"


def test_pm_listing_detailed_and_not(api):
    detailed = api.get("kpi/current/sbc/callStats/global").json()["items"][0]
    assert set(detailed) == {"id", "name", "description", "url", "value"}
    assert detailed["url"] == f"/api/v1/kpi/current/sbc/callStats/global/{detailed['id']}"
    body = api.get("kpi/current/sbc/callStats/global", params={"detailed": "false", "limit": 2}).json()
    assert all(set(item) == {"id", "value"} for item in body["items"])
    cursor = body["cursor"][0]
    assert cursor["start"] == "abnormalTerminatedCallsInTotal" and cursor["before"] == "-1"
    assert cursor["after"] == "abnormalTerminatedCallsOutTotal" and cursor["end"] == "shortCallsCounterTotal"
    after = api.get("kpi/current/sbc/callStats/global", params={"after": "abnormalTerminatedCallsOutTotal", "limit": 1}).json()
    assert after["items"][0]["id"] == "activeCallsIn"


def test_kpi_filter(api):
    body = api.get("kpi/current/sbc/callStats/global", params={"kpi": "busyCallsInTotal"}).json()
    assert [item["id"] for item in body["items"]] == ["busyCallsInTotal"]
    assert api.get("kpi/current/sbc/callStats/global", params={"kpi": "nope"}).status_code == 400


def test_counters_move_between_reads(api):
    path = "kpi/current/sbc/callStats/global/attemptedCallsInTotal"
    first = int(api.get(path).json()["value"])
    time.sleep(1.1)
    second = api.get(path).json()
    assert second["id"] == "attemptedCallsInTotal"
    assert int(second["value"]) > first


def test_counters_restart_at_reset(make_device):
    client = make_device()
    path = "kpi/current/system/systemStats/global/upTime"
    time.sleep(2.1)
    assert int(client.get(path).json()["value"]) >= 2
    client.post("actions/reset")
    client.wait_down_and_up()
    assert int(client.get(path).json()["value"]) <= 1  # restarted (it was >= 2)


@pytest.mark.parametrize("path,status", [
    ("kpi/current/voip", 400),
    ("kpi/current/sbc/nope", 400),
    ("kpi/current/sbc/callStats/nope", 400),
    ("kpi/current/sbc/callStats/global/nope", 404),
    ("kpi/future", 404),
])
def test_invalid_paths(api, path, status):
    reply = api.get(path)
    assert reply.status_code == status
    assert reply.json()["description"]


@pytest.mark.parametrize("params", [{"limit": "-1"}, {"detailed": "maybe"}, {"colour": "red"}])
def test_bad_query_parameters(api, params):
    reply = api.get("kpi/current/sbc/callStats/global", params=params)
    assert reply.status_code == 400
    assert list(params)[0] in reply.json()["description"]


def test_no_intervals_yet_is_204(api):
    assert api.get("kpi/interval").status_code == 204
    assert api.get("kpi/history/sbc/callStats/global").status_code == 204


def test_history_intervals(make_device):
    client = make_device(kpi_interval_seconds=0.25)
    time.sleep(1.15)
    body = client.get("kpi/interval").json()
    ids = [item["id"] for item in body["intervals"]]
    assert ids[:4] == [0, 1, 2, 3]
    assert body["intervals"][0]["url"] == "/api/v1/kpi/interval?id=0"
    assert client.get("kpi/interval", params={"id": 2}).json()["intervals"][0]["id"] == 2
    last = client.get("kpi/interval", params={"id": "last"}).json()["intervals"][0]["id"]
    assert last >= 3
    newest = [item["id"] for item in client.get("kpi/interval", params={"limit": 2}).json()["intervals"]]
    assert newest[1] == newest[0] + 1 and newest[1] >= last   # intervals keep completing meanwhile
    assert [item["id"] for item in client.get("kpi/interval", params={"after": 1, "limit": 1}).json()["intervals"]] == [2]
    assert client.get("kpi/interval", params={"id": "x"}).status_code == 400

    value = client.get("kpi/history/sbc/callStats/global/attemptedCallsInTotal", params={"interval": 1}).json()
    assert value["id"] == "attemptedCallsInTotal" and value["interval"] == "1"
    every = client.get("kpi/history/sbc/callStats/global/attemptedCallsInTotal", params={"interval": "all"}).json()["items"]
    numbers = [int(item["interval"]) for item in every]
    assert numbers == sorted(numbers, reverse=True) and numbers[0] >= last and numbers[-1] == 0
    listing = client.get("kpi/history/sbc/callStats/global", params={"interval": "last"}).json()["items"]
    assert {item["id"] for item in listing} >= {"attemptedCallsInTotal"}
    assert client.get("kpi/current/sbc/callStats/global/attemptedCallsInTotal", params={"interval": "all"}).status_code == 200
    assert client.get("kpi/history/sbc/callStats/global", params={"interval": 9999}).status_code == 400


def test_v10_performance_monitoring(make_device):
    client = make_device(firmware="7.00A.100.001")
    names = client.get("performanceMonitoring").json()["items"]
    assert "NetUtilPackets" in names
    described = client.get("performanceMonitoring/NetUtilPackets").json()
    assert described == {"indexes": [0, 1], "intervalsPerIndex": [0, 1, 2], "lowThreshold": 100, "highThreshold": 30000}
    value = client.get("performanceMonitoring/NetUtilPackets", params={"index": 0}).json()
    assert value["index"] == 0 and value["interval"] == 0 and {"value", "min", "max", "average"} <= set(value)
    bad = client.get("performanceMonitoring/NetUtilPackets", params={"index": 100})
    assert bad.status_code == 400 and bad.json() == {"description": "Invalid index"}
    assert client.get("performanceMonitoring/netUtilPackets", params={"index": 1, "interval": 2}).json()["interval"] == 2
    assert client.get("performanceMonitoring/NoSuchPm").status_code == 404
