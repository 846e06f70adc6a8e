"""Random values for the keys of a Secret the kit declared without data.

The values are drawn when the apply finds the Secret without them, and written with their own
field manager (``homestack-generator``): the Resource, the plan, the state and the logs never
hold them, and the later applies of the Secret (by ``homestack``, declaring no data) leave them
alone. A key deleted by hand comes back, with a new value, the next time the Secret is written.
"""

from __future__ import annotations

import base64
import secrets
from typing import Any

from homestack.model import Resource
from homestack.model import annotations as ann

DEFAULT_LENGTH = 32


def generated_keys(resource: Resource) -> tuple[tuple[str, ...], int]:
    """The keys ``resource`` (a Secret) asks to be generated, and their length in bytes of
    randomness; none for any other object."""
    if resource.k8s_kind != "Secret" or resource.api_version != "v1":
        return (), 0
    notes = ((resource.body.get("metadata") or {}).get("annotations") or {})
    keys = tuple(k for k in str(notes.get(ann.GENERATED_KEYS, "")).split(",") if k)
    return keys, int(notes.get(ann.GENERATED_LENGTH, DEFAULT_LENGTH))


def missing_values(resource: Resource, live: dict[str, Any]) -> dict[str, Any] | None:
    """The apply body of the generator manager for the keys ``live`` lacks; None when it has
    them all."""
    keys, length = generated_keys(resource)
    present = live.get("data") or {}
    missing = [key for key in keys if key not in present]
    if not missing:
        return None
    metadata = live.get("metadata") or {}
    return {"apiVersion": "v1", "kind": "Secret",
            "metadata": {"name": metadata.get("name"), "namespace": metadata.get("namespace")},
            "data": {key: base64.b64encode(secrets.token_urlsafe(length).encode()).decode()
                     for key in missing}}
