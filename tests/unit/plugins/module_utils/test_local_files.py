# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""local_files: files the certificate modules write, atomically, with their mode, only when changed."""
from __future__ import annotations

import os
import stat

import pytest

from ansible_collections.audiocodes.mediant.plugins.module_utils.errors import InputError
from ansible_collections.audiocodes.mediant.plugins.module_utils.local_files import write_file, write_if_changed


def test_a_file_is_written_only_when_its_content_differs(tmp_path):
    path = tmp_path / "a.csr"
    assert write_if_changed("csr_path", str(path), "one\n") is True
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o644
    assert write_if_changed("csr_path", str(path), "one\n") is False
    assert write_if_changed("csr_path", str(path), "two\n", check_mode=True) is False
    assert path.read_text() == "one\n"
    assert write_if_changed("csr_path", str(path), "two\n") is True and path.read_text() == "two\n"
    assert [entry.name for entry in tmp_path.iterdir()] == ["a.csr"]


def test_a_key_file_has_its_mode_from_the_start(tmp_path):
    path = tmp_path / "k.pem"
    write_file("private_key_dest", str(path), "secret", 0o600)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_a_path_that_cannot_be_written_names_the_option(tmp_path):
    with pytest.raises(InputError) as refused:
        write_file("dest", str(tmp_path / "no-such-dir" / "c.pem"), "x", 0o644)
    assert refused.value.option == "dest" and str(refused.value).startswith("cannot write dest ")
