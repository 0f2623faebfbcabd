"""Alarms: active and history tables, cursors, single alarms with ?oid=1, lastChange, 204 when empty."""

from __future__ import annotations

import re

import pytest


def _raise(client, count, severity="Minor"):
    return [client.device.raise_alarm(f"alarm {number}", severity=severity, key=f"k{number}") for number in range(count)]


def test_alarm_tables(api):
    body = api.get("alarms").json()
    assert [item["id"] for item in body["alarms"]] == ["active", "history"]


def test_empty_tables_are_204(api):
    assert api.get("alarms/active").status_code == 204
    assert api.get("alarms/history").status_code == 204
    assert api.get("alarms/active/lastChange").status_code == 404


def test_active_alarm_listing_and_detail(api):
    raised = _raise(api, 2)
    body = api.get("alarms/active").json()
    assert [alarm["id"] for alarm in body["alarms"]] == [item["id"] for item in raised]
    assert body["cursor"] == {"after": "-1", "before": "-1"}
    detail = api.get(f"alarms/active/{raised[0]['id']}").json()
    assert detail["description"] == "alarm 0" and detail["severity"] == "Minor" and detail["source"] == "Board#1"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", detail["date"])
    assert detail["url"] == f"/api/v1/alarms/active/{raised[0]['id']}"
    assert "oid" not in detail
    with_oid = api.get(f"alarms/active/{raised[0]['id']}", params={"oid": 1}).json()
    assert with_oid["oid"].startswith("1.3.6.1.4.1.5003.")


def test_cursor_pagination_forward_and_back(api):
    ids = [item["id"] for item in _raise(api, 5)]
    first = api.get("alarms/active", params={"limit": 2}).json()
    assert [alarm["id"] for alarm in first["alarms"]] == ids[:2]
    assert first["cursor"] == {"after": ids[1], "before": "-1"}
    second = api.get("alarms/active", params={"limit": 2, "after": first["cursor"]["after"]}).json()
    assert [alarm["id"] for alarm in second["alarms"]] == ids[2:4]
    assert second["cursor"] == {"after": ids[3], "before": ids[2]}
    last = api.get("alarms/active", params={"limit": 2, "after": second["cursor"]["after"]}).json()
    assert [alarm["id"] for alarm in last["alarms"]] == ids[4:]
    assert last["cursor"]["after"] == "-1"
    assert api.get("alarms/active", params={"after": ids[4]}).status_code == 204
    back = api.get("alarms/active", params={"limit": 2, "before": ids[2]}).json()
    assert [alarm["id"] for alarm in back["alarms"]] == ids[:2]


def test_default_limit_is_20(api):
    _raise(api, 23)
    body = api.get("alarms/active").json()
    assert len(body["alarms"]) == 20 and body["cursor"]["after"] != "-1"


@pytest.mark.parametrize("params", [{"limit": "0"}, {"limit": "many"}, {"after": "x"}, {"sort": "id"}])
def test_bad_query_is_400(api, params):
    _raise(api, 1)
    reply = api.get("alarms/active", params=params)
    assert reply.status_code == 400
    assert list(params)[0] in reply.json()["description"]


def test_clear_moves_to_history_and_updates_last_change(api):
    raised = _raise(api, 1)[0]
    first_change = api.get("alarms/active/lastChange").json()["lastChange"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\+00:00", first_change)
    assert api.device.clear_alarm("k0") is True
    assert api.get("alarms/active").status_code == 204
    assert api.get(f"alarms/active/{raised['id']}").status_code == 404
    history = api.get("alarms/history").json()["alarms"]
    assert len(history) == 2 and all(item["url"].startswith("/api/v1/alarms/history/") for item in history)
    cleared = api.get(f"alarms/history/{history[1]['id']}", params={"oid": "1"}).json()
    assert cleared["severity"] == "Cleared" and "oid" in cleared
    assert api.get("alarms/history/999").status_code == 404


def test_history_starts_over_at_reboot_with_the_reset_event(api):
    _raise(api, 2)
    api.post("actions/reset")
    api.wait_down_and_up()
    assert api.get("alarms/active").status_code == 204
    history = api.get("alarms/history").json()["alarms"]
    assert len(history) == 1 and "reset" in history[0]["description"]
    assert api.get(f"alarms/history/{history[0]['id']}").json()["severity"] == "Major"


def test_v10_alarms(api_v1):
    api_v1.device.raise_alarm("trunk is down")
    body = api_v1.get("alarms/active").json()
    assert body["alarms"][0]["description"] == "trunk is down"
