"""The fake's errors in PVE's shape: the message rides in the HTTP reason phrase and in
``message``; parameter errors add ``errors: {param: message}``; ``data`` is always null."""

from __future__ import annotations


class PveError(Exception):
    """An API error: HTTP status, PVE's message, per-parameter errors."""

    def __init__(self, status: int, message: str, errors: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.errors = errors or {}

    def body(self) -> dict[str, object]:
        """The JSON body PVE sends with the error."""
        body: dict[str, object] = {"data": None, "message": self.message + "\n"}
        if self.errors:
            body["errors"] = self.errors
        return body


def invalid(errors: dict[str, str]) -> PveError:
    """400 "Parameter verification failed." with one message per parameter."""
    return PveError(400, "Parameter verification failed.", errors)
