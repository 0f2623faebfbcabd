# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Values the device rewrites never show as drift in mediant_cli: enumerations given by number or
in another case are sent and compared as the device prints them; the collection's table of
enumerations (cli_schema.py) is the simulator's."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from ansible_collections.audiocodes.mediant.plugins.module_utils.cli_schema import ENUMS

CLI = "audiocodes.mediant.mediant_cli"
SYSLOG = {"parents": ["configure troubleshoot", "syslog"], "lines": ["syslog ON", "log-level 4", "syslog-ip 10.1.1.20"]}


def test_enumerations_by_number_or_case_converge_once(device, run_play):
    play = run_play([{"name": "first", CLI: SYSLOG}, {"name": "second", CLI: SYSLOG}], device)
    first, second = play.task("first"), play.task("second")
    assert first["status"] == "changed", first
    assert "syslog on" in first["result"]["updates"] and "log-level warning" in first["result"]["updates"]
    assert not first["result"].get("warnings"), first["result"].get("warnings")   # the device shows what was sent
    assert second["status"] == "ok" and second["result"]["commands"] == [], second
    params = device.snapshot()["running_config"]["params"]
    assert (params["EnableSyslog"], params["SyslogLogLevel"]) == (1, 4)


def test_the_collection_knows_the_simulators_enumerations():
    """When the simulator learns an enumeration: PYTHONPATH=. .venv/bin/python scripts/cli_schema_data.py."""
    root = Path(__file__).resolve().parents[2]
    spec = importlib.util.spec_from_file_location("cli_schema_data", root / "scripts" / "cli_schema_data.py")
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(root))
    try:
        spec.loader.exec_module(module)
        assert module.enums() == ENUMS
    finally:
        sys.path.remove(str(root))
