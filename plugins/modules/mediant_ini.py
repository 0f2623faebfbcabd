#!/usr/bin/python
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

DOCUMENTATION = r"""
module: mediant_ini
short_description: Manage the INI configuration of an AudioCodes Mediant device
version_added: 0.1.0
description:
  - Ensures global parameters and table rows of the device's INI configuration have the values
    given, either as data (O(parameters), O(tables)) or as INI text (O(src), O(content)).
  - Reads the device's INI file (C(GET /api/v1/files/ini)) and compares values the way the device
    reads them, so that parameter and column names match in any case, V(5) equals V("5") and
    V('x') equals V(x).
  - In O(mode=merge) (the default) only the difference is sent, as one incremental INI file
    (C(PUT /api/v1/files/ini/incremental)); no device reset is needed. The device applies an
    incremental file all or nothing, so a refused file (an unknown parameter, an invalid value)
    leaves the configuration as it was; the module fails with the device's reason.
  - After sending, the module reads the INI file back and fails if the device does not show
    the values it was sent.
  - In O(mode=replace) the whole configuration is replaced by the INI file O(src) or O(content)
    (C(PUT /api/v1/files/ini)). B(This resets the device), so it must be asked for explicitly;
    the module then waits for the device to come back (O(wait), O(wait_timeout)).
author:
  - audiocodes.mediant contributors (@audiocodes-mediant)
extends_documentation_fragment:
  - audiocodes.mediant.connection
  - audiocodes.mediant.attributes
  - audiocodes.mediant.backup
  - audiocodes.mediant.busy
attributes:
  check_mode:
    support: full
    details: Nothing is sent to the device; RV(changes) and RV(ini) say what would be sent.
  diff_mode:
    support: full
    details:
      - The INI lines the change touches, before and after (whole rows for table rows).
  idempotent:
    support: full
options:
  parameters:
    description:
      - Global parameters to set, a dictionary of INI parameter name and value, for example
        V(EnableSyslog) V(1) and V(SyslogServerIP) V(10.1.1.20) (see the examples).
      - Names are matched in any case. A value is a string, a number, a boolean (V(true) is V(1))
        or a list (a parameter holding several values).
      - Mutually exclusive with O(src) and O(content).
    type: dict
  tables:
    description:
      - Table rows to have (or not), a dictionary of table name and list of rows, for example
        table V(ProxySet) with one row whose V(ProxyName) is V(ITSP) (see the examples).
      - Each row is a dictionary of column name → value; only the columns given are compared
        and set, the device keeps the others (or gives a new row their defaults).
      - A row with the key V(Index) is that row of the table. A row without it is matched by
        the table's key column, see O(keys); when no row matches, it is added at the lowest free
        index.
      - The key V(state) (lower case) is V(present) (default) or V(absent). An absent row is
        removed when it exists.
      - Tables are sent in the order given. Devices want a row to exist before another row
        refers to it, so give the referred table first when adding (V(ProxySet) before
        V(IPGroup)) and last when removing.
      - Mutually exclusive with O(src) and O(content).
    type: dict
  keys:
    description:
      - The column that identifies a row given without V(Index), per table (table name and
        column name), for example V(RouteName) for table V(IP2IPRouting).
      - By default the column V(Name), or else the first column whose name ends in V(Name)
        (V(ProxyName) in C(ProxySet), V(InterfaceName) in C(SIPInterface)).
      - Two rows of the device holding the same key is an error; give V(Index) then.
    type: dict
  src:
    description:
      - Path of an INI file (on the host that runs the module) holding the configuration to
        have.
      - With O(mode=merge), its parameters and rows (matched by index) are compared and only the
        difference is sent; a row V(Table N = $$DELETE$$;) removes row N.
      - With O(mode=replace), it is the whole new configuration.
      - Mutually exclusive with O(content), O(parameters) and O(tables).
    type: path
  content:
    description:
      - The INI text itself, as with O(src) (for example from C(lookup('template', ...))).
    type: str
  mode:
    description:
      - V(merge) changes only what O(parameters), O(tables), O(src) or O(content) give, with an
        incremental INI file; the device is not reset.
      - V(replace) uploads O(src) or O(content) as the device's whole configuration. B(The device
        resets) to load it, calls are dropped, and every parameter the file does not set goes back
        to its default. Tables the file does not hold keep the device's factory rows. Nothing is
        sent when the device's configuration already equals the file.
    type: str
    choices: [merge, replace]
    default: merge
  wait:
    description:
      - With O(mode=replace), wait for the device to reset and answer again, then check that it
        holds the file's values.
    type: bool
    default: true
  wait_timeout:
    description:
      - How long to wait for the device to come back after O(mode=replace), in seconds.
    type: int
    default: 600
  save_when:
    description:
      - When to save the configuration to the device's non-volatile memory
        (C(POST /api/v1/actions/saveConfiguration)), as C(cisco.ios.ios_config) does.
      - V(never) do not save; the change is lost at the next reset unless saved otherwise.
      - V(changed) save when this task changed the configuration.
      - V(always) save on every run; a save is a change, so the task then always reports changed.
      - Never in check mode, nor after O(mode=replace) with O(wait=false) (the device is resetting).
    type: str
    choices: [never, changed, always]
    default: never
notes:
  - Needs a user with the Security Administrator level (the device's C(files/ini) resources).
  - Devices write only the parameters that differ from their default values. A parameter set to
    its default is therefore never seen in the device's INI file and is sent on every run; the
    module warns about it. Leave such parameters out. For the same reason a parameter the device
    shows neither before nor after the change is only warned about, not taken as refused.
  - Passwords the device writes obscured never match the clear text given; such values are sent
    on every run.
  - Quoting in INI text, as devices write it - single quotes around parameter strings, double
    quotes around table strings; inside quotes a backslash is an ordinary character and the quote
    character itself is written twice.
seealso:
  - module: audiocodes.mediant.mediant_cli
  - module: audiocodes.mediant.mediant_reset
"""

EXAMPLES = r"""
- name: Send syslog to a server, back up the INI file first, save when changed
  audiocodes.mediant.mediant_ini:
    parameters:
      EnableSyslog: 1
      SyslogServerIP: 10.1.1.20
      NTPServerIP: pool.ntp.org
    backup: true
    save_when: changed
  register: syslog

- name: Show what changed and the INI that was sent
  ansible.builtin.debug:
    msg: "{{ syslog.changes }} / {{ syslog.ini }}"

- name: Have a proxy set and an IP group that uses it (rows matched by name)
  audiocodes.mediant.mediant_ini:
    tables:
      ProxySet:
        - ProxyName: ITSP
          SRDName: DefaultSRD
          ProxyKeepAliveTime: 60
      IPGroup:
        - Name: ITSP
          ProxySetName: ITSP
          SRDName: DefaultSRD

- name: Remove the IP group, then the proxy set
  audiocodes.mediant.mediant_ini:
    tables:
      IPGroup:
        - Name: ITSP
          state: absent
      ProxySet:
        - ProxyName: ITSP
          state: absent

- name: Set a row by its index
  audiocodes.mediant.mediant_ini:
    tables:
      TLSContexts:
        - Index: 0
          TLSVersion: 4

- name: Apply a piece of INI text
  audiocodes.mediant.mediant_ini:
    content: |
      [SYSTEM Params]
      SyslogServerPort = 5514
      [ ConditionTable ]
      FORMAT Index = Name, Condition;
      ConditionTable 0 = "From Teams", "header.contact.url.host contains 'pstnhub.microsoft.com'";
      [ \ConditionTable ]

- name: Restore a backed-up INI file (resets the device when it differs)
  audiocodes.mediant.mediant_ini:
    src: "{{ syslog.backup_path }}"
    mode: replace
    wait_timeout: 900
"""

RETURN = r"""
changes:
  description: What differs (or differed) from the device's configuration, as data.
  returned: always
  type: dict
  contains:
    parameters:
      description: Changed parameters, with their value before (V(null) when not set) and after.
      type: list
      elements: dict
      sample: [{"name": "SyslogServerIP", "before": "0.0.0.0", "after": "10.1.1.20"}]
    rows_added:
      description: Rows added, with their table, index and the columns set.
      type: list
      elements: dict
      sample: [{"table": "ProxySet", "index": 1, "action": "add", "after": {"ProxyName": "ITSP"}}]
    rows_updated:
      description: Rows changed, with the columns that change, before and after.
      type: list
      elements: dict
      sample: [{"table": "ProxySet", "index": 1, "action": "update", "before": {"ProxyKeepAliveTime": "60"},
                "after": {"ProxyKeepAliveTime": "30"}}]
    rows_removed:
      description: Rows removed, with their columns before.
      type: list
      elements: dict
  sample: {"parameters": [], "rows_added": [], "rows_updated": [], "rows_removed": []}
ini:
  description:
    - The INI text sent to the device (or that would be sent, in check mode); empty when nothing
      needed to change. In O(mode=replace), the whole file.
  returned: always
  type: str
  sample: "EnableSyslog = 1\r\nSyslogServerIP = 10.1.1.20\r\n"
commands:
  description: The lines of RV(ini) that are not empty.
  returned: always
  type: list
  elements: str
  sample: ["EnableSyslog = 1", "SyslogServerIP = 10.1.1.20"]
reset_needed:
  description: Whether the device says that some of the changes take effect only after a reset.
  returned: always
  type: bool
saved:
  description: Whether the configuration was saved to non-volatile memory.
  returned: always
  type: bool
backup_path:
  description: Path on the controller of the backup (the device's INI file before the change).
  returned: when O(backup=true)
  type: str
  sample: /playbooks/backup/sbc1_config.2024-05-01@10:11:12.ini
"""

import re

from ansible_collections.audiocodes.mediant.plugins.module_utils.common import (
    MediantModule, backup_argument_spec, busy_argument_spec,
)
from ansible_collections.audiocodes.mediant.plugins.module_utils.ini import (
    DesiredRow, DesiredState, IniError, affected_lines, diff, parse, render_incremental,
)
from ansible_collections.audiocodes.mediant.plugins.module_utils.rest import MediantError

FULL_INI = "files/ini"
INCREMENTAL_INI = "files/ini/incremental"
SAVE = "actions/saveConfiguration"

ARGUMENT_SPEC = dict(
    parameters=dict(type="dict"),
    tables=dict(type="dict"),
    keys=dict(type="dict", no_log=False),
    src=dict(type="path"),
    content=dict(type="str"),
    mode=dict(type="str", choices=["merge", "replace"], default="merge"),
    wait=dict(type="bool", default=True),
    wait_timeout=dict(type="int", default=600),
    save_when=dict(type="str", choices=["never", "changed", "always"], default="never"),
    **backup_argument_spec(),
    **busy_argument_spec()
)


class Refused(Exception):
    """Input the module refuses before talking to the device; the text is the failure message."""


def desired_rows(table, rows, keys):
    if not isinstance(rows, list):
        raise Refused("tables.{0}: give a list of rows (dictionaries of column: value)".format(table))
    result = []
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            raise Refused("tables.{0}[{1}]: a row is a dictionary of column: value, got {2!r}".format(table, number, row))
        values = dict(row)
        state = values.pop("state", "present")
        if state not in ("present", "absent"):
            raise Refused("tables.{0}[{1}]: state must be present or absent, got {2!r}".format(table, number, state))
        index = None
        for name in [name for name in values if name.lower() == "index"]:
            index = values.pop(name)
            if isinstance(index, bool) or not re.fullmatch(r"\d+", str(index).strip()):
                raise Refused("tables.{0}[{1}]: Index must be a number 0 or more, got {2!r}".format(table, number, index))
            index = int(str(index).strip())
        result.append(DesiredRow(values, index=index, key=keys.get(table), state=state))
    return result


def desired_from_options(params):
    keys = {str(table).lower(): column for table, column in (params["keys"] or {}).items()}
    tables = {}
    for table, rows in (params["tables"] or {}).items():
        rows = desired_rows(table, rows, {table: keys.get(str(table).lower())})
        tables[table] = rows
    return DesiredState(dict(params["parameters"] or {}), tables)


def parse_option(text, option):
    try:
        return parse(text)
    except IniError as err:
        raise Refused("{0}: {1}. Nothing was sent to the device.".format(option, err)) from None


def read_device_ini(client):
    text = client.get_text(FULL_INI)
    try:
        return text, parse(text)
    except IniError as err:
        raise Refused("The device's INI file (GET {0}) could not be read: {1}".format(FULL_INI, err)) from None


def with_line(description, sent):
    """The device's description, plus the text of the line it names in the file that was sent."""
    match = re.match(r"\s*line (\d+)\b", description or "", re.IGNORECASE)
    lines = sent.splitlines()
    if match and 0 < int(match.group(1)) <= len(lines):
        return "{0} (line {1} of the INI sent: {2})".format(description, match.group(1), lines[int(match.group(1)) - 1].strip())
    return description or "no reason given"


def refused_by_device(module, client, err, sent, before_text, result):
    """Fail with the device's reason and say whether its configuration is still as it was."""
    unchanged = client.get_text(FULL_INI) == before_text
    msg = "The device rejected the INI file (HTTP {0}): {1}. {2}".format(
        err.status, with_line(err.description, sent),
        "The device's configuration is unchanged." if unchanged else "The device's configuration HAS changed.")
    result.update(changed=not unchanged, **err.to_result())
    module.fail_json(msg=msg, **result)


def check_applied(module, after, desired, prune, result):
    """Fail when the device does not show what it accepted; warn about values it does not write."""
    remaining = diff(after, desired, prune=prune)
    unseen = [change.name for change in remaining.parameters if change.before is None and change.after is not None]
    if unseen:
        module.warn("The device accepted these parameters but does not write them in its INI file (a default value is "
                    "not written); the task will report a change on every run: {0}".format(", ".join(unseen)))
    missing = ["parameter {0} = {1!r} (device: {2!r})".format(c.name, c.after, c.before) for c in remaining.parameters
               if c.name not in unseen]
    missing += ["{0} row {1} ({2})".format(r.table, r.index, r.action) for r in remaining.rows]
    if missing:
        module.fail_json(msg="The device accepted the INI file but does not hold these values afterwards: {0}".format(
            "; ".join(missing)), **result)


def replace_configuration(module, client, text, result):
    params = module.params
    uptime = (client.get_json("status") or {}).get("systemUpTime")
    if params["src"] is not None and params["content"] is None:
        answer = client.upload(FULL_INI, src=params["src"], filename="config.ini", busy_timeout=params["busy_timeout"])
    else:
        answer = client.upload(FULL_INI, content=text, filename="config.ini", busy_timeout=params["busy_timeout"])
    result["description"] = (answer or {}).get("description")
    if not params["wait"]:
        return False
    try:
        client.wait_until_back(params["wait_timeout"], down_first=True, previous_uptime=uptime, timeout_option="wait_timeout")
    except MediantError as err:
        module.fail_json(msg="The device accepted the INI file and resets to load it, then: {0}".format(err), **result)
    return True


def configure(module):
    params = module.params
    if params["wait_timeout"] <= 0:
        raise Refused("wait_timeout must be a positive number of seconds, got {0}".format(params["wait_timeout"]))
    module.check_not_negative("busy_timeout")
    text = module.text_of("src", "content")  # None when the task gives parameters/tables instead
    if params["mode"] == "replace" and text is None:
        raise Refused("mode=replace uploads a whole INI file: give it in src or content")
    option = "content" if params["content"] is not None else "src"
    desired_document = parse_option(text, option) if text is not None else None
    desired = DesiredState.from_document(desired_document) if desired_document else desired_from_options(params)
    replace = params["mode"] == "replace"

    client = module.client()
    current_text, current = read_device_ini(client)
    try:
        changes = diff(current, desired, prune=replace)
    except ValueError as err:
        raise Refused(str(err)) from None
    sent = ""
    if changes:
        sent = text if replace else render_incremental(changes, current.dialect)
    result = dict(changed=bool(changes), changes=changes.as_dict(), ini=sent,
                  commands=[line for line in sent.splitlines() if line.strip()], reset_needed=False, saved=False)
    if params["backup"]:
        result["__backup__"] = current_text
        result["__backup_ext__"] = "ini"
    if module._diff and changes:
        before, after = affected_lines(current, changes)
        result["diff"] = dict(before=before, after=after, before_header="device INI", after_header="device INI")
    if module.check_mode:
        return result

    if changes:
        try:
            if replace:
                verify = replace_configuration(module, client, text, result)
            else:
                answer = client.upload(INCREMENTAL_INI, content=sent, filename="incremental.ini",
                                       busy_timeout=params["busy_timeout"])
                result["reset_needed"] = bool((answer or {}).get("resetNeeded"))
                verify = True
        except MediantError as err:
            if err.status != 400:
                raise
            refused_by_device(module, client, err, sent, current_text, result)
        if result["reset_needed"]:
            module.warn("The device needs a reset for some of these changes to take effect (see mediant_reset).")
        if verify:
            check_applied(module, read_device_ini(client)[1], desired, replace, result)
    if params["save_when"] == "always" or (params["save_when"] == "changed" and changes):
        if replace and changes and not params["wait"]:
            module.warn("Not saving: the device is resetting to load the INI file (wait=false).")
        else:
            client.post_json(SAVE, busy_timeout=params["busy_timeout"])
            result.update(saved=True, changed=True)
    return result


def main():
    module = MediantModule(
        argument_spec=ARGUMENT_SPEC,
        mutually_exclusive=[("src", "content"), ("parameters", "src"), ("parameters", "content"),
                            ("tables", "src"), ("tables", "content")],
        required_one_of=[("parameters", "tables", "src", "content")],
        supports_check_mode=True,
    )
    try:
        module.run(configure)
    except Refused as err:
        module.fail_json(msg=str(err))


if __name__ == "__main__":
    main()
