"""The one exception routes raise to answer with an error status and a JSON ``description``."""

from __future__ import annotations


class ApiError(Exception):
    def __init__(self, status: int, description: str, headers: dict | None = None, extra: dict | None = None):
        super().__init__(description)
        self.status = status
        self.description = description
        self.headers = headers or {}
        self.extra = extra or {}

    def body(self) -> dict:
        return {"description": self.description, **self.extra}


def bad_request(description: str, **extra) -> ApiError:
    return ApiError(400, description, extra=extra)


def conflict(description: str) -> ApiError:
    return ApiError(409, description)
