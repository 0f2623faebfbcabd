"""actions/reset, saveConfiguration, authToken; running vs saved configuration; resets that take time."""

from __future__ import annotations

import time

import pytest
import requests

from sim_testdata import NO_RESET_PARAMETER_INI

MARK = "SyslogServerPort = 1514"


def test_actions_listing(api, api_v1):
    ids = [item["id"] for item in api.get("actions").json()["actions"]]
    assert ids == ["reset", "saveConfiguration", "authToken"]
    assert [item["id"] for item in api_v1.get("actions").json()["actions"]] == ["reset", "saveConfiguration"]


def test_save_configuration_clears_save_needed_and_survives_reset(api):
    api.upload("files/ini/incremental", NO_RESET_PARAMETER_INI)
    assert api.post("actions/saveConfiguration").status_code == 200
    assert api.get("status").json()["saveNeeded"] is False
    assert api.post("actions/reset", json={"saveConfiguration": False}).status_code == 200
    api.wait_down_and_up()
    assert MARK in api.get("files/ini").text


def test_reset_without_save_drops_unsaved_changes(api):
    api.upload("files/ini/incremental", NO_RESET_PARAMETER_INI)
    reply = api.post("actions/reset", json={"saveConfiguration": False, "gracefulTimeout": 0})
    assert reply.json() == {"description": "Device will reset now"}
    api.wait_down_and_up()
    assert MARK not in api.get("files/ini").text


def test_reset_saves_by_default(api):
    api.upload("files/ini/incremental", NO_RESET_PARAMETER_INI)
    assert api.post("actions/reset").status_code == 200
    api.wait_down_and_up()
    assert MARK in api.get("files/ini").text


def test_reset_refuses_connections_for_reset_seconds_then_uptime_restarts(make_device):
    client = make_device(reset_seconds=0.8)
    time.sleep(2.1)
    assert client.get("status").json()["systemUpTime"] >= 2
    started = time.monotonic()
    client.post("actions/reset")
    refused_at = None
    while refused_at is None and time.monotonic() - started < 0.8:
        try:
            client.get("status", timeout=1)
        except requests.ConnectionError:
            refused_at = time.monotonic()
        except requests.RequestException:
            pass  # an answer cut by the reset
    assert refused_at is not None, "the listener kept answering after the reset started"
    client.wait_down_and_up()
    assert time.monotonic() - started >= 0.8
    assert client.get("status").json()["systemUpTime"] <= 1  # booted again (it was >= 2)
    history = client.get("alarms/history").json()["alarms"]
    assert any("reset" in alarm["description"].lower() for alarm in history)


def test_graceful_timeout_delays_the_reset(make_device):
    client = make_device(reset_seconds=0.6)
    client.post("actions/reset", json={"gracefulTimeout": 30})
    # still serving during the graceful period (capped to reset_seconds), writes get 409
    assert client.get("status").status_code == 200
    assert client.post("actions/saveConfiguration").status_code == 409
    client.wait_down_and_up()


@pytest.mark.parametrize("body,word", [
    ({"saveConfiguration": "yes"}, "saveConfiguration"),
    ({"gracefulTimeout": -1}, "gracefulTimeout"),
    ({"gracefulTimeout": "soon"}, "gracefulTimeout"),
    ({"force": True}, "force"),
])
def test_reset_bad_attributes_are_400(api, body, word):
    reply = api.post("actions/reset", json=body)
    assert reply.status_code == 400
    assert word in reply.json()["description"]


def test_reset_body_that_is_not_json_is_400(api):
    reply = api.post("actions/reset", data="{not json", headers={"Content-Type": "application/json"})
    assert reply.status_code == 400
    assert "JSON" in reply.json()["description"]


def test_second_reset_while_pending_is_409(make_device):
    client = make_device(reset_seconds=0.5)
    client.post("actions/reset", json={"gracefulTimeout": 10})
    assert client.post("actions/reset").status_code == 409
    client.wait_down_and_up()


def test_auth_token(api):
    reply = api.post("actions/authToken", json={"username": "john", "privLevel": "admin", "sessionTimeout": 180, "crossHost": "10.3.2.40"})
    assert reply.status_code == 200
    body = reply.json()
    assert len(body["authToken"]) == 32 and int(body["authToken"], 16) >= 0
    assert body["description"] == "Authentication token successfully generated"
    assert api.post("actions/authToken", json={"username": "john", "privLevel": "admin"}).json()["authToken"] != body["authToken"]


@pytest.mark.parametrize("body,word", [
    ({"privLevel": "admin"}, "username"),
    ({"username": "john", "privLevel": "root"}, "privLevel"),
    ({"username": "john", "privLevel": "monitor", "sessionTimeout": "long"}, "sessionTimeout"),
])
def test_auth_token_bad_input(api, body, word):
    reply = api.post("actions/authToken", json=body)
    assert reply.status_code == 400
    assert word in reply.json()["description"]


def test_v10_reset(api_v1):
    assert api_v1.post("actions/reset", json={"saveConfiguration": True}).status_code == 200
    api_v1.wait_down_and_up()
