#!/usr/bin/python
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

DOCUMENTATION = r"""
module: mediant_license
short_description: Install a license key on an AudioCodes Mediant device
version_added: 0.1.0
description:
  - Installs a license key given as O(key), or the key a license file O(src) holds for the
    device's serial number, through C(PUT /api/v1/license).
  - Idempotent, the device's current key (C(GET /api/v1/license)) is compared with the wanted
    one; nothing is sent when they are equal.
  - A stand-alone device gets the key as JSON. A device in a high-availability pair (status
    C(highAvailability) other than C(Not Operational) or C(Stand Alone)) only accepts license
    files, so the module uploads a file there; when the device refuses the JSON request with
    C(409 Conflict) the module falls back to the file upload as well.
  - Applying a license resets the device. By default the module waits until the device is back
    and checks that the new key is the one it runs.
  - The key is never returned or logged; the module returns the device's description of the
    key (features, capacities) and its serial number.
author:
  - audiocodes.mediant contributors (@audiocodes-mediant)
extends_documentation_fragment:
  - audiocodes.mediant.connection
  - audiocodes.mediant.attributes
  - audiocodes.mediant.busy
  - audiocodes.mediant.wait
attributes:
  check_mode:
    support: full
    details: The device's current key is read and compared; nothing is sent.
  diff_mode:
    support: full
    details: Shows the key description and serial number before and after, never the key.
  idempotent:
    support: full
options:
  key:
    description:
      - The license key, as delivered by AudioCodes for this device. It is one word - spaces, line
        breaks and control characters are refused before anything is sent.
      - On an HA device (or when the device refuses the JSON request with C(409 Conflict)) the
        module uploads it as a one-line license file C(Key <serial number> <license key>), the
        format O(src) accepts; use O(src) with the file AudioCodes delivered if the device
        expects another format.
      - Mutually exclusive with O(src).
    type: str
  src:
    description:
      - Path of a license file on the host that runs the module. It may hold keys for several
        devices; the module installs the one for the device's serial number and fails, before
        sending anything, when the file has none.
      - "Accepted format: text, one key per line as C(Key <serial number> <license key>); blank
        lines and lines starting with C(#) or C(;) are ignored."
      - The file is uploaded as it is (so in an HA pair both devices receive their key).
      - Mutually exclusive with O(key).
    type: path
  serial_number:
    description:
      - The serial number the license is meant for. When set, the module reads the device's serial
        number first and fails without sending anything if they differ.
      - The device itself also refuses a key issued for another serial number.
    type: str
notes:
  - Reading the license needs the Administrator level; installing one needs Security Administrator.
  - The device resets to apply a new license; plan for the service interruption.
seealso:
  - module: audiocodes.mediant.mediant_reset
"""

EXAMPLES = r"""
- name: Install the license key from the vault
  audiocodes.mediant.mediant_license:
    key: "{{ vault_sbc1_license_key }}"
    serial_number: "101780235059663"

- name: Install the key for this device from a license file holding keys for the whole fleet
  audiocodes.mediant.mediant_license:
    src: licenses/fleet-2026.txt
  register: license

- name: Show the features now licensed
  ansible.builtin.debug:
    var: license.key_description
"""

RETURN = r"""
serial_number:
  description: The device's serial number.
  returned: always
  type: str
  sample: "101780235059663"
key_description:
  description:
    - The device's description of the license it runs (after the change when waited for).
    - The key itself is never returned.
  returned: always
  type: str
  sample: "Key features: Board Type: Mediant VE SBC; SBC: 250"
previous_key_description:
  description: The description of the license the device ran before.
  returned: always
  type: str
method:
  description:
    - How the license was sent, V(json) or V(file); V(null) when nothing was sent.
  returned: always
  type: str
  sample: json
downtime:
  description: Seconds the device was unreachable while applying the license; V(null) when not waited for.
  returned: always
  type: float
  sample: 51.3
description:
  description: The device's answer to the license request.
  returned: when the license was sent
  type: str
  sample: Device will reset now to activate new license
"""

import os

from ansible_collections.audiocodes.mediant.plugins.module_utils.common import MediantModule, busy_argument_spec, wait_argument_spec
from ansible_collections.audiocodes.mediant.plugins.module_utils.device import Device
from ansible_collections.audiocodes.mediant.plugins.module_utils.errors import InputError, TaskError
from ansible_collections.audiocodes.mediant.plugins.module_utils.input_safety import check_file_text, check_word
from ansible_collections.audiocodes.mediant.plugins.module_utils.ha import is_stand_alone
from ansible_collections.audiocodes.mediant.plugins.module_utils.rest import MediantError

ARGUMENT_SPEC = dict(
    key=dict(type="str", no_log=True),
    src=dict(type="path"),
    serial_number=dict(type="str"),
    **wait_argument_spec(),
    **busy_argument_spec()
)

# A license file is a short text file; anything bigger is not one (and is not read into memory).
MAX_LICENSE_FILE_BYTES = 1024 * 1024
NEW_KEY_PLACEHOLDER = "(a new license key; the device describes it once applied)"


def keys_by_serial(text):
    """Map serial number -> key for every `Key <serial> <key>` line of a license file; other lines are skipped."""
    keys = {}
    for line in text.splitlines():
        fields = line.split()
        if len(fields) == 3 and fields[0].lower() == "key":
            keys[fields[1]] = fields[2]
    return keys


def read_license_file(module):
    """The text of the license file src (checked for existence and size by the shared reader)."""
    data = module.file_of("src", max_bytes=MAX_LICENSE_FILE_BYTES, what="license file")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise InputError(f"src: cannot read the license file {module.params['src']!r} as text: {err}", option="src") from None
    check_file_text("src", text)
    return text


def wanted_key(module, device_serial):
    """The key to install: the `key` option, or the line of `src` for this device."""
    if module.params["key"] is not None:
        key = module.params["key"].strip()
        if not key:
            raise InputError("key is empty", option="key")
        return key
    path = module.params["src"]
    keys = keys_by_serial(read_license_file(module))
    if not keys:
        raise InputError(f"the license file {path} holds no 'Key <serial number> <license key>' line; nothing was sent",
                         option="src")
    if device_serial not in keys:
        raise InputError(
            f"the license file {path} holds no key for the device's serial number {device_serial} "
            f"(it has keys for {', '.join(sorted(keys))}); nothing was sent",
            option="src", serial_number=device_serial,
        )
    return keys[device_serial]


def send_license(module, key, device_serial, stand_alone):
    """PUT the license; returns (method, device answer). JSON on a stand-alone device, else a file."""
    client = module.client()
    src = module.params["src"]
    if src is None and stand_alone:
        body = {"licenseVersion": 1, "serialNumber": device_serial, "key": key}
        try:
            return "json", client.put_json("license", body)
        except MediantError as err:
            # 409: the device wants a license file (HA) or is busy; the file upload below copes with both.
            if err.status != 409:
                raise
    busy_timeout = module.params["busy_timeout"]
    if src is not None:
        return "file", client.upload("license", src=src, filename=os.path.basename(src), busy_timeout=busy_timeout)
    return "file", client.upload("license", content=f"Key {device_serial} {key}\n", filename="license.txt",
                                 busy_timeout=busy_timeout)


def install_license(module):
    params = module.params
    check_word("key", params["key"], "the license key")  # a space or line break would split its file line
    client = module.client()
    status = client.get_json("status") or {}
    current = client.get_json("license") or {}
    # v1.0 devices leave the serial number out of status; the license carries it too.
    device_serial = str(status.get("serialNumber") or current.get("serialNumber") or "")
    if params["serial_number"] is not None and params["serial_number"].strip() != device_serial:
        raise InputError(
            f"serial_number {params['serial_number']} does not match the device's serial number "
            f"{device_serial}; nothing was sent",
            option="serial_number", serial_number=device_serial,
        )
    key = wanted_key(module, device_serial)
    previous_description = current.get("keyDescription")
    result = dict(changed=False, serial_number=device_serial, key_description=previous_description,
                  previous_key_description=previous_description, method=None, downtime=None)
    if str(current.get("key") or "").strip() == key:
        return result

    result["changed"] = True
    before = dict(serial_number=device_serial, key_description=previous_description)
    if module.check_mode:
        result.update(key_description=NEW_KEY_PLACEHOLDER,
                      diff=dict(before=before, after=dict(before, key_description=NEW_KEY_PLACEHOLDER)))
        return result

    device = Device(client, params["busy_timeout"])
    method, answer = device.send(lambda: send_license(module, key, device_serial, is_stand_alone(status)),
                                 "the license", "The license was not changed.",
                                 serial_number=device_serial, key_description=previous_description)
    result.update(method=method, description=answer.get("description"))
    if params["wait"]:
        result["downtime"] = device.wait_until_back("the license", params["wait_timeout"], status.get("systemUpTime"),
                                                    **result)[1]
        current = client.get_json("license") or {}
        result["key_description"] = current.get("keyDescription")
        if str(current.get("key") or "").strip() != key:
            raise TaskError("The device came back but does not run the new license key "
                            f"(it describes its key as: {result['key_description']})", **result)
    else:
        result["key_description"] = NEW_KEY_PLACEHOLDER
    result["diff"] = dict(before=before, after=dict(before, key_description=result["key_description"]))
    return result


def main():
    module = MediantModule(
        argument_spec=ARGUMENT_SPEC,
        mutually_exclusive=[("key", "src")],
        required_one_of=[("key", "src")],
        supports_check_mode=True,
    )
    module.run(install_license)


if __name__ == "__main__":
    main()
