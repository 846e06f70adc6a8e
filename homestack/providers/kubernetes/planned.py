"""The Changes the kube target plans, built from a live object: the labelled body to apply,
the observed version, the fields yielded to other managers, a replace forced by an immutable
field, and a recreation of an object that is still terminating. Pure: no requests.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from homestack.model import Resource, copy_json
from homestack.model.annotations import SITE
from homestack.model.changeset import Action, Change, Observed
from homestack.model.diff import unified
from homestack.model.volatile import without_volatile
from homestack.providers.kubernetes import inventory
from homestack.providers.kubernetes.compare import FIELD_MANAGER
from homestack.providers.kubernetes.drift import drifted_fields, owners
from homestack.providers.kubernetes.live import LiveObjects
from homestack.providers.kubernetes.ownership import live_segments


def terminating_namespaces(seen: LiveObjects) -> frozenset[str]:
    """Names of the observed Namespaces being deleted (their content goes with them)."""
    return frozenset(str((body.get("metadata") or {}).get("name"))
                     for body in seen.objects.values()
                     if body.get("kind") == "Namespace"
                     and (body.get("metadata") or {}).get("deletionTimestamp"))


def terminating(body: Mapping[str, Any], ending: frozenset[str]) -> bool:
    metadata = body.get("metadata") or {}
    return bool(metadata.get("deletionTimestamp")) or metadata.get("namespace") in ending


def recreation(stack: str, resource: Resource, live: dict[str, Any]) -> Change:
    """A desired object still terminating: created again once the old one is gone."""
    held = ", ".join((live.get("metadata") or {}).get("finalizers") or [])
    why = "terminating: created again once the old object is gone"
    return Change(stack, resource.typed_address, Action.CREATE,
                  unified(resource.address, None, labelled(resource, stack)),
                  resource=resource, observed=observed_of(live, ()),
                  fields=(why + (f" (held by {held})" if held else ""),))


def replacement(stack: str, resource: Resource, live: dict[str, Any], body: dict[str, Any],
                 observed: Observed, forced: Sequence[str]) -> Change:
    """A replace (delete, then create), naming the immutable fields that force it."""
    return Change(stack, resource.typed_address, Action.REPLACE,
                  unified(resource.address, without_volatile(live), body), resource=resource,
                  observed=observed,
                  fields=tuple(f"{f}: immutable, forces a replace (delete, then create)"
                               for f in forced))


def labelled(resource: Resource, stack: str, site: str = "") -> dict[str, Any]:
    """The body to apply: inventory labels on members; the ApplySet parent as it is; the
    Site label on both when ``site`` is given."""
    labels = (resource.body.get("metadata") or {}).get("labels") or {}
    if inventory.APPLYSET_ID in labels:
        if not site:
            return resource.body
        body = copy_json(resource.body)
        body["metadata"]["labels"][SITE] = site
        return body
    return inventory.labelled(resource.body, stack, site)


def fields_of(live: dict[str, Any], body: dict[str, Any], force: bool) -> tuple[str, ...]:
    """What differs, each with its owners; when forcing, which manager loses which field."""
    drifted = drifted_fields(live, body)
    if not force:
        return tuple(str(f) for f in drifted)
    return tuple(f"{f.path}: taken from {', '.join(m for m in f.managers if m != FIELD_MANAGER)}"
                 if f.changed_elsewhere else str(f) for f in drifted)


def observed_of(live: dict[str, Any], yielded: tuple[str, ...]) -> Observed:
    metadata = live.get("metadata") or {}
    return Observed(version=str(metadata.get("resourceVersion", "")),
                    provider_id=str(metadata.get("uid", "")), yielded=yielded)


def yielded_fields(resource: Resource, live: dict[str, Any]) -> tuple[str, ...]:
    """Owned-elsewhere fields another manager has taken: Homestack stops declaring them.

    A field nobody else owns yet stays declared, since dropping it would make the API server
    remove it.
    """
    taken = []
    for path in resource.owned_elsewhere:
        segments = live_segments(live, path)
        if segments is not None and any(m != FIELD_MANAGER for m in owners(live, segments)):
            taken.append(path)
    return tuple(taken)
