"""The fake API's refusals, shaped like the v4 API's error bodies.

Validation errors come as code 1004 "DNS Validation Error" with the precise errors in
``error_chain``, as the real API nests them. Where the real API's code for a rule is not
known, the chain entry repeats 1004 with a message naming the field and the allowed range.
"""

from __future__ import annotations


class ApiError(Exception):
    """An API refusal: the HTTP status and the errors of the body."""

    def __init__(self, status: int, code: int, message: str,
                 chain: tuple[tuple[int, str], ...] = ()) -> None:
        super().__init__(message)
        self.status = status
        self.errors = [{"code": code, "message": message}]
        if chain:
            self.errors[0]["error_chain"] = [{"code": c, "message": m} for c, m in chain]


def invalid(code: int, message: str) -> ApiError:
    """A 400 "DNS Validation Error" whose chain holds ``code`` and ``message``."""
    return ApiError(400, 1004, "DNS Validation Error", ((code, message),))


def invalid_all(chain: list[tuple[int, str]]) -> ApiError:
    """A 400 "DNS Validation Error" listing every error of ``chain`` (one per field)."""
    return ApiError(400, 1004, "DNS Validation Error", tuple(chain))
