# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Faults through the simulator's control API while each writing module changes the device (issue 8,
part 3): an HA synchronization window longer than busy_timeout (409), 500 and 503 answers, a
connection dropped mid-upload, a reset that never comes back, a device slower than the timeout.

Every run must end failed with the message in the table (never "ok" while the device said
error), and the device must be consistent afterwards: untouched, or - where the device carried
the change out after all (a slow answer, a hung reset) - holding the whole change.

The rows of one module run as one play against one fresh device; after each row the play
clears the fault, waits until the device is up and takes a snapshot.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from simulator import Fleet
from simulator.license import make_key
from simulator.software import write_cmp
from tests.integration.conftest import connection_options, play_runner

# What a change can touch; the rest (uptime, boot count, alarms, faults) moves with the test itself.
STATE_KEYS = ("running_config", "saved_config", "license", "tls", "firmware", "pending_firmware")
UNCHANGED = "unchanged"
BUSY = {"ha-sync": {"open": True}}
HANG = {"hang-resets": {"enabled": True}}
NOT_UP = ("The device at {address} did not come back within {wait} s (last problem: ", "). Increase the wait_timeout "
          "option if the device needs longer to restart.")


def fault(path, method, **spec):
    return {"faults": dict(spec, path=path, method=method)}


def maybe_done(method):
    return (f" The device may still carry out the {method}: read its state (for example run the task in check mode) "
            "before repeating it.")


def timed_out(seconds, where, method):
    return (f"Timed out after {seconds} s waiting for the device at {{address}} ({where}). Increase the timeout option "
            f"(MEDIANT_TIMEOUT) if the device is slow to answer, or check that {{address}} is reachable." + maybe_done(method))


def dropped(where, method):
    return (f"The device at {{address}} closed the connection during {where} without answering: ",
            "." + maybe_done(method))


def http_error(where, status, reason, method_note=""):
    return f"{where} failed on the device at {{address}} with HTTP {status} {reason}: Injected fault{method_note}"


BUSY_MSG = ("The device is busy (HTTP 409) and refused {where} after 2 attempts: Device is currently performing HA synchronization. "
            "This is usually a temporary state such as HA synchronization: try again later.")


@dataclass
class Row:
    id: str
    args: dict
    control: dict                 # control API action -> body, applied just before the task
    msg: str | tuple              # exact, or (start, end) around words of a library (urllib3, ssl)
    outcome: object = UNCHANGED   # UNCHANGED, or a check of the snapshot: the whole change is there
    settle: float = 0             # seconds the device still works after the module gave up
    keywords: dict = field(default_factory=dict)


def syslog_port(port):
    return lambda snapshot: snapshot["running_config"]["params"].get("SyslogServerPort") == port


INI_PUT = "PUT /api/v1/files/ini/incremental"
CLI_PUT = "PUT /api/v1/files/cliScript/incremental"


def ini_rows(files):
    del files
    return [
        Row("HA synchronization longer than busy_timeout", {"parameters": {"SyslogServerPort": 5101}, "busy_timeout": 2}, BUSY, BUSY_MSG.format(where=INI_PUT)),
        Row("500", {"parameters": {"SyslogServerPort": 5102}}, fault("files/ini/incremental", "PUT", status=500),
            http_error(INI_PUT, 500, "Internal Server Error")),
        Row("503 every time", {"parameters": {"SyslogServerPort": 5103}},
            fault("files/ini/incremental", "PUT", status=503, count=-1), http_error(INI_PUT, 503, "Service Unavailable")),
        Row("connection dropped mid-upload", {"parameters": {"SyslogServerPort": 5104}},
            fault("files/ini/incremental", "PUT", drop=True), dropped(INI_PUT, "PUT")),
        Row("slower than timeout", {"parameters": {"SyslogServerPort": 5105}, "timeout": 2},
            fault("files/ini/incremental", "PUT", delay=4), timed_out(2, INI_PUT, "PUT"), syslog_port(5105), settle=3),
        Row("replace: the reset never comes back",
            {"content": "[SYSTEM Params]\nSyslogServerPort = 5106\n", "mode": "replace", "wait_timeout": 4}, HANG,
            ("The device accepted the INI file and resets to load it, then: " + NOT_UP[0].format(address="{address}", wait=4),
             NOT_UP[1]), syslog_port(5106)),
    ]


def cli_rows(files):
    del files

    def args(port, **more):
        return dict({"parents": ["configure troubleshoot", "syslog"], "lines": [f"syslog-port-number {port}"]}, **more)

    return [
        Row("HA synchronization longer than busy_timeout", args(6101, busy_timeout=2), BUSY, BUSY_MSG.format(where=CLI_PUT)),
        Row("500", args(6102), fault("files/cliScript/incremental", "PUT", status=500),
            http_error(CLI_PUT, 500, "Internal Server Error")),
        Row("503 every time", args(6103), fault("files/cliScript/incremental", "PUT", status=503, count=-1),
            http_error(CLI_PUT, 503, "Service Unavailable")),
        Row("connection dropped mid-upload", args(6104), fault("files/cliScript/incremental", "PUT", drop=True),
            dropped(CLI_PUT, "PUT")),
        Row("slower than timeout", args(6105, timeout=2), fault("files/cliScript/incremental", "PUT", delay=4),
            timed_out(2, CLI_PUT, "PUT"), syslog_port(6105), settle=3),
        Row("command with allow_changes, 500", {"commands": ["configure troubleshoot"], "allow_changes": True},
            fault("files/cliScript/incremental", "PUT", status=500), http_error(CLI_PUT, 500, "Internal Server Error"),
            keywords={"module": "mediant_command"}),
    ]


def certificate_rows(files):
    generate = "POST /api/v1/files/tls/1/certificate/generate"

    def self_signed(name, **more):
        return dict({"context": "SIP", "self_signed": True, "subject": {"common_name": name}}, **more)

    def signed_for(name):
        def check(snapshot):
            from cryptography import x509  # pylint: disable=import-outside-toplevel
            pem = snapshot["tls"]["1"]["certificate"] or ""
            return "BEGIN CERTIFICATE" in pem and f"CN={name}" in x509.load_pem_x509_certificate(pem.encode()).subject.rfc4514_string()
        return check

    return [
        Row("HA synchronization longer than busy_timeout", self_signed("busy.example.com", busy_timeout=2), BUSY, BUSY_MSG.format(where=generate)),
        Row("500", self_signed("e500.example.com"), fault("files/tls/1/certificate/generate", "POST", status=500),
            http_error(generate, 500, "Internal Server Error")),
        Row("503 every time", self_signed("e503.example.com"),
            fault("files/tls/1/certificate/generate", "POST", status=503, count=-1),
            http_error(generate, 503, "Service Unavailable")),
        Row("connection dropped mid-upload", {"context": "SIP", "trusted_roots": [files["ca_pem"]]},
            fault("files/tls/1/trustedRoot/incremental", "PUT", drop=True),
            dropped("PUT /api/v1/files/tls/1/trustedRoot/incremental", "PUT")),
        Row("slower than timeout", self_signed("slow.example.com", timeout=2),
            fault("files/tls/1/certificate/generate", "POST", delay=4), timed_out(2, generate, "POST"),
            signed_for("slow.example.com"), settle=3),
    ]


def certificate_request_rows(files):
    generate = "POST /api/v1/files/tls/1/privateKey/generate"
    request = "POST /api/v1/files/tls/1/certificate/request"

    def device_key(name, **more):
        return dict({"context": "SIP", "subject": {"common_name": name}}, **more)

    def pending_key(snapshot):
        """A new key waits in the context for its certificate: what a rerun of the task keeps and reuses."""
        return snapshot["tls"]["1"]["key"]["size"] == 2048 and not snapshot["tls"]["1"]["key"]["valid"]

    return [
        Row("HA synchronization longer than busy_timeout", device_key("busy.example.com", busy_timeout=2), BUSY,
            BUSY_MSG.format(where=generate)),
        Row("500", device_key("e500.example.com"), fault("files/tls/1/privateKey/generate", "POST", status=500),
            http_error(generate, 500, "Internal Server Error")),
        Row("503 every time", device_key("e503.example.com"),
            fault("files/tls/1/privateKey/generate", "POST", status=503, count=-1),
            http_error(generate, 503, "Service Unavailable")),
        Row("connection dropped mid-upload",
            {"context": "SIP", "key_source": "controller", "subject": {"common_name": "drop.example.com"},
             "csr_path": files["csr_path"]},
            fault("files/tls/1/privateKey", "PUT", drop=True), dropped("PUT /api/v1/files/tls/1/privateKey", "PUT")),
        Row("slower than timeout", device_key("slow.example.com", timeout=2),
            fault("files/tls/1/privateKey/generate", "POST", delay=4), timed_out(2, generate, "POST"),
            pending_key, settle=3),
        Row("500 on the request after the key was made", device_key("late500.example.com"),
            fault("files/tls/1/certificate/request", "POST", status=500, count=-1),
            # the new key stays in the context, pending (see the regenerate option)
            http_error(request, 500, "Internal Server Error"), pending_key),
    ]


def license_rows(files):
    keys = files["license_keys"]
    put = "PUT /api/v1/license"

    def holds(key):
        return lambda snapshot: snapshot["license"]["key"] == key

    return [
        Row("HA synchronization longer than busy_timeout", {"key": keys[0], "busy_timeout": 2}, BUSY,
            BUSY_MSG.format(where=put) + " The license was not changed."),
        Row("500", {"key": keys[1]}, fault("license", "PUT", status=500), http_error(put, 500, "Internal Server Error")),
        Row("503 every time", {"key": keys[2]}, fault("license", "PUT", status=503, count=-1),
            http_error(put, 503, "Service Unavailable")),
        Row("connection dropped mid-request", {"key": keys[3]}, fault("license", "PUT", drop=True), dropped(put, "PUT")),
        Row("the reset never comes back", {"key": keys[4], "wait_timeout": 4}, HANG,
            ("The device accepted the license, then: " + NOT_UP[0].format(address="{address}", wait=4), NOT_UP[1]),
            holds(keys[4])),
        Row("slower than timeout", {"key": keys[5], "timeout": 2}, fault("license", "PUT", delay=4),
            timed_out(2, put, "PUT"), holds(keys[5]), settle=4),
    ]


def software_rows(files):
    loads = files["loads"]
    put = "PUT /api/v1/files/software"

    def runs(version):
        return lambda snapshot: snapshot["firmware"] == version

    def upgrade(number, **more):
        return dict({"src": loads[number][0], "version": loads[number][1]}, **more)

    return [
        Row("HA synchronization longer than busy_timeout", upgrade(0, busy_timeout=2), BUSY,
            BUSY_MSG.format(where=put) + " It still runs 7.40A.500.010."),
        Row("500", upgrade(1), fault("files/software", "PUT", status=500), http_error(put, 500, "Internal Server Error")),
        Row("503 every time", upgrade(2), fault("files/software", "PUT", status=503, count=-1),
            http_error(put, 503, "Service Unavailable")),
        Row("connection dropped mid-upload", upgrade(3), fault("files/software", "PUT", drop=True), dropped(put, "PUT")),
        Row("the reset never comes back", upgrade(4, wait_timeout=4), HANG,
            "The device accepted the software load, then the upgrade did not complete within 4 s (wait_timeout): the "
            "device resets to start the new load; the address does not answer. Increase the wait_timeout option if the "
            "device needs longer.", runs(loads[4][1])),
        Row("slower than upload_timeout", upgrade(5, upload_timeout=2), fault("files/software", "PUT", delay=4),
            "The device did not answer the upload within upload_timeout (2 s). It may still install the load and reset: "
            "read its version (mediant_facts) before repeating the task, and raise upload_timeout for a slow device or "
            "network.", runs(loads[5][1]), settle=5),
    ]


def reset_rows(files):
    del files
    post = "POST /api/v1/actions/reset"
    return [
        Row("500", {}, fault("actions/reset", "POST", status=500), http_error(post, 500, "Internal Server Error")),
        Row("503 every time", {}, fault("actions/reset", "POST", status=503, count=-1),
            http_error(post, 503, "Service Unavailable")),
        Row("the reset never comes back", {"wait_timeout": 3}, HANG,
            ("The device accepted the reset, then: " + NOT_UP[0].format(address="{address}", wait=3), NOT_UP[1]),
            lambda snapshot: True),
        Row("slower than timeout", {"timeout": 2}, fault("actions/reset", "POST", delay=4), timed_out(2, post, "POST"),
            lambda snapshot: True, settle=5),
    ]


GROUPS = {"mediant_ini": ini_rows, "mediant_cli": cli_rows, "mediant_certificate": certificate_rows,
          "mediant_certificate_request": certificate_request_rows,
          "mediant_license": license_rows, "mediant_software": software_rows, "mediant_reset": reset_rows}


@pytest.fixture(scope="module")
def fault_fleet(tmp_path_factory):
    with Fleet(state_dir=tmp_path_factory.mktemp("faults-state")) as fleet:
        yield fleet


def control_task(fleet, device, name, action, body=None, method="POST"):
    task = {"name": name, "ansible.builtin.uri": {"url": f"{fleet.control_url}/devices/{device.name}/{action}",
                                                  "method": method, "status_code": [200, 201]}}
    if body is not None:
        task["ansible.builtin.uri"].update(body_format="json", body=body)
    return task


def recovery_tasks(fleet, device, row):
    tasks = [control_task(fleet, device, f"clear faults after {row.id}", "faults", method="DELETE"),
             control_task(fleet, device, f"close sync after {row.id}", "ha-sync", {"open": False}),
             control_task(fleet, device, f"release resets after {row.id}", "hang-resets", {"enabled": False})]
    if row.settle:
        tasks.append({"name": f"let the device finish after {row.id}", "ansible.builtin.wait_for": {"timeout": row.settle}})
    tasks.append({"name": f"snapshot after {row.id}",
                  "ansible.builtin.uri": {"url": f"{fleet.control_url}/devices/{device.name}", "return_content": True},
                  "register": "snapshot", "until": "snapshot.json.state == 'up' and not snapshot.json.reset_pending",
                  "retries": 60, "delay": 1})
    return tasks


def state(snapshot):
    return {key: snapshot[key] for key in STATE_KEYS}


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    base = tmp_path_factory.mktemp("fault-files")
    loads = []
    for number in range(6):
        version = f"7.40A.60{number}.001"
        path = base / f"SIP_F{version}.cmp"
        write_cmp(path, version, 256 * 1024)
        loads.append((str(path), version))
    from cryptography import x509  # pylint: disable=import-outside-toplevel
    from cryptography.hazmat.primitives import hashes, serialization  # pylint: disable=import-outside-toplevel
    from cryptography.hazmat.primitives.asymmetric import ec  # pylint: disable=import-outside-toplevel
    import datetime  # pylint: disable=import-outside-toplevel
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(x509.oid.NameOID.COMMON_NAME, "Fault Test Root CA")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key()).serial_number(7)
            .not_valid_before(now).not_valid_after(now + datetime.timedelta(days=30))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True).sign(key, hashes.SHA256()))
    return {"loads": loads, "ca_pem": cert.public_bytes(serialization.Encoding.PEM).decode(),
            "csr_path": str(base / "request.csr")}


@pytest.mark.parametrize("module", sorted(GROUPS))
def test_a_fault_during_a_change_fails_clearly_and_leaves_the_device_consistent(
        module, fault_fleet, files, tmp_path_factory):
    device = fault_fleet.add_device({"name": f"f-{module}", "address": "127.0.0.1", "port": 0, "protocol": "https",
                                     "reset_seconds": 0.5})
    files = dict(files, license_keys=[make_key(device.serial, {"SBC": 100 + number}) for number in range(6)])
    rows = GROUPS[module](files)
    tasks = []
    if module in ("mediant_certificate", "mediant_certificate_request"):
        tasks.append({"name": "a SIP TLS context", "audiocodes.mediant.mediant_ini": {
            "tables": {"TLSContexts": [{"Index": 1, "Name": "SIP"}]}}})
    tasks.append({"name": "snapshot at the start", "ansible.builtin.uri": {
        "url": f"{fault_fleet.control_url}/devices/{device.name}", "return_content": True}})
    for row in rows:
        for action, body in row.control.items():
            tasks.append(control_task(fault_fleet, device, f"{action} for {row.id}", action, body))
        keywords = dict(row.keywords)
        name = keywords.pop("module", module)
        tasks.append({"name": row.id, f"audiocodes.mediant.{name}": row.args, "ignore_errors": True, **keywords})
        tasks += recovery_tasks(fault_fleet, device, row)
    run = play_runner(tmp_path_factory.mktemp(f"faults-{module}"))
    play = run(tasks, device, module_defaults=connection_options(device, tmp_path_factory.mktemp(f"ca-{module}")))
    assert play.tasks, play.stdout + play.stderr
    address = f"{device.address}:{device.port}"
    problems = []
    before = state(play.task("snapshot at the start")["result"]["json"])
    for row in rows:
        result = play.task(row.id)
        msg = result["result"].get("msg") or ""
        if isinstance(row.msg, tuple):
            start, end = (part.format(address=address) for part in row.msg)
            matches, expected = msg.startswith(start) and msg.endswith(end), f"{start} ... {end}"
        else:
            expected = row.msg.format(address=address)
            matches = msg == expected
        if result["status"] != "failed":
            problems.append(f"{row.id}: status {result['status']}, not failed")
        if not matches:
            problems.append(f"{row.id}:\n  expected {expected!r}\n  got      {msg!r}")
        after_snapshot = play.task(f"snapshot after {row.id}")["result"]["json"]
        after = state(after_snapshot)
        if row.outcome == UNCHANGED:
            if after != before:
                problems.append(f"{row.id}: the device changed: {sorted(k for k in after if after[k] != before[k])}")
            if result["result"].get("changed"):
                problems.append(f"{row.id}: reports changed, but nothing changed")
        elif not row.outcome(after_snapshot):
            problems.append(f"{row.id}: the device holds only part of the change: {after}")
        before = after
    assert not problems, "\n".join(problems)
