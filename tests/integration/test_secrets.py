# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""No secret in the output at -vvv, nor in the backups the collection writes (issue 8, part 3).

Every module runs, at -vvv, with the device password given through each source the collection
reads, and with a private key, its passphrase and license keys given through variables of
several kinds (literal task arguments, play vars, extra vars, set_fact, vault). None of the
secrets may appear in what ansible-playbook prints, in the task results, or in a backup file.
"""
from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest
from ansible.parsing.vault import VaultLib, VaultSecret
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from simulator.license import make_key
from simulator.software import write_cmp

SOURCES = ["task arguments", "module_defaults", "mediant_password variable", "ansible_password in the inventory",
           "ansible_password as extra var", "--ask-pass (AWX Machine credential)", "MEDIANT_PASSWORD environment",
           "ansible_password with set_fact", "ansible_password in play vars from a vault"]
NEW_VERSION = "7.40A.700.001"


def key_and_certificate(passphrase):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(x509.oid.NameOID.COMMON_NAME, "secret-test.example.com")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key()).serial_number(42)
            .not_valid_before(now).not_valid_after(now + datetime.timedelta(days=30)).sign(key, hashes.SHA256()))
    clear = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                              serialization.NoEncryption()).decode()
    encrypted = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                  serialization.BestAvailableEncryption(passphrase.encode())).decode()
    return clear, encrypted, cert.public_bytes(serialization.Encoding.PEM).decode()


def signing_ca(passphrase, directory):
    """(key path, certificate path) of a CA whose key is encrypted with ``passphrase``."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(x509.oid.NameOID.COMMON_NAME, "Secret Test CA")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key()).serial_number(7)
            .not_valid_before(now).not_valid_after(now + datetime.timedelta(days=30))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True).sign(key, hashes.SHA256()))
    encrypted = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                  serialization.BestAvailableEncryption(passphrase.encode()))
    (directory / "signing-ca.key").write_bytes(encrypted)
    (directory / "signing-ca.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return str(directory / "signing-ca.key"), str(directory / "signing-ca.pem")


def pem_lines(pem):
    """The base64 lines of a PEM block: any of them in the output would leak part of the key."""
    return [line for line in pem.splitlines() if line and not line.startswith("-----")]


def vault_file(path, values, vault_password):
    secret = VaultSecret(vault_password.encode())
    lines = []
    for name, value in values.items():
        ciphertext = VaultLib([("default", secret)]).encrypt(value, secret).decode()
        lines.append(f"{name}: !vault |\n" + "".join("  " + line + "\n" for line in ciphertext.splitlines()))
    path.write_text("".join(lines))


@pytest.mark.parametrize("source", SOURCES)
def test_no_secret_shows_at_vvv_or_in_backups(source, fleet, run_play, tmp_path):
    """The password through `source`; the key, passphrase and license keys through variables."""
    number = SOURCES.index(source)
    password = f"Dev1ce-Pw-{number}-q7Z"
    passphrase = f"Key-Passphrase-{number}-r8Y"
    device = fleet.add_device({"name": f"secret{number}", "address": "127.0.0.1", "port": 0, "protocol": "https",
                               "reset_seconds": 0.5,
                               "users": [{"username": "Admin", "password": password, "level": "security_admin"}]})
    license_key = make_key(device.serial, {"SBC": 300 + number})
    invalid_key = f"Invalid-Secret-License-Key-{number}-x9"
    clear_key, encrypted_key, certificate = key_and_certificate(passphrase)
    load = tmp_path / "load.cmp"
    write_cmp(load, NEW_VERSION, 64 * 1024)
    ca_file = tmp_path / "ca.pem"
    ca_file.write_text(device.certificate_pem())
    backups = tmp_path / "backups"

    ca_passphrase = f"CA-Passphrase-{number}-w2X"
    ca_key, ca_cert = signing_ca(ca_passphrase, tmp_path)
    request_passphrase = f"Request-Passphrase-{number}-k5V"
    secrets_values = {"secret_key": encrypted_key, "secret_passphrase": passphrase, "secret_license": license_key,
                      "secret_invalid_license": invalid_key, "secret_ca_passphrase": ca_passphrase,
                      "secret_request_passphrase": request_passphrase}
    defaults = {"host": device.address, "port": device.port, "ca_path": str(ca_file), "timeout": 10}
    kwargs = {"verbosity": 3, "module_defaults": defaults}
    play_vars = {}
    vars_files = []
    pre_tasks = []
    connection = {}
    # Secrets reach the tasks through variables: Ansible itself prints the playbook lines around a failed
    # task, so a secret written literally in a playbook shows there whatever a collection does.
    refs = {name: "{{ %s }}" % name for name in secrets_values}
    if source == "task arguments":
        connection = {"username": "Admin", "password": "{{ device_password }}"}
        play_vars.update(secrets_values, device_password=password)
    else:
        if source == "module_defaults":
            defaults.update(username="Admin", password="{{ device_password }}")
            play_vars.update(secrets_values, device_password=password)
        elif source == "mediant_password variable":
            play_vars.update(secrets_values, mediant_username="Admin", mediant_password=password)
        elif source == "ansible_password in the inventory":
            kwargs["hostvars"] = {"ansible_user": "Admin", "ansible_password": password}
            kwargs["extra_vars"] = secrets_values
        elif source == "ansible_password as extra var":
            kwargs["extra_vars"] = dict(secrets_values, ansible_password=password)
            kwargs["cli_args"] = ["-u", "Admin"]
        elif source == "--ask-pass (AWX Machine credential)":
            (tmp_path / "vault-pass").write_text("vault-pw\n")
            vault_file(tmp_path / "secrets.yml", secrets_values, "vault-pw")
            kwargs["play_keywords"] = {"vars_files": [str(tmp_path / "secrets.yml")]}
            kwargs["cli_args"] = ["-u", "Admin", "--ask-pass", "--vault-password-file", str(tmp_path / "vault-pass")]
            kwargs["stdin"] = password + "\n"
        elif source == "ansible_password with set_fact":
            pre_tasks.append({"name": "secrets as facts", "ansible.builtin.set_fact": dict(
                secrets_values, ansible_user="Admin", ansible_password=password), "no_log": True})
        elif source == "ansible_password in play vars from a vault":
            (tmp_path / "vault-pass").write_text("vault-pw\n")
            vault_file(tmp_path / "secrets.yml", dict(secrets_values, vaulted_password=password), "vault-pw")
            play_vars.update(ansible_user="Admin", ansible_password="{{ vaulted_password }}")
            kwargs["cli_args"] = ["--vault-password-file", str(tmp_path / "vault-pass")]
            vars_files = [str(tmp_path / "secrets.yml")]
        else:
            kwargs["env"] = {"MEDIANT_USERNAME": "Admin", "MEDIANT_PASSWORD": password}
            # set_fact prints what it sets: secrets are set with no_log, as a user would
            pre_tasks.append({"name": "secrets as facts", "ansible.builtin.set_fact": secrets_values, "no_log": True})
    if play_vars:
        kwargs["play_keywords"] = {"vars": play_vars}
    if vars_files:
        kwargs["play_keywords"] = dict(kwargs.get("play_keywords") or {}, vars_files=vars_files)

    def module(name, args, **keywords):
        """A task named after its module (and a note in parentheses), with the source's connection arguments."""
        return dict({"name": name, "audiocodes.mediant." + name.split()[0]: dict(args, **connection)}, **keywords)

    backup = {"backup": True, "backup_options": {"dir_path": str(backups)}}
    tasks = pre_tasks + [
        module("mediant_facts", {"gather_subset": ["all"], "config_formats": ["ini", "cli"]}),
        module("mediant_ini", dict(backup, tables={"TLSContexts": [{"Index": 1, "Name": "SIP"}]},
                                   parameters={"SyslogServerPort": 5514})),
        module("mediant_cli", dict(backup, parents=["configure troubleshoot", "syslog"], lines=["syslog-port-number 5515"])),
        module("mediant_command", {"commands": ["show system version", "show running-config"]}),
        module("mediant_backup", {"dest": str(tmp_path / "mediant_backup")}),
        module("mediant_certificate", {"context": "SIP", "private_key_content": refs["secret_key"],
                                       "passphrase": refs["secret_passphrase"], "certificate_content": certificate}),
        module("mediant_certificate (wrong passphrase)", {"context": "SIP", "private_key_content": refs["secret_key"],
                                                          "passphrase": "not-" + passphrase}, ignore_errors=True),
        module("mediant_license", {"key": refs["secret_license"], "wait_timeout": 60}),
        module("mediant_license (invalid key)", {"key": refs["secret_invalid_license"]}, ignore_errors=True),
        module("mediant_certificate_request", {
            "context": "SIP", "key_source": "controller", "subject": {"common_name": "secret-test.example.com"},
            "private_key_dest": str(tmp_path / "request.key"), "private_key_passphrase": refs["secret_request_passphrase"],
            "csr_path": str(tmp_path / "request.csr")}, register="request"),
        {"name": "mediant_certificate_sign", "audiocodes.mediant.mediant_certificate_sign": {
            "csr_content": "{{ request.csr }}", "ca_certificate_path": ca_cert, "ca_private_key_path": ca_key,
            "ca_passphrase": refs["secret_ca_passphrase"], "dest": str(tmp_path / "signed.pem")}},
        module("mediant_tls_probe", {}),
        module("mediant_facts (status before the upgrade)", {"gather_subset": ["status"]}, register="before"),
        module("mediant_software", {"src": str(load), "version": NEW_VERSION, "wait": False}),
        module("mediant_upgrade_progress", {"version": NEW_VERSION, "method": "standard", "wait_for": "completion",
                                            "before": "{{ before.ansible_facts.mediant.status }}", "timeout": 60,
                                            "poll_interval": 0.5}),
        module("mediant_reset", {"wait_timeout": 60}),
    ]
    play = run_play(tasks, device, **kwargs)

    statuses = {task["name"]: task["status"] for task in play.tasks if task["name"] != "secrets as facts"}
    assert statuses == {"mediant_facts": "ok", "mediant_ini": "changed", "mediant_cli": "changed",
                        "mediant_command": "ok", "mediant_backup": "changed", "mediant_certificate": "changed",
                        "mediant_certificate (wrong passphrase)": "failed", "mediant_license": "changed",
                        "mediant_license (invalid key)": "failed", "mediant_certificate_request": "changed",
                        "mediant_certificate_sign": "changed", "mediant_tls_probe": "ok",
                        "mediant_facts (status before the upgrade)": "ok", "mediant_software": "changed",
                        "mediant_upgrade_progress": "ok", "mediant_reset": "changed"}, \
        play.stdout[-3000:] + play.stderr[-2000:]
    shipped = {path.stem for path in (Path(__file__).resolve().parents[2] / "plugins" / "modules").glob("mediant_*.py")}
    assert {name.split()[0] for name in statuses} == shipped, "every module runs at -vvv"
    assert device.snapshot()["license"]["key"] == license_key

    backup_files = sorted(backups.iterdir(), key=lambda path: path.suffix)
    assert [path.suffix for path in backup_files] == [".cli", ".ini"]
    written = [path.read_text(encoding="utf-8") for path in backup_files]
    secrets = ([password, passphrase, license_key, invalid_key, ca_passphrase, request_passphrase] + pem_lines(clear_key)
               + pem_lines(encrypted_key) + pem_lines(Path(ca_key).read_text()))
    places = {"stdout": play.stdout, "stderr": play.stderr, "task results": json.dumps(play.tasks)}
    places.update({f"backup {path.name}": text for path, text in zip(backup_files, written)})
    backup_dir = sorted((tmp_path / "mediant_backup").iterdir())
    assert {path.name for path in backup_dir} >= {"config.ini", "config.cli", "backup.json"}, backup_dir
    places.update({f"mediant_backup {path.name}": path.read_bytes().decode("latin-1") for path in backup_dir})
    leaks = [f"{where}: {secret[:12]}..." for where, text in places.items() for secret in secrets if secret in text]
    assert not leaks, leaks
    assert "ESTABLISH LOCAL CONNECTION" in play.stdout       # it really ran at -vvv
