"""Inventory: labels that tie live objects to their Stack, compatible with kubectl ApplySets.

Every object gets ``app.kubernetes.io/managed-by: homestack``, ``homestack.dev/stack`` and
``applyset.kubernetes.io/part-of``; the parent of a Stack's ApplySet is a ConfigMap in the
``kube-system`` namespace listing the group-kinds it contains.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable
from typing import Any

from homestack.model import copy_json
from homestack.model.annotations import FIELD_MANAGER, MANAGED_BY, STACK

PART_OF = "applyset.kubernetes.io/part-of"
APPLYSET_ID = "applyset.kubernetes.io/id"
TOOLING = "applyset.kubernetes.io/tooling"
CONTAINS = "applyset.kubernetes.io/contains-group-kinds"
PARENT_NAMESPACE = "kube-system"
MANAGER = FIELD_MANAGER


def parent_name(stack: str) -> str:
    """Name of the Stack's ApplySet parent ConfigMap."""
    return f"homestack-applyset-{stack}"


def applyset_id(stack: str) -> str:
    """The ApplySet id as kubectl computes it for a ConfigMap parent."""
    key = f"{parent_name(stack)}.{PARENT_NAMESPACE}.ConfigMap."
    digest = hashlib.sha256(key.encode()).digest()
    return "applyset-" + base64.urlsafe_b64encode(digest).decode().rstrip("=") + "-v1"


def labelled(body: dict[str, Any], stack: str) -> dict[str, Any]:
    """A copy of ``body`` carrying the inventory labels of ``stack``."""
    result = copy_json(body)
    labels = result.setdefault("metadata", {}).setdefault("labels", {})
    labels[MANAGED_BY] = MANAGER
    labels[STACK] = stack
    labels[PART_OF] = applyset_id(stack)
    return result


def parent(stack: str, group_kinds: Iterable[str]) -> dict[str, Any]:
    """The ApplySet parent object of ``stack``."""
    return {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {
            "name": parent_name(stack),
            "namespace": PARENT_NAMESPACE,
            "labels": {APPLYSET_ID: applyset_id(stack), MANAGED_BY: MANAGER, STACK: stack},
            "annotations": {TOOLING: "homestack/v1", CONTAINS: ",".join(sorted(group_kinds))},
        },
    }


def group_kind(api_version: str, kind: str) -> str:
    """``Deployment.apps`` / ``ConfigMap`` as ApplySets spell group-kinds."""
    group = api_version.rpartition("/")[0]
    return f"{kind}.{group}" if group else kind
