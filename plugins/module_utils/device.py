# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The device layer: the steps several modules take with a device, each written once.

Modules are options → desired state → device layer → result. Under them, this file holds what
every kind of change shares - the status, saving the configuration and the ``save_when``
decision, sending a change the device may refuse (busy: 409; refused: 400) and waiting for the
device to come back after it resets, and "the device refused it: is its configuration still as
it was?". Beside it: device_ini.py (the INI configuration file), device_cli.py (CLI scripts),
tls_context.py (TLS contexts). The REST client (rest.py) stays below all of them.

Failures are raised as :class:`TaskError` with the keys the failed result carries; the module
layer reports them in one place (``MediantModule.run``). No Ansible imports.
"""

from __future__ import annotations

import time
from typing import Any, Callable

from ansible_collections.audiocodes.mediant.plugins.module_utils.errors import TaskError
from ansible_collections.audiocodes.mediant.plugins.module_utils.rest import MediantClient, MediantError

STATUS = "status"
SAVE_CONFIGURATION = "actions/saveConfiguration"


def save_wanted(save_when: str, changed: bool) -> bool:
    """Whether ``save_when`` (never, changed, always) asks for a save after a run that ``changed``."""
    return save_when == "always" or (save_when == "changed" and changed)


def busy_refusal(err: MediantError, outcome: str) -> str:
    """The one message for a change the device refused as busy (409) for all of ``busy_timeout``:
    the client's sentence (what was refused, after how many attempts, the device's reason, that it
    is temporary), then what the refusal leaves as it was (``outcome``, the module's tail)."""
    return "{0} {1}".format(err, outcome)


class Device:
    """One device, through the REST client of this module run.

    ``busy_timeout``: how long changes wait out a busy device (409); ``warn``: where warnings go
    (the module's ``warn``).
    """

    def __init__(self, client: MediantClient, busy_timeout: int | None = None,
                 warn: Callable[[str], None] | None = None):
        self.client = client
        self.busy_timeout = busy_timeout
        self.warn = warn or (lambda _text: None)
        self.accepted_at: float | None = None

    # -- status -----------------------------------------------------------------------------
    def status(self) -> dict[str, Any]:
        """The raw ``GET status`` answer (the device's names; status.status_facts converts them)."""
        return self.client.get_json(STATUS) or {}

    # -- saving -----------------------------------------------------------------------------
    def save(self) -> None:
        """Save the running configuration to non-volatile memory."""
        self.client.post_json(SAVE_CONFIGURATION, busy_timeout=self.busy_timeout)

    def save_when(self, save_when: str, changed: bool, check_mode: bool, result: dict[str, Any],
                  impossible: str | None = None) -> None:
        """Save after ``save_when``, the one decision of every module that has the option.

        A save is a change: when one is wanted the task reports changed, in check mode too
        (where nothing is saved). ``impossible``: why the device cannot save now (warned, not saved).
        """
        if not save_wanted(save_when, changed):
            return
        if impossible is not None:
            self.warn(impossible)
            return
        result["changed"] = True
        if check_mode:
            return
        self.save()
        result["saved"] = True

    # -- sending a change -------------------------------------------------------------------
    def send(self, request: Callable[[], Any], what: str, outcome: str, refused: bool = True,
             **result: Any) -> Any:
        """Send one change with ``request()``; what it returns (the device's answer).

        The device refusing ``what`` fails the task with the device's reason and ``outcome`` (what
        the refusal leaves as it was), ``changed`` false and ``result``: as busy (409, after
        ``busy_timeout``) with the one busy message (busy_refusal); as invalid (400) when ``refused``.
        Other errors are raised as they are. Records when the device accepted the change.
        """
        try:
            answer = request()
        except MediantError as err:
            failure = dict(result, changed=False, **err.to_result())
            if err.status == 409:
                raise TaskError(busy_refusal(err, outcome), **failure) from None
            if err.status == 400 and refused:
                raise TaskError("The device refused {0}: {1}. {2}".format(what, err.description or err, outcome),
                                **failure) from None
            raise
        self.accepted_at = time.monotonic()
        return answer

    def wait_until_back(self, what: str, timeout: int, previous_uptime: Any = None,
                        **result: Any) -> tuple[dict[str, Any], float]:
        """After a change the device resets for: wait until it went down and answers again.

        Returns its status and the seconds since it accepted the change (the downtime). A device
        that does not come back within ``timeout`` (the option ``wait_timeout``) fails the task
        with "The device accepted <what>, then: <why>" and ``result``.
        """
        try:
            status = self.client.wait_until_back(timeout, down_first=True, previous_uptime=previous_uptime,
                                                 timeout_option="wait_timeout")
        except MediantError as err:
            raise TaskError("The device accepted {0}, then: {1}".format(what, err), **result) from None
        accepted = self.accepted_at if self.accepted_at is not None else time.monotonic()
        return status, round(time.monotonic() - accepted, 1)

    # -- refused configuration --------------------------------------------------------------
    def refused(self, msg: str, resource: str, before: str, if_unchanged: str, if_changed: str,
                **result: Any) -> TaskError:
        """The failure for a configuration change the device refused: ``msg``, then whether the
        configuration ``resource`` (read again) still is ``before`` - ``if_unchanged`` or
        ``if_changed`` is added to the message, and ``changed`` to the result."""
        same = self.client.get_text(resource) == before
        return TaskError(msg + (if_unchanged if same else if_changed), **dict(result, changed=not same))
