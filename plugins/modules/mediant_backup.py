#!/usr/bin/python
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

DOCUMENTATION = r"""
module: mediant_backup
short_description: Back up the configuration of an AudioCodes Mediant device into a directory
version_added: 0.1.0
description:
  - Downloads the device's INI file (C(GET /api/v1/files/ini)), CLI script
    (C(GET /api/v1/files/cliScript)) and configuration package
    (C(GET /api/v1/files/configurationPackage.tar.gz)) into the directory O(dest), on the host
    that runs the module (the controller, with the collection's usual C(ansible_connection=local)).
  - "Files: C(config.ini), C(config.cli), C(configuration.tar.gz) and C(backup.json), which
    records when, from which device (product, serial number, firmware, HA state) and the
    fingerprint of each file."
  - Atomic - every file is first downloaded into a temporary directory beside O(dest), which then
    takes the place of O(dest). A failure leaves no partial file and no partial O(dest).
  - Compares the configuration with an earlier backup (O(previous)), leaving out the lines that
    change without a configuration change (the INI file's header with serial number, firmware
    version and address; comment lines before a CLI script's first command; the package's dates).
    C(changed) is true only when the configuration differs, or when there is no earlier backup.
  - The configuration package needs the Security Administrator level and the v7.4 REST API. A
    device or user that cannot give it gets the other files and a note in RV(skipped_formats) (a warning
    for a missing privilege).
author:
  - audiocodes.mediant contributors (@audiocodes-mediant)
extends_documentation_fragment:
  - audiocodes.mediant.connection
  - audiocodes.mediant.attributes
attributes:
  check_mode:
    support: full
    details: The device is read and compared with O(previous); nothing is written.
  diff_mode:
    support: full
    details: The compared INI and CLI lines, of O(previous) and of the device, when they differ.
  idempotent:
    support: full
    details: The files are written again on every run, but C(changed) says whether the configuration differs from O(previous).
options:
  dest:
    description:
      - The directory to hold the backup, created with its parents if missing (mode C(0700), as
        configuration files hold password hashes). Existing files of the same names are replaced.
    type: path
    required: true
  formats:
    description:
      - What to back up. V(ini) the INI file, V(cli) the CLI script, V(package) the
        configuration package (INI file plus TLS certificates and trusted roots; private keys
        never leave the device).
    type: list
    elements: str
    choices: [ini, cli, package]
    default: [ini, cli, package]
  previous:
    description:
      - The directory of an earlier backup of the same device to compare with. Without it, or
        when it holds none of the files, the backup counts as a change.
    type: path
notes:
  - Needs a user with the Security Administrator level (the device's C(files/ini) and
    C(files/cliScript) resources).
  - The role C(audiocodes.mediant.backup) runs this module for a fleet - one timestamp per run,
    the earlier backup found for each device, retention, a git repository, a report.
seealso:
  - module: audiocodes.mediant.mediant_facts
  - module: audiocodes.mediant.mediant_ini
"""

EXAMPLES = r"""
- name: Back up the device next to the playbook, compared with yesterday's backup
  audiocodes.mediant.mediant_backup:
    dest: "{{ playbook_dir }}/backups/20261204T140000Z/{{ inventory_hostname }}"
    previous: "{{ playbook_dir }}/backups/20261203T140000Z/{{ inventory_hostname }}"
  register: backup

- name: Say whether the configuration changed since
  ansible.builtin.debug:
    msg: "{{ inventory_hostname }}: {{ backup.differences | join(', ') if backup.changed else 'unchanged' }}"

- name: Only the INI file, to see whether it would differ (nothing written)
  audiocodes.mediant.mediant_backup:
    dest: /tmp/unused
    formats: [ini]
    previous: backups/last/sbc1
  check_mode: true
"""

RETURN = r"""
dest:
  description: The backup's directory.
  returned: always
  type: str
  sample: /srv/backups/20261204T140000Z/sbc-lon-1
files:
  description: The files of the backup, by format (written, or to be written in check mode).
  returned: always
  type: dict
  sample: {ini: /srv/backups/20261204T140000Z/sbc-lon-1/config.ini, cli: /srv/backups/20261204T140000Z/sbc-lon-1/config.cli}
differences:
  description: The formats whose configuration differs from O(previous) (all of them when there is no earlier backup).
  returned: always
  type: list
  elements: str
  sample: [ini, cli]
previous:
  description: The earlier backup compared with, or null when there was none.
  returned: always
  type: str
skipped_formats:
  description: Formats not backed up, with the reason.
  returned: always
  type: dict
  sample: {package: the configuration package is not offered by REST API v1.0 (firmware 7.00A and older)}
device:
  description: The device the backup was taken from (also in C(backup.json)).
  returned: always
  type: dict
  sample: {product: Mediant VE SBC, serial: "101780235059663", version: 7.40A.500.010, ha_state: Stand Alone, api_version: "7.4"}
metadata:
  description: The content of C(backup.json).
  returned: always
  type: dict
"""

import datetime
import json
import os
import shutil
import tempfile

from ansible_collections.audiocodes.mediant.plugins.module_utils.common import MediantModule
from ansible_collections.audiocodes.mediant.plugins.module_utils.config_backup import (
    FILE_NAMES,
    METADATA_NAME,
    fingerprint,
    ini_header,
    stable_content,
)
from ansible_collections.audiocodes.mediant.plugins.module_utils.errors import InputError, TaskError
from ansible_collections.audiocodes.mediant.plugins.module_utils.rest import MediantError, required_privilege

SOURCES = {"ini": "files/ini", "cli": "files/cliScript", "package": "files/configurationPackage.tar.gz"}
FORMATS = ("ini", "cli", "package")


def _write(path, data):
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)


def _read(path):
    with open(path, "rb") as handle:
        return handle.read()


def device_of(client):
    status = client.get_json("status") or {}
    return {"product": status.get("productType"), "serial": status.get("serialNumber"),
            "version": status.get("versionID"), "ha_state": status.get("highAvailability"),
            "api_version": client.api_version}


def download(module, client, kind, staging):
    """Fetch one format into the staging directory; the reason it was skipped, or None."""
    path = os.path.join(staging, FILE_NAMES[kind])
    if kind == "package" and client.api_version == "1.0":
        return "the configuration package is not offered by REST API v1.0 (firmware 7.00A and older)"
    try:
        if kind == "package":
            client.download(SOURCES[kind], path)
        else:
            _write(path, client.get_bytes(SOURCES[kind]))
    except MediantError as err:
        if kind != "package" or err.status not in (403, 404, 405):
            raise
        if err.status == 403:
            reason = "user '{0}' lacks the {1} privilege level the configuration package needs".format(
                module.params["username"], required_privilege("GET", SOURCES[kind], client.api_version))
            module.warn("Configuration package not backed up: {0}.".format(reason))
            return reason
        return "the device does not offer a configuration package (HTTP {0})".format(err.status)
    return None


def compare(module, kinds, staging, previous, result):
    """The formats whose configuration differs from the previous backup's; diff entries in diff mode."""
    differences, diffs = [], []
    for kind in kinds:
        old_path = os.path.join(previous, FILE_NAMES[kind]) if previous else None
        new = _read(os.path.join(staging, FILE_NAMES[kind]))
        if not old_path or not os.path.isfile(old_path):
            differences.append(kind)
            continue
        old = _read(old_path)
        try:
            same = fingerprint(kind, old) == fingerprint(kind, new)
        except ValueError as err:
            module.warn("{0}: {1}; taken as a difference".format(old_path, err))
            same = False
        if not same:
            differences.append(kind)
            if module._diff and kind != "package":
                diffs.append({"before": stable_content(kind, old), "after": stable_content(kind, new),
                              "before_header": old_path, "after_header": "device ({0})".format(FILE_NAMES[kind])})
    if diffs:
        result["diff"] = diffs
    return differences


def put_in_place(staging, dest):
    """The staging directory becomes dest: renamed when dest is new, else file by file (each rename atomic)."""
    if not os.path.isdir(dest):
        os.rename(staging, dest)
        return
    for name in os.listdir(staging):
        os.replace(os.path.join(staging, name), os.path.join(dest, name))
    os.rmdir(staging)


def back_up(module):
    params = module.params
    dest = os.path.abspath(params["dest"])
    previous = os.path.abspath(params["previous"]) if params["previous"] else None
    if previous and not os.path.isdir(previous):
        previous = None
    kinds = [kind for kind in FORMATS if kind in params["formats"]]
    if not kinds:
        raise InputError("formats: give at least one of ini, cli, package", option="formats")
    if previous == dest:
        raise InputError("previous and dest are the same directory {0!r}: give the directory of an earlier backup".format(dest),
                         option="previous")
    parent = os.path.dirname(dest)
    if not module.check_mode:
        try:
            os.makedirs(parent, mode=0o700, exist_ok=True)
        except OSError as err:
            raise InputError("dest: cannot create {0!r}: {1}".format(parent, err.strerror or err), option="dest") from None
    staging = tempfile.mkdtemp(prefix=".{0}.partial-".format(os.path.basename(dest)),
                               dir=None if module.check_mode else parent)
    result = {"changed": False, "dest": dest, "previous": previous, "files": {}, "skipped_formats": {}, "differences": []}
    try:
        client = module.client()
        result["device"] = device_of(client)
        for kind in kinds:
            reason = download(module, client, kind, staging)
            if reason:
                result["skipped_formats"][kind] = reason
            else:
                result["files"][kind] = os.path.join(dest, FILE_NAMES[kind])
        taken = [kind for kind in kinds if kind in result["files"]]
        if not result["device"]["serial"] and "ini" in taken:
            # The v1.0 API's status has no serial number; the INI file's header does.
            header = ini_header(_read(os.path.join(staging, FILE_NAMES["ini"])).decode("utf-8", "replace"))
            result["device"]["serial"] = header.get("serial")
        result["differences"] = compare(module, taken, staging, previous, result)
        result["changed"] = bool(result["differences"])
        result["metadata"] = {
            "taken": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "device": result["device"],
            "files": {kind: {"name": FILE_NAMES[kind], "fingerprint": fingerprint(kind, _read(os.path.join(staging, FILE_NAMES[kind]))),
                             "bytes": os.path.getsize(os.path.join(staging, FILE_NAMES[kind]))} for kind in taken},
            "skipped_formats": result["skipped_formats"],
            "previous": previous,
            "changed": result["changed"],
            "differences": result["differences"],
        }
        if module.check_mode:
            return result
        _write(os.path.join(staging, METADATA_NAME), (json.dumps(result["metadata"], indent=2, sort_keys=True) + "\n").encode())
        result["files"]["metadata"] = os.path.join(dest, METADATA_NAME)
        put_in_place(staging, dest)
        staging = None
        return result
    except OSError as err:
        raise TaskError("Could not write the backup into {0!r}: {1}".format(dest, err.strerror or err), **result) from None
    finally:
        if staging and os.path.isdir(staging):
            shutil.rmtree(staging, ignore_errors=True)


def main():
    module = MediantModule(
        argument_spec=dict(
            dest=dict(type="path", required=True),
            formats=dict(type="list", elements="str", choices=list(FORMATS), default=list(FORMATS)),
            previous=dict(type="path"),
        ),
        supports_check_mode=True,
    )
    module.run(back_up)


if __name__ == "__main__":
    main()
