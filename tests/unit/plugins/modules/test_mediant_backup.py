# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""mediant_backup: what it reads from the device, what it writes, when it reports a change."""
from __future__ import annotations

import json
import os

from tests.unit.framework.device_data import SERIAL, api_generation, status
from tests.unit.framework.fake_http import Call

INI = ";** Ini File **\r\n[SYSTEM Params]\r\nSyslogServerIP = 10.1.1.1\r\n"
CLI = "configure system\n hostname \"sbc1\"\nexit\n"


def reads(ini=INI, cli=CLI):
    return [Call("GET", "status", answer=status()), Call("GET", "files/ini", answer=ini), Call("GET", "files/cliScript", answer=cli)]


def test_a_first_backup_writes_each_format_and_its_metadata(device, run, tmp_path):
    device.always(api_generation("7.4"))
    device.expect(*reads())
    dest = tmp_path / "sbc1" / "today"
    result = run("mediant_backup", {"dest": str(dest), "formats": ["ini", "cli"]})
    assert result["changed"] is True and not result.get("failed")
    assert result["differences"] == ["ini", "cli"] and result["device"]["serial"] == SERIAL
    assert (dest / "config.ini").read_bytes() == INI.encode() and (dest / "config.cli").read_text() == CLI
    metadata = json.loads((dest / "backup.json").read_text())
    assert sorted(metadata["files"]) == ["cli", "ini"] and metadata["device"]["version"] == "7.40A.500.010"
    assert os.stat(dest / "config.ini").st_mode & 0o777 == 0o600


def test_the_same_configuration_as_the_previous_backup_is_no_change(device, run, tmp_path):
    device.always(api_generation("7.4"))
    device.expect(*reads(), *reads())
    run("mediant_backup", {"dest": str(tmp_path / "monday"), "formats": ["ini", "cli"]})
    result = run("mediant_backup", {"dest": str(tmp_path / "tuesday"), "formats": ["ini", "cli"],
                                    "previous": str(tmp_path / "monday")})
    assert result["changed"] is False and result["differences"] == []


def test_check_mode_reads_the_device_and_writes_nothing(device, run, tmp_path):
    device.always(api_generation("7.4"))
    device.expect(*reads())
    result = run("mediant_backup", {"dest": str(tmp_path / "sbc1"), "formats": ["ini", "cli"]}, check_mode=True)
    assert result["changed"] is True and not (tmp_path / "sbc1").exists()


def test_a_package_the_user_may_not_read_is_skipped_with_a_warning(device, run, tmp_path):
    device.always(api_generation("7.4"))
    device.expect(Call("GET", "status", answer=status()),
                  Call("GET", "files/configurationPackage.tar.gz", status=403, answer={"description": "Forbidden"}))
    result = run("mediant_backup", {"dest": str(tmp_path / "sbc1"), "formats": ["package"], "username": "Operator"})
    assert "package" in result["skipped_formats"] and result["files"] == {"metadata": str(tmp_path / "sbc1" / "backup.json")}
    assert any(warning.startswith("Configuration package not backed up") for warning in result["warnings"])


def test_no_format_is_refused_before_anything_is_read(device, run, tmp_path):
    result = run("mediant_backup", {"dest": str(tmp_path / "sbc1"), "formats": []})
    assert result["failed"] and result["msg"] == "formats: give at least one of ini, cli, package"
    assert device.sent == [] and not (tmp_path / "sbc1").exists()


def test_previous_that_is_dest_is_refused_before_anything_is_read(device, run, tmp_path):
    (tmp_path / "sbc1").mkdir()
    result = run("mediant_backup", {"dest": str(tmp_path / "sbc1"), "previous": str(tmp_path / "sbc1")})
    assert result["failed"] and result["msg"] == ("previous and dest are the same directory {0!r}: give the directory of an "
                                                  "earlier backup".format(str(tmp_path / "sbc1")))
    assert device.sent == []


def test_a_dest_whose_parent_cannot_be_made_is_refused_before_anything_is_read(device, run, tmp_path):
    (tmp_path / "a-file").write_text("not a directory")
    result = run("mediant_backup", {"dest": str(tmp_path / "a-file" / "sbc1" / "today")})
    assert result["failed"]
    assert result["msg"].startswith("dest: cannot create {0!r}: ".format(str(tmp_path / "a-file" / "sbc1")))
    assert device.sent == []


def test_a_backup_that_cannot_be_put_in_place_fails_and_leaves_no_partial_files(device, run, tmp_path):
    device.always(api_generation("7.4"))
    device.expect(*reads())
    dest = tmp_path / "sbc1"
    dest.mkdir()
    (dest / "config.ini").mkdir()      # a directory where the INI file goes: the rename fails
    result = run("mediant_backup", {"dest": str(dest), "formats": ["ini", "cli"]})
    assert result["failed"] and result["msg"].startswith("Could not write the backup into {0!r}: ".format(str(dest)))
    assert result["device"]["serial"] == SERIAL and result["differences"] == ["ini", "cli"]
    assert sorted(path.name for path in tmp_path.iterdir()) == ["sbc1"]   # the staging directory is gone
