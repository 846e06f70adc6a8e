"""Fields the API server sets on a live object: never desired, never compared, never written.

The GitOps files, plan comparisons and diffs all drop them the same way.
"""

from __future__ import annotations

from typing import Any

SERVER_SET_METADATA = ("uid", "resourceVersion", "generation", "creationTimestamp",
                       "managedFields", "selfLink")


def without_volatile(body: dict[str, Any]) -> dict[str, Any]:
    """A shallow copy of ``body`` without ``status`` and server-set metadata."""
    copy = {k: v for k, v in body.items() if k != "status"}
    metadata = copy.get("metadata")
    if isinstance(metadata, dict):
        copy["metadata"] = {k: v for k, v in metadata.items() if k not in SERVER_SET_METADATA}
    return copy
