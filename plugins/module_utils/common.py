# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Module construction shared by every mediant_* module: the option groups several modules share
(argument specs, each documented by a doc fragment of the same name), the client, and failing in
one place (``MediantModule.run``).

What a module does with the device goes through the device layer (device.py, device_ini.py,
device_cli.py, tls_context.py); this file knows nothing of the device's resources.
"""

from __future__ import annotations

import os
from typing import Any, Callable

from ansible.module_utils.basic import AnsibleModule, env_fallback

from ansible_collections.audiocodes.mediant.plugins.module_utils.errors import InputError, TaskError
from ansible_collections.audiocodes.mediant.plugins.module_utils.rest import (
    HAS_REQUESTS,
    MISSING_REQUESTS_MSG,
    REQUESTS_IMPORT_ERROR,
    MediantClient,
    MediantError,
)

# The keys under which a module hands the action plugin the configuration it backs up
# (docs/architecture.md "Backups through the action plugin"); they never reach the user.
BACKUP_TEXT_KEY = "__backup__"
BACKUP_EXTENSION_KEY = "__backup_ext__"

SAVE_WHEN_CHOICES = ("never", "changed", "always")

# Options several modules share, each checked one way, before anything is sent: seconds that
# must be positive, and seconds or counts that may be 0. A module checks its own options of these
# kinds with check_positive and check_minimum, so that every such message reads the same.
POSITIVE_SECONDS = ("timeout", "wait_timeout")
NOT_NEGATIVE = ("busy_timeout",)


def mediant_argument_spec() -> dict[str, dict[str, Any]]:
    """The connection options, each with its MEDIANT_* environment variable fallback
    (doc fragment audiocodes.mediant.connection)."""
    return dict(
        host=dict(type="str", required=True, fallback=(env_fallback, ["MEDIANT_HOST"])),
        port=dict(type="int", fallback=(env_fallback, ["MEDIANT_PORT"])),
        protocol=dict(type="str", default="https", choices=["https", "http"],
                      fallback=(env_fallback, ["MEDIANT_PROTOCOL"])),
        username=dict(type="str", required=True, fallback=(env_fallback, ["MEDIANT_USERNAME"])),
        password=dict(type="str", required=True, no_log=True, fallback=(env_fallback, ["MEDIANT_PASSWORD"])),
        validate_certs=dict(type="bool", default=True, fallback=(env_fallback, ["MEDIANT_VALIDATE_CERTS"])),
        ca_path=dict(type="path", fallback=(env_fallback, ["MEDIANT_CA_PATH"])),
        timeout=dict(type="int", default=30, fallback=(env_fallback, ["MEDIANT_TIMEOUT"])),
    )


def backup_argument_spec() -> dict[str, dict[str, Any]]:
    """``backup`` and ``backup_options`` for modules that save the configuration on the controller
    (the action plugin writes the file; doc fragment audiocodes.mediant.backup)."""
    return dict(
        backup=dict(type="bool", default=False),
        backup_options=dict(type="dict", options=dict(
            dir_path=dict(type="path"),
            filename=dict(type="str"),
        )),
    )


def subject_argument_spec() -> dict[str, dict[str, Any]]:
    """The suboptions of a certificate ``subject`` (mediant_certificate, mediant_certificate_request):
    the distinguished-name fields certificates.build_name takes."""
    return dict((field, dict(type="str")) for field in (
        "common_name", "organizational_unit", "organization", "locality", "state", "country"))


def busy_argument_spec() -> dict[str, dict[str, Any]]:
    """``busy_timeout`` for modules whose change a busy device refuses with 409 (doc fragment
    audiocodes.mediant.busy); the device layer passes it to the client's ``busy_timeout=``."""
    return dict(busy_timeout=dict(type="int", default=120))


def save_when_argument_spec() -> dict[str, dict[str, Any]]:
    """``save_when`` for modules that change the running configuration (doc fragment
    audiocodes.mediant.save_when; decided by device.Device.save_when)."""
    return dict(save_when=dict(type="str", choices=list(SAVE_WHEN_CHOICES), default="never"))


def wait_argument_spec(wait_timeout: int = 600) -> dict[str, dict[str, Any]]:
    """``wait`` and ``wait_timeout`` for modules whose change resets the device (doc fragment
    audiocodes.mediant.wait; a module with another default documents it)."""
    return dict(wait=dict(type="bool", default=True), wait_timeout=dict(type="int", default=wait_timeout))


class MediantModule(AnsibleModule):
    """AnsibleModule with the connection options merged in and a lazily built MediantClient.

    ``connection=False`` is for a module that talks to no device (mediant_certificate_sign): no
    connection options, no client, but failing in the one place all the same (:meth:`run`).
    """

    def __init__(self, argument_spec: dict[str, Any] | None = None, connection: bool = True, **kwargs: Any):
        spec = mediant_argument_spec() if connection else {}
        spec.update(argument_spec or {})
        super().__init__(argument_spec=spec, **kwargs)
        if connection and not HAS_REQUESTS:
            self.fail_json(msg=MISSING_REQUESTS_MSG, exception=REQUESTS_IMPORT_ERROR)
        self._client: MediantClient | None = None

    def client(self) -> MediantClient:
        """The one MediantClient of this module run."""
        if self._client is None:
            self._client = MediantClient.from_params(self.params)
        return self._client

    def check_shared_options(self) -> None:
        """The options several modules share, checked the one way (InputError naming the option)."""
        self.check_positive(*[name for name in POSITIVE_SECONDS if name in self.params])
        self.check_not_negative(*[name for name in NOT_NEGATIVE if name in self.params])

    def check_positive(self, *names: str) -> None:
        """InputError naming the first of the options ``names`` (seconds) set to 0 or less."""
        for name in names:
            value = self.params[name]
            if value is not None and value <= 0:
                raise InputError("{0} must be a positive number of seconds, got {1}".format(name, value), option=name)

    def check_not_negative(self, *names: str) -> None:
        """InputError naming the first of the integer options ``names`` set below 0 (seconds, counts)."""
        self.check_minimum(0, *names)

    def check_minimum(self, minimum: int, *names: str) -> None:
        """InputError naming the first of the integer options ``names`` set below ``minimum``."""
        for name in names:
            value = self.params[name]
            if value is not None and value < minimum:
                raise InputError("{0} must be {1} or more, got {2}".format(name, minimum, value), option=name)

    def file_of(self, path_option: str, max_bytes: int | None = None, what: str = "file",
                content_option: str | None = None) -> bytes | None:
        """The bytes of the file the option ``path_option`` names; None when it is not set.

        InputError, naming the option and the path, when the file is missing, larger than
        ``max_bytes`` (then "not a <what>") or unreadable; ``content_option`` is named in the
        missing-file message as the way to give the text itself.
        """
        path = self.params[path_option]
        if path is None:
            return None
        if not os.path.isfile(path):
            alternative = " (give the text itself in {0})".format(content_option) if content_option else ""
            raise InputError("{0}: no such file {1!r} on the host that runs the module{2}".format(path_option, path, alternative),
                             option=path_option)
        try:
            if max_bytes is not None and os.path.getsize(path) > max_bytes:
                raise InputError("{0}: {1!r} is larger than {2} bytes: not a {3}".format(path_option, path, max_bytes, what),
                                 option=path_option)
            with open(path, "rb") as handle:
                return handle.read()
        except OSError as err:
            raise InputError("{0}: cannot read {1!r}: {2}".format(path_option, path, err.strerror or err),
                             option=path_option) from None

    def text_of(self, src_option: str = "src", content_option: str = "content") -> str | None:
        """The text the task gives in ``content_option``, else the text of the file ``src_option``
        names (UTF-8, undecodable bytes replaced, line ends kept as they are); None for neither."""
        if self.params[content_option] is not None:
            return self.params[content_option]
        data = self.file_of(src_option, content_option=content_option)
        return None if data is None else data.decode("utf-8", errors="replace")

    def add_backup(self, result: dict[str, Any], text: str, extension: str) -> None:
        """With ``backup: true``, hand ``text`` to the action plugin, which writes it on the controller
        as a ``.<extension>`` file and returns ``backup_path``."""
        if self.params.get("backup"):
            result[BACKUP_TEXT_KEY] = text
            result[BACKUP_EXTENSION_KEY] = extension

    def fail_from(self, err: Exception, **result: Any) -> None:
        """fail_json from a MediantError (its message, HTTP status and the device's description) or
        a TaskError (its message and result keys)."""
        if isinstance(err, MediantError):
            result.update(err.to_result())
        if isinstance(err, TaskError):
            result.update(err.result)
        self.fail_json(msg=str(err), **result)

    def fail_json(self, msg: str, **kwargs: Any) -> None:
        """Every failure closes the client's connections first, whatever path it fails by."""
        self.close_client()
        super().fail_json(msg, **kwargs)

    def close_client(self) -> None:
        """Close the client's keep-alive connections (e.g. before waiting for a reset)."""
        # getattr: AnsibleModule fails argument validation before __init__ has set _client.
        if getattr(self, "_client", None) is not None:
            self._client.close()  # type: ignore[union-attr]

    def run(self, main_fn: Callable[[MediantModule], dict[str, Any] | None]) -> None:
        """Check the shared options, run ``main_fn(module)`` and exit with the dict it returns; fail
        in this one place on TaskError (InputError: an option the module cannot use; or what the
        device layer found) and MediantError (the device or the connection)."""
        try:
            self.check_shared_options()
            result = main_fn(self)
        except (TaskError, MediantError) as err:
            self.fail_from(err)
            return
        self.close_client()
        self.exit_json(**(result or {}))
