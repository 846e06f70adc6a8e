"""What the kube target observed in one run: the Homestack-managed objects per kind.

One LIST per kind with a label selector, so requests grow with kinds, not objects. Objects
that exist with a desired identity but without Homestack's labels (``foreign``: made by
kubectl, Terraform, Helm, a controller) come from one more LIST without the selector, only for
the kinds where some desired object was not seen: at most two LISTs per kind. When an object
carries Helm's release annotations, one LIST of Helm's release Secrets names their history.
The value is built once per run and only read afterwards; plans of every Stack share it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from homestack.model.annotations import STACK


@dataclass(frozen=True)
class LiveObjects:
    """Managed objects by address, the kinds that could not be listed yet (their CRD is
    applied in this run), and the unmanaged objects that hold a desired identity."""

    objects: Mapping[str, Mapping[str, Any]]
    unserved: frozenset[tuple[str, str]] = frozenset()
    foreign: Mapping[str, Mapping[str, Any]] = field(
        default_factory=lambda: MappingProxyType({}))
    claimed: frozenset[str] = frozenset()
    helm_history: Mapping[tuple[str, str], tuple[str, ...]] = field(
        default_factory=lambda: MappingProxyType({}))
    # StorageClass name → allowVolumeExpansion, read when a desired object is a claim
    expandable: Mapping[str, bool] = field(default_factory=lambda: MappingProxyType({}))

    @classmethod
    def of(cls, objects: dict[str, dict[str, Any]],
           unserved: frozenset[tuple[str, str]] = frozenset(),
           foreign: dict[str, dict[str, Any]] | None = None,
           claimed: frozenset[str] = frozenset(),
           helm_history: dict[tuple[str, str], tuple[str, ...]] | None = None,
           expandable: dict[str, bool] | None = None) -> LiveObjects:
        """Freeze the top level; bodies are treated as read-only by every reader.

        ``claimed`` are the addresses some Stack in scope desires: an object labelled for a
        Stack that no longer declares it moves to the Stack that does, it is not deleted.
        ``helm_history`` names the release Secrets of the Helm releases observed objects
        belong to, by (namespace, release). ``expandable`` tells, per StorageClass, whether
        its claims may grow.
        """
        return cls(MappingProxyType(objects), unserved, MappingProxyType(foreign or {}),
                   claimed, MappingProxyType(helm_history or {}),
                   MappingProxyType(expandable or {}))

    def stack_of(self, address: str) -> str | None:
        """The Stack a managed object is labelled for, if it is managed."""
        body = self.objects.get(address)
        if body is None:
            return None
        return str(((body.get("metadata") or {}).get("labels") or {}).get(STACK, "")) or None

    def of_stack(self, stack: str) -> dict[str, dict[str, Any]]:
        """The Stack's objects (its ApplySet parent included), by address."""
        return {address: dict(body) for address, body in self.objects.items()
                if ((body.get("metadata") or {}).get("labels") or {}).get(STACK) == stack}
