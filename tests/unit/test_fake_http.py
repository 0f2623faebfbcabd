# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The unit tests' fake device fails a test on any request it did not expect, in order, and on any
expected request left unsent; it sees bodies as the device would (JSON, multipart files, streams)."""
from __future__ import annotations

import io

import pytest
import requests

from tests.unit.framework.fake_http import Call, FakeHttp, UnexpectedCall

BASE = "https://sbc.example.com/api/v1"


@pytest.fixture
def fake(monkeypatch):
    return FakeHttp().install(monkeypatch)


def test_answers_the_expected_calls_in_order(fake):
    fake.expect(Call("GET", "status", answer={"versionID": "7.40A"}), Call("POST", "actions/saveConfiguration", status=204))
    session = requests.Session()
    assert session.get(BASE + "/status").json() == {"versionID": "7.40A"}
    assert session.post(BASE + "/actions/saveConfiguration").status_code == 204
    fake.assert_done()
    assert fake.calls() == ["GET /api/v1/status", "POST /api/v1/actions/saveConfiguration"]


def test_a_request_out_of_order_fails_at_once_and_again_at_the_end(fake):
    fake.expect(Call("GET", "status"), Call("GET", "license"))
    with pytest.raises(UnexpectedCall, match="expected GET /api/v1/status, got GET /api/v1/license"):
        requests.get(BASE + "/license")
    with pytest.raises(AssertionError, match="expected requests never sent: GET /api/v1/status, GET /api/v1/license"):
        fake.assert_done()


def test_a_request_after_the_last_expected_one_fails(fake):
    with pytest.raises(UnexpectedCall, match="expected no more requests"):
        requests.put(BASE + "/license", json={"key": "x"})
    with pytest.raises(AssertionError, match="unexpected request PUT /api/v1/license"):
        fake.assert_done()  # even when the code under test swallowed the first failure


def test_matchers_compare_query_json_and_files(fake):
    fake.expect(Call("GET", "alarms/active", query={"after": 2}),
                Call("PUT", "license", json={"key": "abc"}),
                Call("PUT", "files/ini/incremental", file="A = 1\r\n", filename="incremental.ini"))
    requests.get(BASE + "/alarms/active", params={"after": "2"})
    requests.put(BASE + "/license", json={"key": "abc"})
    requests.put(BASE + "/files/ini/incremental", files={"file": ("incremental.ini", b"A = 1\r\n", "application/octet-stream")})
    fake.assert_done()
    fake.expect(Call("PUT", "license", json={"key": "abc"}))
    with pytest.raises(UnexpectedCall, match="expected JSON body"):
        requests.put(BASE + "/license", json={"key": "other"})


def test_streamed_bodies_are_read_whole(fake):
    fake.expect(Call("PUT", "files/software", file=b"0123456789" * 1000))
    requests.put(BASE + "/files/software", data=io.BytesIO(b"0123456789" * 1000))
    fake.assert_done()
    assert len(fake.sent[0].body) == 10000


def test_an_error_stands_for_a_device_that_does_not_answer(fake):
    fake.expect(Call("GET", "status", error=requests.exceptions.ConnectionError("refused")))
    with pytest.raises(requests.exceptions.ConnectionError):
        requests.get(BASE + "/status")
    fake.assert_done()


def test_standing_answers_come_any_number_of_times_outside_the_order(fake):
    fake.always(Call("GET", "", answer={"items": []}))
    fake.expect(Call("GET", "status"))
    requests.get(BASE)
    requests.get(BASE + "/status")
    requests.get(BASE)
    fake.assert_done()
    assert fake.calls() == ["GET /api/v1/status"]
    assert fake.calls(include_standing=True) == ["GET /api/v1", "GET /api/v1/status", "GET /api/v1"]


def test_a_repeated_call_answers_until_the_next_one_matches(fake):
    fake.expect(Call("GET", "status", status=503, repeat=True), Call("POST", "actions/reset"))
    for _poll in range(3):
        assert requests.get(BASE + "/status").status_code == 503
    requests.post(BASE + "/actions/reset")
    fake.assert_done()
    fake.expect(Call("GET", "status", repeat=True))
    with pytest.raises(AssertionError, match="never sent: GET /api/v1/status"):
        fake.assert_done()
