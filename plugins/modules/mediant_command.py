#!/usr/bin/python
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

DOCUMENTATION = r"""
module: mediant_command
short_description: Run show (and, when allowed, other) CLI commands on an AudioCodes Mediant device
version_added: 0.1.0
description:
  - Runs CLI C(show) commands on the device through its incremental CLI script resource
    (C(PUT /api/v1/files/cliScript/incremental)) and returns the output of each command.
  - Each command runs as its own one-line script, because the device prints the outputs of a
    script one after the other without the commands, so they could not be told apart.
  - Can wait until the output satisfies conditions (O(wait_for)), running the commands again
    up to O(retries) times, like C(cisco.ios.ios_command).
  - By default only C(show) commands (also as C(do show ...)) are accepted; anything else
    (C(configure ...), C(clear ...), C(write)) is refused before anything is sent, naming the
    command, unless O(allow_changes=true). Use M(audiocodes.mediant.mediant_cli) to change the
    configuration idempotently.
  - Show commands never report a change; a task that runs another command (with
    O(allow_changes=true)) always does.
author:
  - audiocodes.mediant contributors (@audiocodes-mediant)
extends_documentation_fragment:
  - audiocodes.mediant.connection
  - audiocodes.mediant.attributes
attributes:
  check_mode:
    support: full
    details:
      - Show commands run in check mode too; they do not change the device.
      - When a command is not a show command, nothing at all is sent in check mode; the task
        reports a change with empty RV(stdout).
  diff_mode:
    support: none
  idempotent:
    support: partial
    details:
      - Show commands do not change the device. Other commands (O(allow_changes=true)) run on
        every run and report a change.
options:
  commands:
    description:
      - The commands to run, in order, for example V(show system version).
      - Each is one line - a line break or other control character, or a quoted word the line
        does not close, is refused before anything is sent (a line break would hide a second
        command).
      - Each must start with the word C(show) (or C(do show)) unless O(allow_changes=true); the
        module refuses the task otherwise and names the command.
      - Each command runs as its own script, from the CLI's top level, so a command that enters
        a mode (C(configure voip)) does not carry over to the next one.
    type: list
    elements: str
    required: true
  allow_changes:
    description:
      - Allow commands other than C(show), which may change the device (for example
        C(clear alarms-history) or C(write)).
      - Such a task always reports a change, sends nothing in check mode, and cannot be combined
        with O(wait_for) (which runs the commands again).
    type: bool
    default: false
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
  description:
    - The output of each command, in the order of O(commands).
    - Empty in check mode when a command is not a show command (nothing runs then).
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
  description:
    - How many times the commands ran (more than 1 only while waiting for O(wait_for)); V(0) when
      nothing ran (check mode with a command that is not a show command).
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

from ansible_collections.audiocodes.mediant.plugins.module_utils.common import MediantModule
from ansible_collections.audiocodes.mediant.plugins.module_utils.device_cli import run_cli_script
from ansible_collections.audiocodes.mediant.plugins.module_utils.errors import InputError, TaskError
from ansible_collections.audiocodes.mediant.plugins.module_utils.input_safety import check_cli_lines

ARGUMENT_SPEC = dict(
    commands=dict(type="list", elements="str", required=True),
    allow_changes=dict(type="bool", default=False),
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


def is_show(command):
    """A read-only command: ``show ...`` or ``do show ...`` (checked after the one-line check, so
    that no line break can hide a second command behind it)."""
    words = command.lower().split()
    return bool(words) and (words[0] == "show" or words[:2] == ["do", "show"])


def changing_commands(params):
    """The (position, command) of each command that is not a show command; refused unless allowed."""
    check_cli_lines("commands", params["commands"])
    others = [(position, command.strip()) for position, command in enumerate(params["commands"])
              if command.strip() and not is_show(command)]
    if others and not params["allow_changes"]:
        position, command = others[0]
        raise InputError("commands[{0}]: {1!r} is not a show command; mediant_command runs show commands only unless "
                         "allow_changes: true. Use audiocodes.mediant.mediant_cli to change the configuration. Nothing "
                         "was sent to the device.".format(position, command), option="commands")
    if others and params["wait_for"]:
        raise InputError("wait_for runs the commands again until its conditions hold, so it cannot be combined with "
                         "commands that change the device (commands[{0}]: {1!r}); run those in a task of their own. "
                         "Nothing was sent to the device.".format(*others[0]), option="wait_for")
    return others


def run_command(client, command, changed):
    """The output of one command, run as a one-line incremental script; ``changed``: whether an
    earlier command of the task changed the device (what a failure reports)."""
    run = run_cli_script(client, [command])
    if run.status is not None or run.failure is not None:
        reason = run.failure.reason if run.failure is not None else (run.description or "no reason given")
        extra = {"status": run.status} if run.status is not None else {}
        raise TaskError("The device refused command {0!r}: {1}".format(command, reason), output=run.output,
                        changed=changed, **extra)
    return run.output


def run_commands(client, commands):
    # One request per command: the device prints the outputs of a script back to back, without
    # the commands, so only this way is each output known to belong to its command.
    outputs = []
    for position, command in enumerate(commands):
        changed = any(not is_show(earlier) for earlier in commands[:position])
        outputs.append(run_command(client, command, changed))
    return outputs


def run(module):
    params = module.params
    commands = [command.strip() for command in params["commands"] if command.strip()]
    if not commands:
        raise InputError("commands: give at least one show command", option="commands")
    changing = changing_commands(params)
    module.check_minimum(1, "retries")
    module.check_not_negative("interval")
    try:
        conditions = [Condition(text, len(commands)) for text in params["wait_for"] or []]
    except ValueError as err:
        raise InputError(str(err), option="wait_for") from None

    if changing and module.check_mode:
        # Not even the show commands run: the output of a show after a change would be a guess.
        return dict(changed=True, stdout=[], stdout_lines=[], attempts=0)

    client = module.client()
    attempts = 0
    while True:
        attempts += 1
        outputs = run_commands(client, commands)
        failed = [condition.text for condition in conditions if not condition.holds(outputs)]
        satisfied = not failed if params["match"] == "all" else len(failed) < len(conditions)
        if not conditions or satisfied:
            break
        if attempts >= params["retries"]:
            raise TaskError("wait_for: conditions not satisfied after {0} attempts: {1}".format(attempts, "; ".join(failed)),
                            failed_conditions=failed, stdout=outputs, stdout_lines=[text.splitlines() for text in outputs],
                            attempts=attempts, changed=False)
        time.sleep(params["interval"])
    return dict(changed=bool(changing), stdout=outputs, stdout_lines=[text.splitlines() for text in outputs], attempts=attempts)


def main():
    module = MediantModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    module.run(run)


if __name__ == "__main__":
    main()
