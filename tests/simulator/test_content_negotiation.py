"""Content negotiation as lenient as a device: file downloads for any reasonable Accept, JSON
resources refusing what excludes JSON, and no empty body labelled application/json."""

from __future__ import annotations

import io
import tarfile

import pytest

TEXT_DOWNLOADS = ["files/ini", "files/cliScript", "files/tls/0/certificate"]


@pytest.mark.parametrize("path", TEXT_DOWNLOADS)
@pytest.mark.parametrize("accept,content_type", [
    (None, "application/octet-stream"),
    ("*/*", "application/octet-stream"),
    ("application/json", "application/octet-stream"),          # a REST client's default: still the file
    ("application/octet-stream", "application/octet-stream"),
    ("text/plain", "text/plain; charset=utf-8"),
    ("text/*", "text/plain; charset=utf-8"),
    ("application/json, text/plain;q=0.5", "application/octet-stream"),
])
def test_text_files_are_served_for_any_reasonable_accept(api, path, accept, content_type):
    headers = {"Accept": accept} if accept is not None else {}
    if accept is None:
        api.session.headers.pop("Accept", None)  # requests sends */* unless told otherwise
    reply = api.get(path, headers=headers)
    assert reply.status_code == 200
    assert reply.headers["Content-Type"] == content_type
    assert reply.content and not reply.text.lstrip().startswith("{")


def test_the_file_is_the_same_whatever_the_accept(api):
    files = {accept: api.get("files/ini", headers={"Accept": accept}).text for accept in ("text/plain", "application/json", "*/*")}
    assert len(set(files.values())) == 1 and ";** Ini File **" in files["*/*"]


def test_a_type_no_file_can_be_is_406_with_a_json_description(api):
    reply = api.get("files/ini", headers={"Accept": "image/png"})
    assert reply.status_code == 406
    assert reply.headers["Content-Type"] == "application/json"
    assert "application/octet-stream" in reply.json()["description"]
    assert api.get("files/ini", headers={"Accept": "application/octet-stream;q=0, text/plain;q=0"}).status_code == 406


def test_the_configuration_package_is_binary(api):
    reply = api.get("files/configurationPackage.tar.gz", headers={"Accept": "application/json"})
    assert reply.status_code == 200 and reply.headers["Content-Type"] == "application/octet-stream"
    with tarfile.open(fileobj=io.BytesIO(reply.content)) as package:
        assert "configuration.ini" in package.getnames()
    assert api.get("files/configurationPackage.tar.gz", headers={"Accept": "text/plain"}).status_code == 406


def test_csr_is_a_text_file(api):
    body = {"subjectName": "sbc.example.com", "signatureAlgorithm": "sha256"}
    reply = api.post("files/tls/0/certificate/request", json=body, headers={"Accept": "text/plain"})
    assert reply.status_code == 200
    assert reply.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert "CERTIFICATE REQUEST" in reply.text


def test_save_configuration_answers_200_without_a_json_label(api):
    reply = api.post("actions/saveConfiguration")
    assert reply.status_code == 200
    assert reply.content == b""
    assert "Content-Type" not in reply.headers
    assert reply.headers["Content-Length"] == "0"


def test_no_answer_is_an_empty_body_labelled_json(api):
    """Every JSON-labelled answer of the common resources parses as JSON."""
    for method, path in [("GET", "status"), ("GET", "kpi"), ("POST", "actions/saveConfiguration"),
                         ("GET", "alarms/active"), ("GET", "kpi/current/sbc/callStats/ipGroup"), ("GET", "license")]:
        reply = api.request(method, path)
        if reply.headers.get("Content-Type", "").startswith("application/json"):
            assert reply.content, (method, path)
            reply.json()
