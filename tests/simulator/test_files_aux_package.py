"""Auxiliary files (stored with size and digest) and the configuration package (tar.gz)."""

from __future__ import annotations

import hashlib
import io
import tarfile

import pytest

from sim_testdata import IP_GROUPS_INI

V74_AUX = ["cpt", "prt", "dialplan", "casTable", "castable", "amd", "usersInfo", "codertable", "voiceprompts", "sbcWizard", "fixs", "fixo"]


def test_files_listing(api, api_v1):
    ids = [item["id"] for item in api.get("files").json()["files"]]
    for expected in ["ini", "software", "cliScript", "tls", "configurationPackage.tar.gz", "cpt", "usersInfo", "fixo"]:
        assert expected in ids
    assert api.get("files").headers["Content-Type"] == "application/json"
    v1_ids = [item["id"] for item in api_v1.get("files").json()["files"]]
    assert "tls" not in v1_ids and "castable" in v1_ids


@pytest.mark.parametrize("file_id", V74_AUX)
def test_aux_upload_is_stored_with_size_and_digest(api, file_id):
    content = f"content of {file_id}\n".encode() * 100
    reply = api.upload(f"files/{file_id}", content, f"{file_id}.dat")
    assert reply.status_code == 200, reply.text
    stored = api.device.snapshot()["files"][file_id]
    assert stored["size"] == len(content)
    assert stored["sha256"] == hashlib.sha256(content).hexdigest()
    assert stored["filename"] == f"{file_id}.dat"


def test_aux_files_are_upload_only(api):
    assert api.get("files/cpt").status_code == 405


def test_empty_aux_upload_is_400(api):
    reply = api.upload("files/cpt", b"")
    assert reply.status_code == 400 and "empty" in reply.json()["description"]


def test_v10_aux_upload_and_v74_only_files(api_v1):
    assert api_v1.upload("files/dialplan", b"plan").status_code == 200
    assert api_v1.device.snapshot()["files"]["dialplan"]["size"] == 4
    assert api_v1.upload("files/usersInfo", b"x").status_code == 404


def test_configuration_package_is_a_real_tar_gz(api):
    api.upload("files/ini/incremental", IP_GROUPS_INI)
    reply = api.get("files/configurationPackage.tar.gz")
    assert reply.status_code == 200
    assert reply.headers["Content-Type"] == "application/octet-stream"
    with tarfile.open(fileobj=io.BytesIO(reply.content), mode="r:gz") as tar:
        names = tar.getnames()
        ini = tar.extractfile("configuration.ini").read().decode()
        certificate = tar.extractfile("tls/0/certificate.pem").read().decode()
    assert '"Teams"' in ini
    assert certificate.strip() == api.get("files/tls/0/certificate").text.strip()
    assert not any("key" in name.lower() for name in names)


def test_configuration_package_round_trip_resets_into_its_configuration(api):
    api.upload("files/ini/incremental", IP_GROUPS_INI)
    package = api.get("files/configurationPackage.tar.gz").content
    api.post("actions/reset", json={"saveConfiguration": False})
    api.wait_down_and_up()
    assert '"Teams"' not in api.get("files/ini").text
    reply = api.upload("files/configurationPackage.tar.gz", package, "configurationPackage.tar.gz")
    assert reply.status_code == 200, reply.text
    api.wait_down_and_up()
    assert '"Teams"' in api.get("files/ini").text


def _tar_gz(members: dict) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for name, text in members.items():
            data = text.encode()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


@pytest.mark.parametrize("payload,word", [
    (b"not a tar at all", "tar.gz"),
    (_tar_gz({"readme.txt": "no ini"}), ".ini"),
    (_tar_gz({"configuration.ini": "SyslogServerPort = nope\n"}), "SyslogServerPort"),
    (_tar_gz({"configuration.ini": "", "tls/0/certificate.pem": "garbage"}), "tls/0/certificate.pem"),
])
def test_bad_configuration_package_is_400_and_changes_nothing(api, payload, word):
    before = api.get("files/tls/0/certificate").text
    reply = api.upload("files/configurationPackage.tar.gz", payload)
    assert reply.status_code == 400
    assert word in reply.json()["description"]
    assert api.device.reset_pending is False
    assert api.get("files/tls/0/certificate").text == before
