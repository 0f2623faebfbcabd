"""Software loads: make-cmp, streamed upload, validation (magic, truncation, digest, version), hitless."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import tracemalloc

import pytest

from simulator.software import write_cmp

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _cmp(tmp_path, version="7.40A.600.001", size=64 * 1024, name="load.cmp"):
    path = tmp_path / name
    write_cmp(path, version, size)
    return path


def test_make_cmp_cli_writes_requested_size(tmp_path):
    out = tmp_path / "cli.cmp"
    result = subprocess.run([sys.executable, "-m", "simulator", "make-cmp", "--version", "7.40A.500.010", "--size", "2M", "-o", str(out)],
                            cwd=REPO, capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    assert out.stat().st_size == 2 * 1024 * 1024


def test_make_cmp_cli_rejects_bad_version(tmp_path):
    result = subprocess.run([sys.executable, "-m", "simulator", "make-cmp", "--version", "seven", "-o", str(tmp_path / "x.cmp")],
                            cwd=REPO, capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode != 0 and "version" in result.stderr


def test_software_upload_resets_into_new_version(api, tmp_path):
    path = _cmp(tmp_path)
    with open(path, "rb") as handle:
        reply = api.put("files/software", files={"file": ("load.cmp", handle)})
    assert reply.status_code == 200
    assert reply.json() == {"description": "Device will reset now to activate new software load"}
    api.wait_down_and_up()
    assert api.get("status").json()["versionID"] == "7.40A.600.001"
    history = [alarm["description"] for alarm in api.get("alarms/history").json()["alarms"]]
    assert any("7.40A.600.001" in text for text in history)


def test_downgrade_to_700_switches_to_v10_api(api, tmp_path):
    with open(_cmp(tmp_path, "7.00A.100.002"), "rb") as handle:
        assert api.put("files/software", files={"file": ("load.cmp", handle)}).status_code == 200
    api.wait_down_and_up()
    assert api.get("status").json()["versionID"] == "7.00A.100.002"
    assert api.get("performanceMonitoring").status_code == 200
    assert api.get("kpi").status_code == 404


@pytest.mark.parametrize("corrupt,word", [
    (lambda data: b"NOTACMP!" + data[8:], "magic"),
    (lambda data: data[: len(data) // 2], "truncated"),
    (lambda data: data[:20], "truncated"),
    (lambda data: data[:-1] + bytes([data[-1] ^ 0xFF]), "digest"),
    (lambda data: data[:100] + bytes([data[100] ^ 0xFF]) + data[101:], "digest"),
    (lambda data: data + b"extra", "after its digest"),
])
def test_corrupt_software_is_400(api, tmp_path, corrupt, word):
    data = corrupt(_cmp(tmp_path).read_bytes())
    reply = api.put("files/software", files={"file": ("load.cmp", data)})
    assert reply.status_code == 400
    assert word in reply.json()["description"]
    assert api.device.reset_pending is False


def test_version_the_product_cannot_run_is_400(api, tmp_path):
    data = _cmp(tmp_path, "6.60A.300.001").read_bytes()
    reply = api.put("files/software", files={"file": ("old.cmp", data)})
    assert reply.status_code == 400
    assert "6.60A.300.001" in reply.json()["description"]


def test_hitless_on_stand_alone_is_409(api, tmp_path):
    reply = api.put("files/software/hitless", files={"file": ("load.cmp", _cmp(tmp_path).read_bytes())})
    assert reply.status_code == 409
    assert "HA" in reply.json()["description"]


def test_hitless_on_ha_device_switches_over(make_device, tmp_path):
    client = make_device(ha_partner="partner-sbc")
    reply = client.put("files/software/hitless", files={"file": ("load.cmp", _cmp(tmp_path).read_bytes())})
    assert reply.status_code == 200
    assert reply.json()["description"] == "Device will perform switchover to activate new software load"
    client.wait_down_and_up()
    assert client.get("status").json()["versionID"] == "7.40A.600.001"


def test_v10_software_upload_is_octet_stream(api_v1, tmp_path):
    data = _cmp(tmp_path, "7.00A.100.009").read_bytes()
    assert api_v1.put("files/software", files={"file": ("x.cmp", data)}).status_code == 400
    assert api_v1.upload("files/software", data).status_code == 200
    api_v1.wait_down_and_up()
    assert api_v1.get("status").json()["versionID"] == "7.00A.100.009"


def _generated_body(path, boundary):
    """A multipart body produced piece by piece (sent chunked): the client never holds it either."""
    yield (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.cmp\"\r\n"
           "Content-Type: application/octet-stream\r\n\r\n").encode()
    with open(path, "rb") as handle:
        while True:
            block = handle.read(1 << 20)
            if not block:
                break
            yield block
    yield f"\r\n--{boundary}--\r\n".encode()


def test_large_upload_is_streamed_in_constant_memory(api, tmp_path):
    """A 48 MB load, sent chunked, is checked without the device holding it (peak traced memory ≪ size)."""
    path = _cmp(tmp_path, size=48 * 1024 * 1024)
    boundary = "sim-boundary-1234"
    tracemalloc.start()
    try:
        reply = api.put("files/software", data=_generated_body(path, boundary),
                        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"}, timeout=120)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert reply.status_code == 200, reply.text
    assert peak < 8 * 1024 * 1024, peak
    api.wait_down_and_up()
    assert api.get("status").json()["versionID"] == "7.40A.600.001"


def test_write_cmp_is_constant_memory(tmp_path):
    tracemalloc.start()
    try:
        write_cmp(tmp_path / "big.cmp", "7.40A.500.010", 64 * 1024 * 1024)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 8 * 1024 * 1024
    assert (tmp_path / "big.cmp").stat().st_size == 64 * 1024 * 1024


def test_parallel_devices_upload_at_once(make_device, tmp_path):
    clients = [make_device(), make_device()]
    data = _cmp(tmp_path).read_bytes()
    results = []

    def upload(client):
        results.append(client.put("files/software", files={"file": ("x.cmp", data)}).status_code)
    threads = [threading.Thread(target=upload, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [200, 200]
    for client in clients:
        client.wait_down_and_up()
