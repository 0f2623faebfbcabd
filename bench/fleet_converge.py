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

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from playbench import (  # noqa: E402  pylint: disable=wrong-import-position
    URI_PLAY_HEAD, fleet_arguments, paired, report, run_playbook, simulated_fleet, write,
)

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

URI_PLAYBOOK = URI_PLAY_HEAD.format(name="Converge with ansible.builtin.uri") + """\
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
    args = fleet_arguments(__doc__, devices=50, pairs=5, prefix="127.0.30")
    with simulated_fleet(args, "converge") as (work, inventory):
        collection = write(work / "collection.yml", COLLECTION_PLAYBOOK)
        uri = write(work / "uri.yml", URI_PLAYBOOK)
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
