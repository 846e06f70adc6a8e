"""Inventory: labels that tie live objects to their Stack, compatible with kubectl ApplySets.

Every object gets ``app.kubernetes.io/managed-by: homestack``, ``homestack.dev/stack`` and
``applyset.kubernetes.io/part-of``; the parent of a Stack's ApplySet is a ConfigMap in the
``kube-system`` namespace listing the group-kinds it contains (and, for Homestack's own
observer, their API versions). The list grows before an object of a new kind is written and
shrinks only after the prune of a kind that leaves succeeded: whatever a failed or killed run
wrote, the next plan knows which kinds to look in.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable, Mapping
from typing import Any

from homestack.model import copy_json
from homestack.model.annotations import FIELD_MANAGER, MANAGED_BY, SITE, STACK

PART_OF = "applyset.kubernetes.io/part-of"
APPLYSET_ID = "applyset.kubernetes.io/id"
TOOLING = "applyset.kubernetes.io/tooling"
CONTAINS = "applyset.kubernetes.io/contains-group-kinds"
# ApplySets name group-kinds only; LISTing them needs a version too.
API_KINDS = "homestack.dev/contains-kinds"
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


def labelled(body: dict[str, Any], stack: str, site: str = "") -> dict[str, Any]:
    """A copy of ``body`` carrying the inventory labels of ``stack`` (and of ``site``)."""
    result = copy_json(body)
    labels = result.setdefault("metadata", {}).setdefault("labels", {})
    labels[MANAGED_BY] = MANAGER
    labels[STACK] = stack
    labels[PART_OF] = applyset_id(stack)
    if site:
        labels[SITE] = site
    return result


def site_of(body: Mapping[str, Any]) -> str:
    """The Site label of a live object ("" for one written before Sites were labelled)."""
    return str(((body.get("metadata") or {}).get("labels") or {}).get(SITE, ""))


def of_site(body: Mapping[str, Any], site: str) -> bool:
    """Whether a live object may be ``site``'s: it names that Site, or none (written before
    Sites were labelled, or by a Site that does not say)."""
    found = site_of(body)
    return not found or not site or found == site


def parent(stack: str, kinds: Iterable[tuple[str, str]]) -> dict[str, Any]:
    """The ApplySet parent object of ``stack`` holding ``(apiVersion, kind)`` pairs."""
    pairs = sorted(set(kinds))
    group_kinds = sorted({group_kind(v, k) for v, k in pairs})
    return {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {
            "name": parent_name(stack),
            "namespace": PARENT_NAMESPACE,
            "labels": {APPLYSET_ID: applyset_id(stack), MANAGED_BY: MANAGER, STACK: stack},
            "annotations": {TOOLING: "homestack/v1", CONTAINS: ",".join(group_kinds),
                            API_KINDS: ",".join(f"{v}/{k}" for v, k in pairs)},
        },
    }


def is_parent(body: dict[str, Any]) -> bool:
    """True for a Stack's ApplySet parent."""
    metadata = body.get("metadata") or {}
    return body.get("kind") == "ConfigMap" and metadata.get("namespace") == PARENT_NAMESPACE \
        and APPLYSET_ID in (metadata.get("labels") or {})


def contained(body: dict[str, Any]) -> set[tuple[str, str]]:
    """The ``(apiVersion, kind)`` pairs a parent says its Stack holds."""
    text = ((body.get("metadata") or {}).get("annotations") or {}).get(API_KINDS) or ""
    pairs = (item.rpartition("/") for item in text.split(",") if "/" in item)
    return {(version, kind) for version, _, kind in pairs if version and kind}


def group_kind(api_version: str, kind: str) -> str:
    """``Deployment.apps`` / ``ConfigMap`` as ApplySets spell group-kinds."""
    group = api_version.rpartition("/")[0]
    return f"{kind}.{group}" if group else kind
