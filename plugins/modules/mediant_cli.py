#!/usr/bin/python
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

DOCUMENTATION = r"""
module: mediant_cli
short_description: Manage the CLI configuration of an AudioCodes Mediant device
version_added: 0.1.0
description:
  - Ensures configuration lines are present in the device's running configuration, the way
    C(cisco.ios.ios_config) does for IOS - O(lines) under O(parents), or a whole script in O(src) or O(content).
  - Reads the running configuration as a CLI script (C(GET /api/v1/files/cliScript)), compares it
    as a tree of modes (indentation nests lines; C(exit) and C(activate) are structure, not
    configuration), and sends only what is missing as one incremental script
    (C(PUT /api/v1/files/cliScript/incremental)). The script enters the modes it needs, ends
    each mode whose settings it changes with C(activate) (unless the running configuration shows
    that mode without it), and C(exit)s back to the top. No device reset is needed.
  - After sending, reads the configuration back and warns about lines the device accepted but
    does not show (see the notes).
  - Fails when the device reports an error, naming the command it failed on.
author:
  - audiocodes.mediant contributors (@audiocodes-mediant)
extends_documentation_fragment:
  - audiocodes.mediant.connection
  - audiocodes.mediant.attributes
  - audiocodes.mediant.backup
  - audiocodes.mediant.busy
  - audiocodes.mediant.save_when
attributes:
  check_mode:
    support: full
    details:
      - Nothing is sent to the device; RV(commands) holds the script that would be sent.
      - The device checks lines only by running them (its REST API has no dry run), so check mode
        shows what would be sent, not whether the device accepts it.
  idempotent:
    support: partial
    details:
      - Idempotent with O(match=line), O(match=strict) and O(match=exact), except for lines the
        device does not print back (default values, obscured passwords; see the notes).
      - O(match=none) and O(save_when=always) report a change on every run.
  diff_mode:
    support: full
    details:
      - The top-level blocks (for example C(configure voip)) of the running configuration that
        the change touches, before and after. In check mode the after side is predicted.
options:
  lines:
    description:
      - Configuration lines to have, as the device prints them, without indentation.
      - Each line is compared with the lines of the innermost mode in O(parents).
      - An V(activate) line makes the innermost parent end with C(activate) (for a table row that
        has no other line to set); C(exit) lines are ignored, the module exits every mode it enters.
      - A line V(no X) is satisfied when the mode has no line V(X) or V(X ...), so removing
        a table row (V(no ip-group 3)) is idempotent too.
      - Each item is one command - a line break or other control character, or a quoted word the
        line does not close, is refused before anything is sent. Inside double quotes write a
        quote as C(\") and a backslash as C(\\).
      - Mutually exclusive with O(src) and O(content).
    type: list
    elements: str
    aliases: [commands]
  parents:
    description:
      - The modes, outermost first, that O(lines) belong to, for example
        V([configure voip, ip-group 1]).
      - Modes that do not exist yet (a new table row) are created.
      - Each item is one line that enters a mode, checked as O(lines) are; V(exit), V(end),
        V(activate) and comments are refused.
    type: list
    elements: str
  src:
    description:
      - A CLI script to have in the running configuration, with its modes indented under the
        lines that open them, as C(show running-config) prints them.
      - The path of a file on the host that runs the module; O(content) takes the script text
        itself.
      - Every line is compared, in its mode, as with O(lines).
      - Mutually exclusive with O(content), O(lines) and O(parents).
    type: path
  content:
    description:
      - The CLI script text itself, as with O(src) (for example from
        C(lookup('ansible.builtin.template', 'sbc.cli.j2'))).
      - A whole script is the task's own text and may hold many lines, but no control character
        other than tab, CR and LF (the same holds for the file O(src) names).
      - Mutually exclusive with O(src), O(lines) and O(parents).
    type: str
  match:
    description:
      - How lines are compared with the running configuration.
      - V(line) each line must be present in its mode, in any order.
      - V(strict) each line must be at the same position in its mode.
      - V(exact) the mode must hold exactly these lines, in this order; otherwise all of them are
        sent (lines the device has in addition are not removed; use V(no ...) lines for that).
      - V(none) no comparison, every line is sent (the task always reports a change).
    type: str
    choices: [line, strict, exact, none]
    default: line
  replace:
    description:
      - What is sent when lines differ.
      - V(line) only the lines that differ.
      - V(block) every line of a mode in which one line differs.
    type: str
    choices: [line, block]
    default: line
  before:
    description:
      - Commands to put at the start of the script, only when something is sent.
      - Each item is one command, checked as O(lines) are.
    type: list
    elements: str
  after:
    description:
      - Commands to put at the end of the script, only when something is sent.
      - Each item is one command, checked as O(lines) are.
    type: list
    elements: str
  protect:
    description:
      - Configuration the module refuses to change or remove, because it keeps the device
        managed; the module then fails before sending anything (in check mode too), naming the
        line. Leave a category out (or give V([])) to allow such changes. The same categories
        as the O(audiocodes.mediant.mediant_ini#module:protect) option of M(audiocodes.mediant.mediant_ini).
      - V(management) every C(configure network) > C(interface network-if <n>) row whose
        C(application-type) carries OAMP (removed, or any line changed but C(primary-dns) and
        C(secondary-dns)), and the C(configure system) > C(web) lines the REST API is reached
        by (C(http-port), C(https-port), C(secured-web-connection)).
      - V(ha) every line in, or mode named, C(high-availability ...) or C(ha ...).
      - V(login_user) C(configure system) > C(user <name>) of O(username), the user the module
        logs in as (removed or changed).
      - Applies to O(lines) and to whole scripts in O(src) and O(content) alike; the commands of
        O(before) and O(after) are the user's own and are not checked.
    type: list
    elements: str
    choices: [management, ha, login_user]
    default: [management, ha, login_user]
notes:
  - Needs a user with the Security Administrator level (the device's C(files/cliScript) resources).
  - The device prints only the settings that differ from their default values. A line that sets a
    default value is therefore never seen in the running configuration and is sent on every run;
    the module warns about it. Leave such lines out, or use V(no <setting>) where the device
    offers it.
  - Passwords the device prints obscured never match the clear text of O(lines); such lines are
    sent on every run.
  - Values are compared the way the device reads them, so V(name ITSP) matches
    V(name "ITSP"); whitespace inside quotes matters. An enumerated setting the module knows is
    written the way the device prints it, so V(syslog ON) and V(application-type 6) are sent
    and compared as V(syslog on) and V(application-type oamp-media-control).
  - Rows of child tables are compared the way firmware 7.2 and later prints them, inside their
    parent row (O(parents=[configure voip, proxy-set 1, proxy-ip 0])), with a parent's settings
    compared apart from the rows nested in it. The flat form of older scripts (C(proxy-ip 3) with
    C(proxy-set-id "1") and C(proxy-ip-index 0); C(coders-and-profiles audio-coders N) with
    C(coders-group-name) and C(coder-index)) is rewritten to the nested form when it names an
    existing parent row and its number; otherwise it is sent as it is.
seealso:
  - module: audiocodes.mediant.mediant_command
  - module: audiocodes.mediant.mediant_ini
"""

EXAMPLES = r"""
- name: Have an IP group for the ITSP, with its realm
  audiocodes.mediant.mediant_cli:
    parents:
      - configure voip
      - ip-group 1
    lines:
      - name "ITSP"
      - srd-name "DefaultSRD"

- name: Send a syslog server setting, back up first and save when changed
  audiocodes.mediant.mediant_cli:
    parents:
      - configure troubleshoot
      - syslog
    lines:
      - syslog on
      - syslog-ip 10.1.1.20
    backup: true
    save_when: changed
  register: syslog

- name: Show the script that was sent
  ansible.builtin.debug:
    var: syslog.commands

- name: Have an address in the factory proxy set, nested in it as the device prints it
  audiocodes.mediant.mediant_cli:
    parents:
      - configure voip
      - proxy-set 0
      - proxy-ip 0
    lines:
      - proxy-address "sip.example.com:5061"
      - transport-type tls

- name: Remove an IP group (idempotent - nothing is sent when it is gone)
  audiocodes.mediant.mediant_cli:
    parents:
      - configure voip
    lines:
      - no ip-group 1

- name: Have a whole script (or src=sbc.cli, or content="{{ lookup('ansible.builtin.template', 'sbc.cli.j2') }}")
  audiocodes.mediant.mediant_cli:
    content: |
      configure voip
       ip-group 2
        name "PBX"
        srd-name "DefaultSRD"
        activate
       exit
      exit
      configure troubleshoot
       syslog
        syslog-port-number 5514
        activate
       exit
      exit
"""

RETURN = r"""
commands:
  description:
    - The script lines sent to the device (or that would be sent, in check mode), with the
      modes entered, C(activate) and C(exit) lines, and O(before)/O(after).
    - Empty when nothing needed to change.
  returned: always
  type: list
  elements: str
  sample: ["configure voip", "  ip-group 1", "    name \"ITSP\"", "    activate", "  exit", "exit"]
updates:
  description: The configuration lines that were missing (only those, without the modes entered).
  returned: always
  type: list
  elements: str
  sample: ["ip-group 1", "name \"ITSP\""]
output:
  description: What the device printed while running the script.
  returned: when a script was sent
  type: str
saved:
  description: Whether the running configuration was saved to non-volatile memory.
  returned: always
  type: bool
backup_path:
  description: Path on the controller of the backup file (the running configuration before the change).
  returned: when O(backup=true)
  type: str
  sample: /playbooks/backup/sbc1_config.2024-05-01@10:11:12.cli
"""

from ansible_collections.audiocodes.mediant.plugins.module_utils.cli_config import (
    CliConfigError, build, difference, excerpt, nest_child_rows, parse, predict, render_incremental, serialize,
)
from ansible_collections.audiocodes.mediant.plugins.module_utils.cli_protection import protected_cli_changes
from ansible_collections.audiocodes.mediant.plugins.module_utils.cli_schema import canonicalize
from ansible_collections.audiocodes.mediant.plugins.module_utils.common import (
    MediantModule, backup_argument_spec, busy_argument_spec, save_when_argument_spec,
)
from ansible_collections.audiocodes.mediant.plugins.module_utils.device import Device
from ansible_collections.audiocodes.mediant.plugins.module_utils.device_cli import CliConfiguration
from ansible_collections.audiocodes.mediant.plugins.module_utils.errors import InputError
from ansible_collections.audiocodes.mediant.plugins.module_utils.ini_protection import PROTECT_CHOICES, refusal_message
from ansible_collections.audiocodes.mediant.plugins.module_utils.input_safety import (
    check_cli_lines, check_cli_parents, check_file_text,
)

ARGUMENT_SPEC = dict(
    lines=dict(type="list", elements="str", aliases=["commands"]),
    parents=dict(type="list", elements="str"),
    src=dict(type="path"),
    content=dict(type="str"),
    match=dict(type="str", choices=["line", "strict", "exact", "none"], default="line"),
    replace=dict(type="str", choices=["line", "block"], default="line"),
    before=dict(type="list", elements="str"),
    after=dict(type="list", elements="str"),
    protect=dict(type="list", elements="str", choices=list(PROTECT_CHOICES), default=list(PROTECT_CHOICES)),
    **save_when_argument_spec(),
    **backup_argument_spec(),
    **busy_argument_spec()
)


def desired_tree(module):
    """The tree the task wants; every line it gives checked first (docs/input-safety.md)."""
    params = module.params
    check_cli_parents(params["parents"])
    for option in ("lines", "before", "after"):
        check_cli_lines(option, params[option])
    script = module.text_of("src", "content")
    option = "content" if params["content"] is not None else "src" if params["src"] is not None else "lines"
    check_file_text(option, script)
    try:
        if script is not None:
            return parse(script)
        return build(params["lines"], params["parents"] or [])
    except CliConfigError as err:
        raise InputError("{0}: {1}. Nothing was sent to the device.".format(option, err), option=option) from None


def configure(module):
    params = module.params
    desired = desired_tree(module)   # checked before connecting
    device = Device(module.client(), busy_timeout=params["busy_timeout"], warn=module.warn)
    configuration = CliConfiguration(device)
    running_text, running = configuration.read()
    desired = nest_child_rows(desired, running)
    canonicalize(desired)   # enumerations as the device prints them (cli_schema.py)
    selected = difference(running, desired, match=params["match"], replace=params["replace"])
    protected = protected_cli_changes((node.path for node in selected), running, params["protect"], params["username"])
    if protected:
        raise InputError(refusal_message(protected), option="protect")
    script = render_incremental(running, desired, selected)
    commands = []
    if script:
        commands = list(params["before"] or []) + script.commands + list(params["after"] or [])
    result = dict(changed=bool(commands), commands=commands, updates=script.updates, saved=False)
    module.add_backup(result, running_text, "cli")
    paths = [node.path for node in selected]

    if module.check_mode:
        if module._diff and commands:
            result["diff"] = config_diff(running, predict(running, desired, selected, script.activated), paths)
        device.save_when(params["save_when"], bool(commands), True, result)
        return result

    if commands:
        result["output"] = configuration.send_incremental(commands, running_text)
        after = configuration.read()[1]
        # the lines themselves; the modes around them are not printed when all they hold is default
        unconfirmed = [node for node in difference(after, desired) if node in selected and not node.children]
        if unconfirmed:
            module.warn("The device accepted these lines but its running configuration does not show them (a default value "
                        "is not printed, or the device rewrote the line); the task will report a change every run: {0}".format(
                            ", ".join(repr(" > ".join(node.path)) for node in unconfirmed)))
        if module._diff:
            result["diff"] = config_diff(running, after, paths)
    device.save_when(params["save_when"], bool(commands), False, result)
    return result


def config_diff(before, after, paths):
    return dict(before=serialize(excerpt(before, paths)), after=serialize(excerpt(after, paths)),
                before_header="running-config", after_header="running-config")


def main():
    module = MediantModule(
        argument_spec=ARGUMENT_SPEC,
        mutually_exclusive=[("lines", "src", "content"), ("parents", "src", "content")],
        required_one_of=[("lines", "src", "content")],
        supports_check_mode=True,
    )
    module.run(configure)


if __name__ == "__main__":
    main()
