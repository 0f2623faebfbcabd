# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The REST client's pure rules: API generation from a firmware version, privilege levels from the
guide's tables, stand-alone devices. The client on the wire: tests/client/."""
from __future__ import annotations

import pytest

from ansible_collections.audiocodes.mediant.plugins.module_utils.ha import is_stand_alone
from ansible_collections.audiocodes.mediant.plugins.module_utils.rest import (
    MultipartFileBody,
    api_version_for_firmware,
    required_privilege,
)


@pytest.mark.parametrize("version, generation", [
    ("7.00A.049.003", "1.0"), ("6.60A.100.001", "1.0"), ("7.20A.200.014", "7.4"), ("7.40A.500.010", "7.4"), (None, "7.4"),
])
def test_api_generation_for_firmware(version, generation):
    assert api_version_for_firmware(version) == generation


@pytest.mark.parametrize("method, path, level", [
    ("PUT", "license", "Security Administrator"),
    ("GET", "license", "Administrator"),
    ("GET", "files/tls/2/certificate", "Security Administrator"),
    ("PUT", "files/ini/incremental", "Security Administrator"),
    ("PUT", "files/software", "Administrator"),
    ("POST", "actions/reset", "Administrator"),
    ("GET", "alarms/active/3", "Monitor"),
    ("GET", "kpi/current/sbc/callStats/global", "Monitor"),
    ("GET", "files", "Administrator"),
])
def test_required_privilege_follows_the_guide_tables(method, path, level):
    assert required_privilege(method, path) == level
    assert required_privilege(method, path, api_version="1.0") == "Security Administrator"


@pytest.mark.parametrize("ha_state, alone", [
    ("Not Operational", True), ("Stand Alone", True), ("", True), (None, True), ("Active", False), ("Standby", False),
])
def test_stand_alone_means_no_ha_partner(ha_state, alone):
    assert is_stand_alone({"highAvailability": ha_state}) is alone
    assert is_stand_alone(None) is True


def test_a_multipart_body_streams_content_and_needs_src_or_content():
    """Found by mypy: without src or content the body failed with a TypeError from len(None)."""
    body = MultipartFileBody("board.ini", content=b"[SYSTEM Params]\r\n")
    data = b"".join(body)
    assert len(body) == len(data)
    assert b'filename="board.ini"' in data and b"[SYSTEM Params]\r\n" in data
    assert body.read() == data
    with pytest.raises(ValueError, match="src .* or content"):
        MultipartFileBody("empty.bin")
