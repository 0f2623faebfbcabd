# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""mediant_facts from a simulated fleet versus the same reads with ansible.builtin.uri.

Two comparisons on the same devices (default 100), --forks 10, interleaved A, B, A, B, ...;
printed for each: the median of per-pair wall-time ratios A/B.
- default subset: mediant_facts with no options (status) / one uri GET of /api/v1/status;
- wide subset: mediant_facts gather_subset [status, license, alarms, tls, files, kpi] / the uri
  tasks reading the same resources (status, license, active alarms, TLS contexts with each
  context's certificate and private key status, files, call statistics). The uri side does not
  parse certificates (it has no way to); the collection reports subject, expiry and days left.

Usage:  .venv/bin/python bench/facts_fleet.py [--devices 100] [--forks 10] [--pairs 3]
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from playbench import (  # noqa: E402  pylint: disable=wrong-import-position
    URI_PLAY_HEAD, fleet_arguments, paired, report, run_playbook, simulated_fleet, write,
)

WIDE = ["status", "license", "alarms", "tls", "files", "kpi"]

FACTS_PLAYBOOK = """\
- name: Facts with the collection
  hosts: mediant
  gather_facts: false
  tasks:
    - name: Gather
      audiocodes.mediant.mediant_facts:
        gather_subset: {subsets}
"""

URI_HEAD = URI_PLAY_HEAD.format(name="Facts with ansible.builtin.uri") + """\
    - name: Status
      ansible.builtin.uri:
        url: "{{ api }}/status"
      register: status
"""

URI_WIDE = """\
    - name: License
      ansible.builtin.uri:
        url: "{{ api }}/license"
      register: license

    - name: Active alarms
      ansible.builtin.uri:
        url: "{{ api }}/alarms/active"
        status_code: [200, 204]
      register: alarms

    - name: Each active alarm
      ansible.builtin.uri:
        url: "{{ api }}/alarms/active/{{ item.id }}"
      loop: "{{ (alarms.json | default({})).alarms | default([]) }}"
      register: alarm_details

    - name: TLS contexts
      ansible.builtin.uri:
        url: "{{ api }}/files/tls"
      register: tls

    - name: Each context's certificate
      ansible.builtin.uri:
        url: "{{ api }}/files/tls/{{ item.id }}/certificate"
      loop: "{{ tls.json.tls }}"
      register: certificates

    - name: Each context's private key status
      ansible.builtin.uri:
        url: "{{ api }}/files/tls/{{ item.id }}/privateKey"
      loop: "{{ tls.json.tls }}"
      register: private_keys

    - name: Files
      ansible.builtin.uri:
        url: "{{ api }}/files"
      register: files

    - name: Call statistics
      ansible.builtin.uri:
        url: "{{ api }}/kpi/current/sbc/callStats/global?detailed=false"
      register: kpi
"""

URI_TAIL = """\
    - name: Keep what was read as facts
      ansible.builtin.set_fact:
        mediant_status: "{{ status.json }}"
"""


def main():
    args = fleet_arguments(__doc__, devices=100, pairs=3, prefix="127.0.32")
    results = {}
    with simulated_fleet(args, "facts") as (work, inventory):
        cases = {
            "default": (FACTS_PLAYBOOK.format(subsets="[min]"), URI_HEAD + URI_TAIL),
            "wide": (FACTS_PLAYBOOK.format(subsets="[" + ", ".join(WIDE) + "]"), URI_HEAD + URI_WIDE + URI_TAIL),
        }
        for name, (facts_text, uri_text) in cases.items():
            facts = write(work / ("facts-%s.yml" % name), facts_text)
            uri = write(work / ("uri-%s.yml" % name), uri_text)
            run_playbook(facts, inventory, args.forks)
            run_playbook(uri, inventory, args.forks)
            print("subset %s:" % name, file=sys.stderr)
            results[name] = paired("mediant_facts", lambda path=facts: run_playbook(path, inventory, args.forks),
                                   "uri", lambda path=uri: run_playbook(path, inventory, args.forks), args.pairs)
            results[name].update(devices=args.devices, forks=args.forks)
    report("facts from a fleet: mediant_facts / uri", results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
