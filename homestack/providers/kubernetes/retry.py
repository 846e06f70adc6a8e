"""Requests with retries: exponential backoff and full jitter on 429, 5xx and transport failures.

A ``Retry-After`` header wins over the computed delay. Every failure leaves as a classified
``ProviderError`` (see ``status``): callers never see a client library's exception.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar

import httpx2
from lightkube import ApiError

from homestack.providers.errors import ProviderError, TransientError
from homestack.providers.kubernetes.status import classify, is_transient
from homestack.providers.retrying import RetryPolicy

T = TypeVar("T")

__all__ = ["RetryPolicy", "with_retry"]


def status_of(error: ApiError) -> dict[str, Any]:
    """The Status body of ``error`` as the server sent it (lightkube's model drops fields)."""
    response = getattr(error, "response", None)
    try:
        body = response.json() if response is not None else None
    except ValueError:
        body = None
    if isinstance(body, dict) and body.get("kind") == "Status":
        return body
    status = error.status
    return {"code": status.code if status else 0, "reason": status.reason if status else "",
            "message": status.message if status else str(error)}


def plain_status(response: httpx2.Response) -> dict[str, Any]:
    """A Status for an answer that carries none: the API server's own ``404 page not found``
    for a group it does not serve (yet), or a proxy's error page."""
    return {"code": response.status_code, "reason": _PLAIN_REASONS.get(response.status_code, ""),
            "message": response.text.strip()[:200]}


_PLAIN_REASONS = {404: "NotFound", 403: "Forbidden", 401: "Unauthorized",
                  429: "TooManyRequests", 503: "ServiceUnavailable"}


def _retry_after(error: ApiError | httpx2.HTTPStatusError) -> float | None:
    response = getattr(error, "response", None)
    header = response.headers.get("Retry-After") if response is not None else None
    try:
        return float(header) if header else None
    except ValueError:
        return None


def with_retry(call: Callable[[], T], policy: RetryPolicy, subject: str,
               sleep: Callable[[float], None] = time.sleep) -> T:
    """Run ``call``; retry transient failures; raise the classified ``ProviderError``."""
    for attempt in range(policy.attempts):
        last = attempt == policy.attempts - 1
        try:
            return call()
        except (ApiError, httpx2.HTTPStatusError) as error:
            # lightkube raises the transport's own error for an answer that is not JSON
            status = status_of(error) if isinstance(error, ApiError) \
                else plain_status(error.response)
            if not is_transient(status) or last:
                raise classify(status, subject) from error
            delay = _retry_after(error)
        except (httpx2.TransportError, httpx2.TimeoutException) as error:
            if last:
                raise TransientError(
                    f"cannot reach the API server ({type(error).__name__}: {error})",
                    subject=subject, hint="Check that the cluster is up and the kubeconfig "
                                          "points at it") from error
            delay = None
        if delay is None:
            delay = policy.delay(attempt)
        sleep(delay)
    raise ProviderError("no attempt was made", subject=subject)  # attempts < 1
