# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The device's CLI, for the device layer (device.py): the running configuration as a CLI script
(``files/cliScript``), and incremental scripts run on the device (``files/cliScript/incremental``),
the one place every CLI script is sent from. A script the device refuses fails the task naming
the command, and saying whether the running configuration is still as it was."""

from __future__ import annotations

from collections import namedtuple
from typing import Any

from ansible_collections.audiocodes.mediant.plugins.module_utils.cli_config import (
    CliConfigError, ConfigNode, check_line, find_script_error, parse,
)
from ansible_collections.audiocodes.mediant.plugins.module_utils.device import Device
from ansible_collections.audiocodes.mediant.plugins.module_utils.errors import InputError
from ansible_collections.audiocodes.mediant.plugins.module_utils.rest import MediantClient, MediantError

RUNNING_CONFIG = "files/cliScript"
CLI_SCRIPT_INCREMENTAL = "files/cliScript/incremental"

# output: what the device printed; failure: the refused command it reports (find_script_error), or
# None; description: the device's description; status: 400 when it refused the script as a whole,
# None when it answered 200 (an error may still be in the output).
CliScriptRun = namedtuple("CliScriptRun", ["output", "failure", "description", "status"])


def run_cli_script(client: MediantClient, commands: list[str], busy_timeout: int | None = None) -> CliScriptRun:
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
        answer = client.upload(CLI_SCRIPT_INCREMENTAL, content="\n".join(commands) + "\n", filename="cli.txt",
                               busy_timeout=busy_timeout)
    except MediantError as err:
        if err.status != 400:
            raise
        output = (err.body or {}).get("output") or ""
        return CliScriptRun(output, find_script_error(output, commands, err.description), err.description, err.status)
    answer = answer or {}
    output = answer.get("output") or ""
    return CliScriptRun(output, find_script_error(output, commands), answer.get("description"), None)


class CliConfiguration:
    """The CLI configuration of one device: its running configuration and the scripts that change it."""

    def __init__(self, device: Device):
        self.device = device
        self.client = device.client

    def read(self) -> tuple[str, ConfigNode]:
        """The running configuration: its text and its tree of modes."""
        text = self.client.get_text(RUNNING_CONFIG)
        try:
            return text, parse(text)
        except CliConfigError as err:
            raise MediantError("The device's running configuration (GET {0}) could not be read as a CLI script: "
                               "{1}".format(RUNNING_CONFIG, err)) from None

    def send_incremental(self, commands: list[str], before: str) -> str:
        """Run the script ``commands``; what the device printed. A command the device refuses fails
        the task naming it; ``before``: the running configuration's text read before."""
        run = run_cli_script(self.client, commands, busy_timeout=self.device.busy_timeout)
        failure: dict[str, Any] = dict(commands=commands, output=run.output)
        if run.status is not None:
            failure.update(status=run.status, description=run.description)
        if run.status is None and run.failure is None:
            return run.output
        if run.failure is None or run.failure.command is None:
            msg = "The device rejected the CLI script: {0}".format(run.description or "no reason given")
        else:
            msg = "The device rejected the CLI script at command {0!r}: {1}".format(run.failure.command, run.failure.reason)
        raise self.device.refused(msg, RUNNING_CONFIG, before, ". The running configuration is unchanged.",
                                  ". The device kept the lines before it: the running configuration has changed.",
                                  **failure)
