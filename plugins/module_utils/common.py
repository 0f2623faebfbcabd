# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Module construction shared by every mediant_* module: connection options, client, error reporting."""

from __future__ import annotations

import os
from collections import namedtuple

from ansible.module_utils.basic import AnsibleModule, env_fallback

from ansible_collections.audiocodes.mediant.plugins.module_utils.cli_config import CliConfigError, check_line, find_script_error
from ansible_collections.audiocodes.mediant.plugins.module_utils.errors import InputError
from ansible_collections.audiocodes.mediant.plugins.module_utils.rest import (
    HAS_REQUESTS,
    MISSING_REQUESTS_MSG,
    REQUESTS_IMPORT_ERROR,
    MediantClient,
    MediantError,
)


def mediant_argument_spec():
    """The connection options, each with its MEDIANT_* environment variable fallback."""
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


def backup_argument_spec():
    """``backup`` and ``backup_options`` for modules that save the configuration on the controller
    (the action plugin writes the file; see the audiocodes.mediant.backup doc fragment)."""
    return dict(
        backup=dict(type="bool", default=False),
        backup_options=dict(type="dict", options=dict(
            dir_path=dict(type="path"),
            filename=dict(type="str"),
        )),
    )


CLI_SCRIPT_INCREMENTAL = "files/cliScript/incremental"

# output: what the device printed; failure: the refused command it reports (find_script_error), or
# None; description: the device's description; status: 400 when it refused the script as a whole,
# None when it answered 200 (an error may still be in the output).
CliScriptRun = namedtuple("CliScriptRun", ["output", "failure", "description", "status"])


def run_cli_script(client, commands, busy_timeout=None):
    """Run ``commands`` on the device as one incremental CLI script; a CliScriptRun. Errors other
    than a 400 refusal (whose JSON body holds the output) raise MediantError. Each command must be
    one line (cli_config.check_line): the one place every CLI script is sent checks it again.
    ``busy_timeout``: seconds to wait out 409 (busy) answers, see MediantClient.request()."""
    try:
        for command in commands:
            check_line(command, "command")
    except CliConfigError as err:
        raise InputError("{0}. Nothing was sent to the device.".format(err)) from None
    try:
        answer = client.upload(CLI_SCRIPT_INCREMENTAL, content="\n".join(commands) + "\n", filename="cli.txt", busy_timeout=busy_timeout)
    except MediantError as err:
        if err.status != 400:
            raise
        output = (err.body or {}).get("output") or ""
        return CliScriptRun(output, find_script_error(output, commands, err.description), err.description, err.status)
    answer = answer or {}
    output = answer.get("output") or ""
    return CliScriptRun(output, find_script_error(output, commands), answer.get("description"), None)


def busy_argument_spec():
    """``busy_timeout`` for modules whose change a busy device refuses with 409 (see the
    audiocodes.mediant.busy doc fragment); pass it to the client's ``busy_timeout=``."""
    return dict(busy_timeout=dict(type="int", default=120))


class MediantModule(AnsibleModule):
    """AnsibleModule with the connection options merged in and a lazily built MediantClient."""

    def __init__(self, argument_spec=None, **kwargs):
        spec = mediant_argument_spec()
        spec.update(argument_spec or {})
        super().__init__(argument_spec=spec, **kwargs)
        if not HAS_REQUESTS:
            self.fail_json(msg=MISSING_REQUESTS_MSG, exception=REQUESTS_IMPORT_ERROR)
        if self.params["timeout"] is not None and self.params["timeout"] <= 0:
            self.fail_json(msg="timeout must be a positive number of seconds, got {0}".format(self.params["timeout"]))
        self._client = None

    def client(self):
        """The one MediantClient of this module run."""
        if self._client is None:
            self._client = MediantClient.from_params(self.params)
        return self._client

    def check_not_negative(self, *names):
        """Fail naming the first of the integer options ``names`` set below 0 (seconds, counts)."""
        for name in names:
            if self.params[name] is not None and self.params[name] < 0:
                self.fail_json(msg="{0} must be 0 or more, got {1}".format(name, self.params[name]))

    def file_of(self, path_option, max_bytes=None, what="file", content_option=None):
        """The bytes of the file the option ``path_option`` names; None when it is not set.

        Fails, naming the option and the path, when the file is missing, larger than
        ``max_bytes`` (then "not a <what>") or unreadable; ``content_option`` is named in the
        missing-file message as the way to give the text itself.
        """
        path = self.params[path_option]
        if path is None:
            return None
        if not os.path.isfile(path):
            alternative = " (give the text itself in {0})".format(content_option) if content_option else ""
            self._fail_reading("{0}: no such file {1!r} on the host that runs the module{2}".format(path_option, path, alternative))
        try:
            if max_bytes is not None and os.path.getsize(path) > max_bytes:
                self._fail_reading("{0}: {1!r} is larger than {2} bytes: not a {3}".format(path_option, path, max_bytes, what))
            with open(path, "rb") as handle:
                return handle.read()
        except OSError as err:
            self._fail_reading("{0}: cannot read {1!r}: {2}".format(path_option, path, err.strerror or err))
        return None  # not reached: fail_json exits

    def text_of(self, src_option="src", content_option="content"):
        """The text the task gives in ``content_option``, else the text of the file ``src_option``
        names (UTF-8, undecodable bytes replaced, line ends kept as they are); None for neither."""
        if self.params[content_option] is not None:
            return self.params[content_option]
        data = self.file_of(src_option, content_option=content_option)
        return None if data is None else data.decode("utf-8", errors="replace")

    def _fail_reading(self, msg):
        self.close_client()
        self.fail_json(msg=msg)

    def fail_from(self, err, **result):
        """fail_json from a MediantError: its message, HTTP status and the device's description."""
        result.update(err.to_result() if isinstance(err, MediantError) else {})
        self.fail_json(msg=str(err), **result)

    def fail_json(self, msg, **kwargs):
        """Every failure closes the client's connections first, whatever path it fails by."""
        self.close_client()
        super().fail_json(msg, **kwargs)

    def close_client(self):
        """Close the client's keep-alive connections (e.g. before waiting for a reset)."""
        # getattr: AnsibleModule fails argument validation before __init__ has set _client.
        if getattr(self, "_client", None) is not None:
            self._client.close()

    def run(self, main_fn):
        """Run ``main_fn(module)``; exit with the dict it returns, or fail cleanly on MediantError
        (the device or the connection) and InputError (an option the module cannot use)."""
        try:
            result = main_fn(self)
        except InputError as err:
            self.fail_json(msg=str(err))
        except MediantError as err:
            self.fail_from(err)
        self.close_client()
        self.exit_json(**(result or {}))
