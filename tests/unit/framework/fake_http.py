# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A fake device at the ``requests`` transport layer: the HTTP conversation a test expects.

A test declares the ordered calls it expects, each with the device's answer::

    device.expect(
        Call("GET", "files/ini", answer=INI_TEXT),
        Call("PUT", "files/ini/incremental", file="SyslogServerIP = 10.1.1.1\\r\\n", answer={"resetNeeded": False}),
    )

Every request any ``requests.Session`` sends while the fake is installed reaches
:meth:`FakeHttp.send` instead of the network (``HTTPAdapter.send`` is replaced, so everything
above it - sessions, auth, JSON encoding, query strings, streamed bodies - runs for real). A
request that is not the next expected call fails the test at once; an expected call left unused
fails it at the end (:meth:`FakeHttp.assert_done`, called by the ``device`` fixture).

Faking at this layer, not at MediantClient's methods, keeps these tests valid when the code
between the module and ``requests`` is restructured: only the HTTP conversation counts.

Standing answers (:meth:`FakeHttp.always`) answer a request whenever it comes, any number of
times, outside the ordered list: for requests a test does not care about, such as the API
generation probe ``GET /api/v1``.
"""
from __future__ import annotations

import json as jsonlib
import threading
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any, Callable
from urllib.parse import parse_qsl, urlsplit

import requests
from requests.adapters import HTTPAdapter
from requests.structures import CaseInsensitiveDict

API_PREFIX = "/api/v1"
REASONS = {200: "OK", 201: "Created", 204: "No Content", 301: "Moved Permanently", 400: "Bad Request",
           401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed", 409: "Conflict",
           500: "Internal Server Error", 503: "Service Unavailable"}


class UnexpectedCall(AssertionError):
    """The code sent a request the test did not expect (or not in that order)."""


@dataclass
class Sent:
    """One request as it left ``requests``: what the device would have received."""

    method: str
    path: str                 # below /api/v1 ("" for /api/v1 itself), or the absolute path
    query: dict
    headers: dict
    body: bytes
    verify: Any = None
    timeout: Any = None

    @property
    def content_type(self) -> str:
        return self.headers.get("Content-Type", "")

    @property
    def json(self):
        """The JSON body as data; None when there is no body."""
        return jsonlib.loads(self.body) if self.body else None

    @property
    def file(self) -> bytes | None:
        """The uploaded file: the ``file`` part of a multipart body, else the raw body."""
        part = self._file_part()
        return part[1] if part else (self.body or None)

    @property
    def filename(self) -> str | None:
        part = self._file_part()
        return part[0] if part else None

    @property
    def text(self) -> str:
        """The uploaded file (or body) as text."""
        return (self.file or b"").decode("utf-8")

    def _file_part(self):
        if not self.content_type.startswith("multipart/form-data"):
            return None
        message = BytesParser(policy=HTTP).parsebytes(
            b"Content-Type: " + self.content_type.encode() + b"\r\n\r\n" + self.body)
        for part in message.iter_parts():
            if part.get_param("name", header="content-disposition") == "file":
                return part.get_filename(), part.get_payload(decode=True)
        return None

    def __str__(self):
        return "{0} {1}".format(self.method, full_path(self.path))


def full_path(path: str) -> str:
    if path.startswith("/"):
        return path
    return API_PREFIX + ("/" + path if path else "")


@dataclass
class Call:
    """One expected request and the device's answer.

    Matchers (all optional): ``query`` (dict, exact), ``json`` (the JSON body, exact), ``file``
    (the uploaded file's content, str or bytes, exact), ``filename``, ``match`` (a callable
    taking :class:`Sent`, returning True or raising AssertionError).
    Answer: ``status`` and ``answer`` (dict/list: JSON; str/bytes: a file; None: empty), extra
    ``headers``; or ``error``, an exception ``requests`` raises instead (e.g.
    ``requests.exceptions.ConnectionError()`` for a device that is down).
    ``repeat=True``: the call answers every request that matches it, at least one, and gives way
    to the next expected call at the first request that does not match (polling loops).
    """

    method: str
    path: str
    query: dict | None = None
    json: Any = None
    file: str | bytes | None = None
    filename: str | None = None
    match: Callable[[Sent], Any] | None = None
    status: int = 200
    answer: Any = None
    headers: dict = field(default_factory=dict)
    error: BaseException | None = None
    repeat: bool = False      # answers every matching request until one does not match (at least one)
    used: int = field(default=0, compare=False)

    def describe(self) -> str:
        return "{0} {1}".format(self.method, full_path(self.path))

    def mismatch(self, sent: Sent) -> str | None:
        """Why ``sent`` is not this call, or None when it is."""
        if sent.method != self.method or full_path(sent.path) != full_path(self.path):
            return "expected {0}, got {1}".format(self.describe(), sent)
        if self.query is not None and sent.query != {key: str(value) for key, value in self.query.items()}:
            return "{0}: expected query {1}, got {2}".format(sent, self.query, sent.query)
        if self.json is not None and sent.json != self.json:
            return "{0}: expected JSON body {1!r}, got {2!r}".format(sent, self.json, sent.json)
        if self.file is not None:
            expected = self.file.encode("utf-8") if isinstance(self.file, str) else self.file
            if sent.file != expected:
                return "{0}: expected file {1!r}, got {2!r}".format(sent, expected, sent.file)
        if self.filename is not None and sent.filename != self.filename:
            return "{0}: expected filename {1!r}, got {2!r}".format(sent, self.filename, sent.filename)
        if self.match is not None:
            try:
                if self.match(sent) is False:
                    return "{0}: the match function refused it".format(sent)
            except AssertionError as err:
                return "{0}: {1}".format(sent, err)
        return None

    def respond(self, request):
        if self.error is not None:
            raise self.error
        return build_response(request, self.status, self.answer, self.headers)


def build_response(request, status, answer, headers=None):
    response = requests.Response()
    response.status_code = status
    response.reason = REASONS.get(status, "")
    response.url = request.url
    response.request = request
    response.headers = CaseInsensitiveDict(headers or {})
    if isinstance(answer, (dict, list)):
        content = jsonlib.dumps(answer).encode("utf-8")
        response.headers.setdefault("Content-Type", "application/json")
    elif isinstance(answer, str):
        content = answer.encode("utf-8")
        response.headers.setdefault("Content-Type", "application/octet-stream")
    else:
        content = answer or b""
        if content:
            response.headers.setdefault("Content-Type", "application/octet-stream")
    response.headers["Content-Length"] = str(len(content))
    response._content = content  # pylint: disable=protected-access
    response._content_consumed = True  # pylint: disable=protected-access
    response.encoding = "utf-8"
    return response


def body_bytes(body) -> bytes:
    """The bytes of a prepared request's body, reading streamed bodies (files, generators) whole."""
    if body is None:
        return b""
    if isinstance(body, str):
        return body.encode("utf-8")
    if isinstance(body, (bytes, bytearray)):
        return bytes(body)
    if hasattr(body, "read"):
        data = body.read()
        return data.encode("utf-8") if isinstance(data, str) else data
    return b"".join(chunk.encode("utf-8") if isinstance(chunk, str) else chunk for chunk in body)


class FakeHttp:
    """The ordered conversation of one test; install it with :meth:`installed`."""

    def __init__(self):
        self.expected: list[Call] = []
        self.standing: list[Call] = []
        self.sent: list[Sent] = []          # every request, in order, standing answers included
        self.problems: list[str] = []
        self._lock = threading.Lock()

    def expect(self, *calls: Call) -> "FakeHttp":
        self.expected.extend(calls)
        return self

    def always(self, *calls: Call) -> "FakeHttp":
        """Answers given whenever asked, any number of times (0 included), outside the order."""
        self.standing.extend(calls)
        return self

    def calls(self, include_standing=False) -> list[str]:
        """``["GET /api/v1/files/ini", ...]``: the requests sent, for assertions on the conversation."""
        standing = {call.describe() for call in self.standing}
        return [str(sent) for sent in self.sent if include_standing or str(sent) not in standing]

    def send(self, request, **kwargs):
        split = urlsplit(request.url)
        path = split.path
        if path == API_PREFIX or path.startswith(API_PREFIX + "/"):
            path = path[len(API_PREFIX) + 1:]
        sent = Sent(request.method, path, dict(parse_qsl(split.query, keep_blank_values=True)),
                    dict(request.headers), body_bytes(request.body), kwargs.get("verify"), kwargs.get("timeout"))
        with self._lock:
            self.sent.append(sent)
            for call in self.standing:
                if call.mismatch(sent) is None:
                    return call.respond(request)
            if not self.expected:
                problem = "unexpected request {0}: the test expected no more requests".format(sent)
                self.problems.append(problem)
                raise UnexpectedCall(problem)
            call = self.expected[0]
            problem = call.mismatch(sent)
            if problem is not None and call.repeat and call.used and len(self.expected) > 1:
                self.expected.pop(0)
                call = self.expected[0]
                problem = call.mismatch(sent)
            if problem is not None:
                self.problems.append(problem)
                raise UnexpectedCall(problem)
            call.used += 1
            if not call.repeat:
                self.expected.pop(0)
        return call.respond(request)

    def assert_done(self):
        """Fail on any unexpected request (even one the code under test caught) or unused call."""
        problems = list(self.problems)
        if self.expected and self.expected[-1].repeat and self.expected[-1].used:
            self.expected.pop()
        if self.expected:
            problems.append("expected requests never sent: {0}".format(", ".join(call.describe() for call in self.expected)))
        if problems:
            raise AssertionError("HTTP conversation differs from the test's:\n  " + "\n  ".join(problems)
                                 + "\nsent: " + ", ".join(str(sent) for sent in self.sent))

    def install(self, monkeypatch):
        fake = self

        def send(adapter, request, **kwargs):  # pylint: disable=unused-argument
            return fake.send(request, **kwargs)

        monkeypatch.setattr(HTTPAdapter, "send", send)
        return self
