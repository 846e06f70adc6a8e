"""Retries with exponential backoff and full jitter on 429, 5xx and transport failures.

A ``Retry-After`` header wins over the computed delay. Other errors pass straight through.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import httpx2
from lightkube import ApiError

T = TypeVar("T")
RETRIABLE = frozenset({429, 500, 502, 503, 504})


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long to retry one request."""

    attempts: int = 8
    base_delay: float = 0.05
    max_delay: float = 5.0

    @classmethod
    def default(cls) -> RetryPolicy:
        """Eight attempts, 50 ms base, 5 s cap."""
        return cls()


def _retry_after(error: ApiError) -> float | None:
    response = getattr(error, "response", None)
    header = response.headers.get("Retry-After") if response is not None else None
    try:
        return float(header) if header else None
    except ValueError:
        return None


def with_retry(call: Callable[[], T], policy: RetryPolicy,
               sleep: Callable[[float], None] = time.sleep) -> T:
    """Run ``call``; retry retriable failures; re-raise the last one."""
    for attempt in range(policy.attempts):
        try:
            return call()
        except ApiError as error:
            code = error.status.code if error.status is not None else None
            if code not in RETRIABLE or attempt == policy.attempts - 1:
                raise
            delay = _retry_after(error)
        except (httpx2.TransportError, httpx2.TimeoutException):
            if attempt == policy.attempts - 1:
                raise
            delay = None
        if delay is None:
            delay = random.uniform(0, min(policy.max_delay, policy.base_delay * 2**attempt))
        sleep(delay)
    raise AssertionError("unreachable")  # pragma: no cover
