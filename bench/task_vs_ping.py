# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""One no-op mediant_ini task versus one ansible.builtin.ping task on the same simulated hosts.

ping is Ansible's floor for a task that runs a module: what a module task costs before it does
any work. A: one audiocodes.mediant.mediant_ini task (3 parameters, already set) on every host;
B: one ansible.builtin.ping task on the same hosts (connection local, as the mediant tasks);
C: one ansible.builtin.set_fact task, which runs no module process: the floor of a task whose
work runs in its action plugin on the controller.
Interleaved A, B, C, A, B, C, ...; printed: the medians of per-round wall-time ratios A/B and C/B.
Goal (issue 9): A/B <= 1.3.

Usage:  .venv/bin/python bench/task_vs_ping.py [--devices 50] [--forks 10] [--pairs 5]
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from playbench import (  # noqa: E402  pylint: disable=wrong-import-position
    against, fleet_arguments, report, run_playbook, simulated_fleet, write,
)

GOAL = 1.3

INI_PLAYBOOK = """\
- name: One mediant_ini task
  hosts: mediant
  gather_facts: false
  tasks:
    - name: Syslog parameters
      audiocodes.mediant.mediant_ini:
        parameters:
          EnableSyslog: 1
          SyslogServerIP: 10.1.1.20
          SyslogServerPort: 5514
"""

PING_PLAYBOOK = """\
- name: One ping task
  hosts: mediant
  gather_facts: false
  tasks:
    - name: Ping
      ansible.builtin.ping:
"""

NO_MODULE_PLAYBOOK = """\
- name: One task without a module process
  hosts: mediant
  gather_facts: false
  tasks:
    - name: Set a fact
      ansible.builtin.set_fact:
        checked: true
"""


def main():
    args = fleet_arguments(__doc__, devices=50, pairs=5, prefix="127.0.31")
    with simulated_fleet(args, "ping") as (work, inventory):
        ini = write(work / "ini.yml", INI_PLAYBOOK)
        ping = write(work / "ping.yml", PING_PLAYBOOK)
        no_module = write(work / "set_fact.yml", NO_MODULE_PLAYBOOK)
        run_playbook(ini, inventory, args.forks, expect_changed=True)
        results = against("ping", lambda: run_playbook(ping, inventory, args.forks),
                          [("mediant_ini", lambda: run_playbook(ini, inventory, args.forks)),
                           ("set_fact", lambda: run_playbook(no_module, inventory, args.forks))], args.pairs)
    for result in results.values():
        result.update(devices=args.devices, forks=args.forks)
    report("one task: mediant_ini / ansible.builtin.ping, and set_fact (no module process) / ping", results,
           goal="mediant_ini ratio_median <= {0}".format(GOAL))
    return 0


if __name__ == "__main__":
    sys.exit(main())
