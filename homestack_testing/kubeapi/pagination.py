"""LIST pagination: ``limit`` and ``continue`` as the real server answers them.

A page holds at most ``limit`` items in (namespace, name) order; when more remain, its
``metadata.continue`` is an opaque token (the last key served and the list's
resourceVersion) and ``metadata.remainingItemCount`` counts what is left. A token
that does not decode is a 400, like the real server's.
"""

from __future__ import annotations

import base64
import json
from typing import Any

from .errors import bad_request


def parse_limit(raw: str | None) -> int:
    """0 means "no limit" (also for negative values, which the real server ignores)."""
    if not raw:
        return 0
    try:
        return max(int(raw), 0)
    except ValueError as exc:
        raise bad_request(f'invalid limit "{raw}"') from exc


def encode(rv: str, last: tuple[str, str]) -> str:
    doc = {"v": "meta.k8s.io/v1", "rv": int(rv), "start": "/".join(last) + "\x00"}
    return base64.urlsafe_b64encode(json.dumps(doc).encode()).decode().rstrip("=")


def decode(token: str) -> tuple[str, tuple[str, str]]:
    """(resourceVersion, last key served) of a continue token."""
    try:
        padded = token + "=" * (-len(token) % 4)
        doc = json.loads(base64.urlsafe_b64decode(padded))
        ns, _, name = str(doc["start"]).rstrip("\x00").partition("/")
        return str(doc["rv"]), (ns, name)
    except (ValueError, KeyError, TypeError) as exc:
        raise bad_request("continue key is not valid: the continue token is malformed") \
            from exc


def page(keyed: list[tuple[tuple[str, str], Any]], limit: int, token: str | None,
         rv: str) -> tuple[list[Any], dict[str, Any]]:
    """The items of one page and the list metadata to answer with."""
    meta: dict[str, Any] = {"resourceVersion": rv}
    if token:
        rv, last = decode(token)
        meta["resourceVersion"] = rv
        keyed = [(k, v) for k, v in keyed if k > last]
    if limit and len(keyed) > limit:
        meta["continue"] = encode(rv, keyed[limit - 1][0])
        meta["remainingItemCount"] = len(keyed) - limit
        keyed = keyed[:limit]
    return [v for _, v in keyed], meta
