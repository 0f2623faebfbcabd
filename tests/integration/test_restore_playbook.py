# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""playbooks/backup.yml then playbooks/restore.yml against the example fleet, as users run them:
an HA pair (one host) restored through its reset, another device's backup refused by product and
serial number, and restored with backup_restore_force."""
from __future__ import annotations

import re

from tests.integration.device_helpers import config_state
from tests.integration.test_role_backup import set_parameter

RUN = re.compile(r"^\d{8}T\d{6}Z$")


def params(device):
    return device.snapshot()["running_config"]["params"]


def test_restore_an_ha_pair_refuse_another_product_and_force_another_serial(example_fleet, tmp_path):
    fra, lon, nyc, gateway = (example_fleet.devices[name] for name in ("sbc-fra-ha", "sbc-lon-1", "sbc-nyc-1", "gw-par-1"))
    set_parameter(lon, tmp_path, "SyslogServerIP", "192.0.2.11")
    root = tmp_path / "backups"
    backed_up = example_fleet.run("backup.yml", extra_vars={"backup_root": str(root)})
    assert backed_up.rc == 0, backed_up.stdout + backed_up.stderr
    [run] = [path.name for path in root.iterdir() if RUN.match(path.name)]

    # The HA pair drifts; --check --diff shows the difference and sends nothing.
    set_parameter(fra, tmp_path, "SyslogServerIP", "192.0.2.77")
    drifted = config_state(fra)
    boots = fra.snapshot()["boot_count"]
    plan = example_fleet.run("restore.yml", "--check", "--diff", extra_vars={"target": "sbc-fra-ha", "backup_root": str(root)})
    assert plan.rc == 0, plan.stdout + plan.stderr
    assert "-SyslogServerIP = 192.0.2.77" in plan.stdout and "would load" in plan.stdout
    assert config_state(fra) == drifted and fra.snapshot()["boot_count"] == boots

    # Applied: the pair (one inventory host) resets to load it, comes back, and holds the backup.
    restored = example_fleet.run("restore.yml", extra_vars={"target": "sbc-fra-ha", "backup_root": str(root)})
    assert restored.rc == 0, restored.stdout + restored.stderr
    assert restored.recap("sbc-fra-ha")["failed"] == 0 and restored.recap("sbc-fra-ha")["changed"] > 0
    assert params(fra).get("SyslogServerIP", "0.0.0.0") != "192.0.2.77"
    assert fra.snapshot()["boot_count"] > boots
    pair = fra.snapshot()["ha"]["pair"]
    assert (pair["state"], pair["synced"]) == ("Operational", True)  # both units serve again
    again = example_fleet.run("restore.yml", extra_vars={"target": "sbc-fra-ha", "backup_root": str(root)})
    assert again.rc == 0 and again.recap("sbc-fra-ha")["changed"] == 0, again.stdout
    assert "already holds" in again.stdout

    # sbc-lon-1's backup onto the gateway (another product) and onto sbc-nyc-1 (another serial): refused.
    lon_backup = str(root / run / "sbc-lon-1")
    before = {name: config_state(device) for name, device in (("gw", gateway), ("nyc", nyc))}
    refused = example_fleet.run("restore.yml", extra_vars={"target": "gw-par-1:sbc-nyc-1", "backup_root": str(root),
                                                           "backup_restore_from": lon_backup})
    assert refused.rc != 0
    assert refused.recap("gw-par-1")["failed"] == 1, refused.stdout
    # serial: 1 - the first refusal stops the restore: the next device is not touched
    assert "sbc-nyc-1" not in refused.stdout
    other = example_fleet.run("restore.yml", extra_vars={"target": "sbc-nyc-1", "backup_root": str(root),
                                                         "backup_restore_from": lon_backup})
    assert other.rc != 0 and other.recap("sbc-nyc-1")["failed"] == 1
    assert "failed at 'Refuse a backup of another device' on sbc-nyc-1" in other.stdout
    assert "Mediant VE SBC" in refused.stdout and "Mediant 1000" in refused.stdout
    assert "backup_restore_force=true" in refused.stdout
    assert {"gw": config_state(gateway), "nyc": config_state(nyc)} == before

    # Forced: sbc-nyc-1 takes sbc-lon-1's configuration.
    forced = example_fleet.run("restore.yml", extra_vars={"target": "sbc-nyc-1", "backup_root": str(root),
                                                          "backup_restore_from": lon_backup, "backup_restore_force": True})
    assert forced.rc == 0, forced.stdout + forced.stderr
    assert params(nyc)["SyslogServerIP"] == "192.0.2.11"
