# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""No-op converge of a simulated fleet: the collection's modules versus a hand-written `uri` playbook.

A: audiocodes.mediant.mediant_ini (3 parameters + 1 table row), mediant_cli (2 lines) and
   mediant_facts (default subset), on devices that already hold that configuration.
B: what a user would write instead with ansible.builtin.uri, just as idempotent: read the INI
   file and the CLI running configuration, compare, send only on a difference (the PUT tasks are
   there and skipped), read the status.

Both run against the same simulated devices (started here, HTTPS with their certificates
verified), --forks 10, interleaved A, B, A, B, ...; printed: the median of per-pair wall-time
ratios A/B. Goal (issue 9): <= 0.4. Each run must change nothing and fail nowhere.

Usage:  .venv/bin/python bench/fleet_converge.py [--devices 50] [--forks 10] [--pairs 5]
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from playbench import paired, report, run_playbook, write  # noqa: E402  pylint: disable=wrong-import-position
from simfleet import SimulatedFleet, loopback_devices  # noqa: E402  pylint: disable=wrong-import-position

GOAL = 0.4

COLLECTION_PLAYBOOK = """\
- name: Converge with the collection
  hosts: mediant
  gather_facts: false
  tasks:
    - name: Syslog parameters and the ITSP proxy set
      audiocodes.mediant.mediant_ini:
        parameters:
          EnableSyslog: 1
          SyslogServerIP: 10.1.1.20
          SyslogServerPort: 5514
        tables:
          ProxySet:
            - ProxyName: ITSP
              SRDName: DefaultSRD
              ProxyKeepAliveTime: 30

    - name: NTP server
      audiocodes.mediant.mediant_cli:
        parents: [configure system, ntp]
        lines:
          - primary-server "pool.ntp.org"
          - update-interval 3600

    - name: Device status
      audiocodes.mediant.mediant_facts:
"""

URI_PLAYBOOK = """\
- name: Converge with ansible.builtin.uri
  hosts: mediant
  gather_facts: false
  module_defaults:
    ansible.builtin.uri:
      url_username: "{{ mediant_username }}"
      url_password: "{{ mediant_password }}"
      force_basic_auth: true
      ca_path: "{{ mediant_ca_path }}"
      return_content: true
  vars:
    api: "https://{{ mediant_host }}:{{ mediant_port }}/api/v1"
  tasks:
    - name: Read the INI file
      ansible.builtin.uri:
        url: "{{ api }}/files/ini"
      register: ini

    - name: Compare the syslog parameters and the ITSP proxy set
      ansible.builtin.set_fact:
        ini_ok: >-
          {{ ini.content is regex('(?m)^EnableSyslog = 1\\s*$')
             and ini.content is regex('(?m)^SyslogServerIP = 10\\.1\\.1\\.20\\s*$')
             and ini.content is regex('(?m)^SyslogServerPort = 5514\\s*$')
             and ini.content is regex('(?m)^ProxySet \\d+ = "ITSP", .*, 30, .*"DefaultSRD"') }}

    - name: Send the INI difference
      ansible.builtin.uri:
        url: "{{ api }}/files/ini/incremental"
        method: PUT
        body_format: form-multipart
        body:
          file:
            filename: incremental.ini
            content: |
              [SYSTEM Params]
              EnableSyslog = 1
              SyslogServerIP = 10.1.1.20
              SyslogServerPort = 5514
              [ ProxySet ]
              FORMAT Index = ProxyName, SRDName, ProxyKeepAliveTime;
              ProxySet 1 = "ITSP", "DefaultSRD", 30;
              [ \\ProxySet ]
      changed_when: true
      when: not ini_ok | bool

    - name: Read the running configuration
      ansible.builtin.uri:
        url: "{{ api }}/files/cliScript"
      register: cli

    - name: Send the NTP lines
      ansible.builtin.uri:
        url: "{{ api }}/files/cliScript/incremental"
        method: PUT
        body_format: form-multipart
        body:
          file:
            filename: cli.txt
            content: |
              configure system
               ntp
                primary-server "pool.ntp.org"
                update-interval 3600
                activate
               exit
              exit
      changed_when: true
      when: >-
        not (cli.content is regex('(?m)^ ntp\\n(  .*\\n)*  primary-server "pool\\.ntp\\.org"$')
             and cli.content is regex('(?m)^ ntp\\n(  .*\\n)*  update-interval 3600$'))

    - name: Read the status
      ansible.builtin.uri:
        url: "{{ api }}/status"
      register: status

    - name: Keep the status as a fact
      ansible.builtin.set_fact:
        mediant_status: "{{ status.json }}"
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--devices", type=int, default=50)
    parser.add_argument("--forks", type=int, default=10)
    parser.add_argument("--pairs", type=int, default=5)
    parser.add_argument("--prefix", default="127.0.30", help="the devices' loopback addresses: PREFIX.1, PREFIX.2, ... (default 127.0.30)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-converge-") as work, \
            SimulatedFleet(loopback_devices(args.devices, prefix=args.prefix), workdir=Path(work) / "sim") as fleet:
        inventory = fleet.inventory(Path(work) / "inventory.yml")
        collection = write(Path(work) / "collection.yml", COLLECTION_PLAYBOOK)
        uri = write(Path(work) / "uri.yml", URI_PLAYBOOK)
        # The devices are factory-fresh: configure them once; then both playbooks must be no-ops.
        run_playbook(collection, inventory, args.forks, expect_changed=True)
        run_playbook(collection, inventory, args.forks)
        run_playbook(uri, inventory, args.forks)
        result = paired("collection", lambda: run_playbook(collection, inventory, args.forks),
                        "uri", lambda: run_playbook(uri, inventory, args.forks), args.pairs)
    result.update(devices=args.devices, forks=args.forks)
    report("no-op converge: collection (mediant_ini + mediant_cli + mediant_facts) / uri playbook", result,
           goal="ratio_median <= {0}".format(GOAL))
    return 0


if __name__ == "__main__":
    sys.exit(main())
