#!/usr/bin/python
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: mediant_facts
short_description: Gather facts from AudioCodes Mediant devices through the REST API
version_added: 0.1.0
description:
  - Reads the device's status, license, active alarms, TLS contexts and their certificates,
    files, call statistics and configuration, and returns them as C(ansible_facts.mediant).
  - Choose what to read with O(gather_subset), the way network facts modules do.
  - A user without the privilege level a subset needs (for example a Monitor user and the
    license) gets every other subset and a warning naming the level the skipped one needs.
  - Works against both REST API generations; on v1.0 devices (firmware 7.00A and older) the
    statistics come from C(/performanceMonitoring) and TLS contexts are not available.
author:
  - audiocodes.mediant contributors (@audiocodes-mediant)
extends_documentation_fragment:
  - audiocodes.mediant.connection
  - audiocodes.mediant.attributes
  - audiocodes.mediant.attributes.facts
  - audiocodes.mediant.attributes.info_module
  - audiocodes.mediant.attributes.idempotent_not_modify_state
options:
  gather_subset:
    description:
      - What to read. V(all) is every subset; V(min) is the minimum, V(status), which is always
        read. Prefix a subset with V(!) to leave it out, for example V(!config); a list of only
        exclusions reads everything else, and V(!all) reads just V(min).
      - V(status) (Monitor) - firmware version, product, serial number, HA state, uptime, and
        whether the configuration needs saving or a reset, plus the REST API generation.
      - V(license) (Administrator) - license serial number and key description.
      - V(alarms) (Monitor) - every active alarm (all pages) with severity, source and date.
      - V(tls) (Security Administrator, v7.4 API only) - TLS contexts with the certificate's
        subject, issuer, expiry date and days left, and the private key's size and validity.
      - V(files) (Administrator) - the files the device offers under C(/files).
      - V(kpi) (Monitor) - global SBC call statistics (C(/kpi/current/sbc/callStats/global)),
        or the performance monitors of a v1.0 device, as numbers in C(kpi.counters) (firmware
        7.40A sends numbers, 7.20A numbers in strings; both become numbers).
      - V(config) (Security Administrator) - the configuration as INI file and/or CLI script
        text, see O(config_formats).
    type: list
    elements: str
    default: [min]
  config_formats:
    description:
      - Which configuration texts the V(config) subset reads.
    type: list
    elements: str
    choices: [ini, cli]
    default: [ini]
  include_license_key:
    description:
      - Also return the raw license key in C(license.key). The key is left out by default, as it is
        a credential for the device's features.
    type: bool
    default: false
requirements:
  - cryptography >= 3.4 (for the V(tls) subset)
notes:
  - The user needs the privilege level each subset names; see O(gather_subset).
seealso:
  - name: AudioCodes REST API for devices (v7.4)
    description: The vendor's developer guide, LTRT-41768.
    link: https://www.audiocodes.com/library/technical-documents
"""

EXAMPLES = r"""
- name: Read the status (the minimum)
  audiocodes.mediant.mediant_facts:
    host: sbc1.example.com
    username: Admin
    password: "{{ vault_mediant_password }}"

- name: Read status, alarms and call statistics as a Monitor user, with defaults for the whole group
  module_defaults:
    group/audiocodes.mediant.mediant:
      username: Monitor
      password: "{{ vault_monitor_password }}"
      ca_path: files/company-ca.pem
  audiocodes.mediant.mediant_facts:
    gather_subset:
      - alarms
      - kpi

- name: Report certificates that expire within 30 days
  ansible.builtin.debug:
    msg: "{{ item.name }} expires {{ item.certificate.not_after }}"
  loop: "{{ ansible_facts.mediant.tls | default([]) }}"
  when: item.certificate and item.certificate.days_left < 30

- name: Read the call statistics
  audiocodes.mediant.mediant_facts:
    gather_subset: kpi

- name: Warn when calls end abnormally
  ansible.builtin.debug:
    msg: "{{ ansible_facts.mediant.kpi.counters.abnormalTerminatedCallsInTotal }} calls ended abnormally since the last boot"
  when: ansible_facts.mediant.kpi.counters.abnormalTerminatedCallsInTotal | default(0) > 100

- name: Read the configuration as INI file and CLI script text
  audiocodes.mediant.mediant_facts:
    gather_subset: config
    config_formats: [ini, cli]

- name: Save the CLI script on the controller
  ansible.builtin.copy:
    content: "{{ ansible_facts.mediant.config.cli }}"
    dest: "configs/{{ inventory_hostname }}.cli"
    mode: "0600"
  delegate_to: localhost
"""

RETURN = r"""
ansible_facts:
  description: Facts about the device, under the key C(mediant).
  returned: always
  type: dict
  contains:
    mediant:
      description: What the device reported, one key per subset read.
      returned: always
      type: dict
      contains:
        gathered_subsets:
          description: The subsets read successfully.
          returned: always
          type: list
          elements: str
          sample: [alarms, status]
        skipped_subsets:
          description: Subsets requested but not read, with the reason (privilege level, API generation).
          returned: always
          type: dict
          sample: {license: "user 'Monitor' lacks the Administrator privilege level"}
        api_version:
          description: REST API generation of the device, V(7.4) or V(1.0).
          returned: always
          type: str
          sample: "7.4"
        status:
          description: Device status.
          returned: when the status subset was read
          type: dict
          sample:
            version: 7.40A.500.010
            product: Mediant VE SBC
            serial: "101780235059663"
            ha_state: Not Operational
            uptime: 161446
            operational_state: UNLOCKED
            ip_address: 10.4.219.229
            mac_address: fa163e6e7e1d
            save_needed: false
            reset_needed: false
            api_version: "7.4"
            os_type: Linux
            accelerated_networking: false
            ha:
              mode: stand_alone
              state: stand_alone
              operational: false
              synchronized: false
              active_serial: null
          contains:
            ha_state:
              description:
                - The device's C(highAvailability) text as it reports it.
                - V(Not Operational) (v7.4) or V(Stand Alone) (v1.0) on a device without an HA
                  partner; V(Operational), V(Synchronizing) or V(Redundant Not Available) on an HA
                  pair (see the collection's docs/ha.md).
              type: str
            ha:
              description:
                - What the status tells about high availability, in the collection's words.
              type: dict
              contains:
                mode:
                  description: V(stand_alone), or V(pair) for two units behind one address.
                  type: str
                state:
                  description:
                    - V(stand_alone); for a pair V(operational) (both units up and synchronized),
                      V(synchronizing) (the redundant unit is receiving the active's state; writes
                      are refused with HTTP 409 meanwhile), V(redundant_not_available) (the active
                      unit runs alone), or V(unknown) for a text the collection does not know.
                  type: str
                operational:
                  description: The pair can lose a unit without losing service. Always V(false) on a stand-alone device.
                  type: bool
                synchronized:
                  description: The redundant unit holds the active unit's current state.
                  type: bool
                active_serial:
                  description: Serial number of the unit serving the pair's address; V(null) on a stand-alone device.
                  type: str
        license:
          description: License serial number and description; C(key) only with O(include_license_key=true).
          returned: when the license subset was read
          type: dict
          sample:
            serial: "101780235059663"
            license_version: 1
            key_description: "Key features: Board Type: Mediant VE SBC ..."
        alarms:
          description: Active alarms, all pages.
          returned: when the alarms subset was read
          type: list
          elements: dict
          sample:
            - id: "1"
              description: License key is missing
              severity: Critical
              source: Board#1
              date: "2024-03-01T23:00:00.000Z"
        tls:
          description: TLS contexts (v7.4 API).
          returned: when the tls subset was read
          type: list
          elements: dict
          sample:
            - id: "0"
              name: default
              certificate:
                subject: CN=sbc1.example.com
                subject_fields: {common_name: sbc1.example.com}
                subject_alt_names: ["DNS:sbc1.example.com"]
                issuer: CN=sbc1.example.com
                not_before: "2024-01-01T00:00:00+00:00"
                not_after: "2026-01-01T00:00:00+00:00"
                days_left: 400
                serial: "1234"
                fingerprint: "AB:CD:..."
                self_signed: true
                public_key_size: 2048
              private_key:
                size: 2048
                valid: true
        files:
          description: The files the device offers, as listed by C(/files).
          returned: when the files subset was read
          type: list
          elements: dict
          sample: [{id: ini, description: INI configuration file, url: /api/v1/files/ini}]
        kpi:
          description:
            - Call statistics; C(counters) maps each statistic to its current value, a number
              (a value that is not a number is kept as the device sent it).
            - C(counters) replaces the C(values) of earlier versions, a name Jinja2 resolves to
              the dictionary method.
          returned: when the kpi subset was read
          type: dict
          sample:
            source: kpi/current/sbc/callStats/global
            counters: {activeCallsIn: 12, activeCallsOut: 9, attemptedCallsInTotal: 48211}
        config:
          description: Configuration texts, C(ini) and/or C(cli) after O(config_formats).
          returned: when the config subset was read
          type: dict
          sample: {ini: ";** Ini File **\n[SYSTEM Params]\n..."}
"""


import re

from ansible_collections.audiocodes.mediant.plugins.module_utils.common import MediantModule
from ansible_collections.audiocodes.mediant.plugins.module_utils.errors import InputError
from ansible_collections.audiocodes.mediant.plugins.module_utils.rest import MediantError, required_privilege
from ansible_collections.audiocodes.mediant.plugins.module_utils.status import status_facts

SUBSETS = ("status", "license", "alarms", "tls", "files", "kpi", "config")
MIN_SUBSETS = ("status",)

KPI_GLOBAL_PATH = "kpi/current/sbc/callStats/global"


class SubsetUnavailable(Exception):
    """The subset cannot be read on this device (API generation, missing library)."""


def resolve_subsets(requested):
    """The set of subsets to read for a gather_subset list (raises ValueError on unknown names)."""
    include, exclude = set(), set()
    for entry in requested:
        name = str(entry).strip()
        negate = name.startswith("!")
        name = name[1:] if negate else name
        if name == "all":
            names = set(SUBSETS)
        elif name == "min":
            names = set(MIN_SUBSETS)
        elif name in SUBSETS:
            names = {name}
        else:
            raise ValueError("gather_subset: unknown subset {0!r}; choose from all, min, {1} (prefix ! to exclude)".format(
                name, ", ".join(SUBSETS)))
        (exclude if negate else include).update(names)
    if not include:  # only exclusions: everything else
        include = set(SUBSETS)
    return (include - exclude) | set(MIN_SUBSETS)


def gather_status(client, module):
    del module
    facts = status_facts(client.get_json("status"))
    facts["api_version"] = client.api_version
    return facts


def gather_license(client, module):
    body = client.get_json("license") or {}
    facts = {
        "serial": body.get("serialNumber"),
        "license_version": body.get("licenseVersion"),
        "key_description": body.get("keyDescription"),
    }
    if module.params["include_license_key"]:
        facts["key"] = body.get("key")
    return facts


def gather_alarms(client, module):
    del module
    alarms = []
    for summary in client.paginate("alarms/active", "alarms"):
        try:
            detail = client.get_json("alarms/active/{0}".format(summary["id"])) or {}
        except MediantError as err:
            if err.status != 404:  # cleared between the listing and this request
                raise
            continue
        alarms.append({key: detail.get(key, summary.get(key)) for key in ("id", "description", "severity", "source", "date")})
    return alarms


def gather_tls(client, module):
    if client.api_version == "1.0":
        raise SubsetUnavailable("TLS contexts are not available in REST API v1.0 (firmware 7.00A and older)")
    # Certificate parsing imports cryptography (30-90 ms): only the tls subset pays for it.
    # pylint: disable-next=import-outside-toplevel
    from ansible_collections.audiocodes.mediant.plugins.module_utils import certificates, tls_context

    if not certificates.HAS_CRYPTOGRAPHY:
        raise SubsetUnavailable(certificates.MISSING_CRYPTOGRAPHY_MSG)
    contexts = []
    for context in tls_context.list_contexts(client):
        tls = tls_context.TlsContext(client, context["id"])
        entry = {"id": str(context["id"]), "name": context.get("name"), "certificate": None, "private_key": None}
        try:
            certificate = tls.certificate(missing_ok=True)
        except tls_context.UnreadableFile as err:
            module.warn(str(err))
        else:
            entry["certificate"] = certificates.certificate_info(certificate) if certificate is not None else None
        entry["private_key"] = tls.key_status(missing_ok=True)
        contexts.append(entry)
    return contexts


def gather_files(client, module):
    del module
    return (client.get_json("files") or {}).get("files", [])


def kpi_number(value):
    """A KPI value as a number: 7.40A devices send JSON numbers, 7.20A devices numbers in strings
    ("5"); anything else (null, text) is kept as sent."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return value
    if isinstance(value, str) and re.match(r"^\s*-?\d+(\.\d+)?\s*$", value):
        number = float(value)
        return int(number) if "." not in value else number
    return value


def gather_kpi(client, module):
    del module
    if client.api_version == "1.0":
        counters = {}
        for name in (client.get_json("performanceMonitoring") or {}).get("items", []):
            try:
                sample = client.get_json("performanceMonitoring/{0}".format(name), params={"index": 0}) or {}
            except MediantError as err:
                if err.status not in (400, 404):  # this monitor has no index 0
                    raise
                continue
            counters[name] = kpi_number(sample.get("value"))
        return {"source": "performanceMonitoring", "counters": counters}
    items = client.paginate(KPI_GLOBAL_PATH, "items", params={"detailed": "false"})
    return {"source": KPI_GLOBAL_PATH, "counters": {item["id"]: kpi_number(item.get("value")) for item in items if "id" in item}}


def gather_config(client, module):
    texts = {}
    for config_format in module.params["config_formats"]:
        texts[config_format] = client.get_text("files/ini" if config_format == "ini" else "files/cliScript")
    return texts


GATHERERS = {
    "status": gather_status,
    "license": gather_license,
    "alarms": gather_alarms,
    "tls": gather_tls,
    "files": gather_files,
    "kpi": gather_kpi,
    "config": gather_config,
}


def gather(module):
    try:
        subsets = resolve_subsets(module.params["gather_subset"])
    except ValueError as err:
        raise InputError(str(err), option="gather_subset") from None
    explicitly_named = {str(entry).strip().lstrip("!") for entry in module.params["gather_subset"]}
    client = module.client()
    # The status subset comes first and always: its answer tells the client the API generation,
    # so api_version is asked of the client after the subsets, never before (no GET /api/v1).
    facts = {"api_version": None, "gathered_subsets": [], "skipped_subsets": {}}
    for name in SUBSETS:
        if name not in subsets:
            continue
        try:
            facts[name] = GATHERERS[name](client, module)
        except SubsetUnavailable as err:
            facts["skipped_subsets"][name] = str(err)
            if name in explicitly_named:
                module.warn("Subset {0} skipped: {1}".format(name, err))
            continue
        except MediantError as err:
            if err.status not in (403, 405):
                raise
            level = required_privilege(err.method or "GET", err.path or "", client.api_version)
            reason = "user '{0}' lacks the {1} privilege level".format(module.params["username"], level or "required")
            facts["skipped_subsets"][name] = reason
            module.warn("Subset {0} skipped: {1} it needs (HTTP {2}).".format(name, reason, err.status))
            continue
        facts["gathered_subsets"].append(name)
    facts["api_version"] = client.api_version
    return {"changed": False, "ansible_facts": {"mediant": facts}}


def main():
    module = MediantModule(
        argument_spec=dict(
            gather_subset=dict(type="list", elements="str", default=["min"]),
            config_formats=dict(type="list", elements="str", choices=["ini", "cli"], default=["ini"]),
            include_license_key=dict(type="bool", default=False, no_log=False),
        ),
        supports_check_mode=True,
    )
    module.run(gather)


if __name__ == "__main__":
    main()
