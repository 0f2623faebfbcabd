# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The fleet layer's playbooks chained as users run them (and as the AWX workflow does) on the
example fleet: fleet_config.yml --check writes drift documents, backup.yml a run, report.yml reads
both - the report's drift and backup figures are those of the documents and of the devices."""
from __future__ import annotations

import json


def test_the_report_shows_the_drift_of_the_config_check_and_the_backup_run(example_fleet, tmp_path):
    drift_dir, root, report_dir = tmp_path / "drift", tmp_path / "backups", tmp_path / "reports"
    check = example_fleet.run("fleet_config.yml", "--check", extra_vars={"config_drift_dir": str(drift_dir)})
    assert check.rc == 0, check.stdout + check.stderr
    backed_up = example_fleet.run("backup.yml", extra_vars={"backup_root": str(root), "target": "sbc-lon-1:sbc-nyc-1"})
    assert backed_up.rc == 0, backed_up.stdout + backed_up.stderr
    report = example_fleet.run("report.yml", "--check", extra_vars={
        "report_dir": str(report_dir), "report_drift_dir": str(drift_dir), "report_backup_root": str(root)})
    assert report.rc == 0, report.stdout + report.stderr

    document = json.loads((report_dir / "fleet-report.json").read_text())
    sections = {section["title"]: section["rows"] for section in document["sections"]}
    drifts = {row["device"]: row for row in sections["Drift from the desired state"]}
    for host in example_fleet.devices:
        written = json.loads((drift_dir / f"{host}.json").read_text())
        assert (drifts[host]["in_sync"], drifts[host]["total"]) == (written["in_sync"], written["summary"]["total"])
        assert drifts[host]["total"] > 0  # the example inventory's layers are not on fresh devices yet
    figures = {figure["label"]: figure["value"] for figure in document["summary"]}
    assert figures["Drift from the desired state"] == len(example_fleet.devices)
    # the two backed-up devices have their run as last backup; the HA pairs and the gateway have none
    [run] = [path.name for path in root.iterdir() if path.is_dir()]
    backups = {row["device"]: row for row in sections["Last backups"]}
    assert {host: row["run"] for host, row in backups.items()} == {"sbc-lon-1": run, "sbc-nyc-1": run}
    assert figures["Backups missing or older than 7 days"] == len(example_fleet.devices) - 2
    devices = {row["device"]: row for row in sections["Devices"]}
    for host, device in example_fleet.devices.items():
        status = device.snapshot()
        assert devices[host]["firmware"] == status["firmware"]
    assert devices["sbc-fra-ha"]["ha_state"] == example_fleet.devices["sbc-fra-ha"].snapshot()["ha"]["state"]
