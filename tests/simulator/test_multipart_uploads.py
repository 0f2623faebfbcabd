"""The streaming multipart parser seen through uploads: odd boundaries, preambles, extra parts,
boundary-like content, byte-by-byte chunked bodies, and malformed bodies."""

from __future__ import annotations

import hashlib

import pytest


def _body(boundary: str, parts, preamble=b"", epilogue=b""):
    out = preamble
    for name, filename, content in parts:
        disposition = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename else "")
        out += (f"--{boundary}\r\nContent-Disposition: {disposition}\r\nContent-Type: application/octet-stream\r\n\r\n").encode()
        out += content + b"\r\n"
    return out + f"--{boundary}--\r\n".encode() + epilogue


def _stored(client, file_id):
    return client.device.snapshot()["files"][file_id]


TRICKY = b"line\r\n--notquite\r\n\r\n--b0undary\r\n" + bytes(range(256)) * 50 + b"\r\n-"


@pytest.mark.parametrize("content_type_boundary,boundary", [
    ("abc123", "abc123"),
    ('"quoted:boundary"', "quoted:boundary"),
    ("----WebKitFormBoundary7MA4YWxkTrZu0gW", "----WebKitFormBoundary7MA4YWxkTrZu0gW"),
])
def test_boundaries_and_binary_content(api, content_type_boundary, boundary):
    body = _body(boundary, [("file", "x.bin", TRICKY)], preamble=b"ignored preamble\r\n", epilogue=b"epilogue")
    reply = api.put("files/amd", data=body, headers={"Content-Type": f"multipart/form-data; boundary={content_type_boundary}"})
    assert reply.status_code == 200, reply.text
    assert _stored(api, "amd") == {**_stored(api, "amd"), "size": len(TRICKY), "sha256": hashlib.sha256(TRICKY).hexdigest()}


def test_other_fields_before_file_are_skipped(api):
    body = _body("bnd", [("comment", None, b"hello"), ("file", "t.cpt", b"TONES")])
    reply = api.put("files/cpt", data=body, headers={"Content-Type": "multipart/form-data; boundary=bnd"})
    assert reply.status_code == 200
    assert _stored(api, "cpt")["size"] == 5 and _stored(api, "cpt")["filename"] == "t.cpt"


def test_byte_by_byte_chunked_body(api):
    body = _body("zz", [("file", "p.prt", TRICKY[:3000])])

    def trickle():
        for index in range(len(body)):
            yield body[index:index + 1]
    reply = api.put("files/prt", data=trickle(), headers={"Content-Type": "multipart/form-data; boundary=zz"})
    assert reply.status_code == 200
    assert _stored(api, "prt")["sha256"] == hashlib.sha256(TRICKY[:3000]).hexdigest()


@pytest.mark.parametrize("body,word", [
    (b"--zz\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nno closing boundary", "closing boundary"),
    (b"no boundary anywhere", "boundary"),
    (b"--zz\r\nContent-Disposition: form-data; name=\"file\"", "headers"),
])
def test_malformed_multipart_is_400(api, body, word):
    reply = api.put("files/dialplan", data=body, headers={"Content-Type": "multipart/form-data; boundary=zz"})
    assert reply.status_code == 400
    assert word in reply.json()["description"]
    assert api.get("status").status_code == 200  # the connection/device is still fine


def test_multipart_without_boundary_parameter_is_400(api):
    reply = api.put("files/dialplan", data=b"x", headers={"Content-Type": "multipart/form-data"})
    assert reply.status_code == 400
    assert "'file'" in reply.json()["description"]


def test_keep_alive_survives_refused_upload(api):
    """A refused upload's body is drained, so the next request on the same connection works."""
    for _attempt in range(3):
        assert api.put("files/dialplan", data=b"x" * 300000, headers={"Content-Type": "text/plain"}).status_code == 400
        assert api.get("status").status_code == 200
