"""KPIs: the tree (applications, groups, entities, indexes, values), cursors, live counters,
entities that follow the configuration, history intervals; v1.0 /performanceMonitoring."""

from __future__ import annotations

import time

import pytest

from sim_testdata import IP_GROUPS_INI


def test_kpi_root(api):
    assert [item["id"] for item in api.get("kpi").json()["items"]] == ["current", "history", "interval"]


# The guide's section 11.4 Example 1 (and the groups a 7.40A SBC serves beyond it).
TREE = {
    "sbc": ["callStats", "otherStats", "sipRecStats"],
    "media": ["clusterStats", "coderStats", "dspStats", "mediaStats"],
    "network": ["ddosStats", "haStats", "interfaceStats", "portStats"],
    "system": ["cpuStats", "licenseStats", "storageStats", "systemStats"],
}


def test_applications_with_groups(api):
    items = {item["id"]: item for item in api.get("kpi/current").json()["items"]}
    assert {app: item["groups"] for app, item in items.items()} == TREE
    assert items["sbc"]["url"] == "/api/v1/kpi/current/sbc"
    assert items["media"]["description"] == "Media application statistics"


def test_groups_and_entities(api):
    groups = api.get("kpi/current/sbc").json()["items"]
    assert [item["id"] for item in groups] == TREE["sbc"]
    assert groups[1] == {"id": "otherStats", "description": "Other Dialogs statistics", "url": "/api/v1/kpi/current/sbc/otherStats"}
    entities = api.get("kpi/current/sbc/callStats").json()["items"]
    assert [item["id"] for item in entities] == ["global", "ipGroup", "srd"]
    assert entities[0]["description"] == "Global call statistics"
    assert entities[1]["description"] == "Per-IPGroup statistics"
    expected = {"otherStats": ["global", "ipGroup", "srd"], "sipRecStats": ["global", "ipGroup"], "coderStats": ["global", "ipGroup"],
                "mediaStats": ["global", "ipGroup"], "portStats": ["port"], "cpuStats": ["global", "cpu"], "storageStats": ["partition"],
                "haStats": ["global"], "ddosStats": ["global"], "licenseStats": ["global"], "clusterStats": ["global"], "dspStats": ["global"]}
    for group, ids in expected.items():
        app = next(app for app, groups in TREE.items() if group in groups)
        assert [item["id"] for item in api.get(f"kpi/current/{app}/{group}").json()["items"]] == ids, group


def test_path_names_match_case_insensitively_like_a_device(api):
    """The guide's Example 3 asks for .../sbc/callstats; clients in the field ask for sbc/sipRecstats."""
    entities = api.get("kpi/current/sbc/callstats").json()["items"]
    assert entities[1]["url"] == "/api/v1/kpi/current/sbc/callStats/ipGroup"
    body = api.get("kpi/current/SBC/sipRecstats/GLOBAL").json()
    assert [item["id"] for item in body["items"]] == ["sipRecRate", "sipRecSessions"]
    assert body["items"][0]["url"] == "/api/v1/kpi/current/sbc/sipRecStats/global/sipRecRate"
    assert api.get("kpi/current/sbc/callStats/global/ACTIVECALLSIN").json()["id"] == "activeCallsIn"


def test_ip_group_indexes_follow_configuration(api):
    assert [item["name"] for item in api.get("kpi/current/sbc/callStats/ipGroup").json()["items"]] == ["Default_IPG"]
    api.upload("files/ini/incremental", IP_GROUPS_INI)
    body = api.get("kpi/current/sbc/callStats/ipGroup").json()
    assert [(item["id"], item["name"]) for item in body["items"]] == [("0", "Teams"), ("2", "ITSP")]
    assert body["items"][0]["url"] == "/api/v1/kpi/current/sbc/callStats/ipGroup/0"
    assert api.get("kpi/current/sbc/callStats/ipGroup", params={"id": 2}).json()["items"][0]["name"] == "ITSP"
    assert api.get("kpi/current/sbc/callStats/ipGroup/2/attemptedCallsInTotal").status_code == 200
    assert api.get("kpi/current/sbc/callStats/ipGroup/1").status_code == 400


def test_entity_views_appear_and_vanish_with_the_rows(api):
    script = ('configure voip\n srd 1\n  name "Tenant"\n  sharing-policy isolated\n exit\n'
              ' ip-group 5\n  type user\n  name "Phones"\n  srd-name "Tenant"\n exit\nexit\n')
    assert api.upload("files/cliScript/incremental", script).status_code == 200
    for group in ("sbc/callStats", "sbc/otherStats", "sbc/sipRecStats", "media/coderStats", "media/mediaStats"):
        items = api.get(f"kpi/current/{group}/ipGroup").json()["items"]
        assert [item["id"] for item in items] == ["0", "5"], group
    srds = api.get("kpi/current/sbc/callStats/srd").json()["items"]
    assert [(item["id"], item["name"]) for item in srds] == [("0", "DefaultSRD"), ("1", "Tenant")]
    assert srds[1]["description"] == "Isolated SRD"
    assert api.get("kpi/current/sbc/callStats/srd/1/attemptedCallsInTotal").status_code == 200
    api.upload("files/cliScript/incremental", "configure voip\n no ip-group 5\n no srd 1\nexit\n")
    assert [item["id"] for item in api.get("kpi/current/media/mediaStats/ipGroup").json()["items"]] == ["0"]
    assert api.get("kpi/current/sbc/callStats/srd/1").status_code == 400
    assert api.get("kpi/current/sbc/callStats/ipGroup/5/activeCallsIn").status_code == 400


def test_an_ip_group_has_a_description_of_its_own(api):
    item = api.get("kpi/current/sbc/callStats/ipGroup").json()["items"][0]
    assert item["name"] == "Default_IPG"
    assert item["description"] == "Server IP group, proxy set ProxySet_0, SRD DefaultSRD"


def test_ports_cpus_and_partitions(api):
    ports = api.get("kpi/current/network/portStats/port").json()["items"]
    assert [(item["id"], item["name"]) for item in ports] == [("0", "GE_1"), ("1", "GE_2")]
    assert api.get("kpi/current/network/portStats/port/1/portLinkStatus").json() == {"id": "portLinkStatus", "value": 1}
    cpus = api.get("kpi/current/system/cpuStats/cpu").json()["items"]
    assert [item["id"] for item in cpus] == ["0", "1"]
    partitions = api.get("kpi/current/system/storageStats/partition").json()["items"]
    assert [item["name"] for item in partitions] == ["System", "Data"]
    values = {item["id"]: item["value"] for item in api.get("kpi/current/system/storageStats/partition/1").json()["items"]}
    assert values["storageTotal"] == 16384 and values["storageFree"] + round(values["storageUtilization"] * 163.84) == pytest.approx(16384, abs=200)
    assert api.get("kpi/current/network/portStats/port/2").status_code == 400


def test_values_are_json_numbers(api):
    single = api.get("kpi/current/sbc/callStats/ipGroup/0/noAnswerCallsInTotal").json()
    assert set(single) == {"id", "value"} and isinstance(single["value"], int)  # section 11.7: "value": 10
    for item in api.get("kpi/current/media/mediaStats/global").json()["items"]:
        assert isinstance(item["value"], (int, float)) and not isinstance(item["value"], bool), item


def test_a_7_20a_device_writes_values_as_strings(make_device):
    """Section 11.6 shows "value": "5": the simulator's 7.20A firmware answers so; 7.40A with numbers."""
    client = make_device(firmware="7.20A.200.014")
    items = client.get("kpi/current/sbc/callStats/global").json()["items"]
    assert all(isinstance(item["value"], str) and item["value"].replace(".", "", 1).isdigit() for item in items)
    assert isinstance(client.get("kpi/current/system/systemStats/global/upTime").json()["value"], str)


def test_ha_stats_read_the_devices_ha_state(make_device):
    alone = make_device()
    values = {item["id"]: item["value"] for item in alone.get("kpi/current/network/haStats/global").json()["items"]}
    assert values == {"haOperationalState": 0, "haRedundantConnected": 0, "haSwitchoversTotal": 0, "haSyncInProgress": 0}
    pair = make_device(ha_partner="sbc-b")
    assert pair.get("kpi/current/network/haStats/global/haOperationalState").json()["value"] == 1
    pair.device.set_ha_sync(True)
    try:
        values = {item["id"]: item["value"] for item in pair.get("kpi/current/network/haStats/global").json()["items"]}
        assert values["haOperationalState"] == 2 and values["haSyncInProgress"] == 1 and values["haRedundantConnected"] == 1
    finally:
        pair.device.set_ha_sync(False)


def test_license_stats_follow_the_license(api):
    values = {item["id"]: item["value"] for item in api.get("kpi/current/system/licenseStats/global").json()["items"]}
    assert (values["sbcSessionsLicensed"], values["farEndUsersLicensed"], values["sipRecSessionsLicensed"]) == (250, 50, 10)
    assert 0 <= values["sbcSessionsUtilization"] <= 100


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


# ---- the whole tree, as a metrics exporter walks it ----------------------------------------------------


def _walk(client, mode="current", params=None):
    """Every (entity path, KPI listing) of the tree, discovered through the API only."""
    found = {}
    for app in client.get(f"kpi/{mode}", params=params).json()["items"]:
        for group in app["groups"]:
            for entity in client.get(f"kpi/{mode}/{app['id']}/{group}", params=params).json()["items"]:
                base = f"{app['id']}/{group}/{entity['id']}"
                listing = client.get(f"kpi/{mode}/{base}", params=params).json()["items"]
                if listing and "value" not in listing[0]:  # an indexed entity: its indexes first
                    for index in listing:
                        found[f"{base}/{index['id']}"] = client.get(f"kpi/{mode}/{base}/{index['id']}", params=params).json()["items"]
                else:
                    found[base] = listing
    return found


def test_an_exporter_walks_every_group_to_numeric_values(api):
    tree = _walk(api)
    assert {path.split("/")[1] for path in tree} == {group for groups in TREE.values() for group in groups}
    ids_of_group = {}
    for path, items in tree.items():
        assert items, path
        for item in items:
            assert set(item) == {"id", "name", "description", "url", "value"}, (path, item)
            assert item["url"] == f"/api/v1/kpi/current/{path}/{item['id']}"
            assert isinstance(item["value"], (int, float)) and not isinstance(item["value"], bool), (path, item)
        group = "/".join(path.split("/")[:2])
        ids = [item["id"] for item in items]
        assert ids == sorted(ids), path
        assert ids_of_group.setdefault(group, ids) == ids, path  # every entity of a group carries the group's KPIs
    one = api.get("kpi/current/media/coderStats/ipGroup/0/g711AlawSessions").json()
    assert set(one) == {"id", "value"} and isinstance(one["value"], int)


def test_history_and_intervals_for_every_group(make_device):
    client = make_device(kpi_interval_seconds=0.5)
    time.sleep(1.2)
    tree = _walk(client, "history", params={"interval": "0"})
    assert {path.split("/")[1] for path in tree} == {group for groups in TREE.values() for group in groups}
    for path, items in tree.items():
        assert all(isinstance(item["value"], (int, float)) for item in items), path
    attempted = client.get("kpi/history/sbc/callStats/srd/0/attemptedCallsInTotal", params={"interval": "all"}).json()["items"]
    assert [item["interval"] for item in attempted][-1] == "0" and all(item["value"] >= 0 for item in attempted)
    port = client.get("kpi/history/network/portStats/port/1/rxBytes", params={"interval": "last"}).json()
    assert port["id"] == "rxBytes" and port["value"] > 0 and port["interval"].isdigit()


def test_values_stay_plausible_over_time():
    """Counters never go down, gauges stay in range, related counters keep their order (pure model)."""
    from simulator import kpi_catalogue  # pylint: disable=import-outside-toplevel
    from simulator.kpi import KpiModel  # pylint: disable=import-outside-toplevel

    class Device:  # what KpiModel reads of a device
        serial = "101780235059663"
        firmware = "7.40A.500.010"

        @staticmethod
        def ha_kpi_state():
            return {"operational_state": 0, "redundant_connected": 0, "switchovers": 0, "synchronizing": 0}

        @staticmethod
        def license_info():
            return {"features": {"SBC": 250}}

    model = KpiModel(Device())
    times = [second * 7.3 for second in range(600)]
    for app in kpi_catalogue.APPLICATIONS:
        for group in app.groups:
            for entity_path in (f"{app.id}/{group.id}/global", f"{app.id}/{group.id}/ipGroup/3"):
                values = {kpi.id: [model.value_at(kpi, entity_path, t, {"id": 0, "total": 1000}) for t in times] for kpi in group.kpis}
                for kpi in group.kpis:
                    series = values[kpi.id]
                    if kpi.type == kpi_catalogue.COUNTER:
                        assert series == sorted(series) and series[-1] > 0, kpi.id
                    elif kpi.type == kpi_catalogue.GAUGE:
                        assert all(kpi.low <= value <= kpi.high for value in series), kpi.id
                        assert len(set(series)) > 3, kpi.id  # it moves
                if group.id == "callStats":
                    for direction in ("In", "Out"):
                        established, attempted = values[f"establishedCalls{direction}Total"], values[f"attemptedCalls{direction}Total"]
                        assert all(e <= a for e, a in zip(established, attempted))


def test_the_documentation_names_every_group():
    from pathlib import Path  # pylint: disable=import-outside-toplevel

    from simulator import kpi_catalogue  # pylint: disable=import-outside-toplevel

    text = (Path(__file__).resolve().parents[2] / "docs" / "simulator.md").read_text()
    section = text.split("## KPIs (v7.4 `/kpi`)")[1].split("\n## ")[0]
    for app in kpi_catalogue.APPLICATIONS:
        for group in app.groups:
            assert f"`{group.id}`" in section, group.id
            for entity in group.entities:
                assert f"`{entity.id}`" in section, (group.id, entity.id)
