# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one REST client of the collection: AudioCodes Mediant REST API (``/api/v1``) on ``requests``.

One :class:`MediantClient` per module run: one keep-alive session, Basic auth, certificate
verification on by default, bounded retries for requests that are safe to repeat, cursor
pagination, uploads streamed from disk, API generation detection, and errors
(:class:`MediantError`) whose message tells the user what to do.
"""

from __future__ import annotations

import os
import re
import time
import traceback
import uuid
import warnings
from typing import TYPE_CHECKING, Any, Callable

if TYPE_CHECKING:
    from collections.abc import Generator, Iterator, Mapping

try:
    import requests
    HAS_REQUESTS = True
    REQUESTS_IMPORT_ERROR = None
except ImportError:  # pragma: no cover - exercised only where requests is missing
    requests = None  # type: ignore[assignment]  # HAS_REQUESTS is False: MediantClient refuses to start
    HAS_REQUESTS = False
    REQUESTS_IMPORT_ERROR = traceback.format_exc()

API_PREFIX = "/api/v1"
USER_AGENT = "ansible-collection-audiocodes.mediant"

MISSING_REQUESTS_MSG = (
    "Failed to import the required Python library (requests) on the host that runs the module. "
    "Install it in the execution environment: pip install requests "
    "(the collection's requirements.txt lists every Python dependency)."
)

# ---------------------------------------------------------------------------------------------
# Privilege levels (REST API guide v7.4, Tables 2-1 and 2-2), to explain 403 answers.
# ---------------------------------------------------------------------------------------------
MONITOR = "Monitor"
ADMINISTRATOR = "Administrator"
SECURITY_ADMINISTRATOR = "Security Administrator"

# Table 2-2: resource (relative to /api/v1) -> {method: minimum level}. Methods the guide answers
# with "405 Method Not Allowed" are left out. A resource also covers what lies below it
# (files/tls covers files/tls/0/certificate).
RESOURCE_PRIVILEGES = {
    "versions": {"GET": MONITOR},
    "actions/reset": {"POST": ADMINISTRATOR},
    "actions/saveConfiguration": {"POST": ADMINISTRATOR},
    "actions/authToken": {"POST": SECURITY_ADMINISTRATOR},
    "actions": {"GET": ADMINISTRATOR},
    "status": {"GET": MONITOR},
    "license": {"GET": ADMINISTRATOR, "PUT": SECURITY_ADMINISTRATOR},
    "alarms/active": {"GET": MONITOR},
    "alarms/history": {"GET": MONITOR},
    "alarms": {"GET": MONITOR},
    "kpi": {"GET": MONITOR},
    "mc_status": {"GET": MONITOR},
    "files/ini": {"GET": SECURITY_ADMINISTRATOR, "PUT": SECURITY_ADMINISTRATOR},
    "files/ini/incremental": {"PUT": SECURITY_ADMINISTRATOR},
    "files/cliScript/incremental": {"PUT": SECURITY_ADMINISTRATOR},
    "files/cliScript": {"GET": SECURITY_ADMINISTRATOR, "PUT": SECURITY_ADMINISTRATOR},
    "files/software": {"PUT": ADMINISTRATOR},
    "files/software/hitless": {"PUT": ADMINISTRATOR},
    "files/cpt": {"PUT": ADMINISTRATOR},
    "files/prt": {"PUT": ADMINISTRATOR},
    "files/dialplan": {"PUT": ADMINISTRATOR},
    "files/casTable": {"PUT": ADMINISTRATOR},
    "files/amd": {"PUT": ADMINISTRATOR},
    "files/usersInfo": {"PUT": ADMINISTRATOR},
    "files/configurationPackage.tar.gz": {"GET": SECURITY_ADMINISTRATOR, "PUT": SECURITY_ADMINISTRATOR},
    "files/sbcWizard": {"PUT": ADMINISTRATOR},
    "files/fixs": {"PUT": ADMINISTRATOR},
    "files/fixo": {"PUT": ADMINISTRATOR},
    "files": {"GET": ADMINISTRATOR},
    "files/tls": {"GET": SECURITY_ADMINISTRATOR, "PUT": SECURITY_ADMINISTRATOR, "POST": SECURITY_ADMINISTRATOR},
}

# Table 2-1: top-level directory -> minimum level, for what Table 2-2 does not list.
DIRECTORY_PRIVILEGES = {
    "alarms": MONITOR,
    "kpi": MONITOR,
    "status": MONITOR,
    "actions": ADMINISTRATOR,
    "files": ADMINISTRATOR,
    "license": ADMINISTRATOR,
}


def required_privilege(method: str, path: str, api_version: str = "7.4") -> str | None:
    """Minimum privilege level for ``method`` on ``path`` (relative to /api/v1), or None if unknown.

    The v1.0 API (firmware 7.00A and older) wants a Security Administrator for every request.
    """
    if api_version == "1.0":
        return SECURITY_ADMINISTRATOR
    segments = [segment for segment in path.split("?", 1)[0].strip("/").split("/") if segment]
    method = method.upper()
    for length in range(len(segments), 0, -1):  # the longest listed prefix that names the method wins
        levels = RESOURCE_PRIVILEGES.get("/".join(segments[:length]))
        if levels and method in levels:
            return levels[method]
    return DIRECTORY_PRIVILEGES.get(segments[0]) if segments else MONITOR  # /api/v1 itself: like versions


# ---------------------------------------------------------------------------------------------
# Errors
# ---------------------------------------------------------------------------------------------
class MediantError(Exception):
    """A failed REST exchange. ``str(err)`` is the user-facing message; never holds a password."""

    def __init__(self, msg: str, status: int | None = None, description: str | None = None, method: str | None = None,
                 path: str | None = None, body: Any = None) -> None:
        super().__init__(msg)
        self.msg = msg
        self.status = status
        self.description = description
        self.method = method
        self.path = path
        self.body = body  # the parsed JSON error answer (e.g. a refused CLI script's "output"), or None
        self.attempts = 1  # how many times the request was sent (retries, busy waits)

    def __str__(self) -> str:
        return self.msg

    def to_result(self) -> dict[str, Any]:
        """Extra keys for fail_json: the HTTP status and the device's own description."""
        result: dict[str, Any] = {}
        if self.status is not None:
            result["status"] = self.status
        if self.description:
            result["description"] = self.description
        return result


class DeviceUnreachable(MediantError):
    """No HTTP answer at all: refused, reset, DNS, timed out, TLS. Raised for every transport failure."""

    retryable = False      # a connection error or timeout (worth repeating a safe request)
    read_timeout = False   # the device accepted the connection but did not answer in time


def json_body(response: requests.Response) -> Any:
    """The JSON answer as Python data, or None when the body is not JSON."""
    try:
        return response.json()
    except ValueError:
        return None


def resource_name(method: str, path: str) -> str:
    """``GET /api/v1/status`` for messages (no query string, no host)."""
    path = path.split("?", 1)[0].strip("/")
    return "{0} {1}{2}".format(method, API_PREFIX, "/" + path if path else "")


def device_description(response: requests.Response) -> str | None:
    """The ``description`` the device put in an error body, else a short piece of the body."""
    body = json_body(response)
    if body is None:
        text = (response.text or "").strip()
        return text[:300] or None
    if isinstance(body, dict) and body.get("description"):
        return str(body["description"])
    return None


def _innermost_reason(exc: BaseException) -> str:
    """The deepest cause of a requests/urllib3 exception, as text without URLs of the pool."""
    reason = exc
    seen: set[int] = set()
    while True:
        nested = None
        if reason.args and isinstance(reason.args[0], BaseException):
            nested = reason.args[0]
        nested = getattr(reason, "reason", None) if nested is None else nested
        if not isinstance(nested, BaseException) or id(nested) in seen:
            break
        seen.add(id(nested))
        reason = nested
    text = str(reason)
    # urllib3 prefixes reasons with the connection ("HTTPSConnection(host=..., port=...): ",
    # "<... object at 0x...>: "); the message names host and port already, keep the words.
    text = re.sub(r"<[^>]*object at 0x[0-9a-f]+>:\s*", "", text)
    text = re.sub(r"^\w*Connection\([^)]*\):\s*", "", text)
    return text.strip() or type(reason).__name__


def _lost_mid_request(exc: BaseException) -> bool:
    """Did the connection break after the request started (reset, closed without an answer),
    rather than never open (refused, unknown name, unreachable)?"""
    seen: set[int] = set()
    reason: BaseException | None = exc
    while isinstance(reason, BaseException) and id(reason) not in seen:
        seen.add(id(reason))
        name = type(reason).__name__
        if name in ("NewConnectionError", "NameResolutionError", "ConnectionRefusedError", "gaierror"):
            return False
        if name in ("RemoteDisconnected", "ConnectionResetError", "BrokenPipeError", "ProtocolError",
                    "ConnectionAbortedError", "IncompleteRead", "SSLEOFError", "SSLZeroReturnError"):
            return True
        nested = reason.args[0] if reason.args and isinstance(reason.args[0], BaseException) else None
        if nested is None and len(reason.args) > 1 and isinstance(reason.args[1], BaseException):
            nested = reason.args[1]   # ProtocolError('Connection aborted.', RemoteDisconnected(...))
        reason = nested if nested is not None else getattr(reason, "reason", None) or reason.__context__
    return False


# ---------------------------------------------------------------------------------------------
# Streaming multipart body
# ---------------------------------------------------------------------------------------------
class MultipartFileBody:
    """A ``multipart/form-data`` body with one part ``file``, read in chunks from disk.

    requests sends any object with ``read`` and ``__iter__`` as a stream and takes
    Content-Length from ``__len__``, so the file is never held in memory as a whole.
    """

    chunk_size = 64 * 1024

    def __init__(self, filename: str, src: str | None = None, content: bytes | None = None,
                 field: str = "file") -> None:
        self.boundary = "----MediantFormBoundary" + uuid.uuid4().hex
        safe_name = filename.replace('"', "_").replace("\r", "_").replace("\n", "_")
        self._head = (
            "--{0}\r\nContent-Disposition: form-data; name=\"{1}\"; filename=\"{2}\"\r\n"
            "Content-Type: application/octet-stream\r\n\r\n".format(self.boundary, field, safe_name)
        ).encode("utf-8")
        self._tail = "\r\n--{0}--\r\n".format(self.boundary).encode("ascii")
        self._src = src
        if src is None and content is None:
            raise ValueError("MultipartFileBody takes src (a file) or content (bytes)")
        self._content = content if content is not None else b""   # sent when src is None
        self._payload_size = os.path.getsize(src) if src is not None else len(self._content)
        self._parts: Generator[bytes, None, None] | None = None
        self._pending = b""

    @property
    def content_type(self) -> str:
        return "multipart/form-data; boundary=" + self.boundary

    def __len__(self) -> int:
        return len(self._head) + self._payload_size + len(self._tail)

    def _generate(self) -> Generator[bytes, None, None]:
        yield self._head
        if self._src is not None:
            with open(self._src, "rb") as handle:
                while True:
                    block = handle.read(self.chunk_size)
                    if not block:
                        break
                    yield block
        else:
            for start in range(0, len(self._content), self.chunk_size):
                yield self._content[start:start + self.chunk_size]
        yield self._tail

    def __iter__(self) -> Iterator[bytes]:
        return self._generate()

    def close(self) -> None:
        """Close the file on disk if sending stopped half way."""
        if self._parts is not None:
            self._parts.close()

    def read(self, size: int = -1) -> bytes:
        """File-like read for the HTTP layer; returns b"" at the end."""
        if self._parts is None:
            self._parts = self._generate()
        while size < 0 or len(self._pending) < size:
            block = next(self._parts, None)
            if block is None:
                break
            self._pending += block
        if size < 0:
            data, self._pending = self._pending, b""
        else:
            data, self._pending = self._pending[:size], self._pending[size:]
        return data


# ---------------------------------------------------------------------------------------------
# The client
# ---------------------------------------------------------------------------------------------
DEFAULT_PORTS = {"https": 443, "http": 80}
RETRY_STATUSES = (409, 503)  # busy (HA synchronization) / still starting
BUSY_MAX_DELAY = 5.0  # seconds between two tries of a request refused as busy (409) under busy_timeout
NO_MORE_PAGES = (None, "", "-1", -1)


def _unverified_adapter() -> requests.adapters.HTTPAdapter:
    """An HTTPS adapter for ``validate_certs: false`` whose TLS context loads no CA certificate:
    given no context, urllib3 loads the system's whole CA store for every connection pool even
    when it verifies nothing (20-30 ms idle, 150-350 ms on a loaded machine; bench/README.md)."""
    import ssl  # pylint: disable=import-outside-toplevel
    from urllib3.util.ssl_ import create_urllib3_context  # pylint: disable=import-outside-toplevel

    class UnverifiedAdapter(requests.adapters.HTTPAdapter):
        def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
            context = create_urllib3_context(cert_reqs=ssl.CERT_NONE)
            context.check_hostname = False
            kwargs["ssl_context"] = context
            super().init_poolmanager(*args, **kwargs)

    return UnverifiedAdapter()


class MediantClient:
    """REST client for one device, for the length of one module run."""

    def __init__(self, host: str, username: str, password: str, port: int | str | None = None, protocol: str = "https",
                 validate_certs: bool = True, ca_path: str | None = None, timeout: float = 30, retries: int = 4,
                 backoff: float = 0.5, max_backoff: float = 8.0) -> None:
        if not HAS_REQUESTS:
            raise MediantError(MISSING_REQUESTS_MSG)
        if protocol not in DEFAULT_PORTS:
            raise MediantError("protocol must be https or http, got {0!r}".format(protocol))
        self.host = host
        self.port = int(port) if port else DEFAULT_PORTS[protocol]
        self.protocol = protocol
        self.username = username
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.validate_certs = validate_certs
        self.ca_path = ca_path
        # IPv6 literals need brackets in a URL.
        host_in_url = "[{0}]".format(host) if ":" in host and not host.startswith("[") else host
        self.base_url = "{0}://{1}:{2}".format(protocol, host_in_url, self.port)
        self._auth = (username, password)
        self._api_version: str | None = None
        self._session: requests.Session | None = None

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> MediantClient:
        """Build from a module's connection options (see common.mediant_argument_spec)."""
        return cls(host=params["host"], port=params.get("port"), protocol=params.get("protocol") or "https",
                   username=params["username"], password=params["password"],
                   validate_certs=params.get("validate_certs", True), ca_path=params.get("ca_path"),
                   timeout=params.get("timeout") or 30)

    # -- session ----------------------------------------------------------------------------
    @property
    def address(self) -> str:
        return "{0}:{1}".format(self.host, self.port)

    @property
    def session(self) -> requests.Session:
        if self._session is None:
            session = requests.Session()
            session.auth = self._auth
            session.headers["User-Agent"] = USER_AGENT
            session.verify = self._verify
            if not self.validate_certs:
                # The user chose not to verify (documented as lab-only); no warning per request.
                warnings.filterwarnings("ignore", message="Unverified HTTPS request")
                session.mount("https://", _unverified_adapter())
            self._session = session
        return self._session

    @property
    def _verify(self) -> str | bool:
        return (self.ca_path or True) if self.validate_certs else False

    def close(self) -> None:
        if self._session is not None:
            self._session.close()
            self._session = None

    def __enter__(self) -> MediantClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def url(self, path: str) -> str:
        path = path.lstrip("/")
        if path.startswith("api/"):  # an absolute API path, e.g. a "url" the device returned
            return "{0}/{1}".format(self.base_url, path)
        return "{0}{1}/{2}".format(self.base_url, API_PREFIX, path) if path else self.base_url + API_PREFIX

    # -- the request core --------------------------------------------------------------------
    def request(self, method: str, path: str, params: Mapping[str, Any] | None = None, json_body: Any = None,
                data: Any = None, headers: Mapping[str, str] | None = None, retry: bool | None = None,
                timeout: float | None = None, body_factory: Callable[[], tuple[Any, str]] | None = None,
                stream: bool = False, busy_timeout: float | None = None) -> requests.Response:
        """Send one request (with retries when safe) and return the ``requests.Response``.

        ``retry``: None repeats only GET; True also repeats this request (the caller knows it is
        idempotent) after connection errors, 409 and 503. ``busy_timeout``: seconds to keep
        repeating the request while the device answers 409 (busy, e.g. HA synchronization); safe
        for any request, since a 409 means the device did nothing, so this alone never repeats a
        request after a lost answer. ``body_factory`` builds a fresh streamed body per attempt
        (uploads). Any status >= 400 raises MediantError (``attempts``: how often it was sent).
        """
        method = method.upper()
        may_repeat = method == "GET" if retry is None else bool(retry)
        attempts = 1 + (self.retries if may_repeat else 0)
        request_timeout = timeout or self.timeout
        busy_deadline = None if busy_timeout is None else time.monotonic() + busy_timeout
        read_timeouts = 0
        retries_used = 0   # of the connection-error / 409 / 503 budget ``self.retries``
        busy_waits = 0     # 409 answers waited out under busy_timeout
        sent = 0
        while True:
            sent += 1
            send_headers = dict(headers or {})
            body = data
            if body_factory is not None:
                body, content_type = body_factory()
                send_headers["Content-Type"] = content_type
            try:
                response = self._send_once(method, path, params, json_body, body, send_headers, request_timeout, stream,
                                           owns_body=body_factory is not None)
            except DeviceUnreachable as error:
                if not error.retryable:
                    raise
                # A read timeout already cost a full timeout: repeat it once at most.
                read_timeouts += error.read_timeout
                if retries_used + 1 < attempts and read_timeouts <= 1:
                    retries_used += 1
                    self._sleep_before(retries_used)
                    continue
                raise
            if response.status_code == 409 and busy_deadline is not None:
                busy_waits += 1
                delay = min(BUSY_MAX_DELAY, float(busy_waits))
                if time.monotonic() + delay <= busy_deadline:
                    response.close()
                    time.sleep(delay)
                    continue
            elif response.status_code in RETRY_STATUSES and retries_used + 1 < attempts:
                retry_after = self._retry_after(response)
                response.close()
                retries_used += 1
                self._sleep_before(retries_used, retry_after)
                continue
            if response.status_code >= 300:
                refusal = self.http_error(response, method, path, attempts_made=sent)
                refusal.attempts = sent
                raise refusal
            return response

    def _send_once(self, method: str, path: str, params: Mapping[str, Any] | None, json_body: Any, body: Any,
                   headers: dict[str, str], request_timeout: float, stream: bool,
                   owns_body: bool = False) -> requests.Response:
        """One HTTP exchange. Transport failures raise DeviceUnreachable (``retryable`` for
        connection errors and timeouts, not for TLS verification failures)."""
        try:
            # verify is passed per request: as a session setting, requests lets the
            # REQUESTS_CA_BUNDLE environment variable override ca_path.
            return self.session.request(method, self.url(path), params=params, json=json_body, data=body,
                                        headers=headers, timeout=request_timeout, stream=stream,
                                        verify=self._verify, allow_redirects=False)
        except requests.exceptions.SSLError as exc:
            if not _lost_mid_request(exc):
                raise self._tls_error(exc, method, path) from None
            # The TLS layer's words for a connection the device closed (dropped, resetting).
            error = self._transport_error(exc, method, path, request_timeout)
            error.retryable = True
            raise error from None
        except (requests.exceptions.ConnectionError, requests.exceptions.Timeout) as exc:
            error = self._transport_error(exc, method, path, request_timeout)
            error.retryable = True
            error.read_timeout = isinstance(exc, requests.exceptions.ReadTimeout)
            raise error from None
        except requests.exceptions.RequestException as exc:  # invalid URL, broken chunked answer, ...
            raise DeviceUnreachable("Request {0} to the device at {1} failed: {2}".format(
                resource_name(method, path), self.address, _innermost_reason(exc)), method=method, path=path) from None
        finally:
            if owns_body and hasattr(body, "close"):
                body.close()  # a streamed upload body built for this attempt holds an open file

    def _sleep_before(self, attempt: int, at_least: float | None = None) -> None:
        delay = min(self.max_backoff, self.backoff * (2 ** (attempt - 1)))
        if at_least is not None:
            delay = max(delay, min(at_least, self.max_backoff))
        time.sleep(delay)

    @staticmethod
    def _retry_after(response: requests.Response) -> float | None:
        try:
            return float(response.headers.get("Retry-After", ""))
        except ValueError:
            return None

    # -- errors ------------------------------------------------------------------------------
    def _tls_error(self, exc: BaseException, method: str, path: str) -> DeviceUnreachable:
        resource = resource_name(method, path)
        return DeviceUnreachable(
            "TLS certificate verification failed for {0} ({1}): {2}. To trust the device's certificate, "
            "set ca_path (MEDIANT_CA_PATH) to a PEM file with the CA that signed it (or the device's "
            "self-signed certificate itself); for a lab device only, set validate_certs: false "
            "(MEDIANT_VALIDATE_CERTS=false).".format(self.base_url, resource, _innermost_reason(exc)),
            method=method, path=path)

    def _transport_error(self, exc: BaseException, method: str, path: str, request_timeout: float) -> DeviceUnreachable:
        reason = _innermost_reason(exc)
        where = resource_name(method, path)
        # A request that reached the device may have been carried out even without an answer.
        maybe_done = ("" if method in ("GET", "HEAD") else
                      " The device may still carry out the {0}: read its state (for example run the task in check "
                      "mode) before repeating it.".format(method))
        if isinstance(exc, requests.exceptions.ReadTimeout):
            return DeviceUnreachable(
                "Timed out after {0} s waiting for the device at {1} ({2}). Increase the timeout option "
                "(MEDIANT_TIMEOUT) if the device is slow to answer, or check that {1} is reachable.{3}".format(
                    request_timeout, self.address, where, maybe_done),
                method=method, path=path)
        if isinstance(exc, requests.exceptions.Timeout):
            return DeviceUnreachable(
                "Timed out after {0} s connecting to the device at {1} ({2}). Check that {1} is reachable, or "
                "increase the timeout option (MEDIANT_TIMEOUT) if the device is slow to answer.".format(
                    request_timeout, self.address, where),
                method=method, path=path)
        if _lost_mid_request(exc):
            return DeviceUnreachable(
                "The device at {0} closed the connection during {1} without answering: {2}.{3}".format(
                    self.address, where, reason, maybe_done or " Check that the device is up and try again."),
                method=method, path=path)
        return DeviceUnreachable(
            "Cannot connect to the device at {0} over {1} ({2}): {3}. Check the host, port and protocol "
            "options (MEDIANT_HOST, MEDIANT_PORT, MEDIANT_PROTOCOL) and that the device's REST API is "
            "reachable from where the module runs.".format(self.address, self.protocol, where, reason),
            method=method, path=path)

    def http_error(self, response: requests.Response, method: str, path: str, attempts_made: int = 1) -> MediantError:
        """The MediantError for a >= 400 answer, with advice for the status."""
        status = response.status_code
        description = device_description(response)
        resource = resource_name(method, path)
        said = ": {0}".format(description) if description else ""
        if 300 <= status < 400:
            msg = ("The device at {0} redirected {1} to {2} (HTTP {3}). Point the host, port and protocol options "
                   "at the REST API directly (for example protocol: https when the device redirects HTTP to "
                   "HTTPS).".format(self.address, resource, response.headers.get("Location", "another address"), status))
        elif status == 401:
            msg = ("Authentication failed (HTTP 401) for {0} at {1}: check username/password for user '{2}' "
                   "(options username/password, variables mediant_username/mediant_password or ansible_user/"
                   "ansible_password, environment MEDIANT_USERNAME/MEDIANT_PASSWORD){3}".format(
                       resource, self.address, self.username, said))
        elif status == 403:
            level = required_privilege(method, path, self._api_version or "7.4")
            if level == MONITOR:
                # Every user has at least Monitor on the v7.4 API: only a v1.0 device (firmware
                # 7.00A and older, Security Administrators only) refuses a Monitor resource.
                self._api_version = "1.0"
                level = SECURITY_ADMINISTRATOR
            needs = ("this resource needs the {0} privilege level".format(level) if level
                     else "the user's privilege level is too low for this resource")
            if self._api_version == "1.0":
                needs += " (REST API v1.0, firmware 7.00A and older, admits Security Administrators only)"
            msg = ("Access denied (HTTP 403) to {0} for user '{1}': {2}. Use a user with that level "
                   "(Local Users table on the device){3}".format(resource, self.username, needs, said))
        elif status == 404:
            msg = ("Not found (HTTP 404): {0} does not exist on the device at {1} (REST API {2}){3}".format(
                resource, self.address, self._api_version or "unknown", said))
        elif status == 405:
            msg = ("Method not allowed (HTTP 405): {0} on the device at {1}; the resource does not support it "
                   "or the user '{2}' may not use it{3}".format(resource, self.address, self.username, said))
        elif status == 409:
            tries = " after {0} attempts".format(attempts_made) if attempts_made > 1 else ""
            msg = ("The device is busy (HTTP 409) and refused {0}{1}{2}. This is usually a temporary "
                   "state such as HA synchronization: try again later.".format(resource, tries, said))
        elif status == 400:
            msg = "The device rejected {0} (HTTP 400 Bad Request){1}".format(resource, said)
        else:
            msg = "{0} failed on the device at {1} with HTTP {2} {3}{4}".format(
                resource, self.address, status, response.reason or "", said)
        return MediantError(msg, status=status, description=description, method=method, path=path,
                            body=json_body(response))

    # -- verbs -------------------------------------------------------------------------------
    @staticmethod
    def _json_of(response: requests.Response, method: str, path: str) -> Any:
        if response.status_code == 204 or not response.content:
            return None
        try:
            return response.json()
        except ValueError:
            raise MediantError("The device answered {0} with a body that is not JSON: {1!r}".format(
                resource_name(method, path), response.text[:200]), status=response.status_code) from None

    def get_json(self, path: str, params: Mapping[str, Any] | None = None) -> Any:
        """GET a JSON resource; None on 204 No Content. A status answer also tells the API generation."""
        body = self._json_of(self.request("GET", path, params=params), "GET", path)
        if path.strip("/") == "status":
            self.learn_firmware(body.get("versionID") if isinstance(body, dict) else None)
        return body

    def get_bytes(self, path: str, params: Mapping[str, Any] | None = None) -> bytes:
        """GET a file (application/octet-stream) as bytes."""
        return self.request("GET", path, params=params).content

    def get_text(self, path: str, params: Mapping[str, Any] | None = None) -> str:
        """GET a file as text (the device sends configuration files as UTF-8 or Latin-1)."""
        content = self.get_bytes(path, params=params)
        try:
            return content.decode("utf-8")
        except UnicodeDecodeError:
            return content.decode("latin-1")

    def download(self, path: str, dest: str, params: Mapping[str, Any] | None = None) -> int:
        """GET a file straight to ``dest`` on disk in chunks; returns the number of bytes."""
        response = self.request("GET", path, params=params, stream=True)
        size = 0
        with open(dest, "wb") as handle:
            for block in response.iter_content(64 * 1024):
                handle.write(block)
                size += len(block)
        return size

    def put_json(self, path: str, body: Any, retry: bool = False, timeout: float | None = None,
                 busy_timeout: float | None = None) -> dict[str, Any]:
        """PUT a JSON body; the JSON answer as dict ({} when empty). ``busy_timeout``: see request()."""
        response = self.request("PUT", path, json_body=body, retry=retry, timeout=timeout, busy_timeout=busy_timeout)
        return self._json_of(response, "PUT", path) or {}

    def post_json(self, path: str, body: Any = None, retry: bool = False, timeout: float | None = None,
                  busy_timeout: float | None = None) -> dict[str, Any]:
        """POST a JSON body (or none); the JSON answer as dict ({} when empty). ``busy_timeout``: see request()."""
        response = self.request("POST", path, json_body=body, retry=retry, timeout=timeout, busy_timeout=busy_timeout)
        return self._json_of(response, "POST", path) or {}

    def delete(self, path: str, retry: bool = False) -> dict[str, Any]:
        response = self.request("DELETE", path, retry=retry)
        return self._json_of(response, "DELETE", path) or {}

    def upload(self, path: str, src: str | None = None, content: str | bytes | None = None, filename: str | None = None,
               retry: bool = False, params: Mapping[str, Any] | None = None, timeout: float | None = None,
               busy_timeout: float | None = None) -> dict[str, Any]:
        """PUT a file: ``src`` (a path, streamed from disk) or ``content`` (str/bytes).

        Encoded as the API generation wants: multipart/form-data field ``file`` on v7.x,
        raw application/octet-stream on v1.0. Every attempt (``retry``, ``busy_timeout``: see
        request()) reopens ``src`` and streams it again. Returns the JSON answer as dict ({} when empty).
        """
        if (src is None) == (content is None):
            raise ValueError("upload() takes exactly one of src and content")
        if isinstance(content, str):
            content = content.encode("utf-8")
        if filename is None:
            filename = os.path.basename(src) if src is not None else "file.txt"
        if src is not None and not os.path.isfile(src):
            raise MediantError("Cannot upload {0}: no such file on the host that runs the module".format(src))

        if self.api_version == "1.0":
            def body_factory() -> tuple[Any, str]:
                # A fresh file object per attempt; requests streams it and sizes it with fstat.
                body = open(src, "rb") if src is not None else content  # pylint: disable=consider-using-with
                return body, "application/octet-stream"
        else:
            def body_factory() -> tuple[Any, str]:
                body = MultipartFileBody(filename, src=src, content=content)
                return body, body.content_type
        response = self.request("PUT", path, params=params, retry=retry, timeout=timeout, body_factory=body_factory,
                                busy_timeout=busy_timeout)
        return self._json_of(response, "PUT", path) or {}

    # -- pagination --------------------------------------------------------------------------
    def paginate(self, path: str, items_key: str, params: Mapping[str, Any] | None = None) -> list[Any]:
        """Every item of a cursor-paginated listing, all pages walked via the cursor's ``after``.

        Alarms answer ``{"alarms": [...], "cursor": {"after": "2", "before": "-1"}}``; KPI listings
        ``{"items": [...], "cursor": [{"start", "before", "after", "end"}]}``. 204 means no (more)
        items; "-1" means no page after this one.
        """
        items: list[Any] = []
        query = dict(params or {})
        seen_cursors: set[str] = set()
        while True:
            page = self.get_json(path, params=query or None)
            if not page:
                return items
            items.extend(page.get(items_key) or [])
            cursor = page.get("cursor")
            if isinstance(cursor, list):
                cursor = cursor[0] if cursor else None
            after = cursor.get("after") if isinstance(cursor, dict) else None
            if after in NO_MORE_PAGES or str(after) in seen_cursors:
                return items
            seen_cursors.add(str(after))
            query["after"] = after

    # -- API generation ----------------------------------------------------------------------
    @property
    def api_version(self) -> str:
        """``"7.4"`` or ``"1.0"``: learnt from the firmware version of a reply the module needed
        anyway (``GET status``, the INI file's header: learn_firmware), else asked once of the
        /api/v1 navigation tree, where v1.0 devices (firmware 7.00A and older) serve
        /performanceMonitoring instead of /kpi (docs/architecture.md, "The API generation")."""
        if self._api_version is None:
            self._api_version = self._detect_api_version()
        return self._api_version

    def learn_firmware(self, version_id: Any) -> None:
        """Take the API generation from the firmware version the device reported (a status
        answer's ``versionID``): it names the firmware running now, so it wins over an earlier
        guess. Anything that is not a version (missing, empty, garbled) teaches nothing."""
        if version_id is not None and FIRMWARE_VERSION.match(str(version_id)):
            self._api_version = api_version_for_firmware(version_id)

    def _detect_api_version(self) -> str:
        try:
            tree = self.get_json("")
        except MediantError as err:
            if isinstance(err, DeviceUnreachable) or err.status == 401:
                raise
            if err.status == 403:  # the tree is open to every v7.4 user; http_error inferred v1.0
                return self._api_version or "1.0"
            tree = None
        ids = {str(item.get("id")) for item in (tree or {}).get("items", []) if isinstance(item, dict)}
        if "kpi" in ids:
            return "7.4"
        if "performanceMonitoring" in ids:
            return "1.0"
        status = self.get_json("status") or {}
        return api_version_for_firmware(status.get("versionID"))

    # -- waiting for a reset or switchover ---------------------------------------------------
    def wait_until_back(self, timeout: float, down_first: bool = True, previous_uptime: int | None = None,
                        poll_interval: float = 0.25, good_answers: int = 2,
                        timeout_option: str = "timeout") -> dict[str, Any]:
        """Wait for the device to go down (if ``down_first``) and to answer ``status`` again.

        Refused or reset connections and timeouts count as down. Coming back needs
        ``good_answers`` consecutive 200 answers so that a login right after is reliable. If the
        device answers with a ``systemUpTime`` below ``previous_uptime`` it has already been
        down. Returns the last status dict; raises MediantError naming ``timeout_option``.
        """
        deadline = time.monotonic() + timeout
        probe_timeout = max(1.0, min(float(self.timeout), 5.0))
        last_problem: MediantError | None = None
        if down_first:
            while True:
                try:
                    status = self._probe_status(probe_timeout)
                except MediantError as err:
                    if isinstance(err, DeviceUnreachable) or (err.status or 0) >= 500:
                        break
                    last_problem = err
                else:
                    uptime = status.get("systemUpTime") if isinstance(status, dict) else None
                    if previous_uptime is not None and isinstance(uptime, int) and uptime < previous_uptime:
                        break
                if time.monotonic() >= deadline:
                    raise MediantError(
                        "The device at {0} did not go down within {1} s after the action{2}. Increase the "
                        "{3} option if it needs longer to start the reset.".format(
                            self.address, timeout, " (last answer: {0})".format(last_problem) if last_problem else "",
                            timeout_option))
                time.sleep(poll_interval)
            self.close()  # keep-alive connections died with the device; start a fresh session
        consecutive = 0
        while True:
            try:
                status = self._probe_status(probe_timeout)
            except MediantError as err:
                consecutive = 0
                last_problem = err
            else:
                consecutive += 1
                if consecutive >= good_answers:
                    return status or {}
            if time.monotonic() >= deadline:
                raise MediantError(
                    "The device at {0} did not come back within {1} s (last problem: {2}). Increase the {3} "
                    "option if the device needs longer to restart.".format(
                        self.address, timeout, last_problem or "none", timeout_option),
                    status=getattr(last_problem, "status", None))
            time.sleep(poll_interval if consecutive == 0 else min(poll_interval, 0.2))

    def _probe_status(self, probe_timeout: float) -> Any:
        response = self.request("GET", "status", retry=False, timeout=probe_timeout)
        status = self._json_of(response, "GET", "status")
        self.learn_firmware(status.get("versionID") if isinstance(status, dict) else None)  # after an upgrade too
        return status


FIRMWARE_VERSION = re.compile(r"^\s*(\d+)\.(\d+)")


def api_version_for_firmware(version_id: Any) -> str:
    """REST API generation for a firmware version string: 7.00A and older speak v1.0."""
    match = FIRMWARE_VERSION.match(str(version_id or ""))
    if not match:
        return "7.4"
    return "1.0" if (int(match.group(1)), int(match.group(2))) <= (7, 0) else "7.4"
