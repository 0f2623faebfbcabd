# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a backup compares: the configuration, not the header lines that change by themselves."""
from __future__ import annotations

import importlib.util
import io
import sys
import tarfile
from pathlib import Path

import pytest

from tests.ini_corpus import corpus_names, corpus_text

REPO = Path(__file__).resolve().parents[4]


def _load_library():
    spec = importlib.util.spec_from_file_location("mediant_config_backup", REPO / "plugins" / "module_utils" / "config_backup.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


backup = _load_library()

INI = """;**************\r
;** Ini File **\r
;**************\r
\r
;Board: Mediant VE SBC\r
;Serial Number: 101780235059663\r
;Software Version: 7.40A.500.010\r
;Board IP Address: 10.4.219.229\r
;----------------------------------------------\r
\r
[SYSTEM Params]\r
\r
EnableSyslog = 1\r
;LDAPSERVERPORT is hidden but has non-default value\r
\r
[ SRD ]\r
FORMAT Index = Name;\r
SRD 0 = "DefaultSRD";\r
[ \\SRD ]\r
"""


def _other_header(text):
    return (text.replace("101780235059663", "101780235059999").replace("7.40A.500.010", "7.40A.600.001")
            .replace("10.4.219.229", "10.4.219.230"))


def test_ini_header_lines_are_not_compared():
    assert backup.fingerprint("ini", INI.encode()) == backup.fingerprint("ini", _other_header(INI).encode())
    assert backup.stable_ini(INI).splitlines()[0] == "[SYSTEM Params]"


def test_ini_line_ends_trailing_spaces_and_blank_lines_are_not_compared():
    relaxed = INI.replace("\r\n", "\n").replace("EnableSyslog = 1", "EnableSyslog = 1   ") + "\n\n"
    assert backup.fingerprint("ini", INI.encode()) == backup.fingerprint("ini", relaxed.encode())


@pytest.mark.parametrize("change", [
    lambda t: t.replace("EnableSyslog = 1", "EnableSyslog = 0"),
    lambda t: t.replace('SRD 0 = "DefaultSRD";', 'SRD 0 = "Other";'),
    lambda t: t.replace(";LDAPSERVERPORT is hidden but has non-default value\r\n", ""),  # a comment of the configuration
])
def test_a_configuration_change_is_a_difference(change):
    assert backup.fingerprint("ini", INI.encode()) != backup.fingerprint("ini", change(INI).encode())


@pytest.mark.parametrize("name", corpus_names())
def test_real_device_files_keep_every_configuration_line(name):
    text = corpus_text(name)
    stable = backup.stable_ini(text).splitlines()
    first_section = next(line for line in text.splitlines() if line.strip().startswith("["))
    assert stable[0] == first_section.rstrip()
    body = [line.rstrip() for line in text.splitlines()[text.splitlines().index(first_section):] if line.strip()]
    assert stable == body


def test_cli_leading_comments_are_not_compared():
    script = "# Running configuration, generated 2026-12-04 14:00\n! by 7.40A.500.010\nconfigure system\n  hostname sbc1\n exit\n"
    other = "# Running configuration, generated 2026-12-05 09:00\nconfigure system\n  hostname sbc1\n exit\n"
    assert backup.fingerprint("cli", script.encode()) == backup.fingerprint("cli", other.encode())
    assert backup.fingerprint("cli", script.encode()) != backup.fingerprint("cli", script.replace("sbc1", "sbc2").encode())


def _package(ini, certificate="CERT", mtime=0):
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for name, text in (("configuration.ini", ini), ("tls/0/certificate.pem", certificate)):
            data = text.encode()
            info = tarfile.TarInfo(name)
            info.size, info.mtime = len(data), mtime
            tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def test_package_members_are_compared_not_the_archive():
    first, later = _package(INI, mtime=1000), _package(_other_header(INI), mtime=2000)
    assert first != later
    assert backup.fingerprint("package", first) == backup.fingerprint("package", later)
    assert backup.fingerprint("package", first) != backup.fingerprint("package", _package(INI, certificate="NEW"))


def test_not_a_package():
    with pytest.raises(ValueError, match="not a tar.gz configuration package"):
        backup.fingerprint("package", b"<html>error</html>")


def test_ini_header_facts():
    assert backup.ini_header(INI) == {"board": "Mediant VE SBC", "serial": "101780235059663", "version": "7.40A.500.010"}
