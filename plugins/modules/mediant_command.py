#!/usr/bin/python
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

DOCUMENTATION = r"""
module: mediant_command
short_description: Run show commands on an AudioCodes Mediant device
version_added: 0.1.0
description:
  - Runs CLI C(show) commands on the device through its incremental CLI script resource
    (C(PUT /api/v1/files/cliScript/incremental)) and returns the output of each command.
  - Each command runs as its own one-line script, because the device prints the outputs of a
    script one after the other without the commands, so they could not be told apart.
  - Can wait until the output satisfies conditions (O(wait_for)), running the commands again
    up to O(retries) times, like C(cisco.ios.ios_command).
  - Only C(show) commands are accepted; anything else (C(configure ...), C(copy ...),
    C(reload ...)) is refused before anything is sent. Use M(audiocodes.mediant.mediant_cli) to
    change the configuration. The module never reports a change.
author:
  - audiocodes.mediant contributors (@audiocodes-mediant)
extends_documentation_fragment:
  - audiocodes.mediant.connection
  - audiocodes.mediant.attributes
  - audiocodes.mediant.attributes.INFO_MODULE
  - audiocodes.mediant.attributes.IDEMPOTENT_NOT_MODIFY_STATE
options:
  commands:
    description:
      - The C(show) commands to run, in order, for example V(show system version).
      - Each must start with the word C(show); the module refuses the task otherwise and names
        the command.
    type: list
    elements: str
    required: true
  wait_for:
    description:
      - Conditions the output must satisfy before the module returns; each is
        V(result[N] <operator> <value>), where V(result[N]) is the output of the N-th command
        (from 0).
      - Operators - V(contains), V(not contains), V(matches) (a Python regular expression
        searched in the output), V(==) or V(eq), V(!=) or V(neq), V(>) or V(gt), V(>=) or V(ge),
        V(<) or V(lt), V(<=) or V(le). The comparisons compare numbers when both sides are
        numbers, text otherwise; the value may be quoted.
      - When conditions are not satisfied the commands run again, up to O(retries) times, every
        O(interval) seconds; then the module fails naming the conditions not satisfied.
    type: list
    elements: str
    aliases: [waitfor]
  match:
    description:
      - V(all) every condition in O(wait_for) must be satisfied; V(any) one is enough.
    type: str
    choices: [all, any]
    default: all
  retries:
    description:
      - How many times to run the commands at most while O(wait_for) is not satisfied.
    type: int
    default: 10
  interval:
    description:
      - Seconds to wait between two runs of the commands.
    type: int
    default: 1
notes:
  - Needs a user with the Security Administrator level (the device's C(files/cliScript) resources).
  - The commands run in check mode too; they do not change the device.
seealso:
  - module: audiocodes.mediant.mediant_cli
  - module: audiocodes.mediant.mediant_facts
"""

EXAMPLES = r"""
- name: Show the version and the running configuration of the VoIP block
  audiocodes.mediant.mediant_command:
    commands:
      - show system version
      - show running-config voip
  register: shown

- name: Print the version output line by line
  ansible.builtin.debug:
    var: shown.stdout_lines[0]

- name: Wait until the device runs the expected firmware
  audiocodes.mediant.mediant_command:
    commands:
      - show system version
    wait_for:
      - result[0] contains 7.40A
    retries: 30
    interval: 10
"""

RETURN = r"""
stdout:
  description: The output of each command, in the order of O(commands).
  returned: always
  type: list
  elements: str
  sample: ["Version info:\n ;Board: Mediant VE SBC\n ..."]
stdout_lines:
  description: The same output, each split into lines.
  returned: always
  type: list
  elements: list
  sample: [["Version info:", " ;Board: Mediant VE SBC"]]
attempts:
  description: How many times the commands ran (more than 1 only while waiting for O(wait_for)).
  returned: always
  type: int
  sample: 1
failed_conditions:
  description: The O(wait_for) conditions still not satisfied when the module gave up.
  returned: failed
  type: list
  elements: str
"""

import re
import time

from ansible_collections.audiocodes.mediant.plugins.module_utils.common import MediantModule, run_cli_script

ALLOWED_FIRST_WORDS = ("show",)

ARGUMENT_SPEC = dict(
    commands=dict(type="list", elements="str", required=True),
    wait_for=dict(type="list", elements="str", aliases=["waitfor"]),
    match=dict(type="str", choices=["all", "any"], default="all"),
    retries=dict(type="int", default=10),
    interval=dict(type="int", default=1),
)

# longest operators first so that ">=" is not read as ">"
_CONDITION = re.compile(r"^\s*result\[(\d+)\]\s+(not contains|contains|matches|==|!=|>=|<=|>|<|eq|neq|ne|gt|ge|lt|le)(?:\s+(.*?))?\s*$")
_ALIASES = {"eq": "==", "neq": "!=", "ne": "!=", "gt": ">", "ge": ">=", "lt": "<", "le": "<="}


class Condition:
    """One ``result[N] <operator> <value>`` test of the commands' output."""

    def __init__(self, text, command_count):
        match = _CONDITION.match(text)
        if not match:
            raise ValueError("wait_for: cannot read {0!r}; write result[N] <operator> <value>, for example "
                             "'result[0] contains 7.40A'".format(text))
        self.text = text
        self.index = int(match.group(1))
        self.operator = _ALIASES.get(match.group(2), match.group(2))
        self.value = _unquote(match.group(3) or "")
        if self.index >= command_count:
            raise ValueError("wait_for: {0!r} refers to result[{1}], but there is no such command: results count "
                             "from 0 and there are {2} commands".format(text, self.index, command_count))
        if self.operator == "matches":
            try:
                self.pattern = re.compile(self.value, re.MULTILINE)
            except re.error as err:
                raise ValueError("wait_for: {0!r}: invalid regular expression: {1}".format(text, err)) from None

    def holds(self, outputs):
        output = outputs[self.index]
        if self.operator == "contains":
            return self.value in output
        if self.operator == "not contains":
            return self.value not in output
        if self.operator == "matches":
            return self.pattern.search(output) is not None
        left, right = _comparable(output.strip(), self.value)
        if self.operator == "==":
            return left == right
        if self.operator == "!=":
            return left != right
        if type(left) is not type(right):
            return False  # an order between a number and a text means nothing
        return {">": left > right, ">=": left >= right, "<": left < right, "<=": left <= right}[self.operator]


def _unquote(value):
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value


def _comparable(left, right):
    try:
        return float(left), float(right)
    except ValueError:
        return left, right


def refuse_non_show(module, commands):
    for command in commands:
        words = command.split()
        if not words or words[0].lower() not in ALLOWED_FIRST_WORDS:
            module.fail_json(msg="mediant_command runs show commands only; refused {0!r} (nothing was sent). "
                                 "Use audiocodes.mediant.mediant_cli to change the configuration.".format(command))


def run_command(module, client, command):
    """The output of one show command, run as a one-line incremental script."""
    run = run_cli_script(client, [command])
    if run.status is not None:
        reason = run.failure.reason if run.failure is not None else (run.description or "no reason given")
        module.fail_json(msg="The device refused command {0!r}: {1}".format(command, reason), output=run.output, status=run.status)
    if run.failure is not None:
        module.fail_json(msg="The device refused command {0!r}: {1}".format(command, run.failure.reason), output=run.output)
    return run.output


def run_commands(module, client, commands):
    # One request per command: the device prints the outputs of a script back to back, without
    # the commands, so only this way is each output known to belong to its command.
    return [run_command(module, client, command) for command in commands]


def run(module):
    params = module.params
    commands = [command.strip() for command in params["commands"] if command.strip()]
    if not commands:
        module.fail_json(msg="commands: give at least one show command")
    refuse_non_show(module, commands)
    if params["retries"] < 1:
        module.fail_json(msg="retries must be 1 or more, got {0}".format(params["retries"]))
    if params["interval"] < 0:
        module.fail_json(msg="interval must be 0 or more, got {0}".format(params["interval"]))
    try:
        conditions = [Condition(text, len(commands)) for text in params["wait_for"] or []]
    except ValueError as err:
        module.fail_json(msg=str(err))

    client = module.client()
    attempts = 0
    while True:
        attempts += 1
        outputs = run_commands(module, client, commands)
        failed = [condition.text for condition in conditions if not condition.holds(outputs)]
        satisfied = not failed if params["match"] == "all" else len(failed) < len(conditions)
        if not conditions or satisfied:
            break
        if attempts >= params["retries"]:
            module.fail_json(msg="wait_for: conditions not satisfied after {0} attempts: {1}".format(attempts, "; ".join(failed)),
                             failed_conditions=failed, stdout=outputs, stdout_lines=[text.splitlines() for text in outputs],
                             attempts=attempts, changed=False)
        time.sleep(params["interval"])
    return dict(changed=False, stdout=outputs, stdout_lines=[text.splitlines() for text in outputs], attempts=attempts)


def main():
    module = MediantModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    module.run(run)


if __name__ == "__main__":
    main()
