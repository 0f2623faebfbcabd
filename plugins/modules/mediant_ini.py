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
  - audiocodes.mediant.save_when
  - audiocodes.mediant.wait
attributes:
  check_mode:
    support: full
    details:
      - Nothing is sent to the device; RV(changes) and RV(ini) say what would be sent.
      - The device cannot check a change without applying it (its REST API has no dry run). The
        parameters, tables and columns the device's INI file does not show (it writes only values
        that differ from their defaults) are listed in RV(unvalidated) with a warning, since only a
        real run tells whether the device knows them.
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
      - A name is ASCII letters, digits, V(_) and V(.). A value is one line - line breaks and other
        control characters are refused before anything is sent; quotes, commas and semicolons are
        written inside quotes, where they stay part of the value.
      - Mutually exclusive with O(src) and O(content).
    type: dict
  tables:
    description:
      - Table rows to have (or not), a dictionary of table name and list of rows, for example
        table V(ProxySet) with one row whose V(ProxyName) is V(ITSP) (see the examples).
      - Each row is a dictionary of column name → value; only the columns given are compared
        and set, the device keeps the others (or gives a new row their defaults), unless the
        table's state in O(table_states) says otherwise.
      - Table and column names are ASCII letters, digits and V(_); a value is one line, as in
        O(parameters).
      - A row with the key V(Index) is that row of the table. A row without it is matched by
        the table's key column, see O(keys); when no row matches, it is added at the lowest free
        index.
      - The key V(state) (lower case) is V(present) (default) or V(absent). An absent row is
        removed when it exists.
      - Devices want a row to exist before another row refers to it. Tables the module knows
        (those of the device's 7.2+ INI file, such as V(ProxySet) and V(IPGroup)) are sent in the
        order devices write them, whatever the order given - tables with rows to add or change
        first, then tables whose rows are only removed, in the reverse order; other tables
        follow in the order given.
      - Values compare as the device holds them. In the tables and parameters the module knows,
        a number equals the same number written otherwise (V(05) is V(5)), an IP address the
        same address written otherwise (V(2001:DB8:0::1) is V(2001:db8::1); an empty field is
        the default address), and a parameter the device does not write equals its default value.
      - Mutually exclusive with O(src) and O(content).
    type: dict
  table_states:
    description:
      - What each table of O(tables) says about the device's table, per table (table name and
        state), in the vocabulary of network resource modules. Tables not named here are V(merged).
      - V(merged) the listed rows have the listed columns; the device keeps everything else.
      - V(replaced) the listed rows are exactly as given - columns a row does not list go back
        to their default values (from the module's knowledge of the table, or O(column_defaults));
        rows not listed are kept.
      - V(overridden) the table holds exactly the listed rows, each as with V(replaced); every other
        row is removed (including the device's factory rows, such as C(DefaultSRD), unless listed).
      - V(deleted) the listed rows are removed (a row needs only its V(Index) or key column); an
        empty list removes every row of the table.
      - Removing rows that other rows refer to fails on the device, which then keeps its whole
        configuration as it was.
      - See O(protect) for what the module refuses to remove or change whatever the state.
      - Needs O(tables); every table named here must be in O(tables) (an empty list is allowed).
    type: dict
  column_defaults:
    description:
      - Default values of columns, per table (table name and a dictionary of column name →
        default value), for the states V(replaced) and V(overridden) in O(table_states).
      - Only needed for tables or columns the module does not know (newer firmware, other
        products); given values take precedence over the module's own. When a replaced row has
        columns whose defaults are unknown, they are left as they are, with a warning; a table
        the module does not know at all is refused.
    type: dict
  protect:
    description:
      - Configuration the module refuses to change or remove, because it keeps the device
        managed; the module then fails before sending anything, naming what would change.
        Leave a category out (or give V([])) to allow such changes.
      - V(management) the management interface - every C(InterfaceTable) row carrying OAMP
        (removed, or any column changed but the DNS servers) - and the web server parameters
        the REST API is reached by (C(HTTPSPort), C(HTTPport), C(HTTPSOnly)).
      - V(ha) high availability - every parameter and table whose name starts with C(HA)
        (C(HAPriority), C(HARemoteAddress), ...).
      - V(login_user) the C(WebUsers) row of O(username), the user the module logs in as
        (removed or changed).
      - Applies to every mode, a full O(mode=replace) included.
    type: list
    elements: str
    choices: [management, ha, login_user]
    default: [management, ha, login_user]
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
      - A whole file is the task's own text and may hold many lines, but no control character
        other than tab, CR and LF (the same holds for the file O(src) names).
    type: str
  mode:
    description:
      - V(merge) changes only what O(parameters), O(tables), O(src) or O(content) give, with an
        incremental INI file; the device is not reset.
      - V(replace) uploads O(src) or O(content) as the device's whole configuration. B(The device
        resets) to load it, calls are dropped, and every parameter the file does not set goes back
        to its default. Tables the file does not hold keep the device's factory rows. Nothing is
        sent when the device's configuration already equals the file.
      - With V(replace) the module waits for the device to come back (O(wait), O(wait_timeout)), then
        checks that it holds the file's values. O(wait) does not apply to V(merge), which resets nothing.
    type: str
    choices: [merge, replace]
    default: merge
notes:
  - O(save_when) saves nothing after O(mode=replace) with O(wait=false), the device is then resetting; the module warns instead.
  - Needs a user with the Security Administrator level (the device's C(files/ini) resources).
  - Devices write only the parameters that differ from their default values. For the parameters
    the module knows (see O(tables)) an unwritten parameter equals its default, so asking for the
    default is no change. Any other parameter set to its default is never seen in the device's INI
    file and is sent on every run; the module warns about it. Leave such parameters out. For the same
    reason a parameter the device shows neither before nor after the change is only warned about,
    not taken as refused.
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

- name: The SIP interfaces are exactly these two; unlisted columns back to their defaults
  audiocodes.mediant.mediant_ini:
    tables:
      SIPInterface:
        - InterfaceName: Teams
          NetworkInterface: O+M+C
          SRDName: DefaultSRD
          TLSPort: 5061
          ApplicationType: 2
        - InterfaceName: ITSP
          NetworkInterface: O+M+C
          SRDName: DefaultSRD
          UDPPort: 5060
          ApplicationType: 2
    table_states:
      SIPInterface: overridden

- name: Remove every message manipulation rule
  audiocodes.mediant.mediant_ini:
    tables:
      MessageManipulations: []
    table_states:
      MessageManipulations: deleted

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
unvalidated:
  description:
    - In check mode, the parameters, tables (V(table <name>)) and columns (V(column <table>.<column>))
      the change names that the device's INI file does not show, so that check mode could not tell
      whether the device knows them (see the check_mode attribute).
  returned: in check mode
  type: list
  elements: str
  sample: ["SyslogServerPort", "column IPGroup.Colour"]
backup_path:
  description: Path on the controller of the backup (the device's INI file before the change).
  returned: when O(backup=true)
  type: str
  sample: /playbooks/backup/sbc1_config.2024-05-01@10:11:12.ini
"""

from ansible_collections.audiocodes.mediant.plugins.module_utils.common import (
    MediantModule, backup_argument_spec, busy_argument_spec, save_when_argument_spec, wait_argument_spec,
)
from ansible_collections.audiocodes.mediant.plugins.module_utils.device import Device
from ansible_collections.audiocodes.mediant.plugins.module_utils.device_ini import IniConfiguration
from ansible_collections.audiocodes.mediant.plugins.module_utils.errors import InputError, TaskError
from ansible_collections.audiocodes.mediant.plugins.module_utils.input_safety import (
    check_file_text, check_ini_column_defaults, check_ini_parameters, check_ini_tables,
)
from ansible_collections.audiocodes.mediant.plugins.module_utils.ini import (
    TABLE_STATES, DesiredRow, DesiredState, IniError, difference, excerpt, order_tables, parse, render_incremental,
)
from ansible_collections.audiocodes.mediant.plugins.module_utils.ini_protection import PROTECT_CHOICES, protected_changes, refusal_message
from ansible_collections.audiocodes.mediant.plugins.module_utils.ini_schema import SCHEMA

ARGUMENT_SPEC = dict(
    parameters=dict(type="dict"),
    tables=dict(type="dict"),
    keys=dict(type="dict", no_log=False),
    table_states=dict(type="dict"),
    column_defaults=dict(type="dict"),
    protect=dict(type="list", elements="str", choices=list(PROTECT_CHOICES), default=list(PROTECT_CHOICES)),
    src=dict(type="path"),
    content=dict(type="str"),
    mode=dict(type="str", choices=["merge", "replace"], default="merge"),
    **wait_argument_spec(),
    **save_when_argument_spec(),
    **backup_argument_spec(),
    **busy_argument_spec()
)


def desired_rows(table, rows, key):
    """The DesiredRows of one table of the tables option (already checked by input_safety)."""
    result = []
    for row in rows:
        values = dict(row)
        state = values.pop("state", "present")
        index = None
        for name in [name for name in values if name.lower() == "index"]:
            index = int(str(values.pop(name)).strip())
        result.append(DesiredRow(values, index=index, key=key, state=state))
    return result


def table_options(params):
    """table_states and column_defaults, checked against the tables given."""
    given = {str(table).casefold() for table in (params["tables"] or {})}
    states = params["table_states"] or {}
    for table, state in states.items():
        if state not in TABLE_STATES:
            raise InputError("table_states.{0}: the state must be one of {1}, got {2!r}".format(table, ", ".join(TABLE_STATES), state),
                             option="table_states")
        if str(table).casefold() not in given:
            raise InputError("table_states.{0}: table {0} is not in tables; give tables.{0} (with state {1}, an empty "
                             "list of rows is allowed)".format(table, state), option="table_states")
    return states, params["column_defaults"] or {}


def desired_from_options(params):
    keys = {str(table).lower(): column for table, column in (params["keys"] or {}).items()}
    tables = {table: desired_rows(table, rows, keys.get(str(table).lower())) for table, rows in (params["tables"] or {}).items()}
    states, defaults = table_options(params)
    return DesiredState(dict(params["parameters"] or {}), tables, states, defaults)


def check_defaults_known(module, changes, desired):
    """Refuse replaced rows of tables whose defaults nobody knows; warn about unknown columns."""
    given = {str(table).casefold() for table in desired.defaults}
    unknown_tables = sorted({table for table, _index, _columns in changes.unknown_defaults
                             if SCHEMA.table(table) is None and table.casefold() not in given})
    if unknown_tables:
        raise InputError("table_states: replaced and overridden put the columns a row does not list back to their "
                         "defaults, but the module does not know the defaults of table {0}; give them in column_defaults "
                         "(table: {{column: default}}). Nothing was sent to the device.".format(", ".join(unknown_tables)),
                         option="table_states")
    for table, index, columns in changes.unknown_defaults:
        module.warn("{0} row {1}: the defaults of the columns {2} are not known, so they are left as the device holds "
                    "them; give them in column_defaults.{0} to reset them too.".format(table, index, ", ".join(columns)))


def check_protected(module, current, changes):
    found = protected_changes(current, changes, module.params["protect"], module.params["username"])
    if found:
        raise InputError(refusal_message(found), option="protect")


def parse_option(text, option):
    try:
        return parse(text)
    except IniError as err:
        raise InputError("{0}: {1}. Nothing was sent to the device.".format(option, err), option=option) from None


def unvalidated_names(current, changes):
    """Parameters, tables and columns a change names that neither the device's INI file shows nor
    the collection's schema of the device (ini_schema) knows: check mode cannot tell whether the
    device accepts them."""
    names = [change.name for change in changes.parameters
             if change.before is None and change.after is not None and SCHEMA.parameter(change.name) is None]
    for row in changes.rows:
        table = current.tables.get(row.table)
        if table is None and SCHEMA.table(row.table) is None:
            names.append("table {0}".format(row.table))
            continue
        names += ["column {0}.{1}".format(row.table, column) for column in row.fields
                  if (table is None or table.column_position(column) is None) and SCHEMA.column(row.table, column) is None]
    return list(dict.fromkeys(names))


def check_applied(module, after, desired, prune, result):
    """Fail when the device does not show what it accepted; warn about values it does not write."""
    remaining = difference(after, desired, prune=prune, schema=SCHEMA)
    unseen = [change.name for change in remaining.parameters if change.before is None and change.after is not None]
    if unseen:
        module.warn("The device accepted these parameters but does not write them in its INI file (a default value is "
                    "not written); the task will report a change on every run: {0}".format(", ".join(unseen)))
    missing = ["parameter {0} = {1!r} (device: {2!r})".format(c.name, c.after, c.before) for c in remaining.parameters
               if c.name not in unseen]
    missing += ["{0} row {1} ({2})".format(r.table, r.index, r.action) for r in remaining.rows]
    if missing:
        raise TaskError("The device accepted the INI file but does not hold these values afterwards: {0}".format(
            "; ".join(missing)), **result)


def configure(module):
    params = module.params
    # Every name and value checked before anything is read or sent (docs/input-safety.md).
    check_ini_parameters(params["parameters"])
    check_ini_tables(params["tables"], params["keys"])
    check_ini_column_defaults(params["column_defaults"])
    text = module.text_of("src", "content")  # None when the task gives parameters/tables instead
    option = "content" if params["content"] is not None else "src"
    check_file_text(option, text)
    if params["mode"] == "replace" and text is None:
        raise InputError("mode=replace uploads a whole INI file: give it in src or content", option="mode")
    desired_document = parse_option(text, option) if text is not None else None
    desired = DesiredState.from_document(desired_document) if desired_document else desired_from_options(params)
    replace = params["mode"] == "replace"

    device = Device(module.client(), params["busy_timeout"], module.warn)
    configuration = IniConfiguration(device)
    current_text, current = configuration.read()
    try:
        changes = difference(current, desired, prune=replace, schema=SCHEMA)
    except ValueError as err:
        raise InputError("{0}. Nothing was sent to the device.".format(err)) from None
    check_defaults_known(module, changes, desired)
    check_protected(module, current, changes)
    changes = order_tables(changes, SCHEMA.rank)
    sent = ""
    if changes:
        sent = text if replace else render_incremental(changes, current.dialect)
    result = dict(changed=bool(changes), changes=changes.as_dict(), ini=sent,
                  commands=[line for line in sent.splitlines() if line.strip()], reset_needed=False, saved=False)
    module.add_backup(result, current_text, "ini")
    if module._diff and changes:
        before, after = excerpt(current, changes)
        result["diff"] = dict(before=before, after=after, before_header="device INI", after_header="device INI")
    if module.check_mode:
        result["unvalidated"] = unvalidated_names(current, changes)
        if result["unvalidated"]:
            module.warn("Check mode could not validate {0}: the device's INI file does not show them (a device writes "
                        "only values that differ from their defaults) and its REST API has no dry run, so only a real "
                        "run tells whether the device knows them and accepts the values.".format(
                            ", ".join(result["unvalidated"])))
        device.save_when(params["save_when"], bool(changes), True, result)
        return result

    resetting = False
    if changes:
        if replace:
            verify = configuration.replace(text, current_text, params["wait"], params["wait_timeout"], result, src=params["src"])
            resetting = not verify
        else:
            result["reset_needed"] = configuration.send_incremental(sent, current_text, **result)
            verify = True
        if result["reset_needed"]:
            module.warn("The device needs a reset for some of these changes to take effect (see mediant_reset).")
        if verify:
            check_applied(module, configuration.read()[1], desired, replace, result)
    device.save_when(params["save_when"], bool(changes), False, result,
                     impossible="Not saving: the device is resetting to load the INI file (wait=false)." if resetting else None)
    return result


def main():
    module = MediantModule(
        argument_spec=ARGUMENT_SPEC,
        mutually_exclusive=[("src", "content"), ("parameters", "src"), ("parameters", "content"),
                            ("tables", "src"), ("tables", "content"), ("table_states", "src"), ("table_states", "content"),
                            ("column_defaults", "src"), ("column_defaults", "content")],
        required_one_of=[("parameters", "tables", "src", "content")],
        supports_check_mode=True,
    )
    module.run(configure)


if __name__ == "__main__":
    main()
